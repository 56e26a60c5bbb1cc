//! A `setTimeout` future that owns its callback: dropping it clears the timeout first, so the
//! callback can never run after it was freed, and nothing leaks when it never fires.

use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    // Global functions rather than `window.setTimeout`, so that the crate also works in workers.
    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(handler: &js_sys::Function, ms: i32) -> JsValue;
    #[wasm_bindgen(js_name = clearTimeout)]
    fn clear_timeout(id: &JsValue);
}

#[derive(Debug, Default)]
struct Shared {
    fired: bool,
    waker: Option<Waker>,
}

#[derive(Debug)]
pub(crate) struct Timer {
    id: JsValue,
    shared: Rc<RefCell<Shared>>,
    _callback: Closure<dyn FnMut()>,
}

impl Timer {
    pub(crate) fn new(after: Duration) -> Timer {
        let shared = Rc::new(RefCell::new(Shared::default()));
        let callback = Closure::<dyn FnMut()>::new({
            let shared = shared.clone();
            move || {
                let waker = shared.try_borrow_mut().ok().and_then(|mut s| {
                    s.fired = true;
                    s.waker.take()
                });
                if let Some(waker) = waker {
                    waker.wake();
                }
            }
        });
        let ms = i32::try_from(after.as_millis()).unwrap_or(i32::MAX);
        let id = set_timeout(callback.as_ref().unchecked_ref(), ms);
        crate::live::add(1);
        Timer {
            id,
            shared,
            _callback: callback,
        }
    }
}

impl Future for Timer {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let mut shared = self.shared.borrow_mut();
        if shared.fired {
            return Poll::Ready(());
        }
        shared.waker = Some(cx.waker().clone());
        Poll::Pending
    }
}

impl Drop for Timer {
    fn drop(&mut self) {
        clear_timeout(&self.id);
        crate::live::remove(1);
    }
}
