//! Closing: validated codes and reasons, both directions, drop, and the Sink's close.

use futures::{SinkExt, StreamExt};
use wasm_bindgen_test::wasm_bindgen_test;
use wasm_websocket::{CloseCode, Error, ReadyState, WebSocket};

use crate::spy::SocketSpy;
use crate::util::*;

#[wasm_bindgen_test]
async fn a_server_close_code_and_reason_reach_the_client_and_end_the_stream_cleanly() {
    browser_test!(10_000, async {
        let mut ws = connected("/close?code=4321&reason=why").await;
        let items = drain(&mut ws).await;
        assert!(items.is_empty(), "a clean close is no error: {items:?}");
        let ev = ws.closed().await;
        assert_eq!(
            (ev.code.as_u16(), ev.reason.as_str(), ev.was_clean),
            (4321, "why", true)
        );
    });
}

#[wasm_bindgen_test]
async fn a_client_close_code_and_reason_reach_the_server() {
    browser_test!(40_000, async {
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
    });
}

#[wasm_bindgen_test]
async fn invalid_codes_and_long_reasons_are_typed_errors_and_the_socket_stays_open() {
    browser_test!(10_000, async {
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
    });
}

#[wasm_bindgen_test]
async fn dropping_the_socket_closes_with_1000() {
    let id = tag("drop");
    browser_test!(40_000, async {
        let spy = SocketSpy::start();
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
        // The close event comes after the drop removed the listeners: it must find no freed
        // closure.
        spy.all_closed().await;
    });
}

#[wasm_bindgen_test]
async fn dropping_split_halves_closes_only_when_both_are_gone() {
    let id = tag("drop-split");
    browser_test!(10_000, async {
        let ws = connected(&format!("/echo?id={id}")).await;
        let (mut sink, stream) = ws.split();
        drop(stream);
        sink.send(text("still here")).await.unwrap();
        drop(sink);
        let s = stats(&id).await;
        assert_eq!(s.num("messages"), 1.0);
        assert_eq!(s.num("close_code"), 1000.0);
    });
}

/// Dropped while the server has the handshake request but has not answered it: the socket is
/// abandoned at once (not left to open), its listeners are removed, no WebSocket connection ever
/// exists on the server, and the attempt ends there too (when the browser closes the TCP
/// connection, or, since Firefox keeps an abandoned handshake's connection open, when `/hang`
/// gives up after 2 s).
#[wasm_bindgen_test]
async fn dropping_while_connecting_is_clean() {
    let id = tag("drop-connecting");
    browser_test!(10_000, async {
        let before = wasm_websocket::live_callbacks();
        let spy = SocketSpy::start();
        let ws = WebSocket::open(url(&format!("/hang?ms=2000&id={id}"))).unwrap();
        let raw = spy.last_socket();
        until_stats(&id, "the server holds the handshake", 5_000, |s| {
            s.num("hangs") >= 1.0
        })
        .await;
        assert_eq!(ws.ready_state(), ReadyState::Connecting);
        drop(ws);
        assert!(
            matches!(
                raw.ready_state(),
                web_sys::WebSocket::CLOSING | web_sys::WebSocket::CLOSED
            ),
            "ready state {} after the drop",
            raw.ready_state()
        );
        assert_eq!(spy.listeners_removed(), spy.listeners_added());
        assert_eq!(wasm_websocket::live_callbacks(), before);
        let s = stats(&id).await;
        assert_eq!(
            (s.num("hangs"), s.num("hangs_live"), s.num("connections")),
            (1.0, 0.0, 0.0)
        );
    });
}

#[wasm_bindgen_test]
async fn sink_close_performs_the_handshake_and_a_second_close_is_ok() {
    let id = tag("sink-close");
    browser_test!(10_000, async {
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
    });
}

#[wasm_bindgen_test]
async fn close_while_connecting_is_closing_at_once_then_1006() {
    browser_test!(10_000, async {
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
    });
}

/// Rust refuses a bad close before the browser is asked: the browser's own refusal of 1005 maps
/// to the same error, so only the count of `close` calls that reached it tells the two apart. The
/// code is checked before the reason, as the browser does.
#[wasm_bindgen_test]
async fn a_refused_close_never_reaches_the_browser() {
    browser_test!(10_000, async {
        let spy = SocketSpy::start();
        let ws = connected("/echo").await;
        let long = "x".repeat(124);
        assert_eq!(
            ws.close_with(CloseCode::NO_STATUS, &long),
            Err(Error::InvalidCloseCode(1005))
        );
        assert_eq!(
            ws.close_with(CloseCode::ABNORMAL, ""),
            Err(Error::InvalidCloseCode(1006))
        );
        assert_eq!(
            ws.close_with(CloseCode::from(4000), &long),
            Err(Error::ReasonTooLong { len: 124 })
        );
        assert_eq!(spy.closes(), 0);
        ws.close().unwrap();
        assert_eq!(spy.closes(), 1);
    });
}

/// Every listener the crate adds to a socket, it removes: for sockets that opened and closed,
/// that were refused, and that were dropped while connecting.
#[wasm_bindgen_test]
async fn every_listener_added_to_a_socket_is_removed() {
    browser_test!(20_000, async {
        let spy = SocketSpy::start();
        for _ in 0..10 {
            let mut ws = connected("/echo").await;
            ws.close().unwrap();
            drain(&mut ws).await;
        }
        for _ in 0..5 {
            assert!(WebSocket::connect(refused_url()).await.is_err());
            drop(WebSocket::open(url("/slow-handshake?ms=300")).unwrap());
        }
        assert_eq!(spy.listeners_added(), 20 * 4);
        assert_eq!(spy.listeners_removed(), spy.listeners_added());
        // The abandoned handshakes end before the next test connects (Firefox lets one
        // connection to an address be connecting at a time).
        spy.all_closed().await;
    });
}
