//! The task behind a reconnecting socket: connect, relay, wait, retry, until stopped or given up.

use std::future::{poll_fn, Future};
use std::pin::Pin;
use std::rc::Weak;
use std::task::Poll;
use std::time::Duration;

use futures::future::LocalBoxFuture;

use super::connection::run_connection;
use super::online::{online, watch_online};
use super::retries::Retries;
use super::session::{Outcome, Session};
use super::{Backoff, Heartbeat, ReconnectEvent, ReconnectStatus};
use crate::timer::Timer;
use crate::{Builder, CloseEvent, Error, GiveUpReason};

/// Makes the builder for each attempt; may wait (for a fresh token, say).
pub(super) type Provider = Box<dyn FnMut() -> LocalBoxFuture<'static, Builder>>;

/// What the driver takes from the [`ReconnectBuilder`](super::ReconnectBuilder): how to connect,
/// when to retry and how to check the peer.
pub(super) struct Policy {
    pub(super) provider: Provider,
    pub(super) backoff: Backoff,
    pub(super) max_retries: Option<u32>,
    pub(super) reset_after: Duration,
    pub(super) should_reconnect: Box<dyn Fn(&CloseEvent) -> bool>,
    pub(super) heartbeat: Option<Heartbeat>,
    pub(super) seed: Option<u64>,
    pub(super) connect_on_start: bool,
}

/// Waits until an attempt is wanted now (`online`, or `reconnect()`); `Stopped` if never.
async fn attempt_wanted(inner: &Session) -> Outcome<()> {
    let wanted = poll_fn(|_| {
        if inner.take_attempt_now() {
            Poll::Ready(())
        } else {
            Poll::Pending
        }
    });
    inner.unless_stopped(Box::pin(wanted)).await
}

/// Whether an attempt that failed this way may be retried.
fn retryable(error: &Error) -> bool {
    matches!(
        error,
        Error::ConnectFailed(_) | Error::Timeout(_) | Error::ProtocolNotNegotiated { .. }
    )
}

fn now() -> f64 {
    js_sys::Date::now()
}

pub(super) async fn drive(weak: Weak<Session>, mut policy: Policy) {
    let Some(inner) = weak.upgrade() else { return };
    let online_listener = watch_online(weak);
    let reason = attempts(&inner, &mut policy).await;
    inner.end(reason);
    if online_listener.is_some() {
        crate::live::remove(1);
    }
}

/// Connects and reconnects until there is a reason to stop, which it returns.
async fn attempts(inner: &Session, policy: &mut Policy) -> GiveUpReason {
    let seed = policy
        .seed
        .unwrap_or_else(|| (js_sys::Math::random() * u64::MAX as f64) as u64);
    let mut retries = Retries::new(policy.backoff, seed);
    let mut attempt = 0u32;
    if !policy.connect_on_start {
        if let Outcome::Stopped = attempt_wanted(inner).await {
            return GiveUpReason::ClosedByUser;
        }
    }
    loop {
        // While offline, wait for `online` (or the user) rather than burn attempts.
        if !online() {
            inner.set_status(ReconnectStatus::Offline);
            if let Outcome::Stopped = attempt_wanted(inner).await {
                return GiveUpReason::ClosedByUser;
            }
        }
        // This attempt answers any call for one made before it.
        inner.take_attempt_now();
        attempt = attempt.saturating_add(1);
        inner.emit(ReconnectEvent::Connecting { attempt });
        let builder = match inner.unless_stopped((policy.provider)()).await {
            Outcome::Stopped => return GiveUpReason::ClosedByUser,
            Outcome::Done(builder) => builder,
        };
        let failure = match inner.unless_stopped(Box::pin(builder.connect())).await {
            Outcome::Stopped => return GiveUpReason::ClosedByUser,
            Outcome::Done(Err(error)) => {
                if let Error::ConnectFailed(ev) = &error {
                    inner.emit(ReconnectEvent::Disconnected(ev.clone()));
                }
                if !retryable(&error) {
                    return GiveUpReason::Fatal(Box::new(error));
                }
                error
            }
            Outcome::Done(Ok(ws)) => {
                let opened_at = now();
                inner.connected(ws.shared.clone());
                inner.emit(ReconnectEvent::Open);
                let Some(ev) = run_connection(inner, ws, policy.heartbeat.as_ref()).await else {
                    return GiveUpReason::ClosedByUser;
                };
                inner.emit(ReconnectEvent::Disconnected(ev.clone()));
                if inner.is_stopped() {
                    return GiveUpReason::ClosedByUser;
                }
                // `reconnect()` while open: at once, whatever the policy and the backoff say.
                if inner.with(|s| std::mem::take(&mut s.replace_connection)) {
                    continue;
                }
                if !(policy.should_reconnect)(&ev) {
                    return GiveUpReason::ClosePolicy(ev);
                }
                let uptime = Duration::try_from_secs_f64((now() - opened_at) / 1000.0)
                    .unwrap_or(Duration::ZERO);
                retries.connection_lasted(uptime, policy.reset_after);
                Error::Closed(ev)
            }
        };
        if let Err(reason) = wait_to_retry(inner, policy, &mut retries, attempt, failure).await {
            return reason;
        }
    }
}

/// Waits out the backoff before the next attempt, or says why there is none.
async fn wait_to_retry(
    inner: &Session,
    policy: &Policy,
    retries: &mut Retries,
    attempt: u32,
    failure: Error,
) -> Result<(), GiveUpReason> {
    if inner.is_stopped() {
        return Err(GiveUpReason::ClosedByUser);
    }
    if let Some(max) = policy.max_retries.filter(|max| retries.count() >= *max) {
        return Err(GiveUpReason::RetryLimit {
            retries: max,
            last: Box::new(failure),
        });
    }
    let delay = retries.next_delay();
    inner.emit(ReconnectEvent::ReconnectScheduled {
        attempt: attempt.saturating_add(1),
        delay,
    });
    inner.take_attempt_now();
    let mut timer = Timer::new(delay);
    let wait = poll_fn(|cx| {
        if inner.take_attempt_now() {
            return Poll::Ready(());
        }
        Pin::new(&mut timer).poll(cx)
    });
    match inner.unless_stopped(Box::pin(wait)).await {
        Outcome::Done(()) => Ok(()),
        Outcome::Stopped => Err(GiveUpReason::ClosedByUser),
    }
}
