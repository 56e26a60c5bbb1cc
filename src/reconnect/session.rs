//! `Session`: the state a reconnecting socket's handles share with its driver, and the
//! transitions both sides make (events, deliveries, wake-ups, the end).

use std::cell::RefCell;
use std::future::{poll_fn, Future};
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use super::event_log::Logged;
use super::send_queue::SendQueue;
use super::state::{SessionState, Wanted};
use super::{ReconnectEvent, ReconnectStatus};
use crate::close::{CloseCode, CloseEvent};
use crate::error::{Error, GiveUpReason};
use crate::message::Message;
use crate::socket::websocket::WebSocket;

pub(super) struct Session {
    state: RefCell<SessionState>,
}

/// What the user did to the open connection, as its driver sees it.
pub(super) enum UserAction {
    Nothing,
    /// Closed it (`close`, `disconnect`, `reconnect`), with this close.
    Closed(CloseEvent),
    /// Dropped the socket.
    Dropped,
}

/// How a wait that the user can cut short ended.
pub(super) enum Outcome<T> {
    Done(T),
    /// `disconnect()`: back to idle.
    Paused,
    /// `close()` or dropped: for good.
    Stopped,
}

impl Session {
    pub(super) fn new(queue: SendQueue, record_events: bool, connect: bool) -> Rc<Session> {
        Rc::new(Session {
            state: RefCell::new(SessionState::new(queue, record_events, connect)),
        })
    }

    pub(super) fn with<R>(&self, f: impl FnOnce(&mut SessionState) -> R) -> R {
        f(&mut self.state.borrow_mut())
    }

    /// Lets another [`ReconnectEvents`](super::ReconnectEvents) read the events (from `Drop`:
    /// never a panic, even inside a borrow).
    pub(super) fn release_events(&self) {
        if let Ok(mut s) = self.state.try_borrow_mut() {
            if let Some(log) = s.events() {
                log.release();
            }
        }
    }

    /// Records `event` (if recording) and the status it implies.
    pub(super) fn emit(&self, event: ReconnectEvent) {
        let waker = self.with(|s| {
            let status = match &event {
                ReconnectEvent::Idle => Some(ReconnectStatus::Idle),
                ReconnectEvent::Offline => Some(ReconnectStatus::Offline),
                ReconnectEvent::Connecting { attempt } => {
                    Some(ReconnectStatus::Connecting { attempt: *attempt })
                }
                ReconnectEvent::Open => Some(ReconnectStatus::Open),
                ReconnectEvent::ReconnectScheduled { attempt, delay } => {
                    Some(ReconnectStatus::Waiting {
                        attempt: *attempt,
                        delay: *delay,
                    })
                }
                ReconnectEvent::GaveUp(reason) => Some(ReconnectStatus::GaveUp(reason.clone())),
                _ => None,
            };
            let sets_status = status.is_some();
            if let Some(status) = status {
                s.set_status(status);
            }
            s.events()?;
            // Only an event that sets the status makes a new state to keep: a message event
            // (one per message received) costs no ready-state read.
            let state = sets_status.then(|| (s.ready_state(), s.status().clone()));
            s.events()?.push(Logged { event, state })
        });
        if let Some(w) = waker {
            w.wake();
        }
    }

    /// See [`SessionState::poll_next_happened`].
    pub(super) fn poll_next_happened(
        &self,
        cx: &Context<'_>,
    ) -> Poll<Option<super::state::Happened>> {
        self.with(|s| s.poll_next_happened(cx))
    }

    pub(super) fn deliver(&self, item: Result<Message, Error>) {
        if let Some(w) = self.with(|s| s.deliver(item)) {
            w.wake();
        }
    }

    /// What the user did to the open connection; the driver is woken when that changes.
    pub(super) fn poll_user(&self, cx: &Context<'_>) -> UserAction {
        self.with(|s| {
            s.set_driver(cx);
            if let Some(close) = s.take_user_close() {
                return UserAction::Closed(close);
            }
            match s.wanted() {
                Wanted::Connected => UserAction::Nothing,
                Wanted::Closed { dropped: true } => UserAction::Dropped,
                // Asked while the connection was not open (the peer had begun to close it).
                _ => UserAction::Closed(CloseEvent::sent(CloseCode::NORMAL, "")),
            }
        })
    }

    pub(super) fn take_ping_now(&self) -> bool {
        self.with(SessionState::take_ping_now)
    }

    /// What cuts the driver's waits short now, if anything; the driver is woken when it changes.
    pub(super) fn interruption(&self, cx: &Context<'_>) -> Option<Outcome<()>> {
        self.with(|s| {
            s.set_driver(cx);
            match s.wanted() {
                Wanted::Connected => None,
                Wanted::Idle => Some(Outcome::Paused),
                Wanted::Closed { .. } => Some(Outcome::Stopped),
            }
        })
    }

    /// Runs `future` until it completes, or the user disconnects or closes the socket.
    pub(super) async fn unless_interrupted<F: Future + Unpin>(
        &self,
        mut future: F,
    ) -> Outcome<F::Output> {
        poll_fn(|cx| match self.interruption(cx) {
            Some(Outcome::Paused) => Poll::Ready(Outcome::Paused),
            Some(_) => Poll::Ready(Outcome::Stopped),
            None => Pin::new(&mut future).poll(cx).map(Outcome::Done),
        })
        .await
    }

    pub(super) fn wanted(&self) -> Wanted {
        self.with(|s| s.wanted())
    }

    /// Asks for `wanted` and wakes the driver to act on it.
    pub(super) fn want(&self, wanted: Wanted) {
        self.with(|s| s.set_wanted(wanted));
        self.wake_driver();
        self.wake_writers();
    }

    pub(super) fn wake_driver(&self) {
        if let Some(w) = self.with(SessionState::take_driver) {
            w.wake();
        }
    }

    pub(super) fn wake_writers(&self) {
        let writers = self.with(SessionState::take_writers);
        writers.into_iter().for_each(Waker::wake);
    }

    /// Asks the driver for an attempt now (the browser is online again, or the user asked).
    pub(super) fn want_attempt_now(&self) {
        self.with(SessionState::flag_attempt_now);
        self.wake_driver();
    }

    pub(super) fn take_attempt_now(&self) -> bool {
        self.with(SessionState::take_attempt_now)
    }

    /// The browser fired `online`: the network may have changed under an open connection, so
    /// its peer is checked at once; a waiting attempt starts at once.
    pub(super) fn network_changed(&self) {
        self.with(|s| {
            s.flag_attempt_now();
            s.flag_ping_now();
        });
        self.wake_driver();
    }

    /// Makes `ws` the connection to send on; the driver then flushes the queue onto it.
    pub(super) fn connected(&self, ws: &WebSocket) {
        self.with(|s| {
            s.take_ping_now();
            s.take_replace_connection();
            s.set_connection(Some(ws.link()));
        });
        self.wake_writers();
    }

    pub(super) fn disconnected(&self) {
        self.with(|s| s.set_connection(None));
        self.wake_writers();
    }

    /// The end: no connection, no attempt. Unless its user closed it, the message stream's last
    /// item says why; then both streams end and waiting writers learn it.
    pub(super) fn end(&self, reason: GiveUpReason) {
        if !matches!(reason, GiveUpReason::Closed { .. }) {
            self.deliver(Err(Error::GaveUp(reason.clone())));
        }
        self.emit(ReconnectEvent::GaveUp(reason.clone()));
        let wakers = self.with(|s| s.set_ended(reason));
        wakers.into_iter().flatten().for_each(Waker::wake);
        self.wake_writers();
    }
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session").finish_non_exhaustive()
    }
}
