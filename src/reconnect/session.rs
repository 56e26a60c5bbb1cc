//! The state a reconnecting socket's handles share with its driver: the current connection, the
//! send queue, received messages and recorded events, the status, and how it ended.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::future::{poll_fn, Future};
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use super::send_queue::SendQueue;
use super::{ReconnectEvent, ReconnectStatus};
use crate::shared::{remember, Shared};
use crate::{Error, GiveUpReason, Message, ReadyState};

pub(super) struct SessionState {
    pub(super) current: Option<Rc<Shared>>,
    pub(super) queue: SendQueue,
    pub(super) messages: VecDeque<Result<Message, Error>>,
    pub(super) reader: Option<Waker>,
    pub(super) events: Option<VecDeque<ReconnectEvent>>,
    pub(super) events_reader: Option<Waker>,
    /// Tasks waiting to send or flush: woken when the queue drains or the connection changes.
    pub(super) writers: Vec<Waker>,
    pub(super) driver: Option<Waker>,
    pub(super) status: ReconnectStatus,
    /// Closed by the user (`close`) or dropped: no more attempts.
    pub(super) stopped: bool,
    pub(super) dropped: bool,
    /// An attempt is wanted now: the browser came back online, or `reconnect()` was called
    /// while waiting.
    pub(super) attempt_now: bool,
    /// `reconnect()` was called while connected: once this connection has closed, connect again
    /// at once, whatever the close policy and the backoff say.
    pub(super) replace_connection: bool,
    /// Set once, when the driver has finished.
    pub(super) gave_up: Option<GiveUpReason>,
}

impl SessionState {
    /// The connection, if there is one and it is open.
    pub(super) fn open_connection(&self) -> Option<Rc<Shared>> {
        self.current
            .as_ref()
            .filter(|shared| shared.ready_state() == ReadyState::Open)
            .cloned()
    }

    /// Why nothing more can be sent, once that is so.
    pub(super) fn refusal(&self) -> Option<Error> {
        match &self.gave_up {
            Some(GiveUpReason::ClosedByUser) => Some(Error::NotOpen(ReadyState::Closed)),
            Some(reason) => Some(Error::GaveUp(reason.clone())),
            None if self.stopped => Some(Error::NotOpen(ReadyState::Closed)),
            None => None,
        }
    }

    pub(super) fn wait_to_write(&mut self, cx: &Context<'_>) {
        remember(&mut self.writers, cx);
    }
}

pub(super) struct Session {
    pub(super) state: RefCell<SessionState>,
}

/// How a wait that the user can cut short ended.
pub(super) enum Outcome<T> {
    Done(T),
    Stopped,
}

impl Session {
    pub(super) fn new(queue: SendQueue, record_events: bool) -> Rc<Session> {
        Rc::new(Session {
            state: RefCell::new(SessionState {
                current: None,
                queue,
                messages: VecDeque::new(),
                reader: None,
                events: record_events.then(VecDeque::new),
                events_reader: None,
                writers: Vec::new(),
                driver: None,
                status: ReconnectStatus::Connecting { attempt: 1 },
                stopped: false,
                dropped: false,
                attempt_now: false,
                replace_connection: false,
                gave_up: None,
            }),
        })
    }

    pub(super) fn with<R>(&self, f: impl FnOnce(&mut SessionState) -> R) -> R {
        f(&mut self.state.borrow_mut())
    }

    /// Records `event` (if recording) and the status it implies.
    pub(super) fn emit(&self, event: ReconnectEvent) {
        let waker = self.with(|s| {
            match &event {
                ReconnectEvent::Connecting { attempt } => {
                    s.status = ReconnectStatus::Connecting { attempt: *attempt };
                }
                ReconnectEvent::Open => s.status = ReconnectStatus::Open,
                ReconnectEvent::ReconnectScheduled { attempt, delay } => {
                    s.status = ReconnectStatus::Waiting {
                        attempt: *attempt,
                        delay: *delay,
                    };
                }
                ReconnectEvent::GaveUp(reason) => {
                    s.status = ReconnectStatus::GaveUp(reason.clone())
                }
                _ => {}
            }
            s.events.as_mut()?.push_back(event);
            s.events_reader.take()
        });
        if let Some(w) = waker {
            w.wake();
        }
    }

    pub(super) fn set_status(&self, status: ReconnectStatus) {
        self.with(|s| s.status = status);
    }

    pub(super) fn deliver(&self, item: Result<Message, Error>) {
        let waker = self.with(|s| {
            s.messages.push_back(item);
            s.reader.take()
        });
        if let Some(w) = waker {
            w.wake();
        }
    }

    /// Whether the socket was stopped; the driver is woken when that changes.
    pub(super) fn stopped(&self, cx: &Context<'_>) -> bool {
        self.with(|s| {
            s.driver = Some(cx.waker().clone());
            s.stopped
        })
    }

    /// Runs `future` until it completes or the socket is stopped.
    pub(super) async fn unless_stopped<F: Future + Unpin>(
        &self,
        mut future: F,
    ) -> Outcome<F::Output> {
        poll_fn(|cx| {
            if self.stopped(cx) {
                return Poll::Ready(Outcome::Stopped);
            }
            Pin::new(&mut future).poll(cx).map(Outcome::Done)
        })
        .await
    }

    pub(super) fn is_stopped(&self) -> bool {
        self.with(|s| s.stopped)
    }

    pub(super) fn stop(&self, dropped: bool) {
        self.with(|s| {
            s.stopped = true;
            s.dropped |= dropped;
        });
        self.wake_driver();
    }

    pub(super) fn wake_driver(&self) {
        if let Some(w) = self.with(|s| s.driver.take()) {
            w.wake();
        }
    }

    pub(super) fn wake_writers(&self) {
        let writers = self.with(|s| std::mem::take(&mut s.writers));
        writers.into_iter().for_each(Waker::wake);
    }

    /// Asks the driver for an attempt now (the browser is online again, or the user asked).
    pub(super) fn want_attempt_now(&self) {
        self.with(|s| s.attempt_now = true);
        self.wake_driver();
    }

    pub(super) fn take_attempt_now(&self) -> bool {
        self.with(|s| std::mem::take(&mut s.attempt_now))
    }

    /// Makes `shared` the connection to send on; the driver then flushes the queue onto it.
    pub(super) fn connected(&self, shared: Rc<Shared>) {
        self.with(|s| s.current = Some(shared));
        self.wake_writers();
    }

    pub(super) fn disconnected(&self) {
        self.with(|s| s.current = None);
        self.wake_writers();
    }

    /// The end: no connection, no attempt. Unless its user closed it, the message stream's last
    /// item says why; then both streams end and waiting writers learn it.
    pub(super) fn end(&self, reason: GiveUpReason) {
        if reason != GiveUpReason::ClosedByUser {
            self.deliver(Err(Error::GaveUp(reason.clone())));
        }
        self.emit(ReconnectEvent::GaveUp(reason.clone()));
        let wakers = self.with(|s| {
            s.gave_up = Some(reason);
            s.current = None;
            [s.reader.take(), s.events_reader.take()]
        });
        wakers.into_iter().flatten().for_each(Waker::wake);
        self.wake_writers();
    }
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session").finish_non_exhaustive()
    }
}
