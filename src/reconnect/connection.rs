//! One open connection of a reconnecting socket, pumped until it ends: the queue flushed onto
//! it, its messages relayed, its heartbeat run. Once the socket or its user has closed it, what
//! it had received is delivered and it ends there, without waiting for a peer that may never
//! answer the closing handshake.

use std::future::{poll_fn, Future};
use std::pin::Pin;
use std::task::Poll;

use futures::StreamExt;

use super::heartbeat::{Heartbeat, PeerWatch, Verdict};
use super::session::{Command, Session, UserAction};
use crate::close::{CloseCode, CloseEvent, ClosedBy};
use crate::error::Error;
use crate::message::{Message, ReadyState};
use crate::platform::timer::{now, Timer};
use crate::socket::send::BufferWait;
use crate::socket::websocket::WebSocket;

/// How a connection ended, and who ended it.
#[derive(Debug)]
pub(super) struct Ended {
    pub(super) close: CloseEvent,
    pub(super) by: ClosedBy,
    /// The user asked for another connection at once (`reconnect()`).
    pub(super) again: bool,
    /// The socket closed it because its reader fell behind (4902), whatever the peer answered.
    pub(super) reader_behind: bool,
}

/// The socket closes the connection itself (`code` is one of its own). `None` if the peer had
/// begun to close it: then the peer's close event, coming, says how it ended.
fn close_for_socket(ws: &WebSocket, code: CloseCode, reason: &str) -> Option<Ended> {
    if ws.ready_state() != ReadyState::Open {
        return None;
    }
    let _ = ws.close_with(code, reason);
    Some(Ended {
        close: CloseEvent::sent(code, reason),
        by: ClosedBy::Socket,
        again: false,
        reader_behind: false,
    })
}

/// A send the socket made itself failed: report it and recycle the connection, so the next one
/// retries the message, which is still first in the queue.
fn send_failed(session: &Session, ws: &WebSocket, error: Error) -> Option<Ended> {
    session.deliver(Err(error));
    close_for_socket(ws, CloseCode::SEND_FAILED, "send failed")
}

/// How the stream's end came about: the browser's close event if it came, else what the socket
/// itself closed with (a receive limit, say), else a drop.
fn stream_ended(ws: &WebSocket) -> Ended {
    let fault = ws.fault_close();
    let by = if fault.is_some() {
        ClosedBy::Socket
    } else {
        ClosedBy::Peer
    };
    let close = ws.close_event().unwrap_or_else(|| match fault {
        Some((code, reason)) => CloseEvent::sent(code, reason),
        None => CloseEvent::sent(CloseCode::ABNORMAL, ""),
    });
    Ended {
        close,
        by,
        again: false,
        reader_behind: fault.is_some_and(|(code, _)| code == CloseCode::RECEIVE_BUFFER_FULL),
    }
}

