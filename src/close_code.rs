//! `CloseCode`: a close status code, with the standard ones named.

/// A WebSocket close status code (RFC 6455 §7.4).
///
/// Any `u16` can be *received* in a [`CloseEvent`](crate::CloseEvent); only 1000 and 3000–4999 may be *sent* by a
/// script, which [`CloseCode::is_sendable`] checks and
/// [`WebSocket::close_with`](crate::WebSocket::close_with) enforces before the browser sees them.
///
/// ```
/// use wasm_websocket::CloseCode;
/// assert!(CloseCode::NORMAL.is_sendable());
/// assert!(CloseCode::from(4001).is_sendable());
/// assert!(!CloseCode::GOING_AWAY.is_sendable());
/// assert_eq!(CloseCode::ABNORMAL.to_string(), "1006 (abnormal closure)");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CloseCode(u16);

impl CloseCode {
    /// 1000: the purpose of the connection has been fulfilled.
    pub const NORMAL: CloseCode = CloseCode(1000);
    /// 1001: the endpoint is going away (server shutdown, page navigation). Receive only.
    pub const GOING_AWAY: CloseCode = CloseCode(1001);
    /// 1002: protocol error. Receive only.
    pub const PROTOCOL_ERROR: CloseCode = CloseCode(1002);
    /// 1003: a data type the endpoint cannot accept. Receive only.
    pub const UNSUPPORTED_DATA: CloseCode = CloseCode(1003);
    /// 1005: the Close frame carried no status code. Reported, never sent.
    pub const NO_STATUS: CloseCode = CloseCode(1005);
    /// 1006: closed without a Close frame (connection failed or dropped). Reported, never sent.
    pub const ABNORMAL: CloseCode = CloseCode(1006);
    /// 1007: data inconsistent with the message type (bad UTF-8). Receive only.
    pub const INVALID_PAYLOAD: CloseCode = CloseCode(1007);
    /// 1008: a message violated the endpoint's policy. Receive only.
    pub const POLICY_VIOLATION: CloseCode = CloseCode(1008);
    /// 1009: a message was too big to process. Receive only.
    pub const MESSAGE_TOO_BIG: CloseCode = CloseCode(1009);
    /// 1010: the server did not negotiate a required extension. Receive only.
    pub const MANDATORY_EXTENSION: CloseCode = CloseCode(1010);
    /// 1011: the server hit an unexpected condition. Receive only.
    pub const INTERNAL_ERROR: CloseCode = CloseCode(1011);
    /// 1012: the service is restarting. Receive only.
    pub const SERVICE_RESTART: CloseCode = CloseCode(1012);
    /// 1013: try again later. Receive only.
    pub const TRY_AGAIN_LATER: CloseCode = CloseCode(1013);
    /// 1014: a gateway got an invalid response. Receive only.
    pub const BAD_GATEWAY: CloseCode = CloseCode(1014);
    /// 1015: the TLS handshake failed. Reserved; browsers report 1006 instead.
    pub const TLS_HANDSHAKE: CloseCode = CloseCode(1015);

    // This crate's own codes: one block, 4900–4909, away from 4000–4099 where applications put
    // theirs, so a server (or a `should_reconnect` policy) can tell who chose a code.

    /// 4900: this crate's code for closing a connection whose heartbeat got no pong in time
    /// (see [`Heartbeat`](crate::Heartbeat)).
    pub const HEARTBEAT_TIMEOUT: CloseCode = CloseCode(4900);

    /// 4901: this crate's code for closing a connection on which a send a
    /// [`ReconnectingSocket`](crate::ReconnectingSocket) made itself (a queued message, a ping)
    /// failed; the next connection retries it.
    pub const SEND_FAILED: CloseCode = CloseCode(4901);

    /// 4902: this crate's code for closing a socket whose receive limit
    /// ([`Builder::receive_limit`](crate::Builder::receive_limit)) was exceeded.
    pub const RECEIVE_BUFFER_FULL: CloseCode = CloseCode(4902);

