//! Opening: connect, open, validation, failures with bounded time, subprotocols.

use std::time::Duration;

use futures::{SinkExt, StreamExt};
use wasm_bindgen_test::wasm_bindgen_test;
use wasm_websocket::socket::Event;
use wasm_websocket::{CloseCode, Error, Message, ReadyState, WebSocket};

use crate::spy::{NoWebSocket, SocketSpy};
use crate::util::*;

#[wasm_bindgen_test]
async fn connect_send_one_text_and_receive_its_echo() {
    browser_test!(10_000, async {
        let mut ws = connected("/echo").await;
        assert_eq!(ws.ready_state(), ReadyState::Open);
        ws.send(text("smoke")).await.unwrap();
        assert_eq!(ws.next().await.unwrap().unwrap(), text("smoke"));
    });
}

#[wasm_bindgen_test]
async fn open_returns_at_once_in_connecting_then_opens() {
    browser_test!(10_000, async {
        let ws = WebSocket::open(url("/echo")).unwrap();
        assert_eq!(ws.ready_state(), ReadyState::Connecting);
        ws.send_text("x").await.unwrap();
        assert_eq!(ws.ready_state(), ReadyState::Open);
    });
}

/// `is_supported` reads the runtime as it is now: a constant would fail one of the three.
#[wasm_bindgen_test]
async fn is_supported_follows_the_global_websocket() {
    browser_test!(10_000, async {
        assert!(WebSocket::is_supported(), "with the browser's WebSocket");
        let hidden = NoWebSocket::start();
        let without = WebSocket::is_supported();
        drop(hidden);
        assert!(!without, "with WebSocket removed from the global scope");
        assert!(WebSocket::is_supported(), "with WebSocket put back");
    });
}

#[wasm_bindgen_test]
async fn a_runtime_without_websocket_is_unsupported() {
    browser_test!(10_000, async {
        let hidden = NoWebSocket::start();
        assert!(!wasm_websocket::WebSocket::is_supported());
        let opened = WebSocket::open(url("/echo"));
        drop(hidden);
        assert!(matches!(opened, Err(Error::Unsupported)), "{opened:?}");
    });
}

#[wasm_bindgen_test]
async fn bad_urls_are_invalid_url_errors_before_any_socket_exists() {
    browser_test!(10_000, async {
        let spy = SocketSpy::start();
        // As shown: a fragment's text and a user info could hold a secret.
        for (bad, shown) in [
            ("ftp://127.0.0.1/", "ftp://127.0.0.1/"),
            ("mailto:someone@example.com", "…@example.com"),
            ("ws://127.0.0.1:9001/echo#x", "ws://127.0.0.1:9001/echo#…"),
            ("ws://127.0.0.1:9001/echo#", "ws://127.0.0.1:9001/echo#…"),
            ("ws://foo bar.com/", "ws://foo bar.com/"),
            ("//foo bar.com/echo", "//foo bar.com/echo"),
            ("ws://[::1/", "ws://[::1/"),
        ] {
            match WebSocket::open(bad) {
                Err(Error::InvalidUrl { url, .. }) => assert_eq!(url, shown),
                other => panic!("{bad}: expected InvalidUrl, got {other:?}"),
            }
        }
        assert_eq!(spy.sockets_made(), 0);
    });
}

/// `Builder::query` encodes a value so that the server's query parser reads it back unchanged.
#[wasm_bindgen_test]
async fn a_query_value_reaches_the_server_unchanged() {
    browser_test!(10_000, async {
        let token = "a+b&c=d/e==#f %é";
        let ws = builder("/params")
            .query("token", token)
            .connect()
            .await
            .unwrap();
        let got: Vec<Message> = ws.filter_map(|m| async { m.ok() }).collect().await;
        assert_eq!(got, [text(&format!("token={token}"))]);
    });
}

#[wasm_bindgen_test]
async fn http_and_relative_urls_map_to_ws() {
    browser_test!(10_000, async {
        let spy = SocketSpy::start();
        let http = SERVER.replacen("ws", "http", 1);
        let ws = WebSocket::open(format!("{http}/echo")).unwrap();
        assert_eq!(ws.url(), url("/echo"));
        let relative = WebSocket::open("/relative/echo").unwrap();
        let page = location_host();
        assert_eq!(relative.url(), format!("ws://{page}/relative/echo"));
        drop((ws, relative));
        // Dropped while connecting, they fail or close later: their events must find no freed
        // closure.
        spy.all_closed().await;
    });
}

