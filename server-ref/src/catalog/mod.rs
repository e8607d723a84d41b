//! Catalog queries. Every query is scoped by `store_id`: one store never sees another's rows.

pub mod edit;
mod page;
pub mod search;
pub mod translations;

use crate::db::{Conn, Row};
use std::collections::HashMap;

use colmena_sdk::contract::{AdminProduct, Category, ProductListQuery, ProductSort};
use uuid::Uuid;

use crate::db::{self, count_column, optional_uuid_column, uuid_column, Backend, Db, Value};
use crate::urls::PublicUrls;

/// Builds a WHERE clause with `$n` placeholders (understood by SQLite and PostgreSQL alike).
#[derive(Default)]
struct Conditions {
    sql: String,
    binds: Vec<Value>,
}

impl Conditions {
    fn bind(&mut self, value: Value) -> String {
        self.binds.push(value);
        format!("${}", self.binds.len())
    }

    fn and(&mut self, condition: &str) {
        self.sql.push_str(if self.sql.is_empty() {
            " WHERE "
        } else {
            " AND "
        });
        self.sql.push_str(condition);
    }

    fn apply<'q>(&'q self, mut query: crate::db::Query<'q>) -> crate::db::Query<'q> {
        for bind in &self.binds {
            query = query.bind(bind.clone());
        }
        query
    }

    /// The filters the product list and search share: a category (slug or id) of the store
    /// whose id is bound as `store`, and featured or not.
    fn category_and_featured(
        &mut self,
        store: &str,
        category: Option<&str>,
        featured: Option<bool>,
    ) {
        if let Some(category) = category {
            // A category's id or its slug.
            let (column, key) = match Uuid::parse_str(category) {
                Ok(id) => ("id", Value::Uuid(id)),
                Err(_) => ("slug", Value::Text(category.to_owned())),
            };
            let key = self.bind(key);
            // A subquery rather than the join's columns: counts then need no join.
            self.and(&format!(
                "p.category_id IN (SELECT id FROM categories WHERE store_id = {store} \
                 AND {column} = {key})"
            ));
        }
        if let Some(featured) = featured {
            let featured = self.bind(Value::Bool(featured));
            self.and(&format!("p.featured = {featured}"));
        }
    }

    /// Runs `sql` (which uses these conditions' placeholders) and returns every row.
    async fn fetch_all(&self, conn: &mut Conn, sql: &str) -> Result<Vec<Row>, sqlx::Error> {
        self.apply(crate::db::query(sql)).fetch_all(conn).await
    }
}

/// ` LIMIT … OFFSET …` of a page, written into the statement (both are validated integers:
/// `from_query_pairs` refuses offsets beyond an i64). PostgreSQL then keeps one plan for a
/// page and reuses it; with bound values it planned every execution of the first page anew
/// (0.6 ms of planning for 0.15 ms of execution), as its generic plan could not know how few
/// rows the page needs.
fn paging(limit: u32, offset: u64) -> String {
    format!(" LIMIT {limit} OFFSET {offset}")
}

/// Escapes LIKE wildcards so that a search for `50%` means the text `50%`.
fn like_pattern(text: &str) -> String {
    let mut pattern = String::with_capacity(text.len() + 2);
    pattern.push('%');
    for c in text.to_lowercase().chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

/// Which products a listing shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Visibility {
    /// Active products only: what shoppers see.
    Public,
    /// Every product, active or not: what staff see.
    Staff,
}

impl Visibility {
    fn condition(self) -> &'static str {
        match self {
            Self::Public => " AND p.is_active = TRUE",
            Self::Staff => "",
        }
    }
}

/// A variant row ready to insert.
pub(crate) struct NewVariant {
    pub sku: String,
    pub title: String,
    /// JSON object of option values.
    pub options: db::JsonText,
    pub price: i64,
    pub compare_at: Option<i64>,
    /// Units in stock; `None` when not tracked.
    pub inventory: Option<i64>,
    /// Grams per unit, when given.
    pub weight_grams: Option<i64>,
}

/// Inserts a variant of a product; returns its id.
pub(crate) async fn insert_variant(
    conn: &mut Conn,
    store_id: Uuid,
    product_id: Uuid,
    variant: &NewVariant,
    position: i64,
) -> Result<Uuid, sqlx::Error> {
    let id = Uuid::new_v4();
    let now = db::now();
    crate::db::query(
        "INSERT INTO product_variants (id, store_id, product_id, sku, title, options, \
           price_amount, compare_at_amount, inventory, position, created_at, updated_at, \
           weight_grams) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11, $12)",
    )
    .bind(id)
    .bind(store_id)
    .bind(product_id)
    .bind(&variant.sku)
    .bind(&variant.title)
    .bind(&variant.options)
    .bind(variant.price)
    .bind(variant.compare_at)
    .bind(variant.inventory)
    .bind(position)
    .bind(now)
    .bind(variant.weight_grams)
    .execute(conn)
    .await?;
    Ok(id)
}

