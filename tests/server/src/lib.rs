//! Loopback WebSocket server for the `wasm-websocket` browser suite, on axum.
//!
//! Each endpoint misbehaves exactly as a test needs: answer 403, answer late, never answer, pick
//! no subprotocol, close with a given code, drop the connection. It never negotiates
//! `permessage-deflate` (axum's handshake offers no extensions): trunk 0.21's WebSocket proxy
//! breaks when it is on.
//!
//! Every connection may carry `?id=TAG`; `GET /stats?id=TAG` reports what the server saw on the
//! connections with that tag, so tests can assert on what really reached the wire.
//!
//! Two endpoints are real protocol servers that nobody here wrote, each with its own handshake
//! rules and close codes, for the suite to meet: `/graphql`, GraphQL over WebSocket served by
//! async-graphql (see `src/graphql.rs`), and `/jsonrpc`, JSON-RPC 2.0 over WebSocket served by
//! jsonrpsee (see `src/jsonrpc.rs`).
//!
//! `GET /restart?service=graphql|jsonrpc&down_ms=N` crashes one of them: its connections are cut
//! at once, and it answers upgrades with 503 for `down_ms` (see `src/restart.rs`).
//!
//! `/chat` relays every message to every `/chat` connection (the sender too), for the example
//! apps; [`Mount`]s serve built apps as static files, so the end-to-end tests load pages and
//! sockets from one loopback origin. A page asked for with `?csp=POLICY` comes with that
//! `Content-Security-Policy` header, so a test can load it under a real policy (one the page's
//! scripts cannot read or loosen, as a `<meta>` tag could be).

use std::collections::HashMap;
use std::future::Future;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::ws::rejection::WebSocketUpgradeRejection;
use axum::extract::ws::{close_code, CloseFrame, Message, WebSocket, WebSocketUpgrade};
use axum::extract::Request;
use axum::extract::{Query, State};
use axum::http::header::{
    ACCESS_CONTROL_ALLOW_ORIGIN, CACHE_CONTROL, CONNECTION, CONTENT_SECURITY_POLICY,
    SEC_WEBSOCKET_PROTOCOL,
};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{middleware, Json, Router};
use futures_util::{SinkExt, StreamExt};
use serde_json::json;
use tokio::net::TcpListener;
use tokio::sync::{broadcast, Notify};
use tower_http::services::ServeDir;

mod graphql;
mod jsonrpc;
mod restart;

use restart::{Restartable, Tracked};

/// How many received text messages `/stats` reports per tag, so a flood cannot exhaust memory.
const KEPT_TEXTS: usize = 200;
/// How long `/stats?wait=closed` waits at most.
const STATS_WAIT: Duration = Duration::from_secs(10);
/// How long `/hang` holds a connection unless `?ms=` says otherwise: beyond any connect timeout.
const HANG_MS: u64 = 120_000;
/// How many `/chat` messages a slow chat client may fall behind before it is disconnected
/// (with 1008) rather than silently skipping some.
const CHAT_BACKLOG: usize = 4096;

/// A folder served as static files under a path prefix: `/demo/` → `www/dist`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mount {
    /// The path prefix, starting and ending with `/`.
    pub prefix: String,
    /// The folder the files come from.
    pub dir: PathBuf,
}

impl std::str::FromStr for Mount {
    type Err = String;

    /// `PREFIX=DIR`, e.g. `/demo/=www/dist`.
    fn from_str(s: &str) -> Result<Mount, String> {
        let (prefix, dir) = s
            .split_once('=')
            .ok_or_else(|| format!("{s:?} is not PREFIX=DIR"))?;
        // One plain name: `/` alone would put the files in front of every endpoint, and the
        // router refuses (panics at start on) empty, overlapping or pattern-like paths.
        let name = prefix
            .strip_prefix('/')
            .and_then(|p| p.strip_suffix('/'))
            .unwrap_or_default();
        let plain = |c: char| c.is_ascii_alphanumeric() || "._-".contains(c);
        if name.is_empty() || !name.chars().all(plain) {
            return Err(format!(
                "the prefix {prefix:?} must be /NAME/ (letters, digits, . _ -)"
            ));
        }
        if ["stats", "hang", "reject", "graphql", "jsonrpc", "restart"].contains(&name) {
            return Err(format!(
                "the prefix {prefix:?} is an endpoint of the server"
            ));
        }
        Ok(Mount {
            prefix: prefix.to_owned(),
            dir: PathBuf::from(dir),
        })
    }
}

