//! `WebSocketSender`: a `Copy + Send + Sync` handle for sending from event handlers, stores and
//! contexts, although the socket itself is `!Send`.

use std::marker::PhantomData;
use std::rc::Rc;

use leptos::prelude::{GetValue, LocalStorage, StoredValue};
use wasm_websocket::{CloseCode, Error, Message, ReadyState, ReconnectSender};

/// The encoder a sender uses, kept with the socket on the browser's thread.
pub(crate) type Encode<T> = Rc<dyn Fn(&T) -> Result<Message, Error>>;

/// Sends through the hook's socket. It lives as long as the component's owner; after that, or
/// before the effect has started the socket, or on another thread, sends return
/// [`Error::NotOpen`].
pub struct WebSocketSender<T: 'static> {
    pub(crate) socket: StoredValue<Option<ReconnectSender>, LocalStorage>,
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
    fn sender(&self) -> Result<ReconnectSender, Error> {
        self.socket
            .try_get_value()
            .flatten()
            .ok_or(Error::NotOpen(ReadyState::Closed))
    }

    /// Encodes and sends `value`: to the browser at once when connected under the high-water
    /// mark, otherwise into the socket's bounded queue, flushed in order on (re)connection.
    ///
    /// # Errors
    /// [`Error::Encode`] from the codec; [`Error::QueueFull`] when it had to queue and the queue
    /// is full; [`Error::NotOpen`] with no socket (see above); [`Error::GaveUp`] once the socket
    /// gave up.
    ///
    /// ```no_run
    /// # fn f(sender: wasm_websocket_leptos::WebSocketSender<wasm_websocket::Message>) -> Result<(), wasm_websocket::Error> {
    /// sender.send("hello".into())?;
    /// # Ok(()) }
    /// ```
    pub fn send(&self, value: T) -> Result<(), Error> {
        let encode = self
            .encode
            .try_get_value()
            .ok_or(Error::NotOpen(ReadyState::Closed))?;
        let message = encode(&value)?;
        Ok(self.sender()?.try_send(message)?)
    }

    /// Closes the connection with 1000 and stops reconnecting.
    ///
    /// # Errors
    /// [`Error::NotOpen`] with no socket.
    ///
    /// ```no_run
    /// # fn f(sender: wasm_websocket_leptos::WebSocketSender<wasm_websocket::Message>) -> Result<(), wasm_websocket::Error> {
    /// sender.close()?;
    /// # Ok(()) }
    /// ```
    pub fn close(&self) -> Result<(), Error> {
        self.sender()?.close_with(CloseCode::NORMAL, "")
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
        self.sender()?.reconnect()
    }
}
