//! `SocketUpdate`: one thing a view of a reconnecting socket has to show.

use crate::close::{CloseEvent, ClosedBy};
use crate::error::Error;
use crate::message::ReadyState;

use super::ReconnectStatus;

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
