//! Real protocols against servers nobody here wrote, on the test server: GraphQL over
//! WebSocket (`graphql-transport-ws`, async-graphql) at `/graphql`, and JSON-RPC 2.0
//! (jsonrpsee) at `/jsonrpc`; `/restart` crashes either.

use std::cell::RefCell;
use std::time::Duration;

use serde_json::{json, Value};
use wasm_bindgen_test::wasm_bindgen_test;
use wasm_websocket::{
    CloseCode, Error, GiveUpReason, GraphqlWs, Handshake, JsonRpc, Message, ReconnectBuilder,
    ReconnectEvent, ReconnectStatus, ReconnectingSocket, WebSocket,
};

use crate::reconnect::{fast, until};
use crate::util::*;

/// A socket to async-graphql's `/graphql?id={id}` whose handshake sends `token`.
fn graphql(id: &str, token: &str) -> ReconnectBuilder {
    let target = url(&format!("/graphql?id={id}"));
    ReconnectingSocket::builder(move || {
        WebSocket::builder(target.clone()).protocols(["graphql-transport-ws"])
    })
    .backoff(fast())
    .handshake(Handshake::graphql_ws(json!({ "token": token })))
}

/// Whether `event` says a connection opened.
fn opened(event: &ReconnectEvent<Value>) -> bool {
    matches!(event, ReconnectEvent::Status(ReconnectStatus::Open))
}

/// A `subscribe` frame with `id` for `query`, as text.
fn subscribe(id: &str, query: &str) -> Message {
    Message::Text(
        json!({ "id": id, "type": "subscribe", "payload": { "query": query } }).to_string(),
    )
}

/// Whether `event` is a `next` frame of operation `id`.
fn next_of(event: &ReconnectEvent<Value>, id: &str) -> bool {
    matches!(event, ReconnectEvent::Message(v) if v["type"] == "next" && v["id"] == id)
}

/// The `type`s of the client frames the server saw on connection `n` of tag `id`.
async fn frames_on(id: &str, n: u32) -> Vec<String> {
    let prefix = format!("{n}:");
    stats(id)
        .await
        .strings("gql_frames")
        .into_iter()
        .filter_map(|f| f.strip_prefix(&prefix).map(str::to_owned))
        .collect()
}

#[wasm_bindgen_test]
async fn graphql_a_subscription_keeps_delivering_across_a_restart_and_what_waited_goes_after_the_ack(
) {
    let id = tag("gql-restart");
    browser_test!(20_000, async {
        let socket = graphql(&id, "ok").start().unwrap();
        let _count = socket
            .handle()
            .subscribe(subscribe(
                "count",
                "subscription { count(to: 100000, everyMs: 20) }",
            ))
            .unwrap();
        let mut events = socket.events(GraphqlWs);
        until(&mut events, |e| next_of(e, "count")).await;
        restart("graphql", 300).await;
        until(&mut events, |e| {
            matches!(e, ReconnectEvent::Disconnected { .. })
        })
        .await;
        // Sent while the server is down: it waits for the next connection's ack.
        let say = subscribe("m2", "mutation { say(room: \"r\", text: \"two\") }");
        events.socket().try_send(say).unwrap();
        let seen = until(&mut events, |e| next_of(e, "m2")).await;
        let reopened = seen.iter().position(opened).expect("a new connection");
        until(&mut events, |e| next_of(e, "count")).await;
        events.socket().close().unwrap();
        assert!(
            !seen[reopened..]
                .iter()
                .any(|e| matches!(e, ReconnectEvent::Disconnected { .. })),
            "async-graphql closed nothing (4401 would say a subscribe came before the ack)"
        );
        assert_eq!(
            frames_on(&id, 2).await,
            ["connection_init", "subscribe", "subscribe"],
            "the handshake, the subscription made again, then what waited"
        );
    });
}

#[wasm_bindgen_test]
async fn graphql_a_refused_token_is_a_handshake_error_and_the_policy_decides() {
    let id = tag("gql-refused");
    browser_test!(20_000, async {
        let mut events = graphql(&id, "bad")
            // async-graphql 7 refuses with 1002 and the reason, where the protocol says 4403.
            .should_reconnect(|close| close.code != CloseCode::PROTOCOL_ERROR)
            .start()
            .unwrap()
            .events(GraphqlWs);
        let seen = until(&mut events, |e| {
            matches!(e, ReconnectEvent::Status(ReconnectStatus::GaveUp(_)))
        })
        .await;
        assert!(
            seen.iter().any(|e| matches!(
                e,
                ReconnectEvent::Error(Error::Handshake { reason }) if reason.contains("Forbidden: bad token")
            )),
            "{seen:?}"
        );
        assert!(!seen.iter().any(opened), "never open to the app: {seen:?}");
        assert!(
            matches!(
                seen.last().and_then(ReconnectEvent::status),
                Some(ReconnectStatus::GaveUp(GiveUpReason::ClosePolicy { close, .. }))
                    if close.code == CloseCode::PROTOCOL_ERROR
            ),
            "{seen:?}"
        );
    });
}

