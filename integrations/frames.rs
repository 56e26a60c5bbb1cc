//! The promises every hook makes, written once for the three suites
//! (`integrations/*/tests/web.rs` include this file). Each suite says how its framework mounts
//! the components the promises need ([`Mounting`]), and [`hook_suite!`] makes one browser test
//! per promise from that. A promise drives its component through the core's [`ViewHandle`]
//! (the type all three hooks send through) and asserts on what the page shows and what the
//! server saw.

//!
//! A suite's crate root needs only `#[path = "../../frames.rs"] mod frames;` and
//! `use frames::*;`: this file brings the core suite's page and server helpers with it.

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::time::Duration;

use codee::binary::MsgpackSerdeCodec;
use futures::future::LocalBoxFuture;
use futures::SinkExt;
use wasm_websocket::codec::{CodeeCodec, WithIds};
use wasm_websocket::reconnect::QueuePolicy;
use wasm_websocket::view::{ViewHandle, ViewOptions};
use wasm_websocket::{Backoff, Error, Json, Message, ReconnectBuilder, Untyped};

use crate::dom::took;
pub use crate::dom::MountPoint;
pub use crate::util::*;

// Relative to `integrations/`; the crate root re-exports them, since their macros and
// helpers name `crate::util` and `crate::dom`.
#[allow(dead_code)]
#[path = "../tests/web/dom.rs"]
pub mod dom;
#[allow(dead_code)]
#[path = "../tests/web/util.rs"]
pub mod util;

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

thread_local! {
    /// The handle of the feed (or listener `a`, or [`OnUrl::Late`]) rendered last.
    static FEED: RefCell<Option<ViewHandle>> = const { RefCell::new(None) };
    /// The handle of the watched feed rendered last.
    static WATCHED: RefCell<Option<ViewHandle<serde_json::Value>>> = const { RefCell::new(None) };
    /// The handle of the [`OnUrl::TwoWay`] rendered last.
    static ASKER: RefCell<Option<ViewHandle<Ask>>> = const { RefCell::new(None) };
    /// How to make a request through the [`OnUrl::Asking`] rendered last.
    static REQUESTER: RefCell<Option<Requesting>> = const { RefCell::new(None) };
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

/// The props of a suite's feed: every message as an `li`, `.status` and `.received`;
/// `on_message` is [`hear`], `on_unsent` tells [`saw`] "unsent …"; while `reconnect`, it
/// reconnects within 20–100 ms; its queue holds `queue` and rejects what comes past it.
#[derive(Clone, Debug, PartialEq)]
pub struct FeedProps {
    pub url: String,
    pub history: usize,
    pub reconnect: bool,
    pub enabled: bool,
    pub queue: usize,
}

impl FeedProps {
    /// On the test server's `path`, enabled, reconnecting, with a history and a queue of 1,000.
    pub fn at(path: &str) -> FeedProps {
        FeedProps {
            url: url(path),
            history: 1_000,
            reconnect: true,
            enabled: true,
            queue: 1_000,
        }
    }
}

/// The props of a suite's watched feed of JSON values: it tells [`saw`] "open", "close {code}",
/// "error {error}" and "{tag}:{value}" per message, and shows `.status` and `.tag`.
#[derive(Clone, Debug, PartialEq)]
pub struct WatchedProps {
    pub url: String,
    pub reconnect: bool,
    pub tag: String,
}

impl WatchedProps {
    fn at(path: &str, reconnect: bool) -> WatchedProps {
        WatchedProps {
            url: url(path),
            reconnect,
            tag: String::new(),
        }
    }
}

/// The props of a suite's provider: one socket on `url` shared with listener `a` and, while
/// `with_b`, listener `b`. Each listener shows its count in `.a` / `.b` and tells [`saw`]
/// "a 0", …; listener `a`'s handle is the suite's last feed.
#[derive(Clone, Debug, PartialEq)]
pub struct SharedProps {
    pub url: String,
    pub with_b: bool,
}

/// The suites' components whose one prop is the URL.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OnUrl {
    /// A `Json::<Line>` feed: "from: text" lines, `.status` and `.error` (its last error).
    Chat,
    /// A list keyed by `seq` over a history of 10, never reconnecting.
    Keyed,
    /// `Ask` out, `Answer` in through [`msgpack`], the answers as lines; the suite's asker.
    TwoWay,
    /// Its builder, offering subprotocol "v2", comes from a future on [`url_of_the_future`]
    /// (after a 50 ms wait); shows `.status`; the suite's last feed.
    Late,
    /// A `Json::<(), Counted>` feed with a history of 100, never reconnecting, showing
    /// `.received` and the values as lines.
    Clones,
    /// A list keyed by `seq` over a history of 1,000, never reconnecting, calling [`rendered`]
    /// on each render.
    Thousand,
    /// A feed whose options have the `hello` handshake, reconnecting within 20–100 ms,
    /// showing `.status` and every message as an `li`; the suite's last feed.
    Greeting,
    /// JSON values through [`asking`], showing `.status` and `.received`; tells
    /// [`rendered_requester`] how to make a request through it.
    Asking,
    /// An untyped feed reconnecting within 20–100 ms, showing `.status`, whose component keeps
    /// the subscription "sub" (the framework's `use_subscription`).
    Subscribed,
}

