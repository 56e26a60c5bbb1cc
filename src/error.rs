//! The crate's one [`Error`] enum, plain Rust data (`Clone + Eq`, no `JsValue`), with every
//! `DOMException` the browser throws mapped by name; and [`GiveUpReason`], why a reconnecting
//! socket stopped, which errors carry and which carries errors.

use std::time::Duration;

use wasm_bindgen::{JsCast, JsValue};

use crate::close::{CloseEvent, ClosedBy, Unsendable};
use crate::message::{Message, ReadyState};
use crate::text::{self, Arg};

/// Everything that can go wrong with a WebSocket.
///
/// Plain Rust data (no `JsValue`), so it can be cloned, compared, logged and sent to a UI. Every
/// exception a browser can throw is mapped by its `DOMException` name: the ones a caller can act
/// on get their own variant, any other lands in [`Error::Js`].
///
/// ```
/// use wasm_websocket::Error;
/// let e = Error::InvalidCloseCode(1005);
/// assert_eq!(e.to_string(), "invalid close code 1005: must be 1000 or 3000-4999");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// The URL does not parse, has a scheme other than ws, wss, http or https, or has a fragment.
    InvalidUrl {
        /// The URL as given, without its secrets: scheme, host, port, path and the query's keys,
        /// each value elided (`?token=…`); never its user info.
        url: String,
        /// Why it was refused.
        reason: String,
    },
    /// A subprotocol is empty, repeated (ignoring ASCII case) or not an HTTP token.
    InvalidProtocol {
        /// The offending protocol as given.
        protocol: String,
    },
    /// The browser refused the connection for security reasons (for example `ws://` from an
    /// `https://` page).
    Security {
        /// The browser's message.
        message: String,
    },
    /// A close code other than 1000 or 3000–4999 was given to a close method.
    InvalidCloseCode(u16),
    /// A close reason longer than 123 UTF-8 bytes was given to a close method.
    ReasonTooLong {
        /// Its length in bytes.
        len: usize,
    },
    /// A send was attempted on a socket that is closing or closed.
    NotOpen(ReadyState),
    /// The connection could not be opened (refused, HTTP error, unreachable, TLS failure: browsers
    /// deliberately report all of these alike, as close code 1006).
    ConnectFailed(CloseEvent),
    /// Subprotocols were requested and the server chose none of them. The crate closes the
    /// socket itself when a browser would open it anyway.
    ProtocolNotNegotiated {
        /// What was requested.
        requested: Vec<String>,
        /// What the server selected (empty for none).
        selected: String,
    },
    /// The connection did not open within the connect timeout.
    Timeout(Duration),
    /// The connection closed after it was open: abnormally (not cleanly), as a
    /// [`WebSocket`](crate::WebSocket)'s stream reports it, or in any way, as the last failure a
    /// [`ReconnectingSocket`](crate::ReconnectingSocket) gave up after.
    Closed(CloseEvent),
    /// More received messages were waiting unread than
    /// [`Builder::receive_limit`](crate::Builder::receive_limit) allows. The socket was closed with
    /// [`CloseCode::RECEIVE_BUFFER_FULL`](crate::CloseCode::RECEIVE_BUFFER_FULL) (4902); the
    /// messages received before are all yielded first.
    ReceiveBufferFull {
        /// The limit.
        limit: usize,
    },
    /// A received message was over [`Builder::max_message_size`](crate::Builder::max_message_size).
    /// The socket was closed with [`CloseCode::MESSAGE_TOO_LARGE`](crate::CloseCode::MESSAGE_TOO_LARGE)
    /// (4903) before the message was copied; the messages received before are yielded first.
    MessageTooLarge {
        /// Its size in bytes (UTF-8 for text). Text refused by its length alone, before it was
        /// copied, is given in UTF-16 code units, fewer than its bytes.
        size: u64,
        /// The limit.
        limit: u64,
    },
    /// A [`ReconnectingSocket`](crate::ReconnectingSocket) could not hand the message to the
    /// browser (disconnected, or the browser's buffer is above the high-water mark) and its send
    /// queue is full ([`QueuePolicy::RejectNew`](crate::reconnect::QueuePolicy::RejectNew)).
    QueueFull {
        /// The most messages it holds.
        capacity: usize,
        /// The bytes it holds at most before it takes no more (a queue below it takes one more
        /// message of any size).
        max_bytes: usize,
    },
    /// A [`ReconnectingSocket`](crate::ReconnectingSocket) gave up: the last item of its message
    /// stream, and what its sends return afterwards. A socket closed by its user ends without it.
    GaveUp(GiveUpReason),
    /// A [`Handshake`](crate::Handshake) failed or did not end in time: the connection was
    /// closed with [`CloseCode::HANDSHAKE_FAILED`](crate::CloseCode::HANDSHAKE_FAILED) (4904).
    Handshake {
        /// Why, as the handshake said it.
        reason: String,
    },
    /// A request waited for its answer longer than its timeout
    /// ([`Requester::timeout`](crate::reconnect::Requester::timeout)); an answer coming later is
    /// an ordinary message.
    NoAnswer {
        /// The timeout.
        after: Duration,
    },
    /// As many requests as the limit
    /// ([`ReconnectBuilder::max_pending_requests`](crate::ReconnectBuilder::max_pending_requests))
    /// wait for answers already: this one was not sent.
    TooManyRequests {
        /// The limit.
        limit: usize,
    },
    /// A [`Codec`](crate::Codec) could not decode a message; the stream goes on.
    Decode {
        /// Why.
        message: String,
    },
    /// A [`Codec`](crate::Codec) could not encode a value.
    Encode {
        /// Why.
        message: String,
    },
    /// A message arrived as neither text, `ArrayBuffer` nor `Blob`.
    UnsupportedData,
    /// No WebSocket on this target: a native (server-side rendering) build, or a JS environment
    /// without `WebSocket`.
    Unsupported,
    /// Any other JavaScript exception, by name and message.
    Js {
        /// The exception's `name` (a `DOMException` name such as `"NetworkError"`).
        name: String,
        /// The exception's `message`.
        message: String,
    },
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use Arg::{Display, List, Number, Quoted, Str};
        let count = |n: &usize| Number(*n as u64);
        let (template, args): (&str, &[Arg<'_>]) = match self {
            Error::InvalidUrl { url, reason } => {
                ("invalid websocket url {}: {}", &[Quoted(url), Str(reason)])
            }
            Error::InvalidProtocol { protocol } => ("invalid subprotocol {}", &[Quoted(protocol)]),
            Error::Security { message } => ("blocked by the browser: {}", &[Str(message)]),
            Error::InvalidCloseCode(code) => (
                "invalid close code {}: must be 1000 or 3000-4999",
                &[Number(u64::from(*code))],
            ),
            Error::ReasonTooLong { len } => (
                "close reason is {} bytes: at most 123 are allowed",
                &[count(len)],
            ),
            Error::NotOpen(state) => ("cannot send: the socket is {}", &[Display(state)]),
            Error::ConnectFailed(ev) => ("connection failed ({})", &[Display(ev)]),
            Error::ProtocolNotNegotiated {
                requested,
                selected,
            } => (
                "server selected subprotocol {}, none of the requested {}",
                &[Quoted(selected), List(requested)],
            ),
            Error::Timeout(after) => (
                "connection not open after {} ms",
                &[Number(crate::text::millis(*after))],
            ),
            Error::Closed(ev) => ("connection closed ({})", &[Display(ev)]),
            Error::ReceiveBufferFull { limit } => (
                "more than {} received messages were left unread: closed with 4902",
                &[count(limit)],
            ),
            Error::MessageTooLarge { size, limit } => (
                "received a message of {} bytes, over the limit of {}: closed with 4903",
                &[Number(*size), Number(*limit)],
            ),
            Error::QueueFull {
                capacity,
                max_bytes,
            } => (
                "cannot send now and the send queue is full (at most {} messages, {} bytes)",
                &[count(capacity), count(max_bytes)],
            ),
            Error::GaveUp(reason) => ("gave up reconnecting: {}", &[Display(reason)]),
            Error::Handshake { reason } => ("handshake failed: {}", &[Str(reason)]),
            Error::NoAnswer { after } => (
                "no answer within {} ms",
                &[Number(crate::text::millis(*after))],
            ),
            Error::TooManyRequests { limit } => (
                "{} requests wait for answers already: none more is sent",
                &[count(limit)],
            ),
            Error::Decode { message } => ("cannot decode message: {}", &[Str(message)]),
            Error::Encode { message } => ("cannot encode message: {}", &[Str(message)]),
            Error::UnsupportedData => ("message data of an unsupported type", &[]),
            Error::Unsupported => ("websockets are not supported on this target", &[]),
            Error::Js { name, message } => ("{}: {}", &[Str(name), Str(message)]),
        };
        text::write(f, template, args)
    }
}

