//! `cargo xtask test`, `e2e`, `csp`, `downstream`, `server`, `demo`, `tools`, `hidden-tab`, `bench` and
//! `layers`: everything set up from a fresh machine.
//!
//! Each command first installs what it needs and is missing (`tools.rs`: into a versioned per-user
//! cache, never over the user's own tools; browsers from the system's packages), then either
//! proves the crate works or serves something. The test server and the WebDriver servers are
//! started by PID and stopped by that PID.

mod bench;
mod browser;
mod csp;
mod downstream;
mod e2e;
mod hidden_tab;
mod layers;
mod process;
mod report;
mod server;
mod tools;

use anyhow::anyhow;
use report::{check, run_counted, summary, Outcome};
use server::Server;

use tools::Need;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

const WASM_TARGET: &str = "wasm32-unknown-unknown";
const DEFAULT_PORT: u16 = 9001;
const DEMO_PORT: u16 = 8080;
/// What `cargo xtask test` needs.
const ALL_TOOLS: [Need; 6] = [
    Need::Wasm,
    Need::Trunk,
    Need::WasmOpt,
    Need::WasmPack,
    Need::Browsers,
    Need::Nightly,
];

const USAGE: &str = "usage: cargo xtask <test|e2e|csp|downstream|server|demo [APP]|tools|hidden-tab|bench [--browser firefox|chrome|both | --size-only]|layers [SRC]>

  test   install what is missing, then the module layers, fmt, clippy (native and wasm32), doc,
         native tests, the browser suites (core, Yew, Leptos and Dioxus hooks) in Firefox and Chromium
         against the test server, the shared-memory build (nightly) in both, trunk builds of the
         demo and the examples, and their end-to-end tests in Chromium and Firefox
  e2e    only the trunk builds and the end-to-end tests (the CSP check included)
  csp    only the CSP check: the hidden-tab ticker on a page served under a real
         Content-Security-Policy, in Chromium and Firefox
  downstream  only the check of the crate as a dependency: a throwaway app with the oldest and
         the newest versions the manifest allows, and beside Yew, Leptos and Dioxus
  server the test server in the foreground (for `wasm-pack test` and `trunk serve` by hand);
         Ctrl-C stops it
  demo   install what the apps need (wasm32 target, wasm-bindgen CLI, trunk), start the test
         server and `trunk serve` APP: demo (www/, the default), yew-chat, leptos-chat or
         dioxus-chat
  tools  install every tool the tests use and print the PATH line that puts them first
  hidden-tab  the same upload through the Sink in a visible and in a hidden tab, in Chromium
         and Firefox, timed; fails if the hidden one takes more than 1.5× the visible one
  bench  run the benchmark (benches/) in headless browsers against the release test server,
         measure the minimal apps' sizes, print the table and write target/bench/results.md;
         --size-only: only the minimal apps' size table (no browser), printed
  layers only the module-import check of src/ (or SRC), no tool, no build: no circle between
         modules, no import from a higher layer (LAYERS in xtask/src/layers.rs), no `crate::Name`
         through the crate root's re-exports

