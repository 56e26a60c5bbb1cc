//! The Leptos hooks in real browsers: components mounted into the page, talking to the loopback
//! test server (`cargo xtask server`), asserted on what the page shows and what the server saw.
//! The promises themselves are the frames in `integrations/frames.rs`, which the Yew suite
//! checks too; this file has the components and mounts them.
#![cfg(target_arch = "wasm32")]

use std::cell::Cell;
use std::time::Duration;

use leptos::mount::UnmountHandle;
use leptos::prelude::*;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use wasm_websocket::reconnect::QueuePolicy;
use wasm_websocket::view::ViewHandle;
use wasm_websocket::{Backoff, Json, Message, Untyped};
use wasm_websocket_leptos::{
    use_websocket_context, use_websocket_with, UseWebSocketOptions, WebSocketProvider,
    WebSocketSender,
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
    /// The sender of the component rendered last, for the test to send through.
    static FEED: Cell<Option<WebSocketSender<Message>>> = const { Cell::new(None) };
    /// The sender of the [`TwoWay`] rendered last.
    static ASKER: Cell<Option<WebSocketSender<Ask>>> = const { Cell::new(None) };
}

fn feed() -> ViewHandle {
    last_feed().expect("a component was rendered")
}

fn last_feed() -> Option<ViewHandle> {
    FEED.get().and_then(|sender| sender.handle())
}

/// Every message as a line, the status and the count.
#[component]
fn Feed(
    url: Signal<String>,
    reconnect: bool,
    #[prop(optional)] enabled: Option<Signal<bool>>,
    #[prop(default = 1_000)] queue: usize,
) -> impl IntoView {
    let ws = use_websocket_with(
        UseWebSocketOptions::new(url)
            .enabled(enabled.unwrap_or(Signal::stored(true)))
            .history(1_000)
            .on_message(hear)
            .on_unsent(|unsent| {
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
                .should_reconnect(move |_| reconnect)
                .queue(queue, QueuePolicy::RejectNew)
            }),
    );
    FEED.set(Some(ws.sender));
    view! {
        <div>
            <p class="status">{move || ws.status.get().to_string()}</p>
            <p class="received">{move || ws.received.get()}</p>
            <ol>{move || ws.messages.with(|m| m.iter().map(|m| view! { <li>{text_of(m)}</li> }).collect_view())}</ol>
        </div>
    }
}

fn mount(
    point: &MountPoint,
    url: Signal<String>,
    reconnect: bool,
) -> UnmountHandle<impl Mountable> {
    leptos::mount::mount_to(point.0.clone(), move || view! { <Feed url reconnect/> })
}

/// Mounts `component` with `url` (a test server path) as its one prop.
fn mount_url<V: IntoView + 'static>(
    point: &MountPoint,
    path: &str,
    component: fn(String) -> V,
) -> UnmountHandle<impl Mountable> {
    let target = url(path);
    leptos::mount::mount_to(point.0.clone(), move || component(target.clone()))
}

#[wasm_bindgen_test]
async fn enabled_and_open_close_connect_and_disconnect_one_socket() {
    let id = tag("leptos-toggle");
    browser_test!(20_000, async {
        let point = MountPoint::new();
        let live = RwSignal::new(false);
        let target = Signal::stored(url(&format!("/echo?id={id}")));
        let app = leptos::mount::mount_to(point.0.clone(), move || {
            view! { <Feed url=target reconnect=true enabled=live.into()/> }
        });
        enabled_and_open_close_drive_one_socket(&point, &id, feed, |on| live.set(on), || drop(app))
            .await;
    });
}

#[wasm_bindgen_test]
async fn what_send_took_is_sent_or_given_back_never_dropped() {
    browser_test!(10_000, async {
        let point = MountPoint::new();
        let target = Signal::stored(url("/echo"));
        let off = Signal::stored(false);
        let app = leptos::mount::mount_to(point.0.clone(), move || {
            view! { <Feed url=target reconnect=true enabled=off queue=2/> }
        });
        what_send_took_is_sent_or_given_back(&point, feed, || drop(app)).await;
    });
}

