//! A `setTimeout` (or `requestAnimationFrame`) future that owns its callback: dropping it clears
//! the timeout first, so the callback can never run after it was freed, and nothing leaks when
//! it never fires. Why this and not gloo-timers: ARCHITECTURE.md, "Timers and listeners".

use std::cell::RefCell;
use std::future::{poll_fn, Future};
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use wasm_bindgen::prelude::*;

use crate::platform::live::Live;
use crate::text::millis;

#[wasm_bindgen]
extern "C" {
    // Global functions rather than `window.setTimeout`, so that the crate also works in workers.
    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(handler: &js_sys::Function, ms: i32) -> JsValue;
    #[wasm_bindgen(js_name = clearTimeout)]
    fn clear_timeout(id: &JsValue);
    #[wasm_bindgen(catch, js_name = requestAnimationFrame)]
    fn request_animation_frame(handler: &js_sys::Function) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_name = cancelAnimationFrame)]
    fn cancel_animation_frame(id: &JsValue);
    #[wasm_bindgen(catch, js_namespace = performance, js_name = now)]
    fn performance_now() -> Result<f64, JsValue>;
}

#[derive(Debug, Default)]
struct TimerState {
    fired: bool,
    waker: Option<Waker>,
}

/// `future`'s output, or `None` if `after` passes first: the one way the crate bounds a wait
/// in time (a handshake, a request's answer, a closing connection's last event).
pub(crate) async fn within<F: Future>(after: Duration, future: F) -> Option<F::Output> {
    let mut future = std::pin::pin!(future);
    let mut timer = Timer::new(after);
    poll_fn(|cx| {
        if let Poll::Ready(done) = future.as_mut().poll(cx) {
            return Poll::Ready(Some(done));
        }
        Pin::new(&mut timer).poll(cx).map(|()| None)
    })
    .await
}

/// Now, in milliseconds since the page (or worker) started: the one clock the crate's timings
/// read. `performance.now()`, monotonic: a wall clock stepped back (NTP, a user, a VM resumed)
/// would push a heartbeat's next ping, and so the finding of a dead peer, out by the step.
/// `Date.now()` only where a runtime has no `performance`.
pub(crate) fn now() -> f64 {
    performance_now().unwrap_or_else(|_| js_sys::Date::now())
}

#[derive(Debug)]
pub(crate) struct Timer {
    id: JsValue,
    cancel: fn(&JsValue),
    state: Rc<RefCell<TimerState>>,
    callback: Live<Closure<dyn FnMut()>>,
}

impl Timer {
    pub(crate) fn new(after: Duration) -> Timer {
        let ms = i32::try_from(millis(after)).unwrap_or(i32::MAX);
        let mut timer = Timer::unscheduled(clear_timeout);
        timer.id = set_timeout(timer.callback(), ms);
        timer
    }

    /// Fires when the browser renders its next frame; `None` where it renders none it knows of
    /// (a worker).
    pub(crate) fn next_frame() -> Option<Timer> {
        if !js_sys::Reflect::has(&js_sys::global(), &"requestAnimationFrame".into())
            .unwrap_or(false)
        {
            return None;
        }
        let mut timer = Timer::unscheduled(cancel_animation_frame);
        timer.id = request_animation_frame(timer.callback()).ok()?;
        Some(timer)
    }

    /// A timer whose callback is made and counted, for the caller to schedule.
    fn unscheduled(cancel: fn(&JsValue)) -> Timer {
        let state = Rc::new(RefCell::new(TimerState::default()));
        let callback = Live::new(Closure::<dyn FnMut()>::new({
            let state = state.clone();
            move || {
                let waker = state.try_borrow_mut().ok().and_then(|mut s| {
                    s.fired = true;
                    s.waker.take()
                });
                if let Some(waker) = waker {
                    waker.wake();
                }
            }
        }));
        Timer {
            id: JsValue::UNDEFINED,
            cancel,
            state,
            callback,
        }
    }

    /// Whether it has fired.
    pub(crate) fn fired(&self) -> bool {
        self.state.try_borrow().is_ok_and(|state| state.fired)
    }

    fn callback(&self) -> &js_sys::Function {
        self.callback.as_ref().unchecked_ref()
    }
}

impl Future for Timer {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let Ok(mut state) = self.state.try_borrow_mut() else {
            // Only the callback borrows it besides, never across a poll: ask to be polled again.
            cx.waker().wake_by_ref();
            return Poll::Pending;
        };
        if state.fired {
            return Poll::Ready(());
        }
        state.waker = Some(cx.waker().clone());
        Poll::Pending
    }
}

impl Drop for Timer {
    fn drop(&mut self) {
        (self.cancel)(&self.id);
    }
}
