//! What a reconnecting socket's reader has not read yet: the received messages ([`Inbox`]),
//! bounded together with the connection's own queue by the connection's receive limit, and the
//! lifecycle changes ([`EventLog`]). Bounded: an unread log keeps the newest changes and says how
//! many older ones it let go. Each change is numbered and each message stamped with the number
//! of the change after it, so that [`ReconnectEvents`](super::ReconnectEvents) puts them in the
//! order they happened.

use std::collections::VecDeque;
use std::task::{Context, Poll, Waker};

use super::events::Lifecycle;
use crate::error::Error;
use crate::message::Message;

#[derive(Debug, Default)]
pub(super) struct Inbox {
    /// Each item with the number of the first event recorded after it (see
    /// [`EventLog::pushed`](EventLog::pushed)).
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

/// At most this many lifecycle changes wait unread; past it the oldest go, counted in a
/// [`ReconnectEvent::Lagged`](super::ReconnectEvent::Lagged).
pub(super) const KEPT_EVENTS: usize = 1_024;

/// The lifecycle changes not read yet. Messages are not kept here: a burst of them never
/// pushes an open or a close out.
#[derive(Debug, Default)]
pub(super) struct EventLog {
    events: VecDeque<Lifecycle>,
    /// How many were ever recorded: the next one's number.
    pushed: u64,
    /// How many were let go unread since the reader last looked.
    skipped: u64,
    reader: Option<Waker>,
}

impl EventLog {
    /// Records a change; returns the reader to wake.
    pub(super) fn push(&mut self, change: Lifecycle) -> Option<Waker> {
        if self.events.len() >= KEPT_EVENTS && self.events.pop_front().is_some() {
            self.skipped = self.skipped.saturating_add(1);
        }
        self.events.push_back(change);
        self.pushed = self.pushed.saturating_add(1);
        self.reader.take()
    }

    /// The number the next recorded change will have: a received message stamped with it came
    /// before that change.
    pub(super) fn pushed(&self) -> u64 {
        self.pushed
    }

    /// The number of the oldest unread change, if there is one.
    pub(super) fn next_number(&self) -> Option<u64> {
        let unread = u64::try_from(self.events.len()).unwrap_or(u64::MAX);
        (unread > 0).then(|| self.pushed.saturating_sub(unread))
    }

    /// How many changes were let go since the last call.
    pub(super) fn take_skipped(&mut self) -> u64 {
        std::mem::take(&mut self.skipped)
    }

    pub(super) fn pop(&mut self) -> Option<Lifecycle> {
        self.events.pop_front()
    }

    /// Wakes `cx` at the next change.
    pub(super) fn wait(&mut self, cx: &Context<'_>) {
        self.reader = Some(cx.waker().clone());
    }

    pub(super) fn take_reader(&mut self) -> Option<Waker> {
        self.reader.take()
    }
}
