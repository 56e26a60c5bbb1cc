//! `cargo xtask hidden-tab`: the same upload through the Sink (32 MiB in 64 KiB messages, the
//! default marks, to the server's `/silent`, which reads at full speed) in a visible tab and in a
//! hidden one, in Chromium and Firefox. A tab is hidden by opening another tab over it (the
//! page checks `document.visibilityState`). Chromium keeps its background throttling (which
//! chromedriver turns off) and has intensive wake-up throttling on, with a 5 s grace period
//! instead of 60 s; the hidden uploads start after 40 s hidden (Chromium also wants 30 s of
//! silence), and the page reports how far apart its chained timeouts were by then.

use anyhow::anyhow;
use std::fmt::Write as _;
use std::process::Command;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::browser::{Browser, Session};
use crate::{banner, cargo, port, root, run, Result, Server, WASM_TARGET};

const TOTAL: u32 = 32 << 20;
const CHUNK: u32 = 64 << 10;
/// Chromium's intensive throttling after this many seconds hidden instead of 60 (this build
/// has the feature off unless enabled).
const GRACE_SECONDS: u32 = 5;
const CHROMIUM_ARGS: [&str; 1] = [
    "--enable-features=IntensiveWakeUpThrottling:grace_period_seconds/5,\
     QuickIntensiveWakeUpThrottlingAfterLoading:grace_period_seconds_loaded/5",
];
/// How long the page is hidden before the upload: the grace period, and Chromium's 30 s of
/// silence, with a margin.
const HIDDEN_FOR: u32 = 40;
/// How long a hidden upload may take before it is reported as "more than" this.
const HIDDEN_LIMIT: Duration = Duration::from_secs(150);
/// Uploads per tab: the table shows their median.
const RUNS: u32 = 5;
/// The goal: hidden within this factor of visible.
const GOAL: f64 = 1.5;

/// One measured upload.
struct Run {
    browser: &'static str,
    tab: &'static str,
    /// The median run's milliseconds, or `None` if they did not end within the limit.
    ms: Option<f64>,
    /// Every run's milliseconds.
    all: Vec<f64>,
    /// Bytes the server had received when the limit passed, if it did.
    bytes_by_limit: Option<u64>,
    /// visibilityState before and after, visibility changes during, live callbacks after.
    seen: String,
    /// Milliseconds between the last two of a chain of 1 ms timeouts right before the uploads.
    timers: Option<f64>,
}

