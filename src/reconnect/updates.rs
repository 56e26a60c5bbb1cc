//! `SocketUpdates`: a reconnecting socket's messages and events as one ordered stream.

use std::collections::VecDeque;
use std::pin::Pin;
use std::task::{Context, Poll};

use std::future::Future;

use futures::stream::FusedStream;
use futures::{Stream, StreamExt};

use super::{ReconnectEvent, ReconnectEvents, ReconnectStatus, ReconnectingSocket, SocketUpdate};
use crate::next_frame::NextFrame;
use crate::{Codec, ReadyState};

/// A [`ReconnectingSocket`]'s decoded messages, errors, opens, closes and state changes as one
/// stream, in the order they happened: what a view of the socket needs, read by one task.
/// Made by [`ReconnectingSocket::updates`]; ends when the socket has ended and everything was
/// read. Dropping it drops the socket.
///
/// A message comes after the [`Opened`](SocketUpdate::Opened) of its connection and before its
/// [`Closed`](SocketUpdate::Closed). Only after a
/// [`ReconnectEvent::Lagged`] (the events went unread for a long time) may messages come a little
/// before or after the opens and closes around them; none is lost.
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
    events: ReconnectEvents,
    codec: C,
    /// The state last reported; `None` before the first item.
    reported: Option<(ReadyState, ReconnectStatus)>,
    /// Message events whose message was taken from the socket before the event was read.
    ahead: usize,
    /// A message event waits for its message (an error item came first).
    wanting: bool,
    messages_ended: bool,
    events_ended: bool,
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
            events,
            codec,
            reported: None,
            ahead: 0,
            wanting: false,
            messages_ended: false,
            events_ended: false,
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

    /// Queues a state update if the state changed since the last one.
    fn note_state(&mut self) {
        let now = (self.socket.ready_state(), self.socket.status());
        if self.reported.as_ref() != Some(&now) {
            self.reported = Some(now.clone());
            self.ready.push_back(SocketUpdate::State {
                ready_state: now.0,
                status: now.1,
            });
        }
    }

    /// The next item of the socket's message stream, decoded. `Ready(None)` once it ended.
    fn poll_message(&mut self, cx: &mut Context<'_>) -> Poll<Option<SocketUpdate<C::Incoming>>> {
        if self.messages_ended {
            return Poll::Ready(None);
        }
        match self.socket.poll_next_unpin(cx) {
            Poll::Ready(Some(Ok(message))) => Poll::Ready(Some(match self.codec.decode(message) {
                Ok(value) => SocketUpdate::Message(value),
                Err(error) => SocketUpdate::Error(error),
            })),
            Poll::Ready(Some(Err(error))) => Poll::Ready(Some(SocketUpdate::Error(error))),
            Poll::Ready(None) => {
                self.messages_ended = true;
                Poll::Ready(None)
            }
            Poll::Pending => Poll::Pending,
        }
    }

    /// Reads events in order until one makes an update; a message event takes its message from
    /// the socket, where the socket put it before saying so.
    fn poll_event(&mut self, cx: &mut Context<'_>) -> Poll<()> {
        loop {
            if self.wanting {
                match self.poll_message(cx) {
                    Poll::Ready(Some(update)) => {
                        self.wanting = matches!(update, SocketUpdate::Error(_));
                        self.ready.push_back(update);
                        return Poll::Ready(());
                    }
                    Poll::Ready(None) => self.wanting = false,
                    Poll::Pending => return Poll::Pending,
                }
            }
            if self.events_ended {
                return Poll::Pending;
            }
            let event = match self.events.poll_next_unpin(cx) {
                Poll::Ready(Some(event)) => event,
                Poll::Ready(None) => {
                    self.events_ended = true;
                    self.note_state();
                    return Poll::Ready(());
                }
                Poll::Pending => return Poll::Pending,
            };
            match event {
                ReconnectEvent::Message(_) => match self.ahead.checked_sub(1) {
                    Some(ahead) => self.ahead = ahead,
                    None => self.wanting = true,
                },
                ReconnectEvent::Open => self.ready.push_back(SocketUpdate::Opened),
                ReconnectEvent::Disconnected { close, by } => {
                    self.ready.push_back(SocketUpdate::Closed { close, by });
                }
                _ => {}
            }
            if !self.wanting {
                self.note_state();
                if !self.ready.is_empty() {
                    return Poll::Ready(());
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
            this.note_state();
        }
        if let Some(update) = this.ready.pop_front() {
            return Poll::Ready(Some(update));
        }
        if this.poll_event(cx).is_ready() {
            if let Some(update) = this.ready.pop_front() {
                return Poll::Ready(Some(update));
            }
        }
        // No event is waiting: what the socket holds has no event (an error, or a message whose
        // event was let go in a lag).
        if !this.wanting {
            match this.poll_message(cx) {
                Poll::Ready(Some(update)) => {
                    if matches!(update, SocketUpdate::Message(_)) {
                        this.ahead = this.ahead.saturating_add(1);
                    }
                    return Poll::Ready(Some(update));
                }
                Poll::Ready(None) | Poll::Pending => {}
            }
        }
        if this.messages_ended && this.events_ended && this.ready.is_empty() {
            Poll::Ready(None)
        } else {
            Poll::Pending
        }
    }
}

impl<C: Codec> FusedStream for SocketUpdates<C> {
    fn is_terminated(&self) -> bool {
        self.messages_ended && self.events_ended && self.ready.is_empty()
    }
}
