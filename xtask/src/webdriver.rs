//! A small W3C WebDriver client: enough to drive the example apps in headless Chromium
//! (chromedriver) and Firefox (geckodriver) over loopback.

use anyhow::anyhow;
use std::cell::Cell;
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::time::{Duration, Instant};

use base64::Engine;
use serde_json::{json, Value};

use crate::{root, Result};

/// The key W3C WebDriver uses for element references.
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Browser {
    Chromium,
    Firefox,
}

impl Browser {
    pub fn name(self) -> &'static str {
        match self {
            Browser::Chromium => "chromium",
            Browser::Firefox => "firefox",
        }
    }

    fn capabilities(self) -> Result<Value> {
        Ok(match self {
            Browser::Chromium => {
                // The same flags as the browser suite: root needs --no-sandbox, the closed
                // network needs the background-networking ones.
                let text = std::fs::read_to_string(root().join("webdriver.json"))
                    .map_err(|e| anyhow!("cannot read webdriver.json: {e}"))?;
                let config: Value = serde_json::from_str(&text)
                    .map_err(|e| anyhow!("webdriver.json is not JSON: {e}"))?;
                let mut options = config["goog:chromeOptions"].clone();
                options["binary"] = json!("/usr/bin/chromium");
                json!({
                    "browserName": "chrome",
                    "goog:chromeOptions": options,
                    "goog:loggingPrefs": { "browser": "ALL" },
                })
            }
            // Firefox prints the pages' console on its stdout with this pref; geckodriver passes
            // it on to its own output, which `Driver` keeps in a file.
            Browser::Firefox => json!({
                "browserName": "firefox",
                "moz:firefoxOptions": {
                    "args": ["-headless"],
                    "prefs": { "devtools.console.stdout.content": true },
                },
            }),
        })
    }
}

/// A chromedriver or geckodriver process, stopped by the PID this process started.
pub struct Driver {
    child: Child,
    base: String,
    browser: Browser,
    /// Where the driver's output goes (for Firefox, the pages' console too).
    log: PathBuf,
}