pub(crate) fn hidden_tab() -> Result<bool> {
    let started = Instant::now();
    crate::tools::ensure(&[crate::Need::Wasm, crate::Need::Browsers])?;
    let page = root().join("target/hidden-tab");
    build_page(&page, true)?;
    let server_port = port()?;
    let server = Server::start(server_port, &[("/hidden-tab/".to_owned(), page)])?;
    let url = format!("http://127.0.0.1:{server_port}/hidden-tab/index.html");
    let mut runs = Vec::new();
    let mut ok = true;
    for (i, browser) in [Browser::Chromium, Browser::Firefox]
        .into_iter()
        .enumerate()
    {
        banner(&format!("hidden-tab upload in {}", browser.name()));
        let driver_port = server_port
            .checked_add(6 + i as u16)
            .ok_or_else(|| anyhow!("no driver port after {server_port}"))?;
        match measure(browser, driver_port, &url, server_port) {
            Ok((visible, hidden)) => {
                let goal = match (visible.ms, hidden.ms) {
                    (Some(v), Some(h)) => h <= GOAL * v,
                    _ => false,
                };
                ok &= goal;
                runs.push(visible);
                runs.push(hidden);
            }
            Err(e) => {
                eprintln!("hidden-tab in {}: {e:#}", browser.name());
                ok = false;
            }
        }
    }
    drop(server);
    let mut t = format!(
        "\n### Upload in a hidden tab\n\n{} MiB in {} KiB binary messages through the Sink \
         (default marks), then `drained()`; the server reads at full speed. Hidden: another tab \
         opened over it, the uploads start {} s after the page became hidden (Chromium: \
         intensive throttling from {GRACE_SECONDS} s on).\n\n\
         | browser | tab | upload: median ({RUNS} runs) | gap between chained 1 ms timeouts before it | visibilityState before/after, changes during, live callbacks after |\n\
         | --- | --- | --- | --- | --- |\n",
        TOTAL >> 20,
        CHUNK >> 10,
        HIDDEN_FOR
    );
    for r in &runs {
        let time = match (r.ms, r.bytes_by_limit) {
            (Some(ms), _) => {
                let all: Vec<String> = r.all.iter().map(|t| format!("{t:.0}")).collect();
                format!("{:.2} s ({} ms)", ms / 1000.0, all.join(", "))
            }
            (None, b) => format!(
                "> {} s ({:.1} MiB by then)",
                HIDDEN_LIMIT.as_secs(),
                b.unwrap_or(0) as f64 / f64::from(1 << 20)
            ),
        };
        let timers = r.timers.map_or("–".to_owned(), |ms| format!("{ms:.0} ms"));
        let _ = writeln!(
            t,
            "| {} | {} | {time} | {timers} | {} |",
            r.browser, r.tab, r.seen
        );
    }
    let _ = writeln!(
        t,
        "\nGoal: hidden median ≤ {GOAL}× visible median in each browser: {}. Produced by `cargo xtask \
         hidden-tab` in {:.0?}.",
        if ok { "met" } else { "not met" },
        started.elapsed()
    );
    banner("results");
    println!("{t}");
    Ok(ok)
}

/// Builds the page's wasm with wasm-bindgen next to its HTML and scripts, in `dir`: in release
/// for timing, in debug where only its behaviour counts (it then shares the browser suite's
/// build of the dependencies).
pub(crate) fn build_page(dir: &std::path::Path, release: bool) -> Result<()> {
    let profile = if release { "release" } else { "debug" };
    banner(&format!("building the hidden-tab page ({profile})"));
    let mut build = cargo();
    build.args(["build", "--package", "hidden-tab", "--target", WASM_TARGET]);
    if release {
        build.arg("--release");
    }
    let built = run(&mut build)?;
    let wasm = root().join(format!("target/{WASM_TARGET}/{profile}/hidden_tab.wasm"));
    let bound = built
        && run(Command::new("wasm-bindgen")
            .args(["--target", "web", "--out-dir"])
            .arg(dir.join("pkg"))
            .arg(&wasm))?;
    if !bound {
        return Err(anyhow!("the hidden-tab page did not build"));
    }
    for file in PAGE_FILES {
        std::fs::copy(
            root().join(file),
            dir.join(file.rsplit('/').next().unwrap_or(file)),
        )
        .map_err(|e| anyhow!("cannot copy the page's {file}: {e}"))?;
    }
    Ok(())
}

/// What the page serves beside its wasm: this command's page, the end-to-end test's (`csp.rs`)
/// and the ticker's script that apps serve under a CSP.
const PAGE_FILES: [&str; 4] = [
    "benches/hidden-tab/index.html",
    "benches/hidden-tab/csp.html",
    "benches/hidden-tab/csp.js",
    "assets/wasm-websocket-ticker.js",
];

