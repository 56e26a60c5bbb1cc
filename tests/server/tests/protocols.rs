//! The protocol servers of the test server, driven by a tokio-tungstenite client over loopback:
//! `/graphql` (async-graphql) and what its handshake rules do to a client that breaks them,
//! `/jsonrpc` (jsonrpsee) and its concurrent calls on one connection.

mod common;

use std::time::Duration;

use common::{http_response, refused, stats, with_server, Client};
use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use tokio_tungstenite::connect_async;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::{Error as WsError, Message};

async fn send_json(ws: &mut Client, value: Value) {
    ws.send(Message::text(value.to_string())).await.unwrap();
}

/// The next message, which must be JSON text.
async fn recv_json(ws: &mut Client) -> Value {
    match ws.next().await {
        Some(Ok(Message::Text(t))) => serde_json::from_str(&t).unwrap(),
        other => panic!("expected a JSON text message, got {other:?}"),
    }
}

/// The server's Close frame, after any messages before it; reads on to the end of the
/// connection, since tungstenite sends its Close reply on the read after the server's Close.
async fn close_frame(ws: &mut Client) -> CloseFrame {
    let frame = loop {
        match ws.next().await {
            Some(Ok(Message::Close(Some(frame)))) => break frame,
            Some(Ok(Message::Text(_))) => {}
            other => panic!("expected a Close frame, got {other:?}"),
        }
    };
    while let Some(Ok(_)) = ws.next().await {}
    frame
}

/// A `/graphql` connection offering graphql-transport-ws, tagged `id`.
async fn gql_connect(port: u16, id: &str) -> Client {
    let mut req = format!("ws://127.0.0.1:{port}/graphql?id={id}")
        .into_client_request()
        .unwrap();
    req.headers_mut().insert(
        "Sec-WebSocket-Protocol",
        "graphql-transport-ws".parse().unwrap(),
    );
    let (ws, resp) = connect_async(req).await.unwrap();
    assert_eq!(
        resp.headers()["sec-websocket-protocol"],
        "graphql-transport-ws"
    );
    ws
}

/// A `/graphql` connection past `connection_init` (with `token`) and its ack.
async fn gql_ready(port: u16, id: &str, token: &str) -> Client {
    let mut ws = gql_connect(port, id).await;
    send_json(
        &mut ws,
        json!({"type": "connection_init", "payload": {"token": token}}),
    )
    .await;
    assert_eq!(recv_json(&mut ws).await, json!({"type": "connection_ack"}));
    ws
}

async fn subscribe(ws: &mut Client, id: &str, query: &str) {
    send_json(
        ws,
        json!({"type": "subscribe", "id": id, "payload": {"query": query}}),
    )
    .await;
}

#[tokio::test]
async fn graphql_handshake_then_subscription_delivers_then_completes() {
    with_server(|port| async move {
        let mut ws = gql_ready(port, "g", "good").await;
        subscribe(&mut ws, "q", "{ hello }").await;
        assert_eq!(
            recv_json(&mut ws).await,
            json!({"type": "next", "id": "q", "payload": {"data": {"hello": "world, good"}}})
        );
        assert_eq!(
            recv_json(&mut ws).await,
            json!({"type": "complete", "id": "q"})
        );
        subscribe(&mut ws, "c", "subscription { count(to: 3, everyMs: 20) }").await;
        for i in 0..3 {
            assert_eq!(
                recv_json(&mut ws).await,
                json!({"type": "next", "id": "c", "payload": {"data": {"count": i}}})
            );
        }
        assert_eq!(
            recv_json(&mut ws).await,
            json!({"type": "complete", "id": "c"})
        );
        ws.close(None).await.unwrap();

        // A second connection under the same tag is number 2 in the frame list.
        let mut ws = gql_connect(port, "g").await;
        send_json(&mut ws, json!({"type": "connection_init"})).await;
        assert_eq!(recv_json(&mut ws).await, json!({"type": "connection_ack"}));
        ws.close(None).await.unwrap();

        let s = stats(port, "g").await;
        assert_eq!(s["gql_connections"], 2);
        assert_eq!(
            s["gql_frames"],
            json!([
                "1:connection_init",
                "1:subscribe",
                "1:subscribe",
                "2:connection_init"
            ])
        );
        assert_eq!(s["offered_protocols"], json!(["graphql-transport-ws"]));
        assert_eq!(s["close_code"], 1005);
    })
    .await;
}

