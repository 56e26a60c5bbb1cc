//! The state a reconnecting socket's handles share with its driver: the current connection, the
//! send queue, received messages and recorded events, and whether it was stopped.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;
use std::task::{Context, Waker};

use super::send_queue::SendQueue;
use super::ReconnectEvent;
use crate::shared::Shared;
use crate::{Error, Message};

pub(super) struct SessionState {
    pub(super) current: Option<Rc<Shared>>,
    pub(super) queue: SendQueue,
    pub(super) messages: VecDeque<Result<Message, Error>>,
    pub(super) reader: Option<Waker>,
    pub(super) events: Option<VecDeque<ReconnectEvent>>,
    pub(super) events_reader: Option<Waker>,
    pub(super) driver: Option<Waker>,
    /// Closed by the user (`close`) or dropped: no more attempts.
    pub(super) stopped: bool,
    pub(super) dropped: bool,
    pub(super) online_again: bool,
    pub(super) ended: bool,
}

pub(super) struct Session {
    pub(super) state: RefCell<SessionState>,
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
                driver: None,
                stopped: false,
                dropped: false,
                online_again: false,
                ended: false,
            }),
        })
    }

    pub(super) fn with<R>(&self, f: impl FnOnce(&mut SessionState) -> R) -> R {
        f(&mut self.state.borrow_mut())
    }

    pub(super) fn emit(&self, event: ReconnectEvent) {
        let waker = self.with(|s| {
            s.events.as_mut()?.push_back(event);
            s.events_reader.take()
        });
        if let Some(w) = waker {
            w.wake();
        }
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

    pub(super) fn stopped(&self, cx: &Context<'_>) -> bool {
        self.with(|s| {
            s.driver = Some(cx.waker().clone());
            s.stopped
        })
    }

    pub(super) fn stop(&self, dropped: bool) {
        let waker = self.with(|s| {
            s.stopped = true;
            s.dropped |= dropped;
            s.driver.take()
        });
        if let Some(w) = waker {
            w.wake();
        }
    }

    /// Makes `shared` the connection to send on, then hands it the queue in order.
    pub(super) fn connected(&self, shared: Rc<Shared>) {
        self.with(|s| {
            while let Some(message) = s.queue.pop() {
                if shared.send(&message).is_err() {
                    s.queue.unpop(message);
                    break;
                }
            }
            s.current = Some(shared);
        });
    }

    pub(super) fn end(&self) {
        let wakers = self.with(|s| {
            s.ended = true;
            s.current = None;
            [s.reader.take(), s.events_reader.take()]
        });
        wakers.into_iter().flatten().for_each(Waker::wake);
    }
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session").finish_non_exhaustive()
    }
}
