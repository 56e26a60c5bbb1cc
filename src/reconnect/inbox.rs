//! Received messages waiting for the reader of a reconnecting socket, bounded together with the
//! connection's own queue by the connection's receive limit.

use std::collections::VecDeque;
use std::task::{Context, Poll, Waker};

use crate::error::Error;
use crate::message::Message;

#[derive(Debug, Default)]
pub(super) struct Inbox {
    /// Each item with the number of the first event recorded after it (see
    /// [`EventLog::pushed`](super::event_log::EventLog::pushed)).
    items: VecDeque<(u64, Result<Message, Error>)>,
    /// How many of the items are messages: errors report, they do not count against the limit.
    messages: usize,
    reader: Option<Waker>,
    /// The current connection's [`receive_limit`](crate::Builder::receive_limit): what this
    /// queue and the connection's together may hold unread.
    limit: Option<usize>,
}

impl Inbox {
    /// Adds an item; returns the reader to wake.
    pub(super) fn push(
        &mut self,
        item: Result<Message, Error>,
        before_event: u64,
    ) -> Option<Waker> {
        if item.is_ok() {
            self.messages = self.messages.saturating_add(1);
        }
        self.items.push_back((before_event, item));
        self.reader.take()
    }

    /// The next item; `None` once `ended` and empty.
    pub(super) fn poll_pop(
        &mut self,
        ended: bool,
        cx: &Context<'_>,
    ) -> Poll<Option<Result<Message, Error>>> {
        match self.items.pop_front() {
            Some((_, item)) => {
                if item.is_ok() {
                    self.messages = self.messages.saturating_sub(1);
                }
                Poll::Ready(Some(item))
            }
            None if ended => Poll::Ready(None),
            None => {
                self.reader = Some(cx.waker().clone());
                Poll::Pending
            }
        }
    }

    /// The number of the first event recorded after the oldest item.
    pub(super) fn front_before_event(&self) -> Option<u64> {
        self.items.front().map(|(before, _)| *before)
    }

    /// Wakes `cx` at the next item.
    pub(super) fn wait(&mut self, cx: &Context<'_>) {
        self.reader = Some(cx.waker().clone());
    }

    pub(super) fn take_reader(&mut self) -> Option<Waker> {
        self.reader.take()
    }

    /// Messages waiting (errors not counted).
    pub(super) fn messages(&self) -> usize {
        self.messages
    }

    pub(super) fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub(super) fn set_limit(&mut self, limit: Option<usize>) {
        self.limit = limit;
    }

    /// How many more unread messages the connection may hold: the limit less what waits here.
    pub(super) fn room_left(&self) -> Option<usize> {
        self.limit.map(|limit| limit.saturating_sub(self.messages))
    }
}
