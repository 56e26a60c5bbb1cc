//! `ReconnectHandle`: a cloneable handle on a reconnecting socket, for event handlers and UI
//! callbacks while one task reads the socket; and `controls!`, the methods the socket and its
//! handles share, written once.

use std::rc::Rc;

use super::session::Session;
use crate::error::Error;
use crate::message::Message;

/// The methods a [`ReconnectingSocket`](super::ReconnectingSocket) and its
/// [`ReconnectHandle`]s share, expanded on each (`$name` names the value in the doc examples).
///
/// A macro rather than `Deref` to a shared type: method resolution would reach
/// `SinkExt::close(&mut self)` and `SinkExt::send` on the socket before a `close(&self)` or
/// `send(&self)` found through `Deref`; and rather than a trait, which users would have to
/// import. Each type gives the macro a private `fn session(&self) -> &Session`.
macro_rules! controls {
    ($ty:ident, $name:literal) => {
        impl $ty {
            /// Hands the message to the browser if connected and at or below the high-water
            /// mark with nothing queued before it; queues it otherwise (also while idle or
            /// offline). Never waits; see [`send_text`](Self::send_text) for sends that wait for
            /// room.
            ///
            /// # Errors
            /// A [`TrySendError`](crate::TrySendError) that gives the message back, with:
            /// - [`Error::QueueFull`](crate::Error::QueueFull): it had to queue, the queue is
            ///   full and the policy is [`QueuePolicy::RejectNew`](crate::reconnect::QueuePolicy::RejectNew),
            ///   or sends that started before it wait for room (it would go before them).
            /// - [`Error::NotOpen`](crate::Error::NotOpen): the socket was closed by
            ///   [`close`](Self::close).
            /// - [`Error::GaveUp`](crate::Error::GaveUp): the socket gave up reconnecting.
            /// - Whatever the browser threw, mapped (see [`Error`](crate::Error)).
            ///
            /// ```no_run
            #[doc = concat!("# fn f(", $name, ": &wasm_websocket::", stringify!($ty), ") -> Result<(), wasm_websocket::Error> {")]
            #[doc = concat!($name, ".try_send(wasm_websocket::Message::Text(\"hi\".into()))?;")]
            /// # Ok(()) }
            /// ```
            pub fn try_send(
                &self,
                message: crate::message::Message,
            ) -> Result<(), crate::error::TrySendError> {
                self.session().send(message)
            }

            /// Sends a text message: it joins the queue at once (in a full queue, once the sends
            /// that waited for room before it have had theirs), then, while connected, waits
            /// until the driver has handed it to the browser, which it does in order while the
            /// browser holds no more than the high-water mark. Sends from any number of tasks
            /// reach the wire in the order they started. Given up (dropped) before it leaves the
            /// queue, the message is taken back out, unsent.
            ///
            /// # Errors
            /// As [`try_send`](Self::try_send), except that it waits rather than return
            /// [`Error::QueueFull`](crate::Error::QueueFull). When the socket is closed or gives
            /// up while the message waits, it stays queued ([`take_unsent`](Self::take_unsent)).
            ///
            /// ```no_run
            #[doc = concat!("# async fn f(", $name, ": &wasm_websocket::", stringify!($ty), ") -> Result<(), wasm_websocket::Error> {")]
            #[doc = concat!($name, ".send_text(\"hello\").await?;")]
            /// # Ok(()) }
            /// ```
            pub async fn send_text(&self, text: &str) -> Result<(), crate::error::Error> {
                self.session()
                    .send_when_ready(crate::message::Message::Text(text.to_owned()))
                    .await
            }

            /// Sends bytes as a binary message, in its turn (see [`send_text`](Self::send_text)).
            ///
            /// # Errors
            /// As [`send_text`](Self::send_text).
            ///
            /// ```no_run
            #[doc = concat!("# async fn f(", $name, ": &wasm_websocket::", stringify!($ty), ") -> Result<(), wasm_websocket::Error> {")]
            #[doc = concat!($name, ".send_binary(&[1, 2, 3]).await?;")]
            /// # Ok(()) }
            /// ```
            pub async fn send_binary(&self, bytes: &[u8]) -> Result<(), crate::error::Error> {
                self.session()
                    .send_when_ready(crate::message::Message::Binary(bytes.to_vec()))
                    .await
            }

            /// How many messages wait in the queue.
            ///
            /// ```no_run
            #[doc = concat!("# fn f(", $name, ": &wasm_websocket::", stringify!($ty), ") {")]
            #[doc = concat!("println!(\"{} messages wait for a connection\", ", $name, ".queued());")]
            /// # }
            /// ```
            pub fn queued(&self) -> usize {
                self.session().with(|s| s.queue.len())
            }

            /// The current connection's `bufferedAmount`; 0 without one.
            ///
            /// ```no_run
            #[doc = concat!("# fn f(", $name, ": &wasm_websocket::", stringify!($ty), ") {")]
            #[doc = concat!("println!(\"{} bytes not yet sent\", ", $name, ".buffered_amount());")]
            /// # }
            /// ```
            pub fn buffered_amount(&self) -> u32 {
                self.session()
                    .with(|s| s.connection.as_ref().map_or(0, |ws| ws.buffered_amount()))
            }

            /// The subprotocol the current connection's server selected; empty without a
            /// connection or when none was requested.
            ///
            /// ```no_run
            #[doc = concat!("# fn f(", $name, ": &wasm_websocket::", stringify!($ty), ") {")]
            #[doc = concat!("let v2 = ", $name, ".protocol() == \"v2\";")]
            /// # }
            /// ```
            pub fn protocol(&self) -> String {
                self.session()
                    .with(|s| s.connection.as_ref().map(|ws| ws.protocol()).unwrap_or_default())
            }

            /// What the socket is doing now: connecting, open, waiting to retry (with the
            /// attempt and the delay), offline, idle, or given up and why.
            ///
            /// ```no_run
            #[doc = concat!("# fn f(", $name, ": &wasm_websocket::", stringify!($ty), ") {")]
            #[doc = concat!("println!(\"{}\", ", $name, ".status()); // \"reconnecting in 1.2s (attempt 3)\"")]
            /// # }
            /// ```
            pub fn status(&self) -> crate::reconnect::events::ReconnectStatus {
                self.session().with(|s| s.status.clone())
            }

            /// The current connection's ready state; `Connecting` between connections,
            /// `Closing` while a close is under way, `Closed` while idle and once the socket has
            /// ended.
            ///
            /// ```no_run
            #[doc = concat!("# fn f(", $name, ": &wasm_websocket::", stringify!($ty), ") {")]
            #[doc = concat!("let open = ", $name, ".ready_state() == wasm_websocket::ReadyState::Open;")]
            /// # }
            /// ```
            pub fn ready_state(&self) -> crate::message::ReadyState {
                self.session().with(|s| s.ready_state())
            }

            /// How many received messages wait unread, in the socket and in its current
            /// connection (never more than the connection's
            /// [receive limit](crate::Builder::receive_limit)).
            ///
            /// ```no_run
            #[doc = concat!("# fn f(", $name, ": &wasm_websocket::", stringify!($ty), ") {")]
            #[doc = concat!("println!(\"{} messages not read yet\", ", $name, ".unread());")]
            /// # }
            /// ```
            pub fn unread(&self) -> usize {
                self.session().with(|s| s.unread())
            }

            /// Takes back the messages still waiting in the queue.
            ///
            /// ```no_run
            #[doc = concat!("# fn f(", $name, ": &wasm_websocket::", stringify!($ty), ") {")]
            #[doc = concat!("let unsent = ", $name, ".take_unsent();")]
            /// # }
            /// ```
            pub fn take_unsent(&self) -> Vec<crate::message::Message> {
                let unsent = self.session().with(|s| s.queue.take_all());
                self.session().wake_writers();
                unsent
            }

            /// Tries again now: a waiting (backoff or offline) socket starts its next attempt
            /// at once; an open one closes its connection with 1000 and reconnects at once,
            /// whatever the close policy and the backoff say, without waiting for the old
            /// peer's answer. An idle one connects, as [`connect`](Self::connect). A no-op
            /// while an attempt is under way.
            ///
            /// # Errors
            /// [`Error::NotOpen`](crate::Error::NotOpen) once closed,
            /// [`Error::GaveUp`](crate::Error::GaveUp) once given up: use a new socket.
            ///
            /// ```no_run
            #[doc = concat!("# fn f(", $name, ": &wasm_websocket::", stringify!($ty), ") -> Result<(), wasm_websocket::Error> {")]
            #[doc = concat!($name, ".reconnect()?; // the user pressed \"retry now\"")]
            /// # Ok(()) }
            /// ```
            pub fn reconnect(&self) -> Result<(), crate::error::Error> {
                self.session().reconnect()
            }

            /// Starts connecting again after [`disconnect`](Self::disconnect) (or on a socket
            /// started with
            /// [`connect_on_start(false)`](crate::ReconnectBuilder::connect_on_start)), with
            /// the backoff and the retry count reset; messages queued meanwhile go out on the
            /// new connection, in order. A no-op while connected or connecting.
            ///
            /// # Errors
            /// [`Error::NotOpen`](crate::Error::NotOpen) once closed,
            /// [`Error::GaveUp`](crate::Error::GaveUp) once given up: use a new socket.
            ///
            /// ```no_run
            #[doc = concat!("# fn f(", $name, ": &wasm_websocket::", stringify!($ty), ") -> Result<(), wasm_websocket::Error> {")]
            #[doc = concat!($name, ".disconnect()?; // the view is hidden")]
            #[doc = concat!($name, ".connect()?; // and shown again")]
            /// # Ok(()) }
            /// ```
            pub fn connect(&self) -> Result<(), crate::error::Error> {
                self.session().connect()
            }

            /// Closes the current connection with 1000 (or abandons the attempt or the wait
            /// under way) and stays [`Idle`](crate::ReconnectStatus::Idle) until
            /// [`connect`](Self::connect): no reconnect meanwhile. Unlike
            /// [`close`](Self::close) it is not final: sends queue, the streams go on. A no-op
            /// while idle.
            ///
            /// # Errors
            /// [`Error::NotOpen`](crate::Error::NotOpen) once closed,
            /// [`Error::GaveUp`](crate::Error::GaveUp) once given up.
            ///
            /// ```no_run
            #[doc = concat!("# fn f(", $name, ": &wasm_websocket::", stringify!($ty), ") -> Result<(), wasm_websocket::Error> {")]
            #[doc = concat!($name, ".disconnect()?;")]
            /// # Ok(()) }
            /// ```
            pub fn disconnect(&self) -> Result<(), crate::error::Error> {
                self.disconnect_with(crate::close::CloseCode::NORMAL, "")
            }

            /// As [`disconnect`](Self::disconnect), closing the connection with a code and
            /// reason.
            ///
            /// # Errors
            /// - [`Error::InvalidCloseCode`](crate::Error::InvalidCloseCode): `code` is not
            ///   1000 or 3000–4999.
            /// - [`Error::ReasonTooLong`](crate::Error::ReasonTooLong): `reason` is over 123
            ///   UTF-8 bytes.
            /// - [`Error::NotOpen`](crate::Error::NotOpen) once closed,
            ///   [`Error::GaveUp`](crate::Error::GaveUp) once given up.
            ///
            /// ```no_run
            #[doc = concat!("# fn f(", $name, ": &wasm_websocket::", stringify!($ty), ") -> Result<(), wasm_websocket::Error> {")]
            #[doc = concat!($name, ".disconnect_with(4001.into(), \"paused\")?;")]
            /// # Ok(()) }
            /// ```
            pub fn disconnect_with(
                &self,
                code: crate::close::CloseCode,
                reason: &str,
            ) -> Result<(), crate::error::Error> {
                self.session().disconnect_with(code, reason)
            }

            /// Closes the connection with 1000 and stops reconnecting, for good; the streams
            /// end. To connect again later on the same socket, use
            /// [`disconnect`](Self::disconnect).
            ///
            /// # Errors
            /// None in practice; see [`close_with`](Self::close_with).
            ///
            /// ```no_run
            #[doc = concat!("# fn f(", $name, ": &wasm_websocket::", stringify!($ty), ") -> Result<(), wasm_websocket::Error> {")]
            #[doc = concat!($name, ".close()?;")]
            /// # Ok(()) }
            /// ```
            pub fn close(&self) -> Result<(), crate::error::Error> {
                self.close_with(crate::close::CloseCode::NORMAL, "")
            }

            /// Closes the connection with a code and reason and stops reconnecting.
            ///
            /// # Errors
            /// - [`Error::InvalidCloseCode`](crate::Error::InvalidCloseCode): `code` is not
            ///   1000 or 3000–4999.
            /// - [`Error::ReasonTooLong`](crate::Error::ReasonTooLong): `reason` is over 123
            ///   UTF-8 bytes.
            ///
            /// ```no_run
            #[doc = concat!("# fn f(", $name, ": &wasm_websocket::", stringify!($ty), ") -> Result<(), wasm_websocket::Error> {")]
            #[doc = concat!($name, ".close_with(4000.into(), \"logged out\")?;")]
            /// # Ok(()) }
            /// ```
            pub fn close_with(
                &self,
                code: crate::close::CloseCode,
                reason: &str,
            ) -> Result<(), crate::error::Error> {
                self.session().close_with(code, reason)
            }
        }
    };
}

