//! Transactional email through a real SMTP server (aiosmtpd, which the tests start), `.eml`
//! files without one, and buyers' access to their orders by emailed one-time link.
#![allow(clippy::unwrap_used, missing_docs)]

mod common;

use std::time::Duration;

use colmena_test_support::fresh_data_dir;
use colmena_test_support::smtp::{free_port, smtp_url, SmtpSink};
use common::{error_code, server, Api};
use serde_json::{json, Value};

const WAIT: Duration = Duration::from_secs(20);

/// The first link in `message` that starts with `prefix`, up to the end of its token.
fn link(message: &str, prefix: &str) -> String {
    let at = message
        .find(prefix)
        .unwrap_or_else(|| panic!("no {prefix} in {message}"));
    message[at..]
        .chars()
        .take_while(|c| !c.is_whitespace() && *c != '<' && *c != '"')
        .collect()
}

/// The token at the end of a link (`…token=TOKEN` or `…/downloads/TOKEN`).
fn token_of(link: &str) -> String {
    link.rsplit(['=', '/']).next().unwrap().to_owned()
}

/// Exchanges an access link's `token` at `store` for a buyer session.
async fn open_session(api: &Api<'_>, store: &str, token: &str) -> (u16, Value) {
    api.post(
        &format!("/api/v1/stores/{store}/customer/sessions"),
        json!({ "token": token }),
    )
    .await
}

/// Buys the demo's digital guide as `email` and pays for it: the paid order.
async fn buy_guide(api: &Api<'_>, email: &str) -> Value {
    let guide = api.product("demo", "beekeeping-field-guide-pdf").await;
    let cart = api
        .new_cart("demo", json!([{ "productId": guide["id"], "quantity": 1 }]))
        .await;
    let (status, body) = api.checkout_as("demo", &cart, email).await;
    assert_eq!(status, 201, "{body}");
    let (status, paid) = api.pay("demo", &body["data"]["order"], "succeed").await;
    assert_eq!(status, 200, "{paid}");
    paid["data"].clone()
}

