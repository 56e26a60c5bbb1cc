//! What a reconnecting socket holds for a reader who does not keep up: received messages within
//! the connection's receive limit, recorded status changes and closes within their log's bound.

use futures::StreamExt;
use wasm_bindgen_test::wasm_bindgen_test;
use wasm_websocket::{
    CloseCode, ClosedBy, Error, GiveUpReason, Message, ReconnectEvent, ReconnectStatus,
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

/// Over 1,024 unread status changes and closes (401 refused attempts: each a `Connecting` and
/// a `Disconnected`, each retry a `Waiting`, then the `GaveUp`), the reader gets the newest
/// 1,024, after a `Lagged` that counts the rest.
#[wasm_bindgen_test]
async fn an_unread_event_log_keeps_the_newest_and_says_how_many_it_let_go() {
    const RETRIES: u32 = 400;
    browser_test!(60_000, async {
        // A port of its own per attempt: Firefox delays repeated failures to one host:port.
        let socket = ReconnectingSocket::builder(|| WebSocket::builder(refused_url()))
            .backoff(wasm_websocket::Backoff::fixed(
                std::time::Duration::from_millis(1),
            ))
            .max_retries(RETRIES)
            .start()
            .unwrap();
        until_status(&socket, |s| matches!(s, ReconnectStatus::GaveUp(_))).await;
        let events: Vec<ReconnectEvent> = socket.events(Untyped).collect().await;
        let attempts = u64::from(RETRIES) + 1;
        let recorded = 2 * attempts + u64::from(RETRIES) + 1;
        // The lag, the 1,024 kept, and the error that says why it gave up (not a log entry).
        assert_eq!(events.len(), 1 + 1_024 + 1, "{:?}", &events[..3]);
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
                    ReconnectEvent::Error(Error::GaveUp(GiveUpReason::RetryLimit { .. })),
                    ReconnectEvent::Status(ReconnectStatus::GaveUp(GiveUpReason::RetryLimit {
                        retries: RETRIES,
                        ..
                    }))
                ]
            ),
            "{:?}",
            &events[events.len() - 2..]
        );
    });
}
