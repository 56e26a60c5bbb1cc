//! A wake-up source that hidden tabs do not throttle, for senders waiting on `bufferedAmount`:
//! a tiny dedicated worker that posts a message every 1–4 ms. Hidden pages' timers wake at most
//! once a second (Chromium: once a minute after a minute hidden), while messages from a worker
//! are delivered at once. The first `Tick` made starts the worker; once the last one is dropped
//! the worker ticks `LINGER_TICKS` more times (about 0.1 s) for a sender that waits again at once,
//! as one does between every high-water mark's worth of an upload (a worker takes milliseconds to
//! start), and is then terminated. Where no worker can run, the caller falls back to its timer:
//! `Tick::start` answers `None` if the constructor throws, and a waiting tick ends at the
//! worker's `error` event, which is how Chromium and Firefox report a CSP without
//! `worker-src data:`; the page does not try again.

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use gloo_events::{EventListener, EventListenerOptions};
use wasm_bindgen::prelude::*;

use crate::live::Live;

/// Ticks the worker goes on with after the last wait has ended.
const LINGER_TICKS: u32 = 25;

/// The whole worker: no file to serve, no Blob to make and revoke.
const SCRIPT: &str = "data:text/javascript,setInterval(()=>postMessage(0),1)";

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = Worker, extends = web_sys::EventTarget)]
    #[derive(Debug)]
    type JsWorker;
    #[wasm_bindgen(catch, constructor, js_class = Worker)]
    fn new(url: &str) -> Result<JsWorker, JsValue>;
    #[wasm_bindgen(method, js_class = Worker)]
    fn terminate(this: &JsWorker);
}

/// What the worker's messages and the waiting ticks share.
#[derive(Debug, Default)]
struct Beat {
    /// Messages received (or a failure seen) since the worker started.
    count: Cell<u32>,
    wakers: RefCell<Vec<Waker>>,
    /// Ticks alive.
    users: Cell<usize>,
    /// Ticks since the last wait ended, while none has begun.
    idle: Cell<u32>,
    /// The worker failed to load: it will not tick.
    failed: Cell<bool>,
}

impl Beat {
    fn wake_all(&self) {
        self.count.set(self.count.get().wrapping_add(1));
        let wakers = self
            .wakers
            .try_borrow_mut()
            .map(|mut w| std::mem::take(&mut *w));
        for waker in wakers.unwrap_or_default() {
            waker.wake();
        }
    }
}

/// The running worker, terminated when dropped.
#[derive(Debug)]
struct Running {
    worker: Live<JsWorker>,
    beat: Rc<Beat>,
    _message: Live<EventListener>,
    _error: Live<EventListener>,
}

impl Drop for Running {
    fn drop(&mut self) {
        self.worker.terminate();
    }
}

/// This thread's worker, if any.
#[derive(Debug)]
enum Ticker {
    Idle,
    Running(Running),
    /// A worker could not be made or failed to load: the page's policy will not change.
    Refused,
}

thread_local! {
    static TICKER: RefCell<Ticker> = const { RefCell::new(Ticker::Idle) };
}

/// The worker's `message` (or, if `failed`, `error`) listener; one closure type for both.
fn on_event(beat: Rc<Beat>, failed: bool) -> impl FnMut(&web_sys::Event) {
    move |event| {
        if failed {
            // Handled here: not reported to the page as an uncaught error.
            event.prevent_default();
            beat.failed.set(true);
        }
        beat.wake_all();
        if beat.users.get() > 0 {
            beat.idle.set(0);
            return;
        }
        beat.idle.set(beat.idle.get().saturating_add(1));
        if failed || beat.idle.get() >= LINGER_TICKS {
            // Drops this listener while it runs, which wasm-bindgen allows: the closure's
            // environment is freed once the call returns.
            end(failed);
        }
    }
}

/// Terminates the worker, which nobody waits on; `Refused` if it failed.
fn end(failed: bool) {
    let after = if failed {
        Ticker::Refused
    } else {
        Ticker::Idle
    };
    let ended = TICKER.with(|ticker| {
        let mut ticker = ticker.try_borrow_mut().ok()?;
        Some(std::mem::replace(&mut *ticker, after))
    });
    // Dropped after the borrow has ended.
    drop(ended);
}

