#![doc = include_str!("../README.md")]

pub mod admin;
pub mod audit;
pub mod auth;
pub mod auth_keys;
pub mod cache;
pub mod capability;
pub mod carts;
pub mod catalog;
pub mod chat;
pub mod cluster;
pub mod db;
pub mod demo;
pub mod egress;
pub mod http;
mod l10n;
pub mod mail;
mod media;
pub mod openapi;
pub mod ops;
pub mod orders;
mod pages;
pub mod payments;
pub mod platform;
pub(crate) mod pricing;
pub mod public;
mod retry;
pub mod sealed;
pub mod slugs;
pub mod storage;
pub mod storefront;
pub mod stores;
pub mod urls;
pub mod webhooks;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use axum::extract::DefaultBodyLimit;
use axum::http::{header, HeaderValue};
use axum::routing::get;
use axum::{Json, Router};
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;
use utoipa::OpenApi as _;
use utoipa_axum::router::OpenApiRouter;

use crate::db::Db;
use crate::urls::PublicUrls;

/// Everything the server needs to start.
#[derive(Debug, Clone)]
pub struct Config {
    /// Address to listen on; port 0 picks a free port.
    pub addr: SocketAddr,
    /// `sqlite://PATH` or `postgres://…`.
    pub database_url: String,
    /// Seed the demo stores when they are absent.
    pub demo: bool,
    /// Extra origins the demo stores accept (besides the server's own).
    pub demo_origins: Vec<String>,
    /// Whether the demo stores are seeded with shipping zones.
    pub demo_shipping: bool,
    /// Directory of uploaded and seeded files (product images), without `storage_url`.
    pub media_dir: PathBuf,
    /// Private directory of digital goods, without `storage_url`; never served directly, only
    /// through download links.
    pub files_dir: PathBuf,
    /// `s3://BUCKET[/PREFIX]?endpoint=…&region=…`: media and digital goods in an S3-compatible
    /// bucket (under `media/` and `files/`) instead of the two directories.
    pub storage_url: Option<String>,
    /// Redis, for rate limits shared by every server (`redis://…`).
    pub redis_url: Option<String>,
    /// Database pool sizes and whether to migrate at start.
    pub pool: db::PoolOptions,
    /// Where `/metrics` is served (a listener of its own); none: not served.
    pub metrics_addr: Option<SocketAddr>,
    /// How long, after SIGTERM, the server keeps answering while `/readyz` says 503, so that
    /// load balancers take it out before it stops accepting connections.
    pub shutdown_delay: std::time::Duration,
    /// Payment and download time limits.
    pub commerce: orders::CommerceConfig,
    /// How long public catalog answers may be cached (zero: no cache).
    pub cache_ttl: std::time::Duration,
    /// Directory of the built widget (`scripts/build-wasm.sh` writes `widget/dist`).
    pub widget_dir: PathBuf,
    /// Directory of the built merchant console (`scripts/build-wasm.sh` writes `console/dist`),
    /// served at `/admin`.
    pub console_dir: PathBuf,
    /// Public base URL of this server, used in absolute URLs; defaults to the bound address.
    pub public_url: Option<String>,
    /// HMAC secret for access tokens (at least 32 bytes); generated and kept in the database
    /// when absent.
    pub jwt_secret: Option<String>,
    /// Requests per minute and client.
    pub rate_limits: http::limits::RateLimitConfig,
    /// The platform's Stripe credentials; without them stores cannot choose Stripe.
    pub stripe: Option<payments::stripe::StripeConfig>,
    /// Outbound webhook deliveries.
    pub webhooks: webhooks::WebhookConfig,
    /// Transactional email: SMTP or `.eml` files, the sender, retries.
    pub mail: mail::MailConfig,
    /// Replies to WhatsApp and Twilio buyers: the providers' APIs, retries.
    pub chat: chat::delivery::ChatDeliveryConfig,
    /// Connection caps, and the request head and keep-alive timeouts.
    pub connections: http::connections::ConnectionLimits,
    /// Body size and time limits, and the request timeout.
    pub deadlines: http::deadlines::RequestDeadlines,
    /// The platform operator's key; without it the platform API answers 401.
    pub platform_key: Option<platform::PlatformKey>,
}

/// State shared by every handler: one allocation, so that the per-request clones (every
/// middleware and extractor takes one) are a reference count, not a copy of every field.
#[derive(Debug, Clone)]
pub struct AppState(Arc<Shared>);

impl std::ops::Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

