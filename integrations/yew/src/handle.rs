//! `UseWebSocketHandle`: what the hook gives a component.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;

use wasm_websocket::{CloseEvent, Error, Message, ReadyState, ReconnectSender, ReconnectStatus};
use yew::UseReducerHandle;

use crate::view::SocketView;

/// Turns a value into a message with the hook's codec.
pub(crate) type Encode<T> = Rc<dyn Fn(&T) -> Result<Message, Error>>;

/// The socket as a component sees it: state to render, and a sender to clone into callbacks.
/// Made by [`use_websocket`](crate::use_websocket) and
/// [`use_websocket_with`](crate::use_websocket_with).
pub struct UseWebSocketHandle<T: Clone + 'static> {
    pub(crate) view: UseReducerHandle<SocketView<T>>,
    pub(crate) sender: Rc<RefCell<Option<ReconnectSender>>>,
    pub(crate) encode: Encode<T>,
}

impl<T: Clone + 'static> Clone for UseWebSocketHandle<T> {
    fn clone(&self) -> Self {
        UseWebSocketHandle {
            view: self.view.clone(),
            sender: self.sender.clone(),
            encode: self.encode.clone(),
        }
    }
}

impl<T: Clone + PartialEq + 'static> PartialEq for UseWebSocketHandle<T> {
    fn eq(&self, other: &Self) -> bool {
        self.view == other.view && Rc::ptr_eq(&self.sender, &other.sender)
    }
}

impl<T: Clone + 'static> std::fmt::Debug for UseWebSocketHandle<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UseWebSocketHandle")
            .field("status", &self.view.status)
            .field("received", &self.view.received)
            .finish_non_exhaustive()
    }
}

impl<T: Clone + 'static> UseWebSocketHandle<T> {
    /// The current connection's ready state (`Connecting` between connections).
    ///
    /// ```no_run
    /// # fn f(ws: wasm_websocket_yew::UseWebSocketHandle<wasm_websocket::Message>) {
    /// let open = ws.ready_state() == wasm_websocket::ReadyState::Open;
    /// # }
    /// ```
    pub fn ready_state(&self) -> ReadyState {
        self.view.ready_state
    }

    /// What the socket is doing: connecting, open, waiting to retry (attempt and delay), gave up.
    ///
    /// ```no_run
    /// # fn f(ws: wasm_websocket_yew::UseWebSocketHandle<wasm_websocket::Message>) {
    /// let line = ws.status().to_string(); // "reconnecting in 1.2s (attempt 3)"
    /// # }
    /// ```
    pub fn status(&self) -> &ReconnectStatus {
        &self.view.status
    }

    /// The latest messages, oldest first, at most the
    /// [`history`](crate::UseWebSocketOptions::history) size.
    ///
    /// ```no_run
    /// # fn f(ws: wasm_websocket_yew::UseWebSocketHandle<wasm_websocket::Message>) {
    /// let last = ws.messages().back();
    /// # }
    /// ```
    pub fn messages(&self) -> &VecDeque<T> {
        &self.view.messages
    }

    /// How many messages have arrived in all.
    ///
    /// ```no_run
    /// # fn f(ws: wasm_websocket_yew::UseWebSocketHandle<wasm_websocket::Message>) {
    /// let count = ws.received();
    /// # }
    /// ```
    pub fn received(&self) -> u64 {
        self.view.received
    }

    /// The latest error: a message that did not decode, a send the socket failed to make, or why
    /// it gave up.
    ///
    /// ```no_run
    /// # fn f(ws: wasm_websocket_yew::UseWebSocketHandle<wasm_websocket::Message>) {
    /// let why = ws.last_error().map(ToString::to_string);
    /// # }
    /// ```
    pub fn last_error(&self) -> Option<&Error> {
        self.view.last_error.as_ref()
    }

    /// How the last connection closed.
    ///
    /// ```no_run
    /// # fn f(ws: wasm_websocket_yew::UseWebSocketHandle<wasm_websocket::Message>) {
    /// let code = ws.last_close().map(|ev| ev.code);
    /// # }
    /// ```
    pub fn last_close(&self) -> Option<&CloseEvent> {
        self.view.last_close.as_ref()
    }

    fn sender(&self) -> Result<ReconnectSender, Error> {
        self.sender
            .borrow()
            .clone()
            .ok_or(Error::NotOpen(ReadyState::Closed))
    }

    /// Encodes and sends `value`: to the browser at once when connected under the high-water
    /// mark, otherwise into the socket's bounded queue, flushed in order on (re)connection.
    ///
    /// # Errors
    /// [`Error::Encode`] from the codec; [`Error::QueueFull`] when it had to queue and the queue
    /// is full; [`Error::NotOpen`] before the first render's effect and after unmount;
    /// [`Error::GaveUp`] once the socket gave up.
    ///
    /// ```no_run
    /// # fn f(ws: wasm_websocket_yew::UseWebSocketHandle<wasm_websocket::Message>) -> Result<(), wasm_websocket::Error> {
    /// ws.send("hello".into())?;
    /// # Ok(()) }
    /// ```
    pub fn send(&self, value: T) -> Result<(), Error> {
        let message = (self.encode)(&value)?;
        Ok(self.sender()?.try_send(message)?)
    }

    /// Closes the connection with 1000 and stops reconnecting.
    ///
    /// # Errors
    /// As [`ReconnectingSocket::close`](wasm_websocket::ReconnectingSocket::close).
    ///
    /// ```no_run
    /// # fn f(ws: wasm_websocket_yew::UseWebSocketHandle<wasm_websocket::Message>) -> Result<(), wasm_websocket::Error> {
    /// ws.close()?;
    /// # Ok(()) }
    /// ```
    pub fn close(&self) -> Result<(), Error> {
        self.sender()?
            .close_with(wasm_websocket::CloseCode::NORMAL, "")
    }

    /// Retries now (see [`ReconnectingSocket::reconnect`](wasm_websocket::ReconnectingSocket::reconnect)).
    ///
    /// # Errors
    /// As [`ReconnectingSocket::reconnect`](wasm_websocket::ReconnectingSocket::reconnect).
    ///
    /// ```no_run
    /// # fn f(ws: wasm_websocket_yew::UseWebSocketHandle<wasm_websocket::Message>) -> Result<(), wasm_websocket::Error> {
    /// ws.reconnect()?;
    /// # Ok(()) }
    /// ```
    pub fn reconnect(&self) -> Result<(), Error> {
        self.sender()?.reconnect()
    }
}
