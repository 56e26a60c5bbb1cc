//! `ReconnectBuilder`: how a reconnecting socket retries, queues and checks its peer.

use std::future::Future;
use std::rc::Rc;
use std::time::Duration;

use super::backoff::Backoff;
use super::driver::{drive, Policy, Provider};
use super::handshake::Handshake;
use super::heartbeat::Heartbeat;
use super::session::{QueuePolicy, SendQueue, Session};
use super::socket::ReconnectingSocket;
use crate::close::CloseEvent;
use crate::error::Error;
use crate::platform::running::Running;
use crate::socket::builder::Builder;

impl ReconnectingSocket {
    /// A builder; `provider` is called before every attempt, so URLs and tokens can change.
    ///
    /// ```no_run
    /// let b = wasm_websocket::ReconnectingSocket::builder(|| wasm_websocket::WebSocket::builder("/ws"));
    /// ```
    pub fn builder(mut provider: impl FnMut() -> Builder + 'static) -> ReconnectBuilder {
        ReconnectBuilder::new(Box::new(move || Box::pin(std::future::ready(provider()))))
    }

    /// A builder whose `provider` may wait before each attempt: for a token fetched from the
    /// server, say. Closing or dropping the socket meanwhile abandons the wait.
    ///
    /// ```no_run
    /// # async fn fetch_token() -> String { String::new() }
    /// use wasm_websocket::{ReconnectingSocket, WebSocket};
    /// let b = ReconnectingSocket::builder_async(|| async {
    ///     WebSocket::builder("/ws").query("token", &fetch_token().await)
    /// });
    /// ```
    pub fn builder_async<F>(mut provider: impl FnMut() -> F + 'static) -> ReconnectBuilder
    where
        F: Future<Output = Builder> + 'static,
    {
        ReconnectBuilder::new(Box::new(move || Box::pin(provider())))
    }
}

/// Configures a [`ReconnectingSocket`]; made by [`ReconnectingSocket::builder`].
#[must_use = "a builder does nothing until start()"]
pub struct ReconnectBuilder {
    policy: Policy,
    queue_capacity: usize,
    queue_bytes: usize,
    queue_policy: QueuePolicy,
    max_requests: usize,
}

impl std::fmt::Debug for ReconnectBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReconnectBuilder")
            .field("backoff", &self.policy.backoff)
            .field("max_retries", &self.policy.max_retries)
            .field("reset_after", &self.policy.reset_after)
            .field("queue_capacity", &self.queue_capacity)
            .field("queue_bytes", &self.queue_bytes)
            .field("queue_policy", &self.queue_policy)
            .field("max_requests", &self.max_requests)
            .field("heartbeat", &self.policy.heartbeat)
            .field("handshake", &self.policy.handshake)
            .field("connect_on_start", &self.policy.connect_on_start)
            .finish_non_exhaustive()
    }
}

impl ReconnectBuilder {
    /// The default [`queue_bytes`](ReconnectBuilder::queue_bytes): 16 MiB, four times the
    /// browser buffer's default [high-water mark](crate::Builder::DEFAULT_HIGH_WATER_MARK).
    ///
    /// ```
    /// assert_eq!(wasm_websocket::ReconnectBuilder::DEFAULT_QUEUE_BYTES, 16 << 20);
    /// ```
    pub const DEFAULT_QUEUE_BYTES: usize = 16 << 20;

    /// The requests that may wait for answers at once unless
    /// [`max_pending_requests`](ReconnectBuilder::max_pending_requests) says otherwise.
    pub const DEFAULT_MAX_PENDING_REQUESTS: usize = 1_024;

    fn new(provider: Provider) -> ReconnectBuilder {
        ReconnectBuilder {
            policy: Policy {
                provider,
                backoff: Backoff::default(),
                max_retries: None,
                reset_after: Duration::from_secs(5),
                should_reconnect: Box::new(|_| true),
                heartbeat: None,
                handshake: None,
                seed: None,
                connect_on_start: true,
            },
            queue_capacity: 1_000,
            queue_bytes: ReconnectBuilder::DEFAULT_QUEUE_BYTES,
            queue_policy: QueuePolicy::default(),
            max_requests: ReconnectBuilder::DEFAULT_MAX_PENDING_REQUESTS,
        }
    }

    /// The backoff between failed attempts (default: 500 ms doubling up to 30 s, full jitter, no
    /// minimum delay). [`Backoff::with_min_delay`] sets a floor under every wait, [`Backoff::with_jitter`]
    /// how each is picked below its ceiling ([`Jitter`](super::Jitter)), and
    /// [`Backoff::fixed`] the same wait every time.
    ///
    /// ```no_run
    /// # let b = wasm_websocket::ReconnectingSocket::builder(|| wasm_websocket::WebSocket::builder("/ws"));
    /// use std::time::Duration;
    /// use wasm_websocket::reconnect::Jitter;
    /// use wasm_websocket::Backoff;
    /// let b = b.backoff(
    ///     Backoff::new(Duration::from_secs(1), 1.5, Duration::from_secs(10))
    ///         .with_min_delay(Duration::from_millis(250))
    ///         .with_jitter(Jitter::Equal),
    /// );
    /// ```
    pub fn backoff(mut self, backoff: Backoff) -> ReconnectBuilder {
        self.policy.backoff = backoff;
        self
    }

    /// Gives up after this many retries since the last stable connection (default: never).
    ///
    /// ```no_run
    /// # let b = wasm_websocket::ReconnectingSocket::builder(|| wasm_websocket::WebSocket::builder("/ws"));
    /// let b = b.max_retries(10);
    /// ```
    pub fn max_retries(mut self, retries: u32) -> ReconnectBuilder {
        self.policy.max_retries = Some(retries);
        self
    }

