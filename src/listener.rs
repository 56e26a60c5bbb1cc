//! An event listener that is removed when dropped.
//!
//! gloo-events' `EventListener` does the same with an options object (`passive: true`) kept in a
//! thread-local and passed on every add; these listeners need no options, and going without that
//! object (its lazy initialisation and three setters across the JS boundary) made the minimal app
//! of `cargo xtask bench` smaller (see CHANGELOG).

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

/// `callback` listening to `kind` events on `target` for as long as this value lives.
pub(crate) struct Listener {
    target: web_sys::EventTarget,
    kind: &'static str,
    callback: Closure<dyn FnMut(web_sys::Event)>,
}

impl Listener {
    pub(crate) fn new(
        target: &web_sys::EventTarget,
        kind: &'static str,
        callback: impl FnMut(web_sys::Event) + 'static,
    ) -> Listener {
        let callback = Closure::<dyn FnMut(web_sys::Event)>::new(callback);
        // Adding a listener throws only for a callback that is not a function, which it is.
        let _ = target.add_event_listener_with_callback(kind, callback.as_ref().unchecked_ref());
        Listener {
            target: target.clone(),
            kind,
            callback,
        }
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        let _ = self
            .target
            .remove_event_listener_with_callback(self.kind, self.callback.as_ref().unchecked_ref());
    }
}

impl std::fmt::Debug for Listener {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Listener")
            .field("kind", &self.kind)
            .finish()
    }
}
