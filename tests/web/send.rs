//! Sending: the Sink and helpers wait while connecting, fail once closed, and reach the wire.

use std::future::poll_fn;
use std::pin::Pin;

use futures::{Sink, SinkExt, StreamExt};
use wasm_bindgen_test::wasm_bindgen_test;
use wasm_websocket::{Error, Message, ReadyState, WebSocket};

use crate::spy::SocketSpy;
use crate::util::*;

#[wasm_bindgen_test]
async fn a_send_while_connecting_waits_and_arrives_once() {
    let id = tag("connecting");
    browser_test!(10_000, async {
        let mut ws = WebSocket::open(url(&format!("/slow-handshake?ms=500&id={id}"))).unwrap();
        assert_eq!(ws.ready_state(), ReadyState::Connecting);
        ws.send(text("a")).await.unwrap();
        assert_eq!(ws.ready_state(), ReadyState::Open);
        assert_eq!(ws.next().await.unwrap().unwrap(), text("a"));
        drop(ws);
        let s = stats(&id).await;
        assert_eq!(s.num("messages"), 1.0);
        assert_eq!(s.strings("texts"), ["a"]);
    });
}

#[wasm_bindgen_test]
async fn every_send_path_reaches_the_server_in_order() {
    let id = tag("paths");
    browser_test!(10_000, async {
        let mut ws = connected(&format!("/echo?id={id}")).await;
        let blob = web_sys::Blob::new_with_u8_array_sequence(&js_sys::Array::of1(
            &js_sys::Uint8Array::from(&[9u8, 9][..]),
        ))
        .unwrap();
        ws.send(text("sink text")).await.unwrap();
        ws.send(Message::Binary(vec![1, 2, 3])).await.unwrap();
        ws.send(Message::Blob(blob.clone())).await.unwrap();
        ws.send_text("helper text").await.unwrap();
        ws.send_binary(&[4, 5]).await.unwrap();
        ws.send_blob(&blob).await.unwrap();
        ws.send_array_buffer(&js_sys::Uint8Array::from(&[6u8][..]).buffer())
            .await
            .unwrap();
        // Only the viewed bytes of a typed array go out.
        let backing = js_sys::Uint8Array::from(&[0u8, 7, 8, 0][..]);
        ws.send_array_buffer_view(&backing.subarray(1, 3))
            .await
            .unwrap();
        let want: Vec<Message> = vec![
            text("sink text"),
            Message::Binary(vec![1, 2, 3]),
            Message::Binary(vec![9, 9]),
            text("helper text"),
            Message::Binary(vec![4, 5]),
            Message::Binary(vec![9, 9]),
            Message::Binary(vec![6]),
            Message::Binary(vec![7, 8]),
        ];
        for w in &want {
            assert_eq!(&ws.next().await.unwrap().unwrap(), w);
        }
        drop(ws);
        let s = stats(&id).await;
        assert_eq!(s.num("messages"), 8.0);
        assert_eq!(s.num("bytes"), (9 + 3 + 2 + 11 + 2 + 2 + 1 + 2) as f64);
        assert_eq!(s.strings("texts"), ["sink text", "helper text"]);
    });
}

#[wasm_bindgen_test]
async fn a_send_after_the_server_closed_is_an_error_not_a_silent_success() {
    browser_test!(10_000, async {
        let mut ws = connected("/close?code=4000&reason=done").await;
        let ev = ws.closed().await;
        assert_eq!(ev.code.as_u16(), 4000);
        let closed = Err(Error::NotOpen(ReadyState::Closed));
        assert_eq!(ws.send(text("x")).await, closed);
        assert_eq!(ws.send(Message::Binary(vec![1])).await, closed);
        assert_eq!(ws.send_text("x").await, closed);
        assert_eq!(ws.send_binary(&[1]).await, closed);
        assert_eq!(
            ws.buffered_amount(),
            0,
            "nothing may have been handed to the browser"
        );
    });
}

#[wasm_bindgen_test]
async fn a_send_after_close_was_called_is_an_error() {
    browser_test!(10_000, async {
        let mut ws = connected("/echo").await;
        ws.close().unwrap();
        assert_eq!(ws.ready_state(), ReadyState::Closing);
        assert_eq!(
            ws.send(text("late")).await,
            Err(Error::NotOpen(ReadyState::Closing))
        );
        assert!(ws.closed().await.was_clean);
    });
}

