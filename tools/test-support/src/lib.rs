#![doc = include_str!("../README.md")]

pub mod smtp;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A running `colmena-server` process, killed on drop.
pub struct TestServer {
    child: Child,
    /// Base URL, e.g. `http://127.0.0.1:43127`.
    pub base_url: String,
    /// Directory holding this server's database and media files.
    pub data_dir: PathBuf,
    owns_data_dir: bool,
    /// Everything the server printed so far, its log included (warnings, and the mail it
    /// would send).
    output: Arc<Mutex<Vec<String>>>,
}

/// The PostgreSQL server to test against instead of SQLite, from `COLMENA_TEST_POSTGRES_URL`
/// (e.g. `postgres://colmena:colmena@127.0.0.1:55432`, no database name): each test server then
/// gets a database of its own, dropped with it.
pub fn postgres_base_url() -> Option<String> {
    std::env::var("COLMENA_TEST_POSTGRES_URL")
        .ok()
        .filter(|url| !url.is_empty())
        .map(|url| url.trim_end_matches('/').to_owned())
}

/// Which database engine the test servers use: `postgres` or `sqlite`.
pub fn database_engine() -> &'static str {
    if postgres_base_url().is_some() {
        "postgres"
    } else {
        "sqlite"
    }
}

fn postgres_database_name(data_dir: &Path) -> String {
    let dir = data_dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let safe: String = dir
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    format!("colmena_{safe}")
}

fn psql(base_url: &str, sql: &str) -> std::io::Result<std::process::Output> {
    Command::new("psql")
        .arg(format!("{base_url}/postgres"))
        .args(["-v", "ON_ERROR_STOP=1", "-qc", sql])
        .output()
}

/// Creates (when absent) the database of the server whose data lives in `data_dir`.
fn create_postgres_database(base_url: &str, data_dir: &Path) -> String {
    let name = postgres_database_name(data_dir);
    let output = psql(base_url, &format!("CREATE DATABASE {name}")).expect("run psql");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success() || stderr.contains("already exists"),
        "cannot create database {name}: {stderr}"
    );
    format!("{base_url}/{name}")
}

/// The server binary: `COLMENA_SERVER_BIN`, else `target/debug/colmena-server` of this workspace.
pub fn server_binary() -> PathBuf {
    if let Some(path) = std::env::var_os("COLMENA_SERVER_BIN") {
        return PathBuf::from(path);
    }
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace.join("target"));
    target.join("debug").join("colmena-server")
}

/// How to start a [`TestServer`].
#[derive(Debug, Clone)]
pub struct StartOptions<'a> {
    /// Pass `--demo` (seed the demo stores).
    pub demo: bool,
    /// Reuse this data directory (database and media) instead of a fresh one; it is then kept.
    pub data_dir: Option<PathBuf>,
    /// Appended to the command line.
    pub extra_args: &'a [&'a str],
    /// Environment variables set for the server (`RUST_LOG` overrides the default).
    pub env: &'a [(&'a str, &'a str)],
}

impl Default for StartOptions<'_> {
    fn default() -> Self {
        Self {
            demo: true,
            data_dir: None,
            extra_args: &[],
            env: &[],
        }
    }
}

