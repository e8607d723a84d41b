//! The storefront editor over real HTTP against the server binary: drafts, preview tokens,
//! numbered versions (publish, schedule, roll back, cancel), schedule windows, permissions,
//! validation and tenant isolation.
#![allow(clippy::unwrap_used, missing_docs)]

mod common;

use std::time::Duration;

use common::{error_code, server, Api};
use serde_json::{json, Value};

const ADMIN: &str = "/api/v1/admin/stores/demo/storefront";
const PUBLIC: &str = "/api/v1/stores/demo/storefront";

/// An RFC 3339 time `seconds` from now (negative: ago).
fn in_seconds(seconds: i64) -> String {
    (time::OffsetDateTime::now_utc() + time::Duration::seconds(seconds))
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap()
}

/// A valid storefront document whose primary colour tells it apart.
fn document(primary: &str) -> Value {
    json!({
        "theme": {
            "mode": "dark",
            "colors": { "primary": primary, "accent": "#f59e0b", "background": "#111827", "text": "#f9fafb" },
            "font": "serif",
            "radius": 12
        },
        "logo": { "url": "https://cdn.example/logo.png", "alt": "Demo shop" },
        "banners": [],
        "announcement": { "text": "Free shipping over 50 €", "linkUrl": "/shipping" }
    })
}

fn banner(title: &str, starts_at: Option<String>, ends_at: Option<String>) -> Value {
    let mut banner = json!({
        "id": uuid::Uuid::new_v4(), "title": title, "imageUrl": "/media/banner.png",
        "linkUrl": "https://shop.example/sale"
    });
    if let Some(at) = starts_at {
        banner["startsAt"] = json!(at);
    }
    if let Some(at) = ends_at {
        banner["endsAt"] = json!(at);
    }
    banner
}

async fn put_draft(api: &Api<'_>, document: Value) -> (u16, Value) {
    api.call(
        reqwest::Method::PUT,
        &format!("{ADMIN}/draft"),
        Some(document),
    )
    .await
}

async fn save(api: &Api<'_>, document: Value) {
    let (status, body) = put_draft(api, document).await;
    assert_eq!(status, 200, "{body}");
}

async fn publish(api: &Api<'_>, publish_at: Option<String>) -> Value {
    let body = match publish_at {
        Some(at) => json!({ "publishAt": at }),
        None => json!({}),
    };
    let (status, body) = api.post(&format!("{ADMIN}/publish"), body).await;
    assert_eq!(status, 201, "{body}");
    body["data"].clone()
}

async fn preview_token(api: &Api<'_>) -> String {
    let (status, body) = api.post(&format!("{ADMIN}/preview-token"), json!({})).await;
    assert_eq!(status, 201, "{body}");
    body["data"]["token"].as_str().unwrap().to_owned()
}

