//! `ViewOptions`: the URL, `enabled`, the codec, the history size, the callbacks, and how to
//! build and reconnect the socket.

use std::cell::RefCell;
use std::fmt;
use std::future::Future;
use std::rc::Rc;
use std::time::Duration;

use futures::future::LocalBoxFuture;
use futures::FutureExt;

use crate::close::CloseEvent;
use crate::codec::{Codec, Untyped};
use crate::error::Error;
use crate::message::Message;
use crate::reconnect::builder::ReconnectBuilder;
use crate::reconnect::handshake::Handshake;
use crate::reconnect::requester::Requester;
use crate::socket::builder::Builder;
use crate::socket::websocket::WebSocket;

/// Makes each attempt's builder from the URL, perhaps after a wait.
pub(crate) type MakeBuilder = Rc<dyn Fn(&str) -> LocalBoxFuture<'static, Builder>>;

/// A callback given each of a series of values (messages, closes, errors).
pub(crate) type Handler<T> = Rc<dyn Fn(&T)>;

/// What a view's socket calls, as the latest options gave them: a view started once follows
/// the callbacks of every later render (see [`SocketView::follow`](crate::view::SocketView::follow)).
pub(crate) struct Callbacks<T> {
    pub(crate) on_message: Option<Handler<T>>,
    pub(crate) on_open: Option<Rc<dyn Fn()>>,
    pub(crate) on_close: Option<Handler<CloseEvent>>,
    pub(crate) on_error: Option<Handler<Error>>,
    pub(crate) on_unsent: Option<Rc<dyn Fn(Vec<Message>)>>,
    pub(crate) socket: MakeBuilder,
}

impl<T> Clone for Callbacks<T> {
    fn clone(&self) -> Self {
        Callbacks {
            on_message: self.on_message.clone(),
            on_open: self.on_open.clone(),
            on_close: self.on_close.clone(),
            on_error: self.on_error.clone(),
            on_unsent: self.on_unsent.clone(),
            socket: self.socket.clone(),
        }
    }
}

/// A codec a view can run: cloned into each socket it starts, with messages it can clone into
/// the history and every callback. Each `Codec + Clone` with `Clone` messages is one; the
/// hooks ask for it alone.
///
/// ```
/// fn runs<C: wasm_websocket::view::ViewCodec>() {}
/// runs::<wasm_websocket::Untyped>();
/// ```
pub trait ViewCodec: Codec<Incoming: Clone + 'static, Outgoing: 'static> + Clone + 'static {}

impl<C> ViewCodec for C where
    C: Codec<Incoming: Clone + 'static, Outgoing: 'static> + Clone + 'static
{
}

/// One of the latest callbacks, cloned out so that no borrow is held while it runs (`None`
/// while a render writes them, which never overlaps an event).
pub(crate) fn latest<T, R>(
    callbacks: &RefCell<Callbacks<T>>,
    part: impl FnOnce(&Callbacks<T>) -> Option<R>,
) -> Option<R> {
    callbacks.try_borrow().ok().and_then(|c| part(&c))
}

/// What a [`SocketView`](crate::view::SocketView) connects to and how: the options of every
/// framework hook (`wasm-websocket-yew`, `-leptos` and `-dioxus` name it `UseWebSocketOptions`).
/// `Url` and `Enabled` are how the hook is given the URL and `enabled`: plain values where each
/// render gives them again (Yew, Dioxus), signals where the hook follows them (Leptos).
///
/// ```
/// use std::time::Duration;
/// use wasm_websocket::view::ViewOptions;
/// use wasm_websocket::{Backoff, Untyped};
///
/// let options = ViewOptions::<Untyped>::new("wss://example.com/chat")
///     .history(500)
///     .reconnect(|b| b.backoff(Backoff::new(Duration::from_millis(250), 2.0, Duration::from_secs(10))));
/// assert_eq!((options.url().as_str(), *options.is_enabled()), ("wss://example.com/chat", true));
/// ```
pub struct ViewOptions<C: Codec, Url = String, Enabled = bool> {
    url: Url,
    enabled: Enabled,
    pub(crate) codec: C,
    pub(crate) history: usize,
    pub(crate) callbacks: Callbacks<C::Incoming>,
    pub(crate) reconnect: Rc<dyn Fn(ReconnectBuilder) -> ReconnectBuilder>,
    pub(crate) handshake: Option<Handshake>,
    pub(crate) request_timeout: Duration,
}

impl<C: Codec, Url: fmt::Debug, Enabled: fmt::Debug> fmt::Debug for ViewOptions<C, Url, Enabled> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The URL as given: it may hold a secret only once a builder adds one, which is not shown.
        f.debug_struct("ViewOptions")
            .field("url", &self.url)
            .field("enabled", &self.enabled)
            .field("history", &self.history)
            .finish_non_exhaustive()
    }
}

