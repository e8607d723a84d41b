//! A page of products read in one statement: the chosen products' listing documents (each
//! product's columns, category, type, variants and images as JSON, which triggers keep in
//! `product_listings` on every write) joined as one array, with the number of matches beside it.
//!
//! A page of 20 products used to take four statements (count, products, variants, images) and
//! some 70 rows, each row copied through the driver; then one statement that built the JSON of
//! every product it showed. Now a page costs one statement and one row, whatever its size, and
//! the database only concatenates stored text (`docs/benchmarks.md`).

use crate::db::Conn;
use serde::Deserialize;
use uuid::Uuid;

use colmena_sdk::contract::{
    AdminProduct, Attributes, CategoryRef, Money, OptionValues, Product, ProductImage,
    ProductVariant,
};

use super::Conditions;
use crate::db::Backend;
use crate::urls::PublicUrls;

/// One key of a page's order.
#[derive(Debug, Clone)]
pub(super) struct SortKey {
    /// The SQL of the key, over `p` (the products table).
    pub expr: String,
    /// Descending.
    pub desc: bool,
    /// Compared byte by byte on PostgreSQL (whose default collation would disagree with
    /// SQLite's).
    pub bytewise: bool,
}

impl SortKey {
    pub fn asc(expr: impl Into<String>) -> Self {
        Self {
            expr: expr.into(),
            desc: false,
            bytewise: false,
        }
    }

    pub fn desc(expr: impl Into<String>) -> Self {
        Self {
            desc: true,
            ..Self::asc(expr)
        }
    }

    pub fn bytewise(self) -> Self {
        Self {
            bytewise: true,
            ..self
        }
    }

    fn order(&self, backend: Backend, expr: &str) -> String {
        let collate = if self.bytewise && backend == Backend::Postgres {
            " COLLATE \"C\""
        } else {
            ""
        };
        let direction = if self.desc { " DESC" } else { "" };
        format!("{expr}{collate}{direction}")
    }
}

/// A flag as each engine's JSON writes it: `true` from PostgreSQL's boolean, `1` from SQLite's
/// integer.
fn flag<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<bool, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Flag {
        Boolean(bool),
        Integer(i64),
    }
    Ok(match Flag::deserialize(deserializer)? {
        Flag::Boolean(flag) => flag,
        Flag::Integer(number) => number != 0,
    })
}

/// A time as either engine's JSON writes it (SQLite's stored text, PostgreSQL's ISO form of
/// `timestamptz` with an offset), in the API's form.
fn time<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
    crate::db::parse_timestamp(&text)
        .map(crate::db::timestamp_text)
        .ok_or_else(|| serde::de::Error::custom(format!("not an RFC 3339 time: {text}")))
}

/// A product as the page's JSON carries it: the table's columns, unconverted.
#[derive(Debug, Deserialize)]
struct ProductRow {
    id: Uuid,
    slug: String,
    name: String,
    description: String,
    price_amount: i64,
    compare_at_amount: Option<i64>,
    currency: String,
    #[serde(deserialize_with = "flag")]
    featured: bool,
    #[serde(deserialize_with = "time")]
    created_at: String,
    option_names: Vec<String>,
    digital_file_key: Option<String>,
    digital_file_name: Option<String>,
    attributes: Box<serde_json::value::RawValue>,
    #[serde(deserialize_with = "flag")]
    is_active: bool,
    #[serde(deserialize_with = "time")]
    updated_at: String,
    #[serde(deserialize_with = "flag")]
    tax_exempt: bool,
    category_id: Option<Uuid>,
    category_slug: Option<String>,
    category_name: Option<String>,
    product_type_slug: Option<String>,
    variants: Vec<VariantRow>,
    images: Vec<ImageRow>,
}

#[derive(Debug, Deserialize)]
struct VariantRow {
    id: Uuid,
    sku: String,
    title: String,
    options: OptionValues,
    price_amount: i64,
    compare_at_amount: Option<i64>,
    inventory: Option<u32>,
    weight_grams: Option<u32>,
}

#[derive(Debug, Deserialize)]
struct ImageRow {
    id: Uuid,
    path: String,
    alt: String,
}

/// Which products a page shows: `conditions` over `from` (which names the products `p`), with
/// `with` the common table expressions `from` needs (`name (…) AS (…)`, comma-separated, or
/// nothing).
/// `prefiltered` when `from` applies the conditions itself (they are then counted over the
/// products table).
pub(super) struct Selection<'a> {
    pub with: &'a str,
    pub from: &'a str,
    pub conditions: &'a Conditions,
    pub prefiltered: bool,
}

impl<'a> Selection<'a> {
    /// The products of `conditions` over the products table.
    pub fn products(conditions: &'a Conditions) -> Self {
        Self {
            with: "",
            from: "products p",
            conditions,
            prefiltered: false,
        }
    }
}

