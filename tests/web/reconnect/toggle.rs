//! The lifecycle an app drives: disconnect, connect again, any number of times on one socket;
//! and what it refuses, given back.

use futures::{FutureExt, StreamExt};
use wasm_bindgen_test::wasm_bindgen_test;
use wasm_websocket::reconnect::QueuePolicy;
use wasm_websocket::{
    Backoff, ClosedBy, Error, ReadyState, ReconnectEvent, ReconnectStatus, Untyped,
};

use super::*;

#[wasm_bindgen_test]
async fn one_socket_disconnects_and_connects_again_with_what_was_queued() {
    let id = tag("toggle");
    browser_test!(20_000, async {
        let mut events = started_and_open(reconnecting(&format!("/echo?id={id}"))).await;
        // The socket's controls, while `events` reads it.
        let socket = events.socket().handle();
        for round in 0..3 {
            socket.disconnect().unwrap();
            let seen = until(&mut events, |e| *e == IDLE).await;
            assert!(
                matches!(
                    &seen[..],
                    [
                        ..,
                        ReconnectEvent::Disconnected {
                            by: ClosedBy::User,
                            ..
                        },
                        IDLE
                    ]
                ),
                "{seen:?}"
            );
            assert_eq!(socket.status(), ReconnectStatus::Idle);
            let queued = text(&format!("queued {round}"));
            socket.try_send(queued.clone()).unwrap();
            assert_eq!(socket.queued(), 1);
            assert!(
                events.next().now_or_never().is_none(),
                "no attempt while idle"
            );
            socket.connect().unwrap();
            until(&mut events, |e| *e == OPEN).await;
            assert_eq!(events.next().await, Some(ReconnectEvent::Message(queued)));
        }
        socket.close().unwrap();
        assert_eq!(socket.connect(), Err(Error::NotOpen(ReadyState::Closed)));
        assert_eq!(socket.reconnect(), Err(Error::NotOpen(ReadyState::Closed)));
        assert_eq!(socket.disconnect(), Err(Error::NotOpen(ReadyState::Closed)));
        drop(events);
        let s = stats(&id).await;
        assert_eq!(s.num("connections"), 4.0);
        assert_eq!(s.strings("texts"), ["queued 0", "queued 1", "queued 2"]);
    });
}

/// `disconnect()` and `connect()` at once (before the socket's task has run) connect again at
/// once: the user's close goes to no close policy.
#[wasm_bindgen_test]
async fn disconnect_then_connect_at_once_reconnects_whatever_the_policy() {
    browser_test!(10_000, async {
        let mut events = started_and_open(reconnecting("/echo").should_reconnect(|_| false)).await;
        events.socket().disconnect().unwrap();
        events.socket().connect().unwrap();
        let seen = until(&mut events, |e| *e == OPEN).await;
        assert!(
            matches!(
                &seen[..],
                [
                    ReconnectEvent::Disconnected {
                        by: ClosedBy::User,
                        ..
                    },
                    ReconnectEvent::Status(ReconnectStatus::Connecting { attempt: 2 }),
                    ReconnectEvent::Status(ReconnectStatus::Open)
                ]
            ),
            "{seen:?}"
        );
        // And `reconnect()` right after `disconnect()` connects, as on an idle socket.
        events.socket().disconnect().unwrap();
        events.socket().reconnect().unwrap();
        until(&mut events, |e| *e == OPEN).await;
    });
}

/// `disconnect()` during the backoff wait stops retrying; `connect()` starts the schedule over.
#[wasm_bindgen_test]
async fn disconnecting_while_waiting_stops_retrying_until_connect() {
    browser_test!(10_000, async {
        let mut events = refused(10).start().unwrap().events(Untyped);
        until(&mut events, |e| {
            matches!(e.status(), Some(ReconnectStatus::Waiting { .. }))
        })
        .await;
        events.socket().disconnect().unwrap();
        until(&mut events, |e| *e == IDLE).await;
        assert!(
            events.next().now_or_never().is_none(),
            "no attempt while idle"
        );
        events.socket().connect().unwrap();
        let seen = until(&mut events, |e| {
            matches!(e.status(), Some(ReconnectStatus::Connecting { .. }))
        })
        .await;
        assert!(
            matches!(
                seen[..],
                [ReconnectEvent::Status(ReconnectStatus::Connecting { .. })]
            ),
            "{seen:?}"
        );
    });
}

#[wasm_bindgen_test]
async fn every_refused_message_is_given_back() {
    browser_test!(10_000, async {
        let socket = reconnecting("/echo")
            .connect_on_start(false)
            .queue(1, QueuePolicy::RejectNew)
            .start()
            .unwrap();
        socket.try_send(text("first")).unwrap();
        let full = socket.handle().try_send(text("second")).unwrap_err();
        assert_eq!(
            full.into_parts(),
            (
                Error::QueueFull {
                    capacity: 1,
                    max_bytes: ReconnectBuilder::DEFAULT_QUEUE_BYTES
                },
                text("second")
            )
        );
        socket.close().unwrap();
        let closed = socket.try_send(text("late")).unwrap_err();
        assert_eq!(
            closed.into_parts(),
            (Error::NotOpen(ReadyState::Closed), text("late"))
        );

        let mut gave_up = refused(0).start().unwrap().events(Untyped);
        let _: Vec<ReconnectEvent> = (&mut gave_up).collect().await;
        let refused = gave_up.socket().try_send(text("after")).unwrap_err();
        assert!(matches!(refused.error(), Error::GaveUp(_)), "{refused:?}");
        assert_eq!(refused.into_inner(), text("after"));
    });
}

/// A fixed backoff with a floor waits exactly its interval between attempts.
#[wasm_bindgen_test]
async fn a_fixed_backoff_waits_the_same_every_time() {
    browser_test!(10_000, async {
        let interval = std::time::Duration::from_millis(40);
        let socket = refused(3)
            .backoff(Backoff::fixed(interval))
            .start()
            .unwrap();
        let events: Vec<ReconnectEvent> = socket.events(Untyped).collect().await;
        assert_eq!(scheduled_delays(&events), [interval; 3]);
    });
}
