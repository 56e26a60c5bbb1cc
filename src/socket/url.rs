//! URL and subprotocol validation, done in Rust where browsers disagree, so that every browser
//! gives the same answer.
//!
//! The browser's own constructor resolves relative URLs against the page (or the worker), maps
//! http to ws, and refuses unparsable URLs, other schemes and fragments with a `SyntaxError`
//! (mapped to [`Error::InvalidUrl`]): Chromium and Firefox agree on all of that. They disagree on
//! forbidden characters in the host (Chromium opens `ws://foo bar.com/`, Firefox throws) and on
//! protocols that repeat with another case, so those two are checked here; the scheme and the
//! fragment are checked here too, because the check is a few string comparisons and the error then
//! says what is wrong in the same words in every browser. No URL parser is linked for this.

//!
//! Subprotocols: what asking for them adds to a socket, as functions a builder is given by
//! [`Builder::protocols`](crate::Builder::protocols). An app that never asks for one links
//! neither the check, nor the constructor's array, nor the negotiation check at open.

use crate::error::Error;

/// Checks `input` before it goes to the constructor.
pub(crate) fn check_url(input: &str) -> Result<(), Error> {
    check(input).map_err(|reason| Error::InvalidUrl {
        url: crate::text::redact_url(input),
        reason: reason.to_owned(),
    })
}

fn check(input: &str) -> Result<(), &'static str> {
    // Byte by byte, with no pattern searching: this runs in every app that opens a socket.
    let url = input.as_bytes();
    // Not `contains`: on bytes that calls memchr, 300 bytes of code no other path here needs.
    #[allow(clippy::manual_contains)]
    if url.iter().any(|b| *b == b'#') {
        return Err("a websocket url cannot have a fragment");
    }
    // The URL parser strips leading C0 controls and spaces.
    let start = url.iter().position(|b| *b > b' ').unwrap_or(url.len());
    let url = url.get(start..).unwrap_or_default();
    let slash = |b: &u8| matches!(b, b'/' | b'\\');
    let rest = match scheme_end(url) {
        Some(colon) => {
            let scheme = url.get(..colon).unwrap_or_default();
            if ![&b"ws"[..], b"wss", b"http", b"https"]
                .iter()
                .any(|s| s.eq_ignore_ascii_case(scheme))
            {
                return Err("the scheme must be ws, wss, http or https");
            }
            url.get(colon + 1..).unwrap_or_default()
        }
        // Scheme-relative (`//host/path`): the page's scheme, a host of its own.
        None if url.len() >= 2 && url.iter().take(2).all(slash) => url,
        // Relative: the page's scheme and host, which the browser already accepted.
        None => return Ok(()),
    };
    // Special schemes ignore any number of slashes (and backslashes) before the host; the host
    // ends at a path or a query, follows the last `@` (user info), and (outside an IPv6 literal)
    // ends at a `:` (the port).
    let from = rest.iter().position(|b| !slash(b)).unwrap_or(rest.len());
    let authority = rest.get(from..).unwrap_or_default();
    let end = authority
        .iter()
        .position(|b| matches!(b, b'/' | b'\\' | b'?'))
        .unwrap_or(authority.len());
    let authority = authority.get(..end).unwrap_or_default();
    let host = match authority.iter().rposition(|b| *b == b'@') {
        Some(at) => authority.get(at + 1..).unwrap_or_default(),
        None => authority,
    };
    let host = match host.iter().position(|b| *b == b':') {
        Some(port) if host.first() != Some(&b'[') => host.get(..port).unwrap_or_default(),
        _ => host,
    };
    if valid_host(host) {
        Ok(())
    } else {
        Err("the host has a character urls forbid")
    }
}

/// Where a URL's scheme (an ASCII letter, then letters, digits, `+`, `-` or `.`) ends at a `:`.
fn scheme_end(url: &[u8]) -> Option<usize> {
    let colon = url.iter().position(|b| *b == b':')?;
    crate::text::is_scheme(url.get(..colon)?).then_some(colon)
}

/// Whether `host` (no port) is an IPv6 literal, which the browser checks, or free of the URL
/// standard's forbidden domain code points, after percent-decoding as the URL parser does.
pub(crate) fn valid_host(host: &[u8]) -> bool {
    let forbidden = |b: u8| {
        b.is_ascii_control()
            || matches!(
                b,
                b' ' | b'#'
                    | b'%'
                    | b'/'
                    | b':'
                    | b'<'
                    | b'>'
                    | b'?'
                    | b'@'
                    | b'['
                    | b'\\'
                    | b']'
                    | b'^'
                    | b'|'
            )
    };
    if host.first() == Some(&b'[') {
        return true;
    }
    let mut bytes = host.iter().copied();
    let mut empty = true;
    while let Some(b) = bytes.next() {
        empty = false;
        let decoded = match b {
            b'%' => {
                let hex = |d: Option<u8>| d.and_then(|d| char::from(d).to_digit(16));
                let mut ahead = bytes.clone();
                match (hex(ahead.next()), hex(ahead.next())) {
                    (Some(high), Some(low)) => {
                        bytes = ahead;
                        u8::try_from(high * 16 + low).unwrap_or(b'%')
                    }
                    _ => b'%',
                }
            }
            other => other,
        };
        if forbidden(decoded) {
            return false;
        }
    }
    !empty
}

