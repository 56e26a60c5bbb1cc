//! The Leptos hooks in real browsers: components mounted into the page, talking to the loopback
//! test server (`cargo xtask server`), asserted on what the page shows and what the server saw.
#![cfg(target_arch = "wasm32")]

use std::cell::Cell;
use std::time::Duration;

use futures::SinkExt;
use leptos::prelude::*;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
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
    /// The sender of the [`Feed`] rendered last, for the test to send through.
    static FEED: Cell<Option<WebSocketSender<Message>>> = const { Cell::new(None) };
    /// Every message the feeds' `on_message` callbacks were given, in order.
    static HEARD: std::cell::RefCell<Vec<String>> = const { std::cell::RefCell::new(Vec::new()) };
}

fn feed() -> WebSocketSender<Message> {
    FEED.get().expect("a Feed was rendered")
}

/// Every message as a line, the status and the count.
#[component]
fn Feed(
    url: Signal<String>,
    reconnect: bool,
    #[prop(optional)] enabled: Option<Signal<bool>>,
) -> impl IntoView {
    let ws = use_websocket_with(
        UseWebSocketOptions::new(url)
            .enabled(enabled.unwrap_or(Signal::stored(true)))
            .history(1_000)
            .on_message(|m| HEARD.with_borrow_mut(|heard| heard.push(text_of(m))))
            .reconnect(move |b| {
                b.backoff(Backoff::new(
                    Duration::from_millis(20),
                    2.0,
                    Duration::from_millis(100),
                ))
                .should_reconnect(move |_| reconnect)
            }),
    );
    FEED.set(Some(ws.sender));
    view! {
        <div>
            <p class="status">{move || ws.status.get().to_string()}</p>
            <p class="received">{move || ws.received.get()}</p>
            <ol>{move || ws.messages.get().iter().map(|m| view! { <li>{text_of(m)}</li> }).collect_view()}</ol>
        </div>
    }
}

fn mount(point: &MountPoint, url: Signal<String>, reconnect: bool) -> impl Drop {
    leptos::mount::mount_to(point.0.clone(), move || view! { <Feed url reconnect/> })
}

/// The lifecycle a Connect/Disconnect toggle drives: `enabled` and the sender's `open()` and
/// `close()` connect and disconnect one socket as often as asked, the status saying which, and
/// what is sent while idle goes out on the next connection.
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
        point
            .until(5_000, "idle", |p| p.text(".status") == "idle")
            .await;
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
        live.set(true);
        point
            .until(5_000, "open", |p| p.text(".status") == "open")
            .await;
        point
            .until(5_000, "the queued echo", |p| {
                p.texts("li") == ["while idle"]
            })
            .await;
        live.set(false);
        point
            .until(5_000, "idle", |p| p.text(".status") == "idle")
            .await;
        live.set(true);
        point
            .until(5_000, "open", |p| p.text(".status") == "open")
            .await;
        feed().close().unwrap();
        point
            .until(5_000, "idle", |p| p.text(".status") == "idle")
            .await;
        feed().open().unwrap();
        point
            .until(5_000, "open", |p| p.text(".status") == "open")
            .await;
        drop(app);
        let s = stats(&id).await;
        assert_eq!((s.num("connections"), s.num("close_code")), (3.0, 1000.0));
    });
}

#[wasm_bindgen_test]
async fn a_300_message_burst_renders_300_lines_in_order() {
    browser_test!(20_000, async {
        HEARD.with_borrow_mut(Vec::clear);
        let point = MountPoint::new();
        let app = mount(&point, Signal::stored(url("/burst?n=300")), false);
        point
            .until(10_000, "300 lines", |p| p.texts("li").len() >= 300)
            .await;
        let expected: Vec<String> = (0..300).map(|i| burst_text(i, 0)).collect();
        assert_eq!(point.texts("li"), expected);
        assert_eq!(point.text(".received"), "300");
        assert_eq!(
            HEARD.with_borrow(Vec::clone),
            expected,
            "on_message saw every one, in order"
        );
        drop(app);
    });
}

#[wasm_bindgen_test]
async fn sends_while_the_server_is_down_arrive_after_it_comes_back_in_order() {
    let id = tag("leptos-down");
    browser_test!(20_000, async {
        let point = MountPoint::new();
        let app = mount(
            &point,
            Signal::stored(url(&format!("/flaky?up_ms=300&id={id}"))),
            true,
        );
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
        drop(app);
        let s = stats(&id).await;
        assert_eq!(s.strings("texts"), ["a", "b", "c"]);
    });
}

