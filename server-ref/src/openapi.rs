//! The OpenAPI 3 document, generated from the handlers' annotations and the contract types.

use utoipa::OpenApi;

use crate::api;

/// The API description served at `GET /api/v1/openapi.json`.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Colmena API",
        description = "Store-scoped public catalog API of Colmena. Every JSON response uses the \
                       envelope `success`, `data`, `error`, `pagination`, `meta`.",
        license(name = "Apache-2.0"),
    ),
    paths(
        api::health,
        api::get_store,
        api::list_products,
        api::get_product,
        api::list_categories,
    ),
    tags(
        (name = "catalog", description = "Public, store-scoped catalog"),
        (name = "system", description = "Health and API description"),
    )
)]
pub struct ApiDoc;

/// The document as served.
pub fn document() -> utoipa::openapi::OpenApi {
    let mut doc = ApiDoc::openapi();
    doc.info.version = env!("CARGO_PKG_VERSION").to_owned();
    doc
}
