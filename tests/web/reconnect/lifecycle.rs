//! The reconnecting socket's life: reconnects, closes, give-ups, the heartbeat, `online`, leaks.

use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

use futures::future::{select, Either};
use futures::{SinkExt, StreamExt};
use wasm_bindgen_test::wasm_bindgen_test;
use wasm_websocket::{
    Backoff, CloseCode, ClosedBy, Error, GiveUpReason, Heartbeat, Json, Message, ReconnectEvent,
    ReconnectStatus, ReconnectingSocket, Untyped, WebSocket,
};

use super::*;

#[wasm_bindgen_test]
async fn after_a_server_drop_it_reconnects_and_flushes_the_queue_in_order() {
    let id = tag("flaky");
    browser_test!(20_000, async {
        let mut events = reconnecting(&format!("/flaky?up_ms=400&id={id}"))
            .start()
            .unwrap()
            .events(Untyped);
        let texts = |prefix: &str, n: usize| -> Vec<Message> {
            (0..n)
                .map(|i| Message::Text(format!("{prefix}{i}")))
                .collect()
        };
        // Sent before the first connection: queued, then flushed in order.
        for m in texts("m", 5) {
            events.socket().try_send(m).unwrap();
        }
        let seen = until(&mut events, |e| {
            matches!(e, ReconnectEvent::Disconnected { .. })
        })
        .await;
        assert_eq!(seen[..2], [connecting(1), OPEN]);
        assert_eq!(messages(&seen), texts("m", 5), "{seen:?}");
        // Sent while disconnected: queued for the next connection.
        for m in texts("q", 3) {
            events.socket().try_send(m).unwrap();
        }
        let seen = until(&mut events, |e| *e == ReconnectEvent::Message(text("q2"))).await;
        assert!(
            matches!(
                seen[0],
                ReconnectEvent::Status(ReconnectStatus::Waiting { attempt: 2, .. })
            ),
            "{seen:?}"
        );
        let opened = seen.iter().position(|e| *e == OPEN).expect("an open");
        assert_eq!(messages(&seen[opened..]), texts("q", 3), "{seen:?}");
        events.socket().close().unwrap();
        // The stream ends after a user close.
        let rest: Vec<ReconnectEvent> = events.collect().await;
        assert_eq!(rest.last(), Some(&GAVE_UP_CLOSED));
        let s = stats(&id).await;
        assert_eq!(s.num("connections"), 2.0);
        assert_eq!(
            s.strings("texts"),
            ["m0", "m1", "m2", "m3", "m4", "q0", "q1", "q2"]
        );
    });
}

#[wasm_bindgen_test]
async fn a_user_close_never_reconnects() {
    let id = tag("user-close");
    browser_test!(10_000, async {
        let events = started_and_open(reconnecting(&format!("/echo?id={id}"))).await;
        let socket = events.socket();
        socket.close_with(CloseCode::from(4100), "bye").unwrap();
        assert_eq!(
            socket.try_send(text("late")).map_err(Error::from),
            Err(Error::NotOpen(wasm_websocket::ReadyState::Closed))
        );
        let rest: Vec<ReconnectEvent> = events.collect().await;
        assert!(
            matches!(&rest[..], [ReconnectEvent::Disconnected { close: ev, .. }, GAVE_UP_CLOSED] if ev.code.as_u16() == 4100),
            "{rest:?}"
        );
        // Nothing is left that could reconnect.
        awaited(
            "the driver ends once the socket gave up",
            3_000,
            drivers_ended(),
        )
        .await;
        let s = stats(&id).await;
        assert_eq!((s.num("connections"), s.num("close_code")), (1.0, 4100.0));
    });
}

/// The policy sees the peer's own code, even when queued messages are being flushed as the peer
/// closes (a send into its closing handshake is no failure of the socket's).
#[wasm_bindgen_test]
async fn the_close_policy_is_honoured_for_a_final_code() {
    let id = tag("final");
    browser_test!(10_000, async {
        let socket = reconnecting(&format!("/close?code=4001&reason=banned&id={id}"))
            .should_reconnect(|ev| ev.code != CloseCode::from(4001))
            .start()
            .unwrap();
        for i in 0..200 {
            socket.try_send(Message::Text(format!("q{i}"))).unwrap();
        }
        let events: Vec<ReconnectEvent> = socket.events(Untyped).collect().await;
        let policy = |close: &wasm_websocket::CloseEvent| GiveUpReason::ClosePolicy {
            close: close.clone(),
            by: ClosedBy::Peer,
        };
        assert!(
            matches!(&events[..], [c, OPEN, ReconnectEvent::Disconnected { close: ev, by: ClosedBy::Peer }, ReconnectEvent::Error(Error::GaveUp(why)), ReconnectEvent::Status(ReconnectStatus::GaveUp(last))] if *c == connecting(1) && ev.code.as_u16() == 4001 && ev.reason == "banned" && *why == policy(ev) && *last == policy(ev)),
            "{events:?}"
        );
        assert_eq!(stats(&id).await.num("connections"), 1.0);
    });
}

