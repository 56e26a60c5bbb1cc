//! The Leptos hooks in real browsers: components mounted into the page, talking to the loopback
//! test server (`cargo xtask server`), asserted on what the page shows and what the server saw.
//! The promises themselves are in `integrations/frames.rs`, which the Yew and Dioxus suites
//! check too; this file has the components and says how Leptos mounts them.
#![cfg(target_arch = "wasm32")]

use std::cell::Cell;

use leptos::prelude::*;
use wasm_bindgen_test::wasm_bindgen_test;
use wasm_websocket::view::ViewHandle;
use wasm_websocket::{Json, Message, Untyped};
use wasm_websocket_leptos::{
    use_websocket_context, use_websocket_with, UseWebSocketOptions, WebSocketProvider,
    WebSocketSender,
};

#[path = "../../frames.rs"]
mod frames;

use frames::*;
use frames::{dom, util};

thread_local! {
    /// The sender of the feed rendered last.
    static SENDER: Cell<Option<WebSocketSender<Message>>> = const { Cell::new(None) };
}

struct Leptos;

hook_suite!(Leptos);

/// A Leptos component runs once: new props reach it as new values of its signals, so each
/// prop that may change is a memo of the props signal, and changes only when its value does.
impl Mounting for Leptos {
    const NAME: &'static str = "leptos";

    fn feed(point: &MountPoint, props: FeedProps) -> Mounted<FeedProps> {
        mount(point, props, |props| {
            let url = Memo::new(move |_| props.with(|p| p.url.clone()));
            let enabled = Memo::new(move |_| props.with(|p| p.enabled));
            let props = props.get_untracked();
            view! { <FeedView url=Signal::from(url) enabled=Signal::from(enabled) props/> }
        })
    }

    fn watched(point: &MountPoint, props: WatchedProps) -> Mounted<WatchedProps> {
        mount(point, props, |props| {
            let url = Memo::new(move |_| props.with(|p| p.url.clone()));
            let tag = Memo::new(move |_| props.with(|p| p.tag.clone()));
            let reconnect = props.with_untracked(|p| p.reconnect);
            view! { <WatchedView url=Signal::from(url) tag=Signal::from(tag) reconnect/> }
        })
    }

    fn shared(point: &MountPoint, props: SharedProps) -> Mounted<SharedProps> {
        mount(point, props, |props| {
            let url = props.with_untracked(|p| p.url.clone());
            let with_b = Memo::new(move |_| props.with(|p| p.with_b));
            view! {
                <WebSocketProvider options=UseWebSocketOptions::new(url)>
                    <Listener name="a"/>
                    <Show when=move || with_b.get()>
                        <Listener name="b"/>
                    </Show>
                </WebSocketProvider>
            }
        })
    }

    fn on_url(point: &MountPoint, component: OnUrl, url: String) -> Mounted {
        mount(point, (), move |_| match component {
            OnUrl::Chat => view! { <Chat url/> }.into_any(),
            OnUrl::Keyed => view! { <Keyed url/> }.into_any(),
            OnUrl::TwoWay => view! { <TwoWay url/> }.into_any(),
            OnUrl::Late => view! { <Late url/> }.into_any(),
            OnUrl::Clones => view! { <Clones url/> }.into_any(),
            OnUrl::Thousand => view! { <Thousand url/> }.into_any(),
            OnUrl::Greeting => view! { <Greeting url/> }.into_any(),
            OnUrl::Asking => view! { <Asking url/> }.into_any(),
            OnUrl::Subscribed => view! { <Subscribed url/> }.into_any(),
        })
    }
}

/// Mounts what `view` makes of the props signal into `point`; new props are set on that signal.
fn mount<P: Send + Sync + 'static, V: IntoView + 'static>(
    point: &MountPoint,
    props: P,
    view: impl FnOnce(RwSignal<P>) -> V + 'static,
) -> Mounted<P> {
    let props = RwSignal::new(props);
    let app = leptos::mount::mount_to(point.0.clone(), move || view(props));
    Mounted::new(move |new| props.set(new), move || drop(app))
}

/// After its owner is gone, a sender gives back what it is given instead of panicking.
#[wasm_bindgen_test]
async fn a_sender_whose_owner_is_gone_fails_instead_of_panicking() {
    browser_test!(10_000, async {
        let point = MountPoint::new();
        let app = Leptos::feed(&point, FeedProps::at("/echo"));
        until_status(&point, "open").await;
        app.unmount();
        let sender = SENDER.get().expect("a feed was rendered");
        assert!(sender.send(text("late")).is_err());
    });
}

/// Tells the frames the handle of a sender whose owner lives.
fn rendered_sender<Tx>(sender: WebSocketSender<Tx>, rendered: fn(ViewHandle<Tx>)) {
    if let Some(handle) = sender.handle() {
        rendered(handle);
    }
}

