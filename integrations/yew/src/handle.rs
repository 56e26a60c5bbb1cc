//! `UseWebSocketHandle`: what the hook gives a component.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;

use wasm_websocket::view::Received;
use wasm_websocket::{
    CloseEvent, Error, Message, ReadyState, ReconnectHandle, ReconnectStatus, TrySendError,
};
use yew::Callback;

use crate::view::SocketView;

/// Turns a value into a message with the hook's codec.
pub(crate) type Encode<T> = Rc<dyn Fn(&T) -> Result<Message, Error>>;

/// The message callbacks components added with [`use_on_message`](crate::use_on_message).
pub(crate) type Listeners<T> = Rc<RefCell<Vec<Callback<T>>>>;

/// The socket as a component sees it: state to render, and a sender to clone into callbacks.
/// Made by [`use_websocket`](crate::use_websocket) and
/// [`use_websocket_with`](crate::use_websocket_with). `Rx` is what it receives, `Tx` what it
/// sends (the codec's `Incoming` and `Outgoing`). Its getters read the socket's state as of the
/// latest event; the component renders again at most once per frame while events come.
pub struct UseWebSocketHandle<Rx: Clone + 'static, Tx: 'static = Rx> {
    pub(crate) view: Rc<RefCell<SocketView<Rx>>>,
    pub(crate) sender: Rc<RefCell<Option<ReconnectHandle>>>,
    pub(crate) encode: Encode<Tx>,
    pub(crate) listeners: Listeners<Rx>,
    /// The view's version when this handle was made: the view is shared, so two handles are
    /// told apart by this.
    pub(crate) version: u64,
}

impl<Rx: Clone, Tx> Clone for UseWebSocketHandle<Rx, Tx> {
    fn clone(&self) -> Self {
        UseWebSocketHandle {
            view: self.view.clone(),
            sender: self.sender.clone(),
            encode: self.encode.clone(),
            listeners: self.listeners.clone(),
            version: self.version,
        }
    }
}

/// Equal while nothing changed that a render shows: a context of it updates its consumers once
/// per change.
impl<Rx: Clone, Tx> PartialEq for UseWebSocketHandle<Rx, Tx> {
    fn eq(&self, other: &Self) -> bool {
        self.version == other.version && Rc::ptr_eq(&self.sender, &other.sender)
    }
}

impl<Rx: Clone, Tx> std::fmt::Debug for UseWebSocketHandle<Rx, Tx> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UseWebSocketHandle")
            .field("version", &self.version)
            .finish_non_exhaustive()
    }
}

impl<Rx: Clone, Tx> UseWebSocketHandle<Rx, Tx> {
    /// The current connection's ready state (`Connecting` between connections).
    ///
    /// ```no_run
    /// # fn f(ws: wasm_websocket_yew::UseWebSocketHandle<wasm_websocket::Message>) {
    /// let open = ws.ready_state() == wasm_websocket::ReadyState::Open;
    /// # }
    /// ```
    pub fn ready_state(&self) -> ReadyState {
        self.view.borrow().ready_state
    }

    /// What the socket is doing: connecting, open, waiting to retry (attempt and delay), gave up.
    ///
    /// ```no_run
    /// # fn f(ws: wasm_websocket_yew::UseWebSocketHandle<wasm_websocket::Message>) {
    /// let line = ws.status().to_string(); // "reconnecting in 1.2s (attempt 3)"
    /// # }
    /// ```
    pub fn status(&self) -> ReconnectStatus {
        self.view.borrow().status.clone()
    }

    /// The latest messages, oldest first, at most the
    /// [`history`](crate::UseWebSocketOptions::history) size, each with its sequence number (a
    /// stable `key`). Shared, not copied: the history is cloned only if this `Rc` is still held
    /// when the next message comes.
    ///
    /// ```no_run
    /// # fn f(ws: wasm_websocket_yew::UseWebSocketHandle<wasm_websocket::Message>) {
    /// let last = ws.messages().back().map(|m| m.seq);
    /// # }
    /// ```
    pub fn messages(&self) -> Rc<VecDeque<Received<Rx>>> {
        self.view.borrow().messages.clone()
    }

    /// How many messages have arrived in all.
    ///
    /// ```no_run
    /// # fn f(ws: wasm_websocket_yew::UseWebSocketHandle<wasm_websocket::Message>) {
    /// let count = ws.received();
    /// # }
    /// ```
    pub fn received(&self) -> u64 {
        self.view.borrow().received
    }

    /// The latest error: a message that did not decode, a send the socket failed to make, or why
    /// it gave up.
    ///
    /// ```no_run
    /// # fn f(ws: wasm_websocket_yew::UseWebSocketHandle<wasm_websocket::Message>) {
    /// let why = ws.last_error().map(|e| e.to_string());
    /// # }
    /// ```
    pub fn last_error(&self) -> Option<Error> {
        self.view.borrow().last_error.clone()
    }

    /// How the last connection closed.
    ///
    /// ```no_run
    /// # fn f(ws: wasm_websocket_yew::UseWebSocketHandle<wasm_websocket::Message>) {
    /// let code = ws.last_close().map(|ev| ev.code);
    /// # }
    /// ```
    pub fn last_close(&self) -> Option<CloseEvent> {
        self.view.borrow().last_close.clone()
    }

