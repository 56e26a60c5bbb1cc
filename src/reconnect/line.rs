//! The send line of a reconnecting socket: the queue of messages waiting for a connection, and
//! what it does when full ([`QueuePolicy`]).

use std::collections::VecDeque;

use crate::error::{Error, TrySendError};
use crate::message::Message;
use crate::socket::shared::SendLine;

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
/// The messages of a reconnecting socket that wait for a connection, or for room in the
/// browser's buffer: the one line every send joins, so that they reach the wire in the order the
/// sends started.
#[derive(Debug)]
pub(crate) struct SendQueue {
    /// Each message with its number, one more for each message queued: the number at the front
    /// says which have left.
    messages: VecDeque<(u64, Message)>,
    /// The number the next message gets.
    next: u64,
    capacity: usize,
    policy: QueuePolicy,
    /// The sends waiting for room in a full queue, in the order they started; nothing is queued
    /// past them.
    pub(crate) room: SendLine,
}

impl SendQueue {
    pub(crate) fn new(capacity: usize, policy: QueuePolicy) -> SendQueue {
        SendQueue {
            messages: VecDeque::new(),
            next: 0,
            capacity,
            policy,
            room: SendLine::default(),
        }
    }

    /// Queues `message` (making room by the policy); its number, or the message given back.
    pub(crate) fn push(&mut self, message: Message) -> Result<u64, TrySendError> {
        if self.messages.len() >= self.capacity {
            // DropOldest makes room by dropping the oldest; at capacity 0 there is none to drop,
            // and the new message is refused rather than silently lost.
            if self.policy == QueuePolicy::RejectNew || self.messages.pop_front().is_none() {
                return Err(TrySendError::new(self.full(), message));
            }
        }
        let number = self.next;
        self.next = number.wrapping_add(1);
        self.messages.push_back((number, message));
        Ok(number)
    }

    pub(crate) fn full(&self) -> Error {
        Error::QueueFull {
            capacity: self.capacity,
        }
    }

    /// Whether message `number` has left the queue (to the browser, or dropped by the policy).
    pub(crate) fn has_left(&self, number: u64) -> bool {
        self.messages
            .front()
            .is_none_or(|(front, _)| *front > number)
    }

    /// Takes message `number` back out, if it has not left: its send was given up.
    pub(crate) fn remove(&mut self, number: u64) -> Option<Message> {
        let i = self.messages.iter().position(|(n, _)| *n == number)?;
        self.messages.remove(i).map(|(_, message)| message)
    }

    pub(crate) fn len(&self) -> usize {
        self.messages.len()
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.messages.is_empty()
    }

    pub(crate) fn has_room(&self) -> bool {
        self.messages.len() < self.capacity
            || (self.policy == QueuePolicy::DropOldest && self.capacity > 0)
    }

    pub(crate) fn pop(&mut self) -> Option<(u64, Message)> {
        self.messages.pop_front()
    }

    /// Puts a message popped by [`SendQueue::pop`] back first, with its number.
    pub(crate) fn unpop(&mut self, entry: (u64, Message)) {
        self.messages.push_front(entry);
    }

    pub(crate) fn take_all(&mut self) -> Vec<Message> {
        self.messages
            .drain(..)
            .map(|(_, message)| message)
            .collect()
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
        assert_eq!(q.push(text("a")).unwrap(), 0);
        assert_eq!(q.push(text("b")).unwrap(), 1);
        assert!(!q.has_left(0) && !q.has_left(1));
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
        let c = q.pop().unwrap();
        assert_eq!(c.1, text("c"));
        q.unpop(c);
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

    #[wasm_bindgen_test(unsupported = test)]
    fn a_message_has_left_once_every_one_before_it_and_itself_have() {
        let mut q = SendQueue::new(4, QueuePolicy::RejectNew);
        for s in ["a", "b", "c"] {
            q.push(text(s)).unwrap();
        }
        assert_eq!(q.remove(1), Some(text("b")), "given up");
        let a = q.pop().unwrap();
        assert!(q.has_left(0) && q.has_left(1) && !q.has_left(2));
        q.unpop(a);
        assert!(!q.has_left(0), "back at the front: not left");
        assert_eq!(q.take_all(), [text("a"), text("c")]);
        assert!(q.has_left(2));
    }
}
