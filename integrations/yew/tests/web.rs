//! The Yew hooks in real browsers: components mounted into the page, talking to the loopback
//! test server (`cargo xtask server`), asserted on what the page shows and what the server saw.
//! The promises themselves are in `integrations/frames.rs`, which the Leptos and Dioxus suites
//! check too; this file has the components and says how Yew mounts them.
#![cfg(target_arch = "wasm32")]

use std::cell::RefCell;
use std::rc::Rc;

use wasm_websocket::{Json, Message, Untyped};
use wasm_websocket_yew::{
    use_on_message, use_subscription, use_websocket, use_websocket_context, use_websocket_with,
    UseWebSocketOptions, WebSocketProvider,
};
use yew::prelude::*;

#[path = "../../frames.rs"]
mod frames;

use frames::*;
use frames::{dom, util};

/// Renders `C` into `point` with `props` as `to` makes them its properties; new props update
/// the app, as a parent's render would.
fn mount<C: BaseComponent, P: 'static>(
    point: &MountPoint,
    props: P,
    to: fn(P) -> C::Properties,
) -> Mounted<P> {
    let app = yew::Renderer::<C>::with_root_and_props(point.element(), to(props)).render();
    let app = Rc::new(RefCell::new(Some(app)));
    let updated = Rc::clone(&app);
    Mounted::new(
        move |props| {
            if let Some(app) = updated.borrow_mut().as_mut() {
                app.update(to(props));
            }
        },
        move || {
            if let Some(app) = app.take() {
                app.destroy();
            }
        },
    )
}

/// The frames' props as a Yew component's.
#[derive(Properties, PartialEq)]
struct Of<P: PartialEq> {
    props: P,
}

#[derive(Properties, PartialEq)]
struct UrlProps {
    url: AttrValue,
}

struct Yew;

hook_suite!(Yew);

impl Mounting for Yew {
    const NAME: &'static str = "yew";

    fn feed(point: &MountPoint, props: FeedProps) -> Mounted<FeedProps> {
        mount::<Feed, _>(point, props, |props| Of { props })
    }

    fn watched(point: &MountPoint, props: WatchedProps) -> Mounted<WatchedProps> {
        mount::<Watched, _>(point, props, |props| Of { props })
    }

    fn shared(point: &MountPoint, props: SharedProps) -> Mounted<SharedProps> {
        mount::<Shared, _>(point, props, |props| Of { props })
    }

    fn on_url(point: &MountPoint, component: OnUrl, url: String) -> Mounted {
        let url = UrlProps { url: url.into() };
        let same = std::convert::identity;
        let app = match component {
            OnUrl::Chat => mount::<Chat, _>(point, url, same),
            OnUrl::Keyed => mount::<Keyed, _>(point, url, same),
            OnUrl::TwoWay => mount::<TwoWay, _>(point, url, same),
            OnUrl::Late => mount::<Late, _>(point, url, same),
            OnUrl::Clones => mount::<Clones, _>(point, url, same),
            OnUrl::Thousand => mount::<Thousand, _>(point, url, same),
            OnUrl::Greeting => mount::<Greeting, _>(point, url, same),
            OnUrl::Asking => mount::<Asking, _>(point, url, same),
            OnUrl::Subscribed => mount::<Subscribed, _>(point, url, same),
        };
        Mounted::new(|()| {}, || app.unmount())
    }
}

