//! Shared helpers: the frame every test runs in, the server's address and its `/stats`.

use std::cell::Cell;
use std::future::Future;

use futures::future::{select, Either};
use futures::StreamExt;
use gloo_events::EventListener;
use js_sys::{Promise, Reflect, JSON};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use wasm_websocket::{Builder, Error, Message, WebSocket};

/// Baked in at compile time: a browser test cannot read the environment.
pub const SERVER: &str = match option_env!("WS_TEST_SERVER") {
    Some(url) => url,
    None => "ws://127.0.0.1:9001",
};

/// A URL nothing listens on, a new one each call: a port browsers do not block (blocked ports
/// behave differently), on a loopback address of its own. Firefox delays a new connection to a
/// host:port whose connections failed lately (up to a minute), and lets only one connection to
/// an address be connecting at a time: on the test server's address, or on one port, refused
/// connections in one test would slow the connections of the tests after it.
pub fn refused_url() -> String {
    thread_local! {
        static NEXT: std::cell::Cell<u16> = const { std::cell::Cell::new(0) };
    }
    let n = NEXT.get();
    NEXT.set(n.wrapping_add(1) % 2_000);
    format!("ws://127.0.0.2:{}/", 58_000 + n)
}

pub fn url(path: &str) -> String {
    format!("{SERVER}{path}")
}

/// A builder for the test server's `path`.
pub fn builder(path: &str) -> Builder {
    WebSocket::builder(url(path))
}

/// The socket `builder` connects, or the test fails with why not.
pub async fn connect(builder: Builder) -> WebSocket {
    match builder.connect().await {
        Ok(ws) => ws,
        Err(e) => panic!("could not connect: {e}"),
    }
}

/// A socket connected to the test server's `path`.
pub async fn connected(path: &str) -> WebSocket {
    connect(builder(path)).await
}

/// A tag unique within this run, for `?id=` and `/stats`.
pub fn tag(name: &str) -> String {
    thread_local!(static N: Cell<u32> = const { Cell::new(0) });
    let n = N.with(|c| {
        c.set(c.get() + 1);
        c.get()
    });
    format!("{name}-{}-{n}", js_sys::Date::now() as u64)
}

// The global scope's own functions, so that the helpers work in a page and in a worker alike.
#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    // Through `globalThis`: the crate imports the bare `setTimeout`, and two identical imports
    // would clash at link time.
    #[wasm_bindgen(js_namespace = globalThis, js_name = setTimeout)]
    fn set_timeout(handler: &js_sys::Function, ms: i32) -> JsValue;
    #[wasm_bindgen(js_namespace = globalThis, js_name = fetch)]
    fn global_fetch(url: &str) -> Promise;
}

pub async fn sleep(ms: u32) {
    let promise = Promise::new(&mut |resolve, _| {
        set_timeout(&resolve, ms as i32);
    });
    let _ = JsFuture::from(promise).await;
}

/// `location.host` of the page or of the worker's script.
pub fn location_host() -> String {
    Reflect::get(&js_sys::global(), &"location".into())
        .and_then(|location| Reflect::get(&location, &"host".into()))
        .ok()
        .and_then(|host| host.as_string())
        .expect("a location with a host")
}

/// The page's or the worker's global scope, as an event target.
pub fn global_scope() -> web_sys::EventTarget {
    js_sys::global().unchecked_into()
}

/// The frame of every browser test, awaited: `browser_test!(ms, async { … });` as the test's
/// whole body. See [`browser_frame`].
macro_rules! browser_test {
    ($ms:expr, $body:expr) => {
        $crate::util::browser_frame($ms, $body).await
    };
}
pub(crate) use browser_test;

/// Fails with the command to run if the test server does not answer, runs `body` within `ms`
/// (one hang fails one test, not the suite), and fails if any JS error went uncaught meanwhile
/// (a callback run after it was freed would be one).
pub async fn browser_frame<T>(ms: u32, body: impl Future<Output = T>) -> T {
    let errors = JsErrors::watch();
    require_server().await;
    DRIVERS_AT_START.set(wasm_websocket::running_drivers());
    let value = within(ms, body).await;
    // The test ends once the drivers of the reconnecting sockets it dropped have ended, so the
    // next test starts without this one's listeners and timers.
    let still_runs = "a reconnect driver started in the test still runs after it";
    awaited(still_runs, 5_000, drivers_ended()).await;
    errors.assert_none();
    value
}

