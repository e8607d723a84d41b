//! Carts (public API). The server owns every price and total: a cart stores only variants and
//! quantities, and each read prices them at the variant's current price.
//!
//! Every change runs in a transaction that first touches the cart row. On SQLite that takes
//! the write lock before any read, so concurrent writers queue on the busy timeout instead of
//! failing to upgrade a read snapshot.

use crate::db::{Conn, Row};
use colmena_sdk::contract::{
    validate_quantity, AddCartItemRequest, Cart, CartItem, CartStatus, Money, ProductImage,
};
use uuid::Uuid;

use crate::db::{
    count_column, json_column, json_text, optional_count_column, optional_json_column,
    optional_uuid_column, uuid_column,
};
use crate::http::ApiError;
use crate::pricing::{self, price_lists, Choices, Codes, Quote};
use crate::urls::PublicUrls;
use crate::{db, AppState};

/// A cart line joined with its variant and product, at current prices.
#[derive(Debug, Clone)]
pub(crate) struct CartLine {
    pub item_id: Uuid,
    pub quantity: u32,
    pub variant_id: Uuid,
    pub sku: String,
    pub variant_title: String,
    pub unit_amount: i64,
    /// Units left; `None` when stock is not tracked.
    pub inventory: Option<u32>,
    pub product_id: Uuid,
    pub product_slug: String,
    pub product_name: String,
    pub product_active: bool,
    pub digital: bool,
    pub image: Option<ProductImage>,
    pub category_id: Option<Uuid>,
    /// Grams per unit; zero when the variant has no weight.
    pub weight_grams: u32,
    pub tax_exempt: bool,
}

impl CartLine {
    /// `unit × quantity`; prices are capped by the admin API, so this never saturates.
    pub fn line_amount(&self) -> i64 {
        self.unit_amount.saturating_mul(i64::from(self.quantity))
    }

    /// Units left as the API reports them.
    pub fn available(&self) -> Option<u32> {
        self.inventory
    }
}

