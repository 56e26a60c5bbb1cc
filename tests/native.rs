//! Native targets (server-side rendering builds of Yew or Leptos apps): the crate compiles with no
//! feature flag and opening a socket is a typed error, never a panic or a real connection.
#![cfg(not(target_arch = "wasm32"))]

use futures::executor::block_on;
use wasm_websocket::{Error, WebSocket};

#[test]
fn opening_off_the_web_is_unsupported_not_a_panic() {
    assert!(!WebSocket::is_supported());
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

/// Threads: JS objects belong to the thread that made them, so the handles are `!Send` and
/// `!Sync`; all of them are `Unpin`. Plain data (errors, close events, builders) can travel.
mod auto_traits {
    use static_assertions::{assert_impl_all, assert_not_impl_any};
    use wasm_websocket::socket::{CloseHandle, Event, Events};
    use wasm_websocket::{
        BinaryType, Builder, CloseCode, CloseEvent, Error, ReadyState, WebSocket,
    };

    assert_not_impl_any!(WebSocket: Send, Sync);
    assert_not_impl_any!(CloseHandle: Send, Sync);
    assert_not_impl_any!(Events: Send, Sync);
    assert_impl_all!(WebSocket: Unpin);
    assert_impl_all!(CloseHandle: Unpin, Clone);
    assert_impl_all!(Events: Unpin);
    assert_impl_all!(Error: Send, Sync, Unpin, Clone, Eq, std::error::Error);
    assert_impl_all!(CloseEvent: Send, Sync, Clone, Eq);
    assert_impl_all!(Builder: Send, Sync, Clone);
    assert_impl_all!(CloseCode: Send, Sync, Copy, Ord);
    assert_impl_all!(ReadyState: Send, Sync, Copy);
    assert_impl_all!(BinaryType: Send, Sync, Copy);
    assert_impl_all!(Event: Send, Sync, Clone);
}
