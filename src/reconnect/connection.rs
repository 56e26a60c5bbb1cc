//! One open connection of a reconnecting socket, pumped until it closes: the queue flushed onto
//! it, its messages relayed, its heartbeat run.

use std::future::{poll_fn, Future};
use std::pin::Pin;
use std::task::Poll;

use futures::StreamExt;

use super::peer_watch::{PeerWatch, Verdict};
use super::session::{Outcome, Session};
use super::{Heartbeat, ReconnectEvent};
use crate::drain::BufferWait;
use crate::timer::Timer;
use crate::{CloseCode, CloseEvent, Error, Message, MessageKind, WebSocket};

fn now() -> f64 {
    js_sys::Date::now()
}

/// A send the socket made itself failed: report it twice (event and item) and recycle the
/// connection, so the next one retries the message, which is still first in the queue.
fn send_failed(inner: &Session, ws: &WebSocket, error: Error) {
    inner.emit(ReconnectEvent::SendFailed(error.clone()));
    inner.deliver(Err(error));
    let _ = ws.close_with(CloseCode::SEND_FAILED, "send failed");
}

/// Pumps one open connection until it closes: flushes the queue, relays messages, runs the
/// heartbeat. `None` when the socket was stopped.
pub(super) async fn run_connection(
    inner: &Session,
    mut ws: WebSocket,
    heartbeat: Option<&Heartbeat>,
) -> Option<CloseEvent> {
    enum Step {
        Item(Option<Result<Message, Error>>),
        Tick,
        SendFailed(Error),
    }
    let mut watch = heartbeat.map(|h| PeerWatch::new(h, now()));
    let mut tick = watch.as_ref().map(|w| Timer::new(w.wait_from(now())));
    let mut flush = BufferWait::default();
    // Set once this connection is being closed by the socket: nothing more is sent on it.
    let mut closing = false;
    loop {
        let step = poll_fn(|cx| {
            if !closing {
                if let Poll::Ready(Err(error)) = inner.poll_flush_queue(&ws.shared, &mut flush, cx)
                {
                    return Poll::Ready(Step::SendFailed(error));
                }
            }
            if let Poll::Ready(item) = ws.poll_next_unpin(cx) {
                return Poll::Ready(Step::Item(item));
            }
            match tick.as_mut().map(|t| Pin::new(t).poll(cx)) {
                Some(Poll::Ready(())) => Poll::Ready(Step::Tick),
                _ => Poll::Pending,
            }
        });
        let step = match inner.unless_stopped(Box::pin(step)).await {
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
                if let (Some(h), Some(w)) = (heartbeat, watch.as_mut()) {
                    let pong = (h.is_pong)(&message);
                    if pong || h.any_message_counts {
                        w.heard_from_peer(now());
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
            Step::SendFailed(error) => {
                send_failed(inner, &ws, error);
                closing = true;
                tick = None;
            }
            Step::Tick => {
                let (Some(h), Some(w)) = (heartbeat, watch.as_mut()) else {
                    continue;
                };
                let at = now();
                match w.woken(at) {
                    Verdict::Wait => {}
                    Verdict::Ping => {
                        if let Err(error) = ws.shared.send(&h.ping) {
                            send_failed(inner, &ws, error);
                            closing = true;
                            tick = None;
                            continue;
                        }
                    }
                    Verdict::Dead => {
                        let _ = ws.close_with(CloseCode::HEARTBEAT_TIMEOUT, "heartbeat timeout");
                        closing = true;
                        tick = None;
                        continue;
                    }
                }
                tick = Some(Timer::new(w.wait_from(at)));
            }
        }
    }
    inner.disconnected();
    Some(ws.closed().await)
}
