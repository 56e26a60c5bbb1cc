//! The helpers every test file of the test server uses, kept once so that how the tests start,
//! bound and question the server cannot drift apart between the files.

use std::time::Duration;

use serde_json::Value;
use test_server::Mount;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::Error as WsError;
use tokio_tungstenite::{connect_async, MaybeTlsStream, WebSocketStream};

pub type Client = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// Every test bounds itself: a server bug fails one test, it does not hang the suite.
pub const LIMIT: Duration = Duration::from_secs(20);

/// Starts a server and runs `body` against its port; fails after `LIMIT`.
pub async fn with_server<F: std::future::Future<Output = ()>>(body: impl FnOnce(u16) -> F) {
    let port = start_with(Vec::new()).await;
    if tokio::time::timeout(LIMIT, body(port)).await.is_err() {
        panic!("the test took longer than {LIMIT:?}");
    }
}

/// A server of its own on a free port, so tests run side by side without sharing state.
pub async fn start_with(mounts: Vec<Mount>) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(test_server::serve(listener, mounts));
    port
}

/// A plain HTTP GET; returns the whole response, which the server ends by closing.
pub async fn http_response(port: u16, path: &str) -> String {
    let mut s = TcpStream::connect(("127.0.0.1", port)).await.unwrap();
    s.write_all(format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").as_bytes())
        .await
        .unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).await.unwrap();
    out
}

/// A plain HTTP GET; returns the status line and body.
pub async fn http_get(port: u16, path: &str) -> (String, String) {
    let out = http_response(port, path).await;
    let (head, body) = out.split_once("\r\n\r\n").unwrap();
    (head.lines().next().unwrap().to_owned(), body.to_owned())
}

/// `/stats` for `id` once its connections have closed.
pub async fn stats(port: u16, id: &str) -> Value {
    let (status, body) = http_get(port, &format!("/stats?id={id}&wait=closed")).await;
    assert_eq!(status, "HTTP/1.1 200 OK");
    serde_json::from_str(&body).unwrap()
}

/// An upgrade the server refuses with this HTTP status.
pub async fn refused(port: u16, path: &str, protocol: Option<&str>) -> u16 {
    let mut req = format!("ws://127.0.0.1:{port}{path}")
        .into_client_request()
        .unwrap();
    if let Some(p) = protocol {
        req.headers_mut()
            .insert("Sec-WebSocket-Protocol", p.parse().unwrap());
    }
    match connect_async(req).await {
        Err(WsError::Http(resp)) => resp.status().as_u16(),
        other => panic!("expected a refusal, got {other:?}"),
    }
}
