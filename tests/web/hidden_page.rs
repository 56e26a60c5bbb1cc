//! A sender waiting on the mark in a hidden page: it ticks on a dedicated worker (hidden pages'
//! timers wake once a second or less) that runs only while a sender waits and about 0.1 s after,
//! and falls back to the timer where no worker can be made. The page is made to act hidden
//! through a test hook: the runner's page is visible.

use std::future::Future;
use std::pin::Pin;
use std::task::Poll;

use futures::future::Either;
use futures::SinkExt;
use wasm_bindgen_test::wasm_bindgen_test;
use wasm_websocket::{Error, Message, WebSocket};

use crate::util::*;

const MIB: u32 = 1 << 20;

/// Not a URL: the worker's constructor throws.
const THROWS: &str = "http://[";
/// A script the runner's server does not have: the worker is made, then fires `error`, as
/// Chromium and Firefox do under a CSP without `worker-src data:`.
const FAILS_TO_LOAD: &str = "/no-such-worker.js";

/// A worker that loads and never posts a message, as one the browser queues or suspends.
const SILENT: &str = "data:text/javascript,0";

/// Acts hidden (with the worker made from `worker_url` if given) while it lives.
struct ActHidden;

impl ActHidden {
    fn start(worker_url: Option<&'static str>) -> ActHidden {
        wasm_websocket::act_hidden(true, worker_url);
        ActHidden
    }
}

impl Drop for ActHidden {
    fn drop(&mut self) {
        wasm_websocket::act_hidden(false, None);
    }
}

/// The JS callbacks the crate has live beyond those it had before a wait: during it, right
/// after it, and once they have fallen to what the test expects.
#[derive(Debug, PartialEq)]
struct Live {
    during: usize,
    right_after: usize,
    later: usize,
}

/// A socket to a slow reader, with 4 MiB a second of room: a 1 MiB mark makes sends wait.
async fn slow_reader(id: &str) -> WebSocket {
    connect(builder(&format!("/slow-reader?ms=5&id={id}")).high_water_mark(MIB)).await
}

/// The timer's callback alone, only while the sender waits.
const TIMER_ONLY: Live = Live {
    during: 1,
    right_after: 0,
    later: 0,
};

type Send<'a> = Pin<Box<dyn Future<Output = Result<(), Error>> + 'a>>;

/// Feeds 1 MiB messages until one has to wait: that send, still waiting.
async fn a_waiting_send(ws: &mut WebSocket) -> Send<'_> {
    let chunk = vec![0x3cu8; MIB as usize];
    for _ in 0..64 {
        let waits = {
            let mut send = ws.feed(Message::Binary(chunk.clone()));
            match futures::poll!(&mut send) {
                Poll::Ready(sent) => {
                    sent.unwrap();
                    false
                }
                Poll::Pending => true,
            }
        };
        if waits {
            // The same message again: the send that waited had not taken it.
            return Box::pin(ws.feed(Message::Binary(chunk)));
        }
    }
    panic!("no send had to wait");
}

/// Sends until a send has to wait, then waits for it and for `drained()`, then for the live
/// callbacks to fall to `later`.
async fn callbacks_around_a_wait(ws: &mut WebSocket, later: usize) -> Live {
    let before = wasm_websocket::live_callbacks();
    let send = a_waiting_send(ws).await;
    let during = wasm_websocket::live_callbacks() - before;
    send.await.unwrap();
    ws.drained().await.unwrap();
    let right_after = wasm_websocket::live_callbacks() - before;
    // The worker lingers on a timer of its own: its end is awaited, not slept on.
    live_callbacks_fall_to(before, later).await;
    let later = wasm_websocket::live_callbacks() - before;
    Live {
        during,
        right_after,
        later,
    }
}

/// Ready once the crate has at most `more` live JS callbacks beyond the `before` it had before
/// a wait; fails after 5 s.
async fn live_callbacks_fall_to(before: usize, more: usize) {
    let what = format!("the live callbacks falling to {more} beyond those before the wait");
    awaited(&what, 5_000, async {
        while wasm_websocket::live_callbacks() > before + more {
            sleep(10).await;
        }
    })
    .await;
}

#[wasm_bindgen_test]
async fn in_a_hidden_page_a_waiting_sender_ticks_on_a_worker_that_ends_soon_after_the_wait() {
    let id = tag("hidden-worker");
    browser_test!(60_000, async {
        let _hidden = ActHidden::start(None);
        let mut ws = slow_reader(&id).await;
        // The worker and its message and error listeners, and the page's timer as a backstop;
        // the worker outlives the wait by its linger only.
        let worker = Live {
            during: 4,
            right_after: 3,
            later: 0,
        };
        assert_eq!(callbacks_around_a_wait(&mut ws, worker.later).await, worker);
        SinkExt::close(&mut ws).await.unwrap();
        assert!(stats(&id).await.num("bytes") > f64::from(MIB));
    });
}