/// A fresh, unique directory under the system's temporary directory.
pub fn fresh_data_dir() -> PathBuf {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let dir = std::env::temp_dir().join(format!(
        "colmena-test-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create test data directory");
    dir
}

impl TestServer {
    /// Starts `binary` with the demo stores on a free port; `extra_args` are appended.
    pub fn start(binary: &Path, extra_args: &[&str]) -> Self {
        Self::start_with(
            binary,
            &StartOptions {
                extra_args,
                ..StartOptions::default()
            },
        )
    }

    /// Starts `binary` on a free port as `options` say.
    ///
    /// # Panics
    /// When the binary is missing or the server does not start: tests cannot run without it.
    pub fn start_with(binary: &Path, options: &StartOptions<'_>) -> Self {
        assert!(
            binary.exists(),
            "{} not found: build it with `cargo build -p colmena-server` or set COLMENA_SERVER_BIN",
            binary.display()
        );
        let (data_dir, owned) = match &options.data_dir {
            Some(dir) => (dir.clone(), false),
            None => (fresh_data_dir(), true),
        };
        let database_url = match postgres_base_url() {
            Some(base) => create_postgres_database(&base, &data_dir),
            None => format!("sqlite://{}", data_dir.join("colmena.db").display()),
        };
        let media_dir = data_dir.join("media");
        let mut command = Command::new(binary);
        command
            .args(["--addr", "127.0.0.1:0", "--database-url", &database_url])
            .arg("--media-dir")
            .arg(&media_dir)
            .arg("--files-dir")
            .arg(data_dir.join("files"))
            .arg("--mail-dir")
            .arg(data_dir.join("mail"))
            .args(options.extra_args);
        if options.demo {
            command.arg("--demo");
        }
        let mut child = command
            // Warnings, and the paths of the messages it writes as .eml files (at info).
            .env("RUST_LOG", "warn,colmena::mail=info")
            .envs(options.env.iter().copied())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn colmena-server");
        let stdout = child.stdout.take().expect("piped stdout");
        let stderr = child.stderr.take().expect("piped stderr");
        let (sender, receiver) = std::sync::mpsc::channel();
        let output = Arc::new(Mutex::new(Vec::new()));
        let collected = Arc::clone(&output);
        // The server prints `listening on http://ADDR` once its socket is bound.
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(url) = line.strip_prefix("listening on ") {
                    let _ = sender.send(url.trim().to_owned());
                }
                collected
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .push(line);
            }
        });
        // The log: passed on to the test's own stderr, and kept for `output_line`, with the
        // lines of each message the server writes as an .eml file (so that tests find the
        // links it mails).
        let collected = Arc::clone(&output);
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                eprintln!("{line}");
                let mail = written_mail(&line);
                let mut output = collected.lock().unwrap_or_else(|e| e.into_inner());
                output.push(line);
                output.extend(mail);
            }
        });
        let base_url = match receiver.recv_timeout(Duration::from_secs(60)) {
            Ok(url) => url,
            Err(_) => {
                let _ = child.kill();
                panic!("colmena-server did not report its address within 60 s");
            }
        };
        Self {
            child,
            base_url,
            data_dir,
            owns_data_dir: owned,
            output,
        }
    }

    /// The last line the server printed that contains `needle`, waiting up to `timeout` for
    /// one to appear.
    pub fn output_line(&self, needle: &str, timeout: Duration) -> Option<String> {
        let deadline = Instant::now() + timeout;
        loop {
            let found = self
                .output
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .iter()
                .rev()
                .find(|line| line.contains(needle))
                .cloned();
            if found.is_some() || Instant::now() >= deadline {
                return found;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// The server's process id (to send it signals).
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Waits up to `timeout` for the server to exit by itself; its exit status, if it did.
    pub fn wait_for_exit(&mut self, timeout: Duration) -> Option<std::process::ExitStatus> {
        let deadline = Instant::now() + timeout;
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Some(status);
            }
            if Instant::now() >= deadline {
                return None;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Starts the workspace's server binary; see [`TestServer::start`].
    pub fn start_default(extra_args: &[&str]) -> Self {
        Self::start(&server_binary(), extra_args)
    }

    /// `base_url` joined with `path` (which starts with `/`).
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }
}

/// The lines of the `.eml` file a log line says the server wrote (`mail written to PATH`), if
/// it is one.
fn written_mail(line: &str) -> Vec<String> {
    let Some((_, rest)) = line.split_once("mail written to ") else {
        return Vec::new();
    };
    let path: String = rest
        .chars()
        .take_while(|c| !c.is_whitespace() && *c != '\u{1b}')
        .collect();
    std::fs::read_to_string(path)
        .map(|text| text.lines().map(str::to_owned).collect())
        .unwrap_or_default()
}

/// The database of servers started on `data_dir`, created when the tests run on PostgreSQL
/// (SQLite creates its file itself); its URL.
pub fn prepare_database(data_dir: &Path) -> String {
    match postgres_base_url() {
        Some(base) => create_postgres_database(&base, data_dir),
        None => database_url(data_dir),
    }
}

/// The database URL of servers started on `data_dir`.
pub fn database_url(data_dir: &Path) -> String {
    match postgres_base_url() {
        Some(base) => format!("{base}/{}", postgres_database_name(data_dir)),
        None => format!("sqlite://{}", data_dir.join("colmena.db").display()),
    }
}

/// Removes a data directory that servers were started on with [`StartOptions::data_dir`] (and
/// so kept): the directory, and its PostgreSQL database when the tests run on PostgreSQL.
pub fn remove_data_dir(data_dir: &Path) {
    if let Some(base) = postgres_base_url() {
        let name = postgres_database_name(data_dir);
        let _ = psql(
            &base,
            &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
        );
    }
    let _ = std::fs::remove_dir_all(data_dir);
}

impl Drop for TestServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        if self.owns_data_dir {
            if let Some(base) = postgres_base_url() {
                let name = postgres_database_name(&self.data_dir);
                let _ = psql(
                    &base,
                    &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
                );
            }
            let _ = std::fs::remove_dir_all(&self.data_dir);
        }
    }
}
