//! Faults and bad input the other modules do not cover: browser exceptions, blocked ports,
//! oversized messages, closing under load, large round trips, re-entrant use, and proofs that
//! the crate itself (not the browser) refuses what it must and removes what it added.

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::rc::Rc;
use std::task::{Context, Poll, RawWaker, RawWakerVTable, Waker};

use futures::{FutureExt, SinkExt, StreamExt};
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::wasm_bindgen_test;
use wasm_websocket::socket::Event;
use wasm_websocket::{BinaryType, CloseCode, Error, Message, ReadyState, WebSocket};

use crate::spy::SocketSpy;
use crate::util::*;

#[wasm_bindgen(inline_js = r#"
export function replace_websocket(thrown) {
  const original = globalThis.WebSocket;
  globalThis.WebSocket = function () {
    throw thrown === "SecurityError" ? new DOMException("blocked by a test", "SecurityError") : thrown;
  };
  return original;
}
export function restore_websocket(original) { globalThis.WebSocket = original; }
"#)]
extern "C" {
    fn replace_websocket(thrown: &JsValue) -> JsValue;
    fn restore_websocket(original: &JsValue);
}

/// A constructor exception is a typed error, and nothing stays registered after it.
#[wasm_bindgen_test]
async fn constructor_exceptions_become_typed_errors_never_panics() {
    browser_test!(10_000, async {
        let before = wasm_websocket::live_callbacks();
        let spy = SocketSpy::start();
        let original = replace_websocket(&"SecurityError".into());
        let security = WebSocket::open(url("/echo"));
        restore_websocket(&original);
        assert!(
            matches!(&security, Err(Error::Security { message }) if message == "blocked by a test"),
            "{security:?}"
        );

        // Anything else thrown, even a non-Error value, keeps its name and message.
        let original = replace_websocket(&JsValue::from_str("not even an Error"));
        let other = WebSocket::open(url("/echo"));
        restore_websocket(&original);
        assert_eq!(
            other.unwrap_err(),
            Error::Js {
                name: "Error".into(),
                message: "not even an Error".into()
            }
        );
        let _ = WebSocket::open("ftp://127.0.0.1/");
        assert_eq!(
            wasm_websocket::live_callbacks(),
            before,
            "a refused open registered callbacks"
        );
        assert_eq!(spy.sockets_made(), 0);
    });
}

/// a port browsers block gives the same typed failure, not an exception.
#[wasm_bindgen_test]
async fn a_blocked_port_is_connect_failed() {
    browser_test!(5_000, async {
        match WebSocket::connect("ws://127.0.0.1:6000/").await {
            Err(Error::ConnectFailed(ev)) => assert_eq!(ev.code, CloseCode::ABNORMAL),
            other => panic!("expected ConnectFailed, got {other:?}"),
        }
    });
}

/// an oversized message is refused before it is copied, after what came before it.
#[wasm_bindgen_test]
async fn a_message_over_the_limit_closes_with_4903_after_the_earlier_ones() {
    browser_test!(60_000, async {
        for (mode, big) in [
            (BinaryType::ArrayBuffer, Message::Binary(vec![1; 2 << 20])),
            (BinaryType::Blob, Message::Binary(vec![1; 2 << 20])),
            (BinaryType::ArrayBuffer, Message::Text("x".repeat(2 << 20))),
        ] {
            let id = tag("too-large");
            within(15_000, async {
                let mut ws = connect(
                    builder(&format!("/echo?id={id}"))
                        .binary_type(mode)
                        .max_message_size(1 << 20),
                )
                .await;
                ws.send(text("small first")).await.unwrap();
                ws.send(big.clone()).await.unwrap();
                ws.send(text("never delivered")).await.ok();
                let items = drain(&mut ws).await;
                assert_eq!(
                    items,
                    [
                        Ok(text("small first")),
                        Err(Error::MessageTooLarge {
                            size: 2 << 20,
                            limit: 1 << 20
                        })
                    ],
                    "{mode:?}"
                );
                assert_eq!(ws.closed().await.code, CloseCode::MESSAGE_TOO_LARGE);
                drop(ws);
                assert_eq!(stats(&id).await.num("close_code"), 4903.0);
            })
            .await;
        }
    });
}

