//! Yew hooks for [`wasm-websocket`](wasm_websocket): a component gets a
//! [`ReconnectingSocket`](wasm_websocket::ReconnectingSocket) for as long as it is mounted. Its
//! callbacks and its history see **every** message, in order (never only the latest of a
//! burst); it renders once per animation frame, however many messages came.
//!
//! Reconnection with backoff and jitter, the send queue while disconnected, the heartbeat and
//! backpressure all come from the core crate; the hook only ties them to the component's life:
//! the connection opens after the first render, moves when the URL changes, and closes with
//! 1000 on unmount, leaving no listener or timer behind.
//!
//! ```no_run
//! use wasm_websocket_yew::use_websocket;
//! use yew::prelude::*;
//!
//! #[function_component]
//! fn Feed() -> Html {
//!     let ws = use_websocket("/feed");
//!     let send = {
//!         let ws = ws.clone();
//!         // Queued while disconnected; an error only when it cannot even wait (a full queue).
//!         Callback::from(move |_| {
//!             if let Err(e) = ws.send("ping".into()) {
//!                 web_sys::console::warn_1(&format!("not sent: {e}").into());
//!             }
//!         })
//!     };
//!     html! {
//!         <div>
//!             <p>{ ws.status().to_string() }</p>
//!             <button onclick={send}>{ "ping" }</button>
//!             <ul>{ for ws.messages().iter().map(|m| html! { <li>{ format!("{m:?}") }</li> }) }</ul>
//!         </div>
//!     }
//! }
//! ```
#![deny(missing_docs, unsafe_code)]
#![warn(clippy::unwrap_used, clippy::expect_used)]

mod context;
mod handle;
mod hook;
mod options;
mod view;

pub use context::{
    use_on_message, use_websocket_context, WebSocketProvider, WebSocketProviderProps,
};
pub use handle::UseWebSocketHandle;
pub use hook::{use_websocket, use_websocket_with};
pub use options::UseWebSocketOptions;
/// A message of the history, with the sequence number that keys it.
pub use wasm_websocket::view::Received;

// The README's example is compiled with the doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