/// JSON values whose `id` field carries request ids: on `/echo`, a request is its own answer.
pub fn asking() -> WithIds<Json<serde_json::Value>> {
    WithIds::new(
        Json::new(),
        |request, id| {
            if let Some(object) = request.as_object_mut() {
                object.insert("id".into(), id.into());
            }
        },
        |incoming| incoming.get("id")?.as_u64(),
    )
}

/// A request through the [`OnUrl::Asking`] rendered last.
pub type Requesting =
    Rc<dyn Fn(serde_json::Value) -> LocalBoxFuture<'static, Result<serde_json::Value, Error>>>;

/// Each render of an [`OnUrl::Asking`] tells how to make a request through it.
pub fn rendered_requester(ask: Requesting) {
    REQUESTER.with_borrow_mut(|requester| *requester = Some(ask));
}

/// A mounted component: its props change as a parent's new props would change them, and
/// unmounting removes it with everything its hooks made.
pub struct Mounted<P = ()> {
    set: Box<dyn Fn(P)>,
    unmount: Box<dyn FnOnce()>,
}

impl<P> Mounted<P> {
    pub fn new(set: impl Fn(P) + 'static, unmount: impl FnOnce() + 'static) -> Mounted<P> {
        Mounted {
            set: Box::new(set),
            unmount: Box::new(unmount),
        }
    }

    pub fn set(&self, props: P) {
        (self.set)(props);
    }

    pub fn unmount(self) {
        (self.unmount)();
    }
}

/// How a framework's suite mounts its components, and the handles its components rendered
/// last (`None` until one has rendered: the frameworks render after the mount returns).
pub trait Mounting {
    /// The framework's name, in the server's tags and the figures printed.
    const NAME: &'static str;

    fn feed(point: &MountPoint, props: FeedProps) -> Mounted<FeedProps>;
    fn watched(point: &MountPoint, props: WatchedProps) -> Mounted<WatchedProps>;
    fn shared(point: &MountPoint, props: SharedProps) -> Mounted<SharedProps>;
    fn on_url(point: &MountPoint, component: OnUrl, url: String) -> Mounted;

    /// A tag for the server's `?id=` and `/stats`, with the framework's name.
    fn tag(what: &str) -> String {
        tag(&format!("{}-{what}", Self::NAME))
    }
}

/// Each render of a feed, of listener `a` or of an [`OnUrl::Late`] tells its handle here.
pub fn rendered_feed(handle: ViewHandle) {
    FEED.with_borrow_mut(|feed| *feed = Some(handle));
}

/// Each render of a watched feed tells its handle here.
pub fn rendered_watched(handle: ViewHandle<serde_json::Value>) {
    WATCHED.with_borrow_mut(|watched| *watched = Some(handle));
}

/// Each render of an [`OnUrl::TwoWay`] tells its handle here.
pub fn rendered_asker(handle: ViewHandle<Ask>) {
    ASKER.with_borrow_mut(|asker| *asker = Some(handle));
}

/// `None` until a component has rendered: the frameworks render after the mount returns.
pub fn last_feed() -> Option<ViewHandle> {
    FEED.with_borrow(Clone::clone)
}

fn feed() -> ViewHandle {
    last_feed().expect("a component was rendered")
}

