use crate::CloseEvent;

/// A lifecycle event of a socket, in the order the browser dispatched it.
///
/// Read them from [`WebSocket::events`](crate::WebSocket::events). The message stream and the event
/// stream see the same connection: each [`Event::Message`] corresponds to one item of the message
/// stream, in the same order, but the event is recorded when the browser dispatches it, while the
/// message item may come later (a Blob is still being read). `Error` always comes right before
/// `Close`, and carries nothing: the close event has the facts.
///
/// ```
/// use wasm_websocket::{Event, MessageKind};
/// let ev = Event::Message(MessageKind::Text);
/// assert!(matches!(ev, Event::Message(MessageKind::Text)));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// The connection opened (and its subprotocol, if any was requested, was accepted).
    Open,
    /// A message was dispatched.
    Message(MessageKind),
    /// The browser fired `error`: the connection failed or was dropped. A `Close` follows.
    Error,
    /// The connection is closed. Always the last event.
    Close(CloseEvent),
}

/// What kind of message an [`Event::Message`] announced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MessageKind {
    /// A text message.
    Text,
    /// A binary message (`ArrayBuffer` or `Blob`).
    Binary,
}
