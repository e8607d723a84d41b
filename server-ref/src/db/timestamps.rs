//! Times as the database stores them: PostgreSQL's `timestamptz`, and on SQLite fixed-width
//! RFC 3339 text in UTC with milliseconds, so that text order is time order there.

/// The current time at the precision both engines keep (milliseconds), so that a time written
/// and read back compares equal on either.
pub fn now() -> time::OffsetDateTime {
    to_millis(time::OffsetDateTime::now_utc())
}

/// `at` cut to whole milliseconds, the precision both engines store: every time bound to a
/// statement goes through it, so a time read back equals the one written on either engine.
pub(crate) fn to_millis(at: time::OffsetDateTime) -> time::OffsetDateTime {
    at.replace_millisecond(at.millisecond())
        .expect("a millisecond read from a time is in range")
}

/// The current time as text; see [`timestamp_text`].
pub fn now_text() -> String {
    timestamp_text(now())
}

/// `at` as the API and SQLite write times: fixed-width RFC 3339 UTC with milliseconds.
pub fn timestamp_text(at: time::OffsetDateTime) -> String {
    const FORMAT: &[time::format_description::FormatItem<'static>] = time::macros::format_description!(
        "[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z"
    );
    // The format has only numeric components of a UTC time, which always format: an error
    // here would be a bug in the format description itself.
    at.to_offset(time::UtcOffset::UTC)
        .format(FORMAT)
        .expect("a numeric UTC format cannot fail")
}

/// A time written by [`timestamp_text`] (any RFC 3339 time), or `None` when it is not one.
pub fn parse_timestamp(text: &str) -> Option<time::OffsetDateTime> {
    time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339).ok()
}

/// `at` as the API's [`Timestamp`](colmena_sdk::contract::Timestamp).
pub fn api_time(at: time::OffsetDateTime) -> colmena_sdk::contract::Timestamp {
    colmena_sdk::contract::Timestamp::new(timestamp_text(at))
}
