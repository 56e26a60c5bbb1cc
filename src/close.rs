//! What a script may send when it closes a connection, checked in Rust before the browser sees
//! it.

use crate::{CloseCode, Error};

/// The longest close reason a script may send, in UTF-8 bytes (RFC 6455 §5.5: a control frame's
/// payload is at most 125 bytes, two of which carry the code).
pub const MAX_REASON_BYTES: usize = 123;

/// Checks a code and reason as `WebSocket.close()` would, so that the browser never throws.
pub(crate) fn validate_close(code: CloseCode, reason: &str) -> Result<(), Error> {
    if !code.is_sendable() {
        return Err(Error::InvalidCloseCode(code.as_u16()));
    }
    if reason.len() > MAX_REASON_BYTES {
        return Err(Error::ReasonTooLong { len: reason.len() });
    }
    Ok(())
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
