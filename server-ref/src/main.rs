//! `colmena-server`: the reference server binary.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

/// mimalloc instead of glibc's allocator: a page of products allocates thousands of small
/// strings and maps per request, and glibc's malloc and free took about 12% of the server's
/// samples under load (see docs/benchmarks.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
use colmena_sdk::contract::{CreateStoreRequest, StorePlan};

/// SQLite allocates through glibc on its connections' threads; each value it hands over (a
/// page's JSON) is freed on a request's thread, and glibc then gave the freed top of that
/// thread heap back to the kernel at once (a madvise and a TLB flush on every core per page),
/// to fault it in again for the next page. Keeping up to 1 MiB of free top per heap serves
/// about 6,400 uncached pages a second instead of 5,400 (docs/benchmarks.md).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[allow(unsafe_code)]
fn keep_freed_memory_in_glibc_heaps() {
    const TRIM_THRESHOLD_BYTES: libc::c_int = 1 << 20;
    // SAFETY: mallopt only sets an allocator parameter, under glibc's own lock; it takes no
    // pointer, and its result (0 when refused) leaves glibc's default in place.
    unsafe {
        libc::mallopt(libc::M_TRIM_THRESHOLD, TRIM_THRESHOLD_BYTES);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn keep_freed_memory_in_glibc_heaps() {}

/// Colmena reference server: the store-scoped commerce API on SQLite or PostgreSQL.
#[derive(Debug, Parser)]
// A flag given again (after its environment variable, or by a wrapper script) takes the last
// value, as in most servers.
#[command(version, about, args_override_self = true)]
struct Args {
    /// Without a command, the server runs.
    #[command(subcommand)]
    command: Option<Command>,
    /// Address to listen on (port 0 picks a free port).
    #[arg(long, env = "COLMENA_ADDR", default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
    /// Database: sqlite://PATH (created and migrated on first start) or postgres://USER@HOST/DB.
    #[arg(
        long,
        global = true,
        env = "COLMENA_DATABASE_URL",
        default_value = "sqlite://./colmena.db"
    )]
    database_url: String,
    /// Seed the demo stores `demo` and `demo-b` (only when absent) and print their owners.
    #[arg(long, env = "COLMENA_DEMO")]
    demo: bool,
    /// Another origin the demo stores accept for CORS (repeatable; comma-separated in the
    /// environment variable).
    #[arg(
        long = "demo-origin",
        value_name = "ORIGIN",
        env = "COLMENA_DEMO_ORIGINS",
        value_delimiter = ','
    )]
    demo_origins: Vec<String>,
    /// Give the demo stores shipping zones when they are seeded (scripts/demo.sh does): their
    /// physical goods then need an address and a shipping rate at checkout.
    #[arg(long, env = "COLMENA_DEMO_SHIPPING")]
    demo_shipping: bool,
    /// Keep media and digital goods in an S3-compatible bucket instead of --media-dir and
    /// --files-dir: s3://BUCKET[/PREFIX]?endpoint=URL&region=REGION. Credentials come from
    /// AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.
    #[arg(long, env = "COLMENA_STORAGE_URL")]
    storage_url: Option<String>,
    /// Redis (redis://[:PASSWORD@]HOST:PORT/DB): rate limits shared by every server. Without
    /// it, each server counts on its own.
    #[arg(long, env = "COLMENA_REDIS_URL", hide_env_values = true)]
    redis_url: Option<String>,
    /// Database connections at most (default: 8 on SQLite, 20 on PostgreSQL).
    #[arg(long, env = "COLMENA_DB_MAX_CONNECTIONS")]
    db_max_connections: Option<u32>,
    /// Seconds a request waits for a free database connection before it fails with 503.
    #[arg(long, env = "COLMENA_DB_ACQUIRE_TIMEOUT", default_value_t = 10.0)]
    db_acquire_timeout_seconds: f64,
    /// When a SQLite commit reaches the disk: `normal` syncs the write-ahead log at
    /// checkpoints (a commit survives a server crash, not a power cut; faster), `full` at every
    /// commit.
    #[arg(long, env = "COLMENA_SQLITE_SYNCHRONOUS", value_enum, default_value_t = SqliteSynchronous::Normal)]
    sqlite_synchronous: SqliteSynchronous,
    /// Do not migrate at start (run `colmena-server migrate` as a release step instead); the
    /// server refuses to start on a schema older than it needs.
    #[arg(long, env = "COLMENA_NO_MIGRATE")]
    no_migrate: bool,
    /// Serve Prometheus metrics at /metrics on this address (a listener of its own, kept off
    /// the public port), e.g. 127.0.0.1:9464.
    #[arg(long, env = "COLMENA_METRICS_ADDR")]
    metrics_addr: Option<SocketAddr>,
    /// Log lines as text (for people) or JSON (one object per line, for collectors).
    #[arg(long, env = "COLMENA_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text)]
    log_format: LogFormat,
    /// Send OpenTelemetry traces of every request to this OTLP/HTTP collector (e.g.
    /// http://127.0.0.1:4318).
    #[arg(long, env = "COLMENA_OTLP_ENDPOINT")]
    otlp_endpoint: Option<String>,
    /// Seconds the server keeps answering after SIGTERM while /readyz says 503, for load
    /// balancers to take it out of rotation.
    #[arg(long, env = "COLMENA_SHUTDOWN_DELAY", default_value_t = 0.0)]
    shutdown_delay_seconds: f64,
    /// Seconds shutdown waits for requests in flight to be answered.
    #[arg(long, env = "COLMENA_SHUTDOWN_TIMEOUT", default_value_t = 30.0)]
    shutdown_timeout_seconds: f64,
    /// Directory for product images and other files.
    #[arg(long, env = "COLMENA_MEDIA_DIR", default_value = "./colmena-media")]
    media_dir: PathBuf,
    /// Private directory of digital goods, delivered only through download links.
    #[arg(long, env = "COLMENA_FILES_DIR", default_value = "./colmena-files")]
    files_dir: PathBuf,
    /// Minutes an order waits for payment before it is cancelled and its stock released.
    #[arg(long, env = "COLMENA_PAYMENT_TIMEOUT", default_value_t = 30.0)]
    payment_timeout_minutes: f64,
    /// Hours a download link works after payment.
    #[arg(long, env = "COLMENA_DOWNLOAD_HOURS", default_value_t = 72)]
    download_hours: u64,
    /// Downloads allowed per link.
    #[arg(long, env = "COLMENA_DOWNLOAD_LIMIT", default_value_t = 5)]
    download_limit: u32,
    /// Seconds public catalog answers stay cached in memory (0: no cache). Changes made through
    /// this server show at once; with several servers on one database, this bounds staleness.
    #[arg(long, env = "COLMENA_CACHE_TTL", default_value_t = 5)]
    cache_ttl_seconds: u64,
    /// Directory of the built widget, served under /widget.
    #[arg(long, env = "COLMENA_WIDGET_DIR", default_value = "./widget/dist")]
    widget_dir: PathBuf,
    /// Directory of the built merchant console, served at /admin.
    #[arg(long, env = "COLMENA_CONSOLE_DIR", default_value = "./console/dist")]
    console_dir: PathBuf,
    /// Public base URL (e.g. https://shop-api.example.com), when behind a proxy.
    #[arg(long, env = "COLMENA_PUBLIC_URL")]
    public_url: Option<String>,
    /// HMAC secret for admin access tokens (32+ bytes). Without it, one is generated on first
    /// start and kept in the database.
    #[arg(long, env = "COLMENA_JWT_SECRET", hide_env_values = true)]
    jwt_secret: Option<String>,
    /// Public store API requests per minute, per client and store (0: no limit).
    #[arg(long, env = "COLMENA_RATE_LIMIT_PUBLIC", default_value_t = 100)]
    rate_limit_public: u32,
    /// Admin API requests per minute, per client and store (0: no limit).
    #[arg(long, env = "COLMENA_RATE_LIMIT_ADMIN", default_value_t = 1000)]
    rate_limit_admin: u32,
    /// Sign-in and token refresh attempts per minute, per client (0: no limit).
    #[arg(long, env = "COLMENA_RATE_LIMIT_LOGIN", default_value_t = 10)]
    rate_limit_login: u32,
    /// File uploads per minute, per client and store (0: no limit).
    #[arg(long, env = "COLMENA_RATE_LIMIT_UPLOADS", default_value_t = 10)]
    rate_limit_uploads: u32,
    /// A reverse proxy whose X-Forwarded-For header is believed (repeatable; comma-separated
    /// in the environment variable).
    #[arg(
        long = "trusted-proxy",
        value_name = "IP",
        env = "COLMENA_TRUSTED_PROXIES",
        value_delimiter = ','
    )]
    trusted_proxies: Vec<std::net::IpAddr>,
    /// The platform's Stripe secret key; stores then may choose Stripe (with their Connect
    /// account id). Needs --stripe-webhook-secret.
    #[arg(
        long,
        env = "COLMENA_STRIPE_SECRET_KEY",
        hide_env_values = true,
        requires = "stripe_webhook_secret"
    )]
    stripe_secret_key: Option<String>,
    /// Signing secret of the Stripe webhook endpoint (`/api/v1/webhooks/stripe`).
    #[arg(long, env = "COLMENA_STRIPE_WEBHOOK_SECRET", hide_env_values = true)]
    stripe_webhook_secret: Option<String>,
    /// Stripe's API base URL (tests point it at a mock).
    #[arg(
        long,
        env = "COLMENA_STRIPE_API_BASE",
        default_value = "https://api.stripe.com"
    )]
    stripe_api_base: String,
    /// Accept http:// webhook endpoints (development only; production wants https://).
    #[arg(long, env = "COLMENA_WEBHOOK_ALLOW_HTTP")]
    webhook_allow_http: bool,
    /// Accept webhook endpoints on loopback and private networks (development only: without
    /// it, only public internet addresses are called).
    #[arg(long, env = "COLMENA_WEBHOOK_ALLOW_PRIVATE")]
    webhook_allow_private: bool,
    /// Seconds a request head (request line and headers) may take to arrive, from its first
    /// byte (or, for a connection's first request, from the connection's opening).
    #[arg(long, env = "COLMENA_HEADER_READ_TIMEOUT", default_value_t = 10.0)]
    header_read_timeout_seconds: f64,
    /// Seconds a request body may take to arrive, in all.
    #[arg(long, env = "COLMENA_BODY_READ_TIMEOUT", default_value_t = 30.0)]
    body_read_timeout_seconds: f64,
    /// Seconds a kept-alive connection may wait for its next request before it is closed.
    #[arg(long, env = "COLMENA_KEEP_ALIVE_TIMEOUT", default_value_t = 60.0)]
    keep_alive_timeout_seconds: f64,
    /// Seconds a request may take in all, body and answer (503 beyond, and the work is
    /// cancelled). Idempotency keys held by a request that died are free again after this.
    #[arg(long, env = "COLMENA_REQUEST_TIMEOUT", default_value_t = 60.0)]
    request_timeout_seconds: f64,
    /// Open connections per client address (0: no cap); trusted proxies are exempt. Requests on
    /// connections over the cap are answered 429 `RATE_LIMITED`.
    #[arg(
        long,
        env = "COLMENA_MAX_CONNECTIONS_PER_CLIENT",
        default_value_t = 128
    )]
    max_connections_per_client: usize,
    /// Open connections in all (0: no cap).
    #[arg(long, env = "COLMENA_MAX_CONNECTIONS", default_value_t = 10_000)]
    max_connections: usize,
    /// Wait before a failed webhook delivery's second attempt, in milliseconds; doubles after
    /// each further failure (at most an hour).
    #[arg(long, env = "COLMENA_WEBHOOK_RETRY_BASE_MS", default_value_t = 30_000)]
    webhook_retry_base_ms: u64,
    /// Attempts before a webhook delivery is marked failed.
    #[arg(long, env = "COLMENA_WEBHOOK_MAX_ATTEMPTS", default_value_t = 8)]
    webhook_max_attempts: u32,
    /// The platform operator's key (32 or more characters) for /api/v1/platform/…; the server
    /// keeps only its SHA-256 digest. Without it the platform API answers 401.
    #[arg(long, env = "COLMENA_PLATFORM_KEY", hide_env_values = true)]
    platform_key: Option<String>,
    /// Seconds a webhook delivery attempt may take. A server that dies while sending leaves
    /// its deliveries to the others after twice this and 10 s.
    #[arg(long, env = "COLMENA_WEBHOOK_TIMEOUT", default_value_t = 10.0)]
    webhook_timeout_seconds: f64,
    /// Seconds each exchange with the mail server may take (also sets how soon another server
    /// takes over the messages of one that died while sending).
    #[arg(long, env = "COLMENA_MAIL_TIMEOUT", default_value_t = 30.0)]
    mail_timeout_seconds: f64,
    /// Seconds a chat reply's call to WhatsApp or Twilio may take.
    #[arg(long, env = "COLMENA_CHAT_TIMEOUT", default_value_t = 10.0)]
    chat_timeout_seconds: f64,
    /// How often due webhook deliveries are looked for, in milliseconds.
    #[arg(long, env = "COLMENA_WEBHOOK_POLL_MS", default_value_t = 1_000)]
    webhook_poll_ms: u64,
    /// The mail server: smtp://[USER:PASSWORD@]HOST[:PORT] (STARTTLS when offered; add
    /// ?tls=required to insist) or smtps://… (TLS from the start). Without it, each message is
    /// written as an .eml file under --mail-dir and its path logged.
    #[arg(long, env = "COLMENA_SMTP_URL", hide_env_values = true)]
    smtp_url: Option<String>,
    /// The sender address of every message (each store's name is its display name).
    #[arg(long, env = "COLMENA_MAIL_FROM", default_value = "no-reply@localhost")]
    mail_from: String,
    /// Where messages are written as .eml files when there is no --smtp-url.
    #[arg(long, env = "COLMENA_MAIL_DIR", default_value = "./colmena-mail")]
    mail_dir: PathBuf,
    /// Wait before a failed message's second attempt, in milliseconds; doubles after each
    /// further failure (at most an hour).
    #[arg(long, env = "COLMENA_MAIL_RETRY_BASE_MS", default_value_t = 30_000)]
    mail_retry_base_ms: u64,
    /// Attempts before a message is marked failed.
    #[arg(long, env = "COLMENA_MAIL_MAX_ATTEMPTS", default_value_t = 10)]
    mail_max_attempts: u32,
    /// How often due messages are looked for, in milliseconds.
    #[arg(long, env = "COLMENA_MAIL_POLL_MS", default_value_t = 1_000)]
    mail_poll_ms: u64,
    /// Meta's Graph API, which sends WhatsApp replies (tests point it at a mock).
    #[arg(
        long,
        env = "COLMENA_WHATSAPP_GRAPH_URL",
        default_value = "https://graph.facebook.com"
    )]
    whatsapp_graph_url: String,
    /// The Graph API version WhatsApp replies are sent with.
    #[arg(long, env = "COLMENA_WHATSAPP_GRAPH_VERSION", default_value = "v23.0")]
    whatsapp_graph_version: String,
    /// Twilio's REST API, which sends Twilio WhatsApp replies (tests point it at a mock).
    #[arg(
        long,
        env = "COLMENA_TWILIO_API_URL",
        default_value = "https://api.twilio.com"
    )]
    twilio_api_url: String,
    /// Wait before a failed chat reply's second attempt, in milliseconds; doubles after each
    /// further failure (at most an hour).
    #[arg(long, env = "COLMENA_CHAT_RETRY_BASE_MS", default_value_t = 10_000)]
    chat_retry_base_ms: u64,
    /// Attempts before a chat reply is marked failed.
    #[arg(long, env = "COLMENA_CHAT_MAX_ATTEMPTS", default_value_t = 8)]
    chat_max_attempts: u32,
    /// How often due chat replies are looked for, in milliseconds, besides when a message's
    /// replies are written.
    #[arg(long, env = "COLMENA_CHAT_POLL_MS", default_value_t = 5_000)]
    chat_poll_ms: u64,
    /// Minutes a buyer's emailed access link works (once).
    #[arg(long, env = "COLMENA_ACCESS_LINK_MINUTES", default_value_t = 30.0)]
    access_link_minutes: f64,
    /// Minutes the buyer session an access link opens lasts.
    #[arg(long, env = "COLMENA_CUSTOMER_SESSION_MINUTES", default_value_t = 60.0)]
    customer_session_minutes: f64,
}

