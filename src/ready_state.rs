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