thread_local!(static DRIVERS_AT_START: Cell<usize> = const { Cell::new(0) });

/// The live JS callbacks once the drivers started in this test have ended: a reconnecting
/// socket's driver ends on a later turn of the event loop than the drop that stops it, and its
/// callbacks with it. At a test's start, the earlier tests' drivers have ended (their frames
/// waited for them).
pub async fn settled_live_callbacks() -> usize {
    drivers_ended().await;
    wasm_websocket::live_callbacks()
}

/// Ready once the reconnect drivers started in this test have ended (those still in use too:
/// drop their sockets first).
pub async fn drivers_ended() {
    wasm_websocket::drivers_down_to(DRIVERS_AT_START.get()).await;
}

/// Fails the test (not the whole suite) if `fut` takes longer than `ms`.
pub async fn within<T>(ms: u32, fut: impl Future<Output = T>) -> T {
    awaited("timed out", ms, fut).await
}

/// Fails the test, saying what did not happen, if `fut` takes longer than `ms`.
pub async fn awaited<T>(what: &str, ms: u32, fut: impl Future<Output = T>) -> T {
    match select(Box::pin(fut), Box::pin(sleep(ms))).await {
        Either::Left((value, _)) => value,
        Either::Right(_) => panic!("{what}: not within {ms} ms"),
    }
}

/// Ready once `/stats?id=..` satisfies `done` (asked every 20 ms); fails the test, saying `what`
/// did not happen, after `ms`.
pub async fn until_stats(id: &str, what: &str, ms: u32, done: impl Fn(&Stats) -> bool) {
    awaited(what, ms, async {
        while !done(&stats_now(id).await) {
            sleep(20).await;
        }
    })
    .await;
}

/// Panics with the command that starts the test server unless it answers `/stats` within 5 s;
/// once it has answered, the check is skipped for the rest of the run.
async fn require_server() {
    thread_local!(static ANSWERED: Cell<bool> = const { Cell::new(false) });
    if ANSWERED.get() {
        return;
    }
    let http = SERVER.replacen("ws", "http", 1);
    let probe = JsFuture::from(global_fetch(&format!("{http}/stats?id=probe")));
    let answered = match select(probe, Box::pin(sleep(5_000))).await {
        Either::Left((response, _)) => response
            .ok()
            .and_then(|r| r.dyn_into::<web_sys::Response>().ok())
            .is_some_and(|r| r.ok()),
        Either::Right(_) => false,
    };
    assert!(
        answered,
        "the test server does not answer at {SERVER}: start it with `cargo xtask server` \
         (in another terminal), then run the tests again"
    );
    ANSWERED.set(true);
}

/// What the server saw on connections tagged `id`, once they have all ended.
#[derive(Debug)]
pub struct Stats(JsValue);

impl Stats {
    pub fn num(&self, key: &str) -> f64 {
        Reflect::get(&self.0, &key.into())
            .ok()
            .and_then(|v| v.as_f64())
            .unwrap_or(-1.0)
    }
    pub fn string(&self, key: &str) -> Option<String> {
        Reflect::get(&self.0, &key.into())
            .ok()
            .and_then(|v| v.as_string())
    }
    pub fn strings(&self, key: &str) -> Vec<String> {
        let array: js_sys::Array = Reflect::get(&self.0, &key.into())
            .ok()
            .and_then(|v| v.dyn_into().ok())
            .unwrap_or_default();
        array.iter().filter_map(|v| v.as_string()).collect()
    }
}

/// A handshake on an echo server: sends "hello" and waits for its echo.
pub fn hello() -> wasm_websocket::Handshake {
    wasm_websocket::Handshake::exchange(|mut io| async move {
        io.send(Message::Text("hello".into()))?;
        match io.next().await? {
            Message::Text(t) if t == "hello" => Ok(()),
            other => Err(Error::Handshake {
                reason: format!("expected hello, got {other:?}"),
            }),
        }
    })
}