#[wasm_bindgen_test]
async fn a_secret_in_the_url_never_shows_in_the_status() {
    browser_test!(10_000, async {
        let point = MountPoint::new();
        let app = mount(&point, Signal::stored(SECRET_URL.to_owned()), false);
        frames::a_secret_in_the_url_never_shows_in_the_status(&point, || drop(app)).await;
    });
}

#[wasm_bindgen_test]
async fn a_300_message_burst_renders_300_lines_in_order() {
    browser_test!(20_000, async {
        forget_heard();
        let point = MountPoint::new();
        let app = mount(&point, Signal::stored(url("/burst?n=300")), false);
        a_300_message_burst_renders_in_order(&point, || drop(app)).await;
    });
}

#[wasm_bindgen_test]
async fn sends_while_the_server_is_down_arrive_after_it_comes_back_in_order() {
    let id = tag("leptos-down");
    browser_test!(20_000, async {
        let point = MountPoint::new();
        let target = url(&format!("/flaky?up_ms=300&id={id}"));
        let app = mount(&point, Signal::stored(target), true);
        sends_while_down_arrive_in_order(&point, &id, feed, || drop(app)).await;
    });
}

#[wasm_bindgen_test]
async fn a_new_url_switches_rooms_and_unmount_closes_with_1000() {
    let (one, two) = (tag("leptos-room-1"), tag("leptos-room-2"));
    browser_test!(20_000, async {
        let point = MountPoint::new();
        let room = RwSignal::new(url(&format!("/echo?id={one}")));
        let app = mount(&point, room.into(), true);
        let set_room = |id: &str| room.set(url(&format!("/echo?id={id}")));
        a_new_url_switches_rooms(&point, (&one, &two), feed, set_room, || drop(app)).await;
    });
}

#[wasm_bindgen_test]
async fn two_hundred_mounts_and_unmounts_leave_nothing_behind() {
    let id = tag("leptos-soak");
    browser_test!(120_000, async {
        let target = url(&format!("/echo?id={id}"));
        let mount_one = |point: &MountPoint| mount(point, Signal::stored(target.clone()), true);
        mounts_and_unmounts_leave_nothing(&id, mount_one, drop).await;
        // After its owner is gone, a sender fails instead of panicking.
        let sender = FEED.get().expect("a component was rendered");
        assert!(sender.send(text("late")).is_err());
    });
}

#[component]
fn Chat(url: String) -> impl IntoView {
    let chat = use_websocket_with(UseWebSocketOptions::typed(url, Json::<Line>::new()));
    view! {
        <div>
            <p class="status">{move || chat.status.get().to_string()}</p>
            <p class="error">{move || chat.last_error.get().map(|e| e.to_string()).unwrap_or_default()}</p>
            <ol>{move || chat.messages.with(|m| m.iter().map(|l| view! { <li>{format!("{}: {}", l.from, l.text)}</li> }).collect_view())}</ol>
        </div>
    }
}

#[wasm_bindgen_test]
async fn a_typed_stream_skips_an_undecodable_message_and_reports_it() {
    let id = tag("leptos-typed");
    browser_test!(20_000, async {
        let point = MountPoint::new();
        let app = mount_url(
            &point,
            &format!("/chat?id={id}"),
            |url| view! { <Chat url/> },
        );
        a_typed_feed_skips_an_undecodable_message(&point, || drop(app)).await;
    });
}

/// Reports every open, close, error and message to [`saw`].
#[component]
fn Watched(url: String, reconnect: bool) -> impl IntoView {
    let ws = use_websocket_with(
        UseWebSocketOptions::typed(url, Json::<serde_json::Value>::new())
            .on_open(|| saw("open".into()))
            .on_message(|v| saw(format!(":{v}")))
            .on_close(|close| saw(format!("close {}", close.code.as_u16())))
            .on_error(|error| saw(format!("error {error}")))
            .reconnect(move |b| {
                b.backoff(Backoff::new(
                    Duration::from_millis(20),
                    2.0,
                    Duration::from_millis(100),
                ))
                .should_reconnect(move |_| reconnect)
            }),
    );
    view! { <p class="status">{move || ws.status.get().to_string()}</p> }
}

