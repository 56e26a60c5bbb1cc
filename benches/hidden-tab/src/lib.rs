//! The page of `cargo xtask hidden-tab`: `upload` sends `total` bytes in `chunk`-byte binary
//! messages through the Sink (default marks) and then waits for `drained()`, the time a
//! background upload takes; the xtask runs it in a visible tab and in a hidden one.
//! `hidden_upload` is the end-to-end test's (`csp.html`): an upload as from a hidden page, on a
//! page served under a Content-Security-Policy.

use futures::SinkExt;
use wasm_bindgen::prelude::*;
use wasm_websocket::socket::{set_ticker_worker, TickerWorker};
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

/// `total` bytes in `chunk`-byte messages through the Sink to `url`, then `drained()`, with
/// waiting senders acting as in a hidden page (the crate's test hook: the test's tab is
/// visible) and a 1 MiB high-water mark, so that they wait. Answers the most JS callbacks the
/// crate had live right after a send beyond those of the open socket: 3 while the ticker's
/// worker runs (the worker and its two listeners, which linger about 0.1 s after a wait), 0
/// where waits go on the page's timer. `worker` names the worker's source: `inline`, `off`, or
/// the URL of a script.
#[wasm_bindgen]
pub async fn hidden_upload(
    url: String,
    total: u32,
    chunk: u32,
    worker: String,
) -> Result<usize, JsError> {
    wasm_websocket::act_hidden(true, None);
    set_ticker_worker(match worker.as_str() {
        "inline" => TickerWorker::Inline,
        "off" => TickerWorker::Off,
        _ => TickerWorker::Url(worker),
    });
    let peak = async {
        let mut ws = WebSocket::builder(url)
            .high_water_mark(1 << 20)
            .connect()
            .await?;
        let open = wasm_websocket::live_callbacks();
        let data = vec![0x5a_u8; chunk as usize];
        let (mut sent, mut peak) = (0_u32, 0);
        while sent < total {
            ws.send(Message::Binary(data.clone())).await?;
            sent = sent.saturating_add(chunk);
            peak = peak.max(wasm_websocket::live_callbacks().saturating_sub(open));
        }
        ws.drained().await?;
        ws.close()?;
        Ok::<_, wasm_websocket::Error>(peak)
    }
    .await;
    wasm_websocket::act_hidden(false, None);
    Ok(peak?)
}

/// The JS callbacks the crate has live (its listeners, timers, ticker): none should outlive a
/// wait.
#[wasm_bindgen]
pub fn live_callbacks() -> usize {
    wasm_websocket::live_callbacks()
}
