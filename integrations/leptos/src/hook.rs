//! The hooks: one reconnecting socket per component and URL, read by one task that writes
//! signals.

use std::cell::Cell;
use std::collections::VecDeque;
use std::marker::PhantomData;
use std::rc::Rc;

use futures::future::{AbortHandle, Abortable};
use leptos::prelude::*;
use wasm_websocket::view::Received;
use wasm_websocket::{
    CloseEvent, Codec, Error, Message, ReadyState, ReconnectEvent, ReconnectEvents,
    ReconnectHandle, ReconnectStatus, ReconnectingSocket,
};

use crate::listeners::{Handler, Listeners};
use crate::sender::Encode;
use crate::signals::{Changed, Signals};
use crate::{UseWebSocketOptions, WebSocketSender};

/// The socket as a component sees it: signals to render, and a sender for handlers. The socket's
/// task writes the signals after every event and tells their views once per animation frame,
/// so a burst costs a render per frame, not per message; callbacks see every event at once.
/// `Copy`,
/// `Send` and `Sync`, so it can go into a context (see
/// [`provide_websocket`](crate::provide_websocket)). `Rx` is what it receives, `Tx` what it
/// sends (the codec's `Incoming` and `Outgoing`).
pub struct UseWebSocket<Rx: 'static, Tx: 'static = Rx> {
    /// The current connection's ready state (`Connecting` between connections).
    pub ready_state: Signal<ReadyState>,
    /// What the socket is doing: connecting, open, waiting to retry (attempt and delay), gave up.
    pub status: Signal<ReconnectStatus>,
    /// The latest messages, oldest first, at most the
    /// [`history`](UseWebSocketOptions::history) size, each with its sequence number (a key for
    /// `<For>`). Local: messages may hold JS objects. Read it with `messages.with(|m| ..)`
    /// where a clone of the whole history per message would cost.
    pub messages: Signal<VecDeque<Received<Rx>>, LocalStorage>,
    /// How many messages have arrived in all.
    pub received: Signal<u64>,
    /// The latest error: a message that did not decode, a send the socket failed to make, or why
    /// it gave up.
    pub last_error: Signal<Option<Error>>,
    /// How the last connection closed.
    pub last_close: Signal<Option<CloseEvent>>,
    /// Sends, closes and reconnects.
    pub sender: WebSocketSender<Tx>,
    pub(crate) listeners: StoredValue<Listeners<Rx>, LocalStorage>,
}

impl<Rx, Tx> Clone for UseWebSocket<Rx, Tx> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<Rx, Tx> Copy for UseWebSocket<Rx, Tx> {}

impl<Rx, Tx> UseWebSocket<Rx, Tx> {
    /// Calls `callback` with every message from now on, in order, for as long as the calling
    /// component (its owner) lives: for components that share one socket through a context, each
    /// with a callback of its own. Called outside any owner (in an event handler, say), the
    /// callback stays as long as the socket.
    ///
    /// ```no_run
    /// use leptos::prelude::*;
    /// use wasm_websocket::Untyped;
    /// #[component]
    /// fn Counter() -> impl IntoView {
    ///     let ws = wasm_websocket_leptos::use_websocket_context::<Untyped>().expect("a provider above");
    ///     let seen = RwSignal::new(0);
    ///     ws.on_message(move |_| seen.update(|n| *n += 1));
    ///     view! { <p>{seen}</p> }
    /// }
    /// ```
    pub fn on_message(&self, callback: impl Fn(&Rx) + 'static) {
        let listeners = self.listeners;
        let Some(id) = listeners.try_update_value(|l| l.add(Rc::new(callback))) else {
            return;
        };
        on_cleanup(move || {
            listeners.try_update_value(|l| l.remove(id));
        });
    }
}

/// Connects to `url` (a string, or a signal to follow) while the component lives, with the
/// core's default reconnection, and keeps the last 100 messages. See [`use_websocket_with`].
///
/// ```no_run
/// use leptos::prelude::*;
/// #[component]
/// fn Ticker() -> impl IntoView {
///     let ws = wasm_websocket_leptos::use_websocket("/ticks");
///     view! { <p>{move || ws.received.get()}" ticks"</p> }
/// }
/// ```
pub fn use_websocket(url: impl Into<Signal<String>>) -> UseWebSocket<Message> {
    use_websocket_with(UseWebSocketOptions::new(url))
}

