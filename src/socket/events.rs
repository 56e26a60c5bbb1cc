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
        held::changed(1, 0);
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
                held::changed(0, 1);
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

impl Drop for EventQueue {
    fn drop(&mut self) {
        held::changed(0, self.queue.len());
    }
}

/// With the `test-util` feature: how many recorded events wait unread on this thread, so that a
/// test can see a log grow that nobody reads.
mod held {
    #[cfg(feature = "test-util")]
    thread_local!(static HELD: std::cell::Cell<usize> = const { std::cell::Cell::new(0) });

    #[cfg(feature = "test-util")]
    pub(super) fn changed(added: usize, taken: usize) {
        HELD.set(HELD.get().saturating_add(added).saturating_sub(taken));
    }

    #[cfg(not(feature = "test-util"))]
    pub(super) fn changed(_added: usize, _taken: usize) {}

    /// Test-only (feature `test-util`): the recorded events ([`Builder::record_events`](crate::Builder::record_events))
    /// that wait unread on this thread.
    #[cfg(feature = "test-util")]
    pub fn recorded_events() -> usize {
        HELD.get()
    }
}

#[cfg(feature = "test-util")]
pub use held::recorded_events;