/// When a SQLite commit reaches the disk.
#[derive(Debug, Clone, Copy, ValueEnum)]
enum SqliteSynchronous {
    /// At checkpoints.
    Normal,
    /// At every commit.
    Full,
}

/// How log lines are written.
#[derive(Debug, Clone, Copy, ValueEnum)]
enum LogFormat {
    /// One readable line per event.
    Text,
    /// One JSON object per line.
    Json,
}

/// What the binary does besides serving.
#[derive(Debug, Subcommand)]
enum Command {
    /// Apply the database migrations this server needs, then exit (a release step, before
    /// starting servers with --no-migrate).
    Migrate,
    /// Manage stores without a running server.
    Stores {
        #[command(subcommand)]
        action: StoresCommand,
    },
}

#[derive(Debug, Subcommand)]
enum StoresCommand {
    /// Open a store with its first owner. The owner's password is read from stdin with
    /// --password-stdin; otherwise an invitation token is printed, which the owner accepts with
    /// a password of their choosing.
    Create {
        /// URL identifier: 2 to 63 lower-case letters, digits and hyphens, not a reserved word.
        #[arg(long)]
        slug: String,
        /// Display name.
        #[arg(long)]
        name: String,
        /// ISO 4217 currency of its prices, e.g. EUR.
        #[arg(long)]
        currency: String,
        /// Default locale, e.g. es-ES.
        #[arg(long)]
        locale: String,
        /// The first owner's email.
        #[arg(long)]
        owner_email: String,
        /// Plan: free, basic, pro or enterprise.
        #[arg(long, default_value = "free", value_parser = parse_plan)]
        plan: StorePlan,
        /// Read the owner's password from stdin: one line of 8 to 256 characters with an
        /// upper-case letter, a digit and a symbol.
        #[arg(long)]
        password_stdin: bool,
    },
}