#[tokio::test]
async fn order_mail_goes_out_over_smtp_with_working_download_links() {
    let port = free_port();
    let sink = SmtpSink::start(port, &fresh_data_dir());
    let server = server(&["--smtp-url", &smtp_url(port), "--mail-poll-ms", "50"]);
    let api = Api::new(&server);

    let order = buy_guide(&api, "ana@example.com").await;
    // Mail names the order by its number, as people see it everywhere.
    let number = format!("#{}", order["number"]);
    let id = number.as_str();
    // The demo store sells in es-ES: the confirmation is in Spanish, with its lines, total
    // (formatted as Spain writes money) and download link, in plain text and HTML.
    let mail = sink
        .wait_for(&["To: ana@example.com", id, "confirmado"], WAIT)
        .expect("an order confirmation");
    assert!(mail.contains("Content-Type: text/plain"), "{mail}");
    assert!(mail.contains("Content-Type: text/html"), "{mail}");
    assert!(mail.contains("Beekeeping Field Guide (PDF)"), "{mail}");
    assert!(
        mail.contains("9,90\u{a0}€"),
        "the total as es-ES writes it: {mail}"
    );
    let download = link(&mail, &server.url("/api/v1/downloads/"));
    assert_eq!(download, order["downloads"][0]["url"].as_str().unwrap());
    let file = reqwest::get(&download).await.unwrap();
    assert_eq!(file.status(), 200);
    assert!(!file.bytes().await.unwrap().is_empty());

    // A refused payment, and a refund, each tell the buyer.
    let guide = api.product("demo", "beekeeping-field-guide-pdf").await;
    let cart = api
        .new_cart("demo", json!([{ "productId": guide["id"], "quantity": 1 }]))
        .await;
    let (_, placed) = api.checkout_as("demo", &cart, "bea@example.com").await;
    let (status, _) = api.pay("demo", &placed["data"]["order"], "fail").await;
    assert_eq!(status, 200);
    sink.wait_for(&["To: bea@example.com", "no se ha completado"], WAIT)
        .expect("a payment-failed message");
    let owner = api.owner("demo").await;
    let (status, body) = owner
        .post(
            &format!(
                "/api/v1/admin/stores/demo/orders/{}/refund",
                order["id"].as_str().unwrap()
            ),
            json!({}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    sink.wait_for(&["To: ana@example.com", "reembolsado"], WAIT)
        .expect("a refund message");

    // An invitation is mailed too, with the console's link.
    let (status, body) = owner
        .post(
            "/api/v1/admin/stores/demo/users",
            json!({ "email": "new.editor@example.com", "role": "editor" }),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    let mail = sink
        .wait_for(&["To: new.editor@example.com"], WAIT)
        .expect("an invitation");
    let invitation = link(
        &mail,
        &server.url("/admin/#accept-invite?store=demo&token="),
    );
    assert_eq!(
        token_of(&invitation),
        body["data"]["invitationToken"].as_str().unwrap()
    );

    // The password-reset mail's link works (it ends the owner's sessions: last).
    let (status, _) = api
        .post(
            "/api/v1/auth/password-reset",
            json!({ "store": "demo", "email": "owner@demo.test" }),
        )
        .await;
    assert_eq!(status, 202);
    let mail = sink
        .wait_for(&["To: owner@demo.test", "reset-password"], WAIT)
        .expect("a password-reset message");
    let reset = link(
        &mail,
        &server.url("/admin/#reset-password?store=demo&token="),
    );
    let (status, body) = api
        .post(
            "/api/v1/auth/password-reset/confirm",
            json!({ "token": token_of(&reset), "password": "A new passw0rd!" }),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert!(body["data"]["accessToken"].is_string());
}

#[tokio::test]
async fn mail_waits_while_the_smtp_server_is_down() {
    // Nothing listens on the port yet.
    let port = free_port();
    let server = server(&[
        "--smtp-url",
        &smtp_url(port),
        "--mail-poll-ms",
        "50",
        "--mail-retry-base-ms",
        "200",
    ]);
    let api = Api::new(&server);
    let order = buy_guide(&api, "carla@example.com").await;
    // Mail names the order by its number, as people see it everywhere.
    let number = format!("#{}", order["number"]);
    let id = number.as_str();
    // The attempts fail and are recorded…
    assert!(server
        .output_line("mail not sent", Duration::from_secs(10))
        .is_some());
    std::thread::sleep(Duration::from_secs(1));
    // …and once the mail server is up, the message arrives.
    let sink = SmtpSink::start(port, &fresh_data_dir());
    let mail = sink
        .wait_for(&["To: carla@example.com", id], Duration::from_secs(30))
        .expect("the confirmation, delivered once the mail server is back");
    assert!(mail.contains("Beekeeping Field Guide (PDF)"));
    std::thread::sleep(Duration::from_millis(500));
    let copies = sink
        .messages()
        .iter()
        .filter(|message| message.contains(id))
        .count();
    assert_eq!(copies, 1, "sent once");
}

#[tokio::test]
async fn buyers_open_their_orders_with_a_one_time_link() {
    let port = free_port();
    let sink = SmtpSink::start(port, &fresh_data_dir());
    let server = server(&["--smtp-url", &smtp_url(port), "--mail-poll-ms", "50"]);
    let api = Api::new(&server);
    let first = buy_guide(&api, "dora@example.com").await;
    let second = buy_guide(&api, "Dora@Example.com").await;

    // Always 202: an email without orders gets nothing, and no answer tells them apart.
    let ask = |store: &'static str, email: &'static str| {
        let api = &api;
        async move {
            api.post(
                &format!("/api/v1/stores/{store}/customer/access-links"),
                json!({ "email": email, "locale": "fr" }),
            )
            .await
        }
    };
    assert_eq!(ask("demo", "nobody@example.com").await.0, 202);
    assert_eq!(ask("demo-b", "dora@example.com").await.0, 202);
    let (status, body) = ask("demo", "not an email").await;
    assert_eq!((status, error_code(&body)), (400, "VALIDATION_ERROR"));
    assert_eq!(ask("demo", "dora@example.com").await.0, 202);

    // In the language asked for (French), with the link to the orders page.
    let mail = sink
        .wait_for(&["To: dora@example.com", "vos commandes"], WAIT)
        .expect("the access link");
    let access = link(&mail, &server.url("/orders#store=demo&token="));
    let token = token_of(&access);
    let page = reqwest::get(server.url("/orders")).await.unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("x-customer-token"));

    // Another store knows neither the link nor its sessions.
    let (status, body) = open_session(&api, "demo-b", &token).await;
    assert_eq!((status, error_code(&body)), (401, "UNAUTHORIZED"));

    let (status, body) = open_session(&api, "demo", &token).await;
    assert_eq!(status, 201, "{body}");
    let session = body["data"]["token"].as_str().unwrap().to_owned();
    assert_eq!(body["data"]["email"], "dora@example.com");

    // Both orders (the email's case does not matter), newest first, with download links.
    let orders = |store: &'static str, session: Option<String>| {
        let api = &api;
        async move {
            let request = api.request(
                reqwest::Method::GET,
                &format!("/api/v1/stores/{store}/customer/orders?limit=1"),
            );
            let request = match session {
                Some(session) => request.header("x-customer-token", session),
                None => request,
            };
            api.send(request).await
        }
    };
    let (status, body) = orders("demo", Some(session.clone())).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["data"][0]["id"], second["id"]);
    assert_eq!(body["pagination"]["total"], 2, "{body}");
    let download = body["data"][0]["downloads"][0]["url"].as_str().unwrap();
    assert_eq!(reqwest::get(download).await.unwrap().status(), 200);
    let _ = first;

    let (status, body) = orders("demo-b", Some(session)).await;
    assert_eq!((status, error_code(&body)), (401, "UNAUTHORIZED"));
    let (status, body) = orders("demo", None).await;
    assert_eq!((status, error_code(&body)), (401, "UNAUTHORIZED"));
    let (status, body) = orders("demo", Some("forged".into())).await;
    assert_eq!((status, error_code(&body)), (401, "UNAUTHORIZED"));

    // The link works once; an unknown token is another refusal.
    let (status, body) = open_session(&api, "demo", &token).await;
    assert_eq!((status, error_code(&body)), (410, "ACCESS_LINK_EXPIRED"));
    let (status, body) = open_session(&api, "demo", "nope").await;
    assert_eq!((status, error_code(&body)), (401, "UNAUTHORIZED"));

    // demo-b mailed nothing to an email without orders there.
    assert!(sink
        .messages()
        .iter()
        .all(|message| !message.contains("/orders#store=demo-b")));
}

#[tokio::test]
async fn without_smtp_messages_are_eml_files_and_links_expire() {
    let server = server(&["--access-link-minutes", "0.02", "--mail-poll-ms", "50"]);
    let api = Api::new(&server);
    let order = buy_guide(&api, "eva@example.com").await;
    // Mail names the order by its number, as people see it everywhere.
    let number = format!("#{}", order["number"]);
    let id = number.as_str();
    // The path is logged, and the file holds the message.
    let notice = server
        .output_line("mail written to ", WAIT)
        .expect("the path of the .eml file");
    assert!(notice.contains(".eml"), "{notice}");
    let confirmation = server
        .output_line(id, WAIT)
        .expect("the confirmation in the .eml file");
    assert!(!confirmation.is_empty());
    let files: Vec<_> = std::fs::read_dir(server.data_dir.join("mail"))
        .unwrap()
        .filter_map(Result::ok)
        .filter(|entry| entry.path().extension().is_some_and(|ext| ext == "eml"))
        .collect();
    assert!(!files.is_empty());

    let (status, _) = api
        .post(
            "/api/v1/stores/demo/customer/access-links",
            json!({ "email": "eva@example.com" }),
        )
        .await;
    assert_eq!(status, 202);
    let line = server
        .output_line("/orders#store=demo&token=", WAIT)
        .expect("the access link in an .eml file");
    let token = token_of(&link(&line, "http"));
    // The link lasts 1.2 s here.
    std::thread::sleep(Duration::from_millis(1500));
    let (status, body) = open_session(&api, "demo", &token).await;
    assert_eq!((status, error_code(&body)), (410, "ACCESS_LINK_EXPIRED"));
}

#[tokio::test]
async fn order_mail_is_written_in_the_language_the_buyer_shopped_in() {
    let server = server(&["--mail-poll-ms", "50"]);
    let api = Api::new(&server);
    let guide = api.product("demo", "beekeeping-field-guide-pdf").await;
    // A French-speaking buyer (as the widget sends its `locale`), then one whose language the
    // messages are not written in: their mail is in the store's own Spanish.
    for (language, email) in [
        ("fr-CA, en;q=0.5", "chloe@example.com"),
        ("de", "dieter@example.com"),
    ] {
        let cart = api
            .new_cart("demo", json!([{ "productId": guide["id"], "quantity": 1 }]))
            .await;
        let (status, body) = api
            .send(
                api.request(reqwest::Method::POST, "/api/v1/stores/demo/checkout")
                    .header("accept-language", language)
                    .json(&json!({ "cartId": cart["id"], "email": email })),
            )
            .await;
        assert_eq!(status, 201, "{body}");
        let (status, paid) = api.pay("demo", &body["data"]["order"], "succeed").await;
        assert_eq!(status, 200, "{paid}");
    }
    // Each buyer's confirmation, as written under the mail directory.
    let confirmation = |recipient: &str| {
        let deadline = std::time::Instant::now() + WAIT;
        loop {
            let found = std::fs::read_dir(server.data_dir.join("mail"))
                .into_iter()
                .flatten()
                .filter_map(Result::ok)
                .filter_map(|entry| std::fs::read_to_string(entry.path()).ok())
                .find(|mail| mail.contains(&format!("To: {recipient}")));
            match found {
                Some(mail) => return mail,
                None if std::time::Instant::now() > deadline => panic!("no mail to {recipient}"),
                None => std::thread::sleep(Duration::from_millis(50)),
            }
        }
    };
    let french = confirmation("chloe@example.com");
    assert!(french.contains("Merci pour votre commande"), "{french}");
    let spanish = confirmation("dieter@example.com");
    assert!(spanish.contains("Gracias por tu pedido"), "{spanish}");
}
