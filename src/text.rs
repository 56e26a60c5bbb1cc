//! `text::write`: the crate's error texts (`Error`, `GiveUpReason`, `CloseEvent`, `CloseCode`),
//! each a template of static text with `{}` where its few dynamic parts go.
//!
//! An app that shows its errors pays for every message its error type can produce, and for
//! what writing them reaches: `{:?}` of a string brings `char::escape_debug` and the Unicode
//! printable and grapheme tables, `{:?}` of a `Duration` its decimal formatting, each `write!`
//! an `Arguments` to build. Here nothing is formatted: strings are written with `write_str`,
//! numbers digit by digit.

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
}