fn parse_plan(text: &str) -> Result<StorePlan, String> {
    StorePlan::parse(text).ok_or_else(|| "expected free, basic, pro or enterprise".to_owned())
}

/// A timeout flag's seconds (fractions let tests use short ones), between 0.1 s and a day.
fn seconds(value: f64) -> std::time::Duration {
    std::time::Duration::from_secs_f64(if value.is_finite() {
        value.clamp(0.1, 86_400.0)
    } else {
        86_400.0
    })
}

/// A time limit in minutes (fractions let tests watch links expire), between a second and a
/// week.
fn minutes(value: f64) -> std::time::Duration {
    std::time::Duration::from_secs_f64(if value.is_finite() {
        value.clamp(1.0 / 60.0, 7.0 * 24.0 * 60.0) * 60.0
    } else {
        60.0
    })
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    keep_freed_memory_in_glibc_heaps();
    let args = Args::parse();
    let log_format = match args.log_format {
        LogFormat::Text => colmena_server::ops::telemetry::LogFormat::Text,
        LogFormat::Json => colmena_server::ops::telemetry::LogFormat::Json,
    };
    let telemetry =
        match colmena_server::ops::telemetry::init(log_format, args.otlp_endpoint.as_deref()) {
            Ok(telemetry) => telemetry,
            Err(error) => {
                eprintln!("colmena-server: {error}");
                return std::process::ExitCode::FAILURE;
            }
        };
    let outcome = run(args).await;
    telemetry.shutdown();
    outcome
}

