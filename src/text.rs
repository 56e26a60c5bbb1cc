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
///
/// Byte by byte, with no pattern searching (`find`, `split_once`, `replace` on strings link a
/// substring searcher, kilobytes that every app opening a socket would carry): each position cut
/// at is an ASCII byte, so every slice is on a character boundary.
pub(crate) fn redact_url(url: &str) -> String {
    // As the browser's URL parser reads it: leading controls and spaces dropped, tabs and
    // newlines anywhere.
    let url: String = url
        .chars()
        .skip_while(|c| *c <= ' ')
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let bytes = url.as_bytes();
    let part = |from: usize, to: usize| url.get(from..to).unwrap_or_default();
    let first = |from: usize, to: usize, stop: fn(u8) -> bool| {
        (from..to)
            .find(|i| bytes.get(*i).is_some_and(|b| stop(*b)))
            .unwrap_or(to)
    };
    let at_sign = |i: &usize| bytes.get(*i) == Some(&b'@');
    let end = first(0, bytes.len(), |b| b == b'#');
    let query = first(0, end, |b| b == b'?');
    let colon = first(0, query, |b| b == b':');
    let scheme_len = if colon < query && is_scheme(part(0, colon).as_bytes()) {
        colon.saturating_add(1)
    } else {
        0
    };
    fn slash(b: u8) -> bool {
        b == b'/' || b == b'\\'
    }
    let host_at = first(scheme_len, query, |b| !slash(b));
    // ws, wss, http and https have an authority after any slashes; other schemes, and URLs
    // relative to the page, only after two (`mailto:a@b` has none, and in `user:pw@host`,
    // a URL without its scheme, `user` reads as one).
    let special = [&b"ws:"[..], b"wss:", b"http:", b"https:"]
        .iter()
        .any(|s| s.eq_ignore_ascii_case(part(0, scheme_len).as_bytes()));
    let authority = special || host_at.saturating_sub(scheme_len) >= 2;
    let from = if authority { host_at } else { 0 };
    let mut out = String::with_capacity(url.len());
    if authority {
        out.push_str(part(0, host_at));
    }
    // User info ends at the last `@` before the query, even past a `/` (a password may hold
    // one); an `@` only after a `?` or `#` with no path before them may end a password that
    // holds one of those: then nothing after the scheme is shown.
    match (from..query).rev().find(at_sign) {
        Some(at) => {
            if !authority {
                out.push_str("…@");
            }
            out.push_str(part(at.saturating_add(1), query));
        }
        None if (query..bytes.len()).any(|i| at_sign(&i))
            && !(from..query).any(|i| bytes.get(i).is_some_and(|b| slash(*b))) =>
        {
            out.push('…');
            return out;
        }
        None => out.push_str(part(from, query)),
    }
    if query < end {
        out.push('?');
        let mut pair = query.saturating_add(1);
        while pair <= end {
            let pair_end = first(pair, end, |b| b == b'&');
            let key_end = first(pair, pair_end, |b| b == b'=');
            if key_end < pair_end {
                out.push_str(part(pair, key_end));
                out.push_str("=…");
            } else if pair < pair_end {
                out.push('…');
            }
            if pair_end < end {
                out.push('&');
            }
            pair = pair_end.saturating_add(1);
        }
    }
    if end < bytes.len() {
        out.push_str("#…");
    }
    out
}

/// Whether `s` is a URL scheme: an ASCII letter, then letters, digits, `+`, `-` or `.`.
pub(crate) fn is_scheme(s: &[u8]) -> bool {
    s.first().is_some_and(u8::is_ascii_alphabetic) && s.iter().all(scheme_byte)
}

fn scheme_byte(b: &u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.')
}

/// `text` (a browser's message) with every absolute URL in it, and every occurrence of
/// `given` (the URL as the caller gave it, which may be relative), passed through
/// [`redact_url`]. A URL ends at ASCII white space or a quote. Byte by byte, as `redact_url`.
pub(crate) fn redact_urls(text: &str, given: Option<&str>) -> String {
    let bytes = text.as_bytes();
    let given = given.unwrap_or_default().as_bytes();
    let at = |i: usize, what: &[u8]| {
        !what.is_empty() && bytes.get(i..).is_some_and(|rest| rest.starts_with(what))
    };
    let mut out = String::with_capacity(text.len());
    let (mut shown, mut i) = (0, 0);
    while i < bytes.len() {
        let (start, end) = if at(i, given) {
            (i, i.saturating_add(given.len()))
        } else if at(i, b"://") {
            let scheme_len = bytes
                .get(shown..i)
                .unwrap_or_default()
                .iter()
                .rev()
                .take_while(|b| scheme_byte(b))
                .count();
            let end = (i..bytes.len())
                .find(|j| {
                    bytes.get(*j).is_some_and(|b| {
                        b.is_ascii_whitespace() || matches!(b, b'\'' | b'"' | b'`' | b'<' | b'>')
                    })
                })
                .unwrap_or(bytes.len());
            (i.saturating_sub(scheme_len), end)
        } else {
            i = i.saturating_add(1);
            continue;
        };
        out.push_str(text.get(shown..start).unwrap_or_default());
        out.push_str(&redact_url(text.get(start..end).unwrap_or_default()));
        (shown, i) = (end, end.max(i.saturating_add(1)));
    }
    out.push_str(text.get(shown..).unwrap_or_default());
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
            ("mailto:someone@example.com", "…@example.com"),
            (" wss://u:pw@h/", "wss://h/"),
            ("\twss://u:pw@h/", "wss://h/"),
            ("w\ns://u:pw@h/", "ws://h/"),
            ("ws:/\n/u:pw@h/", "ws://h/"),
            ("wss://u:ab/cd@h/p", "wss://h/p"),
            ("wss://u:ab\\cd@h/", "wss://h/"),
            ("wss://u:ab?cd@h/", "wss://…"),
            ("wss://u:ab#cd@h/", "wss://…"),
            ("user:s3cret@example.com/feed", "…@example.com/feed"),
            ("wss://h/feed?user=a@b.com", "wss://h/feed?user=…"),
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
