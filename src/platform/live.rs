//! `Live`: a JS callback the crate has handed the browser (a listener, a timer's callback), or a
//! worker it started. With the `test-util` feature each is counted from when it is made until it
//! is dropped, so that soak tests can prove nothing leaks; without it, `Live` is the value itself
//! and nothing is counted.

use std::ops::Deref;

use gloo_events::EventListener;

/// `T`, counted as a live JS callback for as long as it lives.
#[derive(Debug)]
pub(crate) struct Live<T>(T);

impl<T> Live<T> {
    pub(crate) fn new(callback: T) -> Live<T> {
        count::add();
        Live(callback)
    }
}

impl Live<EventListener> {
    /// `callback` listening to `kind` events on `target` until dropped.
    pub(crate) fn listen(
        target: &web_sys::EventTarget,
        kind: &'static str,
        callback: impl FnMut(&web_sys::Event) + 'static,
    ) -> Live<EventListener> {
        Live::new(EventListener::new(target, kind, callback))
    }
}

impl<T> Deref for Live<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0
    }
}

#[cfg(feature = "test-util")]
impl<T> Drop for Live<T> {
    fn drop(&mut self) {
        count::remove();
    }
}

#[cfg(feature = "test-util")]
mod count {
    use std::cell::Cell;

    thread_local!(static LIVE: Cell<usize> = const { Cell::new(0) });

    pub(super) fn add() {
        LIVE.with(|c| c.set(c.get().saturating_add(1)));
    }

    pub(super) fn remove() {
        LIVE.with(|c| c.set(c.get().saturating_sub(1)));
    }

    /// JS callbacks registered by the crate and not yet removed, on this thread.
    pub fn live_callbacks() -> usize {
        LIVE.with(Cell::get)
    }
}

#[cfg(not(feature = "test-util"))]
mod count {
    pub(super) fn add() {}
}

#[cfg(feature = "test-util")]
pub use count::live_callbacks;