/// How the suites' components reconnect: within 20–100 ms, while `again`.
pub fn quickly(builder: ReconnectBuilder, again: bool) -> ReconnectBuilder {
    builder
        .backoff(Backoff::new(
            Duration::from_millis(20),
            2.0,
            Duration::from_millis(100),
        ))
        .should_reconnect(move |_| again)
}

/// A feed's options past its URL and `enabled` (see [`FeedProps`]).
pub fn feed_options<Url, Enabled>(
    options: ViewOptions<Untyped, Url, Enabled>,
    props: &FeedProps,
) -> ViewOptions<Untyped, Url, Enabled> {
    let (again, queue) = (props.reconnect, props.queue);
    options
        .history(props.history)
        .on_message(hear)
        .on_unsent(|unsent| {
            unsent
                .iter()
                .for_each(|m| saw(format!("unsent {}", text_of(m))))
        })
        .reconnect(move |b| quickly(b, again).queue(queue, QueuePolicy::RejectNew))
}

/// A watched feed's options on `url` (see [`WatchedProps`]); `tag` tells the tag when a message
/// comes.
pub fn watched_options<Url, Enabled: From<bool>>(
    url: impl Into<Url>,
    reconnect: bool,
    tag: impl Fn() -> String + 'static,
) -> ViewOptions<Json<serde_json::Value>, Url, Enabled> {
    ViewOptions::typed(url, Json::new())
        .on_open(|| saw("open".into()))
        .on_close(|close| saw(format!("close {}", close.code.as_u16())))
        .on_error(|error| saw(format!("error {error}")))
        .on_message(move |v| saw(format!("{}:{v}", tag())))
        .reconnect(move |b| quickly(b, reconnect))
}

/// One connection and a history of `messages`: the lists on a burst, which a second connection
/// would count on.
pub fn one_connection<C: wasm_websocket::Codec, Url, Enabled>(
    options: ViewOptions<C, Url, Enabled>,
    messages: usize,
) -> ViewOptions<C, Url, Enabled> {
    options
        .history(messages)
        .reconnect(|b| b.should_reconnect(|_| false))
}

/// [`OnUrl::Late`]'s options: the builder, offering subprotocol "v2", comes from a future
/// (fetching a token, say) on [`url_of_the_future`].
pub fn from_the_future<C: wasm_websocket::Codec, Url, Enabled>(
    options: ViewOptions<C, Url, Enabled>,
) -> ViewOptions<C, Url, Enabled> {
    options.socket_async(|url| {
        let url = url_of_the_future(url);
        async move {
            sleep(50).await;
            wasm_websocket::WebSocket::builder(url).protocols(["v2"])
        }
    })
}

/// One browser test per promise, for the framework `$mounting` (a [`Mounting`]).
macro_rules! hook_suite {
    ($mounting:ty) => {
        $crate::frames::hook_suite!(
            $mounting;
            a_callback_changed_by_a_prop_is_the_one_called,
            enabled_and_open_close_connect_and_disconnect_one_socket,
            what_send_took_is_sent_or_given_back_never_dropped,
            a_secret_in_the_url_never_shows_in_the_status,
            a_300_message_burst_renders_300_lines_in_order,
            sends_while_the_server_is_down_arrive_after_it_comes_back_in_order,
            a_new_url_switches_rooms_and_unmount_closes_with_1000,
            two_hundred_mounts_and_unmounts_leave_nothing_behind,
            a_typed_stream_skips_an_undecodable_message_and_reports_it,
            on_open_and_on_close_see_every_connection_in_order,
            a_3000_message_burst_loses_no_open_or_close,
            on_error_sees_every_error_in_order,
            a_keyed_list_shows_the_newest_lines_once_the_history_is_full,
            mounted_offline_the_status_says_offline,
            two_way_types_go_through_a_codee_msgpack_codec,
            a_provider_shares_one_socket_and_each_child_hears_every_message,
            socket_async_connects_once_its_builder_is_ready,
            the_handle_tells_the_protocol_the_queue_and_the_buffer,
            a_burst_past_the_history_clones_no_message_to_render,
            a_5000_message_burst_over_a_history_of_1000_ends_on_the_newest_line,
            a_handshake_in_the_options_goes_first_on_every_connection,
            a_request_gets_its_answer_and_never_shows_as_a_message,
            a_components_subscription_is_made_again_on_every_connection,
        );
    };
    ($mounting:ty; $($promise:ident),+ $(,)?) => {
        $(
            #[wasm_bindgen_test::wasm_bindgen_test]
            async fn $promise() {
                $crate::frames::$promise::<$mounting>().await;
            }
        )+
    };
}
pub(crate) use hook_suite;

