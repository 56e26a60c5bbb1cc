//! What a reconnecting socket tells its readers: what it is doing now ([`ReconnectStatus`]), what
//! happened to it in order ([`ReconnectEvent`], read by [`ReconnectEvents`]), and its messages
//! and events as one ordered stream for a view ([`SocketUpdate`], read by [`SocketUpdates`]).

use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};
use std::time::Duration;

use futures::stream::FusedStream;
use futures::{Stream, StreamExt};

use super::session::{Happened, Session};
use super::ReconnectingSocket;
use crate::close::{CloseEvent, ClosedBy};
use crate::codec::Codec;
use crate::error::{Error, GiveUpReason};
use crate::message::ReadyState;
use crate::platform::next_frame::NextFrame;
use crate::socket::events::MessageKind;

/// What a [`ReconnectingSocket`](super::ReconnectingSocket) is doing now; see
/// [`ReconnectingSocket::status`](super::ReconnectingSocket::status).
///
/// ```
/// use std::time::Duration;
/// use wasm_websocket::ReconnectStatus;
/// let status = ReconnectStatus::Waiting { attempt: 3, delay: Duration::from_secs(2) };
/// assert_eq!(status.to_string(), "reconnecting in 2s (attempt 3)");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ReconnectStatus {
    /// Started with [`connect_on_start(false)`](super::ReconnectBuilder::connect_on_start), or
    /// after [`disconnect`](super::ReconnectingSocket::disconnect): waits for
    /// [`connect`](super::ReconnectingSocket::connect).
    Idle,
    /// The browser is offline (`navigator.onLine` is false): the next attempt waits for its
    /// `online` event, or for [`ReconnectingSocket::reconnect`](super::ReconnectingSocket::reconnect).
    Offline,
    /// Attempt `attempt` (1 for the first) is under way.
    Connecting {
        /// The attempt's number, counting from 1 over the socket's life.
        attempt: u32,
    },
    /// Connected.
    Open,
    /// Waiting out the backoff before attempt `attempt`.
    Waiting {
        /// The number the next attempt will have.
        attempt: u32,
        /// The jittered wait, from when it began.
        delay: Duration,
    },
    /// Stopped for good, and why.
    GaveUp(GiveUpReason),
}

impl std::fmt::Display for ReconnectStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReconnectStatus::Idle => f.write_str("idle"),
            ReconnectStatus::Offline => f.write_str("offline"),
            ReconnectStatus::Connecting { attempt } => write!(f, "connecting (attempt {attempt})"),
            ReconnectStatus::Open => f.write_str("open"),
            ReconnectStatus::Waiting { attempt, delay } => {
                write!(f, "reconnecting in {delay:?} (attempt {attempt})")
            }
            ReconnectStatus::GaveUp(reason) => write!(f, "gave up: {reason}"),
        }
    }
}

/// What happened to a [`ReconnectingSocket`](super::ReconnectingSocket), in order.
///
/// ```
/// use std::time::Duration;
/// use wasm_websocket::ReconnectEvent;
/// let ev = ReconnectEvent::ReconnectScheduled { attempt: 2, delay: Duration::from_millis(300) };
/// assert!(matches!(ev, ReconnectEvent::ReconnectScheduled { attempt: 2, .. }));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ReconnectEvent {
    /// No connection and no attempt until [`connect`](super::ReconnectingSocket::connect): started
    /// with [`connect_on_start(false)`](super::ReconnectBuilder::connect_on_start), or after
    /// [`disconnect`](super::ReconnectingSocket::disconnect). Sends wait in the queue.
    Idle,
    /// The browser is offline (`navigator.onLine` is false): the next attempt waits for its
    /// `online` event (or for `reconnect()`).
    Offline,
    /// Connection attempt `attempt` (1 for the first) has started.
    Connecting {
        /// The attempt's number, counting from 1 over the socket's life.
        attempt: u32,
    },
    /// The connection is open; queued messages follow on it, in order, as fast as the
    /// high-water mark allows.
    Open,
    /// A message arrived (heartbeat pongs are not reported nor yielded).
    Message(MessageKind),
    /// The connection closed, or an attempt failed.
    Disconnected {
        /// How it ended. Made by the socket, not the browser, when `by` is not
        /// [`ClosedBy::Peer`] (see [`ClosedBy`]).
        close: CloseEvent,
        /// Who ended it.
        by: ClosedBy,
    },
    /// The next attempt will start after `delay`, unless the browser comes back online first.
    ReconnectScheduled {
        /// The number the next attempt will have.
        attempt: u32,
        /// The jittered wait.
        delay: Duration,
    },
    /// A send the socket made itself (a queued message, a heartbeat ping) failed. The message
    /// stays first in the queue, the same error is an item of the message stream, and the
    /// connection is closed with [`CloseCode::SEND_FAILED`](crate::CloseCode::SEND_FAILED) so the
    /// next one retries it.
    SendFailed(Error),
    /// Nobody read the events for a while: this many older ones were let go (the log keeps the
    /// newest 1,024). Comes before the events that were kept.
    Lagged {
        /// How many were let go.
        skipped: u64,
    },
    /// No more attempts, and why. Always the last event.
    GaveUp(GiveUpReason),
}

