use std::cell::RefCell;
use std::collections::VecDeque;
use std::future::{poll_fn, Future};
use std::pin::Pin;
use std::rc::{Rc, Weak};
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use futures::stream::FusedStream;
use futures::{Stream, StreamExt};
use gloo_events::EventListener;
use wasm_bindgen::JsCast;

use crate::backoff::Retries;
use crate::close::validate_close;
use crate::send_queue::SendQueue;
use crate::shared::Shared;
use crate::timer::Timer;
use crate::{
    Backoff, Builder, CloseCode, CloseEvent, Error, Message, MessageKind, QueuePolicy, WebSocket,
};

/// What happened to a [`ReconnectingSocket`], in order.
///
/// ```
/// use std::time::Duration;
/// use wasm_websocket::ReconnectEvent;
/// let ev = ReconnectEvent::ReconnectScheduled { attempt: 2, delay: Duration::from_millis(300) };
/// assert!(matches!(ev, ReconnectEvent::ReconnectScheduled { attempt: 2, .. }));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ReconnectEvent {
    /// Connection attempt `attempt` (1 for the first) has started.
    Connecting {
        /// The attempt's number, counting from 1 over the socket's life.
        attempt: u32,
    },
    /// The connection is open; queued messages have been handed to it.
    Open,
    /// A message arrived (heartbeat pongs are not reported nor yielded).
    Message(MessageKind),
    /// The connection closed, or an attempt failed, with this close event.
    Disconnected(CloseEvent),
    /// The next attempt will start after `delay`, unless the browser comes back online first.
    ReconnectScheduled {
        /// The number the next attempt will have.
        attempt: u32,
        /// The jittered wait.
        delay: Duration,
    },
    /// No more attempts: the retry limit was reached, the close policy said so, a permanent
    /// error occurred, or the socket was closed by its user. Always the last event.
    GaveUp,
}

/// An application-level heartbeat: browsers cannot send WebSocket pings, so a ping message is
/// sent every `interval`, and if no pong (or, optionally, no message at all) arrives within
/// `timeout`, the connection is considered dead and closed with
/// [`CloseCode::HEARTBEAT_TIMEOUT`] (4000), which lets the reconnecting socket try again.
///
/// ```
/// use std::time::Duration;
/// use wasm_websocket::{Heartbeat, Message};
/// let hb = Heartbeat::new(Duration::from_secs(20), Duration::from_secs(5))
///     .ping(Message::Text("ping".into()))
///     .pong(|m| *m == Message::Text("pong".into()));
/// ```
#[derive(Clone)]
#[must_use = "a heartbeat does nothing until given to ReconnectBuilder::heartbeat"]
pub struct Heartbeat {
    interval: Duration,
    timeout: Duration,
    ping: Message,
    is_pong: Rc<dyn Fn(&Message) -> bool>,
    any_message_counts: bool,
}

impl std::fmt::Debug for Heartbeat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Heartbeat")
            .field("interval", &self.interval)
            .field("timeout", &self.timeout)
            .field("ping", &self.ping)
            .field("any_message_counts", &self.any_message_counts)
            .finish_non_exhaustive()
    }
}

impl Heartbeat {
    /// Pings every `interval` (idle time after the last pong), waits `timeout` for the pong. The
    /// default ping is the text `"ping"`, the default pong the text `"pong"`.
    ///
    /// ```
    /// use std::time::Duration;
    /// let hb = wasm_websocket::Heartbeat::new(Duration::from_secs(20), Duration::from_secs(5));
    /// ```
    pub fn new(interval: Duration, timeout: Duration) -> Heartbeat {
        Heartbeat {
            interval,
            timeout,
            ping: Message::Text("ping".into()),
            is_pong: Rc::new(|m| matches!(m, Message::Text(t) if t == "pong")),
            any_message_counts: false,
        }
    }

    /// The message sent as a ping.
    ///
    /// ```
    /// # let hb = wasm_websocket::Heartbeat::new(std::time::Duration::from_secs(20), std::time::Duration::from_secs(5));
    /// let hb = hb.ping(wasm_websocket::Message::Text(r#"{"type":"ping"}"#.into()));
    /// ```
    pub fn ping(mut self, ping: Message) -> Heartbeat {
        self.ping = ping;
        self
    }