impl<Url, Enabled: From<bool>> ViewOptions<Untyped, Url, Enabled> {
    /// Untyped messages from `url`, the last 100 kept, the core's default reconnection.
    ///
    /// ```
    /// let options = wasm_websocket::view::ViewOptions::<wasm_websocket::Untyped>::new("/ws");
    /// ```
    pub fn new(url: impl Into<Url>) -> ViewOptions<Untyped, Url, Enabled> {
        ViewOptions::typed(url, Untyped)
    }
}

impl<C: Codec, Url, Enabled: From<bool>> ViewOptions<C, Url, Enabled> {
    /// Sends `C::Outgoing` and receives `C::Incoming` through `codec` (they may differ, as with
    /// `Json::<ToServer, FromServer>`); a message that does not decode is reported as the view's
    /// last error and skipped. The codec is chosen here, first, so that every other option
    /// composes in any order.
    ///
    /// ```
    /// # #[cfg(feature = "json")] {
    /// let codec = wasm_websocket::Json::<u64>::new();
    /// let options = wasm_websocket::view::ViewOptions::<_>::typed("/ws", codec);
    /// # }
    /// ```
    pub fn typed(url: impl Into<Url>, codec: C) -> ViewOptions<C, Url, Enabled> {
        ViewOptions {
            url: url.into(),
            enabled: Enabled::from(true),
            codec,
            history: 100,
            callbacks: Callbacks {
                on_message: None,
                on_open: None,
                on_close: None,
                on_error: None,
                on_unsent: None,
                socket: Rc::new(|url| std::future::ready(WebSocket::builder(url)).boxed_local()),
            },
            reconnect: Rc::new(|b| b),
            handshake: None,
            request_timeout: Requester::<Untyped>::DEFAULT_TIMEOUT,
        }
    }
}

impl<C: Codec, Url, Enabled> ViewOptions<C, Url, Enabled> {
    /// The URL, as given.
    ///
    /// ```
    /// let options = wasm_websocket::view::ViewOptions::<wasm_websocket::Untyped>::new("/ws");
    /// assert_eq!(options.url(), "/ws");
    /// ```
    pub fn url(&self) -> &Url {
        &self.url
    }

    /// Whether to be connected, as given.
    ///
    /// ```
    /// let options = wasm_websocket::view::ViewOptions::<wasm_websocket::Untyped>::new("/ws");
    /// assert!(*options.is_enabled());
    /// ```
    pub fn is_enabled(&self) -> &Enabled {
        &self.enabled
    }

    /// Whether to be connected (default true). While false the socket stays
    /// [`Idle`](crate::ReconnectStatus::Idle) and sends wait in its queue; it connects when it
    /// turns true and disconnects (1000) when it turns false, as often as it changes, keeping
    /// its queue and its messages. The handle's [`open`](crate::view::ViewHandle::open) and
    /// [`close`](crate::view::ViewHandle::close) do the same from a handler.
    ///
    /// ```
    /// # fn f(live: bool) {
    /// let options = wasm_websocket::view::ViewOptions::<wasm_websocket::Untyped>::new("/ws").enabled(live);
    /// # }
    /// ```
    pub fn enabled(mut self, enabled: impl Into<Enabled>) -> ViewOptions<C, Url, Enabled> {
        self.enabled = enabled.into();
        self
    }

    /// How many of the latest messages the view keeps for rendering (default 100). Every
    /// message still reaches [`on_message`](ViewOptions::on_message).
    ///
    /// ```
    /// let options = wasm_websocket::view::ViewOptions::<wasm_websocket::Untyped>::new("/ws").history(1_000);
    /// ```
    pub fn history(mut self, messages: usize) -> ViewOptions<C, Url, Enabled> {
        self.history = messages;
        self
    }

    /// Called with every message, in order, as it arrives. This and the other callbacks, and the
    /// [`socket`](ViewOptions::socket) builder, are taken from the latest render; the codec,
    /// the history size and [`reconnect`](ViewOptions::reconnect) from the one that (re)started
    /// the socket (a new URL restarts it).
    ///
    /// ```
    /// let options = wasm_websocket::view::ViewOptions::<wasm_websocket::Untyped>::new("/ws")
    ///     .on_message(|m| println!("{m:?}"));
    /// ```
    pub fn on_message(
        mut self,
        callback: impl Fn(&C::Incoming) + 'static,
    ) -> ViewOptions<C, Url, Enabled> {
        self.callbacks.on_message = Some(Rc::new(callback));
        self
    }

    /// Called each time a connection opens (the first and every reconnect).
    ///
    /// ```
    /// let options = wasm_websocket::view::ViewOptions::<wasm_websocket::Untyped>::new("/ws")
    ///     .on_open(|| println!("open"));
    /// ```
    pub fn on_open(mut self, callback: impl Fn() + 'static) -> ViewOptions<C, Url, Enabled> {
        self.callbacks.on_open = Some(Rc::new(callback));
        self
    }