/// The [`ReconnectEvent`]s of a [`ReconnectingSocket`](super::ReconnectingSocket), ending after
/// [`ReconnectEvent::GaveUp`](super::ReconnectEvent::GaveUp). One stream reads them at a time;
/// dropping it lets [`events`](super::ReconnectingSocket::events) make another, which goes on
/// where this one stopped.
///
/// ```no_run
/// # async fn f(socket: wasm_websocket::ReconnectingSocket) {
/// use futures::StreamExt;
/// let mut events = socket.events().expect("recording, and no other reader");
/// while let Some(event) = events.next().await {
///     println!("{event:?}");
/// }
/// # }
/// ```
#[derive(Debug)]
#[must_use = "streams do nothing unless polled"]
pub struct ReconnectEvents {
    pub(super) session: Rc<Session>,
}

impl Stream for ReconnectEvents {
    type Item = ReconnectEvent;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<ReconnectEvent>> {
        self.session.with(|s| {
            let ended = s.ended.is_some();
            match s.events.as_mut() {
                Some(log) => log.poll_next(ended, cx),
                None => Poll::Ready(None),
            }
        })
    }
}

impl FusedStream for ReconnectEvents {
    fn is_terminated(&self) -> bool {
        self.session.with(|s| {
            let ended = s.ended.is_some();
            s.events.as_ref().is_none_or(|log| ended && log.is_read())
        })
    }
}

impl Drop for ReconnectEvents {
    fn drop(&mut self) {
        self.session.release_events();
    }
}

/// One item of [`SocketUpdates`](super::SocketUpdates): everything a view of a
/// [`ReconnectingSocket`](super::ReconnectingSocket) shows, in the order it happened.
///
/// ```
/// use wasm_websocket::SocketUpdate;
/// let update: SocketUpdate<String> = SocketUpdate::Message("hi".into());
/// assert!(matches!(update, SocketUpdate::Message(ref m) if m == "hi"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SocketUpdate<T> {
    /// A message, decoded.
    Message(T),
    /// A message that did not decode, a send the socket failed to make, or why it gave up
    /// ([`Error::GaveUp`], the last error).
    Error(Error),
    /// A connection opened (the first or a later one).
    Opened,
    /// A connection closed, or an attempt failed.
    Closed {
        /// How it ended.
        close: CloseEvent,
        /// Who ended it.
        by: ClosedBy,
    },
    /// The ready state or the status changed; the first item says where the socket is when the
    /// stream starts.
    State {
        /// The current connection's ready state.
        ready_state: ReadyState,
        /// What the socket is doing.
        status: ReconnectStatus,
    },
}

/// A [`ReconnectingSocket`]'s decoded messages, errors, opens, closes and state changes as one
/// stream, in the order they happened: what a view of the socket needs, read by one task.
/// Made by [`ReconnectingSocket::updates`]; ends when the socket has ended and everything was
/// read. Dropping it drops the socket.
///
/// Each item comes in the order the socket received or recorded it: a message after the
/// [`Opened`](SocketUpdate::Opened) of its connection and before its
/// [`Closed`](SocketUpdate::Closed), a state as it was just after the event that made it. Events
/// let go while nobody read them (see [`ReconnectEvent::Lagged`]) are missing; no message is.
///
/// ```no_run
/// # async fn f(socket: wasm_websocket::ReconnectingSocket) {
/// use futures::StreamExt;
/// use wasm_websocket::{SocketUpdate, Untyped};
///
/// let mut updates = socket.updates(Untyped).ok().expect("recording events, no other reader");
/// while let Some(update) = updates.next().await {
///     match update {
///         SocketUpdate::Message(m) => println!("{m:?}"),
///         SocketUpdate::State { status, .. } => println!("{status}"),
///         _ => {}
///     }
/// }
/// # }
/// ```
#[derive(Debug)]
#[must_use = "streams do nothing unless polled"]
pub struct SocketUpdates<C: Codec> {
    pub(super) socket: ReconnectingSocket,
    /// Held for its claim on the event log: no other reader while this stream lives.
    pub(super) _events: ReconnectEvents,
    pub(super) codec: C,
    /// The state last reported; `None` before the first item.
    pub(super) reported: Option<(ReadyState, ReconnectStatus)>,
    pub(super) ended: bool,
    pub(super) ready: VecDeque<SocketUpdate<C::Incoming>>,
}

