//! The hooks: one socket view per component and URL, whose changes reach signals' views once
//! per animation frame.

use std::collections::VecDeque;
use std::rc::Rc;

use leptos::prelude::*;
use wasm_websocket::view::{Received, SocketView, ViewChange, ViewCodec, ViewRun};
use wasm_websocket::{CloseEvent, Error, Message, ReadyState, ReconnectStatus};

use crate::{UseWebSocketOptions, WebSocketSender};

/// The socket as a component sees it: signals to render, and a sender for handlers. The socket's
/// task writes the state after every event and tells the views of what changed once per
/// animation frame, so a burst costs a render per frame, not per message; callbacks see every
/// event at once. `Copy`, `Send` and `Sync`, so it can go into a context (see
/// [`provide_websocket`](crate::provide_websocket)). `Rx` is what it receives, `Tx` what it
/// sends (the codec's `Incoming` and `Outgoing`).
///
/// ```no_run
/// # use leptos::prelude::*;
/// # fn f(ws: wasm_websocket_leptos::UseWebSocket<wasm_websocket::Message>) {
/// let line = move || format!("{} ({} messages)", ws.status.get(), ws.received.get());
/// # }
/// ```
pub struct UseWebSocket<Rx: 'static, Tx: 'static = Rx> {
    /// The current connection's ready state (`Connecting` between connections).
    pub ready_state: Signal<ReadyState>,
    /// What the socket is doing: connecting, open, waiting to retry (attempt and delay), gave up.
    pub status: Signal<ReconnectStatus>,
    /// The latest messages, oldest first, at most the history size, each with its sequence
    /// number (a key for `<For>`). Shared, not copied: local, as messages may hold JS objects.
    pub messages: Signal<Rc<VecDeque<Received<Rx>>>, LocalStorage>,
    /// How many messages have arrived in all.
    pub received: Signal<u64>,
    /// The latest error: a message that did not decode, a send the socket failed to make, or why
    /// it gave up.
    pub last_error: Signal<Option<Error>>,
    /// How the last connection closed.
    pub last_close: Signal<Option<CloseEvent>>,
    /// Sends, closes and reconnects.
    pub sender: WebSocketSender<Tx>,
    view: StoredValue<SocketView<Rx, Tx>, LocalStorage>,
}

impl<Rx, Tx> Clone for UseWebSocket<Rx, Tx> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<Rx, Tx> Copy for UseWebSocket<Rx, Tx> {}

impl<Rx: 'static, Tx: 'static> UseWebSocket<Rx, Tx> {
    /// See [`SocketView::request`]; [`Error::NotOpen`] once the owner is gone.
    ///
    /// # Errors
    /// As [`SocketView::request`].
    ///
    /// ```no_run
    /// # async fn f(ws: wasm_websocket_leptos::UseWebSocket<serde_json::Value>) -> Result<(), wasm_websocket::Error> {
    /// let sum = ws.request(serde_json::json!({ "method": "add", "params": [1, 2] })).await?;
    /// # Ok(()) }
    /// ```
    pub async fn request(&self, request: Tx) -> Result<Rx, Error>
    where
        Rx: Clone,
    {
        let view = self
            .view
            .try_get_value()
            .ok_or(Error::NotOpen(ReadyState::Closed))?;
        view.request(request).await
    }

    /// Keeps the subscription `value` on the socket for as long as the calling component (its
    /// owner) lives: sent now, or on the next connection, and again first on every later
    /// connection, after the handshake (see
    /// [`ViewHandle::subscribe`](wasm_websocket::view::ViewHandle::subscribe)). A refusal
    /// shows as the last error.
    ///
    /// ```no_run
    /// # fn f(ws: wasm_websocket_leptos::UseWebSocket<wasm_websocket::Message>) {
    /// ws.subscribe("subscribe prices".into());
    /// # }
    /// ```
    pub fn subscribe(&self, value: Tx)
    where
        Rx: Clone,
    {
        let kept = self
            .view
            .try_with_value(|v| v.subscription(value))
            .flatten();
        let kept = StoredValue::new_local(kept);
        on_cleanup(move || {
            kept.try_update_value(Option::take);
        });
    }

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
        let view = self.view;
        let Some(id) = view.try_with_value(|v| v.listen(callback)) else {
            return;
        };
        on_cleanup(move || {
            view.try_with_value(|v| v.unlisten(id));
        });
    }
}

/// One trigger per part of the state, so that a view is told only when its part changed.
#[derive(Clone, Copy, Default)]
struct Triggers {
    messages: Trigger,
    ready_state: Trigger,
    status: Trigger,
    last_error: Trigger,
    last_close: Trigger,
}

impl Triggers {
    fn notify(self, change: ViewChange) {
        for (changed, trigger) in [
            (change.messages, self.messages),
            (change.ready_state, self.ready_state),
            (change.status, self.status),
            (change.last_error, self.last_error),
            (change.last_close, self.last_close),
        ] {
            if changed {
                trigger.notify();
            }
        }
    }
}

/// A signal of one part of the state, read when its trigger tells.
fn part<Rx, Tx, T>(
    view: StoredValue<SocketView<Rx, Tx>, LocalStorage>,
    trigger: Trigger,
    read: fn(&SocketView<Rx, Tx>) -> T,
    otherwise: T,
) -> Signal<T>
where
    T: Clone + Send + Sync + 'static,
{
    Signal::derive(move || {
        trigger.track();
        view.try_with_value(read)
            .unwrap_or_else(|| otherwise.clone())
    })
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
///     let lines = move || chat.messages.with(|m| m.iter().cloned().collect::<Vec<_>>());
///     view! { <For each=lines key=|l| l.seq let:l><p>{l.value.from}": "{l.value.text}</p></For> }
/// }
/// ```
pub fn use_websocket_with<C: ViewCodec>(
    options: UseWebSocketOptions<C>,
) -> UseWebSocket<C::Incoming, C::Outgoing> {
    let (url, enabled) = (*options.url(), *options.is_enabled());
    let triggers = Triggers::default();
    let socket_view = SocketView::new(&options, enabled.get_untracked(), move |change| {
        triggers.notify(change)
    });
    let view = StoredValue::new_local(socket_view.clone());
    let sender = WebSocketSender {
        handle: StoredValue::new_local(socket_view.handle()),
    };
    let running = StoredValue::new_local(None::<ViewRun>);
    // Dropping the run ends the socket; what `send` accepted and it did not send goes to
    // `on_unsent`, after the run is out of the store.
    let end = move || drop(running.try_update_value(Option::take).flatten());
    Effect::new(move |_| {
        let url = url.get();
        end();
        let run = socket_view.start(&url, &options, enabled.get_untracked());
        running.try_set_value(Some(run));
    });
    // Runs after the effect above on the first pass (which it then agrees with), and on its own
    // whenever `enabled` changes.
    Effect::new(move |_| {
        let connect = enabled.get();
        view.try_with_value(|v| v.set_enabled(connect));
    });
    on_cleanup(end);
    UseWebSocket {
        ready_state: part(
            view,
            triggers.ready_state,
            SocketView::ready_state,
            ReadyState::Closed,
        ),
        status: part(
            view,
            triggers.status,
            SocketView::status,
            ReconnectStatus::Idle,
        ),
        messages: Signal::derive_local(move || {
            triggers.messages.track();
            view.try_with_value(SocketView::messages)
                .unwrap_or_default()
        }),
        received: part(view, triggers.messages, SocketView::received, 0),
        last_error: part(view, triggers.last_error, SocketView::last_error, None),
        last_close: part(view, triggers.last_close, SocketView::last_close, None),
        sender,
        view,
    }
}
