//! A wake-up source that hidden tabs do not throttle, for senders waiting on `bufferedAmount`:
//! a tiny dedicated worker that posts a message every 1–4 ms, since hidden pages' timers are
//! throttled (the crate docs' "Background tabs") while messages from a worker are delivered at
//! once. The first `Tick` made starts the worker, and every waiting sender on
//! the thread shares it. It ends once `LINGER_TICKS` ticks in a row (about 0.1 s) found no
//! sender waiting: counting wakers, not live ticks, so that a wait abandoned mid-way (its send
//! dropped, or a reconnecting socket that disconnected) cannot keep it running; the linger lets
//! the next wait, which an upload starts at once after every high-water mark's worth, find it
//! running (a worker takes milliseconds to start). Where no worker can run, the caller falls
//! back to its timer: `Tick::start` answers `None` if the constructor throws (or the app turned
//! the worker off), and a waiting tick ends at the worker's `error` event, which is how Chromium
//! and Firefox report a CSP that refuses `data:` workers; the page does not try again.
//!
//! Under a CSP, measured in Chromium 156 and Firefox 153 ESR (`cargo xtask csp`): with
//! `worker-src 'self'`, or `script-src 'self' 'wasm-unsafe-eval'` and no `worker-src`,
//! `new Worker("data:…")` does not throw; the worker fires `error`, the document gets a
//! `securitypolicyviolation` (directive `worker-src`, blocked URI `data`), and Chromium's console
//! has, as an error, "Creating a worker from 'data:…' violates the following Content Security
//! Policy directive: "worker-src 'self'". The action has been blocked." (with `script-src`: "Note
//! that 'worker-src' was not explicitly set, so 'script-src' is used as a fallback"). Cancelling
//! the `error` event silences neither; a `blob:` worker is refused the same way. No script can
//! read a policy that came in a header, nor test one without the violation, so the crate cannot
//! skip a refused worker by itself: the default stays the `data:` URL (full speed, nothing to
//! serve, on the pages without such a policy), and a page under one names a same-origin copy of
//! the script, which loads and ticks under both policies, or turns the worker off
//! ([`set_ticker_worker`]).

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use gloo_events::{EventListener, EventListenerOptions};

use crate::platform::live::Live;

/// Ticks in a row that woke nobody after which the worker ends.
const LINGER_TICKS: u32 = 25;

/// The whole worker, the same line an app serves for [`TickerWorker::Url`]: inline, no file to
/// serve, no Blob to make and revoke.
const SCRIPT: &str = concat!(
    "data:text/javascript,",
    include_str!("../../assets/wasm-websocket-ticker.js")
);

/// Where the worker that wakes senders in a hidden page comes from, on this thread; see
/// [`set_ticker_worker`].
///
/// A sender waiting for the browser's send buffer to drain re-reads it every 1–4 ms; in a hidden
/// page, whose timers wake once a second or less, it does so on the messages of a tiny dedicated
/// worker (the crate docs' "Background tabs"). The worker runs only while a sender waits, and
/// about 0.1 s after. Its whole script is one line:
///
/// ```js
/// setInterval(()=>postMessage(0),1)
/// ```
///
/// A page's Content-Security-Policy decides which source it may come from:
///
/// | policy | `Inline` | `Url` (same origin) | `Off` |
/// | --- | --- | --- | --- |
/// | none, or one allowing `data:` workers | full speed | full speed | throttled |
/// | `worker-src 'self'`, or `script-src`/`default-src` without `data:` and no `worker-src` | refused: one violation per page (Chromium logs it as a console error; a report goes where the policy names an endpoint), then throttled | full speed | throttled |
/// | Trusted Types (`require-trusted-types-for 'script'`; not tested here) | refused, as above | refused unless the page's default policy lets the URL through (the crate passes a string) | throttled |
///
/// "Throttled": a waiting sender re-reads the buffer on the page's timer, so a hidden page
/// sends at most one high-water mark's worth per timer wake-up (Firefox: a second; Chrome: a
/// second, a minute under its intensive throttling). A refused worker is not tried again on the
/// page, and nothing of it reaches the app as an error.
///
/// ```
/// use wasm_websocket::socket::{set_ticker_worker, TickerWorker};
///
/// // The line above, served from the page's origin: with trunk, copied into the app's output by
/// // <link data-trunk rel="copy-file" href="wasm-websocket-ticker.js"> in its index.html.
/// set_ticker_worker(TickerWorker::Url("/wasm-websocket-ticker.js".into()));
/// ```
#[non_exhaustive]
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum TickerWorker {
    /// A `data:` URL holding the script (the default): nothing to serve, but refused under a
    /// CSP that does not allow `data:` workers.
    #[default]
    Inline,
    /// The script at this URL, resolved against the page's as any worker's is. It must be of
    /// the page's origin (browsers refuse cross-origin workers) and served as JavaScript. One
    /// that fails to load costs a wait at most a second and leaves the page on its timer.
    Url(String),
    /// No worker: in a hidden page, waiting senders re-read the buffer on the page's throttled
    /// timer.
    Off,
}

