//! Loopback WebSocket server for the `wasm-websocket` browser suite.
//!
//! It speaks the handshake itself (instead of letting tungstenite do it) so that each endpoint can
//! misbehave exactly as a test needs: answer 403, answer late, never answer, pick no subprotocol.
//! It never negotiates `permessage-deflate`: trunk 0.21's WebSocket proxy breaks when it is on.
//!
//! Every connection may carry `?id=TAG`; `GET /stats?id=TAG` reports what the server saw on the
//! connections with that tag, so tests can assert on what really reached the wire.
//!
//! `/chat` relays every message to every `/chat` connection (the sender too), for the example
//! apps; [`Mount`]s serve built apps as static files, so the end-to-end tests load pages and
//! sockets from one loopback origin.

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{broadcast, Notify};
use tokio_tungstenite::tungstenite::handshake::derive_accept_key;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::protocol::{CloseFrame, Role, WebSocketConfig};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::WebSocketStream;

/// The longest request head the server reads before giving up on a connection.
const MAX_HEAD: usize = 16 * 1024;
/// How many received text messages `/stats` reports per tag, so a flood cannot exhaust memory.
const KEPT_TEXTS: usize = 200;
/// How long `/stats?wait=closed` waits at most.
const STATS_WAIT: Duration = Duration::from_secs(10);
/// How long `/hang` holds a connection unless `?ms=` says otherwise: beyond any connect timeout.
const HANG: Duration = Duration::from_secs(120);
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
        if !prefix.starts_with('/') || !prefix.ends_with('/') {
            return Err(format!("the prefix {prefix:?} must start and end with /"));
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
    close_code: Option<u16>,
    close_reason: Option<String>,
    /// The subprotocols the client offered, in its order.
    offered_protocols: Vec<String>,
    /// `/hang` connections seen, and those still open (never answered, not yet closed by the
    /// client).
    hangs: u64,
    hangs_live: u64,
}

/// Shared server state: per-tag statistics, the global count of live WebSocket connections, the
/// chat room and the static mounts.
#[derive(Debug)]
pub struct Server {
    tags: Mutex<HashMap<String, TagStats>>,
    live: Mutex<u64>,
    changed: Notify,
    chat: broadcast::Sender<Message>,
    mounts: Vec<Mount>,
}

/// Accepts connections on `listener` forever, serving `mounts` as static files.
pub async fn serve(listener: TcpListener, mounts: Vec<Mount>) {
    let server = Arc::new(Server {
        tags: Mutex::default(),
        live: Mutex::default(),
        changed: Notify::new(),
        chat: broadcast::channel(CHAT_BACKLOG).0,
        mounts,
    });
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        let _ = stream.set_nodelay(true);
        let server = server.clone();
        tokio::spawn(async move {
            let _ = server.handle(stream).await;
        });
    }
}

/// A parsed HTTP request head.
#[derive(Debug)]
struct Request {
    path: String,
    query: HashMap<String, String>,
    headers: HashMap<String, String>,
}

impl Request {
    fn param<T: std::str::FromStr>(&self, name: &str, default: T) -> T {
        self.query
            .get(name)
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    }

    fn header(&self, name: &str) -> &str {
        self.headers.get(name).map(String::as_str).unwrap_or("")
    }

    fn tag(&self) -> Option<String> {
        self.query.get("id").cloned()
    }
}

