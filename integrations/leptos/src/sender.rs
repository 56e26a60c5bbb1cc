//! `WebSocketSender`: a `Copy + Send + Sync` handle for sending from event handlers, stores and
//! contexts, although the socket itself is `!Send`.

use std::marker::PhantomData;
use std::rc::Rc;

use leptos::prelude::{GetValue, LocalStorage, StoredValue};
use wasm_websocket::{CloseCode, Error, Message, ReadyState, ReconnectHandle, TrySendError};

/// The encoder a sender uses, kept with the socket on the browser's thread.
pub(crate) type Encode<T> = Rc<dyn Fn(&T) -> Result<Message, Error>>;

/// Sends through the hook's socket. It lives as long as the component's owner; after that, or
/// before the effect has started the socket, or on another thread, sends return
/// [`Error::NotOpen`].
pub struct WebSocketSender<T: 'static> {
    pub(crate) socket: StoredValue<Option<ReconnectHandle>, LocalStorage>,
    pub(crate) encode: StoredValue<Encode<T>, LocalStorage>,
    pub(crate) item: PhantomData<fn(T)>,
}

impl<T> Clone for WebSocketSender<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for WebSocketSender<T> {}

impl<T> std::fmt::Debug for WebSocketSender<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WebSocketSender").finish_non_exhaustive()
    }
}

impl<T> WebSocketSender<T> {
    fn handle(&self) -> Result<ReconnectHandle, Error> {
        self.socket
            .try_get_value()
            .flatten()
            .ok_or(Error::NotOpen(ReadyState::Closed))
    }

    /// Encodes and sends `value`: to the browser at once when connected under the high-water
    /// mark, otherwise into the socket's bounded queue, flushed in order on (re)connection.
    /// Refused, `value` comes back in the error ([`TrySendError::into_inner`]); accepted, it is
    /// sent, or handed to [`on_unsent`](crate::UseWebSocketOptions::on_unsent) if the socket ends
    /// first.
    ///
    /// # Errors
    /// [`Error::Encode`] from the codec; [`Error::QueueFull`] when it had to queue and the queue
    /// is full; [`Error::NotOpen`] with no socket (see above); [`Error::GaveUp`] once the socket
    /// gave up. `?` keeps the [`Error`] alone.
    ///
    /// ```no_run
    /// # fn f(sender: wasm_websocket_leptos::WebSocketSender<wasm_websocket::Message>) -> Result<(), wasm_websocket::Error> {
    /// if let Err(refused) = sender.send("hello".into()) {
    ///     let hello = refused.into_inner(); // keep it, show it as unsent, try again
    /// }
    /// # Ok(()) }
    /// ```
    pub fn send(&self, value: T) -> Result<(), TrySendError<T>> {
        let sent = self
            .encode
            .try_get_value()
            .ok_or(Error::NotOpen(ReadyState::Closed))
            .and_then(|encode| encode(&value))
            .and_then(|message| self.handle().map(|handle| (handle, message)))
            .and_then(|(handle, message)| handle.try_send(message).map_err(Error::from));
        sent.map_err(|error| TrySendError::new(error, value))
    }

    /// Connects again after [`close`](WebSocketSender::close) (or when started with
    /// [`enabled`](crate::UseWebSocketOptions::enabled) false), with the backoff reset; what was
    /// sent meanwhile goes out on the new connection. A no-op while connected or connecting.
    ///
    /// # Errors
    /// [`Error::NotOpen`] with no socket; [`Error::GaveUp`] once the socket gave up.
    ///
    /// ```no_run
    /// # fn f(sender: wasm_websocket_leptos::WebSocketSender<wasm_websocket::Message>) -> Result<(), wasm_websocket::Error> {
    /// sender.open()?;
    /// # Ok(()) }
    /// ```
    pub fn open(&self) -> Result<(), Error> {
        self.handle()?.connect()
    }

    /// Closes the connection with 1000 and stays idle, without reconnecting, until
    /// [`open`](WebSocketSender::open). The socket itself ends with the component.
    ///
    /// # Errors
    /// [`Error::NotOpen`] with no socket; [`Error::GaveUp`] once the socket gave up.
    ///
    /// ```no_run
    /// # fn f(sender: wasm_websocket_leptos::WebSocketSender<wasm_websocket::Message>) -> Result<(), wasm_websocket::Error> {
    /// sender.close()?;
    /// # Ok(()) }
    /// ```
    pub fn close(&self) -> Result<(), Error> {
        self.close_with(CloseCode::NORMAL, "")
    }

    /// As [`close`](WebSocketSender::close), with a code and reason.
    ///
    /// # Errors
    /// [`Error::InvalidCloseCode`], [`Error::ReasonTooLong`]; [`Error::NotOpen`] with no socket;
    /// [`Error::GaveUp`] once the socket gave up.
    ///
    /// ```no_run
    /// # fn f(sender: wasm_websocket_leptos::WebSocketSender<wasm_websocket::Message>) -> Result<(), wasm_websocket::Error> {
    /// sender.close_with(4001.into(), "signed out")?;
    /// # Ok(()) }
    /// ```
    pub fn close_with(&self, code: CloseCode, reason: &str) -> Result<(), Error> {
        self.handle()?.disconnect_with(code, reason)
    }

    /// How many messages wait in the socket's queue (0 without a socket).
    ///
    /// ```no_run
    /// # fn f(sender: wasm_websocket_leptos::WebSocketSender<wasm_websocket::Message>) {
    /// println!("{} unsent", sender.queued());
    /// # }
    /// ```
    pub fn queued(&self) -> usize {
        self.handle().map_or(0, |s| s.queued())
    }

    /// The current connection's `bufferedAmount` (0 without one).
    ///
    /// ```no_run
    /// # fn f(sender: wasm_websocket_leptos::WebSocketSender<wasm_websocket::Message>) {
    /// println!("{} bytes not yet sent", sender.buffered_amount());
    /// # }
    /// ```
    pub fn buffered_amount(&self) -> u32 {
        self.handle().map_or(0, |s| s.buffered_amount())
    }

    /// The subprotocol the current connection's server selected (empty without one).
    ///
    /// ```no_run
    /// # fn f(sender: wasm_websocket_leptos::WebSocketSender<wasm_websocket::Message>) {
    /// let v2 = sender.protocol() == "v2";
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
    /// # fn f(sender: wasm_websocket_leptos::WebSocketSender<wasm_websocket::Message>) -> Result<(), wasm_websocket::Error> {
    /// sender.reconnect()?;
    /// # Ok(()) }
    /// ```
    pub fn reconnect(&self) -> Result<(), Error> {
        self.handle()?.reconnect()
    }
}
