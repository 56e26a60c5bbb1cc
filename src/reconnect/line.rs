//! The send line of a reconnecting socket: the queue of messages waiting for a connection, and
//! what it does when full ([`QueuePolicy`]).

use std::collections::VecDeque;

use crate::error::{Error, TrySendError};
use crate::message::Message;

/// What a [`ReconnectingSocket`](crate::ReconnectingSocket) does with a message sent while
/// disconnected when its queue is full.
///
/// ```
/// use wasm_websocket::QueuePolicy;
/// assert_eq!(QueuePolicy::default(), QueuePolicy::RejectNew);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum QueuePolicy {
    /// The new message is refused with [`Error::QueueFull`]; the queue keeps the older ones.
    #[default]
    RejectNew,
    /// The oldest queued message is dropped to make room (for state updates where only the
    /// latest matter).
    DropOldest,
}

/// Messages waiting for a connection, flushed in order when one opens.
#[derive(Debug)]
pub(crate) struct SendQueue {
    messages: VecDeque<Message>,
    capacity: usize,
    policy: QueuePolicy,
}

impl SendQueue {
    pub(crate) fn new(capacity: usize, policy: QueuePolicy) -> SendQueue {
        SendQueue {
            messages: VecDeque::new(),
            capacity,
            policy,
        }
    }

    /// Queues the message, or gives it back if the queue is full and refuses new ones.
    pub(crate) fn push(&mut self, message: Message) -> Result<(), TrySendError> {
        if self.messages.len() >= self.capacity {
            // DropOldest makes room by dropping the oldest; at capacity 0 there is none to drop,
            // and the new message is refused rather than silently lost.
            if self.policy == QueuePolicy::RejectNew || self.messages.pop_front().is_none() {
                let full = Error::QueueFull {
                    capacity: self.capacity,
                };
                return Err(TrySendError::new(full, message));
            }
        }
        self.messages.push_back(message);
        Ok(())
    }

    pub(crate) fn len(&self) -> usize {
        self.messages.len()
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.messages.is_empty()
    }

    /// Whether a push would keep the message without refusing it.
    pub(crate) fn has_room(&self) -> bool {
        self.messages.len() < self.capacity
            || (self.policy == QueuePolicy::DropOldest && self.capacity > 0)
    }

    pub(crate) fn pop(&mut self) -> Option<Message> {
        self.messages.pop_front()
    }

    /// Puts a message back at the head (its send failed).
    pub(crate) fn unpop(&mut self, message: Message) {
        self.messages.push_front(message);
    }

    pub(crate) fn take_all(&mut self) -> Vec<Message> {
        self.messages.drain(..).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    fn text(s: &str) -> Message {
        Message::Text(s.into())
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn reject_new_keeps_the_oldest_and_refuses_with_a_typed_error() {
        let mut q = SendQueue::new(2, QueuePolicy::RejectNew);
        q.push(text("a")).unwrap();
        q.push(text("b")).unwrap();
        let refused = q.push(text("c")).unwrap_err();
        assert_eq!(
            refused.into_parts(),
            (Error::QueueFull { capacity: 2 }, text("c"))
        );
        assert_eq!(q.take_all(), [text("a"), text("b")]);
        assert!(q.take_all().is_empty());
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn drop_oldest_keeps_the_newest_in_order() {
        let mut q = SendQueue::new(2, QueuePolicy::DropOldest);
        for s in ["a", "b", "c", "d"] {
            q.push(text(s)).unwrap();
        }
        assert_eq!(q.pop(), Some(text("c")));
        q.unpop(text("c"));
        assert_eq!(q.take_all(), [text("c"), text("d")]);
        let mut none = SendQueue::new(0, QueuePolicy::DropOldest);
        let refused = none.push(text("x")).unwrap_err();
        assert_eq!(
            refused.into_inner(),
            text("x"),
            "nothing can wait: given back"
        );
        assert!(!none.has_room());
    }
}
