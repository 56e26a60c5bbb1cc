//! Whether the browser is online, and the `online` event that wakes a waiting driver.

use std::rc::Weak;

use gloo_events::EventListener;
use wasm_bindgen::JsCast;

use super::session::Session;
use crate::live::Live;

/// `navigator.onLine`, true where unknown (or what a test forced).
pub(super) fn online() -> bool {
    if let Some(forced) = forced() {
        return forced;
    }
    js_sys::Reflect::get(&js_sys::global(), &"navigator".into())
        .and_then(|nav| js_sys::Reflect::get(&nav, &"onLine".into()))
        .ok()
        .and_then(|v| v.as_bool())
        .unwrap_or(true)
}

/// Tells the driver when the browser comes back online: a waiting attempt starts, an open
/// connection's peer is checked.
pub(super) fn watch_online(weak: Weak<Session>) -> Option<Live<EventListener>> {
    let target = js_sys::global().dyn_into::<web_sys::EventTarget>().ok()?;
    Some(Live::listen(&target, "online", move |_| {
        if let Some(inner) = weak.upgrade() {
            inner.network_changed();
        }
    }))
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
