//! [`Builder`]: every setting of a socket, and the constructors (`WebSocket::open`, `connect`,
//! `builder`) that go through it. URLs and subprotocols are checked here, before any JS object
//! exists, and each setting links only the code it needs (what the socket keeps of a builder
//! is `Options`, in `shared.rs`).

use std::future::poll_fn;
use std::future::Future;
use std::pin::Pin;
use std::task::Poll;
use std::time::Duration;

use crate::error::{Call, Error};
use crate::message::BinaryType;
use crate::platform::timer::Timer;
use crate::socket::receive::ReceiveOptions;
use crate::socket::send::BufferWait;
use crate::socket::shared::{Options, Shared};
use crate::socket::url::{check_url, SUBPROTOCOLS};
use crate::socket::websocket::WebSocket;

/// The constructors: each goes through a [`Builder`].
impl WebSocket {
    /// A [`Builder`] for `url`, to set protocols, binary type or connect timeout.
    ///
    /// ```no_run
    /// # async fn run() -> Result<(), wasm_websocket::Error> {
    /// use wasm_websocket::{BinaryType, WebSocket};
    /// let ws = WebSocket::builder("/ws")
    ///     .protocols(["chat.v2", "chat.v1"])
    ///     .binary_type(BinaryType::Blob)
    ///     .connect()
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub fn builder(url: impl Into<String>) -> Builder {
        Builder::new(url.into())
    }

    /// Creates the socket and returns it at once, still connecting. Sends wait for the
    /// connection; the stream reports a failure to connect as [`Error::ConnectFailed`].
    ///
    /// # Errors
    /// - [`Error::InvalidUrl`]: unparsable, another scheme than ws/wss/http/https, or a fragment.
    /// - [`Error::Security`]: the browser forbids the connection (e.g. `ws://` from `https://`).
    /// - [`Error::Unsupported`]: not running in a JS environment with `WebSocket`.
    ///
    /// ```no_run
    /// let ws = wasm_websocket::WebSocket::open("/ws")?;
    /// # Ok::<(), wasm_websocket::Error>(())
    /// ```
    pub fn open(url: impl Into<String>) -> Result<WebSocket, Error> {
        Builder::new(url.into()).open()
    }

    /// Creates the socket and waits until it is open, or fails.
    ///
    /// # Errors
    /// Those of [`WebSocket::open`], and:
    /// - [`Error::ConnectFailed`]: the connection closed before opening (refused, HTTP error, …).
    /// - [`Error::Timeout`]: not open within the default connect timeout, 30 seconds.
    ///
    /// ```no_run
    /// # async fn run() -> Result<(), wasm_websocket::Error> {
    /// let ws = wasm_websocket::WebSocket::connect("wss://example.com/ws").await?;
    /// # Ok(()) }
    /// ```
    pub async fn connect(url: impl Into<String>) -> Result<WebSocket, Error> {
        Builder::new(url.into()).connect().await
    }
}

/// Configures a [`WebSocket`] before it is created; made by [`WebSocket::builder`].
///
/// ```no_run
/// # async fn run() -> Result<(), wasm_websocket::Error> {
/// use std::time::Duration;
/// use wasm_websocket::{BinaryType, WebSocket};
/// let ws = WebSocket::builder("wss://example.com/feed")
///     .protocols(["feed.v2"])
///     .binary_type(BinaryType::Blob)
///     .connect_timeout(Duration::from_secs(5))
///     .connect()
///     .await?;
/// # Ok(()) }
/// ```
#[derive(Clone)]
#[must_use = "a builder does nothing until open() or connect()"]
pub struct Builder {
    url: String,
    connect_timeout: Option<Duration>,
    options: Options,
}

/// The URL without its secrets (see [`Error::InvalidUrl`]).
impl std::fmt::Debug for Builder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Builder")
            .field("url", &crate::text::redact_url(&self.url))
            .field("connect_timeout", &self.connect_timeout)
            .field("options", &self.options)
            .finish()
    }
}

impl Builder {
    /// How long [`Builder::connect`] waits for the open event unless told otherwise. A
    /// handshake the server never answers produces no event at all, so some limit is needed.
    ///
    /// ```
    /// use std::time::Duration;
    /// assert_eq!(wasm_websocket::Builder::DEFAULT_CONNECT_TIMEOUT, Duration::from_secs(30));
    /// ```
    pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(30);

