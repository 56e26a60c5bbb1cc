//! `cargo xtask bench`: the benchmark in each browser, the minimal apps' sizes, one table.

use anyhow::anyhow;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

use crate::report::run_captured;
use crate::{banner, cargo, output, port, root, run, Result, Server, WASM_TARGET};

const WORKLOADS: [&str; 5] = ["W1", "W2", "W3", "W4", "W5"];
const BASELINE: &str = "raw JS";
/// The crate's Sink and its `send_text`, compared on W3.
const SINK: &str = "wasm-websocket (arraybuffer)";
const SEND_TEXT: &str = "wasm-websocket (send_text)";

/// The minimal apps: (feature of benches/size, name in the table).
const SIZE_APPS: [(&str, &str); 5] = [
    ("raw-web-sys", "raw web-sys"),
    ("wasm-websocket", "wasm-websocket"),
    ("gloo-net", "gloo-net 0.7"),
    ("ws-stream-wasm", "ws_stream_wasm 0.7"),
    ("websocket-web", "websocket-web 0.1"),
];

/// One `BENCH` line: a contender's three runs of one workload.
#[derive(Debug)]
struct Row {
    contender: String,
    workload: String,
    times: Vec<f64>,
    /// W3: the median and 99th percentile round trip.
    round_trip: Option<(f64, f64)>,
    error: Option<String>,
}

impl Row {
    fn parse(line: &str) -> Option<Row> {
        let mut f = line.split('\t').skip(1);
        let (contender, workload, status) = (f.next()?, f.next()?, f.next()?);
        let times = f
            .next()?
            .split(',')
            .filter_map(|t| t.parse().ok())
            .collect();
        let round_trip = f.next().and_then(|r| {
            let (m, p) = r.split_once(',')?;
            Some((m.parse().ok()?, p.parse().ok()?))
        });
        let error = (status != "ok").then(|| f.next().unwrap_or("failed").to_owned());
        Some(Row {
            contender: contender.to_owned(),
            workload: workload.to_owned(),
            times,
            round_trip,
            error,
        })
    }

    fn best(&self) -> f64 {
        self.times.iter().copied().fold(f64::INFINITY, f64::min)
    }

    fn median(&self) -> f64 {
        let mut t = self.times.clone();
        t.sort_by(f64::total_cmp);
        t.get(t.len() / 2).copied().unwrap_or(f64::NAN)
    }

    /// What the ratio compares: the median round trip for W3, the median run otherwise.
    fn metric(&self) -> f64 {
        self.round_trip.map_or_else(|| self.median(), |(m, _)| m)
    }

    fn cell(&self, baseline: Option<f64>) -> String {
        if let Some(e) = &self.error {
            return format!("failed: {e}");
        }
        let ratio = baseline.map_or(String::new(), |b| format!(" ({:.2}×)", self.metric() / b));
        match self.round_trip {
            Some((m, p99)) => format!("{m:.3} / {p99:.3} ms{ratio}"),
            None => format!("{:.0} / {:.0} ms{ratio}", self.best(), self.median()),
        }
    }
}

pub(crate) fn bench(browsers: &[&str]) -> Result<bool> {
    let started = Instant::now();
    crate::tools::ensure(&crate::ALL_TOOLS)?;
    let server = Server::start(port()?, &[])?;
    let mut report = String::new();
    let mut ok = true;
    for browser in browsers {
        let (outcome, lines) = run_captured(
            &format!("benchmark in {browser}"),
            Command::new("wasm-pack")
                .current_dir(root().join("benches"))
                .args(["test", "--release", "--headless", &format!("--{browser}")])
                .args(["--", "--test", "browser", "--", "--nocapture"])
                .env("WS_TEST_SERVER", server.url())
                .env("WASM_BINDGEN_TEST_TIMEOUT", "900"),
            "BENCH",
        );
        let rows: Vec<Row> = lines.iter().filter_map(|l| Row::parse(l)).collect();
        let notes: Vec<&str> = lines
            .iter()
            .filter_map(|l| l.strip_prefix("BENCH-NOTE\t"))
            .collect();
        ok &= outcome.ok && !rows.is_empty() && rows.iter().all(|r| r.error.is_none());
        let version = browser_version(browser);
        report.push_str(&time_table(&version, &rows, &notes));
    }
    drop(server);
    report.push_str(&size_table()?);
    let _ = writeln!(
        report,
        "\nProduced by `cargo xtask bench --browser {}` in {:.0?}.",
        if browsers.len() > 1 {
            "both"
        } else {
            browsers[0]
        },
        started.elapsed()
    );
    let dir = root().join("target/bench");
    std::fs::create_dir_all(&dir).map_err(|e| anyhow!("cannot create {}: {e}", dir.display()))?;
    let file = dir.join("results.md");
    std::fs::write(&file, &report).map_err(|e| anyhow!("cannot write {}: {e}", file.display()))?;
    banner(&format!("results (also in {})", file.display()));
    println!("{report}");
    Ok(ok)
}

