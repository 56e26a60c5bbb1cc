//! Each endpoint of the test server, driven by a tokio-tungstenite client over loopback.

mod common;

use std::time::Duration;

use common::{http_get, http_response, refused, start_with, stats, with_server, Client, LIMIT};
use futures_util::{SinkExt, StreamExt};
use serde_json::Value;
use test_server::{burst_binary, burst_text, Mount};
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::protocol::{CloseFrame, WebSocketConfig};
use tokio_tungstenite::tungstenite::{Error as WsError, Message};
use tokio_tungstenite::{connect_async, connect_async_with_config};

async fn connect(port: u16, path: &str) -> Client {
    // The client's own limits are lifted too: the test is about the server's.
    let config = WebSocketConfig::default()
        .max_message_size(None)
        .max_frame_size(None);
    connect_async_with_config(format!("ws://127.0.0.1:{port}{path}"), Some(config), true)
        .await
        .unwrap()
        .0
}

/// Reads messages until the server's Close frame; returns them and the frame.
async fn drain(ws: &mut Client) -> (Vec<Message>, Option<CloseFrame>) {
    let mut got = Vec::new();
    while let Some(msg) = ws.next().await {
        match msg {
            Ok(Message::Close(frame)) => return (got, frame),
            Ok(m) => got.push(m),
            Err(e) => panic!("unexpected error {e}"),
        }
    }
    (got, None)
}

#[tokio::test]
async fn echo_returns_text_binary_and_large_messages_unchanged() {
    with_server(|port| async move {
        let mut ws = connect(port, "/echo?id=e").await;
        let big: Vec<u8> = (0..(20usize << 20)).map(|i| i as u8).collect();
        let sent = vec![
            Message::text("héllo"),
            Message::text(""),
            Message::binary(vec![]),
            Message::binary(vec![1, 2, 3]),
            Message::binary(big),
        ];
        for m in &sent {
            ws.send(m.clone()).await.unwrap();
            assert_eq!(&ws.next().await.unwrap().unwrap(), m);
        }
        ws.close(Some(CloseFrame {
            code: CloseCode::from(4001),
            reason: "bye".into(),
        }))
        .await
        .unwrap();
        let s = stats(port, "e").await;
        assert_eq!(s["messages"], 5);
        assert_eq!(s["text_messages"], 2);
        assert_eq!(s["bytes"], 6 + 3 + (20 << 20));
        assert_eq!(s["texts"], serde_json::json!(["héllo", ""]));
        assert_eq!(s["close_code"], 4001);
        assert_eq!(s["close_reason"], "bye");
        assert_eq!(s["live_tagged"], 0);
        assert_eq!(s["timed_out"], false);
    })
    .await;
}

#[tokio::test]
async fn stats_report_1005_for_a_close_frame_without_code() {
    with_server(|port| async move {
        let mut ws = connect(port, "/echo?id=nocode").await;
        ws.close(None).await.unwrap();
        let s = stats(port, "nocode").await;
        assert_eq!(s["close_code"], 1005);
        assert_eq!(s["connections"], 1);
    })
    .await;
}

#[tokio::test]
async fn close_endpoint_closes_with_the_requested_code_and_reason() {
    with_server(|port| async move {
        let mut ws = connect(port, "/close?code=4321&reason=why%20not").await;
        let (got, frame) = drain(&mut ws).await;
        assert!(got.is_empty());
        let frame = frame.unwrap();
        assert_eq!(u16::from(frame.code), 4321);
        assert_eq!(frame.reason, "why not");
    })
    .await;
}

#[tokio::test]
async fn params_sends_the_decoded_query_by_key() {
    with_server(|port| async move {
        let mut ws = connect(port, "/params?token=a%2Bb%26c%3Dd&b=x+y").await;
        let (messages, _) = drain(&mut ws).await;
        assert_eq!(
            messages,
            [Message::text("b=x y"), Message::text("token=a+b&c=d")]
        );
    })
    .await;
}

#[tokio::test]
async fn abrupt_sends_n_messages_then_drops_without_close_frame() {
    with_server(|port| async move {
        let mut ws = connect(port, "/abrupt?n=3").await;
        for i in 0..3 {
            assert_eq!(
                ws.next().await.unwrap().unwrap(),
                Message::text(format!("m{i}"))
            );
        }
        match ws.next().await {
            None | Some(Err(WsError::Protocol(_))) | Some(Err(WsError::Io(_))) => {}
            other => panic!("expected a dropped connection, got {other:?}"),
        }
    })
    .await;
}

#[tokio::test]
async fn burst_sends_numbered_messages_of_each_kind_then_closes_1000() {
    with_server(|port| async move {
        for (kind, n, size) in [("text", 50, 0), ("binary", 20, 100), ("mixed", 11, 8)] {
            let mut ws = connect(port, &format!("/burst?n={n}&size={size}&kind={kind}")).await;
            let (got, frame) = drain(&mut ws).await;
            assert_eq!(got.len(), n, "{kind}");
            for (i, m) in got.into_iter().enumerate() {
                let binary = kind == "binary" || (kind == "mixed" && i % 2 == 1);
                let want = if binary {
                    Message::binary(burst_binary(i, size))
                } else {
                    Message::text(burst_text(i, size))
                };
                assert_eq!(m, want, "{kind} #{i}");
            }
            assert_eq!(frame.unwrap().code, CloseCode::Normal);
        }
    })
    .await;
}