thread_local! {
    static SOURCE: RefCell<TickerWorker> = const { RefCell::new(TickerWorker::Inline) };
}

/// Makes every worker started on this thread from now on come from `worker`; the sockets of a
/// thread share one. A worker running now ends, and waiting senders start the next one from
/// `worker`; a page that had found the worker refused tries again. Call it before the first
/// upload, for instance where the app starts.
///
/// ```
/// use wasm_websocket::socket::{set_ticker_worker, TickerWorker};
///
/// // A page whose CSP allows no worker at all.
/// set_ticker_worker(TickerWorker::Off);
/// ```
pub fn set_ticker_worker(worker: TickerWorker) {
    let _ = SOURCE.try_with(|source| {
        if let Ok(mut source) = source.try_borrow_mut() {
            *source = worker;
        }
    });
    end(Ticker::Idle);
}

/// What the worker's messages and the waiting ticks share.
#[derive(Debug, Default)]
struct Beat {
    /// Messages received since the worker started.
    count: Cell<u32>,
    wakers: RefCell<Vec<Waker>>,
    /// Ticks in a row that found nobody waiting.
    idle: Cell<u32>,
    /// The worker has ended (or failed): its ticks are over.
    ended: Cell<bool>,
}

impl Beat {
    /// Wakes the waiting ticks; whether there were any.
    fn wake_all(&self) -> bool {
        self.count.set(self.count.get().wrapping_add(1));
        let wakers = self
            .wakers
            .try_borrow_mut()
            .map(|mut w| std::mem::take(&mut *w))
            .unwrap_or_default();
        let woke = !wakers.is_empty();
        for waker in wakers {
            waker.wake();
        }
        woke
    }
}

/// The running worker, terminated when dropped.
#[derive(Debug)]
struct Running {
    worker: Live<web_sys::Worker>,
    beat: Rc<Beat>,
    _message: Live<EventListener>,
    _error: Live<EventListener>,
}

impl Drop for Running {
    fn drop(&mut self) {
        self.worker.terminate();
        self.beat.ended.set(true);
        // A tick still waiting is ready now: its sender re-checks, and makes a new one.
        self.beat.wake_all();
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
            return end(Ticker::Refused);
        }
        if beat.wake_all() {
            beat.idle.set(0);
            return;
        }
        beat.idle.set(beat.idle.get().saturating_add(1));
        if beat.idle.get() >= LINGER_TICKS {
            end(Ticker::Idle);
        }
    }
}

/// Ends the worker (which drops the listener calling this while it runs: wasm-bindgen frees a
/// closure's environment only once its call has returned).
fn end(after: Ticker) {
    let ended = TICKER
        .try_with(|ticker| {
            let mut ticker = ticker.try_borrow_mut().ok()?;
            Some(std::mem::replace(&mut *ticker, after))
        })
        .ok()
        .flatten();
    // Dropped after the borrow has ended: it wakes the waiting ticks.
    drop(ended);
}

