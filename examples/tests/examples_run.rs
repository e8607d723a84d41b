//! The examples, run as a user would, against a live `colmena-server`.
#![allow(clippy::unwrap_used, missing_docs)]

use std::process::Command;

use colmena_test_support::TestServer;

fn run(binary: &str, args: &[&str]) -> String {
    let output = Command::new(binary).args(args).output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "{binary} failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
}

#[test]
fn list_products_prints_the_catalog() {
    let server = TestServer::start_default(&[]);
    let out = run(
        env!("CARGO_BIN_EXE_list-products"),
        &[&server.base_url, "demo"],
    );
    assert!(out.contains("EUR"), "{out}");
    assert!(out.contains("cheapest 10 of"), "{out}");
}

#[test]
fn checkout_buys_pays_and_downloads() {
    let server = TestServer::start_default(&[]);
    let out = run(
        env!("CARGO_BIN_EXE_checkout"),
        &[&server.base_url, "demo-b", "awa@example.com"],
    );
    assert!(out.contains("is PendingPayment"), "{out}");
    assert!(out.contains("payment Succeeded: order is Paid"), "{out}");
    assert!(out.contains("downloaded guide-epices-sahel.pdf"), "{out}");
}

#[test]
fn a_partner_checks_out_and_verifies_its_webhooks() {
    let server = TestServer::start_default(&[
        "--webhook-allow-http",
        "--webhook-allow-private",
        "--webhook-poll-ms",
        "50",
    ]);
    let out = run(env!("CARGO_BIN_EXE_partner"), &[&server.base_url, "demo"]);
    assert!(out.contains("awaiting payment"), "{out}");
    assert!(out.contains("verified order.created"), "{out}");
    assert!(out.contains("verified order.paid"), "{out}");
    assert!(out.contains("verified download.created"), "{out}");
}