    /// A connection that stayed up this long resets the backoff and the retry count (default 5 s).
    ///
    /// ```no_run
    /// # let b = wasm_websocket::ReconnectingSocket::builder(|| wasm_websocket::WebSocket::builder("/ws"));
    /// let b = b.reset_after(std::time::Duration::from_secs(30));
    /// ```
    pub fn reset_after(mut self, uptime: Duration) -> ReconnectBuilder {
        self.policy.reset_after = uptime;
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
        self.policy.should_reconnect = Box::new(policy);
        self
    }

    /// How many messages sent while disconnected may wait (default 1,000), and what happens when
    /// one more comes (default [`QueuePolicy::RejectNew`]).
    ///
    /// ```no_run
    /// # let b = wasm_websocket::ReconnectingSocket::builder(|| wasm_websocket::WebSocket::builder("/ws"));
    /// let b = b.queue(100, wasm_websocket::reconnect::QueuePolicy::DropOldest);
    /// ```
    pub fn queue(mut self, capacity: usize, policy: QueuePolicy) -> ReconnectBuilder {
        self.queue_capacity = capacity;
        self.queue_policy = policy;
        self
    }

    /// How many bytes the send queue holds before it takes no more (default
    /// [`DEFAULT_QUEUE_BYTES`](ReconnectBuilder::DEFAULT_QUEUE_BYTES), beside the count of
    /// [`queue`](ReconnectBuilder::queue)): a queue below it takes one more message of any size,
    /// so a message larger than the bound can still be sent. `usize::MAX` for no bound.
    /// When it is reached, the [`QueuePolicy`] applies as for the count.
    ///
    /// ```no_run
    /// # let b = wasm_websocket::ReconnectingSocket::builder(|| wasm_websocket::WebSocket::builder("/ws"));
    /// let b = b.queue_bytes(1 << 20);
    /// ```
    pub fn queue_bytes(mut self, max_bytes: usize) -> ReconnectBuilder {
        self.queue_bytes = max_bytes;
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
        self.policy.heartbeat = Some(heartbeat);
        self
    }

    /// How many requests ([`Requester::request`](super::Requester::request)) may wait for
    /// their answers at once; one more is refused with
    /// [`Error::TooManyRequests`](crate::Error::TooManyRequests).
    ///
    /// ```no_run
    /// # let b = wasm_websocket::ReconnectingSocket::builder(|| wasm_websocket::WebSocket::builder("/ws"));
    /// let b = b.max_pending_requests(100);
    /// ```
    pub fn max_pending_requests(mut self, requests: usize) -> ReconnectBuilder {
        self.max_requests = requests;
        self
    }

    /// Runs `handshake` first on every connection: the connection opens to the app (status
    /// [`Open`](super::ReconnectStatus::Open), queued messages sent) only once it has
    /// succeeded, so nothing queued while the socket was down goes before it. See
    /// [`Handshake`] for failures and timeouts.
    ///
    /// ```no_run
    /// # let b = wasm_websocket::ReconnectingSocket::builder(|| wasm_websocket::WebSocket::builder("/ws"));
    /// use wasm_websocket::{Handshake, Message};
    /// let b = b.handshake(Handshake::send(Message::Text(r#"{"join":"lobby"}"#.into())));
    /// ```
    pub fn handshake(mut self, handshake: Handshake) -> ReconnectBuilder {
        self.policy.handshake = Some(handshake);
        self
    }

    /// Whether [`start`](ReconnectBuilder::start) connects at once (default true). With false
    /// the socket starts [`Idle`](super::ReconnectStatus::Idle), queueing what is sent, until
    /// [`ReconnectingSocket::connect`] is called.
    ///
    /// ```no_run
    /// # let b = wasm_websocket::ReconnectingSocket::builder(|| wasm_websocket::WebSocket::builder("/ws"));
    /// let socket = b.connect_on_start(false).start()?;
    /// // later, once the user has signed in:
    /// socket.connect()?;
    /// # Ok::<(), wasm_websocket::Error>(())
    /// ```
    pub fn connect_on_start(mut self, connect: bool) -> ReconnectBuilder {
        self.policy.connect_on_start = connect;
        self
    }

    /// Seeds the jitter, for reproducible schedules in tests.
    ///
    /// ```no_run
    /// # let b = wasm_websocket::ReconnectingSocket::builder(|| wasm_websocket::WebSocket::builder("/ws"));
    /// let b = b.jitter_seed(42);
    /// ```
    pub fn jitter_seed(mut self, seed: u64) -> ReconnectBuilder {
        self.policy.seed = Some(seed);
        self
    }

    /// Starts connecting in the background and returns at once.
    ///
    /// # Errors
    /// [`Error::Unsupported`] off the web. An attempt that fails in a way retrying cannot fix (an
    /// invalid URL from the provider, say) ends the socket: the message stream's last item is
    /// [`Error::GaveUp`] with [`GiveUpReason::Fatal`](crate::GiveUpReason::Fatal).
    ///
    /// ```no_run
    /// # let b = wasm_websocket::ReconnectingSocket::builder(|| wasm_websocket::WebSocket::builder("/ws"));
    /// let socket = b.start()?;
    /// # Ok::<(), wasm_websocket::Error>(())
    /// ```
    pub fn start(self) -> Result<ReconnectingSocket, Error> {
        if !crate::platform::is_supported() {
            return Err(Error::Unsupported);
        }
        let session = Session::new(
            SendQueue::new(self.queue_capacity, self.queue_bytes, self.queue_policy),
            self.policy.connect_on_start,
            self.max_requests,
        );
        wasm_bindgen_futures::spawn_local(drive(
            Running::start(),
            Rc::downgrade(&session),
            self.policy,
        ));
        Ok(ReconnectingSocket::new(session))
    }
}
