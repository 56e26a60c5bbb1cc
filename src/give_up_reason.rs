//! `GiveUpReason`: why a reconnecting socket stopped for good. Beside `Error` rather than in
//! `reconnect/`, since `Error::GaveUp` carries it and errors sit below every other module.

use crate::{CloseEvent, ClosedBy, Error};

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
        match self {
            GiveUpReason::Closed { dropped: false } => f.write_str("closed by its user"),
            GiveUpReason::Closed { dropped: true } => f.write_str("dropped by its user"),
            GiveUpReason::RetryLimit { retries, last } => {
                write!(f, "{retries} retries failed, the last with: {last}")
            }
            GiveUpReason::ClosePolicy { close, by } => {
                let by = match by {
                    ClosedBy::Socket => ", closed by the socket",
                    _ => "",
                };
                write!(f, "the close policy declined ({close}{by})")
            }
            GiveUpReason::Fatal(error) => write!(f, "{error}"),
        }
    }
}
