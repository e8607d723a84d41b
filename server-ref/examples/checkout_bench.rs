//! Checkouts per second against a running `colmena-server` with the demo stores.
//!
//! Creates `COUNT` carts holding one unit of an untracked demo variant, then checks them all out
//! with `CONCURRENCY` clients at once, and prints the rate and latency percentiles.
//!
//! ```text
//! cargo run --release -p colmena-server --example checkout_bench -- http://127.0.0.1:8080 2000 16
//! ```
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let base = args
        .next()
        .unwrap_or_else(|| "http://127.0.0.1:8080".into());
    let count: usize = args.next().map_or(1000, |n| n.parse().expect("COUNT"));
    let concurrency: usize = args.next().map_or(16, |n| n.parse().expect("CONCURRENCY"));
    let http = reqwest::Client::new();
    let store = format!("{base}/api/v1/stores/demo");

    let product: Value = http
        .get(format!("{store}/products/pillar-candle-small"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let variant = product["data"]["variants"][0]["id"].clone();
    let mut carts = Vec::with_capacity(count);
    for _ in 0..count {
        let cart: Value = http
            .post(format!("{store}/carts"))
            .json(&json!({ "items": [{ "variantId": variant, "quantity": 1 }] }))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        carts.push(cart["data"]["id"].as_str().expect("cart id").to_owned());
    }

    let carts = Arc::new(carts);
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let workers = (0..concurrency).map(|_| {
        let (http, carts, next, url) = (
            http.clone(),
            carts.clone(),
            next.clone(),
            format!("{store}/checkout"),
        );
        tokio::spawn(async move {
            let mut latencies = Vec::new();
            loop {
                let index = next.fetch_add(1, Ordering::Relaxed);
                let Some(cart) = carts.get(index) else { break };
                let sent = Instant::now();
                let status = http
                    .post(&url)
                    .json(&json!({ "cartId": cart, "email": "bench@example.com" }))
                    .send()
                    .await
                    .unwrap()
                    .status();
                assert_eq!(status, 201, "checkout failed");
                latencies.push(sent.elapsed());
            }
            latencies
        })
    });
    let mut latencies: Vec<Duration> = Vec::with_capacity(count);
    for worker in workers.collect::<Vec<_>>() {
        latencies.extend(worker.await.unwrap());
    }
    let elapsed = started.elapsed();
    latencies.sort();
    let percentile = |p: usize| latencies[(latencies.len() * p / 100).min(latencies.len() - 1)];
    println!(
        "checkouts: {count} with {concurrency} clients in {:.2} s = {:.0}/s; p50 {:.1} ms, p99 {:.1} ms",
        elapsed.as_secs_f64(),
        count as f64 / elapsed.as_secs_f64(),
        percentile(50).as_secs_f64() * 1000.0,
        percentile(99).as_secs_f64() * 1000.0,
    );
}
