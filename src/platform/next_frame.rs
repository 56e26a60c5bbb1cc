//! `NextFrame`: a future that resolves when the browser renders its next frame, or after a
//! quarter of a second when it renders none (a hidden tab, a worker). Both timers are owned:
//! dropping it cancels them.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use crate::platform::timer::Timer;

/// How long a view waits for a frame before it renders anyway.
const AT_THE_LATEST: Duration = Duration::from_millis(250);

#[derive(Debug)]
pub(crate) struct NextFrame {
    frame: Option<Timer>,
    at_the_latest: Timer,
}

impl NextFrame {
    pub(crate) fn new() -> NextFrame {
        NextFrame {
            frame: Timer::next_frame(),
            at_the_latest: Timer::new(AT_THE_LATEST),
        }
    }
}

impl Future for NextFrame {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let framed = self
            .frame
            .as_mut()
            .is_some_and(|frame| Pin::new(frame).poll(cx).is_ready());
        if framed {
            return Poll::Ready(());
        }
        Pin::new(&mut self.at_the_latest).poll(cx)
    }
}