#[wasm_bindgen_test]
async fn the_retry_limit_ends_in_gave_up_and_the_provider_runs_per_attempt() {
    browser_test!(20_000, async {
        let calls = Rc::new(Cell::new(0u32));
        let counter = calls.clone();
        // A port of its own per attempt: Firefox delays repeated failures to one host:port.
        let socket = ReconnectingSocket::builder(move || {
            counter.set(counter.get() + 1);
            WebSocket::builder(format!("ws://127.0.0.1:{}/", 51_000 + counter.get()))
        })
        .backoff(fast())
        .max_retries(3)
        .start()
        .unwrap();
        let events: Vec<ReconnectEvent> = socket.events(Untyped).collect().await;
        assert_eq!(
            calls.get(),
            4,
            "one call per attempt: the first and 3 retries"
        );
        let connecting: Vec<u32> = events
            .iter()
            .filter_map(|e| match e.status() {
                Some(ReconnectStatus::Connecting { attempt }) => Some(*attempt),
                _ => None,
            })
            .collect();
        assert_eq!(connecting, [1, 2, 3, 4]);
        let delays = scheduled_delays(&events);
        assert_eq!(delays.len(), 3);
        for (n, d) in delays.iter().enumerate() {
            assert!(*d <= fast().ceiling(n as u32), "retry {n}: {d:?}");
        }
        assert!(
            matches!(events.last().and_then(ReconnectEvent::status), Some(ReconnectStatus::GaveUp(GiveUpReason::RetryLimit { retries: 3, last })) if matches!(**last, Error::ConnectFailed(_))),
            "{events:?}"
        );
        assert!(!events.contains(&OPEN));
    });
}

/// After each pong the next ping is one interval away, also when the interval is shorter than
/// the timeout (100 ms against 10 s): five pings go in about half a second, not 40.
#[wasm_bindgen_test]
async fn after_a_pong_the_next_ping_waits_one_interval_not_the_timeout() {
    let id = tag("ping-interval");
    browser_test!(20_000, async {
        let events = started_and_open(reconnecting(&format!("/pong?id={id}")).heartbeat(
            Heartbeat::new(Duration::from_millis(100), Duration::from_secs(10)),
        ))
        .await;
        let pings = |s: &Stats| s.strings("texts").iter().filter(|t| *t == "ping").count();
        until_stats(&id, "five pings", 5_000, |s| pings(s) >= 5).await;
        drop(events);
    });
}

#[wasm_bindgen_test]
async fn the_heartbeat_detects_a_silent_peer_and_keeps_a_live_one() {
    let (id, live) = (tag("silent"), tag("answering"));
    browser_test!(80_000, async {
        within(10_000, async {
            let started = js_sys::Date::now();
            let socket = reconnecting(&format!("/silent?id={id}"))
                .heartbeat(Heartbeat::new(Duration::from_millis(100), Duration::from_millis(300)))
                .should_reconnect(|ev| ev.code != CloseCode::HEARTBEAT_TIMEOUT)
                .start()
                .unwrap();
            let events: Vec<ReconnectEvent> = socket.events(Untyped).collect().await;
            let took = js_sys::Date::now() - started;
            assert!(
                matches!(&events[..], [_, OPEN, ReconnectEvent::Disconnected { close: ev, .. }, ReconnectEvent::Error(Error::GaveUp(GiveUpReason::ClosePolicy { .. })), ReconnectEvent::Status(ReconnectStatus::GaveUp(GiveUpReason::ClosePolicy { .. }))] if ev.code == CloseCode::HEARTBEAT_TIMEOUT),
                "{events:?}"
            );
            assert!(took < 3_000.0, "detected after {took} ms");
            let s = stats(&id).await;
            assert_eq!(s.strings("texts"), ["ping"]);
            assert_eq!(s.num("close_code"), 4900.0);
        })
        .await;
        within(10_000, async {
            let mut events = started_and_open(reconnecting(&format!("/pong?id={live}")).heartbeat(
                Heartbeat::new(Duration::from_millis(250), Duration::from_millis(500)),
            ))
            .await;
            // Four pings are three intervals apart at least: longer than the pong timeout, so a
            // heartbeat that wrongly gave up on a peer that answers would have done so. Nothing
            // may come to the reader meanwhile.
            let pings = |s: &Stats| s.strings("texts").iter().filter(|t| *t == "ping").count();
            let four = until_stats(&live, "four pings", 8_000, |s| pings(s) >= 4);
            if let Either::Right((event, _)) = select(Box::pin(four), events.next()).await {
                panic!("while the pings went: {event:?}");
            }
            assert_eq!(stats_now(&live).await.num("connections"), 1.0);
            events.socket().try_send(text("still here")).unwrap();
            // Pongs are consumed, and the connection stayed: the next event is the echo.
            assert_eq!(
                events.next().await,
                Some(ReconnectEvent::Message(text("still here")))
            );
            events.socket().close().unwrap();
            let rest: Vec<ReconnectEvent> = events.collect().await;
            assert!(scheduled_delays(&rest).is_empty(), "{rest:?}");
        })
        .await;
    });
}

