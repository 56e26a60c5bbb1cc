//! The Yew hooks in real browsers: components mounted into the page, talking to the loopback
//! test server (`cargo xtask server`), asserted on what the page shows and what the server saw.
#![cfg(target_arch = "wasm32")]

use std::cell::RefCell;
use std::time::Duration;

use futures::SinkExt;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use wasm_websocket::{Backoff, Json, Message, ReconnectStatus};
use wasm_websocket_yew::{use_websocket_with, UseWebSocketHandle, UseWebSocketOptions};
use yew::prelude::*;

wasm_bindgen_test_configure!(run_in_browser);

#[allow(dead_code)]
#[path = "../../../tests/web/dom.rs"]
mod dom;
#[allow(dead_code)]
#[path = "../../../tests/web/util.rs"]
mod util;

use dom::MountPoint;
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
}

fn text_of(message: &Message) -> String {
    match message {
        Message::Text(t) => t.clone(),
        other => format!("{other:?}"),
    }
}

/// Every message as a line, the status and the ready state.
#[function_component]
fn Feed(props: &FeedProps) -> Html {
    let again = props.reconnect;
    let ws = use_websocket_with(
        UseWebSocketOptions::new(props.url.clone())
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
        let live_before = wasm_websocket::live_callbacks();
        for _ in 0..200 {
            let point = MountPoint::new();
            let app = mount(
                &point,
                FeedProps {
                    url: url(&format!("/echo?id={id}")).into(),
                    history: 10,
                    reconnect: true,
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
    let chat =
        use_websocket_with(UseWebSocketOptions::new(props.url.clone()).codec(Json::<Line>::new()));
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
