//! What a component sees of its socket: a reducer, so that each message is one action and a
//! burst is never collapsed into its last message.

use std::collections::VecDeque;
use std::rc::Rc;

use wasm_websocket::{CloseEvent, Error, ReadyState, ReconnectStatus};
use yew::Reducible;

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct SocketView<T> {
    pub(crate) ready_state: ReadyState,
    pub(crate) status: ReconnectStatus,
    pub(crate) messages: VecDeque<T>,
    pub(crate) history: usize,
    pub(crate) received: u64,
    pub(crate) last_error: Option<Error>,
    pub(crate) last_close: Option<CloseEvent>,
}

impl<T> SocketView<T> {
    pub(crate) fn new(history: usize) -> SocketView<T> {
        SocketView {
            ready_state: ReadyState::Connecting,
            status: ReconnectStatus::Connecting { attempt: 1 },
            messages: VecDeque::new(),
            history,
            received: 0,
            last_error: None,
            last_close: None,
        }
    }
}

pub(crate) enum Update<T> {
    /// A new connection target (the URL changed): start over.
    Reset,
    Message(T),
    Error(Error),
    Closed(CloseEvent),
    State(ReadyState, ReconnectStatus),
}

impl<T: Clone> Reducible for SocketView<T> {
    type Action = Update<T>;

    fn reduce(mut self: Rc<Self>, update: Update<T>) -> Rc<Self> {
        let view = Rc::make_mut(&mut self);
        match update {
            Update::Reset => *view = SocketView::new(view.history),
            Update::Message(message) => {
                view.received = view.received.saturating_add(1);
                view.messages.push_back(message);
                while view.messages.len() > view.history {
                    view.messages.pop_front();
                }
            }
            Update::Error(error) => view.last_error = Some(error),
            Update::Closed(event) => view.last_close = Some(event),
            Update::State(ready_state, status) => {
                view.ready_state = ready_state;
                view.status = status;
            }
        }
        self
    }
}
