//! Native targets (server-side rendering builds of Yew or Leptos apps): the crate compiles with no
//! feature flag and opening a socket is a typed error, never a panic or a real connection.
#![cfg(not(target_arch = "wasm32"))]

use futures::executor::block_on;
use wasm_websocket::{Error, WebSocket};

#[test]
fn opening_off_the_web_is_unsupported_not_a_panic() {
    assert!(!wasm_websocket::is_supported());
    assert_eq!(
        WebSocket::open("ws://127.0.0.1:9001/echo").unwrap_err(),
        Error::Unsupported
    );
    // Validation needs the browser's URL parser, so even bad input reports Unsupported here.
    assert_eq!(
        WebSocket::open("ftp://x#y").unwrap_err(),
        Error::Unsupported
    );
    let connect = WebSocket::builder("/ws").protocols(["chat"]).connect();
    assert_eq!(block_on(connect).unwrap_err(), Error::Unsupported);
}