    /// Recognises the pong; pongs are consumed, not yielded.
    ///
    /// ```
    /// # let hb = wasm_websocket::Heartbeat::new(std::time::Duration::from_secs(20), std::time::Duration::from_secs(5));
    /// use wasm_websocket::Message;
    /// let hb = hb.pong(|m| matches!(m, Message::Text(t) if t.contains("pong")));
    /// ```
    pub fn pong(mut self, is_pong: impl Fn(&Message) -> bool + 'static) -> Heartbeat {
        self.is_pong = Rc::new(is_pong);
        self
    }

    /// Whether any received message proves the peer alive, not only a pong (default false).
    ///
    /// ```
    /// # let hb = wasm_websocket::Heartbeat::new(std::time::Duration::from_secs(20), std::time::Duration::from_secs(5));
    /// let hb = hb.any_message_counts(true);
    /// ```
    pub fn any_message_counts(mut self, counts: bool) -> Heartbeat {
        self.any_message_counts = counts;
        self
    }
}

/// Configures a [`ReconnectingSocket`]; made by [`ReconnectingSocket::builder`].
#[must_use = "a builder does nothing until start()"]
pub struct ReconnectBuilder {
    provider: Box<dyn FnMut() -> Builder>,
    backoff: Backoff,
    max_retries: Option<u32>,
    reset_after: Duration,
    should_reconnect: Box<dyn Fn(&CloseEvent) -> bool>,
    queue_capacity: usize,
    queue_policy: QueuePolicy,
    heartbeat: Option<Heartbeat>,
    record_events: bool,
    seed: Option<u64>,
}

impl std::fmt::Debug for ReconnectBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReconnectBuilder")
            .field("backoff", &self.backoff)
            .field("max_retries", &self.max_retries)
            .field("reset_after", &self.reset_after)
            .field("queue_capacity", &self.queue_capacity)
            .field("queue_policy", &self.queue_policy)
            .field("heartbeat", &self.heartbeat)
            .finish_non_exhaustive()
    }
}

impl ReconnectBuilder {
    /// The backoff between failed attempts (default: 500 ms doubling up to 30 s, full jitter).
    ///
    /// ```no_run
    /// # let b = wasm_websocket::ReconnectingSocket::builder(|| wasm_websocket::WebSocket::builder("/ws"));
    /// use std::time::Duration;
    /// let b = b.backoff(wasm_websocket::Backoff::new(Duration::from_secs(1), 1.5, Duration::from_secs(10)));
    /// ```
    pub fn backoff(mut self, backoff: Backoff) -> ReconnectBuilder {
        self.backoff = backoff;
        self
    }

    /// Gives up after this many retries since the last stable connection (default: never).
    ///
    /// ```no_run
    /// # let b = wasm_websocket::ReconnectingSocket::builder(|| wasm_websocket::WebSocket::builder("/ws"));
    /// let b = b.max_retries(10);
    /// ```
    pub fn max_retries(mut self, retries: u32) -> ReconnectBuilder {
        self.max_retries = Some(retries);
        self
    }

    /// A connection that stayed up this long resets the backoff and the retry count (default 5 s).
    ///
    /// ```no_run
    /// # let b = wasm_websocket::ReconnectingSocket::builder(|| wasm_websocket::WebSocket::builder("/ws"));
    /// let b = b.reset_after(std::time::Duration::from_secs(30));
    /// ```
    pub fn reset_after(mut self, uptime: Duration) -> ReconnectBuilder {
        self.reset_after = uptime;
        self
    }

    /// Decides, from the close event, whether to reconnect (default: always, except after
    /// [`ReconnectingSocket::close`]). Return false for codes your server uses as final.
    ///
    /// ```no_run
    /// # let b = wasm_websocket::ReconnectingSocket::builder(|| wasm_websocket::WebSocket::builder("/ws"));
    /// // 4401: the server's "session revoked".
    /// let b = b.should_reconnect(|ev| ev.code != wasm_websocket::CloseCode::from(4401));
    /// ```
    pub fn should_reconnect(
        mut self,
        policy: impl Fn(&CloseEvent) -> bool + 'static,
    ) -> ReconnectBuilder {
        self.should_reconnect = Box::new(policy);
        self
    }

