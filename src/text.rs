//! `text::write`: the crate's error texts (`Error`, `GiveUpReason`, `CloseEvent`, `CloseCode`),
//! each a template of static text with `{}` where its few dynamic parts go.
//!
//! An app that shows its errors pays for every message its error type can produce, and for
//! what writing them reaches: `{:?}` of a string brings `char::escape_debug` and the Unicode
//! printable and grapheme tables, `{:?}` of a `Duration` its decimal formatting, each `write!`
//! an `Arguments` to build. Here nothing is formatted: strings are written with `write_str`,
//! numbers digit by digit.
//!
//! `text::redact_url` and `text::redact_urls`: no text the crate makes holds a secret. The
//! browser lets a page send no header with a WebSocket's handshake, so a token goes in the
//! URL's query (or, rarely, its user info); every URL in an error, a status or a `Debug` goes
//! through here first.

use std::fmt;

/// What goes in the place of a `{}`.
pub(crate) enum Arg<'a> {
    /// Written as it is.
    Str(&'a str),
    /// Between double quotes, with `"`, `\`, newlines and tabs escaped as `{:?}` escapes them.
    Quoted(&'a str),
    /// Quoted strings, as `["a", "b"]`.
    List(&'a [String]),
    /// In decimal.
    Number(u64),
    /// Another text of this crate (an event, a nested error).
    Display(&'a dyn fmt::Display),
}

/// Writes `template` with each `{}` replaced by the next of `args`. Like `write!`, ignores the
/// formatter's width and fill.
pub(crate) fn write(f: &mut fmt::Formatter<'_>, template: &str, args: &[Arg<'_>]) -> fmt::Result {
    let mut args = args.iter();
    let mut plain = 0;
    for (i, byte) in template.bytes().enumerate() {
        if byte == b'{' {
            f.write_str(template.get(plain..i).unwrap_or_default())?;
            if let Some(arg) = args.next() {
                arg.write(f)?;
            }
            // Past the `}`.
            plain = i.saturating_add(2);
        }
    }
    f.write_str(template.get(plain..).unwrap_or_default())
}

impl Arg<'_> {
    fn write(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Arg::Str(s) => f.write_str(s),
            Arg::Quoted(s) => quoted(f, s),
            Arg::List(items) => {
                f.write_str("[")?;
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    quoted(f, item)?;
                }
                f.write_str("]")
            }
            Arg::Number(n) => number(f, *n),
            Arg::Display(d) => d.fmt(f),
        }
    }
}

fn quoted(f: &mut fmt::Formatter<'_>, s: &str) -> fmt::Result {
    f.write_str("\"")?;
    let mut plain = 0;
    // Byte by byte: the escaped characters are ASCII, and no byte of a longer UTF-8 sequence
    // is.
    for (i, byte) in s.bytes().enumerate() {
        let escaped = match byte {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            _ => continue,
        };
        f.write_str(s.get(plain..i).unwrap_or_default())?;
        f.write_str(escaped)?;
        plain = i.saturating_add(1);
    }
    f.write_str(s.get(plain..).unwrap_or_default())?;
    f.write_str("\"")
}

fn number(f: &mut fmt::Formatter<'_>, n: u64) -> fmt::Result {
    if n >= 10 {
        number(f, n / 10)?;
    }
    let digit = (n % 10) as usize;
    f.write_str("0123456789".get(digit..=digit).unwrap_or_default())
}

/// `after` in whole milliseconds, saturating. Not `Duration::as_millis`, a `u128`, nor a
/// checked multiplication: both link a 128-bit multiplication.
pub(crate) fn millis(after: std::time::Duration) -> u64 {
    let whole = after.as_secs().min(u64::MAX / 1000).wrapping_mul(1000);
    whole.saturating_add(u64::from(after.subsec_millis()))
}

/// `url` as the crate's texts show it: its scheme, host, port and path, and its query's keys
/// with each value elided (`?token=…`); never its user info (`user:pass@`) nor its fragment's
/// text. Works on any string, URL or not, and never panics.
pub(crate) fn redact_url(url: &str) -> String {
    let (url, fragment) = match url.split_once('#') {
        Some((url, _)) => (url, true),
        None => (url, false),
    };
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (url, None),
    };
    let mut out = String::with_capacity(url.len());
    // Past the scheme (if any) and the slashes that start an authority, the host ends at a
    // path; a user info before it ends at its last `@`.
    let scheme_len = match base.split_once(':') {
        Some((scheme, _)) if is_scheme(scheme) => scheme.len().saturating_add(1),
        _ => 0,
    };
    let head = base.get(..scheme_len).unwrap_or_default();
    let after_scheme = base.get(scheme_len..).unwrap_or_default();
    out.push_str(head);
    let tail = after_scheme.trim_start_matches(['/', '\\']);
    let lead = after_scheme
        .get(..after_scheme.len().saturating_sub(tail.len()))
        .unwrap_or_default();
    // ws, wss, http and https have an authority after any slashes; other schemes only after
    // two (`mailto:a@b` has none).
    let special = ["ws:", "wss:", "http:", "https:"]
        .iter()
        .any(|s| head.eq_ignore_ascii_case(s));
    if !special && lead.len() < 2 {
        // Relative to the page, or opaque: no authority.
        out.push_str(after_scheme);
    } else {
        out.push_str(lead);
        let end = tail.find(['/', '\\']).unwrap_or(tail.len());
        let authority = tail.get(..end).unwrap_or_default();
        let path = tail.get(end..).unwrap_or_default();
        out.push_str(match authority.rsplit_once('@') {
            Some((_, host)) => host,
            None => authority,
        });
        out.push_str(path);
    }
    if let Some(query) = query {
        out.push('?');
        for (i, pair) in query.split('&').enumerate() {
            if i > 0 {
                out.push('&');
            }
            match pair.split_once('=') {
                Some((key, _)) => {
                    out.push_str(key);
                    out.push_str("=…");
                }
                None if pair.is_empty() => {}
                None => out.push('…'),
            }
        }
    }
    if fragment {
        out.push_str("#…");
    }
    out
}