fn measure(browser: Browser, driver_port: u16, url: &str, server_port: u16) -> Result<(Run, Run)> {
    let session = Session::start_with(browser, driver_port, &CHROMIUM_ARGS)?;
    session.goto(url)?;
    session.wait_for(
        "the page",
        "return window.ready === true;",
        Duration::from_secs(30),
    )?;
    let name = browser.name();
    // Visible: the page answers once the upload has drained.
    let result = session.execute(
        "return window.measure(arguments[0], arguments[1], arguments[2], null, arguments[3]);",
        vec![
            json!(format!("{name}-visible")),
            json!(TOTAL),
            json!(CHUNK),
            json!(RUNS),
        ],
    )?;
    let visible = run_of(name, "visible", &result)?;
    if !visible.seen.starts_with("visible/visible") {
        return Err(anyhow!("the visible tab was not visible: {}", visible.seen));
    }
    // Hidden: started, then covered; the page reports on a socket of its own.
    let id = format!("{name}-hidden");
    session.execute(
        "window.measureAndReport(arguments[0], arguments[1], arguments[2], arguments[3], \
         arguments[4]); return true;",
        vec![
            json!(id),
            json!(TOTAL),
            json!(CHUNK),
            json!(HIDDEN_FOR),
            json!(RUNS),
        ],
    )?;
    let measured = session.cover_with_new_tab()?;
    session.goto(url)?;
    let stats = |tag: &str| {
        session.get_json(&format!(
            "http://127.0.0.1:{server_port}/stats?id={tag}&wait=closed"
        ))
    };
    // The uploads start `HIDDEN_FOR` after the tab is covered: the limit counts from then.
    let deadline = Instant::now() + HIDDEN_LIMIT + Duration::from_secs(u64::from(HIDDEN_FOR) + 5);
    let hidden = loop {
        if let Some(result) = report_of(&stats(&format!("{id}-result"))?)? {
            break run_of(name, "hidden", &result)?;
        }
        if Instant::now() > deadline {
            let bytes = stats(&id)?["bytes"].as_u64();
            // What the page saw when it started uploading.
            let start = report_of(&stats(&format!("{id}-start"))?)?.unwrap_or_default();
            break Run {
                browser: name,
                tab: "hidden",
                ms: None,
                all: Vec::new(),
                bytes_by_limit: bytes,
                seen: format!(
                    "{}/(not done), –, –",
                    start["before"].as_str().unwrap_or("?")
                ),
                timers: start["timers"].as_f64(),
            };
        }
    };
    session.close_tab(measured)?;
    // Hidden when the uploads started and, if they ended, when they ended.
    let want = if hidden.ms.is_some() {
        "hidden/hidden"
    } else {
        "hidden/"
    };
    if !hidden.seen.starts_with(want) {
        return Err(anyhow!(
            "{name} did not keep the covered tab hidden: {}",
            hidden.seen
        ));
    }
    Ok((visible, hidden))
}

/// The fields a page reported in the texts `stats` kept (one message per field, then "end").
fn report_of(stats: &Value) -> Result<Option<Value>> {
    let texts: Vec<&str> = stats["texts"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    let Some((&"end", fields)) = texts.split_last() else {
        return Ok(None);
    };
    let mut result = serde_json::Map::new();
    for text in fields {
        let field: serde_json::Map<String, Value> = serde_json::from_str(text)
            .map_err(|e| anyhow!("the hidden tab's report {text:?}: {e}"))?;
        result.extend(field);
    }
    Ok(Some(Value::Object(result)))
}

fn run_of(browser: &'static str, tab: &'static str, result: &Value) -> Result<Run> {
    if let Some(e) = result["error"].as_str() {
        return Err(anyhow!("the {tab} upload in {browser} failed: {e}"));
    }
    println!("hidden-tab {browser} {tab}: {result}");
    let all: Vec<f64> = result["ms"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_f64)
        .collect();
    let ms = {
        let mut sorted = all.clone();
        sorted.sort_by(f64::total_cmp);
        sorted.get(sorted.len() / 2).copied()
    };
    Ok(Run {
        browser,
        tab,
        ms,
        all,
        bytes_by_limit: None,
        seen: format!(
            "{}/{}, {}, {}",
            result["before"].as_str().unwrap_or("?"),
            result["after"].as_str().unwrap_or("?"),
            result["changes"],
            result["live"]
        ),
        timers: result["timers"].as_f64(),
    })
}
