//! Customer groups: buyers by email, whom price lists can single out. A buyer proves their
//! email with an access link (`customer_access`), and its session binds their cart.

use crate::db::Conn;
use std::collections::BTreeSet;

use colmena_sdk::contract::{
    validate_email, CustomerGroup, CustomerGroupInput, MAX_EMAIL_LENGTH, MAX_GROUP_MEMBERS,
};
use uuid::Uuid;

use crate::db::{self, uuid_column};
use crate::http::ApiError;

/// A group as it will be written: trimmed name, members lower case, sorted, once each.
pub struct CheckedGroup {
    pub name: String,
    pub emails: BTreeSet<String>,
}

/// Checks a group before it is written.
pub fn check(input: &CustomerGroupInput) -> Result<CheckedGroup, ApiError> {
    let name = input.name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(ApiError::invalid_field(
            "name",
            "must be 1 to 100 characters",
        ));
    }
    if input.emails.len() > MAX_GROUP_MEMBERS {
        return Err(ApiError::invalid_field(
            "emails",
            format_args!("may hold at most {MAX_GROUP_MEMBERS} addresses"),
        ));
    }
    let mut emails = BTreeSet::new();
    for (index, email) in input.emails.iter().enumerate() {
        let email = email.trim();
        let member = format!("emails[{index}]");
        if email.len() > MAX_EMAIL_LENGTH {
            return Err(ApiError::invalid_field(&member, "is too long"));
        }
        validate_email(email).map_err(|m| ApiError::invalid_field(&member, m))?;
        emails.insert(email.to_lowercase());
    }
    Ok(CheckedGroup {
        name: name.to_owned(),
        emails,
    })
}

/// Writes a group (already checked) and its members; 409 when another group has its name.
pub async fn save(
    conn: &mut Conn,
    store_id: Uuid,
    id: Uuid,
    group: &CheckedGroup,
    create: bool,
) -> Result<CustomerGroup, ApiError> {
    let taken = crate::db::query(
        "SELECT id FROM customer_groups WHERE store_id = $1 AND name = $2 AND id <> $3",
    )
    .bind(store_id)
    .bind(&group.name)
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    if taken.is_some() {
        return Err(ApiError::conflict(
            format!("another customer group is named {}", group.name),
            "name_taken",
        ));
    }
    let now = db::now();
    let written = if create {
        crate::db::query(
            "INSERT INTO customer_groups (id, store_id, name, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $4)",
        )
        .bind(id)
        .bind(store_id)
        .bind(&group.name)
        .bind(now)
        .execute(&mut *conn)
        .await?
    } else {
        crate::db::query(
            "UPDATE customer_groups SET name = $1, updated_at = $2 WHERE id = $3 AND store_id = $4",
        )
        .bind(&group.name)
        .bind(now)
        .bind(id)
        .bind(store_id)
        .execute(&mut *conn)
        .await?
    };
    if written.rows_affected() != 1 {
        return Err(ApiError::not_found("customer group", &id.to_string()));
    }
    crate::db::query("DELETE FROM customer_group_members WHERE group_id = $1 AND store_id = $2")
        .bind(id)
        .bind(store_id)
        .execute(&mut *conn)
        .await?;
    for email in &group.emails {
        crate::db::query(
            "INSERT INTO customer_group_members (group_id, store_id, email) VALUES ($1, $2, $3)",
        )
        .bind(id)
        .bind(store_id)
        .bind(email)
        .execute(&mut *conn)
        .await?;
    }
    find(conn, store_id, id).await
}

/// The store's groups (by name) with their members, in two queries.
async fn groups(
    conn: &mut Conn,
    store_id: Uuid,
    only: Option<Uuid>,
) -> Result<Vec<CustomerGroup>, ApiError> {
    let rows = crate::db::query(
        "SELECT id, name, updated_at FROM customer_groups \
         WHERE store_id = $1 AND ($2 IS NULL OR id = $2) ORDER BY name, id",
    )
    .bind(store_id)
    .bind(only)
    .fetch_all(&mut *conn)
    .await?;
    let members = crate::db::query(
        "SELECT group_id, email FROM customer_group_members \
         WHERE store_id = $1 AND ($2 IS NULL OR group_id = $2) ORDER BY email",
    )
    .bind(store_id)
    .bind(only)
    .fetch_all(&mut *conn)
    .await?;
    let mut list = rows
        .iter()
        .map(|row| {
            Ok(CustomerGroup {
                id: uuid_column(row, "id")?,
                name: row.try_get("name")?,
                emails: Vec::new(),
                updated_at: row.try_get::<String, _>("updated_at")?.into(),
            })
        })
        .collect::<Result<Vec<_>, ApiError>>()?;
    for row in &members {
        let group_id = uuid_column(row, "group_id")?;
        if let Some(group) = list.iter_mut().find(|group| group.id == group_id) {
            group.emails.push(row.try_get("email")?);
        }
    }
    Ok(list)
}

/// Every group of the store, by name.
pub async fn list(conn: &mut Conn, store_id: Uuid) -> Result<Vec<CustomerGroup>, ApiError> {
    groups(conn, store_id, None).await
}

/// One group of the store; 404 naming it otherwise.
pub async fn find(conn: &mut Conn, store_id: Uuid, id: Uuid) -> Result<CustomerGroup, ApiError> {
    groups(conn, store_id, Some(id))
        .await?
        .pop()
        .ok_or_else(|| ApiError::not_found("customer group", &id.to_string()))
}

/// Whether `email` (lower case) is in a group of the store.
pub async fn is_member(conn: &mut Conn, store_id: Uuid, email: &str) -> Result<bool, ApiError> {
    Ok(crate::db::query(
        "SELECT 1 AS found FROM customer_group_members WHERE store_id = $1 AND email = $2 LIMIT 1",
    )
    .bind(store_id)
    .bind(email)
    .fetch_optional(conn)
    .await?
    .is_some())
}
