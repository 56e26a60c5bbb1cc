//! The test server, started from its release build and stopped by the PID this process started.

use anyhow::anyhow;
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command};
use std::time::{Duration, Instant};

use crate::{banner, cargo, root, run, Result};

/// The test server, stopped (by the PID this process started) when dropped.
pub struct Server {
    pub child: Child,
    pub port: u16,
}

impl Server {
    /// Starts the release build on `port`, serving each `(prefix, folder)` of `mounts` too.
    pub fn start(port: u16, mounts: &[(String, PathBuf)]) -> Result<Server> {
        banner("building the test server (release)");
        if !run(cargo().args(["build", "--release", "--package", "test-server"]))? {
            return Err(anyhow!("the test server did not build"));
        }
        if TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return Err(anyhow!(
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
            .map_err(|e| anyhow!("cannot start {}: {e}", exe.display()))?;
        let deadline = Instant::now() + Duration::from_secs(10);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            if let Ok(Some(status)) = child.try_wait() {
                return Err(anyhow!("the test server exited at start: {status}"));
            }
            if Instant::now() > deadline {
                let _ = child.kill();
                return Err(anyhow!(
                    "the test server did not listen on {port} within 10 s"
                ));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        println!("test server pid {} on 127.0.0.1:{port}", child.id());
        Ok(Server { child, port })
    }

    pub fn url(&self) -> String {
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
