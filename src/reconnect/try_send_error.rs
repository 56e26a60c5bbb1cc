//! `TrySendError`: a refused message, given back with the reason.

use crate::error::Error;
use crate::message::Message;

/// A message [`ReconnectingSocket::try_send`](super::ReconnectingSocket::try_send) refused, given
/// back with why, so that nothing is lost: keep it, retry it later, or show it as unsent.
///
/// `?` turns it into the [`Error`] alone, for callers that do not want the message back.
///
/// ```no_run
/// # fn f(socket: &wasm_websocket::ReconnectingSocket) {
/// use wasm_websocket::{Error, Message};
/// if let Err(refused) = socket.try_send(Message::Text("hi".into())) {
///     if matches!(refused.error(), Error::QueueFull { .. }) {
///         let message: Message = refused.into_inner(); // send it again later
///     }
/// }
/// # }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrySendError {
    error: Error,
    message: Message,
}

impl TrySendError {
    pub(crate) fn new(error: Error, message: Message) -> TrySendError {
        TrySendError { error, message }
    }

    /// Why the message was refused.
    ///
    /// ```no_run
    /// # fn f(e: &wasm_websocket::TrySendError) {
    /// println!("not sent: {}", e.error());
    /// # }
    /// ```
    pub fn error(&self) -> &Error {
        &self.error
    }

    /// The refused message.
    ///
    /// ```no_run
    /// # fn f(e: wasm_websocket::TrySendError) {
    /// let message = e.into_inner();
    /// # }
    /// ```
    pub fn into_inner(self) -> Message {
        self.message
    }

    /// Both: why, and the message.
    ///
    /// ```no_run
    /// # fn f(e: wasm_websocket::TrySendError) {
    /// let (error, message) = e.into_parts();
    /// # }
    /// ```
    pub fn into_parts(self) -> (Error, Message) {
        (self.error, self.message)
    }
}

impl std::fmt::Display for TrySendError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Display::fmt(&self.error, f)
    }
}

impl std::error::Error for TrySendError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.error)
    }
}

impl From<TrySendError> for Error {
    fn from(refused: TrySendError) -> Error {
        refused.error
    }
}
