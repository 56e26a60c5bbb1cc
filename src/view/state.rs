//! `ViewState`: what a view shows of its socket, written after every event, and `ViewChange`:
//! which parts an event changed, so that a framework tells only those parts' views. The history
//! is an `Rc`: a render that reads it shares it, and it is cloned only if someone still holds an
//! older one when the next message comes, never per render.

use std::collections::VecDeque;
use std::ops::{BitOr, BitOrAssign};
use std::rc::Rc;

use crate::close::CloseEvent;
use crate::error::Error;
use crate::message::ReadyState;
use crate::reconnect::events::{ReconnectEvent, ReconnectStatus};
use crate::view::Received;

/// Which parts of a [`ViewState`] changed: a framework tells the views of those parts only.
///
/// ```
/// use wasm_websocket::view::ViewChange;
/// let both = ViewChange { messages: true, ..ViewChange::NONE } | ViewChange { status: true, ..ViewChange::NONE };
/// assert!(both.messages && both.status && !both.last_error && both.any());
/// assert!(!ViewChange::NONE.any());
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ViewChange {
    /// The history and the count of messages.
    pub messages: bool,
    /// The ready state.
    pub ready_state: bool,
    /// The status.
    pub status: bool,
    /// The last error.
    pub last_error: bool,
    /// The last close.
    pub last_close: bool,
}

impl ViewChange {
    /// Nothing changed.
    pub const NONE: ViewChange = ViewChange {
        messages: false,
        ready_state: false,
        status: false,
        last_error: false,
        last_close: false,
    };

    /// Everything may have changed: the view started over.
    pub const ALL: ViewChange = ViewChange {
        messages: true,
        ready_state: true,
        status: true,
        last_error: true,
        last_close: true,
    };

    /// Whether anything changed.
    ///
    /// ```
    /// assert!(wasm_websocket::view::ViewChange::ALL.any());
    /// ```
    pub fn any(self) -> bool {
        self != ViewChange::NONE
    }
}

impl BitOr for ViewChange {
    type Output = ViewChange;

    fn bitor(self, other: ViewChange) -> ViewChange {
        ViewChange {
            messages: self.messages || other.messages,
            ready_state: self.ready_state || other.ready_state,
            status: self.status || other.status,
            last_error: self.last_error || other.last_error,
            last_close: self.last_close || other.last_close,
        }
    }
}

impl BitOrAssign for ViewChange {
    fn bitor_assign(&mut self, other: ViewChange) {
        *self = *self | other;
    }
}

/// What a view shows of a reconnecting socket: its ready state and status, the latest messages
/// (each keyed by its sequence number), how many came, the last error and the last close.
/// [`apply`](ViewState::apply) takes each [`ReconnectEvent`] and says what it changed.
///
/// ```
/// use wasm_websocket::view::ViewState;
/// use wasm_websocket::{ReconnectEvent, ReconnectStatus};
///
/// let mut view = ViewState::new(2, true);
/// for n in 0..3 {
///     view.apply(ReconnectEvent::Message(n));
/// }
/// let change = view.apply(ReconnectEvent::Status(ReconnectStatus::Open));
/// assert!(change.status && !change.messages);
/// assert_eq!(view.messages().iter().map(|m| (m.seq, m.value)).collect::<Vec<_>>(), [(1, 1), (2, 2)]);
/// assert_eq!(view.received(), 3);
/// ```
#[derive(Debug, Clone)]
pub struct ViewState<T> {
    ready_state: ReadyState,
    status: ReconnectStatus,
    messages: Rc<VecDeque<Received<T>>>,
    history: usize,
    received: u64,
    last_error: Option<Error>,
    last_close: Option<CloseEvent>,
    version: u64,
}

impl<T: Clone> ViewState<T> {
    /// A view of a socket that starts connecting, or stays idle until enabled, keeping the
    /// latest `history` messages.
    ///
    /// ```
    /// let view = wasm_websocket::view::ViewState::<String>::new(100, false);
    /// assert_eq!(view.status(), &wasm_websocket::ReconnectStatus::Idle);
    /// ```
    pub fn new(history: usize, enabled: bool) -> ViewState<T> {
        let (ready_state, status) = if enabled {
            (
                ReadyState::Connecting,
                ReconnectStatus::Connecting { attempt: 1 },
            )
        } else {
            (ReadyState::Closed, ReconnectStatus::Idle)
        };
        ViewState {
            ready_state,
            status,
            messages: Rc::default(),
            history,
            received: 0,
            last_error: None,
            last_close: None,
            version: 0,
        }
    }

    /// Starts over for a new connection target (the URL changed), connecting or idle; the
    /// version goes on counting.
    ///
    /// ```
    /// use wasm_websocket::view::ViewState;
    /// let mut view = ViewState::new(10, true);
    /// view.apply(wasm_websocket::ReconnectEvent::Message(1));
    /// assert!(view.reset(true).messages);
    /// assert_eq!((view.received(), view.version()), (0, 2));
    /// ```
    pub fn reset(&mut self, enabled: bool) -> ViewChange {
        let version = self.version.wrapping_add(1);
        *self = ViewState::new(self.history, enabled);
        self.version = version;
        ViewChange::ALL
    }