/// The feed components show their status here.
pub async fn until_status(point: &MountPoint, status: &str) {
    point
        .until(5_000, status, |p| p.text(".status") == status)
        .await;
}

/// The lifecycle a Connect/Disconnect toggle drives: `enabled` (a prop) and the
/// handle's `open()` and `close()` connect and disconnect one socket as often as asked, the
/// status saying which, and what is sent while idle goes out on the next connection. Mounted
/// disabled, on `/echo?id={id}`.
pub async fn enabled_and_open_close_connect_and_disconnect_one_socket<F: Mounting>() {
    let id = F::tag("toggle");
    browser_test!(20_000, async {
        let point = &MountPoint::new();
        let props = |enabled| FeedProps {
            enabled,
            ..FeedProps::at(&format!("/echo?id={id}"))
        };
        let app = F::feed(point, props(false));
        until_status(point, "idle").await;
        // Sent once the effect has started the (idle) socket: it waits in the queue.
        point
            .until(5_000, "a started socket", |_| {
                feed().send(text("while idle")).is_ok()
            })
            .await;
        assert_eq!(
            stats_now(&id).await.num("connections"),
            0.0,
            "no connection while disabled"
        );
        assert_eq!(feed().queued(), 1, "it waits in the queue");
        app.set(props(true));
        until_status(point, "open").await;
        point
            .until(5_000, "the queued echo", |p| {
                p.texts("li") == ["while idle"]
            })
            .await;
        app.set(props(false));
        until_status(point, "idle").await;
        app.set(props(true));
        until_status(point, "open").await;
        feed().close().unwrap();
        until_status(point, "idle").await;
        feed().open().unwrap();
        until_status(point, "open").await;
        app.unmount();
        let s = stats(&id).await;
        assert_eq!((s.num("connections"), s.num("close_code")), (3.0, 1000.0));
    });
}

/// Every message of `/burst?n=300` is a line, in order, and `on_message` ([`hear`]) was given
/// each one.
pub async fn a_300_message_burst_renders_300_lines_in_order<F: Mounting>() {
    browser_test!(20_000, async {
        forget_heard();
        let point = &MountPoint::new();
        let props = FeedProps {
            reconnect: false,
            ..FeedProps::at("/burst?n=300")
        };
        let app = F::feed(point, props);
        point
            .until(10_000, "300 lines", |p| p.texts("li").len() >= 300)
            .await;
        let expected: Vec<String> = (0..300).map(|i| burst_text(i, 0)).collect();
        assert_eq!(point.texts("li"), expected);
        assert_eq!(point.text(".received"), "300");
        let heard = HEARD.with_borrow(Vec::clone);
        assert_eq!(heard, expected, "on_message saw every one, in order");
        app.unmount();
    });
}

/// Mounted on `/flaky?up_ms=300&id={id}`, reconnecting: what is sent while it waits to retry
/// arrives, in order, once it is back.
pub async fn sends_while_the_server_is_down_arrive_after_it_comes_back_in_order<F: Mounting>() {
    let id = F::tag("down");
    browser_test!(20_000, async {
        let point = &MountPoint::new();
        let app = F::feed(point, FeedProps::at(&format!("/flaky?up_ms=300&id={id}")));
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
        app.unmount();
        let s = stats(&id).await;
        assert_eq!(s.strings("texts"), ["a", "b", "c"]);
    });
}

