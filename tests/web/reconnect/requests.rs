//! Request/response on a reconnecting socket: each answer goes to its request, once, and never
//! to the stream; a request that gets none fails (timeout, its connection's end, the socket's
//! close) instead of hanging; dropped, it is forgotten; past the limit, it is refused.

use std::time::Duration;

use futures::StreamExt;
use serde_json::{json, Value};
use wasm_bindgen_test::wasm_bindgen_test;
use wasm_websocket::codec::WithIds;
use wasm_websocket::reconnect::Requester;
use wasm_websocket::{Error, Json, ReconnectEvent, ReconnectStatus, ReconnectingSocket};

use super::*;

/// JSON values whose `id` carries request ids: on `/echo` a request is its own answer.
fn echoed() -> WithIds<Json<Value>> {
    WithIds::new(Json::new(), stamp_id, |v| v.get("id")?.as_u64())
}

/// JSON values whose answers name their request in `reply_to`: an echo answers nothing.
fn unanswered() -> WithIds<Json<Value>> {
    WithIds::new(Json::new(), stamp_id, |v| v.get("reply_to")?.as_u64())
}

fn stamp_id(request: &mut Value, id: u64) {
    if let Some(object) = request.as_object_mut() {
        object.insert("id".into(), id.into());
    }
}

/// An open socket on `path` with a requester through `codec` and the events read with it.
async fn asking(
    path: &str,
    codec: WithIds<Json<Value>>,
    builder: impl FnOnce(ReconnectBuilder) -> ReconnectBuilder,
) -> (
    Requester<WithIds<Json<Value>>>,
    ReconnectEvents<WithIds<Json<Value>>>,
) {
    let socket = builder(reconnecting(path)).start().unwrap();
    let requester = socket.handle().requester(codec.clone());
    let mut events = socket.events(codec);
    until(&mut events, |e| {
        *e == ReconnectEvent::Status(ReconnectStatus::Open)
    })
    .await;
    (requester, events)
}

#[wasm_bindgen_test]
async fn a_hundred_requests_at_once_each_get_their_own_answer_and_none_is_a_message() {
    browser_test!(20_000, async {
        let (rpc, mut events) = asking("/echo", echoed(), |b| b).await;
        let answers =
            futures::future::join_all((0..100).map(|n| rpc.request(json!({ "n": n })))).await;
        let ns: Vec<Value> = answers
            .into_iter()
            .map(|a| a.unwrap()["n"].clone())
            .collect();
        assert_eq!(ns, (0..100).map(Value::from).collect::<Vec<_>>());
        // An ordinary message after them is the next thing the stream yields.
        events.socket().try_send(text(r#"{"plain":true}"#)).unwrap();
        let next = events.next().await;
        assert_eq!(
            next,
            Some(ReconnectEvent::Message(json!({ "plain": true })))
        );
    });
}

#[wasm_bindgen_test]
async fn a_request_with_no_answer_fails_after_its_timeout() {
    browser_test!(10_000, async {
        let (rpc, _events) = asking("/echo", unanswered(), |b| b).await;
        let rpc = rpc.timeout(Duration::from_millis(150));
        let failed = rpc.request(json!({ "n": 1 })).await;
        assert_eq!(
            failed,
            Err(Error::NoAnswer {
                after: Duration::from_millis(150)
            })
        );
    });
}

#[wasm_bindgen_test]
async fn requests_waiting_when_their_connection_drops_fail_at_once_with_its_close() {
    browser_test!(10_000, async {
        let (rpc, _events) = asking("/flaky?up_ms=300", unanswered(), |b| b).await;
        let started = js_sys::Date::now();
        let failed =
            futures::future::join_all((0..3).map(|n| rpc.request(json!({ "n": n })))).await;
        let waited = js_sys::Date::now() - started;
        assert!(
            failed
                .iter()
                .all(|f| matches!(f, Err(Error::Closed(close)) if close.code.as_u16() == 1006)),
            "{failed:?}"
        );
        assert!(
            waited < 5_000.0,
            "failed with the drop, not the timeout: {waited} ms"
        );
    });
}

#[wasm_bindgen_test]
async fn requests_waiting_when_the_socket_is_closed_fail_at_once_with_its_close() {
    browser_test!(10_000, async {
        let (rpc, events) = asking("/echo", unanswered(), |b| b).await;
        let waiting = rpc.request(json!({ "n": 1 }));
        let closing = async {
            sleep(50).await;
            events.socket().close().unwrap();
        };
        let (failed, ()) = futures::join!(waiting, closing);
        assert!(
            matches!(&failed, Err(Error::Closed(close)) if close.code.as_u16() == 1000),
            "{failed:?}"
        );
    });
}

#[wasm_bindgen_test]
async fn a_dropped_request_is_forgotten_and_its_late_answer_is_a_message() {
    browser_test!(10_000, async {
        let (rpc, mut events) = asking("/echo", echoed(), |b| b).await;
        let mut request = Box::pin(rpc.request(json!({ "n": 1 })));
        // Sent on its first poll; its answer cannot have come within this turn.
        assert!(futures::poll!(&mut request).is_pending());
        drop(request);
        assert!(format!("{rpc:?}").contains("waiting: Some(0)"), "{rpc:?}");
        let late = until(&mut events, |e| matches!(e, ReconnectEvent::Message(_))).await;
        assert_eq!(
            late.last(),
            Some(&ReconnectEvent::Message(json!({ "n": 1, "id": 1 })))
        );
    });
}

#[wasm_bindgen_test]
async fn past_the_limit_a_request_is_refused_with_a_typed_error() {
    browser_test!(10_000, async {
        let (rpc, _events) = asking("/echo", unanswered(), |b| b.max_pending_requests(2)).await;
        let rpc = rpc.timeout(Duration::from_millis(300));
        let (a, b, c) = futures::join!(
            rpc.request(json!({ "n": 1 })),
            rpc.request(json!({ "n": 2 })),
            rpc.request(json!({ "n": 3 })),
        );
        assert_eq!(c, Err(Error::TooManyRequests { limit: 2 }));
        assert!(matches!(
            (a, b),
            (Err(Error::NoAnswer { .. }), Err(Error::NoAnswer { .. }))
        ));
    });
}

#[wasm_bindgen_test]
async fn a_request_while_no_connection_is_open_is_refused_not_queued() {
    browser_test!(10_000, async {
        let socket =
            ReconnectingSocket::builder(|| wasm_websocket::WebSocket::builder(url("/echo")))
                .connect_on_start(false)
                .start()
                .unwrap();
        let rpc = socket.handle().requester(echoed());
        assert_eq!(
            rpc.request(json!({ "n": 1 })).await,
            Err(Error::NotOpen(wasm_websocket::ReadyState::Connecting))
        );
        assert_eq!(socket.queued(), 0, "nothing queued for a later connection");
    });
}
