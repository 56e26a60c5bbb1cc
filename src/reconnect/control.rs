//! Watching and steering a reconnecting socket: its queue, buffer, status and ready state, and
//! `reconnect()`.

use super::session::Session;
use super::{ReconnectStatus, ReconnectingSocket};
use crate::close::validate_close;
use crate::{CloseCode, Error, ReadyState};

impl ReconnectingSocket {
    /// How many messages wait in the queue.
    ///
    /// ```no_run
    /// # fn f(socket: &wasm_websocket::ReconnectingSocket) {
    /// println!("{} messages wait for a connection", socket.queued());
    /// # }
    /// ```
    pub fn queued(&self) -> usize {
        self.session().with(|s| s.queue.len())
    }

    /// The current connection's `bufferedAmount`; 0 without one.
    ///
    /// ```no_run
    /// # fn f(socket: &wasm_websocket::ReconnectingSocket) {
    /// println!("{} bytes not yet sent", socket.buffered_amount());
    /// # }
    /// ```
    pub fn buffered_amount(&self) -> u32 {
        self.session().with(|s| {
            s.current
                .as_ref()
                .map_or(0, |shared| shared.read_buffered_amount())
        })
    }

    /// What the socket is doing now: connecting, open, waiting to retry (with the attempt and the
    /// delay), offline, idle, or given up and why.
    ///
    /// ```no_run
    /// # fn f(socket: &wasm_websocket::ReconnectingSocket) {
    /// println!("{}", socket.status()); // "reconnecting in 1.2s (attempt 3)"
    /// # }
    /// ```
    pub fn status(&self) -> ReconnectStatus {
        self.session().status()
    }

    /// The current connection's ready state; `Connecting` between connections, `Closing` while
    /// a close is under way, `Closed` once the socket has ended.
    ///
    /// ```no_run
    /// # fn f(socket: &wasm_websocket::ReconnectingSocket) {
    /// let open = socket.ready_state() == wasm_websocket::ReadyState::Open;
    /// # }
    /// ```
    pub fn ready_state(&self) -> ReadyState {
        self.session().ready_state()
    }

    /// Tries again now: a waiting (backoff, offline or idle) socket starts its next attempt at
    /// once; an open one closes its connection with 1000 and reconnects at once, whatever the
    /// close policy and the backoff say. A no-op while an attempt is under way.
    ///
    /// # Errors
    /// [`Error::NotOpen`] once closed, [`Error::GaveUp`] once given up: use a new socket.
    ///
    /// ```no_run
    /// # fn f(socket: &wasm_websocket::ReconnectingSocket) -> Result<(), wasm_websocket::Error> {
    /// socket.reconnect()?; // the user pressed "retry now"
    /// # Ok(()) }
    /// ```
    pub fn reconnect(&self) -> Result<(), Error> {
        self.session().reconnect()
    }
}

/// The steering itself, shared by the socket and its senders.
impl Session {
    pub(super) fn status(&self) -> ReconnectStatus {
        self.with(|s| s.status.clone())
    }

    pub(super) fn ready_state(&self) -> ReadyState {
        self.with(|s| match (&s.gave_up, &s.current) {
            (Some(_), _) => ReadyState::Closed,
            (None, Some(shared)) => shared.ready_state(),
            (None, None) if s.stopped => ReadyState::Closing,
            (None, None) => ReadyState::Connecting,
        })
    }

    pub(super) fn reconnect(&self) -> Result<(), Error> {
        let open = self.with(|s| {
            if let Some(refused) = s.refusal() {
                return Err(refused);
            }
            match s.status {
                ReconnectStatus::Connecting { .. } => Ok(None),
                ReconnectStatus::Open => {
                    s.replace_connection = true;
                    Ok(s.open_connection())
                }
                _ => {
                    s.attempt_now = true;
                    Ok(None)
                }
            }
        })?;
        self.wake_driver();
        match open {
            Some(shared) => shared.close(CloseCode::NORMAL, "reconnecting"),
            None => Ok(()),
        }
    }

    pub(super) fn close_with(&self, code: CloseCode, reason: &str) -> Result<(), Error> {
        validate_close(code, reason)?;
        let current = self.with(|s| s.current.clone());
        if let Some(shared) = current {
            shared.close(code, reason)?;
        }
        self.stop(false);
        self.wake_writers();
        Ok(())
    }
}