    /// How many messages sent while disconnected may wait (default 1,000), and what happens when
    /// one more comes (default [`QueuePolicy::RejectNew`]).
    ///
    /// ```no_run
    /// # let b = wasm_websocket::ReconnectingSocket::builder(|| wasm_websocket::WebSocket::builder("/ws"));
    /// let b = b.queue(100, wasm_websocket::QueuePolicy::DropOldest);
    /// ```
    pub fn queue(mut self, capacity: usize, policy: QueuePolicy) -> ReconnectBuilder {
        self.queue_capacity = capacity;
        self.queue_policy = policy;
        self
    }

    /// Adds an application-level heartbeat.
    ///
    /// ```no_run
    /// # let b = wasm_websocket::ReconnectingSocket::builder(|| wasm_websocket::WebSocket::builder("/ws"));
    /// use std::time::Duration;
    /// let b = b.heartbeat(wasm_websocket::Heartbeat::new(Duration::from_secs(20), Duration::from_secs(5)));
    /// ```
    pub fn heartbeat(mut self, heartbeat: Heartbeat) -> ReconnectBuilder {
        self.heartbeat = Some(heartbeat);
        self
    }

    /// Records [`ReconnectEvent`]s for [`ReconnectingSocket::events`] (default off).
    ///
    /// ```no_run
    /// # let b = wasm_websocket::ReconnectingSocket::builder(|| wasm_websocket::WebSocket::builder("/ws"));
    /// let b = b.record_events(true);
    /// ```
    pub fn record_events(mut self, record: bool) -> ReconnectBuilder {
        self.record_events = record;
        self
    }

    /// Seeds the jitter, for reproducible schedules in tests.
    ///
    /// ```no_run
    /// # let b = wasm_websocket::ReconnectingSocket::builder(|| wasm_websocket::WebSocket::builder("/ws"));
    /// let b = b.jitter_seed(42);
    /// ```
    pub fn jitter_seed(mut self, seed: u64) -> ReconnectBuilder {
        self.seed = Some(seed);
        self
    }

    /// Starts connecting in the background and returns at once.
    ///
    /// # Errors
    /// [`Error::Unsupported`] off the web. Errors of a connection attempt (an invalid URL from the
    /// provider, say) end the message stream with that error and [`ReconnectEvent::GaveUp`].
    ///
    /// ```no_run
    /// # let b = wasm_websocket::ReconnectingSocket::builder(|| wasm_websocket::WebSocket::builder("/ws"));
    /// let socket = b.start()?;
    /// # Ok::<(), wasm_websocket::Error>(())
    /// ```
    pub fn start(self) -> Result<ReconnectingSocket, Error> {
        if !crate::is_supported() {
            return Err(Error::Unsupported);
        }
        let inner = Rc::new(Inner {
            state: RefCell::new(State {
                current: None,
                queue: SendQueue::new(self.queue_capacity, self.queue_policy),
                messages: VecDeque::new(),
                reader: None,
                events: self.record_events.then(VecDeque::new),
                events_reader: None,
                driver: None,
                stopped: false,
                dropped: false,
                online_again: false,
                ended: false,
            }),
        });
        wasm_bindgen_futures::spawn_local(drive(Rc::downgrade(&inner), self));
        Ok(ReconnectingSocket { inner })
    }
}

struct State {
    current: Option<Rc<Shared>>,
    queue: SendQueue,
    messages: VecDeque<Result<Message, Error>>,
    reader: Option<Waker>,
    events: Option<VecDeque<ReconnectEvent>>,
    events_reader: Option<Waker>,
    driver: Option<Waker>,
    /// Closed by the user (`close`) or dropped: no more attempts.
    stopped: bool,
    dropped: bool,
    online_again: bool,
    ended: bool,
}

struct Inner {
    state: RefCell<State>,
}

impl Inner {
    fn with<R>(&self, f: impl FnOnce(&mut State) -> R) -> R {
        f(&mut self.state.borrow_mut())
    }

