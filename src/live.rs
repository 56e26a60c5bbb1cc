//! With the `test-util` feature: a count of the JS callbacks the crate has registered and not yet
//! removed (the four socket listeners, connect timers), so that soak tests can prove nothing
//! leaks. Without it, nothing is counted and nothing is compiled.

#[cfg(feature = "test-util")]
mod imp {
    use std::cell::Cell;

    thread_local!(static LIVE: Cell<usize> = const { Cell::new(0) });

    pub(crate) fn add(n: usize) {
        LIVE.with(|c| c.set(c.get() + n));
    }

    pub(crate) fn remove(n: usize) {
        LIVE.with(|c| c.set(c.get().saturating_sub(n)));
    }

    /// JS callbacks registered by the crate and not yet removed, on this thread.
    pub fn live_callbacks() -> usize {
        LIVE.with(Cell::get)
    }
}

#[cfg(not(feature = "test-util"))]
mod imp {
    pub(crate) fn add(_: usize) {}
    pub(crate) fn remove(_: usize) {}
}

pub(crate) use imp::{add, remove};

#[cfg(feature = "test-util")]
pub use imp::live_callbacks;
