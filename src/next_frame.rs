//! `NextFrame`: a future that resolves when the browser renders its next frame, or after a
//! quarter of a second when it renders none (a hidden tab, a worker).
//!
//! It is a promise that `requestAnimationFrame` and `setTimeout` both resolve: no Rust callback
//! is handed to JS, so dropping the future early leaves nothing to free or to cancel (the
//! browser later resolves a promise nobody waits for).

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

/// How long a view waits for a frame before it renders anyway.
const AT_THE_LATEST_MS: i32 = 250;

#[wasm_bindgen]
extern "C" {
    // Global functions, so that this also works in workers (which may have no animation frames).
    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(handler: &js_sys::Function, ms: i32) -> JsValue;
    #[wasm_bindgen(catch, js_name = requestAnimationFrame)]
    fn request_animation_frame(handler: &js_sys::Function) -> Result<JsValue, JsValue>;
}

#[derive(Debug)]
pub(crate) struct NextFrame(JsFuture);

impl NextFrame {
    pub(crate) fn new() -> NextFrame {
        let has_frames = js_sys::Reflect::has(&js_sys::global(), &"requestAnimationFrame".into())
            .unwrap_or(false);
        let promise = js_sys::Promise::new(&mut |resolve, _reject| {
            if has_frames {
                // No frame comes only where none is rendered: the timeout covers that.
                let _ = request_animation_frame(&resolve);
            }
            set_timeout(&resolve, AT_THE_LATEST_MS);
        });
        NextFrame(JsFuture::from(promise))
    }
}

impl Future for NextFrame {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        Pin::new(&mut self.0).poll(cx).map(|_| ())
    }
}
