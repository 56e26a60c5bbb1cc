//! Sends reach the wire in the order they started, from any number of tasks and through every
//! send path of one socket, under backpressure too: each message here is larger than the
//! high-water mark, so every send after the first waits for the browser's buffer.
//!
//! "Started" is a send's first poll: for sends each awaited in a task of its own, the order in
//! which the tasks were spawned. The server records each message's first 16 bytes in arrival
//! order (`labels` in `/stats`), and the test compares them with the order the sends started.

use std::cell::RefCell;
use std::future::{poll_fn, Future};
use std::rc::Rc;

use wasm_bindgen_test::wasm_bindgen_test;
use wasm_websocket::{Error, WebSocket};

use crate::util::*;

/// The high-water mark of these sockets; every message is larger.
pub const HIGH: u32 = 1024;
/// Tasks per test, each sending once.
pub const TASKS: usize = 40;

/// The order in which sends started, to compare with the order the server saw.
#[derive(Clone, Default)]
pub struct Started(Rc<RefCell<Vec<String>>>);

impl Started {
    /// `send`, with `label` noted as started the first time it is polled.
    pub fn track<F: Future + 'static>(
        &self,
        label: String,
        send: F,
    ) -> impl Future<Output = F::Output> {
        let log = self.0.clone();
        let mut label = Some(label);
        let mut send = Box::pin(send);
        poll_fn(move |cx| {
            if let Some(label) = label.take() {
                log.borrow_mut().push(label);
            }
            send.as_mut().poll(cx)
        })
    }

    pub fn labels(&self) -> Vec<String> {
        self.0.borrow().clone()
    }
}

/// A 16-byte label for message `i` of `kind`, as the server records it (trimmed).
pub fn label(kind: &str, i: usize) -> String {
    format!("{kind}-{i}")
}

/// A message body that starts with `label` padded to 16 bytes and is larger than [`HIGH`].
pub fn body(label: &str) -> String {
    format!("{label:<16}{}", ".".repeat(2 * HIGH as usize))
}

/// Runs `fut` as a task of its own; its output comes back through the returned future.
pub fn spawned<T: 'static>(fut: impl Future<Output = T> + 'static) -> impl Future<Output = T> {
    let (tx, rx) = futures::channel::oneshot::channel();
    wasm_bindgen_futures::spawn_local(async move {
        let _ = tx.send(fut.await);
    });
    async move { rx.await.expect("the task ran to its end") }
}

/// The labels the server saw for `id`, in arrival order, once `n` have arrived.
pub async fn arrived(id: &str, n: usize) -> Vec<String> {
    until_stats(id, "every message arrived", 20_000, |s| {
        s.num("messages") >= n as f64
    })
    .await;
    let labels = stats_now(id).await.strings("labels");
    labels.iter().map(|l| l.trim().to_owned()).collect()
}