/// The page's statement: `selection` chooses the products, `keys` order them, and `paging`
/// (` LIMIT … OFFSET …`) cuts the page. The page is the
/// chosen products' listing documents (`product_listings`, which triggers keep) joined as one
/// JSON array in the keys' order.
fn statement(
    backend: Backend,
    selection: &Selection<'_>,
    keys: &[SortKey],
    paging: &str,
    count: bool,
) -> String {
    let key_columns: String = keys
        .iter()
        .enumerate()
        .map(|(n, key)| format!(", {} AS k{n}", key.expr))
        .collect();
    let page_order: Vec<String> = keys.iter().map(|k| k.order(backend, &k.expr)).collect();
    let chosen_order: Vec<String> = keys
        .iter()
        .enumerate()
        .map(|(n, k)| k.order(backend, &format!("chosen.k{n}")))
        .collect();
    let Selection {
        with,
        from,
        conditions,
        prefiltered,
    } = selection;
    let (filter, counted) = if *prefiltered {
        ("", format!("products p{}", conditions.sql))
    } else {
        (conditions.sql.as_str(), format!("{from}{}", conditions.sql))
    };
    let total = if count {
        format!("(SELECT COUNT(*) FROM {counted})")
    } else {
        "NULL".to_owned()
    };
    let chosen = format!(
        "SELECT p.id AS id{key_columns} FROM {from}{filter} ORDER BY {}{paging}",
        page_order.join(", ")
    );
    let concatenate = match backend {
        Backend::Sqlite => "group_concat",
        Backend::Postgres => "string_agg",
    };
    // A product without its document (the triggers write one for every product) is not left
    // out: its document is built on the spot.
    let document = "COALESCE(l.document, (SELECT d.document FROM product_listing_documents d \
         WHERE d.product_id = chosen.id))";
    let with = if with.is_empty() {
        String::new()
    } else {
        format!("WITH {with} ")
    };
    format!(
        "{with}SELECT {total} AS total, (SELECT COALESCE('[' || {concatenate}({document}, ',' \
           ORDER BY {}) || ']', '[]') \
           FROM ({chosen}) chosen LEFT JOIN product_listings l ON l.product_id = chosen.id) \
         AS products",
        chosen_order.join(", ")
    )
}

/// The page of products that `selection` chooses, in `keys`' order, with their variants and
/// images; and, when `count` asks, how many products it chooses in all.
pub(super) async fn fetch(
    conn: &mut Conn,
    backend: Backend,
    urls: &PublicUrls,
    selection: &Selection<'_>,
    keys: &[SortKey],
    paging: &str,
    count: bool,
) -> Result<(Vec<AdminProduct>, Option<i64>), sqlx::Error> {
    let sql = statement(backend, selection, keys, paging, count);
    let row = selection
        .conditions
        .apply(crate::db::query(&sql))
        .fetch_one(conn)
        .await?;
    let total: Option<i64> = row.try_get("total")?;
    let document: String = row.try_get("products")?;
    let rows: Vec<ProductRow> =
        serde_json::from_str(&document).map_err(|e| crate::db::decode_error("products", e))?;
    let products = rows
        .into_iter()
        .map(|row| admin_product(row, urls))
        .collect::<Result<_, _>>()?;
    Ok((products, total))
}

fn admin_product(row: ProductRow, urls: &PublicUrls) -> Result<AdminProduct, sqlx::Error> {
    let currency = row.currency;
    let money = |amount: i64| Money::new(amount, currency.clone());
    let category = match (row.category_id, row.category_slug, row.category_name) {
        (Some(id), Some(slug), Some(name)) => Some(CategoryRef { id, slug, name }),
        _ => None,
    };
    let variants = row
        .variants
        .into_iter()
        .map(|v| ProductVariant {
            id: v.id,
            sku: v.sku,
            title: v.title,
            options: v.options,
            price: money(v.price_amount),
            compare_at_price: v.compare_at_amount.map(money),
            available: v.inventory,
            in_stock: v.inventory.is_none_or(|units| units > 0),
            weight_grams: v.weight_grams,
        })
        .collect();
    let images = row
        .images
        .into_iter()
        .map(|image| ProductImage {
            id: Some(image.id),
            url: urls.absolute(&image.path),
            alt: image.alt,
        })
        .collect();
    let attributes = Attributes::from_json(row.attributes.get())
        .map_err(|e| crate::db::decode_error("attributes", e))?;
    let product = Product {
        id: row.id,
        slug: row.slug,
        name: row.name,
        description: row.description,
        price: money(row.price_amount),
        compare_at_price: row.compare_at_amount.map(money),
        category,
        featured: row.featured,
        images,
        options: row.option_names,
        variants,
        digital: row.digital_file_key.is_some(),
        product_type: row.product_type_slug,
        attributes,
        created_at: row.created_at.into(),
    };
    Ok(AdminProduct {
        product,
        active: row.is_active,
        tax_exempt: row.tax_exempt,
        digital_file_name: row.digital_file_name,
        updated_at: row.updated_at.into(),
    })
}