/// What the server saw on the connections that carried one `id` tag.
#[derive(Debug, Default, Clone)]
struct TagStats {
    connections: u64,
    live: u64,
    messages: u64,
    text_messages: u64,
    binary_messages: u64,
    bytes: u64,
    texts: Vec<String>,
    /// Every message's first 16 bytes (as text, lossily), text and binary alike: the order in
    /// which they arrived.
    labels: Vec<String>,
    close_code: Option<u16>,
    close_reason: Option<String>,
    /// The subprotocols the client offered, in its order.
    offered_protocols: Vec<String>,
    /// `/hang` connections seen, and those still open (never answered, not yet closed by the
    /// client).
    hangs: u64,
    hangs_live: u64,
    /// `/graphql` connections, and the `type` of each client frame they carried, in arrival order,
    /// as `N:TYPE` with N the connection's number among this tag's `/graphql` connections.
    gql_connections: u64,
    gql_frames: Vec<String>,
    /// `/jsonrpc` connections, and the JSON-RPC requests they carried (calls, notifications, each
    /// entry of a batch).
    rpc_connections: u64,
    rpc_requests: u64,
}

impl TagStats {
    fn label(&mut self, message: &[u8]) {
        if self.labels.len() < KEPT_TEXTS {
            let head = message.get(..16).unwrap_or(message);
            self.labels.push(String::from_utf8_lossy(head).into_owned());
        }
    }
}

/// Shared server state: per-tag statistics, the global count of live WebSocket connections, the
/// chat room and the GraphQL schema.
pub struct Server {
    tags: Mutex<HashMap<String, TagStats>>,
    live: AtomicU64,
    changed: Notify,
    chat: broadcast::Sender<Message>,
    schema: graphql::GqlSchema,
    rpc: jsonrpc::Rpc,
    /// `/graphql` and `/jsonrpc`, for `/restart` to crash.
    graphql: Restartable,
    jsonrpc: Restartable,
}

/// A request's query string, e.g. `?id=TAG&ms=300`.
type Params = HashMap<String, String>;