/// Mounted on `/echo?id={one}`, a new URL `/echo?id={two}` closes that connection with 1000 and
/// opens one to the new URL with an empty history; unmounting closes it with 1000.
pub async fn a_new_url_switches_rooms_and_unmount_closes_with_1000<F: Mounting>() {
    let (one, two) = (F::tag("room-1"), F::tag("room-2"));
    browser_test!(20_000, async {
        let point = &MountPoint::new();
        let room = |id: &str| FeedProps::at(&format!("/echo?id={id}"));
        let app = F::feed(point, room(&one));
        until_status(point, "open").await;
        feed().send(text("in one")).unwrap();
        point
            .until(5_000, "the echo", |p| p.texts("li") == ["in one"])
            .await;
        app.set(room(&two));
        let s = stats(&one).await;
        assert_eq!((s.num("connections"), s.num("close_code")), (1.0, 1000.0));
        until_status(point, "open").await;
        assert!(point.texts("li").is_empty(), "a new room starts empty");
        feed().send(text("in two")).unwrap();
        point
            .until(5_000, "the echo", |p| p.texts("li") == ["in two"])
            .await;
        app.unmount();
        let s = stats(&two).await;
        assert_eq!((s.num("connections"), s.num("close_code")), (1.0, 1000.0));
        assert_eq!(s.strings("texts"), ["in two"]);
    });
}

/// 200 mounts on `/echo?id={id}`, each waited open and unmounted, leave no connection and no
/// live callback.
pub async fn two_hundred_mounts_and_unmounts_leave_nothing_behind<F: Mounting>() {
    let id = F::tag("soak");
    browser_test!(120_000, async {
        let props = FeedProps {
            history: 10,
            ..FeedProps::at(&format!("/echo?id={id}"))
        };
        let live_before = settled_live_callbacks().await;
        for _ in 0..200 {
            let point = MountPoint::new();
            let app = F::feed(&point, props.clone());
            until_status(&point, "open").await;
            app.unmount();
        }
        let s = stats(&id).await;
        assert_eq!((s.num("connections"), s.num("live_tagged")), (200.0, 0.0));
        assert_eq!(settled_live_callbacks().await, live_before);
    });
}

/// A `Json::<Line>` feed on `/chat?id=…` shows "from: text" lines and its last error: a
/// message that does not decode is reported, and the next one shown.
pub async fn a_typed_stream_skips_an_undecodable_message_and_reports_it<F: Mounting>() {
    let id = F::tag("typed");
    browser_test!(20_000, async {
        let point = &MountPoint::new();
        let app = F::on_url(point, OnUrl::Chat, url(&format!("/chat?id={id}")));
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
        app.unmount();
    });
}

/// A watched feed (open, close and error callbacks into [`saw`]) on `/flaky?up_ms=150`,
/// reconnecting: `on_open` and `on_close` see every connection, in order.
pub async fn on_open_and_on_close_see_every_connection_in_order<F: Mounting>() {
    browser_test!(20_000, async {
        forget_seen();
        let point = &MountPoint::new();
        let app = F::watched(point, WatchedProps::at("/flaky?up_ms=150", true));
        point
            .until(10_000, "three opens", |_| {
                seen().iter().filter(|s| *s == "open").count() >= 3
            })
            .await;
        app.unmount();
        let seen = seen();
        assert_eq!(
            seen[..5],
            ["open", "close 1006", "open", "close 1006", "open"],
            "{seen:?}"
        );
    });
}

/// A watched feed on `/burst?n=3&size=3` (three messages that are not JSON), not reconnecting:
/// `on_error` sees each decode error, then why it gave up.
pub async fn on_error_sees_every_error_in_order<F: Mounting>() {
    browser_test!(20_000, async {
        forget_seen();
        let point = &MountPoint::new();
        let app = F::watched(point, WatchedProps::at("/burst?n=3&size=3", false));
        point
            .until(10_000, "gave up", |p| {
                p.text(".status").starts_with("gave up")
            })
            .await;
        app.unmount();
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
    });
}

/// More messages than the socket ever kept events for unread (1,024), then a close: the path a
/// watched feed mounts, not reconnecting.
const BURST_PAST_ANY_BOUND: &str = "/burst?n=3000";

/// A watched feed on [`BURST_PAST_ANY_BOUND`] sees its connection's open before the first
/// message, every message in order, the close after the last, and ends on the status the
/// socket really has (gave up, by the close policy): no lifecycle change is lost to a burst.
pub async fn a_3000_message_burst_loses_no_open_or_close<F: Mounting>() {
    browser_test!(30_000, async {
        forget_seen();
        let point = &MountPoint::new();
        let app = F::watched(point, WatchedProps::at(BURST_PAST_ANY_BOUND, false));
        point
            .until(20_000, "gave up", |p| {
                p.text(".status").starts_with("gave up")
            })
            .await;
        app.unmount();
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
    });
}

