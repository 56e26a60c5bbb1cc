#![doc = include_str!("../README.md")]
#![deny(missing_docs, unsafe_code)]
#![warn(clippy::unwrap_used, clippy::expect_used)]

mod context;
mod hook;
mod sender;

pub use context::{provide_websocket, use_websocket_context, WebSocketProvider};
pub use hook::{use_websocket, use_websocket_with, UseWebSocket};

/// What [`use_websocket_with`] connects to and how: the core's
/// [`ViewOptions`](wasm_websocket::view::ViewOptions), with the URL and `enabled` as signals the
/// hook follows (a plain value converts).
///
/// ```no_run
/// use leptos::prelude::*;
/// use wasm_websocket::Json;
/// use wasm_websocket_leptos::UseWebSocketOptions;
///
/// #[derive(Clone, serde::Serialize, serde::Deserialize)]
/// struct Line { text: String }
///
/// let room = RwSignal::new("/chat?room=1".to_owned());
/// let options = UseWebSocketOptions::typed(room, Json::<Line>::new())
///     .history(500)
///     .on_message(|line: &Line| leptos::logging::log!("{}", line.text))
///     .reconnect(|b| b.max_retries(10));
/// ```
pub type UseWebSocketOptions<C> = wasm_websocket::view::ViewOptions<
    C,
    leptos::prelude::Signal<String>,
    leptos::prelude::Signal<bool>,
>;
pub use sender::WebSocketSender;
/// A message of the history, with the sequence number that keys it.
pub use wasm_websocket::view::Received;