fn param<T: std::str::FromStr>(params: &Params, name: &str, default: T) -> T {
    params
        .get(name)
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Accepts connections on `listener` forever, serving `mounts` as static files.
///
/// Boxed here, so the whole server is compiled in this crate, once: returned as a plain future,
/// every crate that awaits it (the binary, each test) compiles the server's generic code again.
pub fn serve(
    listener: TcpListener,
    mounts: Vec<Mount>,
) -> Pin<Box<dyn Future<Output = ()> + Send>> {
    Box::pin(serve_forever(listener, mounts))
}

async fn serve_forever(listener: TcpListener, mounts: Vec<Mount>) {
    // Registering three methods under distinct names cannot fail.
    let rpc = match jsonrpc::Rpc::new() {
        Ok(rpc) => rpc,
        Err(e) => panic!("the JSON-RPC methods: {e}"),
    };
    let server = Arc::new(Server {
        tags: Mutex::default(),
        live: AtomicU64::new(0),
        changed: Notify::new(),
        chat: broadcast::channel(CHAT_BACKLOG).0,
        schema: graphql::schema(),
        rpc,
        graphql: Restartable::default(),
        jsonrpc: Restartable::default(),
    });
    let mut app = Router::new()
        .route("/stats", get(stats))
        .route("/hang", get(hang))
        .route("/reject", get((StatusCode::FORBIDDEN, "rejected")))
        .route("/graphql", get(graphql::socket))
        .route("/jsonrpc", get(jsonrpc::socket))
        .route("/restart", get(restart))
        // Every other path is a WebSocket endpoint, `/echo` unless named below.
        .fallback(socket);
    for mount in mounts {
        // Nested at `/demo`, the folder answers `/demo` and `/demo/` with its index.html.
        let at = mount.prefix.trim_end_matches('/');
        app = app.nest_service(at, ServeDir::new(mount.dir));
    }
    let app = app
        .layer(middleware::map_response(plain_http_headers))
        .layer(middleware::from_fn(policy_from_query))
        .with_state(server);
    let app = app.into_make_service_with_connect_info::<restart::Conn>();
    let _ = axum::serve(Tracked(listener), app).await;
}

/// Every answer but a 101: readable from any origin (the suite's pages come from another port),
/// never cached, and the end of its connection, as today's tests and tools read to the end.
async fn plain_http_headers(mut response: Response) -> Response {
    if response.status() != StatusCode::SWITCHING_PROTOCOLS {
        let headers = response.headers_mut();
        headers.insert(ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
        headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
        headers.insert(CONNECTION, HeaderValue::from_static("close"));
    }
    response
}

/// An answer to a request with `?csp=POLICY` carries `Content-Security-Policy: POLICY`.
async fn policy_from_query(request: Request, next: middleware::Next) -> Response {
    let policy = Query::<Params>::try_from_uri(request.uri())
        .ok()
        .and_then(|Query(mut params)| params.remove("csp"))
        .and_then(|p| HeaderValue::from_str(&p).ok());
    let mut response = next.run(request).await;
    if let Some(policy) = policy {
        response
            .headers_mut()
            .insert(CONTENT_SECURITY_POLICY, policy);
    }
    response
}

/// Pattern byte `k` of binary message `i`: cheap to check, different per message.
pub fn pattern(i: usize, k: usize) -> u8 {
    (i.wrapping_mul(31).wrapping_add(k)) as u8
}

/// Binary message `i` of a burst: its number as 4 little-endian bytes, then pattern bytes.
pub fn burst_binary(i: usize, size: usize) -> Vec<u8> {
    let mut v: Vec<u8> = (0..size.max(4)).map(|k| pattern(i, k)).collect();
    v[..4].copy_from_slice(&(i as u32).to_le_bytes());
    v
}

/// Text message `i` of a burst: its number, then `.` up to `size` bytes.
pub fn burst_text(i: usize, size: usize) -> String {
    let mut s = i.to_string();
    while s.len() < size {
        s.push('.');
    }
    s
}

/// A WebSocket connection (or a `/hang` request) counted live from its start to its drop, so an
/// abandoned request, a failed upgrade and an early return all count out.
struct Live {
    server: Arc<Server>,
    tag: Option<String>,
    hang: bool,
}

impl Live {
    fn start(server: Arc<Server>, params: &Params, hang: bool, offered: Vec<String>) -> Live {
        let tag = params.get("id").cloned();
        if !hang {
            server.live.fetch_add(1, Ordering::Relaxed);
        }
        server.update(tag.as_deref(), |s| {
            if hang {
                s.hangs += 1;
                s.hangs_live += 1;
            } else {
                s.connections += 1;
                s.live += 1;
                s.offered_protocols = offered;
            }
        });
        Live { server, tag, hang }
    }
}

impl Drop for Live {
    fn drop(&mut self) {
        if !self.hang {
            self.server.live.fetch_sub(1, Ordering::Relaxed);
        }
        let hang = self.hang;
        self.server.update(self.tag.as_deref(), |s| {
            let live = if hang { &mut s.hangs_live } else { &mut s.live };
            *live = live.saturating_sub(1);
        });
    }
}

/// Does not answer the handshake; notices when the client gives up (hyper drops the handler when
/// the connection ends), so /stats can say so. After `ms` it gives up itself: 408 and close.
async fn hang(State(server): State<Arc<Server>>, Query(params): Query<Params>) -> StatusCode {
    let _live = Live::start(server, &params, true, Vec::new());
    tokio::time::sleep(Duration::from_millis(param(&params, "ms", HANG_MS))).await;
    StatusCode::REQUEST_TIMEOUT
}

/// The subprotocols a client offered, in its order.
///
/// From the header, not `requested_protocols()`, which axum keeps sorted: the client's order is
/// what a server chooses by and what `/stats` reports.
fn offered_protocols(headers: &HeaderMap) -> Vec<String> {
    headers
        .get_all(SEC_WEBSOCKET_PROTOCOL)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Every WebSocket endpoint: the handshake, then [`Server::endpoint`].
async fn socket(
    State(server): State<Arc<Server>>,
    uri: Uri,
    Query(params): Query<Params>,
    headers: HeaderMap,
    upgrade: Result<WebSocketUpgrade, WebSocketUpgradeRejection>,
) -> Response {
    let Ok(mut upgrade) = upgrade else {
        return (StatusCode::UPGRADE_REQUIRED, "websocket only").into_response();
    };
    let path = uri.path().to_owned();
    if path == "/slow-handshake" {
        tokio::time::sleep(Duration::from_millis(param(&params, "ms", 1000))).await;
    }
    let offered = offered_protocols(&headers);
    let selected = match path.as_str() {
        "/protocol" => match params.get("select").map(String::as_str) {
            None | Some("none") => None,
            Some(name) => Some(name.to_owned()),
        },
        // Everywhere else behave like a well-mannered server: pick the client's first choice.
        _ => offered.first().cloned(),
    };
    if let Some(p) = selected.and_then(|p| HeaderValue::from_str(&p).ok()) {
        upgrade.set_selected_protocol(p);
    }
    let live = Live::start(server.clone(), &params, false, offered);
    upgrade
        .max_message_size(usize::MAX)
        .max_frame_size(usize::MAX)
        .on_upgrade(move |ws| async move {
            let _live = live;
            let _ = server.endpoint(ws, &path, &params).await;
        })
}

impl Server {
    fn update(&self, tag: Option<&str>, f: impl FnOnce(&mut TagStats)) {
        if let Some(tag) = tag {
            if let Ok(mut tags) = self.tags.lock() {
                f(tags.entry(tag.to_owned()).or_default());
            }
        }
        self.changed.notify_waiters();
    }

    /// Records an incoming message; returns false once the client's Close frame has arrived.
    fn received(&self, tag: Option<&str>, msg: &Message) -> bool {
        self.update(tag, |s| match msg {
            Message::Text(t) => {
                s.messages += 1;
                s.text_messages += 1;
                s.bytes += t.len() as u64;
                if s.texts.len() < KEPT_TEXTS {
                    s.texts.push(t.chars().take(64).collect());
                }
                s.label(t.as_bytes());
            }
            Message::Binary(b) => {
                s.messages += 1;
                s.binary_messages += 1;
                s.bytes += b.len() as u64;
                s.label(b);
            }
            Message::Close(frame) => {
                // A Close frame without a body is reported as 1005, as RFC 6455 §7.1.5 says.
                s.close_code = Some(frame.as_ref().map_or(1005, |f| f.code));
                s.close_reason = Some(
                    frame
                        .as_ref()
                        .map_or(String::new(), |f| f.reason.to_string()),
                );
            }
            _ => {}
        });
        !matches!(msg, Message::Close(_))
    }

    async fn endpoint(
        &self,
        mut ws: WebSocket,
        path: &str,
        params: &Params,
    ) -> Result<(), axum::Error> {
        let tag = params.get("id").map(String::as_str);
        match path {
            "/close" => {
                let frame = CloseFrame {
                    code: param(params, "code", close_code::NORMAL),
                    reason: params.get("reason").cloned().unwrap_or_default().into(),
                };
                ws.send(Message::Close(Some(frame))).await?;
            }
            "/abrupt" => {
                // Firefox dispatches neither open nor messages when the 101, the frames and the
                // FIN arrive together (measured: only close 1006); this probe is about a drop
                // after open, so let the open event through first.
                tokio::time::sleep(Duration::from_millis(param(params, "open_ms", 100))).await;
                for i in 0..param(params, "n", 3usize) {
                    ws.send(Message::text(format!("m{i}"))).await?;
                }
                // Dropping the socket shuts the TCP connection with no Close frame.
                return Ok(());
            }
            "/burst" => {
                let size = param(params, "size", 0usize);
                let kind = params.get("kind").map(String::as_str).unwrap_or("text");
                for i in 0..param(params, "n", 10usize) {
                    let binary = match kind {
                        "binary" => true,
                        "mixed" => i % 2 == 1,
                        _ => false,
                    };
                    let msg = if binary {
                        Message::binary(burst_binary(i, size))
                    } else {
                        Message::text(burst_text(i, size))
                    };
                    ws.feed(msg).await?;
                }
                ws.send(normal_close()).await?;
            }
            "/mixed" => {
                let size = param(params, "size", 8usize << 20);
                ws.feed(Message::binary(burst_binary(0, size))).await?;
                ws.feed(Message::text("after-big")).await?;
                ws.feed(Message::binary(vec![42u8])).await?;
                ws.send(normal_close()).await?;
            }
            "/slow-reader" => {
                // Reads one message every `ms`, so the client's send buffer fills up.
                let pause = Duration::from_millis(param(params, "ms", 100));
                while self.next_data(&mut ws, tag).await.is_some() {
                    tokio::time::sleep(pause).await;
                }
            }
            "/flaky" => {
                // Echoes for `up_ms`, then drops the TCP connection without a Close frame.
                let up = Duration::from_millis(param(params, "up_ms", 500));
                let _ = tokio::time::timeout(up, self.echo(&mut ws, tag)).await;
                return Ok(());
            }
            "/pong" => {
                // An application-level heartbeat peer: "ping" gets "pong", the rest is echoed.
                while let Some(msg) = self.next_data(&mut ws, tag).await {
                    let reply = match &msg {
                        Message::Text(t) if t.as_str() == "ping" => Message::text("pong"),
                        _ => msg,
                    };
                    ws.send(reply).await?;
                }
            }
            "/half-open" => {
                // A peer that is gone while its TCP connection stays open (a frozen server, a
                // dropped NAT mapping): nothing is read, nothing written, so the client's Close
                // frame is never answered, until `ms` have passed and the connection is dropped.
                tokio::time::sleep(Duration::from_millis(param(params, "ms", 5_000))).await;
                return Ok(());
            }
            "/params" => {
                // The query as the server decoded it, one `key=value` per message, by key.
                let mut pairs: Vec<_> = params.iter().collect();
                pairs.sort();
                for (key, value) in pairs {
                    ws.feed(Message::text(format!("{key}={value}"))).await?;
                }
                ws.send(normal_close()).await?;
            }
            "/chat" => self.chat(&mut ws, tag).await?,
            // Accepts and reads (answering Close frames), never sends a message.
            "/silent" => while self.next_data(&mut ws, tag).await.is_some() {},
            // /echo, /protocol, /slow-handshake and anything else.
            _ => self.echo(&mut ws, tag).await?,
        }
        // Drain until the client's Close frame (tungstenite answers it) or the end of the TCP
        // stream, recording what arrives, so /stats can report the client's close code.
        while let Some(Ok(msg)) = ws.next().await {
            self.received(tag, &msg);
        }
        Ok(())
    }

    /// The next text or binary message, recorded for `/stats`; `None` once the client's Close
    /// frame (or the end of the connection) has come.
    async fn next_data(&self, ws: &mut WebSocket, tag: Option<&str>) -> Option<Message> {
        while let Some(Ok(msg)) = ws.next().await {
            if !self.received(tag, &msg) {
                return None;
            }
            if matches!(msg, Message::Text(_) | Message::Binary(_)) {
                return Some(msg);
            }
        }
        None
    }

    /// Sends every message back unchanged until the client closes.
    async fn echo(&self, ws: &mut WebSocket, tag: Option<&str>) -> Result<(), axum::Error> {
        while let Some(msg) = self.next_data(ws, tag).await {
            ws.send(msg).await?;
        }
        Ok(())
    }

    /// Relays what this client sends to every chat client, and what anyone sends to this one,
    /// until the client closes.
    async fn chat(&self, ws: &mut WebSocket, tag: Option<&str>) -> Result<(), axum::Error> {
        let mut room = self.chat.subscribe();
        loop {
            tokio::select! {
                msg = self.next_data(ws, tag) => match msg {
                    // It cannot fail: this connection holds a receiver.
                    Some(msg) => {
                        let _ = self.chat.send(msg);
                    }
                    None => return Ok(()),
                },
                relayed = room.recv() => match relayed {
                    Ok(msg) => ws.send(msg).await?,
                    Err(broadcast::error::RecvError::Lagged(_)) => {
                        let frame = CloseFrame {
                            code: close_code::POLICY,
                            reason: "fell behind the chat".into(),
                        };
                        return ws.send(Message::Close(Some(frame))).await;
                    }
                    Err(broadcast::error::RecvError::Closed) => return Ok(()),
                },
            }
        }
    }
}

fn normal_close() -> Message {
    Message::Close(Some(CloseFrame {
        code: close_code::NORMAL,
        reason: "".into(),
    }))
}

/// `/restart?service=graphql|jsonrpc&down_ms=N` (see `src/restart.rs`): answers what it did, as
/// `{"service", "down_ms", "closed", "restarts"}`, `closed` being the connections it cut.
async fn restart(State(server): State<Arc<Server>>, Query(params): Query<Params>) -> Response {
    let (name, service) = match params.get("service").map(String::as_str) {
        Some("graphql") => ("graphql", &server.graphql),
        Some("jsonrpc") => ("jsonrpc", &server.jsonrpc),
        _ => return (StatusCode::BAD_REQUEST, "service=graphql|jsonrpc").into_response(),
    };
    let down_ms = match params.get("down_ms").map(|ms| ms.parse::<u64>()) {
        None => 0,
        Some(Ok(ms)) => ms,
        Some(Err(_)) => return (StatusCode::BAD_REQUEST, "down_ms=MILLISECONDS").into_response(),
    };
    match service.restart(Duration::from_millis(down_ms)) {
        Some((closed, restarts)) => Json(json!({
            "service": name,
            "down_ms": down_ms,
            "closed": closed,
            "restarts": restarts,
        }))
        .into_response(),
        None => (StatusCode::BAD_REQUEST, "down_ms is too long").into_response(),
    }
}

async fn stats(
    State(server): State<Arc<Server>>,
    Query(params): Query<Params>,
) -> Json<serde_json::Value> {
    let id = params.get("id").cloned().unwrap_or_default();
    let wait_closed = params.get("wait").is_some_and(|w| w == "closed");
    let deadline = tokio::time::Instant::now() + STATS_WAIT;
    loop {
        let changed = server.changed.notified();
        let stats = server
            .tags
            .lock()
            .ok()
            .and_then(|t| t.get(&id).cloned())
            .unwrap_or_default();
        let seen = stats.connections + stats.hangs > 0;
        let done = !wait_closed || (seen && stats.live == 0 && stats.hangs_live == 0);
        if done || tokio::time::Instant::now() >= deadline {
            return Json(json!({
                "id": id,
                "connections": stats.connections,
                "live_tagged": stats.live,
                "live": server.live.load(Ordering::Relaxed),
                "messages": stats.messages,
                "text_messages": stats.text_messages,
                "binary_messages": stats.binary_messages,
                "bytes": stats.bytes,
                "texts": stats.texts,
                "labels": stats.labels,
                "close_code": stats.close_code,
                "close_reason": stats.close_reason,
                "offered_protocols": stats.offered_protocols,
                "hangs": stats.hangs,
                "hangs_live": stats.hangs_live,
                "gql_connections": stats.gql_connections,
                "gql_frames": stats.gql_frames,
                "rpc_connections": stats.rpc_connections,
                "rpc_requests": stats.rpc_requests,
                "restarts": {
                    "graphql": server.graphql.restarts(),
                    "jsonrpc": server.jsonrpc.restarts(),
                },
                "timed_out": !done,
            }));
        }
        let _ = tokio::time::timeout_at(deadline, changed).await;
    }
}
