//! `SocketView`: a reconnecting socket as a framework hook holds it. The state to render, the
//! handle to send through, the callbacks of the latest render, the listeners of the components
//! that share it, and `start`, whose guard ends the socket. A framework adds only how it
//! renders again and when it starts and ends.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::fmt;
use std::ops::Deref;
use std::rc::Rc;

use futures::future::{AbortHandle, Abortable, LocalBoxFuture};
use futures::FutureExt;

use crate::close::CloseEvent;
use crate::codec::Codec;
use crate::error::Error;
use crate::message::ReadyState;
use crate::reconnect::events::{ReconnectEvent, ReconnectStatus};
use crate::reconnect::handle::ReconnectHandle;
use crate::reconnect::socket::{ReconnectEvents, ReconnectingSocket};
use crate::view::handle::{ViewHandle, ViewSubscription};
use crate::view::listeners::{ListenerId, Listeners};
use crate::view::options::{latest, Callbacks, ViewOptions};
use crate::view::state::{ViewChange, ViewState};
use crate::view::Received;

/// What tells the framework to render again, with what changed.
type Render = Rc<dyn Fn(ViewChange)>;

/// Sends a request on the running socket and awaits its answer (see [`SocketView::request`]).
type Ask<Rx, Tx> = Rc<dyn Fn(Tx) -> LocalBoxFuture<'static, Result<Rx, Error>>>;

/// A reconnecting socket as a view holds it, made once per component by a framework hook and
/// shared by its renders (cheap to clone). It reads as its [`ViewState`] (the getters below)
/// and sends as its [`ViewHandle`] (it dereferences to one). [`start`](SocketView::start)
/// connects; the [`ViewRun`] it returns ends the socket when dropped.
///
/// Every event reaches the callbacks and the listeners at once, in order; the state is written
/// after each, and the framework is told to render at most once per animation frame, with what
/// changed since the last time.
///
/// ```no_run
/// use wasm_websocket::view::{SocketView, ViewOptions};
/// use wasm_websocket::Untyped;
///
/// let options = ViewOptions::<Untyped>::new("wss://example.com/feed").history(50);
/// let view = SocketView::new(&options, *options.is_enabled(), |change| {
///     if change.messages {
///         // render the list again
///     }
/// });
/// let running = view.start(options.url(), &options, *options.is_enabled());
/// view.send("hello".into()).ok();
/// drop(running); // closes with 1000; what was not sent goes to `on_unsent`
/// ```
pub struct SocketView<Rx: 'static, Tx: 'static = Rx> {
    handle: ViewHandle<Tx>,
    state: Rc<RefCell<ViewState<Rx>>>,
    callbacks: Rc<RefCell<Callbacks<Rx>>>,
    listeners: Rc<RefCell<Listeners<Rx>>>,
    render: Render,
    /// Requests on the socket running now; `None` before the first start.
    ask: Rc<RefCell<Option<Ask<Rx, Tx>>>>,
}

impl<Rx, Tx> Clone for SocketView<Rx, Tx> {
    fn clone(&self) -> Self {
        SocketView {
            handle: self.handle.clone(),
            state: self.state.clone(),
            callbacks: self.callbacks.clone(),
            listeners: self.listeners.clone(),
            render: self.render.clone(),
            ask: self.ask.clone(),
        }
    }
}

impl<Rx, Tx> fmt::Debug for SocketView<Rx, Tx> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SocketView")
            .field("version", &self.version())
            .finish_non_exhaustive()
    }
}

impl<Rx, Tx> Deref for SocketView<Rx, Tx> {
    type Target = ViewHandle<Tx>;

    fn deref(&self) -> &ViewHandle<Tx> {
        &self.handle
    }
}

