//! Logs (text or JSON lines on stderr) and, when an OTLP endpoint is configured, OpenTelemetry
//! traces of every request.

use opentelemetry::trace::TracerProvider as _;
use opentelemetry_otlp::WithExportConfig as _;
use opentelemetry_sdk::trace::SdkTracerProvider;
use tracing_subscriber::layer::SubscriberExt as _;
use tracing_subscriber::util::SubscriberInitExt as _;
use tracing_subscriber::Layer as _;

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LogFormat {
    /// For people: one readable line per event.
    #[default]
    Text,
    /// For log collectors: one JSON object per line, with the request's span fields.
    Json,
}

/// Why telemetry could not be set up.
#[derive(Debug, thiserror::Error)]
pub enum TelemetryError {
    /// The OTLP exporter could not be built (a malformed endpoint, say).
    #[error("cannot export traces to {endpoint}: {reason}")]
    Exporter {
        /// The endpoint given.
        endpoint: String,
        /// Why.
        reason: String,
    },
    /// A global subscriber was already installed.
    #[error("cannot install the log subscriber: {0}")]
    Subscriber(String),
}

/// The installed telemetry; [`Telemetry::shutdown`] sends the spans still buffered.
#[derive(Debug)]
pub struct Telemetry {
    traces: Option<SdkTracerProvider>,
}

impl Telemetry {
    /// Flushes and stops the trace exporter.
    pub fn shutdown(self) {
        if let Some(provider) = self.traces {
            if let Err(error) = provider.shutdown() {
                eprintln!("colmena-server: the last traces were not exported: {error}");
            }
        }
    }
}

/// The default log filter, when `RUST_LOG` is not set.
const DEFAULT_FILTER: &str = "colmena_server=info,colmena::mail=info,tower_http=warn";

/// Installs the global log subscriber, and the trace exporter when `otlp_endpoint` is given
/// (an OTLP/HTTP collector such as `http://127.0.0.1:4318`; `/v1/traces` is added when the URL
/// has no path).
pub fn init(format: LogFormat, otlp_endpoint: Option<&str>) -> Result<Telemetry, TelemetryError> {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| DEFAULT_FILTER.into());
    let logs = match format {
        LogFormat::Text => tracing_subscriber::fmt::layer()
            .with_writer(std::io::stderr)
            .boxed(),
        LogFormat::Json => tracing_subscriber::fmt::layer()
            .json()
            .flatten_event(true)
            .with_current_span(true)
            .with_span_list(false)
            .with_writer(std::io::stderr)
            .boxed(),
    };
    let traces = otlp_endpoint.map(trace_provider).transpose()?;
    let trace_layer = traces.as_ref().map(|provider| {
        tracing_opentelemetry::layer().with_tracer(provider.tracer("colmena-server"))
    });
    tracing_subscriber::registry()
        .with(filter)
        .with(logs)
        .with(trace_layer)
        .try_init()
        .map_err(|error| TelemetryError::Subscriber(error.to_string()))?;
    Ok(Telemetry { traces })
}

fn trace_provider(endpoint: &str) -> Result<SdkTracerProvider, TelemetryError> {
    let failed = |reason: String| TelemetryError::Exporter {
        endpoint: endpoint.to_owned(),
        reason,
    };
    let mut url = url::Url::parse(endpoint).map_err(|error| failed(error.to_string()))?;
    if url.path() == "/" || url.path().is_empty() {
        url.set_path("/v1/traces");
    }
    let exporter = opentelemetry_otlp::SpanExporter::builder()
        .with_http()
        .with_endpoint(url.as_str())
        .build()
        .map_err(|error| failed(error.to_string()))?;
    let resource = opentelemetry_sdk::Resource::builder()
        .with_service_name("colmena-server")
        .build();
    Ok(SdkTracerProvider::builder()
        .with_batch_exporter(exporter)
        .with_resource(resource)
        .build())
}
