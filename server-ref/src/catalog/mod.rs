//! Catalog queries. Every query is scoped by `store_id`: one store never sees another's rows.

pub mod edit;
pub mod search;
pub mod translations;

use std::collections::HashMap;

use colmena_sdk::contract::{
    AdminProduct, Attributes, Category, CategoryRef, Money, Product, ProductImage,
    ProductListQuery, ProductSort, ProductVariant,
};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};
use uuid::Uuid;

use crate::db::{
    self, count_column, json_column, optional_count_column, optional_uuid_column, uuid_column,
    Backend, Db,
};
use crate::urls::PublicUrls;

/// A query parameter value to bind; the `Any` driver needs owned, typed values.
enum Bind {
    Text(String),
    Int(i64),
}

/// Builds a WHERE clause with `$n` placeholders (understood by SQLite and PostgreSQL alike).
#[derive(Default)]
struct Conditions {
    sql: String,
    binds: Vec<Bind>,
}

impl Conditions {
    fn bind(&mut self, value: Bind) -> String {
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

    fn apply<'q>(
        &'q self,
        mut query: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    ) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
        for bind in &self.binds {
            query = match bind {
                Bind::Text(text) => query.bind(text.as_str()),
                Bind::Int(int) => query.bind(*int),
            };
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
            let category = self.bind(Bind::Text(category.to_owned()));
            // A subquery rather than the join's columns: counts then need no join.
            self.and(&format!(
                "p.category_id IN (SELECT id FROM categories WHERE store_id = {store} \
                 AND (slug = {category} OR id = {category}))"
            ));
        }
        if let Some(featured) = featured {
            let featured = self.bind(Bind::Int(i64::from(featured)));
            self.and(&format!("p.featured = {featured}"));
        }
    }

    /// ` LIMIT … OFFSET …` of a page, bound.
    fn paging(&mut self, limit: u32, offset: Option<u64>) -> Result<String, sqlx::Error> {
        let limit = self.bind(Bind::Int(i64::from(limit)));
        // from_query_pairs refuses offsets beyond an i64.
        let offset =
            i64::try_from(offset.unwrap_or(0)).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
        let offset = self.bind(Bind::Int(offset));
        Ok(format!(" LIMIT {limit} OFFSET {offset}"))
    }

    /// Runs `sql` (which uses these conditions' placeholders) and returns every row.
    async fn fetch_all(
        &self,
        conn: &mut AnyConnection,
        sql: &str,
    ) -> Result<Vec<AnyRow>, sqlx::Error> {
        self.apply(sqlx::query(sql)).fetch_all(conn).await
    }
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

const PRODUCT_COLUMNS: &str = "p.id, p.slug, p.name, p.description, p.price_amount, \
    p.compare_at_amount, p.currency, p.featured, p.created_at, p.option_names, \
    p.digital_file_key, p.digital_file_name, p.attributes, p.is_active, p.updated_at, \
    p.tax_exempt, \
    c.id AS category_id, c.slug AS category_slug, c.name AS category_name, \
    t.slug AS product_type_slug";

const PRODUCT_FROM: &str =
    "FROM products p LEFT JOIN categories c ON c.id = p.category_id AND c.store_id = p.store_id \
     LEFT JOIN product_types t ON t.id = p.product_type_id AND t.store_id = p.store_id";

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
            Self::Public => " AND p.is_active = 1",
            Self::Staff => "",
        }
    }
}

