//! The Dioxus hooks in real browsers: components mounted into the page with Dioxus's web
//! renderer, talking to the loopback test server (`cargo xtask server`), asserted on what the
//! page shows and what the server saw. The promises themselves are in `integrations/frames.rs`,
//! which the Yew and Leptos suites check too; this file has the components and says how Dioxus
//! mounts them.
#![cfg(target_arch = "wasm32")]

use std::cell::RefCell;
use std::rc::Rc;

use dioxus::prelude::*;
use futures::future::{AbortHandle, Abortable};
use wasm_bindgen_test::wasm_bindgen_test;
use wasm_websocket::{Json, Message, Untyped};
use wasm_websocket_dioxus::{
    use_on_message, use_subscription, use_websocket, use_websocket_context, use_websocket_provider,
    use_websocket_with, UseWebSocketOptions,
};

#[path = "../../frames.rs"]
mod frames;

use frames::*;
use frames::{dom, util};

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

/// Runs `render` with `props` in `point`; unmounting drops the whole virtual DOM, and with it
/// each component's hooks.
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
    let point = point.0.clone();
    Mounted::new(
        move |props| {
            if let Some(mut signal) = *control.borrow() {
                signal.set(props);
            }
        },
        move || {
            abort.abort();
            point.set_inner_html("");
        },
    )
}

struct Dioxus;

hook_suite!(Dioxus);

impl Mounting for Dioxus {
    const NAME: &'static str = "dioxus";

    fn feed(point: &MountPoint, props: FeedProps) -> Mounted<FeedProps> {
        mount(point, feed, props)
    }

    fn watched(point: &MountPoint, props: WatchedProps) -> Mounted<WatchedProps> {
        mount(point, watched, props)
    }

    fn shared(point: &MountPoint, props: SharedProps) -> Mounted<SharedProps> {
        mount(point, shared, props)
    }

    fn on_url(point: &MountPoint, component: OnUrl, url: String) -> Mounted {
        let render = match component {
            OnUrl::Chat => chat,
            OnUrl::Keyed => keyed,
            OnUrl::TwoWay => two_way,
            OnUrl::Late => late,
            OnUrl::Clones => clones,
            OnUrl::Thousand => thousand,
            OnUrl::Greeting => greeting,
            OnUrl::Asking => asking_view,
            OnUrl::Subscribed => subscribed,
        };
        let app = mount(point, render, url);
        Mounted::new(|()| {}, || app.unmount())
    }
}

fn feed(props: FeedProps) -> Element {
    let ws = use_websocket_with(feed_options(
        UseWebSocketOptions::new(props.url.clone()).enabled(props.enabled),
        &props,
    ));
    rendered_feed(ws.handle());
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

/// Reports every open, close, error and message to [`saw`].
fn watched(props: WatchedProps) -> Element {
    let tag = props.tag.clone();
    let ws = use_websocket_with(watched_options(props.url, props.reconnect, move || {
        tag.clone()
    }));
    rendered_watched(ws.handle());
    rsx! {
        div {
            p { class: "status", "{ws.status()}" }
            p { class: "tag", "{props.tag}" }
        }
    }
}

fn keyed(url: String) -> Element {
    let ws = use_websocket_with(one_connection(UseWebSocketOptions::new(url), 10));
    rsx! {
        ol {
            for m in ws.messages().iter() {
                li { key: "{m.seq}", "{text_of(m)}" }
            }
        }
    }
}

fn two_way(url: String) -> Element {
    let ws = use_websocket_with(UseWebSocketOptions::typed(url, msgpack()));
    rendered_asker(ws.handle());
    rsx! {
        ol {
            for a in ws.messages().iter() {
                li { key: "{a.seq}", "{a.value}" }
            }
        }
    }
}

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
        rendered_feed(ws.handle());
    }
    let who = name.clone();
    use_on_message(&ws, move |m: &Message| saw(format!("{who} {}", text_of(m))));
    rsx! { p { class: "{name}", "{ws.received()}" } }
}

fn late(url: String) -> Element {
    let ws = use_websocket_with(from_the_future(UseWebSocketOptions::new(url)));
    rendered_feed(ws.handle());
    rsx! { p { class: "status", "{ws.status()}" } }
}

fn clones(url: String) -> Element {
    let ws = use_websocket_with(one_connection(
        UseWebSocketOptions::typed(url, Json::<(), Counted>::new()),
        100,
    ));
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

fn thousand(url: String) -> Element {
    let ws = use_websocket_with(one_connection(UseWebSocketOptions::new(url), 1_000));
    rendered();
    rsx! {
        ol {
            for m in ws.messages().iter() {
                li { key: "{m.seq}", "{text_of(m)}" }
            }
        }
    }
}

fn greeting(url: String) -> Element {
    let ws = use_websocket_with(
        UseWebSocketOptions::new(url)
            .handshake(hello())
            .reconnect(|b| quickly(b, true)),
    );
    rendered_feed(ws.handle());
    rsx! {
        p { class: "status", "{ws.status()}" }
        ol {
            for m in ws.messages().iter() {
                li { key: "{m.seq}", "{text_of(m)}" }
            }
        }
    }
}

fn asking_view(url: String) -> Element {
    let ws = use_websocket_with(UseWebSocketOptions::typed(url, asking()));
    let view = (*ws).clone();
    rendered_requester(Rc::new(move |value| {
        let view = view.clone();
        Box::pin(async move { view.request(value).await })
    }));
    rsx! {
        p { class: "status", "{ws.status()}" }
        p { class: "received", "{ws.received()}" }
    }
}

fn subscribed(url: String) -> Element {
    let ws = use_websocket_with(UseWebSocketOptions::new(url).reconnect(|b| quickly(b, true)));
    use_subscription(&ws, || text("sub"));
    rsx! { p { class: "status", "{ws.status()}" } }
}

/// The plain hook, on a URL as given: what a new app writes first.
fn plain(url: String) -> Element {
    let ws = use_websocket(&url);
    rendered_feed(ws.handle());
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
        let app = mount(&point, plain, url("/echo"));
        until_status(&point, "open").await;
        let plain = || last_feed().expect("rendered");
        plain().send(text("hi")).unwrap();
        point
            .until(5_000, "the echo", |p| p.texts("li") == ["hi"])
            .await;
        app.unmount();
    });
}
