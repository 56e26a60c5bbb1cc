//! What a reconnecting socket is doing now.

use std::time::Duration;

use crate::error::GiveUpReason;

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