/// After a render with a new callback (a new `tag`), the new one runs, and the old one no
/// more: none goes stale.
pub async fn a_callback_changed_by_a_prop_is_the_one_called<F: Mounting>() {
    browser_test!(20_000, async {
        forget_seen();
        let point = &MountPoint::new();
        let props = |tag: &str| WatchedProps {
            tag: tag.to_owned(),
            ..WatchedProps::at("/echo", true)
        };
        let app = F::watched(point, props("A"));
        until_status(point, "open").await;
        let handle = || {
            WATCHED
                .with_borrow(Clone::clone)
                .expect("a watched feed was rendered")
        };
        handle().send(serde_json::json!(1)).unwrap();
        point
            .until(5_000, "the first echo", |_| {
                seen().contains(&"A:1".to_owned())
            })
            .await;
        app.set(props("B"));
        point
            .until(5_000, "the re-render", |p| p.text(".tag") == "B")
            .await;
        handle().send(serde_json::json!(2)).unwrap();
        point
            .until(5_000, "the second echo", |_| {
                seen().iter().any(|s| s.ends_with(":2"))
            })
            .await;
        app.unmount();
        let second: Vec<String> = seen().into_iter().filter(|s| s.ends_with(":2")).collect();
        assert_eq!(second, ["B:2"], "only the new callback ran: {:?}", seen());
    });
}

/// A list keyed by `seq` over a history of 10, on `/burst?n=30`: past a full history, the
/// newest lines are the ones shown (keys by index would repeat and freeze them).
pub async fn a_keyed_list_shows_the_newest_lines_once_the_history_is_full<F: Mounting>() {
    browser_test!(20_000, async {
        let point = &MountPoint::new();
        let app = F::on_url(point, OnUrl::Keyed, url("/burst?n=30"));
        let newest: Vec<String> = (20..30).map(|i| burst_text(i, 0)).collect();
        point
            .until(10_000, "the newest ten", |p| p.texts("li") == newest)
            .await;
        app.unmount();
    });
}

/// Mounted while the browser is offline, the status says so (the socket's task ran first).
pub async fn mounted_offline_the_status_says_offline<F: Mounting>() {
    browser_test!(10_000, async {
        let _offline = Offline::force();
        let point = MountPoint::new();
        let app = F::feed(&point, FeedProps::at("/echo"));
        point
            .until(5_000, "offline", |p| p.text(".status") == "offline")
            .await;
        app.unmount();
    });
}

