//! Times as the database stores them: fixed-width RFC 3339 text in UTC.

/// The current time as stored in the database: fixed-width RFC 3339 UTC with milliseconds,
/// so that text order is time order.
pub fn now_text() -> String {
    timestamp_text(time::OffsetDateTime::now_utc())
}

/// `at` in the database's time format; see [`now_text`].
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
