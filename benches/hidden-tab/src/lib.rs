//! The page of `cargo xtask hidden-tab`: `upload` sends `total` bytes in `chunk`-byte binary
//! messages through the Sink (default marks) and then waits for `drained()`, the time a
//! background upload takes; the xtask runs it in a visible tab and in a hidden one.

use futures::SinkExt;
use wasm_bindgen::prelude::*;
use wasm_websocket::{Message, WebSocket};

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = performance)]
    fn now() -> f64;
}

/// Milliseconds from the first send to an empty buffer.
#[wasm_bindgen]
pub async fn upload(url: String, total: u32, chunk: u32) -> Result<f64, JsError> {
    let mut ws = WebSocket::connect(url).await?;
    let data = vec![0x5a_u8; chunk as usize];
    let started = now();
    let mut sent = 0_u32;
    while sent < total {
        ws.send(Message::Binary(data.clone())).await?;
        sent = sent.saturating_add(chunk);
    }
    ws.drained().await?;
    let ms = now() - started;
    ws.close()?;
    Ok(ms)
}

/// The JS callbacks the crate has live (its listeners, timers, ticker): none should outlive a
/// wait.
#[wasm_bindgen]
pub fn live_callbacks() -> usize {
    wasm_websocket::live_callbacks()
}
