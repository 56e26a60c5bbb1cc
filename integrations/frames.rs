//! Test frames both hook suites share (`integrations/*/tests/web.rs` include this file): each
//! frame is one promise, checked on a component the suite has mounted, through the core's
//! [`ViewHandle`] to its socket (the type all three hooks send through) and closures for what only the framework can do (change a prop, unmount).

use std::cell::{Cell, RefCell};

use codee::binary::MsgpackSerdeCodec;
use futures::SinkExt;
use wasm_websocket::codec::CodeeCodec;
use wasm_websocket::view::ViewHandle;
use wasm_websocket::{Error, Message};

use crate::dom::{took, MountPoint};
use crate::util::*;

thread_local! {
    /// What the callbacks saw, in order.
    static SEEN: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
    /// Every message the feeds' `on_message` was given, in order.
    static HEARD: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
    /// How many times a [`Counted`] was cloned.
    static CLONES: Cell<u64> = const { Cell::new(0) };
    /// How many times a measured list rendered.
    static RENDERS: Cell<u64> = const { Cell::new(0) };
}

pub fn saw(what: String) {
    SEEN.with_borrow_mut(|seen| seen.push(what));
}

pub fn seen() -> Vec<String> {
    SEEN.with_borrow(Vec::clone)
}

pub fn forget_seen() {
    SEEN.with_borrow_mut(Vec::clear);
}

pub fn forget_heard() {
    HEARD.with_borrow_mut(Vec::clear);
}

/// For the feeds' `on_message`.
pub fn hear(message: &Message) {
    HEARD.with_borrow_mut(|heard| heard.push(text_of(message)));
}

pub fn text_of(message: &Message) -> String {
    match message {
        Message::Text(t) => t.clone(),
        other => format!("{other:?}"),
    }
}

/// What a two-way client sends.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Ask {
    pub n: u32,
    pub text: String,
}

/// What it receives: the echo, read as another type.
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
pub struct Answer {
    pub n: u64,
    pub text: String,
}

impl std::fmt::Display for Answer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.n, self.text)
    }
}

/// `Ask` out and `Answer` in, as binary msgpack through codee.
pub fn msgpack() -> CodeeCodec<MsgpackSerdeCodec, Ask, Answer> {
    CodeeCodec::new()
}

/// A number that counts its clones: rendering a history must not clone it per message.
#[derive(Debug, PartialEq, serde::Deserialize)]
#[serde(transparent)]
pub struct Counted(pub u64);

impl Clone for Counted {
    fn clone(&self) -> Self {
        CLONES.set(CLONES.get().saturating_add(1));
        Counted(self.0)
    }
}

/// A chat line, for the typed feeds.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Line {
    pub from: String,
    pub text: String,
}

/// The feed components show their status here.
pub async fn until_status(point: &MountPoint, status: &str) {
    point
        .until(5_000, status, |p| p.text(".status") == status)
        .await;
}

/// The lifecycle a Connect/Disconnect toggle drives: `enabled` (set by `set_enabled`) and the
/// handle's `open()` and `close()` connect and disconnect one socket as often as asked, the
/// status saying which, and what is sent while idle goes out on the next connection. Mounted
/// disabled, on `/echo?id={id}`.
pub async fn enabled_and_open_close_drive_one_socket(
    point: &MountPoint,
    id: &str,
    feed: impl Fn() -> ViewHandle,
    set_enabled: impl Fn(bool),
    unmount: impl FnOnce(),
) {
    until_status(point, "idle").await;
    // Sent once the effect has started the (idle) socket: it waits in the queue.
    point
        .until(5_000, "a started socket", |_| {
            feed().send(text("while idle")).is_ok()
        })
        .await;
    assert_eq!(
        stats_now(id).await.num("connections"),
        0.0,
        "no connection while disabled"
    );
    assert_eq!(feed().queued(), 1, "it waits in the queue");
    set_enabled(true);
    until_status(point, "open").await;
    point
        .until(5_000, "the queued echo", |p| {
            p.texts("li") == ["while idle"]
        })
        .await;
    set_enabled(false);
    until_status(point, "idle").await;
    set_enabled(true);
    until_status(point, "open").await;
    feed().close().unwrap();
    until_status(point, "idle").await;
    feed().open().unwrap();
    until_status(point, "open").await;
    unmount();
    let s = stats(id).await;
    assert_eq!((s.num("connections"), s.num("close_code")), (3.0, 1000.0));
}