/// The lines of a cart, oldest first, each at its price for the cart's buyer (the price lists
/// in force for everyone, and for the groups of the customer the cart is bound to).
pub(crate) async fn cart_lines(
    conn: &mut Conn,
    urls: &PublicUrls,
    store_id: Uuid,
    cart_id: Uuid,
) -> Result<Vec<CartLine>, sqlx::Error> {
    let rows = crate::db::query(
        "SELECT ci.id, ci.quantity, v.id AS variant_id, v.sku, v.title AS variant_title, \
           v.price_amount, v.inventory, p.id AS product_id, p.slug AS product_slug, \
           p.name AS product_name, p.is_active, p.digital_file_key, p.category_id, \
           v.weight_grams, p.tax_exempt, c.customer_email, \
           (SELECT i.path FROM product_images i WHERE i.store_id = p.store_id \
              AND i.product_id = p.id ORDER BY i.position LIMIT 1) AS image_path, \
           (SELECT i.alt FROM product_images i WHERE i.store_id = p.store_id \
              AND i.product_id = p.id ORDER BY i.position LIMIT 1) AS image_alt \
         FROM cart_items ci \
         JOIN carts c ON c.id = ci.cart_id AND c.store_id = ci.store_id \
         JOIN product_variants v ON v.id = ci.variant_id AND v.store_id = ci.store_id \
         JOIN products p ON p.id = v.product_id AND p.store_id = v.store_id \
         WHERE ci.store_id = $1 AND ci.cart_id = $2 ORDER BY ci.position, ci.created_at, ci.id",
    )
    .bind(store_id)
    .bind(cart_id)
    .fetch_all(&mut *conn)
    .await?;
    let mut lines = rows
        .iter()
        .map(|row| {
            let image_path: Option<String> = row.try_get("image_path")?;
            let image_alt: Option<String> = row.try_get("image_alt")?;
            Ok(CartLine {
                item_id: uuid_column(row, "id")?,
                quantity: count_column(row, "quantity")?,
                variant_id: uuid_column(row, "variant_id")?,
                sku: row.try_get("sku")?,
                variant_title: row.try_get("variant_title")?,
                unit_amount: row.try_get("price_amount")?,
                inventory: optional_count_column(row, "inventory")?,
                product_id: uuid_column(row, "product_id")?,
                product_slug: row.try_get("product_slug")?,
                product_name: row.try_get("product_name")?,
                product_active: row.try_get("is_active")?,
                digital: row
                    .try_get::<Option<String>, _>("digital_file_key")?
                    .is_some(),
                image: image_path.map(|path| ProductImage {
                    id: None,
                    url: urls.absolute(&path),
                    alt: image_alt.unwrap_or_default(),
                }),
                category_id: optional_uuid_column(row, "category_id")?,
                weight_grams: optional_count_column(row, "weight_grams")?.unwrap_or(0),
                tax_exempt: row.try_get("tax_exempt")?,
            })
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
    let Some(first) = rows.first() else {
        return Ok(lines);
    };
    let email: Option<String> = first.try_get("customer_email")?;
    let variants: Vec<Uuid> = lines.iter().map(|line| line.variant_id).collect();
    let best = price_lists::best_prices(conn, store_id, &variants, email.as_deref()).await?;
    for line in &mut lines {
        if let Some(offer) = best.get(&line.variant_id) {
            line.unit_amount = line.unit_amount.min(offer.amount);
        }
    }
    Ok(lines)
}

/// What the buyer chose on a cart (addresses, rate, codes).
pub(crate) async fn cart_choices(
    conn: &mut Conn,
    store_id: Uuid,
    cart_id: Uuid,
) -> Result<Choices, ApiError> {
    let row = crate::db::query(
        "SELECT shipping_address, billing_address, shipping_rate_id, discount_codes \
         FROM carts WHERE id = $1 AND store_id = $2",
    )
    .bind(cart_id)
    .bind(store_id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(|| ApiError::not_found("cart", &cart_id.to_string()))?;
    Ok(Choices {
        shipping_address: optional_json_column(&row, "shipping_address")?,
        billing_address: optional_json_column(&row, "billing_address")?,
        shipping_rate_id: optional_uuid_column(&row, "shipping_rate_id")?,
        discount_codes: json_column(&row, "discount_codes")?,
    })
}

/// Writes the buyer's choices on an open cart (already checked), in the caller's transaction.
pub(crate) async fn save_choices(
    conn: &mut Conn,
    store_id: Uuid,
    cart_id: Uuid,
    choices: &Choices,
) -> Result<(), ApiError> {
    crate::db::query(
        "UPDATE carts SET shipping_address = $1, billing_address = $2, shipping_rate_id = $3, \
           discount_codes = $4 WHERE id = $5 AND store_id = $6",
    )
    .bind(
        choices
            .shipping_address
            .as_ref()
            .map(json_text)
            .transpose()?,
    )
    .bind(
        choices
            .billing_address
            .as_ref()
            .map(json_text)
            .transpose()?,
    )
    .bind(choices.shipping_rate_id)
    .bind(json_text(&choices.discount_codes)?)
    .bind(cart_id)
    .bind(store_id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The cart as the API shows it, or `None` if the store has no such cart. Codes that no
/// longer hold are left out of its totals (checkout refuses them).
pub async fn load_cart(
    conn: &mut Conn,
    urls: &PublicUrls,
    store_id: Uuid,
    cart_id: Uuid,
) -> Result<Option<Cart>, ApiError> {
    let row = crate::db::query(
        "SELECT currency, status, created_at, updated_at FROM carts WHERE id = $1 AND store_id = $2",
    )
    .bind(cart_id)
    .bind(store_id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let currency: String = row.try_get("currency")?;
    let status: String = row.try_get("status")?;
    let lines = cart_lines(conn, urls, store_id, cart_id).await?;
    let choices = cart_choices(conn, store_id, cart_id).await?;
    let quote = pricing::quote(conn, store_id, &currency, &lines, &choices, Codes::Lenient).await?;
    Ok(Some(cart_view(
        cart_id, &status, currency, lines, choices, quote, &row,
    )?))
}

fn cart_view(
    cart_id: Uuid,
    status: &str,
    currency: String,
    lines: Vec<CartLine>,
    choices: Choices,
    quote: Quote,
    row: &Row,
) -> Result<Cart, ApiError> {
    let items = lines
        .into_iter()
        .map(|line| CartItem {
            id: line.item_id,
            product_id: line.product_id,
            product_slug: line.product_slug.clone(),
            product_name: line.product_name.clone(),
            variant_id: line.variant_id,
            variant_title: line.variant_title.clone(),
            sku: line.sku.clone(),
            quantity: line.quantity,
            unit_price: Money::new(line.unit_amount, currency.as_str()),
            line_total: Money::new(line.line_amount(), currency.as_str()),
            available: line.available(),
            digital: line.digital,
            image: line.image,
        })
        .collect::<Vec<_>>();
    let totals = quote.priced.totals;
    Ok(Cart {
        id: cart_id,
        status: CartStatus::parse(status)
            .ok_or_else(|| ApiError::internal(format!("unknown cart status {status:?}")))?,
        item_count: items
            .iter()
            .fold(0u32, |sum, item| sum.saturating_add(item.quantity)),
        subtotal: totals.subtotal.clone(),
        total: totals.total.clone(),
        totals,
        requires_shipping: quote.requires_shipping,
        shipping_address: choices.shipping_address,
        billing_address: choices.billing_address,
        shipping_options: quote.options,
        shipping_rate_id: quote.rate.map(|rate| rate.id),
        discount_codes: choices.discount_codes,
        currency,
        items,
        created_at: row.try_get::<String, _>("created_at")?.into(),
        updated_at: row.try_get::<String, _>("updated_at")?.into(),
    })
}

/// Creates an empty open cart; `customer` binds it to a signed-in buyer (their groups'
/// prices).
pub(crate) async fn insert_cart(
    conn: &mut Conn,
    store_id: Uuid,
    currency: &str,
    customer: Option<String>,
) -> Result<Uuid, ApiError> {
    let cart_id = Uuid::new_v4();
    let now = db::now();
    crate::db::query(
        "INSERT INTO carts (id, store_id, currency, status, created_at, updated_at, \
           customer_email) VALUES ($1, $2, $3, 'open', $4, $4, $5)",
    )
    .bind(cart_id)
    .bind(store_id)
    .bind(currency)
    .bind(now)
    .bind(customer)
    .execute(&mut *conn)
    .await?;
    Ok(cart_id)
}

/// The status of the store's cart (`open`, `checked_out`), `None` when it has no such cart.
pub(crate) async fn cart_status(
    conn: &mut Conn,
    store_id: Uuid,
    cart_id: Uuid,
) -> Result<Option<String>, ApiError> {
    Ok(
        crate::db::query("SELECT status FROM carts WHERE id = $1 AND store_id = $2")
            .bind(cart_id)
            .bind(store_id)
            .fetch_optional(&mut *conn)
            .await?
            .map(|row| row.try_get("status"))
            .transpose()?,
    )
}

/// Marks an open cart as changed, which also takes the write lock first (see the module
/// documentation). 404 when the store has no such cart, 409 when it is checked out.
pub(crate) async fn touch_open_cart(
    conn: &mut Conn,
    store_id: Uuid,
    cart_id: Uuid,
) -> Result<(), ApiError> {
    let touched = crate::db::query(
        "UPDATE carts SET updated_at = $1 WHERE id = $2 AND store_id = $3 AND status = 'open'",
    )
    .bind(db::now())
    .bind(cart_id)
    .bind(store_id)
    .execute(&mut *conn)
    .await?
    .rows_affected();
    if touched == 1 {
        return Ok(());
    }
    match cart_status(conn, store_id, cart_id).await? {
        None => Err(ApiError::not_found("cart", &cart_id.to_string())),
        Some(status) => Err(ApiError::conflict(
            "this cart was checked out and can no longer change; start a new cart",
            &status,
        )),
    }
}

/// A variant that can be put in a cart.
pub(crate) struct Sellable {
    variant_id: Uuid,
    sku: String,
    inventory: Option<u32>,
}

impl Sellable {
    fn from_row(row: &Row) -> Result<Self, ApiError> {
        Ok(Self {
            variant_id: uuid_column(row, "id")?,
            sku: row.try_get("sku")?,
            inventory: optional_count_column(row, "inventory")?,
        })
    }
}

/// The variant of a cart line, or 404 when the cart has no such line.
pub(crate) async fn line_variant(
    conn: &mut Conn,
    store_id: Uuid,
    cart_id: Uuid,
    item_id: Uuid,
) -> Result<Sellable, ApiError> {
    let row = crate::db::query(
        "SELECT v.id, v.sku, v.inventory FROM cart_items ci \
         JOIN product_variants v ON v.id = ci.variant_id AND v.store_id = ci.store_id \
         WHERE ci.id = $1 AND ci.cart_id = $2 AND ci.store_id = $3",
    )
    .bind(item_id)
    .bind(cart_id)
    .bind(store_id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(|| ApiError::not_found("cart item", &item_id.to_string()))?;
    Sellable::from_row(&row)
}

/// The store's active variant named by `request` (a variant id, or a product with one variant).
pub(crate) async fn sellable_variant(
    conn: &mut Conn,
    store_id: Uuid,
    request: &AddCartItemRequest,
) -> Result<Sellable, ApiError> {
    let (column, key, resource) = match (request.variant_id, request.product_id) {
        (Some(variant), _) => ("v.id", variant, "variant"),
        (None, Some(product)) => ("p.id", product, "product"),
        (None, None) => {
            return Err(ApiError::invalid_field(
                "variantId",
                "is required (or productId for a product with one variant)",
            ))
        }
    };
    let sql = format!(
        "SELECT v.id, v.sku, v.inventory FROM product_variants v \
         JOIN products p ON p.id = v.product_id AND p.store_id = v.store_id \
         WHERE v.store_id = $1 AND {column} = $2 AND p.is_active = TRUE ORDER BY v.position LIMIT 2"
    );
    let rows = crate::db::query(&sql)
        .bind(store_id)
        .bind(key)
        .fetch_all(&mut *conn)
        .await?;
    match rows.as_slice() {
        [] => Err(ApiError::not_found(resource, &key.to_string())),
        [row] => Sellable::from_row(row),
        _ => Err(ApiError::invalid_field(
            "variantId",
            "is required: this product has several variants",
        )),
    }
}

/// Refuses a line quantity the stock cannot cover.
pub(crate) fn check_stock(variant: &Sellable, wanted: u32) -> Result<(), ApiError> {
    match variant.inventory {
        Some(units) if wanted > units => Err(ApiError::insufficient_inventory(
            variant.variant_id,
            &variant.sku,
            units,
        )),
        _ => Ok(()),
    }
}

/// Adds units of a variant to an open cart, merging with its existing line.
pub(crate) async fn add_item(
    conn: &mut Conn,
    store_id: Uuid,
    cart_id: Uuid,
    request: &AddCartItemRequest,
) -> Result<(), ApiError> {
    validate_quantity(request.quantity).map_err(|m| ApiError::invalid_field("quantity", m))?;
    let variant = sellable_variant(conn, store_id, request).await?;
    let in_cart: u32 = crate::db::query(
        "SELECT quantity FROM cart_items WHERE store_id = $1 AND cart_id = $2 AND variant_id = $3",
    )
    .bind(store_id)
    .bind(cart_id)
    .bind(variant.variant_id)
    .fetch_optional(&mut *conn)
    .await?
    .map(|row| count_column(&row, "quantity"))
    .transpose()?
    .unwrap_or(0);
    let wanted = in_cart.saturating_add(request.quantity);
    validate_quantity(wanted).map_err(|m| {
        ApiError::invalid_field(
            "quantity",
            format_args!("{m} per line (the cart has {in_cart})"),
        )
    })?;
    check_stock(&variant, wanted)?;
    crate::db::query(
        "INSERT INTO cart_items (id, store_id, cart_id, variant_id, quantity, created_at, position) \
         VALUES ($1, $2, $3, $4, $5, $6, \
           (SELECT COALESCE(MAX(position), 0) + 1 FROM cart_items WHERE cart_id = $3)) \
         ON CONFLICT (cart_id, variant_id) DO UPDATE SET quantity = $5",
    )
    .bind(Uuid::new_v4())
    .bind(store_id)
    .bind(cart_id)
    .bind(variant.variant_id)
    .bind(i64::from(wanted))
    .bind(db::now())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The cart after a committed change.
pub(crate) async fn cart_answer(
    state: &AppState,
    store_id: Uuid,
    cart_id: Uuid,
) -> Result<Cart, ApiError> {
    let mut conn = state.db.pool.acquire().await?;
    load_cart(&mut conn, &state.urls, store_id, cart_id)
        .await?
        .ok_or_else(|| ApiError::not_found("cart", &cart_id.to_string()))
}
