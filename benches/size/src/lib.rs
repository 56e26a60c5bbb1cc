//! The same tiny program for each contender, one per feature: open `ws://127.0.0.1:9001/echo`,
//! send a text and a binary message, log what comes back: the text as it is, the bytes as `{:?}`
//! of a `Vec<u8>`, the same in every app. Built by `cargo xtask bench` with the
//! `size` profile (opt-level "z", LTO) to compare what each costs in a real app.

use wasm_bindgen::prelude::*;

const URL: &str = "ws://127.0.0.1:9001/echo";

fn log(line: &str) {
    web_sys::console::log_1(&line.into());
}

#[wasm_bindgen(start)]
pub fn start() {
    wasm_bindgen_futures::spawn_local(run());
}

#[cfg(feature = "raw-web-sys")]
async fn run() {
    use std::cell::Cell;
    use std::rc::Rc;
    let Ok(ws) = web_sys::WebSocket::new(URL) else {
        return;
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
                let _ = ws.close();
            }
        }
    });
    ws.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    let on_open = Closure::<dyn FnMut()>::new({
        let ws = ws.clone();
        move || {
            let _ = ws.send_with_str("hello");
            let _ = ws.send_with_u8_array(&[1, 2, 3]);
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
    let Ok(mut ws) = WebSocket::connect(URL).await else {
        return;
    };
    let _ = ws.send(Message::Text("hello".into())).await;
    let _ = ws.send(Message::Binary(vec![1, 2, 3])).await;
    for _ in 0..2 {
        match ws.next().await {
            Some(Ok(Message::Text(text))) => log(&text),
            Some(Ok(Message::Binary(bytes))) => log(&format!("{bytes:?}")),
            _ => {}
        }
    }
}

#[cfg(feature = "gloo-net")]
async fn run() {
    use futures::{SinkExt, StreamExt};
    use gloo_net::websocket::{futures::WebSocket, Message};
    let Ok(mut ws) = WebSocket::open(URL) else {
        return;
    };
    let _ = ws.send(Message::Text("hello".into())).await;
    let _ = ws.send(Message::Bytes(vec![1, 2, 3])).await;
    for _ in 0..2 {
        match ws.next().await {
            Some(Ok(Message::Text(text))) => log(&text),
            Some(Ok(Message::Bytes(bytes))) => log(&format!("{bytes:?}")),
            _ => {}
        }
    }
}

#[cfg(feature = "ws-stream-wasm")]
async fn run() {
    use futures::{SinkExt, StreamExt};
    use ws_stream_wasm::{WsMessage, WsMeta};
    let Ok((_meta, mut ws)) = WsMeta::connect(URL, None).await else {
        return;
    };
    let _ = ws.send(WsMessage::Text("hello".into())).await;
    let _ = ws.send(WsMessage::Binary(vec![1, 2, 3])).await;
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
    let Ok(mut ws) = WebSocket::connect(URL).await else {
        return;
    };
    let _ = ws.send(Msg::Text("hello".into())).await;
    let _ = ws.send(Msg::Binary(vec![1, 2, 3])).await;
    for _ in 0..2 {
        match ws.next().await {
            Some(Ok(Msg::Text(text))) => log(&text),
            Some(Ok(Msg::Binary(bytes))) => log(&format!("{bytes:?}")),
            _ => {}
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