    /// The default [`Builder::high_water_mark`]: senders wait while more than this many bytes
    /// are queued in the browser.
    ///
    /// ```
    /// assert_eq!(wasm_websocket::Builder::DEFAULT_HIGH_WATER_MARK, 4 << 20);
    /// ```
    pub const DEFAULT_HIGH_WATER_MARK: u32 = 4 << 20;

    /// The default [`Builder::max_message_size`]: 64 MiB, as tungstenite's. Browsers accept
    /// any size, and a message of a gigabyte or two aborts the wasm module that copies it.
    ///
    /// ```
    /// assert_eq!(wasm_websocket::Builder::DEFAULT_MAX_MESSAGE_SIZE, 64 << 20);
    /// ```
    pub const DEFAULT_MAX_MESSAGE_SIZE: u64 = 64 << 20;

    pub(crate) fn new(url: String) -> Builder {
        Builder {
            url,
            connect_timeout: Some(Builder::DEFAULT_CONNECT_TIMEOUT),
            options: Options {
                protocols: Vec::new(),
                subprotocols: None,
                binary_type: BinaryType::default(),
                record_events: false,
                high_water_mark: Builder::DEFAULT_HIGH_WATER_MARK,
                low_water_mark: None,
                receive: ReceiveOptions {
                    max_message_size: Some(Builder::DEFAULT_MAX_MESSAGE_SIZE),
                    ..ReceiveOptions::default()
                },
            },
        }
    }

    /// Adds `key=value` to the URL's query, each percent-encoded as a form does
    /// (`application/x-www-form-urlencoded`, which servers' query parsers read), so that a token
    /// with `+`, `&`, `=`, `%`, `/` or `#` arrives as it was. The browser lets a page send no
    /// header with the handshake, so the query is where a token goes; the crate's texts never
    /// show its value (see [`Error::InvalidUrl`]).
    ///
    /// ```no_run
    /// # fn token() -> String { String::new() }
    /// let b = wasm_websocket::WebSocket::builder("/feed").query("token", &token());
    /// ```
    pub fn query(mut self, key: &str, value: &str) -> Builder {
        let separator = if self.url.contains('?') { '&' } else { '?' };
        self.url.push(separator);
        self.url
            .extend(form_urlencoded::byte_serialize(key.as_bytes()));
        self.url.push('=');
        self.url
            .extend(form_urlencoded::byte_serialize(value.as_bytes()));
        self
    }