/// What [`AppState`] shares.
#[derive(Debug)]
pub struct Shared {
    /// The database.
    pub db: Db,
    /// Builds absolute URLs of served files.
    pub urls: PublicUrls,
    /// Where the built widget lives, for the demo page.
    pub widget_dir: PathBuf,
    /// Where the built console lives.
    pub console_dir: PathBuf,
    /// Signs and verifies access tokens.
    pub keys: auth::TokenKeys,
    /// Private files (digital goods).
    pub files: Arc<dyn storage::FileStore>,
    /// Public files served under `/media` (product images).
    pub media: Arc<dyn storage::FileStore>,
    /// Payment providers by name.
    pub providers: payments::Providers,
    /// Payment and download time limits.
    pub commerce: orders::CommerceConfig,
    /// The platform's Stripe credentials, for the Stripe webhook.
    pub stripe: Option<payments::stripe::StripeConfig>,
    /// Outbound webhook deliveries.
    pub webhooks: webhooks::WebhookConfig,
    /// Transactional email.
    pub mail: mail::Mailer,
    /// Replies to WhatsApp and Twilio buyers; `chat_outbox.wake()` after committing some.
    pub chat_outbox: chat::delivery::ChatOutbox,
    /// HTTP client for calls to services the operator configured (payment providers). It
    /// follows no redirects.
    pub http: reqwest::Client,
    /// HTTP client for calls to URLs a store chose (partner webhooks): public addresses only,
    /// no redirects, no proxy (see [`egress`]).
    pub partner_http: reqwest::Client,
    /// How long an idempotency key's claim lasts: longer than any request may run.
    pub idempotency_lease: std::time::Duration,
    /// Cached public catalog answers.
    pub cache: cache::CatalogCache,
    /// The platform operator's key (its digest).
    pub platform_key: Option<platform::PlatformKey>,
    /// Conversations' shared state (indexed catalogs).
    pub chat: chat::ChatState,
    /// Whether the server takes traffic (`/readyz`).
    pub readiness: ops::health::Readiness,
    /// What public reads need to know of each store, per catalog generation.
    pub store_facts: stores::facts::FactsCache,
}

/// The whole HTTP application. Serve it with [`http::connections::serve`], or another server
/// that puts `ConnectInfo<SocketAddr>` in each request (the rate limits key on the client's
/// address).
pub fn router(
    state: AppState,
    media_dir: Option<PathBuf>,
    limits: http::limits::RateLimits,
    deadlines: http::deadlines::RequestDeadlines,
) -> Router {
    let guarded = |store_routes: OpenApiRouter<AppState>| {
        store_routes.route_layer(axum::middleware::from_fn_with_state(
            state.clone(),
            auth_keys::check_publishable_key,
        ))
    };
    let (api, document) = api_routes(guarded).split_for_parts();
    let document = Arc::new(openapi::finish(document));
    // The server's own pages and the console, under their content security policy.
    let pages = Router::new()
        .route("/", get(pages::demo_page))
        .route("/orders", get(pages::orders_page))
        .route("/shop/{store}/checkout", get(pages::checkout_page))
        // The merchant console: its files, and its page for every other path under /admin.
        .nest_service(
            "/admin",
            ServeDir::new(&state.console_dir)
                .precompressed_gzip()
                .fallback(ServeFile::new(state.console_dir.join("index.html"))),
        )
        .layer(http::security_headers::page_policy(state.urls.origin()))
        .layer(http::security_headers::page_referrer_policy());
    let app = Router::new()
        .merge(pages)
        .merge(ops::health::routes())
        .route(
            "/api/v1/openapi.json",
            get(move || {
                let document = Arc::clone(&document);
                async move { Json(document) }
            }),
        )
        .merge(api)
        // The build writes a zopfli-gzipped copy of each widget file beside it.
        .nest_service(
            "/widget",
            ServeDir::new(&state.widget_dir).precompressed_gzip(),
        )
        .merge(media::routes(media_dir))
        .fallback(http::route_not_found)
        .method_not_allowed_fallback(http::method_not_allowed)
        .with_state(state.clone())
        // The deadlines layer reads every body within its route's limit (`http::deadlines`):
        // one limit per route, in one place, so the extractors need none of their own.
        .layer(DefaultBodyLimit::disable())
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            http::idempotency::enforce,
        ))
        // Bodies are read (within their limits) only for requests within their rate limit.
        .layer(axum::middleware::from_fn_with_state(
            deadlines,
            http::deadlines::enforce,
        ))
        .layer(axum::middleware::from_fn_with_state(
            limits,
            http::limits::enforce,
        ))
        .layer(http::cors::layer(state.clone()))
        // Before CORS and the limits: from here on, a path's store segment is the store.
        .layer(axum::middleware::from_fn(
            http::canonical::require_canonical_paths,
        ))
        .layer(axum::middleware::from_fn(http::request_id_scope))
        // Browsers must not guess a type other than the declared one (uploads, media).
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(TraceLayer::new_for_http())
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
        .layer(axum::middleware::from_fn(http::drop_unusable_request_id))
        // API JSON (and other text) gzipped for clients that accept it, at gzip's fastest
        // level: a page of products shrinks about five times either way, and the default
        // level took a seventh of the server's time. The widget's and the console's files
        // already have gzipped twins, served as they are.
        .layer(
            tower_http::compression::CompressionLayer::new()
                .gzip(true)
                .quality(tower_http::CompressionLevel::Fastest),
        )
        .layer(axum::middleware::from_fn(ops::metrics::track));
    match http::security_headers::strict_transport(state.urls.origin()) {
        Some(hsts) => app.layer(hsts),
        None => app,
    }
}

