//! The task behind a reconnecting socket: connect, relay, wait, retry, until stopped or given up.

use std::future::{poll_fn, Future};
use std::pin::Pin;
use std::rc::Weak;
use std::task::Poll;
use std::time::Duration;

use futures::StreamExt;

use super::backoff::Retries;
use super::online::{online, watch_online};
use super::session::Session;
use super::{Backoff, Heartbeat, ReconnectEvent};
use crate::timer::Timer;
use crate::{Builder, CloseCode, CloseEvent, Error, Message, MessageKind, WebSocket};

/// What the driver takes from the [`ReconnectBuilder`](super::ReconnectBuilder): how to connect,
/// when to retry and how to check the peer.
pub(super) struct Policy {
    pub(super) provider: Box<dyn FnMut() -> Builder>,
    pub(super) backoff: Backoff,
    pub(super) max_retries: Option<u32>,
    pub(super) reset_after: Duration,
    pub(super) should_reconnect: Box<dyn Fn(&CloseEvent) -> bool>,
    pub(super) heartbeat: Option<Heartbeat>,
    pub(super) seed: Option<u64>,
}

enum Outcome<T> {
    Done(T),
    Stopped,
}

/// Runs `future` until it completes or the socket is stopped.
async fn unless_stopped<F: Future + Unpin>(inner: &Session, mut future: F) -> Outcome<F::Output> {
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

pub(super) async fn drive(weak: Weak<Session>, mut config: Policy) {
    let Some(inner) = weak.upgrade() else { return };
    let online_listener = watch_online(weak);
    let seed = config
        .seed
        .unwrap_or_else(|| (js_sys::Math::random() * u64::MAX as f64) as u64);
    let mut retries = Retries::new(config.backoff, seed);
    let mut attempt = 0u32;
    'attempts: loop {
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
                // Closed or dropped while offline: no attempt after that.
                break 'attempts;
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
    inner: &Session,
    config: &Policy,
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
    inner: &Session,
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