impl Driver {
    pub fn start(browser: Browser, port: u16) -> Result<Driver> {
        let mut command = match browser {
            Browser::Chromium => {
                let mut c = Command::new("chromedriver");
                c.arg(format!("--port={port}"));
                c
            }
            Browser::Firefox => {
                let mut c = Command::new("geckodriver");
                c.args(["--host", "127.0.0.1", "--port", &port.to_string()]);
                c
            }
        };
        let log = root()
            .join("target/e2e")
            .join(format!("{}-driver.log", browser.name()));
        let output = std::fs::create_dir_all(root().join("target/e2e"))
            .and_then(|()| std::fs::File::create(&log))
            .and_then(|file| Ok((file.try_clone()?, file)))
            .map_err(|e| anyhow!("{}: {e}", log.display()))?;
        let child = command
            .stdout(output.0)
            .stderr(output.1)
            .spawn()
            .map_err(|e| anyhow!("cannot start the {} driver: {e}", browser.name()))?;
        let mut driver = Driver {
            child,
            base: format!("http://127.0.0.1:{port}"),
            browser,
            log,
        };
        let deadline = Instant::now() + Duration::from_secs(15);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            if let Ok(Some(status)) = driver.child.try_wait() {
                return Err(anyhow!("the {} driver exited: {status}", browser.name()));
            }
            if Instant::now() > deadline {
                return Err(anyhow!(
                    "the {} driver did not listen within 15 s",
                    browser.name()
                ));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        Ok(driver)
    }

    /// A new browser session with a window that shows the whole demo page.
    pub fn session(&self) -> Result<Session> {
        let body = json!({ "capabilities": { "alwaysMatch": self.browser.capabilities()? } });
        let reply = request("POST", &format!("{}/session", self.base), Some(body))?;
        let id = reply["sessionId"]
            .as_str()
            .ok_or_else(|| anyhow!("no session id in {reply}"))?;
        let session = Session {
            base: format!("{}/session/{id}", self.base),
            browser: self.browser,
            log: self.log.clone(),
            log_read: Cell::new(0),
        };
        session.command(
            "POST",
            "/window/rect",
            json!({ "width": 1280, "height": 1280 }),
        )?;
        Ok(session)
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One browser session; closed when dropped.
pub struct Session {
    base: String,
    pub browser: Browser,
    log: PathBuf,
    /// How much of `log` earlier calls of `console_errors` have read.
    log_read: Cell<usize>,
}

impl Session {
    fn command(&self, method: &str, path: &str, body: Value) -> Result<Value> {
        let body = (method == "POST").then_some(body);
        request(method, &format!("{}{path}", self.base), body)
    }

    pub fn goto(&self, url: &str) -> Result<()> {
        self.command("POST", "/url", json!({ "url": url }))
            .map(drop)
    }

    fn find(&self, css: &str) -> Result<String> {
        let found = self.command(
            "POST",
            "/element",
            json!({ "using": "css selector", "value": css }),
        )?;
        found[ELEMENT]
            .as_str()
            .map(str::to_owned)
            .ok_or_else(|| anyhow!("no element {css}: {found}"))
    }

    pub fn click(&self, css: &str) -> Result<()> {
        let id = self.find(css)?;
        self.command("POST", &format!("/element/{id}/click"), json!({}))
            .map(drop)
            .map_err(|e| anyhow!("clicking {css}: {e}"))
    }

    /// Clears a text field and types `text` into it.
    pub fn type_into(&self, css: &str, text: &str) -> Result<()> {
        let id = self.find(css)?;
        self.command("POST", &format!("/element/{id}/clear"), json!({}))?;
        self.send_keys(&id, text)
            .map_err(|e| anyhow!("typing into {css}: {e}"))
    }

    /// Chooses the file at `path` in a file input, as a user would in the picker.
    pub fn choose_file(&self, css: &str, path: &Path) -> Result<()> {
        let id = self.find(css)?;
        self.send_keys(&id, &path.display().to_string())
            .map_err(|e| anyhow!("choosing {} in {css}: {e}", path.display()))
    }

    fn send_keys(&self, element: &str, text: &str) -> Result<()> {
        self.command(
            "POST",
            &format!("/element/{element}/value"),
            json!({ "text": text }),
        )
        .map(drop)
    }

    /// Runs `script` (a function body; `arguments` holds `args`) in the page.
    pub fn execute(&self, script: &str, args: Value) -> Result<Value> {
        self.command(
            "POST",
            "/execute/sync",
            json!({ "script": script, "args": args }),
        )
    }

    /// Runs `script` until it returns something truthy, and returns that; fails after
    /// `timeout`, saying what it waited for and the last value seen.
    pub fn wait_for(&self, what: &str, script: &str, timeout: Duration) -> Result<Value> {
        let deadline = Instant::now() + timeout;
        loop {
            let value = self.execute(script, json!([]))?;
            let truthy = match &value {
                Value::Null => false,
                Value::Bool(b) => *b,
                Value::String(s) => !s.is_empty(),
                Value::Number(n) => n.as_f64() != Some(0.0),
                _ => true,
            };
            if truthy {
                return Ok(value);
            }
            if Instant::now() > deadline {
                return Err(anyhow!("timed out after {timeout:?} waiting for {what}"));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The text of the first element matching `css` (empty if none).
    pub fn text(&self, css: &str) -> Result<String> {
        let value = self.execute(
            "const e = document.querySelector(arguments[0]); return e ? e.textContent : '';",
            json!([css]),
        )?;
        Ok(value.as_str().unwrap_or_default().to_owned())
    }

    /// A PNG of the viewport, scrolled to the top of the page.
    pub fn screenshot(&self, path: &Path) -> Result<()> {
        self.execute("window.scrollTo(0, 0);", json!([]))?;
        let value = self.command("GET", "/screenshot", Value::Null)?;
        let png = base64::engine::general_purpose::STANDARD
            .decode(value.as_str().unwrap_or_default())
            .map_err(|e| anyhow!("the screenshot is not base64: {e}"))?;
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| anyhow!("{}: {e}", dir.display()))?;
        }
        std::fs::write(path, png).map_err(|e| anyhow!("{}: {e}", path.display()))
    }

    /// The console errors and uncaught exceptions of the pages since the last call: Chromium's
    /// browser log at level SEVERE, Firefox's console as it printed it.
    pub fn console_errors(&self) -> Result<Vec<String>> {
        match self.browser {
            Browser::Chromium => {
                let entries = self.command("POST", "/se/log", json!({ "type": "browser" }))?;
                Ok(entries
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter(|e| e["level"] == "SEVERE")
                    .map(|e| e["message"].as_str().unwrap_or_default().to_owned())
                    .collect())
            }
            Browser::Firefox => {
                let log =
                    std::fs::read(&self.log).map_err(|e| anyhow!("{}: {e}", self.log.display()))?;
                let new = log.get(self.log_read.get()..).unwrap_or_default();
                self.log_read.set(log.len());
                // Firefox's own front-end logs here too (its favicon loader, remote settings);
                // those come from resource:// and chrome:// code, never from a page.
                let internal = |l: &str| {
                    ["resource://", "chrome://", "RSLoader:"]
                        .iter()
                        .any(|source| l.contains(source))
                };
                Ok(String::from_utf8_lossy(new)
                    .lines()
                    .filter(|l| {
                        l.starts_with("console.error:") || l.starts_with("JavaScript error:")
                    })
                    .filter(|l| !internal(l))
                    .map(str::to_owned)
                    .collect())
            }
        }
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        let _ = request("DELETE", &self.base, None);
    }
}

/// One WebDriver call; returns its `value`, or the driver's error message.
fn request(method: &str, url: &str, body: Option<Value>) -> Result<Value> {
    let call = ureq::request(method, url).timeout(Duration::from_secs(120));
    let reply = match body {
        Some(body) => call.send_json(body),
        None => call.call(),
    };
    let reply: Value = match reply {
        Ok(r) => r.into_json(),
        Err(ureq::Error::Status(_, r)) => r.into_json(),
        Err(e) => return Err(anyhow!("{method} {url}: {e}")),
    }
    .map_err(|e| anyhow!("{method} {url}: the reply is not JSON: {e}"))?;
    let value = reply["value"].clone();
    match value.get("error") {
        Some(error) => Err(anyhow!(
            "{error}: {}",
            value["message"].as_str().unwrap_or_default()
        )),
        None => Ok(value),
    }
}
