//! A real SMTP server for mail tests: aiosmtpd (PyPI; `scripts/lib.sh`'s `ensure_aiosmtpd`
//! installs it and names its Python in `COLMENA_AIOSMTPD_PYTHON`), running `smtp_sink.py`,
//! which writes each message it accepts to a directory as an `.eml` file.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running SMTP server, stopped on drop.
pub struct SmtpSink {
    child: Child,
    /// Where each accepted message is written.
    pub dir: PathBuf,
    /// The port it listens on (127.0.0.1).
    pub port: u16,
}

/// An unused loopback port (for a server to start on later).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|addr| addr.port())
        .expect("a free loopback port")
}

/// `smtp://127.0.0.1:PORT`.
pub fn smtp_url(port: u16) -> String {
    format!("smtp://127.0.0.1:{port}")
}

/// The Python that has aiosmtpd: `COLMENA_AIOSMTPD_PYTHON`, else the virtualenv
/// `ensure_aiosmtpd` made in the tools directory (so that `cargo test --test mail` runs alone
/// once it is installed), else `python3`.
fn aiosmtpd_python() -> String {
    if let Ok(python) = std::env::var("COLMENA_AIOSMTPD_PYTHON") {
        return python;
    }
    let tools = std::env::var("COLMENA_TOOLS_DIR")
        .map(PathBuf::from)
        .or_else(|_| {
            std::env::var("HOME").map(|home| Path::new(&home).join(".cache/colmena-tools"))
        });
    tools
        .ok()
        .and_then(|tools| std::fs::read_dir(tools).ok())
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .filter(|entry| entry.file_name().to_string_lossy().starts_with("aiosmtpd-"))
        .map(|entry| entry.path().join("bin/python"))
        .find(|python| python.exists())
        .map_or_else(
            || "python3".to_owned(),
            |python| python.display().to_string(),
        )
}

impl SmtpSink {
    /// Starts aiosmtpd on `port`, writing messages to `dir`.
    ///
    /// # Panics
    /// When aiosmtpd is not installed or does not start: mail tests cannot run without it.
    pub fn start(port: u16, dir: &Path) -> Self {
        let python = aiosmtpd_python();
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("smtp_sink.py");
        let mut child = Command::new(&python)
            .arg(&script)
            .arg(port.to_string())
            .arg(dir)
            .stdout(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot run {python}: {e}"));
        let stdout = child.stdout.take().expect("piped stdout");
        let mut line = String::new();
        let _ = BufReader::new(stdout).read_line(&mut line);
        if line.trim() != "ready" {
            let _ = child.kill();
            panic!(
                "aiosmtpd did not start: run `source scripts/lib.sh; ensure_aiosmtpd` and set \
                 COLMENA_AIOSMTPD_PYTHON (scripts/test.sh does both)"
            );
        }
        Self {
            child,
            dir: dir.to_owned(),
            port,
        }
    }

    /// Every message received so far, oldest first.
    pub fn messages(&self) -> Vec<String> {
        let mut files: Vec<PathBuf> = std::fs::read_dir(&self.dir)
            .map(|entries| {
                entries
                    .filter_map(Result::ok)
                    .map(|entry| entry.path())
                    .filter(|path| path.extension().is_some_and(|ext| ext == "eml"))
                    .collect()
            })
            .unwrap_or_default();
        files.sort();
        files
            .iter()
            .filter_map(|path| std::fs::read_to_string(path).ok())
            .collect()
    }

    /// The first message holding every one of `needles`, waiting up to `timeout` for one.
    pub fn wait_for(&self, needles: &[&str], timeout: Duration) -> Option<String> {
        let deadline = Instant::now() + timeout;
        loop {
            let found = self
                .messages()
                .into_iter()
                .find(|message| needles.iter().all(|needle| message.contains(needle)));
            if found.is_some() || Instant::now() >= deadline {
                return found;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
