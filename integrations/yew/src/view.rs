//! `SocketView`: what a component shows of its socket, written by the socket's task after every
//! event. It lives outside Yew's state, shared by every render, and the task asks for a render
//! once per frame, not per message. A render gets the history as an `Rc`: it is cloned only if
//! someone still holds an older one when the next message comes, never per render.

use std::collections::VecDeque;
use std::rc::Rc;

use wasm_websocket::view::Received;
use wasm_websocket::{CloseEvent, Error, ReadyState, ReconnectEvent, ReconnectStatus};

#[derive(Debug)]
pub(crate) struct SocketView<T> {
    pub(crate) ready_state: ReadyState,
    pub(crate) status: ReconnectStatus,
    pub(crate) messages: Rc<VecDeque<Received<T>>>,
    pub(crate) history: usize,
    pub(crate) received: u64,
    pub(crate) last_error: Option<Error>,
    pub(crate) last_close: Option<CloseEvent>,
    /// How many changes it has seen: a handle keeps the one it was made at, to compare.
    pub(crate) version: u64,
}

impl<T: Clone> SocketView<T> {
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

    /// A new connection target (the URL changed): start over, connecting or idle.
    pub(crate) fn reset(&mut self, enabled: bool) {
        let version = self.version.wrapping_add(1);
        *self = SocketView::new(self.history, enabled);
        self.version = version;
    }

    pub(crate) fn error(&mut self, error: Error) {
        self.last_error = Some(error);
        self.version = self.version.wrapping_add(1);
    }

    pub(crate) fn apply(&mut self, event: ReconnectEvent<T>) {
        match event {
            ReconnectEvent::Message(value) => {
                let seq = self.received;
                self.received = self.received.saturating_add(1);
                let messages = Rc::make_mut(&mut self.messages);
                messages.push_back(Received { seq, value });
                while messages.len() > self.history {
                    messages.pop_front();
                }
            }
            ReconnectEvent::Error(error) => self.last_error = Some(error),
            ReconnectEvent::Disconnected { close, .. } => self.last_close = Some(close),
            ReconnectEvent::Status(status) => {
                self.ready_state = status.ready_state();
                self.status = status;
            }
            _ => return,
        }
        self.version = self.version.wrapping_add(1);
    }
}
