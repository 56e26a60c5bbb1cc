//! The reconnecting socket: what it promises across connections. Shared frames live here; each
//! file holds one theme's promises.

use std::time::Duration;

use futures::StreamExt;
use wasm_websocket::{
    Backoff, GiveUpReason, ReconnectBuilder, ReconnectEvent, ReconnectEvents, ReconnectingSocket,
    WebSocket,
};

use crate::util::*;

mod bounded;
mod control;
mod dead_peer;
mod lifecycle;
mod order;
mod sending;
mod toggle;
mod updates;

/// The last event of a socket its user closed.
pub const GAVE_UP_CLOSED: ReconnectEvent =
    ReconnectEvent::GaveUp(GiveUpReason::Closed { dropped: false });

/// The last event of a socket its user dropped.
pub const GAVE_UP_DROPPED: ReconnectEvent =
    ReconnectEvent::GaveUp(GiveUpReason::Closed { dropped: true });

pub fn fast() -> Backoff {
    Backoff::new(Duration::from_millis(20), 2.0, Duration::from_millis(100))
}

/// A reconnecting socket to the test server's `path` that records its events and retries fast.
pub fn reconnecting(path: &str) -> ReconnectBuilder {
    let target = url(path);
    ReconnectingSocket::builder(move || WebSocket::builder(target.clone()))
        .backoff(fast())
        .record_events(true)
}

/// A reconnecting socket that can never connect and gives up after `retries` retries.
pub fn refused(retries: u32) -> ReconnectBuilder {
    let target = refused_url();
    ReconnectingSocket::builder(move || WebSocket::builder(target.clone()))
        .backoff(fast())
        .max_retries(retries)
        .record_events(true)
}
/// Starts `builder` and waits for its first `Open`; the events after it are still to be read.
pub async fn started_and_open(builder: ReconnectBuilder) -> (ReconnectingSocket, ReconnectEvents) {
    let socket = builder.start().unwrap();
    let mut events = socket.events().unwrap();
    until(&mut events, |e| *e == ReconnectEvent::Open).await;
    (socket, events)
}

/// The delays of the `ReconnectScheduled` events, in order.
pub fn scheduled_delays(events: &[ReconnectEvent]) -> Vec<Duration> {
    events
        .iter()
        .filter_map(|e| match e {
            ReconnectEvent::ReconnectScheduled { delay, .. } => Some(*delay),
            _ => None,
        })
        .collect()
}

/// Waits for the first event matching `want`, returning the ones before it too.
pub async fn until(
    events: &mut ReconnectEvents,
    want: impl Fn(&ReconnectEvent) -> bool,
) -> Vec<ReconnectEvent> {
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
