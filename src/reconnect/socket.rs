//! `ReconnectingSocket`: one message stream and one send queue across connections; and
//! `ReconnectEvents`, the socket read as its events, messages among them.

use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{ready, Context, Poll};

use futures::stream::FusedStream;
use futures::{Sink, Stream, StreamExt};

use super::events::ReconnectEvent;
use super::handle::{controls, ReconnectHandle};
use super::session::{Happened, Session, Wanted};
use crate::codec::typed::Typed;
use crate::codec::{Codec, Untyped};
use crate::error::Error;
use crate::message::Message;
use crate::platform::next_frame::NextFrame;
use crate::socket::send::BufferWait;

/// A WebSocket that reconnects: exponential backoff with jitter, a close policy, a bounded
/// queue for messages that cannot go yet, an optional heartbeat, a lifecycle the app drives
/// ([`disconnect`](ReconnectingSocket::disconnect), [`connect`](ReconnectingSocket::connect),
/// [`close`](ReconnectingSocket::close)), and a message stream that spans connections. Made by [`ReconnectingSocket::builder`] or [`ReconnectingSocket::builder_async`].
///
/// It makes the promises a [`WebSocket`](crate::WebSocket) makes:
/// - **Backpressure.** The browser never holds more than the connection's
///   [high-water mark](crate::Builder::high_water_mark) plus one message: above it, and while
///   disconnected, messages wait in the queue. As a [`Sink`], `poll_ready` waits for the mark
///   while connected, and for room in the queue while disconnected.
/// - **Order.** Every send joins one line, the queue: messages reach the wire in the order
///   their sends started, from any number of tasks and handles. A
///   [`try_send`](ReconnectingSocket::try_send) never overtakes a send waiting for room (it
///   is refused with [`Error::QueueFull`] meanwhile), and the `Sink` waits for them too.
/// - **Nothing silent.** A message the socket sends itself (a queued one, a heartbeat ping)
///   whose send fails stays first in the queue; the failure is an `Err` item of the stream
///   (a [`ReconnectEvent::Error`](super::ReconnectEvent::Error) of its events), and the
///   connection is closed with [`CloseCode::SEND_FAILED`](crate::CloseCode::SEND_FAILED) so the next one
///   retries it. When the socket gives up, the stream's last item is [`Error::GaveUp`] with the
///   reason, and sends return it from then on. A refused [`try_send`](ReconnectingSocket::try_send)
///   gives the message back.
/// - **Dead peers replaced at once.** When the socket ends a connection itself (no pong in time,
///   a failed send, [`reconnect`](ReconnectingSocket::reconnect)), it moves on without waiting for
///   the browser's `close` event, which a peer that is gone delays by the browser's close timeout
///   (20 s or more): what the connection had received is delivered, its listeners are removed,
///   and the next attempt follows the backoff (at once for `reconnect`). See [`ClosedBy`](crate::ClosedBy).
/// - **Bounded receive.** With [`Builder::receive_limit`](crate::Builder::receive_limit), the
///   socket and its connection together never hold more unread messages than the limit; one
///   more closes the connection with [`CloseCode::RECEIVE_BUFFER_FULL`](crate::CloseCode::RECEIVE_BUFFER_FULL) after the messages before
///   it, as on a [`WebSocket`](crate::WebSocket), and the close policy decides what follows.
///
/// Exactly one task schedules attempts, keyed on the close event only, so an `error` followed by
/// a `close` never schedules two. When the browser fires `online` a waiting attempt starts at
/// once; while `navigator.onLine` is false, attempts wait. Dropping the socket closes the
/// connection and removes every listener and timer.
///
/// In a background tab backoff waits and heartbeat pings stretch, and a live peer is never
/// taken for dead (see [background tabs](crate#background-tabs)).
///
/// ```no_run
/// # fn token() -> String { String::new() }
/// # async fn run() -> Result<(), wasm_websocket::Error> {
/// use futures::StreamExt;
/// use wasm_websocket::{ReconnectingSocket, WebSocket};
///
/// let mut socket = ReconnectingSocket::builder(|| WebSocket::builder("/ws").query("token", &token()))
///     .max_retries(10)
///     .start()?;
/// socket.try_send("hello".into())?; // queued until the first connection opens
/// while let Some(message) = socket.next().await {
///     println!("{:?}", message?);
/// }
/// # Ok(()) }
/// ```
#[must_use = "a reconnecting socket stops when dropped"]
pub struct ReconnectingSocket {
    session: Rc<Session>,
    /// The sink's wait for the browser's buffer.
    buffer_wait: BufferWait,
}

