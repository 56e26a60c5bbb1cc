//! A chat room on `wasm-websocket`, the Yew way.
//!
//! [`use_chat`] is a hook that owns the connection: an effect spawns one task per URL which
//! connects, sends what the component hands it and reports every line through a reducer. The
//! effect's cleanup aborts that task on unmount (or when the URL changes); dropping the task
//! drops the socket, which closes it with 1000.
//!
//! Lines go through `use_reducer` and are appended one by one, so a burst of messages all land
//! in the list. Setting a `use_state` from a clone captured by the task would keep only the
//! last one of a burst.

use std::rc::Rc;

use futures::channel::mpsc::{self, UnboundedReceiver, UnboundedSender};
use futures::future::{AbortHandle, Abortable};
use futures::{select, SinkExt, StreamExt};
use serde::{Deserialize, Serialize};
use wasm_websocket::{Json, WebSocket};
use web_sys::HtmlInputElement;
use yew::prelude::*;

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

/// The hook's state: every line received, in order, and the status.
#[derive(Debug, Clone, PartialEq)]
pub struct Chat {
    pub lines: Vec<Line>,
    pub status: Status,
    /// Messages that could not be decoded; counted, not shown.
    pub undecodable: u32,
}

pub enum Action {
    Received(Line),
    Undecodable,
    Status(Status),
}

impl Reducible for Chat {
    type Action = Action;

    fn reduce(mut self: Rc<Self>, action: Action) -> Rc<Self> {
        let chat = Rc::make_mut(&mut self);
        match action {
            Action::Received(line) => chat.lines.push(line),
            Action::Undecodable => chat.undecodable += 1,
            Action::Status(status) => chat.status = status,
        }
        self
    }
}

/// What [`use_chat`] gives a component.
pub struct UseChat {
    pub chat: UseReducerHandle<Chat>,
    /// Sends a line; a no-op once the connection has ended.
    pub send: Callback<Line>,
}

/// Connects to the chat at `url` for as long as the component is mounted.
#[hook]
pub fn use_chat(url: &str) -> UseChat {
    let chat = use_reducer(|| Chat {
        lines: Vec::new(),
        status: Status::Connecting,
        undecodable: 0,
    });
    let outbox = use_mut_ref(|| None::<UnboundedSender<Line>>);
    {
        let dispatcher = chat.dispatcher();
        let outbox = outbox.clone();
        use_effect_with(url.to_owned(), move |url| {
            let (sender, receiver) = mpsc::unbounded();
            *outbox.borrow_mut() = Some(sender);
            let (abort, registration) = AbortHandle::new_pair();
            let session = Abortable::new(session(url.clone(), receiver, dispatcher), registration);
            wasm_bindgen_futures::spawn_local(async move {
                let _ = session.await;
            });
            move || {
                outbox.borrow_mut().take();
                abort.abort();
            }
        });
    }
    let send = Callback::from(move |line: Line| {
        if let Some(outbox) = outbox.borrow().as_ref() {
            let _ = outbox.unbounded_send(line);
        }
    });
    UseChat { chat, send }
}

/// Connects, then relays until the connection closes or the component goes away.
async fn session(
    url: String,
    mut outbox: UnboundedReceiver<Line>,
    chat: UseReducerDispatcher<Chat>,
) {
    let socket = match WebSocket::connect(url).await {
        Ok(socket) => socket,
        Err(error) => return chat.dispatch(Action::Status(Status::Closed(error.to_string()))),
    };
    chat.dispatch(Action::Status(Status::Connected));
    let mut socket = socket.typed(Json::<Line>::new());
    let ended = loop {
        select! {
            received = socket.next() => match received {
                Some(Ok(line)) => chat.dispatch(Action::Received(line)),
                // A message that is not a chat line; the connection goes on.
                Some(Err(wasm_websocket::Error::Decode { .. })) => chat.dispatch(Action::Undecodable),
                Some(Err(error)) => break error.to_string(),
                None => break "closed".to_owned(),
            },
            line = outbox.next() => match line {
                Some(line) => {
                    if let Err(error) = socket.send(line).await {
                        break error.to_string();
                    }
                }
                // The component went away (its cleanup also aborts this task).
                None => return,
            },
        }
    };
    let closed = socket.socket().closed().await;
    chat.dispatch(Action::Status(Status::Closed(format!("{ended}: {closed}"))));
}

#[derive(Properties, PartialEq)]
pub struct RoomProps {
    pub url: AttrValue,
    pub name: AttrValue,
}

/// The chat room: the list, the status and a form. Unmounting it closes the socket.
#[function_component]
pub fn Room(props: &RoomProps) -> Html {
    let UseChat { chat, send } = use_chat(&props.url);
    let input = use_node_ref();
    let list = use_node_ref();
    {
        // Keep the newest line in view.
        let list = list.clone();
        use_effect_with(chat.lines.len(), move |_| {
            if let Some(list) = list.cast::<web_sys::Element>() {
                list.set_scroll_top(list.scroll_height());
            }
        });
    }
    let onsubmit = {
        let input = input.clone();
        let name = props.name.to_string();
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            if let Some(input) = input.cast::<HtmlInputElement>() {
                let text = input.value();
                if !text.is_empty() {
                    send.emit(Line {
                        from: name.clone(),
                        text,
                    });
                    input.set_value("");
                }
            }
        })
    };
    let status = match &chat.status {
        Status::Connecting => "connecting…".to_owned(),
        Status::Connected => "connected".to_owned(),
        Status::Closed(why) => format!("closed: {why}"),
    };
    html! {
        <section id="room">
            <p class="status">
                <span id="status">{ status }</span>
                { " · " }<span id="count">{ chat.lines.len() }</span>{ " messages" }
            </p>
            <ol id="lines" ref={list}>
                { for chat.lines.iter().map(|line| html! {
                    <li><b>{ &line.from }</b>{ ": " }<span class="text">{ &line.text }</span></li>
                }) }
            </ol>
            <form {onsubmit}>
                <input id="message" ref={input} placeholder="Say something" autocomplete="off" />
                <button id="send" disabled={chat.status != Status::Connected}>{ "Send" }</button>
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
