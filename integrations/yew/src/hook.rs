//! The hooks: one reconnecting socket per mounted component and URL, read by one task.

use std::cell::RefCell;
use std::rc::Rc;

use futures::future::{AbortHandle, Abortable};
use futures::{select, StreamExt};
use wasm_websocket::{
    Builder, CloseEvent, Codec, Error, Message, ReconnectEvent, ReconnectSender, ReconnectingSocket,
};
use yew::prelude::*;

use crate::handle::Encode;
use crate::view::{SocketView, Update};
use crate::{UseWebSocketHandle, UseWebSocketOptions};

/// What the component gave on its latest render: the socket's task reads it at each use, so
/// callbacks and the builder never go stale after a re-render.
pub(crate) struct Latest<T> {
    on_message: Option<Callback<T>>,
    on_open: Option<Callback<()>>,
    on_close: Option<Callback<CloseEvent>>,
    on_error: Option<Callback<Error>>,
    socket: Rc<dyn Fn(&str) -> Builder>,
}

impl<T> Latest<T> {
    fn of<C: Codec<Item = T>>(options: &UseWebSocketOptions<C>) -> Latest<T> {
        Latest {
            on_message: options.on_message.clone(),
            on_open: options.on_open.clone(),
            on_close: options.on_close.clone(),
            on_error: options.on_error.clone(),
            socket: options.socket.clone(),
        }
    }
}

type LatestRef<T> = Rc<RefCell<Latest<T>>>;

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
    let enabled = options.enabled;
    let view = use_reducer(move || SocketView::new(history, enabled));
    let sender = use_mut_ref(|| None::<ReconnectSender>);
    let codec = options.codec.clone();
    let encode: Encode<C::Item> = Rc::new(move |value| codec.encode(value));
    let latest: LatestRef<C::Item> = use_mut_ref(|| Latest::of(&options));
    *latest.borrow_mut() = Latest::of(&options);
    {
        let dispatcher = view.dispatcher();
        let sender = sender.clone();
        let latest = latest.clone();
        use_effect_with(options.url.clone(), move |url| {
            // As `enabled` is now: the effect below follows its later changes.
            let enabled = options.enabled;
            dispatcher.dispatch(Update::Reset { enabled });
            let abort = start(url.to_string(), options, dispatcher, &sender, latest);
            move || {
                sender.borrow_mut().take();
                if let Some(abort) = abort {
                    abort.abort();
                }
            }
        });
    }
    {
        let sender = sender.clone();
        let dispatcher = view.dispatcher();
        // Runs after the effect above (which it then agrees with), and whenever `enabled` changes.
        use_effect_with(enabled, move |&enabled| {
            if let Some(sender) = sender.borrow().clone() {
                let done = if enabled {
                    sender.connect()
                } else {
                    sender.disconnect()
                };
                if let Err(error) = done {
                    dispatcher.dispatch(Update::Error(error));
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
    sender: &Rc<RefCell<Option<ReconnectSender>>>,
    latest: LatestRef<C::Item>,
) -> Option<AbortHandle>
where
    C: Codec + 'static,
    C::Item: Clone + 'static,
{
    let make = latest.clone();
    let builder = ReconnectingSocket::builder(move || {
        let socket = make.borrow().socket.clone();
        socket(&url)
    })
    .record_events(true);
    let socket = match (options.reconnect)(builder)
        .connect_on_start(options.enabled)
        .start()
    {
        Ok(socket) => socket,
        Err(error) => {
            view.dispatch(Update::Error(error));
            return None;
        }
    };
    *sender.borrow_mut() = Some(socket.sender());
    let (abort, registration) = AbortHandle::new_pair();
    let task = Abortable::new(relay(socket, options.codec, latest, view), registration);
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
    latest: LatestRef<C::Item>,
    view: UseReducerDispatcher<SocketView<C::Item>>,
) where
    C: Codec,
    C::Item: Clone + 'static,
{
    let watcher = socket.sender();
    let Some(mut events) = socket.events() else {
        return;
    };
    // Cloned out before emitting: a callback may re-render, which writes `latest`.
    let emit_error = |error: Error| {
        let callback = latest.borrow().on_error.clone();
        if let Some(callback) = callback {
            callback.emit(error.clone());
        }
        view.dispatch(Update::Error(error));
    };
    // The driver ran before this task (offline already, or given up at once): say where it is
    // now, since the view was reset to "connecting" and may never hear of it otherwise.
    let mut state = (watcher.ready_state(), watcher.status());
    view.dispatch(Update::State(state.0, state.1.clone()));
    // Both streams are read to their ends: the message stream's last item may say why it gave up.
    loop {
        select! {
            item = socket.next() => match item {
                Some(Ok(message)) => match codec.decode(message) {
                    Ok(value) => {
                        let callback = latest.borrow().on_message.clone();
                        if let Some(callback) = callback {
                            callback.emit(value.clone());
                        }
                        view.dispatch(Update::Message(value));
                    }
                    Err(error) => emit_error(error),
                },
                Some(Err(error)) => emit_error(error),
                None => {}
            },
            event = events.next() => {
                match &event {
                    Some(ReconnectEvent::Open) => {
                        let callback = latest.borrow().on_open.clone();
                        if let Some(callback) = callback {
                            callback.emit(());
                        }
                    }
                    Some(ReconnectEvent::Disconnected { close, .. }) => {
                        let callback = latest.borrow().on_close.clone();
                        if let Some(callback) = callback {
                            callback.emit(close.clone());
                        }
                        view.dispatch(Update::Closed(close.clone()));
                    }
                    _ => {}
                }
                // Dispatched only when changed: one dispatch per message, not two.
                let now = (watcher.ready_state(), watcher.status());
                if now != state {
                    state = now.clone();
                    view.dispatch(Update::State(now.0, now.1));
                }
            },
            complete => break,
        }
    }
}