controls!(ReconnectingSocket, "socket");

impl std::fmt::Debug for ReconnectingSocket {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReconnectingSocket")
            .field("status", &self.status())
            .finish_non_exhaustive()
    }
}

impl ReconnectingSocket {
    pub(super) fn new(session: Rc<Session>) -> ReconnectingSocket {
        ReconnectingSocket {
            session,
            buffer_wait: BufferWait::default(),
        }
    }

    pub(super) fn session(&self) -> &Session {
        &self.session
    }

    /// A cloneable handle that sends, connects, disconnects, reconnects and closes this socket.
    ///
    /// ```no_run
    /// # fn f(socket: &wasm_websocket::ReconnectingSocket) {
    /// let handle = socket.handle();
    /// # }
    /// ```
    pub fn handle(&self) -> ReconnectHandle {
        ReconnectHandle::new(self.session.clone())
    }

    /// Wraps the socket so that it sends `C::Outgoing` and receives `C::Incoming`.
    ///
    /// ```no_run
    /// # #[cfg(feature = "json")]
    /// # fn f(socket: wasm_websocket::ReconnectingSocket) {
    /// let typed = socket.typed(wasm_websocket::Json::<serde_json::Value>::new());
    /// # }
    /// ```
    pub fn typed<C: Codec>(self, codec: C) -> Typed<C, ReconnectingSocket> {
        Typed::new(self, codec)
    }

    /// The socket's [`ReconnectEvent`]s from its start, its messages decoded with `codec`:
    /// one ordered stream of what a view of the socket shows. The socket is read through it
    /// from then on ([`ReconnectEvents::socket`] gives it back for sending and its controls).
    ///
    /// ```no_run
    /// # fn f() -> Result<(), wasm_websocket::Error> {
    /// use wasm_websocket::{ReconnectingSocket, Untyped, WebSocket};
    /// let socket = ReconnectingSocket::builder(|| WebSocket::builder("/ws")).start()?;
    /// let events = socket.events(Untyped);
    /// events.socket().try_send("hello".into())?;
    /// # Ok(()) }
    /// ```
    pub fn events<C: Codec>(self, codec: C) -> ReconnectEvents<C> {
        ReconnectEvents {
            socket: self,
            codec,
            ended: false,
        }
    }
}

impl Drop for ReconnectingSocket {
    fn drop(&mut self) {
        self.session.want(Wanted::Closed { dropped: true });
    }
}

impl Stream for ReconnectingSocket {
    type Item = Result<Message, Error>;

    /// Messages from every connection, in order; ends once the socket was closed, or after an
    /// [`Error::GaveUp`] item once it gave up.
    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.session.with(|s| s.poll_received(cx))
    }
}

impl FusedStream for ReconnectingSocket {
    fn is_terminated(&self) -> bool {
        self.session
            .with(|s| s.ended.is_some() && s.inbox.is_empty())
    }
}

impl Sink<Message> for ReconnectingSocket {
    type Error = Error;

