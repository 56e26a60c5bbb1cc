//! `UseWebSocketOptions`: the URL (a signal), the codec, the history size, the callbacks, and
//! how to build and reconnect the socket.

use std::future::Future;
use std::rc::Rc;

use futures::future::LocalBoxFuture;
use futures::FutureExt;
use leptos::prelude::Signal;
use wasm_websocket::{
    Builder, CloseEvent, Codec, Error, Message, ReconnectBuilder, Untyped, WebSocket,
};

use crate::listeners::Handler;

/// Makes each attempt's builder from the URL, perhaps after a wait.
pub(crate) type MakeBuilder = Rc<dyn Fn(&str) -> LocalBoxFuture<'static, Builder>>;

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
/// let options = UseWebSocketOptions::typed(room, Json::<Line>::new())
///     .history(500)
///     .reconnect(|b| b.max_retries(10));
/// ```
pub struct UseWebSocketOptions<C: Codec> {
    pub(crate) url: Signal<String>,
    pub(crate) enabled: Signal<bool>,
    pub(crate) codec: C,
    pub(crate) history: usize,
    pub(crate) on_message: Option<Handler<C::Incoming>>,
    pub(crate) on_open: Option<Rc<dyn Fn()>>,
    pub(crate) on_close: Option<Handler<CloseEvent>>,
    pub(crate) on_error: Option<Handler<Error>>,
    pub(crate) on_unsent: Option<Handler<Vec<Message>>>,
    pub(crate) socket: MakeBuilder,
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
        UseWebSocketOptions::typed(url, Untyped)
    }
}

impl<C: Codec> UseWebSocketOptions<C> {
    /// Sends `C::Outgoing` and receives `C::Incoming` through `codec` (they may differ, as with
    /// `Json::<ToServer, FromServer>`); a message that does not decode is reported in
    /// [`last_error`](crate::UseWebSocket::last_error) and skipped. The codec is chosen here, first,
    /// so that every other option composes in any order.
    ///
    /// ```no_run
    /// let options = wasm_websocket_leptos::UseWebSocketOptions::typed(
    ///     "/ws",
    ///     wasm_websocket::Json::<serde_json::Value>::new(),
    /// );
    /// ```
    pub fn typed(url: impl Into<Signal<String>>, codec: C) -> UseWebSocketOptions<C> {
        UseWebSocketOptions {
            url: url.into(),
            enabled: Signal::stored(true),
            codec,
            history: 100,
            on_message: None,
            on_open: None,
            on_close: None,
            on_unsent: None,
            on_error: None,
            socket: Rc::new(|url| std::future::ready(WebSocket::builder(url)).boxed_local()),
            reconnect: Rc::new(|b| b),
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
    pub fn on_message(
        mut self,
        callback: impl Fn(&C::Incoming) + 'static,
    ) -> UseWebSocketOptions<C> {
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
        self.on_open = Some(Rc::new(callback));
        self
    }

    /// Called with how each connection (or failed attempt) ended, every time, in order.
    ///
    /// ```no_run
    /// let options = wasm_websocket_leptos::UseWebSocketOptions::new("/ws")
    ///     .on_close(|close| web_sys::console::log_1(&close.to_string().into()));
    /// ```
    pub fn on_close(mut self, callback: impl Fn(&CloseEvent) + 'static) -> UseWebSocketOptions<C> {
        self.on_close = Some(Rc::new(callback));
        self
    }

    /// Called when the socket ends (the component is cleaned up, or the URL changes) with the
    /// messages [`send`](crate::WebSocketSender::send) accepted that it did not send yet
    /// (encoded, in order), so that none is lost silently: keep them, send them again, show
    /// them as unsent. Without it they are dropped with the socket.
    ///
    /// ```no_run
    /// let options = wasm_websocket_leptos::UseWebSocketOptions::new("/ws").on_unsent(|unsent| {
    ///     web_sys::console::log_1(&format!("{} unsent", unsent.len()).into())
    /// });
    /// ```
    pub fn on_unsent(
        mut self,
        callback: impl Fn(&Vec<Message>) + 'static,
    ) -> UseWebSocketOptions<C> {
        self.on_unsent = Some(Rc::new(callback));
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
        self.on_error = Some(Rc::new(callback));
        self
    }

    /// Makes each attempt's [`Builder`] from the URL: subprotocols, binary type, marks.
    ///
    /// ```no_run
    /// let options = wasm_websocket_leptos::UseWebSocketOptions::new("/ws")
    ///     .socket(|url| wasm_websocket::WebSocket::builder(url).protocols(["v2"]));
    /// ```
    pub fn socket(mut self, builder: impl Fn(&str) -> Builder + 'static) -> UseWebSocketOptions<C> {
        self.socket = Rc::new(move |url| std::future::ready(builder(url)).boxed_local());
        self
    }

    /// As [`socket`](UseWebSocketOptions::socket), for a builder that needs a wait before each
    /// attempt: a token fetched from the server, say (see
    /// [`ReconnectingSocket::builder_async`](wasm_websocket::ReconnectingSocket::builder_async)).
    /// Unmounting, or a new URL, meanwhile abandons the wait.
    ///
    /// ```no_run
    /// # async fn fetch_token() -> String { String::new() }
    /// let options = wasm_websocket_leptos::UseWebSocketOptions::new("/ws").socket_async(|url| {
    ///     let url = url.to_owned();
    ///     async move { wasm_websocket::WebSocket::builder(url).query("token", &fetch_token().await) }
    /// });
    /// ```
    pub fn socket_async<F>(
        mut self,
        builder: impl Fn(&str) -> F + 'static,
    ) -> UseWebSocketOptions<C>
    where
        F: Future<Output = Builder> + 'static,
    {
        self.socket = Rc::new(move |url| builder(url).boxed_local());
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
