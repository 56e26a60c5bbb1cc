//! `CloseEvent`: how a connection ended, as plain data.

use crate::text::{self, Arg};
use crate::CloseCode;

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
