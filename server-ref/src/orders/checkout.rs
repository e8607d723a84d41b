//! Checkout: a cart becomes an order with its stock reserved and its payment set up, once per
//! idempotency key even across crashes.

use colmena_sdk::contract::{
    validate_email, CheckoutRequest, CheckoutSession, ErrorCode, ErrorDetails, Money, OrderStatus,
    PaymentStatus, Store,
};
use uuid::Uuid;

use super::lifecycle::{change_status_in, order_placed, ChangedBy};
use super::read::{later, order_answer};
use crate::carts::{cart_choices, cart_lines, save_choices};
use crate::db::{count_column, json_text, optional_count_column, uuid_column};
use crate::http::idempotency::ClaimedKey;
use crate::http::ApiError;
use crate::payments::PaymentRequest;
use crate::pricing::{self, addresses, discounts, Choices, Codes, Quote};
use crate::{db, AppState};

/// Creates the order of a cart and reserves its stock, in one transaction. Returns its id.
async fn place_order(
    state: &AppState,
    store_id: Uuid,
    currency: &str,
    provider: &str,
    request: &CheckoutRequest,
    key: Option<&ClaimedKey>,
    language: Option<&str>,
) -> Result<Uuid, ApiError> {
    let now = db::now();
    let mut tx = state.db.begin_write().await?;
    // Claiming the cart first is the write that serialises checkouts of one cart.
    let claimed = crate::db::query(
        "UPDATE carts SET status = 'checked_out', updated_at = $1 \
         WHERE id = $2 AND store_id = $3 AND status = 'open'",
    )
    .bind(now)
    .bind(request.cart_id)
    .bind(store_id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if claimed != 1 {
        let exists =
            crate::db::query("SELECT 1 AS found FROM carts WHERE id = $1 AND store_id = $2")
                .bind(request.cart_id)
                .bind(store_id)
                .fetch_optional(&mut *tx)
                .await?
                .is_some();
        return Err(if exists {
            ApiError::conflict("this cart was already checked out", "checked_out")
        } else {
            ApiError::not_found("cart", &request.cart_id.to_string())
        });
    }
    let lines = cart_lines(&mut tx, &state.urls, store_id, request.cart_id).await?;
    if lines.is_empty() {
        return Err(ApiError::invalid_field("cartId", "names an empty cart"));
    }
    if let Some(gone) = lines.iter().find(|line| !line.product_active) {
        return Err(ApiError::conflict(
            format!(
                "{} is no longer sold; remove it from the cart",
                gone.product_name
            ),
            "inactive",
        ));
    }
    // The request's choices replace the cart's, then everything is priced again here: the
    // buyer is charged what the server computes, never what a client sent.
    let choices = pricing::updated_choices(
        cart_choices(&mut tx, store_id, request.cart_id).await?,
        request.shipping_address.as_ref(),
        request.billing_address.as_ref(),
        request.shipping_rate_id,
        request.discount_codes.as_deref(),
    )?;
    save_choices(&mut tx, store_id, request.cart_id, &choices).await?;
    let quote =
        pricing::quote(&mut tx, store_id, currency, &lines, &choices, Codes::Strict).await?;
    let customer = customer_details(request, &choices, &quote)?;
    let total = quote.priced.totals.total.amount;
    if let Some(expected) = &request.expected_total {
        if expected.amount != total || expected.currency != currency {
            return Err(ApiError::new(
                ErrorCode::PriceChanged,
                "prices changed since the cart was shown; review the new total",
            )
            .with_details(ErrorDetails {
                current_total: Some(Money::new(total, currency)),
                ..ErrorDetails::default()
            }));
        }
    }
    // Reserve in variant order, so that concurrent checkouts lock rows in the same order and
    // cannot deadlock on PostgreSQL.
    let mut tracked: Vec<_> = lines
        .iter()
        .filter(|line| line.inventory.is_some())
        .collect();
    tracked.sort_by_key(|line| line.variant_id);
    for line in tracked {
        let reserved = crate::db::query(
            "UPDATE product_variants SET inventory = inventory - $1, updated_at = $2 \
             WHERE id = $3 AND store_id = $4 AND inventory IS NOT NULL AND inventory >= $1",
        )
        .bind(i64::from(line.quantity))
        .bind(now)
        .bind(line.variant_id)
        .bind(store_id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if reserved != 1 {
            // A variant removed meanwhile has nothing left.
            let left = crate::db::query(
                "SELECT inventory FROM product_variants WHERE id = $1 AND store_id = $2",
            )
            .bind(line.variant_id)
            .bind(store_id)
            .fetch_optional(&mut *tx)
            .await?
            .map(|row| optional_count_column(&row, "inventory"))
            .transpose()?
            .flatten()
            .unwrap_or(0);
            return Err(ApiError::insufficient_inventory(
                line.variant_id,
                &line.sku,
                left,
            ));
        }
    }
    let order_id = Uuid::new_v4();
    // Taking the number raises the store's counter in this transaction: concurrent checkouts
    // queue on the store's row, so numbers are unique and without gaps.
    let number = crate::db::query(
        "UPDATE stores SET next_order_number = next_order_number + 1 WHERE id = $1 \
         RETURNING next_order_number - 1 AS number",
    )
    .bind(store_id)
    .fetch_one(&mut *tx)
    .await?;
    let number = count_column(&number, "number")?;
    let totals = &quote.priced.totals;
    crate::db::query(
        "INSERT INTO orders (id, store_id, cart_id, customer_email, status, currency, \
           subtotal_amount, total_amount, payment_provider, payment_status, payment_expires_at, \
           created_at, updated_at, checkout_key, number, customer_name, customer_phone, \
           shipping_address, billing_address, shipping_name, totals, locale) \
         VALUES ($1, $2, $3, $4, 'pending_payment', $5, $6, $7, $8, 'pending', $9, $10, $10, \
           $11, $12, $13, $14, $15, $16, $17, $18, $19)",
    )
    .bind(order_id)
    .bind(store_id)
    .bind(request.cart_id)
    .bind(request.email.trim())
    .bind(currency)
    .bind(totals.subtotal.amount)
    .bind(total)
    .bind(provider)
    .bind(later(state.commerce.payment_ttl))
    .bind(now)
    .bind(key.map(|key| key.0.as_str()))
    .bind(i64::from(number))
    .bind(customer.name.as_deref())
    .bind(customer.phone.as_deref())
    .bind(
        customer
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
    .bind(quote.rate.as_ref().map(|rate| rate.name.as_str()))
    .bind(json_text(totals)?)
    .bind(language)
    .execute(&mut *tx)
    .await?;
    discounts::redeem(&mut tx, store_id, order_id, &request.email, &quote.used).await?;
    for ((position, line), share) in lines.iter().enumerate().zip(&quote.priced.lines) {
        crate::db::query(
            "INSERT INTO order_items (id, store_id, order_id, product_id, variant_id, \
               product_name, variant_title, sku, quantity, unit_amount, line_amount, digital, \
               position, discount_amount, tax_amount) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)",
        )
        .bind(Uuid::new_v4())
        .bind(store_id)
        .bind(order_id)
        .bind(line.product_id)
        .bind(line.variant_id)
        .bind(&line.product_name)
        .bind(&line.variant_title)
        .bind(&line.sku)
        .bind(i64::from(line.quantity))
        .bind(line.unit_amount)
        .bind(line.line_amount())
        .bind(line.digital)
        .bind(db::position(position)?)
        .bind(share.discount)
        .bind(share.tax)
        .execute(&mut *tx)
        .await?;
    }
    order_placed(&mut tx, state, store_id, order_id).await?;
    tx.commit().await?;
    state.cache.invalidate();
    Ok(order_id)
}

/// Who the order is for, checked.
struct Customer {
    name: Option<String>,
    phone: Option<String>,
    /// The shipping address, when the order is shipped (not picked up, not digital).
    shipping_address: Option<colmena_sdk::contract::Address>,
}

/// The buyer's details as an order needs them: a shipped cart needs a chosen rate, and a
/// delivered one an address and a name; a phone number is normalised to E.164.
fn customer_details(
    request: &CheckoutRequest,
    choices: &Choices,
    quote: &Quote,
) -> Result<Customer, ApiError> {
    let delivered = quote
        .rate
        .as_ref()
        .is_some_and(|rate| rate.kind != colmena_sdk::contract::ShippingRateKind::Pickup);
    if quote.requires_shipping && quote.rate.is_none() {
        return Err(
            if choices.shipping_address.is_none() && quote.options.is_empty() {
                ApiError::invalid_field(
                    "shippingAddress",
                    "is required: this cart holds items to ship",
                )
            } else if quote.options.is_empty() {
                ApiError::invalid_field(
                    "shippingAddress",
                    "is outside every shipping zone of this store",
                )
            } else {
                ApiError::invalid_field(
                    "shippingRateId",
                    "is required: choose one of the cart's shippingOptions",
                )
            },
        );
    }
    let shipping_address = if delivered {
        choices.shipping_address.clone()
    } else {
        None
    };
    let name = request
        .name
        .as_deref()
        .map(str::trim)
        .filter(|name| !name.is_empty())
        .map(str::to_owned)
        .or_else(|| {
            shipping_address
                .as_ref()
                .map(|address| address.name.clone())
        });
    if name.as_ref().is_some_and(|name| name.chars().count() > 200) {
        return Err(ApiError::invalid_field(
            "name",
            "must be at most 200 characters",
        ));
    }
    if quote.requires_shipping && name.is_none() {
        return Err(ApiError::invalid_field(
            "name",
            "is required for an order to ship or collect",
        ));
    }
    let phone = request
        .phone
        .as_deref()
        .filter(|phone| !phone.trim().is_empty())
        .map(|phone| addresses::normalised_phone("phone", phone, quote.country(choices)))
        .transpose()?;
    Ok(Customer {
        name,
        phone,
        shipping_address,
    })
}

/// Turns a cart into an order (`pending_payment`), reserves its stock, and sets up its payment.
/// A retry with the same idempotency `key` finishes the order that key placed. `language` is
/// the buyer's (one of the message languages), for their order's mail.
pub async fn checkout(
    state: &AppState,
    store: &Store,
    request: &CheckoutRequest,
    key: Option<ClaimedKey>,
    language: Option<&str>,
) -> Result<CheckoutSession, ApiError> {
    validate_email(&request.email).map_err(|m| ApiError::invalid_field("email", m))?;
    let return_url = match &request.return_url {
        Some(url) => checked_return_url(state, store.id, url).await?,
        None => state.urls.absolute("/"),
    };
    let payments =
        crate::db::query("SELECT payment_provider, stripe_account_id FROM stores WHERE id = $1")
            .bind(store.id)
            .fetch_one(&state.db.pool)
            .await?;
    let provider_name: String = payments.try_get("payment_provider")?;
    let connected_account: Option<String> = payments.try_get("stripe_account_id")?;
    let provider = state.providers.get(&provider_name).cloned().ok_or_else(|| {
        tracing::error!(store = %store.slug, provider = %provider_name, "unknown payment provider");
        ApiError::new(
            ErrorCode::PaymentProviderError,
            "this store's payment provider is not available",
        )
    })?;
    // A retry of this key (after a crash, or a replay) finishes the order it placed.
    let placed = match &key {
        Some(key) => order_placed_with(state, store.id, key).await?,
        None => None,
    };
    let order_id = match placed {
        Some(order_id) => order_id,
        None => {
            place_order(
                state,
                store.id,
                &store.currency,
                &provider_name,
                request,
                key.as_ref(),
                language,
            )
            .await?
        }
    };
    let mut order = order_answer(state, store.id, order_id).await?;
    let unpaid_without_session =
        order.status == OrderStatus::PendingPayment && order.payment.reference.is_none();
    if unpaid_without_session {
        let session = provider
            .create_session(&PaymentRequest {
                store_id: store.id,
                order_id,
                amount: &order.total,
                email: &order.email,
                expires_at: order.payment.expires_at.as_str(),
                description: &format!(
                    "{} — order {}",
                    store.name,
                    &order_id.simple().to_string()[..8]
                ),
                return_url: &return_url,
                connected_account: connected_account.as_deref(),
            })
            .await;
        let session = match session {
            Ok(session) => session,
            Err(error) => {
                tracing::error!(%error, %order_id, "payment session failed; cancelling the order");
                abandon_checkout(state, store.id, order_id, request.cart_id).await?;
                return Err(ApiError::new(
                    ErrorCode::PaymentProviderError,
                    "the payment could not be set up; nothing was charged, try again",
                ));
            }
        };
        crate::db::query(
            "UPDATE orders SET payment_reference = $1, payment_url = $2 \
             WHERE id = $3 AND store_id = $4",
        )
        .bind(&session.reference)
        .bind(session.redirect_url.as_deref())
        .bind(order_id)
        .bind(store.id)
        .execute(&state.db.writer)
        .await?;
        // The order as loaded, with the two payment fields just written (no second read).
        order.payment.reference = Some(session.reference);
        order.payment.redirect_url = session.redirect_url;
    }
    Ok(CheckoutSession {
        order,
        order_token: state.keys.capabilities.order_token(order_id),
    })
}

/// The order a checkout with this idempotency key placed, if one did.
async fn order_placed_with(
    state: &AppState,
    store_id: Uuid,
    key: &ClaimedKey,
) -> Result<Option<Uuid>, ApiError> {
    crate::db::query("SELECT id FROM orders WHERE store_id = $1 AND checkout_key = $2")
        .bind(store_id)
        .bind(&key.0)
        .fetch_optional(&state.db.pool)
        .await?
        .map(|row| uuid_column(&row, "id"))
        .transpose()
        .map_err(ApiError::from)
}

/// Undoes a checkout whose payment could not be set up: the order is cancelled (its stock
/// released), forgets its idempotency key, and the cart opens again, so that trying again
/// (with the same key or a new one) places a new order.
async fn abandon_checkout(
    state: &AppState,
    store_id: Uuid,
    order_id: Uuid,
    cart_id: Uuid,
) -> Result<(), ApiError> {
    let mut tx = state.db.begin_write().await?;
    change_status_in(
        &mut tx,
        state,
        store_id,
        order_id,
        OrderStatus::Cancelled,
        Some(PaymentStatus::Failed),
        ChangedBy::System("checkout: the payment could not be set up"),
    )
    .await?;
    crate::db::query("UPDATE orders SET checkout_key = NULL WHERE id = $1 AND store_id = $2")
        .bind(order_id)
        .bind(store_id)
        .execute(&mut *tx)
        .await?;
    crate::db::query(
        "UPDATE carts SET status = 'open', updated_at = $1 \
         WHERE id = $2 AND store_id = $3 AND status = 'checked_out'",
    )
    .bind(db::now())
    .bind(cart_id)
    .bind(store_id)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    state.cache.invalidate();
    Ok(())
}

/// A checkout's `returnUrl`, which must be on one of the store's allowed origins: a hosted
/// payment page must not become an open redirect.
async fn checked_return_url(
    state: &AppState,
    store_id: Uuid,
    text: &str,
) -> Result<String, ApiError> {
    let invalid = || {
        ApiError::invalid_field(
            "returnUrl",
            "must be a URL on one of the store's allowed origins",
        )
    };
    let url = url::Url::parse(text).map_err(|_| invalid())?;
    if !matches!(url.scheme(), "http" | "https") || text.len() > 2048 {
        return Err(invalid());
    }
    let origin = url.origin().ascii_serialization();
    let allowed = crate::stores::allowed_origins(&state.db, store_id).await?;
    if allowed.contains(&origin) {
        Ok(url.to_string())
    } else {
        Err(invalid())
    }
}