async fn run(args: Args) -> std::process::ExitCode {
    if let Some(Command::Migrate) = args.command {
        return match colmena_server::db::migrate(&args.database_url).await {
            Ok(version) => {
                println!("the database schema is at version {version}");
                std::process::ExitCode::SUCCESS
            }
            Err(error) => {
                eprintln!("colmena-server: {error}");
                std::process::ExitCode::FAILURE
            }
        };
    }
    if let Some(Command::Stores {
        action:
            StoresCommand::Create {
                slug,
                name,
                currency,
                locale,
                owner_email,
                plan,
                password_stdin,
            },
    }) = args.command
    {
        let request = CreateStoreRequest {
            slug,
            name,
            currency,
            locale,
            owner_email,
            plan: Some(plan),
        };
        return create_store(
            &args.database_url,
            &request,
            password_stdin,
            args.public_url,
        )
        .await;
    }
    let platform_key = match args
        .platform_key
        .as_deref()
        .map(colmena_server::platform::PlatformKey::new)
    {
        Some(Ok(key)) => Some(key),
        Some(Err(problem)) => {
            eprintln!("colmena-server: {problem}");
            return std::process::ExitCode::FAILURE;
        }
        None => None,
    };
    let config = colmena_server::Config {
        platform_key,
        addr: args.addr,
        database_url: args.database_url,
        demo: args.demo,
        demo_origins: args.demo_origins,
        demo_shipping: args.demo_shipping,
        media_dir: args.media_dir,
        storage_url: args.storage_url,
        redis_url: args.redis_url,
        pool: colmena_server::db::PoolOptions {
            max_connections: args.db_max_connections.filter(|n| *n > 0),
            acquire_timeout: seconds(args.db_acquire_timeout_seconds),
            migrate: !args.no_migrate,
            sqlite_durability: match args.sqlite_synchronous {
                SqliteSynchronous::Normal => colmena_server::db::SqliteDurability::Normal,
                SqliteSynchronous::Full => colmena_server::db::SqliteDurability::Full,
            },
        },
        metrics_addr: args.metrics_addr,
        shutdown_delay: if args.shutdown_delay_seconds > 0.0 {
            seconds(args.shutdown_delay_seconds)
        } else {
            std::time::Duration::ZERO
        },
        widget_dir: args.widget_dir,
        console_dir: args.console_dir,
        files_dir: args.files_dir,
        cache_ttl: std::time::Duration::from_secs(args.cache_ttl_seconds),
        commerce: colmena_server::orders::CommerceConfig {
            // Fractions of a minute let tests watch a payment expire.
            payment_ttl: std::time::Duration::from_secs_f64(
                args.payment_timeout_minutes
                    .clamp(1.0 / 60.0, 7.0 * 24.0 * 60.0)
                    * 60.0,
            ),
            download_ttl: std::time::Duration::from_secs(args.download_hours.saturating_mul(3600)),
            max_downloads: args.download_limit.max(1),
            access_link_ttl: minutes(args.access_link_minutes),
            customer_session_ttl: minutes(args.customer_session_minutes),
        },
        public_url: args.public_url,
        jwt_secret: args.jwt_secret,
        rate_limits: colmena_server::http::limits::RateLimitConfig {
            public_per_minute: args.rate_limit_public,
            admin_per_minute: args.rate_limit_admin,
            login_per_minute: args.rate_limit_login,
            uploads_per_minute: args.rate_limit_uploads,
            trusted_proxies: args.trusted_proxies,
        },
        stripe: args.stripe_secret_key.zip(args.stripe_webhook_secret).map(
            |(secret_key, webhook_secret)| colmena_server::payments::stripe::StripeConfig {
                secret_key,
                webhook_secret,
                api_base: args.stripe_api_base,
            },
        ),
        connections: colmena_server::http::connections::ConnectionLimits {
            header_read: seconds(args.header_read_timeout_seconds),
            keep_alive: seconds(args.keep_alive_timeout_seconds),
            per_client: args.max_connections_per_client,
            total: args.max_connections,
            drain: seconds(args.shutdown_timeout_seconds),
            ..Default::default()
        },
        deadlines: colmena_server::http::deadlines::RequestDeadlines {
            body_read: seconds(args.body_read_timeout_seconds),
            request: seconds(args.request_timeout_seconds),
        },
        webhooks: colmena_server::webhooks::WebhookConfig {
            allow_http: args.webhook_allow_http,
            allow_private: args.webhook_allow_private,
            retry_base: std::time::Duration::from_millis(args.webhook_retry_base_ms.max(1)),
            max_attempts: args.webhook_max_attempts.max(1),
            poll_interval: std::time::Duration::from_millis(args.webhook_poll_ms.clamp(10, 60_000)),
            timeout: seconds(args.webhook_timeout_seconds),
        },
        mail: colmena_server::mail::MailConfig {
            transport: match args.smtp_url {
                Some(url) => colmena_server::mail::MailTransport::Smtp(url),
                None => colmena_server::mail::MailTransport::Files(args.mail_dir),
            },
            from: args.mail_from,
            retry_base: std::time::Duration::from_millis(args.mail_retry_base_ms.max(1)),
            max_attempts: args.mail_max_attempts.max(1),
            poll_interval: std::time::Duration::from_millis(args.mail_poll_ms.clamp(10, 60_000)),
            timeout: seconds(args.mail_timeout_seconds),
        },
        chat: colmena_server::chat::delivery::ChatDeliveryConfig {
            graph_url: args.whatsapp_graph_url,
            graph_version: args.whatsapp_graph_version,
            twilio_url: args.twilio_api_url,
            retry_base: std::time::Duration::from_millis(args.chat_retry_base_ms.max(1)),
            max_attempts: args.chat_max_attempts.max(1),
            poll_interval: std::time::Duration::from_millis(args.chat_poll_ms.clamp(10, 60_000)),
            timeout: seconds(args.chat_timeout_seconds),
        },
    };
    match colmena_server::run(config).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("colmena-server: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}

/// `colmena-server stores create`: opens the store and says how its owner gets in.
async fn create_store(
    database_url: &str,
    request: &CreateStoreRequest,
    password_stdin: bool,
    public_url: Option<String>,
) -> std::process::ExitCode {
    use colmena_server::stores::provisioning::OwnerAccess;
    let owner = if password_stdin {
        let mut line = String::new();
        if let Err(error) = std::io::stdin().read_line(&mut line) {
            eprintln!("colmena-server: cannot read the password from stdin: {error}");
            return std::process::ExitCode::FAILURE;
        }
        OwnerAccess::Password(line.trim_end_matches(['\r', '\n']).to_owned())
    } else {
        OwnerAccess::Invitation
    };
    match colmena_server::open_store(database_url, request, owner).await {
        Ok(opened) => {
            let store = &opened.store;
            println!(
                "opened store {} ({}, {}, {}, plan {})",
                store.slug,
                store.name,
                store.currency,
                store.locale,
                store.plan.as_str()
            );
            match &opened.invitation {
                Some(invitation) => {
                    let base = public_url.as_deref().unwrap_or("http://127.0.0.1:8080");
                    println!(
                        "owner {} is invited until {}; they choose a password in the console:\n  \
                         {base}/admin/#accept-invite?store={}&token={}",
                        invitation.user.email,
                        invitation.expires_at,
                        store.slug,
                        invitation.invitation_token,
                    );
                }
                None => println!(
                    "owner {} signs in with the password given",
                    request.owner_email
                ),
            }
            std::process::ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("colmena-server: cannot open the store: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    /// Operators configure containers through the environment: every server flag has a
    /// `COLMENA_*` variable.
    #[test]
    fn every_flag_has_an_environment_variable() {
        let command = super::Args::command();
        let missing: Vec<_> = command
            .get_arguments()
            .filter(|arg| {
                arg.get_long().is_some() && !matches!(arg.get_id().as_str(), "help" | "version")
            })
            .filter(|arg| {
                arg.get_env()
                    .and_then(|env| env.to_str())
                    .is_none_or(|env| !env.starts_with("COLMENA_"))
            })
            .map(|arg| arg.get_id().to_string())
            .collect();
        assert!(
            missing.is_empty(),
            "flags without COLMENA_* variables: {missing:?}"
        );
    }
}
