//! A chat room on `wasm-websocket`, the Leptos way.
//!
//! The [`Room`] component owns the connection: an effect (effects run in the browser only, never
//! while rendering on a server) spawns the task that connects, relays what the form sends and
//! pushes every received line into a signal. `on_cleanup` aborts the task when the room is
//! unmounted; dropping the task drops the socket, which closes it with 1000.
//!
//! Each line is pushed onto the list signal as it arrives, so a burst of messages all land in
//! the list; a "latest message" signal would show only the last one of a burst.

use futures::channel::mpsc::{self, UnboundedReceiver};
use futures::future::{AbortHandle, Abortable};
use futures::{select, SinkExt, StreamExt};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use wasm_websocket::{Error, Json, WebSocket};

/// One chat message, as JSON on the wire: `{"from": "…", "text": "…"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Line {
    pub from: String,
    pub text: String,
}

/// Where the connection is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    Connecting,
    Connected,
    /// Closed or failed, and why.
    Closed(String),
}

impl Status {
    fn describe(&self) -> String {
        match self {
            Status::Connecting => "connecting…".to_owned(),
            Status::Connected => "connected".to_owned(),
            Status::Closed(why) => format!("closed: {why}"),
        }
    }
}

/// Connects to `url`, then relays until the connection closes. Every received line is pushed
/// onto `lines`; `status` follows the connection.
pub async fn session(
    url: String,
    mut outbox: UnboundedReceiver<Line>,
    lines: WriteSignal<Vec<Line>>,
    status: WriteSignal<Status>,
) {
    let socket = match WebSocket::connect(url).await {
        Ok(socket) => socket,
        Err(error) => return status.set(Status::Closed(error.to_string())),
    };
    status.set(Status::Connected);
    let mut socket = socket.typed(Json::<Line>::new());
    let ended = loop {
        select! {
            received = socket.next() => match received {
                Some(Ok(line)) => lines.update(|lines| lines.push(line)),
                // A message that is not a chat line; the connection goes on.
                Some(Err(Error::Decode { .. })) => {}
                Some(Err(error)) => break error.to_string(),
                None => break "closed".to_owned(),
            },
            line = outbox.next() => match line {
                Some(line) => {
                    if let Err(error) = socket.send(line).await {
                        break error.to_string();
                    }
                }
                None => return,
            },
        }
    };
    let closed = socket.socket().closed().await;
    status.set(Status::Closed(format!("{ended}: {closed}")));
}

/// The chat room: the list, the status and a form. Unmounting it closes the socket.
#[component]
pub fn Room(url: String, name: String) -> impl IntoView {
    let (lines, set_lines) = signal(Vec::<Line>::new());
    let (status, set_status) = signal(Status::Connecting);
    let (outbox, receiver) = mpsc::unbounded();
    let (abort, registration) = AbortHandle::new_pair();
    // The effect runs once, after mounting, in the browser; the task it starts is aborted on
    // unmount.
    let start = StoredValue::new(Some((url, receiver, registration)));
    Effect::new(move || {
        if let Some((url, receiver, registration)) = start.try_update_value(Option::take).flatten()
        {
            let session =
                Abortable::new(session(url, receiver, set_lines, set_status), registration);
            leptos::task::spawn_local(async move {
                let _ = session.await;
            });
        }
    });
    on_cleanup(move || abort.abort());

    let input = NodeRef::<leptos::html::Input>::new();
    let list = NodeRef::<leptos::html::Ol>::new();
    // Keep the newest line in view.
    Effect::new(move || {
        lines.track();
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
        if !text.is_empty() {
            let _ = outbox.unbounded_send(Line {
                from: name.clone(),
                text,
            });
            input.set_value("");
        }
    };
    view! {
        <section id="room">
            <p class="status">
                <span id="status">{move || status.with(Status::describe)}</span>
                " · " <span id="count">{move || lines.with(Vec::len)}</span> " messages"
            </p>
            <ol id="lines" node_ref=list>
                <For
                    each=move || lines.get().into_iter().enumerate()
                    key=|(i, _)| *i
                    children=|(_, line)| view! {
                        <li><b>{line.from}</b> ": " <span class="text">{line.text}</span></li>
                    }
                />
            </ol>
            <form on:submit=on_submit>
                <input id="message" node_ref=input placeholder="Say something" autocomplete="off" />
                <button id="send" disabled=move || status.with(|s| *s != Status::Connected)>"Send"</button>
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