#[wasm_bindgen_test]
async fn graphql_a_query_is_a_request_answered_by_its_next() {
    let id = tag("gql-query");
    browser_test!(10_000, async {
        let socket = graphql(&id, "ok").start().unwrap();
        let rpc = socket.handle().requester(GraphqlWs);
        let mut events = socket.events(GraphqlWs);
        until(&mut events, opened).await;
        let query = json!({ "type": "subscribe", "payload": { "query": "{ hello }" } });
        let answer = rpc.request(query).await.unwrap();
        assert_eq!(answer["type"], "next");
        assert!(answer["payload"]["data"]["hello"].is_string(), "{answer}");
    });
}

/// A socket to jsonrpsee's `/jsonrpc?id={id}`, open, with its requester and its events.
async fn jsonrpc(
    id: &str,
) -> (
    wasm_websocket::reconnect::Requester<JsonRpc>,
    wasm_websocket::ReconnectEvents<JsonRpc>,
) {
    let target = url(&format!("/jsonrpc?id={id}"));
    let socket = ReconnectingSocket::builder(move || WebSocket::builder(target.clone()))
        .backoff(fast())
        .start()
        .unwrap();
    let rpc = socket.handle().requester(JsonRpc);
    let mut events = socket.events(JsonRpc);
    until(&mut events, opened).await;
    (rpc, events)
}

fn call(method: &str, params: Value) -> Value {
    json!({ "method": method, "params": params })
}

#[wasm_bindgen_test]
async fn jsonrpc_answers_come_back_by_id_in_any_order() {
    let id = tag("rpc-order");
    browser_test!(10_000, async {
        let (rpc, _events) = jsonrpc(&id).await;
        let done = RefCell::new(Vec::new());
        let ask = |n: u64, delay: u64| {
            let (rpc, done) = (rpc.clone(), &done);
            async move {
                let answer = rpc.request(call("echo", json!([n, delay]))).await;
                done.borrow_mut().push(n);
                answer.map(|a| a["result"].clone())
            }
        };
        let answers = futures::join!(ask(0, 300), ask(1, 150), ask(2, 0));
        assert_eq!(answers, (Ok(json!(0)), Ok(json!(1)), Ok(json!(2))));
        assert_eq!(
            *done.borrow(),
            [2, 1, 0],
            "answered in the order of their delays"
        );
    });
}

#[wasm_bindgen_test]
async fn jsonrpc_a_method_that_never_answers_times_out() {
    let id = tag("rpc-never");
    browser_test!(10_000, async {
        let (rpc, _events) = jsonrpc(&id).await;
        let rpc = rpc.timeout(Duration::from_millis(300));
        assert_eq!(
            rpc.request(call("never", json!([]))).await,
            Err(Error::NoAnswer {
                after: Duration::from_millis(300)
            })
        );
    });
}

#[wasm_bindgen_test]
async fn jsonrpc_requests_in_flight_when_the_server_drops_fail_at_once() {
    let id = tag("rpc-drop");
    browser_test!(20_000, async {
        let (rpc, _events) = jsonrpc(&id).await;
        let waiting =
            futures::future::join_all((0..5).map(|_| rpc.request(call("never", json!([])))));
        let crash = async {
            sleep(100).await;
            restart("jsonrpc", 300).await;
            js_sys::Date::now()
        };
        let (failed, crashed) = futures::join!(waiting, crash);
        let waited = js_sys::Date::now() - crashed;
        assert!(
            failed.iter().all(|f| matches!(f, Err(Error::Closed(_)))),
            "{failed:?}"
        );
        assert!(
            waited < 2_000.0,
            "failed with the drop, not the 10 s timeout: {waited} ms"
        );
    });
}

#[wasm_bindgen_test]
async fn jsonrpc_a_thousand_requests_at_once_are_all_answered() {
    let id = tag("rpc-thousand");
    browser_test!(30_000, async {
        let (rpc, _events) = jsonrpc(&id).await;
        let answers = futures::future::join_all(
            (0..1_000i64).map(|n| rpc.request(call("add", json!([n, 1])))),
        )
        .await;
        let sums: Vec<Value> = answers
            .into_iter()
            .map(|a| a.unwrap()["result"].clone())
            .collect();
        assert_eq!(sums, (1..=1_000i64).map(Value::from).collect::<Vec<_>>());
        assert_eq!(stats_now(&id).await.num("rpc_requests"), 1_000.0);
    });
}