#[wasm_bindgen_test]
async fn a_new_url_switches_rooms_and_unmount_closes_with_1000() {
    let (one, two) = (tag("leptos-room-1"), tag("leptos-room-2"));
    browser_test!(20_000, async {
        let point = MountPoint::new();
        let room = RwSignal::new(url(&format!("/echo?id={one}")));
        let app = mount(&point, room.into(), true);
        point
            .until(5_000, "open", |p| p.text(".status") == "open")
            .await;
        feed().send(text("in one")).unwrap();
        point
            .until(5_000, "the echo", |p| p.texts("li") == ["in one"])
            .await;
        room.set(url(&format!("/echo?id={two}")));
        let s = stats(&one).await;
        assert_eq!((s.num("connections"), s.num("close_code")), (1.0, 1000.0));
        point
            .until(5_000, "open", |p| p.text(".status") == "open")
            .await;
        assert!(point.texts("li").is_empty(), "a new room starts empty");
        feed().send(text("in two")).unwrap();
        point
            .until(5_000, "the echo", |p| p.texts("li") == ["in two"])
            .await;
        drop(app);
        let s = stats(&two).await;
        assert_eq!((s.num("connections"), s.num("close_code")), (1.0, 1000.0));
        assert_eq!(s.strings("texts"), ["in two"]);
    });
}

#[wasm_bindgen_test]
async fn two_hundred_mounts_and_unmounts_leave_nothing_behind() {
    let id = tag("leptos-soak");
    browser_test!(120_000, async {
        let live_before = settled_live_callbacks().await;
        for _ in 0..200 {
            let point = MountPoint::new();
            let app = mount(&point, Signal::stored(url(&format!("/echo?id={id}"))), true);
            point
                .until(5_000, "open", |p| p.text(".status") == "open")
                .await;
            drop(app);
        }
        let s = stats(&id).await;
        assert_eq!((s.num("connections"), s.num("live_tagged")), (200.0, 0.0));
        sleep(100).await;
        assert_eq!(wasm_websocket::live_callbacks(), live_before);
        // After its owner is gone, a sender fails instead of panicking.
        assert!(feed().send(text("late")).is_err());
    });
}

#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
struct Line {
    from: String,
    text: String,
}

#[component]
fn Chat(url: String) -> impl IntoView {
    let chat = use_websocket_with(UseWebSocketOptions::typed(url, Json::<Line>::new()));
    view! {
        <div>
            <p class="status">{move || chat.status.get().to_string()}</p>
            <p class="error">{move || chat.last_error.get().map(|e| e.to_string()).unwrap_or_default()}</p>
            <ol>{move || chat.messages.get().iter().map(|l| view! { <li>{format!("{}: {}", l.from, l.text)}</li> }).collect_view()}</ol>
        </div>
    }
}

#[wasm_bindgen_test]
async fn a_typed_stream_skips_an_undecodable_message_and_reports_it() {
    let id = tag("leptos-typed");
    browser_test!(20_000, async {
        let point = MountPoint::new();
        let chat_url = url(&format!("/chat?id={id}"));
        let app = leptos::mount::mount_to(
            point.0.clone(),
            move || view! { <Chat url=chat_url.clone()/> },
        );
        point
            .until(5_000, "open", |p| p.text(".status") == "open")
            .await;
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
        drop(app);
    });
}

