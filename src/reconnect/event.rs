//! What happened to a reconnecting socket, in order.

use std::time::Duration;

use crate::{CloseEvent, MessageKind};

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
    /// Connection attempt `attempt` (1 for the first) has started.
    Connecting {
        /// The attempt's number, counting from 1 over the socket's life.
        attempt: u32,
    },
    /// The connection is open; queued messages have been handed to it.
    Open,
    /// A message arrived (heartbeat pongs are not reported nor yielded).
    Message(MessageKind),
    /// The connection closed, or an attempt failed, with this close event.
    Disconnected(CloseEvent),
    /// The next attempt will start after `delay`, unless the browser comes back online first.
    ReconnectScheduled {
        /// The number the next attempt will have.
        attempt: u32,
        /// The jittered wait.
        delay: Duration,
    },
    /// No more attempts: the retry limit was reached, the close policy said so, a permanent
    /// error occurred, or the socket was closed by its user. Always the last event.
    GaveUp,
}
