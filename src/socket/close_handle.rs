//! [`CloseHandle`]: closing a socket, and watching its state, after it has been split.

use std::future::poll_fn;
use std::rc::Rc;

use crate::close::{CloseCode, CloseEvent};
use crate::error::Error;
use crate::message::ReadyState;
use crate::socket::shared::Shared;

/// A cloneable handle to close a [`WebSocket`](crate::WebSocket) and watch its state, usable
/// after the socket has been split. Made by [`WebSocket::close_handle`](crate::WebSocket::close_handle).
///
/// Like the socket's halves, a handle keeps the socket open while it lives.
///
/// ```no_run
/// # async fn run() -> Result<(), wasm_websocket::Error> {
/// use futures::StreamExt;
/// let ws = wasm_websocket::WebSocket::connect("/ws").await?;
/// let handle = ws.close_handle();
/// let (_sink, mut stream) = ws.split();
/// while let Some(msg) = stream.next().await {
///     if msg? == wasm_websocket::Message::Text("bye".into()) {
///         handle.close()?;
///     }
/// }
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct CloseHandle {
    pub(crate) shared: Rc<Shared>,
}

impl CloseHandle {
    /// Starts the closing handshake with code 1000; see [`WebSocket::close`](crate::WebSocket::close).
    ///
    /// # Errors
    /// None in practice; an unexpected browser exception would be [`Error::Js`].
    ///
    /// ```no_run
    /// # fn f(handle: wasm_websocket::socket::CloseHandle) -> Result<(), wasm_websocket::Error> {
    /// handle.close()?;
    /// # Ok(()) }
    /// ```
    pub fn close(&self) -> Result<(), Error> {
        self.shared.close(CloseCode::NORMAL, "")
    }

    /// Starts the closing handshake with a code and reason; see
    /// [`WebSocket::close_with`](crate::WebSocket::close_with).
    ///
    /// # Errors
    /// - [`Error::InvalidCloseCode`]: `code` is not 1000 or 3000–4999.
    /// - [`Error::ReasonTooLong`]: `reason` is over 123 UTF-8 bytes.
    ///
    /// ```no_run
    /// # fn f(handle: wasm_websocket::socket::CloseHandle) -> Result<(), wasm_websocket::Error> {
    /// handle.close_with(4000.into(), "bye")?;
    /// # Ok(()) }
    /// ```
    pub fn close_with(&self, code: CloseCode, reason: &str) -> Result<(), Error> {
        self.shared.close(code, reason)
    }

    /// Resolves with the [`CloseEvent`] once the socket is closed.
    ///
    /// ```no_run
    /// # async fn f(handle: wasm_websocket::socket::CloseHandle) {
    /// let ev = handle.closed().await;
    /// # }
    /// ```
    pub async fn closed(&self) -> CloseEvent {
        poll_fn(|cx| self.shared.poll_closed(cx)).await
    }

    /// The connection state.
    ///
    /// ```no_run
    /// # fn f(handle: wasm_websocket::socket::CloseHandle) {
    /// let open = handle.ready_state() == wasm_websocket::ReadyState::Open;
    /// # }
    /// ```
    pub fn ready_state(&self) -> ReadyState {
        self.shared.ready_state()
    }

    /// Bytes handed to the browser that have not been transmitted yet.
    ///
    /// ```no_run
    /// # fn f(handle: wasm_websocket::socket::CloseHandle) {
    /// let pending = handle.buffered_amount();
    /// # }
    /// ```
    pub fn buffered_amount(&self) -> u32 {
        self.shared.read_buffered_amount()
    }
}
