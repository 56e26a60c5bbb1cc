//! `ViewHandle`: what a view sends through, and how it is connected and disconnected.

use std::cell::{Cell, RefCell};
use std::fmt;
use std::rc::Rc;

use crate::close::CloseCode;
use crate::error::{Error, TrySendError};
use crate::message::{Message, ReadyState};
use crate::reconnect::handle::ReconnectHandle;
use crate::reconnect::subscription::Subscription;

/// Turns a value into a message with the view's codec.
pub(crate) type Encode<T> = Rc<dyn Fn(&T) -> Result<Message, Error>>;

/// Sends, connects, disconnects and reconnects a view's socket: the part of a
/// [`SocketView`](crate::view::SocketView) an event handler needs, typed by what it sends
/// (`Tx`, the codec's `Outgoing`). Cheap to clone; every clone drives the same socket, the one
/// the view runs now (none before it starts and after it ends: then each call is
/// [`Error::NotOpen`]).
///
/// ```
/// # fn f(ws: wasm_websocket::view::ViewHandle<wasm_websocket::Message>) {
/// if let Err(refused) = ws.send("hello".into()) {
///     let hello = refused.into_inner(); // keep it, show it as unsent, try again
/// }
/// # }
/// ```
pub struct ViewHandle<Tx: 'static = Message> {
    /// The running socket, with the number of the start that made it.
    pub(crate) socket: Rc<RefCell<Option<(u64, ReconnectHandle)>>>,
    /// How many starts there were.
    pub(crate) starts: Rc<Cell<u64>>,
    pub(crate) encode: Encode<Tx>,
    /// What each socket the view starts re-sends first on every connection.
    pub(crate) subscriptions: Rc<RefCell<ViewSubscriptions>>,
}

impl<Tx> Clone for ViewHandle<Tx> {
    fn clone(&self) -> Self {
        ViewHandle {
            socket: self.socket.clone(),
            starts: self.starts.clone(),
            encode: self.encode.clone(),
            subscriptions: self.subscriptions.clone(),
        }
    }
}

/// A view's subscriptions, each kept on the socket running now (and made again on the next
/// one the view starts, for a new URL say).
#[derive(Debug, Default)]
pub(crate) struct ViewSubscriptions {
    entries: Vec<(u64, Message, Option<Subscription>)>,
    next: u64,
}

impl ViewSubscriptions {
    /// Makes every subscription on `socket`, a socket the view just started.
    pub(crate) fn start_on(&mut self, socket: &ReconnectHandle) {
        for (_, message, running) in &mut self.entries {
            *running = socket.subscribe(message.clone()).ok();
        }
    }
}

/// A view's subscription (from [`ViewHandle::subscribe`]): sent again first on every new
/// connection, after the handshake, until this is dropped or [`end`](ViewSubscription::end)ed.
/// Framework hooks hold one per component (`use_subscription`), dropped at unmount.
#[derive(Debug)]
#[must_use = "dropping a subscription stops re-sending it"]
pub struct ViewSubscription<Tx: 'static = Message> {
    handle: ViewHandle<Tx>,
    id: u64,
}

impl<Tx> ViewSubscription<Tx> {
    /// Stops re-sending it, and sends `value` (an unsubscribe) as [`ViewHandle::send`] does.
    ///
    /// # Errors
    /// As [`ViewHandle::send`].
    ///
    /// ```no_run
    /// # fn f(s: wasm_websocket::view::ViewSubscription) -> Result<(), wasm_websocket::Error> {
    /// s.end("unsubscribe".into())?;
    /// # Ok(()) }
    /// ```
    pub fn end(self, value: Tx) -> Result<(), TrySendError<Tx>> {
        self.handle.send(value)
    }
}

