//! A process the xtask starts and stops by its PID, and the wait for it to listen.

use anyhow::anyhow;
use std::net::TcpStream;
use std::process::{Child, Command, ExitStatus};
use std::time::{Duration, Instant};

use crate::Result;

/// A child process, killed (by the PID this process started) when dropped.
pub struct Process {
    child: Child,
    name: String,
}

impl Process {
    /// Starts `command`, then waits up to `within` for it to listen on loopback `port`.
    pub fn listening(
        command: &mut Command,
        name: &str,
        port: u16,
        within: Duration,
    ) -> Result<Process> {
        let child = command.spawn().map_err(|e| {
            let program = command.get_program().to_string_lossy();
            anyhow!("cannot start the {name} ({program}): {e}")
        })?;
        let mut process = Process {
            child,
            name: name.to_owned(),
        };
        let deadline = Instant::now() + within;
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            if let Ok(Some(status)) = process.child.try_wait() {
                return Err(anyhow!("the {name} exited at start: {status}"));
            }
            if Instant::now() > deadline {
                return Err(anyhow!(
                    "the {name} did not listen on {port} within {within:?}"
                ));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        Ok(process)
    }

    pub fn id(&self) -> u32 {
        self.child.id()
    }

    /// Waits for the process to end by itself.
    pub fn wait(&mut self) -> Result<ExitStatus> {
        self.child
            .wait()
            .map_err(|e| anyhow!("waiting for the {}: {e}", self.name))
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
