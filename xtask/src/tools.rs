//! The tools the xtask runs, installed once per user and never over the user's own copies.
//!
//! Each cargo-installed tool gets a folder of its own named after its version,
//! `$XDG_CACHE_HOME/wasm-websocket/tools/<crate>-<version>` (`~/.cache/…` by default): outside
//! the repository, so every fresh clone (and CI, which always clones fresh) reuses it, and
//! versioned, so a tool the user installed elsewhere, of whatever version, stays as it is. The
//! xtask puts these folders first on its own `PATH`, which every command it runs inherits.
//! Browsers stay a system install.

use anyhow::anyhow;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use crate::{output, run, Result, WASM_TARGET};

/// trunk 0.22 needs a newer rustc than this project supports.
const TRUNK_VERSION: &str = "0.21.14";
const WASM_PACK_VERSION: &str = "0.15.1";
const GECKODRIVER_VERSION: &str = "0.37.1";
/// Binaryen from npm (the build of wasm-opt that runs on node): Debian's wasm-opt 108 cannot read
/// the modules current rustc emits, and binaryen publishes no crate.
const BINARYEN_VERSION: &str = "132.0.0";

/// What a command needs installed before it runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// The wasm32 target and the wasm-bindgen CLI matching `Cargo.lock`.
    Wasm,
    /// trunk, to build and serve the apps.
    Trunk,
    /// wasm-pack, for the browser suite and the benchmark.
    WasmPack,
    /// Firefox, Chromium, chromedriver and geckodriver.
    Browsers,
    /// The nightly toolchain with `rust-src` and the wasm32 target, for the shared-memory build
    /// (`-Z build-std`).
    Nightly,
    /// wasm-opt (binaryen, through npm), for release builds with `data-wasm-opt` and the size
    /// table.
    WasmOpt,
}

/// Which dependency versions a tool is built with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lock {
    /// The tool's published lock file (`--locked`): what its authors tested.
    Published,
    /// Newest compatible versions, when the published lock names one the registry lacks.
    Resolve,
}

/// A tool `cargo install` builds into its own versioned folder.
#[derive(Debug, Clone, PartialEq, Eq)]
struct CargoTool {
    krate: &'static str,
    /// The binary whose presence says the folder is complete.
    bin: &'static str,
    version: String,
}

impl CargoTool {
    fn folder(&self, cache: &Path) -> PathBuf {
        cache.join(format!("{}-{}", self.krate, self.version))
    }

    /// Pinned and into its own folder: never `--force`, never the user's `~/.cargo/bin`.
    fn install_command(&self, cache: &Path, lock: Lock) -> Command {
        let mut cmd = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
        cmd.args(["install", self.krate, "--version", &self.version]);
        if lock == Lock::Published {
            cmd.arg("--locked");
        }
        cmd.arg("--root").arg(self.folder(cache));
        cmd
    }
}

/// Installs what `needs` asks for, unless already there, and puts the tool folders first on
/// this process's `PATH`; returns those folders.
pub fn ensure(needs: &[Need]) -> Result<Vec<PathBuf>> {
    crate::banner("checking tools");
    let installed = output("rustup", &["target", "list", "--installed"]).unwrap_or_default();
    if !installed.lines().any(|l| l.trim() == WASM_TARGET) {
        install(Command::new("rustup").args(["target", "add", WASM_TARGET]))?;
    }
    if needs.contains(&Need::Nightly) {
        ensure_nightly()?;
    }
    let cache = cache_dir()?;
    let mut folders = Vec::new();
    for tool in cargo_tools(needs)? {
        let folder = tool.folder(&cache);
        let installed = folder.join("bin").join(tool.bin).exists();
        if !installed && install(&mut tool.install_command(&cache, Lock::Published)).is_err() {
            // A registry mirror may lack a version the tool's published lock file names
            // (seen: webpki-roots 1.0.11 for wasm-bindgen-cli 0.2.130). The tool's own
            // version stays pinned; only its dependencies are resolved anew.
            println!("retrying without the tool's published lock file");
            install(&mut tool.install_command(&cache, Lock::Resolve))?;
        }
        folders.push(folder.join("bin"));
    }
    if needs.contains(&Need::WasmOpt) {
        folders.push(ensure_binaryen(&cache)?);
    }
    put_first_on_path(&folders)?;
    if needs.contains(&Need::Browsers) {
        ensure_browsers()?;
    }
    for (tool, need) in [
        ("wasm-bindgen", Need::Wasm),
        ("trunk", Need::Trunk),
        ("wasm-pack", Need::WasmPack),
        ("geckodriver", Need::Browsers),
        ("firefox", Need::Browsers),
        ("chromium", Need::Browsers),
        ("chromedriver", Need::Browsers),
        ("wasm-opt", Need::WasmOpt),
    ] {
        if needs.contains(&need) {
            let v = output(tool, &["--version"]).unwrap_or_default();
            println!("{tool:>12}: {}", v.lines().next().unwrap_or("?").trim());
        }
    }
    Ok(folders)
}

