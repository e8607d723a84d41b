//! Each store's catalog as the chat interpreter reads it: its active products' names in the
//! store's language and their translations, and their variants' options. Indexed once per
//! catalog generation (see [`crate::cache`]): the first message after a catalog change
//! re-reads it.

use std::collections::BTreeMap;
use std::sync::Arc;

use colmena_sdk::chat::Interpreter;
use colmena_sdk::contract::{ChatCatalog, ChatName, ChatOption, ChatProduct, ChatVariant};
use uuid::Uuid;

use crate::db::{json_column, optional_json_column, uuid_column};
use crate::http::ApiError;
use crate::AppState;

/// Most stores whose indexed catalog is kept.
const CACHED_STORES: u64 = 1_000;

/// A store's chat catalog and its index.
#[derive(Debug)]
pub struct StoreCatalog {
    /// The catalog, as `GET …/chat/catalog` sends it.
    pub catalog: ChatCatalog,
    /// Its index.
    pub interpreter: Interpreter,
    /// The catalog generation it was read in.
    generation: u64,
}

impl StoreCatalog {
    /// A product's name in `language`: its translation, else its own name (a store may write
    /// names in another language than its locale's).
    pub fn product_name(&self, product_id: Uuid, language: &str) -> Option<&str> {
        let product = self
            .catalog
            .products
            .iter()
            .find(|product| product.id == product_id)?;
        product
            .names
            .iter()
            .skip(1)
            .find(|name| name.locale == language)
            .or_else(|| product.names.first())
            .map(|name| name.name.as_str())
    }
}

/// The indexed catalogs of recently active stores.
#[derive(Debug, Clone)]
pub struct Catalogs(moka::sync::Cache<Uuid, Arc<StoreCatalog>>);

impl Default for Catalogs {
    fn default() -> Self {
        Self(moka::sync::Cache::new(CACHED_STORES))
    }
}

/// The store's indexed chat catalog, as of the last committed catalog change.
pub async fn store_catalog(
    state: &AppState,
    store_id: Uuid,
    language: &str,
) -> Result<Arc<StoreCatalog>, ApiError> {
    let generation = state.cache.generation();
    if let Some(cached) = state.chat.catalogs.0.get(&store_id) {
        if cached.generation == generation {
            return Ok(cached);
        }
    }
    let catalog = read_catalog(state, store_id, language).await?;
    // Indexing a large catalog takes tens of milliseconds: off the async workers.
    let built = tokio::task::spawn_blocking(move || {
        let interpreter = Interpreter::new(&catalog);
        StoreCatalog {
            catalog,
            interpreter,
            generation,
        }
    })
    .await
    .map_err(|error| ApiError::internal(format!("indexing the chat catalog: {error}")))?;
    let built = Arc::new(built);
    state.chat.catalogs.0.insert(store_id, built.clone());
    Ok(built)
}

/// Reads the store's active products with their names, translations and variants.
async fn read_catalog(
    state: &AppState,
    store_id: Uuid,
    language: &str,
) -> Result<ChatCatalog, ApiError> {
    let mut conn = state.db.pool.acquire().await?;
    let product_rows = crate::db::query(
        "SELECT id, name, option_names FROM products \
         WHERE store_id = $1 AND is_active = TRUE ORDER BY created_at, id",
    )
    .bind(store_id)
    .fetch_all(&mut *conn)
    .await?;
    let mut products: Vec<ChatProduct> = Vec::with_capacity(product_rows.len());
    let mut option_names: BTreeMap<Uuid, Vec<Vec<ChatName>>> = BTreeMap::new();
    for row in &product_rows {
        let id = uuid_column(row, "id")?;
        let names: Vec<String> = json_column(row, "option_names")?;
        option_names.insert(
            id,
            names
                .into_iter()
                .map(|name| {
                    vec![ChatName {
                        locale: language.to_owned(),
                        name,
                    }]
                })
                .collect(),
        );
        products.push(ChatProduct {
            id,
            names: vec![ChatName {
                locale: language.to_owned(),
                name: row.try_get("name")?,
            }],
            variants: Vec::new(),
        });
    }
    let index: BTreeMap<Uuid, usize> = products
        .iter()
        .enumerate()
        .map(|(position, product)| (product.id, position))
        .collect();
    let translations = crate::db::query(
        "SELECT product_id, locale, name, option_names FROM product_translations \
         WHERE store_id = $1 ORDER BY product_id, locale",
    )
    .bind(store_id)
    .fetch_all(&mut *conn)
    .await?;
    for row in &translations {
        let product_id = uuid_column(row, "product_id")?;
        let Some(&position) = index.get(&product_id) else {
            continue;
        };
        let locale: String = row.try_get("locale")?;
        products[position].names.push(ChatName {
            locale: locale.clone(),
            name: row.try_get("name")?,
        });
        if let (Some(translated), Some(names)) = (
            optional_json_column::<Vec<String>>(row, "option_names")?,
            option_names.get_mut(&product_id),
        ) {
            for (option, name) in names.iter_mut().zip(translated) {
                option.push(ChatName {
                    locale: locale.clone(),
                    name,
                });
            }
        }
    }
    let variants = crate::db::query(
        "SELECT id, product_id, options FROM product_variants \
         WHERE store_id = $1 ORDER BY product_id, position, id",
    )
    .bind(store_id)
    .fetch_all(&mut *conn)
    .await?;
    for row in &variants {
        let product_id = uuid_column(row, "product_id")?;
        let Some(&position) = index.get(&product_id) else {
            continue;
        };
        let values: BTreeMap<String, serde_json::Value> = json_column(row, "options")?;
        let options = option_names
            .get(&product_id)
            .map(|names| {
                names
                    .iter()
                    .filter_map(|names| {
                        let own = names.first()?;
                        let value = match values.get(&own.name)? {
                            serde_json::Value::String(text) => text.clone(),
                            other => other.to_string(),
                        };
                        Some(ChatOption {
                            names: names.clone(),
                            value,
                        })
                    })
                    .collect()
            })
            .unwrap_or_default();
        products[position].variants.push(ChatVariant {
            id: uuid_column(row, "id")?,
            options,
        });
    }
    products.retain(|product| !product.variants.is_empty());
    Ok(ChatCatalog {
        language: language.to_owned(),
        products,
    })
}