#[wasm_bindgen_test]
async fn a_wait_given_up_midway_does_not_keep_the_worker_running() {
    let id = tag("hidden-abandoned");
    browser_test!(60_000, async {
        let _hidden = ActHidden::start(None);
        let mut ws = slow_reader(&id).await;
        let before = wasm_websocket::live_callbacks();
        drop(a_waiting_send(&mut ws).await);
        // The socket keeps its spent backstop timer until its next wait; the worker is gone.
        live_callbacks_fall_to(before, 1).await;
        assert_eq!(wasm_websocket::live_callbacks() - before, 1);
        SinkExt::close(&mut ws).await.unwrap();
    });
}

#[wasm_bindgen_test]
async fn where_no_worker_can_be_made_a_hidden_page_waits_on_the_timer() {
    let id = tag("hidden-refused");
    browser_test!(60_000, async {
        let _hidden = ActHidden::start(Some(THROWS));
        let mut ws = slow_reader(&id).await;
        assert_eq!(callbacks_around_a_wait(&mut ws, 0).await, TIMER_ONLY);
        SinkExt::close(&mut ws).await.unwrap();
    });
}

#[wasm_bindgen_test]
async fn where_the_worker_fails_to_load_a_hidden_page_goes_on_on_the_timer_from_then_on() {
    let id = tag("hidden-load-fails");
    browser_test!(60_000, async {
        let _hidden = ActHidden::start(Some(FAILS_TO_LOAD));
        let mut ws = slow_reader(&id).await;
        // The worker and the backstop until its `error` event (which may come after the
        // wait), then the timer; nothing soon after.
        let first = callbacks_around_a_wait(&mut ws, 0).await;
        assert_eq!((first.during, first.later), (4, 0), "{first:?}");
        // The page remembers: no second try.
        assert_eq!(callbacks_around_a_wait(&mut ws, 0).await, TIMER_ONLY);
        SinkExt::close(&mut ws).await.unwrap();
        assert!(stats(&id).await.num("bytes") > f64::from(2 * MIB));
    });
}

#[wasm_bindgen_test]
async fn a_worker_that_never_ticks_is_ended_by_the_backstop_and_the_wait_goes_on_on_the_timer() {
    let id = tag("hidden-silent");
    browser_test!(60_000, async {
        let _hidden = ActHidden::start(Some(SILENT));
        // Reads nothing until it drops the connection: once the TCP buffers are full, a send
        // waits for good.
        let path = format!("/half-open?ms=4000&id={id}");
        let mut ws = connect(builder(&path).high_water_mark(MIB)).await;
        let before = wasm_websocket::live_callbacks();
        let chunk = vec![0x3cu8; MIB as usize];
        let feeding = async {
            for _ in 0..256 {
                ws.feed(Message::Binary(chunk.clone())).await?;
            }
            Ok::<(), Error>(())
        };
        // The backstop fires a second into that wait (the runner's page is visible: its timers
        // run on time) and finds the worker silent: the callbacks rise with the wait, then fall
        // to the timer's alone, while the feeding still waits.
        let backstop = async {
            while wasm_websocket::live_callbacks().saturating_sub(before) <= 1 {
                sleep(10).await;
            }
            live_callbacks_fall_to(before, 1).await;
        };
        let fed = futures::future::select(Box::pin(feeding), Box::pin(backstop)).await;
        if let Either::Left((fed, _)) = fed {
            panic!("the sends ended ({fed:?}) before the backstop ended the silent worker");
        }
        // Only the timer the wait goes on with: the worker and its listeners are gone.
        assert_eq!(wasm_websocket::live_callbacks() - before, 1);
        drop(fed);
        assert_eq!(ws.closed().await.code, wasm_websocket::CloseCode::ABNORMAL);
    });
}

#[wasm_bindgen_test]
async fn in_a_visible_page_a_waiting_sender_uses_the_timer() {
    let id = tag("visible-timer");
    browser_test!(60_000, async {
        // Visible whatever a failed test before left behind.
        wasm_websocket::act_hidden(false, None);
        let mut ws = slow_reader(&id).await;
        assert_eq!(callbacks_around_a_wait(&mut ws, 0).await, TIMER_ONLY);
        SinkExt::close(&mut ws).await.unwrap();
    });
}
