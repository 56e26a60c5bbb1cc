/// A WebSocket message, received or to be sent.
///
/// Not `#[non_exhaustive]`: the protocol has text and binary messages only (RFC 6455), and
/// `Blob` is a binary message in the browser's own form, so a `match` may name every variant.
///
/// ```
/// use wasm_websocket::Message;
/// assert_eq!(Message::from("hi"), Message::Text("hi".to_owned()));
/// assert_eq!(Message::from(vec![1, 2]), Message::Binary(vec![1, 2]));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    /// A text message.
    Text(String),
    /// A binary message as bytes.
    Binary(Vec<u8>),
    /// A binary message as the browser's own `Blob`: received in
    /// [`BinaryType::RawBlob`](crate::BinaryType::RawBlob) mode, or sent without copying its bytes
    /// through wasm memory.
    Blob(web_sys::Blob),
}

impl From<String> for Message {
    fn from(text: String) -> Self {
        Message::Text(text)
    }
}

impl From<&str> for Message {
    fn from(text: &str) -> Self {
        Message::Text(text.to_owned())
    }
}

impl From<Vec<u8>> for Message {
    fn from(bytes: Vec<u8>) -> Self {
        Message::Binary(bytes)
    }
}

impl From<&[u8]> for Message {
    fn from(bytes: &[u8]) -> Self {
        Message::Binary(bytes.to_vec())
    }
}

impl From<web_sys::Blob> for Message {
    fn from(blob: web_sys::Blob) -> Self {
        Message::Blob(blob)
    }
}