/// Whether `s` is a URL scheme: an ASCII letter, then letters, digits, `+`, `-` or `.`.
fn is_scheme(s: &str) -> bool {
    s.bytes().next().is_some_and(|b| b.is_ascii_alphabetic())
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'))
}

/// `text` (a browser's message) with every absolute URL in it, and every occurrence of
/// `given` (the URL as the caller gave it, which may be relative), passed through
/// [`redact_url`]. A URL ends at white space or a quote.
pub(crate) fn redact_urls(text: &str, given: Option<&str>) -> String {
    let text = match given {
        Some(given) if !given.is_empty() => text.replace(given, &redact_url(given)),
        _ => text.to_owned(),
    };
    let mut out = String::with_capacity(text.len());
    let mut rest = text.as_str();
    while let Some(at) = rest.find("://") {
        let before = rest.get(..at).unwrap_or_default();
        let scheme_len = before
            .bytes()
            .rev()
            .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'))
            .count();
        let start = at.saturating_sub(scheme_len);
        let end = rest
            .get(at..)
            .unwrap_or_default()
            .find(|c: char| c.is_whitespace() || matches!(c, '\'' | '"' | '`' | '<' | '>'))
            .map_or(rest.len(), |n| at.saturating_add(n));
        out.push_str(rest.get(..start).unwrap_or_default());
        out.push_str(&redact_url(rest.get(start..end).unwrap_or_default()));
        rest = rest.get(end..).unwrap_or_default();
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    struct Text<'a>(&'a str, &'a [Arg<'a>]);

    impl fmt::Display for Text<'_> {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write(f, self.0, self.1)
        }
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn reads_as_core_formatting_would() {
        for n in [0, 7, 10, 1006, 4_294_967_296, u64::MAX] {
            assert_eq!(Text("{}", &[Arg::Number(n)]).to_string(), n.to_string());
        }
        for s in ["", "chat", "a \"b\" \\ c", "line\nnext\ttab\r", "é ü 日本"] {
            assert_eq!(Text("{}", &[Arg::Quoted(s)]).to_string(), format!("{s:?}"));
        }
        let list = ["chat".to_owned(), "v\"2".to_owned()];
        assert_eq!(
            Text("of {}", &[Arg::List(&list)]).to_string(),
            format!("of {list:?}")
        );
        assert_eq!(Text("{}", &[Arg::List(&[])]).to_string(), "[]");
        let (a, b) = ("one", 2);
        assert_eq!(
            Text("{} and {}, done", &[Arg::Str(a), Arg::Number(b)]).to_string(),
            format!("{a} and {b}, done")
        );
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn millis_reads_as_as_millis_and_saturates() {
        use std::time::Duration;
        for d in [
            Duration::ZERO,
            Duration::from_micros(1_999),
            Duration::from_millis(30_000),
            Duration::new(4_294_967_296, 999_999_999),
        ] {
            assert_eq!(u128::from(millis(d)), d.as_millis());
        }
        assert!(millis(Duration::MAX) >= u64::MAX - 1_000);
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn a_redacted_url_keeps_where_it_goes_and_no_secret() {
        let cases = [
            ("ws://h:9001/feed?token=s3cret", "ws://h:9001/feed?token=…"),
            ("wss://user:pw@h/p?a=1&b=&c", "wss://h/p?a=…&b=…&…"),
            ("ws://u@h@x/?t=1#frag", "ws://x/?t=…#…"),
            ("/feed?token=a+b&c=d", "/feed?token=…&c=…"),
            ("//user:pw@h/p", "//h/p"),
            ("ws:\\\\u:p@h\\p", "ws:\\\\h\\p"),
            ("ws://h/plain", "ws://h/plain"),
            ("", ""),
            ("é?ü=日本", "é?ü=…"),
            ("mailto:someone@example.com", "mailto:someone@example.com"),
            ("WSS:u@h/", "WSS:h/"),
        ];
        for (url, shown) in cases {
            assert_eq!(redact_url(url), shown, "{url}");
        }
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn redacted_text_has_no_url_secret_left() {
        let message = "Failed to construct 'WebSocket': The URL 'ws://u:pw@h/f?token=s3#x' is \
                       invalid; so is https://h/?k=v2.";
        let shown = redact_urls(message, Some("/f?token=s3#x"));
        assert_eq!(
            shown,
            "Failed to construct 'WebSocket': The URL 'ws://h/f?token=…#…' is invalid; so is \
             https://h/?k=…"
        );
        let given = "rel?token=s3";
        assert_eq!(
            redact_urls("bad rel?token=s3 url", Some(given)),
            "bad rel?token=… url"
        );
        assert_eq!(redact_urls("no url ://here", None), "no url ://here");
    }
}
