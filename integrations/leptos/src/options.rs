//! `UseWebSocketOptions`: the URL (a signal), the codec, the history size, a per-message
//! callback, and how to build and reconnect the socket.

use std::rc::Rc;

use leptos::prelude::Signal;
use wasm_websocket::{Builder, CloseEvent, Codec, Error, ReconnectBuilder, Untyped, WebSocket};

/// A callback given each of a series of values (messages, closes, errors).
pub(crate) type Handler<T> = Rc<dyn Fn(&T)>;

/// The callbacks that do not depend on the codec, so that they survive
/// [`codec`](UseWebSocketOptions::codec).
#[derive(Clone, Default)]
pub(crate) struct LifecycleCallbacks {
    pub(crate) on_open: Option<Rc<dyn Fn()>>,
    pub(crate) on_close: Option<Handler<CloseEvent>>,
    pub(crate) on_error: Option<Handler<Error>>,
}

/// What [`use_websocket_with`](crate::use_websocket_with) connects to and how.
///
/// ```no_run
/// use leptos::prelude::*;
/// use wasm_websocket::Json;
/// use wasm_websocket_leptos::UseWebSocketOptions;
///
/// #[derive(Clone, serde::Serialize, serde::Deserialize)]
/// struct Line { text: String }
///
/// let room = RwSignal::new("/chat?room=1".to_owned());
/// let options = UseWebSocketOptions::new(room)
///     .codec(Json::<Line>::new())
///     .history(500)
///     .reconnect(|b| b.max_retries(10));
/// ```
pub struct UseWebSocketOptions<C: Codec> {
    pub(crate) url: Signal<String>,
    pub(crate) enabled: Signal<bool>,
    pub(crate) codec: C,
    pub(crate) history: usize,
    pub(crate) on_message: Option<Handler<C::Item>>,
    pub(crate) callbacks: LifecycleCallbacks,
    pub(crate) socket: Rc<dyn Fn(&str) -> Builder>,
    pub(crate) reconnect: Rc<dyn Fn(ReconnectBuilder) -> ReconnectBuilder>,
}

impl UseWebSocketOptions<Untyped> {
    /// Untyped messages from `url` (a string, or a signal to follow), the last 100 kept, the
    /// core's default reconnection.
    ///
    /// ```no_run
    /// let options = wasm_websocket_leptos::UseWebSocketOptions::new("/ws");
    /// ```
    pub fn new(url: impl Into<Signal<String>>) -> UseWebSocketOptions<Untyped> {
        UseWebSocketOptions {
            url: url.into(),
            enabled: Signal::stored(true),
            codec: Untyped,
            history: 100,
            on_message: None,
            callbacks: LifecycleCallbacks::default(),
            socket: Rc::new(|url| WebSocket::builder(url)),
            reconnect: Rc::new(|b| b),
        }
    }
}

impl<C: Codec> UseWebSocketOptions<C> {
    /// Sends and receives `D::Item`s; a message that does not decode is reported in
    /// [`last_error`](crate::UseWebSocket::last_error) and skipped.
    ///
    /// ```no_run
    /// let options = wasm_websocket_leptos::UseWebSocketOptions::new("/ws")
    ///     .codec(wasm_websocket::Json::<serde_json::Value>::new());
    /// ```
    pub fn codec<D: Codec>(self, codec: D) -> UseWebSocketOptions<D> {
        UseWebSocketOptions {
            url: self.url,
            enabled: self.enabled,
            codec,
            history: self.history,
            on_message: None,
            callbacks: self.callbacks,
            socket: self.socket,
            reconnect: self.reconnect,
        }
    }