/// Pumps one open connection until it ends. `None` when the socket was dropped.
pub(super) async fn run_connection(
    session: &Session,
    mut ws: WebSocket,
    heartbeat: Option<&Heartbeat>,
) -> Option<Ended> {
    enum Step {
        Item(Option<Result<Message, Error>>),
        Tick,
        CheckPeer,
        SendFailed(Error),
        User(UserAction),
        /// Closing, and nothing received is left to deliver.
        Drained,
    }
    let mut watch = heartbeat.map(|h| PeerWatch::new(h, now()));
    let mut tick = watch.as_ref().map(|w| Timer::new(w.wait_from(now())));
    let mut flush = BufferWait::default();
    // Set once the socket or its user has closed this connection: how it will be reported.
    let mut closing: Option<Ended> = None;
    // The user asked for another connection at once.
    let mut again = false;
    let ended = |mut ended: Ended, again: bool| {
        ended.again |= again;
        Some(ended)
    };
    loop {
        let was_closing = closing.is_some();
        let step = poll_fn(|cx| {
            match session.poll_user(cx) {
                Some(UserAction::Dropped) => return Poll::Ready(Step::User(UserAction::Dropped)),
                Some(action @ UserAction::End { again: true, .. }) => {
                    return Poll::Ready(Step::User(action))
                }
                Some(action @ UserAction::End { .. }) if closing.is_none() => {
                    return Poll::Ready(Step::User(action))
                }
                _ => {}
            }
            if closing.is_none() {
                if session.take_command(&Command::CheckPeer, cx) {
                    return Poll::Ready(Step::CheckPeer);
                }
                if let Poll::Ready(Err(error)) = session.poll_flush_queue(&ws, &mut flush, cx) {
                    return Poll::Ready(Step::SendFailed(error));
                }
            }
            match ws.poll_next_unpin(cx) {
                Poll::Ready(item) => return Poll::Ready(Step::Item(item)),
                // The browser drops what arrives once closing: nothing more is coming.
                Poll::Pending if closing.is_some() && ws.unread() == 0 => {
                    return Poll::Ready(Step::Drained)
                }
                Poll::Pending => {}
            }
            match tick.as_mut().map(|t| Pin::new(t).poll(cx)) {
                Some(Poll::Ready(())) => Poll::Ready(Step::Tick),
                _ => Poll::Pending,
            }
        })
        .await;
        match step {
            Step::User(UserAction::Dropped) => return None,
            Step::User(UserAction::End { close, again: more }) => {
                again |= more;
                if closing.is_none() {
                    closing = close.map(|close| Ended {
                        close,
                        by: ClosedBy::User,
                        again: false,
                        reader_behind: false,
                    });
                }
            }
            Step::Item(Some(Ok(message))) => {
                if let (Some(h), Some(w)) = (heartbeat, watch.as_mut()) {
                    let pong = (h.is_pong)(&message);
                    if pong || h.any_message_counts {
                        let at = now();
                        if w.heard_from_peer(at) {
                            tick = Some(Timer::new(w.wait_from(at)));
                        }
                    }
                    if pong {
                        continue;
                    }
                }
                session.deliver(Ok(message));
            }
            // The close event says it all; other errors (a fault that closed the connection)
            // are the user's to see.
            Step::Item(Some(Err(Error::Closed(_) | Error::ConnectFailed(_)))) => {}
            Step::Item(Some(Err(error))) => session.deliver(Err(error)),
            Step::Item(None) => {
                let closed = match closing {
                    Some(mut closed) => {
                        closed.close = ws.close_event().unwrap_or(closed.close);
                        closed
                    }
                    None => {
                        session.disconnected();
                        stream_ended(&ws)
                    }
                };
                return ended(closed, again);
            }
            // Only while closing: the connection was let go when closing began.
            Step::Drained => return closing.and_then(|closed| ended(closed, again)),
            Step::SendFailed(error) => closing = send_failed(session, &ws, error),
            Step::CheckPeer => {
                if let Some(w) = watch.as_mut() {
                    w.check_now(now());
                    tick = Some(Timer::new(std::time::Duration::ZERO));
                }
            }
            Step::Tick => {
                let (Some(h), Some(w)) = (heartbeat, watch.as_mut()) else {
                    continue;
                };
                let at = now();
                match w.woken(at) {
                    Verdict::Wait => {}
                    Verdict::Ping => match ws.send_now(&h.ping) {
                        // The peer is closing it: its close event ends the connection.
                        Ok(()) | Err(Error::NotOpen(_)) => {}
                        Err(error) => closing = send_failed(session, &ws, error),
                    },
                    Verdict::Dead => {
                        closing = close_for_socket(
                            &ws,
                            CloseCode::HEARTBEAT_TIMEOUT,
                            "heartbeat timeout",
                        );
                    }
                }
                tick = Some(Timer::new(w.wait_from(at)));
            }
        }
        if !was_closing && closing.is_some() {
            // Nothing more goes out on it: sends queue for the next connection.
            tick = None;
            session.disconnected();
        }
    }
}