#[tokio::test]
async fn mixed_sends_big_binary_then_text_then_one_byte() {
    with_server(|port| async move {
        let mut ws = connect(port, "/mixed?size=1048576").await;
        let (got, frame) = drain(&mut ws).await;
        assert_eq!(
            got,
            vec![
                Message::binary(burst_binary(0, 1 << 20)),
                Message::text("after-big"),
                Message::binary(vec![42]),
            ]
        );
        assert_eq!(frame.unwrap().code, CloseCode::Normal);
    })
    .await;
}

#[tokio::test]
async fn reject_answers_403() {
    with_server(|port| async move {
        assert_eq!(refused(port, "/reject", None).await, 403);
    })
    .await;
}

#[tokio::test]
async fn slow_handshake_answers_after_the_delay() {
    with_server(|port| async move {
        let started = tokio::time::Instant::now();
        let mut ws = connect(port, "/slow-handshake?ms=300").await;
        assert!(started.elapsed() >= Duration::from_millis(300));
        ws.send(Message::text("late")).await.unwrap();
        assert_eq!(ws.next().await.unwrap().unwrap(), Message::text("late"));
    })
    .await;
}

#[tokio::test]
async fn hang_never_answers_the_handshake() {
    with_server(|port| async move {
        let attempt = connect_async(format!("ws://127.0.0.1:{port}/hang?id=h"));
        assert!(tokio::time::timeout(Duration::from_millis(700), attempt)
            .await
            .is_err());
        // The client gave up: the server notices the connection end.
        let s = stats(port, "h").await;
        assert_eq!(s["hangs"], 1);
        assert_eq!(s["hangs_live"], 0);
    })
    .await;
}

#[tokio::test]
async fn protocol_selects_what_the_test_asks_for() {
    with_server(|port| async move {
        for (select, want) in [("chat", Some("chat")), ("none", None)] {
            let mut req = format!("ws://127.0.0.1:{port}/protocol?select={select}&id=p{select}")
                .into_client_request()
                .unwrap();
            req.headers_mut()
                .insert("Sec-WebSocket-Protocol", "chat, superchat".parse().unwrap());
            let result = connect_async(req).await;
            match want {
                // tungstenite itself refuses a 101 without the protocol it asked for.
                None => assert!(result.is_err()),
                Some(p) => {
                    let (mut ws, resp) = result.unwrap();
                    assert_eq!(resp.headers()["sec-websocket-protocol"], p);
                    ws.close(None).await.unwrap();
                    let s = stats(port, &format!("p{select}")).await;
                    assert_eq!(
                        s["offered_protocols"],
                        serde_json::json!(["chat", "superchat"])
                    );
                }
            }
        }
    })
    .await;
}

#[tokio::test]
async fn any_other_endpoint_selects_the_clients_first_choice_in_its_order() {
    with_server(|port| async move {
        let mut req = format!("ws://127.0.0.1:{port}/echo?id=first")
            .into_client_request()
            .unwrap();
        req.headers_mut()
            .insert("Sec-WebSocket-Protocol", "superchat, chat".parse().unwrap());
        let (mut ws, resp) = connect_async(req).await.unwrap();
        assert_eq!(resp.headers()["sec-websocket-protocol"], "superchat");
        ws.close(None).await.unwrap();
        let s = stats(port, "first").await;
        assert_eq!(
            s["offered_protocols"],
            serde_json::json!(["superchat", "chat"])
        );
    })
    .await;
}

/// trunk 0.21's WebSocket proxy breaks when the backend negotiates permessage-deflate.
#[tokio::test]
async fn no_extension_is_negotiated() {
    with_server(|port| async move {
        let mut req = format!("ws://127.0.0.1:{port}/echo")
            .into_client_request()
            .unwrap();
        let deflate = "permessage-deflate; client_max_window_bits";
        req.headers_mut()
            .insert("Sec-WebSocket-Extensions", deflate.parse().unwrap());
        let (_, resp) = connect_async(req).await.unwrap();
        assert_eq!(resp.headers().get("sec-websocket-extensions"), None);
    })
    .await;
}

#[tokio::test]
async fn stats_are_served_with_cors_and_count_live_connections() {
    with_server(|port| async move {
        let ws = connect(port, "/echo?id=live").await;
        let (status, body) = http_get(port, "/stats?id=live").await;
        assert_eq!(status, "HTTP/1.1 200 OK");
        let s: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(s["live_tagged"], 1);
        assert_eq!(s["live"], 1);
        drop(ws);
        let s = stats(port, "live").await;
        assert_eq!(s["live_tagged"], 0);
        assert_eq!(s["live"], 0);

        let head = http_response(port, "/stats?id=x")
            .await
            .to_ascii_lowercase();
        assert!(
            head.contains("access-control-allow-origin: *\r\n"),
            "{head}"
        );
    })
    .await;
}