impl std::error::Error for Error {}

/// Why a [`ReconnectingSocket`](crate::ReconnectingSocket) stopped for good.
///
/// ```
/// use wasm_websocket::{Error, GiveUpReason};
/// let why = GiveUpReason::Fatal(Box::new(Error::Unsupported));
/// assert_eq!(why.to_string(), "websockets are not supported on this target");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum GiveUpReason {
    /// Not a failure: its user ended it, with
    /// [`ReconnectingSocket::close`](crate::ReconnectingSocket::close) (`dropped: false`) or by
    /// dropping the socket (`dropped: true`).
    Closed {
        /// Whether the socket was dropped rather than closed.
        dropped: bool,
    },
    /// [`ReconnectBuilder::max_retries`](crate::ReconnectBuilder::max_retries) retries in a row
    /// failed.
    RetryLimit {
        /// The limit.
        retries: u32,
        /// How the last attempt ended: [`Error::ConnectFailed`] or [`Error::Timeout`] for one that
        /// never opened, [`Error::Closed`] for a connection that opened and then closed.
        last: Box<Error>,
    },
    /// [`ReconnectBuilder::should_reconnect`](crate::ReconnectBuilder::should_reconnect) declined
    /// to reconnect after this close.
    ClosePolicy {
        /// How the connection ended (made by the socket unless `by` is [`ClosedBy::Peer`]).
        close: CloseEvent,
        /// Who ended it: the peer, or the socket itself (its heartbeat, say).
        by: ClosedBy,
    },
    /// An attempt failed in a way retrying cannot fix: an invalid URL or subprotocol from the
    /// provider, a connection the browser blocks.
    Fatal(Box<Error>),
}

