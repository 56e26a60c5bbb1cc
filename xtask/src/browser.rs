//! Headless Chromium (chromedriver) and Firefox (geckodriver) driven over loopback WebDriver
//! with fantoccini. fantoccini is async: each session keeps a small runtime of its own and every
//! call blocks on it, so the rest of the xtask stays synchronous.

use anyhow::anyhow;
use std::cell::Cell;
use std::future::Future;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use fantoccini::wd::WebDriverCompatibleCommand;
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{json, Value};

use crate::process::Process;
use crate::{root, Result};

/// The longest one WebDriver call may take.
const CALL_LIMIT: Duration = Duration::from_secs(120);

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

    /// `chromium_args` go after webdriver.json's (Firefox takes none); with any, Chromium also
    /// keeps its background throttling.
    fn capabilities(self, chromium_args: &[&str]) -> Result<Value> {
        Ok(match self {
            Browser::Chromium => {
                // The same flags as the browser suite: root needs --no-sandbox, the closed
                // network needs the background-networking ones. chromedriver finds the browser
                // itself, as it does for the suite (`tools.rs` makes sure one is installed).
                let text = std::fs::read_to_string(root().join("webdriver.json"))
                    .map_err(|e| anyhow!("cannot read webdriver.json: {e}"))?;
                let mut config: Value = serde_json::from_str(&text)
                    .map_err(|e| anyhow!("webdriver.json is not JSON: {e}"))?;
                if !chromium_args.is_empty() {
                    let options = &mut config["goog:chromeOptions"];
                    if let Some(args) = options["args"].as_array_mut() {
                        args.extend(chromium_args.iter().map(|a| json!(a)));
                    }
                    // chromedriver turns background throttling off by default; a test of it
                    // needs the browser's own behaviour.
                    options["excludeSwitches"] = json!([
                        "disable-background-timer-throttling",
                        "disable-backgrounding-occluded-windows"
                    ]);
                }
                json!({
                    "browserName": "chrome",
                    "goog:chromeOptions": config["goog:chromeOptions"],
                    "goog:loggingPrefs": { "browser": "ALL" },
                })
            }
            // Firefox prints the pages' console on its stdout with this pref; geckodriver passes
            // it on to its own output, which `Session` keeps in a file.
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

/// Chromium's console, from the legacy log endpoint that `goog:loggingPrefs` fills: W3C
/// WebDriver has no command for it, so fantoccini neither.
#[derive(Debug)]
struct ChromiumLog;

impl WebDriverCompatibleCommand for ChromiumLog {
    fn endpoint(
        &self,
        base: &url::Url,
        session: Option<&str>,
    ) -> std::result::Result<url::Url, url::ParseError> {
        base.join(&format!("session/{}/se/log", session.unwrap_or_default()))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (
            http::Method::POST,
            Some(json!({ "type": "browser" }).to_string()),
        )
    }
}

/// One browser session and its driver process; the session ends (closing its browser) before the
/// driver is stopped by its PID.
pub struct Session {
    pub browser: Browser,
    runtime: tokio::runtime::Runtime,
    client: Client,
    _driver: Process,
    /// Where the driver's output goes (for Firefox, the pages' console too).
    log: PathBuf,
    /// How much of `log` earlier calls of `console_errors` have read.
    log_read: Cell<usize>,
}

impl Session {
    /// Starts the driver on `port` and a session with a window that shows the whole demo page.
    pub fn start(browser: Browser, port: u16) -> Result<Session> {
        Session::start_with(browser, port, &[])
    }

    /// `start`, with `chromium_args` added to Chromium's command line.
    pub fn start_with(browser: Browser, port: u16, chromium_args: &[&str]) -> Result<Session> {
        let (program, host) = match browser {
            Browser::Chromium => ("chromedriver", None),
            Browser::Firefox => ("geckodriver", Some("--host=127.0.0.1")),
        };
        let mut command = Command::new(program);
        command.arg(format!("--port={port}")).args(host);
        let log = root()
            .join("target/e2e")
            .join(format!("{}-driver.log", browser.name()));
        let output = std::fs::create_dir_all(root().join("target/e2e"))
            .and_then(|()| std::fs::File::create(&log))
            .and_then(|file| Ok((file.try_clone()?, file)))
            .map_err(|e| anyhow!("{}: {e}", log.display()))?;
        command.stdout(output.0).stderr(output.1);
        let name = format!("{} driver", browser.name());
        let driver = Process::listening(&mut command, &name, port, Duration::from_secs(15))?;
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| anyhow!("no async runtime: {e}"))?;
        let capabilities = match browser.capabilities(chromium_args)? {
            Value::Object(map) => map,
            _ => return Err(anyhow!("the capabilities are not an object")),
        };
        let url = format!("http://127.0.0.1:{port}");
        let mut builder = ClientBuilder::new(HttpConnector::new());
        let client = block_on(&runtime, builder.capabilities(capabilities).connect(&url))
            .map_err(|e| anyhow!("no {} session: {e}", browser.name()))?;
        let session = Session {
            browser,
            runtime,
            client,
            _driver: driver,
            log,
            log_read: Cell::new(0),
        };
        session.run(session.client.set_window_size(1280, 1280))?;
        Ok(session)
    }

    fn run<T, E: Into<anyhow::Error>>(
        &self,
        call: impl Future<Output = std::result::Result<T, E>>,
    ) -> Result<T> {
        block_on(&self.runtime, call)
    }

    pub fn goto(&self, url: &str) -> Result<()> {
        self.run(self.client.goto(url))
    }

    /// Opens a new tab, which covers the current one, and switches to it; returns the handle of
    /// the tab it left.
    pub fn cover_with_new_tab(&self) -> Result<fantoccini::wd::WindowHandle> {
        self.run(async {
            let left = self.client.window().await?;
            let tab = self.client.new_window(true).await?;
            self.client.switch_to_window(tab.handle).await?;
            Ok::<_, fantoccini::error::CmdError>(left)
        })
    }

    /// Closes the current tab and switches to `to`.
    pub fn close_tab(&self, to: fantoccini::wd::WindowHandle) -> Result<()> {
        self.run(async {
            self.client.close_window().await?;
            self.client.switch_to_window(to).await
        })
    }

    pub fn click(&self, css: &str) -> Result<()> {
        self.run(async { self.client.find(Locator::Css(css)).await?.click().await })
            .map_err(|e| anyhow!("clicking {css}: {e}"))
    }

    /// Clears a text field and types `text` into it.
    pub fn type_into(&self, css: &str, text: &str) -> Result<()> {
        self.run(async {
            let field = self.client.find(Locator::Css(css)).await?;
            field.clear().await?;
            field.send_keys(text).await
        })
        .map_err(|e| anyhow!("typing into {css}: {e}"))
    }

    /// Chooses the file at `path` in a file input, as a user would in the picker.
    pub fn choose_file(&self, css: &str, path: &Path) -> Result<()> {
        let path = path.display().to_string();
        self.run(async {
            let input = self.client.find(Locator::Css(css)).await?;
            input.send_keys(&path).await
        })
        .map_err(|e| anyhow!("choosing {path} in {css}: {e}"))
    }

    /// Runs `script` (a function body; `arguments` holds `args`) in the page.
    pub fn execute(&self, script: &str, args: Vec<Value>) -> Result<Value> {
        self.run(self.client.execute(script, args))
    }

    /// Runs `script` until it returns something truthy, and returns that; fails after
    /// `timeout`, saying what it waited for.
    pub fn wait_for(&self, what: &str, script: &str, timeout: Duration) -> Result<Value> {
        let deadline = Instant::now() + timeout;
        loop {
            let value = self.execute(script, vec![])?;
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
            vec![json!(css)],
        )?;
        Ok(value.as_str().unwrap_or_default().to_owned())
    }

    /// A PNG of the viewport, scrolled to the top of the page.
    pub fn screenshot(&self, path: &Path) -> Result<()> {
        self.execute("window.scrollTo(0, 0);", vec![])?;
        let png = self.run(self.client.screenshot())?;
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| anyhow!("{}: {e}", dir.display()))?;
        }
        std::fs::write(path, png).map_err(|e| anyhow!("{}: {e}", path.display()))
    }

    /// The JSON that a GET of `url` answers (the test server's `/stats`, which allows any origin),
    /// fetched by the page: WebDriver waits for the promise.
    pub fn get_json(&self, url: &str) -> Result<Value> {
        let script = "return fetch(arguments[0]).then(r => r.ok ? r.json() \
                      : Promise.reject(new Error('status ' + r.status)));";
        self.execute(script, vec![json!(url)])
            .map_err(|e| anyhow!("{url}: {e}"))
    }

    /// The console errors and uncaught exceptions of the pages since the last call: Chromium's
    /// browser log at level SEVERE, Firefox's console as it printed it.
    pub fn console_errors(&self) -> Result<Vec<String>> {
        match self.browser {
            Browser::Chromium => {
                let entries = self.run(self.client.issue_cmd(ChromiumLog))?;
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
        let _ = self.run(self.client.clone().close());
    }
}

/// Runs one WebDriver call to its end, or fails after `CALL_LIMIT`.
fn block_on<T, E: Into<anyhow::Error>>(
    runtime: &tokio::runtime::Runtime,
    call: impl Future<Output = std::result::Result<T, E>>,
) -> Result<T> {
    match runtime.block_on(async { tokio::time::timeout(CALL_LIMIT, call).await }) {
        Ok(result) => result.map_err(Into::into),
        Err(_) => Err(anyhow!("no answer within {CALL_LIMIT:?}")),
    }
}
