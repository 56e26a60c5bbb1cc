//! Leptos hooks for [`wasm-websocket`](wasm_websocket): a component gets a
//! [`ReconnectingSocket`](wasm_websocket::ReconnectingSocket) for as long as it lives, and
//! signals that see **every** message, in order (never only the latest of a burst).
//!
//! Reconnection with backoff and jitter, the send queue while disconnected, the heartbeat and
//! backpressure all come from the core crate; the hook ties them to the component's owner: the
//! connection opens in an effect (so never while rendering on the server, and after hydration
//! on the client), moves when the URL signal changes, and closes with 1000 on cleanup.
//!
//! The socket is `!Send`, but Leptos 0.8 wants `Send + Sync` in stores and contexts: the
//! returned [`WebSocketSender`] is a `Copy + Send + Sync` handle to it (used off the browser's
//! thread, its sends fail with an error rather than panic).
//!
//! ```no_run
//! use leptos::prelude::*;
//! use wasm_websocket_leptos::use_websocket;
//!
//! #[component]
//! fn Feed() -> impl IntoView {
//!     let ws = use_websocket("/feed");
//!     let sender = ws.sender;
//!     // Queued while disconnected; an error only when it cannot even wait (a full queue, say).
//!     let ping = move |_| {
//!         if let Err(e) = sender.send("ping".into()) {
//!             web_sys::console::warn_1(&format!("not sent: {e}").into());
//!         }
//!     };
//!     view! {
//!         <p>{move || ws.status.get().to_string()}</p>
//!         <button on:click=ping>"ping"</button>
//!         <ul>{move || ws.messages.with(|m| m.iter().map(|m| view! { <li>{format!("{m:?}")}</li> }).collect_view())}</ul>
//!     }
//! }
//! ```
#![deny(missing_docs, unsafe_code)]
#![warn(clippy::unwrap_used, clippy::expect_used)]

mod context;
mod hook;
mod listeners;
mod options;
mod sender;
mod signals;

pub use context::{provide_websocket, use_websocket_context, WebSocketProvider};
pub use hook::{use_websocket, use_websocket_with, UseWebSocket};
pub use options::UseWebSocketOptions;
pub use sender::WebSocketSender;
/// A message of the history, with the sequence number that keys it.
pub use wasm_websocket::view::Received;

// The README's example is compiled with the doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
