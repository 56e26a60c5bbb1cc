//! The Dioxus hooks in real browsers: components mounted into the page with Dioxus's web
//! renderer, talking to the loopback test server (`cargo xtask server`), asserted on what the
//! page shows and what the server saw. The promises themselves are the frames in
//! `integrations/frames.rs`, which the Yew and Leptos suites check too; this file has the
//! components and mounts them.
#![cfg(target_arch = "wasm32")]

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use dioxus::prelude::*;
use futures::future::{AbortHandle, Abortable};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use wasm_websocket::reconnect::QueuePolicy;
use wasm_websocket::view::ViewHandle;
use wasm_websocket::{Backoff, Json, Message, Untyped};
use wasm_websocket_dioxus::{
    use_on_message, use_websocket, use_websocket_context, use_websocket_provider,
    use_websocket_with, UseWebSocket, UseWebSocketOptions,
};

wasm_bindgen_test_configure!(run_in_browser);

#[allow(dead_code)]
#[path = "../../../tests/web/dom.rs"]
mod dom;
#[path = "../../frames.rs"]
mod frames;
#[allow(dead_code)]
#[path = "../../../tests/web/util.rs"]
mod util;

use dom::MountPoint;
use frames::*;
use util::*;

thread_local! {
    /// The socket of the component rendered last, for the test to send through.
    static FEED: RefCell<Option<UseWebSocket<Message>>> = const { RefCell::new(None) };
    /// The socket of the [`two_way`] rendered last.
    static ASKER: RefCell<Option<UseWebSocket<Answer, Ask>>> = const { RefCell::new(None) };
    /// The socket of the [`watched`] rendered last.
    static WATCHED: RefCell<Option<UseWebSocket<serde_json::Value>>> = const { RefCell::new(None) };
}

fn feed() -> ViewHandle {
    last_feed().expect("a component was rendered")
}

/// `None` until a component has rendered: Dioxus renders after the mount returns.
fn last_feed() -> Option<ViewHandle> {
    FEED.with_borrow(|f| f.as_ref().map(|ws| ws.handle()))
}

/// What a test mounts: `render` with `props`, which the test changes through a signal, as a
/// parent's new props would.
#[derive(Clone)]
struct Root<P: 'static> {
    render: fn(P) -> Element,
    props: P,
    control: Rc<RefCell<Option<Signal<P>>>>,
}

fn root<P: Clone + 'static>(root: Root<P>) -> Element {
    let props = use_signal(|| root.props.clone());
    root.control.borrow_mut().get_or_insert(props);
    (root.render)(props())
}

/// A mounted app: its props can change, and unmounting drops the whole virtual DOM.
struct Mounted<P: 'static> {
    abort: AbortHandle,
    props: Rc<RefCell<Option<Signal<P>>>>,
    point: web_sys::HtmlElement,
}

impl<P: Clone + 'static> Mounted<P> {
    fn set(&self, props: P) {
        if let Some(mut signal) = *self.props.borrow() {
            signal.set(props);
        }
    }

    fn unmount(self) {
        // Dropping the run drops the virtual DOM, and with it each component's hooks.
        self.abort.abort();
        self.point.set_inner_html("");
    }
}

fn mount<P: Clone + 'static>(point: &MountPoint, render: fn(P) -> Element, props: P) -> Mounted<P> {
    let control = Rc::default();
    let dom = VirtualDom::new_with_props(
        root::<P>,
        Root {
            render,
            props,
            control: Rc::clone(&control),
        },
    );
    let config = dioxus_web::Config::new().rootelement(point.element());
    let (abort, registration) = AbortHandle::new_pair();
    let run = Abortable::new(dioxus_web::run(dom, config), registration);
    wasm_bindgen_futures::spawn_local(async move {
        let _ = run.await;
    });
    Mounted {
        abort,
        props: control,
        point: point.0.clone(),
    }
}

/// Mounts `render` with `url` (a test server path) as its one prop.
fn mount_url(point: &MountPoint, render: fn(String) -> Element, path: &str) -> Mounted<String> {
    mount(point, render, url(path))
}

#[derive(Clone, PartialEq)]
struct FeedProps {
    url: String,
    history: usize,
    reconnect: bool,
    enabled: bool,
    queue: usize,
}

