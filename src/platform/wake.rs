//! Whether the browser is online, and the events after which a connection may be dead without
//! a close event having come: the page may have slept.
//!
//! - `online`: the network came back, maybe another one.
//! - `visibilitychange` to visible: a laptop that slept on the same network fires no `online`;
//!   a tab in the background may have been throttled for minutes.
//! - `pageshow` with `persisted`: the page came back from the back/forward cache, where its
//!   timers did not run.
//! - `resume` (Chromium): a frozen tab runs again.
//!
//! Workers have no document: there only `online` is heard.

use std::rc::Rc;

use gloo_events::EventListener;
use wasm_bindgen::{JsCast, JsValue};

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

/// The listeners of the wake-up events, removed when dropped.
#[derive(Debug)]
#[must_use = "the listeners are removed when dropped"]
pub(crate) struct WakeUps {
    _listeners: Vec<Live<EventListener>>,
}

/// Calls `on_wake` after each wake-up event (see the module's docs) while the listeners live.
pub(crate) fn listen_wake_ups(on_wake: impl Fn() + 'static) -> WakeUps {
    let on_wake: Rc<dyn Fn()> = Rc::new(on_wake);
    let global = js_sys::global().dyn_into::<web_sys::EventTarget>().ok();
    let document = js_sys::Reflect::get(&js_sys::global(), &"document".into())
        .ok()
        .and_then(|d| d.dyn_into::<web_sys::EventTarget>().ok());
    let mut listeners = Vec::new();
    let mut listen =
        |target: &Option<web_sys::EventTarget>,
         name: &'static str,
         woke: fn(&web_sys::Event, &web_sys::EventTarget) -> bool| {
            let Some(target) = target.clone() else { return };
            let on_wake = Rc::clone(&on_wake);
            let source = target.clone();
            listeners.push(Live::listen(&target, name, move |event| {
                if woke(event, &source) {
                    on_wake();
                }
            }));
        };
    listen(&global, "online", |_, _| true);
    listen(&global, "pageshow", |event, _| {
        field(event, "persisted").as_bool() == Some(true)
    });
    listen(&document, "visibilitychange", |_, document| {
        field(document, "visibilityState").as_string().as_deref() == Some("visible")
    });
    listen(&document, "resume", |_, _| true);
    WakeUps {
        _listeners: listeners,
    }
}

fn field(target: &JsValue, key: &str) -> JsValue {
    js_sys::Reflect::get(target, &key.into()).unwrap_or(JsValue::UNDEFINED)
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
