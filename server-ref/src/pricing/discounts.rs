//! Discounts: their rules as the admin API writes them, the offers a cart gets (automatic
//! rules in force, and the codes the buyer entered), and their use by orders.

use crate::db::{Conn, Row};
use colmena_sdk::contract::{
    normalise_discount_code, validate_discount_code, Discount, DiscountInput, DiscountKind,
    ErrorCode, ErrorDetails,
};
use uuid::Uuid;

use crate::db::{self, count_column, json_column, json_text, optional_count_column, uuid_column};
use crate::http::ApiError;

/// A discount rule as stored, with what the checks need.
#[derive(Debug, Clone)]
pub struct StoredDiscount {
    pub id: Uuid,
    pub rule: DiscountInput,
    pub times_used: u32,
    pub updated_at: String,
}

impl StoredDiscount {
    fn from_row(row: &Row) -> Result<Self, ApiError> {
        Ok(Self {
            id: uuid_column(row, "id")?,
            rule: json_column(row, "rule")?,
            times_used: count_column(row, "times_used")?,
            updated_at: row.try_get("updated_at")?,
        })
    }

    /// As the admin API shows it.
    pub fn answer(self) -> Discount {
        Discount {
            id: self.id,
            rule: self.rule,
            times_used: self.times_used,
            updated_at: self.updated_at.into(),
        }
    }
}

const COLUMNS: &str = "id, rule, times_used, updated_at";

fn discount_error(code: ErrorCode, discount_code: &str, message: &str) -> ApiError {
    ApiError::new(code, format!("{discount_code}: {message}")).with_details(ErrorDetails {
        parameter: Some("discountCodes".into()),
        ..ErrorDetails::default()
    })
}

/// The refusal for a code that takes nothing off this cart.
pub fn not_applicable(code: &str, message: &str) -> ApiError {
    discount_error(ErrorCode::DiscountNotApplicable, code, message)
}

/// A code as it is kept and matched (upper case), or 400 naming `member` when it is not
/// spelled as codes are.
pub fn checked_code(member: &str, code: &str) -> Result<String, ApiError> {
    let code = normalise_discount_code(code);
    validate_discount_code(&code).map_err(|m| ApiError::invalid_field(member, m))?;
    Ok(code)
}

/// Checks a rule before it is written: the members its kind needs, in the store's currency.
pub fn check(input: &DiscountInput, currency: &str) -> Result<DiscountInput, ApiError> {
    let mut rule = input.clone();
    rule.name = rule.name.trim().to_owned();
    if rule.name.is_empty() || rule.name.chars().count() > 100 {
        return Err(ApiError::invalid_field(
            "name",
            "must be 1 to 100 characters",
        ));
    }
    if let Some(code) = &rule.code {
        rule.code = Some(checked_code("code", code)?);
    }
    let basis_points = |value: Option<u32>| match value {
        Some(1..=10_000) => Ok(()),
        _ => Err(ApiError::invalid_field(
            "value",
            "must be 1 to 10000 basis points for this kind (1000 is 10 %)",
        )),
    };
    match rule.kind {
        DiscountKind::Percentage => basis_points(rule.value)?,
        DiscountKind::FixedAmount => {
            if rule.amount.as_ref().is_none_or(|amount| amount.amount <= 0) {
                return Err(ApiError::invalid_field(
                    "amount",
                    "is required: the amount off",
                ));
            }
        }
        DiscountKind::FreeShipping => {}
        DiscountKind::QuantityTier => {
            basis_points(rule.value)?;
            if rule.min_quantity.is_none_or(|quantity| quantity < 2) {
                return Err(ApiError::invalid_field("minQuantity", "must be at least 2"));
            }
        }
        DiscountKind::BuyXGetY => {
            basis_points(rule.value)?;
            for (member, quantity) in [
                ("buyQuantity", rule.buy_quantity),
                ("getQuantity", rule.get_quantity),
            ] {
                if !quantity.is_some_and(|quantity| (1..=100).contains(&quantity)) {
                    return Err(ApiError::invalid_field(member, "must be 1 to 100"));
                }
            }
        }
    }
    for (member, money) in [
        ("amount", rule.amount.as_ref()),
        ("minSubtotal", rule.min_subtotal.as_ref()),
    ] {
        if let Some(money) = money {
            if money.currency != currency {
                return Err(ApiError::invalid_field(
                    member,
                    format_args!("must be in the store's currency ({currency})"),
                ));
            }
            if !(0..=colmena_sdk::contract::MAX_PRICE_AMOUNT).contains(&money.amount) {
                return Err(ApiError::invalid_field(member, "is out of range"));
            }
        }
    }
    super::Window::checked(rule.starts_at.as_ref(), rule.ends_at.as_ref())?;
    Ok(rule)
}