    /// The subprotocols to offer, in order of preference. They reach the browser as an array.
    /// If the server selects none of them the connection fails in every browser
    /// ([`Error::ProtocolNotNegotiated`] or [`Error::ConnectFailed`]).
    ///
    /// ```no_run
    /// let b = wasm_websocket::WebSocket::builder("/ws").protocols(["graphql-transport-ws"]);
    /// ```
    pub fn protocols<I, S>(mut self, protocols: I) -> Builder
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.options.protocols = protocols.into_iter().map(Into::into).collect();
        self.options.subprotocols = Some(&SUBPROTOCOLS);
        self
    }

    /// How binary messages are received (default [`BinaryType::ArrayBuffer`]).
    ///
    /// ```no_run
    /// use wasm_websocket::BinaryType;
    /// let b = wasm_websocket::WebSocket::builder("/ws").binary_type(BinaryType::RawBlob);
    /// ```
    pub fn binary_type(mut self, binary_type: BinaryType) -> Builder {
        self.options.binary_type = binary_type;
        self.options.receive.read_blob = Some(crate::socket::receive::read_blob);
        self
    }

    /// How long [`Builder::connect`] waits for the connection to open (default 30 s). When it
    /// expires the handshake is abandoned. [`Builder::open`] does not wait, so it ignores this.
    ///
    /// ```no_run
    /// let b = wasm_websocket::WebSocket::builder("/ws").connect_timeout(std::time::Duration::from_secs(3));
    /// ```
    pub fn connect_timeout(mut self, timeout: Duration) -> Builder {
        self.connect_timeout = Some(timeout);
        self
    }

    /// Waits for the open event however long it takes (a browser may never send one).
    ///
    /// ```no_run
    /// let b = wasm_websocket::WebSocket::builder("/ws").no_connect_timeout();
    /// ```
    pub fn no_connect_timeout(mut self) -> Builder {
        self.connect_timeout = None;
        self
    }

    /// Records every lifecycle event from the moment the socket is created, for
    /// [`WebSocket::events`]. Off by default: unread events would pile up. Off, whatever is
    /// set, for the connections of a [`ReconnectingSocket`](crate::ReconnectingSocket), which
    /// records its own lifecycle ([`ReconnectEvents`](crate::ReconnectEvents)) and whose
    /// connections nobody else can read.
    ///
    /// ```no_run
    /// let b = wasm_websocket::WebSocket::builder("/ws").record_events(true);
    /// ```
    pub fn record_events(mut self, record: bool) -> Builder {
        self.options.record_events = record;
        self
    }

    /// Backpressure: sending waits while more than `bytes` are queued in the browser
    /// (`bufferedAmount`), so a fast producer cannot grow the browser's memory without bound.
    /// Default [`Builder::DEFAULT_HIGH_WATER_MARK`], 4 MiB (docs/benchmarks.md says why not less).
    ///
    /// Browsers fire no event when their buffer drains, so a waiting sender re-reads
    /// `bufferedAmount` about every 1–4 ms, and only while it waits (in a hidden page on a
    /// worker: see the crate docs' [background tabs](crate#background-tabs)). One message may
    /// take the buffer above the mark: the check happens before each message, not inside it.
    /// A low-water mark set explicitly stays as it is (capped at this mark); otherwise it follows.
    ///
    /// ```no_run
    /// let b = wasm_websocket::WebSocket::builder("/ws").high_water_mark(4 << 20);
    /// ```
    pub fn high_water_mark(mut self, bytes: u32) -> Builder {
        self.options.high_water_mark = bytes;
        self
    }

    /// When a flush ([`SinkExt::flush`](futures::SinkExt::flush), and so the end of
    /// [`SinkExt::send`](futures::SinkExt::send)) completes: once `bufferedAmount` is at or below
    /// `bytes`. Default: the high-water mark, so that a flush waits only when the next send
    /// would wait anyway and `send().await` in a loop is never held back by the polling timer
    /// while the buffer is below the mark. A lower value adds hysteresis. Capped at the
    /// high-water mark. Use [`WebSocket::drained`] to wait until everything has left.
    ///
    /// ```no_run
    /// let b = wasm_websocket::WebSocket::builder("/ws").low_water_mark(0);
    /// ```
    pub fn low_water_mark(mut self, bytes: u32) -> Builder {
        self.options.low_water_mark = Some(bytes);
        self
    }

    /// Limits how many received messages may wait in Rust, unread. When one more arrives the
    /// socket is closed with [`CloseCode::RECEIVE_BUFFER_FULL`](crate::CloseCode::RECEIVE_BUFFER_FULL)
    /// (4902), and after the messages already queued the stream yields
    /// [`Error::ReceiveBufferFull`]. Off by default: the browser has no receive backpressure, so
    /// the only choices are to buffer, or to stop.
    ///
    /// A [`ReconnectingSocket`](crate::ReconnectingSocket) built on it keeps the same bound: its
    /// own queue and the connection's together hold at most this many unread, and the
    /// reconnecting socket's close policy decides what follows the close.
    ///
    /// ```no_run
    /// let b = wasm_websocket::WebSocket::builder("/ws").receive_limit(10_000);
    /// ```
    pub fn receive_limit(mut self, messages: usize) -> Builder {
        self.options.receive.limit = Some(messages);
        self
    }

    /// Refuses received messages larger than `bytes` (UTF-8 bytes for text; default
    /// [`DEFAULT_MAX_MESSAGE_SIZE`](Builder::DEFAULT_MAX_MESSAGE_SIZE), `u64::MAX` for no
    /// limit): the socket is closed with
    /// [`CloseCode::MESSAGE_TOO_LARGE`](crate::CloseCode::MESSAGE_TOO_LARGE) (4903, never 1009,
    /// which scripts may not send), and after the messages before it the stream yields
    /// [`Error::MessageTooLarge`]. A binary message is refused before anything is copied into
    /// wasm memory; text too, when its length in UTF-16 code units decides (more code units
    /// than `bytes`, or fewer than a third of it), and otherwise after a copy of at most three
    /// times `bytes`, since only UTF-8 tells.
    ///
    /// ```no_run
    /// let b = wasm_websocket::WebSocket::builder("/ws").max_message_size(16 << 20);
    /// ```
    pub fn max_message_size(mut self, bytes: u64) -> Builder {
        self.options.receive.max_message_size = Some(bytes);
        self
    }

    /// Creates the socket and returns it at once, in [`ReadyState::Connecting`](crate::ReadyState).
    ///
    /// # Errors
    /// - [`Error::Unsupported`]: no `WebSocket` here (a native build, for server-side rendering).
    /// - [`Error::InvalidUrl`]: unparsable, another scheme than ws/wss/http/https, or a fragment.
    ///   Relative URLs are resolved against the page.
    /// - [`Error::InvalidProtocol`]: a protocol is empty, repeated or not an HTTP token.
    /// - [`Error::Security`]: the browser forbids it (e.g. `ws://` from an `https://` page).
    /// - [`Error::Js`]: any other exception from the constructor.
    ///
    /// ```no_run
    /// let ws = wasm_websocket::WebSocket::builder("/ws").open()?;
    /// # Ok::<(), wasm_websocket::Error>(())
    /// ```
    pub fn open(self) -> Result<WebSocket, Error> {
        // Off the web no JS may be called at all; on it, a runtime without `WebSocket` makes the
        // constructor throw a `ReferenceError`, mapped to the same error.
        if !cfg!(all(target_arch = "wasm32", target_os = "unknown")) {
            return Err(Error::Unsupported);
        }
        let options = self.options;
        let protocols = match options.subprotocols {
            Some(subprotocols) => Some((subprotocols.array)(&options.protocols)?),
            None => None,
        };
        check_url(&self.url)?;
        let url = &self.url;
        let socket = match &protocols {
            Some(protocols) => web_sys::WebSocket::new_with_str_sequence(url, protocols),
            None => web_sys::WebSocket::new(url),
        }
        .map_err(|thrown| Error::from_js(&thrown, Call::Construct { url }))?;
        Ok(WebSocket {
            shared: Shared::new(socket, options),
            buffer_wait: BufferWait::default(),
        })
    }

    /// Creates the socket and waits until it is open.
    ///
    /// # Errors
    /// Those of [`Builder::open`], and:
    /// - [`Error::ConnectFailed`]: closed before opening, with the browser's close event (1006 for
    ///   a refused port, an HTTP error or a dropped handshake alike: browsers hide the cause).
    /// - [`Error::ProtocolNotNegotiated`]: protocols were requested and the server chose none.
    /// - [`Error::Timeout`]: not open within the connect timeout; the attempt is abandoned.
    ///
    /// ```no_run
    /// # async fn run() -> Result<(), wasm_websocket::Error> {
    /// let ws = wasm_websocket::WebSocket::builder("/ws").connect().await?;
    /// # Ok(()) }
    /// ```
    pub async fn connect(self) -> Result<WebSocket, Error> {
        let timeout = self.connect_timeout;
        let ws = self.open()?;
        let mut timer = timeout.map(|after| (after, Timer::new(after)));
        poll_fn(|cx| {
            if let Some((after, timer)) = timer.as_mut() {
                if Pin::new(timer).poll(cx).is_ready() {
                    return Poll::Ready(Err(Error::Timeout(*after)));
                }
            }
            ws.shared.poll_opened(cx)
        })
        .await?;
        // On error `ws` is dropped here, which abandons the handshake and removes the listeners.
        Ok(ws)
    }
}

#[cfg(test)]
mod tests {
    use crate::socket::builder::Builder;
    use crate::socket::websocket::WebSocket;

    #[test]
    fn an_explicit_low_water_mark_survives_a_later_high_water_mark() {
        let marks = |b: Builder| (b.options.high_water_mark, b.options.low_water_mark());
        let builder = WebSocket::builder("/ws");
        assert_eq!(marks(builder.clone().high_water_mark(100)), (100, 100));
        assert_eq!(
            marks(builder.clone().low_water_mark(0).high_water_mark(100)),
            (100, 0)
        );
        assert_eq!(
            marks(builder.clone().high_water_mark(100).low_water_mark(0)),
            (100, 0)
        );
        assert_eq!(
            marks(builder.low_water_mark(500).high_water_mark(100)),
            (100, 100)
        );
    }
}