#[tokio::test]
async fn graphql_subscribe_before_init_is_closed_by_async_graphql() {
    with_server(|port| async move {
        let mut ws = gql_connect(port, "early").await;
        subscribe(&mut ws, "1", "subscription { count(to: 1, everyMs: 0) }").await;
        // async-graphql 7 closes with 1011, not graphql-ws's 4401 Unauthorized.
        let frame = close_frame(&mut ws).await;
        assert_eq!(
            (u16::from(frame.code), frame.reason.as_str()),
            (1011, "The handshake is not completed.")
        );
        let s = stats(port, "early").await;
        assert_eq!(s["gql_frames"], json!(["1:subscribe"]));
    })
    .await;
}

#[tokio::test]
async fn graphql_second_init_is_closed_4429() {
    with_server(|port| async move {
        let mut ws = gql_ready(port, "twice", "t").await;
        send_json(&mut ws, json!({"type": "connection_init"})).await;
        let frame = close_frame(&mut ws).await;
        assert_eq!(
            (u16::from(frame.code), frame.reason.as_str()),
            (4429, "Too many initialisation requests.")
        );
    })
    .await;
}

#[tokio::test]
async fn graphql_bad_token_is_refused() {
    with_server(|port| async move {
        let mut ws = gql_connect(port, "bad").await;
        send_json(
            &mut ws,
            json!({"type": "connection_init", "payload": {"token": "bad"}}),
        )
        .await;
        // async-graphql 7 closes a refused init with 1002, not graphql-ws's 4403 Forbidden.
        let frame = close_frame(&mut ws).await;
        assert_eq!(
            (u16::from(frame.code), frame.reason.as_str()),
            (1002, "Forbidden: bad token")
        );
        let s = stats(port, "bad").await;
        assert_eq!(s["gql_frames"], json!(["1:connection_init"]));
    })
    .await;
}

