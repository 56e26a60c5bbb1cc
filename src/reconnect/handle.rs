//! `ReconnectHandle`: a cloneable handle that sends through a reconnecting socket, for event
//! handlers and UI callbacks while one task reads the socket.

use std::rc::Rc;

use super::session::Session;
use super::{ReconnectStatus, ReconnectingSocket};
use crate::close::CloseCode;
use crate::error::Error;
use crate::error::TrySendError;
use crate::message::{Message, ReadyState};

/// Sends through a [`ReconnectingSocket`] from anywhere on its thread: cheap to clone, it does
/// not keep the socket alive. Once the socket is dropped, closed or has given up, its sends fail
/// with the same errors the socket's would. Made by [`ReconnectingSocket::handle`].
///
/// ```no_run
/// # fn f(socket: &wasm_websocket::ReconnectingSocket) -> Result<(), wasm_websocket::Error> {
/// let handle = socket.handle();
/// let on_click = move || handle.try_send(wasm_websocket::Message::Text("clicked".into()));
/// on_click()?;
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct ReconnectHandle {
    session: Rc<Session>,
}

impl std::fmt::Debug for ReconnectHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReconnectHandle")
            .field("status", &self.status())
            .finish_non_exhaustive()
    }
}

impl ReconnectingSocket {
    /// A cloneable handle that sends, connects, disconnects, reconnects and closes this socket.
    ///
    /// ```no_run
    /// # fn f(socket: &wasm_websocket::ReconnectingSocket) {
    /// let handle = socket.handle();
    /// # }
    /// ```
    pub fn handle(&self) -> ReconnectHandle {
        ReconnectHandle {
            session: self.session_rc(),
        }
    }
}

impl ReconnectHandle {
    /// As [`ReconnectingSocket::try_send`].
    ///
    /// # Errors
    /// As [`ReconnectingSocket::try_send`].
    ///
    /// ```no_run
    /// # fn f(handle: &wasm_websocket::ReconnectHandle) -> Result<(), wasm_websocket::Error> {
    /// handle.try_send(wasm_websocket::Message::Text("hi".into()))?;
    /// # Ok(()) }
    /// ```
    pub fn try_send(&self, message: Message) -> Result<(), TrySendError> {
        self.session.send(message)
    }

    /// As [`ReconnectingSocket::send_text`]: waits for room, then sends.
    ///
    /// # Errors
    /// As [`ReconnectingSocket::send_text`].
    ///
    /// ```no_run
    /// # async fn f(handle: &wasm_websocket::ReconnectHandle) -> Result<(), wasm_websocket::Error> {
    /// handle.send(wasm_websocket::Message::Text("hi".into())).await?;
    /// # Ok(()) }
    /// ```
    pub async fn send(&self, message: Message) -> Result<(), Error> {
        self.session.send_when_ready(message).await
    }

    /// As [`ReconnectingSocket::queued`].
    ///
    /// ```no_run
    /// # fn f(handle: &wasm_websocket::ReconnectHandle) {
    /// println!("{} waiting", handle.queued());
    /// # }
    /// ```
    pub fn queued(&self) -> usize {
        self.session.queued()
    }

    /// As [`ReconnectingSocket::buffered_amount`].
    ///
    /// ```no_run
    /// # fn f(handle: &wasm_websocket::ReconnectHandle) {
    /// println!("{} bytes not yet sent", handle.buffered_amount());
    /// # }
    /// ```
    pub fn buffered_amount(&self) -> u32 {
        self.session.buffered_amount()
    }

    /// As [`ReconnectingSocket::protocol`].
    ///
    /// ```no_run
    /// # fn f(handle: &wasm_websocket::ReconnectHandle) {
    /// let v2 = handle.protocol() == "v2";
    /// # }
    /// ```
    pub fn protocol(&self) -> String {
        self.session.protocol()
    }

    /// As [`ReconnectingSocket::status`].
    ///
    /// ```no_run
    /// # fn f(handle: &wasm_websocket::ReconnectHandle) {
    /// println!("{}", handle.status());
    /// # }
    /// ```
    pub fn status(&self) -> ReconnectStatus {
        self.session.status()
    }

    /// As [`ReconnectingSocket::ready_state`].
    ///
    /// ```no_run
    /// # fn f(handle: &wasm_websocket::ReconnectHandle) {
    /// let open = handle.ready_state() == wasm_websocket::ReadyState::Open;
    /// # }
    /// ```
    pub fn ready_state(&self) -> ReadyState {
        self.session.ready_state()
    }

    /// As [`ReconnectingSocket::reconnect`].
    ///
    /// # Errors
    /// As [`ReconnectingSocket::reconnect`].
    ///
    /// ```no_run
    /// # fn f(handle: &wasm_websocket::ReconnectHandle) -> Result<(), wasm_websocket::Error> {
    /// handle.reconnect()?;
    /// # Ok(()) }
    /// ```
    pub fn reconnect(&self) -> Result<(), Error> {
        self.session.reconnect()
    }

    /// As [`ReconnectingSocket::connect`].
    ///
    /// # Errors
    /// As [`ReconnectingSocket::connect`].
    ///
    /// ```no_run
    /// # fn f(handle: &wasm_websocket::ReconnectHandle) -> Result<(), wasm_websocket::Error> {
    /// handle.connect()?;
    /// # Ok(()) }
    /// ```
    pub fn connect(&self) -> Result<(), Error> {
        self.session.connect()
    }

    /// As [`ReconnectingSocket::disconnect`].
    ///
    /// # Errors
    /// As [`ReconnectingSocket::disconnect`].
    ///
    /// ```no_run
    /// # fn f(handle: &wasm_websocket::ReconnectHandle) -> Result<(), wasm_websocket::Error> {
    /// handle.disconnect()?;
    /// # Ok(()) }
    /// ```
    pub fn disconnect(&self) -> Result<(), Error> {
        self.session.disconnect_with(CloseCode::NORMAL, "")
    }

    /// As [`ReconnectingSocket::disconnect_with`].
    ///
    /// # Errors
    /// As [`ReconnectingSocket::disconnect_with`].
    ///
    /// ```no_run
    /// # fn f(handle: &wasm_websocket::ReconnectHandle) -> Result<(), wasm_websocket::Error> {
    /// handle.disconnect_with(4001.into(), "paused")?;
    /// # Ok(()) }
    /// ```
    pub fn disconnect_with(&self, code: CloseCode, reason: &str) -> Result<(), Error> {
        self.session.disconnect_with(code, reason)
    }

    /// As [`ReconnectingSocket::close_with`]: closes the connection and stops reconnecting.
    ///
    /// # Errors
    /// As [`ReconnectingSocket::close_with`].
    ///
    /// ```no_run
    /// # fn f(handle: &wasm_websocket::ReconnectHandle) -> Result<(), wasm_websocket::Error> {
    /// handle.close_with(wasm_websocket::CloseCode::NORMAL, "bye")?;
    /// # Ok(()) }
    /// ```
    pub fn close_with(&self, code: CloseCode, reason: &str) -> Result<(), Error> {
        self.session.close_with(code, reason)
    }
}
