//! The plain data a user touches: [`Message`], [`BinaryType`] and [`ReadyState`].

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

impl Message {
    /// Its size in bytes (UTF-8 for text); a `Blob`'s bytes live in the browser, and count too.
    pub(crate) fn byte_len(&self) -> usize {
        match self {
            Message::Text(text) => text.len(),
            Message::Binary(bytes) => bytes.len(),
            Message::Blob(blob) => blob.size() as usize,
        }
    }
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

/// The state of a WebSocket connection, as the browser reports it.
///
/// Mirrors [`WebSocket.readyState`](https://developer.mozilla.org/en-US/docs/Web/API/WebSocket/readyState).
/// Not `#[non_exhaustive]`: the WHATWG standard fixes these four states, so a `match` may name
/// every one (an unknown value from a browser maps to `Closed`).
///
/// ```
/// use wasm_websocket::ReadyState;
/// assert_eq!(ReadyState::from(1), ReadyState::Open);
/// assert_eq!(ReadyState::Closing.to_string(), "closing");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReadyState {
    /// The connection is being established (`0`).
    Connecting,
    /// The connection is open; messages can be sent (`1`).
    Open,
    /// The closing handshake has started (`2`).
    Closing,
    /// The connection is closed or could not be opened (`3`).
    Closed,
}

impl From<u16> for ReadyState {
    /// Maps the DOM constant; a value the standard does not define is treated as `Closed`, since
    /// nothing can be sent on a socket in an unknown state.
    fn from(value: u16) -> Self {
        match value {
            0 => ReadyState::Connecting,
            1 => ReadyState::Open,
            2 => ReadyState::Closing,
            _ => ReadyState::Closed,
        }
    }
}

impl std::fmt::Display for ReadyState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            ReadyState::Connecting => "connecting",
            ReadyState::Open => "open",
            ReadyState::Closing => "closing",
            ReadyState::Closed => "closed",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::ReadyState;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test(unsupported = test)]
    fn maps_every_dom_value_and_unknown_ones_to_closed() {
        let all = [0, 1, 2, 3, 4, u16::MAX].map(ReadyState::from);
        use ReadyState::*;
        assert_eq!(all, [Connecting, Open, Closing, Closed, Closed, Closed]);
    }
}
