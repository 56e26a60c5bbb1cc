//! Watching and steering a reconnecting socket: status, ready state, `reconnect()`, starting
//! idle, and an async provider.

use std::cell::Cell;
use std::rc::Rc;

use futures::StreamExt;
use wasm_bindgen_test::wasm_bindgen_test;
use wasm_websocket::{
    CloseCode, Error, GiveUpReason, Message, ReadyState, ReconnectEvent, ReconnectStatus,
    ReconnectingSocket, Untyped, WebSocket,
};

use super::*;
use crate::spy::SocketSpy;

#[wasm_bindgen_test]
async fn status_and_ready_state_follow_the_connection() {
    let id = tag("status");
    browser_test!(10_000, async {
        let socket = reconnecting(&format!("/flaky?up_ms=200&id={id}"))
            .start()
            .unwrap();
        assert_eq!(socket.status(), ReconnectStatus::Connecting { attempt: 1 });
        assert_eq!(socket.ready_state(), ReadyState::Connecting);
        let mut events = socket.events(Untyped);
        until(&mut events, |e| *e == OPEN).await;
        assert_eq!(events.socket().status(), ReconnectStatus::Open);
        assert_eq!(events.socket().ready_state(), ReadyState::Open);
        let seen = until(&mut events, |e| {
            matches!(e.status(), Some(ReconnectStatus::Waiting { .. }))
        })
        .await;
        let waiting = seen.last().and_then(ReconnectEvent::status).cloned();
        assert_eq!(Some(events.socket().status()), waiting);
        assert_eq!(events.socket().ready_state(), ReadyState::Connecting);
        events.socket().close().unwrap();
        let _: Vec<ReconnectEvent> = (&mut events).collect().await;
        let socket = events.socket();
        assert_eq!(
            socket.status(),
            ReconnectStatus::GaveUp(GiveUpReason::Closed { dropped: false })
        );
        assert_eq!(socket.ready_state(), ReadyState::Closed);
        assert_eq!(socket.reconnect(), Err(Error::NotOpen(ReadyState::Closed)));
    });
}

/// Started idle, the socket says so (an `Idle` event, not "connecting"), makes no attempt and
/// queues until `connect()`.
#[wasm_bindgen_test]
async fn started_idle_it_connects_only_when_asked() {
    let id = tag("idle");
    browser_test!(10_000, async {
        let mut events = reconnecting(&format!("/echo?id={id}"))
            .connect_on_start(false)
            .start()
            .unwrap()
            .events(Untyped);
        events.socket().try_send(text("early")).unwrap();
        let seen = until(&mut events, |e| *e == IDLE).await;
        assert_eq!(seen, [IDLE]);
        assert_eq!(events.socket().status(), ReconnectStatus::Idle);
        // None may reach the server before `connect()`: an absence has no event to await (the
        // `Idle` status came first), hence a window for a wrong attempt.
        sleep(200).await;
        assert_eq!(stats_now(&id).await.num("connections"), 0.0);
        events.socket().connect().unwrap();
        let seen = until(&mut events, |e| *e == OPEN).await;
        assert_eq!(seen, [connecting(1), OPEN]);
        assert_eq!(
            events.next().await,
            Some(ReconnectEvent::Message(text("early")))
        );
    });
}

/// `reconnect()` on an open socket closes it with 1000 and connects again at once, even where
/// the close policy would say no and the backoff would wait a minute.
#[wasm_bindgen_test]
async fn reconnect_while_open_connects_again_at_once() {
    let id = tag("reconnect-now");
    browser_test!(10_000, async {
        let mut events = started_and_open(
            reconnecting(&format!("/echo?id={id}"))
                .backoff(wasm_websocket::Backoff::new(
                    std::time::Duration::from_secs(60),
                    1.0,
                    std::time::Duration::from_secs(60),
                ))
                .should_reconnect(|_| false),
        )
        .await;
        events.socket().reconnect().unwrap();
        let seen = until(&mut events, |e| *e == OPEN).await;
        assert!(
            matches!(&seen[..], [ReconnectEvent::Disconnected { close: ev, .. }, c, OPEN] if ev.code == CloseCode::NORMAL && *c == connecting(2)),
            "{seen:?}"
        );
        drop(events);
        assert_eq!(stats(&id).await.num("connections"), 2.0);
    });
}

/// `reconnect()` while waiting out a long backoff starts the attempt now.
#[wasm_bindgen_test]
async fn reconnect_while_waiting_skips_the_backoff() {
    browser_test!(10_000, async {
        let socket = refused(5)
            .backoff(wasm_websocket::Backoff::new(
                std::time::Duration::from_secs(60),
                1.0,
                std::time::Duration::from_secs(60),
            ))
            .jitter_seed(7)
            .start()
            .unwrap();
        let mut events = socket.events(Untyped);
        until(&mut events, |e| {
            matches!(e.status(), Some(ReconnectStatus::Waiting { .. }))
        })
        .await;
        events.socket().reconnect().unwrap();
        until(&mut events, |e| *e == connecting(2)).await;
    });
}

