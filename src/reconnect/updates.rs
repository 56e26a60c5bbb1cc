//! `SocketUpdates`: a reconnecting socket's messages and events as one ordered stream.

use std::collections::VecDeque;
use std::pin::Pin;
use std::task::{Context, Poll};

use std::future::Future;

use futures::stream::FusedStream;
use futures::{Stream, StreamExt};

use super::state::Happened;
use super::{ReconnectEvent, ReconnectEvents, ReconnectStatus, ReconnectingSocket, SocketUpdate};
use crate::codec::Codec;
use crate::message::ReadyState;
use crate::platform::next_frame::NextFrame;

/// A [`ReconnectingSocket`]'s decoded messages, errors, opens, closes and state changes as one
/// stream, in the order they happened: what a view of the socket needs, read by one task.
/// Made by [`ReconnectingSocket::updates`]; ends when the socket has ended and everything was
/// read. Dropping it drops the socket.
///
/// Each item comes in the order the socket received or recorded it: a message after the
/// [`Opened`](SocketUpdate::Opened) of its connection and before its
/// [`Closed`](SocketUpdate::Closed), a state as it was just after the event that made it. Events
/// let go while nobody read them (see [`ReconnectEvent::Lagged`]) are missing; no message is.
///
/// ```no_run
/// # async fn f(socket: wasm_websocket::ReconnectingSocket) {
/// use futures::StreamExt;
/// use wasm_websocket::{SocketUpdate, Untyped};
///
/// let mut updates = socket.updates(Untyped).ok().expect("recording events, no other reader");
/// while let Some(update) = updates.next().await {
///     match update {
///         SocketUpdate::Message(m) => println!("{m:?}"),
///         SocketUpdate::State { status, .. } => println!("{status}"),
///         _ => {}
///     }
/// }
/// # }
/// ```
#[derive(Debug)]
#[must_use = "streams do nothing unless polled"]
pub struct SocketUpdates<C: Codec> {
    socket: ReconnectingSocket,
    /// Held for its claim on the event log: no other reader while this stream lives.
    _events: ReconnectEvents,
    codec: C,
    /// The state last reported; `None` before the first item.
    reported: Option<(ReadyState, ReconnectStatus)>,
    ended: bool,
    ready: VecDeque<SocketUpdate<C::Incoming>>,
}

impl ReconnectingSocket {
    /// The socket's messages, decoded with `codec`, and its events, as one ordered stream of
    /// [`SocketUpdate`]s.
    ///
    /// # Errors
    /// The socket back, unless it was built with
    /// [`record_events(true)`](super::ReconnectBuilder::record_events) and no
    /// [`ReconnectEvents`] of it is alive.
    ///
    /// ```no_run
    /// # fn f() -> Result<(), wasm_websocket::Error> {
    /// use wasm_websocket::{ReconnectingSocket, Untyped, WebSocket};
    /// let socket = ReconnectingSocket::builder(|| WebSocket::builder("/ws")).record_events(true).start()?;
    /// let updates = socket.updates(Untyped).ok().expect("recording events");
    /// # Ok(()) }
    /// ```
    pub fn updates<C: Codec>(self, codec: C) -> Result<SocketUpdates<C>, ReconnectingSocket> {
        let Some(events) = self.events() else {
            return Err(self);
        };
        Ok(SocketUpdates {
            socket: self,
            _events: events,
            codec,
            reported: None,
            ended: false,
            ready: VecDeque::new(),
        })
    }
}

impl<C: Codec> SocketUpdates<C> {
    /// The socket, for its sender, state and controls.
    ///
    /// ```no_run
    /// # fn f(updates: wasm_websocket::SocketUpdates<wasm_websocket::Untyped>) {
    /// let sender = updates.socket().sender();
    /// # }
    /// ```
    pub fn socket(&self) -> &ReconnectingSocket {
        &self.socket
    }

