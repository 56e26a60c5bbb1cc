//! `UseWebSocketOptions`: the URL, the codec, the history size, a per-message callback, and how
//! to build and reconnect the socket.

use std::rc::Rc;

use wasm_websocket::{Builder, CloseEvent, Codec, Error, ReconnectBuilder, Untyped, WebSocket};
use yew::{AttrValue, Callback};

/// What [`use_websocket_with`](crate::use_websocket_with) connects to and how.
///
/// ```no_run
/// use std::time::Duration;
/// use wasm_websocket::{Backoff, Json};
/// use wasm_websocket_yew::UseWebSocketOptions;
///
/// #[derive(Clone, PartialEq, serde::Serialize, serde::Deserialize)]
/// struct Line { text: String }
///
/// let options = UseWebSocketOptions::new("/chat")
///     .codec(Json::<Line>::new())
///     .history(500)
///     .reconnect(|b| b.backoff(Backoff::new(Duration::from_millis(250), 2.0, Duration::from_secs(10))));
/// ```
pub struct UseWebSocketOptions<C: Codec> {
    pub(crate) url: AttrValue,
    pub(crate) enabled: bool,
    pub(crate) codec: C,
    pub(crate) history: usize,
    pub(crate) on_message: Option<Callback<C::Item>>,
    pub(crate) on_open: Option<Callback<()>>,
    pub(crate) on_close: Option<Callback<CloseEvent>>,
    pub(crate) on_error: Option<Callback<Error>>,
    pub(crate) socket: Rc<dyn Fn(&str) -> Builder>,
    pub(crate) reconnect: Rc<dyn Fn(ReconnectBuilder) -> ReconnectBuilder>,
}

impl UseWebSocketOptions<Untyped> {
    /// Untyped messages from `url`, the last 100 kept, the core's default reconnection.
    ///
    /// ```no_run
    /// let options = wasm_websocket_yew::UseWebSocketOptions::new("/ws");
    /// ```
    pub fn new(url: impl Into<AttrValue>) -> UseWebSocketOptions<Untyped> {
        UseWebSocketOptions {
            url: url.into(),
            enabled: true,
            codec: Untyped,
            history: 100,
            on_message: None,
            on_open: None,
            on_close: None,
            on_error: None,
            socket: Rc::new(|url| WebSocket::builder(url)),
            reconnect: Rc::new(|b| b),
        }
    }
}

impl<C: Codec> UseWebSocketOptions<C> {
    /// Sends and receives `D::Item`s; a message that does not decode is reported as the handle's
    /// [`last_error`](crate::UseWebSocketHandle::last_error) and skipped.
    ///
    /// ```no_run
    /// let options = wasm_websocket_yew::UseWebSocketOptions::new("/ws")
    ///     .codec(wasm_websocket::Json::<serde_json::Value>::new());
    /// ```
    pub fn codec<D: Codec>(self, codec: D) -> UseWebSocketOptions<D> {
        UseWebSocketOptions {
            url: self.url,
            enabled: self.enabled,
            codec,
            history: self.history,
            on_message: None,
            on_open: self.on_open,
            on_close: self.on_close,
            on_error: self.on_error,
            socket: self.socket,
            reconnect: self.reconnect,
        }
    }

    /// Whether to be connected (default true): pass a prop or state, and the socket connects
    /// when it turns true and disconnects (1000) when it turns false, as often as it changes,
    /// keeping its queue and its messages. While false the socket stays
    /// [`Idle`](wasm_websocket::ReconnectStatus::Idle). The handle's
    /// [`open`](crate::UseWebSocketHandle::open) and [`close`](crate::UseWebSocketHandle::close)
    /// do the same from a handler.
    ///
    /// ```no_run
    /// # fn f(live: bool) {
    /// let options = wasm_websocket_yew::UseWebSocketOptions::new("/ws").enabled(live);
    /// # }
    /// ```
    pub fn enabled(mut self, enabled: bool) -> UseWebSocketOptions<C> {
        self.enabled = enabled;
        self
    }