    fn handle(&self) -> Result<ReconnectHandle, Error> {
        self.sender
            .borrow()
            .clone()
            .ok_or(Error::NotOpen(ReadyState::Closed))
    }

    /// Encodes and sends `value`: to the browser at once when connected under the high-water
    /// mark, otherwise into the socket's bounded queue, flushed in order on (re)connection.
    /// Refused, `value` comes back in the error ([`TrySendError::into_inner`]); accepted, it is
    /// sent, or handed to [`on_unsent`](crate::UseWebSocketOptions::on_unsent) if the component
    /// unmounts first.
    ///
    /// # Errors
    /// [`Error::Encode`] from the codec; [`Error::QueueFull`] when it had to queue and the queue
    /// is full; [`Error::NotOpen`] before the first render's effect and after unmount;
    /// [`Error::GaveUp`] once the socket gave up. `?` keeps the [`Error`] alone.
    ///
    /// ```no_run
    /// # fn f(ws: wasm_websocket_yew::UseWebSocketHandle<wasm_websocket::Message>) -> Result<(), wasm_websocket::Error> {
    /// if let Err(refused) = ws.send("hello".into()) {
    ///     let hello = refused.into_inner(); // keep it, show it as unsent, try again
    /// }
    /// # Ok(()) }
    /// ```
    pub fn send(&self, value: Tx) -> Result<(), TrySendError<Tx>> {
        let sent = (self.encode)(&value)
            .and_then(|message| self.handle().map(|handle| (handle, message)))
            .and_then(|(handle, message)| handle.try_send(message).map_err(Error::from));
        sent.map_err(|error| TrySendError::new(error, value))
    }

    /// Connects again after [`close`](UseWebSocketHandle::close) (or when started with
    /// [`enabled`](crate::UseWebSocketOptions::enabled) false), with the backoff reset; what was
    /// sent meanwhile goes out on the new connection. A no-op while connected or connecting.
    ///
    /// # Errors
    /// [`Error::NotOpen`] before the first render's effect and after unmount; [`Error::GaveUp`]
    /// once the socket gave up.
    ///
    /// ```no_run
    /// # fn f(ws: wasm_websocket_yew::UseWebSocketHandle<wasm_websocket::Message>) -> Result<(), wasm_websocket::Error> {
    /// ws.open()?;
    /// # Ok(()) }
    /// ```
    pub fn open(&self) -> Result<(), Error> {
        self.handle()?.connect()
    }

    /// Closes the connection with 1000 and stays idle, without reconnecting, until
    /// [`open`](UseWebSocketHandle::open). The socket itself ends with the component.
    ///
    /// # Errors
    /// [`Error::NotOpen`] before the first render's effect and after unmount; [`Error::GaveUp`]
    /// once the socket gave up.
    ///
    /// ```no_run
    /// # fn f(ws: wasm_websocket_yew::UseWebSocketHandle<wasm_websocket::Message>) -> Result<(), wasm_websocket::Error> {
    /// ws.close()?;
    /// # Ok(()) }
    /// ```
    pub fn close(&self) -> Result<(), Error> {
        self.close_with(wasm_websocket::CloseCode::NORMAL, "")
    }

    /// As [`close`](UseWebSocketHandle::close), with a code and reason.
    ///
    /// # Errors
    /// [`Error::InvalidCloseCode`], [`Error::ReasonTooLong`]; [`Error::NotOpen`] as for `close`.
    ///
    /// ```no_run
    /// # fn f(ws: wasm_websocket_yew::UseWebSocketHandle<wasm_websocket::Message>) -> Result<(), wasm_websocket::Error> {
    /// ws.close_with(4001.into(), "signed out")?;
    /// # Ok(()) }
    /// ```
    pub fn close_with(&self, code: wasm_websocket::CloseCode, reason: &str) -> Result<(), Error> {
        self.handle()?.disconnect_with(code, reason)
    }

    /// How many messages wait in the socket's queue (0 without a socket).
    ///
    /// ```no_run
    /// # fn f(ws: wasm_websocket_yew::UseWebSocketHandle<wasm_websocket::Message>) {
    /// println!("{} unsent", ws.queued());
    /// # }
    /// ```
    pub fn queued(&self) -> usize {
        self.handle().map_or(0, |s| s.queued())
    }

    /// The current connection's `bufferedAmount` (0 without one).
    ///
    /// ```no_run
    /// # fn f(ws: wasm_websocket_yew::UseWebSocketHandle<wasm_websocket::Message>) {
    /// println!("{} bytes not yet sent", ws.buffered_amount());
    /// # }
    /// ```
    pub fn buffered_amount(&self) -> u32 {
        self.handle().map_or(0, |s| s.buffered_amount())
    }

    /// The subprotocol the current connection's server selected (empty without one).
    ///
    /// ```no_run
    /// # fn f(ws: wasm_websocket_yew::UseWebSocketHandle<wasm_websocket::Message>) {
    /// let v2 = ws.protocol() == "v2";
    /// # }
    /// ```
    pub fn protocol(&self) -> String {
        self.handle().map(|s| s.protocol()).unwrap_or_default()
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
        self.handle()?.reconnect()
    }
}
