//! End-to-end tests of the demo and the three example apps: built by trunk, served by the test
//! server on loopback, clicked through in headless Chromium and Firefox over WebDriver; then, in
//! the same browsers, the hidden-tab ticker under a real CSP (`csp.rs`).
//! Screenshots go to `target/e2e/`.

use anyhow::anyhow;
use std::path::PathBuf;
use std::time::Duration;

use serde_json::{json, Value};

use crate::browser::{Browser, Session};
use crate::{banner, root, Outcome, Result};

/// The apps, each served under `/<name>/` from its trunk `dist` folder.
pub const APPS: [(&str, &str); 4] = [
    ("demo", "www"),
    ("yew-chat", "examples/yew-chat"),
    ("leptos-chat", "examples/leptos-chat"),
    ("dioxus-chat", "examples/dioxus-chat"),
];

/// How long a page may take to do one thing.
const WAIT: Duration = Duration::from_secs(30);
/// Messages in the chat burst.
const BURST: usize = 300;

/// Steps run in order; after a failure the rest of the app's steps are not run and count as
/// failed, so nothing passes by being skipped.
pub(crate) struct Steps {
    label: String,
    passed: u64,
    failed: u64,
    broken: bool,
}

impl Steps {
    pub(crate) fn new(label: String) -> Steps {
        Steps {
            label,
            passed: 0,
            failed: 0,
            broken: false,
        }
    }

    /// The steps' counts as one line of the summary.
    pub(crate) fn outcome(&self, name: String) -> Outcome {
        Outcome {
            name,
            passed: self.passed,
            failed: self.failed,
            ok: self.failed == 0,
        }
    }

    pub(crate) fn step(&mut self, name: &str, f: impl FnOnce() -> Result<()>) {
        if self.broken {
            println!(
                "e2e {} {name} ... FAILED (an earlier step failed)",
                self.label
            );
            self.failed += 1;
            return;
        }
        match f() {
            Ok(()) => {
                println!("e2e {} {name} ... ok", self.label);
                self.passed += 1;
            }
            Err(e) => {
                println!("e2e {} {name} ... FAILED: {e}", self.label);
                self.failed += 1;
                self.broken = true;
            }
        }
    }
}

/// Runs every app's steps in `browser` against the test server on `port`.
pub fn run(browser: Browser, port: u16, driver_port: u16) -> Outcome {
    let name = format!("end-to-end in {}", browser.name());
    banner(&name);
    let mut total = Outcome {
        name,
        passed: 0,
        failed: 0,
        ok: true,
    };
    let session = match Session::start(browser, driver_port) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("e2e: {e:#}");
            total.failed = 1;
            total.ok = false;
            return total;
        }
    };
    let server = format!("127.0.0.1:{port}");
    for (app, _) in APPS {
        let mut steps = Steps::new(format!("{}/{app}", browser.name()));
        match app {
            "demo" => demo(&mut steps, &session, &server),
            chat_app => chat(&mut steps, &session, &server, chat_app),
        }
        total.passed += steps.passed;
        total.failed += steps.failed;
    }
    let mut steps = Steps::new(format!("{}/csp", browser.name()));
    crate::csp::check(&mut steps, &session, &server);
    total.passed += steps.passed;
    total.failed += steps.failed;
    total.ok = total.failed == 0;
    total
}

fn screenshot_path(app: &str, browser: Browser) -> PathBuf {
    root()
        .join("target/e2e")
        .join(format!("{app}-{}.png", browser.name()))
}

