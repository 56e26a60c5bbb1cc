//! `ClosedBy`: who ended a connection of a reconnecting socket.

/// Who ended a connection of a [`ReconnectingSocket`](crate::ReconnectingSocket), and so what its
/// [`CloseEvent`](crate::CloseEvent) is.
///
/// When the socket or its user ends a connection, the socket does not wait for the browser's
/// `close` event: a peer that is gone (a frozen server, a dropped NAT mapping) never answers the
/// closing handshake, and browsers give up on it only after their own timeout (20 s or more). The
/// close event reported is then made by the socket: the code and reason it sent, and
/// `was_clean: false`, unless the browser's own event had already come.
///
/// ```
/// use wasm_websocket::ClosedBy;
/// assert_ne!(ClosedBy::Peer, ClosedBy::Socket);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ClosedBy {
    /// The server or the network: the browser's own close event.
    Peer,
    /// The socket itself, with one of this crate's codes (4900–4909): no pong in time, a send it
    /// made failed, the receive limit, a message over the size limit.
    Socket,
    /// Its user: `reconnect()`, `disconnect()` or `close()`.
    User,
}
