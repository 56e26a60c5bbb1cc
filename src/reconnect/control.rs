//! Watching and steering a reconnecting socket: its queue, buffer, status and ready state, and
//! its lifecycle (`connect`, `disconnect`, `reconnect`, `close`).

use super::session::Session;
use super::session::Wanted;
use super::{ReconnectStatus, ReconnectingSocket};
use crate::close::{validate_close, CloseCode, CloseEvent};
use crate::error::Error;
use crate::message::ReadyState;

impl ReconnectingSocket {
    /// How many messages wait in the queue.
    ///
    /// ```no_run
    /// # fn f(socket: &wasm_websocket::ReconnectingSocket) {
    /// println!("{} messages wait for a connection", socket.queued());
    /// # }
    /// ```
    pub fn queued(&self) -> usize {
        self.session().queued()
    }

    /// The current connection's `bufferedAmount`; 0 without one.
    ///
    /// ```no_run
    /// # fn f(socket: &wasm_websocket::ReconnectingSocket) {
    /// println!("{} bytes not yet sent", socket.buffered_amount());
    /// # }
    /// ```
    pub fn buffered_amount(&self) -> u32 {
        self.session().buffered_amount()
    }

    /// The subprotocol the current connection's server selected; empty without a connection or
    /// when none was requested.
    ///
    /// ```no_run
    /// # fn f(socket: &wasm_websocket::ReconnectingSocket) {
    /// let v2 = socket.protocol() == "v2";
    /// # }
    /// ```
    pub fn protocol(&self) -> String {
        self.session().protocol()
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
    /// a close is under way, `Closed` while idle and once the socket has ended.
    ///
    /// ```no_run
    /// # fn f(socket: &wasm_websocket::ReconnectingSocket) {
    /// let open = socket.ready_state() == wasm_websocket::ReadyState::Open;
    /// # }
    /// ```
    pub fn ready_state(&self) -> ReadyState {
        self.session().ready_state()
    }

    /// Tries again now: a waiting (backoff or offline) socket starts its next attempt at once;
    /// an open one closes its connection with 1000 and reconnects at once, whatever the close
    /// policy and the backoff say, without waiting for the old peer's answer. An idle one
    /// connects, as [`connect`](ReconnectingSocket::connect). A no-op while an attempt is under way.
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

    /// Starts connecting again after [`disconnect`](ReconnectingSocket::disconnect) (or on a
    /// socket started with [`connect_on_start(false)`](super::ReconnectBuilder::connect_on_start)),
    /// with the backoff and the retry count reset; messages queued meanwhile go out on the new
    /// connection, in order. A no-op while connected or connecting.
    ///
    /// # Errors
    /// [`Error::NotOpen`] once closed, [`Error::GaveUp`] once given up: use a new socket.
    ///
    /// ```no_run
    /// # fn f(socket: &wasm_websocket::ReconnectingSocket) -> Result<(), wasm_websocket::Error> {
    /// socket.disconnect()?; // the view is hidden
    /// socket.connect()?; // and shown again
    /// # Ok(()) }
    /// ```
    pub fn connect(&self) -> Result<(), Error> {
        self.session().connect()
    }

    /// Closes the current connection with 1000 (or abandons the attempt or the wait under way)
    /// and stays [`Idle`](ReconnectStatus::Idle) until [`connect`](ReconnectingSocket::connect):
    /// no reconnect meanwhile. Unlike [`close`](ReconnectingSocket::close) it is not final:
    /// sends queue, the streams go on. A no-op while idle.
    ///
    /// # Errors
    /// [`Error::NotOpen`] once closed, [`Error::GaveUp`] once given up.
    ///
    /// ```no_run
    /// # fn f(socket: &wasm_websocket::ReconnectingSocket) -> Result<(), wasm_websocket::Error> {
    /// socket.disconnect()?;
    /// # Ok(()) }
    /// ```
    pub fn disconnect(&self) -> Result<(), Error> {
        self.session().disconnect_with(CloseCode::NORMAL, "")
    }

    /// As [`disconnect`](ReconnectingSocket::disconnect), closing the connection with a code and
    /// reason.
    ///
    /// # Errors
    /// - [`Error::InvalidCloseCode`]: `code` is not 1000 or 3000–4999.
    /// - [`Error::ReasonTooLong`]: `reason` is over 123 UTF-8 bytes.
    /// - [`Error::NotOpen`] once closed, [`Error::GaveUp`] once given up.
    ///
    /// ```no_run
    /// # fn f(socket: &wasm_websocket::ReconnectingSocket) -> Result<(), wasm_websocket::Error> {
    /// socket.disconnect_with(4001.into(), "paused")?;
    /// # Ok(()) }
    /// ```
    pub fn disconnect_with(&self, code: CloseCode, reason: &str) -> Result<(), Error> {
        self.session().disconnect_with(code, reason)
    }
}

/// The steering itself, shared by the socket and its senders.
impl Session {
    pub(super) fn queued(&self) -> usize {
        self.with(|s| s.queue_len())
    }

    pub(super) fn buffered_amount(&self) -> u32 {
        self.with(|s| s.connection().map_or(0, |ws| ws.buffered_amount()))
    }

    pub(super) fn protocol(&self) -> String {
        self.with(|s| s.connection().map(|ws| ws.protocol()).unwrap_or_default())
    }

    pub(super) fn status(&self) -> ReconnectStatus {
        self.with(|s| s.status().clone())
    }

    pub(super) fn ready_state(&self) -> ReadyState {
        self.with(|s| s.ready_state())
    }

    /// Closes the open connection, if any, for the user; the driver then ends it with this close
    /// rather than wait for the browser's.
    fn close_connection(&self, code: CloseCode, reason: &str) -> Result<(), Error> {
        let Some(ws) = self.with(|s| s.open_connection()) else {
            return Ok(());
        };
        ws.close_with(code, reason)?;
        self.with(|s| s.set_user_close(CloseEvent::sent(code, reason)));
        Ok(())
    }

    fn refusal(&self) -> Result<(), Error> {
        self.with(|s| s.refusal()).map_or(Ok(()), Err)
    }

    pub(super) fn reconnect(&self) -> Result<(), Error> {
        self.refusal()?;
        // What the user asked last decides idle: the status follows the driver, a turn later.
        if self.wanted() == Wanted::Idle {
            return self.connect();
        }
        match self.status() {
            ReconnectStatus::Connecting { .. } => Ok(()),
            ReconnectStatus::Open => {
                self.with(|s| s.flag_replace_connection());
                self.close_connection(CloseCode::NORMAL, "reconnecting")?;
                self.wake_driver();
                Ok(())
            }
            _ => {
                self.want_attempt_now();
                Ok(())
            }
        }
    }

    pub(super) fn connect(&self) -> Result<(), Error> {
        self.refusal()?;
        if self.wanted() == Wanted::Idle {
            self.want(Wanted::Connected);
        }
        Ok(())
    }

    pub(super) fn disconnect_with(&self, code: CloseCode, reason: &str) -> Result<(), Error> {
        validate_close(code, reason)?;
        self.refusal()?;
        if self.wanted() == Wanted::Connected {
            self.close_connection(code, reason)?;
            self.want(Wanted::Idle);
        }
        Ok(())
    }

    pub(super) fn close_with(&self, code: CloseCode, reason: &str) -> Result<(), Error> {
        validate_close(code, reason)?;
        self.close_connection(code, reason)?;
        self.want(Wanted::Closed { dropped: false });
        Ok(())
    }
}