    /// How many of the latest messages [`messages`](crate::UseWebSocketHandle::messages) keeps
    /// for rendering (default 100). Every message still reaches
    /// [`on_message`](UseWebSocketOptions::on_message).
    ///
    /// ```no_run
    /// let options = wasm_websocket_yew::UseWebSocketOptions::new("/ws").history(1_000);
    /// ```
    pub fn history(mut self, messages: usize) -> UseWebSocketOptions<C> {
        self.history = messages;
        self
    }

    /// Called with every message, in order, as it arrives. This and the other callbacks, and the
    /// [`socket`](UseWebSocketOptions::socket) builder, are taken from the latest render; the
    /// codec, the history size and [`reconnect`](UseWebSocketOptions::reconnect) from the render
    /// that (re)started the socket (a new URL restarts it).
    ///
    /// ```no_run
    /// use yew::Callback;
    /// let options = wasm_websocket_yew::UseWebSocketOptions::new("/ws")
    ///     .on_message(Callback::from(|m| web_sys::console::log_1(&format!("{m:?}").into())));
    /// ```
    pub fn on_message(mut self, callback: Callback<C::Item>) -> UseWebSocketOptions<C> {
        self.on_message = Some(callback);
        self
    }

    /// Called each time a connection opens (the first and every reconnect).
    ///
    /// ```no_run
    /// use yew::Callback;
    /// let options = wasm_websocket_yew::UseWebSocketOptions::new("/ws")
    ///     .on_open(Callback::from(|()| web_sys::console::log_1(&"open".into())));
    /// ```
    pub fn on_open(mut self, callback: Callback<()>) -> UseWebSocketOptions<C> {
        self.on_open = Some(callback);
        self
    }

    /// Called with how each connection (or failed attempt) ended, every time, in order.
    ///
    /// ```no_run
    /// use yew::Callback;
    /// let options = wasm_websocket_yew::UseWebSocketOptions::new("/ws")
    ///     .on_close(Callback::from(|close: wasm_websocket::CloseEvent| web_sys::console::log_1(&close.to_string().into())));
    /// ```
    pub fn on_close(mut self, callback: Callback<CloseEvent>) -> UseWebSocketOptions<C> {
        self.on_close = Some(callback);
        self
    }

    /// Called with every error, in order: a message that did not decode, a send the socket
    /// failed to make, why it gave up.
    ///
    /// ```no_run
    /// use yew::Callback;
    /// let options = wasm_websocket_yew::UseWebSocketOptions::new("/ws")
    ///     .on_error(Callback::from(|error: wasm_websocket::Error| web_sys::console::log_1(&error.to_string().into())));
    /// ```
    pub fn on_error(mut self, callback: Callback<Error>) -> UseWebSocketOptions<C> {
        self.on_error = Some(callback);
        self
    }

    /// Makes each attempt's [`Builder`] from the URL: subprotocols, binary type, marks.
    ///
    /// ```no_run
    /// let options = wasm_websocket_yew::UseWebSocketOptions::new("/ws")
    ///     .socket(|url| wasm_websocket::WebSocket::builder(url).protocols(["v2"]));
    /// ```
    pub fn socket(mut self, builder: impl Fn(&str) -> Builder + 'static) -> UseWebSocketOptions<C> {
        self.socket = Rc::new(builder);
        self
    }

    /// Sets up reconnection: backoff, retries, close policy, queue, heartbeat.
    ///
    /// ```no_run
    /// let options = wasm_websocket_yew::UseWebSocketOptions::new("/ws").reconnect(|b| b.max_retries(5));
    /// ```
    pub fn reconnect(
        mut self,
        configure: impl Fn(ReconnectBuilder) -> ReconnectBuilder + 'static,
    ) -> UseWebSocketOptions<C> {
        self.reconnect = Rc::new(configure);
        self
    }
}
