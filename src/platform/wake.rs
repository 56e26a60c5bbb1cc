//! Whether the browser is online, and the events after which a connection may be dead without
//! a close event having come: the page may have slept.
//!
//! - `online`: the network came back, maybe another one.
//! - `visibilitychange` to visible after hidden: a laptop that slept on the same network fires
//!   no `online`; a tab in the background may have been throttled for minutes. Only the change
//!   from hidden counts: a page that was visible throughout has not slept.
//! - `pageshow` with `persisted`: the page came back from the back/forward cache, where its
//!   timers did not run.
//! - `resume` (Chromium): a frozen tab runs again.
//!
//! Workers have no document: there only `online` is heard.

use std::cell::Cell;
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
    let mut listen = |target: &Option<web_sys::EventTarget>,
                      name: &'static str,
                      woke: fn(&web_sys::Event) -> bool| {
        let Some(target) = target else { return };
        let on_wake = Rc::clone(&on_wake);
        listeners.push(Live::listen(target, name, move |event| {
            if woke(event) {
                on_wake();
            }
        }));
    };
    listen(&global, "online", |_| true);
    listen(&global, "pageshow", |event| {
        field(event, "persisted").as_bool() == Some(true)
    });
    listen(&document, "resume", |_| true);
    if let Some(document) = document {
        let visible = |document: &JsValue| {
            field(document, "visibilityState").as_string().as_deref() != Some("hidden")
        };
        let was_hidden = Cell::new(!visible(&document));
        let source = document.clone();
        listeners.push(Live::listen(&document, "visibilitychange", move |_| {
            let hidden = !visible(&source);
            if was_hidden.replace(hidden) && !hidden {
                on_wake();
            }
        }));
    }
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
