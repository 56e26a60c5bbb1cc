//! The browser glue under every socket: timers and animation frames, the hidden-tab ticker, the
//! wake-up events (`online`, visible again, back from the cache, resumed), handing wasm memory to the browser, and the count of live JS callbacks. It
//! knows nothing about sockets and imports nothing from the layers above it.

use std::task::{Context, Waker};

pub(crate) mod live;
pub(crate) mod next_frame;
pub(crate) mod running;
pub(crate) mod ticker;
pub(crate) mod timer;
pub(crate) mod wake;
pub(crate) mod wasm_memory;

/// Adds the task's waker to `wakers` unless one that wakes the same task is there already.
pub(crate) fn remember(wakers: &mut Vec<Waker>, cx: &Context<'_>) {
    if !wakers.iter().any(|w| w.will_wake(cx.waker())) {
        wakers.push(cx.waker().clone());
    }
}

/// Whether this runtime has a `WebSocket`; see `WebSocket::is_supported`.
pub(crate) fn is_supported() -> bool {
    cfg!(all(target_arch = "wasm32", target_os = "unknown"))
        && js_sys::Reflect::has(&js_sys::global(), &"WebSocket".into()).unwrap_or(false)
}
