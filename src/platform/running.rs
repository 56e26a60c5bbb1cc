//! With the `test-util` feature: how many reconnect drivers are running on this thread, and a
//! future for when that count has come down, so that a test can await the end of the drivers of
//! the sockets it dropped instead of sleeping. Without it, `Running` is nothing.

/// A driver, counted as running from its spawn until it is dropped.
#[derive(Debug)]
pub(crate) struct Running(());

#[cfg(feature = "test-util")]
mod imp {
    use std::cell::Cell;
    use std::future::poll_fn;
    use std::task::{Poll, Waker};

    use super::Running;

    thread_local! {
        static RUNNING: Cell<usize> = const { Cell::new(0) };
        static WAITING: Cell<Vec<Waker>> = const { Cell::new(Vec::new()) };
    }

    impl Running {
        pub(crate) fn start() -> Running {
            RUNNING.set(RUNNING.get().saturating_add(1));
            Running(())
        }
    }

    impl Drop for Running {
        fn drop(&mut self) {
            RUNNING.set(RUNNING.get().saturating_sub(1));
            WAITING.take().into_iter().for_each(Waker::wake);
        }
    }

    /// Test-only (feature `test-util`): the reconnecting sockets' drivers running on this thread
    /// (started and not yet ended).
    pub fn running_drivers() -> usize {
        RUNNING.get()
    }

    /// Test-only (feature `test-util`): ready once no more than `count` drivers are running on
    /// this thread. A dropped or closed socket's driver ends on a later turn of the event loop,
    /// taking its listeners and timers with it; this awaits that end.
    pub async fn drivers_down_to(count: usize) {
        poll_fn(|cx| {
            if RUNNING.get() <= count {
                return Poll::Ready(());
            }
            let mut waiting = WAITING.take();
            if !waiting.iter().any(|w| w.will_wake(cx.waker())) {
                waiting.push(cx.waker().clone());
            }
            WAITING.set(waiting);
            Poll::Pending
        })
        .await;
    }
}

#[cfg(not(feature = "test-util"))]
impl Running {
    pub(crate) fn start() -> Running {
        Running(())
    }
}

#[cfg(feature = "test-util")]
pub use imp::{drivers_down_to, running_drivers};
