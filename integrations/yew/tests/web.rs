//! The Yew hooks in real browsers: components mounted into the page, talking to the loopback
//! test server (`cargo xtask server`), asserted on what the page shows and what the server saw.
//! The promises themselves are the frames in `integrations/frames.rs`, which the Leptos suite
//! checks too; this file has the components and mounts them.
#![cfg(target_arch = "wasm32")]

use std::cell::RefCell;
use std::time::Duration;

use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use wasm_websocket::reconnect::QueuePolicy;
use wasm_websocket::view::ViewHandle;
use wasm_websocket::{Backoff, Json, Message, Untyped};
use wasm_websocket_yew::{
    use_on_message, use_websocket, use_websocket_context, use_websocket_with, UseWebSocketHandle,
    UseWebSocketOptions, WebSocketProvider,
};
use yew::prelude::*;
use yew::AppHandle;

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
    /// The handle of the component rendered last, for the test to send through.
    static FEED: RefCell<Option<UseWebSocketHandle<Message>>> = const { RefCell::new(None) };
    /// The handle of the [`TwoWay`] rendered last.
    static ASKER: RefCell<Option<UseWebSocketHandle<Answer, Ask>>> = const { RefCell::new(None) };
    /// The handle of the [`Watched`] rendered last.
    static WATCHED: RefCell<Option<UseWebSocketHandle<serde_json::Value>>> = const { RefCell::new(None) };
}

fn feed() -> ViewHandle {
    last_feed().expect("a component was rendered")
}

/// `None` until a component has rendered: Yew renders after the mount returns.
fn last_feed() -> Option<ViewHandle> {
    FEED.with_borrow(|f| f.as_ref().map(|ws| ws.handle()))
}

fn destroy<C: BaseComponent>(app: AppHandle<C>) {
    app.destroy();
}

#[derive(Properties, PartialEq)]
struct FeedProps {
    url: AttrValue,
    #[prop_or(1_000)]
    history: usize,
    #[prop_or(true)]
    reconnect: bool,
    #[prop_or(true)]
    enabled: bool,
    #[prop_or(1_000)]
    queue: usize,
}

impl FeedProps {
    fn at(path: &str) -> FeedProps {
        FeedProps {
            url: url(path).into(),
            history: 1_000,
            reconnect: true,
            enabled: true,
            queue: 1_000,
        }
    }
}