impl FeedProps {
    fn at(path: &str) -> FeedProps {
        FeedProps {
            url: url(path),
            history: 1_000,
            reconnect: true,
            enabled: true,
            queue: 1_000,
        }
    }
}

/// Every message as a line, the status and the count.
fn feed_view(props: FeedProps) -> Element {
    let (again, queue) = (props.reconnect, props.queue);
    let ws = use_websocket_with(
        UseWebSocketOptions::new(props.url)
            .enabled(props.enabled)
            .history(props.history)
            .on_message(hear)
            .on_unsent(|unsent: Vec<Message>| {
                unsent
                    .iter()
                    .for_each(|m| saw(format!("unsent {}", text_of(m))))
            })
            .reconnect(move |b| {
                b.backoff(Backoff::new(
                    Duration::from_millis(20),
                    2.0,
                    Duration::from_millis(100),
                ))
                .should_reconnect(move |_| again)
                .queue(queue, QueuePolicy::RejectNew)
            }),
    );
    FEED.with_borrow_mut(|h| *h = Some(ws.clone()));
    rsx! {
        div {
            p { class: "status", "{ws.status()}" }
            p { class: "received", "{ws.received()}" }
            ol {
                for m in ws.messages().iter() {
                    li { "{text_of(m)}" }
                }
            }
        }
    }
}

fn mount_feed(point: &MountPoint, props: FeedProps) -> Mounted<FeedProps> {
    mount(point, feed_view, props)
}

#[wasm_bindgen_test]
async fn enabled_and_open_close_connect_and_disconnect_one_socket() {
    let id = tag("dioxus-toggle");
    browser_test!(20_000, async {
        let point = MountPoint::new();
        let props = |enabled| FeedProps {
            enabled,
            ..FeedProps::at(&format!("/echo?id={id}"))
        };
        let app = RefCell::new(Some(mount_feed(&point, props(false))));
        let set_enabled = |on| {
            if let Some(app) = app.borrow().as_ref() {
                app.set(props(on));
            }
        };
        let unmount = || app.take().map(Mounted::unmount).unwrap_or_default();
        enabled_and_open_close_drive_one_socket(&point, &id, feed, set_enabled, unmount).await;
    });
}

#[wasm_bindgen_test]
async fn what_send_took_is_sent_or_given_back_never_dropped() {
    browser_test!(10_000, async {
        let point = MountPoint::new();
        let props = FeedProps {
            enabled: false,
            queue: 2,
            ..FeedProps::at("/echo")
        };
        let app = mount_feed(&point, props);
        what_send_took_is_sent_or_given_back(&point, feed, || app.unmount()).await;
    });
}

#[wasm_bindgen_test]
async fn a_secret_in_the_url_never_shows_in_the_status() {
    browser_test!(10_000, async {
        let point = MountPoint::new();
        let props = FeedProps {
            url: SECRET_URL.into(),
            ..FeedProps::at("/echo")
        };
        let app = mount_feed(&point, props);
        frames::a_secret_in_the_url_never_shows_in_the_status(&point, || app.unmount()).await;
    });
}

#[wasm_bindgen_test]
async fn a_300_message_burst_renders_300_lines_in_order() {
    browser_test!(20_000, async {
        forget_heard();
        let point = MountPoint::new();
        let props = FeedProps {
            reconnect: false,
            ..FeedProps::at("/burst?n=300")
        };
        let app = mount_feed(&point, props);
        a_300_message_burst_renders_in_order(&point, || app.unmount()).await;
    });
}

#[wasm_bindgen_test]
async fn sends_while_the_server_is_down_arrive_after_it_comes_back_in_order() {
    let id = tag("dioxus-down");
    browser_test!(20_000, async {
        let point = MountPoint::new();
        let app = mount_feed(&point, FeedProps::at(&format!("/flaky?up_ms=300&id={id}")));
        sends_while_down_arrive_in_order(&point, &id, feed, || app.unmount()).await;
    });
}

