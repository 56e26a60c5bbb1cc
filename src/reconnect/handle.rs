//! `ReconnectSender`: a cloneable handle that sends through a reconnecting socket, for event
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
/// with the same errors the socket's would. Made by [`ReconnectingSocket::sender`].
///
/// ```no_run
/// # fn f(socket: &wasm_websocket::ReconnectingSocket) -> Result<(), wasm_websocket::Error> {
/// let sender = socket.sender();
/// let on_click = move || sender.try_send(wasm_websocket::Message::Text("clicked".into()));
/// on_click()?;
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct ReconnectSender {
    session: Rc<Session>,
}

impl std::fmt::Debug for ReconnectSender {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReconnectSender")
            .field("status", &self.status())
            .finish_non_exhaustive()
    }
}

impl ReconnectingSocket {
    /// A cloneable handle that sends, connects, disconnects, reconnects and closes this socket.
    ///
    /// ```no_run
    /// # fn f(socket: &wasm_websocket::ReconnectingSocket) {
    /// let sender = socket.sender();
    /// # }
    /// ```
    pub fn sender(&self) -> ReconnectSender {
        ReconnectSender {
            session: self.session_rc(),
        }
    }
}

impl ReconnectSender {
    /// As [`ReconnectingSocket::try_send`].
    ///
    /// # Errors
    /// As [`ReconnectingSocket::try_send`].
    ///
    /// ```no_run
    /// # fn f(sender: &wasm_websocket::ReconnectSender) -> Result<(), wasm_websocket::Error> {
    /// sender.try_send(wasm_websocket::Message::Text("hi".into()))?;
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
    /// # async fn f(sender: &wasm_websocket::ReconnectSender) -> Result<(), wasm_websocket::Error> {
    /// sender.send(wasm_websocket::Message::Text("hi".into())).await?;
    /// # Ok(()) }
    /// ```
    pub async fn send(&self, message: Message) -> Result<(), Error> {
        self.session.send_when_ready(message).await
    }

    /// As [`ReconnectingSocket::queued`].
    ///
    /// ```no_run
    /// # fn f(sender: &wasm_websocket::ReconnectSender) {
    /// println!("{} waiting", sender.queued());
    /// # }
    /// ```
    pub fn queued(&self) -> usize {
        self.session.queued()
    }

    /// As [`ReconnectingSocket::buffered_amount`].
    ///
    /// ```no_run
    /// # fn f(sender: &wasm_websocket::ReconnectSender) {
    /// println!("{} bytes not yet sent", sender.buffered_amount());
    /// # }
    /// ```
    pub fn buffered_amount(&self) -> u32 {
        self.session.buffered_amount()
    }

    /// As [`ReconnectingSocket::protocol`].
    ///
    /// ```no_run
    /// # fn f(sender: &wasm_websocket::ReconnectSender) {
    /// let v2 = sender.protocol() == "v2";
    /// # }
    /// ```
    pub fn protocol(&self) -> String {
        self.session.protocol()
    }

    /// As [`ReconnectingSocket::status`].
    ///
    /// ```no_run
    /// # fn f(sender: &wasm_websocket::ReconnectSender) {
    /// println!("{}", sender.status());
    /// # }
    /// ```
    pub fn status(&self) -> ReconnectStatus {
        self.session.status()
    }

    /// As [`ReconnectingSocket::ready_state`].
    ///
    /// ```no_run
    /// # fn f(sender: &wasm_websocket::ReconnectSender) {
    /// let open = sender.ready_state() == wasm_websocket::ReadyState::Open;
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
    /// # fn f(sender: &wasm_websocket::ReconnectSender) -> Result<(), wasm_websocket::Error> {
    /// sender.reconnect()?;
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
    /// # fn f(sender: &wasm_websocket::ReconnectSender) -> Result<(), wasm_websocket::Error> {
    /// sender.connect()?;
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
    /// # fn f(sender: &wasm_websocket::ReconnectSender) -> Result<(), wasm_websocket::Error> {
    /// sender.disconnect()?;
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
    /// # fn f(sender: &wasm_websocket::ReconnectSender) -> Result<(), wasm_websocket::Error> {
    /// sender.disconnect_with(4001.into(), "paused")?;
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
    /// # fn f(sender: &wasm_websocket::ReconnectSender) -> Result<(), wasm_websocket::Error> {
    /// sender.close_with(wasm_websocket::CloseCode::NORMAL, "bye")?;
    /// # Ok(()) }
    /// ```
    pub fn close_with(&self, code: CloseCode, reason: &str) -> Result<(), Error> {
        self.session.close_with(code, reason)
    }
}
