//! Rows as each engine's driver returns them, read by column name or position.

use sqlx::postgres::PgRow;
use sqlx::sqlite::SqliteRow;
use sqlx::{Column, Row as _, TypeInfo, ValueRef};
use time::OffsetDateTime;
use uuid::Uuid;

/// One row of a result.
pub enum Row {
    /// From SQLite.
    Sqlite(SqliteRow),
    /// From PostgreSQL.
    Postgres(PgRow),
}

impl std::fmt::Debug for Row {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // SqliteRow has no Debug of its own; the column names are what helps.
        let names: Vec<&str> = match self {
            Self::Sqlite(row) => row.columns().iter().map(|c| c.name()).collect(),
            Self::Postgres(row) => row.columns().iter().map(|c| c.name()).collect(),
        };
        f.debug_struct("Row").field("columns", &names).finish()
    }
}

/// A column named or numbered (from 0).
pub trait ColumnIndex: Copy + std::fmt::Debug {
    /// The column's position in `row`.
    fn position(self, row: &Row) -> Result<usize, sqlx::Error>;
}

impl ColumnIndex for usize {
    fn position(self, row: &Row) -> Result<usize, sqlx::Error> {
        let len = row.len();
        if self < len {
            Ok(self)
        } else {
            Err(sqlx::Error::ColumnIndexOutOfBounds { index: self, len })
        }
    }
}

impl ColumnIndex for &str {
    fn position(self, row: &Row) -> Result<usize, sqlx::Error> {
        Ok(match row {
            Row::Sqlite(row) => row.try_column(self)?.ordinal(),
            Row::Postgres(row) => row.try_column(self)?.ordinal(),
        })
    }
}

impl Row {
    /// The column at `index`, decoded as `T`.
    pub fn try_get<T: Decode, I: ColumnIndex>(&self, index: I) -> Result<T, sqlx::Error> {
        let position = index.position(self)?;
        match self {
            Self::Sqlite(row) => T::from_sqlite(row, position),
            Self::Postgres(row) => T::from_postgres(row, position),
        }
    }

    /// How many columns the row has.
    pub fn len(&self) -> usize {
        match self {
            Self::Sqlite(row) => row.len(),
            Self::Postgres(row) => row.len(),
        }
    }

    /// Whether the row has no columns.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A Rust value read from a column of either engine.
pub trait Decode: Sized {
    /// From a SQLite row.
    fn from_sqlite(row: &SqliteRow, position: usize) -> Result<Self, sqlx::Error>;
    /// From a PostgreSQL row.
    fn from_postgres(row: &PgRow, position: usize) -> Result<Self, sqlx::Error>;
}

impl<T: Decode> Decode for Option<T> {
    fn from_sqlite(row: &SqliteRow, position: usize) -> Result<Self, sqlx::Error> {
        if row.try_get_raw(position)?.is_null() {
            return Ok(None);
        }
        T::from_sqlite(row, position).map(Some)
    }

    fn from_postgres(row: &PgRow, position: usize) -> Result<Self, sqlx::Error> {
        if row.try_get_raw(position)?.is_null() {
            return Ok(None);
        }
        T::from_postgres(row, position).map(Some)
    }
}

/// Types each driver decodes as they are.
macro_rules! decode_natively {
    ($($ty:ty),+) => {$(
        impl Decode for $ty {
            fn from_sqlite(row: &SqliteRow, position: usize) -> Result<Self, sqlx::Error> {
                row.try_get(position)
            }
            fn from_postgres(row: &PgRow, position: usize) -> Result<Self, sqlx::Error> {
                row.try_get(position)
            }
        }
    )+};
}

decode_natively!(bool, f64, Vec<u8>);

impl Decode for String {
    fn from_sqlite(row: &SqliteRow, position: usize) -> Result<Self, sqlx::Error> {
        row.try_get(position)
    }

