//! Statements written once and run on either engine, their values bound as each engine's
//! native type.

use std::marker::PhantomData;

use sqlx::postgres::{PgArguments, PgRow};
use sqlx::sqlite::{SqliteArguments, SqliteRow};
use sqlx::{Postgres, Sqlite};
use time::OffsetDateTime;
use uuid::Uuid;

use super::engine::{Executor, Target};
use super::row::{Decode, Row};

/// A value bound to a statement's `$n`.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// SQL NULL, of the type the column would have.
    Null(Kind),
    /// Text.
    Text(String),
    /// A 64-bit integer.
    Int(i64),
    /// A double.
    Float(f64),
    /// A boolean.
    Bool(bool),
    /// Bytes.
    Bytes(Vec<u8>),
    /// An id: PostgreSQL's `uuid`, SQLite's hyphenated lower-case text.
    Uuid(Uuid),
    /// A time: PostgreSQL's `timestamptz`, SQLite's fixed-width RFC 3339 text
    /// ([`super::timestamp_text`]).
    Time(OffsetDateTime),
    /// A JSON document (its text): PostgreSQL's `jsonb`, SQLite's text.
    Json(String),
}

/// The type of a [`Value`], which a NULL needs too (PostgreSQL types every parameter).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Text.
    Text,
    /// A 64-bit integer.
    Int,
    /// A double.
    Float,
    /// A boolean.
    Bool,
    /// Bytes.
    Bytes,
    /// An id.
    Uuid,
    /// A time.
    Time,
    /// A JSON document.
    Json,
}

/// A Rust value that binds as a [`Value`].
pub trait Bind {
    /// The value's type, for `None`.
    const KIND: Kind;
    /// The value to bind.
    fn into_value(self) -> Value;
}

macro_rules! bind_as {
    ($kind:ident, $variant:ident: $($ty:ty => $convert:expr),+ $(,)?) => {$(
        impl Bind for $ty {
            const KIND: Kind = Kind::$kind;
            fn into_value(self) -> Value {
                let convert: fn($ty) -> _ = $convert;
                Value::$variant(convert(self))
            }
        }
    )+};
}

bind_as!(Text, Text: String => |v| v, &str => str::to_owned, &String => Clone::clone);
bind_as!(Int, Int: i64 => |v| v, i32 => i64::from, &i64 => |v| *v);
bind_as!(Float, Float: f64 => |v| v);
bind_as!(Bool, Bool: bool => |v| v, &bool => |v| *v);
bind_as!(Uuid, Uuid: Uuid => |v| v, &Uuid => |v| *v);
bind_as!(Time, Time: OffsetDateTime => super::timestamps::to_millis, &OffsetDateTime => |v| super::timestamps::to_millis(*v));
bind_as!(Bytes, Bytes: Vec<u8> => |v| v, &[u8] => <[u8]>::to_vec, &Vec<u8> => Clone::clone);

/// JSON text bound as a document (PostgreSQL's `jsonb`); see [`super::json_text`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonText(pub(crate) String);

impl From<serde_json::Value> for JsonText {
    /// A document built in code (`json!`), which always serialises.
    fn from(value: serde_json::Value) -> Self {
        Self(value.to_string())
    }
}

bind_as!(Json, Json: JsonText => |v| v.0, &JsonText => |v| v.0.clone());

impl<T: Bind> Bind for Option<T> {
    const KIND: Kind = T::KIND;
    fn into_value(self) -> Value {
        self.map_or(Value::Null(T::KIND), Bind::into_value)
    }
}

impl<T: Bind + Clone> Bind for &Option<T> {
    const KIND: Kind = T::KIND;
    fn into_value(self) -> Value {
        self.clone().into_value()
    }
}

impl Bind for Value {
    // Only read for `None::<Value>`, which no caller binds.
    const KIND: Kind = Kind::Text;
    fn into_value(self) -> Value {
        self
    }
}

/// The rows a statement changed.
#[derive(Debug, Clone, Copy)]
pub struct QueryResult {
    rows_affected: u64,
}

impl QueryResult {
    /// Rows inserted, updated or deleted.
    pub fn rows_affected(&self) -> u64 {
        self.rows_affected
    }
}