#[function_component]
fn Feed(Of { props }: &Of<FeedProps>) -> Html {
    let ws = use_websocket_with(feed_options(
        UseWebSocketOptions::new(props.url.clone()).enabled(props.enabled),
        props,
    ));
    rendered_feed(ws.handle());
    html! {
        <div>
            <p class="status">{ ws.status().to_string() }</p>
            <p class="received">{ ws.received() }</p>
            <ol>{ for ws.messages().iter().map(|m| html! { <li>{ text_of(m) }</li> }) }</ol>
        </div>
    }
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

#[function_component]
fn Watched(Of { props }: &Of<WatchedProps>) -> Html {
    let tag = props.tag.clone();
    let ws = use_websocket_with(watched_options(
        props.url.clone(),
        props.reconnect,
        move || tag.clone(),
    ));
    rendered_watched(ws.handle());
    html! {
        <div>
            <p class="status">{ ws.status().to_string() }</p>
            <p class="tag">{ props.tag.clone() }</p>
        </div>
    }
}

#[function_component]
fn Keyed(props: &UrlProps) -> Html {
    let ws = use_websocket_with(one_connection(
        UseWebSocketOptions::new(props.url.clone()),
        10,
    ));
    html! {
        <ol>{ for ws.messages().iter().map(|m| html! { <li key={m.seq}>{ text_of(m) }</li> }) }</ol>
    }
}

#[function_component]
fn TwoWay(props: &UrlProps) -> Html {
    let ws = use_websocket_with(UseWebSocketOptions::typed(props.url.clone(), msgpack()));
    rendered_asker(ws.handle());
    html! {
        <ol>{ for ws.messages().iter().map(|a| html! { <li key={a.seq}>{ a.value.to_string() }</li> }) }</ol>
    }
}

#[function_component]
fn Shared(Of { props }: &Of<SharedProps>) -> Html {
    let ws = use_websocket(props.url.as_str());
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
        rendered_feed(ws.handle());
    }
    let name = props.name.clone();
    use_on_message(
        &ws,
        Callback::from(move |m: Message| saw(format!("{name} {}", text_of(&m)))),
    );
    html! { <p class={props.name.clone()}>{ ws.received() }</p> }
}

#[function_component]
fn Late(props: &UrlProps) -> Html {
    let ws = use_websocket_with(from_the_future(UseWebSocketOptions::new(props.url.clone())));
    rendered_feed(ws.handle());
    html! { <p class="status">{ ws.status().to_string() }</p> }
}

#[function_component]
fn Clones(props: &UrlProps) -> Html {
    let ws = use_websocket_with(one_connection(
        UseWebSocketOptions::typed(props.url.clone(), Json::<(), Counted>::new()),
        100,
    ));
    html! {
        <div>
            <p class="received">{ ws.received() }</p>
            <ol>{ for ws.messages().iter().map(|c| html! { <li key={c.seq}>{ c.value.0 }</li> }) }</ol>
        </div>
    }
}

#[function_component]
fn Thousand(props: &UrlProps) -> Html {
    let ws = use_websocket_with(one_connection(
        UseWebSocketOptions::new(props.url.clone()),
        1_000,
    ));
    rendered();
    html! {
        <ol>{ for ws.messages().iter().map(|m| html! { <li key={m.seq}>{ text_of(m) }</li> }) }</ol>
    }
}

#[function_component]
fn Greeting(props: &UrlProps) -> Html {
    let ws = use_websocket_with(
        UseWebSocketOptions::new(props.url.clone())
            .handshake(hello())
            .reconnect(|b| quickly(b, true)),
    );
    rendered_feed(ws.handle());
    html! {
        <div>
            <p class="status">{ ws.status().to_string() }</p>
            <ol>{ for ws.messages().iter().map(|m| html! { <li key={m.seq}>{ text_of(m) }</li> }) }</ol>
        </div>
    }
}

#[function_component]
fn Asking(props: &UrlProps) -> Html {
    let ws = use_websocket_with(UseWebSocketOptions::typed(props.url.clone(), asking()));
    let view = (*ws).clone();
    rendered_requester(Rc::new(move |value| {
        let view = view.clone();
        Box::pin(async move { view.request(value).await })
    }));
    html! {
        <div>
            <p class="status">{ ws.status().to_string() }</p>
            <p class="received">{ ws.received() }</p>
        </div>
    }
}

#[function_component]
fn Subscribed(props: &UrlProps) -> Html {
    let ws = use_websocket_with(
        UseWebSocketOptions::new(props.url.clone()).reconnect(|b| quickly(b, true)),
    );
    use_subscription(&ws, text("sub"));
    html! { <p class="status">{ ws.status().to_string() }</p> }
}