/// Every message of `/burst?n=300` is a line, in order, and `on_message` ([`hear`]) was given
/// each one. Call [`forget_heard`] before mounting.
pub async fn a_300_message_burst_renders_in_order(point: &MountPoint, unmount: impl FnOnce()) {
    point
        .until(10_000, "300 lines", |p| p.texts("li").len() >= 300)
        .await;
    let expected: Vec<String> = (0..300).map(|i| burst_text(i, 0)).collect();
    assert_eq!(point.texts("li"), expected);
    assert_eq!(point.text(".received"), "300");
    let heard = HEARD.with_borrow(Vec::clone);
    assert_eq!(heard, expected, "on_message saw every one, in order");
    unmount();
}

/// Mounted on `/flaky?up_ms=300&id={id}`, reconnecting: what is sent while it waits to retry
/// arrives, in order, once it is back.
pub async fn sends_while_down_arrive_in_order(
    point: &MountPoint,
    id: &str,
    feed: impl Fn() -> ViewHandle,
    unmount: impl FnOnce(),
) {
    point
        .until(5_000, "a reconnect wait", |p| {
            p.text(".status").starts_with("reconnecting")
        })
        .await;
    for t in ["a", "b", "c"] {
        feed().send(text(t)).unwrap();
    }
    point
        .until(5_000, "the three echoes", |p| {
            p.texts("li") == ["a", "b", "c"]
        })
        .await;
    unmount();
    let s = stats(id).await;
    assert_eq!(s.strings("texts"), ["a", "b", "c"]);
}

/// Mounted on `/echo?id={one}`: `set_room(two)` closes that connection with 1000 and opens one
/// to `/echo?id={two}` with an empty history; unmounting closes it with 1000.
pub async fn a_new_url_switches_rooms(
    point: &MountPoint,
    (one, two): (&str, &str),
    feed: impl Fn() -> ViewHandle,
    set_room: impl Fn(&str),
    unmount: impl FnOnce(),
) {
    until_status(point, "open").await;
    feed().send(text("in one")).unwrap();
    point
        .until(5_000, "the echo", |p| p.texts("li") == ["in one"])
        .await;
    set_room(two);
    let s = stats(one).await;
    assert_eq!((s.num("connections"), s.num("close_code")), (1.0, 1000.0));
    until_status(point, "open").await;
    assert!(point.texts("li").is_empty(), "a new room starts empty");
    feed().send(text("in two")).unwrap();
    point
        .until(5_000, "the echo", |p| p.texts("li") == ["in two"])
        .await;
    unmount();
    let s = stats(two).await;
    assert_eq!((s.num("connections"), s.num("close_code")), (1.0, 1000.0));
    assert_eq!(s.strings("texts"), ["in two"]);
}

/// 200 mounts on `/echo?id={id}`, each waited open and unmounted, leave no connection and no
/// live callback.
pub async fn mounts_and_unmounts_leave_nothing<A>(
    id: &str,
    mount: impl Fn(&MountPoint) -> A,
    unmount: impl Fn(A),
) {
    let live_before = settled_live_callbacks().await;
    for _ in 0..200 {
        let point = MountPoint::new();
        let app = mount(&point);
        until_status(&point, "open").await;
        unmount(app);
    }
    let s = stats(id).await;
    assert_eq!((s.num("connections"), s.num("live_tagged")), (200.0, 0.0));
    assert_eq!(settled_live_callbacks().await, live_before);
}

