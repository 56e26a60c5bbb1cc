//! A reconnecting socket as a user interface shows it, written once for every framework:
//! the Yew, Leptos and Dioxus hooks (`wasm-websocket-yew`, `-leptos`, `-dioxus`) are adapters
//! over it that add only how their framework renders again, when a component starts and ends,
//! and its context.
//!
//! - [`ViewOptions`]: the URL, `enabled`, the codec, the history size, the callbacks, the
//!   socket builder (or an async one) and the reconnection settings, in any order.
//! - [`ViewState`]: ready state, status, the latest messages keyed by sequence ([`Received`]),
//!   the count, the last error and close; it applies each event and says what changed
//!   ([`ViewChange`]).
//! - [`SocketView`]: the state, the callbacks of the latest render and the listeners of the
//!   components that share it, and [`start`](SocketView::start), whose [`ViewRun`] guard ends
//!   the socket when dropped; it sends and connects through its [`ViewHandle`].

mod handle;
mod listeners;
mod options;
mod socket_view;
mod state;

pub use handle::{ViewHandle, ViewSubscription};
pub use listeners::ListenerId;
pub use options::{ViewCodec, ViewOptions};
pub use socket_view::{SocketView, ViewRun};
pub use state::{ViewChange, ViewState};

/// A value a socket received, with its sequence number: 0 for the first message of the stream,
/// counting every message (also those a bounded history has let go), so it is a stable, unique
/// key for rendering (a `<For>` in Leptos, `key=` in Yew). The hooks start it over at 0 when
/// their URL changes, with the history. Dereferences to the value.
///
/// ```
/// let line = wasm_websocket::view::Received { seq: 7, value: "hello".to_owned() };
/// assert_eq!((line.seq, line.len()), (7, 5));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Received<T> {
    /// Where it came in the stream: 0, 1, 2, …
    pub seq: u64,
    /// The value.
    pub value: T,
}

impl<T> std::ops::Deref for Received<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.value
    }
}