    fn emit(&self, event: ReconnectEvent) {
        let waker = self.with(|s| {
            s.events.as_mut()?.push_back(event);
            s.events_reader.take()
        });
        if let Some(w) = waker {
            w.wake();
        }
    }

    fn deliver(&self, item: Result<Message, Error>) {
        let waker = self.with(|s| {
            s.messages.push_back(item);
            s.reader.take()
        });
        if let Some(w) = waker {
            w.wake();
        }
    }

    fn stopped(&self, cx: &Context<'_>) -> bool {
        self.with(|s| {
            s.driver = Some(cx.waker().clone());
            s.stopped
        })
    }

    fn stop(&self, dropped: bool) {
        let waker = self.with(|s| {
            s.stopped = true;
            s.dropped |= dropped;
            s.driver.take()
        });
        if let Some(w) = waker {
            w.wake();
        }
    }

    /// Makes `shared` the connection to send on, then hands it the queue in order.
    fn connected(&self, shared: Rc<Shared>) {
        self.with(|s| {
            while let Some(message) = s.queue.pop() {
                if shared.send(&message).is_err() {
                    s.queue.unpop(message);
                    break;
                }
            }
            s.current = Some(shared);
        });
    }

    fn end(&self) {
        let wakers = self.with(|s| {
            s.ended = true;
            s.current = None;
            [s.reader.take(), s.events_reader.take()]
        });
        wakers.into_iter().flatten().for_each(Waker::wake);
    }
}

/// A WebSocket that reconnects: exponential backoff with full jitter, a close policy, a bounded
/// queue for messages sent while disconnected, an optional heartbeat, and a message stream that
/// spans connections. Made by [`ReconnectingSocket::builder`].
///
/// Exactly one task schedules attempts, keyed on the close event only, so an `error` followed by
/// a `close` never schedules two. When the browser fires `online` a waiting attempt starts at
/// once; while `navigator.onLine` is false, attempts wait. Dropping the socket closes the
/// connection and removes every listener and timer.
///
/// ```no_run
/// # fn token() -> String { String::new() }
/// # async fn run() -> Result<(), wasm_websocket::Error> {
/// use futures::StreamExt;
/// use wasm_websocket::{ReconnectingSocket, WebSocket};
///
/// let mut socket = ReconnectingSocket::builder(|| WebSocket::builder(format!("/ws?token={}", token())))
///     .max_retries(10)
///     .start()?;
/// socket.send("hello".into())?; // queued until the first connection opens
/// while let Some(message) = socket.next().await {
///     println!("{:?}", message?);
/// }
/// # Ok(()) }
/// ```
#[must_use = "a reconnecting socket stops when dropped"]
pub struct ReconnectingSocket {
    inner: Rc<Inner>,
}

impl std::fmt::Debug for ReconnectingSocket {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReconnectingSocket").finish_non_exhaustive()
    }
}

impl ReconnectingSocket {
    /// A builder; `provider` is called before every attempt, so URLs and tokens can change.
    ///
    /// ```no_run
    /// let b = wasm_websocket::ReconnectingSocket::builder(|| wasm_websocket::WebSocket::builder("/ws"));
    /// ```
    pub fn builder(provider: impl FnMut() -> Builder + 'static) -> ReconnectBuilder {
        ReconnectBuilder {
            provider: Box::new(provider),
            backoff: Backoff::default(),
            max_retries: None,
            reset_after: Duration::from_secs(5),
            should_reconnect: Box::new(|_| true),
            queue_capacity: 1_000,
            queue_policy: QueuePolicy::default(),
            heartbeat: None,
            record_events: false,
            seed: None,
        }
    }

