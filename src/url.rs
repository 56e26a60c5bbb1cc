//! URL and subprotocol validation, done in Rust so every browser gives the same answer.

use crate::Error;

/// Resolves `input` against the page (or worker) URL with the browser's own URL parser, then
/// applies the WebSocket rules. Returns the URL to hand to the constructor.
pub(crate) fn resolve(input: &str) -> Result<String, Error> {
    let invalid = |reason: &str| Error::InvalidUrl {
        url: input.to_owned(),
        reason: reason.to_owned(),
    };
    let parsed = match base_url() {
        Some(base) => web_sys::Url::new_with_base(input, &base),
        None => web_sys::Url::new(input),
    }
    .map_err(|_| invalid("not a valid url"))?;
    if !valid_host(&parsed.hostname()) {
        return Err(invalid("the host has a character urls forbid"));
    }
    websocket_url(&parsed.href()).map_err(invalid)
}

/// `document.baseURI` in a page, `location.href` in a worker.
fn base_url() -> Option<String> {
    let global = js_sys::global();
    let get = |obj: &wasm_bindgen::JsValue, key: &str| {
        js_sys::Reflect::get(obj, &key.into())
            .ok()
            .filter(|v| !v.is_undefined() && !v.is_null())
    };
    get(&global, "document")
        .and_then(|doc| get(&doc, "baseURI"))
        .or_else(|| get(&global, "location").and_then(|loc| get(&loc, "href")))
        .and_then(|v| v.as_string())
}

/// The WHATWG WebSocket rules on an already parsed, serialized absolute URL: `http` becomes `ws`,
/// `https` becomes `wss`, other schemes are refused, and so is any fragment (an empty `#` too:
/// the serialization keeps the `#` of an empty fragment).
pub(crate) fn websocket_url(href: &str) -> Result<String, &'static str> {
    let (scheme, rest) = href.split_once(':').ok_or("not a valid url")?;
    let scheme = match scheme.to_ascii_lowercase().as_str() {
        "ws" | "http" => "ws:",
        "wss" | "https" => "wss:",
        _ => return Err("the scheme must be ws, wss, http or https"),
    };
    if rest.as_bytes().contains(&b'#') {
        return Err("a websocket url cannot have a fragment");
    }
    Ok(scheme.to_owned() + rest)
}

/// Whether a parsed host is one the WHATWG URL standard accepts. Chromium's parser lets
/// `ws://foo bar.com/` through as `foo%20bar.com`, where the standard (and Firefox) refuse any
/// forbidden domain code point; `%` is one of them, so such a host is caught here either way.
/// IPv6 literals (`[::1]`) were checked by the parser itself.
pub(crate) fn valid_host(host: &str) -> bool {
    let forbidden = |b: &u8| {
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
    host.starts_with('[') || (!host.is_empty() && !host.as_bytes().iter().any(forbidden))
}

/// Subprotocols must be non-empty HTTP tokens (RFC 7230 §3.2.6), none repeated.
///
/// Repeats are compared ignoring ASCII case, as the web-platform tests expect
/// (`Create-protocols-repeated-case-insensitive`), although Chromium and Firefox accept
/// `["echo", "eCho"]`: sending both would only confuse the server.
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

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test(unsupported = test)]
    fn maps_http_schemes_and_refuses_others() {
        assert_eq!(websocket_url("ws://a/echo"), Ok("ws://a/echo".into()));
        assert_eq!(websocket_url("http://a:1/x?q"), Ok("ws://a:1/x?q".into()));
        assert_eq!(websocket_url("https://a/"), Ok("wss://a/".into()));
        assert_eq!(websocket_url("wss://a/"), Ok("wss://a/".into()));
        // Schemes are case-insensitive, and "ws" stays plain (the property test once mistook
        // every scheme ending in "s" for a secure one).
        assert_eq!(websocket_url("wS://a/"), Ok("ws://a/".into()));
        for bad in [
            "ftp://a/",
            "mailto:x@y",
            "about:blank",
            "file:///x",
            "nocolon",
        ] {
            assert!(websocket_url(bad).is_err(), "{bad}");
        }
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn hosts_with_forbidden_domain_code_points_are_refused() {
        for ok in [
            "127.0.0.1",
            "example.com",
            "xn--nxasmq6b.example",
            "[::1]",
            "a-b_c",
        ] {
            assert!(valid_host(ok), "{ok}");
        }
        for bad in [
            "",
            "foo%20bar.com",
            "foo bar.com",
            "a<b",
            "a^b",
            "a|b",
            "a\u{7f}b",
        ] {
            assert!(!valid_host(bad), "{bad}");
        }
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn refuses_fragments_even_empty_ones() {
        assert!(websocket_url("ws://a/echo#x").is_err());
        assert!(websocket_url("ws://a/echo#").is_err());
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

#[cfg(all(test, not(target_arch = "wasm32")))]
mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Only the four schemes pass, mapped to ws/wss, never with a fragment.
        #[test]
        fn scheme_and_fragment_rules_hold(scheme in "[a-zA-Z][a-zA-Z0-9+.-]{0,8}", rest in "//[a-z0-9.]{1,12}(:[0-9]{1,5})?(/[ -~]{0,20})?") {
            let href = format!("{scheme}:{rest}");
            let result = websocket_url(&href);
            let lower = scheme.to_ascii_lowercase();
            let allowed = ["ws", "wss", "http", "https"].contains(&lower.as_str());
            if !allowed || rest.contains('#') {
                prop_assert!(result.is_err());
            } else {
                let url = result.unwrap_or_default();
                prop_assert!(url.starts_with("ws:") || url.starts_with("wss:"));
                prop_assert!(url.ends_with(&rest));
                // Secure: wss and https (not ws, which also ends in "s").
                prop_assert_eq!(url.starts_with("wss:"), lower == "wss" || lower == "https");
            }
        }

        /// A protocol list passes exactly when every entry is a non-empty token and no two are
        /// equal ignoring ASCII case.
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