/// A `Json::<Line>` feed on `/chat?id=…` shows "from: text" lines and its last error: a
/// message that does not decode is reported, and the next one shown.
pub async fn a_typed_feed_skips_an_undecodable_message(point: &MountPoint, unmount: impl FnOnce()) {
    until_status(point, "open").await;
    let mut other = connected("/chat").await;
    other.send(text("{not json")).await.unwrap();
    other
        .send(text(r#"{"from":"ann","text":"hi"}"#))
        .await
        .unwrap();
    point
        .until(5_000, "the line", |p| p.texts("li") == ["ann: hi"])
        .await;
    assert!(
        point.text(".error").starts_with("cannot decode message"),
        "{}",
        point.text(".error")
    );
    unmount();
}

/// A watched feed (open, close and error callbacks into [`saw`]) on `/flaky?up_ms=150`,
/// reconnecting: `on_open` and `on_close` see every connection, in order.
pub async fn on_open_and_on_close_see_every_connection(point: &MountPoint, unmount: impl FnOnce()) {
    point
        .until(10_000, "three opens", |_| {
            seen().iter().filter(|s| *s == "open").count() >= 3
        })
        .await;
    unmount();
    let seen = seen();
    assert_eq!(
        seen[..5],
        ["open", "close 1006", "open", "close 1006", "open"],
        "{seen:?}"
    );
}

/// A watched feed on `/burst?n=3&size=3` (three messages that are not JSON), not reconnecting:
/// `on_error` sees each decode error, then why it gave up.
pub async fn on_error_sees_every_error(point: &MountPoint, unmount: impl FnOnce()) {
    point
        .until(10_000, "gave up", |p| {
            p.text(".status").starts_with("gave up")
        })
        .await;
    unmount();
    let errors: Vec<String> = seen()
        .into_iter()
        .filter(|s| s.starts_with("error"))
        .collect();
    assert_eq!(errors.len(), 4, "{errors:?}");
    assert!(
        errors[..3]
            .iter()
            .all(|e| e.starts_with("error cannot decode")),
        "{errors:?}"
    );
    assert!(errors[3].starts_with("error gave up"), "{errors:?}");
}

/// More messages than the socket ever kept events for unread (1,024), then a close: the path a
/// watched feed mounts, not reconnecting.
pub const BURST_PAST_ANY_BOUND: &str = "/burst?n=3000";

/// A watched feed on [`BURST_PAST_ANY_BOUND`] sees its connection's open before the first
/// message, every message in order, the close after the last, and ends on the status the
/// socket really has (gave up, by the close policy): no lifecycle change is lost to a burst.
pub async fn a_burst_past_any_bound_keeps_open_and_close_in_place(
    point: &MountPoint,
    unmount: impl FnOnce(),
) {
    point
        .until(20_000, "gave up", |p| {
            p.text(".status").starts_with("gave up")
        })
        .await;
    unmount();
    let messages = (0..3000).map(|i| format!(":{i}"));
    let expected: Vec<String> = std::iter::once("open".to_string())
        .chain(messages)
        .chain(["close 1000".to_string()])
        .collect();
    let seen = seen();
    assert_eq!(seen.get(..3002), Some(&expected[..]), "{:?}", seen.get(..4));
    assert!(
        seen.get(3002)
            .is_some_and(|s| s.starts_with("error gave up")),
        "{:?}",
        seen.get(3002..)
    );
}

/// A list keyed by `seq` over a history of 10, on `/burst?n=30`: past a full history, the
/// newest lines are the ones shown (keys by index would repeat and freeze them).
pub async fn a_keyed_list_shows_the_newest_lines(point: &MountPoint, unmount: impl FnOnce()) {
    let newest: Vec<String> = (20..30).map(|i| burst_text(i, 0)).collect();
    point
        .until(10_000, "the newest ten", |p| p.texts("li") == newest)
        .await;
    unmount();
}

/// Mounted (by `mount`) while the browser is offline, the status says so.
pub async fn mounted_offline_says_offline<A>(
    mount: impl FnOnce(&MountPoint) -> A,
    unmount: impl FnOnce(A),
) {
    let _offline = Offline::force();
    let point = MountPoint::new();
    let app = mount(&point);
    point
        .until(5_000, "offline", |p| p.text(".status") == "offline")
        .await;
    unmount(app);
}

/// An `Ask` sent through `asker` (`None` until rendered) comes back, through msgpack, as the
/// `Answer` line "7 hé".
pub async fn two_way_types_round_trip(
    point: &MountPoint,
    asker: impl Fn() -> Option<ViewHandle<Ask>>,
    unmount: impl FnOnce(),
) {
    point
        .until(5_000, "sent", |_| {
            asker().is_some_and(|a| {
                a.send(Ask {
                    n: 7,
                    text: "hé".into(),
                })
                .is_ok()
            })
        })
        .await;
    point
        .until(5_000, "the answer", |p| p.texts("li") == ["7 hé"])
        .await;
    unmount();
}

/// Two listeners `a` and `b` below one provider on `/echo?id={id}`, each showing its count in
/// `.a` / `.b` and telling [`saw`] "a 0", …: both hear every message, over one connection; once
/// `drop_b` has unmounted `b`, only `a` hears what follows.
pub async fn a_provider_shares_one_socket(
    point: &MountPoint,
    id: &str,
    shared: impl Fn() -> Option<ViewHandle>,
    drop_b: impl FnOnce(),
    unmount: impl FnOnce(),
) {
    point
        .until(5_000, "sent", |_| {
            shared().is_some_and(|s| (0..3).all(|i| s.send(text(&i.to_string())).is_ok()))
        })
        .await;
    point
        .until(5_000, "three each", |p| {
            p.text(".a") == "3" && p.text(".b") == "3"
        })
        .await;
    assert_eq!(seen(), ["a 0", "b 0", "a 1", "b 1", "a 2", "b 2"]);
    assert_eq!(stats_now(id).await.num("connections"), 1.0, "one socket");
    drop_b();
    point
        .until(5_000, "b gone", |p| p.text(".b").is_empty())
        .await;
    shared().expect("a is rendered").send(text("3")).unwrap();
    point
        .until(5_000, "a's fourth", |p| p.text(".a") == "4")
        .await;
    assert_eq!(seen().last().map(String::as_str), Some("a 3"));
    assert!(
        !seen().contains(&"b 3".to_owned()),
        "b's callback went with b: {:?}",
        seen()
    );
    unmount();
}

/// Put before the `?id=` tag of the URL a `socket_async` future connects to.
const FUTURE_TAG: &str = "async-";

/// The URL the `socket_async` components' builder future connects to for the mounted `url`:
/// its tag changed, so the server tells the future's socket from one made from `url` itself.
pub fn url_of_the_future(url: &str) -> String {
    url.replacen("id=", &format!("id={FUTURE_TAG}"), 1)
}

/// A socket whose builder (offering subprotocol "v2") comes from a future, mounted on
/// `/echo?id={id}`, its future on [`url_of_the_future`]: it opens once the builder is ready,
/// and the future's socket is the one that connects.
pub async fn socket_async_opens_once_ready(point: &MountPoint, id: &str, unmount: impl FnOnce()) {
    until_status(point, "open").await;
    unmount();
    assert_eq!(
        stats_now(id).await.num("connections"),
        0.0,
        "a socket was made from the mounted URL, not by the future"
    );
    let from_the_future = stats(&format!("{FUTURE_TAG}{id}")).await;
    assert_eq!(
        (
            from_the_future.num("connections"),
            from_the_future.strings("offered_protocols")
        ),
        (1.0, vec!["v2".to_owned()]),
        "the future's builder made the connection"
    );
}

/// The same socket: the handle tells the selected protocol, the queue and the browser's
/// buffer; closed, what is sent waits in the queue.
pub async fn the_handle_tells_protocol_queue_and_buffer(
    point: &MountPoint,
    handle: impl Fn() -> Option<ViewHandle>,
    unmount: impl FnOnce(),
) {
    // Over the default high-water mark (4 MiB): the browser takes it, what follows it waits.
    const OVER_THE_MARK: usize = 5 << 20;
    until_status(point, "open").await;
    let handle = handle().expect("rendered");
    assert_eq!(handle.protocol(), "v2");
    handle
        .send(Message::Binary(vec![1; OVER_THE_MARK]))
        .unwrap();
    handle.send(text("after")).unwrap();
    // Read in the turn of the sends: the browser lowers its buffer only between turns.
    let (queued, buffered) = (handle.queued(), handle.buffered_amount());
    assert_eq!(
        queued, 1,
        "what follows a message over the mark waits in the queue"
    );
    assert!(
        buffered as usize >= OVER_THE_MARK,
        "the browser holds {buffered} bytes"
    );
    point
        .until(10_000, "the queue handed over", |_| handle.queued() == 0)
        .await;
    handle.close().unwrap();
    until_status(point, "idle").await;
    handle.send(text("later")).unwrap();
    assert_eq!(handle.queued(), 1, "waits in the queue while idle");
    unmount();
}

/// A `Json::<(), Counted>` feed with a history of 100 on `/burst?n=300`, showing `.received`
/// and the values: no message is cloned to render it, let alone the history.
pub async fn rendering_clones_no_message(point: &MountPoint, before: u64, unmount: impl FnOnce()) {
    point
        .until(10_000, "all 300", |p| p.text(".received") == "300")
        .await;
    assert_eq!(point.texts("li").last().map(String::as_str), Some("299"));
    assert_eq!(CLONES.get() - before, 0, "no clone of a message");
    unmount();
}

#[wasm_bindgen::prelude::wasm_bindgen(inline_js = r#"
export function count_frames() {
  const counter = { frames: 0, counting: true };
  const tick = () => {
    if (counter.counting) {
      counter.frames++;
      requestAnimationFrame(tick);
    }
  };
  requestAnimationFrame(tick);
  return counter;
}
export function stop_counting(counter) {
  counter.counting = false;
  return counter.frames;
}
"#)]
extern "C" {
    fn count_frames() -> wasm_bindgen::JsValue;
    fn stop_counting(counter: &wasm_bindgen::JsValue) -> u32;
}

/// A measurement started before mounting: the time, and the animation frames the page has
/// rendered since; renders counted from zero.
pub struct Measuring {
    started: f64,
    frames: wasm_bindgen::JsValue,
}

pub fn start_measuring() -> Measuring {
    RENDERS.set(0);
    Measuring {
        started: js_sys::Date::now(),
        frames: count_frames(),
    }
}

/// Counts a render of the measured list.
pub fn rendered() {
    RENDERS.set(RENDERS.get().saturating_add(1));
}

/// How many clones of a [`Counted`] there have been (read before mounting).
pub fn clones() -> u64 {
    CLONES.get()
}

/// Renders a measured list may make besides one per animation frame: the mount's own, and
/// one the hook may make before the first frame it waits for.
const RENDERS_BESIDES_FRAMES: u64 = 3;

/// A list keyed by `seq` over a history of 1,000, mounted during `measuring` (from
/// [`start_measuring`]) on `/burst?n=5000`, counting its renders with [`rendered`]: it ends on
/// the newest line, having rendered at most once per animation frame. How long that took is
/// printed (`-- --nocapture`) for the closing notes, never asserted.
pub async fn a_5000_burst_ends_on_the_newest_line(
    point: &MountPoint,
    measuring: Measuring,
    framework: &str,
    unmount: impl FnOnce(),
) {
    let newest = burst_text(4_999, 0);
    let ms = took(point, measuring.started, 50_000, "the newest line", |p| {
        p.texts("li").last() == Some(&newest)
    })
    .await;
    let frames = u64::from(stop_counting(&measuring.frames));
    let renders = RENDERS.get();
    assert_eq!(point.texts("li").len(), 1_000);
    // Counted, not timed: however slow the machine, a render per message is 5,000 renders in
    // far fewer frames (the browser dispatches many messages between two frames).
    assert!(
        renders <= frames + RENDERS_BESIDES_FRAMES,
        "{renders} renders in {frames} animation frames"
    );
    web_sys::console::log_1(
        &format!("RENDER\t{framework}\t5000/1000\t{ms:.0} ms\t{renders} renders\t{frames} frames")
            .into(),
    );
    unmount();
}

/// A socket started disabled (idle) whose queue holds 2: `send` accepts two, and gives the
/// third back with why; at unmount the two accepted reach `on_unsent` in order (seen as
/// `unsent …`), and a send after unmount gives its value back too. Nothing `send` took vanishes.
pub async fn what_send_took_is_sent_or_given_back(
    point: &MountPoint,
    feed: impl Fn() -> ViewHandle,
    unmount: impl FnOnce(),
) {
    until_status(point, "idle").await;
    forget_seen();
    let feed = feed();
    // The status can say idle before the socket is started (Leptos starts it in an effect):
    // until then the value comes back, refused, and is tried again.
    let mut one = Some(text("one"));
    awaited("the socket takes a send", 5_000, async {
        while let Some(value) = one.take() {
            if let Err(refused) = feed.send(value) {
                one = Some(refused.into_inner());
                sleep(5).await;
            }
        }
    })
    .await;
    feed.send(text("two")).unwrap();
    let refused = feed.send(text("three")).unwrap_err();
    assert!(
        matches!(refused.error(), Error::QueueFull { capacity: 2, .. }),
        "{refused:?}"
    );
    assert_eq!(refused.into_inner(), text("three"));
    unmount();
    awaited("on_unsent at unmount", 5_000, async {
        while seen().len() < 2 {
            sleep(5).await;
        }
    })
    .await;
    assert_eq!(seen(), ["unsent one", "unsent two"]);
    let after = feed.send(text("four")).unwrap_err();
    assert_eq!(
        after.into_parts(),
        (
            Error::NotOpen(wasm_websocket::ReadyState::Closed),
            text("four")
        )
    );
}

/// A URL that the browser refuses, with a token in its query and a password in its user info.
pub const SECRET_URL: &str = "ws://user:PASSW0RD@[::1/echo?token=T0KEN-s3cret";

/// A feed on [`SECRET_URL`] gives up, and its status says why without either secret.
pub async fn a_secret_in_the_url_never_shows_in_the_status(
    point: &MountPoint,
    unmount: impl FnOnce(),
) {
    point
        .until(10_000, "gave up", |p| {
            p.text(".status").starts_with("gave up")
        })
        .await;
    let status = point.text(".status");
    unmount();
    assert!(
        !status.contains("PASSW0RD") && !status.contains("T0KEN"),
        "{status}"
    );
    assert!(status.contains("/echo?token=…"), "{status}");
}
