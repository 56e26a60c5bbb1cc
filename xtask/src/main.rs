//! `cargo xtask test`, `e2e`, `downstream`, `server`, `demo`, `tools` and `bench`: everything set
//! up from a fresh machine.
//!
//! Each command first installs what it needs and is missing (`tools.rs`: into a versioned per-user
//! cache, never over the user's own tools; browsers from the system's packages), then either
//! proves the crate works or serves something. The test server and the WebDriver servers are
//! started by PID and stopped by that PID.

mod bench;
mod downstream;
mod e2e;
mod tools;
mod webdriver;

use tools::Need;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitCode, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const WASM_TARGET: &str = "wasm32-unknown-unknown";
const DEFAULT_PORT: u16 = 9001;
const DEMO_PORT: u16 = 8080;
/// What `cargo xtask test` needs.
const ALL_TOOLS: [Need; 4] = [Need::Wasm, Need::Trunk, Need::WasmPack, Need::Browsers];

const USAGE: &str = "usage: cargo xtask <test|e2e|downstream|server|demo [APP]|tools|bench [--browser firefox|chrome|both]>

  test   install what is missing, then fmt, clippy (native and wasm32), doc, native tests,
         the browser suite in Firefox and Chromium against the test server, trunk builds of
         the demo and the examples, and their end-to-end tests in Chromium and Firefox
  e2e    only the trunk builds and the end-to-end tests
  downstream  only the check of the crate as a dependency: a throwaway app with the oldest and
         the newest versions the manifest allows, and beside Yew and Leptos
  server the test server in the foreground (for `wasm-pack test` and `trunk serve` by hand);
         Ctrl-C stops it
  demo   install what the apps need (wasm32 target, wasm-bindgen CLI, trunk), start the test
         server and `trunk serve` APP: demo (www/, the default), yew-chat or leptos-chat
  tools  install every tool the tests use and print the PATH line that puts them first
  bench  run the benchmark (benches/) in headless browsers against the release test server,
         measure the minimal apps' sizes, print the table and write target/bench/results.md

environment: WS_TEST_PORT (test server port, default 9001)";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("test") => test(),
        Some("e2e") => e2e_only(),
        Some("server") => serve_tests(),
        Some("downstream") => {
            let started = Instant::now();
            Ok(summary(&downstream::check(), started))
        }
        Some("tools") => tools::print_path(),
        Some("demo") => demo(args.get(1).map(String::as_str).unwrap_or("demo")),
        Some("bench") => match args.get(1..).unwrap_or_default() {
            [] => bench::bench(&["firefox", "chrome"]),
            [flag, which] if flag == "--browser" => match which.as_str() {
                "firefox" => bench::bench(&["firefox"]),
                "chrome" => bench::bench(&["chrome"]),
                "both" => bench::bench(&["firefox", "chrome"]),
                _ => {
                    eprintln!("{USAGE}");
                    return ExitCode::from(2);
                }
            },
            _ => {
                eprintln!("{USAGE}");
                return ExitCode::from(2);
            }
        },
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}

type Result<T> = std::result::Result<T, String>;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

