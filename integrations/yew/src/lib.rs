#![doc = include_str!("../README.md")]
#![deny(missing_docs, unsafe_code)]
#![warn(clippy::unwrap_used, clippy::expect_used)]

use yew::AttrValue;

mod context;
mod hook;

pub use context::{
    use_on_message, use_subscription, use_websocket_context, WebSocketProvider,
    WebSocketProviderProps,
};
pub use hook::{use_websocket, use_websocket_with, UseWebSocketHandle};

/// What [`use_websocket_with`] connects to and how: the core's
/// [`ViewOptions`](wasm_websocket::view::ViewOptions), with the URL and `enabled` given again
/// by each render (a prop, state).
///
/// ```no_run
/// use std::time::Duration;
/// use wasm_websocket::{Backoff, Json};
/// use wasm_websocket_yew::UseWebSocketOptions;
///
/// #[derive(Clone, PartialEq, serde::Serialize, serde::Deserialize)]
/// struct Line { text: String }
///
/// let options = UseWebSocketOptions::typed("/chat", Json::<Line>::new())
///     .history(500)
///     .on_message(|line: &Line| web_sys::console::log_1(&line.text.as_str().into()))
///     .reconnect(|b| b.backoff(Backoff::new(Duration::from_millis(250), 2.0, Duration::from_secs(10))));
/// ```
pub type UseWebSocketOptions<C> = wasm_websocket::view::ViewOptions<C, AttrValue>;
/// A message of the history, with the sequence number that keys it.
pub use wasm_websocket::view::Received;