/// The limit counts text in UTF-8 bytes, as users count: 40 CJK characters are 120 bytes,
/// over a limit of 100, though only 40 UTF-16 code units; 33 (99 bytes) fit.
#[wasm_bindgen_test]
async fn max_message_size_counts_text_in_utf8_bytes() {
    browser_test!(10_000, async {
        let mut ws = connect(builder("/echo").max_message_size(100)).await;
        ws.send(text(&"日".repeat(33))).await.unwrap();
        ws.send(text(&"日".repeat(40))).await.unwrap();
        let items = drain(&mut ws).await;
        assert_eq!(
            items,
            [
                Ok(text(&"日".repeat(33))),
                Err(Error::MessageTooLarge {
                    size: 120,
                    limit: 100
                })
            ]
        );
    });
}

/// By default a message over 64 MiB (tungstenite's limit) is refused before it is copied, not
/// left to abort the module; `u64::MAX` lifts the limit.
#[wasm_bindgen_test]
async fn a_message_over_64_mib_is_refused_by_default_and_arrives_without_a_limit() {
    browser_test!(60_000, async {
        let over = (64 << 20) + 1;
        let path = format!("/burst?n=1&kind=binary&size={over}");
        // Sizes, not messages: a failure must not print 64 MiB.
        let sizes = |items: Vec<Result<Message, Error>>| -> Vec<Result<usize, Error>> {
            items
                .into_iter()
                .map(|item| {
                    item.map(|message| match message {
                        Message::Binary(bytes) => bytes.len(),
                        _ => 0,
                    })
                })
                .collect()
        };
        let mut ws = connected(&path).await;
        assert_eq!(
            sizes(drain(&mut ws).await),
            [Err(Error::MessageTooLarge {
                size: over as u64,
                limit: 64 << 20
            })]
        );
        let mut ws = connect(builder(&path).max_message_size(u64::MAX)).await;
        let sizes = sizes(drain(&mut ws).await);
        assert_eq!(sizes, [Ok(over)]);
    });
}

/// closing while the server keeps sending ends the stream, without a hang or a panic.
#[wasm_bindgen_test]
async fn closing_while_the_server_keeps_sending_ends_cleanly() {
    browser_test!(20_000, async {
        let mut ws = connected("/burst?n=100000&size=16").await;
        for i in 0..10 {
            assert_eq!(
                ws.next().await.unwrap().unwrap(),
                Message::Text(burst_text(i, 16))
            );
        }
        ws.close().unwrap();
        // The browser drops what arrives after close(); whatever it had dispatched still comes,
        // in order, and then the stream ends.
        let rest = drain(&mut ws).await;
        for (k, item) in rest.iter().enumerate() {
            match item {
                Ok(m) => assert_eq!(m, &Message::Text(burst_text(10 + k, 16))),
                Err(e) => assert!(k == rest.len() - 1 && matches!(e, Error::Closed(_)), "{e}"),
            }
        }
        assert_eq!(ws.ready_state(), ReadyState::Closed);
    });
}

/// (WPT close-multiple, close-nested) one close event however often close is called.
#[wasm_bindgen_test]
async fn close_called_many_times_gives_exactly_one_close_event() {
    browser_test!(10_000, async {
        let mut ws = connect(builder("/echo").record_events(true)).await;
        let events = ws.events().unwrap();
        let handle = ws.close_handle();
        ws.close().unwrap();
        ws.close_with(CloseCode::from(4000), "again").unwrap();
        handle.close().unwrap();
        let ev = handle.closed().await;
        // Closing inside the close observer is a no-op too.
        handle.close().unwrap();
        SinkExt::close(&mut ws).await.unwrap();
        assert_eq!(ev.code, CloseCode::NORMAL);
        drop((ws, handle));
        let events: Vec<Event> = events.collect().await;
        let closes = events
            .iter()
            .filter(|e| matches!(e, Event::Close(_)))
            .count();
        assert_eq!(closes, 1, "{events:?}");
    });
}

fn hash(bytes: &[u8]) -> u64 {
    // FNV-1a: enough to tell two 64 MiB buffers apart without keeping a copy.
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x100_0000_01b3)
    })
}