/// What a listing knows of its store beforehand.
#[derive(Debug, Clone, Copy, Default)]
pub struct Listing<'a> {
    /// Counts of the store's listings read before, by filter.
    pub counts: Option<&'a moka::sync::Cache<String, u64>>,
    /// Whether a price list for every shopper is in force (prices then sort by it).
    pub sales_on: bool,
}

/// One page of the store's products matching `query`, and the total number of matches.
pub async fn list_products(
    conn: &mut Conn,
    backend: Backend,
    urls: &PublicUrls,
    store_id: Uuid,
    query: &ProductListQuery,
    visibility: Visibility,
    listing: Listing<'_>,
) -> Result<(Vec<AdminProduct>, u64), sqlx::Error> {
    let counts = listing.counts;
    let mut conditions = Conditions::default();
    let store = conditions.bind(Value::Uuid(store_id));
    conditions.and(&format!("p.store_id = {store}{}", visibility.condition()));
    conditions.category_and_featured(&store, query.category.as_deref(), query.featured);
    if let Some(q) = query.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        let pattern = conditions.bind(Value::Text(like_pattern(q)));
        // A shopper searches in their language: translations match as well.
        conditions.and(&format!(
            "(LOWER(p.name) LIKE {pattern} ESCAPE '\\' OR LOWER(p.description) LIKE {pattern} ESCAPE '\\' \
             OR EXISTS (SELECT 1 FROM product_translations pt \
               WHERE pt.store_id = p.store_id AND pt.product_id = p.id \
               AND (LOWER(pt.name) LIKE {pattern} ESCAPE '\\' \
                 OR LOWER(pt.description) LIKE {pattern} ESCAPE '\\')))"
        ));
    }
    let sort = query.sort.unwrap_or_default();
    let sale_prices = matches!(
        (visibility, sort),
        (
            Visibility::Public,
            ProductSort::Price | ProductSort::PriceDesc
        )
    ) && listing.sales_on;
    let (with, from, price) = if sale_prices {
        // A LIMIT beyond an i64 is refused by PostgreSQL; i64::MAX already means every product.
        let reach = (query.offset.unwrap_or(0))
            .saturating_add(u64::from(query.effective_limit()))
            .min(i64::MAX.unsigned_abs());
        sale_price_order(&mut conditions, backend, &store, sort, reach)
    } else {
        (String::new(), "products p".to_owned(), "p.price_amount")
    };
    let keys = sort_keys(sort, price);
    let paging = paging(query.effective_limit(), query.offset.unwrap_or(0));
    let selection = page::Selection {
        with: &with,
        from: &from,
        conditions: &conditions,
        prefiltered: sale_prices,
    };
    // A listing's count, when known, serves all its pages; searches (`q`) are counted anew.
    let count_key = counts.filter(|_| query.q.is_none()).map(|counts| {
        let key = format!(
            "{visibility:?} category={:?} featured={:?}",
            query.category, query.featured
        );
        (counts, key)
    });
    let known = count_key.as_ref().and_then(|(counts, key)| counts.get(key));
    let (products, total) = page::fetch(
        conn,
        backend,
        urls,
        &selection,
        &keys,
        &paging,
        known.is_none(),
    )
    .await?;
    let total = match (known, total) {
        (Some(known), _) => known,
        (None, Some(total)) => {
            let total = u64::try_from(total).map_err(|e| db::decode_error("total", e))?;
            if let Some((counts, key)) = count_key {
                counts.insert(key, total);
            }
            total
        }
        (None, None) => return Err(db::decode_error("total", db::UnknownValue("NULL".into()))),
    };
    Ok((products, total))
}

/// Shoppers see sale prices, so while a sale for everyone is on they sort by them too. Few
/// products are on sale: the page is the merge of the others in the price index's order (only
/// as many as the page reaches: `reach`) and the products on sale at their sale prices, rather
/// than every product priced and sorted; `reach` is written into the statement, as a page's
/// size and offset are (see [`paging`]). Returns the common table expressions, the products
/// (`p`: `id`, `name`, `shown_price`, already filtered by `conditions`) and the price's SQL.
fn sale_price_order(
    conditions: &mut Conditions,
    backend: Backend,
    store: &str,
    sort: ProductSort,
    reach: u64,
) -> (String, String, &'static str) {
    let filter = conditions.sql.clone();
    let now = conditions.bind(Value::Time(db::now()));
    let lowest = crate::pricing::price_lists::lowest_public_prices_sql(store, &now);
    let least = match backend {
        Backend::Sqlite => "MIN",
        Backend::Postgres => "LEAST",
    };
    let regular_order = sort_order_by(backend, sort, "p.price_amount");
    let from = format!(
        "(SELECT * FROM (SELECT p.id, p.name, p.price_amount AS shown_price FROM products p\
           {filter} AND NOT EXISTS (SELECT 1 FROM sale WHERE sale.product_id = p.id) \
           ORDER BY {regular_order} LIMIT {reach}) regular \
         UNION ALL \
         SELECT p.id, p.name, {least}(p.price_amount, sale.amount) AS shown_price \
           FROM products p JOIN sale ON sale.product_id = p.id{filter}) p"
    );
    (format!("sale AS {lowest}"), from, "p.shown_price")
}