impl<Rx: Clone + 'static, Tx: 'static> SocketView<Rx, Tx> {
    /// A view with no socket yet, idle or about to connect as `enabled` says; `render` is
    /// called (at most once per animation frame while events come) whenever it changed.
    ///
    /// ```no_run
    /// # use wasm_websocket::view::{SocketView, ViewOptions};
    /// let options = ViewOptions::<wasm_websocket::Untyped>::new("/ws");
    /// let view = SocketView::new(&options, true, |_change| { /* ask the framework to render */ });
    /// ```
    pub fn new<C, Url, Enabled>(
        options: &ViewOptions<C, Url, Enabled>,
        enabled: bool,
        render: impl Fn(ViewChange) + 'static,
    ) -> SocketView<Rx, Tx>
    where
        C: Codec<Incoming = Rx, Outgoing = Tx> + Clone + 'static,
    {
        let codec = options.codec.clone();
        SocketView {
            handle: ViewHandle {
                socket: Rc::default(),
                starts: Rc::default(),
                encode: Rc::new(move |value| codec.encode(value)),
                subscriptions: Rc::default(),
            },
            state: Rc::new(RefCell::new(ViewState::new(options.history, enabled))),
            callbacks: Rc::new(RefCell::new(options.callbacks.clone())),
            listeners: Rc::default(),
            render: Rc::new(render),
            ask: Rc::default(),
        }
    }

    /// Takes the callbacks and the socket builder of `options` (a later render's): the socket
    /// calls these from now on, never a stale one.
    ///
    /// ```no_run
    /// # fn f(view: wasm_websocket::view::SocketView<wasm_websocket::Message>) {
    /// let options = wasm_websocket::view::ViewOptions::<wasm_websocket::Untyped>::new("/ws").on_open(|| ());
    /// view.follow(&options);
    /// # }
    /// ```
    pub fn follow<C, Url, Enabled>(&self, options: &ViewOptions<C, Url, Enabled>)
    where
        C: Codec<Incoming = Rx>,
    {
        if let Ok(mut callbacks) = self.callbacks.try_borrow_mut() {
            *callbacks = options.callbacks.clone();
        }
    }

    /// Starts a socket to `url` with the codec, history and reconnection of `options`,
    /// connecting now or idle until enabled: the state starts over, the previous socket (if its
    /// guard is still held) goes on until that guard is dropped. Where there is no WebSocket
    /// the error shows as the last error.
    ///
    /// ```no_run
    /// # fn f(view: wasm_websocket::view::SocketView<wasm_websocket::Message>) {
    /// let options = wasm_websocket::view::ViewOptions::<wasm_websocket::Untyped>::new("/ws");
    /// let running = view.start("/ws", &options, true);
    /// # }
    /// ```
    pub fn start<C, Url, Enabled>(
        &self,
        url: &str,
        options: &ViewOptions<C, Url, Enabled>,
        enabled: bool,
    ) -> ViewRun
    where
        C: Codec<Incoming = Rx, Outgoing = Tx> + Clone + 'static,
    {
        let reset = self.write(|state| state.reset(enabled));
        (self.render)(reset);
        let url = url.to_owned();
        let callbacks = self.callbacks.clone();
        let first = options.callbacks.socket.clone();
        let builder = ReconnectingSocket::builder_async(move || {
            // The latest render's builder; the first one's while a render writes it.
            let socket = callbacks
                .try_borrow()
                .map_or_else(|_| first.clone(), |c| c.socket.clone());
            socket(&url)
        });
        let builder = match &options.handshake {
            Some(handshake) => builder.handshake(handshake.clone()),
            None => builder,
        };
        let started = (options.reconnect)(builder)
            .connect_on_start(enabled)
            .start();
        let mut run = ViewRun {
            id: self.handle.next_run(),
            socket: self.handle.socket.clone(),
            callbacks: self.callbacks.clone(),
            abort: None,
        };
        let socket = match started {
            Ok(socket) => socket,
            Err(error) => {
                self.fail(error);
                return run;
            }
        };
        if let Ok(mut now) = self.handle.socket.try_borrow_mut() {
            *now = Some((run.id, socket.handle()));
        }
        if let Ok(mut subscriptions) = self.handle.subscriptions.try_borrow_mut() {
            subscriptions.start_on(&socket.handle());
        }
        let requester = socket
            .handle()
            .requester(options.codec.clone())
            .timeout(options.request_timeout);
        let ask: Ask<Rx, Tx> = Rc::new(move |value| {
            let requester = requester.clone();
            async move { requester.request(value).await }.boxed_local()
        });
        if let Ok(mut now) = self.ask.try_borrow_mut() {
            *now = Some(ask);
        }
        let events = socket.events(options.codec.clone());
        let (abort, registration) = AbortHandle::new_pair();
        let relay = Abortable::new(self.clone().relay(events), registration);
        wasm_bindgen_futures::spawn_local(async move {
            let _ = relay.await;
        });
        run.abort = Some(abort);
        run
    }