    /// Shows an error that came from outside the socket's events: one from starting it, or
    /// from connecting or disconnecting it.
    ///
    /// ```
    /// let mut view = wasm_websocket::view::ViewState::<String>::new(10, true);
    /// assert!(view.fail(wasm_websocket::Error::Unsupported).last_error);
    /// assert_eq!(view.last_error(), Some(&wasm_websocket::Error::Unsupported));
    /// ```
    pub fn fail(&mut self, error: Error) -> ViewChange {
        self.last_error = Some(error);
        self.version = self.version.wrapping_add(1);
        ViewChange {
            last_error: true,
            ..ViewChange::NONE
        }
    }

    /// Applies one event; says what it changed (a status event that repeats the status
    /// changes nothing).
    ///
    /// ```
    /// use wasm_websocket::view::ViewState;
    /// use wasm_websocket::{ReconnectEvent, ReconnectStatus};
    /// let mut view = ViewState::<String>::new(10, true);
    /// let again = ReconnectEvent::Status(ReconnectStatus::Connecting { attempt: 1 });
    /// assert!(!view.apply(again).any());
    /// ```
    pub fn apply(&mut self, event: ReconnectEvent<T>) -> ViewChange {
        let mut change = ViewChange::NONE;
        match event {
            ReconnectEvent::Message(value) => {
                let seq = self.received;
                self.received = self.received.saturating_add(1);
                let messages = Rc::make_mut(&mut self.messages);
                messages.push_back(Received { seq, value });
                while messages.len() > self.history {
                    messages.pop_front();
                }
                change.messages = true;
            }
            ReconnectEvent::Error(error) => {
                self.last_error = Some(error);
                change.last_error = true;
            }
            ReconnectEvent::Disconnected { close, .. } => {
                self.last_close = Some(close);
                change.last_close = true;
            }
            ReconnectEvent::Status(status) => {
                let ready_state = status.ready_state();
                change.ready_state = self.ready_state != ready_state;
                change.status = self.status != status;
                self.ready_state = ready_state;
                self.status = status;
            }
            _ => {}
        }
        if change.any() {
            self.version = self.version.wrapping_add(1);
        }
        change
    }
}

impl<T> ViewState<T> {
    /// The current connection's ready state (`Connecting` between connections).
    ///
    /// ```
    /// let view = wasm_websocket::view::ViewState::<String>::new(10, true);
    /// assert_eq!(view.ready_state(), wasm_websocket::ReadyState::Connecting);
    /// ```
    pub fn ready_state(&self) -> ReadyState {
        self.ready_state
    }

    /// What the socket is doing: idle, offline, connecting, open, waiting to retry (attempt
    /// and delay), gave up and why.
    ///
    /// ```
    /// let view = wasm_websocket::view::ViewState::<String>::new(10, true);
    /// assert_eq!(view.status().to_string(), "connecting (attempt 1)");
    /// ```
    pub fn status(&self) -> &ReconnectStatus {
        &self.status
    }

    /// The latest messages, oldest first, each with its sequence number (a stable key).
    ///
    /// ```
    /// let view = wasm_websocket::view::ViewState::<String>::new(10, true);
    /// assert!(view.messages().is_empty());
    /// ```
    pub fn messages(&self) -> &Rc<VecDeque<Received<T>>> {
        &self.messages
    }

    /// How many messages have arrived in all (since the last reset).
    ///
    /// ```
    /// let view = wasm_websocket::view::ViewState::<String>::new(10, true);
    /// assert_eq!(view.received(), 0);
    /// ```
    pub fn received(&self) -> u64 {
        self.received
    }

    /// The latest error: a message that did not decode, a send the socket failed to make, or
    /// why it gave up.
    ///
    /// ```
    /// let view = wasm_websocket::view::ViewState::<String>::new(10, true);
    /// assert_eq!(view.last_error(), None);
    /// ```
    pub fn last_error(&self) -> Option<&Error> {
        self.last_error.as_ref()
    }

    /// How the last connection closed.
    ///
    /// ```
    /// let view = wasm_websocket::view::ViewState::<String>::new(10, true);
    /// assert_eq!(view.last_close(), None);
    /// ```
    pub fn last_close(&self) -> Option<&CloseEvent> {
        self.last_close.as_ref()
    }

    /// How many changes it has seen: two readings with the same version show the same.
    ///
    /// ```
    /// let mut view = wasm_websocket::view::ViewState::new(10, true);
    /// view.apply(wasm_websocket::ReconnectEvent::Message("hi"));
    /// assert_eq!(view.version(), 1);
    /// ```
    pub fn version(&self) -> u64 {
        self.version
    }
}