pub(super) use controls;

/// A handle on a [`ReconnectingSocket`](super::ReconnectingSocket) from anywhere on its thread:
/// it sends, connects, disconnects, reconnects and closes, cheap to clone, and does not keep the
/// socket alive. Once the socket is dropped, closed or has given up, its sends fail with the
/// same errors the socket's would. Made by
/// [`ReconnectingSocket::handle`](super::ReconnectingSocket::handle).
///
/// ```no_run
/// # fn f(socket: &wasm_websocket::ReconnectingSocket) -> Result<(), wasm_websocket::Error> {
/// let handle = socket.handle();
/// let on_click = move || handle.try_send(wasm_websocket::Message::Text("clicked".into()));
/// on_click()?;
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct ReconnectHandle {
    session: Rc<Session>,
}

impl std::fmt::Debug for ReconnectHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReconnectHandle")
            .field("status", &self.status())
            .finish_non_exhaustive()
    }
}

controls!(ReconnectHandle, "handle");

impl ReconnectHandle {
    pub(super) fn new(session: Rc<Session>) -> ReconnectHandle {
        ReconnectHandle { session }
    }

    fn session(&self) -> &Session {
        &self.session
    }

    /// Request/response through `codec` on this socket: see [`Requester`](super::Requester).
    ///
    /// ```no_run
    /// # fn f(handle: &wasm_websocket::ReconnectHandle) {
    /// let rpc = handle.requester(wasm_websocket::JsonRpc);
    /// # }
    /// ```
    pub fn requester<C: crate::codec::Codec + 'static>(&self, codec: C) -> super::Requester<C>
    where
        C::Incoming: 'static,
    {
        super::Requester::new(self.session.clone(), codec)
    }

