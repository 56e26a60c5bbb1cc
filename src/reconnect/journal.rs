//! What a reconnecting socket's readers have not read yet: the received messages ([`Inbox`]),
//! bounded together with the connection's own queue by the connection's receive limit, and the
//! recorded events ([`EventLog`]), until its one reader takes them. Bounded: an unread log keeps
//! the newest events and says how many older ones it let go. Each event is numbered, and kept
//! with the state it left the socket in, so that [`SocketUpdates`](super::SocketUpdates) can put
//! the received messages between them.

use std::collections::VecDeque;
use std::task::{Context, Poll, Waker};

use super::{ReconnectEvent, ReconnectStatus};
use crate::error::Error;
use crate::message::{Message, ReadyState};

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

/// An event and, if it set the status, the state the socket was in just after it.
#[derive(Debug)]
pub(super) struct Logged {
    pub(super) event: ReconnectEvent,
    pub(super) state: Option<(ReadyState, ReconnectStatus)>,
}

/// At most this many events wait unread; past it the oldest go, counted in a
/// [`ReconnectEvent::Lagged`].
pub(super) const KEPT_EVENTS: usize = 1_024;

#[derive(Debug, Default)]
pub(super) struct EventLog {
    events: VecDeque<Logged>,
    /// How many events were ever recorded: the next one's number.
    pushed: u64,
    /// Events dropped unread since the reader last looked.
    skipped: u64,
    reader: Option<Waker>,
    /// A [`ReconnectEvents`](super::ReconnectEvents) stream is reading the log.
    taken: bool,
}

impl EventLog {
    /// Records an event; returns the reader to wake.
    pub(super) fn push(&mut self, logged: Logged) -> Option<Waker> {
        if self.events.len() >= KEPT_EVENTS && self.events.pop_front().is_some() {
            self.skipped = self.skipped.saturating_add(1);
        }
        self.events.push_back(logged);
        self.pushed = self.pushed.saturating_add(1);
        self.reader.take()
    }

    /// The next event, a `Lagged` first where events were let go; `None` once `ended` and read.
    pub(super) fn poll_next(
        &mut self,
        ended: bool,
        cx: &Context<'_>,
    ) -> Poll<Option<ReconnectEvent>> {
        if self.skipped > 0 {
            let skipped = std::mem::take(&mut self.skipped);
            return Poll::Ready(Some(ReconnectEvent::Lagged { skipped }));
        }
        match self.events.pop_front() {
            Some(logged) => Poll::Ready(Some(logged.event)),
            None if ended => Poll::Ready(None),
            None => {
                self.reader = Some(cx.waker().clone());
                Poll::Pending
            }
        }
    }

    /// The number the next recorded event will have: a received message stamped with it came
    /// before that event.
    pub(super) fn pushed(&self) -> u64 {
        self.pushed
    }

    /// The number of the oldest unread event, if there is one.
    pub(super) fn next_number(&self) -> Option<u64> {
        let unread = u64::try_from(self.events.len()).unwrap_or(u64::MAX);
        (unread > 0).then(|| self.pushed.saturating_sub(unread))
    }

    /// The oldest unread event, for a reader that orders by number (and so has no use for
    /// `Lagged`).
    pub(super) fn pop(&mut self) -> Option<Logged> {
        self.skipped = 0;
        self.events.pop_front()
    }

    /// Wakes `cx` at the next event.
    pub(super) fn wait(&mut self, cx: &Context<'_>) {
        self.reader = Some(cx.waker().clone());
    }

    pub(super) fn is_read(&self) -> bool {
        self.events.is_empty() && self.skipped == 0
    }

    pub(super) fn take_reader(&mut self) -> Option<Waker> {
        self.reader.take()
    }

    /// Claims the log for one reader; false if another has it.
    pub(super) fn claim(&mut self) -> bool {
        !std::mem::replace(&mut self.taken, true)
    }

    pub(super) fn release(&mut self) {
        self.taken = false;
        self.reader = None;
    }
}
