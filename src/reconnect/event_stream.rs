//! `ReconnectEvents`: the stream that reads a reconnecting socket's events.

use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};

use futures::stream::FusedStream;
use futures::Stream;

use super::session::Session;
use super::ReconnectEvent;

/// The [`ReconnectEvent`]s of a [`ReconnectingSocket`](super::ReconnectingSocket), ending after [`ReconnectEvent::GaveUp`](super::ReconnectEvent::GaveUp).
///
/// ```no_run
/// # async fn f(socket: wasm_websocket::ReconnectingSocket) {
/// use futures::StreamExt;
/// let mut events = socket.events().expect("recording");
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
            let ended = s.gave_up.is_some();
            let Some(events) = s.events.as_mut() else {
                return Poll::Ready(None);
            };
            match events.pop_front() {
                Some(event) => Poll::Ready(Some(event)),
                None if ended => Poll::Ready(None),
                None => {
                    s.events_reader = Some(cx.waker().clone());
                    Poll::Pending
                }
            }
        })
    }
}

impl FusedStream for ReconnectEvents {
    fn is_terminated(&self) -> bool {
        self.inner.with(|s| match &s.events {
            None => true,
            Some(events) => events.is_empty() && s.gave_up.is_some(),
        })
    }
}