#[wasm_bindgen_test]
async fn a_new_url_switches_rooms_and_unmount_closes_with_1000() {
    let (one, two) = (tag("dioxus-room-1"), tag("dioxus-room-2"));
    browser_test!(20_000, async {
        let point = MountPoint::new();
        let props = |id: &str| FeedProps::at(&format!("/echo?id={id}"));
        let app = RefCell::new(Some(mount_feed(&point, props(&one))));
        let set_room = |id: &str| {
            if let Some(app) = app.borrow().as_ref() {
                app.set(props(id));
            }
        };
        let unmount = || app.take().map(Mounted::unmount).unwrap_or_default();
        a_new_url_switches_rooms(&point, (&one, &two), feed, set_room, unmount).await;
    });
}

#[wasm_bindgen_test]
async fn two_hundred_mounts_and_unmounts_leave_nothing_behind() {
    let id = tag("dioxus-soak");
    browser_test!(120_000, async {
        let mount_one = |point: &MountPoint| {
            let props = FeedProps {
                history: 10,
                ..FeedProps::at(&format!("/echo?id={id}"))
            };
            mount_feed(point, props)
        };
        mounts_and_unmounts_leave_nothing(&id, mount_one, Mounted::unmount).await;
        FEED.with_borrow_mut(|h| *h = None);
    });
}

fn chat(url: String) -> Element {
    let chat = use_websocket_with(UseWebSocketOptions::typed(url, Json::<Line>::new()));
    let error = chat.last_error().map(|e| e.to_string()).unwrap_or_default();
    rsx! {
        div {
            p { class: "status", "{chat.status()}" }
            p { class: "error", "{error}" }
            ol {
                for l in chat.messages().iter() {
                    li { "{l.from}: {l.text}" }
                }
            }
        }
    }
}

#[wasm_bindgen_test]
async fn a_typed_stream_skips_an_undecodable_message_and_reports_it() {
    let id = tag("dioxus-typed");
    browser_test!(20_000, async {
        let point = MountPoint::new();
        let app = mount_url(&point, chat, &format!("/chat?id={id}"));
        a_typed_feed_skips_an_undecodable_message(&point, || app.unmount()).await;
    });
}

#[derive(Clone, PartialEq)]
struct WatchedProps {
    url: String,
    reconnect: bool,
    /// Put before each message `on_message` reports: a callback that changes with the props.
    tag: String,
}

/// Reports every open, close, error and message to [`saw`].
fn watched(props: WatchedProps) -> Element {
    let again = props.reconnect;
    let tag = props.tag.clone();
    let ws = use_websocket_with(
        UseWebSocketOptions::typed(props.url, Json::<serde_json::Value>::new())
            .on_open(|| saw("open".into()))
            .on_close(|close| saw(format!("close {}", close.code.as_u16())))
            .on_error(|error| saw(format!("error {error}")))
            .on_message(move |v| saw(format!("{tag}:{v}")))
            .reconnect(move |b| {
                b.backoff(Backoff::new(
                    Duration::from_millis(20),
                    2.0,
                    Duration::from_millis(100),
                ))
                .should_reconnect(move |_| again)
            }),
    );
    WATCHED.with_borrow_mut(|h| *h = Some(ws.clone()));
    rsx! {
        div {
            p { class: "status", "{ws.status()}" }
            p { class: "tag", "{props.tag}" }
        }
    }
}

fn watch(point: &MountPoint, path: &str, reconnect: bool) -> Mounted<WatchedProps> {
    forget_seen();
    let props = WatchedProps {
        url: url(path),
        reconnect,
        tag: String::new(),
    };
    mount(point, watched, props)
}

#[wasm_bindgen_test]
async fn on_open_and_on_close_see_every_connection_in_order() {
    browser_test!(20_000, async {
        let point = MountPoint::new();
        let app = watch(&point, "/flaky?up_ms=150", true);
        on_open_and_on_close_see_every_connection(&point, || app.unmount()).await;
    });
}

#[wasm_bindgen_test]
async fn a_3000_message_burst_loses_no_open_or_close() {
    browser_test!(30_000, async {
        let point = MountPoint::new();
        let app = watch(&point, BURST_PAST_ANY_BOUND, false);
        a_burst_past_any_bound_keeps_open_and_close_in_place(&point, || app.unmount()).await;
    });
}

