//! The recorded events of a reconnecting socket, until its one reader takes them. Bounded: an
//! unread log keeps the newest events and says how many older ones it let go.

use std::collections::VecDeque;
use std::task::{Context, Poll, Waker};

use super::ReconnectEvent;

/// At most this many events wait unread; past it the oldest go, counted in a
/// [`ReconnectEvent::Lagged`].
pub(super) const KEPT_EVENTS: usize = 1_024;

#[derive(Debug, Default)]
pub(super) struct EventLog {
    events: VecDeque<ReconnectEvent>,
    /// Events dropped unread since the reader last looked.
    skipped: u64,
    reader: Option<Waker>,
    /// A [`ReconnectEvents`](super::ReconnectEvents) stream is reading the log.
    taken: bool,
}

impl EventLog {
    /// Records an event; returns the reader to wake.
    pub(super) fn push(&mut self, event: ReconnectEvent) -> Option<Waker> {
        if self.events.len() >= KEPT_EVENTS && self.events.pop_front().is_some() {
            self.skipped = self.skipped.saturating_add(1);
        }
        self.events.push_back(event);
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
            Some(event) => Poll::Ready(Some(event)),
            None if ended => Poll::Ready(None),
            None => {
                self.reader = Some(cx.waker().clone());
                Poll::Pending
            }
        }
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