/// After `wake`, an attempt waiting out a 60 s backoff starts at once.
async fn a_wake_up_starts_a_waiting_attempt_at_once(wake: WakeUp, id: &str) {
    let socket = reconnecting(&format!("/flaky?up_ms=100&id={id}"))
        .backoff(Backoff::new(
            Duration::from_secs(60),
            1.0,
            Duration::from_secs(60),
        ))
        .jitter_seed(7)
        .start()
        .unwrap();
    let mut events = socket.events(Untyped);
    let seen = until(&mut events, |e| {
        matches!(e.status(), Some(ReconnectStatus::Waiting { .. }))
    })
    .await;
    assert!(
        matches!(scheduled_delays(&seen)[..], [delay] if delay > Duration::from_secs(1)),
        "{seen:?}"
    );
    let started = js_sys::Date::now();
    wake.fire();
    until(&mut events, |e| *e == OPEN).await;
    assert!(js_sys::Date::now() - started < 2_000.0);
}

#[wasm_bindgen_test]
async fn the_online_event_starts_a_waiting_attempt_at_once() {
    let id = tag("online");
    browser_test!(
        10_000,
        a_wake_up_starts_a_waiting_attempt_at_once(WakeUp::Online, &id)
    );
}

#[wasm_bindgen_test]
async fn becoming_visible_starts_a_waiting_attempt_at_once() {
    let id = tag("visible");
    browser_test!(
        10_000,
        a_wake_up_starts_a_waiting_attempt_at_once(WakeUp::Visible, &id)
    );
}

#[wasm_bindgen_test]
async fn coming_back_from_the_page_cache_starts_a_waiting_attempt_at_once() {
    let id = tag("pageshow");
    browser_test!(
        10_000,
        a_wake_up_starts_a_waiting_attempt_at_once(WakeUp::BackFromCache, &id)
    );
}

#[wasm_bindgen_test]
async fn resuming_a_frozen_page_starts_a_waiting_attempt_at_once() {
    let id = tag("resume");
    browser_test!(
        10_000,
        a_wake_up_starts_a_waiting_attempt_at_once(WakeUp::Resumed, &id)
    );
}

#[wasm_bindgen_test]
async fn two_hundred_reconnect_cycles_leave_no_listener_or_timer_behind() {
    let id = tag("cycles");
    browser_test!(90_000, async {
        // Not 0: a failed earlier test may have left its sockets behind.
        let live_before = settled_live_callbacks().await;
        let socket = reconnecting(&format!("/flaky?up_ms=10&id={id}"))
            .backoff(Backoff::new(
                Duration::from_millis(1),
                1.0,
                Duration::from_millis(2),
            ))
            .max_retries(199)
            .start()
            .unwrap();
        let events: Vec<ReconnectEvent> = socket.events(Untyped).collect().await;
        // Attempts, not opens: when the 101 and the server's drop arrive together, Firefox
        // reports only the close (measured), which the socket counts as a failed attempt.
        let attempts = events
            .iter()
            .filter(|e| matches!(e.status(), Some(ReconnectStatus::Connecting { .. })))
            .count();
        assert_eq!(attempts, 200);
        let opens = events.iter().filter(|e| **e == OPEN).count();
        assert!(opens > 100, "{opens} opens");
        assert!(
            matches!(
                events.last().and_then(ReconnectEvent::status),
                Some(ReconnectStatus::GaveUp(GiveUpReason::RetryLimit {
                    retries: 199,
                    ..
                }))
            ),
            "{:?}",
            events.last()
        );
        assert_eq!(settled_live_callbacks().await, live_before);
        let s = stats(&id).await;
        assert_eq!((s.num("connections"), s.num("live_tagged")), (200.0, 0.0));
    });
}

