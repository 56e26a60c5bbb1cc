//! `Subscription`: a message a reconnecting socket sends again first on every new connection,
//! right after the handshake and before what was queued: the subscriptions a server forgets
//! when it restarts, re-made without the app rebuilding them.

use std::rc::{Rc, Weak};

use super::session::Session;
use crate::error::{Error, TrySendError};
use crate::message::Message;
use crate::socket::websocket::WebSocket;

/// A message sent now and again first on every later connection, after the
/// [`Handshake`](super::Handshake) and before anything queued, until this is dropped (or
/// [`end`](Subscription::end)ed). Made by
/// [`ReconnectHandle::subscribe`](super::ReconnectHandle::subscribe).
///
/// ```no_run
/// # fn f(handle: &wasm_websocket::ReconnectHandle) -> Result<(), wasm_websocket::TrySendError> {
/// use wasm_websocket::Message;
/// let prices = handle.subscribe(Message::Text(r#"{"subscribe":"prices"}"#.into()))?;
/// // Later: stop, and tell the server.
/// prices.end(Message::Text(r#"{"unsubscribe":"prices"}"#.into()))?;
/// # Ok(()) }
/// ```
#[derive(Debug)]
#[must_use = "dropping a subscription stops re-sending it"]
pub struct Subscription {
    session: Weak<Session>,
    id: u64,
}

impl Subscription {
    /// Registers `message` on `session` and sends it now if a connection is open (in its turn,
    /// like any send); otherwise the next connection sends it, after its handshake.
    pub(super) fn start(
        session: &Rc<Session>,
        message: Message,
    ) -> Result<Subscription, TrySendError> {
        if let Some(refused) = session.with(|s| s.refusal()) {
            return Err(TrySendError::new(refused, message));
        }
        let queued = if session.with(|s| s.open_connection().is_some()) {
            session.send_numbered(message.clone())?
        } else {
            None
        };
        let id = session.with(|s| s.resends.add(message, queued));
        Ok(Subscription {
            session: Rc::downgrade(session),
            id,
        })
    }

    /// Stops re-sending it, and sends `message` (an unsubscribe) in its turn, like any send.
    ///
    /// # Errors
    /// As [`ReconnectHandle::try_send`](super::ReconnectHandle::try_send); with
    /// [`Error::NotOpen`] once the socket is gone.
    ///
    /// ```no_run
    /// # fn f(s: wasm_websocket::reconnect::Subscription) -> Result<(), wasm_websocket::TrySendError> {
    /// s.end(wasm_websocket::Message::Text("unsubscribe".into()))?;
    /// # Ok(()) }
    /// ```
    pub fn end(self, message: Message) -> Result<(), TrySendError> {
        match self.session.upgrade() {
            Some(session) => session.send(message),
            None => Err(TrySendError::new(
                Error::NotOpen(crate::message::ReadyState::Closed),
                message,
            )),
        }
    }
}

impl Drop for Subscription {
    fn drop(&mut self) {
        if let Some(session) = self.session.upgrade() {
            session.with(|s| s.resends.remove(self.id));
        }
    }
}

/// Sends every subscription on the new connection `ws`, in order, first: a copy still queued
/// for the connection before is taken out, so that none goes twice.
pub(super) fn resend_all(session: &Session, ws: &WebSocket) -> Result<(), Error> {
    session.with(|s| {
        for (message, queued) in s.resends.for_new_connection() {
            if let Some(number) = queued {
                s.queue.remove(number);
            }
            ws.send_now(message)?;
        }
        Ok(())
    })
}