/// The public storefront's primary colour, with an optional preview token in the header.
async fn public_primary(api: &Api<'_>, preview: Option<&str>) -> String {
    let mut request = api.request(reqwest::Method::GET, PUBLIC);
    if let Some(token) = preview {
        request = request.header("x-colmena-preview", token);
    }
    let (status, body) = api.send(request).await;
    assert_eq!(status, 200, "{body}");
    body["data"]["theme"]["colors"]["primary"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// Invites an editor to the demo store and signs them in.
async fn editor<'a>(owner: &Api<'a>) -> Api<'a> {
    let (status, body) = owner
        .post(
            "/api/v1/admin/stores/demo/users",
            json!({ "email": "editor@demo.test", "role": "editor" }),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    let anonymous = Api::new(owner.server);
    let (status, tokens) = anonymous
        .post(
            "/api/v1/auth/accept-invite",
            json!({ "token": body["data"]["invitationToken"], "password": "A good passw0rd!" }),
        )
        .await;
    assert_eq!(status, 200, "{tokens}");
    anonymous.with_bearer(tokens["data"]["accessToken"].as_str().unwrap())
}

#[tokio::test]
async fn drafts_stay_private_until_published_and_previews_show_them() {
    let server = server(&[]);
    let public = Api::new(&server);
    let owner = public.owner("demo").await;

    // A store that never published answers a theme made from its branding, not a 404.
    let (status, store) = public.get("/api/v1/stores/demo").await;
    assert_eq!(status, 200);
    let branding = store["data"]["branding"]["primaryColor"]
        .as_str()
        .unwrap()
        .to_ascii_lowercase();
    assert_eq!(public_primary(&public, None).await, branding);
    let (status, draft) = owner.get(&format!("{ADMIN}/draft")).await;
    assert_eq!(status, 200, "{draft}");
    assert_eq!(
        draft["data"]["document"]["theme"]["colors"]["primary"],
        branding
    );
    assert!(draft["data"].get("updatedAt").is_none());

    // A saved draft is invisible without a token…
    save(&owner, document("#123456")).await;
    let (_, draft) = owner.get(&format!("{ADMIN}/draft")).await;
    assert_eq!(draft["data"]["updatedBy"]["label"], "owner@demo.test");
    assert_eq!(public_primary(&public, None).await, branding);
    // …and shown, never cached, with one (header or query).
    let token = preview_token(&owner).await;
    assert!(token.starts_with("sfp_"), "{token}");
    assert_eq!(public_primary(&public, Some(&token)).await, "#123456");
    let response = public
        .request(reqwest::Method::GET, &format!("{PUBLIC}?preview={token}"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["cache-control"], "no-store");
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["data"]["theme"]["colors"]["primary"], "#123456");
    assert_eq!(public_primary(&public, None).await, branding);

    // Wrong tokens are typed errors; so is an expired one.
    let wrong = public
        .request(reqwest::Method::GET, PUBLIC)
        .header("x-colmena-preview", "sfp_not-a-token");
    let (status, body) = public.send(wrong).await;
    assert_eq!((status, error_code(&body)), (401, "UNAUTHORIZED"));
    let (status, body) = public.get(&format!("{PUBLIC}?preview=")).await;
    assert_eq!((status, error_code(&body)), (401, "UNAUTHORIZED"));
    let (status, body) = public.get(&format!("{PUBLIC}?draft=1")).await;
    assert_eq!((status, error_code(&body)), (400, "VALIDATION_ERROR"));
    expire_preview_tokens(&server).await;
    let expired = public
        .request(reqwest::Method::GET, PUBLIC)
        .header("x-colmena-preview", &token);
    let (status, body) = public.send(expired).await;
    assert_eq!((status, error_code(&body)), (403, "FORBIDDEN"), "{body}");

    // The token is shown once: its route refuses an idempotency key (no stored replay).
    let keyed = owner
        .request(reqwest::Method::POST, &format!("{ADMIN}/preview-token"))
        .header("idempotency-key", "k-1");
    let (status, _) = owner.send(keyed).await;
    assert_eq!(status, 400);

    // Publishing makes the draft live; the live answer varies on the preview header.
    let version = publish(&owner, None).await;
    assert_eq!(
        (version["number"].as_u64(), version["status"].as_str()),
        (Some(1), Some("live"))
    );
    assert_eq!(version["publishedBy"]["label"], "owner@demo.test");
    let response = public
        .request(reqwest::Method::GET, PUBLIC)
        .send()
        .await
        .unwrap();
    assert!(response.headers().get("cache-control").is_none());
    assert!(response
        .headers()
        .get_all("vary")
        .iter()
        .any(|value| value == "x-colmena-preview"));
    assert_eq!(public_primary(&public, None).await, "#123456");

    // Every save and publication is in the audit log.
    let (_, audit) = owner
        .get("/api/v1/admin/stores/demo/audit-log?entityType=storefront_draft")
        .await;
    assert_eq!(audit["pagination"]["total"], 1);
    assert_eq!(
        audit["data"][0]["newValues"]["theme"]["colors"]["primary"],
        "#123456"
    );
    let (_, audit) = owner
        .get("/api/v1/admin/stores/demo/audit-log?entityType=storefront_version")
        .await;
    assert_eq!(audit["data"][0]["action"], "publish");
    let (_, audit) = owner
        .get("/api/v1/admin/stores/demo/audit-log?entityType=storefront_preview_token")
        .await;
    assert!(
        !audit.to_string().contains(&token),
        "the audit log never holds a token"
    );
}

/// A GET answered as text: status, headers, body.
async fn get_text(api: &Api<'_>, path: &str) -> (u16, reqwest::header::HeaderMap, String) {
    let response = api
        .request(reqwest::Method::GET, path)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    (status, headers, response.text().await.unwrap())
}

/// `GET …/storefront/theme.css`, with `?preview=` when a token is given.
async fn theme_css(
    api: &Api<'_>,
    preview: Option<&str>,
) -> (u16, reqwest::header::HeaderMap, String) {
    let query = preview.map_or(String::new(), |token| format!("?preview={token}"));
    get_text(api, &format!("{PUBLIC}/theme.css{query}")).await
}

#[tokio::test]
async fn the_theme_as_the_widgets_css_follows_publications_and_previews() {
    let server = server(&[]);
    let public = Api::new(&server);
    let owner = public.owner("demo").await;

    // Never published: the store's branding colours only, as CSS, varying on the preview header.
    let (status, headers, css) = theme_css(&public, None).await;
    assert_eq!(status, 200, "{css}");
    assert_eq!(headers["content-type"], "text/css; charset=utf-8");
    assert_eq!(headers["vary"], "x-colmena-preview");
    assert!(headers.get("cache-control").is_none());
    assert!(
        css.contains(":host{--colmena-brand:#b45309;--colmena-accent:#fbbf24;"),
        "{css}"
    );
    assert!(!css.contains("--colmena-font"), "{css}");

    // Published: the theme's colours, font and radius; a dark theme is dark for every element.
    save(&owner, document("#123456")).await;
    publish(&owner, None).await;
    let (_, _, css) = theme_css(&public, None).await;
    let host = css.lines().nth(1).unwrap();
    for part in [
        "--colmena-brand:#123456;",
        "--colmena-accent:#f59e0b;",
        "--colmena-page:#111827;",
        "--colmena-text:#f9fafb;",
        "--colmena-radius:12px;",
        "--colmena-font:Charter,",
        "color-scheme:dark;",
    ] {
        assert!(host.contains(part), "{part} in {css}");
    }

    // A draft's theme shows only with a preview token, and is never cached.
    let mut light = document("#abcdef");
    light["theme"]["mode"] = json!("light");
    light["theme"]["colors"]["background"] = json!("#ffffff");
    light["theme"]["colors"]["text"] = json!("#1f2937");
    save(&owner, light).await;
    let (_, _, css) = theme_css(&public, None).await;
    assert!(
        css.contains("--colmena-brand:#123456;") && !css.contains("#abcdef"),
        "{css}"
    );
    let token = preview_token(&owner).await;
    let (status, headers, css) = theme_css(&public, Some(&token)).await;
    assert_eq!(status, 200, "{css}");
    assert_eq!(headers["cache-control"], "no-store");
    assert_eq!(headers["content-type"], "text/css; charset=utf-8");
    assert!(css.contains("--colmena-brand:#abcdef;"), "{css}");
    assert!(css.contains("--colmena-page:#ffffff;"), "{css}");
    // The header works as well as the query.
    let response = public
        .request(reqwest::Method::GET, &format!("{PUBLIC}/theme.css"))
        .header("x-colmena-preview", &token)
        .send()
        .await
        .unwrap();
    assert!(response.text().await.unwrap().contains("#abcdef"));

    // Refusals are the storefront's, as JSON: an unknown token, an expired one, a typo.
    let (status, headers, body) = theme_css(&public, Some("sfp_wrong")).await;
    assert_eq!(status, 401, "{body}");
    assert!(headers["content-type"]
        .to_str()
        .unwrap()
        .starts_with("application/json"));
    assert!(body.contains("UNAUTHORIZED"), "{body}");
    let (status, _, body) = get_text(&public, &format!("{PUBLIC}/theme.css?previw=x")).await;
    assert_eq!(status, 400, "{body}");
    let missing = "/api/v1/stores/no-such-store/storefront/theme.css";
    let (status, _, body) = get_text(&public, missing).await;
    assert_eq!(status, 404, "{body}");
    expire_preview_tokens(&server).await;
    let (status, _, body) = theme_css(&public, Some(&token)).await;
    assert_eq!(status, 403, "{body}");
    assert!(body.contains("FORBIDDEN"), "{body}");
}

/// Expires every preview token, as 24 hours would.
async fn expire_preview_tokens(server: &colmena_test_support::TestServer) {
    let url = colmena_test_support::database_url(&server.data_dir);
    let options = colmena_server::db::PoolOptions {
        migrate: false,
        ..Default::default()
    };
    let db = colmena_server::db::connect(&url, &options).await.unwrap();
    colmena_server::db::query(
        "UPDATE storefront_preview_tokens SET expires_at = '2000-01-01T00:00:00.000Z'",
    )
    .execute(&db.writer)
    .await
    .unwrap();
    db.writer.close().await;
    db.pool.close().await;
}

#[tokio::test]
async fn versions_are_numbered_rolled_back_scheduled_and_cancelled() {
    let server = server(&[]);
    let public = Api::new(&server);
    let owner = public.owner("demo").await;

    save(&owner, document("#aa0000")).await;
    assert_eq!(publish(&owner, None).await["number"], 1);
    save(&owner, document("#00aa00")).await;
    assert_eq!(publish(&owner, None).await["number"], 2);
    assert_eq!(public_primary(&public, None).await, "#00aa00");

    // A rollback publishes a new number with the old document; the draft stays.
    let (status, body) = owner
        .post(&format!("{ADMIN}/versions/1/rollback"), json!({}))
        .await;
    assert_eq!(status, 201, "{body}");
    let rolled = &body["data"];
    assert_eq!(
        (rolled["number"].as_u64(), rolled["rollbackOf"].as_u64()),
        (Some(3), Some(1))
    );
    assert_eq!(rolled["document"]["theme"]["colors"]["primary"], "#aa0000");
    assert_eq!(public_primary(&public, None).await, "#aa0000");
    let (_, draft) = owner.get(&format!("{ADMIN}/draft")).await;
    assert_eq!(
        draft["data"]["document"]["theme"]["colors"]["primary"],
        "#00aa00"
    );
    let (status, body) = owner
        .post(&format!("{ADMIN}/versions/99/rollback"), json!({}))
        .await;
    assert_eq!((status, error_code(&body)), (404, "NOT_FOUND"));

    // Newest first, each with its status; paged like other admin lists.
    let (status, page) = owner.get(&format!("{ADMIN}/versions?limit=2")).await;
    assert_eq!(status, 200, "{page}");
    let statuses: Vec<_> = page["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            (
                v["number"].as_u64().unwrap(),
                v["status"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        statuses,
        [(3, "live".to_owned()), (2, "superseded".to_owned())]
    );
    assert_eq!(page["pagination"]["total"], 3);
    assert_eq!(page["pagination"]["hasMore"], true);
    let (status, body) = owner.get(&format!("{ADMIN}/versions?limit=0")).await;
    assert_eq!((status, error_code(&body)), (400, "VALIDATION_ERROR"));

    // A version scheduled two seconds ahead goes live by itself once its time passes.
    save(&owner, document("#0000aa")).await;
    let scheduled = publish(&owner, Some(in_seconds(2))).await;
    assert_eq!(
        (scheduled["number"].as_u64(), scheduled["status"].as_str()),
        (Some(4), Some("scheduled"))
    );
    assert_eq!(public_primary(&public, None).await, "#aa0000");
    tokio::time::sleep(Duration::from_millis(2500)).await;
    assert_eq!(public_primary(&public, None).await, "#0000aa");
    let (_, page) = owner.get(&format!("{ADMIN}/versions?limit=1")).await;
    assert_eq!(page["data"][0]["status"], "live");

    // A scheduled version can be cancelled, once; a live one cannot.
    save(&owner, document("#abcdef")).await;
    let later = publish(&owner, Some(in_seconds(3600))).await;
    assert_eq!(later["number"], 5);
    let (status, body) = owner.delete(&format!("{ADMIN}/versions/5")).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["data"]["status"], "cancelled");
    assert!(body["data"]["cancelledAt"].is_string());
    let (status, body) = owner.delete(&format!("{ADMIN}/versions/5")).await;
    assert_eq!(
        (status, body["error"]["details"]["status"].as_str()),
        (409, Some("cancelled"))
    );
    let (status, body) = owner.delete(&format!("{ADMIN}/versions/4")).await;
    assert_eq!((status, error_code(&body)), (409, "CONFLICT"));
    assert_eq!(body["error"]["details"]["status"], "live");
    let (status, body) = owner
        .post(&format!("{ADMIN}/versions/5/rollback"), json!({}))
        .await;
    assert_eq!((status, error_code(&body)), (409, "CONFLICT"));
    assert_eq!(public_primary(&public, None).await, "#0000aa");
    // A time already past publishes now.
    let now = publish(&owner, Some(in_seconds(-3600))).await;
    assert_eq!(
        (now["number"].as_u64(), now["status"].as_str()),
        (Some(6), Some("live"))
    );
    let (status, body) = owner
        .post(
            &format!("{ADMIN}/publish"),
            json!({ "publishAt": "tomorrow" }),
        )
        .await;
    assert_eq!(
        (status, body["error"]["details"]["parameter"].as_str()),
        (400, Some("publishAt"))
    );

    // Partners hear of each publication (a scheduled one when it is scheduled).
    let (status, endpoint) = owner
        .post(
            "/api/v1/admin/stores/demo/webhooks",
            json!({ "url": "https://partner.example/hooks", "events": ["storefront.published"] }),
        )
        .await;
    assert_eq!(status, 201, "{endpoint}");
    let endpoint = endpoint["data"]["endpoint"]["id"]
        .as_str()
        .unwrap()
        .to_owned();

    // Concurrent publications get distinct, consecutive numbers.
    let results = tokio::join!(
        publish(&owner, None),
        publish(&owner, None),
        publish(&owner, None),
        publish(&owner, None),
        publish(&owner, None)
    );
    let mut numbers: Vec<_> = [results.0, results.1, results.2, results.3, results.4]
        .iter()
        .map(|v| v["number"].as_u64().unwrap())
        .collect();
    numbers.sort_unstable();
    assert_eq!(numbers, [7, 8, 9, 10, 11]);
    let (_, deliveries) = owner
        .get(&format!(
            "/api/v1/admin/stores/demo/webhooks/{endpoint}/deliveries"
        ))
        .await;
    assert_eq!(deliveries["pagination"]["total"], 5, "{deliveries}");
    assert_eq!(deliveries["data"][0]["eventType"], "storefront.published");
}

#[tokio::test]
async fn banners_and_the_announcement_follow_their_schedules() {
    let server = server(&[]);
    let public = Api::new(&server);
    let owner = public.owner("demo").await;
    let mut doc = document("#123456");
    doc["banners"] = json!([
        banner("past", None, Some(in_seconds(-60))),
        banner("current", Some(in_seconds(-60)), Some(in_seconds(2))),
        banner("future", Some(in_seconds(3600)), None),
        banner("always", None, None),
    ]);
    doc["announcement"]["startsAt"] = json!(in_seconds(3600));
    save(&owner, doc).await;
    publish(&owner, None).await;
    let titles = |body: &Value| -> Vec<String> {
        body["data"]["banners"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| b["title"].as_str().unwrap().to_owned())
            .collect()
    };
    let (_, body) = public.get(PUBLIC).await;
    assert_eq!(titles(&body), ["current", "always"]);
    assert!(body["data"].get("announcement").is_none());
    // Served from the cache now, but not past the current banner's end.
    let (_, body) = public.get(PUBLIC).await;
    assert_eq!(titles(&body), ["current", "always"]);
    tokio::time::sleep(Duration::from_millis(2500)).await;
    let (_, body) = public.get(PUBLIC).await;
    assert_eq!(titles(&body), ["always"]);
    // The editor still sees every banner.
    let (_, draft) = owner.get(&format!("{ADMIN}/draft")).await;
    assert_eq!(
        draft["data"]["document"]["banners"]
            .as_array()
            .unwrap()
            .len(),
        4
    );
}

#[tokio::test]
async fn refusals_name_the_field_and_editors_cannot_publish() {
    let server = server(&[]);
    let public = Api::new(&server);
    let owner = public.owner("demo").await;

    for (change, parameter) in [
        (
            json!({ "theme": { "colors": { "primary": "red" } } }),
            "theme.colors.primary",
        ),
        (json!({ "theme": { "radius": 25 } }), "theme.radius"),
        (
            json!({ "logo": { "url": "javascript:alert(1)", "alt": "x" } }),
            "logo.url",
        ),
        (
            json!({ "banners": [banner("ok", None, None), { "id": uuid::Uuid::new_v4(), "title": "bad", "linkUrl": "javascript:alert(1)" }] }),
            "banners[1].linkUrl",
        ),
        (
            json!({ "banners": [banner("a", Some(in_seconds(60)), Some(in_seconds(30)))] }),
            "banners[0].endsAt",
        ),
        (
            json!({ "announcement": { "text": "" } }),
            "announcement.text",
        ),
    ] {
        let mut doc = document("#123456");
        merge(&mut doc, change);
        let (status, body) = put_draft(&owner, doc).await;
        assert_eq!(
            (status, error_code(&body)),
            (400, "VALIDATION_ERROR"),
            "{body}"
        );
        assert_eq!(body["error"]["details"]["parameter"], parameter, "{body}");
    }
    let mut doc = document("#123456");
    doc["banners"] = json!((0..11)
        .map(|i| banner(&i.to_string(), None, None))
        .collect::<Vec<_>>());
    let (status, body) = put_draft(&owner, doc).await;
    assert_eq!(
        (status, body["error"]["details"]["parameter"].as_str()),
        (400, Some("banners"))
    );
    // Unknown members and unknown fonts are refused too.
    let mut doc = document("#123456");
    doc["theme"]["colour"] = json!("#000000");
    assert_eq!(put_draft(&owner, doc).await.0, 400);
    let mut doc = document("#123456");
    doc["theme"]["font"] = json!("comic-sans");
    assert_eq!(put_draft(&owner, doc).await.0, 400);

    // Editors edit, upload and preview; publishing needs an owner or an admin.
    let editor = editor(&owner).await;
    save(&editor, document("#654321")).await;
    assert!(preview_token(&editor).await.starts_with("sfp_"));
    let (status, body) = editor.get(&format!("{ADMIN}/versions")).await;
    assert_eq!(status, 200, "{body}");
    for (status, body) in [
        editor.post(&format!("{ADMIN}/publish"), json!({})).await,
        editor
            .post(&format!("{ADMIN}/versions/1/rollback"), json!({}))
            .await,
        editor.delete(&format!("{ADMIN}/versions/1")).await,
    ] {
        assert_eq!((status, error_code(&body)), (403, "FORBIDDEN"), "{body}");
    }
    // A whole 1×1 PNG: the server decodes uploads in full.
    let png = b"\x89\x50\x4e\x47\x0d\x0a\x1a\x0a\x00\x00\x00\x0d\x49\x48\x44\x52\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\x0b\x49\x44\x41\x54\x78\xda\x63\x60\x00\x02\x00\x00\x05\x00\x01\xe9\xfa\xdc\xd8\x00\x00\x00\x00\x49\x45\x4e\x44\xae\x42\x60\x82".to_vec();
    let upload = |api: &Api<'_>, content_type: &str, bytes: Vec<u8>| {
        api.request(reqwest::Method::POST, &format!("{ADMIN}/assets"))
            .header("content-type", content_type)
            .body(bytes)
    };
    let (status, body) = editor.send(upload(&editor, "image/png", png.clone())).await;
    assert_eq!(status, 201, "{body}");
    let url = body["data"]["url"].as_str().unwrap().to_owned();
    assert_eq!(body["data"]["size"], png.len());
    let served = reqwest::get(&url).await.unwrap();
    assert_eq!(served.status(), 200);
    assert_eq!(served.bytes().await.unwrap().len(), png.len());
    // The image goes into the document and is published by the owner.
    let mut doc = document("#654321");
    doc["logo"]["url"] = json!(url);
    save(&editor, doc).await;
    assert_eq!(
        publish(&owner, None).await["publishedBy"]["label"],
        "owner@demo.test"
    );
    let (_, body) = public.get(PUBLIC).await;
    assert_eq!(body["data"]["logo"]["url"], url);
    // Uploads are checked as product images are.
    let (status, body) = editor
        .send(upload(&editor, "image/png", b"<script>".to_vec()))
        .await;
    assert_eq!((status, error_code(&body)), (415, "UNSUPPORTED_MEDIA_TYPE"));
    let (status, body) = editor
        .send(upload(&editor, "text/html", b"<p>".to_vec()))
        .await;
    assert_eq!((status, error_code(&body)), (415, "UNSUPPORTED_MEDIA_TYPE"));
}