    /// Sends now if connected, otherwise queues the message for the next connection.
    ///
    /// # Errors
    /// - [`Error::QueueFull`]: disconnected, the queue is full and the policy is
    ///   [`QueuePolicy::RejectNew`].
    /// - [`Error::NotOpen`]: the socket was closed by [`ReconnectingSocket::close`].
    ///
    /// ```no_run
    /// # fn f(socket: &wasm_websocket::ReconnectingSocket) -> Result<(), wasm_websocket::Error> {
    /// socket.send(wasm_websocket::Message::Text("hi".into()))?;
    /// # Ok(()) }
    /// ```
    pub fn send(&self, message: Message) -> Result<(), Error> {
        self.inner.with(|s| {
            if s.stopped {
                return Err(Error::NotOpen(crate::ReadyState::Closed));
            }
            match &s.current {
                Some(shared) if shared.ready_state() == crate::ReadyState::Open => {
                    shared.send(&message)
                }
                _ => s.queue.push(message),
            }
        })
    }

    /// Takes back the messages still waiting for a connection.
    ///
    /// ```no_run
    /// # fn f(socket: &wasm_websocket::ReconnectingSocket) {
    /// let unsent = socket.take_unsent();
    /// # }
    /// ```
    pub fn take_unsent(&self) -> Vec<Message> {
        self.inner.with(|s| s.queue.take_all())
    }

    /// Closes the connection with 1000 and stops reconnecting; the streams end after the close.
    ///
    /// # Errors
    /// None in practice; see [`ReconnectingSocket::close_with`].
    ///
    /// ```no_run
    /// # fn f(socket: &wasm_websocket::ReconnectingSocket) -> Result<(), wasm_websocket::Error> {
    /// socket.close()?;
    /// # Ok(()) }
    /// ```
    pub fn close(&self) -> Result<(), Error> {
        self.close_with(CloseCode::NORMAL, "")
    }

    /// Closes the connection with a code and reason and stops reconnecting.
    ///
    /// # Errors
    /// - [`Error::InvalidCloseCode`]: `code` is not 1000 or 3000–4999.
    /// - [`Error::ReasonTooLong`]: `reason` is over 123 UTF-8 bytes.
    ///
    /// ```no_run
    /// # fn f(socket: &wasm_websocket::ReconnectingSocket) -> Result<(), wasm_websocket::Error> {
    /// socket.close_with(4000.into(), "logged out")?;
    /// # Ok(()) }
    /// ```
    pub fn close_with(&self, code: CloseCode, reason: &str) -> Result<(), Error> {
        validate_close(code, reason)?;
        let current = self.inner.with(|s| s.current.clone());
        if let Some(shared) = current {
            shared.close(code, reason)?;
        }
        self.inner.stop(false);
        Ok(())
    }

    /// The [`ReconnectEvent`]s, if [`ReconnectBuilder::record_events`] was set.
    ///
    /// ```no_run
    /// # fn f(socket: &wasm_websocket::ReconnectingSocket) {
    /// let events = socket.events().expect("recording");
    /// # }
    /// ```
    pub fn events(&self) -> Option<ReconnectEvents> {
        self.inner
            .with(|s| s.events.is_some())
            .then(|| ReconnectEvents {
                inner: self.inner.clone(),
            })
    }
}

impl Drop for ReconnectingSocket {
    fn drop(&mut self) {
        self.inner.stop(true);
    }
}

impl Stream for ReconnectingSocket {
    type Item = Result<Message, Error>;

    /// Messages from every connection, in order; ends once the socket has given up or was closed.
    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.with(|s| match s.messages.pop_front() {
            Some(item) => Poll::Ready(Some(item)),
            None if s.ended => Poll::Ready(None),
            None => {
                s.reader = Some(cx.waker().clone());
                Poll::Pending
            }
        })
    }
}

impl FusedStream for ReconnectingSocket {
    fn is_terminated(&self) -> bool {
        self.inner.with(|s| s.ended && s.messages.is_empty())
    }
}

/// The [`ReconnectEvent`]s of a [`ReconnectingSocket`], ending after [`ReconnectEvent::GaveUp`].
///
/// ```no_run
/// # async fn f(socket: wasm_websocket::ReconnectingSocket) {
/// use futures::StreamExt;
/// let mut events = socket.events().expect("recording");
/// while let Some(event) = events.next().await {
///     println!("{event:?}");
/// }
/// # }
/// ```
#[derive(Debug)]
#[must_use = "streams do nothing unless polled"]
pub struct ReconnectEvents {
    inner: Rc<Inner>,
}

