//! Sending through a reconnecting socket: nothing is lost, nothing fails silently, and the
//! browser's send buffer never runs away.

use std::time::Duration;

use futures::{SinkExt, StreamExt};
use wasm_bindgen_test::wasm_bindgen_test;
use wasm_websocket::reconnect::QueuePolicy;
use wasm_websocket::{
    CloseCode, Error, GiveUpReason, Heartbeat, Json, Message, ReconnectEvent, ReconnectStatus,
    ReconnectingSocket, Untyped, WebSocket,
};

use super::*;
use crate::spy::SocketSpy;

const MIB: u32 = 1 << 20;

#[wasm_bindgen_test]
async fn sending_after_giving_up_is_refused_and_queues_nothing() {
    browser_test!(10_000, async {
        let mut events = refused(0).start().unwrap().events(Untyped);
        let seen: Vec<ReconnectEvent> = (&mut events).collect().await;
        let Some(ReconnectStatus::GaveUp(why)) = seen.last().and_then(ReconnectEvent::status)
        else {
            panic!("{seen:?}")
        };
        let socket = events.socket();
        assert!(
            matches!(why, GiveUpReason::RetryLimit { retries: 0, .. }),
            "{why:?}"
        );
        assert_eq!(
            socket.try_send(text("late")).map_err(Error::from),
            Err(Error::GaveUp(why.clone()))
        );
        assert!(socket.take_unsent().is_empty());
    });
}

