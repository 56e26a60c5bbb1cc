//! `WebSocketSender`: a `Copy + Send + Sync` handle for sending from event handlers, stores and
//! contexts, although the socket itself is `!Send`.

use leptos::prelude::{GetValue, LocalStorage, StoredValue};
use wasm_websocket::view::ViewHandle;
use wasm_websocket::{CloseCode, Error, ReadyState, TrySendError};

/// Sends through the hook's socket: the core's [`ViewHandle`], made `Copy + Send + Sync`. It
/// lives as long as the component's owner; after that, before the effect has started the
/// socket, or on another thread, every call is [`Error::NotOpen`]. Each method is the
/// [`ViewHandle`] one of the same name.
///
/// ```no_run
/// # fn f(sender: wasm_websocket_leptos::WebSocketSender<wasm_websocket::Message>) {
/// let ping = move |_: ()| sender.send("ping".into());
/// # }
/// ```
pub struct WebSocketSender<Tx: 'static> {
    pub(crate) handle: StoredValue<ViewHandle<Tx>, LocalStorage>,
}

impl<Tx> Clone for WebSocketSender<Tx> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<Tx> Copy for WebSocketSender<Tx> {}

impl<Tx> std::fmt::Debug for WebSocketSender<Tx> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WebSocketSender").finish_non_exhaustive()
    }
}

impl<Tx> WebSocketSender<Tx> {
    /// The core's handle, on the thread that made it (`None` elsewhere and once the owner is
    /// gone): for code that works with any framework's socket.
    ///
    /// ```no_run
    /// # fn f(sender: wasm_websocket_leptos::WebSocketSender<wasm_websocket::Message>) {
    /// let queued = sender.handle().map_or(0, |h| h.queued());
    /// # }
    /// ```
    pub fn handle(&self) -> Option<ViewHandle<Tx>> {
        self.handle.try_get_value()
    }

    fn with<R>(&self, call: impl FnOnce(ViewHandle<Tx>) -> Result<R, Error>) -> Result<R, Error> {
        self.handle()
            .ok_or(Error::NotOpen(ReadyState::Closed))
            .and_then(call)
    }

    /// See [`ViewHandle::send`]: queued while disconnected; refused, `value` comes back.
    ///
    /// # Errors
    /// As [`ViewHandle::send`].
    ///
    /// ```no_run
    /// # fn f(sender: wasm_websocket_leptos::WebSocketSender<wasm_websocket::Message>) {
    /// if let Err(refused) = sender.send("hello".into()) {
    ///     let hello = refused.into_inner(); // keep it, show it as unsent, try again
    /// }
    /// # }
    /// ```
    pub fn send(&self, value: Tx) -> Result<(), TrySendError<Tx>> {
        match self.handle() {
            Some(handle) => handle.send(value),
            None => Err(TrySendError::new(Error::NotOpen(ReadyState::Closed), value)),
        }
    }

    /// See [`ViewHandle::open`].
    ///
    /// # Errors
    /// As [`ViewHandle::open`].
    ///
    /// ```no_run
    /// # fn f(sender: wasm_websocket_leptos::WebSocketSender<wasm_websocket::Message>) -> Result<(), wasm_websocket::Error> {
    /// sender.open()?;
    /// # Ok(()) }
    /// ```
    pub fn open(&self) -> Result<(), Error> {
        self.with(|h| h.open())
    }

    /// See [`ViewHandle::close`]: closes with 1000 and stays idle until `open`.
    ///
    /// # Errors
    /// As [`ViewHandle::close`].
    ///
    /// ```no_run
    /// # fn f(sender: wasm_websocket_leptos::WebSocketSender<wasm_websocket::Message>) -> Result<(), wasm_websocket::Error> {
    /// sender.close()?;
    /// # Ok(()) }
    /// ```
    pub fn close(&self) -> Result<(), Error> {
        self.with(|h| h.close())
    }

    /// See [`ViewHandle::close_with`].
    ///
    /// # Errors
    /// As [`ViewHandle::close_with`].
    ///
    /// ```no_run
    /// # fn f(sender: wasm_websocket_leptos::WebSocketSender<wasm_websocket::Message>) -> Result<(), wasm_websocket::Error> {
    /// sender.close_with(4001.into(), "signed out")?;
    /// # Ok(()) }
    /// ```
    pub fn close_with(&self, code: CloseCode, reason: &str) -> Result<(), Error> {
        self.with(|h| h.close_with(code, reason))
    }

    /// See [`ViewHandle::reconnect`].
    ///
    /// # Errors
    /// As [`ViewHandle::reconnect`].
    ///
    /// ```no_run
    /// # fn f(sender: wasm_websocket_leptos::WebSocketSender<wasm_websocket::Message>) -> Result<(), wasm_websocket::Error> {
    /// sender.reconnect()?;
    /// # Ok(()) }
    /// ```
    pub fn reconnect(&self) -> Result<(), Error> {
        self.with(|h| h.reconnect())
    }
}
