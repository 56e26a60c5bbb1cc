//! What a component sees of its socket: a reducer, so that each message is one action and a
//! burst is never collapsed into its last message. The history itself is shared, not part of
//! the reduced state: a render never clones it.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;

use wasm_websocket::{CloseEvent, Error, ReadyState, Received, ReconnectStatus};
use yew::Reducible;

/// The latest messages, shared by every view of one hook.
pub(crate) type History<T> = Rc<RefCell<VecDeque<Received<T>>>>;

#[derive(Debug)]
pub(crate) struct SocketView<T> {
    pub(crate) ready_state: ReadyState,
    pub(crate) status: ReconnectStatus,
    pub(crate) messages: History<T>,
    pub(crate) history: usize,
    pub(crate) received: u64,
    pub(crate) last_error: Option<Error>,
    pub(crate) last_close: Option<CloseEvent>,
    /// How many actions it has taken: a handle keeps the one it was made at, to compare.
    pub(crate) version: u64,
}

impl<T> Clone for SocketView<T> {
    fn clone(&self) -> Self {
        SocketView {
            ready_state: self.ready_state,
            status: self.status.clone(),
            messages: self.messages.clone(),
            history: self.history,
            received: self.received,
            last_error: self.last_error.clone(),
            last_close: self.last_close.clone(),
            version: self.version,
        }
    }
}

impl<T> SocketView<T> {
    /// A view of a socket that starts connecting, or idle until enabled.
    pub(crate) fn new(history: usize, enabled: bool) -> SocketView<T> {
        let (ready_state, status) = if enabled {
            (
                ReadyState::Connecting,
                ReconnectStatus::Connecting { attempt: 1 },
            )
        } else {
            (ReadyState::Closed, ReconnectStatus::Idle)
        };
        SocketView {
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
}

pub(crate) enum ViewAction<T> {
    /// A new connection target (the URL changed): start over, connecting or idle.
    Reset {
        enabled: bool,
    },
    Message(T),
    Error(Error),
    Closed(CloseEvent),
    State(ReadyState, ReconnectStatus),
}

impl<T: Clone> Reducible for SocketView<T> {
    type Action = ViewAction<T>;

    fn reduce(mut self: Rc<Self>, action: ViewAction<T>) -> Rc<Self> {
        // Clones the small state only: the history is behind its own `Rc`.
        let view = Rc::make_mut(&mut self);
        let version = view.version.wrapping_add(1);
        match action {
            ViewAction::Reset { enabled } => *view = SocketView::new(view.history, enabled),
            ViewAction::Message(value) => {
                let seq = view.received;
                view.received = view.received.saturating_add(1);
                let received = Received { seq, value };
                let pushed = match view.messages.try_borrow_mut() {
                    Ok(mut messages) => {
                        push(&mut messages, received, view.history);
                        None
                    }
                    // Someone holds a `messages()` borrow across an await: leave them their copy.
                    Err(_) => Some(received),
                };
                if let Some(received) = pushed {
                    let mut copy = view.messages.borrow().clone();
                    push(&mut copy, received, view.history);
                    view.messages = Rc::new(RefCell::new(copy));
                }
            }
            ViewAction::Error(error) => view.last_error = Some(error),
            ViewAction::Closed(event) => view.last_close = Some(event),
            ViewAction::State(ready_state, status) => {
                view.ready_state = ready_state;
                view.status = status;
            }
        }
        view.version = version;
        self
    }
}

fn push<T>(messages: &mut VecDeque<Received<T>>, received: Received<T>, history: usize) {
    messages.push_back(received);
    while messages.len() > history {
        messages.pop_front();
    }
}
