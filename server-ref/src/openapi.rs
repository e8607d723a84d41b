//! The OpenAPI 3 document, generated from the handlers' annotations and the contract types.

use utoipa::OpenApi;

use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::Modify;

/// Declares the `bearerAuth` scheme the admin routes require.
struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearerAuth",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .build(),
            ),
        );
    }
}

/// Documents the optional `Idempotency-Key` header, and its 422 `IDEMPOTENCY_KEY_REUSED`, on
/// every mutating operation (the `idempotency` middleware serves them all).
struct IdempotencyKeys;

impl Modify for IdempotencyKeys {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::path::{ParameterBuilder, ParameterIn};
        use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};
        let header = ParameterBuilder::new()
            .name("Idempotency-Key")
            .parameter_in(ParameterIn::Header)
            .required(utoipa::openapi::Required::False)
            .description(Some(
                "Makes retries safe: a repeat with the same key and request gets the first \
                 answer again (header `Idempotent-Replayed: true`); 1 to 255 characters, kept 24 h",
            ))
            .schema(Some(
                utoipa::openapi::ObjectBuilder::new()
                    .schema_type(utoipa::openapi::schema::Type::String)
                    .min_length(Some(1))
                    .max_length(Some(255)),
            ))
            .build();
        let reused = ResponseBuilder::new()
            .description("`IDEMPOTENCY_KEY_REUSED`: the key was used for a different request")
            .content(
                "application/json",
                ContentBuilder::new()
                    .schema(Some(Ref::from_schema_name("ApiResponse_NoData")))
                    .build(),
            )
            .build();
        for (path, item) in &mut openapi.paths.paths {
            for (method, operation) in [
                (axum::http::Method::POST, &mut item.post),
                (axum::http::Method::PUT, &mut item.put),
                (axum::http::Method::PATCH, &mut item.patch),
                (axum::http::Method::DELETE, &mut item.delete),
            ] {
                let Some(operation) = operation else { continue };
                if crate::http::idempotency::answer_carries_secret(&method, path) {
                    continue;
                }
                operation
                    .parameters
                    .get_or_insert_with(Vec::new)
                    .push(header.clone());
                operation
                    .responses
                    .responses
                    .insert("422".to_owned(), reused.clone().into());
            }
        }
    }
}

/// Documents the answers the HTTP edge (`crate::http`) gives on any operation: 503 when the
/// request runs out of time, 429 over a rate limit or the client's connection cap, and for
/// operations with a body, 408 when it arrives too slowly and 413 when it is too large.
struct EdgeLimits;

impl Modify for EdgeLimits {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::{ContentBuilder, Ref, RefOr, Response, ResponseBuilder};
        let answer = |description: &str| -> RefOr<Response> {
            ResponseBuilder::new()
                .description(description)
                .content(
                    "application/json",
                    ContentBuilder::new()
                        .schema(Some(Ref::from_schema_name("ApiResponse_NoData")))
                        .build(),
                )
                .build()
                .into()
        };
        for item in openapi.paths.paths.values_mut() {
            for operation in [
                &mut item.get,
                &mut item.post,
                &mut item.put,
                &mut item.patch,
                &mut item.delete,
            ]
            .into_iter()
            .flatten()
            {
                let has_body = operation.request_body.is_some();
                let responses = &mut operation.responses.responses;
                let mut document = |status: &str, description: &str| {
                    responses
                        .entry(status.to_owned())
                        .or_insert_with(|| answer(description));
                };
                document(
                    "429",
                    "`RATE_LIMITED` (with `Retry-After`): over a rate limit, or too many open \
                     connections from this address",
                );
                document(
                    "503",
                    "`SERVICE_UNAVAILABLE` (with `Retry-After`): the request ran out of time \
                     (`--request-timeout-seconds`) or the database is unavailable",
                );
                if has_body {
                    document(
                        "408",
                        "`REQUEST_TIMEOUT`: the body did not arrive in time; the connection closes",
                    );
                    document(
                        "413",
                        "`PAYLOAD_TOO_LARGE`: the body is larger than the route accepts",
                    );
                }
            }
        }
    }
}

/// The API description served at `GET /api/v1/openapi.json`.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Colmena API",
        description = "Store-scoped public catalog and checkout API, and the admin API, of Colmena. Every JSON response uses the \
                       envelope `success`, `data`, `error`, `pagination`, `meta`.",
        license(name = "Apache-2.0"),
    ),
    modifiers(&BearerAuth),
    tags(
        (name = "catalog", description = "Public, store-scoped catalog"),
        (name = "cart", description = "Public, store-scoped carts priced by the server: lines, addresses, shipping, discounts and tax"),
        (name = "chat", description = "Commerce in conversation: interpret buyers' messages, the chat catalog, the widget's chat with the store, and the WhatsApp Cloud API and Twilio webhooks (signed by their providers)"),
        (name = "checkout", description = "Checkout, customer orders, test payments and downloads"),
        (name = "storefront", description = "Public, store-scoped storefront: theme, logo, banners and announcement"),
        (name = "system", description = "Health and API description"),
        (name = "auth", description = "Sign-in for the admin API"),
        (name = "admin", description = "Store settings, users, API keys and the audit log (bearer token or secret key of that store)"),
        (name = "admin-catalog", description = "Products, variants, categories, product types and uploads"),
        (name = "admin-orders", description = "Orders, refunds and analytics"),
        (name = "admin-pricing", description = "Tax settings and rates, shipping zones and rates, discount codes and automatic rules"),
        (name = "admin-storefront", description = "The storefront editor: draft, images, preview tokens, versions (publish, schedule, roll back, cancel)"),
        (name = "admin-chat", description = "Conversations, staff replies, conversation events (JSON or CSV) and their analytics"),
        (name = "platform", description = "Opening, suspending and reactivating stores (the platform key given to the server at start-up)"),
    )
)]
pub struct ApiDoc;

/// The document as served: every route's entry, as the resource modules declare them.
pub fn document() -> utoipa::openapi::OpenApi {
    finish(crate::api_routes(|store_routes| store_routes).into_openapi())
}

/// Completes the document the routers collected: the version, and what the HTTP edge and the
/// idempotency layer add to every operation.
pub(crate) fn finish(mut doc: utoipa::openapi::OpenApi) -> utoipa::openapi::OpenApi {
    doc.info.version = env!("CARGO_PKG_VERSION").to_owned();
    IdempotencyKeys.modify(&mut doc);
    EdgeLimits.modify(&mut doc);
    doc
}
