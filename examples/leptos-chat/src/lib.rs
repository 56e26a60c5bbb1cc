//! A chat room on `wasm-websocket`, the Leptos way: the `use_websocket_with` hook of
//! `wasm-websocket-leptos` owns the connection (it opens in an effect, so never while rendering
//! on a server, reconnects with backoff, queues what is sent while down, and closes with 1000
//! when the room is unmounted) and keeps every line, in order, in a signal.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use wasm_websocket::{Json, ReconnectStatus};
use wasm_websocket_leptos::{use_websocket_with, UseWebSocketOptions};

/// One chat message, as JSON on the wire: `{"from": "…", "text": "…"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Line {
    pub from: String,
    pub text: String,
}

/// The status line: "connected", or what the socket is doing instead.
fn describe(status: &ReconnectStatus) -> String {
    match status {
        ReconnectStatus::Open => "connected".to_owned(),
        other => other.to_string(),
    }
}

/// The chat room: the list, the status and a form. Unmounting it closes the socket.
#[component]
pub fn Room(url: String, name: String) -> impl IntoView {
    let chat =
        use_websocket_with(UseWebSocketOptions::typed(url, Json::<Line>::new()).history(1_000));
    let input = NodeRef::<leptos::html::Input>::new();
    let list = NodeRef::<leptos::html::Ol>::new();
    // Keep the newest line in view.
    Effect::new(move || {
        chat.received.track();
        if let Some(list) = list.get() {
            list.set_scroll_top(list.scroll_height());
        }
    });
    let on_submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let Some(input) = input.get() else {
            return;
        };
        let text = input.value();
        if !text.is_empty()
            && chat
                .sender
                .send(Line {
                    from: name.clone(),
                    text,
                })
                .is_ok()
        {
            input.set_value("");
        }
    };
    view! {
        <section id="room">
            <p class="status">
                <span id="status">{move || chat.status.with(describe)}</span>
                " · " <span id="count">{move || chat.received.get()}</span> " messages"
            </p>
            <ol id="lines" node_ref=list>
                // Keyed by sequence number: unique and stable, also once the history is full
                // (an index repeats then, and `<For>` would render no new line).
                <For
                    each=move || chat.messages.with(|lines| lines.iter().cloned().collect::<Vec<_>>())
                    key=|line| line.seq
                    children=|line| view! {
                        <li><b>{line.value.from}</b> ": " <span class="text">{line.value.text}</span></li>
                    }
                />
            </ol>
            <form on:submit=on_submit>
                <input id="message" node_ref=input placeholder="Say something" autocomplete="off" />
                <button id="send" disabled=move || chat.status.with(|s| *s != ReconnectStatus::Open)>"Send"</button>
            </form>
        </section>
    }
}

/// The chat's URL: `?url=` if given, else the trunk proxy's `/chat` on this page's host.
pub fn chat_url() -> String {
    let from_query = web_sys::window()
        .and_then(|w| w.location().search().ok())
        .and_then(|q| web_sys::UrlSearchParams::new_with_str(&q).ok())
        .and_then(|q| q.get("url"));
    from_query.unwrap_or_else(|| "/chat".to_owned())
}

/// The app: a room that can be left (unmounted, which closes the socket) and joined again.
#[component]
pub fn App(
    /// The chat's URL.
    url: String,
    /// How this user signs their lines.
    name: String,
) -> impl IntoView {
    let (joined, set_joined) = signal(true);
    let shown_name = name.clone();
    view! {
        <main>
            <header>
                <h1>"Leptos chat"</h1>
                <span>"on wasm-websocket, as " <b>{shown_name}</b></span>
                <button id="leave" on:click=move |_| set_joined.update(|j| *j = !*j)>
                    {move || if joined.get() { "Leave" } else { "Join" }}
                </button>
            </header>
            <Show
                when=move || joined.get()
                fallback=|| view! { <p id="left">"You left the room: the socket is closed."</p> }
            >
                <Room url=url.clone() name=name.clone() />
            </Show>
        </main>
    }
}