/// large messages round-trip byte for byte in every binary mode.
#[wasm_bindgen_test]
async fn sixteen_mib_text_and_sixty_four_mib_binary_round_trip_byte_exact() {
    browser_test!(480_000, async {
        let binary: Vec<u8> = (0..64u32 << 20)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8)
            .collect();
        let binary_hash = hash(&binary);
        let text: String = (0..16u32 << 20)
            .map(|i| char::from(b'a' + (i % 26) as u8))
            .collect();
        for mode in [
            BinaryType::ArrayBuffer,
            BinaryType::Blob,
            BinaryType::RawBlob,
        ] {
            within(120_000, async {
                let mut ws = connect(builder("/echo").binary_type(mode)).await;
                let started = js_sys::Date::now();
                ws.send_binary(&binary).await.unwrap();
                let echoed = match ws.next().await.unwrap().unwrap() {
                    Message::Binary(b) => b,
                    Message::Blob(blob) => {
                        let buffer = wasm_bindgen_futures::JsFuture::from(blob.array_buffer())
                            .await
                            .unwrap();
                        js_sys::Uint8Array::new(&buffer).to_vec()
                    }
                    Message::Text(_) => panic!("text for binary"),
                };
                let ms = js_sys::Date::now() - started;
                assert_eq!(echoed.len(), binary.len(), "{mode:?}");
                assert_eq!(hash(&echoed), binary_hash, "{mode:?}");
                drop(echoed);
                ws.send_text(&text).await.unwrap();
                match ws.next().await.unwrap().unwrap() {
                    Message::Text(t) => assert!(t == text, "{mode:?}: 16 MiB text differs"),
                    other => panic!(
                        "{mode:?}: expected text, got {:?}",
                        std::mem::discriminant(&other)
                    ),
                }
                web_sys::console::log_1(
                    &format!("{mode:?}: 64 MiB round trip {:.1} ms/MiB", ms / 64.0).into(),
                );
            })
            .await;
        }
    });
}