fn browser_version(browser: &str) -> String {
    let program = if browser == "chrome" {
        "chromium"
    } else {
        "firefox"
    };
    output(program, &["--version"])
        .map(|v| v.trim().to_owned())
        .unwrap_or_else(|| browser.to_owned())
}

fn time_table(browser: &str, rows: &[Row], notes: &[&str]) -> String {
    let baseline: BTreeMap<&str, f64> = rows
        .iter()
        .filter(|r| r.contender == BASELINE && r.error.is_none())
        .map(|r| (r.workload.as_str(), r.metric()))
        .collect();
    let mut contenders: Vec<&str> = Vec::new();
    for r in rows {
        if !contenders.contains(&r.contender.as_str()) {
            contenders.push(&r.contender);
        }
    }
    let mut t = format!(
        "\n### {browser}\n\nBest / median of 3 runs (W3: median / p99 round trip), ratio of the median \
         to raw JS.\nW1 20,000 × 32 B text (≤ 1,000 in flight) · W2 1,000 × 64 KiB binary (≤ 16) · \
         W3 2,000 ping-pongs of 16 B · W4 8 × 16 MiB round trips · W5 = W2 with binaryType blob.\n\n\
         | contender | W1 | W2 | W3 | W4 | W5 |\n| --- | --- | --- | --- | --- | --- |\n"
    );
    for c in contenders {
        let _ = write!(t, "| {c} |");
        for w in WORKLOADS {
            let cell = rows
                .iter()
                .find(|r| r.contender == c && r.workload == w)
                .map_or("–".to_owned(), |r| r.cell(baseline.get(w).copied()));
            let _ = write!(t, " {cell} |");
        }
        t.push('\n');
    }
    let w3 = |contender: &str| {
        rows.iter()
            .find(|r| r.contender == contender && r.workload == "W3" && r.error.is_none())
    };
    if let (Some(sink), Some(helper)) = (w3(SINK), w3(SEND_TEXT)) {
        // The medians are in steps of the browser's timer resolution (20 µs in Firefox), which is
        // 6% of a round trip here; the whole runs (2,000 round trips each) are not.
        let _ = writeln!(
            t,
            "\nW3, the crate's two send paths: median round trip through the Sink {:.3} ms, \
             through `send_text` {:.3} ms ({:.3}×); best whole run {:.0} ms against {:.0} ms \
             ({:.3}×).",
            sink.metric(),
            helper.metric(),
            sink.metric() / helper.metric(),
            sink.best(),
            helper.best(),
            sink.best() / helper.best()
        );
    }
    for note in notes {
        let _ = writeln!(t, "\n{}", note.replace('\t', ": "));
    }
    t
}

fn gzip_len(file: &Path) -> Option<u64> {
    let mut child = Command::new("gzip")
        .args(["-9", "-c"])
        .arg(file)
        .stdout(Stdio::piped())
        .spawn()
        .ok()?;
    let mut bytes = Vec::new();
    child.stdout.take()?.read_to_end(&mut bytes).ok()?;
    child.wait().ok()?.success().then_some(bytes.len() as u64)
}

/// The two apps per contender: (extra feature of benches/size, name in the table).
const SIZE_VARIANTS: [(Option<&str>, &str); 2] = [
    (None, "errors dropped"),
    (Some("errors-shown"), "errors shown"),
];

/// One built app: its contender and variant, and its sizes.
struct SizeRow {
    contender: &'static str,
    app: &'static str,
    wasm: u64,
    gz: u64,
    /// After wasm-opt -Oz: the wasm and its gzip -9, if wasm-opt ran.
    opt: Option<(u64, u64)>,
}

