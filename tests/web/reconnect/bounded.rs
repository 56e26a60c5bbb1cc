//! What a reconnecting socket holds for a reader who does not keep up: received messages within
//! the connection's receive limit, recorded status changes and closes within their log's bound.

use futures::StreamExt;
use wasm_bindgen_test::wasm_bindgen_test;
use wasm_websocket::{
    CloseCode, ClosedBy, Error, GiveUpReason, Message, ReadyState, ReconnectEvent, ReconnectStatus,
    ReconnectingSocket, Untyped, WebSocket,
};

use super::*;

const LIMIT: usize = 1_000;

#[wasm_bindgen_test]
async fn a_slow_reader_of_a_burst_never_holds_more_than_the_receive_limit() {
    let id = tag("bounded");
    browser_test!(60_000, async {
        let target = url(&format!("/burst?n=100000&id={id}"));
        let socket = ReconnectingSocket::builder(move || {
            WebSocket::builder(target.clone()).receive_limit(LIMIT)
        })
        .backoff(fast())
        .should_reconnect(|ev| ev.code != CloseCode::RECEIVE_BUFFER_FULL)
        .start()
        .unwrap();
        // Nobody reads while the burst arrives: the limit trips for sure, and the socket ends.
        until_status(&socket, |s| matches!(s, ReconnectStatus::GaveUp(_))).await;
        let mut events = socket.events(Untyped);
        let (mut most, mut texts, mut errors) = (0, 0, Vec::new());
        loop {
            most = most.max(events.socket().unread());
            match events.next().await {
                Some(ReconnectEvent::Message(Message::Text(t))) => {
                    assert!(errors.is_empty(), "{t} after {errors:?}");
                    assert_eq!(t, burst_text(texts, 0), "in order");
                    texts += 1;
                }
                Some(ReconnectEvent::Message(other)) => panic!("{other:?}"),
                Some(ReconnectEvent::Error(e)) => errors.push(e),
                Some(_) => {}
                None => break,
            }
        }
        assert!(most <= LIMIT, "held {most} unread, the limit is {LIMIT}");
        assert!((LIMIT..100_000).contains(&texts), "{texts} messages");
        assert!(
            matches!(&errors[..], [Error::ReceiveBufferFull { limit: LIMIT }, Error::GaveUp(GiveUpReason::ClosePolicy { close, by: ClosedBy::Socket })] if close.code == CloseCode::RECEIVE_BUFFER_FULL),
            "{errors:?}"
        );
        assert_eq!(stats(&id).await.num("close_code"), 4902.0);
    });
}

/// A connection closed because nobody read (4902) is not replaced while nobody reads: the next
/// would have no room and be closed at its first message, a connection per backoff step. Once
/// the reader has read, the socket connects again.
#[wasm_bindgen_test]
async fn an_unread_socket_closed_at_its_limit_waits_for_its_reader_before_reconnecting() {
    let id = tag("reader-behind");
    browser_test!(30_000, async {
        let target = url(&format!("/burst?n=100&id={id}"));
        let socket = ReconnectingSocket::builder(move || {
            WebSocket::builder(target.clone()).receive_limit(10)
        })
        .backoff(fast())
        .start()
        .unwrap();
        until_status(&socket, |s| *s == ReconnectStatus::ReaderBehind).await;
        // The one bounded window in the suite's reconnect tests: no event marks a storm that
        // did not happen. Fast backoff (20–100 ms) would make a connection every step.
        sleep(2_000).await;
        assert_eq!(stats(&id).await.num("connections"), 1.0);
        assert_eq!(socket.status(), ReconnectStatus::ReaderBehind);
        let mut events = socket.events(Untyped);
        let seen = until(&mut events, |e| *e == connecting(2)).await;
        let read = seen
            .iter()
            .filter(|e| matches!(e, ReconnectEvent::Message(_)))
            .count();
        assert!(read >= 5, "connected again after reading {read}: {seen:?}");
        until(&mut events, |e| *e == OPEN).await;
        assert_eq!(stats(&id).await.num("connections"), 2.0);
    });
}

/// `record_events(true)` on the connections' builder keeps nothing: the reconnecting socket
/// records its own lifecycle, and nobody could read a connection's log, which would grow by one
/// event per message for the connection's life.
#[wasm_bindgen_test]
async fn a_connection_builders_record_events_keeps_nothing_inside_a_reconnecting_socket() {
    browser_test!(20_000, async {
        let target = url("/echo");
        let held_before = wasm_websocket::recorded_events();
        let mut events = started_and_open(
            ReconnectingSocket::builder(move || {
                WebSocket::builder(target.clone()).record_events(true)
            })
            .backoff(fast()),
        )
        .await;
        for i in 0..500 {
            events.socket().try_send(text(&i.to_string())).unwrap();
        }
        for i in 0..500 {
            assert_eq!(received(&mut events).await, Ok(text(&i.to_string())));
        }
        assert_eq!(wasm_websocket::recorded_events(), held_before);
    });
}

/// Over 1,024 unread status changes and closes (350 `reconnect()`s of an open socket: each a
/// `Disconnected`, a `Connecting` and an `Open`), the reader gets the newest 1,024, after a
/// `Lagged` that counts the rest. Connections the socket ends itself: browsers slow down
/// connections after failed ones (Chromium per page, Firefox per address).
#[wasm_bindgen_test]
async fn an_unread_event_log_keeps_the_newest_and_says_how_many_it_let_go() {
    const CYCLES: u64 = 350;
    browser_test!(60_000, async {
        let socket = reconnecting("/echo").start().unwrap();
        until_status(&socket, |s| *s == ReconnectStatus::Open).await;
        for _ in 0..CYCLES {
            socket.reconnect().unwrap();
            // Closing at once (the status says open until the socket's task runs); open again
            // once the next connection is.
            awaited("open again", 5_000, async {
                while socket.ready_state() != ReadyState::Open {
                    sleep(1).await;
                }
            })
            .await;
        }
        socket.close().unwrap();
        until_status(&socket, |s| matches!(s, ReconnectStatus::GaveUp(_))).await;
        let events: Vec<ReconnectEvent> = socket.events(Untyped).collect().await;
        // The first `Connecting` and `Open`, 3 a cycle, then the close's `Disconnected` and
        // `GaveUp`.
        let recorded = 2 + 3 * CYCLES + 2;
        assert_eq!(events.len(), 1 + 1_024, "{:?}", &events[..3]);
        assert_eq!(
            events[0],
            ReconnectEvent::Lagged {
                skipped: recorded - 1_024
            }
        );
        assert!(
            matches!(
                &events[events.len() - 2..],
                [
                    ReconnectEvent::Disconnected {
                        by: ClosedBy::User,
                        ..
                    },
                    GAVE_UP_CLOSED
                ]
            ),
            "{:?}",
            &events[events.len() - 2..]
        );
    });
}