    /// Text, or an id or a time in its text form (the form SQLite stores).
    fn from_postgres(row: &PgRow, position: usize) -> Result<Self, sqlx::Error> {
        match row.column(position).type_info().name() {
            "UUID" => Uuid::from_postgres(row, position).map(|id| id.to_string()),
            "TIMESTAMPTZ" => {
                OffsetDateTime::from_postgres(row, position).map(super::timestamp_text)
            }
            "JSONB" => jsonb_text(row, position),
            _ => row.try_get(position),
        }
    }
}

/// A `jsonb` value's text. Its binary form is a version byte and the text.
fn jsonb_text(row: &PgRow, position: usize) -> Result<String, sqlx::Error> {
    let name = row.column(position).name();
    let value = row.try_get_raw(position)?;
    let bytes = value
        .as_bytes()
        .map_err(|e| super::decode_error(name, super::UnknownValue(e.to_string())))?;
    let text = match value.format() {
        sqlx::postgres::PgValueFormat::Binary => bytes
            .strip_prefix(&[super::query::JSONB_VERSION])
            .unwrap_or(bytes),
        sqlx::postgres::PgValueFormat::Text => bytes,
    };
    std::str::from_utf8(text)
        .map(str::to_owned)
        .map_err(|e| super::decode_error(name, e))
}

impl Decode for OffsetDateTime {
    /// Stored as RFC 3339 text.
    fn from_sqlite(row: &SqliteRow, position: usize) -> Result<Self, sqlx::Error> {
        let text: &str = row.try_get(position)?;
        OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339)
            .map_err(|e| super::decode_error(row.column(position).name(), e))
    }

    fn from_postgres(row: &PgRow, position: usize) -> Result<Self, sqlx::Error> {
        row.try_get(position)
    }
}

impl Decode for Uuid {
    /// Stored as text.
    fn from_sqlite(row: &SqliteRow, position: usize) -> Result<Self, sqlx::Error> {
        let text: &str = row.try_get(position)?;
        Uuid::parse_str(text).map_err(|e| super::decode_error(row.column(position).name(), e))
    }

    /// A `uuid` column, or text (an id kept in a text column, an expression's result).
    fn from_postgres(row: &PgRow, position: usize) -> Result<Self, sqlx::Error> {
        if row.column(position).type_info().name() == "UUID" {
            return row.try_get(position);
        }
        let text: &str = row.try_get(position)?;
        Uuid::parse_str(text).map_err(|e| super::decode_error(row.column(position).name(), e))
    }
}

impl Decode for i64 {
    fn from_sqlite(row: &SqliteRow, position: usize) -> Result<Self, sqlx::Error> {
        row.try_get(position)
    }

    /// Any integer column: PostgreSQL types `1` or `COUNT(*) + 1` narrower than `BIGINT`.
    fn from_postgres(row: &PgRow, position: usize) -> Result<Self, sqlx::Error> {
        match row.column(position).type_info().name() {
            "INT2" => row.try_get::<i16, _>(position).map(i64::from),
            "INT4" => row.try_get::<i32, _>(position).map(i64::from),
            _ => row.try_get(position),
        }
    }
}

impl Decode for i32 {
    fn from_sqlite(row: &SqliteRow, position: usize) -> Result<Self, sqlx::Error> {
        row.try_get(position)
    }

    fn from_postgres(row: &PgRow, position: usize) -> Result<Self, sqlx::Error> {
        let wide = i64::from_postgres(row, position)?;
        i32::try_from(wide).map_err(|e| super::decode_error(&position.to_string(), e))
    }
}

#[cfg(test)]
mod tests {
    #[tokio::test]
    async fn reads_columns_by_name_and_position_on_sqlite() {
        let pool = sqlx::sqlite::SqlitePool::connect("sqlite::memory:")
            .await
            .unwrap();
        let pool = super::super::Pool::Sqlite(pool);
        let row = super::super::query("SELECT 'a' AS text, 7 AS number, NULL AS absent")
            .fetch_one(&pool)
            .await
            .unwrap();
        assert_eq!(row.try_get::<String, _>("text").unwrap(), "a");
        assert_eq!(row.try_get::<i64, _>(1).unwrap(), 7);
        assert_eq!(row.try_get::<Option<String>, _>("absent").unwrap(), None);
        assert!(row.try_get::<String, _>("missing").is_err());
        assert!(row.try_get::<String, _>(3).is_err());
    }
}