impl<C: Codec> SocketUpdates<C> {
    /// The socket, for its handle, state and controls.
    ///
    /// ```no_run
    /// # fn f(updates: wasm_websocket::SocketUpdates<wasm_websocket::Untyped>) {
    /// let handle = updates.socket().handle();
    /// # }
    /// ```
    pub fn socket(&self) -> &ReconnectingSocket {
        &self.socket
    }

    /// Reads every update until the socket has ended: `apply` gets each one at once, in order;
    /// `render` is called after changes at most once per animation frame, and once at the end.
    /// What a view of the socket needs: its state exact after every update (callbacks see each
    /// message), its rendering paced by the browser, so a burst of messages costs a render per
    /// frame, not per message. While the browser renders no frames (a hidden tab), `render`
    /// comes every 250 ms, or as seldom as the browser runs timers there.
    ///
    /// ```no_run
    /// # async fn f(socket: wasm_websocket::ReconnectingSocket) {
    /// use std::cell::Cell;
    /// use wasm_websocket::{SocketUpdate, Untyped};
    ///
    /// let received = Cell::new(0);
    /// let updates = socket.updates(Untyped).ok().expect("recording events");
    /// updates
    ///     .relay(
    ///         |update| {
    ///             if let SocketUpdate::Message(_) = update {
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
        mut apply: impl FnMut(SocketUpdate<C::Incoming>),
        mut render: impl FnMut(),
    ) {
        let mut frame: Option<NextFrame> = None;
        loop {
            // The frame first: a flood of updates never holds the render back.
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
                Some(Some(update)) => {
                    apply(update);
                    frame.get_or_insert_with(NextFrame::new);
                }
                Some(None) => break,
            }
        }
        render();
    }

    /// Queues a state update if the state differs from the last one reported.
    fn report(&mut self, ready_state: ReadyState, status: ReconnectStatus) {
        let now = (ready_state, status);
        if self.reported.as_ref() != Some(&now) {
            self.reported = Some(now.clone());
            self.ready.push_back(SocketUpdate::State {
                ready_state: now.0,
                status: now.1,
            });
        }
    }

    /// Queues what `happened` shows: a message (decoded) or error, or an open or close with
    /// the state it left the socket in.
    fn queue(&mut self, happened: Happened) {
        match happened {
            Happened::Received(Ok(message)) => {
                self.ready.push_back(match self.codec.decode(message) {
                    Ok(value) => SocketUpdate::Message(value),
                    Err(error) => SocketUpdate::Error(error),
                })
            }
            Happened::Received(Err(error)) => self.ready.push_back(SocketUpdate::Error(error)),
            Happened::Recorded(logged) => {
                match logged.event {
                    ReconnectEvent::Open => self.ready.push_back(SocketUpdate::Opened),
                    ReconnectEvent::Disconnected { close, by } => {
                        self.ready.push_back(SocketUpdate::Closed { close, by });
                    }
                    _ => {}
                }
                // A close sets none: what follows it (a wait, an attempt, idle, the end) does.
                if let Some((ready_state, status)) = logged.state {
                    self.report(ready_state, status);
                }
            }
        }
    }
}

// Nothing in it is pinned: the socket and the events are polled through `Unpin` handles.
impl<C: Codec> Unpin for SocketUpdates<C> {}

impl<C: Codec> Stream for SocketUpdates<C> {
    type Item = SocketUpdate<C::Incoming>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        if this.reported.is_none() {
            this.report(this.socket.ready_state(), this.socket.status());
        }
        loop {
            if let Some(update) = this.ready.pop_front() {
                return Poll::Ready(Some(update));
            }
            if this.ended {
                return Poll::Ready(None);
            }
            match this.socket.session().with(|s| s.poll_next_happened(cx)) {
                Poll::Ready(Some(happened)) => this.queue(happened),
                Poll::Ready(None) => {
                    this.ended = true;
                    this.report(this.socket.ready_state(), this.socket.status());
                }
                Poll::Pending => return Poll::Pending,
            }
        }
    }
}

impl<C: Codec> FusedStream for SocketUpdates<C> {
    fn is_terminated(&self) -> bool {
        self.ended && self.ready.is_empty()
    }
}