/// Every message as a line, the status and the count.
#[function_component]
fn Feed(props: &FeedProps) -> Html {
    let (again, queue) = (props.reconnect, props.queue);
    let ws = use_websocket_with(
        UseWebSocketOptions::new(props.url.clone())
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
    html! {
        <div>
            <p class="status">{ ws.status().to_string() }</p>
            <p class="received">{ ws.received() }</p>
            <ol>{ for ws.messages().iter().map(|m| html! { <li>{ text_of(m) }</li> }) }</ol>
        </div>
    }
}

fn mount(point: &MountPoint, props: FeedProps) -> AppHandle<Feed> {
    yew::Renderer::<Feed>::with_root_and_props(point.element(), props).render()
}

#[derive(Properties, PartialEq)]
struct UrlProps {
    url: AttrValue,
}

/// Mounts `C` with `url` (a test server path) as its one prop.
fn mount_url<C: BaseComponent<Properties = UrlProps>>(
    point: &MountPoint,
    path: &str,
) -> AppHandle<C> {
    yew::Renderer::<C>::with_root_and_props(
        point.element(),
        UrlProps {
            url: url(path).into(),
        },
    )
    .render()
}

#[wasm_bindgen_test]
async fn enabled_and_open_close_connect_and_disconnect_one_socket() {
    let id = tag("yew-toggle");
    browser_test!(20_000, async {
        let point = MountPoint::new();
        let props = |enabled| FeedProps {
            enabled,
            ..FeedProps::at(&format!("/echo?id={id}"))
        };
        let app = RefCell::new(Some(mount(&point, props(false))));
        let set_enabled = |on| {
            if let Some(app) = app.borrow_mut().as_mut() {
                app.update(props(on));
            }
        };
        let unmount = || app.take().map(destroy).unwrap_or_default();
        enabled_and_open_close_drive_one_socket(&point, &id, feed, set_enabled, unmount).await;
    });
}

#[wasm_bindgen_test]
async fn what_send_took_is_sent_or_given_back_never_dropped() {
    browser_test!(10_000, async {
        let point = MountPoint::new();
        let app = mount(
            &point,
            FeedProps {
                enabled: false,
                queue: 2,
                ..FeedProps::at("/echo")
            },
        );
        what_send_took_is_sent_or_given_back(&point, feed, || app.destroy()).await;
    });
}

#[wasm_bindgen_test]
async fn a_secret_in_the_url_never_shows_in_the_status() {
    browser_test!(10_000, async {
        let point = MountPoint::new();
        let app = mount(
            &point,
            FeedProps {
                url: SECRET_URL.into(),
                ..FeedProps::at("/echo")
            },
        );
        frames::a_secret_in_the_url_never_shows_in_the_status(&point, || app.destroy()).await;
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
        let app = mount(&point, props);
        a_300_message_burst_renders_in_order(&point, || app.destroy()).await;
    });
}

#[wasm_bindgen_test]
async fn sends_while_the_server_is_down_arrive_after_it_comes_back_in_order() {
    let id = tag("yew-down");
    browser_test!(20_000, async {
        let point = MountPoint::new();
        let app = mount(&point, FeedProps::at(&format!("/flaky?up_ms=300&id={id}")));
        sends_while_down_arrive_in_order(&point, &id, feed, || app.destroy()).await;
    });
}

#[wasm_bindgen_test]
async fn a_new_url_switches_rooms_and_unmount_closes_with_1000() {
    let (one, two) = (tag("yew-room-1"), tag("yew-room-2"));
    browser_test!(20_000, async {
        let point = MountPoint::new();
        let props = |id: &str| FeedProps::at(&format!("/echo?id={id}"));
        let app = RefCell::new(Some(mount(&point, props(&one))));
        let set_room = |id: &str| {
            if let Some(app) = app.borrow_mut().as_mut() {
                app.update(props(id));
            }
        };
        let unmount = || app.take().map(destroy).unwrap_or_default();
        a_new_url_switches_rooms(&point, (&one, &two), feed, set_room, unmount).await;
    });
}

#[wasm_bindgen_test]
async fn two_hundred_mounts_and_unmounts_leave_nothing_behind() {
    let id = tag("yew-soak");
    browser_test!(120_000, async {
        let mount_one = |point: &MountPoint| {
            let props = FeedProps {
                history: 10,
                ..FeedProps::at(&format!("/echo?id={id}"))
            };
            mount(point, props)
        };
        mounts_and_unmounts_leave_nothing(&id, mount_one, destroy).await;
        FEED.with_borrow_mut(|h| *h = None);
    });
}

#[function_component]
fn Chat(props: &UrlProps) -> Html {
    let chat = use_websocket_with(UseWebSocketOptions::typed(
        props.url.clone(),
        Json::<Line>::new(),
    ));
    html! {
        <div>
            <p class="status">{ chat.status().to_string() }</p>
            <p class="error">{ chat.last_error().map(|e| e.to_string()).unwrap_or_default() }</p>
            <ol>{ for chat.messages().iter().map(|l| html! { <li>{ format!("{}: {}", l.from, l.text) }</li> }) }</ol>
        </div>
    }
}

#[wasm_bindgen_test]
async fn a_typed_stream_skips_an_undecodable_message_and_reports_it() {
    let id = tag("yew-typed");
    browser_test!(20_000, async {
        let point = MountPoint::new();
        let app = mount_url::<Chat>(&point, &format!("/chat?id={id}"));
        a_typed_feed_skips_an_undecodable_message(&point, || app.destroy()).await;
    });
}

#[derive(Properties, PartialEq)]
struct WatchedProps {
    url: AttrValue,
    reconnect: bool,
    /// Put before each message `on_message` reports: a callback that changes with the props.
    #[prop_or_default]
    tag: AttrValue,
}

/// Reports every open, close, error and message to [`saw`].
#[function_component]
fn Watched(props: &WatchedProps) -> Html {
    let again = props.reconnect;
    let tag = props.tag.clone();
    let ws = use_websocket_with(
        UseWebSocketOptions::typed(props.url.clone(), Json::<serde_json::Value>::new())
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
    html! {
        <div>
            <p class="status">{ ws.status().to_string() }</p>
            <p class="tag">{ &props.tag }</p>
        </div>
    }
}

fn watch(point: &MountPoint, path: &str, reconnect: bool) -> AppHandle<Watched> {
    forget_seen();
    let props = WatchedProps {
        url: url(path).into(),
        reconnect,
        tag: AttrValue::default(),
    };
    yew::Renderer::<Watched>::with_root_and_props(point.element(), props).render()
}

#[wasm_bindgen_test]
async fn on_open_and_on_close_see_every_connection_in_order() {
    browser_test!(20_000, async {
        let point = MountPoint::new();
        let app = watch(&point, "/flaky?up_ms=150", true);
        on_open_and_on_close_see_every_connection(&point, || app.destroy()).await;
    });
}

#[wasm_bindgen_test]
async fn a_3000_message_burst_loses_no_open_or_close() {
    browser_test!(30_000, async {
        let point = MountPoint::new();
        let app = watch(&point, BURST_PAST_ANY_BOUND, false);
        a_burst_past_any_bound_keeps_open_and_close_in_place(&point, || app.destroy()).await;
    });
}

#[wasm_bindgen_test]
async fn on_error_sees_every_error_in_order() {
    browser_test!(20_000, async {
        let point = MountPoint::new();
        let app = watch(&point, "/burst?n=3&size=3", false);
        on_error_sees_every_error(&point, || app.destroy()).await;
    });
}

/// After a re-render with a new callback, the new one runs, and the old one no more: none
/// goes stale.
#[wasm_bindgen_test]
async fn a_callback_changed_by_a_prop_is_the_one_called() {
    browser_test!(20_000, async {
        let point = MountPoint::new();
        let props = |tag: &str| WatchedProps {
            url: url("/echo").into(),
            reconnect: true,
            tag: AttrValue::from(tag.to_owned()),
        };
        forget_seen();
        let mut app =
            yew::Renderer::<Watched>::with_root_and_props(point.element(), props("A")).render();
        until_status(&point, "open").await;
        let handle = || {
            WATCHED
                .with_borrow(|h| h.clone())
                .expect("a Watched was rendered")
        };
        handle().send(serde_json::json!(1)).unwrap();
        point
            .until(5_000, "the first echo", |_| {
                seen().contains(&"A:1".to_owned())
            })
            .await;
        app.update(props("B"));
        point
            .until(5_000, "the re-render", |p| p.text(".tag") == "B")
            .await;
        handle().send(serde_json::json!(2)).unwrap();
        point
            .until(5_000, "the second echo", |_| {
                seen().iter().any(|s| s.ends_with(":2"))
            })
            .await;
        app.destroy();
        let second: Vec<String> = seen().into_iter().filter(|s| s.ends_with(":2")).collect();
        assert_eq!(second, ["B:2"], "only the new callback ran: {:?}", seen());
    });
}

/// A list keyed by sequence number, over a history of 10.
#[function_component]
fn Keyed(props: &UrlProps) -> Html {
    let ws = use_websocket_with(
        UseWebSocketOptions::new(props.url.clone())
            .history(10)
            .reconnect(|b| b.should_reconnect(|_| false)),
    );
    html! {
        <ol>{ for ws.messages().iter().map(|m| html! { <li key={m.seq}>{ text_of(m) }</li> }) }</ol>
    }
}

#[wasm_bindgen_test]
async fn a_keyed_list_shows_the_newest_lines_once_the_history_is_full() {
    browser_test!(20_000, async {
        let point = MountPoint::new();
        let app = mount_url::<Keyed>(&point, "/burst?n=30");
        a_keyed_list_shows_the_newest_lines(&point, || app.destroy()).await;
    });
}

/// Mounted while the browser is offline, the status says so (the socket's task ran first).
#[wasm_bindgen_test]
async fn mounted_offline_the_status_says_offline() {
    browser_test!(10_000, async {
        let mount_offline = |point: &MountPoint| mount(point, FeedProps::at("/echo"));
        mounted_offline_says_offline(mount_offline, destroy).await;
    });
}

/// Sends `Ask`s and shows the `Answer`s, through msgpack.
#[function_component]
fn TwoWay(props: &UrlProps) -> Html {
    let ws = use_websocket_with(UseWebSocketOptions::typed(props.url.clone(), msgpack()));
    ASKER.with_borrow_mut(|h| *h = Some(ws.clone()));
    html! {
        <ol>{ for ws.messages().iter().map(|a| html! { <li key={a.seq}>{ a.value.to_string() }</li> }) }</ol>
    }
}

#[wasm_bindgen_test]
async fn two_way_types_go_through_a_codee_msgpack_codec() {
    browser_test!(10_000, async {
        let point = MountPoint::new();
        let app = mount_url::<TwoWay>(&point, "/echo");
        let asker = || ASKER.with_borrow(|a| a.as_ref().map(|ws| ws.handle()));
        two_way_types_round_trip(&point, asker, || app.destroy()).await;
    });
}

#[derive(Properties, PartialEq)]
struct SharedProps {
    url: AttrValue,
    with_b: bool,
}

/// One socket shared through a provider with two listeners (the second while `with_b`).
#[function_component]
fn Shared(props: &SharedProps) -> Html {
    let ws = use_websocket(&props.url);
    html! {
        <WebSocketProvider<Message> socket={ws}>
            <Listener name="a"/>
            if props.with_b {
                <Listener name="b"/>
            }
        </WebSocketProvider<Message>>
    }
}

#[derive(Properties, PartialEq)]
struct ListenerProps {
    name: AttrValue,
}

/// A component below a provider, with its own `on_message`.
#[function_component]
fn Listener(props: &ListenerProps) -> Html {
    let ws = use_websocket_context::<Untyped>().expect("a provider above");
    if props.name == "a" {
        FEED.with_borrow_mut(|h| *h = Some(ws.clone()));
    }
    let name = props.name.clone();
    use_on_message(
        &ws,
        Callback::from(move |m: Message| saw(format!("{name} {}", text_of(&m)))),
    );
    html! { <p class={props.name.clone()}>{ ws.received() }</p> }
}

#[wasm_bindgen_test]
async fn a_provider_shares_one_socket_and_each_child_hears_every_message() {
    let id = tag("yew-shared");
    browser_test!(10_000, async {
        forget_seen();
        FEED.with_borrow_mut(|h| *h = None);
        let point = MountPoint::new();
        let props = |with_b| SharedProps {
            url: url(&format!("/echo?id={id}")).into(),
            with_b,
        };
        let app = RefCell::new(Some(
            yew::Renderer::<Shared>::with_root_and_props(point.element(), props(true)).render(),
        ));
        let drop_b = || {
            if let Some(app) = app.borrow_mut().as_mut() {
                app.update(props(false));
            }
        };
        let unmount = || app.take().map(destroy).unwrap_or_default();
        a_provider_shares_one_socket(&point, &id, last_feed, drop_b, unmount).await;
    });
}

/// Waits before it connects: the builder, offering subprotocol "v2", comes from a future, on
/// [`url_of_the_future`].
#[function_component]
fn Late(props: &UrlProps) -> Html {
    let ws = use_websocket_with(
        UseWebSocketOptions::new(props.url.clone()).socket_async(|url| {
            let url = url_of_the_future(url);
            async move {
                sleep(50).await; // fetching a token
                wasm_websocket::WebSocket::builder(url).protocols(["v2"])
            }
        }),
    );
    FEED.with_borrow_mut(|h| *h = Some(ws.clone()));
    html! { <p class="status">{ ws.status().to_string() }</p> }
}

#[wasm_bindgen_test]
async fn socket_async_connects_once_its_builder_is_ready() {
    let id = tag("yew-late");
    browser_test!(10_000, async {
        let point = MountPoint::new();
        let app = mount_url::<Late>(&point, &format!("/echo?id={id}"));
        socket_async_opens_once_ready(&point, &id, || app.destroy()).await;
    });
}

#[wasm_bindgen_test]
async fn the_handle_tells_the_protocol_the_queue_and_the_buffer() {
    browser_test!(10_000, async {
        let point = MountPoint::new();
        let app = mount_url::<Late>(&point, "/echo");
        the_handle_tells_protocol_queue_and_buffer(&point, last_feed, || app.destroy()).await;
    });
}

/// A history of 100, rendered from the shared history.
#[function_component]
fn Clones(props: &UrlProps) -> Html {
    let ws = use_websocket_with(
        UseWebSocketOptions::typed(props.url.clone(), Json::<(), Counted>::new())
            .history(100)
            // One burst, one connection: a second would count on.
            .reconnect(|b| b.should_reconnect(|_| false)),
    );
    html! {
        <div>
            <p class="received">{ ws.received() }</p>
            <ol>{ for ws.messages().iter().map(|c| html! { <li key={c.seq}>{ c.value.0 }</li> }) }</ol>
        </div>
    }
}

#[wasm_bindgen_test]
async fn a_burst_past_the_history_clones_no_message_to_render() {
    browser_test!(20_000, async {
        let point = MountPoint::new();
        let before = clones();
        let app = mount_url::<Clones>(&point, "/burst?n=300");
        rendering_clones_no_message(&point, before, || app.destroy()).await;
    });
}

/// A list keyed by sequence number over a history of 1,000.
#[function_component]
fn Thousand(props: &UrlProps) -> Html {
    let ws = use_websocket_with(
        UseWebSocketOptions::new(props.url.clone())
            .history(1_000)
            .reconnect(|b| b.should_reconnect(|_| false)),
    );
    rendered();
    html! {
        <ol>{ for ws.messages().iter().map(|m| html! { <li key={m.seq}>{ text_of(m) }</li> }) }</ol>
    }
}

#[wasm_bindgen_test]
async fn a_5000_message_burst_over_a_history_of_1000_ends_on_the_newest_line() {
    browser_test!(60_000, async {
        let point = MountPoint::new();
        let measuring = start_measuring();
        let app = mount_url::<Thousand>(&point, "/burst?n=5000");
        a_5000_burst_ends_on_the_newest_line(&point, measuring, "yew", || app.destroy()).await;
    });
}
