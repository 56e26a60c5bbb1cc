//! The hooks: one reconnecting socket per mounted component and URL, read by one task.

use std::rc::Rc;

use futures::future::{AbortHandle, Abortable};
use futures::{select, StreamExt};
use wasm_websocket::{Codec, Message, ReconnectEvent, ReconnectSender, ReconnectingSocket};
use yew::prelude::*;

use crate::handle::Encode;
use crate::view::{SocketView, Update};
use crate::{UseWebSocketHandle, UseWebSocketOptions};

/// Connects to `url` while the component is mounted, with the core's default reconnection, and
/// keeps the last 100 messages. See [`use_websocket_with`] for the options.
///
/// ```no_run
/// # use yew::prelude::*;
/// #[function_component]
/// fn Ticker() -> Html {
///     let ws = wasm_websocket_yew::use_websocket("/ticks");
///     html! { <p>{ ws.received() }{ " ticks" }</p> }
/// }
/// ```
#[hook]
pub fn use_websocket(url: &str) -> UseWebSocketHandle<Message> {
    use_websocket_with(UseWebSocketOptions::new(url.to_owned()))
}

/// Connects as `options` say while the component is mounted. The connection opens after the
/// first render; a new URL closes the old connection (1000) and opens a new one, starting the
/// state over; unmounting closes with 1000 and removes every listener and timer.
///
/// ```no_run
/// # use yew::prelude::*;
/// use wasm_websocket::Json;
/// use wasm_websocket_yew::{use_websocket_with, UseWebSocketOptions};
///
/// #[derive(Clone, PartialEq, serde::Serialize, serde::Deserialize)]
/// struct Line { from: String, text: String }
///
/// #[function_component]
/// fn Chat() -> Html {
///     let chat = use_websocket_with(UseWebSocketOptions::new("/chat").codec(Json::<Line>::new()).history(500));
///     html! { <div>{ for chat.messages().iter().map(|l| html! { <p>{ &l.from }{ ": " }{ &l.text }</p> }) }</div> }
/// }
/// ```
#[hook]
pub fn use_websocket_with<C>(options: UseWebSocketOptions<C>) -> UseWebSocketHandle<C::Item>
where
    C: Codec + Clone + 'static,
    C::Item: Clone + 'static,
{
    let history = options.history;
    let view = use_reducer(move || SocketView::new(history));
    let sender = use_mut_ref(|| None::<ReconnectSender>);
    let codec = options.codec.clone();
    let encode: Encode<C::Item> = Rc::new(move |value| codec.encode(value));
    {
        let dispatcher = view.dispatcher();
        let sender = sender.clone();
        use_effect_with(options.url.clone(), move |url| {
            dispatcher.dispatch(Update::Reset);
            let abort = start(url.to_string(), options, dispatcher, &sender);
            move || {
                sender.borrow_mut().take();
                if let Some(abort) = abort {
                    abort.abort();
                }
            }
        });
    }
    UseWebSocketHandle {
        view,
        sender,
        encode,
    }
}

/// Starts the socket and the task that reads it; the handle stops the task, which drops the
/// socket (closing it with 1000). `None` where there is no WebSocket (the error is shown).
fn start<C>(
    url: String,
    options: UseWebSocketOptions<C>,
    view: UseReducerDispatcher<SocketView<C::Item>>,
    sender: &Rc<std::cell::RefCell<Option<ReconnectSender>>>,
) -> Option<AbortHandle>
where
    C: Codec + 'static,
    C::Item: Clone + 'static,
{
    let make = options.socket.clone();
    let builder = ReconnectingSocket::builder(move || make(&url)).record_events(true);
    let socket = match (options.reconnect)(builder).start() {
        Ok(socket) => socket,
        Err(error) => {
            view.dispatch(Update::Error(error));
            return None;
        }
    };
    *sender.borrow_mut() = Some(socket.sender());
    let (abort, registration) = AbortHandle::new_pair();
    let task = Abortable::new(
        relay(socket, options.codec, options.on_message, view),
        registration,
    );
    wasm_bindgen_futures::spawn_local(async move {
        let _ = task.await;
    });
    Some(abort)
}

/// Hands every message, error and state change to the component, in order, until the socket
/// ends.
async fn relay<C>(
    mut socket: ReconnectingSocket,
    codec: C,
    on_message: Option<Callback<C::Item>>,
    view: UseReducerDispatcher<SocketView<C::Item>>,
) where
    C: Codec,
    C::Item: Clone + 'static,
{
    let watcher = socket.sender();
    let Some(mut events) = socket.events() else {
        return;
    };
    // Both streams are read to their ends: the message stream's last item may say why it gave up.
    loop {
        select! {
            item = socket.next() => match item {
                Some(Ok(message)) => match codec.decode(message) {
                    Ok(value) => {
                        if let Some(callback) = &on_message {
                            callback.emit(value.clone());
                        }
                        view.dispatch(Update::Message(value));
                    }
                    Err(error) => view.dispatch(Update::Error(error)),
                },
                Some(Err(error)) => view.dispatch(Update::Error(error)),
                None => {}
            },
            event = events.next() => {
                if let Some(ReconnectEvent::Disconnected { close, .. }) = &event {
                    view.dispatch(Update::Closed(close.clone()));
                }
                view.dispatch(Update::State(watcher.ready_state(), watcher.status()));
            },
            complete => break,
        }
    }
}
