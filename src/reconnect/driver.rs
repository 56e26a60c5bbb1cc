//! The task behind a reconnecting socket: connect, relay, wait, retry, until stopped or given up.

use std::future::{poll_fn, Future};
use std::pin::Pin;
use std::rc::Weak;
use std::task::Poll;
use std::time::Duration;

use futures::future::LocalBoxFuture;
use futures::StreamExt;

use super::backoff::{Backoff, Retries};
use super::connection::{run_connection, Ended};
use super::events::{Lifecycle, ReconnectStatus};
use super::handshake::Handshake;
use super::heartbeat::Heartbeat;
use super::session::{Command, Outcome, Session, Wanted};
use super::subscription::resend_all;
use crate::close::{CloseCode, CloseEvent, ClosedBy};
use crate::error::{Error, GiveUpReason};
use crate::message::ReadyState;
use crate::platform::running::Running;
use crate::platform::timer::{now, within, Timer};
use crate::platform::wake::{listen_wake_ups, online};
use crate::socket::builder::Builder;
use crate::socket::websocket::WebSocket;

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
    pub(super) handshake: Option<Handshake>,
    pub(super) seed: Option<u64>,
    pub(super) connect_on_start: bool,
}

/// Waits until the reader has made room after its connection was closed for falling behind
/// (`ReconnectStatus::ReaderBehind`), or the socket is closed or idle: the next connection would
/// be closed at its first message, and so would every one after it, while nobody reads.
/// Nothing else (a wake-up, `reconnect()`) cuts this wait short, for the same reason.
async fn reader_caught_up(session: &Session) -> Outcome<()> {
    poll_fn(|cx| {
        if let Some(interrupted) = session.interruption(cx) {
            return Poll::Ready(interrupted);
        }
        if session.with(|s| s.reader_behind.is_none()) {
            Poll::Ready(Outcome::Done(()))
        } else {
            Poll::Pending
        }
    })
    .await
}

/// Waits until an attempt is wanted now (`online`, or `reconnect()`), or `timer` fires.
async fn attempt_wanted(session: &Session, mut timer: Option<Timer>) -> Outcome<()> {
    let wanted = poll_fn(|cx| {
        if session.take_command(&Command::AttemptNow, cx) {
            return Poll::Ready(());
        }
        timer
            .as_mut()
            .map_or(Poll::Pending, |t| Pin::new(t).poll(cx))
    });
    session.unless_interrupted(Box::pin(wanted)).await
}

/// Waits, idle, until `connect()`; the reason to end instead if the socket is closed.
async fn connect_wanted(session: &Session) -> Option<GiveUpReason> {
    poll_fn(|cx| match session.interruption(cx) {
        Some(Outcome::Paused) => Poll::Pending,
        Some(_) => Poll::Ready(Some(closed(session))),
        None => Poll::Ready(None),
    })
    .await
}

/// The reason a socket its user closed or dropped ends with.
fn closed(session: &Session) -> GiveUpReason {
    let dropped = session.with(|s| s.wanted == Wanted::Closed { dropped: true });
    GiveUpReason::Closed { dropped }
}

/// Whether an attempt that failed this way may be retried.
fn retryable(error: &Error) -> bool {
    matches!(
        error,
        Error::ConnectFailed(_) | Error::Timeout(_) | Error::ProtocolNotNegotiated { .. }
    )
}

/// The task itself. `_running` (a count for the tests, with `test-util`) comes first because
/// parameters drop in reverse order: it goes last, after the policy (the user's provider), the
/// session's handle and every listener and timer the task held.
pub(super) async fn drive(_running: Running, weak: Weak<Session>, mut policy: Policy) {
    let Some(session) = weak.upgrade() else {
        return;
    };
    // After the page may have slept: an attempt waiting starts, an open connection's peer is
    // checked.
    let _wake_ups = listen_wake_ups(move || {
        if let Some(session) = weak.upgrade() {
            session.woke_up();
        }
    });
    let reason = attempts(&session, &mut policy).await;
    session.end(reason);
}