/// Connects as `options` say while the component lives. The connection opens in an effect:
/// never while rendering on the server, after hydration on the client. A new URL closes the old
/// connection (1000) and opens a new one, starting the signals over; the owner's cleanup closes
/// with 1000 and removes every listener and timer.
///
/// ```no_run
/// use leptos::prelude::*;
/// use wasm_websocket::Json;
/// use wasm_websocket_leptos::{use_websocket_with, UseWebSocketOptions};
///
/// #[derive(Clone, serde::Serialize, serde::Deserialize)]
/// struct Line { from: String, text: String }
///
/// #[component]
/// fn Chat() -> impl IntoView {
///     let chat = use_websocket_with(UseWebSocketOptions::typed("/chat", Json::<Line>::new()).history(500));
///     view! { <For each=move || chat.messages.get() key=|l| l.seq let:l><p>{l.value.from}": "{l.value.text}</p></For> }
/// }
/// ```
pub fn use_websocket_with<C>(
    options: UseWebSocketOptions<C>,
) -> UseWebSocket<C::Incoming, C::Outgoing>
where
    C: Codec + Clone + 'static,
    C::Incoming: Clone + 'static,
{
    let enabled = options.enabled;
    let signals = Signals::new(options.history, enabled.get_untracked());
    let socket = StoredValue::new_local(None::<ReconnectHandle>);
    let codec = options.codec.clone();
    let encode: Encode<C::Outgoing> = Rc::new(move |value| codec.encode(value));
    let encode = StoredValue::new_local(encode);
    let listeners = StoredValue::new_local(Listeners::default());
    let running = StoredValue::new(None::<AbortHandle>);
    let on_unsent = StoredValue::new_local(options.on_unsent.clone());
    // Ends the socket; what `send` accepted and it did not send is handed over, not dropped.
    let end = move || {
        let unsent = socket
            .try_get_value()
            .flatten()
            .map(|s| s.take_unsent())
            .unwrap_or_default();
        if let Some(abort) = running.try_update_value(Option::take).flatten() {
            abort.abort();
        }
        if let Some(on_unsent) = on_unsent.try_get_value().flatten() {
            if !unsent.is_empty() {
                on_unsent(&unsent);
            }
        }
    };
    let url = options.url;
    Effect::new(move |_| {
        let url = url.get();
        end();
        let connect = enabled.get_untracked();
        signals.reset(connect);
        let started = start(url, connect, &options, signals, listeners);
        socket.try_set_value(started.as_ref().map(|(sender, _)| sender.clone()));
        running.try_set_value(started.map(|(_, abort)| abort));
    });
    // Runs after the effect above on the first pass (which it then agrees with), and on its own
    // whenever `enabled` changes.
    Effect::new(move |_| {
        let connect = enabled.get();
        if let Some(sender) = socket.try_get_value().flatten() {
            let done = if connect {
                sender.connect()
            } else {
                sender.disconnect()
            };
            if let Err(error) = done {
                signals.last_error.try_set(Some(error));
            }
        }
    });
    on_cleanup(end);
    UseWebSocket {
        ready_state: signals.ready_state.into(),
        status: signals.status.into(),
        messages: signals.messages.into(),
        received: signals.received.into(),
        last_error: signals.last_error.into(),
        last_close: signals.last_close.into(),
        sender: WebSocketSender {
            socket,
            encode,
            item: PhantomData,
        },
        listeners,
    }
}

/// Starts the socket and the task that reads it; aborting the task drops the socket (closing it
/// with 1000). `None` where there is no WebSocket (the error is in `last_error`).
fn start<C>(
    url: String,
    connect: bool,
    options: &UseWebSocketOptions<C>,
    signals: Signals<C::Incoming>,
    listeners: StoredValue<Listeners<C::Incoming>, LocalStorage>,
) -> Option<(ReconnectHandle, AbortHandle)>
where
    C: Codec + Clone + 'static,
    C::Incoming: Clone + 'static,
{
    let make = options.socket.clone();
    let builder = ReconnectingSocket::builder_async(move || make(&url));
    let socket = match (options.reconnect)(builder)
        .connect_on_start(connect)
        .start()
    {
        Ok(socket) => socket,
        Err(error) => {
            signals.last_error.try_set(Some(error));
            return None;
        }
    };
    let sender = socket.handle();
    let events = socket.events(options.codec.clone());
    let callbacks = Callbacks {
        on_message: options.on_message.clone(),
        on_open: options.on_open.clone(),
        on_close: options.on_close.clone(),
        on_error: options.on_error.clone(),
    };
    let (abort, registration) = AbortHandle::new_pair();
    let task = Abortable::new(relay(events, callbacks, signals, listeners), registration);
    wasm_bindgen_futures::spawn_local(async move {
        let _ = task.await;
    });
    Some((sender, abort))
}

/// The options' callbacks, kept by the task.
struct Callbacks<T> {
    on_message: Option<Handler<T>>,
    on_open: Option<Rc<dyn Fn()>>,
    on_close: Option<Handler<CloseEvent>>,
    on_error: Option<Handler<Error>>,
}

/// Hands every event to the callbacks at once and to the signals, which notify their views
/// once per frame, in order, until the socket ends.
async fn relay<C>(
    events: ReconnectEvents<C>,
    callbacks: Callbacks<C::Incoming>,
    signals: Signals<C::Incoming>,
    listeners: StoredValue<Listeners<C::Incoming>, LocalStorage>,
) where
    C: Codec,
    C::Incoming: Clone + 'static,
{
    let changed = Cell::new(Changed::default());
    let apply = |event: ReconnectEvent<C::Incoming>| {
        match &event {
            ReconnectEvent::Message(value) => {
                if let Some(callback) = &callbacks.on_message {
                    callback(value);
                }
                // Cloned out first: a listener may add or remove listeners.
                for listener in listeners.try_with_value(Listeners::all).unwrap_or_default() {
                    listener(value);
                }
            }
            ReconnectEvent::Error(error) => {
                if let Some(callback) = &callbacks.on_error {
                    callback(error);
                }
            }
            ReconnectEvent::Status(ReconnectStatus::Open) => {
                if let Some(callback) = &callbacks.on_open {
                    callback();
                }
            }
            ReconnectEvent::Disconnected { close, .. } => {
                if let Some(callback) = &callbacks.on_close {
                    callback(close);
                }
            }
            _ => {}
        }
        changed.set(signals.apply(event, changed.get()));
    };
    events
        .relay(apply, || changed.set(signals.notify(changed.get())))
        .await;
}