    /// Sends `request` with an id of its own (through the codec, see
    /// [`Requester`](crate::reconnect::Requester)) and waits for the one answer that carries
    /// it, which goes to this request, not to the messages or `on_message`. Many may wait at
    /// once; each has the options' [`request_timeout`](ViewOptions::request_timeout).
    ///
    /// # Errors
    /// As [`Requester::request`](crate::reconnect::Requester::request): [`Error::NotOpen`]
    /// while no connection is open (or before the view starts), [`Error::NoAnswer`] after the
    /// timeout, [`Error::Closed`] when its connection ends first, [`Error::TooManyRequests`]
    /// past the limit.
    ///
    /// ```no_run
    /// # async fn f(view: wasm_websocket::view::SocketView<serde_json::Value>) -> Result<(), wasm_websocket::Error> {
    /// let answer = view.request(serde_json::json!({ "method": "add", "params": [1, 2] })).await?;
    /// # Ok(()) }
    /// ```
    pub async fn request(&self, request: Tx) -> Result<Rx, Error> {
        let ask = self
            .ask
            .try_borrow()
            .ok()
            .and_then(|ask| ask.clone())
            .ok_or(Error::NotOpen(ReadyState::Closed))?;
        ask(request).await
    }

    /// [`subscribe`](ViewHandle::subscribe), for a hook: a refusal shows as the last error
    /// (and reaches `on_error`) instead of coming back.
    ///
    /// ```no_run
    /// # fn f(view: wasm_websocket::view::SocketView<wasm_websocket::Message>) {
    /// let room = view.subscription("join #rust".into());
    /// # }
    /// ```
    pub fn subscription(&self, value: Tx) -> Option<ViewSubscription<Tx>> {
        match self.handle.subscribe(value) {
            Ok(subscription) => Some(subscription),
            Err(refused) => {
                let error = refused.into_parts().0;
                if let Some(on_error) = latest(&self.callbacks, |c| c.on_error.clone()) {
                    on_error(&error);
                }
                self.fail(error);
                None
            }
        }
    }

    /// Connects (`true`) or disconnects with 1000 (`false`) the running socket, as `enabled`
    /// says; an error shows as the last error.
    ///
    /// ```no_run
    /// # fn f(view: wasm_websocket::view::SocketView<wasm_websocket::Message>) {
    /// view.set_enabled(false);
    /// # }
    /// ```
    pub fn set_enabled(&self, enabled: bool) {
        let Ok(socket) = self.handle.running() else {
            return;
        };
        let done = if enabled {
            socket.connect()
        } else {
            socket.disconnect()
        };
        if let Err(error) = done {
            self.fail(error);
        }
    }

    fn fail(&self, error: Error) {
        let change = self.write(|state| state.fail(error));
        (self.render)(change);
    }

    fn write(&self, change: impl FnOnce(&mut ViewState<Rx>) -> ViewChange) -> ViewChange {
        self.state
            .try_borrow_mut()
            .map_or(ViewChange::NONE, |mut state| change(&mut state))
    }

