//! Whether the browser is online, and its `online` event.

use gloo_events::EventListener;
use wasm_bindgen::JsCast;

use crate::platform::live::Live;

/// `navigator.onLine`, true where unknown (or what a test forced).
pub(crate) fn online() -> bool {
    if let Some(forced) = forced() {
        return forced;
    }
    js_sys::Reflect::get(&js_sys::global(), &"navigator".into())
        .and_then(|nav| js_sys::Reflect::get(&nav, &"onLine".into()))
        .ok()
        .and_then(|v| v.as_bool())
        .unwrap_or(true)
}

/// Calls `on_online` whenever the browser comes back online, while the listener lives; `None`
/// where the global scope is no event target.
pub(crate) fn listen_online(mut on_online: impl FnMut() + 'static) -> Option<Live<EventListener>> {
    let target = js_sys::global().dyn_into::<web_sys::EventTarget>().ok()?;
    Some(Live::listen(&target, "online", move |_| on_online()))
}

#[cfg(feature = "test-util")]
thread_local!(static FORCED: std::cell::Cell<Option<bool>> = const { std::cell::Cell::new(None) });

#[cfg(feature = "test-util")]
fn forced() -> Option<bool> {
    FORCED.get()
}

#[cfg(not(feature = "test-util"))]
fn forced() -> Option<bool> {
    None
}

/// Test-only (feature `test-util`): makes the crate see `navigator.onLine` as `online`, or as the
/// browser says again with `None`, so that a test can exercise the offline wait without taking
/// the browser offline. An `online` event still wakes a waiting driver, which checks again.
#[cfg(feature = "test-util")]
pub fn force_online(online: Option<bool>) {
    FORCED.set(online);
}
