//! The outbox: each message rendered and written in the same transaction as the change that
//! caused it.

use crate::db::Conn;
use colmena_sdk::contract::Order;
use uuid::Uuid;

use super::messages::{
    link_message, order_message, LinkMessage, OrderMessage, Rendered, Sender, Texts,
};
use crate::db;
use crate::http::ApiError;

/// The store's name (the messages' sender) and locale (their language and money format).
async fn store_voice(conn: &mut Conn, store_id: Uuid) -> Result<(String, String), ApiError> {
    let row = crate::db::query("SELECT name, locale FROM stores WHERE id = $1")
        .bind(store_id)
        .fetch_one(&mut *conn)
        .await?;
    Ok((row.try_get("name")?, row.try_get("locale")?))
}

/// Writes `message` about `order` to its buyer, in the caller's transaction, in the language
/// they shopped in (recorded at checkout), else the store's; amounts are written as in that
/// language.
pub(crate) async fn enqueue_order_message(
    conn: &mut Conn,
    store_id: Uuid,
    message: OrderMessage<'_>,
    order: &Order,
) -> Result<(), ApiError> {
    let (name, locale) = store_voice(conn, store_id).await?;
    let buyer: Option<String> =
        crate::db::query("SELECT locale FROM orders WHERE id = $1 AND store_id = $2")
            .bind(order.id)
            .bind(store_id)
            .fetch_one(&mut *conn)
            .await?
            .try_get("locale")?;
    let texts = match buyer.as_deref() {
        Some(buyer) => Texts::choose(&[buyer, &locale], buyer),
        None => Texts::choose(&[&locale], &locale),
    };
    let rendered = order_message(&texts, &Sender { name: &name }, message, order)?;
    enqueue(
        conn,
        store_id,
        message.kind(),
        &order.email,
        &name,
        &rendered,
    )
    .await
}

/// Writes a message whose point is one link to `recipient`, in the caller's transaction: in
/// `language` when given and one of the five, else in the store's.
pub(crate) async fn enqueue_link_message(
    conn: &mut Conn,
    store_id: Uuid,
    recipient: &str,
    language: Option<&str>,
    message: &LinkMessage<'_>,
) -> Result<(), ApiError> {
    let (name, locale) = store_voice(conn, store_id).await?;
    let preferred: Vec<&str> = language.into_iter().chain([locale.as_str()]).collect();
    let texts = Texts::choose(&preferred, &locale);
    let rendered = link_message(&texts, &Sender { name: &name }, message)?;
    let kind = message.prefix.replace('-', "_");
    enqueue(conn, store_id, &kind, recipient, &name, &rendered).await
}

async fn enqueue(
    conn: &mut Conn,
    store_id: Uuid,
    kind: &str,
    recipient: &str,
    sender_name: &str,
    rendered: &Rendered,
) -> Result<(), ApiError> {
    let now = db::now();
    crate::db::query(
        "INSERT INTO mail_outbox (id, store_id, kind, recipient, sender_name, subject, text_body, \
           html_body, status, attempts, next_attempt_at, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'pending', 0, $9, $9, $9)",
    )
    .bind(Uuid::new_v4())
    .bind(store_id)
    .bind(kind)
    .bind(recipient)
    .bind(sender_name)
    .bind(&rendered.subject)
    .bind(&rendered.text)
    .bind(&rendered.html)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(())
}