/// Reports every open, close and error to [`saw`].
#[component]
fn Watched(url: String, reconnect: bool) -> impl IntoView {
    let ws = use_websocket_with(
        UseWebSocketOptions::typed(url, Json::<serde_json::Value>::new())
            .on_open(|| saw("open".into()))
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

/// `on_open` and `on_close` see every connection, in order, across reconnects; both survive a
/// `codec()` set after them.
#[wasm_bindgen_test]
async fn on_open_and_on_close_see_every_connection_in_order() {
    browser_test!(20_000, async {
        forget_seen();
        let point = MountPoint::new();
        let target = url("/flaky?up_ms=150");
        let app = leptos::mount::mount_to(point.0.clone(), move || {
            view! { <Watched url=target.clone() reconnect=true/> }
        });
        point
            .until(10_000, "three opens", |_| {
                seen().iter().filter(|s| *s == "open").count() >= 3
            })
            .await;
        drop(app);
        let seen = seen();
        assert_eq!(
            seen[..5],
            ["open", "close 1006", "open", "close 1006", "open"],
            "{seen:?}"
        );
    });
}

/// `on_error` sees every error, in order: each message that does not decode, then why the
/// socket gave up.
#[wasm_bindgen_test]
async fn on_error_sees_every_error_in_order() {
    browser_test!(20_000, async {
        forget_seen();
        let point = MountPoint::new();
        // "0..", "1..", "2..": not JSON.
        let target = url("/burst?n=3&size=3");
        let app = leptos::mount::mount_to(point.0.clone(), move || {
            view! { <Watched url=target.clone() reconnect=false/> }
        });
        point
            .until(10_000, "gave up", |p| {
                p.text(".status").starts_with("gave up")
            })
            .await;
        drop(app);
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

/// A `<For>` keyed by sequence number, over a history of 10.
#[component]
fn Keyed(url: String) -> impl IntoView {
    let ws = use_websocket_with(UseWebSocketOptions::new(url).history(10));
    view! {
        <ol>
            <For each=move || ws.messages.get() key=|m| m.seq children=|m| view! { <li>{text_of(&m)}</li> }/>
        </ol>
    }
}

/// Past a full history, new lines keep appearing (keys by index would repeat and freeze them).
#[wasm_bindgen_test]
async fn a_keyed_list_shows_the_newest_lines_once_the_history_is_full() {
    browser_test!(20_000, async {
        let point = MountPoint::new();
        let target = url("/burst?n=30");
        let app = leptos::mount::mount_to(
            point.0.clone(),
            move || view! { <Keyed url=target.clone()/> },
        );
        let newest: Vec<String> = (20..30).map(|i| burst_text(i, 0)).collect();
        point
            .until(10_000, "the newest ten", |p| p.texts("li") == newest)
            .await;
        drop(app);
    });
}

/// Mounted while the browser is offline, the status says so.
#[wasm_bindgen_test]
async fn mounted_offline_the_status_says_offline() {
    browser_test!(10_000, async {
        let _offline = Offline::force();
        let point = MountPoint::new();
        let app = mount(&point, Signal::stored(url("/echo")), true);
        let shown = point.until(5_000, "offline", |p| p.text(".status") == "offline");
        shown.await;
        drop(app);
    });
}

thread_local! {
    /// The sender of the [`TwoWay`] rendered last.
    static ASKER: Cell<Option<WebSocketSender<Ask>>> = const { Cell::new(None) };
    /// The sender of the [`Shared`] rendered last.
    static SHARED: Cell<Option<WebSocketSender<Message>>> = const { Cell::new(None) };
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
        let target = url("/echo");
        let app = leptos::mount::mount_to(point.0.clone(), move || {
            view! { <TwoWay url=target.clone()/> }
        });
        point
            .until(5_000, "sent", |_| {
                let asker = ASKER.get().expect("a TwoWay was rendered");
                asker
                    .send(Ask {
                        n: 7,
                        text: "hé".into(),
                    })
                    .is_ok()
            })
            .await;
        point
            .until(5_000, "the answer", |p| p.texts("li") == ["7 hé"])
            .await;
        drop(app);
    });
}

/// A component below a provider, with its own `on_message`.
#[component]
fn Listener(name: &'static str) -> impl IntoView {
    let ws = use_websocket_context::<Untyped>().expect("a provider above");
    SHARED.set(Some(ws.sender));
    ws.on_message(move |m| saw(format!("{name} {}", text_of(m))));
    view! { <p class=name>{move || ws.received.get()}</p> }
}

#[wasm_bindgen_test]
async fn a_provider_shares_one_socket_and_each_child_hears_every_message() {
    let id = tag("leptos-shared");
    browser_test!(10_000, async {
        forget_seen();
        let point = MountPoint::new();
        let target = url(&format!("/echo?id={id}"));
        let app = leptos::mount::mount_to(point.0.clone(), move || {
            view! {
                <WebSocketProvider options=UseWebSocketOptions::new(target.clone())>
                    <Listener name="a"/>
                    <Listener name="b"/>
                </WebSocketProvider>
            }
        });
        point
            .until(5_000, "sent", |_| {
                let shared = SHARED.get().expect("a Listener was rendered");
                (0..3).all(|i| shared.send(text(&i.to_string())).is_ok())
            })
            .await;
        point
            .until(5_000, "three each", |p| {
                p.text(".a") == "3" && p.text(".b") == "3"
            })
            .await;
        assert_eq!(seen(), ["a 0", "b 0", "a 1", "b 1", "a 2", "b 2"]);
        assert_eq!(stats_now(&id).await.num("connections"), 1.0, "one socket");
        drop(app);
    });
}

/// Waits before it connects: the builder comes from a future.
#[component]
fn Late(url: String) -> impl IntoView {
    let ws = use_websocket_with(UseWebSocketOptions::new(url).socket_async(|url| {
        let url = url.to_owned();
        async move {
            sleep(50).await;
            wasm_websocket::WebSocket::builder(url)
        }
    }));
    view! { <p class="status">{move || ws.status.get().to_string()}</p> }
}

#[wasm_bindgen_test]
async fn socket_async_connects_once_its_builder_is_ready() {
    let id = tag("leptos-late");
    browser_test!(10_000, async {
        let point = MountPoint::new();
        let target = url(&format!("/echo?id={id}"));
        let app = leptos::mount::mount_to(point.0.clone(), move || {
            view! { <Late url=target.clone()/> }
        });
        point
            .until(5_000, "open", |p| p.text(".status") == "open")
            .await;
        assert_eq!(stats_now(&id).await.num("connections"), 1.0);
        drop(app);
    });
}

/// A history of 100 rendered with `messages.with`.
#[component]
fn Clones(url: String) -> impl IntoView {
    let ws = use_websocket_with(
        UseWebSocketOptions::typed(url, Json::<(), Counted>::new()).history(100),
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
        let target = url("/burst?n=300");
        let before = clones();
        let app = leptos::mount::mount_to(point.0.clone(), move || {
            view! { <Clones url=target.clone()/> }
        });
        point
            .until(10_000, "all 300", |p| p.text(".received") == "300")
            .await;
        assert_eq!(point.texts("li").last().map(String::as_str), Some("299"));
        assert_eq!(
            clones() - before,
            0,
            "no clone of a message, let alone of the history"
        );
        drop(app);
    });
}