fn start_worker() -> Option<Running> {
    let worker = JsWorker::new(test_hooks::worker_url().unwrap_or(SCRIPT)).ok()?;
    let beat = Rc::new(Beat::default());
    let target: &web_sys::EventTarget = &worker;
    // Not passive (gloo's default), so that the error event can be cancelled.
    let listen = |kind, failed| {
        let options = EventListenerOptions::enable_prevent_default();
        let callback = on_event(beat.clone(), failed);
        Live::new(EventListener::new_with_options(
            target, kind, options, callback,
        ))
    };
    let message = listen("message", false);
    // A worker that cannot load (as under a CSP that forbids it) never ticks: the waiting ticks
    // end, their callers fall back to the timer, and the worker is ended.
    let error = listen("error", true);
    Some(Running {
        worker: Live::new(worker),
        beat,
        _message: message,
        _error: error,
    })
}

/// Ready at the worker's next message; holds the worker alive.
#[derive(Debug)]
pub(crate) struct Tick {
    beat: Rc<Beat>,
    /// `beat.count` when the tick was made.
    at: u32,
}

impl Tick {
    /// A tick, starting the worker if it is the first; `None` where no worker can run.
    pub(crate) fn start() -> Option<Tick> {
        let beat = TICKER.with(|ticker| {
            let mut ticker = ticker.try_borrow_mut().ok()?;
            if matches!(*ticker, Ticker::Idle) {
                *ticker = start_worker().map_or(Ticker::Refused, Ticker::Running);
            }
            match &*ticker {
                Ticker::Running(running) if !running.beat.failed.get() => {
                    Some(running.beat.clone())
                }
                _ => None,
            }
        })?;
        beat.users.set(beat.users.get().saturating_add(1));
        let at = beat.count.get();
        Some(Tick { beat, at })
    }

    /// Whether waiting senders should tick instead of using timers: the page is hidden.
    pub(crate) fn wanted() -> bool {
        if cfg!(feature = "test-util") && test_hooks::hidden_forced() {
            return true;
        }
        let hidden = js_sys::Reflect::get(&js_sys::global(), &"document".into())
            .and_then(|document| js_sys::Reflect::get(&document, &"hidden".into()));
        hidden.is_ok_and(|h| h.is_truthy())
    }

    /// After it was ready: waits for the next message; false if the worker failed meanwhile.
    pub(crate) fn rearm(&mut self) -> bool {
        self.at = self.beat.count.get();
        !self.beat.failed.get()
    }
}

impl Future for Tick {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.beat.count.get() != self.at {
            return Poll::Ready(());
        }
        match self.beat.wakers.try_borrow_mut() {
            Ok(mut wakers) => {
                if !wakers.iter().any(|w| w.will_wake(cx.waker())) {
                    wakers.push(cx.waker().clone());
                }
            }
            // Only `wake_all` borrows it besides, and it wakes everyone: ask to be polled again.
            Err(_) => cx.waker().wake_by_ref(),
        }
        Poll::Pending
    }
}

impl Drop for Tick {
    fn drop(&mut self) {
        let users = self.beat.users.get().saturating_sub(1);
        self.beat.users.set(users);
        // A worker that failed ticks no more: it cannot count down its linger.
        if users == 0 && self.beat.failed.get() {
            end(true);
        }
    }
}

#[cfg(feature = "test-util")]
mod test_hooks {
    use std::cell::Cell;

    thread_local! {
        static HIDDEN: Cell<bool> = const { Cell::new(false) };
        static URL: Cell<Option<&'static str>> = const { Cell::new(None) };
    }

    pub(super) fn hidden_forced() -> bool {
        HIDDEN.get()
    }

    pub(super) fn worker_url() -> Option<&'static str> {
        URL.get()
    }

    /// Test hook: waiting senders behave as in a hidden page (they tick on a worker) if
    /// `hidden`; the worker is made from `worker_url` instead of its script if given (one the
    /// constructor refuses, or one that fails to load). Either resets what an earlier failure
    /// taught.
    pub fn act_hidden(hidden: bool, worker_url: Option<&'static str>) {
        HIDDEN.set(hidden);
        URL.set(worker_url);
        super::TICKER.with(|ticker| {
            if let Ok(mut ticker) = ticker.try_borrow_mut() {
                if matches!(*ticker, super::Ticker::Refused) {
                    *ticker = super::Ticker::Idle;
                }
            }
        });
    }
}

#[cfg(not(feature = "test-util"))]
mod test_hooks {
    pub(super) fn hidden_forced() -> bool {
        false
    }

    pub(super) fn worker_url() -> Option<&'static str> {
        None
    }
}

#[cfg(feature = "test-util")]
pub use test_hooks::act_hidden;
