//! `Requester`: request/response on a reconnecting socket. A request gets an id (through the
//! codec), goes out in its turn like any send, and waits for the one answer that carries its
//! id, which the socket hands it as it arrives, instead of to the message stream.

use std::fmt;
use std::future::poll_fn;
use std::rc::Rc;
use std::task::Poll;
use std::time::Duration;

use super::session::Session;
use crate::codec::Codec;
use crate::error::Error;
use crate::message::ReadyState;
use crate::platform::timer::within;

/// Sends requests and awaits their answers on a
/// [`ReconnectingSocket`](super::ReconnectingSocket): each answer (found with the codec's
/// [`answers`](crate::Codec::answers)) goes to its request as it arrives, once, and never to the
/// message stream; whether anyone reads the stream or not. Made by
/// [`ReconnectHandle::requester`](super::ReconnectHandle::requester); cheap to clone; many
/// requests may wait at once, up to
/// [`max_pending_requests`](crate::ReconnectBuilder::max_pending_requests). One codec finds the
/// answers of a socket: the last requester's.
///
/// ```no_run
/// # async fn f() -> Result<(), wasm_websocket::Error> {
/// use serde_json::json;
/// use wasm_websocket::{JsonRpc, ReconnectingSocket, WebSocket};
///
/// let socket = ReconnectingSocket::builder(|| WebSocket::builder("wss://node.example/ws")).start()?;
/// let rpc = socket.handle().requester(JsonRpc);
/// let answer = rpc.request(json!({ "method": "eth_blockNumber", "params": [] })).await?;
/// println!("block {}", answer["result"]);
/// // Notifications and everything else that is not an answer: `socket.typed(JsonRpc)`.
/// # Ok(()) }
/// ```
pub struct Requester<C: Codec> {
    session: Rc<Session>,
    codec: Rc<C>,
    timeout: Duration,
}

impl<C: Codec> Clone for Requester<C> {
    fn clone(&self) -> Self {
        Requester {
            session: self.session.clone(),
            codec: self.codec.clone(),
            timeout: self.timeout,
        }
    }
}

impl<C: Codec> fmt::Debug for Requester<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Requester")
            .field("timeout", &self.timeout)
            .field(
                "waiting",
                &self.session.requests.try_borrow().map(|r| r.len()).ok(),
            )
            .finish_non_exhaustive()
    }
}

/// Request `id` while it waits: dropped (answered, timed out, or its caller gone), it is
/// forgotten, and its message, if still queued, taken back out unsent.
struct Asking<'a> {
    session: &'a Session,
    id: u64,
    queued: Option<u64>,
}

impl Drop for Asking<'_> {
    fn drop(&mut self) {
        if let Ok(mut requests) = self.session.requests.try_borrow_mut() {
            requests.forget(self.id);
        }
        if let Some(number) = self.queued {
            self.session.with(|s| s.queue.remove(number));
        }
    }
}

impl<C: Codec> Requester<C>
where
    C::Incoming: 'static,
{
    /// How long a request waits for its answer unless [`Requester::timeout`] says otherwise.
    pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

    pub(super) fn new(session: Rc<Session>, codec: C) -> Requester<C>
    where
        C: 'static,
    {
        let codec = Rc::new(codec);
        if let Ok(mut requests) = session.requests.try_borrow_mut() {
            requests.find_answers_with(codec.clone());
        }
        Requester {
            session,
            codec,
            timeout: Self::DEFAULT_TIMEOUT,
        }
    }

    /// How long each request waits for its answer.
    ///
    /// ```no_run
    /// # fn f(rpc: wasm_websocket::reconnect::Requester<wasm_websocket::JsonRpc>) {
    /// let rpc = rpc.timeout(std::time::Duration::from_secs(3));
    /// # }
    /// ```
    pub fn timeout(mut self, timeout: Duration) -> Requester<C> {
        self.timeout = timeout;
        self
    }

    /// Sends `request` with an id of its own and waits for the answer that carries it.
    /// Dropping the future cancels the request: it is forgotten, and taken back out of the
    /// queue if it was still waiting there.
    ///
    /// # Errors
    /// - [`Error::NotOpen`]: no connection is open (connecting, during its handshake, idle,
    ///   or closed): a request is made on a connection, and answered on it.
    /// - [`Error::TooManyRequests`]: as many requests as the limit wait already.
    /// - [`Error::Encode`]: the codec cannot give the value an id, or encode it.
    /// - [`Error::NoAnswer`]: no answer within the timeout.
    /// - [`Error::Closed`]: its connection ended first (with that close); [`Error::NotOpen`] or
    ///   [`Error::GaveUp`] when the socket closed or gave up.
    /// - What [`try_send`](super::ReconnectHandle::try_send) refuses with, such as
    ///   [`Error::QueueFull`].
    ///
    /// ```no_run
    /// # async fn f(rpc: wasm_websocket::reconnect::Requester<wasm_websocket::JsonRpc>) -> Result<(), wasm_websocket::Error> {
    /// let sum = rpc.request(serde_json::json!({ "method": "add", "params": [1, 2] })).await?;
    /// # Ok(()) }
    /// ```
    pub async fn request(&self, mut request: C::Outgoing) -> Result<C::Incoming, Error> {
        let session = &*self.session;
        let connection = session.with(|s| {
            s.open_connection().map(|_| s.connections).ok_or_else(|| {
                s.refusal()
                    .unwrap_or(Error::NotOpen(ReadyState::Connecting))
            })
        })?;
        // The table is borrowed only for a moment, never across a wait or a callback.
        let busy = || Error::NotOpen(ReadyState::Closed);
        let id = session
            .requests
            .try_borrow_mut()
            .map_err(|_| busy())?
            .reserve(connection)?;
        let mut asking = Asking {
            session,
            id,
            queued: None,
        };
        self.codec.stamp(&mut request, id)?;
        let message = self.codec.encode(&request)?;
        asking.queued = session
            .send_numbered(message)
            .map_err(|refused| refused.into_parts().0)?;
        let answered = poll_fn(|cx| match session.requests.try_borrow_mut() {
            Ok(mut requests) => requests.poll_answer(id, cx),
            Err(_) => Poll::Ready(Err(busy())),
        });
        let answer = within(self.timeout, answered)
            .await
            .unwrap_or(Err(Error::NoAnswer {
                after: self.timeout,
            }))?;
        drop(asking);
        answer
            .downcast::<C::Incoming>()
            .map(|answer| *answer)
            .map_err(|_| Error::Decode {
                message: "the answer was decoded by a reader with another codec".into(),
            })
    }
}