fn product_from_row(row: &AnyRow) -> Result<AdminProduct, sqlx::Error> {
    let currency: String = row.try_get("currency")?;
    let compare_at: Option<i64> = row.try_get("compare_at_amount")?;
    let category = match optional_uuid_column(row, "category_id")? {
        Some(id) => Some(CategoryRef {
            id,
            slug: row.try_get("category_slug")?,
            name: row.try_get("category_name")?,
        }),
        None => None,
    };
    let product = Product {
        id: uuid_column(row, "id")?,
        slug: row.try_get("slug")?,
        name: row.try_get("name")?,
        description: row.try_get("description")?,
        price: Money::new(row.try_get("price_amount")?, currency.clone()),
        compare_at_price: compare_at.map(|amount| Money::new(amount, currency)),
        category,
        featured: row.try_get::<i64, _>("featured")? != 0,
        images: Vec::new(),
        options: json_column(row, "option_names")?,
        variants: Vec::new(),
        digital: row
            .try_get::<Option<String>, _>("digital_file_key")?
            .is_some(),
        product_type: row.try_get("product_type_slug")?,
        attributes: Attributes::from_json(&row.try_get::<String, _>("attributes")?).map_err(
            |e| sqlx::Error::ColumnDecode {
                index: "attributes".into(),
                source: Box::new(e),
            },
        )?,
        created_at: row.try_get::<String, _>("created_at")?.into(),
    };
    Ok(AdminProduct {
        product,
        active: row.try_get::<i64, _>("is_active")? != 0,
        tax_exempt: row.try_get::<i64, _>("tax_exempt")? != 0,
        digital_file_name: row.try_get("digital_file_name")?,
        updated_at: row.try_get::<String, _>("updated_at")?.into(),
    })
}

/// Rows of `table` (with `columns`) belonging to `products`, in one query.
async fn child_rows(
    conn: &mut AnyConnection,
    table: &str,
    columns: &str,
    store_id: Uuid,
    products: &[AdminProduct],
) -> Result<Vec<AnyRow>, sqlx::Error> {
    if products.is_empty() {
        return Ok(Vec::new());
    }
    let mut conditions = Conditions::default();
    let store = conditions.bind(Bind::Text(store_id.to_string()));
    conditions.and(&format!("store_id = {store}"));
    let ids: Vec<String> = products
        .iter()
        .map(|p| conditions.bind(Bind::Text(p.product.id.to_string())))
        .collect();
    conditions.and(&format!("product_id IN ({})", ids.join(", ")));
    let sql = format!(
        "SELECT product_id, {columns} FROM {table}{} ORDER BY product_id, position",
        conditions.sql
    );
    conditions.fetch_all(conn, &sql).await
}

/// A variant row as the public sees it.
pub(crate) fn variant_from_row(
    row: &AnyRow,
    currency: &str,
) -> Result<ProductVariant, sqlx::Error> {
    let compare_at: Option<i64> = row.try_get("compare_at_amount")?;
    let available = optional_count_column(row, "inventory")?;
    Ok(ProductVariant {
        id: uuid_column(row, "id")?,
        sku: row.try_get("sku")?,
        title: row.try_get("title")?,
        options: json_column(row, "options")?,
        price: Money::new(row.try_get("price_amount")?, currency),
        compare_at_price: compare_at.map(|amount| Money::new(amount, currency)),
        available,
        in_stock: available.is_none_or(|units| units > 0),
        weight_grams: optional_count_column(row, "weight_grams")?,
    })
}

/// Fills in the images and variants of `products`, with one query each.
async fn attach_children(
    conn: &mut AnyConnection,
    urls: &PublicUrls,
    store_id: Uuid,
    products: &mut [AdminProduct],
) -> Result<(), sqlx::Error> {
    let mut images: HashMap<Uuid, Vec<ProductImage>> = HashMap::new();
    for row in child_rows(conn, "product_images", "id, path, alt", store_id, products).await? {
        let path: String = row.try_get("path")?;
        images
            .entry(uuid_column(&row, "product_id")?)
            .or_default()
            .push(ProductImage {
                id: Some(uuid_column(&row, "id")?),
                url: urls.absolute(&path),
                alt: row.try_get("alt")?,
            });
    }
    let currency = products
        .first()
        .map(|p| p.product.price.currency.clone())
        .unwrap_or_default();
    let mut variants: HashMap<Uuid, Vec<ProductVariant>> = HashMap::new();
    let variant_columns =
        "id, sku, title, options, price_amount, compare_at_amount, inventory, weight_grams";
    for row in child_rows(
        conn,
        "product_variants",
        variant_columns,
        store_id,
        products,
    )
    .await?
    {
        variants
            .entry(uuid_column(&row, "product_id")?)
            .or_default()
            .push(variant_from_row(&row, &currency)?);
    }
    for AdminProduct { product, .. } in products {
        product.images = images.remove(&product.id).unwrap_or_default();
        product.variants = variants.remove(&product.id).unwrap_or_default();
    }
    Ok(())
}

