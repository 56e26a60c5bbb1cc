//! Backpressure: the Sink never lets the browser's send buffer run away, and every byte arrives.

use std::task::Poll;

use futures::SinkExt;
use wasm_bindgen_test::wasm_bindgen_test;
use wasm_websocket::{CloseCode, Error, Message, ReadyState};

use crate::util::*;

const MIB: u32 = 1 << 20;

#[wasm_bindgen_test]
async fn sixty_four_mib_in_1_mib_chunks_never_exceed_the_high_water_mark_plus_one_message() {
    let id = tag("flood");
    browser_test!(120_000, async {
        let mut ws =
            connect(builder(&format!("/slow-reader?ms=5&id={id}")).high_water_mark(MIB)).await;
        let chunk = vec![0xa5u8; MIB as usize];
        let mut highest = 0;
        for _ in 0..64 {
            // `feed` is poll_ready + start_send: what the buffer holds right after a send.
            ws.feed(Message::Binary(chunk.clone())).await.unwrap();
            highest = highest.max(ws.buffered_amount());
            assert!(
                ws.buffered_amount() <= 2 * MIB,
                "{} bytes buffered",
                ws.buffered_amount()
            );
        }
        ws.flush().await.unwrap();
        ws.drained().await.unwrap();
        assert_eq!(ws.buffered_amount(), 0);
        // The slow reader did make the sender wait: the buffer reached the mark.
        assert!(
            highest > MIB,
            "the buffer never reached the mark (highest {highest})"
        );
        SinkExt::close(&mut ws).await.unwrap();
        let s = stats(&id).await;
        assert_eq!(s.num("messages"), 64.0);
        assert_eq!(s.num("bytes"), f64::from(64 * MIB));
        assert_eq!(s.num("close_code"), 1000.0);
    });
}

#[wasm_bindgen_test]
async fn fifty_64_kib_messages_are_all_acknowledged() {
    browser_test!(240_000, async {
        // The web-platform test send-many-64K-messages-with-backpressure.
        let id = tag("many64k");
        within(60_000, async {
            let mut ws =
                connect(builder(&format!("/slow-reader?ms=2&id={id}")).high_water_mark(256 << 10))
                    .await;
            let message = vec![7u8; 64 << 10];
            for _ in 0..50 {
                ws.send(Message::Binary(message.clone())).await.unwrap();
                assert!(ws.buffered_amount() <= (256 << 10) + (64 << 10));
            }
            SinkExt::close(&mut ws).await.unwrap();
            let s = stats(&id).await;
            assert_eq!(s.num("messages"), 50.0);
            assert_eq!(s.num("bytes"), f64::from(50 * (64 << 10)));
        })
        .await;
    });
}

#[wasm_bindgen_test]
async fn the_send_helpers_wait_for_the_mark_too() {
    let id = tag("helpers");
    browser_test!(60_000, async {
        let ws = connect(builder(&format!("/slow-reader?ms=5&id={id}")).high_water_mark(MIB)).await;
        let chunk = vec![1u8; MIB as usize];
        for _ in 0..16 {
            ws.send_binary(&chunk).await.unwrap();
            assert!(ws.buffered_amount() <= 2 * MIB);
        }
        ws.drained().await.unwrap();
        drop(ws);
        assert_eq!(stats(&id).await.num("bytes"), f64::from(16 * MIB));
    });
}

#[wasm_bindgen_test]
async fn a_sender_waiting_on_the_mark_fails_when_the_socket_closes() {
    browser_test!(20_000, async {
        let mut ws = connect(builder("/slow-reader?ms=2000").high_water_mark(64 << 10)).await;
        let handle = ws.close_handle();
        let chunk = vec![0u8; 4 << 20];
        // Fill the socket buffers until a send has to wait, then close from elsewhere.
        let mut sent = 0;
        let result = loop {
            let mut send = Box::pin(ws.send(Message::Binary(chunk.clone())));
            match futures::poll!(send.as_mut()) {
                Poll::Ready(result) => {
                    result.unwrap();
                    sent += 1;
                    assert!(sent < 64, "the sender was never made to wait");
                }
                Poll::Pending => {
                    // An open socket's send waits for nothing but its buffer.
                    assert!(handle.buffered_amount() > 64 << 10);
                    handle.close().unwrap();
                    break send.await;
                }
            }
        };
        assert!(
            matches!(
                result,
                Err(Error::NotOpen(ReadyState::Closing | ReadyState::Closed))
            ),
            "{result:?}"
        );
    });
}

#[wasm_bindgen_test]
async fn the_receive_limit_closes_with_4902_after_yielding_what_was_queued() {
    let id = tag("limit");
    browser_test!(20_000, async {
        let mut ws = connect(builder(&format!("/echo?id={id}")).receive_limit(10)).await;
        for i in 0..30 {
            ws.feed(Message::Text(i.to_string())).await.unwrap();
        }
        ws.flush().await.unwrap();
        // Nobody reads while the echoes pile up, until the limit closes the socket.
        awaited("the receive limit's close", 5_000, ws.closed()).await;
        let items = drain(&mut ws).await;
        let (last, first) = items.split_last().unwrap();
        let want: Vec<Result<Message, Error>> =
            (0..10).map(|i| Ok(Message::Text(i.to_string()))).collect();
        assert_eq!(first, want.as_slice());
        assert_eq!(last, &Err(Error::ReceiveBufferFull { limit: 10 }));
        let ev = ws.closed().await;
        assert_eq!(ev.code, CloseCode::RECEIVE_BUFFER_FULL);
        drop(ws);
        assert_eq!(stats(&id).await.num("close_code"), 4902.0);
    });
}

#[wasm_bindgen_test]
async fn without_a_limit_a_slow_consumer_loses_nothing() {
    browser_test!(20_000, async {
        let mut ws = connected("/burst?n=5000&size=100").await;
        // Nothing is read until the whole burst is in and the server has closed.
        awaited("the server's close after the burst", 10_000, ws.closed()).await;
        let items = drain(&mut ws).await;
        assert_eq!(items.len(), 5000);
        assert!(items
            .iter()
            .enumerate()
            .all(|(i, m)| m == &Ok(Message::Text(burst_text(i, 100)))));
    });
}