/// Writes a rule (already checked); 409 when another discount has its code.
pub async fn save(
    conn: &mut Conn,
    store_id: Uuid,
    id: Uuid,
    rule: &DiscountInput,
    create: bool,
) -> Result<StoredDiscount, ApiError> {
    let now = db::now();
    if let Some(code) = &rule.code {
        let taken = crate::db::query(
            "SELECT id FROM discounts WHERE store_id = $1 AND code = $2 AND id <> $3",
        )
        .bind(store_id)
        .bind(code)
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
        if taken.is_some() {
            return Err(ApiError::conflict(
                format!("another discount has the code {code}"),
                "code_taken",
            ));
        }
    }
    let super::Window { starts_at, ends_at } =
        super::Window::checked(rule.starts_at.as_ref(), rule.ends_at.as_ref())?;
    let written = if create {
        crate::db::query(
            "INSERT INTO discounts (id, store_id, code, rule, active, starts_at, ends_at, \
               usage_limit, times_used, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 0, $9, $9)",
        )
        .bind(id)
        .bind(store_id)
        .bind(rule.code.as_deref())
        .bind(json_text(rule)?)
        .bind(rule.active)
        .bind(starts_at)
        .bind(ends_at)
        .bind(rule.usage_limit.map(i64::from))
        .bind(now)
        .execute(&mut *conn)
        .await?
    } else {
        crate::db::query(
            "UPDATE discounts SET code = $1, rule = $2, active = $3, starts_at = $4, \
               ends_at = $5, usage_limit = $6, updated_at = $7 WHERE id = $8 AND store_id = $9",
        )
        .bind(rule.code.as_deref())
        .bind(json_text(rule)?)
        .bind(rule.active)
        .bind(starts_at)
        .bind(ends_at)
        .bind(rule.usage_limit.map(i64::from))
        .bind(now)
        .bind(id)
        .bind(store_id)
        .execute(&mut *conn)
        .await?
    };
    if written.rows_affected() != 1 {
        return Err(ApiError::not_found("discount", &id.to_string()));
    }
    find(conn, store_id, id).await
}