environment: WS_TEST_PORT (test server port, default 9001)";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("test") => test(),
        Some("e2e") => e2e_only(),
        Some("csp") => csp::only(),
        Some("server") => serve_tests(),
        Some("downstream") => {
            let started = Instant::now();
            tools::ensure(&[Need::Nightly]).map(|_| summary(&downstream::check(), started))
        }
        Some("tools") => tools::print_path(),
        Some("layers") => {
            let src = args
                .get(1)
                .map_or_else(|| root().join("src"), PathBuf::from);
            Ok(layers::outcome(&src).ok)
        }
        Some("hidden-tab") => hidden_tab::hidden_tab(),
        Some("demo") => demo(args.get(1).map(String::as_str).unwrap_or("demo")),
        Some("bench") => match args.get(1..).unwrap_or_default() {
            [] => bench::bench(&["firefox", "chrome"]),
            [flag] if flag == "--size-only" => bench::size_only(),
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
            eprintln!("xtask: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// One error type for the whole xtask: a message, with the context that led to it.
type Result<T> = anyhow::Result<T>;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

/// `cargo metadata` of the workspace, as resolved in `Cargo.lock` (which must be current).
fn metadata() -> Result<cargo_metadata::Metadata> {
    cargo_metadata::MetadataCommand::new()
        .cargo_path(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .current_dir(root())
        .other_options(["--locked".to_owned()])
        .exec()
        .map_err(|e| anyhow!("cargo metadata: {e}"))
}

fn port() -> Result<u16> {
    match std::env::var("WS_TEST_PORT") {
        Ok(p) => p
            .parse()
            .map_err(|_| anyhow!("WS_TEST_PORT={p} is not a port number")),
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
        .map_err(|e| anyhow!("cannot run {cmd:?}: {e}"))
}

/// What a command printed on stdout, if it ran and succeeded.
fn output(program: &str, args: &[&str]) -> Option<String> {
    let out = Command::new(program).args(args).output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

// ---------------------------------------------------------------------------------------------
// cargo xtask test

fn test() -> Result<bool> {
    let started = Instant::now();
    tools::ensure(&ALL_TOOLS)?;
    let mut outcomes = vec![
        layers::outcome(&root().join("src")),
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
                FEATURES,
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
                "dioxus-chat",
                "--package",
                "benches",
                "--package",
                "size-app",
                "--package",
                "hidden-tab",
                "--package",
                "wasm-websocket-yew",
                "--package",
                "wasm-websocket-leptos",
                "--package",
                "wasm-websocket-dioxus",
                "--features",
                "wasm-websocket/test-util,wasm-websocket/json,wasm-websocket/codee,wasm-websocket/io",
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
                .args(["doc", "--no-deps"])
                .args(PUBLISHED_CRATES)
                .args(["--features", FEATURES, "--target", WASM_TARGET])
                .env("RUSTDOCFLAGS", "-D warnings"),
        ),
        run_counted(
            "native tests",
            cargo().args(["test", "--workspace", "--features", FEATURES]),
        ),
        // The manifest keeps doctests out of plain `cargo test` (see its [lib] section).
        run_counted(
            "doctests (native)",
            cargo()
                .args(["test", "--doc"])
                .args(PUBLISHED_CRATES)
                .args(["--features", FEATURES]),
        ),
    ];
    outcomes.extend(downstream::check());

    let (built, mounts) = build_apps();
    outcomes.extend(built);
    let server = Server::start(port()?, &mounts)?;
    for (browser, flag) in [("Firefox", "--firefox"), ("Chromium", "--chrome")] {
        for (suite, dir) in BROWSER_SUITES {
            // Exactly what a user types (docs/testing.md): the features come from each crate's
            // dev-dependency on the core, the time limit from .cargo/config.toml.
            let mut wasm_pack = Command::new("wasm-pack");
            wasm_pack
                .current_dir(root().join(dir))
                .args(["test", "--headless", flag]);
            if server.port != DEFAULT_PORT {
                wasm_pack.env("WS_TEST_SERVER", server.url());
            }
            let mut outcome = run_counted(&format!("{suite} in {browser}"), &mut wasm_pack);
            if outcome.passed == 0 {
                eprintln!("the {suite} in {browser} ran no test");
                outcome.ok = false;
            }
            outcomes.push(outcome);
        }
    }
    outcomes.push(shared_memory(&server));
    outcomes.extend(end_to_end(&server));
    drop(server);

    Ok(summary(&outcomes, started))
}

/// What a build with shared wasm memory needs on current nightly: the atomics, and the linker
/// told to share and import memory and to export what wasm-bindgen's thread support uses.
const SHARED_MEMORY_RUSTFLAGS: &str = "-C target-feature=+atomics,+bulk-memory \
     -C link-arg=--shared-memory -C link-arg=--import-memory -C link-arg=--max-memory=1073741824 \
     -C link-arg=--export=__wasm_init_tls -C link-arg=--export=__tls_size \
     -C link-arg=--export=__tls_align -C link-arg=--export=__tls_base";

/// The "shared memory" step: `tests/shared_memory` built as apps using wasm threads are (nightly,
/// `-Z build-std`, memory a `SharedArrayBuffer`), run in both browsers; one summary line.
fn shared_memory(server: &Server) -> Outcome {
    let mut total = Outcome {
        name: "shared memory".into(),
        passed: 0,
        failed: 0,
        ok: true,
    };
    for (browser, flag) in [("Firefox", "--firefox"), ("Chromium", "--chrome")] {
        let mut wasm_pack = Command::new("wasm-pack");
        wasm_pack
            .current_dir(root())
            .args(["test", "--headless", flag, "--", "--test", "shared_memory"])
            .args(["-Z", "build-std=panic_abort,std"])
            .env("RUSTUP_TOOLCHAIN", "nightly")
            .env("RUSTFLAGS", SHARED_MEMORY_RUSTFLAGS)
            // Other flags than the other builds': a target folder of its own keeps theirs.
            .env(
                "CARGO_TARGET_DIR",
                root().join("target").join("shared-memory"),
            )
            .env("WS_TEST_SERVER", server.url());
        let outcome = run_counted(&format!("shared memory in {browser}"), &mut wasm_pack);
        total.passed += outcome.passed;
        total.failed += outcome.failed;
        total.ok &= outcome.ok && outcome.passed > 0;
    }
    total
}

/// The core's optional features, on for every check.
const FEATURES: &str = "wasm-websocket/json,wasm-websocket/codee,wasm-websocket/io";

/// `--package` for each crate that is published: the core and the hooks.
const PUBLISHED_CRATES: [&str; 8] = [
    "--package",
    "wasm-websocket",
    "--package",
    "wasm-websocket-yew",
    "--package",
    "wasm-websocket-leptos",
    "--package",
    "wasm-websocket-dioxus",
];

/// The browser suites: the core's and the hooks', each run by `wasm-pack test` in its folder.
const BROWSER_SUITES: [(&str, &str); 4] = [
    ("browser suite", "."),
    ("Yew hooks", "integrations/yew"),
    ("Leptos hooks", "integrations/leptos"),
    ("Dioxus hooks", "integrations/dioxus"),
];

/// `cargo xtask e2e`: only the apps' builds and their end-to-end tests.
fn e2e_only() -> Result<bool> {
    let started = Instant::now();
    tools::ensure(&[Need::Wasm, Need::Trunk, Need::WasmOpt, Need::Browsers])?;
    let (mut outcomes, mounts) = build_apps();
    let server = Server::start(port()?, &mounts)?;
    outcomes.extend(end_to_end(&server));
    drop(server);
    Ok(summary(&outcomes, started))
}

/// Builds the demo and the examples with trunk, for serving under `/<app>/` by the test server,
/// and the page of the CSP check (`csp.rs`); returns the builds' outcomes and the server's
/// mounts.
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
    outcomes.push(csp::build(&csp::dir()));
    mounts.push((csp::PREFIX.to_owned(), csp::dir()));
    (outcomes, mounts)
}

fn end_to_end(server: &Server) -> Vec<Outcome> {
    let mut outcomes = Vec::new();
    for browser in [browser::Browser::Chromium, browser::Browser::Firefox] {
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

/// A loopback port nobody listens on now (for a WebDriver server).
fn free_port() -> Result<u16> {
    std::net::TcpListener::bind(("127.0.0.1", 0))
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .map_err(|e| anyhow!("no free loopback port: {e}"))
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
    Ok(server.process.wait()?.success())
}

// ---------------------------------------------------------------------------------------------
// cargo xtask demo

fn demo(app: &str) -> Result<bool> {
    let dir = e2e::APPS
        .iter()
        .find(|(name, _)| *name == app)
        .map(|(_, dir)| root().join(dir))
        .ok_or_else(|| {
            anyhow!("no app {app:?}: choose demo, yew-chat, leptos-chat or dioxus-chat")
        })?;
    tools::ensure(&[Need::Wasm, Need::Trunk, Need::WasmOpt])?;
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