pub(crate) fn validate_protocols(protocols: &[String]) -> Result<(), Error> {
    let is_tchar = |b: &u8| {
        b.is_ascii_alphanumeric()
            || matches!(
                b,
                b'!' | b'#'
                    | b'$'
                    | b'%'
                    | b'&'
                    | b'\''
                    | b'*'
                    | b'+'
                    | b'-'
                    | b'.'
                    | b'^'
                    | b'_'
                    | b'`'
                    | b'|'
                    | b'~'
            )
    };
    for (i, protocol) in protocols.iter().enumerate() {
        let repeated = protocols[..i]
            .iter()
            .any(|p| p.eq_ignore_ascii_case(protocol));
        if protocol.is_empty() || !protocol.as_bytes().iter().all(is_tchar) || repeated {
            return Err(Error::InvalidProtocol {
                protocol: protocol.clone(),
            });
        }
    }
    Ok(())
}

pub(crate) struct Subprotocols {
    /// The requested protocols, checked, as the JS array the constructor takes.
    pub(crate) array: fn(&[String]) -> Result<js_sys::Array, Error>,
    /// At open: the error to fail with if the server selected none of the requested protocols.
    pub(crate) refusal: fn(&web_sys::WebSocket, &[String]) -> Option<Error>,
}

impl std::fmt::Debug for Subprotocols {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Subprotocols")
    }
}

pub(crate) static SUBPROTOCOLS: Subprotocols = Subprotocols {
    array: |protocols| {
        validate_protocols(protocols)?;
        Ok(protocols
            .iter()
            .map(|p| wasm_bindgen::JsValue::from_str(p))
            .collect())
    },
    // Firefox opens even when the server picked none of the requested protocols, where
    // Chromium fails the connection: refused here so both end the same way.
    refusal: |socket, requested| {
        if requested.is_empty() {
            return None;
        }
        let selected = socket.protocol();
        (!requested.contains(&selected)).then(|| Error::ProtocolNotNegotiated {
            requested: requested.to_vec(),
            selected,
        })
    },
};

#[cfg(all(test, not(target_arch = "wasm32")))]
mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Only the four schemes pass, mapped to ws/wss, never with a fragment.
        #[test]
        fn scheme_and_fragment_rules_hold(scheme in "[a-zA-Z][a-zA-Z0-9+.-]{0,8}", rest in "//[a-z0-9.]{1,12}(:[0-9]{1,5})?(/[ -~]{0,20})?") {
            let url = format!("{scheme}:{rest}");
            let lower = scheme.to_ascii_lowercase();
            let allowed = ["ws", "wss", "http", "https"].contains(&lower.as_str());
            prop_assert_eq!(check(&url).is_ok(), allowed && !rest.contains('#'));
        }

        #[test]
        fn protocol_rules_hold(protocols in proptest::collection::vec("[ -~\u{80}-\u{10ffff}]{0,6}", 0..5)) {
            let is_token = |p: &String| {
                !p.is_empty() && p.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
            };
            let distinct = protocols.iter().enumerate().all(|(i, p)| {
                protocols[..i].iter().all(|q| !q.eq_ignore_ascii_case(p))
            });
            let expected = protocols.iter().all(is_token) && distinct;
            prop_assert_eq!(validate_protocols(&protocols).is_ok(), expected);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test(unsupported = test)]
    fn takes_ws_and_http_schemes_in_any_case_and_refuses_others() {
        for ok in [
            "ws://a/echo",
            "http://a:1/x?q",
            "https://a/",
            "wss://a/",
            "wS://a/",
            "HTTPS://a/",
            "  ws://a/  ",
            "/relative/echo",
            "echo",
            "/",
            "//a/echo",
        ] {
            assert_eq!(check(ok), Ok(()), "{ok}");
        }
        for bad in [
            "ftp://a/",
            "mailto:x@y",
            "about:blank",
            "file:///x",
            "localhost:9001/echo",
        ] {
            assert!(check(bad).is_err(), "{bad}");
        }
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn finds_the_host_behind_slashes_user_info_and_port() {
        for ok in [
            "ws:///a/echo",
            "ws://user:pass@a:9/x",
            "ws://[::1]:9001/",
            "ws://a?q=a b",
        ] {
            assert_eq!(check(ok), Ok(()), "{ok}");
        }
        for bad in [
            "ws://foo bar.com/",
            "ws://u@foo%20bar.com/",
            "ws://a|b:1/",
            "ws:\\\\a<b\\x",
            "ws://",
            "//foo bar.com/x",
            "\\\\a|b/x",
        ] {
            assert!(check(bad).is_err(), "{bad}");
        }
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn hosts_with_forbidden_domain_code_points_are_refused() {
        for ok in [
            "127.0.0.1",
            "example.com",
            "xn--nxasmq6b.example",
            "%61.com",
            "[::1]",
            "a-b_c",
        ] {
            assert!(valid_host(ok.as_bytes()), "{ok}");
        }
        for bad in [
            "",
            "foo%20bar.com",
            "foo%2",
            "%25",
            "foo bar.com",
            "a<b",
            "a^b",
            "a|b",
            "a\u{7f}b",
        ] {
            assert!(!valid_host(bad.as_bytes()), "{bad}");
        }
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn refuses_fragments_even_empty_ones() {
        for bad in ["ws://a/echo#x", "ws://a/echo#", "/echo#"] {
            assert!(check(bad).is_err(), "{bad}");
        }
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn protocols_must_be_distinct_tokens() {
        let ok =
            |ps: &[&str]| validate_protocols(&ps.iter().map(|p| p.to_string()).collect::<Vec<_>>());
        assert!(ok(&[]).is_ok());
        assert!(ok(&["chat", "v2.json", "a!#$%&'*+-.^_`|~z"]).is_ok());
        for bad in [
            &["" as &str][..],
            &["a b"],
            &["a,b"],
            &["\u{80}echo"],
            &["x", "x"],
            &["echo", "eCho"],
            &["a/b"],
        ] {
            assert!(
                matches!(ok(bad), Err(Error::InvalidProtocol { .. })),
                "{bad:?}"
            );
        }
    }
}