/// What one attempt came to, when the socket goes on.
enum Attempt {
    /// It failed, or its connection ended: retry after the backoff.
    Failed(Error),
    /// Start over at once (`reconnect()` while open, or a `disconnect()` to honour).
    Again,
}

/// Connects and reconnects until there is a reason to stop, which it returns.
async fn attempts(session: &Session, policy: &mut Policy) -> GiveUpReason {
    let seed = policy
        .seed
        .unwrap_or_else(|| (js_sys::Math::random() * u64::MAX as f64) as u64);
    let mut retries = Retries::new(policy.backoff, seed);
    let mut attempt = 0u32;
    loop {
        match session.with(|s| s.wanted) {
            Wanted::Closed { dropped } => return GiveUpReason::Closed { dropped },
            Wanted::Idle => {
                session.set_status(ReconnectStatus::Idle);
                if let Some(reason) = connect_wanted(session).await {
                    return reason;
                }
                // `connect()` starts the schedule over.
                retries.reset();
                continue;
            }
            Wanted::Connected => {}
        }
        // While offline, wait for `online` (or the user) rather than burn attempts.
        if !online() {
            session.set_status(ReconnectStatus::Offline);
            match attempt_wanted(session, None).await {
                Outcome::Stopped => return closed(session),
                Outcome::Paused => continue,
                Outcome::Done(()) => {}
            }
        }
        if session.with(|s| s.reader_behind.is_some()) {
            session.set_status(ReconnectStatus::ReaderBehind);
            match reader_caught_up(session).await {
                Outcome::Stopped => return closed(session),
                Outcome::Paused => continue,
                Outcome::Done(()) => {}
            }
        }
        // This attempt answers any call for one made before it.
        session.answered(&Command::AttemptNow);
        attempt = attempt.saturating_add(1);
        session.set_status(ReconnectStatus::Connecting { attempt });
        let failure = match attempt_once(session, policy, &mut retries).await {
            Err(reason) => return reason,
            Ok(Attempt::Again) => continue,
            Ok(Attempt::Failed(error)) => error,
        };
        if let Err(reason) = wait_to_retry(session, policy, &mut retries, attempt, failure).await {
            return reason;
        }
    }
}

/// One attempt: connect, and if it opens, pump the connection until it ends.
async fn attempt_once(
    session: &Session,
    policy: &mut Policy,
    retries: &mut Retries,
) -> Result<Attempt, GiveUpReason> {
    let builder = match session.unless_interrupted((policy.provider)()).await {
        Outcome::Stopped => return Err(closed(session)),
        Outcome::Paused => return Ok(Attempt::Again),
        // Nobody could read a connection's own log: it would grow by an event per message.
        Outcome::Done(builder) => builder.record_events(false),
    };
    let ws = match session
        .unless_interrupted(Box::pin(builder.connect()))
        .await
    {
        Outcome::Stopped => return Err(closed(session)),
        Outcome::Paused => return Ok(Attempt::Again),
        Outcome::Done(Err(error)) => {
            if let Error::ConnectFailed(close) = &error {
                session.record(Lifecycle::Disconnected {
                    close: close.clone(),
                    by: ClosedBy::Peer,
                });
            }
            if !retryable(&error) {
                return Err(GiveUpReason::Fatal(Box::new(error)));
            }
            return Ok(Attempt::Failed(error));
        }
        Outcome::Done(Ok(ws)) => ws,
    };
    let kept = match &policy.handshake {
        None => Vec::new(),
        Some(handshake) => match session
            .unless_interrupted(Box::pin(handshake.run(&ws)))
            .await
        {
            // Dropping the connection closes it.
            Outcome::Stopped => return Err(closed(session)),
            Outcome::Paused => return Ok(Attempt::Again),
            Outcome::Done(Ok(kept)) => kept,
            Outcome::Done(Err(error)) => return handshake_failed(session, policy, ws, error).await,
        },
    };
    if let Err(error) = resend_all(session, &ws) {
        return handshake_failed(session, policy, ws, error).await;
    }
    let opened_at = now();
    let receive_limit = ws.receive_limit();
    session.connected(&ws);
    session.set_status(ReconnectStatus::Open);
    for message in kept {
        session.deliver(Ok(message));
    }
    let Some(Ended {
        close,
        by,
        again,
        reader_behind,
    }) = run_connection(session, ws, policy.heartbeat.as_ref()).await
    else {
        return Err(closed(session));
    };
    session.connection_ended(&close);
    session.record(Lifecycle::Disconnected {
        close: close.clone(),
        by,
    });
    match session.with(|s| s.wanted) {
        Wanted::Closed { dropped } => return Err(GiveUpReason::Closed { dropped }),
        Wanted::Idle => return Ok(Attempt::Again),
        Wanted::Connected => {}
    }
    // The user ended it and wants a connection (`reconnect()`, or `disconnect()` and `connect()`
    // before this task ran): at once, with the schedule started over, whatever the policy says.
    if again || by == ClosedBy::User {
        retries.reset();
        return Ok(Attempt::Again);
    }
    if !(policy.should_reconnect)(&close) {
        return Err(GiveUpReason::ClosePolicy { close, by });
    }
    // By the code the socket closed with, not the peer's answer (1000, 1005, or none).
    if reader_behind {
        session.with(|s| s.reader_fell_behind(receive_limit));
    }
    let uptime =
        Duration::try_from_secs_f64((now() - opened_at) / 1000.0).unwrap_or(Duration::ZERO);
    retries.connection_lasted(uptime, policy.reset_after);
    Ok(Attempt::Failed(Error::Closed(close)))
}