impl Stream for ReconnectEvents {
    type Item = ReconnectEvent;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<ReconnectEvent>> {
        self.inner.with(|s| {
            let ended = s.ended;
            let Some(events) = s.events.as_mut() else {
                return Poll::Ready(None);
            };
            match events.pop_front() {
                Some(event) => Poll::Ready(Some(event)),
                None if ended => Poll::Ready(None),
                None => {
                    s.events_reader = Some(cx.waker().clone());
                    Poll::Pending
                }
            }
        })
    }
}

impl std::fmt::Debug for Inner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Inner").finish_non_exhaustive()
    }
}

/// `navigator.onLine`, true where unknown.
fn online() -> bool {
    js_sys::Reflect::get(&js_sys::global(), &"navigator".into())
        .and_then(|nav| js_sys::Reflect::get(&nav, &"onLine".into()))
        .ok()
        .and_then(|v| v.as_bool())
        .unwrap_or(true)
}

/// Wakes the driver when the browser comes back online.
fn watch_online(weak: Weak<Inner>) -> Option<EventListener> {
    let target = js_sys::global().dyn_into::<web_sys::EventTarget>().ok()?;
    crate::live::add(1);
    Some(EventListener::new(&target, "online", move |_| {
        if let Some(inner) = weak.upgrade() {
            let waker = inner.with(|s| {
                s.online_again = true;
                s.driver.take()
            });
            if let Some(w) = waker {
                w.wake();
            }
        }
    }))
}

enum Outcome<T> {
    Done(T),
    Stopped,
}

/// Runs `future` until it completes or the socket is stopped.
async fn unless_stopped<F: Future + Unpin>(inner: &Inner, mut future: F) -> Outcome<F::Output> {
    poll_fn(|cx| {
        if inner.stopped(cx) {
            return Poll::Ready(Outcome::Stopped);
        }
        Pin::new(&mut future).poll(cx).map(Outcome::Done)
    })
    .await
}

/// Whether an attempt that failed this way may be retried.
fn retryable(error: &Error) -> bool {
    matches!(
        error,
        Error::ConnectFailed(_) | Error::Timeout(_) | Error::ProtocolNotNegotiated { .. }
    )
}

async fn drive(weak: Weak<Inner>, mut config: ReconnectBuilder) {
    let Some(inner) = weak.upgrade() else { return };
    let online_listener = watch_online(weak);
    let seed = config
        .seed
        .unwrap_or_else(|| (js_sys::Math::random() * u64::MAX as f64) as u64);
    let mut retries = Retries::new(config.backoff, seed);
    let mut attempt = 0u32;
    loop {
        // While offline, wait for `online` (or the user) rather than burn attempts.
        while !online() {
            let woken = unless_stopped(
                &inner,
                Box::pin(poll_fn(|_| {
                    if inner.with(|s| std::mem::take(&mut s.online_again)) {
                        Poll::Ready(())
                    } else {
                        Poll::Pending
                    }
                })),
            )
            .await;
            if matches!(woken, Outcome::Stopped) {
                break;
            }
        }
        attempt += 1;
        inner.emit(ReconnectEvent::Connecting { attempt });
        let builder = (config.provider)();
        let ws = match unless_stopped(&inner, Box::pin(builder.connect())).await {
            Outcome::Stopped => break,
            Outcome::Done(Ok(ws)) => ws,
            Outcome::Done(Err(error)) => {
                if let Error::ConnectFailed(ev) = &error {
                    inner.emit(ReconnectEvent::Disconnected(ev.clone()));
                }
                if !retryable(&error) {
                    inner.deliver(Err(error));
                    break;
                }
                match schedule(&inner, &config, &mut retries, attempt).await {
                    Some(()) => continue,
                    None => break,
                }
            }
        };
        let opened_at = js_sys::Date::now();
        inner.connected(ws.shared.clone());
        inner.emit(ReconnectEvent::Open);
        let Some(ev) = run_connection(&inner, ws, config.heartbeat.as_ref()).await else {
            break;
        };
        inner.emit(ReconnectEvent::Disconnected(ev.clone()));
        if inner.with(|s| s.stopped) || !(config.should_reconnect)(&ev) {
            break;
        }
        let uptime = Duration::from_secs_f64((js_sys::Date::now() - opened_at).max(0.0) / 1000.0);
        retries.connection_lasted(uptime, config.reset_after);
        if schedule(&inner, &config, &mut retries, attempt)
            .await
            .is_none()
        {
            break;
        }
    }
    inner.emit(ReconnectEvent::GaveUp);
    inner.end();
    if online_listener.is_some() {
        crate::live::remove(1);
    }
}

