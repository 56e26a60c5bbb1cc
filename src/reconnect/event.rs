//! What happened to a reconnecting socket, in order.

use std::time::Duration;

use crate::close::{CloseEvent, ClosedBy};
use crate::error::{Error, GiveUpReason};
use crate::socket::events::MessageKind;

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