#[wasm_bindgen_test]
async fn bad_protocols_are_invalid_protocol_errors() {
    browser_test!(10_000, async {
        let spy = SocketSpy::start();
        for bad in [
            &[""][..],
            &["a b"],
            &["a,b"],
            &["\u{80}echo"],
            &["chat", "chat"],
            &["echo", "eCho"],
        ] {
            match WebSocket::builder(url("/echo"))
                .protocols(bad.iter().copied())
                .open()
            {
                Err(Error::InvalidProtocol { .. }) => {}
                other => panic!("{bad:?}: expected InvalidProtocol, got {other:?}"),
            }
        }
        assert_eq!(spy.sockets_made(), 0);
    });
}

fn assert_connect_failed(result: Result<WebSocket, Error>) {
    match result {
        Err(Error::ConnectFailed(ev)) => {
            assert_eq!(ev.code, CloseCode::ABNORMAL);
            assert!(!ev.was_clean);
        }
        other => panic!("expected ConnectFailed(1006), got {other:?}"),
    }
}

#[wasm_bindgen_test]
async fn refused_port_is_connect_failed_1006_quickly() {
    browser_test!(5_000, async {
        assert_connect_failed(WebSocket::connect(refused_url()).await)
    });
}

#[wasm_bindgen_test]
async fn http_403_is_connect_failed_1006() {
    browser_test!(5_000, async {
        assert_connect_failed(WebSocket::connect(url("/reject")).await)
    });
}

#[wasm_bindgen_test]
async fn a_hung_handshake_times_out_and_is_abandoned() {
    browser_test!(20_000, async {
        let spy = SocketSpy::start();
        let started = js_sys::Date::now();
        let result = within(5_000, async {
            WebSocket::builder(url("/hang?ms=3000"))
                .connect_timeout(Duration::from_millis(800))
                .connect()
                .await
        })
        .await;
        let took = js_sys::Date::now() - started;
        assert_eq!(
            result.unwrap_err(),
            Error::Timeout(Duration::from_millis(800))
        );
        assert!((700.0..3000.0).contains(&took), "took {took} ms");
        // The abandoned socket's error and close events must find no freed closure.
        spy.all_closed().await;
    });
}

#[wasm_bindgen_test]
async fn a_failed_open_yields_one_connect_failed_item_then_ends() {
    browser_test!(5_000, async {
        let mut ws = WebSocket::builder(refused_url())
            .record_events(true)
            .open()
            .unwrap();
        let mut events = ws.events().unwrap();
        let items = drain(&mut ws).await;
        assert!(
            matches!(items.as_slice(), [Err(Error::ConnectFailed(_))]),
            "{items:?}"
        );
        let events: Vec<Event> = events.by_ref().collect().await;
        assert!(
            matches!(events.as_slice(), [Event::Error, Event::Close(ev)] if ev.code == CloseCode::ABNORMAL),
            "{events:?}"
        );
        // A send on the failed socket is an error, not a silent success.
        assert_eq!(
            ws.send(text("x")).await,
            Err(Error::NotOpen(ReadyState::Closed))
        );
    });
}

#[wasm_bindgen_test]
async fn the_selected_protocol_is_reported_and_offered_as_a_list() {
    let id = tag("proto");
    browser_test!(10_000, async {
        let ws = connect(
            builder(&format!("/protocol?select=superchat&id={id}"))
                .protocols(["chat", "superchat"]),
        )
        .await;
        assert_eq!(ws.protocol(), "superchat");
        assert_eq!(ws.extensions(), "");
        drop(ws);
        let s = stats(&id).await;
        assert_eq!(s.strings("offered_protocols"), ["chat", "superchat"]);
    });
}

#[wasm_bindgen_test]
async fn no_protocol_selected_fails_in_every_browser() {
    browser_test!(10_000, async {
        let result = WebSocket::builder(url("/protocol?select=none"))
            .protocols(["chat"])
            .connect()
            .await;
        match result {
            // Firefox opens and the crate refuses; Chromium fails the connection itself.
            Err(Error::ProtocolNotNegotiated {
                requested,
                selected,
            }) => {
                assert_eq!(requested, ["chat"]);
                assert_eq!(selected, "");
            }
            Err(Error::ConnectFailed(ev)) => assert_eq!(ev.code, CloseCode::ABNORMAL),
            other => panic!("expected a failed connection, got {other:?}"),
        }
    });
}

#[wasm_bindgen_test]
async fn no_protocol_selected_with_open_yields_the_error_and_no_message() {
    browser_test!(10_000, async {
        let mut ws = WebSocket::builder(url("/protocol?select=none"))
            .protocols(["chat"])
            .open()
            .unwrap();
        let items = drain(&mut ws).await;
        assert!(
            matches!(
                items.as_slice(),
                [Err(Error::ProtocolNotNegotiated { .. })] | [Err(Error::ConnectFailed(_))]
            ),
            "{items:?}"
        );
    });
}
