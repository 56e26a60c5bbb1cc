//! The same tiny program for each contender, one per feature: open `ws://127.0.0.1:9001/echo`,
//! send a text and a binary message, log what comes back: the text as it is, the bytes as `{:?}`
//! of a `Vec<u8>`, the same in every app. Built by `cargo xtask bench` with the
//! `size` profile (opt-level "z", LTO) to compare what each costs in a real app.
//!
//! Twice per contender: as is, every error is dropped; with the `errors-shown` feature, every
//! error of connect, send and receive is turned into a `String` with `to_string()` and logged,
//! as an app with a status line or a log does (and what it pays for the error's text).

use wasm_bindgen::prelude::*;

const URL: &str = "ws://127.0.0.1:9001/echo";

fn log(line: &str) {
    web_sys::console::log_1(&line.into());
}

/// An error the app met: logged as text with `errors-shown`, dropped otherwise.
#[cfg(any(
    feature = "wasm-websocket",
    feature = "gloo-net",
    feature = "ws-stream-wasm",
    feature = "websocket-web"
))]
fn show(error: impl std::fmt::Display) {
    if cfg!(feature = "errors-shown") {
        log(&error.to_string());
    }
}

#[wasm_bindgen(start)]
pub fn start() {
    wasm_bindgen_futures::spawn_local(run());
}

#[cfg(feature = "raw-web-sys")]
async fn run() {
    use std::cell::Cell;
    use std::rc::Rc;
    // What web-sys returns is the thrown `JsValue` (a `DOMException`): its text is its
    // `toString()`.
    let show = |error: JsValue| {
        if cfg!(feature = "errors-shown") {
            log(&String::from(
                error.unchecked_into::<js_sys::Error>().to_string(),
            ));
        }
    };
    let ws = match web_sys::WebSocket::new(URL) {
        Ok(ws) => ws,
        Err(e) => return show(e),
    };
    ws.set_binary_type(web_sys::BinaryType::Arraybuffer);
    let count = Rc::new(Cell::new(0));
    let on_message = Closure::<dyn FnMut(web_sys::MessageEvent)>::new({
        let ws = ws.clone();
        move |e: web_sys::MessageEvent| {
            let data = e.data();
            match data.as_string() {
                Some(text) => log(&text),
                None => log(&format!("{:?}", js_sys::Uint8Array::new(&data).to_vec())),
            }
            count.set(count.get() + 1);
            if count.get() == 2 {
                if let Err(e) = ws.close() {
                    show(e);
                }
            }
        }
    });
    ws.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    let on_open = Closure::<dyn FnMut()>::new({
        let ws = ws.clone();
        move || {
            if let Err(e) = ws.send_with_str("hello") {
                show(e);
            }
            if let Err(e) = ws.send_with_u8_array(&[1, 2, 3]) {
                show(e);
            }
        }
    });
    ws.set_onopen(Some(on_open.as_ref().unchecked_ref()));
    // A real app would keep these for the socket's lifetime.
    on_message.forget();
    on_open.forget();
}

#[cfg(feature = "wasm-websocket")]
async fn run() {
    use futures::{SinkExt, StreamExt};
    use wasm_websocket::{Message, WebSocket};
    let mut ws = match WebSocket::connect(URL).await {
        Ok(ws) => ws,
        Err(e) => return show(e),
    };
    if let Err(e) = ws.send(Message::Text("hello".into())).await {
        show(e);
    }
    if let Err(e) = ws.send(Message::Binary(vec![1, 2, 3])).await {
        show(e);
    }
    for _ in 0..2 {
        match ws.next().await {
            Some(Ok(Message::Text(text))) => log(&text),
            Some(Ok(Message::Binary(bytes))) => log(&format!("{bytes:?}")),
            Some(Err(e)) => show(e),
            // A `Blob` comes only with `BinaryType::Blob`, not the default.
            Some(Ok(_)) | None => {}
        }
    }
}

#[cfg(feature = "gloo-net")]
async fn run() {
    use futures::{SinkExt, StreamExt};
    use gloo_net::websocket::{futures::WebSocket, Message};
    let mut ws = match WebSocket::open(URL) {
        Ok(ws) => ws,
        Err(e) => return show(e),
    };
    if let Err(e) = ws.send(Message::Text("hello".into())).await {
        show(e);
    }
    if let Err(e) = ws.send(Message::Bytes(vec![1, 2, 3])).await {
        show(e);
    }
    for _ in 0..2 {
        match ws.next().await {
            Some(Ok(Message::Text(text))) => log(&text),
            Some(Ok(Message::Bytes(bytes))) => log(&format!("{bytes:?}")),
            Some(Err(e)) => show(e),
            None => {}
        }
    }
}

#[cfg(feature = "ws-stream-wasm")]
async fn run() {
    use futures::{SinkExt, StreamExt};
    use ws_stream_wasm::{WsMessage, WsMeta};
    let (_meta, mut ws) = match WsMeta::connect(URL, None).await {
        Ok(connected) => connected,
        Err(e) => return show(e),
    };
    if let Err(e) = ws.send(WsMessage::Text("hello".into())).await {
        show(e);
    }
    if let Err(e) = ws.send(WsMessage::Binary(vec![1, 2, 3])).await {
        show(e);
    }
    for _ in 0..2 {
        match ws.next().await {
            Some(WsMessage::Text(text)) => log(&text),
            Some(WsMessage::Binary(bytes)) => log(&format!("{bytes:?}")),
            None => {}
        }
    }
}

#[cfg(feature = "websocket-web")]
async fn run() {
    use futures::{SinkExt, StreamExt};
    use websocket_web::{Msg, WebSocket};
    let mut ws = match WebSocket::connect(URL).await {
        Ok(ws) => ws,
        Err(e) => return show(e),
    };
    if let Err(e) = ws.send(Msg::Text("hello".into())).await {
        show(e);
    }
    if let Err(e) = ws.send(Msg::Binary(vec![1, 2, 3])).await {
        show(e);
    }
    for _ in 0..2 {
        match ws.next().await {
            Some(Ok(Msg::Text(text))) => log(&text),
            Some(Ok(Msg::Binary(bytes))) => log(&format!("{bytes:?}")),
            Some(Err(e)) => show(e),
            None => {}
        }
    }
}

/// Built with no contender (the workspace's own checks): does nothing.
#[cfg(not(any(
    feature = "raw-web-sys",
    feature = "wasm-websocket",
    feature = "gloo-net",
    feature = "ws-stream-wasm",
    feature = "websocket-web"
)))]
async fn run() {
    log(&format!(
        "no contender feature selected: nothing connects to {URL}"
    ));
}
