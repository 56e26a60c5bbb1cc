//! `ReconnectEvents`: the stream that reads a reconnecting socket's events.

use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};

use futures::stream::FusedStream;
use futures::Stream;

use super::session::Session;
use super::ReconnectEvent;

/// The [`ReconnectEvent`]s of a [`ReconnectingSocket`](super::ReconnectingSocket), ending after
/// [`ReconnectEvent::GaveUp`](super::ReconnectEvent::GaveUp). One stream reads them at a time;
/// dropping it lets [`events`](super::ReconnectingSocket::events) make another, which goes on
/// where this one stopped.
///
/// ```no_run
/// # async fn f(socket: wasm_websocket::ReconnectingSocket) {
/// use futures::StreamExt;
/// let mut events = socket.events().expect("recording, and no other reader");
/// while let Some(event) = events.next().await {
///     println!("{event:?}");
/// }
/// # }
/// ```
#[derive(Debug)]
#[must_use = "streams do nothing unless polled"]
pub struct ReconnectEvents {
    pub(super) inner: Rc<Session>,
}

impl Stream for ReconnectEvents {
    type Item = ReconnectEvent;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<ReconnectEvent>> {
        self.inner.with(|s| {
            let ended = s.ended().is_some();
            match s.events() {
                Some(log) => log.poll_next(ended, cx),
                None => Poll::Ready(None),
            }
        })
    }
}

impl FusedStream for ReconnectEvents {
    fn is_terminated(&self) -> bool {
        self.inner.with(|s| {
            let ended = s.ended().is_some();
            s.events().is_none_or(|log| ended && log.is_read())
        })
    }
}

impl Drop for ReconnectEvents {
    fn drop(&mut self) {
        self.inner.release_events();
    }
}
