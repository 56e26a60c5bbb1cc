//! Binary sends with shared wasm memory (a `SharedArrayBuffer`, as apps using wasm threads
//! have): every binary send path must arrive intact, though browsers refuse views of shared
//! memory. Compiled only with `+atomics`: `cargo xtask test` builds it on nightly with
//! `-Z build-std` (its "shared memory" step), with the test server running.
#![cfg(all(target_arch = "wasm32", target_feature = "atomics"))]

use futures::{SinkExt, StreamExt};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use wasm_websocket::{Message, ReconnectStatus, ReconnectingSocket, WebSocket};

wasm_bindgen_test_configure!(run_in_browser);

#[allow(dead_code)]
#[path = "../web/util.rs"]
mod util;

use util::*;

fn bytes(n: usize) -> Vec<u8> {
    (0..n).map(|i| (i * 31 + 7) as u8).collect()
}

/// Without this the other tests would prove nothing.
#[wasm_bindgen_test]
fn memory_is_a_shared_array_buffer() {
    let memory: js_sys::WebAssembly::Memory = wasm_bindgen::memory().dyn_into().unwrap();
    assert!(memory
        .buffer()
        .is_instance_of::<js_sys::SharedArrayBuffer>());
}

#[wasm_bindgen_test]
async fn the_sink_and_send_binary_send_bytes_from_shared_memory() {
    let id = tag("shared");
    browser_test!(20_000, async {
        let mut ws = connected(&format!("/echo?id={id}")).await;
        ws.send(Message::Binary(bytes(70_000))).await.unwrap();
        ws.send_binary(&bytes(3)).await.unwrap();
        ws.send(Message::Text("text too".into())).await.unwrap();
        assert_eq!(ws.next().await.unwrap(), Ok(Message::Binary(bytes(70_000))));
        assert_eq!(ws.next().await.unwrap(), Ok(Message::Binary(bytes(3))));
        assert_eq!(ws.next().await.unwrap(), Ok(text("text too")));
        ws.close().unwrap();
        let s = stats(&id).await;
        assert_eq!(s.num("bytes"), 70_003.0 + 8.0);
    });
}

#[wasm_bindgen_test]
async fn the_reconnecting_queue_and_sink_send_bytes_from_shared_memory() {
    browser_test!(20_000, async {
        let target = url("/echo");
        let mut socket = ReconnectingSocket::builder(move || WebSocket::builder(target.clone()))
            .start()
            .unwrap();
        // Queued before the connection opens, flushed by the driver.
        socket.try_send(Message::Binary(bytes(1_000))).unwrap();
        // The socket is read below, so its status, not its events, says when it is open.
        while socket.status() != ReconnectStatus::Open {
            sleep(5).await;
        }
        socket.send(Message::Binary(bytes(2_000))).await.unwrap();
        assert_eq!(
            socket.next().await.unwrap(),
            Ok(Message::Binary(bytes(1_000)))
        );
        assert_eq!(
            socket.next().await.unwrap(),
            Ok(Message::Binary(bytes(2_000)))
        );
    });
}
