//! A socket's lifecycle events ([`Event`], [`MessageKind`]) and the queue that records them for
//! [`Events`](crate::socket::Events).

use std::collections::VecDeque;
use std::task::{Context, Poll, Waker};

use crate::close::CloseEvent;

/// A lifecycle event of a socket, in the order the browser dispatched it.
///
/// Read them from [`WebSocket::events`](crate::WebSocket::events). The message stream and the event
/// stream see the same connection: each [`Event::Message`] corresponds to one item of the message
/// stream, in the same order, but the event is recorded when the browser dispatches it, while the
/// message item may come later (a Blob is still being read). `Error` always comes right before
/// `Close`, and carries nothing: the close event has the facts.
///
/// ```
/// use wasm_websocket::socket::{Event, MessageKind};
/// let ev = Event::Message(MessageKind::Text);
/// assert!(matches!(ev, Event::Message(MessageKind::Text)));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
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
///
/// Not `#[non_exhaustive]`: the protocol has text and binary messages only (RFC 6455).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MessageKind {
    /// A text message.
    Text,
    /// A binary message (`ArrayBuffer` or `Blob`).
    Binary,
}

/// The events of one socket, recorded as the browser dispatches them (only when the builder
/// asked for it), until the [`Events`](crate::socket::Events) stream takes them.
#[derive(Debug, Default)]
pub(crate) struct EventQueue {
    queue: VecDeque<Event>,
    waker: Option<Waker>,
    terminated: bool,
}

impl EventQueue {
    pub(crate) fn record(&mut self, event: Event) {
        self.queue.push_back(event);
    }

    /// The reader to wake after a `record`.
    pub(crate) fn take_waker(&mut self) -> Option<Waker> {
        self.waker.take()
    }

    /// The next event; `None` once [`Event::Close`] has been taken.
    pub(crate) fn poll_next(&mut self, cx: &Context<'_>) -> Poll<Option<Event>> {
        match self.queue.pop_front() {
            Some(event) => {
                self.terminated = matches!(event, Event::Close(_));
                Poll::Ready(Some(event))
            }
            None if self.terminated => Poll::Ready(None),
            None => {
                self.waker = Some(cx.waker().clone());
                Poll::Pending
            }
        }
    }

    pub(crate) fn is_terminated(&self) -> bool {
        self.terminated
    }
}
