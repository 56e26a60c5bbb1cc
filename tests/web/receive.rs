//! Receiving: nothing lost, nothing reordered, in every binary mode.

use futures::{FutureExt, StreamExt};
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::wasm_bindgen_test;
use wasm_websocket::socket::{Event, MessageKind};
use wasm_websocket::{BinaryType, CloseCode, Error, Message, WebSocket};

use crate::util::*;

const MODES: [BinaryType; 3] = [
    BinaryType::ArrayBuffer,
    BinaryType::Blob,
    BinaryType::RawBlob,
];

async fn bytes_of(message: Message) -> Vec<u8> {
    match message {
        Message::Binary(bytes) => bytes,
        Message::Blob(blob) => {
            let buffer = JsFuture::from(blob.array_buffer()).await.unwrap();
            js_sys::Uint8Array::new(&buffer).to_vec()
        }
        Message::Text(t) => panic!("expected binary, got text {t:?}"),
    }
}

#[wasm_bindgen_test]
async fn late_polling_after_a_burst_loses_nothing() {
    browser_test!(10_000, async {
        let mut ws = connected("/burst?n=50").await;
        // Polled only once the whole burst is in and the server has closed.
        awaited("the server's close after the burst", 5_000, ws.closed()).await;
        let items = drain(&mut ws).await;
        let texts: Vec<Message> = items.into_iter().map(Result::unwrap).collect();
        let want: Vec<Message> = (0..50).map(|i| Message::Text(i.to_string())).collect();
        assert_eq!(texts, want);
        assert_eq!(ws.closed().await.code, CloseCode::NORMAL);
    });
}

#[wasm_bindgen_test]
async fn ten_thousand_alternating_messages_arrive_complete_and_in_order_in_every_mode() {
    browser_test!(240_000, async {
        for mode in MODES {
            within(60_000, async {
                let mut ws =
                    connect(builder("/burst?n=10000&size=8&kind=mixed").binary_type(mode)).await;
                let items = drain(&mut ws).await;
                assert_eq!(items.len(), 10_000, "{mode:?}");
                for (i, item) in items.into_iter().enumerate() {
                    let message = item.unwrap();
                    if i % 2 == 0 {
                        assert_eq!(message, Message::Text(burst_text(i, 8)), "{mode:?} #{i}");
                    } else if mode == BinaryType::RawBlob && i % 97 != 1 {
                        // Reading every Blob back would time the test, not the crate: check sizes,
                        // and the content of a sample.
                        assert!(
                            matches!(&message, Message::Blob(b) if b.size() == 8.0),
                            "{mode:?} #{i}"
                        );
                    } else {
                        assert_eq!(bytes_of(message).await, burst_binary(i, 8), "{mode:?} #{i}");
                    }
                }
                assert!(ws.closed().await.was_clean);
            })
            .await;
        }
    });
}

#[wasm_bindgen_test]
async fn an_8_mib_binary_then_text_then_1_byte_come_out_in_wire_order_in_every_mode() {
    browser_test!(120_000, async {
        for mode in MODES {
            within(30_000, async {
                let mut ws = connect(builder("/mixed?size=8388608").binary_type(mode)).await;
                let items: Vec<Message> = drain(&mut ws)
                    .await
                    .into_iter()
                    .map(Result::unwrap)
                    .collect();
                assert_eq!(items.len(), 3, "{mode:?}");
                let mut items = items.into_iter();
                let big = bytes_of(items.next().unwrap()).await;
                assert_eq!(big.len(), 8 << 20, "{mode:?}");
                assert!(
                    big == burst_binary(0, 8 << 20),
                    "{mode:?}: 8 MiB content differs"
                );
                assert_eq!(items.next().unwrap(), text("after-big"), "{mode:?}");
                assert_eq!(bytes_of(items.next().unwrap()).await, [42], "{mode:?}");
            })
            .await;
        }
    });
}