#[tokio::test]
async fn graphql_said_gets_what_say_published() {
    with_server(|port| async move {
        let mut listener = gql_ready(port, "room", "l").await;
        subscribe(&mut listener, "s", r#"subscription { said(room: "r1") }"#).await;
        let mut speaker = gql_ready(port, "room", "s").await;
        // async-graphql says nothing when a subscription starts: `say` answers whether anyone
        // heard, so publish until someone does.
        let mut n = 0;
        loop {
            n += 1;
            let id = format!("m{n}");
            subscribe(
                &mut speaker,
                &id,
                r#"mutation { say(room: "r1", text: "hi") }"#,
            )
            .await;
            let heard = recv_json(&mut speaker).await;
            assert_eq!(
                recv_json(&mut speaker).await,
                json!({"type": "complete", "id": id})
            );
            if heard["payload"]["data"]["say"] == true {
                break;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        subscribe(
            &mut speaker,
            "last",
            r#"mutation { say(room: "r1", text: "bye") }"#,
        )
        .await;
        assert_eq!(
            recv_json(&mut speaker).await["payload"]["data"]["say"],
            true
        );
        assert_eq!(
            recv_json(&mut speaker).await,
            json!({"type": "complete", "id": "last"})
        );
        for text in ["hi", "bye"] {
            assert_eq!(
                recv_json(&mut listener).await,
                json!({"type": "next", "id": "s", "payload": {"data": {"said": text}}})
            );
        }
        // Another room hears nothing of it.
        subscribe(
            &mut speaker,
            "other",
            r#"mutation { say(room: "elsewhere", text: "x") }"#,
        )
        .await;
        assert_eq!(
            recv_json(&mut speaker).await["payload"]["data"]["say"],
            false
        );
    })
    .await;
}

#[tokio::test]
async fn graphql_without_its_subprotocol_is_refused_400() {
    with_server(|port| async move {
        assert_eq!(refused(port, "/graphql", None).await, 400);
    })
    .await;
}

/// A `/jsonrpc` connection tagged `id`.
async fn rpc_connect(port: u16, id: &str) -> Client {
    connect_async(format!("ws://127.0.0.1:{port}/jsonrpc?id={id}"))
        .await
        .unwrap()
        .0
}

fn call(id: u64, method: &str, params: Value) -> Message {
    Message::text(
        json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}).to_string(),
    )
}

#[tokio::test]
async fn jsonrpc_answers_in_the_order_of_the_delays() {
    with_server(|port| async move {
        let mut ws = rpc_connect(port, "order").await;
        for (id, delay) in [(1, 300), (2, 150), (3, 0)] {
            ws.feed(call(id, "echo", json!([{"n": id}, delay])))
                .await
                .unwrap();
        }
        ws.feed(call(4, "add", json!({"a": 40, "b": 2})))
            .await
            .unwrap();
        ws.flush().await.unwrap();
        let mut order = Vec::new();
        for _ in 0..4 {
            let answer = recv_json(&mut ws).await;
            let id = answer["id"].as_u64().unwrap();
            let want = match id {
                4 => json!(42),
                n => json!({"n": n}),
            };
            assert_eq!(answer["result"], want, "{answer}");
            order.push(id);
        }
        // add and the undelayed echo may come in either order; the delayed ones come last.
        assert_eq!(order[2..], [2, 1]);
        ws.send(call(5, "add", json!([i64::MAX, 1]))).await.unwrap();
        assert_eq!(recv_json(&mut ws).await["error"]["code"], -32602);
        ws.close(None).await.unwrap();
        let s = stats(port, "order").await;
        assert_eq!(s["rpc_connections"], 1);
        assert_eq!(s["rpc_requests"], 5);
        assert_eq!(s["live_tagged"], 0);
    })
    .await;
}

#[tokio::test]
async fn jsonrpc_never_stays_pending_while_other_calls_are_answered() {
    with_server(|port| async move {
        let mut ws = rpc_connect(port, "never").await;
        ws.send(call(1, "never", json!([]))).await.unwrap();
        ws.send(call(2, "add", json!([1, 2]))).await.unwrap();
        assert_eq!(
            recv_json(&mut ws).await,
            json!({"jsonrpc": "2.0", "id": 2, "result": 3})
        );
        let quiet = tokio::time::timeout(Duration::from_millis(500), ws.next()).await;
        assert!(quiet.is_err(), "never answered: {quiet:?}");
        // The pending call does not keep the connection from closing.
        ws.close(None).await.unwrap();
        let s = stats(port, "never").await;
        assert_eq!(
            (s["rpc_requests"].as_u64(), s["live_tagged"].as_u64()),
            (Some(2), Some(0))
        );
    })
    .await;
}

#[tokio::test]
async fn jsonrpc_answers_1000_concurrent_calls_on_one_connection() {
    with_server(|port| async move {
        const N: u64 = 1000;
        let mut ws = rpc_connect(port, "many").await;
        // All sent before any is read; the delays make them overlap and finish out of order.
        for id in 0..N {
            let delay = (N - id) % 200;
            ws.feed(call(id, "echo", json!({"value": id, "delay_ms": delay})))
                .await
                .unwrap();
        }
        ws.flush().await.unwrap();
        let mut seen = vec![false; N as usize];
        let mut in_order = true;
        for i in 0..N {
            let answer = recv_json(&mut ws).await;
            let id = answer["id"].as_u64().unwrap();
            assert_eq!(answer["result"], id, "{answer}");
            assert!(
                !std::mem::replace(&mut seen[id as usize], true),
                "{id} twice"
            );
            in_order &= id == i;
        }
        assert!(!in_order);
        ws.close(None).await.unwrap();
        let s = stats(port, "many").await;
        assert_eq!(s["rpc_requests"], N);
    })
    .await;
}

/// The connection ends with no Close frame (the TCP connection is gone), within `within`.
async fn dropped_without_close(ws: &mut Client, within: Duration) {
    match tokio::time::timeout(within, ws.next()).await {
        Ok(None | Some(Err(WsError::Protocol(_) | WsError::Io(_)))) => {}
        Ok(other) => panic!("expected a dropped connection, got {other:?}"),
        Err(_) => panic!("still connected after {within:?}"),
    }
}

/// `GET /restart`; returns its JSON, after checking it is readable from any origin.
async fn restart(port: u16, query: &str) -> Value {
    let out = http_response(port, &format!("/restart?{query}")).await;
    let (head, body) = out.split_once("\r\n\r\n").unwrap();
    assert!(head.starts_with("HTTP/1.1 200 OK"), "{head}");
    assert!(
        head.to_ascii_lowercase()
            .contains("\r\naccess-control-allow-origin: *"),
        "{head}"
    );
    serde_json::from_str(body).unwrap()
}

#[tokio::test]
async fn restart_graphql_cuts_its_connections_at_once_and_refuses_upgrades_while_down() {
    with_server(|port| async move {
        let mut listener = gql_ready(port, "crash", "l").await;
        subscribe(&mut listener, "s", r#"subscription { said(room: "c") }"#).await;
        let mut idle = gql_connect(port, "crash").await;
        let mut rpc = rpc_connect(port, "bystander").await;
        // The subscription is live once a `say` reaches it.
        let mut speaker = gql_ready(port, "speaker", "s").await;
        let say = r#"mutation { say(room: "c", text: "before") }"#;
        loop {
            subscribe(&mut speaker, "m", say).await;
            let heard = recv_json(&mut speaker).await["payload"]["data"]["say"] == true;
            recv_json(&mut speaker).await;
            if heard {
                break;
            }
        }
        recv_json(&mut listener).await;

        let started = tokio::time::Instant::now();
        let r = restart(port, "service=graphql&down_ms=600").await;
        assert_eq!(
            r,
            json!({"service": "graphql", "down_ms": 600, "closed": 3, "restarts": 1})
        );
        for ws in [&mut listener, &mut idle, &mut speaker] {
            dropped_without_close(ws, Duration::from_millis(300)).await;
        }
        assert_eq!(
            refused(port, "/graphql", Some("graphql-transport-ws")).await,
            503
        );
        // The other service did not crash.
        rpc.send(call(1, "add", json!([1, 1]))).await.unwrap();
        assert_eq!(recv_json(&mut rpc).await["result"], 2);
        assert!(started.elapsed() < Duration::from_millis(600));

        tokio::time::sleep_until(started + Duration::from_millis(650)).await;
        let mut speaker = gql_ready(port, "speaker", "s").await;
        // Up again, and with no memory of the subscription.
        subscribe(&mut speaker, "m", say).await;
        assert_eq!(
            recv_json(&mut speaker).await["payload"]["data"]["say"],
            false
        );
        let s = stats(port, "crash").await;
        assert_eq!(s["restarts"], json!({"graphql": 1, "jsonrpc": 0}));
        assert_eq!(s["live_tagged"], 0);
    })
    .await;
}

#[tokio::test]
async fn restart_jsonrpc_cuts_pending_calls_and_refuses_upgrades_while_down() {
    with_server(|port| async move {
        let mut rpc = rpc_connect(port, "rcrash").await;
        rpc.send(call(1, "never", json!([]))).await.unwrap();
        rpc.send(call(2, "echo", json!(["late", 2000])))
            .await
            .unwrap();
        rpc.send(call(3, "add", json!([2, 2]))).await.unwrap();
        assert_eq!(recv_json(&mut rpc).await["result"], 4);
        let mut gql = gql_ready(port, "bystander", "b").await;

        let started = tokio::time::Instant::now();
        let r = restart(port, "service=jsonrpc&down_ms=400").await;
        assert_eq!((&r["closed"], &r["restarts"]), (&json!(1), &json!(1)));
        dropped_without_close(&mut rpc, Duration::from_millis(300)).await;
        assert_eq!(refused(port, "/jsonrpc", None).await, 503);
        subscribe(&mut gql, "q", "{ hello }").await;
        assert_eq!(
            recv_json(&mut gql).await["payload"]["data"]["hello"],
            "world, b"
        );
        // The cut connection's tasks are gone: it no longer counts as live.
        let s = stats(port, "rcrash").await;
        assert_eq!(
            (s["live_tagged"].as_u64(), s["timed_out"].as_bool()),
            (Some(0), Some(false))
        );
        assert!(started.elapsed() < Duration::from_millis(400));

        tokio::time::sleep_until(started + Duration::from_millis(450)).await;
        let mut rpc = rpc_connect(port, "rcrash").await;
        rpc.send(call(4, "add", json!([3, 4]))).await.unwrap();
        assert_eq!(recv_json(&mut rpc).await["result"], 7);
    })
    .await;
}

#[tokio::test]
async fn restart_refuses_an_unknown_service() {
    with_server(|port| async move {
        for query in ["service=chat", "", "service=graphql&down_ms=soon"] {
            let out = http_response(port, &format!("/restart?{query}")).await;
            assert!(out.starts_with("HTTP/1.1 400 "), "{query}: {out}");
        }
    })
    .await;
}