/// `s` as a URL query value.
pub(crate) fn encode(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// What the test server saw on the connections tagged `id`, once they have all closed.
fn server_stats(session: &Session, server: &str, id: &str) -> Result<Value> {
    session.get_json(&format!("http://{server}/stats?id={id}&wait=closed"))
}

fn expect_value(
    what: &str,
    got: impl std::fmt::Debug + PartialEq<Value>,
    want: Value,
) -> Result<()> {
    if got == want {
        Ok(())
    } else {
        Err(anyhow!("{what}: expected {want}, got {got:?}"))
    }
}

/// No error banner (panics, uncaught errors) and, in Chromium, no console error.
fn no_errors(session: &Session) -> Result<()> {
    let banner = session.execute(
        "const e = document.getElementById('errors'); return e && !e.hidden ? e.textContent : '';",
        vec![],
    )?;
    if banner.as_str().is_some_and(|b| !b.is_empty()) {
        return Err(anyhow!("the page reported: {banner}"));
    }
    let console = session.console_errors()?;
    if console.is_empty() {
        Ok(())
    } else {
        Err(anyhow!("console errors: {console:?}"))
    }
}

fn demo(steps: &mut Steps, s: &Session, server: &str) {
    let browser = s.browser.name();
    let id = format!("e2e-demo-{browser}");
    let state_is = |state: &str| {
        s.wait_for(
            &format!("state {state}"),
            &format!("return document.getElementById('state').textContent === '{state}';"),
            WAIT,
        )
        .map(drop)
    };
    let log_has = |class: &str, needles: &[&str]| {
        let script = format!(
            "return [...document.querySelectorAll('#log li.{class}')]
                .some(li => {}.every(n => li.textContent.includes(n)));",
            json!(needles)
        );
        s.wait_for(
            &format!("a {class} log line with {needles:?}"),
            &script,
            WAIT,
        )
        .map(drop)
    };
    let load = |ws: &str| {
        s.goto(&format!("http://{server}/demo/?url={}", encode(ws)))?;
        s.wait_for(
            "the page's wasm",
            "return document.body.hasAttribute('data-ready');",
            WAIT,
        )
        .map(drop)
    };
    steps.step("loads", || load(&format!("ws://{server}/echo?id={id}")));
    steps.step("shows the crate's URL and protocol errors inline", || {
        let url = s.execute("return document.getElementById('url').value;", vec![])?;
        let connect_error_has = |needle: &str| {
            s.wait_for(
                &format!("the inline connect error {needle:?}"),
                &format!(
                    "return document.getElementById('connect-error').textContent.includes({});",
                    json!(needle)
                ),
                WAIT,
            )
        };
        s.type_into("#url", "ftp://127.0.0.1/")?;
        s.click("#connect")?;
        connect_error_has("ftp://127.0.0.1/")?;
        s.type_into("#url", url.as_str().unwrap_or_default())?;
        s.type_into("#protocols", "chat, chat")?;
        s.click("#connect")?;
        connect_error_has("chat")?;
        expect_value("state", s.text("#state")?, json!("closed"))
    });
    steps.step("connects with a subprotocol, binary type raw Blob", || {
        s.type_into("#protocols", "chat, superchat")?;
        s.click("#binary-type option[value=raw-blob]")?;
        s.click("#connect")?;
        state_is("open")?;
        log_has("open", &["open"])?;
        expect_value("protocol", s.text("#protocol")?, json!("chat"))
    });
    steps.step("echoes text into the log", || {
        s.type_into("#text", "hello from e2e")?;
        s.click("#send-text")?;
        log_has("out", &["sent", "text \"hello from e2e\""])?;
        log_has("in", &["received", "text \"hello from e2e\""])
    });
    steps.step("shows the crate's close validation error inline", || {
        s.type_into("#close-code", "1001")?;
        s.click("#close")?;
        s.wait_for(
            "the inline close error",
            "return document.getElementById('close-error').textContent.includes('invalid close code 1001');",
            WAIT,
        )?;
        expect_value("state", s.text("#state")?, json!("open"))
    });
    steps.step("takes an image dropped on the drop zone", || {
        // A 40×30 PNG drawn on a canvas, dropped as a File the way a user's drag would.
        s.execute(
            "const canvas = document.createElement('canvas');
             canvas.width = 40; canvas.height = 30;
             const pen = canvas.getContext('2d');
             pen.fillStyle = '#2f5bd3';
             pen.fillRect(0, 0, 40, 30);
             canvas.toBlob(blob => {
                 const files = new DataTransfer();
                 files.items.add(new File([blob], 'dropped.png', { type: 'image/png' }));
                 const zone = document.getElementById('drop');
                 zone.dispatchEvent(new DragEvent('dragover', { dataTransfer: files, bubbles: true, cancelable: true }));
                 zone.dispatchEvent(new DragEvent('drop', { dataTransfer: files, bubbles: true, cancelable: true }));
             }, 'image/png');",
            vec![],
        )?;
        s.wait_for(
            "the dropped image's echo",
            "const img = document.getElementById('preview-image');
             return img.complete && img.naturalWidth === 40 && img.naturalHeight === 30;",
            WAIT,
        )
        .map(drop)
    });
    steps.step(
        "sends an image and shows the echo from the raw Blob",
        || {
            s.choose_file("#file", &root().join("xtask/fixtures/echo.png"))?;
            s.wait_for(
                "the echoed image",
                "const img = document.getElementById('preview-image');
             return !document.getElementById('preview').hidden && img.complete
                 && img.naturalWidth === 160 && img.naturalHeight === 96;",
                WAIT,
            )?;
            let src = s.execute(
                "return document.getElementById('preview-image').src;",
                vec![],
            )?;
            if !src.as_str().is_some_and(|u| u.starts_with("blob:")) {
                return Err(anyhow!(
                    "the image is not shown through an object URL: {src}"
                ));
            }
            let caption = s.text("#preview-caption")?;
            if !caption.contains("image/png") || !caption.contains("raw Blob") {
                return Err(anyhow!("caption: {caption}"));
            }
            Ok(())
        },
    );
    steps.step("runs the throttled sender to completion, every echo back", || {
        s.type_into("#throttle-count", "100")?;
        s.type_into("#throttle-size", "65536")?;
        s.click("#throttle")?;
        s.wait_for(
            "the throttled run",
            "return document.getElementById('throttle-status').textContent.startsWith('done: 100 messages');",
            Duration::from_secs(90),
        )?;
        let progress = s.execute(
            "const p = document.getElementById('throttle-progress'); return [p.value, p.max];",
            vec![],
        )?;
        expect_value("progress", progress, json!([100, 100]))?;
        // 1 text, 2 images and 100 throttled messages, all echoed.
        s.wait_for(
            "as many messages in as out",
            "const inn = document.getElementById('in').textContent;
             return inn.startsWith('103 messages') && inn === document.getElementById('out').textContent;",
            WAIT,
        )
        .map(drop)
    });
    steps.step("closes with 4001 and logs the close event", || {
        s.type_into("#close-code", "4001")?;
        s.type_into("#close-reason", "e2e done")?;
        s.click("#close")?;
        log_has("close", &["code 4001", "\"e2e done\"", ", clean"])?;
        state_is("closed")?;
        let stats = server_stats(s, server, &id)?;
        expect_value(
            "close code at the server",
            stats["close_code"].clone(),
            json!(4001),
        )?;
        expect_value(
            "reason at the server",
            stats["close_reason"].clone(),
            json!("e2e done"),
        )
    });
    steps.step("screenshot", || {
        s.screenshot(&screenshot_path("demo", s.browser))
    });
    steps.step(
        "echoes the image in the arraybuffer and blob binary types too",
        || {
            load(&format!("ws://{server}/echo"))?;
            for binary_type in ["arraybuffer", "blob"] {
                s.click(&format!("#binary-type option[value={binary_type}]"))?;
                s.click("#connect")?;
                state_is("open")?;
                s.choose_file("#file", &root().join("xtask/fixtures/echo.png"))?;
                s.wait_for(
                    &format!("the image echoed as bytes in {binary_type} mode"),
                    "return document.getElementById('preview-caption').textContent
                         === 'echoed image/png, 17538 bytes, received as bytes'
                         && document.getElementById('preview-image').naturalWidth === 160;",
                    WAIT,
                )?;
                s.click("#close")?;
                state_is("closed")?;
                // The next mode must show its own echo, not this one.
                s.execute(
                    "document.getElementById('preview-caption').textContent = '';",
                    vec![],
                )?;
            }
            Ok(())
        },
    );
    steps.step("reconnects to a server that keeps dropping it", || {
        load(&format!("ws://{server}/flaky?up_ms=400"))?;
        s.click("#reconnect")?;
        s.click("#connect")?;
        s.wait_for(
            "a third attempt",
            "return document.getElementById('attempts').textContent.startsWith('attempt 3');",
            WAIT,
        )?;
        log_has("close", &["disconnected", "code 1006"])?;
        log_has("note", &["retry", "attempt 2 in"])?;
        s.click("#close")?;
        log_has("note", &["stopped", "closed by its user"])?;
        state_is("closed")
    });
    steps.step("no errors on the page or in the console", || no_errors(s));
}

fn chat(steps: &mut Steps, s: &Session, server: &str, app: &str) {
    let browser = s.browser.name();
    let id = format!("e2e-{app}-{browser}");
    steps.step("loads and connects", || {
        let ws = format!("ws://{server}/chat?id={id}");
        s.goto(&format!("http://{server}/{app}/?url={}", encode(&ws)))?;
        s.wait_for(
            "connected",
            "const e = document.getElementById('status'); return e && e.textContent === 'connected';",
            WAIT,
        )
        .map(drop)
    });
    let line = format!("hello from {browser}");
    steps.step("sends a line and sees it relayed", || {
        s.type_into("#message", &line)?;
        s.click("#send")?;
        s.wait_for(
            "the relayed line",
            &format!(
                "return [...document.querySelectorAll('#lines .text')].some(t => t.textContent === {});",
                json!(line)
            ),
            WAIT,
        )
        .map(drop)
    });
    steps.step(
        &format!("keeps all {BURST} lines of a burst, in order"),
        || {
            // Another client floods the room as fast as the browser sends.
            s.execute(
                "const ws = new WebSocket(arguments[0]);
             ws.onopen = () => {
                 for (let i = 0; i < arguments[1]; i++)
                     ws.send(JSON.stringify({ from: 'burst', text: 'burst ' + i }));
                 ws.close();
             };",
                vec![json!(format!("ws://{server}/chat")), json!(BURST)],
            )?;
            let texts = s.wait_for(
                "the whole burst",
                &format!(
                "const t = [...document.querySelectorAll('#lines .text')].map(t => t.textContent)
                     .filter(t => t.startsWith('burst '));
                 return t.length >= {BURST} ? t : null;"
            ),
                WAIT,
            )?;
            let want: Vec<String> = (0..BURST).map(|i| format!("burst {i}")).collect();
            expect_value("the burst", texts, json!(want))
        },
    );
    steps.step("screenshot", || {
        s.screenshot(&screenshot_path(app, s.browser))
    });
    steps.step(
        "leaving unmounts the room and closes the socket with 1000",
        || {
            s.click("#leave")?;
            s.wait_for(
                "the room to go",
                "return !!document.getElementById('left') && !document.getElementById('room');",
                WAIT,
            )?;
            let stats = server_stats(s, server, &id)?;
            expect_value("live connections", stats["live_tagged"].clone(), json!(0))?;
            expect_value(
                "close code at the server",
                stats["close_code"].clone(),
                json!(1000),
            )
        },
    );
    steps.step("no errors in the console", || no_errors(s));
}

#[cfg(test)]
mod tests {
    use super::encode;

    #[test]
    fn encodes_urls_as_query_values() {
        assert_eq!(
            encode("ws://127.0.0.1:9001/chat?id=a b"),
            "ws%3A%2F%2F127.0.0.1%3A9001%2Fchat%3Fid%3Da+b"
        );
    }
}