impl std::fmt::Display for GiveUpReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use Arg::{Display, Number, Str};
        let (template, args): (&str, &[Arg<'_>]) = match self {
            GiveUpReason::Closed { dropped: false } => ("closed by its user", &[]),
            GiveUpReason::Closed { dropped: true } => ("dropped by its user", &[]),
            GiveUpReason::RetryLimit { retries, last } => (
                "{} retries failed, the last with: {}",
                &[Number(u64::from(*retries)), Display(last)],
            ),
            GiveUpReason::ClosePolicy { close, by } => {
                let by = match by {
                    ClosedBy::Socket => ", closed by the socket",
                    _ => "",
                };
                (
                    "the close policy declined ({}{})",
                    &[Display(close), Str(by)],
                )
            }
            GiveUpReason::Fatal(error) => ("{}", &[Display(error)]),
        };
        text::write(f, template, args)
    }
}

/// What a call into the browser was doing when it threw; decides the variant.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Call<'a> {
    Construct { url: &'a str },
    Send { state: ReadyState },
    Close { code: u16, reason: &'a str },
    Other,
}

impl Error {
    /// Maps a thrown JS value by its `name`; never panics, whatever was thrown.
    pub(crate) fn from_js(thrown: &JsValue, call: Call<'_>) -> Error {
        let field = |key: &str| {
            js_sys::Reflect::get(thrown, &JsValue::from_str(key))
                .ok()
                .and_then(|v| v.as_string())
        };
        let name = field("name").unwrap_or_else(|| "Error".to_owned());
        let given = match call {
            Call::Construct { url } => Some(url),
            _ => None,
        };
        // Chromium's messages repeat the URL, its token included.
        let message = field("message")
            .or_else(|| thrown.dyn_ref::<js_sys::JsString>().map(String::from))
            .map(|message| text::redact_urls(&message, given))
            .unwrap_or_default();
        match (name.as_str(), call) {
            ("ReferenceError", Call::Construct { .. }) => Error::Unsupported,
            ("SyntaxError", Call::Construct { url }) => Error::InvalidUrl {
                url: text::redact_url(url),
                reason: message,
            },
            ("SecurityError", _) => Error::Security { message },
            ("InvalidStateError", Call::Send { state }) => Error::NotOpen(state),
            ("InvalidAccessError", Call::Close { code, .. }) => Error::InvalidCloseCode(code),
            ("SyntaxError", Call::Close { reason, .. }) => {
                Error::ReasonTooLong { len: reason.len() }
            }
            _ => Error::Js { name, message },
        }
    }
}

impl From<Unsendable> for Error {
    fn from(unsendable: Unsendable) -> Error {
        match unsendable {
            Unsendable::Code(code) => Error::InvalidCloseCode(code),
            Unsendable::ReasonTooLong(len) => Error::ReasonTooLong { len },
        }
    }
}

/// A message [`ReconnectingSocket::try_send`](crate::ReconnectingSocket::try_send) refused, given
/// back with why, so that nothing is lost: keep it, retry it later, or show it as unsent. `T` is
/// what was given to send: a [`Message`], or a typed value (the framework hooks' `send`).
///
/// `?` turns it into the [`Error`] alone, for callers that do not want the message back.
///
/// ```no_run
/// # fn f(socket: &wasm_websocket::ReconnectingSocket) {
/// use wasm_websocket::{Error, Message};
/// if let Err(refused) = socket.try_send(Message::Text("hi".into())) {
///     if matches!(refused.error(), Error::QueueFull { .. }) {
///         let message: Message = refused.into_inner(); // send it again later
///     }
/// }
/// # }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrySendError<T = Message> {
    error: Error,
    message: T,
}