/// The keys of a product sort, with `price` the SQL of a product's price. Names compare
/// case-insensitively, byte by byte on both engines.
fn sort_keys(sort: ProductSort, price: &str) -> Vec<page::SortKey> {
    use page::SortKey;
    let name = || SortKey::asc("LOWER(p.name)").bytewise();
    match sort {
        ProductSort::Newest => vec![SortKey::desc("p.created_at"), SortKey::asc("p.id")],
        ProductSort::Name => vec![name(), SortKey::asc("p.id")],
        ProductSort::Price => vec![SortKey::asc(price), name(), SortKey::asc("p.id")],
        ProductSort::PriceDesc => vec![SortKey::desc(price), name(), SortKey::asc("p.id")],
    }
}

/// The ORDER BY of a product sort, by regular prices.
fn sort_order(backend: Backend, sort: ProductSort) -> String {
    sort_order_by(backend, sort, "p.price_amount")
}

/// The ORDER BY of a product sort, with `price` the SQL of a product's price.
fn sort_order_by(backend: Backend, sort: ProductSort, price: &str) -> String {
    // Case-insensitive names in byte order on both engines: PostgreSQL would otherwise sort by
    // the database's locale collation and disagree with SQLite.
    let name = match backend {
        Backend::Sqlite => "LOWER(p.name)",
        Backend::Postgres => "LOWER(p.name) COLLATE \"C\"",
    };
    match sort {
        ProductSort::Newest => "p.created_at DESC, p.id".to_owned(),
        ProductSort::Name => format!("{name}, p.id"),
        ProductSort::Price => format!("{price}, {name}, p.id"),
        ProductSort::PriceDesc => format!("{price} DESC, {name}, p.id"),
    }
}

/// The store's products with these ids, in the order of `ids`, with their images and variants
/// (ids of no product that `visibility` shows are left out).
async fn products_by_ids(
    conn: &mut Conn,
    backend: Backend,
    urls: &PublicUrls,
    store_id: Uuid,
    ids: &[Uuid],
    visibility: Visibility,
) -> Result<Vec<AdminProduct>, sqlx::Error> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut conditions = Conditions::default();
    let store = conditions.bind(Value::Uuid(store_id));
    let wanted: Vec<String> = ids
        .iter()
        .map(|id| format!("({})", conditions.bind(Value::Uuid(*id))))
        .collect();
    conditions.and(&format!(
        "p.id = wanted.id AND p.store_id = {store}{}",
        visibility.condition()
    ));
    // The ids first, each looked up by primary key: with `p.id IN (…)`, SQLite (without
    // statistics) prefers scanning the store's products by the (store, active) index.
    let with = format!("wanted (id) AS (VALUES {})", wanted.join(", "));
    let selection = page::Selection {
        with: &with,
        from: "wanted CROSS JOIN products p",
        conditions: &conditions,
        prefiltered: false,
    };
    let keys = [page::SortKey::asc("p.id")];
    let (found, _) = page::fetch(conn, backend, urls, &selection, &keys, "", false).await?;
    let mut found: HashMap<Uuid, AdminProduct> =
        found.into_iter().map(|p| (p.product.id, p)).collect();
    Ok(ids.iter().filter_map(|id| found.remove(id)).collect())
}

/// The store's product with this id or slug.
pub async fn product_by_id_or_slug(
    conn: &mut Conn,
    backend: Backend,
    urls: &PublicUrls,
    store_id: Uuid,
    id_or_slug: &str,
    visibility: Visibility,
) -> Result<Option<AdminProduct>, sqlx::Error> {
    let column = if Uuid::parse_str(id_or_slug).is_ok() {
        "p.id"
    } else {
        "p.slug"
    };
    let key = Uuid::parse_str(id_or_slug)
        .map(Value::Uuid)
        .unwrap_or_else(|_| Value::Text(id_or_slug.to_owned()));
    let mut conditions = Conditions::default();
    let store = conditions.bind(Value::Uuid(store_id));
    let key = conditions.bind(key);
    conditions.and(&format!(
        "p.store_id = {store}{} AND {column} = {key}",
        visibility.condition()
    ));
    let selection = page::Selection::products(&conditions);
    let keys = [page::SortKey::asc("p.id")];
    let (mut found, _) = page::fetch(conn, backend, urls, &selection, &keys, "", false).await?;
    Ok(found.pop())
}

/// The store's categories in display order, with their active product counts.
pub async fn categories(db: &Db, store_id: Uuid) -> Result<Vec<Category>, sqlx::Error> {
    let rows = crate::db::query(
        "SELECT c.id, c.slug, c.name, c.parent_id, \
           (SELECT COUNT(*) FROM products p \
             WHERE p.store_id = c.store_id AND p.category_id = c.id AND p.is_active = TRUE) AS product_count \
         FROM categories c WHERE c.store_id = $1 ORDER BY c.position, c.name",
    )
    .bind(store_id)
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(Category {
                id: uuid_column(row, "id")?,
                slug: row.try_get("slug")?,
                name: row.try_get("name")?,
                parent_id: optional_uuid_column(row, "parent_id")?,
                product_count: u64::from(count_column(row, "product_count")?),
            })
        })
        .collect()
}
