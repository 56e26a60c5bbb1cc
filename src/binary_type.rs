/// How binary messages are received.
///
/// The browser delivers binary data as an `ArrayBuffer` or a `Blob` depending on
/// [`binaryType`](https://developer.mozilla.org/en-US/docs/Web/API/WebSocket/binaryType) at the
/// moment each message is dispatched. Whatever the mode, messages come out of the stream in wire
/// order: a text that arrives while an earlier Blob is still being read waits for it.
///
/// ```
/// use wasm_websocket::BinaryType;
/// assert_eq!(BinaryType::default(), BinaryType::ArrayBuffer);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum BinaryType {
    /// `binaryType = "arraybuffer"`: bytes are copied once into a `Vec<u8>` when the message
    /// event fires. The fastest mode.
    #[default]
    ArrayBuffer,
    /// `binaryType = "blob"`, read back into a `Vec<u8>` (`Blob.arrayBuffer()`, then one copy).
    /// Costs an asynchronous read per message.
    Blob,
    /// `binaryType = "blob"`, delivered as [`Message::Blob`](crate::Message::Blob) with no copy:
    /// for data that goes straight back to the DOM (an image, a download).
    RawBlob,
}

impl BinaryType {
    pub(crate) fn to_js(self) -> web_sys::BinaryType {
        match self {
            BinaryType::ArrayBuffer => web_sys::BinaryType::Arraybuffer,
            BinaryType::Blob | BinaryType::RawBlob => web_sys::BinaryType::Blob,
        }
    }
}