/// An async provider is awaited before every attempt, so each can use a fresh token.
#[wasm_bindgen_test]
async fn an_async_provider_is_awaited_before_each_attempt() {
    let id = tag("async-provider");
    browser_test!(10_000, async {
        let calls = Rc::new(Cell::new(0u32));
        let counter = calls.clone();
        let id2 = id.clone();
        let socket = ReconnectingSocket::builder_async(move || {
            let counter = counter.clone();
            let id = id2.clone();
            async move {
                sleep(30).await; // fetching a token
                counter.set(counter.get() + 1);
                WebSocket::builder(url(&format!(
                    "/flaky?up_ms=100&id={id}&token={}",
                    counter.get()
                )))
            }
        })
        .backoff(fast())
        .start()
        .unwrap();
        let mut events = socket.events(Untyped);
        until(&mut events, |e| *e == OPEN).await;
        until(&mut events, |e| *e == OPEN).await;
        assert_eq!(calls.get(), 2);
        drop(events);
        assert_eq!(stats(&id).await.num("connections"), 2.0);
    });
}

/// Dropped while its provider waits, the socket makes no attempt.
#[wasm_bindgen_test]
async fn dropping_while_the_provider_waits_makes_no_attempt() {
    browser_test!(10_000, async {
        let finished = Rc::new(Cell::new(false));
        let flag = finished.clone();
        let alive = Rc::new(());
        let held = alive.clone();
        let (asked_tx, mut asked) = futures::channel::mpsc::unbounded();
        let socket = ReconnectingSocket::builder_async(move || {
            let flag = flag.clone();
            let held = held.clone();
            let _ = asked_tx.unbounded_send(());
            async move {
                let _held = held;
                sleep(200).await;
                flag.set(true);
                WebSocket::builder(url("/echo"))
            }
        })
        .start()
        .unwrap();
        let handle = socket.handle();
        let mut events = socket.events(Untyped);
        // Dropped once the provider has been asked and its future waits.
        asked.next().await;
        assert_eq!(events.next().await, Some(connecting(1)));
        drop(events);
        drivers_ended().await;
        assert_eq!(handle.status(), GAVE_UP_DROPPED);
        assert_eq!(
            Rc::strong_count(&alive),
            1,
            "the provider's future outlived the socket"
        );
        assert!(!finished.get(), "the provider's future ran to its end");
    });
}

/// An `online` event while connected only wakes a waiting attempt: it does not make the next
/// close skip the close policy.
#[wasm_bindgen_test]
async fn an_online_event_while_open_does_not_override_the_close_policy() {
    let id = tag("online-open");
    browser_test!(10_000, async {
        let events = started_and_open(
            reconnecting(&format!("/flaky?up_ms=300&id={id}")).should_reconnect(|_| false),
        )
        .await;
        let online = web_sys::Event::new("online").unwrap();
        global_scope().dispatch_event(&online).unwrap();
        let rest: Vec<ReconnectEvent> = events.collect().await;
        assert!(
            matches!(
                &rest[..],
                [
                    ReconnectEvent::Disconnected { .. },
                    ReconnectEvent::Error(Error::GaveUp(GiveUpReason::ClosePolicy { .. })),
                    ReconnectEvent::Status(ReconnectStatus::GaveUp(
                        GiveUpReason::ClosePolicy { .. }
                    ))
                ]
            ),
            "{rest:?}"
        );
        assert_eq!(stats(&id).await.num("connections"), 1.0);
    });
}

/// A handle, cloned into handlers, sends through the socket while one task reads it; once the
/// socket is dropped, its sends fail instead of queueing for nobody.
#[wasm_bindgen_test]
async fn a_cloned_handle_sends_while_the_socket_lives_and_fails_after() {
    browser_test!(10_000, async {
        let mut events = started_and_open(reconnecting("/echo")).await;
        let handle = events.socket().handle();
        let clone = handle.clone();
        clone.try_send(text("from a handler")).unwrap();
        handle.send(text("awaited")).await.unwrap();
        assert_eq!(received(&mut events).await, Ok(text("from a handler")));
        assert_eq!(received(&mut events).await, Ok(text("awaited")));
        assert_eq!(handle.status(), ReconnectStatus::Open);
        drop(events);
        assert_eq!(
            clone.try_send(text("late")).map_err(Error::from),
            Err(Error::NotOpen(ReadyState::Closed))
        );
    });
}

/// The selected subprotocol, the queue and the buffer are readable on the socket and its
/// handles alike, and tell what the browser's own socket says.
#[wasm_bindgen_test]
async fn protocol_queued_and_buffered_amount_are_readable_from_a_handle() {
    browser_test!(10_000, async {
        let spy = SocketSpy::start();
        let target = url("/protocol?select=v2");
        let socket = ReconnectingSocket::builder(move || {
            WebSocket::builder(target.clone()).protocols(["v2"])
        })
        .connect_on_start(false)
        .start()
        .unwrap();
        let handle = socket.handle();
        handle.try_send(text("queued")).unwrap();
        assert_eq!((handle.protocol(), handle.queued()), (String::new(), 1));
        let mut events = socket.events(Untyped);
        events.socket().connect().unwrap();
        until(&mut events, |e| *e == OPEN).await;
        // Its echo: the queue was handed over, so the next send goes to the browser at once.
        assert_eq!(received(&mut events).await, Ok(text("queued")));
        let socket = events.socket();
        assert_eq!(socket.protocol(), "v2");
        assert_eq!(handle.protocol(), "v2");
        socket.try_send(Message::Binary(vec![7; MIB])).unwrap();
        // Read in the same turn of the event loop as the send: the browser lowers
        // `bufferedAmount` only between turns, so all three see the whole message.
        let browser = spy.last_socket().buffered_amount();
        assert!(browser >= MIB as u32, "the browser holds {browser} bytes");
        assert_eq!(
            (handle.buffered_amount(), socket.buffered_amount()),
            (browser, browser)
        );
    });
}

const MIB: usize = 1 << 20;