/// A queued message whose send throws when the connection opens is reported (once, where it
/// happened among the events), stays first in line, and goes out, in order, on the next
/// connection.
#[wasm_bindgen_test]
async fn a_failed_flush_is_reported_and_the_message_goes_on_the_next_connection() {
    let id = tag("flush-fails");
    browser_test!(15_000, async {
        let spy = SocketSpy::start();
        spy.throw_once_on_send("poison");
        let mut events = reconnecting(&format!("/echo?id={id}"))
            .start()
            .unwrap()
            .events(Untyped);
        for t in ["a", "poison", "b"] {
            events.socket().try_send(text(t)).unwrap();
        }
        let mut seen = within(
            5_000,
            until(&mut events, |e| *e == ReconnectEvent::Message(text("b"))),
        )
        .await;
        let thrown = Error::Js {
            name: "InvalidAccessError".into(),
            message: "injected by the test's spy".into(),
        };
        // The echo of "a" may be lost: the browser drops what arrives after it starts a close.
        seen.retain(|e| *e != ReconnectEvent::Message(text("a")));
        assert_eq!(
            seen[..3],
            [connecting(1), OPEN, ReconnectEvent::Error(thrown)],
            "{seen:?}"
        );
        assert!(
            matches!(&seen[3], ReconnectEvent::Disconnected { close: ev, .. } if ev.code == CloseCode::SEND_FAILED),
            "{seen:?}"
        );
        assert!(
            seen.ends_with(&[
                OPEN,
                ReconnectEvent::Message(text("poison")),
                ReconnectEvent::Message(text("b"))
            ]),
            "{seen:?}"
        );
        drop(events);
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
        let socket = open_socket(
            ReconnectingSocket::builder(move || {
                WebSocket::builder(target.clone()).high_water_mark(MIB)
            })
            .queue(64, wasm_websocket::reconnect::QueuePolicy::RejectNew),
        )
        .await;
        let raw = spy.last_socket();
        let chunk = vec![0x5au8; MIB as usize];
        for _ in 0..16 {
            socket.try_send(Message::Binary(chunk.clone())).unwrap();
            assert!(
                raw.buffered_amount() <= 2 * MIB,
                "{} bytes buffered",
                raw.buffered_amount()
            );
        }
        // In the turn of the sends (the browser lowers its buffer only between turns), every
        // chunk is in the browser or in the queue: the mark plus one in the browser, the rest
        // queued.
        assert_eq!(
            (raw.buffered_amount(), socket.queued()),
            (2 * MIB, 14),
            "(bytes in the browser, messages queued)"
        );
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

/// The heartbeat's ping is a send the socket makes itself: its failure is reported the same way
/// (once), and the connection is recycled rather than left unwatched.
#[wasm_bindgen_test]
async fn a_failed_ping_is_reported_and_the_connection_recycled() {
    browser_test!(10_000, async {
        let spy = SocketSpy::start();
        spy.throw_once_on_send("ping");
        let mut events = started_and_open(reconnecting("/pong").heartbeat(Heartbeat::new(
            Duration::from_millis(50),
            Duration::from_millis(500),
        )))
        .await;
        let seen = until(&mut events, |e| *e == OPEN).await;
        assert!(
            matches!(&seen[..], [ReconnectEvent::Error(Error::Js { .. }), ReconnectEvent::Disconnected { close: ev, .. }, ReconnectEvent::Status(ReconnectStatus::Waiting { attempt: 2, .. }), c, OPEN] if ev.code == CloseCode::SEND_FAILED && *c == connecting(2)),
            "{seen:?}"
        );
    });
}

/// As a `Sink`, a 64 MiB flood never puts more than the high-water mark plus one message in the
/// browser, and nothing piles up in the queue either: `poll_ready` waits for the mark.
#[wasm_bindgen_test]
async fn the_sink_holds_the_high_water_mark_under_a_64_mib_flood() {
    let id = tag("reconnect-flood");
    browser_test!(120_000, async {
        let target = url(&format!("/slow-reader?ms=5&id={id}"));
        let mut socket = open_socket(ReconnectingSocket::builder(move || {
            WebSocket::builder(target.clone()).high_water_mark(MIB)
        }))
        .await;
        let chunk = vec![0xa5u8; MIB as usize];
        let mut highest = 0;
        for _ in 0..64 {
            socket.feed(Message::Binary(chunk.clone())).await.unwrap();
            highest = highest.max(socket.buffered_amount());
            assert!(
                socket.buffered_amount() <= 2 * MIB,
                "{} bytes buffered",
                socket.buffered_amount()
            );
            assert_eq!(socket.queued(), 0);
        }
        socket.flush().await.unwrap();
        assert!(
            highest > MIB,
            "the buffer never reached the mark (highest {highest})"
        );
        SinkExt::close(&mut socket).await.unwrap();
        let s = stats(&id).await;
        assert_eq!(
            (s.num("messages"), s.num("bytes")),
            (64.0, f64::from(64 * MIB))
        );
        assert_eq!(s.num("close_code"), 1000.0);
    });
}

/// Disconnected, the sink accepts what the queue has room for, then waits; the waiting message
/// goes once a connection has taken the queue, in order.
#[wasm_bindgen_test]
async fn while_disconnected_the_sink_waits_for_room_in_the_queue() {
    let id = tag("sink-queue");
    browser_test!(10_000, async {
        let mut socket = reconnecting(&format!("/echo?id={id}"))
            .connect_on_start(false)
            .queue(2, QueuePolicy::RejectNew)
            .start()
            .unwrap();
        socket.feed(text("1")).await.unwrap();
        socket.feed(text("2")).await.unwrap();
        assert_eq!(socket.queued(), 2);
        let mut third = Box::pin(async {
            socket.send(text("3")).await.unwrap();
        });
        assert!(
            futures::poll!(third.as_mut()).is_pending(),
            "a full queue must make the sink wait"
        );
        // Nothing makes room in the queue, so it must still wait; an absence has no event to
        // await, hence a window for a wrong wake-up.
        sleep(50).await;
        assert!(futures::poll!(third.as_mut()).is_pending());
        drop(third);
        socket.reconnect().unwrap();
        socket.send(text("3")).await.unwrap();
        for t in ["1", "2", "3"] {
            assert_eq!(socket.next().await.unwrap().unwrap(), text(t));
        }
        drop(socket);
        assert_eq!(stats(&id).await.strings("texts"), ["1", "2", "3"]);
    });
}

/// Disconnected, the queue holds 16 MiB by default, however few the messages: sixteen 1 MiB
/// messages fill it, the seventeenth is given back. With no byte bound, the count alone
/// decides.
#[wasm_bindgen_test]
async fn the_send_queue_is_bounded_by_bytes_by_default() {
    browser_test!(10_000, async {
        let mib = || Message::Binary(vec![7; 1 << 20]);
        let socket = reconnecting("/echo")
            .connect_on_start(false)
            .start()
            .unwrap();
        for i in 0..16 {
            socket
                .try_send(mib())
                .unwrap_or_else(|e| panic!("message {i}: {e}"));
        }
        let refused = socket.try_send(mib()).unwrap_err();
        assert_eq!(
            refused.error(),
            &Error::QueueFull {
                capacity: 1_000,
                max_bytes: 16 << 20
            }
        );
        assert_eq!(refused.into_inner(), mib(), "given back");
        assert_eq!(socket.queued(), 16);
        let unbounded = reconnecting("/echo")
            .connect_on_start(false)
            .queue_bytes(usize::MAX)
            .start()
            .unwrap();
        for _ in 0..20 {
            unbounded.try_send(mib()).unwrap();
        }
        assert_eq!(unbounded.queued(), 20);
    });
}

/// With `DropOldest` a full queue never makes the sink wait: the oldest message makes room.
#[wasm_bindgen_test]
async fn with_drop_oldest_the_sink_never_waits_while_disconnected() {
    browser_test!(10_000, async {
        let mut socket = reconnecting("/echo")
            .connect_on_start(false)
            .queue(2, QueuePolicy::DropOldest)
            .start()
            .unwrap();
        for i in 0..5 {
            socket.send(text(&i.to_string())).await.unwrap();
        }
        assert_eq!(socket.take_unsent(), [text("3"), text("4")]);
    });
}

#[wasm_bindgen_test]
async fn send_text_send_binary_and_typed_values_go_through() {
    browser_test!(10_000, async {
        let mut socket = open_socket(reconnecting("/echo")).await;
        socket.send_text("hé").await.unwrap();
        socket.send_binary(&[1, 2, 3]).await.unwrap();
        assert_eq!(socket.next().await.unwrap(), Ok(text("hé")));
        assert_eq!(
            socket.next().await.unwrap(),
            Ok(Message::Binary(vec![1, 2, 3]))
        );
        let mut typed = socket.typed(Json::<Vec<u32>>::new());
        typed.send(vec![4, 5]).await.unwrap();
        assert_eq!(typed.next().await.unwrap(), Ok(vec![4, 5]));
    });
}