    /// Connected: pending until the queue is empty and the browser holds no more than the
    /// high-water mark. Disconnected: pending while the queue is full under
    /// [`QueuePolicy::RejectNew`](super::QueuePolicy::RejectNew). An error once closed or given up.
    fn poll_ready(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<(), Error>> {
        let this = self.get_mut();
        this.session.poll_ready(&mut this.buffer_wait, cx)
    }

    /// As [`ReconnectingSocket::try_send`], but a refused message is not given back (a `Sink`
    /// cannot): `poll_ready` makes sure there is room first.
    fn start_send(self: Pin<&mut Self>, message: Message) -> Result<(), Error> {
        self.session.send(message).map_err(Error::from)
    }

    /// Connected: ready once the queue is empty and the browser's buffer is at or below the
    /// low-water mark. Disconnected: ready at once, the messages waiting in the queue for the next
    /// connection (bytes a connection had buffered when it dropped are lost with it: only the
    /// server's acknowledgement proves delivery).
    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<(), Error>> {
        let this = self.get_mut();
        this.session.poll_flushed(&mut this.buffer_wait, cx)
    }

    /// Closes with 1000, stops reconnecting, and resolves once the socket has ended.
    fn poll_close(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<(), Error>> {
        if !matches!(self.session.with(|s| s.wanted), Wanted::Closed { .. }) {
            self.close()?;
        }
        self.session.poll_ended(cx).map(Ok)
    }
}

/// A [`ReconnectingSocket`]'s [`ReconnectEvent`]s, its messages decoded with `C`: everything a
/// view of the socket needs, in the order it happened, read by one task. Made by
/// [`ReconnectingSocket::events`]; ends after the last status, once the socket has ended and
/// everything was read. Dropping it drops the socket.
///
/// ```no_run
/// # async fn f(socket: wasm_websocket::ReconnectingSocket) {
/// use futures::StreamExt;
/// use wasm_websocket::{ReconnectEvent, Untyped};
///
/// let mut events = socket.events(Untyped);
/// while let Some(event) = events.next().await {
///     match event {
///         ReconnectEvent::Message(m) => println!("{m:?}"),
///         ReconnectEvent::Status(status) => println!("{status}"),
///         _ => {}
///     }
/// }
/// # }
/// ```
#[derive(Debug)]
#[must_use = "streams do nothing unless polled"]
pub struct ReconnectEvents<C: Codec = Untyped> {
    socket: ReconnectingSocket,
    codec: C,
    ended: bool,
}

impl<C: Codec> ReconnectEvents<C> {
    /// The socket, for its handle, state and controls.
    ///
    /// ```no_run
    /// # fn f(events: wasm_websocket::ReconnectEvents) {
    /// let handle = events.socket().handle();
    /// # }
    /// ```
    pub fn socket(&self) -> &ReconnectingSocket {
        &self.socket
    }

    /// Reads every event until the socket has ended: `apply` gets each one at once, in order;
    /// `render` is called after changes at most once per animation frame, and once at the end.
    /// What a view of the socket needs: its state exact after every event (callbacks see each
    /// message), its rendering paced by the browser, so a burst of messages costs a render per
    /// frame, not per message. While the browser renders no frames (a hidden tab), `render`
    /// comes every 250 ms, or as seldom as the browser runs timers there.
    ///
    /// ```no_run
    /// # async fn f(socket: wasm_websocket::ReconnectingSocket) {
    /// use std::cell::Cell;
    /// use wasm_websocket::{ReconnectEvent, Untyped};
    ///
    /// let received = Cell::new(0);
    /// socket
    ///     .events(Untyped)
    ///     .relay(
    ///         |event| {
    ///             if let ReconnectEvent::Message(_) = event {
    ///                 received.set(received.get() + 1);
    ///             }
    ///         },
    ///         || println!("{} messages", received.get()),
    ///     )
    ///     .await;
    /// # }
    /// ```
    pub async fn relay(
        mut self,
        mut apply: impl FnMut(ReconnectEvent<C::Incoming>),
        mut render: impl FnMut(),
    ) {
        let mut frame: Option<NextFrame> = None;
        loop {
            // The frame first: a flood of events never holds the render back.
            let step = std::future::poll_fn(|cx| {
                if let Some(next) = frame.as_mut() {
                    if Pin::new(next).poll(cx).is_ready() {
                        return Poll::Ready(None);
                    }
                }
                self.poll_next_unpin(cx).map(Some)
            })
            .await;
            match step {
                None => {
                    frame = None;
                    render();
                }
                Some(Some(event)) => {
                    apply(event);
                    frame.get_or_insert_with(NextFrame::new);
                }
                Some(None) => break,
            }
        }
        render();
    }
}

// Nothing in it is pinned: the socket is polled through its `Unpin` session.
impl<C: Codec> Unpin for ReconnectEvents<C> {}

impl<C: Codec> Stream for ReconnectEvents<C> {
    type Item = ReconnectEvent<C::Incoming>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        if this.ended {
            return Poll::Ready(None);
        }
        let event = match ready!(this.socket.session.with(|s| s.poll_next_happened(cx))) {
            None => {
                this.ended = true;
                return Poll::Ready(None);
            }
            Some(Happened::Received(Ok(message))) => match this.codec.decode(message) {
                Ok(value) => ReconnectEvent::Message(value),
                Err(error) => ReconnectEvent::Error(error),
            },
            Some(Happened::Received(Err(error))) => ReconnectEvent::Error(error),
            Some(Happened::Recorded(recorded)) => recorded.event(),
            Some(Happened::Lagged(skipped)) => ReconnectEvent::Lagged { skipped },
        };
        Poll::Ready(Some(event))
    }
}

impl<C: Codec> FusedStream for ReconnectEvents<C> {
    fn is_terminated(&self) -> bool {
        self.ended
    }
}