/// A variant row ready to insert.
pub(crate) struct NewVariant {
    pub sku: String,
    pub title: String,
    /// JSON object of option values.
    pub options: String,
    pub price: i64,
    pub compare_at: Option<i64>,
    /// Units in stock; `None` when not tracked.
    pub inventory: Option<i64>,
    /// Grams per unit, when given.
    pub weight_grams: Option<i64>,
}

/// Inserts a variant of a product; returns its id.
pub(crate) async fn insert_variant(
    conn: &mut AnyConnection,
    store_id: Uuid,
    product_id: Uuid,
    variant: &NewVariant,
    position: i64,
) -> Result<Uuid, sqlx::Error> {
    let id = Uuid::new_v4();
    let now = db::now_text();
    sqlx::query(
        "INSERT INTO product_variants (id, store_id, product_id, sku, title, options, \
           price_amount, compare_at_amount, inventory, position, created_at, updated_at, \
           weight_grams) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11, $12)",
    )
    .bind(id.to_string())
    .bind(store_id.to_string())
    .bind(product_id.to_string())
    .bind(&variant.sku)
    .bind(&variant.title)
    .bind(&variant.options)
    .bind(variant.price)
    .bind(variant.compare_at)
    .bind(variant.inventory)
    .bind(position)
    .bind(&now)
    .bind(variant.weight_grams)
    .execute(conn)
    .await?;
    Ok(id)
}

/// One page of the store's products matching `query`, and the total number of matches.
pub async fn list_products(
    conn: &mut AnyConnection,
    backend: Backend,
    urls: &PublicUrls,
    store_id: Uuid,
    query: &ProductListQuery,
    visibility: Visibility,
) -> Result<(Vec<AdminProduct>, u64), sqlx::Error> {
    let mut conditions = Conditions::default();
    let store = conditions.bind(Bind::Text(store_id.to_string()));
    conditions.and(&format!("p.store_id = {store}{}", visibility.condition()));
    conditions.category_and_featured(&store, query.category.as_deref(), query.featured);
    if let Some(q) = query.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        let pattern = conditions.bind(Bind::Text(like_pattern(q)));
        // A shopper searches in their language: translations match as well.
        conditions.and(&format!(
            "(LOWER(p.name) LIKE {pattern} ESCAPE '\\' OR LOWER(p.description) LIKE {pattern} ESCAPE '\\' \
             OR EXISTS (SELECT 1 FROM product_translations pt \
               WHERE pt.store_id = p.store_id AND pt.product_id = p.id \
               AND (LOWER(pt.name) LIKE {pattern} ESCAPE '\\' \
                 OR LOWER(pt.description) LIKE {pattern} ESCAPE '\\')))"
        ));
    }
    let count_sql = format!("SELECT COUNT(*) AS total FROM products p{}", conditions.sql);
    let total: i64 = conditions
        .apply(sqlx::query(&count_sql))
        .fetch_one(&mut *conn)
        .await?
        .try_get("total")?;

    let sort = query.sort.unwrap_or_default();
    let price = match (visibility, sort) {
        // Shoppers see sale prices, so they sort by them too.
        (Visibility::Public, ProductSort::Price | ProductSort::PriceDesc) => {
            let now = conditions.bind(Bind::Text(db::now_text()));
            let lowest = crate::pricing::price_lists::lowest_public_price_sql(&store, &now);
            let least = match backend {
                Backend::Sqlite => "MIN",
                Backend::Postgres => "LEAST",
            };
            format!("{least}(p.price_amount, COALESCE({lowest}, p.price_amount))")
        }
        _ => "p.price_amount".to_owned(),
    };
    let order = sort_order_by(backend, sort, &price);
    let paging = conditions.paging(query.effective_limit(), query.offset)?;
    let sql = format!(
        "SELECT {PRODUCT_COLUMNS} {PRODUCT_FROM}{} ORDER BY {order}{paging}",
        conditions.sql
    );
    let products = products_of_rows(conn, urls, store_id, &conditions, &sql).await?;
    let total = u64::try_from(total).map_err(|e| db::decode_error("total", e))?;
    Ok((products, total))
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