#[wasm_bindgen_test]
async fn changing_the_binary_type_on_an_open_socket_applies_later_and_keeps_order() {
    browser_test!(10_000, async {
        let mut ws = connected("/echo").await;
        ws.send_binary(&[1]).await.unwrap();
        assert_eq!(ws.next().await.unwrap().unwrap(), Message::Binary(vec![1]));

        // Switch while echoes are in flight: they are dispatched after the switch.
        let big = vec![7u8; 1 << 20];
        ws.send_binary(&big).await.unwrap();
        ws.send_text("between").await.unwrap();
        ws.send_binary(&[2]).await.unwrap();
        ws.set_binary_type(BinaryType::Blob);
        assert_eq!(ws.binary_type(), BinaryType::Blob);
        assert_eq!(ws.next().await.unwrap().unwrap(), Message::Binary(big));
        assert_eq!(ws.next().await.unwrap().unwrap(), text("between"));
        assert_eq!(ws.next().await.unwrap().unwrap(), Message::Binary(vec![2]));

        ws.set_binary_type(BinaryType::RawBlob);
        ws.send_binary(&[3, 4]).await.unwrap();
        assert_eq!(bytes_of(ws.next().await.unwrap().unwrap()).await, [3, 4]);
        assert!(
            ws.next().now_or_never().is_none(),
            "nothing else may be queued"
        );

        ws.set_binary_type(BinaryType::ArrayBuffer);
        ws.send_binary(&[5]).await.unwrap();
        assert_eq!(ws.next().await.unwrap().unwrap(), Message::Binary(vec![5]));
    });
}

/// A socket that never chose a binary type reads no Blobs (it links no Blob reading): one the
/// raw socket was switched to comes out as it is, not lost.
#[wasm_bindgen_test]
async fn a_blob_from_a_binary_type_set_on_the_raw_socket_comes_out_as_a_blob() {
    browser_test!(10_000, async {
        let mut ws = connected("/echo").await;
        ws.as_raw().set_binary_type(web_sys::BinaryType::Blob);
        ws.send_binary(&[6, 7]).await.unwrap();
        match ws.next().await.unwrap().unwrap() {
            blob @ Message::Blob(_) => assert_eq!(bytes_of(blob).await, [6, 7]),
            other => panic!("expected a Blob, got {other:?}"),
        }
    });
}

#[wasm_bindgen_test]
async fn empty_text_and_empty_binary_survive_in_every_mode() {
    browser_test!(40_000, async {
        for mode in MODES {
            within(10_000, async {
                let mut ws = connect(builder("/echo").binary_type(mode)).await;
                ws.send_text("").await.unwrap();
                ws.send_binary(&[]).await.unwrap();
                assert_eq!(ws.next().await.unwrap().unwrap(), text(""), "{mode:?}");
                assert_eq!(
                    bytes_of(ws.next().await.unwrap().unwrap()).await,
                    Vec::<u8>::new(),
                    "{mode:?}"
                );
            })
            .await;
        }
    });
}

#[wasm_bindgen_test]
async fn an_abrupt_drop_yields_the_messages_then_one_closed_error_then_none() {
    browser_test!(10_000, async {
        let mut ws = WebSocket::builder(url("/abrupt?n=3"))
            .record_events(true)
            .open()
            .unwrap();
        let events = ws.events().unwrap();
        let items = drain(&mut ws).await;
        let events: Vec<Event> = events.collect().await;
        // No `error` event for a drop after open: only the close event tells.
        assert_eq!(events.len(), 5, "{events:?}");
        assert_eq!(events[0], Event::Open);
        assert!(
            matches!(&events[4], Event::Close(ev) if !ev.was_clean),
            "{events:?}"
        );
        assert_eq!(items.len(), 4, "{items:?}");
        for (i, item) in items[..3].iter().enumerate() {
            assert_eq!(item, &Ok(text(&format!("m{i}"))));
        }
        match &items[3] {
            Err(Error::Closed(ev)) => {
                assert_eq!(ev.code, CloseCode::ABNORMAL);
                assert!(!ev.was_clean);
            }
            other => panic!("expected Closed(1006), got {other:?}"),
        }
        assert!(futures::stream::FusedStream::is_terminated(&ws));
    });
}

#[wasm_bindgen_test]
async fn events_come_in_dispatch_order_beside_the_messages() {
    browser_test!(10_000, async {
        let mut ws = WebSocket::builder(url("/burst?n=2&kind=mixed"))
            .record_events(true)
            .open()
            .unwrap();
        let events = ws.events().unwrap();
        let items = drain(&mut ws).await;
        assert_eq!(items.len(), 2);
        let events: Vec<Event> = events.collect().await;
        assert_eq!(
            events[..3],
            [
                Event::Open,
                Event::Message(MessageKind::Text),
                Event::Message(MessageKind::Binary)
            ]
        );
        assert!(
            matches!(&events[3..], [Event::Close(ev)] if ev.was_clean && ev.code == CloseCode::NORMAL),
            "{events:?}"
        );
    });
}
