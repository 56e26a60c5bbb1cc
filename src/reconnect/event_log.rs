//! The recorded events of a reconnecting socket, until its one reader takes them. Bounded: an
//! unread log keeps the newest events and says how many older ones it let go. Each event is
//! numbered, and kept with the state it left the socket in, so that
//! [`SocketUpdates`](super::SocketUpdates) can put the received messages between them.

use std::collections::VecDeque;
use std::task::{Context, Poll, Waker};

use super::{ReconnectEvent, ReconnectStatus};
use crate::message::ReadyState;

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