/// Nightly with `rust-src` and the wasm32 target. An installed nightly is kept as it is (adding a
/// component never updates it); a missing one is installed with only what the build needs.
fn ensure_nightly() -> Result<()> {
    let toolchains = output("rustup", &["toolchain", "list"]).unwrap_or_default();
    if !toolchains.lines().any(|l| l.starts_with("nightly")) {
        return install(Command::new("rustup").args([
            "toolchain",
            "install",
            "nightly",
            "--profile",
            "minimal",
            "--component",
            "rust-src",
            "--target",
            WASM_TARGET,
        ]));
    }
    install(Command::new("rustup").args([
        "component",
        "add",
        "rust-src",
        "--toolchain",
        "nightly",
    ]))?;
    install(Command::new("rustup").args(["target", "add", WASM_TARGET, "--toolchain", "nightly"]))
}

/// Binaryen into `<cache>/binaryen-<version>` with npm; returns the folder holding `wasm-opt`.
/// npm and node come from the system's packages, as the browsers do.
fn ensure_binaryen(cache: &Path) -> Result<PathBuf> {
    let folder = cache.join(format!("binaryen-{BINARYEN_VERSION}"));
    let bin = folder.join("node_modules").join(".bin");
    if bin.join("wasm-opt").exists() {
        return Ok(bin);
    }
    if output("npm", &["--version"]).is_none() {
        apt_install(&["nodejs", "npm"], "wasm-opt runs on node")?;
    }
    install(
        Command::new("npm")
            .args(["install", "--no-audit", "--no-fund", "--prefix"])
            .arg(&folder)
            .arg(format!("binaryen@{BINARYEN_VERSION}")),
    )?;
    Ok(bin)
}

fn cargo_tools(needs: &[Need]) -> Result<Vec<CargoTool>> {
    let mut tools = Vec::new();
    for need in needs {
        tools.push(match need {
            Need::Wasm => CargoTool {
                krate: "wasm-bindgen-cli",
                bin: "wasm-bindgen",
                version: lock_version("wasm-bindgen")?,
            },
            Need::Trunk => CargoTool {
                krate: "trunk",
                bin: "trunk",
                version: TRUNK_VERSION.into(),
            },
            Need::WasmPack => CargoTool {
                krate: "wasm-pack",
                bin: "wasm-pack",
                version: WASM_PACK_VERSION.into(),
            },
            Need::Browsers => CargoTool {
                krate: "geckodriver",
                bin: "geckodriver",
                version: GECKODRIVER_VERSION.into(),
            },
            // A rustup toolchain and an npm package, not cargo-installed tools.
            Need::Nightly | Need::WasmOpt => continue,
        });
    }
    Ok(tools)
}

/// `$XDG_CACHE_HOME/wasm-websocket/tools`, or `~/.cache/wasm-websocket/tools`.
fn cache_dir() -> Result<PathBuf> {
    let base = match std::env::var_os("XDG_CACHE_HOME").filter(|v| !v.is_empty()) {
        Some(dir) => PathBuf::from(dir),
        None => std::env::var_os("HOME")
            .map(|home| PathBuf::from(home).join(".cache"))
            .ok_or_else(|| {
                anyhow!("neither XDG_CACHE_HOME nor HOME is set: no place for the tool cache")
            })?,
    };
    Ok(base.join("wasm-websocket").join("tools"))
}

/// `cargo xtask tools`: installs everything `cargo xtask test` needs and prints the line that
/// puts the tool folders first on a shell's `PATH`, for running `wasm-pack test` or
/// `trunk serve` by hand with exactly these tools (on a machine that cannot download them).
pub fn print_path() -> Result<bool> {
    let folders = ensure(&crate::ALL_TOOLS)?;
    let joined: OsString =
        std::env::join_paths(&folders).map_err(|e| anyhow!("cannot join tool folders: {e}"))?;
    println!("\nexport PATH=\"{}:$PATH\"", joined.to_string_lossy());
    Ok(true)
}

fn put_first_on_path(folders: &[PathBuf]) -> Result<()> {
    let old = std::env::var_os("PATH").unwrap_or_default();
    let all = folders
        .iter()
        .cloned()
        .chain(std::env::split_paths(&old))
        .collect::<Vec<_>>();
    let joined = std::env::join_paths(all).map_err(|e| anyhow!("cannot set PATH: {e}"))?;
    // Single-threaded here, before any command runs: every child inherits the new PATH.
    std::env::set_var("PATH", joined);
    Ok(())
}