/// `url` and `enabled` as signals; the rest of the props as they were at the mount.
#[component]
fn FeedView(url: Signal<String>, enabled: Signal<bool>, props: FeedProps) -> impl IntoView {
    let ws = use_websocket_with(feed_options(
        UseWebSocketOptions::new(url).enabled(enabled),
        &props,
    ));
    SENDER.set(Some(ws.sender));
    rendered_sender(ws.sender, rendered_feed);
    view! {
        <div>
            <p class="status">{move || ws.status.get().to_string()}</p>
            <p class="received">{move || ws.received.get()}</p>
            <ol>{move || ws.messages.with(|m| m.iter().map(|m| view! { <li>{text_of(m)}</li> }).collect_view())}</ol>
        </div>
    }
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

/// The tag is read when a message comes: the Leptos way to a callback that follows a prop.
#[component]
fn WatchedView(url: Signal<String>, tag: Signal<String>, reconnect: bool) -> impl IntoView {
    let ws = use_websocket_with(watched_options(url, reconnect, move || tag.get_untracked()));
    rendered_sender(ws.sender, rendered_watched);
    view! {
        <p class="status">{move || ws.status.get().to_string()}</p>
        <p class="tag">{tag}</p>
    }
}

/// A `<For>` keyed by sequence number.
#[component]
fn Keyed(url: String) -> impl IntoView {
    let ws = use_websocket_with(one_connection(UseWebSocketOptions::new(url), 10));
    let each = move || ws.messages.get().iter().cloned().collect::<Vec<_>>();
    view! {
        <ol>
            <For each key=|m| m.seq children=|m| view! { <li>{text_of(&m)}</li> }/>
        </ol>
    }
}

#[component]
fn TwoWay(url: String) -> impl IntoView {
    let ws = use_websocket_with(UseWebSocketOptions::typed(url, msgpack()));
    rendered_sender(ws.sender, rendered_asker);
    view! {
        <ol>{move || ws.messages.with(|m| m.iter().map(|a| view! { <li>{a.value.to_string()}</li> }).collect_view())}</ol>
    }
}

/// A component below a provider, with its own `on_message`.
#[component]
fn Listener(name: &'static str) -> impl IntoView {
    let ws = use_websocket_context::<Untyped>().expect("a provider above");
    if name == "a" {
        rendered_sender(ws.sender, rendered_feed);
    }
    ws.on_message(move |m| saw(format!("{name} {}", text_of(m))));
    view! { <p class=name>{move || ws.received.get()}</p> }
}

#[component]
fn Late(url: String) -> impl IntoView {
    let ws = use_websocket_with(from_the_future(UseWebSocketOptions::new(url)));
    rendered_sender(ws.sender, rendered_feed);
    view! { <p class="status">{move || ws.status.get().to_string()}</p> }
}

/// Rendered with `messages.with`.
#[component]
fn Clones(url: String) -> impl IntoView {
    let ws = use_websocket_with(one_connection(
        UseWebSocketOptions::typed(url, Json::<(), Counted>::new()),
        100,
    ));
    view! {
        <p class="received">{move || ws.received.get()}</p>
        <ol>{move || ws.messages.with(|m| m.iter().map(|c| view! { <li>{c.value.0}</li> }).collect_view())}</ol>
    }
}

/// The example's pattern: a `<For>` keyed by sequence number.
#[component]
fn Thousand(url: String) -> impl IntoView {
    let ws = use_websocket_with(one_connection(UseWebSocketOptions::new(url), 1_000));
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

#[component]
fn Greeting(url: String) -> impl IntoView {
    let ws = use_websocket_with(
        UseWebSocketOptions::new(url)
            .handshake(hello())
            .reconnect(|b| quickly(b, true)),
    );
    rendered_sender(ws.sender, rendered_feed);
    view! {
        <p class="status">{move || ws.status.get().to_string()}</p>
        <ol>{move || ws.messages.with(|m| m.iter().map(|m| view! { <li>{text_of(m)}</li> }).collect_view())}</ol>
    }
}

#[component]
fn Asking(url: String) -> impl IntoView {
    let ws = use_websocket_with(UseWebSocketOptions::typed(url, asking()));
    rendered_requester(std::rc::Rc::new(move |value| {
        Box::pin(async move { ws.request(value).await })
    }));
    view! {
        <p class="status">{move || ws.status.get().to_string()}</p>
        <p class="received">{move || ws.received.get()}</p>
    }
}

#[component]
fn Subscribed(url: String) -> impl IntoView {
    let ws = use_websocket_with(UseWebSocketOptions::new(url).reconnect(|b| quickly(b, true)));
    ws.subscribe(text("sub"));
    view! { <p class="status">{move || ws.status.get().to_string()}</p> }
}
