//! The Yew hooks in real browsers: components mounted into the page, talking to the loopback
//! test server (`cargo xtask server`), asserted on what the page shows and what the server saw.
#![cfg(target_arch = "wasm32")]

use std::cell::RefCell;
use std::time::Duration;

use futures::SinkExt;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use wasm_websocket::{Backoff, Json, Message, ReconnectStatus, Untyped};
use wasm_websocket_yew::{
    use_on_message, use_websocket, use_websocket_context, use_websocket_with, UseWebSocketHandle,
    UseWebSocketOptions, WebSocketProvider,
};
use yew::prelude::*;

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
    /// The handle of the [`Feed`] rendered last, for the test to send through.
    static FEED: RefCell<Option<UseWebSocketHandle<Message>>> = const { RefCell::new(None) };
    /// Every message the feeds' `on_message` callbacks were given, in order.
    static HEARD: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
}

fn feed() -> UseWebSocketHandle<Message> {
    FEED.with_borrow(|h| h.clone())
        .expect("a Feed was rendered")
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
}

/// Every message as a line, the status and the ready state.
#[function_component]
fn Feed(props: &FeedProps) -> Html {
    let again = props.reconnect;
    let ws = use_websocket_with(
        UseWebSocketOptions::new(props.url.clone())
            .enabled(props.enabled)
            .history(props.history)
            .on_message(Callback::from(|m: Message| {
                HEARD.with_borrow_mut(|heard| heard.push(text_of(&m)))
            }))
            .reconnect(move |b| {
                b.backoff(Backoff::new(
                    Duration::from_millis(20),
                    2.0,
                    Duration::from_millis(100),
                ))
                .should_reconnect(move |_| again)
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

fn mount(point: &MountPoint, props: FeedProps) -> yew::AppHandle<Feed> {
    yew::Renderer::<Feed>::with_root_and_props(point.element(), props).render()
}

fn lines(point: &MountPoint) -> Vec<String> {
    point.texts("li")
}

/// The lifecycle a Connect/Disconnect toggle drives: the `enabled` prop and the handle's
/// `open()` and `close()` connect and disconnect one socket as often as asked, the status saying
/// which, and what is sent while idle goes out on the next connection.
#[wasm_bindgen_test]
async fn enabled_and_open_close_connect_and_disconnect_one_socket() {
    let id = tag("yew-toggle");
    browser_test!(20_000, async {
        let point = MountPoint::new();
        let props = |enabled| FeedProps {
            url: url(&format!("/echo?id={id}")).into(),
            history: 100,
            reconnect: true,
            enabled,
        };
        let mut app = mount(&point, props(false));
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
        app.update(props(true));
        point
            .until(5_000, "open", |p| p.text(".status") == "open")
            .await;
        point
            .until(5_000, "the queued echo", |p| {
                p.texts("li") == ["while idle"]
            })
            .await;
        app.update(props(false));
        point
            .until(5_000, "idle", |p| p.text(".status") == "idle")
            .await;
        app.update(props(true));
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
        app.destroy();
        let s = stats(&id).await;
        assert_eq!((s.num("connections"), s.num("close_code")), (3.0, 1000.0));
    });
}

#[wasm_bindgen_test]
async fn a_300_message_burst_renders_300_lines_in_order() {
    browser_test!(20_000, async {
        HEARD.with_borrow_mut(Vec::clear);
        let point = MountPoint::new();
        let app = mount(
            &point,
            FeedProps {
                url: url("/burst?n=300").into(),
                history: 1_000,
                reconnect: false,
                enabled: true,
            },
        );
        point
            .until(10_000, "300 lines", |p| p.texts("li").len() >= 300)
            .await;
        let expected: Vec<String> = (0..300).map(|i| burst_text(i, 0)).collect();
        assert_eq!(lines(&point), expected);
        assert_eq!(point.text(".received"), "300");
        assert_eq!(
            HEARD.with_borrow(Vec::clone),
            expected,
            "on_message saw every one, in order"
        );
        app.destroy();
    });
}

#[wasm_bindgen_test]
async fn sends_while_the_server_is_down_arrive_after_it_comes_back_in_order() {
    let id = tag("yew-down");
    browser_test!(20_000, async {
        let point = MountPoint::new();
        let app = mount(
            &point,
            FeedProps {
                url: url(&format!("/flaky?up_ms=300&id={id}")).into(),
                history: 100,
                reconnect: true,
                enabled: true,
            },
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
        app.destroy();
        let s = stats(&id).await;
        assert_eq!(s.strings("texts"), ["a", "b", "c"]);
    });
}

#[wasm_bindgen_test]
async fn a_new_url_switches_rooms_and_unmount_closes_with_1000() {
    let (one, two) = (tag("yew-room-1"), tag("yew-room-2"));
    browser_test!(20_000, async {
        let point = MountPoint::new();
        let props = |id: &str| FeedProps {
            url: url(&format!("/echo?id={id}")).into(),
            history: 100,
            reconnect: true,
            enabled: true,
        };
        let mut app = mount(&point, props(&one));
        point
            .until(5_000, "open", |p| p.text(".status") == "open")
            .await;
        feed().send(text("in one")).unwrap();
        point
            .until(5_000, "the echo", |p| p.texts("li") == ["in one"])
            .await;
        app.update(props(&two));
        let s = stats(&one).await;
        assert_eq!((s.num("connections"), s.num("close_code")), (1.0, 1000.0));
        point
            .until(5_000, "open", |p| p.text(".status") == "open")
            .await;
        assert!(lines(&point).is_empty(), "a new room starts empty");
        feed().send(text("in two")).unwrap();
        point
            .until(5_000, "the echo", |p| p.texts("li") == ["in two"])
            .await;
        app.destroy();
        let s = stats(&two).await;
        assert_eq!((s.num("connections"), s.num("close_code")), (1.0, 1000.0));
        assert_eq!(s.strings("texts"), ["in two"]);
    });
}

#[wasm_bindgen_test]
async fn two_hundred_mounts_and_unmounts_leave_nothing_behind() {
    let id = tag("yew-soak");
    browser_test!(120_000, async {
        let live_before = settled_live_callbacks().await;
        for _ in 0..200 {
            let point = MountPoint::new();
            let app = mount(
                &point,
                FeedProps {
                    url: url(&format!("/echo?id={id}")).into(),
                    history: 10,
                    reconnect: true,
                    enabled: true,
                },
            );
            point
                .until(5_000, "open", |p| p.text(".status") == "open")
                .await;
            app.destroy();
        }
        FEED.with_borrow_mut(|h| *h = None);
        let s = stats(&id).await;
        assert_eq!((s.num("connections"), s.num("live_tagged")), (200.0, 0.0));
        sleep(100).await;
        assert_eq!(wasm_websocket::live_callbacks(), live_before);
    });
}

#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
struct Line {
    from: String,
    text: String,
}

#[derive(Properties, PartialEq)]
struct ChatProps {
    url: AttrValue,
}

#[function_component]
fn Chat(props: &ChatProps) -> Html {
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
        let app = yew::Renderer::<Chat>::with_root_and_props(
            point.element(),
            ChatProps {
                url: url(&format!("/chat?id={id}")).into(),
            },
        )
        .render();
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
        app.destroy();
        assert_eq!(
            ReconnectStatus::Open.to_string(),
            "open",
            "the status line the tests wait for"
        );
    });
}

thread_local! {
    /// The handle of the [`Watched`] rendered last.
    static WATCHED: RefCell<Option<UseWebSocketHandle<serde_json::Value>>> = const { RefCell::new(None) };
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
            .on_open(Callback::from(|()| saw("open".into())))
            .on_close(Callback::from(|close: wasm_websocket::CloseEvent| {
                saw(format!("close {}", close.code.as_u16()))
            }))
            .on_error(Callback::from(|error: wasm_websocket::Error| {
                saw(format!("error {error}"))
            }))
            .on_message(Callback::from(move |v: serde_json::Value| {
                saw(format!("{tag}:{v}"))
            }))
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

fn watch(point: &MountPoint, props: WatchedProps) -> yew::AppHandle<Watched> {
    forget_seen();
    yew::Renderer::<Watched>::with_root_and_props(point.element(), props).render()
}

/// `on_open` and `on_close` see every connection, in order, across reconnects; both survive a
/// `codec()` set after them.
#[wasm_bindgen_test]
async fn on_open_and_on_close_see_every_connection_in_order() {
    browser_test!(20_000, async {
        let point = MountPoint::new();
        let app = watch(
            &point,
            WatchedProps {
                url: url("/flaky?up_ms=150").into(),
                reconnect: true,
                tag: AttrValue::default(),
            },
        );
        point
            .until(10_000, "three opens", |_| {
                seen().iter().filter(|s| *s == "open").count() >= 3
            })
            .await;
        app.destroy();
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
        let point = MountPoint::new();
        // "0..", "1..", "2..": not JSON.
        let app = watch(
            &point,
            WatchedProps {
                url: url("/burst?n=3&size=3").into(),
                reconnect: false,
                tag: AttrValue::default(),
            },
        );
        point
            .until(10_000, "gave up", |p| {
                p.text(".status").starts_with("gave up")
            })
            .await;
        app.destroy();
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

/// After a re-render with a new callback, the new one runs: none goes stale.
#[wasm_bindgen_test]
async fn a_callback_changed_by_a_prop_is_the_one_called() {
    browser_test!(20_000, async {
        let point = MountPoint::new();
        let props = |tag: &str| WatchedProps {
            url: url("/echo").into(),
            reconnect: true,
            tag: AttrValue::from(tag.to_owned()),
        };
        let mut app = watch(&point, props("A"));
        point
            .until(5_000, "open", |p| p.text(".status") == "open")
            .await;
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
        assert!(seen().contains(&"B:2".to_owned()), "{:?}", seen());
    });
}

#[derive(Properties, PartialEq)]
struct UrlProps {
    url: AttrValue,
}

/// A list keyed by sequence number, over a history of 10.
#[function_component]
fn Keyed(props: &UrlProps) -> Html {
    let ws = use_websocket_with(UseWebSocketOptions::new(props.url.clone()).history(10));
    html! {
        <ol>{ for ws.messages().iter().map(|m| html! { <li key={m.seq}>{ text_of(m) }</li> }) }</ol>
    }
}

/// Past a full history, the newest lines are the ones shown.
#[wasm_bindgen_test]
async fn a_keyed_list_shows_the_newest_lines_once_the_history_is_full() {
    browser_test!(20_000, async {
        let point = MountPoint::new();
        let app = yew::Renderer::<Keyed>::with_root_and_props(
            point.element(),
            UrlProps {
                url: url("/burst?n=30").into(),
            },
        )
        .render();
        let newest: Vec<String> = (20..30).map(|i| burst_text(i, 0)).collect();
        point
            .until(10_000, "the newest ten", |p| p.texts("li") == newest)
            .await;
        app.destroy();
    });
}

/// Mounted while the browser is offline, the status says so (the socket's task ran first).
#[wasm_bindgen_test]
async fn mounted_offline_the_status_says_offline() {
    browser_test!(10_000, async {
        let _offline = Offline::force();
        let point = MountPoint::new();
        let app = mount(
            &point,
            FeedProps {
                url: url("/echo").into(),
                history: 10,
                reconnect: true,
                enabled: true,
            },
        );
        let shown = point.until(5_000, "offline", |p| p.text(".status") == "offline");
        shown.await;
        app.destroy();
    });
}

thread_local! {
    /// The handle of the [`TwoWay`] rendered last.
    static ASKER: RefCell<Option<UseWebSocketHandle<Answer, Ask>>> = const { RefCell::new(None) };
    /// The handle a [`Listener`] read from the context last.
    static SHARED: RefCell<Option<UseWebSocketHandle<Message>>> = const { RefCell::new(None) };
}

fn mount_url<C: BaseComponent<Properties = UrlProps>>(
    point: &MountPoint,
    path: &str,
) -> yew::AppHandle<C> {
    yew::Renderer::<C>::with_root_and_props(
        point.element(),
        UrlProps {
            url: url(path).into(),
        },
    )
    .render()
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
        point
            .until(5_000, "sent", |_| {
                let Some(asker) = ASKER.with_borrow(Clone::clone) else {
                    return false;
                };
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
        app.destroy();
    });
}

/// One socket shared through a provider with two listeners.
#[function_component]
fn Shared(props: &UrlProps) -> Html {
    let ws = use_websocket(&props.url);
    html! {
        <WebSocketProvider<Message> socket={ws}>
            <Listener name="a"/>
            <Listener name="b"/>
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
    SHARED.with_borrow_mut(|h| *h = Some(ws.clone()));
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
        let point = MountPoint::new();
        let app = mount_url::<Shared>(&point, &format!("/echo?id={id}"));
        point
            .until(5_000, "sent", |_| {
                let Some(shared) = SHARED.with_borrow(Clone::clone) else {
                    return false;
                };
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
        app.destroy();
    });
}

/// Waits before it connects: the builder comes from a future.
#[function_component]
fn Late(props: &UrlProps) -> Html {
    let ws = use_websocket_with(
        UseWebSocketOptions::new(props.url.clone()).socket_async(|url| {
            let url = url.to_owned();
            async move {
                sleep(50).await;
                wasm_websocket::WebSocket::builder(url)
            }
        }),
    );
    html! { <p class="status">{ ws.status().to_string() }</p> }
}

#[wasm_bindgen_test]
async fn socket_async_connects_once_its_builder_is_ready() {
    let id = tag("yew-late");
    browser_test!(10_000, async {
        let point = MountPoint::new();
        let app = mount_url::<Late>(&point, &format!("/echo?id={id}"));
        point
            .until(5_000, "open", |p| p.text(".status") == "open")
            .await;
        assert_eq!(stats_now(&id).await.num("connections"), 1.0);
        app.destroy();
    });
}

/// A history of 100, rendered from the shared history.
#[function_component]
fn Clones(props: &UrlProps) -> Html {
    let ws = use_websocket_with(
        UseWebSocketOptions::typed(props.url.clone(), Json::<(), Counted>::new()).history(100),
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
        point
            .until(10_000, "all 300", |p| p.text(".received") == "300")
            .await;
        assert_eq!(point.texts("li").last().map(String::as_str), Some("299"));
        assert_eq!(
            clones() - before,
            0,
            "no clone of a message, let alone of the history"
        );
        app.destroy();
    });
}
