//! `ReconnectingSocket`: one message stream and one send queue across connections.

use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};

use futures::stream::FusedStream;
use futures::Stream;

use super::session::Session;
use super::ReconnectEvents;
use crate::close::validate_close;
use crate::{CloseCode, Error, Message};

/// A WebSocket that reconnects: exponential backoff with full jitter, a close policy, a bounded
/// queue for messages sent while disconnected, an optional heartbeat, and a message stream that
/// spans connections. Made by [`ReconnectingSocket::builder`].
///
/// Exactly one task schedules attempts, keyed on the close event only, so an `error` followed by
/// a `close` never schedules two. When the browser fires `online` a waiting attempt starts at
/// once; while `navigator.onLine` is false, attempts wait. Dropping the socket closes the
/// connection and removes every listener and timer.
///
/// ```no_run
/// # fn token() -> String { String::new() }
/// # async fn run() -> Result<(), wasm_websocket::Error> {
/// use futures::StreamExt;
/// use wasm_websocket::{ReconnectingSocket, WebSocket};
///
/// let mut socket = ReconnectingSocket::builder(|| WebSocket::builder(format!("/ws?token={}", token())))
///     .max_retries(10)
///     .start()?;
/// socket.send("hello".into())?; // queued until the first connection opens
/// while let Some(message) = socket.next().await {
///     println!("{:?}", message?);
/// }
/// # Ok(()) }
/// ```
#[must_use = "a reconnecting socket stops when dropped"]
pub struct ReconnectingSocket {
    inner: Rc<Session>,
}

impl std::fmt::Debug for ReconnectingSocket {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReconnectingSocket").finish_non_exhaustive()
    }
}

impl ReconnectingSocket {
    pub(super) fn new(session: Rc<Session>) -> ReconnectingSocket {
        ReconnectingSocket { inner: session }
    }

    /// Sends now if connected, otherwise queues the message for the next connection.
    ///
    /// # Errors
    /// - [`Error::QueueFull`]: disconnected, the queue is full and the policy is
    ///   [`QueuePolicy::RejectNew`](super::QueuePolicy::RejectNew).
    /// - [`Error::NotOpen`]: the socket was closed by [`ReconnectingSocket::close`].
    ///
    /// ```no_run
    /// # fn f(socket: &wasm_websocket::ReconnectingSocket) -> Result<(), wasm_websocket::Error> {
    /// socket.send(wasm_websocket::Message::Text("hi".into()))?;
    /// # Ok(()) }
    /// ```
    pub fn send(&self, message: Message) -> Result<(), Error> {
        self.inner.with(|s| {
            if s.stopped {
                return Err(Error::NotOpen(crate::ReadyState::Closed));
            }
            match &s.current {
                Some(shared) if shared.ready_state() == crate::ReadyState::Open => {
                    shared.send(&message)
                }
                _ => s.queue.push(message),
            }
        })
    }

    /// Takes back the messages still waiting for a connection.
    ///
    /// ```no_run
    /// # fn f(socket: &wasm_websocket::ReconnectingSocket) {
    /// let unsent = socket.take_unsent();
    /// # }
    /// ```
    pub fn take_unsent(&self) -> Vec<Message> {
        self.inner.with(|s| s.queue.take_all())
    }

    /// Closes the connection with 1000 and stops reconnecting; the streams end after the close.
    ///
    /// # Errors
    /// None in practice; see [`ReconnectingSocket::close_with`].
    ///
    /// ```no_run
    /// # fn f(socket: &wasm_websocket::ReconnectingSocket) -> Result<(), wasm_websocket::Error> {
    /// socket.close()?;
    /// # Ok(()) }
    /// ```
    pub fn close(&self) -> Result<(), Error> {
        self.close_with(CloseCode::NORMAL, "")
    }

    /// Closes the connection with a code and reason and stops reconnecting.
    ///
    /// # Errors
    /// - [`Error::InvalidCloseCode`]: `code` is not 1000 or 3000–4999.
    /// - [`Error::ReasonTooLong`]: `reason` is over 123 UTF-8 bytes.
    ///
    /// ```no_run
    /// # fn f(socket: &wasm_websocket::ReconnectingSocket) -> Result<(), wasm_websocket::Error> {
    /// socket.close_with(4000.into(), "logged out")?;
    /// # Ok(()) }
    /// ```
    pub fn close_with(&self, code: CloseCode, reason: &str) -> Result<(), Error> {
        validate_close(code, reason)?;
        let current = self.inner.with(|s| s.current.clone());
        if let Some(shared) = current {
            shared.close(code, reason)?;
        }
        self.inner.stop(false);
        Ok(())
    }

    /// The [`ReconnectEvent`](super::ReconnectEvent)s, if [`ReconnectBuilder::record_events`](super::ReconnectBuilder::record_events) was set.
    ///
    /// ```no_run
    /// # fn f(socket: &wasm_websocket::ReconnectingSocket) {
    /// let events = socket.events().expect("recording");
    /// # }
    /// ```
    pub fn events(&self) -> Option<ReconnectEvents> {
        self.inner
            .with(|s| s.events.is_some())
            .then(|| ReconnectEvents {
                inner: self.inner.clone(),
            })
    }
}

impl Drop for ReconnectingSocket {
    fn drop(&mut self) {
        self.inner.stop(true);
    }
}

impl Stream for ReconnectingSocket {
    type Item = Result<Message, Error>;

    /// Messages from every connection, in order; ends once the socket has given up or was closed.
    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.with(|s| match s.messages.pop_front() {
            Some(item) => Poll::Ready(Some(item)),
            None if s.ended => Poll::Ready(None),
            None => {
                s.reader = Some(cx.waker().clone());
                Poll::Pending
            }
        })
    }
}

impl FusedStream for ReconnectingSocket {
    fn is_terminated(&self) -> bool {
        self.inner.with(|s| s.ended && s.messages.is_empty())
    }
}
