//! What a component sees of its socket: a reducer, so that each message is one action and a
//! burst is never collapsed into its last message.

use std::collections::VecDeque;
use std::rc::Rc;

use wasm_websocket::{CloseEvent, Error, ReadyState, Received, ReconnectStatus};
use yew::Reducible;

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct SocketView<T> {
    pub(crate) ready_state: ReadyState,
    pub(crate) status: ReconnectStatus,
    pub(crate) messages: VecDeque<Received<T>>,
    pub(crate) history: usize,
    pub(crate) received: u64,
    pub(crate) last_error: Option<Error>,
    pub(crate) last_close: Option<CloseEvent>,
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
            messages: VecDeque::new(),
            history,
            received: 0,
            last_error: None,
            last_close: None,
        }
    }
}

pub(crate) enum Update<T> {
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
    type Action = Update<T>;

    fn reduce(mut self: Rc<Self>, update: Update<T>) -> Rc<Self> {
        let view = Rc::make_mut(&mut self);
        match update {
            Update::Reset { enabled } => *view = SocketView::new(view.history, enabled),
            Update::Message(value) => {
                let seq = view.received;
                view.received = view.received.saturating_add(1);
                view.messages.push_back(Received { seq, value });
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