async fn read_head(stream: &mut TcpStream) -> std::io::Result<Option<Request>> {
    let mut buf = Vec::with_capacity(1024);
    let mut chunk = [0u8; 1024];
    while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
        if buf.len() > MAX_HEAD {
            return Ok(None);
        }
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Ok(None);
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    let text = String::from_utf8_lossy(&buf);
    let mut lines = text.split("\r\n");
    let target = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .unwrap_or("/")
        .to_owned();
    let headers = lines
        .take_while(|l| !l.is_empty())
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let (path, query) = target.split_once('?').unwrap_or((&target, ""));
    let query = form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .collect();
    Ok(Some(Request {
        path: path.to_owned(),
        query,
        headers,
    }))
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

impl Server {
    async fn handle(self: Arc<Self>, mut stream: TcpStream) -> std::io::Result<()> {
        let Some(req) = read_head(&mut stream).await? else {
            return Ok(());
        };
        match req.path.as_str() {
            "/stats" => return self.stats(stream, &req).await,
            "/hang" => {
                // Never answer; notice when the client gives up, so /stats can say so.
                let tag = req.tag();
                self.update(tag.as_deref(), |s| {
                    s.hangs += 1;
                    s.hangs_live += 1;
                });
                let mut sink = [0u8; 256];
                let until_eof =
                    async { while matches!(stream.read(&mut sink).await, Ok(n) if n > 0) {} };
                let hold = Duration::from_millis(req.param("ms", HANG.as_millis() as u64));
                let _ = tokio::time::timeout(hold, until_eof).await;
                self.update(tag.as_deref(), |s| s.hangs_live -= 1);
                return Ok(());
            }
            "/reject" => {
                return respond(&mut stream, "403 Forbidden", "text/plain", "rejected").await;
            }
            "/slow-handshake" => {
                tokio::time::sleep(Duration::from_millis(req.param("ms", 1000))).await;
            }
            _ => {}
        }
        if !req.header("upgrade").eq_ignore_ascii_case("websocket") {
            if let Some(file) = self.static_file(&req.path) {
                return serve_file(&mut stream, &file).await;
            }
            return respond(
                &mut stream,
                "426 Upgrade Required",
                "text/plain",
                "websocket only",
            )
            .await;
        }
        let offered: Vec<String> = req
            .header("sec-websocket-protocol")
            .split(',')
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(str::to_owned)
            .collect();
        let selected = match req.path.as_str() {
            "/protocol" => match req.query.get("select").map(String::as_str) {
                None | Some("none") => None,
                Some(name) => Some(name.to_owned()),
            },
            // Everywhere else behave like a well-mannered server: pick the client's first choice.
            _ => offered.first().cloned(),
        };
        let accept = derive_accept_key(req.header("sec-websocket-key").as_bytes());
        let mut head = format!(
            "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\
             Sec-WebSocket-Accept: {accept}\r\n"
        );
        if let Some(p) = &selected {
            head.push_str(&format!("Sec-WebSocket-Protocol: {p}\r\n"));
        }
        head.push_str("\r\n");
        stream.write_all(head.as_bytes()).await?;

        let config = WebSocketConfig::default()
            .max_message_size(None)
            .max_frame_size(None);
        let ws = WebSocketStream::from_raw_socket(stream, Role::Server, Some(config)).await;
        let tag = req.tag();
        self.connected(tag.as_deref(), offered);
        let result = self.clone().endpoint(ws, &req).await;
        self.disconnected(tag.as_deref());
        result
    }

    fn update(&self, tag: Option<&str>, f: impl FnOnce(&mut TagStats)) {
        if let Some(tag) = tag {
            if let Ok(mut tags) = self.tags.lock() {
                f(tags.entry(tag.to_owned()).or_default());
            }
        }
        self.changed.notify_waiters();
    }

    fn connected(&self, tag: Option<&str>, offered: Vec<String>) {
        if let Ok(mut live) = self.live.lock() {
            *live += 1;
        }
        self.update(tag, |s| {
            s.connections += 1;
            s.live += 1;
            s.offered_protocols = offered;
        });
    }

    fn disconnected(&self, tag: Option<&str>) {
        if let Ok(mut live) = self.live.lock() {
            *live -= 1;
        }
        self.update(tag, |s| s.live -= 1);
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
            }
            Message::Binary(b) => {
                s.messages += 1;
                s.binary_messages += 1;
                s.bytes += b.len() as u64;
            }
            Message::Close(frame) => {
                // A Close frame without a body is reported as 1005, as RFC 6455 §7.1.5 says.
                s.close_code = Some(frame.as_ref().map_or(1005, |f| u16::from(f.code)));
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
        self: Arc<Self>,
        mut ws: WebSocketStream<TcpStream>,
        req: &Request,
    ) -> std::io::Result<()> {
        let tag = req.tag();
        let tag = tag.as_deref();
        match req.path.as_str() {
            "/close" => {
                let frame = CloseFrame {
                    code: CloseCode::from(req.param("code", 1000u16)),
                    reason: req.query.get("reason").cloned().unwrap_or_default().into(),
                };
                ws.close(Some(frame)).await.map_err(io)?;
            }
            "/abrupt" => {
                // Firefox dispatches neither open nor messages when the 101, the frames and the
                // FIN arrive together (measured: only close 1006); this probe is about a drop
                // after open, so let the open event through first.
                tokio::time::sleep(Duration::from_millis(req.param("open_ms", 100))).await;
                for i in 0..req.param("n", 3usize) {
                    ws.send(Message::text(format!("m{i}"))).await.map_err(io)?;
                }
                // Dropping the stream shuts the TCP connection with no Close frame.
                return Ok(());
            }
            "/burst" => {
                let n = req.param("n", 10usize);
                let size = req.param("size", 0usize);
                let kind = req.query.get("kind").map(String::as_str).unwrap_or("text");
                for i in 0..n {
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
                    ws.feed(msg).await.map_err(io)?;
                }
                ws.close(Some(CloseFrame {
                    code: CloseCode::Normal,
                    reason: "".into(),
                }))
                .await
                .map_err(io)?;
            }
            "/mixed" => {
                let size = req.param("size", 8usize << 20);
                ws.feed(Message::binary(burst_binary(0, size)))
                    .await
                    .map_err(io)?;
                ws.feed(Message::text("after-big")).await.map_err(io)?;
                ws.feed(Message::binary(vec![42u8])).await.map_err(io)?;
                ws.close(Some(CloseFrame {
                    code: CloseCode::Normal,
                    reason: "".into(),
                }))
                .await
                .map_err(io)?;
            }
            "/slow-reader" => {
                // Reads one message every `ms`, so the client's send buffer fills up.
                let pause = Duration::from_millis(req.param("ms", 100));
                while self.next_data(&mut ws, tag).await.is_some() {
                    tokio::time::sleep(pause).await;
                }
            }
            "/flaky" => {
                // Echoes for `up_ms`, then drops the TCP connection without a Close frame.
                let up = Duration::from_millis(req.param("up_ms", 500));
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
                    ws.send(reply).await.map_err(io)?;
                }
            }
            "/half-open" => {
                // A peer that is gone while its TCP connection stays open (a frozen server, a
                // dropped NAT mapping): nothing is read, nothing written, so the client's Close
                // frame is never answered, until `ms` have passed and the connection is dropped.
                tokio::time::sleep(Duration::from_millis(req.param("ms", 5_000))).await;
                return Ok(());
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
    async fn next_data(
        &self,
        ws: &mut WebSocketStream<TcpStream>,
        tag: Option<&str>,
    ) -> Option<Message> {
        while let Some(Ok(msg)) = ws.next().await {
            if !self.received(tag, &msg) {
                return None;
            }
            if msg.is_text() || msg.is_binary() {
                return Some(msg);
            }
        }
        None
    }

    /// Sends every message back unchanged until the client closes.
    async fn echo(
        &self,
        ws: &mut WebSocketStream<TcpStream>,
        tag: Option<&str>,
    ) -> std::io::Result<()> {
        while let Some(msg) = self.next_data(ws, tag).await {
            ws.send(msg).await.map_err(io)?;
        }
        Ok(())
    }

    /// Relays what this client sends to every chat client, and what anyone sends to this one,
    /// until the client closes.
    async fn chat(
        &self,
        ws: &mut WebSocketStream<TcpStream>,
        tag: Option<&str>,
    ) -> std::io::Result<()> {
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
                    Ok(msg) => ws.send(msg).await.map_err(io)?,
                    Err(broadcast::error::RecvError::Lagged(_)) => {
                        let frame = CloseFrame {
                            code: CloseCode::Policy,
                            reason: "fell behind the chat".into(),
                        };
                        return ws.close(Some(frame)).await.map_err(io);
                    }
                    Err(broadcast::error::RecvError::Closed) => return Ok(()),
                },
            }
        }
    }

    /// The file a GET of `path` maps to under a mount; `index.html` for a folder. Paths that
    /// climb out of the folder map to nothing.
    fn static_file(&self, path: &str) -> Option<PathBuf> {
        let path = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
        let (mount, rest) = self.mounts.iter().find_map(|m| {
            let rest = path
                .strip_prefix(&m.prefix)
                .or_else(|| (path == m.prefix[..m.prefix.len() - 1]).then_some(""))?;
            Some((m, rest))
        })?;
        let rest = Path::new(rest);
        if rest
            .components()
            .any(|c| !matches!(c, Component::Normal(_)))
        {
            return None;
        }
        let file = mount.dir.join(rest);
        Some(if file.is_dir() {
            file.join("index.html")
        } else {
            file
        })
    }

    async fn stats(&self, mut stream: TcpStream, req: &Request) -> std::io::Result<()> {
        let id = req.tag().unwrap_or_default();
        let wait_closed = req.query.get("wait").is_some_and(|w| w == "closed");
        let deadline = tokio::time::Instant::now() + STATS_WAIT;
        let body = loop {
            let changed = self.changed.notified();
            let stats = self
                .tags
                .lock()
                .ok()
                .and_then(|t| t.get(&id).cloned())
                .unwrap_or_default();
            let seen = stats.connections + stats.hangs > 0;
            let done = !wait_closed || (seen && stats.live == 0 && stats.hangs_live == 0);
            if done || tokio::time::Instant::now() >= deadline {
                let live = self.live.lock().map(|l| *l).unwrap_or(0);
                break json!({
                    "id": id,
                    "connections": stats.connections,
                    "live_tagged": stats.live,
                    "live": live,
                    "messages": stats.messages,
                    "text_messages": stats.text_messages,
                    "binary_messages": stats.binary_messages,
                    "bytes": stats.bytes,
                    "texts": stats.texts,
                    "close_code": stats.close_code,
                    "close_reason": stats.close_reason,
                    "offered_protocols": stats.offered_protocols,
                    "hangs": stats.hangs,
                    "hangs_live": stats.hangs_live,
                    "timed_out": !done,
                });
            }
            let _ = tokio::time::timeout_at(deadline, changed).await;
        };
        respond(&mut stream, "200 OK", "application/json", &body.to_string()).await
    }
}

