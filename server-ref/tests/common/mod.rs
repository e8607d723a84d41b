//! HTTP helpers shared by the server's integration tests.
#![allow(dead_code, clippy::unwrap_used)]

use std::path::Path;

use colmena_test_support::TestServer;
use reqwest::Method;
use serde_json::{json, Value};

pub const BIN: &str = env!("CARGO_BIN_EXE_colmena-server");

/// A demo server with `extra` arguments.
pub fn server(extra: &[&str]) -> TestServer {
    TestServer::start(Path::new(BIN), extra)
}

/// The server's database, opened as the server opens it (already migrated by the server).
pub async fn pool(server: &TestServer) -> colmena_server::db::Pool {
    use colmena_server::db;
    let url = colmena_test_support::database_url(&server.data_dir);
    let options = db::PoolOptions {
        migrate: false,
        ..db::PoolOptions::default()
    };
    db::connect(&url, &options).await.unwrap().writer
}

/// A client of one test server, optionally with a bearer credential.
pub struct Api<'a> {
    pub server: &'a TestServer,
    pub http: reqwest::Client,
    pub bearer: Option<String>,
}

impl<'a> Api<'a> {
    pub fn new(server: &'a TestServer) -> Self {
        Self {
            server,
            http: reqwest::Client::new(),
            bearer: None,
        }
    }

    /// The same client presenting `bearer`.
    pub fn with_bearer(&self, bearer: &str) -> Api<'a> {
        Api {
            server: self.server,
            http: self.http.clone(),
            bearer: Some(bearer.to_owned()),
        }
    }

    pub fn request(&self, method: Method, path: &str) -> reqwest::RequestBuilder {
        let request = self.http.request(method, self.server.url(path));
        match &self.bearer {
            Some(bearer) => request.bearer_auth(bearer),
            None => request,
        }
    }

    /// Sends and decodes the envelope, checking that `success` agrees with the status.
    pub async fn send(&self, request: reqwest::RequestBuilder) -> (u16, Value) {
        let response = request.send().await.unwrap();
        let status = response.status().as_u16();
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["success"], status < 400, "{status}: {body}");
        (status, body)
    }

    pub async fn call(&self, method: Method, path: &str, body: Option<Value>) -> (u16, Value) {
        let request = self.request(method, path);
        let request = match body {
            Some(body) => request.json(&body),
            None => request,
        };
        self.send(request).await
    }

    pub async fn get(&self, path: &str) -> (u16, Value) {
        self.call(Method::GET, path, None).await
    }

    pub async fn post(&self, path: &str, body: Value) -> (u16, Value) {
        self.call(Method::POST, path, Some(body)).await
    }

    pub async fn patch(&self, path: &str, body: Value) -> (u16, Value) {
        self.call(Method::PATCH, path, Some(body)).await
    }

    pub async fn delete(&self, path: &str) -> (u16, Value) {
        self.call(Method::DELETE, path, None).await
    }

    pub async fn product(&self, store: &str, slug: &str) -> Value {
        let (status, body) = self
            .get(&format!("/api/v1/stores/{store}/products/{slug}"))
            .await;
        assert_eq!(status, 200, "{slug}: {body}");
        body["data"].clone()
    }

    /// The first variant of a product.
    pub async fn variant(&self, store: &str, slug: &str) -> Value {
        self.product(store, slug).await["variants"][0].clone()
    }

    pub async fn available(&self, store: &str, slug: &str) -> u64 {
        self.variant(store, slug).await["available"]
            .as_u64()
            .unwrap()
    }

    pub async fn new_cart(&self, store: &str, items: Value) -> Value {
        let (status, body) = self
            .post(
                &format!("/api/v1/stores/{store}/carts"),
                json!({ "items": items }),
            )
            .await;
        assert_eq!(status, 201, "{body}");
        body["data"].clone()
    }

    pub async fn checkout_as(&self, store: &str, cart: &Value, email: &str) -> (u16, Value) {
        self.post(
            &format!("/api/v1/stores/{store}/checkout"),
            json!({ "cartId": cart["id"], "email": email }),
        )
        .await
    }

    pub async fn checkout(&self, store: &str, cart: &Value) -> (u16, Value) {
        self.checkout_as(store, cart, "ana@example.com").await
    }

    pub async fn pay(&self, store: &str, order: &Value, outcome: &str) -> (u16, Value) {
        let reference = order["payment"]["reference"].as_str().unwrap();
        self.post(
            &format!("/api/v1/stores/{store}/test-payments/{reference}"),
            json!({ "outcome": outcome }),
        )
        .await
    }

    /// Buys `quantity` of a variant and returns the order, paid when `pay` says so.
    pub async fn order(
        &self,
        store: &str,
        variant: &Value,
        quantity: u32,
        email: &str,
        pay: bool,
    ) -> Value {
        let cart = self
            .new_cart(
                store,
                json!([{ "variantId": variant["id"], "quantity": quantity }]),
            )
            .await;
        let (status, body) = self.checkout_as(store, &cart, email).await;
        assert_eq!(status, 201, "{body}");
        let order = body["data"]["order"].clone();
        if pay {
            let (status, body) = self.pay(store, &order, "succeed").await;
            assert_eq!(status, 200, "{body}");
            return body["data"].clone();
        }
        order
    }

    /// Signs in and returns the access token.
    pub async fn login(&self, store: &str, email: &str, password: &str) -> String {
        let (status, body) = self
            .post(
                "/api/v1/auth/login",
                json!({ "store": store, "email": email, "password": password }),
            )
            .await;
        assert_eq!(status, 200, "{body}");
        body["data"]["accessToken"].as_str().unwrap().to_owned()
    }

    /// The demo owner of `store` (`demo` or `demo-b`), signed in.
    pub async fn owner(&self, store: &str) -> Api<'a> {
        let token = self
            .login(store, &format!("owner@{store}.test"), "demo-password")
            .await;
        self.with_bearer(&token)
    }
}

pub fn error_code(body: &Value) -> &str {
    body["error"]["code"].as_str().unwrap_or("<no error>")
}