#[wasm_bindgen_test]
async fn on_open_and_on_close_see_every_connection_in_order() {
    browser_test!(20_000, async {
        forget_seen();
        let point = MountPoint::new();
        let app = mount_url(&point, "/flaky?up_ms=150", |url| {
            view! { <Watched url reconnect=true/> }
        });
        on_open_and_on_close_see_every_connection(&point, || drop(app)).await;
    });
}

#[wasm_bindgen_test]
async fn on_error_sees_every_error_in_order() {
    browser_test!(20_000, async {
        forget_seen();
        let point = MountPoint::new();
        let app = mount_url(&point, "/burst?n=3&size=3", |url| {
            view! { <Watched url reconnect=false/> }
        });
        on_error_sees_every_error(&point, || drop(app)).await;
    });
}

#[wasm_bindgen_test]
async fn a_3000_message_burst_loses_no_open_or_close() {
    browser_test!(30_000, async {
        forget_seen();
        let point = MountPoint::new();
        let app = mount_url(&point, BURST_PAST_ANY_BOUND, |url| {
            view! { <Watched url reconnect=false/> }
        });
        a_burst_past_any_bound_keeps_open_and_close_in_place(&point, || drop(app)).await;
    });
}

/// A `<For>` keyed by sequence number, over a history of 10.
#[component]
fn Keyed(url: String) -> impl IntoView {
    let ws = use_websocket_with(
        UseWebSocketOptions::new(url)
            .history(10)
            .reconnect(|b| b.should_reconnect(|_| false)),
    );
    let each = move || ws.messages.get().iter().cloned().collect::<Vec<_>>();
    view! {
        <ol>
            <For each key=|m| m.seq children=|m| view! { <li>{text_of(&m)}</li> }/>
        </ol>
    }
}

#[wasm_bindgen_test]
async fn a_keyed_list_shows_the_newest_lines_once_the_history_is_full() {
    browser_test!(20_000, async {
        let point = MountPoint::new();
        let app = mount_url(&point, "/burst?n=30", |url| view! { <Keyed url/> });
        a_keyed_list_shows_the_newest_lines(&point, || drop(app)).await;
    });
}

#[wasm_bindgen_test]
async fn mounted_offline_the_status_says_offline() {
    browser_test!(10_000, async {
        let mount_offline = |point: &MountPoint| mount(point, Signal::stored(url("/echo")), true);
        mounted_offline_says_offline(mount_offline, drop).await;
    });
}

/// Sends `Ask`s and shows the `Answer`s, through msgpack.
#[component]
fn TwoWay(url: String) -> impl IntoView {
    let ws = use_websocket_with(UseWebSocketOptions::typed(url, msgpack()));
    ASKER.set(Some(ws.sender));
    view! {
        <ol>{move || ws.messages.with(|m| m.iter().map(|a| view! { <li>{a.value.to_string()}</li> }).collect_view())}</ol>
    }
}

#[wasm_bindgen_test]
async fn two_way_types_go_through_a_codee_msgpack_codec() {
    browser_test!(10_000, async {
        let point = MountPoint::new();
        let app = mount_url(&point, "/echo", |url| view! { <TwoWay url/> });
        two_way_types_round_trip(
            &point,
            || ASKER.get().and_then(|sender| sender.handle()),
            || drop(app),
        )
        .await;
    });
}

/// A component below a provider, with its own `on_message`.
#[component]
fn Listener(name: &'static str) -> impl IntoView {
    let ws = use_websocket_context::<Untyped>().expect("a provider above");
    if name == "a" {
        FEED.set(Some(ws.sender));
    }
    ws.on_message(move |m| saw(format!("{name} {}", text_of(m))));
    view! { <p class=name>{move || ws.received.get()}</p> }
}

