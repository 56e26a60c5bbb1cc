//! The browser suite: real Firefox and Chromium against the loopback test server.
//!
//! Run by `cargo xtask test`, or by hand: `cargo xtask server` in one terminal, then
//! `wasm-pack test --headless --firefox` (or `--chrome`) in another. The crate's dev-dependency
//! on itself turns on the `test-util` and `json` features the suite needs.
//!
//! What's tested (each module's file says which test proves what):
//! - open: connect, sync open, URL and protocol validation, refused / 403 / timeout, negotiation
//! - receive: late polling, order in every binary mode, the /mixed probe, mode changes, empty
//!   messages, abrupt drop, fused stream, events
//! - send: Sink and helpers, send while connecting, send after close, split halves in two tasks
//! - order: sends from 40 tasks reach the server in the order they started, through every
//!   helper, a send given up in line lets the rest go, all waiting sends fail on close
//! - close: codes and reasons both ways, validation, drop closes with 1000, Sink close
//! - backpressure: high-water mark held under a 64 MiB flood, every byte acknowledged, waiting
//!   senders fail on close, the receive limit
//! - reliability: browser exceptions, blocked port, oversized messages, close under load, one close
//!   event, 16/64 MiB round trips, re-entrant use
//! - reconnect (a folder): lifecycle (reconnect and queue flush, user close, close policy, retry
//!   limit, give-up reasons, heartbeat, `online`, 200 cycles without leaks, drop, JSON codec),
//!   sending (nothing lost or silent, the high-water mark as `try_send` and `Sink`, typed),
//!   control (status, ready state, `reconnect()`, starting idle, async provider)
//! - byte_stream: the `io` feature's byte stream, exact in odd sizes, `futures::io::copy`
//! - secrets: no token or password from a URL in any error, status, event or `Debug`
//! - soak: 500-cycle leak soaks (memory, live callbacks, server connections)
#![cfg(target_arch = "wasm32")]

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

mod spy;
mod util;

mod backpressure;
mod byte_stream;
mod close;
mod codec;
mod hidden_page;
mod open;
mod order;
mod protocols;
mod receive;
mod reconnect;
mod reliability;
mod secrets;
mod send;
mod soak;
