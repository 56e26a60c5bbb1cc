//! The reconnecting socket: what it promises across connections. Shared frames live here; each
//! file holds one theme's promises.

use std::time::Duration;

use futures::StreamExt;
use wasm_websocket::{
    Backoff, Codec, Error, GiveUpReason, Message, ReconnectBuilder, ReconnectEvent,
    ReconnectEvents, ReconnectStatus, ReconnectingSocket, Untyped, WebSocket,
};

use crate::util::*;

mod bounded;
mod control;
mod dead_peer;
mod events;
mod handshake;
mod lifecycle;
mod order;
mod requests;
mod sending;
mod toggle;

/// The event that says a connection opened.
pub const OPEN: ReconnectEvent = ReconnectEvent::Status(ReconnectStatus::Open);

/// The event that says the socket waits for `connect()`.
pub const IDLE: ReconnectEvent = ReconnectEvent::Status(ReconnectStatus::Idle);

/// The last event of a socket its user closed.
pub const GAVE_UP_CLOSED: ReconnectEvent =
    ReconnectEvent::Status(ReconnectStatus::GaveUp(GiveUpReason::Closed {
        dropped: false,
    }));

/// What a socket its user dropped ends on (read through a handle: its events went with it).
pub const GAVE_UP_DROPPED: ReconnectStatus =
    ReconnectStatus::GaveUp(GiveUpReason::Closed { dropped: true });

/// The event that says attempt `attempt` started.
pub fn connecting(attempt: u32) -> ReconnectEvent {
    ReconnectEvent::Status(ReconnectStatus::Connecting { attempt })
}

/// The events after which the page may have slept, as the browser fires them.
#[derive(Debug, Clone, Copy)]
pub enum WakeUp {
    Online,
    Visible,
    BackFromCache,
    Resumed,
}

impl WakeUp {
    pub fn fire(self) {
        let script = match self {
            WakeUp::Online => "dispatchEvent(new Event('online'))",
            // Hidden, then visible again, as the browser tells it: only a change from hidden
            // counts.
            WakeUp::Visible => {
                "if (document.visibilityState !== 'visible') throw new Error('the page is hidden');
                 Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
                 document.dispatchEvent(new Event('visibilitychange'));
                 delete document.visibilityState;
                 document.dispatchEvent(new Event('visibilitychange'))"
            }
            WakeUp::BackFromCache => {
                "dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true }))"
            }
            WakeUp::Resumed => "document.dispatchEvent(new Event('resume'))",
        };
        js_sys::Function::new_no_args(script)
            .call0(&wasm_bindgen::JsValue::NULL)
            .expect("the wake-up event is fired");
    }
}

pub fn fast() -> Backoff {
    Backoff::new(Duration::from_millis(20), 2.0, Duration::from_millis(100))
}

/// A reconnecting socket to the test server's `path` that retries fast.
pub fn reconnecting(path: &str) -> ReconnectBuilder {
    let target = url(path);
    ReconnectingSocket::builder(move || WebSocket::builder(target.clone())).backoff(fast())
}

/// A reconnecting socket that can never connect and gives up after `retries` retries.
pub fn refused(retries: u32) -> ReconnectBuilder {
    let target = refused_url();
    ReconnectingSocket::builder(move || WebSocket::builder(target.clone()))
        .backoff(fast())
        .max_retries(retries)
}

/// Starts `builder` and reads its events up to its first open; the events after it are still
/// to be read, and the socket is `events.socket()`.
pub async fn started_and_open(builder: ReconnectBuilder) -> ReconnectEvents {
    let mut events = builder.start().unwrap().events(Untyped);
    until(&mut events, |e| *e == OPEN).await;
    events
}

/// Starts `builder` and waits, watching its status, until its first connection is open: for
/// the tests that read, send or flush on the socket itself, with no events reader.
pub async fn open_socket(builder: ReconnectBuilder) -> ReconnectingSocket {
    let socket = builder.start().unwrap();
    until_status(&socket, |s| *s == ReconnectStatus::Open).await;
    socket
}

/// Waits (asking every 5 ms, 30 s at most) until the socket's status satisfies `want`, reading
/// nothing: what a reader who is behind sees when it reads.
pub async fn until_status(socket: &ReconnectingSocket, want: impl Fn(&ReconnectStatus) -> bool) {
    awaited("the status awaited", 30_000, async {
        while !want(&socket.status()) {
            sleep(5).await;
        }
    })
    .await;
}

/// The delays of the `Waiting` statuses, in order.
pub fn scheduled_delays(events: &[ReconnectEvent]) -> Vec<Duration> {
    events
        .iter()
        .filter_map(|e| match e.status() {
            Some(ReconnectStatus::Waiting { delay, .. }) => Some(*delay),
            _ => None,
        })
        .collect()
}

/// The messages among `events`, in order.
pub fn messages<T: Clone>(events: &[ReconnectEvent<T>]) -> Vec<T> {
    events
        .iter()
        .filter_map(|e| match e {
            ReconnectEvent::Message(m) => Some(m.clone()),
            _ => None,
        })
        .collect()
}

/// Waits for the first event matching `want`, returning the ones before it too.
pub async fn until<C: Codec>(
    events: &mut ReconnectEvents<C>,
    want: impl Fn(&ReconnectEvent<C::Incoming>) -> bool,
) -> Vec<ReconnectEvent<C::Incoming>>
where
    C::Incoming: std::fmt::Debug,
{
    let mut seen = Vec::new();
    while let Some(event) = events.next().await {
        let done = want(&event);
        seen.push(event);
        if done {
            return seen;
        }
    }
    panic!("events ended before the one awaited: {seen:?}");
}

/// The next item the socket's own stream would yield (a message, or an error), past the
/// status changes and closes before it.
pub async fn received(events: &mut ReconnectEvents) -> Result<Message, Error> {
    let mut seen = until(events, |e| {
        matches!(e, ReconnectEvent::Message(_) | ReconnectEvent::Error(_))
    })
    .await;
    match seen.pop() {
        Some(ReconnectEvent::Message(message)) => Ok(message),
        Some(ReconnectEvent::Error(error)) => Err(error),
        other => unreachable!("{other:?}"),
    }
}
