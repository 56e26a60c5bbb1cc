//! `Signals`: what the hook shows, written by the socket's task after every event and
//! notified once per frame.

use std::collections::VecDeque;

use leptos::prelude::*;
use wasm_websocket::view::Received;
use wasm_websocket::{CloseEvent, Error, ReadyState, ReconnectEvent, ReconnectStatus};

/// The signals the reading task writes.
pub(crate) struct Signals<T: 'static> {
    pub(crate) ready_state: RwSignal<ReadyState>,
    pub(crate) status: RwSignal<ReconnectStatus>,
    pub(crate) messages: RwSignal<VecDeque<Received<T>>, LocalStorage>,
    pub(crate) received: RwSignal<u64>,
    pub(crate) last_error: RwSignal<Option<Error>>,
    pub(crate) last_close: RwSignal<Option<CloseEvent>>,
    history: usize,
}

impl<T> Clone for Signals<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Signals<T> {}

/// Which signals changed since their views were last told.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct Changed {
    messages: bool,
    ready_state: bool,
    status: bool,
    last_error: bool,
    last_close: bool,
}

/// The state a socket starts in: connecting, or idle until enabled.
fn initial(enabled: bool) -> (ReadyState, ReconnectStatus) {
    if enabled {
        (
            ReadyState::Connecting,
            ReconnectStatus::Connecting { attempt: 1 },
        )
    } else {
        (ReadyState::Closed, ReconnectStatus::Idle)
    }
}

impl<T> Signals<T> {
    pub(crate) fn new(history: usize, enabled: bool) -> Signals<T> {
        let (ready_state, status) = initial(enabled);
        Signals {
            ready_state: RwSignal::new(ready_state),
            status: RwSignal::new(status),
            messages: RwSignal::new_local(VecDeque::new()),
            received: RwSignal::new(0),
            last_error: RwSignal::new(None),
            last_close: RwSignal::new(None),
            history,
        }
    }

    /// A new connection target (the URL changed): start over.
    pub(crate) fn reset(&self, enabled: bool) {
        let (ready_state, status) = initial(enabled);
        // Told even when unchanged: the old task may have written a state it never told.
        replace(self.ready_state, ready_state);
        self.ready_state.notify();
        replace(self.status, status);
        self.status.notify();
        self.messages.try_update(VecDeque::clear);
        self.received.try_set(0);
        self.last_error.try_set(None);
        self.last_close.try_set(None);
    }

    /// Writes what `event` changes without telling the views (see [`Signals::notify`]).
    pub(crate) fn apply(&self, event: ReconnectEvent<T>, mut changed: Changed) -> Changed {
        match event {
            ReconnectEvent::Message(value) => {
                let history = self.history;
                let seq = self.received.try_get_untracked().unwrap_or_default();
                self.messages.try_update_untracked(|messages| {
                    messages.push_back(Received { seq, value });
                    while messages.len() > history {
                        messages.pop_front();
                    }
                });
                self.received
                    .try_update_untracked(|n| *n = n.saturating_add(1));
                changed.messages = true;
            }
            ReconnectEvent::Error(error) => {
                self.last_error.try_update_untracked(|e| *e = Some(error));
                changed.last_error = true;
            }
            ReconnectEvent::Disconnected { close, .. } => {
                self.last_close.try_update_untracked(|c| *c = Some(close));
                changed.last_close = true;
            }
            // Only what changed: views of the status render again only then.
            ReconnectEvent::Status(status) => {
                changed.ready_state |= replace(self.ready_state, status.ready_state());
                changed.status |= replace(self.status, status);
            }
            _ => {}
        }
        changed
    }

    /// Tells the views of every signal that changed; nothing is left changed.
    pub(crate) fn notify(&self, changed: Changed) -> Changed {
        if changed.messages {
            self.messages.notify();
            self.received.notify();
        }
        if changed.ready_state {
            self.ready_state.notify();
        }
        if changed.status {
            self.status.notify();
        }
        if changed.last_error {
            self.last_error.notify();
        }
        if changed.last_close {
            self.last_close.notify();
        }
        Changed::default()
    }
}

/// Writes `value` untracked if it differs; whether it did.
fn replace<T: PartialEq + Send + Sync + 'static>(signal: RwSignal<T>, value: T) -> bool {
    let differs = signal.try_with_untracked(|now| *now != value) == Some(true);
    if differs {
        signal.try_update_untracked(|now| *now = value);
    }
    differs
}