/// `GET /restart?service=..&down_ms=..`: one of the test server's protocol servers (`graphql`,
/// `jsonrpc`) crashes, every connection cut at once, and refuses connections for `down_ms`.
pub async fn restart(service: &str, down_ms: u32) {
    let http = SERVER.replacen("ws", "http", 1);
    let path = format!("{http}/restart?service={service}&down_ms={down_ms}");
    let response = JsFuture::from(global_fetch(&path))
        .await
        .expect("the test server must answer /restart: is it running?");
    let response: web_sys::Response = response.dyn_into().expect("a Response");
    assert!(response.ok(), "/restart answered {}", response.status());
}

/// `/stats?id=..` as it is now.
pub async fn stats_now(id: &str) -> Stats {
    Stats(fetch_stats(&format!("/stats?id={id}")).await)
}

async fn fetch_stats(path: &str) -> JsValue {
    let http = SERVER.replacen("ws", "http", 1);
    let response = JsFuture::from(global_fetch(&format!("{http}{path}")))
        .await
        .expect("the test server must answer /stats: is it running?");
    let response: web_sys::Response = response.dyn_into().expect("a Response");
    let text = JsFuture::from(response.text().expect("text()"))
        .await
        .expect("body");
    JSON::parse(&text.as_string().expect("a string")).expect("json")
}

/// `/stats?id=..&wait=closed`: waits (server side, up to 10 s) for the tagged connections to end.
pub async fn stats(id: &str) -> Stats {
    let stats = Stats(fetch_stats(&format!("/stats?id={id}&wait=closed")).await);
    let timed_out = Reflect::get(&stats.0, &"timed_out".into())
        .ok()
        .and_then(|v| v.as_bool());
    assert_eq!(
        timed_out,
        Some(false),
        "connections tagged {id} did not end: {:?}",
        JSON::stringify(&stats.0).ok()
    );
    stats
}

/// Counts uncaught JS errors and unhandled rejections ("closure invoked after being dropped"
/// would be one).
struct JsErrors {
    count: std::rc::Rc<Cell<u32>>,
    _listeners: [EventListener; 2],
}

impl JsErrors {
    fn watch() -> JsErrors {
        let scope = global_scope();
        let count = std::rc::Rc::new(Cell::new(0));
        let listen = |name| {
            let count = count.clone();
            EventListener::new(&scope, name, move |e| {
                web_sys::console::error_2(&format!("uncaught {name}:").into(), e);
                count.set(count.get() + 1);
            })
        };
        JsErrors {
            _listeners: [listen("error"), listen("unhandledrejection")],
            count,
        }
    }

    fn assert_none(&self) {
        assert_eq!(self.count.get(), 0, "uncaught JS errors during the test");
    }
}

/// Everything the stream yields until it ends, asserting that it stays ended (fused).
pub async fn drain(ws: &mut WebSocket) -> Vec<Result<Message, Error>> {
    let mut items = Vec::new();
    while let Some(item) = ws.next().await {
        items.push(item);
    }
    assert!(ws.next().await.is_none(), "the stream must stay ended");
    items
}

pub fn text(s: &str) -> Message {
    Message::Text(s.to_owned())
}

/// The binary message number `i` of a `/burst` (same pattern as the server's).
pub fn burst_binary(i: usize, size: usize) -> Vec<u8> {
    let mut v: Vec<u8> = (0..size.max(4))
        .map(|k| (i.wrapping_mul(31).wrapping_add(k)) as u8)
        .collect();
    v[..4].copy_from_slice(&(i as u32).to_le_bytes());
    v
}

pub fn burst_text(i: usize, size: usize) -> String {
    let mut s = i.to_string();
    while s.len() < size {
        s.push('.');
    }
    s
}

/// Makes the crate see the browser as offline, and puts its view of `navigator.onLine` back when
/// the test ends, even by a panic.
pub struct Offline;

impl Offline {
    pub fn force() -> Offline {
        wasm_websocket::force_online(Some(false));
        Offline
    }
}

impl Drop for Offline {
    fn drop(&mut self) {
        wasm_websocket::force_online(None);
    }
}