/// Merges `change` into `target` (objects member by member).
fn merge(target: &mut Value, change: Value) {
    match (target, change) {
        (Value::Object(target), Value::Object(change)) => {
            for (key, value) in change {
                merge(target.entry(key).or_insert(Value::Null), value);
            }
        }
        (target, change) => *target = change,
    }
}

#[tokio::test]
async fn stores_never_see_each_others_storefronts() {
    let server = server(&[]);
    let public = Api::new(&server);
    let owner_a = public.owner("demo").await;
    let owner_b = public.owner("demo-b").await;
    let admin_b = "/api/v1/admin/stores/demo-b/storefront";

    save(&owner_a, document("#aaaaaa")).await;
    publish(&owner_a, None).await;
    publish(&owner_a, None).await;
    let token_a = preview_token(&owner_a).await;
    // Store B numbers from 1, and its publications do not move A's numbers.
    let (status, body) = owner_b
        .call(
            reqwest::Method::PUT,
            &format!("{admin_b}/draft"),
            Some(document("#bbbbbb")),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = owner_b.post(&format!("{admin_b}/publish"), json!({})).await;
    assert_eq!((status, body["data"]["number"].as_u64()), (201, Some(1)));
    assert_eq!(publish(&owner_a, None).await["number"], 3);
    let (_, page) = owner_b.get(&format!("{admin_b}/versions")).await;
    assert_eq!(page["pagination"]["total"], 1);
    // B's owner cannot act on A's versions, nor A's on B's.
    let (status, _) = owner_b.get(&format!("{ADMIN}/draft")).await;
    assert_eq!(status, 403);
    let (status, _) = owner_b.delete(&format!("{ADMIN}/versions/2")).await;
    assert_eq!(status, 403);
    let (status, _) = owner_a
        .post(&format!("{admin_b}/versions/1/rollback"), json!({}))
        .await;
    assert_eq!(status, 403);
    // A's preview token opens nothing in B.
    let request = public
        .request(reqwest::Method::GET, "/api/v1/stores/demo-b/storefront")
        .header("x-colmena-preview", &token_a);
    let (status, body) = public.send(request).await;
    assert_eq!((status, error_code(&body)), (401, "UNAUTHORIZED"));
    assert_eq!(public_primary(&public, Some(&token_a)).await, "#aaaaaa");
    let (_, body) = public.get("/api/v1/stores/demo-b/storefront").await;
    assert_eq!(body["data"]["theme"]["colors"]["primary"], "#bbbbbb");
    // The public routes' guard holds: a publishable key opens its own store only, and an
    // unknown store is 404 as on the other public routes.
    let (status, key) = owner_b
        .post(
            "/api/v1/admin/stores/demo-b/api-keys",
            json!({ "kind": "publishable", "name": "web" }),
        )
        .await;
    assert_eq!(status, 201, "{key}");
    let keyed = public.with_bearer(key["data"]["secret"].as_str().unwrap());
    let (status, _) = keyed.get("/api/v1/stores/demo-b/storefront").await;
    assert_eq!(status, 200);
    let (status, body) = keyed.get(PUBLIC).await;
    assert_eq!((status, error_code(&body)), (403, "FORBIDDEN"));
    let (status, body) = public.get("/api/v1/stores/no-such-store/storefront").await;
    assert_eq!((status, error_code(&body)), (404, "STORE_NOT_FOUND"));
}
