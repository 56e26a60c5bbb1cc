//! How a connection closes, whole: the code ([`CloseCode`]), the event that reports it
//! ([`CloseEvent`]), who ended it ([`ClosedBy`]), and the check of what a script may send,
//! done in Rust before the browser sees it.

use crate::text::{self, Arg};

/// Why a close code and reason may not be sent; [`Error`](crate::Error) has a variant for each
/// (error.rs converts), so that this module, which errors refer to, refers to no error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Unsendable {
    /// Not 1000 or 3000–4999.
    Code(u16),
    /// Over [`CloseEvent::MAX_REASON_BYTES`]: the reason's length in UTF-8 bytes.
    ReasonTooLong(usize),
}

/// Checks a code and reason as `WebSocket.close()` would, so that the browser never throws.
pub(crate) fn validate_close(code: CloseCode, reason: &str) -> Result<(), Unsendable> {
    if !code.is_sendable() {
        return Err(Unsendable::Code(code.as_u16()));
    }
    if reason.len() > CloseEvent::MAX_REASON_BYTES {
        return Err(Unsendable::ReasonTooLong(reason.len()));
    }
    Ok(())
}

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

    /// 4904: this crate's code for closing a connection whose
    /// [`Handshake`](crate::Handshake) failed or did not end in time.
    pub const HANDSHAKE_FAILED: CloseCode = CloseCode(4904);

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
        const OWN: [&str; 5] = [
            "heartbeat timeout",
            "send failed",
            "receive buffer full",
            "message too large",
            "handshake failed",
        ];
        let (table, first) = match self.0 {
            3000..=3999 => return "registered",
            4900..=4904 => (&OWN[..], 4900),
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
    /// The longest close reason a script may send, in UTF-8 bytes (RFC 6455 §5.5: a control
    /// frame's payload is at most 125 bytes, two of which carry the code).
    ///
    /// ```
    /// assert_eq!(wasm_websocket::CloseEvent::MAX_REASON_BYTES, 123);
    /// ```
    pub const MAX_REASON_BYTES: usize = 123;

    /// What a socket reports for a close it sent when it does not wait for the browser's event
    /// (the peer may never answer): the code and reason sent, not clean.
    pub(crate) fn sent(code: CloseCode, reason: &str) -> Self {
        CloseEvent {
            code,
            reason: reason.to_owned(),
            was_clean: false,
        }
    }

    pub(crate) fn from_js(ev: &web_sys::CloseEvent) -> Self {
        CloseEvent {
            code: CloseCode::from(ev.code()),
            reason: ev.reason(),
            was_clean: ev.was_clean(),
        }
    }
}

impl std::fmt::Display for CloseEvent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use Arg::{Display, Quoted, Str};
        let clean = Str(if self.was_clean {
            ", clean"
        } else {
            ", not clean"
        });
        if self.reason.is_empty() {
            text::write(f, "code {}{}", &[Display(&self.code), clean])
        } else {
            text::write(
                f,
                "code {} {}{}",
                &[Display(&self.code), Quoted(&self.reason), clean],
            )
        }
    }
}

/// Who ended a connection of a [`ReconnectingSocket`](crate::ReconnectingSocket), and so what its
/// [`CloseEvent`](crate::CloseEvent) is.
///
/// When the socket or its user ends a connection, the socket does not wait for the browser's
/// `close` event: a peer that is gone (a frozen server, a dropped NAT mapping) never answers the
/// closing handshake, and browsers give up on it only after their own timeout (20 s or more). The
/// close event reported is then made by the socket: the code and reason it sent, and
/// `was_clean: false`, unless the browser's own event had already come.
///
/// ```
/// use wasm_websocket::ClosedBy;
/// assert_ne!(ClosedBy::Peer, ClosedBy::Socket);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ClosedBy {
    /// The server or the network: the browser's own close event.
    Peer,
    /// The socket itself, with one of this crate's codes (4900–4909): no pong in time, a send it
    /// made failed, the receive limit, a message over the size limit.
    Socket,
    /// Its user: `reconnect()`, `disconnect()` or `close()`.
    User,
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
            if reason.len() <= CloseEvent::MAX_REASON_BYTES {
                prop_assert!(result.is_ok());
            } else {
                prop_assert_eq!(result, Err(Unsendable::ReasonTooLong(reason.len())));
            }
        }
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
                Err(Unsendable::Code(code))
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
                Err(Unsendable::ReasonTooLong(124))
            );
        }
    }
}

#[cfg(test)]
mod tests_2 {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test(unsupported = test)]
    fn codes_have_names_and_ranges() {
        assert_eq!(CloseCode::NO_STATUS.name(), "no status received");
        assert_eq!(CloseCode::from(3001).name(), "registered");
        assert_eq!(CloseCode::from(4999).name(), "private use");
        assert_eq!(CloseCode::from(2000).name(), "reserved");
        let edges =
            [999, 1000, 1004, 1015, 1016, 4899, 4904, 4905, 5000].map(|c| CloseCode(c).name());
        assert_eq!(
            edges,
            [
                "reserved",
                "normal closure",
                "reserved",
                "tls handshake",
                "reserved",
                "private use",
                "handshake failed",
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
            CloseCode::HANDSHAKE_FAILED,
        ];
        assert!(crate_codes
            .iter()
            .all(|c| c.is_crate_code() && c.is_sendable()));
        assert_eq!(u16::from(CloseCode::from(4321)), 4321);
    }
}
