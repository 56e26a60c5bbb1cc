//! A sender waiting on the mark in a hidden page: it ticks on a dedicated worker (hidden pages'
//! timers wake once a second or less) that exists only while it waits and about 0.1 s after, and
//! falls back to the timer where no worker can be made. The page is made to act hidden through a test hook: the
//! runner's page is visible.

use std::task::Poll;

use futures::SinkExt;
use wasm_bindgen_test::wasm_bindgen_test;
use wasm_websocket::Message;

use crate::util::*;

const MIB: u32 = 1 << 20;

/// Not a URL: the worker's constructor throws.
const THROWS: &str = "http://[";
/// A script the runner's server does not have: the worker is made, then fires `error`, as
/// Chromium and Firefox do under a CSP without `worker-src data:`.
const FAILS_TO_LOAD: &str = "/no-such-worker.js";

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
/// after it, and 0.5 s later.
#[derive(Debug, PartialEq)]
struct Live {
    during: usize,
    right_after: usize,
    later: usize,
}

/// Sends 1 MiB messages to a slow reader until a send has to wait, then waits for `drained()`.
async fn callbacks_around_a_wait(id: &str) -> Live {
    let mut ws = connect(builder(&format!("/slow-reader?ms=5&id={id}")).high_water_mark(MIB)).await;
    let before = wasm_websocket::live_callbacks();
    let chunk = vec![0x3cu8; MIB as usize];
    let mut during = None;
    for _ in 0..64 {
        let mut send = Box::pin(ws.feed(Message::Binary(chunk.clone())));
        match futures::poll!(send.as_mut()) {
            Poll::Ready(sent) => sent.unwrap(),
            Poll::Pending => {
                during = Some(wasm_websocket::live_callbacks() - before);
                send.await.unwrap();
                break;
            }
        }
    }
    let during = during.expect("no send had to wait");
    ws.drained().await.unwrap();
    let right_after = wasm_websocket::live_callbacks() - before;
    sleep(500).await;
    let later = wasm_websocket::live_callbacks() - before;
    SinkExt::close(&mut ws).await.unwrap();
    Live {
        during,
        right_after,
        later,
    }
}

#[wasm_bindgen_test]
async fn in_a_hidden_page_a_waiting_sender_ticks_on_a_worker_that_ends_soon_after_the_wait() {
    let id = tag("hidden-worker");
    browser_test!(60_000, async {
        let _hidden = ActHidden::start(None);
        // The worker and its message and error listeners, no timer; the worker outlives the
        // wait by its linger only.
        let live = callbacks_around_a_wait(&id).await;
        let worker = Live {
            during: 3,
            right_after: 3,
            later: 0,
        };
        assert_eq!(live, worker);
        assert!(stats(&id).await.num("bytes") > f64::from(MIB));
    });
}

#[wasm_bindgen_test]
async fn where_no_worker_can_be_made_a_hidden_page_waits_on_the_timer() {
    let id = tag("hidden-refused");
    browser_test!(60_000, async {
        let _hidden = ActHidden::start(Some(THROWS));
        // The timer's callback alone, only while the sender waits.
        let timer = Live {
            during: 1,
            right_after: 0,
            later: 0,
        };
        assert_eq!(callbacks_around_a_wait(&id).await, timer);
    });
}

#[wasm_bindgen_test]
async fn where_the_worker_fails_to_load_a_hidden_page_goes_on_on_the_timer() {
    let id = tag("hidden-load-fails");
    browser_test!(60_000, async {
        let _hidden = ActHidden::start(Some(FAILS_TO_LOAD));
        // The worker until its `error` event (which may come after the wait), then the
        // timer; nothing soon after.
        let live = callbacks_around_a_wait(&id).await;
        assert_eq!((live.during, live.later), (3, 0), "{live:?}");
        assert!(stats(&id).await.num("bytes") > f64::from(MIB));
    });
}

#[wasm_bindgen_test]
async fn in_a_visible_page_a_waiting_sender_uses_the_timer() {
    let id = tag("visible-timer");
    browser_test!(60_000, async {
        let timer = Live {
            during: 1,
            right_after: 0,
            later: 0,
        };
        assert_eq!(callbacks_around_a_wait(&id).await, timer);
    });
}
