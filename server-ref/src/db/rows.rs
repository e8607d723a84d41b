//! Reading typed values out of rows: each document read parses, and a value that does not
//! parse is a decode error (never a default).

use super::{JsonText, Row};
use uuid::Uuid;

/// `$first, $first+1, …` for `count` values bound in that order (an `IN (…)` list).
pub(crate) fn placeholders(first: usize, count: usize) -> String {
    (first..first + count)
        .map(|n| format!("${n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A value read from `column` that does not fit its type.
pub(crate) fn decode_error(
    column: &str,
    source: impl std::error::Error + Send + Sync + 'static,
) -> sqlx::Error {
    sqlx::Error::ColumnDecode {
        index: column.to_owned(),
        source: Box::new(source),
    }
}

/// An id in `column`.
pub(crate) fn uuid_column(row: &Row, column: &str) -> Result<Uuid, sqlx::Error> {
    row.try_get(column)
}

/// A JSON document in `column`.
pub(crate) fn json_column<T: serde::de::DeserializeOwned>(
    row: &Row,
    column: &str,
) -> Result<T, sqlx::Error> {
    let text: String = row.try_get(column)?;
    serde_json::from_str(&text).map_err(|e| decode_error(column, e))
}

/// A JSON document in `column`, or SQL NULL.
pub(crate) fn optional_json_column<T: serde::de::DeserializeOwned>(
    row: &Row,
    column: &str,
) -> Result<Option<T>, sqlx::Error> {
    let text: Option<String> = row.try_get(column)?;
    text.map(|text| serde_json::from_str(&text))
        .transpose()
        .map_err(|e| decode_error(column, e))
}

/// A count or quantity stored in `column`, which the schema's CHECKs keep within `u32`; a value
/// outside it is a decode error, not a clamped number.
pub(crate) fn count_column(row: &Row, column: &str) -> Result<u32, sqlx::Error> {
    to_u32(column, row.try_get(column)?)
}

/// Units of stock stored in `column`, or SQL NULL for untracked stock.
pub(crate) fn optional_count_column(row: &Row, column: &str) -> Result<Option<u32>, sqlx::Error> {
    let value: Option<i64> = row.try_get(column)?;
    value.map(|value| to_u32(column, value)).transpose()
}

/// A total (`COUNT(*)`, `SUM(…)`) stored in `column`, which cannot be negative.
pub(crate) fn total_column(row: &Row, column: &str) -> Result<u64, sqlx::Error> {
    let value: i64 = row.try_get(column)?;
    u64::try_from(value).map_err(|e| decode_error(column, e))
}

/// A count or quantity read from `column` (stock, attempts), which must fit `u32`.
pub(crate) fn to_u32(column: &str, value: i64) -> Result<u32, sqlx::Error> {
    u32::try_from(value).map_err(|e| decode_error(column, e))
}

/// `value` as a document column stores it (`jsonb` on PostgreSQL, JSON text on SQLite).
pub(crate) fn json_text<T: serde::Serialize + ?Sized>(value: &T) -> Result<JsonText, sqlx::Error> {
    serde_json::to_string(value)
        .map(JsonText)
        .map_err(|e| sqlx::Error::Encode(Box::new(e)))
}

/// An id in `column`, or SQL NULL.
pub(crate) fn optional_uuid_column(row: &Row, column: &str) -> Result<Option<Uuid>, sqlx::Error> {
    row.try_get(column)
}

/// A stored text outside its type's values (an unknown status, say).
#[derive(Debug, thiserror::Error)]
#[error("unknown value {0:?}")]
pub(crate) struct UnknownValue(pub(crate) String);
