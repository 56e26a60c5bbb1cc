//! Running checks and test suites, counting what they report, and the closing summary.

use std::io::{BufRead, BufReader, Read};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use crate::{banner, run};

/// Test counts of one suite or check.
#[derive(Debug)]
pub struct Outcome {
    pub name: String,
    pub passed: u64,
    pub failed: u64,
    pub ok: bool,
}

/// Runs a command, echoing its output, and adds up the `test result:` lines it prints
/// (cargo test and wasm-bindgen-test both print them).
pub fn run_counted(name: &str, cmd: &mut Command) -> Outcome {
    run_captured(name, cmd, "").0
}

/// [`run_counted`], also returning the stdout lines that start with `keep`.
pub fn run_captured(name: &str, cmd: &mut Command, keep: &str) -> (Outcome, Vec<String>) {
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

/// Runs a check that counts no tests (a lint, a build): one outcome named `name`.
pub fn check(name: &str, cmd: &mut Command) -> Outcome {
    check_each(name, [cmd])
}

/// Runs `commands` in order until one fails: one outcome named `name`, with no test counts.
pub fn check_each<'a>(name: &str, commands: impl IntoIterator<Item = &'a mut Command>) -> Outcome {
    banner(name);
    let ok = commands.into_iter().all(|cmd| {
        run(cmd).unwrap_or_else(|e| {
            eprintln!("{e:#}");
            false
        })
    });
    Outcome {
        name: name.into(),
        passed: 0,
        failed: 0,
        ok,
    }
}

/// Prints every outcome and the `N passed, M failed` line; whether all passed.
pub fn summary(outcomes: &[Outcome], started: Instant) -> bool {
    banner("summary");
    let (mut passed, mut failed) = (0, 0);
    for o in outcomes {
        let status = if o.ok { "ok" } else { "FAILED" };
        println!(
            "{:<38} {status:<7} {} passed, {} failed",
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