/// A statement and its values; see [`query`].
#[derive(Debug, Clone)]
#[must_use = "a query does nothing until it is run"]
pub struct Query<'q> {
    sql: &'q str,
    values: Vec<Value>,
}

/// A statement whose `$1, $2, …` are bound in order with [`Query::bind`].
pub fn query(sql: &str) -> Query<'_> {
    Query {
        sql,
        values: Vec::new(),
    }
}

/// A statement read as the first column of its rows, decoded as `T`.
pub fn query_scalar<T: Decode>(sql: &str) -> QueryScalar<'_, T> {
    QueryScalar {
        query: query(sql),
        column: PhantomData,
    }
}

/// Binds each value as the engine's own type; the engines differ in ids and times.
macro_rules! bind_values {
    (
        $query:expr, $values:expr,
        |$q:ident, $id:ident| $bind_uuid:expr, $bind_null_uuid:expr,
        |$t:ident| $bind_time:expr, $bind_null_time:expr,
        |$j:ident| $bind_json:expr, $bind_null_json:expr
    ) => {
        $values.iter().fold($query, |$q, value| match value {
            Value::Null(Kind::Text) => $q.bind(None::<&str>),
            Value::Null(Kind::Int) => $q.bind(None::<i64>),
            Value::Null(Kind::Float) => $q.bind(None::<f64>),
            Value::Null(Kind::Bool) => $q.bind(None::<bool>),
            Value::Null(Kind::Bytes) => $q.bind(None::<&[u8]>),
            Value::Null(Kind::Uuid) => $bind_null_uuid,
            Value::Uuid($id) => $bind_uuid,
            Value::Null(Kind::Time) => $bind_null_time,
            Value::Time($t) => $bind_time,
            Value::Null(Kind::Json) => $bind_null_json,
            Value::Json($j) => $bind_json,
            Value::Text(text) => $q.bind(text.as_str()),
            Value::Int(int) => $q.bind(*int),
            Value::Float(float) => $q.bind(*float),
            Value::Bool(flag) => $q.bind(*flag),
            Value::Bytes(bytes) => $q.bind(bytes.as_slice()),
        })
    };
}

fn sqlite<'q>(
    sql: &'q str,
    values: &'q [Value],
) -> sqlx::query::Query<'q, Sqlite, SqliteArguments<'q>> {
    bind_values!(
        sqlx::query(sql),
        values,
        |query, id| query.bind(id.hyphenated().to_string()),
        query.bind(None::<&str>),
        |at| query.bind(super::timestamp_text(*at)),
        query.bind(None::<&str>),
        |json| query.bind(json.as_str()),
        query.bind(None::<&str>)
    )
}

/// JSON text sent to PostgreSQL as `jsonb`, in its binary form: a version byte, then the text.
/// (sqlx's own `Json` would parse and reserialise the text the server just serialised.)
struct Jsonb<'a>(&'a str);

/// The version byte that starts `jsonb`'s binary form.
pub(super) const JSONB_VERSION: u8 = 1;

impl sqlx::Type<Postgres> for Jsonb<'_> {
    fn type_info() -> sqlx::postgres::PgTypeInfo {
        // jsonb's built-in OID, the same in every PostgreSQL: no lookup by name per connection.
        sqlx::postgres::PgTypeInfo::with_oid(sqlx::postgres::types::Oid(3802))
    }
}

impl sqlx::Encode<'_, Postgres> for Jsonb<'_> {
    fn encode_by_ref(
        &self,
        buf: &mut sqlx::postgres::PgArgumentBuffer,
    ) -> Result<sqlx::encode::IsNull, sqlx::error::BoxDynError> {
        buf.push(JSONB_VERSION);
        buf.extend_from_slice(self.0.as_bytes());
        Ok(sqlx::encode::IsNull::No)
    }
}

fn postgres<'q>(
    sql: &'q str,
    values: &'q [Value],
) -> sqlx::query::Query<'q, Postgres, PgArguments> {
    bind_values!(
        sqlx::query(sql),
        values,
        |query, id| query.bind(*id),
        query.bind(None::<Uuid>),
        |at| query.bind(*at),
        query.bind(None::<OffsetDateTime>),
        |json| query.bind(Jsonb(json)),
        query.bind(None::<Jsonb<'_>>)
    )
}