fn install(cmd: &mut Command) -> Result<()> {
    println!("installing: {cmd:?}");
    let started = Instant::now();
    if !run(cmd)? {
        return Err(anyhow!("install step failed: {cmd:?}"));
    }
    println!("installed in {:.0?}", started.elapsed());
    Ok(())
}

/// The version of `name` that Cargo.lock resolved, as `cargo metadata` reports it.
fn lock_version(name: &str) -> Result<String> {
    let metadata = crate::metadata()?;
    let mut versions: Vec<String> = metadata
        .packages
        .iter()
        .filter(|p| p.name.as_str() == name)
        .map(|p| p.version.to_string())
        .collect();
    versions.dedup();
    match versions.as_slice() {
        [one] => Ok(one.clone()),
        [] => Err(anyhow!("{name} is not in Cargo.lock")),
        many => Err(anyhow!("Cargo.lock holds several {name}: {many:?}")),
    }
}

/// Firefox, Chromium and chromedriver from the system's packages: on Debian or Ubuntu as root
/// through apt, elsewhere a message that says what to install.
fn ensure_browsers() -> Result<()> {
    let missing: Vec<&str> = [
        ("firefox", &["firefox-esr", "firefox"][..]),
        ("chromium", &["chromium", "chromium-browser"]),
        ("chromedriver", &["chromium-driver"]),
    ]
    .into_iter()
    .filter(|(bin, _)| output(bin, &["--version"]).is_none())
    .map(|(_, packages)| packages)
    .map(|packages| {
        // Debian has firefox-esr and chromium; Ubuntu has neither name, but firefox and
        // chromium-browser.
        packages
            .iter()
            .copied()
            .find(|p| has_apt_candidate(p))
            .unwrap_or(packages[0])
    })
    .collect();
    if missing.is_empty() {
        return Ok(());
    }
    apt_install(
        &missing,
        "the browser tests need Firefox, Chromium and a chromedriver of Chromium's version",
    )
}

/// Debian packages through apt as root; elsewhere an error that says what to install and why.
fn apt_install(packages: &[&str], why: &str) -> Result<()> {
    let root_user = output("id", &["-u"]).is_some_and(|u| u.trim() == "0");
    let apt = output("apt-get", &["--version"]).is_some();
    if !(root_user && apt) {
        return Err(anyhow!(
            "{why}; missing: {} (Debian package names). Install them, then run this again",
            packages.join(" ")
        ));
    }
    install(Command::new("apt-get").args(["update", "-q"]))?;
    install(
        Command::new("apt-get")
            .args(["install", "-y", "-q", "--no-install-recommends"])
            .args(packages)
            .env("DEBIAN_FRONTEND", "noninteractive"),
    )
}

fn has_apt_candidate(package: &str) -> bool {
    output("apt-cache", &["policy", package]).is_some_and(|policy| {
        policy
            .lines()
            .filter_map(|l| l.trim().strip_prefix("Candidate:"))
            .any(|c| c.trim() != "(none)")
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::root;

    fn args_of(cmd: &Command) -> Vec<String> {
        cmd.get_args()
            .map(|a| a.to_string_lossy().into_owned())
            .collect()
    }

    #[test]
    fn installs_are_pinned_locked_and_into_their_own_folder_never_forced() {
        let cache = Path::new("/cache/wasm-websocket/tools");
        let tool = CargoTool {
            krate: "trunk",
            bin: "trunk",
            version: TRUNK_VERSION.into(),
        };
        let args = args_of(&tool.install_command(cache, Lock::Published));
        assert_eq!(
            args,
            [
                "install",
                "trunk",
                "--version",
                TRUNK_VERSION,
                "--locked",
                "--root",
                "/cache/wasm-websocket/tools/trunk-0.21.14",
            ]
        );
        assert!(!args.iter().any(|a| a == "--force" || a == "-f"));
        let unlocked = args_of(&tool.install_command(cache, Lock::Resolve));
        assert!(unlocked.contains(&"--root".to_owned()));
        assert!(!unlocked.iter().any(|a| a == "--force" || a == "-f"));
    }

    #[test]
    fn the_wasm_bindgen_cli_is_the_locked_version() {
        let wasm = cargo_tools(&[Need::Wasm]).unwrap();
        assert_eq!(wasm[0].krate, "wasm-bindgen-cli");
        let lock = std::fs::read_to_string(root().join("Cargo.lock")).unwrap();
        let pinned = format!("name = \"wasm-bindgen\"\nversion = \"{}\"", wasm[0].version);
        assert!(lock.contains(&pinned), "{pinned} not in Cargo.lock");
    }
}
