//! The demo page: connect to the echo endpoint through the trunk proxy, send what is typed,
//! log every message and the close. Wiring only; the crate does the work.

use futures::channel::mpsc;
use futures::{select, FutureExt, SinkExt, StreamExt};
use gloo_events::EventListener;
use wasm_bindgen::JsCast;
use wasm_websocket::{Message, WebSocket};

fn main() {
    std::panic::set_hook(Box::new(|info| {
        web_sys::console::error_1(&info.to_string().into());
    }));
    wasm_bindgen_futures::spawn_local(run());
}

fn element(id: &str) -> Option<web_sys::HtmlElement> {
    web_sys::window()?
        .document()?
        .get_element_by_id(id)?
        .dyn_into()
        .ok()
}

fn set_text(id: &str, text: &str) {
    if let Some(el) = element(id) {
        el.set_text_content(Some(text));
    }
}

fn log(line: &str) {
    if let Some(el) = element("log") {
        let time = js_sys::Date::new_0().to_locale_time_string("en-GB");
        let old = el.text_content().unwrap_or_default();
        el.set_text_content(Some(&format!("{old}{}  {line}\n", String::from(time))));
    }
}

/// `?url=` overrides the default, the proxied echo endpoint.
fn target_url() -> String {
    web_sys::window()
        .and_then(|w| w.location().search().ok())
        .and_then(|q| web_sys::UrlSearchParams::new_with_str(&q).ok())
        .and_then(|p| p.get("url"))
        .unwrap_or_else(|| "/ws".to_owned())
}

enum Command {
    Send(String),
    Close,
}

async fn run() {
    let url = target_url();
    set_text("url", &url);
    let (commands, mut command_rx) = mpsc::unbounded();
    let click = |id: &str, make: fn() -> Command| {
        let commands = commands.clone();
        element(id).map(|el| {
            EventListener::new(&el, "click", move |_| {
                let _ = commands.unbounded_send(make());
            })
        })
    };
    let _send = click("send", || {
        let text = element("text")
            .and_then(|el| el.dyn_into::<web_sys::HtmlInputElement>().ok())
            .map(|input| input.value())
            .unwrap_or_default();
        Command::Send(text)
    });
    let _close = click("close", || Command::Close);

    log(&format!("connecting to {url}"));
    let mut ws = match WebSocket::connect(url).await {
        Ok(ws) => ws,
        Err(e) => {
            set_text("state", "failed");
            log(&format!("error: {e}"));
            return;
        }
    };
    set_text("state", &ws.ready_state().to_string());
    log("open");
    let greeting = "hello from wasm-websocket";
    match ws.send(Message::Text(greeting.into())).await {
        Ok(()) => log(&format!("sent: {greeting}")),
        Err(e) => log(&format!("send failed: {e}")),
    }
    loop {
        select! {
            item = ws.next().fuse() => match item {
                Some(Ok(Message::Text(text))) => log(&format!("echo: {text}")),
                Some(Ok(Message::Binary(bytes))) => log(&format!("echo: {} bytes", bytes.len())),
                Some(Ok(Message::Blob(blob))) => log(&format!("echo: blob of {} bytes", blob.size())),
                Some(Err(e)) => log(&format!("error: {e}")),
                None => break,
            },
            command = command_rx.next() => match command {
                Some(Command::Send(text)) => match ws.send(Message::Text(text.clone())).await {
                    Ok(()) => log(&format!("sent: {text}")),
                    Err(e) => log(&format!("send failed: {e}")),
                },
                Some(Command::Close) => {
                    if let Err(e) = ws.close() {
                        log(&format!("close failed: {e}"));
                    }
                }
                None => break,
            },
        }
        set_text("state", &ws.ready_state().to_string());
    }
    let ev = ws.closed().await;
    set_text("state", &ws.ready_state().to_string());
    log(&format!("closed: {ev}"));
}