/// Runs `sql` (selecting [`PRODUCT_COLUMNS`] with `conditions`' placeholders) and returns its
/// products with their images and variants.
async fn products_of_rows(
    conn: &mut AnyConnection,
    urls: &PublicUrls,
    store_id: Uuid,
    conditions: &Conditions,
    sql: &str,
) -> Result<Vec<AdminProduct>, sqlx::Error> {
    let rows = conditions.fetch_all(conn, sql).await?;
    let mut products = rows
        .iter()
        .map(product_from_row)
        .collect::<Result<Vec<_>, _>>()?;
    attach_children(conn, urls, store_id, &mut products).await?;
    Ok(products)
}

/// The store's products with these ids, in the order of `ids`, with their images and variants
/// (ids of no product that `visibility` shows are left out).
async fn products_by_ids(
    conn: &mut AnyConnection,
    urls: &PublicUrls,
    store_id: Uuid,
    ids: &[Uuid],
    visibility: Visibility,
) -> Result<Vec<AdminProduct>, sqlx::Error> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut conditions = Conditions::default();
    let store = conditions.bind(Bind::Text(store_id.to_string()));
    let page: Vec<String> = ids
        .iter()
        .map(|id| format!("({})", conditions.bind(Bind::Text(id.to_string()))))
        .collect();
    conditions.and(&format!(
        "p.id = page.id AND p.store_id = {store}{}",
        visibility.condition()
    ));
    // The ids first, each looked up by primary key: with `p.id IN (…)`, SQLite (without
    // statistics) prefers scanning the store's products by the (store, active) index.
    let sql = format!(
        "WITH page (id) AS (VALUES {}) SELECT {PRODUCT_COLUMNS} FROM page CROSS JOIN {}{}",
        page.join(", "),
        PRODUCT_FROM.trim_start_matches("FROM "),
        conditions.sql
    );
    let mut found: HashMap<Uuid, AdminProduct> = HashMap::with_capacity(ids.len());
    for row in conditions.fetch_all(conn, &sql).await? {
        let product = product_from_row(&row)?;
        found.insert(product.product.id, product);
    }
    let mut products: Vec<AdminProduct> = ids.iter().filter_map(|id| found.remove(id)).collect();
    attach_children(conn, urls, store_id, &mut products).await?;
    Ok(products)
}

/// The store's product with this id or slug.
pub async fn product_by_id_or_slug(
    conn: &mut AnyConnection,
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
    // A UUID is matched in its canonical lower-case form, as stored.
    let key = Uuid::parse_str(id_or_slug)
        .map(|id| id.to_string())
        .unwrap_or_else(|_| id_or_slug.to_owned());
    let sql = format!(
        "SELECT {PRODUCT_COLUMNS} {PRODUCT_FROM} WHERE p.store_id = $1{} AND {column} = $2",
        visibility.condition()
    );
    let row = sqlx::query(&sql)
        .bind(store_id.to_string())
        .bind(key)
        .fetch_optional(&mut *conn)
        .await?;
    let Some(row) = row else { return Ok(None) };
    let mut products = vec![product_from_row(&row)?];
    attach_children(conn, urls, store_id, &mut products).await?;
    Ok(products.pop())
}

/// The store's categories in display order, with their active product counts.
pub async fn categories(db: &Db, store_id: Uuid) -> Result<Vec<Category>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT c.id, c.slug, c.name, c.parent_id, \
           (SELECT COUNT(*) FROM products p \
             WHERE p.store_id = c.store_id AND p.category_id = c.id AND p.is_active = 1) AS product_count \
         FROM categories c WHERE c.store_id = $1 ORDER BY c.position, c.name",
    )
    .bind(store_id.to_string())
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