#[wasm_bindgen_test]
async fn split_halves_work_in_two_tasks_and_the_handle_closes() {
    let id = tag("split");
    browser_test!(15_000, async {
        let ws = connected(&format!("/echo?id={id}")).await;
        let handle = ws.close_handle();
        let (mut sink, mut stream) = ws.split();
        let (all_back_tx, all_back_rx) = futures::channel::oneshot::channel();
        let (done_tx, done_rx) = futures::channel::oneshot::channel();
        wasm_bindgen_futures::spawn_local(async move {
            let mut all_back = Some(all_back_tx);
            let mut got = Vec::new();
            while let Some(item) = stream.next().await {
                got.push(item);
                if got.len() == 100 {
                    if let Some(tx) = all_back.take() {
                        let _ = tx.send(());
                    }
                }
            }
            let _ = done_tx.send(got);
        });
        wasm_bindgen_futures::spawn_local(async move {
            for i in 0..100 {
                sink.send(Message::Text(i.to_string())).await.unwrap();
            }
        });
        // Close once every echo is back, from a third place.
        all_back_rx.await.unwrap();
        handle.close_with(4002.into(), "split done").unwrap();
        let got = done_rx.await.unwrap();
        let want: Vec<Result<Message, Error>> =
            (0..100).map(|i| Ok(Message::Text(i.to_string()))).collect();
        assert_eq!(got, want);
        let ev = handle.closed().await;
        assert_eq!(ev.code.as_u16(), 4002);
        drop(handle);
        let s = stats(&id).await;
        assert_eq!(s.num("messages"), 100.0);
        assert_eq!(s.num("close_code"), 4002.0);
        assert_eq!(s.string("close_reason").as_deref(), Some("split done"));
    });
}

/// `poll_ready` said yes, then the socket started closing (through a `CloseHandle`, as the other
/// half of a split would): the `start_send` that follows is an error, not a message the browser
/// would drop without a word.
#[wasm_bindgen_test]
async fn a_start_send_after_a_close_since_poll_ready_is_an_error() {
    let id = tag("ready-then-closed");
    browser_test!(10_000, async {
        let mut ws = connected(&format!("/echo?id={id}")).await;
        let handle = ws.close_handle();
        poll_fn(|cx| Pin::new(&mut ws).poll_ready(cx))
            .await
            .unwrap();
        handle.close().unwrap();
        assert_eq!(
            Pin::new(&mut ws).start_send(text("never sent")),
            Err(Error::NotOpen(ReadyState::Closing))
        );
        drop(ws);
        let s = stats(&id).await;
        assert_eq!((s.num("messages"), s.num("close_code")), (0.0, 1000.0));
    });
}

#[wasm_bindgen_test]
async fn an_open_socket_reads_ready_state_once_per_send_and_buffered_amount_only_near_a_mark() {
    browser_test!(10_000, async {
        let spy = SocketSpy::start();
        let mut ws = connected("/echo").await;
        let before = spy.property_reads();
        for i in 0..10 {
            // SinkExt::send: poll_ready, start_send and poll_flush.
            ws.send(text(&format!("sink {i}"))).await.unwrap();
            ws.send_text(&format!("helper {i}")).await.unwrap();
        }
        let after = spy.property_reads();
        // The read right before each send stays (a send in CLOSING would be lost silently); the
        // bytes sent are far below the marks, so the buffer needs no read at all.
        assert_eq!((after.0 - before.0, after.1 - before.1), (20, 0));
        for i in 0..10 {
            assert_eq!(
                ws.next().await.unwrap().unwrap(),
                text(&format!("sink {i}"))
            );
            assert_eq!(
                ws.next().await.unwrap().unwrap(),
                text(&format!("helper {i}"))
            );
        }
    });
}

#[wasm_bindgen_test]
async fn the_buffer_is_read_again_once_the_bytes_sent_could_pass_the_mark() {
    browser_test!(10_000, async {
        let spy = SocketSpy::start();
        let mut ws = connect(builder("/echo").high_water_mark(10)).await;
        let before = spy.property_reads().1;
        ws.send(text("0123456789")).await.unwrap();
        assert_eq!(
            spy.property_reads().1,
            before,
            "10 bytes fit a mark of 10 unread"
        );
        ws.send(text("x")).await.unwrap();
        assert!(spy.property_reads().1 > before, "11 bytes may not: read");
        assert_eq!(ws.next().await.unwrap().unwrap(), text("0123456789"));
        assert_eq!(ws.next().await.unwrap().unwrap(), text("x"));
    });
}
