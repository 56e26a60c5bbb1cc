//! Every way to send on one reconnecting socket reaches the wire in the order the sends started,
//! from any number of tasks, under backpressure too (each message larger than the high-water
//! mark): `send_text` and `send_binary` on the socket, `send` on its handles, and `try_send`,
//! which never overtakes a `send` that started before it.

use std::rc::Rc;

use wasm_bindgen_test::wasm_bindgen_test;
use wasm_websocket::{Error, Message, ReconnectBuilder, ReconnectingSocket, WebSocket};

use crate::order::{arrive_in_started_order, spawned, HIGH};
use crate::util::*;

/// A reconnecting socket to `/slow-reader` (one message read a millisecond), tagged `id`, whose
/// connections have the small high-water mark, open.
async fn slow_reader(id: &str) -> ReconnectingSocket {
    let target = url(&format!("/slow-reader?ms=1&id={id}"));
    super::open_socket(ReconnectingSocket::builder(move || {
        WebSocket::builder(target.clone()).high_water_mark(HIGH)
    }))
    .await
}

#[wasm_bindgen_test]
async fn sends_on_the_socket_from_forty_tasks_arrive_in_the_order_they_started() {
    let id = tag("reconnect-order-socket");
    browser_test!(60_000, async {
        let socket = Rc::new(slow_reader(&id).await);
        arrive_in_started_order(&id, &["text", "binary"], |_, kind, body| {
            let socket = socket.clone();
            async move {
                match kind {
                    "text" => socket.send_text(&body).await,
                    _ => socket.send_binary(body.as_bytes()).await,
                }
            }
        })
        .await;
    });
}

#[wasm_bindgen_test]
async fn sends_on_forty_handles_arrive_in_the_order_they_started() {
    let id = tag("reconnect-order-handles");
    browser_test!(60_000, async {
        let socket = slow_reader(&id).await;
        arrive_in_started_order(&id, &["handle"], |_, _, body| {
            let handle = socket.handle();
            async move { handle.send(Message::Text(body)).await }
        })
        .await;
    });
}

#[wasm_bindgen_test]
async fn a_try_send_never_overtakes_a_send_that_started_before_it() {
    let id = tag("reconnect-order-try");
    browser_test!(60_000, async {
        let socket = slow_reader(&id).await;
        arrive_in_started_order(&id, &["send", "try"], |_, kind, body| {
            let handle = socket.handle();
            async move {
                match kind {
                    "send" => handle.send(Message::Text(body)).await,
                    _ => handle.try_send(Message::Text(body)).map_err(Error::from),
                }
            }
        })
        .await;
    });
}

#[wasm_bindgen_test]
async fn a_send_given_up_while_its_message_waits_is_not_sent() {
    let id = tag("reconnect-order-given-up");
    browser_test!(30_000, async {
        let socket = slow_reader(&id).await;
        let handle = socket.handle();
        let message = |label: &str| Message::Text(crate::order::body(label));
        // Over the mark after the first: the second waits in the queue, and is given up there.
        handle.send(message("first")).await.unwrap();
        let mut second = Box::pin(handle.send(message("second")));
        assert!(futures::poll!(second.as_mut()).is_pending(), "second waits");
        assert_eq!(socket.queued(), 1);
        drop(second);
        assert_eq!(socket.queued(), 0, "taken back out");
        handle.send(message("third")).await.unwrap();
        assert_eq!(crate::order::arrived(&id, 2).await, ["first", "third"]);
    });
}

#[wasm_bindgen_test]
async fn room_in_the_queue_goes_to_the_sends_that_waited_for_it_first() {
    let id = tag("reconnect-order-room");
    browser_test!(30_000, async {
        let target = url(&format!("/echo?id={id}"));
        let socket = ReconnectingSocket::builder(move || WebSocket::builder(target.clone()))
            .connect_on_start(false)
            .queue(1, wasm_websocket::reconnect::QueuePolicy::RejectNew)
            .start()
            .unwrap();
        socket.try_send(text("a")).unwrap();
        let (b, c) = (socket.handle(), socket.handle());
        let b = spawned(async move { b.send(text("b")).await });
        let c = spawned(async move { c.send(text("c")).await });
        // Let both sends start: each finds the queue full and waits for room, b first.
        sleep(0).await;
        assert_eq!(socket.take_unsent(), [text("a")]);
        // The room is b's: a try_send now would go before both.
        let refused = socket.try_send(text("d")).unwrap_err();
        assert_eq!(
            refused.into_parts(),
            (
                Error::QueueFull {
                    capacity: 1,
                    max_bytes: ReconnectBuilder::DEFAULT_QUEUE_BYTES
                },
                text("d")
            )
        );
        socket.connect().unwrap();
        let (b, c) = awaited("b and c queued", 5_000, futures::future::join(b, c)).await;
        b.unwrap();
        c.unwrap();
        until_stats(&id, "b and c arrived", 5_000, |s| s.num("messages") >= 2.0).await;
        assert_eq!(stats_now(&id).await.strings("texts"), ["b", "c"]);
    });
}
