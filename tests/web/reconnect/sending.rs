//! Sending through a reconnecting socket: nothing is lost, nothing fails silently, and the
//! browser's send buffer never runs away.

use futures::StreamExt;
use wasm_bindgen_test::wasm_bindgen_test;
use wasm_websocket::{Message, ReconnectEvent, ReconnectingSocket, WebSocket};

use super::*;
use crate::spy::SocketSpy;

const MIB: u32 = 1 << 20;

#[wasm_bindgen_test]
async fn sending_after_giving_up_is_refused_and_queues_nothing() {
    browser_test!(10_000, async {
        let socket = refused(0).start().unwrap();
        let events: Vec<ReconnectEvent> = socket.events().unwrap().collect().await;
        assert!(
            matches!(events.last(), Some(ReconnectEvent::GaveUp)),
            "{events:?}"
        );
        let late = socket.send(text("late"));
        assert!(late.is_err(), "{late:?}");
        assert!(socket.take_unsent().is_empty());
    });
}

/// A queued message whose send throws when the connection opens is reported (an error item),
/// stays first in line, and goes out, in order, on the next connection.
#[wasm_bindgen_test]
async fn a_failed_flush_is_reported_and_the_message_goes_on_the_next_connection() {
    let id = tag("flush-fails");
    browser_test!(15_000, async {
        let spy = SocketSpy::start();
        spy.throw_once_on_send("poison");
        let mut socket = reconnecting(&format!("/echo?id={id}")).start().unwrap();
        for t in ["a", "poison", "b"] {
            socket.send(text(t)).unwrap();
        }
        let mut echoed = Vec::new();
        let mut errors = 0;
        within(5_000, async {
            while echoed.len() < 3 {
                match socket.next().await {
                    Some(Ok(message)) => echoed.push(message),
                    Some(Err(_)) => {
                        assert!(
                            echoed.len() < 2,
                            "the error came after the retry: {echoed:?}"
                        );
                        errors += 1;
                    }
                    None => panic!("the stream ended"),
                }
            }
        })
        .await;
        assert_eq!(errors, 1);
        assert_eq!(echoed, [text("a"), text("poison"), text("b")]);
        drop(socket);
        let s = stats(&id).await;
        assert_eq!(s.strings("texts"), ["a", "poison", "b"]);
        assert_eq!(s.num("connections"), 2.0);
    });
}

/// `send` never hands the browser more than the high-water mark plus one message: above it,
/// messages wait in the queue and follow as the buffer drains.
#[wasm_bindgen_test]
async fn a_send_above_the_high_water_mark_waits_in_the_queue() {
    let id = tag("reconnect-mark");
    browser_test!(60_000, async {
        let spy = SocketSpy::start();
        let target = url(&format!("/slow-reader?ms=5&id={id}"));
        let (socket, _events) = started_and_open(
            ReconnectingSocket::builder(move || {
                WebSocket::builder(target.clone()).high_water_mark(MIB)
            })
            .queue(64, wasm_websocket::QueuePolicy::RejectNew)
            .record_events(true),
        )
        .await;
        let raw = spy.last_socket();
        let chunk = vec![0x5au8; MIB as usize];
        for _ in 0..16 {
            socket.send(Message::Binary(chunk.clone())).unwrap();
            assert!(
                raw.buffered_amount() <= 2 * MIB,
                "{} bytes buffered",
                raw.buffered_amount()
            );
        }
        let mut highest = 0;
        while raw.buffered_amount() > 0 || stats_now(&id).await.num("bytes") < f64::from(16 * MIB) {
            highest = highest.max(raw.buffered_amount());
            assert!(
                raw.buffered_amount() <= 2 * MIB,
                "{} bytes buffered",
                raw.buffered_amount()
            );
            sleep(5).await;
        }
        assert!(highest > 0);
        drop(socket);
        let s = stats(&id).await;
        assert_eq!(
            (s.num("messages"), s.num("bytes")),
            (16.0, f64::from(16 * MIB))
        );
    });
}
