//! The hidden-tab ticker under a real Content-Security-Policy, a part of the end-to-end run: the
//! hidden-tab page's `csp.html` (`benches/hidden-tab/`), served by the test server with the
//! policy in its header (`?csp=`), uploads as from a hidden page (sends wait on the mark, the
//! worker or the timer wakes them) in Chromium and Firefox. The page counts every violation,
//! uncaught error and `console.error` it sees; the browser's console is read besides.

use anyhow::anyhow;
use std::path::Path;
use std::time::Duration;

use serde_json::json;

use crate::browser::{Browser, Session};
use crate::e2e::{encode, Steps};
use crate::report::Outcome;
use crate::{root, Result};

/// Where the test server serves the page.
pub(crate) const PREFIX: &str = "/csp/";

/// Each policy the page is loaded under: one refusing workers from anywhere but the page's
/// origin, and a strict script policy without `worker-src` (which workers then follow).
const POLICIES: [(&str, &str); 2] = [
    ("worker-src 'self'", "worker-src 'self'"),
    (
        "a strict script-src",
        "script-src 'self' 'wasm-unsafe-eval'",
    ),
];

/// `cargo xtask csp`: only this check (the page's build, the test server, both browsers).
pub(crate) fn only() -> Result<bool> {
    let started = std::time::Instant::now();
    crate::tools::ensure(&[crate::Need::Wasm, crate::Need::Browsers])?;
    let mut outcomes = vec![build(&dir())];
    let server = crate::Server::start(crate::port()?, &[(PREFIX.to_owned(), dir())])?;
    for browser in [Browser::Chromium, Browser::Firefox] {
        let name = format!("CSP check in {}", browser.name());
        crate::banner(&name);
        let mut steps = Steps::new(format!("{}/csp", browser.name()));
        match crate::free_port().and_then(|port| Session::start(browser, port)) {
            Ok(session) => check(&mut steps, &session, &format!("127.0.0.1:{}", server.port)),
            Err(e) => steps.step("starts a browser", || Err(e)),
        }
        outcomes.push(steps.outcome(name));
    }
    drop(server);
    Ok(crate::report::summary(&outcomes, started))
}

/// The page's build, in `dir`, as a step of the summary.
pub(crate) fn build(dir: &Path) -> Outcome {
    let ok = match crate::hidden_tab::build_page(dir, false) {
        Ok(()) => true,
        Err(e) => {
            eprintln!("{e:#}");
            false
        }
    };
    Outcome {
        name: "build of the CSP page".into(),
        passed: u64::from(ok),
        failed: u64::from(!ok),
        ok,
    }
}

/// The page's folder under `target/`.
pub(crate) fn dir() -> std::path::PathBuf {
    root().join("target/csp-page")
}

/// What the worker does on a page under the policy.
#[derive(Clone, Copy, PartialEq)]
enum Worker {
    /// It runs and wakes the senders; nothing is logged.
    Runs,
    /// There is none: the timer wakes the senders; nothing is logged.
    None,
    /// The browser refuses it: its one violation is all that is logged (what the crate docs
    /// say the default costs), and the upload goes on on the timer.
    Refused,
}

/// Where the page's worker comes from (`TickerWorker`), as `hidden_upload` names it.
const WORKERS: [(&str, &str, Worker); 3] = [
    (
        "the same-origin script wakes the senders",
        "wasm-websocket-ticker.js",
        Worker::Runs,
    ),
    ("with the worker off the timer does", "off", Worker::None),
    (
        "the default data: worker is refused",
        "inline",
        Worker::Refused,
    ),
];

/// A hidden upload per policy and worker on the page served by `server`.
pub(crate) fn check(steps: &mut Steps, s: &Session, server: &str) {
    for (name, policy) in POLICIES {
        for (what, source, worker) in WORKERS {
            let logged = match worker {
                Worker::Refused => "only that violation logged",
                Worker::Runs | Worker::None => "nothing in the console",
            };
            steps.step(
                &format!("under {name}, {what}: the upload completes, {logged}"),
                || hidden_upload(s, server, policy, source, worker),
            );
        }
    }
}

fn hidden_upload(
    s: &Session,
    server: &str,
    policy: &str,
    source: &str,
    worker: Worker,
) -> Result<()> {
    // What earlier pages left in the console is theirs.
    s.console_errors()?;
    s.goto(&format!(
        "http://{server}{PREFIX}csp.html?csp={}",
        encode(policy)
    ))?;
    s.wait_for(
        "the page's wasm",
        "return window.ready === true || window.problems?.length > 0;",
        Duration::from_secs(30),
    )?;
    let result = s.execute(
        "return window.hiddenUpload(arguments[0]);",
        vec![json!(source)],
    )?;
    let console = s.console_errors()?;
    println!("csp {} {source}: {result} {console:?}", s.browser.name());
    if let Some(e) = result["error"].as_str() {
        return Err(anyhow!("the upload failed: {e}; {result}"));
    }
    if !result["ms"].is_number() {
        return Err(anyhow!("no upload time: {result}"));
    }
    // Chromium logs the violation (Firefox's console shows it, but does not print it).
    let violation = "Creating a worker from 'data:";
    let (page_ok, console_ok) = match worker {
        Worker::Refused => (
            result["problems"] == json!(["violation of worker-src: data"]),
            console.len() <= 1 && console.iter().all(|line| line.contains(violation)),
        ),
        Worker::Runs | Worker::None => (result["problems"] == json!([]), console.is_empty()),
    };
    if !page_ok || !console_ok {
        return Err(anyhow!(
            "the page saw {}; the console has {console:?}",
            result["problems"]
        ));
    }
    let ran = result["worker"].as_bool();
    match (worker, ran) {
        (Worker::Runs, Some(true)) | (Worker::None, Some(false)) | (Worker::Refused, _) => Ok(()),
        _ => Err(anyhow!("the upload's worker ran: {ran:?}")),
    }
}