/// One discount of the store.
pub async fn find(conn: &mut Conn, store_id: Uuid, id: Uuid) -> Result<StoredDiscount, ApiError> {
    let row = crate::db::query(&format!(
        "SELECT {COLUMNS} FROM discounts WHERE id = $1 AND store_id = $2"
    ))
    .bind(id)
    .bind(store_id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(|| ApiError::not_found("discount", &id.to_string()))?;
    StoredDiscount::from_row(&row)
}

/// Every discount of the store, newest first.
pub async fn list(conn: &mut Conn, store_id: Uuid) -> Result<Vec<StoredDiscount>, ApiError> {
    crate::db::query(&format!(
        "SELECT {COLUMNS} FROM discounts WHERE store_id = $1 ORDER BY created_at DESC, id"
    ))
    .bind(store_id)
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(StoredDiscount::from_row)
    .collect()
}

/// The automatic rules in force now, oldest first.
pub async fn automatic(conn: &mut Conn, store_id: Uuid) -> Result<Vec<StoredDiscount>, ApiError> {
    crate::db::query(&format!(
        "SELECT {COLUMNS} FROM discounts WHERE store_id = $1 AND code IS NULL AND active = TRUE \
           AND (starts_at IS NULL OR starts_at <= $2) AND (ends_at IS NULL OR ends_at > $2) \
           AND (usage_limit IS NULL OR times_used < usage_limit) ORDER BY created_at, id"
    ))
    .bind(store_id)
    .bind(db::now())
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(StoredDiscount::from_row)
    .collect()
}

/// The discount of a code the buyer entered (normalised). A code that is unknown, switched
/// off, expired, not valid yet or used up is refused with its own error code.
pub async fn by_code(
    conn: &mut Conn,
    store_id: Uuid,
    code: &str,
) -> Result<StoredDiscount, ApiError> {
    let now = db::now();
    let row = crate::db::query(&format!(
        "SELECT {COLUMNS}, active, starts_at, ends_at, usage_limit FROM discounts \
         WHERE store_id = $1 AND code = $2"
    ))
    .bind(store_id)
    .bind(code)
    .fetch_optional(&mut *conn)
    .await?;
    // A switched-off code is as unknown to buyers as one that never existed.
    let row = match row {
        Some(row) if row.try_get::<bool, _>("active")? => row,
        _ => {
            return Err(discount_error(
                ErrorCode::DiscountNotFound,
                code,
                "no discount has this code",
            ))
        }
    };
    let starts_at: Option<time::OffsetDateTime> = row.try_get("starts_at")?;
    let ends_at: Option<time::OffsetDateTime> = row.try_get("ends_at")?;
    if ends_at.is_some_and(|end| end <= now) {
        return Err(discount_error(
            ErrorCode::DiscountExpired,
            code,
            "this code has expired",
        ));
    }
    if starts_at.is_some_and(|start| start > now) {
        return Err(not_applicable(code, "this code is not valid yet"));
    }
    let stored = StoredDiscount::from_row(&row)?;
    if optional_count_column(&row, "usage_limit")?.is_some_and(|limit| stored.times_used >= limit) {
        return Err(used_up(code));
    }
    Ok(stored)
}

fn used_up(code: &str) -> ApiError {
    discount_error(
        ErrorCode::DiscountUsageLimitReached,
        code,
        "this code was used as many times as it may be",
    )
}

/// Records that an order used these discounts, in the checkout's transaction. The count is
/// raised by a conditional UPDATE, so that under concurrent checkouts a limit of N admits
/// exactly N orders: the row lock (PostgreSQL) or the write lock (SQLite) serialises them,
/// and the per-customer count is read after it.
pub async fn redeem(
    conn: &mut Conn,
    store_id: Uuid,
    order_id: Uuid,
    email: &str,
    used: &[(Option<String>, StoredDiscount)],
) -> Result<(), ApiError> {
    let email = email.trim().to_lowercase();
    for (code, discount) in used {
        let label = code.as_deref().unwrap_or(&discount.rule.name);
        let raised = crate::db::query(
            "UPDATE discounts SET times_used = times_used + 1 \
             WHERE id = $1 AND store_id = $2 AND (usage_limit IS NULL OR times_used < usage_limit)",
        )
        .bind(discount.id)
        .bind(store_id)
        .execute(&mut *conn)
        .await?
        .rows_affected();
        if raised != 1 {
            return Err(used_up(label));
        }
        if let Some(limit) = discount.rule.per_customer_limit {
            let by_customer = crate::db::query(
                "SELECT COUNT(*) AS uses FROM discount_redemptions \
                 WHERE store_id = $1 AND discount_id = $2 AND customer_email = $3",
            )
            .bind(store_id)
            .bind(discount.id)
            .bind(&email)
            .fetch_one(&mut *conn)
            .await?;
            if count_column(&by_customer, "uses")? >= limit {
                return Err(used_up(label));
            }
        }
        crate::db::query(
            "INSERT INTO discount_redemptions (discount_id, store_id, order_id, customer_email, \
               created_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(discount.id)
        .bind(store_id)
        .bind(order_id)
        .bind(&email)
        .bind(db::now())
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Gives back the uses of a cancelled order, in the cancellation's transaction.
pub async fn release(conn: &mut Conn, store_id: Uuid, order_id: Uuid) -> Result<(), ApiError> {
    crate::db::query(
        "UPDATE discounts SET times_used = times_used - 1 WHERE store_id = $1 AND times_used > 0 \
           AND id IN (SELECT discount_id FROM discount_redemptions WHERE store_id = $1 AND order_id = $2)",
    )
    .bind(store_id)
    .bind(order_id)
    .execute(&mut *conn)
    .await?;
    crate::db::query("DELETE FROM discount_redemptions WHERE store_id = $1 AND order_id = $2")
        .bind(store_id)
        .bind(order_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}