/// An `Ask` sent through the two-way component comes back, through msgpack, as the `Answer`
/// line "7 hé".
pub async fn two_way_types_go_through_a_codee_msgpack_codec<F: Mounting>() {
    browser_test!(10_000, async {
        let point = &MountPoint::new();
        let app = F::on_url(point, OnUrl::TwoWay, url("/echo"));
        point
            .until(5_000, "sent", |_| {
                ASKER.with_borrow(Clone::clone).is_some_and(|a| {
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
        app.unmount();
    });
}

/// Two listeners `a` and `b` below one provider on `/echo?id={id}`, each showing its count in
/// `.a` / `.b` and telling [`saw`] "a 0", …: both hear every message, over one connection; once `b` is
/// unmounted, only `a` hears what follows.
pub async fn a_provider_shares_one_socket_and_each_child_hears_every_message<F: Mounting>() {
    let id = F::tag("shared");
    browser_test!(10_000, async {
        forget_seen();
        // A listener `a` before this one's would take its sends.
        FEED.with_borrow_mut(|feed| *feed = None);
        let point = &MountPoint::new();
        let props = |with_b| SharedProps {
            url: url(&format!("/echo?id={id}")),
            with_b,
        };
        let app = F::shared(point, props(true));
        point
            .until(5_000, "sent", |_| {
                last_feed().is_some_and(|s| (0..3).all(|i| s.send(text(&i.to_string())).is_ok()))
            })
            .await;
        point
            .until(5_000, "three each", |p| {
                p.text(".a") == "3" && p.text(".b") == "3"
            })
            .await;
        assert_eq!(seen(), ["a 0", "b 0", "a 1", "b 1", "a 2", "b 2"]);
        assert_eq!(stats_now(&id).await.num("connections"), 1.0, "one socket");
        app.set(props(false));
        point
            .until(5_000, "b gone", |p| p.text(".b").is_empty())
            .await;
        last_feed().expect("a is rendered").send(text("3")).unwrap();
        point
            .until(5_000, "a's fourth", |p| p.text(".a") == "4")
            .await;
        assert_eq!(seen().last().map(String::as_str), Some("a 3"));
        assert!(
            !seen().contains(&"b 3".to_owned()),
            "b's callback went with b: {:?}",
            seen()
        );
        app.unmount();
    });
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
pub async fn socket_async_connects_once_its_builder_is_ready<F: Mounting>() {
    let id = F::tag("late");
    browser_test!(10_000, async {
        let point = &MountPoint::new();
        let app = F::on_url(point, OnUrl::Late, url(&format!("/echo?id={id}")));
        until_status(point, "open").await;
        app.unmount();
        assert_eq!(
            stats_now(&id).await.num("connections"),
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
    });
}

/// The same socket: the handle tells the selected protocol, the queue and the browser's
/// buffer; closed, what is sent waits in the queue.
pub async fn the_handle_tells_the_protocol_the_queue_and_the_buffer<F: Mounting>() {
    browser_test!(10_000, async {
        let point = &MountPoint::new();
        let app = F::on_url(point, OnUrl::Late, url("/echo"));
        // Over the default high-water mark (4 MiB): the browser takes it, what follows it waits.
        const OVER_THE_MARK: usize = 5 << 20;
        until_status(point, "open").await;
        let handle = last_feed().expect("rendered");
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
        app.unmount();
    });
}

/// A `Json::<(), Counted>` feed with a history of 100 on `/burst?n=300`, showing `.received`
/// and the values: no message is cloned to render it, let alone the history.
pub async fn a_burst_past_the_history_clones_no_message_to_render<F: Mounting>() {
    browser_test!(20_000, async {
        let before = CLONES.get();
        let point = &MountPoint::new();
        let app = F::on_url(point, OnUrl::Clones, url("/burst?n=300"));
        point
            .until(10_000, "all 300", |p| p.text(".received") == "300")
            .await;
        assert_eq!(point.texts("li").last().map(String::as_str), Some("299"));
        assert_eq!(CLONES.get() - before, 0, "no clone of a message");
        app.unmount();
    });
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
struct Measuring {
    started: f64,
    frames: wasm_bindgen::JsValue,
}

fn start_measuring() -> Measuring {
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

/// Renders a measured list may make besides one per animation frame: the mount's own, and
/// one the hook may make before the first frame it waits for.
const RENDERS_BESIDES_FRAMES: u64 = 3;

/// A list keyed by `seq` over a history of 1,000 on `/burst?n=5000`, counting its renders
/// with [`rendered`] from the mount on: it ends on
/// the newest line, having rendered at most once per animation frame. How long that took is
/// printed (`-- --nocapture`) for the closing notes, never asserted.
pub async fn a_5000_message_burst_over_a_history_of_1000_ends_on_the_newest_line<F: Mounting>() {
    browser_test!(60_000, async {
        let point = &MountPoint::new();
        let measuring = start_measuring();
        let app = F::on_url(point, OnUrl::Thousand, url("/burst?n=5000"));
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
            &format!(
                "RENDER\t{}\t5000/1000\t{ms:.0} ms\t{renders} renders\t{frames} frames",
                F::NAME
            )
            .into(),
        );
        app.unmount();
    });
}

/// A socket started disabled (idle) whose queue holds 2: `send` accepts two, and gives the
/// third back with why; at unmount the two accepted reach `on_unsent` in order (seen as
/// `unsent …`), and a send after unmount gives its value back too. Nothing `send` took vanishes.
pub async fn what_send_took_is_sent_or_given_back_never_dropped<F: Mounting>() {
    browser_test!(10_000, async {
        let point = &MountPoint::new();
        let props = FeedProps {
            enabled: false,
            queue: 2,
            ..FeedProps::at("/echo")
        };
        let app = F::feed(point, props);
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
        app.unmount();
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
    });
}

/// A URL that the browser refuses, with a token in its query and a password in its user info.
pub const SECRET_URL: &str = "ws://user:PASSW0RD@[::1/echo?token=T0KEN-s3cret";

/// A feed on [`SECRET_URL`] gives up, and its status says why without either secret.
pub async fn a_secret_in_the_url_never_shows_in_the_status<F: Mounting>() {
    browser_test!(10_000, async {
        let point = &MountPoint::new();
        let props = FeedProps {
            url: SECRET_URL.into(),
            ..FeedProps::at("/echo")
        };
        let app = F::feed(point, props);
        point
            .until(10_000, "gave up", |p| {
                p.text(".status").starts_with("gave up")
            })
            .await;
        let status = point.text(".status");
        app.unmount();
        assert!(
            !status.contains("PASSW0RD") && !status.contains("T0KEN"),
            "{status}"
        );
        assert!(status.contains("/echo?token=…"), "{status}");
    });
}

/// A feed whose options hold a handshake ([`OnUrl::Greeting`] on `/flaky`): every connection
/// starts with it, what was sent while the server was down goes after it, and its echo never
/// shows as a message.
pub async fn a_handshake_in_the_options_goes_first_on_every_connection<F: Mounting>() {
    let id = F::tag("greeting");
    browser_test!(20_000, async {
        let point = &MountPoint::new();
        let app = F::on_url(
            point,
            OnUrl::Greeting,
            url(&format!("/flaky?up_ms=300&id={id}")),
        );
        point
            .until(5_000, "a reconnect wait", |p| {
                p.text(".status").starts_with("reconnecting")
            })
            .await;
        feed().send(text("a")).unwrap();
        point
            .until(5_000, "the echo", |p| p.texts("li") == ["a"])
            .await;
        app.unmount();
        // The status may be seen at the second reconnect wait, not the first: then "a" waits for a
        // third connection. Each connection's first message is the handshake's either way.
        let s = stats(&id).await;
        let texts = s.strings("texts");
        let hellos = texts.len().saturating_sub(1);
        assert!(hellos >= 2, "{texts:?}");
        assert!(texts[..hellos].iter().all(|t| t == "hello"), "{texts:?}");
        assert_eq!(texts.last().map(String::as_str), Some("a"), "{texts:?}");
        assert_eq!(
            hellos as f64,
            s.num("connections"),
            "one handshake per connection"
        );
    });
}

/// Three requests at once through [`OnUrl::Asking`] on `/echo`: each gets its own answer, and
/// none shows as a message.
pub async fn a_request_gets_its_answer_and_never_shows_as_a_message<F: Mounting>() {
    browser_test!(10_000, async {
        let point = &MountPoint::new();
        let app = F::on_url(point, OnUrl::Asking, url("/echo"));
        until_status(point, "open").await;
        let ask = REQUESTER
            .with_borrow(Clone::clone)
            .expect("an asking component was rendered");
        let answers =
            futures::future::join_all((0..3).map(|n| ask(serde_json::json!({ "n": n })))).await;
        let ns: Vec<_> = answers
            .into_iter()
            .map(|a| a.map(|answer| answer["n"].clone()))
            .collect();
        assert_eq!(ns, [Ok(0.into()), Ok(1.into()), Ok(2.into())]);
        sleep(50).await;
        assert_eq!(point.text(".received"), "0", "answers are not messages");
        app.unmount();
    });
}

/// [`OnUrl::Subscribed`] on `/flaky`: its subscription goes first on every connection, and no
/// more once it is unmounted.
pub async fn a_components_subscription_is_made_again_on_every_connection<F: Mounting>() {
    let id = F::tag("subscribed");
    browser_test!(20_000, async {
        let point = &MountPoint::new();
        let app = F::on_url(
            point,
            OnUrl::Subscribed,
            url(&format!("/flaky?up_ms=200&id={id}")),
        );
        awaited("three connections", 10_000, async {
            while stats_now(&id).await.num("connections") < 3.0 {
                sleep(20).await;
            }
        })
        .await;
        app.unmount();
        let s = stats(&id).await;
        let texts = s.strings("texts");
        assert!(
            texts.len() >= 3 && texts.iter().all(|t| t == "sub"),
            "{texts:?}"
        );
        assert_eq!(
            texts.len() as f64,
            s.num("connections"),
            "one per connection"
        );
    });
}