impl<Tx> Drop for ViewSubscription<Tx> {
    fn drop(&mut self) {
        let removed = self.handle.subscriptions.try_borrow_mut().map(|mut s| {
            let at = s.entries.iter().position(|(id, ..)| *id == self.id);
            at.map(|at| s.entries.remove(at))
        });
        // The socket's own subscription is dropped here, with no borrow held.
        drop(removed);
    }
}

impl<Tx> fmt::Debug for ViewHandle<Tx> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ViewHandle")
            .field("running", &self.running().is_ok())
            .finish_non_exhaustive()
    }
}

impl<Tx> ViewHandle<Tx> {
    /// The number of a new start.
    pub(crate) fn next_run(&self) -> u64 {
        let id = self.starts.get().wrapping_add(1);
        self.starts.set(id);
        id
    }

    /// The running socket.
    pub(crate) fn running(&self) -> Result<ReconnectHandle, Error> {
        let running = self.socket.try_borrow().ok().and_then(|s| s.clone());
        running
            .map(|(_, socket)| socket)
            .ok_or(Error::NotOpen(ReadyState::Closed))
    }

    /// Encodes and sends `value`: to the browser at once when connected under the high-water
    /// mark, otherwise into the socket's bounded queue, flushed in order on (re)connection.
    /// Refused, `value` comes back in the error ([`TrySendError::into_inner`]); accepted, it is
    /// sent, or handed to [`on_unsent`](crate::view::ViewOptions::on_unsent) if the view
    /// ends first.
    ///
    /// # Errors
    /// [`Error::Encode`] from the codec; [`Error::QueueFull`] when it had to queue and the queue
    /// is full; [`Error::NotOpen`] before the view starts and after it ends;
    /// [`Error::GaveUp`] once the socket gave up. `?` keeps the [`Error`] alone.
    ///
    /// ```no_run
    /// # fn f(ws: wasm_websocket::view::ViewHandle) -> Result<(), wasm_websocket::Error> {
    /// if let Err(refused) = ws.send("hello".into()) {
    ///     let hello = refused.into_inner(); // keep it, show it as unsent, try again
    /// }
    /// # Ok(()) }
    /// ```
    pub fn send(&self, value: Tx) -> Result<(), TrySendError<Tx>> {
        let sent = (self.encode)(&value)
            .and_then(|message| self.running().map(|handle| (handle, message)))
            .and_then(|(handle, message)| handle.try_send(message).map_err(Error::from));
        sent.map_err(|error| TrySendError::new(error, value))
    }

    /// Sends `value` now (or on the next connection) and again first on every later
    /// connection, after the handshake and before anything queued, until the
    /// [`ViewSubscription`] is dropped: what a server forgets when it restarts. It is made again
    /// on every socket the view starts.
    ///
    /// # Errors
    /// [`Error::Encode`] from the codec; what the running socket refuses the first send with
    /// ([`Error::QueueFull`], say). Before the view starts it is only kept, for the first
    /// connection.
    ///
    /// ```no_run
    /// # fn f(ws: wasm_websocket::view::ViewHandle) -> Result<(), wasm_websocket::Error> {
    /// let prices = ws.subscribe("subscribe prices".into())?;
    /// # Ok(()) }
    /// ```
    pub fn subscribe(&self, value: Tx) -> Result<ViewSubscription<Tx>, TrySendError<Tx>> {
        let message = match (self.encode)(&value) {
            Ok(message) => message,
            Err(error) => return Err(TrySendError::new(error, value)),
        };
        let running = match self.running() {
            Ok(socket) => match socket.subscribe(message.clone()) {
                Ok(subscription) => Some(subscription),
                Err(refused) => return Err(TrySendError::new(refused.into_parts().0, value)),
            },
            Err(_) => None,
        };
        let Ok(mut subscriptions) = self.subscriptions.try_borrow_mut() else {
            return Err(TrySendError::new(Error::NotOpen(ReadyState::Closed), value));
        };
        let id = subscriptions.next;
        subscriptions.next = id.wrapping_add(1);
        subscriptions.entries.push((id, message, running));
        Ok(ViewSubscription {
            handle: self.clone(),
            id,
        })
    }