/// Runs `$method` of the engine's own query on the target, wrapping what it returns.
macro_rules! run {
    ($self:ident, $executor:ident, $method:ident, $sqlite:expr, $postgres:expr) => {{
        let (sql, values) = ($self.sql, $self.values.as_slice());
        let wrap_sqlite: fn(_) -> _ = $sqlite;
        let wrap_postgres: fn(_) -> _ = $postgres;
        match $executor.target() {
            Target::SqlitePool(pool) => wrap_sqlite(sqlite(sql, values).$method(pool).await?),
            Target::Sqlite(conn) => wrap_sqlite(sqlite(sql, values).$method(conn).await?),
            Target::PostgresPool(pool) => wrap_postgres(postgres(sql, values).$method(pool).await?),
            Target::Postgres(conn) => wrap_postgres(postgres(sql, values).$method(conn).await?),
        }
    }};
}

impl<'q> Query<'q> {
    /// Binds the next `$n`.
    pub fn bind(mut self, value: impl Bind) -> Self {
        self.values.push(value.into_value());
        self
    }

    /// Runs the statement.
    pub async fn execute<'e>(
        self,
        executor: impl Executor<'e>,
    ) -> Result<QueryResult, sqlx::Error> {
        Ok(run!(
            self,
            executor,
            execute,
            |done: sqlx::sqlite::SqliteQueryResult| QueryResult {
                rows_affected: done.rows_affected()
            },
            |done: sqlx::postgres::PgQueryResult| QueryResult {
                rows_affected: done.rows_affected()
            }
        ))
    }

    /// Every row.
    pub async fn fetch_all<'e>(self, executor: impl Executor<'e>) -> Result<Vec<Row>, sqlx::Error> {
        Ok(run!(
            self,
            executor,
            fetch_all,
            |rows: Vec<SqliteRow>| rows.into_iter().map(Row::Sqlite).collect(),
            |rows: Vec<PgRow>| rows.into_iter().map(Row::Postgres).collect()
        ))
    }

    /// The first row, if any.
    pub async fn fetch_optional<'e>(
        self,
        executor: impl Executor<'e>,
    ) -> Result<Option<Row>, sqlx::Error> {
        Ok(run!(
            self,
            executor,
            fetch_optional,
            |row: Option<SqliteRow>| row.map(Row::Sqlite),
            |row: Option<PgRow>| row.map(Row::Postgres)
        ))
    }

    /// The first row; none is [`sqlx::Error::RowNotFound`].
    pub async fn fetch_one<'e>(self, executor: impl Executor<'e>) -> Result<Row, sqlx::Error> {
        Ok(run!(
            self,
            executor,
            fetch_one,
            |row: SqliteRow| Row::Sqlite(row),
            |row: PgRow| Row::Postgres(row)
        ))
    }
}

/// A statement read as one column; see [`query_scalar`].
#[derive(Debug, Clone)]
#[must_use = "a query does nothing until it is run"]
pub struct QueryScalar<'q, T> {
    query: Query<'q>,
    column: PhantomData<fn() -> T>,
}

impl<'q, T: Decode> QueryScalar<'q, T> {
    /// Binds the next `$n`.
    pub fn bind(self, value: impl Bind) -> Self {
        Self {
            query: self.query.bind(value),
            column: PhantomData,
        }
    }

    /// The first row's value; none is [`sqlx::Error::RowNotFound`].
    pub async fn fetch_one<'e>(self, executor: impl Executor<'e>) -> Result<T, sqlx::Error> {
        self.query.fetch_one(executor).await?.try_get(0)
    }

    /// The first row's value, if any.
    pub async fn fetch_optional<'e>(
        self,
        executor: impl Executor<'e>,
    ) -> Result<Option<T>, sqlx::Error> {
        self.query
            .fetch_optional(executor)
            .await?
            .map(|row| row.try_get(0))
            .transpose()
    }

    /// Every row's value.
    pub async fn fetch_all<'e>(self, executor: impl Executor<'e>) -> Result<Vec<T>, sqlx::Error> {
        self.query
            .fetch_all(executor)
            .await?
            .iter()
            .map(|row| row.try_get(0))
            .collect()
    }
}