#[wasm_bindgen_test]
async fn on_error_sees_every_error_in_order() {
    browser_test!(20_000, async {
        let point = MountPoint::new();
        let app = watch(&point, "/burst?n=3&size=3", false);
        on_error_sees_every_error(&point, || app.unmount()).await;
    });
}

/// After a render with a new callback, the new one runs, and the old one no more: none goes
/// stale.
#[wasm_bindgen_test]
async fn a_callback_changed_by_a_prop_is_the_one_called() {
    browser_test!(20_000, async {
        let point = MountPoint::new();
        let props = |tag: &str| WatchedProps {
            url: url("/echo"),
            reconnect: true,
            tag: tag.to_owned(),
        };
        forget_seen();
        let app = mount(&point, watched, props("A"));
        until_status(&point, "open").await;
        let handle = || {
            WATCHED
                .with_borrow(|h| h.as_ref().map(|ws| ws.handle()))
                .expect("a watched was rendered")
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

/// A list keyed by sequence number, over a history of 10.
fn keyed(url: String) -> Element {
    let ws = use_websocket_with(
        UseWebSocketOptions::new(url)
            .history(10)
            .reconnect(|b| b.should_reconnect(|_| false)),
    );
    rsx! {
        ol {
            for m in ws.messages().iter() {
                li { key: "{m.seq}", "{text_of(m)}" }
            }
        }
    }
}

#[wasm_bindgen_test]
async fn a_keyed_list_shows_the_newest_lines_once_the_history_is_full() {
    browser_test!(20_000, async {
        let point = MountPoint::new();
        let app = mount_url(&point, keyed, "/burst?n=30");
        a_keyed_list_shows_the_newest_lines(&point, || app.unmount()).await;
    });
}

/// Mounted while the browser is offline, the status says so (the socket's task ran first).
#[wasm_bindgen_test]
async fn mounted_offline_the_status_says_offline() {
    browser_test!(10_000, async {
        let mount_offline = |point: &MountPoint| mount_feed(point, FeedProps::at("/echo"));
        mounted_offline_says_offline(mount_offline, Mounted::unmount).await;
    });
}

/// Sends `Ask`s and shows the `Answer`s, through msgpack.
fn two_way(url: String) -> Element {
    let ws = use_websocket_with(UseWebSocketOptions::typed(url, msgpack()));
    ASKER.with_borrow_mut(|h| *h = Some(ws.clone()));
    rsx! {
        ol {
            for a in ws.messages().iter() {
                li { key: "{a.seq}", "{a.value}" }
            }
        }
    }
}

#[wasm_bindgen_test]
async fn two_way_types_go_through_a_codee_msgpack_codec() {
    browser_test!(10_000, async {
        let point = MountPoint::new();
        let app = mount_url(&point, two_way, "/echo");
        let asker = || ASKER.with_borrow(|a| a.as_ref().map(|ws| ws.handle()));
        two_way_types_round_trip(&point, asker, || app.unmount()).await;
    });
}

#[derive(Clone, PartialEq)]
struct SharedProps {
    url: String,
    with_b: bool,
}

/// One socket shared through a provider with two listeners (the second while `with_b`).
fn shared(props: SharedProps) -> Element {
    use_websocket_provider(UseWebSocketOptions::new(props.url));
    rsx! {
        Listener { name: "a" }
        if props.with_b {
            Listener { name: "b" }
        }
    }
}

/// A component below a provider, with its own `on_message`.
#[component]
fn Listener(name: String) -> Element {
    let ws = use_websocket_context::<Untyped>().expect("a provider above");
    if name == "a" {
        FEED.with_borrow_mut(|h| *h = Some(ws.clone()));
    }
    let who = name.clone();
    use_on_message(&ws, move |m: &Message| saw(format!("{who} {}", text_of(m))));
    rsx! { p { class: "{name}", "{ws.received()}" } }
}

#[wasm_bindgen_test]
async fn a_provider_shares_one_socket_and_each_child_hears_every_message() {
    let id = tag("dioxus-shared");
    browser_test!(10_000, async {
        forget_seen();
        FEED.with_borrow_mut(|h| *h = None);
        let point = MountPoint::new();
        let props = |with_b| SharedProps {
            url: url(&format!("/echo?id={id}")),
            with_b,
        };
        let app = RefCell::new(Some(mount(&point, shared, props(true))));
        let drop_b = || {
            if let Some(app) = app.borrow().as_ref() {
                app.set(props(false));
            }
        };
        let unmount = || app.take().map(Mounted::unmount).unwrap_or_default();
        a_provider_shares_one_socket(&point, &id, last_feed, drop_b, unmount).await;
    });
}

/// Waits before it connects: the builder, offering subprotocol "v2", comes from a future, on
/// [`url_of_the_future`].
fn late(url: String) -> Element {
    let ws = use_websocket_with(UseWebSocketOptions::new(url).socket_async(|url| {
        let url = url_of_the_future(url);
        async move {
            sleep(50).await; // fetching a token
            wasm_websocket::WebSocket::builder(url).protocols(["v2"])
        }
    }));
    FEED.with_borrow_mut(|h| *h = Some(ws.clone()));
    rsx! { p { class: "status", "{ws.status()}" } }
}

#[wasm_bindgen_test]
async fn socket_async_connects_once_its_builder_is_ready() {
    let id = tag("dioxus-late");
    browser_test!(10_000, async {
        let point = MountPoint::new();
        let app = mount_url(&point, late, &format!("/echo?id={id}"));
        socket_async_opens_once_ready(&point, &id, || app.unmount()).await;
    });
}

#[wasm_bindgen_test]
async fn the_handle_tells_the_protocol_the_queue_and_the_buffer() {
    browser_test!(10_000, async {
        let point = MountPoint::new();
        let app = mount_url(&point, late, "/echo");
        the_handle_tells_protocol_queue_and_buffer(&point, last_feed, || app.unmount()).await;
    });
}

/// A history of 100, rendered from the shared history.
fn clones_view(url: String) -> Element {
    let ws = use_websocket_with(
        UseWebSocketOptions::typed(url, Json::<(), Counted>::new())
            .history(100)
            // One burst, one connection: a second would count on.
            .reconnect(|b| b.should_reconnect(|_| false)),
    );
    rsx! {
        div {
            p { class: "received", "{ws.received()}" }
            ol {
                for c in ws.messages().iter() {
                    li { key: "{c.seq}", "{c.value.0}" }
                }
            }
        }
    }
}

#[wasm_bindgen_test]
async fn a_burst_past_the_history_clones_no_message_to_render() {
    browser_test!(20_000, async {
        let point = MountPoint::new();
        let before = clones();
        let app = mount_url(&point, clones_view, "/burst?n=300");
        rendering_clones_no_message(&point, before, || app.unmount()).await;
    });
}

/// A list keyed by sequence number over a history of 1,000.
fn thousand(url: String) -> Element {
    let ws = use_websocket_with(
        UseWebSocketOptions::new(url)
            .history(1_000)
            .reconnect(|b| b.should_reconnect(|_| false)),
    );
    rendered();
    rsx! {
        ol {
            for m in ws.messages().iter() {
                li { key: "{m.seq}", "{text_of(m)}" }
            }
        }
    }
}

#[wasm_bindgen_test]
async fn a_5000_message_burst_over_a_history_of_1000_ends_on_the_newest_line() {
    browser_test!(60_000, async {
        let point = MountPoint::new();
        let measuring = start_measuring();
        let app = mount_url(&point, thousand, "/burst?n=5000");
        a_5000_burst_ends_on_the_newest_line(&point, measuring, "dioxus", || app.unmount()).await;
    });
}

/// The plain hook, on a URL as given: what a new app writes first.
fn plain(url: String) -> Element {
    let ws = use_websocket(&url);
    FEED.with_borrow_mut(|h| *h = Some(ws.clone()));
    rsx! {
        p { class: "status", "{ws.status()}" }
        ol {
            for m in ws.messages().iter() {
                li { key: "{m.seq}", "{text_of(m)}" }
            }
        }
    }
}

#[wasm_bindgen_test]
async fn the_plain_hook_echoes_what_it_sends() {
    browser_test!(10_000, async {
        let point = MountPoint::new();
        let app = mount_url(&point, plain, "/echo");
        until_status(&point, "open").await;
        feed().send(text("hi")).unwrap();
        point
            .until(5_000, "the echo", |p| p.texts("li") == ["hi"])
            .await;
        app.unmount();
    });
}