    /// Connects again after [`close`](ViewHandle::close) (or when started with
    /// [`enabled`](crate::view::ViewOptions::enabled) false), with the backoff reset; what was
    /// sent meanwhile goes out on the new connection. A no-op while connected or connecting.
    ///
    /// # Errors
    /// [`Error::NotOpen`] before the view starts and after it ends; [`Error::GaveUp`]
    /// once the socket gave up.
    ///
    /// ```no_run
    /// # fn f(ws: wasm_websocket::view::ViewHandle) -> Result<(), wasm_websocket::Error> {
    /// ws.open()?;
    /// # Ok(()) }
    /// ```
    pub fn open(&self) -> Result<(), Error> {
        self.running()?.connect()
    }

    /// Closes the connection with 1000 and stays idle, without reconnecting, until
    /// [`open`](ViewHandle::open). The socket itself ends with the view.
    ///
    /// # Errors
    /// [`Error::NotOpen`] before the view starts and after it ends; [`Error::GaveUp`]
    /// once the socket gave up.
    ///
    /// ```no_run
    /// # fn f(ws: wasm_websocket::view::ViewHandle) -> Result<(), wasm_websocket::Error> {
    /// ws.close()?;
    /// # Ok(()) }
    /// ```
    pub fn close(&self) -> Result<(), Error> {
        self.close_with(CloseCode::NORMAL, "")
    }

    /// As [`close`](ViewHandle::close), with a code and reason.
    ///
    /// # Errors
    /// [`Error::InvalidCloseCode`], [`Error::ReasonTooLong`]; [`Error::NotOpen`] as for `close`.
    ///
    /// ```no_run
    /// # fn f(ws: wasm_websocket::view::ViewHandle) -> Result<(), wasm_websocket::Error> {
    /// ws.close_with(4001.into(), "signed out")?;
    /// # Ok(()) }
    /// ```
    pub fn close_with(&self, code: CloseCode, reason: &str) -> Result<(), Error> {
        self.running()?.disconnect_with(code, reason)
    }

    /// How many messages wait in the socket's queue (0 without a socket).
    ///
    /// ```no_run
    /// # fn f(ws: wasm_websocket::view::ViewHandle) {
    /// println!("{} unsent", ws.queued());
    /// # }
    /// ```
    pub fn queued(&self) -> usize {
        self.running().map_or(0, |s| s.queued())
    }

    /// The current connection's `bufferedAmount` (0 without one).
    ///
    /// ```no_run
    /// # fn f(ws: wasm_websocket::view::ViewHandle) {
    /// println!("{} bytes not yet sent", ws.buffered_amount());
    /// # }
    /// ```
    pub fn buffered_amount(&self) -> u32 {
        self.running().map_or(0, |s| s.buffered_amount())
    }

    /// The subprotocol the current connection's server selected (empty without one).
    ///
    /// ```no_run
    /// # fn f(ws: wasm_websocket::view::ViewHandle) {
    /// let v2 = ws.protocol() == "v2";
    /// # }
    /// ```
    pub fn protocol(&self) -> String {
        self.running().map(|s| s.protocol()).unwrap_or_default()
    }

    /// Retries now (see [`ReconnectingSocket::reconnect`](crate::ReconnectingSocket::reconnect)).
    ///
    /// # Errors
    /// As [`ReconnectingSocket::reconnect`](crate::ReconnectingSocket::reconnect).
    ///
    /// ```no_run
    /// # fn f(ws: wasm_websocket::view::ViewHandle) -> Result<(), wasm_websocket::Error> {
    /// ws.reconnect()?;
    /// # Ok(()) }
    /// ```
    pub fn reconnect(&self) -> Result<(), Error> {
        self.running()?.reconnect()
    }
}