#[wasm_bindgen_test]
async fn dropping_a_reconnecting_socket_stops_everything() {
    let id = tag("drop-reconnecting");
    browser_test!(10_000, async {
        // Not 0: a failed earlier test may have left its sockets behind.
        let live_before = settled_live_callbacks().await;
        let events = started_and_open(reconnecting(&format!("/echo?id={id}")).heartbeat(
            Heartbeat::new(Duration::from_millis(50), Duration::from_millis(500)),
        ))
        .await;
        let handle = events.socket().handle();
        // The events go with the socket they read.
        drop(events);
        assert_eq!(settled_live_callbacks().await, live_before);
        assert_eq!(handle.status(), GAVE_UP_DROPPED);
        let s = stats(&id).await;
        assert_eq!((s.num("live_tagged"), s.num("close_code")), (0.0, 1000.0));
    });
}

#[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
struct Chat {
    from: String,
    text: String,
}

#[wasm_bindgen_test]
async fn json_round_trips_and_a_bad_message_does_not_end_the_stream() {
    browser_test!(10_000, async {
        let mut chat = connected("/echo").await.typed(Json::<Chat>::new());
        let hello = Chat {
            from: "me".into(),
            text: "hé".into(),
        };
        chat.send(Chat {
            from: "me".into(),
            text: "hé".into(),
        })
        .await
        .unwrap();
        assert_eq!(chat.next().await.unwrap().unwrap(), hello);
        chat.socket().send_text("{not json").await.unwrap();
        chat.socket()
            .send_binary(br#"{"from":"bin","text":"ok"}"#)
            .await
            .unwrap();
        assert!(matches!(
            chat.next().await.unwrap(),
            Err(Error::Decode { .. })
        ));
        assert_eq!(
            chat.next().await.unwrap().unwrap(),
            Chat {
                from: "bin".into(),
                text: "ok".into()
            }
        );
    });
}

/// Closed or dropped while it waits for the browser to come back online, a reconnecting socket
/// ends there: no attempt starts and the provider is never asked for a builder.
#[wasm_bindgen_test]
async fn closing_or_dropping_while_offline_starts_no_attempt() {
    browser_test!(10_000, async {
        let _offline = Offline::force();
        let asked = Rc::new(Cell::new(0));
        for close in [true, false] {
            let counter = asked.clone();
            let socket = ReconnectingSocket::builder(move || {
                counter.set(counter.get() + 1);
                WebSocket::builder(url("/echo"))
            })
            .start()
            .unwrap();
            let handle = socket.handle();
            let mut events = socket.events(Untyped);
            let seen = until(&mut events, |e| e.status().is_some()).await;
            assert_eq!(
                seen,
                [ReconnectEvent::Status(ReconnectStatus::Offline)],
                "closed: {close}"
            );
            if close {
                events.socket().close().unwrap();
                let events: Vec<ReconnectEvent> = events.collect().await;
                assert_eq!(events, [GAVE_UP_CLOSED]);
            } else {
                drop(events);
                drivers_ended().await;
                assert_eq!(handle.status(), GAVE_UP_DROPPED);
            }
        }
        assert_eq!(asked.get(), 0);
    });
}

/// A consumer that reads only the message stream learns that the socket gave up, and why: the
/// last item is an error.
#[wasm_bindgen_test]
async fn giving_up_ends_the_message_stream_with_why() {
    browser_test!(10_000, async {
        let socket = refused(1).start().unwrap();
        let items: Vec<Result<Message, Error>> = socket.collect().await;
        assert!(
            matches!(&items[..], [Err(Error::GaveUp(GiveUpReason::RetryLimit { retries: 1, last }))] if matches!(**last, Error::ConnectFailed(_))),
            "{items:?}"
        );
        // A failure retrying cannot fix ends it at once, saying which.
        let socket = ReconnectingSocket::builder(|| WebSocket::builder("ftp://nowhere/"))
            .start()
            .unwrap();
        let items: Vec<Result<Message, Error>> = socket.collect().await;
        assert!(
            matches!(&items[..], [Err(Error::GaveUp(GiveUpReason::Fatal(e)))] if matches!(**e, Error::InvalidUrl { .. })),
            "{items:?}"
        );
    });
}