/// Sending, closing and dropping from inside the consumer loop, and closing from a close
/// observer, while the socket dispatches the event that woke them (their wakers poll at once,
/// inside the crate's listener), never hits a `BorrowMutError`, a freed closure or a second
/// close event.
#[wasm_bindgen_test]
async fn re_entrant_use_from_the_consumer_loop_and_a_close_observer_is_safe() {
    browser_test!(10_000, async {
        let spy = SocketSpy::start();
        let ws = connect(builder("/echo").record_events(true)).await;
        let events = ws.events().unwrap();
        let observer = ws.close_handle();
        let reader = Rc::new(RefCell::new(Some(ws)));
        let (read, late) = (
            Rc::new(RefCell::new(Vec::new())),
            Rc::new(RefCell::new(None)),
        );
        let consumer = {
            let (reader, read, late) = (reader.clone(), read.clone(), late.clone());
            polling_inside_wake(move |cx| {
                let mut slot = reader.borrow_mut();
                let Some(ws) = slot.as_mut() else { return };
                loop {
                    match ws.poll_next_unpin(cx) {
                        Poll::Ready(Some(item)) => {
                            read.borrow_mut().push(format!("{item:?}"));
                            if read.borrow().len() == 2 {
                                WebSocket::close(ws).unwrap();
                                *late.borrow_mut() = ws.send_text("late").now_or_never();
                            }
                        }
                        Poll::Ready(None) => {
                            read.borrow_mut().push("end".into());
                            return;
                        }
                        Poll::Pending => return,
                    }
                }
            })
        };
        let closes = Rc::new(RefCell::new(Vec::new()));
        let close_observer = {
            let closes = closes.clone();
            let watched = observer.clone();
            let closed = RefCell::new(Some(Box::pin(async move { watched.closed().await })));
            polling_inside_wake(move |cx| {
                let mut slot = closed.borrow_mut();
                let Some(ready) = slot.as_mut().map(|f| f.as_mut().poll(cx)) else {
                    return;
                };
                if let Poll::Ready(ev) = ready {
                    *slot = None;
                    closes.borrow_mut().push((
                        ev.code,
                        observer.close(),
                        observer.close_with(CloseCode::from(4001), "from the observer"),
                    ));
                }
            })
        };
        // Waiting from now on: what wakes them is the socket's own dispatch.
        consumer.wake_by_ref();
        close_observer.wake_by_ref();
        for i in 0..5 {
            // Sent at once (the buffer is empty): the borrow ends before the echoes come.
            let slot = reader.borrow();
            let ws = slot.as_ref().expect("the socket is there");
            assert_eq!(ws.send_text(&i.to_string()).now_or_never(), Some(Ok(())));
        }
        let events: Vec<Event> = events.collect().await;
        let read = read.borrow().clone();
        assert_eq!(
            read[..2],
            [r#"Ok(Text("0"))"#, r#"Ok(Text("1"))"#],
            "{read:?}"
        );
        assert_eq!(read.last().map(String::as_str), Some("end"), "{read:?}");
        assert!(
            matches!(*late.borrow(), Some(Err(Error::NotOpen(_)))),
            "a send after close: {:?}",
            late.borrow()
        );
        assert_eq!(
            *closes.borrow(),
            [(CloseCode::NORMAL, Ok(()), Ok(()))],
            "the observer saw the close once, and closing again was harmless"
        );
        assert_eq!(
            events
                .iter()
                .filter(|e| matches!(e, Event::Close(_)))
                .count(),
            1
        );
        drop(reader.take());

        // The stream dropped inside its own listener, at its first message.
        let burst = Rc::new(RefCell::new(Some(connected("/burst?n=10").await)));
        let dropped_at = Rc::new(RefCell::new(None));
        let dropping = {
            let (burst, dropped_at) = (burst.clone(), dropped_at.clone());
            polling_inside_wake(move |cx| {
                let first = burst.borrow_mut().as_mut().map(|ws| ws.poll_next_unpin(cx));
                if let Some(Poll::Ready(item)) = first {
                    *dropped_at.borrow_mut() = Some(format!("{item:?}"));
                    drop(burst.borrow_mut().take());
                }
            })
        };
        dropping.wake_by_ref();
        // The rest of the burst and the close come after the drop: they must find no freed
        // closure.
        spy.all_closed().await;
        assert_eq!(
            dropped_at.borrow().as_deref(),
            Some(r#"Some(Ok(Text("0")))"#),
            "dropped at its first message"
        );
    });
}

/// A waker that runs `poll` inside `wake()` itself: a task that polls at once, from inside the
/// crate's listener that woke it (wasm-bindgen-futures polls on a later microtask, once the
/// listener has returned). Woken again while `poll` runs, it runs `poll` again once that has
/// returned, rather than inside it.
fn polling_inside_wake(poll: impl Fn(&mut Context<'_>) + 'static) -> Waker {
    let at_once = Rc::new(AtOnce {
        poll: Box::new(poll),
        running: Cell::new(false),
        again: Cell::new(false),
    });
    // SAFETY: the data is an `Rc<AtOnce>` given up by `into_raw`; the vtable keeps its count.
    unsafe { Waker::from_raw(RawWaker::new(Rc::into_raw(at_once).cast(), &AT_ONCE)) }
}

struct AtOnce {
    poll: Box<dyn Fn(&mut Context<'_>)>,
    running: Cell<bool>,
    again: Cell<bool>,
}

// Every function takes a pointer from `Rc::into_raw` of an `Rc<AtOnce>`; wasm here has one
// thread, so the `Rc` never crosses one.
const AT_ONCE: RawWakerVTable = RawWakerVTable::new(
    |data| {
        // SAFETY: see `AT_ONCE`.
        unsafe { Rc::increment_strong_count(data.cast::<AtOnce>()) };
        RawWaker::new(data, &AT_ONCE)
    },
    |data| {
        wake_at_once(data);
        // SAFETY: see `AT_ONCE`; `wake` consumes the waker.
        unsafe { Rc::decrement_strong_count(data.cast::<AtOnce>()) };
    },
    wake_at_once,
    |data| {
        // SAFETY: see `AT_ONCE`.
        unsafe { Rc::decrement_strong_count(data.cast::<AtOnce>()) };
    },
);

fn wake_at_once(data: *const ()) {
    // SAFETY: see `AT_ONCE`; the waker made here holds a count for as long as `poll` runs.
    let (at_once, waker) = unsafe {
        Rc::increment_strong_count(data.cast::<AtOnce>());
        (
            &*data.cast::<AtOnce>(),
            Waker::from_raw(RawWaker::new(data, &AT_ONCE)),
        )
    };
    if at_once.running.replace(true) {
        at_once.again.set(true);
        return;
    }
    let mut cx = Context::from_waker(&waker);
    loop {
        at_once.again.set(false);
        (at_once.poll)(&mut cx);
        if !at_once.again.get() {
            break;
        }
    }
    at_once.running.set(false);
}
