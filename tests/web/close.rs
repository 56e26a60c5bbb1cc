//! Closing: validated codes and reasons, both directions, drop, and the Sink's close.

use futures::{SinkExt, StreamExt};
use wasm_bindgen_test::wasm_bindgen_test;
use wasm_websocket::{CloseCode, Error, ReadyState, WebSocket};

use crate::util::*;

#[wasm_bindgen_test]
async fn a_server_close_code_and_reason_reach_the_client_and_end_the_stream_cleanly() {
    browser_test(10_000, async {
        let mut ws = connected("/close?code=4321&reason=why").await;
        let items = drain(&mut ws).await;
        assert!(items.is_empty(), "a clean close is no error: {items:?}");
        let ev = ws.closed().await;
        assert_eq!(
            (ev.code.as_u16(), ev.reason.as_str(), ev.was_clean),
            (4321, "why", true)
        );
    })
    .await;
}

#[wasm_bindgen_test]
async fn a_client_close_code_and_reason_reach_the_server() {
    browser_test(40_000, async {
        for (code, reason) in [
            (1000, ""),
            (3000, "three"),
            (4999, "x".repeat(123).as_str()),
            (4001, "€".repeat(41).as_str()),
        ] {
            let id = tag("client-close");
            within(10_000, async {
                let ws = connected(&format!("/echo?id={id}")).await;
                ws.close_with(CloseCode::from(code), reason).unwrap();
                let ev = ws.closed().await;
                assert!(ev.was_clean);
                assert_eq!(ev.code.as_u16(), code);
                let s = stats(&id).await;
                assert_eq!(s.num("close_code"), f64::from(code));
                assert_eq!(s.string("close_reason").as_deref(), Some(reason));
            })
            .await;
        }
    })
    .await;
}

#[wasm_bindgen_test]
async fn invalid_codes_and_long_reasons_are_typed_errors_and_the_socket_stays_open() {
    browser_test(10_000, async {
        let mut ws = connected("/echo").await;
        for code in [0, 999, 1001, 1005, 1006, 1015, 2999, 5000, 65535] {
            assert_eq!(
                ws.close_with(code.into(), ""),
                Err(Error::InvalidCloseCode(code))
            );
        }
        for reason in ["x".repeat(124), "é".repeat(62)] {
            assert_eq!(
                ws.close_with(CloseCode::NORMAL, &reason),
                Err(Error::ReasonTooLong { len: 124 })
            );
        }
        assert_eq!(ws.ready_state(), ReadyState::Open);
        ws.send_text("still open").await.unwrap();
        assert_eq!(ws.next().await.unwrap().unwrap(), text("still open"));
    })
    .await;
}

#[wasm_bindgen_test]
async fn dropping_the_socket_closes_with_1000() {
    let id = tag("drop");
    browser_test(40_000, async {
        within(10_000, async {
            let ws = connected(&format!("/echo?id={id}")).await;
            drop(ws);
            let s = stats(&id).await;
            assert_eq!(
                s.num("close_code"),
                1000.0,
                "the server must see 1000, not 1005"
            );
            assert_eq!(s.num("live_tagged"), 0.0);
        })
        .await;
        sleep(100).await;
    })
    .await;
}

#[wasm_bindgen_test]
async fn dropping_split_halves_closes_only_when_both_are_gone() {
    let id = tag("drop-split");
    browser_test(10_000, async {
        let ws = connected(&format!("/echo?id={id}")).await;
        let (mut sink, stream) = ws.split();
        drop(stream);
        sink.send(text("still here")).await.unwrap();
        drop(sink);
        let s = stats(&id).await;
        assert_eq!(s.num("messages"), 1.0);
        assert_eq!(s.num("close_code"), 1000.0);
    })
    .await;
}

#[wasm_bindgen_test]
async fn dropping_while_connecting_is_clean() {
    let id = tag("drop-connecting");
    browser_test(10_000, async {
        let ws = WebSocket::open(url(&format!("/slow-handshake?ms=300&id={id}"))).unwrap();
        drop(ws);
        // The server may never see a WebSocket connection; either way nothing stays open.
        sleep(600).await;
    })
    .await;
}

#[wasm_bindgen_test]
async fn sink_close_performs_the_handshake_and_a_second_close_is_ok() {
    let id = tag("sink-close");
    browser_test(10_000, async {
        let mut ws = connected(&format!("/echo?id={id}")).await;
        SinkExt::close(&mut ws).await.unwrap();
        assert_eq!(ws.ready_state(), ReadyState::Closed);
        SinkExt::close(&mut ws).await.unwrap();
        ws.close().unwrap();
        let ev = ws.closed().await;
        assert_eq!((ev.code, ev.was_clean), (CloseCode::NORMAL, true));
        assert!(drain(&mut ws).await.is_empty());
        drop(ws);
        assert_eq!(stats(&id).await.num("close_code"), 1000.0);
    })
    .await;
}

#[wasm_bindgen_test]
async fn close_while_connecting_is_closing_at_once_then_1006() {
    browser_test(10_000, async {
        let mut ws = WebSocket::open(url("/slow-handshake?ms=1000")).unwrap();
        ws.close().unwrap();
        assert_eq!(ws.ready_state(), ReadyState::Closing);
        let ev = ws.closed().await;
        assert_eq!((ev.code, ev.was_clean), (CloseCode::ABNORMAL, false));
        let items = drain(&mut ws).await;
        assert!(
            matches!(items.as_slice(), [Err(Error::ConnectFailed(_))]),
            "{items:?}"
        );
    })
    .await;
}
