//! What a view of a socket shows, for the framework hooks and apps that render a socket's
//! messages: [`Received`], a message with the sequence number that keys it.

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