/// Every API route with its OpenAPI entry, as each resource module declares them. `guard` wraps
/// the public routes of one store (with the publishable-key check when serving).
pub(crate) fn api_routes(
    guard: impl FnOnce(OpenApiRouter<AppState>) -> OpenApiRouter<AppState>,
) -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(openapi::ApiDoc::openapi())
        .merge(guard(public::store_routes()))
        .merge(public::routes())
        .merge(admin::routes())
        .merge(platform::routes())
        .merge(chat::channels::router())
}

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// The database could not be opened or migrated.
    #[error(transparent)]
    Database(#[from] db::DbError),
    /// The token signing key could not be set up.
    #[error(transparent)]
    Keys(#[from] auth::KeyError),
    /// Mail cannot be sent as configured.
    #[error(transparent)]
    Mail(#[from] mail::MailSetupError),
    /// Seeding the demo stores failed.
    #[error("cannot seed the demo stores: {0}")]
    Seed(#[from] demo::SeedError),
    /// Redis could not be reached.
    #[error(transparent)]
    Redis(#[from] cluster::RedisSetupError),
    /// The storage URL is unusable.
    #[error("--storage-url: {0}")]
    Storage(#[from] storage::StorageUrlError),
    /// The address could not be bound.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address.
        addr: SocketAddr,
        /// Why.
        source: std::io::Error,
    },
    /// The server failed while running.
    #[error("server error: {0}")]
    Serve(#[source] std::io::Error),
}

/// Why a store could not be opened from the command line.
#[derive(Debug, thiserror::Error)]
pub enum OpenStoreError {
    /// The database could not be opened or migrated.
    #[error(transparent)]
    Database(#[from] db::DbError),
    /// The request was refused (a bad field, a taken slug).
    #[error("{0}")]
    Refused(String),
}

/// Opens a store with its first owner on the database at `database_url` (migrated first): the
/// `colmena-server stores create` command.
pub async fn open_store(
    database_url: &str,
    request: &colmena_sdk::contract::CreateStoreRequest,
    owner: stores::provisioning::OwnerAccess,
) -> Result<stores::provisioning::OpenedStore, OpenStoreError> {
    let db = db::connect(database_url, &db::PoolOptions::default()).await?;
    stores::provisioning::open_store(&db, request, owner)
        .await
        .map_err(|error| OpenStoreError::Refused(error.describe()))
}

/// Opens the database, seeds the demo if asked, and serves until Ctrl-C or SIGTERM.
///
/// Prints `listening on http://ADDR` once the socket is bound (tests wait for that line).
pub async fn run(config: Config) -> Result<(), StartError> {
    let listener = tokio::net::TcpListener::bind(config.addr)
        .await
        .map_err(|source| StartError::Bind {
            addr: config.addr,
            source,
        })?;
    let bound = listener.local_addr().map_err(StartError::Serve)?;
    let public_url = config.public_url.clone().unwrap_or_else(|| {
        let host = if bound.ip().is_unspecified() {
            "127.0.0.1".to_owned()
        } else {
            bound.ip().to_string()
        };
        format!("http://{host}:{}", bound.port())
    });
    let db = db::connect(&config.database_url, &config.pool).await?;
    let urls = PublicUrls::new(&public_url);
    let redis = match &config.redis_url {
        Some(url) => Some(cluster::Redis::connect(url).await?),
        None => None,
    };
    type Files = Arc<dyn storage::FileStore>;
    let (media, files, media_dir): (Files, Files, _) = match &config.storage_url {
        Some(url) => {
            let bucket = storage::Bucket::open(url)?;
            (
                Arc::new(bucket.area("media")),
                Arc::new(bucket.area("files")),
                None,
            )
        }
        None => (
            Arc::new(storage::LocalDisk::new(&config.media_dir)),
            Arc::new(storage::LocalDisk::new(&config.files_dir)),
            Some(config.media_dir.clone()),
        ),
    };
    if config.demo {
        let mut origins = vec![
            urls.origin().to_owned(),
            format!("http://127.0.0.1:{}", bound.port()),
            format!("http://localhost:{}", bound.port()),
        ];
        origins.extend(config.demo_origins.iter().cloned());
        origins.dedup();
        let report = demo::seed(
            &db,
            media.as_ref(),
            files.as_ref(),
            &origins,
            config.demo_shipping,
        )
        .await?;
        demo::print_report(&report, &public_url);
    }
    let keys = auth::TokenKeys::load(&db, config.jwt_secret.as_deref()).await?;
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!("colmena-server/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| StartError::Serve(std::io::Error::other(e)))?;
    let partner_http = egress::client(config.webhooks.allow_private)
        .map_err(|e| StartError::Serve(std::io::Error::other(e)))?;
    let mut providers = payments::Providers::default();
    if let Some(stripe) = &config.stripe {
        providers.register(Arc::new(payments::stripe::StripeProvider::new(
            stripe.clone(),
            http.clone(),
        )));
    }
    let state = AppState(Arc::new(Shared {
        db,
        urls,
        widget_dir: config.widget_dir.clone(),
        console_dir: config.console_dir.clone(),
        keys,
        files,
        media,
        providers,
        commerce: config.commerce,
        stripe: config.stripe.clone(),
        webhooks: config.webhooks.clone(),
        mail: mail::Mailer::new(config.mail.clone())?,
        chat_outbox: chat::delivery::ChatOutbox::new(config.chat.clone()),
        http,
        partner_http,
        idempotency_lease: config.deadlines.request + http::idempotency::LEASE_MARGIN,
        cache: cache::CatalogCache::new(config.cache_ttl),
        platform_key: config.platform_key.clone(),
        chat: chat::ChatState::default(),
        readiness: ops::health::Readiness::default(),
        store_facts: stores::facts::FactsCache::default(),
    }));
    let background = tokio_util::sync::CancellationToken::new();
    if state.db.backend == db::Backend::Postgres {
        cluster::invalidation::start(
            state.db.clone(),
            config.database_url.clone(),
            state.cache.clone(),
            background.clone(),
        );
    }
    ops::metrics::install();
    if let Some(addr) = config.metrics_addr {
        let metrics_listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|source| StartError::Bind { addr, source })?;
        let metrics = ops::metrics::router(state.clone());
        let stop = background.clone();
        tokio::spawn(async move {
            let stopped = async move { stop.cancelled().await };
            if let Err(error) = axum::serve(metrics_listener, metrics)
                .with_graceful_shutdown(stopped)
                .await
            {
                tracing::warn!(%error, "the metrics listener stopped");
            }
        });
    }
    let workers = [
        orders::spawn_expiry_sweeper(state.clone()),
        webhooks::spawn_delivery_worker(state.clone()),
        mail::spawn_delivery_worker(state.clone()),
        chat::delivery::spawn_delivery_worker(state.clone()),
    ];
    let app = router(
        state.clone(),
        media_dir,
        http::limits::RateLimits::start(config.rate_limits.clone(), redis),
        config.deadlines,
    );
    println!("listening on {public_url}");
    let mut connections = config.connections.clone();
    connections
        .exempt
        .extend(&config.rate_limits.trusted_proxies);
    let draining = {
        let state = state.clone();
        let delay = config.shutdown_delay;
        async move {
            shutdown_signal().await;
            // Load balancers see 503 on /readyz and stop sending requests; those already
            // sent are still answered.
            state.readiness.start_draining();
            tracing::info!(delay_ms = delay.as_millis(), "shutting down: draining");
            tokio::time::sleep(delay).await;
        }
    };
    http::connections::serve(listener, app, connections, draining).await;
    // In-flight requests are answered. The workers' last rounds send what those requests
    // committed (the rest waits in the outboxes for the next start).
    futures_util::future::join_all(workers.map(|worker| worker.drain(WORKER_DRAIN))).await;
    background.cancel();
    tracing::info!("stopped");
    Ok(())
}

/// How long shutdown waits for the background workers' last rounds.
const WORKER_DRAIN: std::time::Duration = std::time::Duration::from_secs(10);

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}