/// A worker from this thread's source; `None` if it is `Off` or the constructor throws.
fn new_worker() -> Option<web_sys::Worker> {
    SOURCE
        .try_with(|source| {
            let source = source.try_borrow().ok()?;
            let url = match &*source {
                TickerWorker::Inline => SCRIPT,
                TickerWorker::Url(url) => url,
                TickerWorker::Off => return None,
            };
            web_sys::Worker::new(url).ok()
        })
        .ok()
        .flatten()
}

fn start_worker() -> Option<Running> {
    let worker = new_worker()?;
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
    // A worker that cannot load (as under a CSP that forbids it) never ticks: its `error` ends
    // it, the waiting ticks with it, and their callers fall back to the timer.
    let error = listen("error", true);
    Some(Running {
        worker: Live::new(worker),
        beat,
        _message: message,
        _error: error,
    })
}

/// Ready at the worker's next message, or once the worker has ended.
#[derive(Debug)]
pub(crate) struct Tick {
    beat: Rc<Beat>,
    /// `beat.count` when the tick was made.
    made: u32,
    /// `beat.count` when it was last made ready to wait.
    at: u32,
}

impl Tick {
    /// A tick, starting the worker if none runs; `None` where no worker can run.
    pub(crate) fn start() -> Option<Tick> {
        let beat = TICKER
            .try_with(|ticker| {
                let mut ticker = ticker.try_borrow_mut().ok()?;
                if matches!(*ticker, Ticker::Idle) {
                    *ticker = start_worker().map_or(Ticker::Refused, Ticker::Running);
                }
                match &*ticker {
                    Ticker::Running(running) => Some(running.beat.clone()),
                    _ => None,
                }
            })
            .ok()
            .flatten()?;
        let at = beat.count.get();
        Some(Tick { beat, made: at, at })
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

    /// After it was ready: waits for the next message; false if the worker has ended, so that
    /// the caller makes a new tick (or falls back to its timer).
    pub(crate) fn rearm(&mut self) -> bool {
        self.at = self.beat.count.get();
        !self.beat.ended.get()
    }

    /// Called once the caller's backstop has fired, a second or more after the tick was made: a
    /// worker that has not ticked since does not run (the browser queued or suspended it). The
    /// page then uses timers, as where no worker can be made.
    pub(crate) fn end_if_silent(&self) {
        if self.beat.count.get() == self.made && !self.beat.ended.get() {
            end(Ticker::Refused);
        }
    }
}

impl Future for Tick {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.beat.count.get() != self.at || self.beat.ended.get() {
            return Poll::Ready(());
        }
        match self.beat.wakers.try_borrow_mut() {
            Ok(mut wakers) => crate::platform::remember(&mut wakers, cx),
            // Only `wake_all` borrows it besides, and it wakes everyone: ask to be polled again.
            Err(_) => cx.waker().wake_by_ref(),
        }
        Poll::Pending
    }
}

#[cfg(feature = "test-util")]
mod test_hooks {
    use std::cell::Cell;

    use super::{set_ticker_worker, TickerWorker};

    thread_local! {
        static HIDDEN: Cell<bool> = const { Cell::new(false) };
    }

    pub(super) fn hidden_forced() -> bool {
        HIDDEN.get()
    }

    /// Test hook: waiting senders behave as in a hidden page (they tick on a worker) if
    /// `hidden`; the worker is made from `worker_url` (one the constructor refuses, or one that
    /// fails to load) if given, from the inline script if not. Either ends any worker (one an
    /// earlier test left lingering would serve this one's waits) and forgets what an earlier
    /// failure taught.
    pub fn act_hidden(hidden: bool, worker_url: Option<&'static str>) {
        HIDDEN.set(hidden);
        set_ticker_worker(worker_url.map_or(TickerWorker::Inline, |url| {
            TickerWorker::Url(url.to_owned())
        }));
    }
}

#[cfg(not(feature = "test-util"))]
mod test_hooks {
    pub(super) fn hidden_forced() -> bool {
        false
    }
}

#[cfg(feature = "test-util")]
pub use test_hooks::act_hidden;