    /// 4903: this crate's code for closing a socket that received a message over its
    /// [`Builder::max_message_size`](crate::Builder::max_message_size).
    pub const MESSAGE_TOO_LARGE: CloseCode = CloseCode(4903);

    /// The numeric code.
    pub const fn as_u16(self) -> u16 {
        self.0
    }

    /// Whether a script may send this code: 1000, or 3000–4999 (registered and private codes).
    pub const fn is_sendable(self) -> bool {
        matches!(self.0, 1000 | 3000..=4999)
    }

    /// Whether the code is in this crate's own block, 4900–4909 (never sent by this crate
    /// for an application's reasons; applications should not use the block).
    ///
    /// ```
    /// use wasm_websocket::CloseCode;
    /// assert!(CloseCode::HEARTBEAT_TIMEOUT.is_crate_code());
    /// assert!(!CloseCode::from(4000).is_crate_code());
    /// ```
    pub const fn is_crate_code(self) -> bool {
        matches!(self.0, 4900..=4909)
    }

    /// The standard name of a code below 3000, this crate's name for its own codes, or a range
    /// description.
    pub fn name(self) -> &'static str {
        // Tables rather than a `match` per code: one lookup in the data instead of a branch each.
        const STANDARD: [&str; 16] = [
            "normal closure",
            "going away",
            "protocol error",
            "unsupported data",
            "reserved",
            "no status received",
            "abnormal closure",
            "invalid payload data",
            "policy violation",
            "message too big",
            "mandatory extension",
            "internal error",
            "service restart",
            "try again later",
            "bad gateway",
            "tls handshake",
        ];
        const OWN: [&str; 4] = [
            "heartbeat timeout",
            "send failed",
            "receive buffer full",
            "message too large",
        ];
        let (table, first) = match self.0 {
            3000..=3999 => return "registered",
            4900..=4903 => (&OWN[..], 4900),
            4000..=4999 => return "private use",
            _ => (&STANDARD[..], 1000),
        };
        table
            .get(usize::from(self.0.wrapping_sub(first)))
            .copied()
            .unwrap_or("reserved")
    }
}

impl From<u16> for CloseCode {
    fn from(code: u16) -> Self {
        CloseCode(code)
    }
}

impl From<CloseCode> for u16 {
    fn from(code: CloseCode) -> Self {
        code.0
    }
}

impl std::fmt::Display for CloseCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use crate::text::{self, Arg};
        text::write(
            f,
            "{} ({})",
            &[Arg::Number(u64::from(self.0)), Arg::Str(self.name())],
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test(unsupported = test)]
    fn codes_have_names_and_ranges() {
        assert_eq!(CloseCode::NO_STATUS.name(), "no status received");
        assert_eq!(CloseCode::from(3001).name(), "registered");
        assert_eq!(CloseCode::from(4999).name(), "private use");
        assert_eq!(CloseCode::from(2000).name(), "reserved");
        let edges =
            [999, 1000, 1004, 1015, 1016, 4899, 4903, 4904, 5000].map(|c| CloseCode(c).name());
        assert_eq!(
            edges,
            [
                "reserved",
                "normal closure",
                "reserved",
                "tls handshake",
                "reserved",
                "private use",
                "message too large",
                "private use",
                "reserved"
            ]
        );
        assert_eq!(
            CloseCode::HEARTBEAT_TIMEOUT.to_string(),
            "4900 (heartbeat timeout)"
        );
        let crate_codes = [
            CloseCode::HEARTBEAT_TIMEOUT,
            CloseCode::SEND_FAILED,
            CloseCode::RECEIVE_BUFFER_FULL,
            CloseCode::MESSAGE_TOO_LARGE,
        ];
        assert!(crate_codes
            .iter()
            .all(|c| c.is_crate_code() && c.is_sendable()));
        assert_eq!(u16::from(CloseCode::from(4321)), 4321);
    }
}