    /// Reads every update until the socket has ended: `apply` gets each one at once, in order;
    /// `render` is called after changes at most once per animation frame, and once at the end.
    /// What a view of the socket needs: its state exact after every update (callbacks see each
    /// message), its rendering paced by the browser, so a burst of messages costs a render per
    /// frame, not per message. While the browser renders no frames (a hidden tab), `render`
    /// comes every 250 ms, or as seldom as the browser runs timers there.
    ///
    /// ```no_run
    /// # async fn f(socket: wasm_websocket::ReconnectingSocket) {
    /// use std::cell::Cell;
    /// use wasm_websocket::{SocketUpdate, Untyped};
    ///
    /// let received = Cell::new(0);
    /// let updates = socket.updates(Untyped).ok().expect("recording events");
    /// updates
    ///     .relay(
    ///         |update| {
    ///             if let SocketUpdate::Message(_) = update {
    ///                 received.set(received.get() + 1);
    ///             }
    ///         },
    ///         || println!("{} messages", received.get()),
    ///     )
    ///     .await;
    /// # }
    /// ```
    pub async fn relay(
        mut self,
        mut apply: impl FnMut(SocketUpdate<C::Incoming>),
        mut render: impl FnMut(),
    ) {
        let mut frame: Option<NextFrame> = None;
        loop {
            // The frame first: a flood of updates never holds the render back.
            let step = std::future::poll_fn(|cx| {
                if let Some(next) = frame.as_mut() {
                    if Pin::new(next).poll(cx).is_ready() {
                        return Poll::Ready(None);
                    }
                }
                self.poll_next_unpin(cx).map(Some)
            })
            .await;
            match step {
                None => {
                    frame = None;
                    render();
                }
                Some(Some(update)) => {
                    apply(update);
                    frame.get_or_insert_with(NextFrame::new);
                }
                Some(None) => break,
            }
        }
        render();
    }

    /// Queues a state update if the state differs from the last one reported.
    fn report(&mut self, ready_state: ReadyState, status: ReconnectStatus) {
        let now = (ready_state, status);
        if self.reported.as_ref() != Some(&now) {
            self.reported = Some(now.clone());
            self.ready.push_back(SocketUpdate::State {
                ready_state: now.0,
                status: now.1,
            });
        }
    }

    /// Queues what `happened` shows: a message (decoded) or error, or an open or close with
    /// the state it left the socket in.
    fn queue(&mut self, happened: Happened) {
        match happened {
            Happened::Received(Ok(message)) => {
                self.ready.push_back(match self.codec.decode(message) {
                    Ok(value) => SocketUpdate::Message(value),
                    Err(error) => SocketUpdate::Error(error),
                })
            }
            Happened::Received(Err(error)) => self.ready.push_back(SocketUpdate::Error(error)),
            Happened::Recorded(logged) => {
                match logged.event {
                    ReconnectEvent::Open => self.ready.push_back(SocketUpdate::Opened),
                    ReconnectEvent::Disconnected { close, by } => {
                        self.ready.push_back(SocketUpdate::Closed { close, by });
                    }
                    _ => {}
                }
                // A close sets none: what follows it (a wait, an attempt, idle, the end) does.
                if let Some((ready_state, status)) = logged.state {
                    self.report(ready_state, status);
                }
            }
        }
    }
}

// Nothing in it is pinned: the socket and the events are polled through `Unpin` handles.
impl<C: Codec> Unpin for SocketUpdates<C> {}

impl<C: Codec> Stream for SocketUpdates<C> {
    type Item = SocketUpdate<C::Incoming>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        if this.reported.is_none() {
            this.report(this.socket.ready_state(), this.socket.status());
        }
        loop {
            if let Some(update) = this.ready.pop_front() {
                return Poll::Ready(Some(update));
            }
            if this.ended {
                return Poll::Ready(None);
            }
            match this.socket.inner.poll_next_happened(cx) {
                Poll::Ready(Some(happened)) => this.queue(happened),
                Poll::Ready(None) => {
                    this.ended = true;
                    this.report(this.socket.ready_state(), this.socket.status());
                }
                Poll::Pending => return Poll::Pending,
            }
        }
    }
}

impl<C: Codec> FusedStream for SocketUpdates<C> {
    fn is_terminated(&self) -> bool {
        self.ended && self.ready.is_empty()
    }
}
