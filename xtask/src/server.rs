//! The test server, started from its release build and stopped by the PID this process started.

use anyhow::anyhow;
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

use crate::process::Process;
use crate::{banner, cargo, root, run, Result};

/// The test server, stopped (by the PID this process started) when dropped.
pub struct Server {
    pub process: Process,
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
        let mut command = Command::new(root().join("target/release/test-server"));
        command.args(["--port", &port.to_string()]);
        for (prefix, dir) in mounts {
            command
                .arg("--static")
                .arg(format!("{prefix}={}", dir.display()));
        }
        let process =
            Process::listening(&mut command, "test server", port, Duration::from_secs(10))?;
        println!("test server pid {} on 127.0.0.1:{port}", process.id());
        Ok(Server { process, port })
    }

    pub fn url(&self) -> String {
        format!("ws://127.0.0.1:{}", self.port)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        println!("stopping test server pid {}", self.process.id());
    }
}
