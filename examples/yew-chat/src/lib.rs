//! A chat room on `wasm-websocket`, the Yew way: the `use_websocket_with` hook of
//! `wasm-websocket-yew` owns the connection (it opens after the first render, reconnects with
//! backoff, queues what is sent while down, and closes with 1000 when the room is unmounted)
//! and re-renders with every line, in order.

use serde::{Deserialize, Serialize};
use wasm_websocket::{Json, ReconnectStatus};
use wasm_websocket_yew::{use_websocket_with, UseWebSocketOptions};
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// One chat message, as JSON on the wire: `{"from": "…", "text": "…"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Line {
    pub from: String,
    pub text: String,
}

#[derive(Properties, PartialEq)]
pub struct RoomProps {
    pub url: AttrValue,
    pub name: AttrValue,
}

/// The chat room: the list, the status and a form. Unmounting it closes the socket.
#[function_component]
pub fn Room(props: &RoomProps) -> Html {
    let chat = use_websocket_with(
        UseWebSocketOptions::typed(props.url.clone(), Json::<Line>::new()).history(1_000),
    );
    let input = use_node_ref();
    let list = use_node_ref();
    {
        // Keep the newest line in view.
        let list = list.clone();
        use_effect_with(chat.received(), move |_| {
            if let Some(list) = list.cast::<web_sys::Element>() {
                list.set_scroll_top(list.scroll_height());
            }
        });
    }
    let onsubmit = {
        let chat = chat.clone();
        let input = input.clone();
        let name = props.name.to_string();
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            if let Some(input) = input.cast::<HtmlInputElement>() {
                let text = input.value();
                if !text.is_empty()
                    && chat
                        .send(Line {
                            from: name.clone(),
                            text,
                        })
                        .is_ok()
                {
                    input.set_value("");
                }
            }
        })
    };
    let status = match chat.status() {
        ReconnectStatus::Open => "connected".to_owned(),
        other => other.to_string(),
    };
    html! {
        <section id="room">
            <p class="status">
                <span id="status">{ status }</span>
                { " · " }<span id="count">{ chat.received() }</span>{ " messages" }
            </p>
            <ol id="lines" ref={list}>
                { for chat.messages().iter().map(|line| html! {
                    <li><b>{ &line.from }</b>{ ": " }<span class="text">{ &line.text }</span></li>
                }) }
            </ol>
            <form {onsubmit}>
                <input id="message" ref={input} placeholder="Say something" autocomplete="off" />
                <button id="send" disabled={chat.status() != ReconnectStatus::Open}>{ "Send" }</button>
            </form>
        </section>
    }
}

/// The chat's URL: `?url=` if given, else the trunk proxy's `/chat` on this page's host.
pub fn chat_url() -> String {
    let location = web_sys::window().map(|w| w.location());
    let from_query = location
        .as_ref()
        .and_then(|l| l.search().ok())
        .and_then(|q| web_sys::UrlSearchParams::new_with_str(&q).ok())
        .and_then(|q| q.get("url"));
    from_query.unwrap_or_else(|| "/chat".to_owned())
}

/// The app: a room that can be left (unmounted, which closes the socket) and joined again.
#[function_component]
pub fn App() -> Html {
    let joined = use_state(|| true);
    let name = use_memo((), |_| {
        format!("yew-{}", (js_sys::Math::random() * 1000.0) as u32)
    });
    let toggle = {
        let joined = joined.clone();
        Callback::from(move |_| joined.set(!*joined))
    };
    html! {
        <main>
            <header>
                <h1>{ "Yew chat" }</h1>
                <span>{ "on wasm-websocket, as " }<b>{ (*name).clone() }</b></span>
                <button id="leave" onclick={toggle}>{ if *joined { "Leave" } else { "Join" } }</button>
            </header>
            if *joined {
                <Room url={chat_url()} name={(*name).clone()} />
            } else {
                <p id="left">{ "You left the room: the socket is closed." }</p>
            }
        </main>
    }
}
