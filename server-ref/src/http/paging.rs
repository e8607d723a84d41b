//! Paging of list queries: `limit` and `offset` checked once, answered with the envelope's
//! `pagination`.

use axum::Json;
use colmena_sdk::contract::ApiResponse;

use super::{page, ApiError};

/// The page a list asks for: `limit` 1 to 100 (default 20) from `offset`, both within
/// what SQL binds take.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PageBounds {
    limit: u32,
    offset: u64,
    /// `offset` as SQL binds it; checked to fit when the bounds are made.
    sql_offset: i64,
}

impl PageBounds {
    /// Checks a list query's `limit` and `offset`.
    pub(crate) fn new(limit: Option<u32>, offset: Option<u64>) -> Result<Self, ApiError> {
        let limit = limit.unwrap_or(20);
        if !(1..=100).contains(&limit) {
            return Err(ApiError::invalid_field(
                "limit",
                "must be between 1 and 100",
            ));
        }
        let offset = offset.unwrap_or(0);
        let sql_offset =
            i64::try_from(offset).map_err(|_| ApiError::invalid_field("offset", "is too large"))?;
        Ok(Self {
            limit,
            offset,
            sql_offset,
        })
    }

    /// `LIMIT` as SQL binds it.
    pub(crate) fn sql_limit(self) -> i64 {
        i64::from(self.limit)
    }

    /// `OFFSET` as SQL binds it.
    pub(crate) fn sql_offset(self) -> i64 {
        self.sql_offset
    }

    /// The list answer: `items` of this page, out of `total` matches.
    pub(crate) fn answer<T: serde::Serialize>(
        self,
        items: Vec<T>,
        total: u64,
    ) -> Json<ApiResponse<Vec<T>>> {
        page(items, total, self.limit, self.offset)
    }
}