/// Waits before the next attempt; `None` when there is none (limit reached, or stopped).
async fn schedule(
    inner: &Inner,
    config: &ReconnectBuilder,
    retries: &mut Retries,
    attempt: u32,
) -> Option<()> {
    if config.max_retries.is_some_and(|max| retries.count() >= max) || inner.with(|s| s.stopped) {
        return None;
    }
    let delay = retries.next_delay();
    inner.emit(ReconnectEvent::ReconnectScheduled {
        attempt: attempt + 1,
        delay,
    });
    inner.with(|s| s.online_again = false);
    let mut timer = Timer::new(delay);
    let wait = poll_fn(|cx| {
        if inner.with(|s| std::mem::take(&mut s.online_again)) {
            return Poll::Ready(());
        }
        Pin::new(&mut timer).poll(cx)
    });
    match unless_stopped(inner, Box::pin(wait)).await {
        Outcome::Done(()) => Some(()),
        Outcome::Stopped => None,
    }
}

/// Pumps one open connection until it closes; `None` when the socket was stopped.
async fn run_connection(
    inner: &Inner,
    mut ws: WebSocket,
    heartbeat: Option<&Heartbeat>,
) -> Option<CloseEvent> {
    enum Step {
        Item(Option<Result<Message, Error>>),
        Tick,
    }
    // The heartbeat timer: the next ping while idle, the pong deadline while awaiting.
    let mut awaiting_pong = false;
    let mut tick = heartbeat.map(|h| Timer::new(h.interval));
    loop {
        let step = poll_fn(|cx| {
            if let Poll::Ready(item) = ws.poll_next_unpin(cx) {
                return Poll::Ready(Step::Item(item));
            }
            match tick.as_mut().map(|t| Pin::new(t).poll(cx)) {
                Some(Poll::Ready(())) => Poll::Ready(Step::Tick),
                _ => Poll::Pending,
            }
        });
        let step = match unless_stopped(inner, Box::pin(step)).await {
            Outcome::Done(step) => step,
            Outcome::Stopped => {
                if inner.with(|s| s.dropped) {
                    return None;
                }
                let _ = ws.close();
                let ev = ws.closed().await;
                inner.emit(ReconnectEvent::Disconnected(ev));
                return None;
            }
        };
        match step {
            Step::Item(Some(Ok(message))) => {
                if let Some(h) = heartbeat {
                    let pong = (h.is_pong)(&message);
                    if pong || h.any_message_counts {
                        awaiting_pong = false;
                        tick = Some(Timer::new(h.interval));
                    }
                    if pong {
                        continue;
                    }
                }
                let kind = match message {
                    Message::Text(_) => MessageKind::Text,
                    _ => MessageKind::Binary,
                };
                inner.deliver(Ok(message));
                inner.emit(ReconnectEvent::Message(kind));
            }
            // The close event says it all; other errors (a fault that closed the connection)
            // are the user's to see.
            Step::Item(Some(Err(Error::Closed(_) | Error::ConnectFailed(_)))) => {}
            Step::Item(Some(Err(error))) => inner.deliver(Err(error)),
            Step::Item(None) => break,
            Step::Tick => {
                let Some(h) = heartbeat else { continue };
                if awaiting_pong {
                    let _ = ws.close_with(CloseCode::HEARTBEAT_TIMEOUT, "heartbeat timeout");
                    tick = None;
                } else {
                    let _ = ws.shared.send(&h.ping);
                    awaiting_pong = true;
                    tick = Some(Timer::new(h.timeout));
                }
            }
        }
    }
    inner.with(|s| s.current = None);
    Some(ws.closed().await)
}