    /// Hands every event to the callbacks and the listeners at once, and to the state, and
    /// tells the framework once per frame, until the socket ends.
    async fn relay<C>(self, events: ReconnectEvents<C>)
    where
        C: Codec<Incoming = Rx>,
    {
        let changed = Cell::new(ViewChange::NONE);
        let apply = |event: ReconnectEvent<Rx>| {
            // Only the callback this event needs is cloned out, and it is called with no
            // borrow held: it may render (which writes the callbacks), add a listener or read
            // the state.
            match &event {
                ReconnectEvent::Message(value) => {
                    let own = latest(&self.callbacks, |c| c.on_message.clone());
                    let added = self.listeners.try_borrow().map(|l| l.all());
                    for callback in own.iter().chain(added.iter().flatten()) {
                        callback(value);
                    }
                }
                ReconnectEvent::Error(error) => {
                    if let Some(on_error) = latest(&self.callbacks, |c| c.on_error.clone()) {
                        on_error(error);
                    }
                }
                ReconnectEvent::Status(ReconnectStatus::Open) => {
                    if let Some(on_open) = latest(&self.callbacks, |c| c.on_open.clone()) {
                        on_open();
                    }
                }
                ReconnectEvent::Disconnected { close, .. } => {
                    if let Some(on_close) = latest(&self.callbacks, |c| c.on_close.clone()) {
                        on_close(close);
                    }
                }
                _ => {}
            }
            changed.set(changed.get() | self.write(|state| state.apply(event)));
        };
        let render = || {
            let change = changed.replace(ViewChange::NONE);
            if change.any() {
                (self.render)(change);
            }
        };
        events.relay(apply, render).await;
    }
}

impl<Rx: 'static, Tx: 'static> SocketView<Rx, Tx> {
    /// Calls `callback` with every message from now on, in order, until
    /// [`unlisten`](SocketView::unlisten): each component that shares the view adds its own.
    ///
    /// ```no_run
    /// # fn f(view: wasm_websocket::view::SocketView<wasm_websocket::Message>) {
    /// let id = view.listen(|m| println!("{m:?}"));
    /// # }
    /// ```
    pub fn listen(&self, callback: impl Fn(&Rx) + 'static) -> ListenerId {
        let added = self.listeners.try_borrow_mut();
        added.map_or(ListenerId::UNKNOWN, |mut l| l.add(Rc::new(callback)))
    }

    /// Removes a callback [`listen`](SocketView::listen) added.
    ///
    /// ```no_run
    /// # fn f(view: wasm_websocket::view::SocketView<wasm_websocket::Message>, id: wasm_websocket::view::ListenerId) {
    /// view.unlisten(id);
    /// # }
    /// ```
    pub fn unlisten(&self, id: ListenerId) {
        if let Ok(mut listeners) = self.listeners.try_borrow_mut() {
            listeners.remove(id);
        }
    }

    /// The handle to send through, for an event handler (the view dereferences to it too).
    ///
    /// ```no_run
    /// # fn f(view: wasm_websocket::view::SocketView<wasm_websocket::Message>) {
    /// let handle = view.handle();
    /// let send = move || handle.send("ping".into());
    /// # }
    /// ```
    pub fn handle(&self) -> ViewHandle<Tx> {
        self.handle.clone()
    }

    /// Whether both are the same view (clones of one).
    ///
    /// ```no_run
    /// # fn f(view: wasm_websocket::view::SocketView<wasm_websocket::Message>) {
    /// assert!(view.same(&view.clone()));
    /// # }
    /// ```
    pub fn same(&self, other: &SocketView<Rx, Tx>) -> bool {
        Rc::ptr_eq(&self.state, &other.state)
    }

    fn read<R: Default>(&self, part: impl FnOnce(&ViewState<Rx>) -> R) -> R {
        self.state
            .try_borrow()
            .map(|s| part(&s))
            .unwrap_or_default()
    }

    /// The current connection's ready state (`Connecting` between connections).
    ///
    /// ```no_run
    /// # fn f(view: wasm_websocket::view::SocketView<wasm_websocket::Message>) {
    /// let open = view.ready_state() == wasm_websocket::ReadyState::Open;
    /// # }
    /// ```
    pub fn ready_state(&self) -> ReadyState {
        self.read(|s| Some(s.ready_state()))
            .unwrap_or(ReadyState::Closed)
    }