/// `cargo metadata` of the workspace, as resolved in `Cargo.lock` (which must be current).
fn metadata() -> Result<serde_json::Value> {
    let out = cargo()
        .args(["metadata", "--format-version", "1", "--locked"])
        .output()
        .map_err(|e| format!("cannot run cargo metadata: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "cargo metadata failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    serde_json::from_slice(&out.stdout).map_err(|e| format!("cargo metadata printed no JSON: {e}"))
}

fn port() -> Result<u16> {
    match std::env::var("WS_TEST_PORT") {
        Ok(p) => p
            .parse()
            .map_err(|_| format!("WS_TEST_PORT={p} is not a port number")),
        Err(_) => Ok(DEFAULT_PORT),
    }
}

fn banner(what: &str) {
    println!("\n==> {what}");
    let _ = std::io::stdout().flush();
}

fn cargo() -> Command {
    let mut cmd = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    cmd.current_dir(root());
    cmd
}

/// Runs a command to completion, inheriting stdio.
fn run(cmd: &mut Command) -> Result<bool> {
    cmd.status()
        .map(|s| s.success())
        .map_err(|e| format!("cannot run {cmd:?}: {e}"))
}

/// What a command printed on stdout, if it ran and succeeded.
fn output(program: &str, args: &[&str]) -> Option<String> {
    let out = Command::new(program).args(args).output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

// ---------------------------------------------------------------------------------------------
// The test server

/// The test server, stopped (by the PID this process started) when dropped.
struct Server {
    child: Child,
    port: u16,
}

impl Server {
    /// Starts the release build on `port`, serving each `(prefix, folder)` of `mounts` too.
    fn start(port: u16, mounts: &[(String, PathBuf)]) -> Result<Server> {
        banner("building the test server (release)");
        if !run(cargo().args(["build", "--release", "--package", "test-server"]))? {
            return Err("the test server did not build".into());
        }
        if TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return Err(format!(
                "127.0.0.1:{port} is already taken: stop what listens there or set WS_TEST_PORT"
            ));
        }
        let exe = root().join("target/release/test-server");
        let mut command = Command::new(&exe);
        command.args(["--port", &port.to_string()]);
        for (prefix, dir) in mounts {
            command
                .arg("--static")
                .arg(format!("{prefix}={}", dir.display()));
        }
        let mut child = command
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", exe.display()))?;
        let deadline = Instant::now() + Duration::from_secs(10);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            if let Ok(Some(status)) = child.try_wait() {
                return Err(format!("the test server exited at start: {status}"));
            }
            if Instant::now() > deadline {
                let _ = child.kill();
                return Err(format!(
                    "the test server did not listen on {port} within 10 s"
                ));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        println!("test server pid {} on 127.0.0.1:{port}", child.id());
        Ok(Server { child, port })
    }

    fn url(&self) -> String {
        format!("ws://127.0.0.1:{}", self.port)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        println!("stopping test server pid {}", self.child.id());
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

// ---------------------------------------------------------------------------------------------
// cargo xtask test

/// Test counts of one suite or check.
#[derive(Debug)]
struct Outcome {
    name: String,
    passed: u64,
    failed: u64,
    ok: bool,
}

/// Runs a command, echoing its output, and adds up the `test result:` lines it prints
/// (cargo test and wasm-bindgen-test both print them).
fn run_counted(name: &str, cmd: &mut Command) -> Outcome {
    run_captured(name, cmd, "").0
}

/// [`run_counted`], also returning the stdout lines that start with `keep`.
fn run_captured(name: &str, cmd: &mut Command, keep: &str) -> (Outcome, Vec<String>) {
    banner(name);
    let counts = Arc::new(Mutex::new((0u64, 0u64)));
    let kept = Arc::new(Mutex::new(Vec::new()));
    let spawned = cmd.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn();
    let mut child = match spawned {
        Ok(c) => c,
        Err(e) => {
            eprintln!("cannot run {cmd:?}: {e}");
            let outcome = Outcome {
                name: name.into(),
                passed: 0,
                failed: 1,
                ok: false,
            };
            return (outcome, Vec::new());
        }
    };
    let readers: Vec<_> = [
        child
            .stdout
            .take()
            .map(|s| Box::new(s) as Box<dyn Read + Send>),
        child
            .stderr
            .take()
            .map(|s| Box::new(s) as Box<dyn Read + Send>),
    ]
    .into_iter()
    .flatten()
    .enumerate()
    .map(|(i, stream)| {
        let counts = counts.clone();
        let kept = kept.clone();
        let keep = keep.to_owned();
        std::thread::spawn(move || {
            for line in BufReader::new(stream).lines().map_while(|l| l.ok()) {
                if i == 0 {
                    println!("{line}");
                    if !keep.is_empty() && line.starts_with(&keep) {
                        if let Ok(mut kept) = kept.lock() {
                            kept.push(line.clone());
                        }
                    }
                } else {
                    eprintln!("{line}");
                }
                if let Some((p, f)) = parse_test_result(&line) {
                    if let Ok(mut c) = counts.lock() {
                        c.0 += p;
                        c.1 += f;
                    }
                }
            }
        })
    })
    .collect();
    let ok = child.wait().map(|s| s.success()).unwrap_or(false);
    for r in readers {
        let _ = r.join();
    }
    let (passed, failed) = counts.lock().map(|c| *c).unwrap_or((0, 0));
    let outcome = Outcome {
        name: name.into(),
        passed,
        failed,
        ok,
    };
    let kept = kept.lock().map(|k| k.clone()).unwrap_or_default();
    (outcome, kept)
}

/// `test result: ok. 12 passed; 0 failed; ...` → (12, 0).
fn parse_test_result(line: &str) -> Option<(u64, u64)> {
    let rest = line.trim().strip_prefix("test result: ")?;
    let number_before = |word: &str| {
        rest.split(';')
            .find_map(|part| part.trim().strip_suffix(word)?.split_whitespace().last())
            .and_then(|n| n.parse().ok())
    };
    Some((number_before(" passed")?, number_before(" failed")?))
}

fn check(name: &str, cmd: &mut Command) -> Outcome {
    banner(name);
    let ok = run(cmd).unwrap_or_else(|e| {
        eprintln!("{e}");
        false
    });
    Outcome {
        name: name.into(),
        passed: 0,
        failed: 0,
        ok,
    }
}

fn test() -> Result<bool> {
    let started = Instant::now();
    tools::ensure(&ALL_TOOLS)?;
    let mut outcomes = vec![
        check(
            "cargo fmt --check",
            cargo().args(["fmt", "--all", "--", "--check"]),
        ),
        check(
            "clippy (native)",
            cargo().args([
                "clippy",
                "--workspace",
                "--all-targets",
                "--features",
                "wasm-websocket/json",
                "--",
                "-D",
                "warnings",
            ]),
        ),
        check(
            "clippy (wasm32)",
            cargo().args([
                "clippy",
                "--package",
                "wasm-websocket",
                "--package",
                "www",
                "--package",
                "yew-chat",
                "--package",
                "leptos-chat",
                "--package",
                "benches",
                "--package",
                "size-app",
                "--features",
                "wasm-websocket/test-util,wasm-websocket/json",
                "--all-targets",
                "--target",
                WASM_TARGET,
                "--",
                "-D",
                "warnings",
            ]),
        ),
        check(
            "cargo doc (wasm32)",
            cargo()
                .args([
                    "doc",
                    "--no-deps",
                    "--package",
                    "wasm-websocket",
                    "--features",
                    "json",
                    "--target",
                    WASM_TARGET,
                ])
                .env("RUSTDOCFLAGS", "-D warnings"),
        ),
        run_counted(
            "native tests",
            cargo().args(["test", "--workspace", "--features", "wasm-websocket/json"]),
        ),
        // The manifest keeps doctests out of plain `cargo test` (see its [lib] section).
        run_counted(
            "doctests (native)",
            cargo().args([
                "test",
                "--doc",
                "--package",
                "wasm-websocket",
                "--features",
                "json",
            ]),
        ),
    ];
    outcomes.extend(downstream::check());

    let (built, mounts) = build_apps();
    outcomes.extend(built);
    let server = Server::start(port()?, &mounts)?;
    for (browser, flag) in [("Firefox", "--firefox"), ("Chromium", "--chrome")] {
        // Exactly what a user types (README): the features come from the crate's
        // dev-dependency on itself, the time limit from .cargo/config.toml.
        let mut wasm_pack = Command::new("wasm-pack");
        wasm_pack
            .current_dir(root())
            .args(["test", "--headless", flag]);
        if server.port != DEFAULT_PORT {
            wasm_pack.env("WS_TEST_SERVER", server.url());
        }
        let mut outcome = run_counted(&format!("browser suite in {browser}"), &mut wasm_pack);
        if outcome.passed == 0 {
            eprintln!("the browser suite in {browser} ran no test");
            outcome.ok = false;
        }
        outcomes.push(outcome);
    }
    outcomes.extend(end_to_end(&server));
    drop(server);

    Ok(summary(&outcomes, started))
}

/// `cargo xtask e2e`: only the apps' builds and their end-to-end tests.
fn e2e_only() -> Result<bool> {
    let started = Instant::now();
    tools::ensure(&[Need::Wasm, Need::Trunk, Need::Browsers])?;
    let (mut outcomes, mounts) = build_apps();
    let server = Server::start(port()?, &mounts)?;
    outcomes.extend(end_to_end(&server));
    drop(server);
    Ok(summary(&outcomes, started))
}

/// Builds the demo and the examples with trunk, for serving under `/<app>/` by the test server;
/// returns the builds' outcomes and the server's mounts.
fn build_apps() -> (Vec<Outcome>, Vec<(String, PathBuf)>) {
    let mut outcomes = Vec::new();
    let mut mounts = Vec::new();
    for (app, dir) in e2e::APPS {
        let dir = root().join(dir);
        outcomes.push(check(
            &format!("trunk build of {app}"),
            Command::new("trunk").current_dir(&dir).args([
                "build",
                "--offline",
                "--public-url",
                &format!("/{app}/"),
            ]),
        ));
        mounts.push((format!("/{app}/"), dir.join("dist")));
    }
    (outcomes, mounts)
}

fn end_to_end(server: &Server) -> Vec<Outcome> {
    let mut outcomes = Vec::new();
    for browser in [webdriver::Browser::Chromium, webdriver::Browser::Firefox] {
        let outcome = match free_port() {
            Ok(driver_port) => e2e::run(browser, server.port, driver_port),
            Err(e) => {
                eprintln!("{e}");
                Outcome {
                    name: format!("end-to-end in {}", browser.name()),
                    passed: 0,
                    failed: 1,
                    ok: false,
                }
            }
        };
        outcomes.push(outcome);
    }
    outcomes
}

/// Prints every outcome and the `N passed, M failed` line; whether all passed.
fn summary(outcomes: &[Outcome], started: Instant) -> bool {
    banner("summary");
    let (mut passed, mut failed) = (0, 0);
    for o in outcomes {
        let status = if o.ok { "ok" } else { "FAILED" };
        println!(
            "{:<34} {status:<7} {} passed, {} failed",
            o.name, o.passed, o.failed
        );
        passed += o.passed;
        // A check that failed without a failing test (a lint, a build) still counts as a failure.
        failed += o.failed.max(u64::from(!o.ok));
    }
    println!("took {:.0?}", started.elapsed());
    println!("{passed} passed, {failed} failed");
    failed == 0
}

/// A loopback port nobody listens on now (for a WebDriver server).
fn free_port() -> Result<u16> {
    std::net::TcpListener::bind(("127.0.0.1", 0))
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .map_err(|e| format!("no free loopback port: {e}"))
}

// ---------------------------------------------------------------------------------------------
// cargo xtask server

/// `cargo xtask server`: the test server in the foreground, for `wasm-pack test` and
/// `trunk serve` by hand; Ctrl-C stops it.
fn serve_tests() -> Result<bool> {
    let mut server = Server::start(port()?, &[])?;
    println!(
        "test server: {} (http://127.0.0.1:{}/stats); Ctrl-C stops it",
        server.url(),
        server.port
    );
    let status = server
        .child
        .wait()
        .map_err(|e| format!("waiting for the test server: {e}"))?;
    Ok(status.success())
}

// ---------------------------------------------------------------------------------------------
// cargo xtask demo

fn demo(app: &str) -> Result<bool> {
    let dir = e2e::APPS
        .iter()
        .find(|(name, _)| *name == app)
        .map(|(_, dir)| root().join(dir))
        .ok_or_else(|| format!("no app {app:?}: choose demo, yew-chat or leptos-chat"))?;
    tools::ensure(&[Need::Wasm, Need::Trunk])?;
    // The apps' Trunk.toml proxy to this port, so the demo always uses the default one.
    let server = Server::start(DEFAULT_PORT, &[])?;
    banner("trunk serve (Ctrl-C stops the app and the test server)");
    let proxied = if app == "demo" {
        "/ws to /echo"
    } else {
        "/chat to /chat"
    };
    println!(
        "{app}: http://127.0.0.1:{DEMO_PORT}/  (the trunk proxy sends {proxied} on {})",
        server.url()
    );
    let ok = run(Command::new("trunk")
        .current_dir(dir)
        .args(["serve", "--offline", "--address", "127.0.0.1", "--port"])
        .arg(DEMO_PORT.to_string()))?;
    drop(server);
    Ok(ok)
}

#[cfg(test)]
mod tests {
    use super::parse_test_result;

    #[test]
    fn parses_cargo_and_wasm_bindgen_test_result_lines() {
        assert_eq!(
            parse_test_result("test result: ok. 12 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.89s"),
            Some((12, 0))
        );
        assert_eq!(
            parse_test_result("test result: FAILED. 3 passed; 2 failed; 0 ignored; 0 filtered out"),
            Some((3, 2))
        );
        assert_eq!(parse_test_result("running 3 tests"), None);
    }
}