    /// Whether to be connected (default: always). While it is false the socket stays
    /// [`Idle`](wasm_websocket::ReconnectStatus::Idle), sends wait in its queue; it connects
    /// when it turns true and disconnects (1000) when it turns false, as often as it changes.
    /// [`WebSocketSender::open`](crate::WebSocketSender::open) and
    /// [`close`](crate::WebSocketSender::close) do the same from a handler.
    ///
    /// ```no_run
    /// use leptos::prelude::*;
    /// let live = RwSignal::new(false); // a Connect/Disconnect toggle
    /// let options = wasm_websocket_leptos::UseWebSocketOptions::new("/ws").enabled(live);
    /// ```
    pub fn enabled(mut self, enabled: impl Into<Signal<bool>>) -> UseWebSocketOptions<C> {
        self.enabled = enabled.into();
        self
    }

    /// How many of the latest messages [`messages`](crate::UseWebSocket::messages) keeps for
    /// rendering (default 100). Every message still reaches
    /// [`on_message`](UseWebSocketOptions::on_message).
    ///
    /// ```no_run
    /// let options = wasm_websocket_leptos::UseWebSocketOptions::new("/ws").history(1_000);
    /// ```
    pub fn history(mut self, messages: usize) -> UseWebSocketOptions<C> {
        self.history = messages;
        self
    }

    /// Called with every message, in order, as it arrives.
    ///
    /// ```no_run
    /// let options = wasm_websocket_leptos::UseWebSocketOptions::new("/ws")
    ///     .on_message(|m| web_sys::console::log_1(&format!("{m:?}").into()));
    /// ```
    pub fn on_message(mut self, callback: impl Fn(&C::Item) + 'static) -> UseWebSocketOptions<C> {
        self.on_message = Some(Rc::new(callback));
        self
    }

    /// Called each time a connection opens (the first and every reconnect).
    ///
    /// ```no_run
    /// let options = wasm_websocket_leptos::UseWebSocketOptions::new("/ws")
    ///     .on_open(|| web_sys::console::log_1(&"open".into()));
    /// ```
    pub fn on_open(mut self, callback: impl Fn() + 'static) -> UseWebSocketOptions<C> {
        self.callbacks.on_open = Some(Rc::new(callback));
        self
    }

    /// Called with how each connection (or failed attempt) ended, every time, in order.
    ///
    /// ```no_run
    /// let options = wasm_websocket_leptos::UseWebSocketOptions::new("/ws")
    ///     .on_close(|close| web_sys::console::log_1(&close.to_string().into()));
    /// ```
    pub fn on_close(mut self, callback: impl Fn(&CloseEvent) + 'static) -> UseWebSocketOptions<C> {
        self.callbacks.on_close = Some(Rc::new(callback));
        self
    }

    /// Called with every error, in order: a message that did not decode, a send the socket
    /// failed to make, why it gave up.
    ///
    /// ```no_run
    /// let options = wasm_websocket_leptos::UseWebSocketOptions::new("/ws")
    ///     .on_error(|error| web_sys::console::log_1(&error.to_string().into()));
    /// ```
    pub fn on_error(mut self, callback: impl Fn(&Error) + 'static) -> UseWebSocketOptions<C> {
        self.callbacks.on_error = Some(Rc::new(callback));
        self
    }

    /// Makes each attempt's [`Builder`] from the URL: subprotocols, binary type, marks.
    ///
    /// ```no_run
    /// let options = wasm_websocket_leptos::UseWebSocketOptions::new("/ws")
    ///     .socket(|url| wasm_websocket::WebSocket::builder(url).protocols(["v2"]));
    /// ```
    pub fn socket(mut self, builder: impl Fn(&str) -> Builder + 'static) -> UseWebSocketOptions<C> {
        self.socket = Rc::new(builder);
        self
    }

    /// Sets up reconnection: backoff, retries, close policy, queue, heartbeat.
    ///
    /// ```no_run
    /// let options = wasm_websocket_leptos::UseWebSocketOptions::new("/ws").reconnect(|b| b.max_retries(5));
    /// ```
    pub fn reconnect(
        mut self,
        configure: impl Fn(ReconnectBuilder) -> ReconnectBuilder + 'static,
    ) -> UseWebSocketOptions<C> {
        self.reconnect = Rc::new(configure);
        self
    }
}