/// Runs `TASKS` sends, each in a task of its own: send `i` is `send(i, kind, body)`, its kind
/// `kinds[i % kinds.len()]`. Once all succeeded, the server (`id`) must have seen them in the
/// order they started.
pub async fn arrive_in_started_order<F, Fut>(id: &str, kinds: &[&'static str], send: F)
where
    F: Fn(usize, &'static str, String) -> Fut,
    Fut: Future<Output = Result<(), Error>> + 'static,
{
    let started = Started::default();
    let sends: Vec<_> = (0..TASKS)
        .map(|i| {
            let kind = kinds[i % kinds.len()];
            let label = label(kind, i);
            let body = body(&label);
            spawned(started.track(label, send(i, kind, body)))
        })
        .collect();
    let all = futures::future::join_all(sends);
    for result in awaited("every send", 20_000, all).await {
        result.unwrap();
    }
    assert_eq!(arrived(id, TASKS).await, started.labels());
}

/// A socket to `/slow-reader` (a message read a millisecond) tagged `id`, with the small mark.
async fn slow_reader(id: &str) -> Rc<WebSocket> {
    let path = format!("/slow-reader?ms=1&id={id}");
    Rc::new(connect(builder(&path).high_water_mark(HIGH)).await)
}

#[wasm_bindgen_test]
async fn text_sends_from_forty_tasks_arrive_in_the_order_they_started() {
    let id = tag("order-text");
    browser_test!(60_000, async {
        let ws = slow_reader(&id).await;
        arrive_in_started_order(&id, &["text"], |_, _, text| {
            let ws = ws.clone();
            async move { ws.send_text(&text).await }
        })
        .await;
    });
}

#[wasm_bindgen_test]
async fn every_helper_from_forty_tasks_keeps_the_order_they_started() {
    let id = tag("order-helpers");
    browser_test!(60_000, async {
        let ws = slow_reader(&id).await;
        let kinds = ["text", "binary", "blob", "buffer"];
        arrive_in_started_order(&id, &kinds, |_, kind, body| {
            let ws = ws.clone();
            async move {
                let bytes = js_sys::Uint8Array::from(body.as_bytes());
                match kind {
                    "text" => ws.send_text(&body).await,
                    "binary" => ws.send_binary(body.as_bytes()).await,
                    "blob" => {
                        let parts = js_sys::Array::of1(&bytes);
                        let blob = web_sys::Blob::new_with_u8_array_sequence(&parts).unwrap();
                        ws.send_blob(&blob).await
                    }
                    _ => ws.send_array_buffer(&bytes.buffer()).await,
                }
            }
        })
        .await;
    });
}

#[wasm_bindgen_test]
async fn a_send_given_up_while_waiting_lets_the_ones_behind_it_go() {
    let id = tag("order-given-up");
    browser_test!(60_000, async {
        let ws = slow_reader(&id).await;
        let started = Started::default();
        let mut sends = Vec::new();
        let mut dropped = Vec::new();
        for i in 0..TASKS {
            let (ws, label) = (ws.clone(), label("text", i));
            let text = body(&label);
            let send = started.track(label, async move { ws.send_text(&text).await });
            // Every fourth send is dropped after its first poll, while it waits in line.
            if i % 4 == 3 {
                dropped.push(spawned(async move {
                    let mut send = Box::pin(send);
                    futures::poll!(send.as_mut()).is_pending()
                }));
            } else {
                sends.push(spawned(send));
            }
        }
        let waited = futures::future::join_all(dropped).await;
        assert!(
            waited.iter().all(|w| *w),
            "each dropped send was waiting: {waited:?}"
        );
        let all = futures::future::join_all(sends);
        for result in awaited("the sends behind the dropped ones", 20_000, all).await {
            result.unwrap();
        }
        let expected: Vec<String> = started
            .labels()
            .into_iter()
            .enumerate()
            .filter(|(i, _)| i % 4 != 3)
            .map(|(_, label)| label)
            .collect();
        assert_eq!(arrived(&id, expected.len()).await, expected);
    });
}

#[wasm_bindgen_test]
async fn every_send_waiting_in_line_fails_when_the_socket_closes() {
    browser_test!(30_000, async {
        let ws = Rc::new(connect(builder("/slow-reader?ms=2000").high_water_mark(HIGH)).await);
        // 4 MiB each: more than the kernel's socket buffers take, so the browser's stays full.
        let chunk = Rc::new(vec![0u8; 4 << 20]);
        let sends: Vec<_> = (0..TASKS)
            .map(|_| {
                let (ws, chunk) = (ws.clone(), chunk.clone());
                spawned(async move { ws.send_binary(&chunk).await })
            })
            .collect();
        awaited("the browser's buffer filled", 10_000, async {
            while ws.buffered_amount() <= HIGH {
                sleep(10).await;
            }
        })
        .await;
        ws.close().unwrap();
        let all = futures::future::join_all(sends);
        let results = awaited("every waiting send ended", 10_000, all).await;
        let failed: Vec<_> = results.iter().filter_map(|r| r.as_ref().err()).collect();
        assert!(
            failed.len() > TASKS / 2,
            "{} of {TASKS} failed",
            failed.len()
        );
        for error in failed {
            assert!(matches!(error, Error::NotOpen(_)), "{error:?}");
        }
    });
}