    /// What the socket is doing: connecting, open, waiting to retry (attempt and delay), gave
    /// up.
    ///
    /// ```no_run
    /// # fn f(view: wasm_websocket::view::SocketView<wasm_websocket::Message>) {
    /// let line = view.status().to_string(); // "reconnecting in 1.2s (attempt 3)"
    /// # }
    /// ```
    pub fn status(&self) -> ReconnectStatus {
        self.read(|s| Some(s.status().clone()))
            .unwrap_or(ReconnectStatus::Idle)
    }

    /// The latest messages, oldest first, each with its sequence number (a stable key).
    /// Shared, not copied: the history is cloned only if this `Rc` is still held when the next
    /// message comes.
    ///
    /// ```no_run
    /// # fn f(view: wasm_websocket::view::SocketView<wasm_websocket::Message>) {
    /// let last = view.messages().back().map(|m| m.seq);
    /// # }
    /// ```
    pub fn messages(&self) -> Rc<VecDeque<Received<Rx>>> {
        self.read(|s| s.messages().clone())
    }

    /// How many messages have arrived in all.
    ///
    /// ```no_run
    /// # fn f(view: wasm_websocket::view::SocketView<wasm_websocket::Message>) {
    /// let count = view.received();
    /// # }
    /// ```
    pub fn received(&self) -> u64 {
        self.read(ViewState::received)
    }

    /// The latest error: a message that did not decode, a send the socket failed to make, or
    /// why it gave up.
    ///
    /// ```no_run
    /// # fn f(view: wasm_websocket::view::SocketView<wasm_websocket::Message>) {
    /// let why = view.last_error().map(|e| e.to_string());
    /// # }
    /// ```
    pub fn last_error(&self) -> Option<Error> {
        self.read(|s| s.last_error().cloned())
    }

    /// How the last connection closed.
    ///
    /// ```no_run
    /// # fn f(view: wasm_websocket::view::SocketView<wasm_websocket::Message>) {
    /// let code = view.last_close().map(|ev| ev.code);
    /// # }
    /// ```
    pub fn last_close(&self) -> Option<CloseEvent> {
        self.read(|s| s.last_close().cloned())
    }

    /// How many changes the view has seen: equal versions show the same.
    ///
    /// ```no_run
    /// # fn f(view: wasm_websocket::view::SocketView<wasm_websocket::Message>) {
    /// let version = view.version();
    /// # }
    /// ```
    pub fn version(&self) -> u64 {
        self.read(ViewState::version)
    }
}

/// A running view's socket: dropping it stops the task that reads the socket, which closes it
/// with 1000 and removes every listener and timer, and hands what
/// [`send`](ViewHandle::send) accepted and it did not send to the latest `on_unsent`.
#[must_use = "the socket ends when this is dropped"]
pub struct ViewRun {
    /// Which start this is: a later one's socket is left alone.
    id: u64,
    socket: Rc<RefCell<Option<(u64, ReconnectHandle)>>>,
    callbacks: Rc<dyn UnsentTo>,
    abort: Option<AbortHandle>,
}

/// Where a running view hands what it did not send: the latest `on_unsent`, whatever the
/// message type.
trait UnsentTo {
    fn unsent(&self, messages: Vec<crate::message::Message>);
}

impl<T> UnsentTo for RefCell<Callbacks<T>> {
    fn unsent(&self, messages: Vec<crate::message::Message>) {
        let on_unsent = latest(self, |c| c.on_unsent.clone());
        if let Some(on_unsent) = on_unsent {
            on_unsent(messages);
        }
    }
}

impl fmt::Debug for ViewRun {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ViewRun")
            .field("started", &self.abort.is_some())
            .finish_non_exhaustive()
    }
}

impl Drop for ViewRun {
    fn drop(&mut self) {
        let socket = self
            .socket
            .try_borrow_mut()
            .ok()
            .and_then(|mut s| s.take_if(|(id, _)| *id == self.id))
            .map(|(_, socket)| socket);
        let unsent = socket.map(|s| s.take_unsent()).unwrap_or_default();
        if let Some(abort) = self.abort.take() {
            abort.abort();
        }
        if !unsent.is_empty() {
            self.callbacks.unsent(unsent);
        }
    }
}