#[wasm_bindgen_test]
async fn a_provider_shares_one_socket_and_each_child_hears_every_message() {
    let id = tag("leptos-shared");
    browser_test!(10_000, async {
        forget_seen();
        FEED.set(None);
        let point = MountPoint::new();
        let with_b = RwSignal::new(true);
        let target = url(&format!("/echo?id={id}"));
        let app = leptos::mount::mount_to(point.0.clone(), move || {
            view! {
                <WebSocketProvider options=UseWebSocketOptions::new(target.clone())>
                    <Listener name="a"/>
                    <Show when=move || with_b.get()>
                        <Listener name="b"/>
                    </Show>
                </WebSocketProvider>
            }
        });
        let drop_b = || with_b.set(false);
        a_provider_shares_one_socket(&point, &id, last_feed, drop_b, || drop(app)).await;
    });
}

/// Waits before it connects: the builder, offering subprotocol "v2", comes from a future, on
/// [`url_of_the_future`].
#[component]
fn Late(url: String) -> impl IntoView {
    let ws = use_websocket_with(UseWebSocketOptions::new(url).socket_async(|url| {
        let url = url_of_the_future(url);
        async move {
            sleep(50).await; // fetching a token
            wasm_websocket::WebSocket::builder(url).protocols(["v2"])
        }
    }));
    FEED.set(Some(ws.sender));
    view! { <p class="status">{move || ws.status.get().to_string()}</p> }
}

#[wasm_bindgen_test]
async fn socket_async_connects_once_its_builder_is_ready() {
    let id = tag("leptos-late");
    browser_test!(10_000, async {
        let point = MountPoint::new();
        let app = mount_url(
            &point,
            &format!("/echo?id={id}"),
            |url| view! { <Late url/> },
        );
        socket_async_opens_once_ready(&point, &id, || drop(app)).await;
    });
}

#[wasm_bindgen_test]
async fn the_sender_tells_the_protocol_the_queue_and_the_buffer() {
    browser_test!(10_000, async {
        let point = MountPoint::new();
        let app = mount_url(&point, "/echo", |url| view! { <Late url/> });
        the_handle_tells_protocol_queue_and_buffer(&point, last_feed, || drop(app)).await;
    });
}

/// A history of 100 rendered with `messages.with`.
#[component]
fn Clones(url: String) -> impl IntoView {
    let ws = use_websocket_with(
        UseWebSocketOptions::typed(url, Json::<(), Counted>::new())
            .history(100)
            // One burst, one connection: a second would count on.
            .reconnect(|b| b.should_reconnect(|_| false)),
    );
    view! {
        <p class="received">{move || ws.received.get()}</p>
        <ol>{move || ws.messages.with(|m| m.iter().map(|c| view! { <li>{c.value.0}</li> }).collect_view())}</ol>
    }
}

#[wasm_bindgen_test]
async fn a_burst_past_the_history_clones_no_message_to_render() {
    browser_test!(20_000, async {
        let point = MountPoint::new();
        let before = clones();
        let app = mount_url(&point, "/burst?n=300", |url| view! { <Clones url/> });
        rendering_clones_no_message(&point, before, || drop(app)).await;
    });
}

/// The example's pattern: a `<For>` keyed by sequence number over a history of 1,000.
#[component]
fn Thousand(url: String) -> impl IntoView {
    let ws = use_websocket_with(
        UseWebSocketOptions::new(url)
            .history(1_000)
            .reconnect(|b| b.should_reconnect(|_| false)),
    );
    let each = move || {
        rendered();
        ws.messages.get().iter().cloned().collect::<Vec<_>>()
    };
    view! {
        <ol>
            <For each key=|m| m.seq children=|m| view! { <li>{text_of(&m)}</li> }/>
        </ol>
    }
}

#[wasm_bindgen_test]
async fn a_5000_message_burst_over_a_history_of_1000_ends_on_the_newest_line() {
    browser_test!(60_000, async {
        let point = MountPoint::new();
        let measuring = start_measuring();
        let app = mount_url(&point, "/burst?n=5000", |url| view! { <Thousand url/> });
        a_5000_burst_ends_on_the_newest_line(&point, measuring, "leptos", || drop(app)).await;
    });
}