    /// Sends `message` now (in its turn, or on the next connection if none is open) and again
    /// first on every later connection, after the handshake and before anything queued, until
    /// the [`Subscription`](super::Subscription) is dropped: what a server that restarts forgets.
    ///
    /// # Errors
    /// As [`try_send`](ReconnectHandle::try_send); the message is then not kept.
    ///
    /// ```no_run
    /// # fn f(handle: &wasm_websocket::ReconnectHandle) -> Result<(), wasm_websocket::TrySendError> {
    /// let room = handle.subscribe(wasm_websocket::Message::Text("join #rust".into()))?;
    /// # Ok(()) }
    /// ```
    pub fn subscribe(
        &self,
        message: Message,
    ) -> Result<super::Subscription, crate::error::TrySendError> {
        super::Subscription::start(&self.session, message)
    }

    /// Sends a message, in its turn (see [`send_text`](ReconnectHandle::send_text)).
    ///
    /// # Errors
    /// As [`send_text`](ReconnectHandle::send_text).
    ///
    /// ```no_run
    /// # async fn f(handle: &wasm_websocket::ReconnectHandle) -> Result<(), wasm_websocket::Error> {
    /// handle.send(wasm_websocket::Message::Text("hi".into())).await?;
    /// # Ok(()) }
    /// ```
    pub async fn send(&self, message: Message) -> Result<(), Error> {
        self.session.send_when_ready(message).await
    }
}
