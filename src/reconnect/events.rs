//! What a reconnecting socket tells its reader: what it is doing ([`ReconnectStatus`]), and what
//! happened to it, messages included, in order ([`ReconnectEvent`], read by
//! [`ReconnectEvents`](super::ReconnectEvents)). The status is the last
//! [`ReconnectEvent::Status`].

use std::time::Duration;

use crate::close::{CloseEvent, ClosedBy};
use crate::error::{Error, GiveUpReason};
use crate::message::{Message, ReadyState};

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
    /// The last connection was closed because its reader fell behind
    /// ([`Error::ReceiveBufferFull`](crate::Error::ReceiveBufferFull), 4902): the next attempt
    /// waits until the socket's reader has read all but half the
    /// [receive limit](crate::Builder::receive_limit), since a connection with no room left
    /// would be closed again at its first message.
    ReaderBehind,
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
            ReconnectStatus::ReaderBehind => f.write_str("waiting for the reader to catch up"),
            ReconnectStatus::Waiting { attempt, delay } => {
                write!(f, "reconnecting in {delay:?} (attempt {attempt})")
            }
            ReconnectStatus::GaveUp(reason) => write!(f, "gave up: {reason}"),
        }
    }
}

impl ReconnectStatus {
    /// The ready state a connection has while the socket is in this status: `Open` while
    /// open, `Connecting` during an attempt, `Closed` otherwise.
    ///
    /// ```
    /// use wasm_websocket::{ReadyState, ReconnectStatus};
    /// assert_eq!(ReconnectStatus::Open.ready_state(), ReadyState::Open);
    /// assert_eq!(ReconnectStatus::Idle.ready_state(), ReadyState::Closed);
    /// ```
    pub fn ready_state(&self) -> ReadyState {
        match self {
            ReconnectStatus::Connecting { .. } => ReadyState::Connecting,
            ReconnectStatus::Open => ReadyState::Open,
            _ => ReadyState::Closed,
        }
    }
}

/// What happened to a [`ReconnectingSocket`](super::ReconnectingSocket), in order: its status
/// changes, its connections' ends, and its messages and errors between them.
///
/// Each item comes in the order the socket received or recorded it: a message after the
/// [`Status`](ReconnectEvent::Status)`(`[`Open`](ReconnectStatus::Open)`)` of its connection and
/// before the [`Disconnected`](ReconnectEvent::Disconnected) that ends it.
///
/// ```
/// use wasm_websocket::{Message, ReconnectEvent, ReconnectStatus};
/// let event: ReconnectEvent = ReconnectEvent::Status(ReconnectStatus::Open);
/// assert_eq!(event.status(), Some(&ReconnectStatus::Open));
/// let message: ReconnectEvent = ReconnectEvent::Message(Message::Text("hi".into()));
/// assert_eq!(message.status(), None);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ReconnectEvent<T = Message> {
    /// The socket's status changed: it is idle, offline, connecting, open, waiting to retry, or
    /// has given up (always the last event). The first event says where it started.
    Status(ReconnectStatus),
    /// A message arrived, decoded (heartbeat pongs are not reported).
    Message(T),
    /// A message that did not decode, a fault on the connection, a send the socket made itself
    /// that failed (the message stays first in the queue and the connection is closed with
    /// [`CloseCode::SEND_FAILED`](crate::CloseCode::SEND_FAILED) so the next one retries it),
    /// or [`Error::GaveUp`], just before the last status when the socket gave up.
    Error(Error),
    /// The connection closed, or an attempt failed.
    Disconnected {
        /// How it ended. Made by the socket, not the browser, when `by` is not
        /// [`ClosedBy::Peer`] (see [`ClosedBy`]).
        close: CloseEvent,
        /// Who ended it.
        by: ClosedBy,
    },
    /// The reader fell so far behind that this many of the oldest status changes and closes
    /// were let go (the socket keeps the newest 1,024 unread). Comes before the ones kept, so
    /// the last status is always seen. Messages are never let go.
    Lagged {
        /// How many were let go.
        skipped: u64,
    },
}

impl<T> ReconnectEvent<T> {
    /// The status this event sets, if it sets one.
    ///
    /// ```
    /// use wasm_websocket::{ReconnectEvent, ReconnectStatus};
    /// let event: ReconnectEvent = ReconnectEvent::Status(ReconnectStatus::Idle);
    /// assert_eq!(event.status(), Some(&ReconnectStatus::Idle));
    /// ```
    pub fn status(&self) -> Option<&ReconnectStatus> {
        match self {
            ReconnectEvent::Status(status) => Some(status),
            _ => None,
        }
    }
}

/// A lifecycle change as the socket keeps it for its reader: the events that are not messages.
#[derive(Debug)]
pub(super) enum Lifecycle {
    Status(ReconnectStatus),
    Disconnected { close: CloseEvent, by: ClosedBy },
}

impl Lifecycle {
    pub(super) fn event<T>(self) -> ReconnectEvent<T> {
        match self {
            Lifecycle::Status(status) => ReconnectEvent::Status(status),
            Lifecycle::Disconnected { close, by } => ReconnectEvent::Disconnected { close, by },
        }
    }
}
