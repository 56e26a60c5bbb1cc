//! A chat room on `wasm-websocket`, the Dioxus way: the `use_websocket_with` hook of
//! `wasm-websocket-dioxus` owns the connection (it opens in an effect, so never while rendering
//! on a server, reconnects with backoff, queues what is sent while down, and closes with 1000
//! when the room is unmounted) and renders the room again, at most once per animation frame,
//! with every line, in order.

use dioxus::prelude::*;
use serde::{Deserialize, Serialize};
use wasm_websocket::{Json, ReconnectStatus};
use wasm_websocket_dioxus::{use_websocket_with, UseWebSocketOptions};

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

/// Scrolls the list of lines to its end, where the newest line is.
fn show_newest() {
    let list = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("lines"));
    if let Some(list) = list {
        list.set_scroll_top(list.scroll_height());
    }
}

/// The chat room: the list, the status and a form. Unmounting it closes the socket.
#[component]
pub fn Room(url: String, name: String) -> Element {
    let chat =
        use_websocket_with(UseWebSocketOptions::typed(url, Json::<Line>::new()).history(1_000));
    let mut draft = use_signal(String::new);
    // Keep the newest line in view: after each render that shows more lines.
    let received = chat.received();
    use_effect(use_reactive!(|received| {
        let _ = received;
        show_newest();
    }));
    let status = chat.status();
    let on_submit = {
        let chat = chat.clone();
        move |event: FormEvent| {
            event.prevent_default();
            let text = draft();
            if !text.is_empty()
                && chat
                    .send(Line {
                        from: name.clone(),
                        text,
                    })
                    .is_ok()
            {
                draft.set(String::new());
            }
        }
    };
    rsx! {
        section { id: "room",
            p { class: "status",
                span { id: "status", {describe(&status)} }
                " · "
                span { id: "count", "{received}" }
                " messages"
            }
            ol { id: "lines",
                // Keyed by sequence number: unique and stable, also once the history is full
                // (an index repeats then).
                for line in chat.messages().iter() {
                    li { key: "{line.seq}",
                        b { "{line.from}" }
                        ": "
                        span { class: "text", "{line.text}" }
                    }
                }
            }
            form { onsubmit: on_submit,
                input {
                    id: "message",
                    placeholder: "Say something",
                    autocomplete: "off",
                    value: "{draft}",
                    oninput: move |event| draft.set(event.value()),
                }
                button { id: "send", disabled: status != ReconnectStatus::Open, "Send" }
            }
        }
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
///
/// `url` is the chat's URL; `name` is how this user signs their lines.
#[component]
pub fn App(url: String, name: String) -> Element {
    let mut joined = use_signal(|| true);
    rsx! {
        main {
            header {
                h1 { "Dioxus chat" }
                span { "on wasm-websocket, as " b { "{name}" } }
                button { id: "leave", onclick: move |_| joined.toggle(),
                    if joined() { "Leave" } else { "Join" }
                }
            }
            if joined() {
                Room { url: url.clone(), name: name.clone() }
            } else {
                p { id: "left", "You left the room: the socket is closed." }
            }
        }
    }
}
