//! What an operator relies on, over real HTTP and real processes:
//! - liveness and readiness apart, and an orderly stop that answers requests in flight;
//! - migrations as a release step (`migrate`, `--no-migrate`);
//! - security headers and gzip;
//! - JSON logs and OpenTelemetry traces sent to a collector;
//! - rate limits shared through a real Redis, which keep holding when Redis goes away.
#![allow(clippy::unwrap_used, missing_docs)]

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command};
use std::time::{Duration, Instant};

use colmena_test_support::smtp::free_port;
use colmena_test_support::{
    fresh_data_dir, prepare_database, remove_data_dir, StartOptions, TestServer,
};
use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_colmena-server");

async fn get(url: &str) -> (u16, reqwest::header::HeaderMap, Vec<u8>) {
    let response = reqwest::get(url).await.unwrap();
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    (status, headers, response.bytes().await.unwrap().to_vec())
}

fn json(bytes: &[u8]) -> Value {
    serde_json::from_slice(bytes).unwrap()
}

/// A server reached on its own address (its public URL names a proxy).
struct Local<'a>(&'a str);

impl Local<'_> {
    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.0)
    }
}

fn signal(pid: u32, name: &str) {
    let sent = Command::new("kill")
        .args([&format!("-{name}"), &pid.to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
}

#[tokio::test]
async fn readiness_drops_first_and_requests_in_flight_are_answered_on_sigterm() {
    let mut server = TestServer::start_with(
        Path::new(BIN),
        &StartOptions {
            extra_args: &["--shutdown-delay-seconds", "2"],
            env: &[("RUST_LOG", "colmena_server=info")],
            ..StartOptions::default()
        },
    );
    let (status, _, body) = get(&server.url("/livez")).await;
    assert_eq!(
        (status, json(&body)["status"].as_str()),
        (200, Some("live"))
    );
    let (status, _, body) = get(&server.url("/readyz")).await;
    assert_eq!(
        (status, json(&body)["status"].as_str()),
        (200, Some("ready"))
    );

    // A request whose body is still on its way when the signal comes.
    let address = server.base_url.trim_start_matches("http://").to_owned();
    let mut slow = TcpStream::connect(&address).unwrap();
    let body = br#"{"items":[]}"#;
    write!(
        slow,
        "POST /api/v1/stores/demo/carts HTTP/1.1\r\nhost: {address}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
        body.len()
    )
    .unwrap();
    slow.write_all(&body[..4]).unwrap();
    signal(server.pid(), "TERM");

    // During the delay, load balancers are told to stop sending; the process still lives.
    let deadline = Instant::now() + Duration::from_secs(1);
    let mut unready = None;
    while Instant::now() < deadline {
        let (status, _, body) = get(&server.url("/readyz")).await;
        if status == 503 {
            unready = Some(json(&body));
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let unready = unready.expect("/readyz answers 503 once shutdown begins");
    assert_eq!(unready["reason"], "shutting down");
    assert_eq!(get(&server.url("/livez")).await.0, 200);

    slow.write_all(&body[4..]).unwrap();
    let mut answer = String::new();
    slow.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 201"), "{answer}");

    let status = server
        .wait_for_exit(Duration::from_secs(20))
        .expect("the server stops after draining");
    assert!(status.success(), "{status:?}");
    assert!(server
        .output_line("stopped", Duration::from_secs(1))
        .is_some());
}

#[tokio::test]
async fn migrations_run_as_a_release_step() {
    let data_dir = fresh_data_dir();
    let database = prepare_database(&data_dir);
    let run = |args: &[&str]| {
        Command::new(BIN)
            .args(args)
            .args(["--database-url", &database])
            .output()
            .unwrap()
    };
    // A server that must not migrate refuses an unmigrated database, and says what to do.
    let refused = run(&["--no-migrate", "--addr", "127.0.0.1:0"]);
    assert!(!refused.status.success());
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(
        stderr.contains("run `colmena-server migrate` first"),
        "{stderr}"
    );
    let migrated = run(&["migrate"]);
    assert!(migrated.status.success(), "{migrated:?}");
    let stdout = String::from_utf8_lossy(&migrated.stdout);
    assert!(
        stdout.contains("the database schema is at version 26"),
        "{stdout}"
    );
    // Migrating again changes nothing.
    assert!(run(&["migrate"]).status.success());
    {
        let server = TestServer::start_with(
            Path::new(BIN),
            &StartOptions {
                demo: false,
                data_dir: Some(data_dir.clone()),
                extra_args: &["--no-migrate"],
                ..StartOptions::default()
            },
        );
        assert_eq!(get(&server.url("/readyz")).await.0, 200);
    }
    remove_data_dir(&data_dir);
}

#[tokio::test]
async fn pages_carry_security_headers_and_json_is_gzipped() {
    // Behind a TLS proxy: the public URL is https://, the server itself listens on loopback.
    let addr = format!("127.0.0.1:{}", free_port());
    let _running = TestServer::start(
        Path::new(BIN),
        &["--public-url", "https://shop.example.com", "--addr", &addr],
    );
    let base = format!("http://{addr}");
    let server = Local(&base);
    let (_, headers, _) = get(&server.url("/api/health")).await;
    assert_eq!(
        headers["strict-transport-security"],
        "max-age=63072000; includeSubDomains"
    );
    assert_eq!(headers["x-content-type-options"], "nosniff");
    for page in ["/", "/orders", "/shop/demo/checkout", "/admin/"] {
        let (_, headers, _) = get(&server.url(page)).await;
        let policy = headers["content-security-policy"].to_str().unwrap();
        assert!(
            policy.contains("frame-ancestors 'none'"),
            "{page}: {policy}"
        );
        assert!(policy.contains("'wasm-unsafe-eval'"), "{page}: {policy}");
        assert_eq!(headers["referrer-policy"], "no-referrer", "{page}");
    }
    let (_, headers, _) = get(&server.url("/api/v1/stores/demo")).await;
    assert!(headers.get("content-security-policy").is_none());

    let url = server.url("/api/v1/stores/demo/products?limit=20");
    let plain = reqwest::get(&url).await.unwrap().bytes().await.unwrap();
    let gzipped = reqwest::Client::new()
        .get(&url)
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(gzipped.headers()["content-encoding"], "gzip");
    let gzipped = gzipped.bytes().await.unwrap();
    assert_eq!(&gzipped[..2], &[0x1f, 0x8b], "a gzip stream");
    assert!(
        gzipped.len() * 3 < plain.len(),
        "{} → {}",
        plain.len(),
        gzipped.len()
    );
    // Metrics are not on the public port.
    assert_eq!(get(&server.url("/metrics")).await.0, 404);
}

#[tokio::test]
async fn logs_are_json_lines_and_traces_reach_an_otlp_collector() {
    let mut collector = mockito::Server::new_async().await;
    let traces = collector
        .mock("POST", "/v1/traces")
        .match_header("content-type", "application/x-protobuf")
        .with_status(200)
        .expect_at_least(1)
        .create_async()
        .await;
    let endpoint = collector.url();
    let metrics_port = free_port().to_string();
    let metrics_addr = format!("127.0.0.1:{metrics_port}");
    let mut server = TestServer::start_with(
        Path::new(BIN),
        &StartOptions {
            extra_args: &[
                "--otlp-endpoint",
                &endpoint,
                "--log-format",
                "json",
                "--metrics-addr",
                &metrics_addr,
            ],
            env: &[
                ("OTEL_BSP_SCHEDULE_DELAY", "100"),
                ("RUST_LOG", "colmena_server=info,tower_http=debug"),
            ],
            ..StartOptions::default()
        },
    );
    for _ in 0..3 {
        assert_eq!(get(&server.url("/api/v1/stores/demo")).await.0, 200);
    }
    let deadline = Instant::now() + Duration::from_secs(15);
    while !traces.matched_async().await && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    traces.assert_async().await;

    let (status, headers, body) = get(&format!("http://{metrics_addr}/metrics")).await;
    assert_eq!(status, 200);
    assert!(headers["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/plain"));
    let text = String::from_utf8(body).unwrap();
    assert!(
        text.contains(r#"colmena_http_requests_total{method="GET",route="/api/v1/stores/{store}",status="200"} 3"#),
        "{text}"
    );

    signal(server.pid(), "TERM");
    server.wait_for_exit(Duration::from_secs(20)).unwrap();
    let line = server
        .output_line("\"message\":\"stopped\"", Duration::from_secs(1))
        .expect("a JSON log line");
    let entry: Value = serde_json::from_str(line.trim()).unwrap();
    assert_eq!(entry["level"], "INFO");
    assert!(entry["timestamp"].is_string());
}

/// A throwaway Redis (Debian's redis-server) on a free port, stopped on drop.
struct Redis {
    child: Child,
    port: u16,
}

impl Redis {
    fn start() -> Self {
        let port = free_port();
        let child = Command::new("redis-server")
            .args(["--bind", "127.0.0.1", "--port", &port.to_string()])
            .args(["--save", "", "--appendonly", "no"])
            .stdout(std::process::Stdio::null())
            .spawn()
            .expect("redis-server (scripts/test.sh installs it)");
        let deadline = Instant::now() + Duration::from_secs(10);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "redis-server did not start");
            std::thread::sleep(Duration::from_millis(20));
        }
        Self { child, port }
    }

    fn url(&self) -> String {
        format!("redis://127.0.0.1:{}", self.port)
    }
}

impl Drop for Redis {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn status_as(server: &TestServer, client: &str) -> u16 {
    reqwest::Client::new()
        .get(server.url("/api/v1/stores/demo/categories"))
        .header("x-forwarded-for", client)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

#[tokio::test]
async fn two_servers_share_one_quota_through_redis_and_keep_limiting_without_it() {
    let mut redis = Redis::start();
    let url = redis.url();
    let args = [
        "--redis-url",
        url.as_str(),
        "--rate-limit-public",
        "6",
        "--trusted-proxy",
        "127.0.0.1",
    ];
    let first = TestServer::start(Path::new(BIN), &args);
    let second = TestServer::start(Path::new(BIN), &args);
    // Six requests of one client, over both servers, use its one quota.
    for server in [&first, &second, &first, &second, &first, &second] {
        assert_eq!(status_as(server, "203.0.113.5").await, 200);
    }
    assert_eq!(status_as(&first, "203.0.113.5").await, 429);
    assert_eq!(status_as(&second, "203.0.113.5").await, 429);

    // Without Redis, each server limits on its own; nothing fails.
    let _ = redis.child.kill();
    let _ = redis.child.wait();
    let mut statuses = Vec::new();
    for _ in 0..7 {
        statuses.push(status_as(&second, "203.0.113.6").await);
    }
    assert_eq!(statuses, [200, 200, 200, 200, 200, 200, 429]);
    assert!(second
        .output_line("Redis does not answer", Duration::from_secs(1))
        .is_some());

    // A server that cannot reach Redis at start says so and stops.
    let data_dir = fresh_data_dir();
    let refused = Command::new(BIN)
        .args([
            "--redis-url",
            "redis://127.0.0.1:1",
            "--addr",
            "127.0.0.1:0",
        ])
        .args(["--database-url", &prepare_database(&data_dir)])
        .output()
        .unwrap();
    assert!(!refused.status.success());
    remove_data_dir(&data_dir);
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(
        stderr.contains("cannot use Redis at redis://127.0.0.1:1"),
        "{stderr}"
    );
}