    /// Called with how each connection (or failed attempt) ended, every time, in order.
    ///
    /// ```
    /// let options = wasm_websocket::view::ViewOptions::<wasm_websocket::Untyped>::new("/ws")
    ///     .on_close(|close| println!("{close}"));
    /// ```
    pub fn on_close(
        mut self,
        callback: impl Fn(&CloseEvent) + 'static,
    ) -> ViewOptions<C, Url, Enabled> {
        self.callbacks.on_close = Some(Rc::new(callback));
        self
    }

    /// Called with every error, in order: a message that did not decode, a send the socket
    /// failed to make, why it gave up.
    ///
    /// ```
    /// let options = wasm_websocket::view::ViewOptions::<wasm_websocket::Untyped>::new("/ws")
    ///     .on_error(|error| println!("{error}"));
    /// ```
    pub fn on_error(mut self, callback: impl Fn(&Error) + 'static) -> ViewOptions<C, Url, Enabled> {
        self.callbacks.on_error = Some(Rc::new(callback));
        self
    }

    /// Called when the socket ends (the component goes, or the URL changes) with the messages
    /// [`send`](crate::view::ViewHandle::send) accepted that it did not send yet (encoded, in
    /// order), so that none is lost silently: keep them, send them again, show them as unsent.
    /// Without it they are dropped with the socket.
    ///
    /// ```
    /// let options = wasm_websocket::view::ViewOptions::<wasm_websocket::Untyped>::new("/ws")
    ///     .on_unsent(|unsent| println!("{} unsent", unsent.len()));
    /// ```
    pub fn on_unsent(
        mut self,
        callback: impl Fn(Vec<Message>) + 'static,
    ) -> ViewOptions<C, Url, Enabled> {
        self.callbacks.on_unsent = Some(Rc::new(callback));
        self
    }

    /// Makes each attempt's [`Builder`] from the URL: subprotocols, binary type, marks.
    ///
    /// ```
    /// let options = wasm_websocket::view::ViewOptions::<wasm_websocket::Untyped>::new("/ws")
    ///     .socket(|url| wasm_websocket::WebSocket::builder(url).protocols(["v2"]));
    /// ```
    pub fn socket(
        mut self,
        builder: impl Fn(&str) -> Builder + 'static,
    ) -> ViewOptions<C, Url, Enabled> {
        self.callbacks.socket = Rc::new(move |url| std::future::ready(builder(url)).boxed_local());
        self
    }

    /// As [`socket`](ViewOptions::socket), for a builder that needs a wait before each
    /// attempt: a token fetched from the server, say (see
    /// [`ReconnectingSocket::builder_async`](crate::ReconnectingSocket::builder_async)). The
    /// view's end, or a new URL, meanwhile abandons the wait.
    ///
    /// ```
    /// # async fn fetch_token() -> String { String::new() }
    /// let options = wasm_websocket::view::ViewOptions::<wasm_websocket::Untyped>::new("/ws").socket_async(|url| {
    ///     let url = url.to_owned();
    ///     async move { wasm_websocket::WebSocket::builder(url).query("token", &fetch_token().await) }
    /// });
    /// ```
    pub fn socket_async<F>(
        mut self,
        builder: impl Fn(&str) -> F + 'static,
    ) -> ViewOptions<C, Url, Enabled>
    where
        F: Future<Output = Builder> + 'static,
    {
        self.callbacks.socket = Rc::new(move |url| builder(url).boxed_local());
        self
    }

    /// What every connection runs first, before anything queued is sent: see
    /// [`Handshake`]. Until it ends, the status says connecting.
    ///
    /// ```
    /// use wasm_websocket::{Handshake, Message};
    /// let options = wasm_websocket::view::ViewOptions::<wasm_websocket::Untyped>::new("/chat")
    ///     .handshake(Handshake::send(Message::Text("join #rust".into())));
    /// ```
    pub fn handshake(mut self, handshake: Handshake) -> ViewOptions<C, Url, Enabled> {
        self.handshake = Some(handshake);
        self
    }

    /// How long each [`request`](crate::view::SocketView::request) waits for its answer (10 s
    /// unless set).
    ///
    /// ```
    /// let options = wasm_websocket::view::ViewOptions::<wasm_websocket::Untyped>::new("/rpc")
    ///     .request_timeout(std::time::Duration::from_secs(3));
    /// ```
    pub fn request_timeout(mut self, timeout: Duration) -> ViewOptions<C, Url, Enabled> {
        self.request_timeout = timeout;
        self
    }

    /// Sets up reconnection: backoff, retries, close policy, queue, heartbeat.
    ///
    /// ```
    /// let options = wasm_websocket::view::ViewOptions::<wasm_websocket::Untyped>::new("/ws")
    ///     .reconnect(|b| b.max_retries(5));
    /// ```
    pub fn reconnect(
        mut self,
        configure: impl Fn(ReconnectBuilder) -> ReconnectBuilder + 'static,
    ) -> ViewOptions<C, Url, Enabled> {
        self.reconnect = Rc::new(configure);
        self
    }
}