/// A WebSocket error as the I/O error the handlers return.
fn io(e: tokio_tungstenite::tungstenite::Error) -> std::io::Error {
    std::io::Error::other(e)
}

async fn serve_file(stream: &mut TcpStream, file: &Path) -> std::io::Result<()> {
    let Ok(body) = tokio::fs::read(file).await else {
        return respond(stream, "404 Not Found", "text/plain", "not found").await;
    };
    let content_type = match file.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" => "text/javascript",
        // WebAssembly.instantiateStreaming insists on this type.
        "wasm" => "application/wasm",
        "css" => "text/css",
        "png" => "image/png",
        "svg" => "image/svg+xml",
        "json" => "application/json",
        _ => "application/octet-stream",
    };
    respond_bytes(stream, "200 OK", content_type, &body).await
}

async fn respond(
    stream: &mut TcpStream,
    status: &str,
    content_type: &str,
    body: &str,
) -> std::io::Result<()> {
    respond_bytes(stream, status, content_type, body.as_bytes()).await
}

async fn respond_bytes(
    stream: &mut TcpStream,
    status: &str,
    content_type: &str,
    body: &[u8],
) -> std::io::Result<()> {
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\
         Access-Control-Allow-Origin: *\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).await?;
    stream.write_all(body).await?;
    stream.shutdown().await
}
