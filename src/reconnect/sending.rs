//! How messages leave a reconnecting socket. A message goes straight to the browser only when a
//! connection is open, nothing waits before it, and the browser holds no more than the
//! connection's high-water mark; otherwise it waits in the queue, which the driver hands to the
//! connection in order, under the same mark. So the browser never holds more than the mark plus
//! one message, connected or not.

use std::future::poll_fn;
use std::task::{ready, Context, Poll};

use super::session::Session;
use super::state::SessionState;
use super::TrySendError;
use crate::error::Error;
use crate::message::Message;
use crate::socket::send::BufferWait;
use crate::socket::websocket::WebSocket;

impl SessionState {
    /// Where a writer stands: an error once nothing more can be sent; the open connection once
    /// the driver has handed it the whole queue (pending until then); `None` while disconnected.
    fn poll_queue_handed_over(
        &mut self,
        cx: &Context<'_>,
    ) -> Poll<Result<Option<WebSocket>, Error>> {
        if let Some(refused) = self.refusal() {
            return Poll::Ready(Err(refused));
        }
        match self.open_connection() {
            Some(_) if !self.queue().is_empty() => {
                self.wait_to_write(cx);
                Poll::Pending
            }
            open => Poll::Ready(Ok(open)),
        }
    }
}

impl Session {
    /// Sends now if it may, queues otherwise.
    pub(super) fn send(&self, message: Message) -> Result<(), TrySendError> {
        let sent = self.with(|s| {
            if let Some(refused) = s.refusal() {
                return Err(TrySendError::new(refused, message));
            }
            if s.queue().is_empty() {
                if let Some(ws) = s.open_connection() {
                    if ws.buffered_at_most(ws.high_water_mark()) {
                        return ws
                            .send_now(&message)
                            .map_err(|error| TrySendError::new(error, message));
                    }
                }
            }
            s.queue().push(message)
        });
        // The driver flushes what was queued while connected.
        self.wake_driver();
        sent
    }

    /// Ready when [`Session::send`] will not have to refuse a message for a full queue, nor hand
    /// the browser more than the mark: while connected, once the queue is empty and the buffer at
    /// or below the high-water mark; while disconnected, once the queue has room (always, with
    /// [`QueuePolicy::DropOldest`](super::QueuePolicy::DropOldest)).
    pub(super) fn poll_ready(
        &self,
        wait: &mut BufferWait,
        cx: &mut Context<'_>,
    ) -> Poll<Result<(), Error>> {
        self.with(|s| {
            if let Some(ws) = ready!(s.poll_queue_handed_over(cx))? {
                match ws.poll_buffered_at_most(wait, ws.high_water_mark(), cx) {
                    Poll::Ready(Ok(())) => return Poll::Ready(Ok(())),
                    Poll::Pending => {
                        s.wait_to_write(cx);
                        return Poll::Pending;
                    }
                    // Closing under our feet: the message will wait in the queue.
                    Poll::Ready(Err(_)) => {}
                }
            }
            if s.queue().has_room() {
                Poll::Ready(Ok(()))
            } else {
                s.wait_to_write(cx);
                Poll::Pending
            }
        })
    }

    /// Waits for room (see [`Session::poll_ready`]), then sends.
    pub(super) async fn send_when_ready(&self, message: Message) -> Result<(), Error> {
        let mut wait = BufferWait::default();
        poll_fn(|cx| self.poll_ready(&mut wait, cx)).await?;
        self.send(message).map_err(Error::from)
    }

    /// Ready once every message is with the browser at or below the low-water mark, or, while
    /// disconnected, waiting in the queue for the next connection.
    pub(super) fn poll_flushed(
        &self,
        wait: &mut BufferWait,
        cx: &mut Context<'_>,
    ) -> Poll<Result<(), Error>> {
        self.with(|s| {
            let Some(ws) = ready!(s.poll_queue_handed_over(cx))? else {
                return Poll::Ready(Ok(()));
            };
            match ws.poll_buffered_at_most(wait, ws.low_water_mark(), cx) {
                Poll::Pending => {
                    s.wait_to_write(cx);
                    Poll::Pending
                }
                // A connection that closes with bytes buffered loses them; the socket goes on.
                Poll::Ready(_) => Poll::Ready(Ok(())),
            }
        })
    }

    /// Ready once the socket has ended.
    pub(super) fn poll_ended(&self, cx: &Context<'_>) -> Poll<()> {
        self.with(|s| {
            if s.ended().is_some() {
                Poll::Ready(())
            } else {
                s.wait_to_write(cx);
                Poll::Pending
            }
        })
    }

    /// The driver's half: hands queued messages to `ws` in order while the browser's buffer
    /// is at or below the mark. Ready when the queue is empty; an error when the browser threw
    /// on a send (the message is back at the head of the queue).
    pub(super) fn poll_flush_queue(
        &self,
        ws: &WebSocket,
        wait: &mut BufferWait,
        cx: &mut Context<'_>,
    ) -> Poll<Result<(), Error>> {
        let mut sent_any = false;
        let flushed = self.with(|s| loop {
            if s.queue().is_empty() {
                break Poll::Ready(Ok(()));
            }
            match ws.poll_buffered_at_most(wait, ws.high_water_mark(), cx) {
                Poll::Ready(Ok(())) => {}
                // Closing: the close event ends this connection, the queue waits for the next.
                Poll::Ready(Err(_)) | Poll::Pending => break Poll::Pending,
            }
            let Some(message) = s.queue().pop() else {
                break Poll::Ready(Ok(()));
            };
            match ws.send_now(&message) {
                Ok(()) => {}
                // The peer is closing it (no event for that yet): the message waits for the next
                // connection, and the close event ends this one.
                Err(Error::NotOpen(_)) => {
                    s.queue().unpop(message);
                    break Poll::Pending;
                }
                Err(error) => {
                    s.queue().unpop(message);
                    break Poll::Ready(Err(error));
                }
            }
            sent_any = true;
        });
        if sent_any {
            self.wake_writers();
        }
        flushed
    }
}
