use crate::Error;

/// The longest close reason a script may send, in UTF-8 bytes (RFC 6455 §5.5: a control frame's
/// payload is at most 125 bytes, two of which carry the code).
pub const MAX_REASON_BYTES: usize = 123;

/// A WebSocket close status code (RFC 6455 §7.4).
///
/// Any `u16` can be *received* in a [`CloseEvent`]; only 1000 and 3000–4999 may be *sent* by a
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

    /// 4008: this crate's code for closing a socket whose receive limit
    /// ([`Builder::receive_limit`](crate::Builder::receive_limit)) was exceeded.
    pub const RECEIVE_BUFFER_FULL: CloseCode = CloseCode(4008);

    /// 4009: this crate's code for closing a socket that received a message over its
    /// [`Builder::max_message_size`](crate::Builder::max_message_size).
    pub const MESSAGE_TOO_LARGE: CloseCode = CloseCode(4009);

    /// 4000: this crate's code for closing a connection whose heartbeat got no pong in time
    /// (see [`Heartbeat`](crate::Heartbeat)).
    pub const HEARTBEAT_TIMEOUT: CloseCode = CloseCode(4000);

    /// The numeric code.
    pub const fn as_u16(self) -> u16 {
        self.0
    }

    /// Whether a script may send this code: 1000, or 3000–4999 (registered and private codes).
    pub const fn is_sendable(self) -> bool {
        matches!(self.0, 1000 | 3000..=4999)
    }

    /// The standard name of a code below 3000, or a range description above.
    pub fn name(self) -> &'static str {
        match self.0 {
            1000 => "normal closure",
            1001 => "going away",
            1002 => "protocol error",
            1003 => "unsupported data",
            1005 => "no status received",
            1006 => "abnormal closure",
            1007 => "invalid payload data",
            1008 => "policy violation",
            1009 => "message too big",
            1010 => "mandatory extension",
            1011 => "internal error",
            1012 => "service restart",
            1013 => "try again later",
            1014 => "bad gateway",
            1015 => "tls handshake",
            3000..=3999 => "registered",
            4000..=4999 => "private use",
            _ => "reserved",
        }
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
        write!(f, "{} ({})", self.0, self.name())
    }
}

/// Checks a code and reason as `WebSocket.close()` would, so that the browser never throws.
pub(crate) fn validate_close(code: CloseCode, reason: &str) -> Result<(), Error> {
    if !code.is_sendable() {
        return Err(Error::InvalidCloseCode(code.0));
    }
    if reason.len() > MAX_REASON_BYTES {
        return Err(Error::ReasonTooLong { len: reason.len() });
    }
    Ok(())
}

/// How a connection ended: the browser's
/// [`CloseEvent`](https://developer.mozilla.org/en-US/docs/Web/API/CloseEvent) as plain data.
///
/// ```
/// use wasm_websocket::{CloseCode, CloseEvent};
/// let ev = CloseEvent { code: CloseCode::NORMAL, reason: String::new(), was_clean: true };
/// assert_eq!(ev.to_string(), "code 1000 (normal closure), clean");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CloseEvent {
    /// The status code; 1005 when the peer's Close frame had none, 1006 when no Close frame came.
    pub code: CloseCode,
    /// The reason the peer gave (may be empty).
    pub reason: String,
    /// Whether the closing handshake completed.
    pub was_clean: bool,
}

impl CloseEvent {
    pub(crate) fn from_js(ev: &web_sys::CloseEvent) -> Self {
        CloseEvent {
            code: CloseCode(ev.code()),
            reason: ev.reason(),
            was_clean: ev.was_clean(),
        }
    }
}

impl std::fmt::Display for CloseEvent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "code {}", self.code)?;
        if !self.reason.is_empty() {
            write!(f, " {:?}", self.reason)?;
        }
        f.write_str(if self.was_clean {
            ", clean"
        } else {
            ", not clean"
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test(unsupported = test)]
    fn only_1000_and_3000_to_4999_are_sendable() {
        for code in [1000, 3000, 3999, 4000, 4999] {
            assert!(validate_close(CloseCode::from(code), "").is_ok(), "{code}");
        }
        for code in [0, 999, 1001, 1005, 1006, 1015, 2999, 5000, 65535] {
            assert_eq!(
                validate_close(CloseCode::from(code), ""),
                Err(Error::InvalidCloseCode(code))
            );
        }
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn reasons_are_limited_to_123_utf8_bytes() {
        for ok in ["x".repeat(123), "€".repeat(41), "é".repeat(61) + "x"] {
            assert_eq!(ok.len(), 123);
            assert!(validate_close(CloseCode::NORMAL, &ok).is_ok());
        }
        for long in ["x".repeat(124), "é".repeat(62)] {
            assert_eq!(
                validate_close(CloseCode::NORMAL, &long),
                Err(Error::ReasonTooLong { len: 124 })
            );
        }
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn codes_have_names_and_ranges() {
        assert_eq!(CloseCode::NO_STATUS.name(), "no status received");
        assert_eq!(CloseCode::from(3001).name(), "registered");
        assert_eq!(CloseCode::from(4999).name(), "private use");
        assert_eq!(CloseCode::from(2000).name(), "reserved");
        assert_eq!(u16::from(CloseCode::from(4321)), 4321);
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn any_code_is_sendable_exactly_when_1000_or_3000_to_4999(code in any::<u16>()) {
            let ok = validate_close(CloseCode::from(code), "").is_ok();
            prop_assert_eq!(ok, code == 1000 || (3000..=4999).contains(&code));
        }

        /// The limit is on UTF-8 bytes, whatever mix of 1- to 4-byte characters makes them up.
        #[test]
        fn reasons_pass_exactly_up_to_123_utf8_bytes(reason in "[a-zé€😀]{0,80}") {
            let result = validate_close(CloseCode::NORMAL, &reason);
            if reason.len() <= MAX_REASON_BYTES {
                prop_assert!(result.is_ok());
            } else {
                prop_assert_eq!(result, Err(Error::ReasonTooLong { len: reason.len() }));
            }
        }
    }
}
