use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};

use futures::stream::FusedStream;
use futures::Stream;

use crate::shared::Shared;
use crate::Event;

/// The [`Event`]s of one socket in dispatch order, ending after [`Event::Close`]. Made by
/// [`WebSocket::events`](crate::WebSocket::events); keeps the socket open while it lives.
///
/// ```no_run
/// # async fn run() -> Result<(), wasm_websocket::Error> {
/// use futures::StreamExt;
/// use wasm_websocket::{Event, WebSocket};
/// let ws = WebSocket::builder("/ws").record_events(true).open()?;
/// let mut events = ws.events().expect("recording");
/// assert_eq!(events.next().await, Some(Event::Open));
/// # Ok(()) }
/// ```
#[derive(Debug)]
#[must_use = "streams do nothing unless polled"]
pub struct Events {
    pub(crate) shared: Rc<Shared>,
}

impl Stream for Events {
    type Item = Event;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Event>> {
        self.shared.poll_event(cx)
    }
}

impl FusedStream for Events {
    fn is_terminated(&self) -> bool {
        self.shared.events_terminated()
    }
}