impl<T> TrySendError<T> {
    /// `message`, refused because of `error`: for wrappers that send on a socket and give back
    /// what they were given.
    ///
    /// ```
    /// use wasm_websocket::{Error, TrySendError};
    /// let refused = TrySendError::new(Error::Unsupported, 42);
    /// assert_eq!(refused.into_inner(), 42);
    /// ```
    pub fn new(error: Error, message: T) -> TrySendError<T> {
        TrySendError { error, message }
    }

    /// Why the message was refused.
    ///
    /// ```no_run
    /// # fn f(e: &wasm_websocket::TrySendError) {
    /// println!("not sent: {}", e.error());
    /// # }
    /// ```
    pub fn error(&self) -> &Error {
        &self.error
    }

    /// The refused message.
    ///
    /// ```no_run
    /// # fn f(e: wasm_websocket::TrySendError) {
    /// let message = e.into_inner();
    /// # }
    /// ```
    pub fn into_inner(self) -> T {
        self.message
    }

    /// Both: why, and the message.
    ///
    /// ```no_run
    /// # fn f(e: wasm_websocket::TrySendError) {
    /// let (error, message) = e.into_parts();
    /// # }
    /// ```
    pub fn into_parts(self) -> (Error, T) {
        (self.error, self.message)
    }
}

impl<T> std::fmt::Display for TrySendError<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Display::fmt(&self.error, f)
    }
}

impl<T: std::fmt::Debug> std::error::Error for TrySendError<T> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.error)
    }
}

impl<T> From<TrySendError<T>> for Error {
    fn from(refused: TrySendError<T>) -> Error {
        refused.error
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::close::CloseCode;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test(unsupported = test)]
    fn display_is_short_and_lower_case() {
        let ev = CloseEvent {
            code: CloseCode::ABNORMAL,
            reason: String::new(),
            was_clean: false,
        };
        let cases = [
            (
                Error::ReasonTooLong { len: 124 },
                "close reason is 124 bytes: at most 123 are allowed",
            ),
            (
                Error::NotOpen(ReadyState::Closed),
                "cannot send: the socket is closed",
            ),
            (
                Error::ConnectFailed(ev),
                "connection failed (code 1006 (abnormal closure), not clean)",
            ),
            (
                Error::Unsupported,
                "websockets are not supported on this target",
            ),
        ];
        for (e, text) in cases {
            assert_eq!(e.to_string(), text);
            assert!(!text.ends_with('.'));
        }
    }
}