/// Ends a connection whose handshake failed, reported as [`Error::Handshake`]: with 4904 if it
/// was still open; otherwise the peer's close, awaited, is the cause. The close policy decides
/// whether to retry.
async fn handshake_failed(
    session: &Session,
    policy: &Policy,
    mut ws: WebSocket,
    error: Error,
) -> Result<Attempt, GiveUpReason> {
    let (close, by, error) = if ws.ready_state() == ReadyState::Open {
        let reason = "handshake failed";
        let _ = ws.close_with(CloseCode::HANDSHAKE_FAILED, reason);
        let error = match error {
            Error::Handshake { .. } => error,
            other => Error::Handshake {
                reason: other.to_string(),
            },
        };
        let close = CloseEvent::sent(CloseCode::HANDSHAKE_FAILED, reason);
        (close, ClosedBy::Socket, error)
    } else {
        // What came after the handshake failed is not the app's: the connection is closing,
        // its close event (awaited 2 s at most) says how.
        within(Duration::from_secs(2), async {
            while ws.next().await.is_some() {}
        })
        .await;
        let close = ws
            .close_event()
            .unwrap_or_else(|| CloseEvent::sent(CloseCode::ABNORMAL, ""));
        let error = Error::Handshake {
            reason: format!("the connection closed ({close})"),
        };
        (close, ClosedBy::Peer, error)
    };
    session.deliver(Err(error.clone()));
    session.record(Lifecycle::Disconnected {
        close: close.clone(),
        by,
    });
    if !(policy.should_reconnect)(&close) {
        return Err(GiveUpReason::ClosePolicy { close, by });
    }
    Ok(Attempt::Failed(error))
}

/// Waits out the backoff before the next attempt, or says why there is none.
async fn wait_to_retry(
    session: &Session,
    policy: &Policy,
    retries: &mut Retries,
    attempt: u32,
    failure: Error,
) -> Result<(), GiveUpReason> {
    if let Some(max) = policy.max_retries.filter(|max| retries.count() >= *max) {
        return Err(GiveUpReason::RetryLimit {
            retries: max,
            last: Box::new(failure),
        });
    }
    let delay = retries.next_delay();
    session.set_status(ReconnectStatus::Waiting {
        attempt: attempt.saturating_add(1),
        delay,
    });
    session.answered(&Command::AttemptNow);
    match attempt_wanted(session, Some(Timer::new(delay))).await {
        Outcome::Stopped => Err(closed(session)),
        // Idle now: the loop's top says so and waits for `connect()`.
        Outcome::Done(()) | Outcome::Paused => Ok(()),
    }
}
