//! Sending in order, and waiting for the browser's send buffer to drain.
//!
//! Every send helper (`&self`, so many tasks may send at once) goes through a [`Turn`]: a sender
//! that cannot send at once (the socket is connecting, or its buffer is over the high-water
//! mark), or that finds others waiting, takes a number at the end of the socket's
//! [`SendLine`](crate::socket::shared::SendLine) and sends only on its turn. So messages reach
//! the wire in the order their sends started, from any number of tasks, and only the sender
//! whose turn it is polls the buffer. The `Sink` takes `&mut self`: while it is in use nothing
//! else sends on its socket, so it needs no number.
//!
//! Waiting for the buffer (`bufferedAmount`) to drain below a mark is not a rate limit: browsers
//! fire no event when their send buffer drains, so the waiting sender re-checks it every 1–4 ms,
//! on a timer in a visible page and on `platform/ticker.rs`'s worker in a hidden one (the crate
//! docs' "Background tabs"). Either exists only while someone waits (the worker about 0.1 s
//! longer): an idle socket, or one below its marks, runs none.

use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{ready, Context, Poll, Waker};
use std::time::Duration;

use crate::error::Error;
use crate::message::ReadyState;
use crate::platform::ticker::Tick;
use crate::platform::timer::Timer;
use crate::socket::shared::Shared;

/// How often a waiting sender re-reads `bufferedAmount`. Browsers clamp chained timers to about
/// 4 ms, so a blocked sender resumes 1–4 ms after the buffer has drained below its mark.
pub(crate) const POLL_INTERVAL: Duration = Duration::from_millis(1);

/// What wakes a waiting sender to re-read `bufferedAmount`.
#[derive(Debug)]
enum Wake {
    Timer(Timer),
    /// With the page's timer as a backstop, throttled as it may be: a worker that never ticks
    /// (one the browser queues or suspends) cannot hold the sender for good.
    Tick(Tick, Timer),
}

/// The backstop's delay: a hidden page's timers wake once a second at best, so a shorter one
/// would only be late.
const BACKSTOP: Duration = Duration::from_secs(1);

impl Wake {
    /// The worker's tick in a hidden page, where one can run; the timer otherwise.
    fn new() -> Wake {
        match Tick::wanted().then(Tick::start).flatten() {
            Some(tick) => Wake::Tick(tick, Timer::new(BACKSTOP)),
            None => Wake::Timer(Timer::new(POLL_INTERVAL)),
        }
    }
}

impl Drop for Wake {
    fn drop(&mut self) {
        // Checked whenever a wait on the worker ends, the buffer drained or not: a worker that
        // never ticks wakes nobody, so nothing else would end it.
        if let Wake::Tick(tick, backstop) = self {
            if backstop.fired() {
                tick.end_if_silent();
            }
        }
    }
}

/// One task's wait for `bufferedAmount` to drop: the sink's, or one helper call's.
#[derive(Debug, Default)]
pub(crate) struct BufferWait {
    wake: Option<Wake>,
}

impl BufferWait {
    /// Ready once `bufferedAmount` ≤ `mark`. Fails if the socket stops being open meanwhile:
    /// a closed socket's buffer never drains (browsers keep counting discarded data).
    pub(crate) fn poll_at_most(
        &mut self,
        shared: &Shared,
        mark: u32,
        cx: &mut Context<'_>,
    ) -> Poll<Result<(), Error>> {
        loop {
            if shared.buffered_at_most(mark) {
                self.wake = None;
                return Poll::Ready(Ok(()));
            }
            match shared.ready_state() {
                ReadyState::Open => {}
                state => {
                    self.wake = None;
                    return Poll::Ready(Err(Error::NotOpen(state)));
                }
            }
            match self.wake.get_or_insert_with(Wake::new) {
                Wake::Timer(timer) => {
                    ready!(Pin::new(timer).poll(cx));
                    self.wake = None;
                }
                Wake::Tick(tick, backstop) => {
                    if Pin::new(backstop).poll(cx).is_ready() {
                        self.wake = None;
                    } else {
                        ready!(Pin::new(&mut *tick).poll(cx));
                        // Kept across ticks; a new one once the worker has ended.
                        if !tick.rearm() {
                            self.wake = None;
                        }
                    }
                }
            }
        }
    }
}

/// Ready when a message may be sent: open, and no more than the high-water mark buffered.
pub(crate) fn poll_sendable(
    shared: &Shared,
    wait: &mut BufferWait,
    cx: &mut Context<'_>,
) -> Poll<Result<(), Error>> {
    ready!(shared.poll_writable(cx))?;
    wait.poll_at_most(shared, shared.high_water_mark, cx)
}

/// A sender's number in its socket's send line; dropping it leaves the line, after the send or
/// when the send is given up, and lets the next sender go.
#[derive(Debug)]
struct Place {
    shared: Rc<Shared>,
    number: u64,
}

impl Drop for Place {
    fn drop(&mut self) {
        let next = self
            .shared
            .line
            .try_borrow_mut()
            .map(|mut line| line.leave(self.number));
        next.unwrap_or_default().into_iter().for_each(Waker::wake);
    }
}

/// One sender's wait for its turn to send: its place in the line, once it had to take one, and
/// its wait for the buffer.
#[derive(Debug, Default)]
pub(crate) struct Turn {
    place: Option<Place>,
    buffer: BufferWait,
}

impl Turn {
    /// Ready when this sender may hand the browser its message: every sender that started before
    /// it has sent or given up, the socket is open, and no more than the high-water mark is
    /// buffered. An error once the socket is closing or closed. Drop the turn right after the
    /// send, so that the next sender can go.
    pub(crate) fn poll(
        &mut self,
        shared: &Rc<Shared>,
        cx: &mut Context<'_>,
    ) -> Poll<Result<(), Error>> {
        let place = match &self.place {
            Some(place) => place,
            None => {
                // Nobody waiting: send at once if the socket can take it, else wait first in line.
                if shared.line.borrow().is_empty() {
                    let sendable = poll_sendable(shared, &mut self.buffer, cx);
                    if sendable.is_ready() {
                        return sendable;
                    }
                }
                let number = shared.line.borrow_mut().join();
                self.place.insert(Place {
                    shared: shared.clone(),
                    number,
                })
            }
        };
        if !shared.line.borrow_mut().is_turn(place.number, cx) {
            return Poll::Pending;
        }
        poll_sendable(shared, &mut self.buffer, cx)
    }
}
