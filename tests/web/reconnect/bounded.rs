//! What a reconnecting socket holds for a reader who does not keep up: received messages within
//! the connection's receive limit, recorded events within their log's bound.

use futures::StreamExt;
use wasm_bindgen_test::wasm_bindgen_test;
use wasm_websocket::{
    CloseCode, ClosedBy, Error, GiveUpReason, Message, ReconnectEvent, ReconnectingSocket,
    WebSocket,
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
        .record_events(true)
        .should_reconnect(|ev| ev.code != CloseCode::RECEIVE_BUFFER_FULL)
        .start()
        .unwrap();
        let mut socket = std::pin::pin!(socket);
        let mut events = socket.events().unwrap();
        // Nobody reads while the burst arrives: the limit trips for sure.
        until(&mut events, |e| {
            matches!(e, ReconnectEvent::Disconnected { .. })
        })
        .await;
        let (mut most, mut texts, mut errors) = (0, 0, Vec::new());
        loop {
            most = most.max(socket.unread());
            match socket.next().await {
                Some(Ok(Message::Text(t))) => {
                    assert!(errors.is_empty(), "{t} after {errors:?}");
                    assert_eq!(t, burst_text(texts, 0), "in order");
                    texts += 1;
                }
                Some(Ok(other)) => panic!("{other:?}"),
                Some(Err(e)) => errors.push(e),
                None => break,
            }
        }
        assert!(most <= LIMIT, "held {most} unread, the limit is {LIMIT}");
        assert!((LIMIT..100_000).contains(&texts), "{texts} messages");
        assert!(
            matches!(&errors[..], [Error::ReceiveBufferFull { limit: LIMIT }, Error::GaveUp(GiveUpReason::ClosePolicy { close, by: ClosedBy::Socket })] if close.code == CloseCode::RECEIVE_BUFFER_FULL),
            "{errors:?}"
        );
        drop(events);
        assert_eq!(stats(&id).await.num("close_code"), 4902.0);
    });
}

#[wasm_bindgen_test]
async fn an_unread_event_log_keeps_the_newest_and_says_how_many_it_let_go() {
    browser_test!(30_000, async {
        let mut socket = reconnecting("/burst?n=3000")
            .should_reconnect(|_| false)
            .start()
            .unwrap();
        let mut messages = 0;
        while let Some(Ok(_)) = socket.next().await {
            messages += 1;
        }
        assert_eq!(messages, 3000);
        let events: Vec<ReconnectEvent> = socket.events().unwrap().collect().await;
        // Connecting, Open, 3,000 messages, Disconnected, GaveUp: the log keeps 1,024.
        assert_eq!(events.len(), 1 + 1_024, "{:?}", &events[..3]);
        assert_eq!(
            events[0],
            ReconnectEvent::Lagged {
                skipped: 3_004 - 1_024
            }
        );
        assert!(matches!(
            events.last(),
            Some(ReconnectEvent::GaveUp(GiveUpReason::ClosePolicy { .. }))
        ));
    });
}

#[wasm_bindgen_test]
async fn events_have_one_reader_at_a_time() {
    browser_test!(10_000, async {
        let (socket, events) = started_and_open(reconnecting("/echo")).await;
        assert!(
            socket.events().is_none(),
            "a second reader while the first lives"
        );
        drop(events);
        let mut again = socket.events().expect("the first reader is gone");
        socket.close().unwrap();
        let rest: Vec<ReconnectEvent> = (&mut again).collect().await;
        assert_eq!(rest.last(), Some(&GAVE_UP_CLOSED));
    });
}