/// `cargo xtask bench --size-only`: the size table alone, in seconds rather than minutes.
pub(crate) fn size_only() -> Result<bool> {
    let started = Instant::now();
    crate::tools::ensure(&[crate::Need::Wasm, crate::Need::WasmOpt])?;
    let mut report = size_table()?;
    let _ = writeln!(
        report,
        "\nProduced by `cargo xtask bench --size-only` in {:.0?}.",
        started.elapsed()
    );
    banner("results");
    println!("{report}");
    Ok(true)
}

fn size_table() -> Result<String> {
    banner("minimal apps (profile size: opt-level z, LTO)");
    let wasm_opt = output("wasm-opt", &["--version"]).map(|v| v.trim().to_owned());
    let mut rows = Vec::new();
    for (feature, contender) in SIZE_APPS {
        for (extra, app) in SIZE_VARIANTS {
            let features = extra.map_or(feature.to_owned(), |e| format!("{feature},{e}"));
            let built = run(cargo().args([
                "build",
                "--package",
                "size-app",
                "--profile",
                "size",
                "--target",
                WASM_TARGET,
                "--features",
                &features,
            ]))?;
            let out = root()
                .join("target/bench/size")
                .join(features.replace(',', "+"));
            let input = root().join(format!("target/{WASM_TARGET}/size/size_app.wasm"));
            let bound = built
                && run(Command::new("wasm-bindgen")
                    // As shipped: no function names (debug data that grows with every generic).
                    .args([
                        "--target",
                        "web",
                        "--remove-name-section",
                        "--remove-producers-section",
                    ])
                    .arg("--out-dir")
                    .arg(&out)
                    .arg(&input))?;
            if !bound {
                return Err(anyhow!("the {contender} size app ({app}) did not build"));
            }
            let wasm = out.join("size_app_bg.wasm");
            let optimized = out.join("size_app_opt.wasm");
            // wasm-opt reads the features the module declares (its target_features section).
            let opt = wasm_opt.is_some()
                && run(Command::new("wasm-opt")
                    .arg("-Oz")
                    .arg(&wasm)
                    .arg("-o")
                    .arg(&optimized))?;
            rows.push(SizeRow {
                contender,
                app,
                wasm: std::fs::metadata(&wasm).map(|m| m.len()).unwrap_or(0),
                gz: gzip_len(&wasm).unwrap_or(0),
                opt: opt.then(|| {
                    let len = std::fs::metadata(&optimized).map(|m| m.len()).unwrap_or(0);
                    (len, gzip_len(&optimized).unwrap_or(0))
                }),
            });
        }
    }
    // Each app is compared with the same app (errors dropped or shown) of the reference.
    let gz_of = |contender: &str, app: &str| {
        rows.iter()
            .find(|r| r.contender.starts_with(contender) && r.app == app)
            .map(|r| r.gz)
    };
    let mut t = String::from(
        "\n### Minimal app size\n\nOpen, send a text and a binary message, log the replies; \
         errors dropped, or shown (each error of connect, send and receive logged with `to_string()`). \
         `--profile size` (opt-level \"z\", LTO), `wasm-bindgen --target web --remove-name-section`, \
         the `_bg.wasm` file; ratios to the same app of the other contender.\n\n\
         | contender | app | wasm | gzip -9 | ratio to raw web-sys (gz) | ratio to gloo-net (gz) | wasm-opt -Oz | wasm-opt + gzip -9 |\n\
         | --- | --- | --- | --- | --- | --- | --- | --- |\n",
    );
    let kb = |bytes: u64| format!("{:.1} kB", bytes as f64 / 1000.0);
    for r in &rows {
        let ratio = |to: Option<u64>| {
            to.map_or(String::new(), |g| format!("{:.2}×", r.gz as f64 / g as f64))
        };
        let to_raw = ratio(gz_of("raw web-sys", r.app));
        let to_gloo = ratio(gz_of("gloo-net", r.app));
        let failed = if wasm_opt.is_some() {
            "wasm-opt failed"
        } else {
            "–"
        };
        let (o, og) = r
            .opt
            .map_or((failed.to_owned(), failed.to_owned()), |(o, og)| {
                (kb(o), kb(og))
            });
        let _ = writeln!(
            t,
            "| {} | {} | {} | {} | {to_raw} | {to_gloo} | {o} | {og} |",
            r.contender,
            r.app,
            kb(r.wasm),
            kb(r.gz)
        );
    }
    if let Some(v) = wasm_opt {
        let _ = writeln!(t, "\nwasm-opt: {v}.");
    }
    Ok(t)
}
