//! No secret in any text the crate makes: a token in a URL's query or a password in its user
//! info never shows in an error, a status, an event or a `Debug`, whether the crate or the
//! browser found the URL wrong, on the core socket and the reconnecting one, give-up included.

use futures::StreamExt;
use wasm_bindgen_test::wasm_bindgen_test;
use wasm_websocket::{Error, ReconnectingSocket, Untyped, WebSocket};

use crate::util::*;

const TOKEN: &str = "T0KEN-s3cret";
const PASSWORD: &str = "PASSW0RD";

/// URLs holding both secrets that cannot open: one the crate refuses (a fragment); the others
/// only the browser does, whose Chromium message repeats the URL: an IPv6 literal left open, a
/// password holding a `/` (read as a port), a leading space (stripped) before a port too large.
fn secret_urls() -> [String; 4] {
    [
        format!("ws://user:{PASSWORD}@127.0.0.1:9001/echo?token={TOKEN}#top"),
        format!("ws://user:{PASSWORD}@[::1/echo?token={TOKEN}"),
        format!("ws://user:ab/{PASSWORD}@127.0.0.1/echo?token={TOKEN}"),
        format!(" ws://user:{PASSWORD}@127.0.0.1:99999/echo?token={TOKEN}"),
    ]
}

#[track_caller]
fn assert_no_secret(text: &str) {
    assert!(
        !text.contains(TOKEN) && !text.contains(PASSWORD),
        "a secret shows: {text}"
    );
}

#[wasm_bindgen_test]
async fn an_invalid_url_error_shows_where_it_goes_but_no_secret() {
    browser_test!(10_000, async {
        for bad in secret_urls() {
            let error = WebSocket::open(bad.as_str()).expect_err(&bad);
            assert!(matches!(error, Error::InvalidUrl { .. }), "{bad}");
            assert_no_secret(&error.to_string());
            assert_no_secret(&format!("{error:?}"));
            assert!(error.to_string().contains("/echo?token=…"), "{error}");
        }
    });
}

#[wasm_bindgen_test]
async fn a_builder_shows_its_url_without_the_secrets() {
    browser_test!(10_000, async {
        let nobody = refused_url();
        let target = nobody.replacen("ws://", &format!("ws://user:{PASSWORD}@"), 1);
        let builder = WebSocket::builder(format!("{target}echo?token={TOKEN}"));
        let shown = format!("{builder:?}");
        assert_no_secret(&shown);
        assert!(shown.contains(&format!("{nobody}echo?token=…")), "{shown}");
        let error = builder.connect().await.expect_err("nothing listens there");
        assert_no_secret(&format!("{error} {error:?}"));
    });
}

#[wasm_bindgen_test]
async fn a_reconnecting_socket_that_gives_up_on_a_secret_url_says_why_without_it() {
    browser_test!(10_000, async {
        for bad in secret_urls() {
            let socket = ReconnectingSocket::builder(move || WebSocket::builder(bad.clone()))
                .start()
                .unwrap();
            let mut seen = format!("{socket:?}");
            let mut events = socket.events(Untyped);
            while let Some(event) = events.next().await {
                seen.push_str(&format!("\n{event:?}"));
                if let Some(status) = event.status() {
                    seen.push_str(&format!("\n{status}"));
                }
            }
            let status = events.socket().status();
            seen.push_str(&format!("\n{status} {status:?}"));
            assert!(seen.contains("InvalidUrl"), "{seen}");
            assert_no_secret(&seen);
        }
    });
}