#[tokio::test]
async fn slow_reader_takes_its_time_and_counts_every_byte() {
    with_server(|port| async move {
        let mut ws = connect(port, "/slow-reader?ms=50&id=slow").await;
        let started = tokio::time::Instant::now();
        for _ in 0..4 {
            ws.send(Message::binary(vec![0u8; 1000])).await.unwrap();
        }
        ws.close(None).await.unwrap();
        let s = stats(port, "slow").await;
        assert!(started.elapsed() >= Duration::from_millis(150));
        assert_eq!(s["messages"], 4);
        assert_eq!(s["bytes"], 4000);
    })
    .await;
}

#[tokio::test]
async fn chat_relays_every_message_to_every_client_in_order() {
    with_server(|port| async move {
        let mut alice = connect(port, "/chat").await;
        let mut bob = connect(port, "/chat").await;
        // Both are subscribed once the first relayed message reaches both.
        alice.send(Message::text("hi")).await.unwrap();
        assert_eq!(alice.next().await.unwrap().unwrap(), Message::text("hi"));
        assert_eq!(bob.next().await.unwrap().unwrap(), Message::text("hi"));
        for i in 0..500 {
            bob.send(Message::text(format!("b{i}"))).await.unwrap();
        }
        for ws in [&mut alice, &mut bob] {
            for i in 0..500 {
                assert_eq!(
                    ws.next().await.unwrap().unwrap(),
                    Message::text(format!("b{i}"))
                );
            }
        }
    })
    .await;
}

#[tokio::test]
async fn static_mounts_serve_files_with_their_types_and_nothing_outside() {
    tokio::time::timeout(LIMIT, async {
        let base = std::env::temp_dir().join(format!("test-server-static-{}", std::process::id()));
        let dir = base.join("app");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(base.join("secret"), "outside").unwrap();
        std::fs::write(dir.join("index.html"), "<p>hi</p>").unwrap();
        std::fs::write(dir.join("app.wasm"), b"\0asm").unwrap();
        let mount = format!("/app/={}", dir.display()).parse().unwrap();
        let port = start_with(vec![mount]).await;

        for path in ["/app/", "/app", "/app/index.html"] {
            assert_eq!(
                http_get(port, path).await,
                ("HTTP/1.1 200 OK".into(), "<p>hi</p>".into())
            );
        }
        let head = http_response(port, "/app/app.wasm")
            .await
            .to_ascii_lowercase();
        assert!(
            head.contains("content-type: application/wasm\r\n"),
            "{head}"
        );
        for (path, status) in [
            ("/app/missing.js", "404 Not Found"),
            ("/app/../secret", "404 Not Found"),
            ("/app/%2e%2e/secret", "404 Not Found"),
            ("/elsewhere/", "426 Upgrade Required"),
        ] {
            assert_eq!(
                http_get(port, path).await.0,
                format!("HTTP/1.1 {status}"),
                "{path}"
            );
        }
        // A page under a policy of the test's choosing; none unless asked.
        let csp = "worker-src 'self'; script-src 'self' 'wasm-unsafe-eval'";
        let query = "?csp=worker-src%20'self'%3B%20script-src%20'self'%20'wasm-unsafe-eval'";
        let head = http_response(port, &format!("/app/index.html{query}")).await;
        assert!(
            head.contains(&format!("\r\ncontent-security-policy: {csp}\r\n")),
            "{head}"
        );
        let head = http_response(port, "/app/index.html").await;
        assert!(!head.contains("content-security-policy"), "{head}");
        assert!("app/=x".parse::<Mount>().is_err());
        assert!("/app/".parse::<Mount>().is_err());
        assert!("/=x".parse::<Mount>().is_err());
        for refused in ["/stats/=x", "/a//=x", "///=x", "/{x}/=x", "/:x/=x"] {
            assert!(refused.parse::<Mount>().is_err(), "{refused}");
        }
        std::fs::remove_dir_all(&base).unwrap();
    })
    .await
    .unwrap();
}

#[tokio::test]
async fn half_open_completes_the_handshake_then_never_answers_until_it_lets_go() {
    with_server(|port| async move {
        let mut ws = connect(port, "/half-open?ms=800&id=half").await;
        ws.send(Message::text("ping")).await.unwrap();
        ws.send(Message::Close(None)).await.unwrap();
        let started = tokio::time::Instant::now();
        // No pong, no Close reply: the next thing is the dropped connection.
        match ws.next().await {
            None | Some(Err(_)) => {}
            Some(Ok(m)) => panic!("a half-open peer sent {m:?}"),
        }
        assert!(
            started.elapsed() >= Duration::from_millis(600),
            "{:?}",
            started.elapsed()
        );
        let s = stats(port, "half").await;
        assert_eq!(
            (
                s["connections"].as_u64(),
                s["live_tagged"].as_u64(),
                s["messages"].as_u64()
            ),
            (Some(1), Some(0), Some(0))
        );
    })
    .await;
}
