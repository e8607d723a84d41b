//! How the contract's non-record types cross to Kotlin and Swift (the `uniffi` feature): UUIDs as
//! `java.util.UUID` / `UUID`, times as `java.time.Instant` / `Date`, attributes as their JSON text. The
//! records and enums themselves derive `uniffi::Record` / `uniffi::Enum` where they are defined.

use std::collections::HashMap;
use std::time::SystemTime;

use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::contract::{Attributes, OptionValues, Timestamp};

// UUIDs cross as their text; uniffi.toml maps it to java.util.UUID and Swift's UUID.
uniffi::custom_type!(Uuid, String, {
    remote,
    lower: |id| id.to_string(),
    try_lift: |text| Ok(Uuid::parse_str(&text)?),
});

// A time crosses as uniffi's timestamp (Kotlin `Instant`, Swift `Date`). With this feature,
// decoding has checked the text (`check_rfc3339`), so the parse below succeeds for every
// `Timestamp` the SDK received; one built in Rust from unchecked text (`Timestamp::new`), which
// the mobile API never does, lowers as the Unix epoch, since uniffi's lowering cannot fail.
uniffi::custom_type!(Timestamp, SystemTime, {
    lower: |at| parse(at.as_str()).map_or(SystemTime::UNIX_EPOCH, SystemTime::from),
    try_lift: |at| Ok(Timestamp::new(format(at).map_err(uniffi::deps::anyhow::Error::msg)?)),
});

// Option values cross as a map of strings (Kotlin `Map<String, String>`).
uniffi::custom_type!(OptionValues, HashMap<String, String>, {
    lower: |options| options.into_iter().collect(),
    try_lift: |map| Ok(map.into_iter().collect()),
});

// Attributes cross as their JSON text (their shape is the product type's).
uniffi::custom_type!(Attributes, String, {
    lower: |attributes| attributes.json().to_owned(),
    try_lift: |text| Ok(Attributes::from_json(&text)?),
});

fn parse(text: &str) -> Result<OffsetDateTime, time::error::Parse> {
    OffsetDateTime::parse(text, &Rfc3339)
}

/// Checks that received text is an RFC 3339 time (see [`Timestamp`]).
pub(crate) fn check_rfc3339(text: &str) -> Result<(), String> {
    parse(text)
        .map(drop)
        .map_err(|e| format!("{text:?} is not an RFC 3339 time: {e}"))
}

/// A time from Kotlin or Swift as RFC 3339 text in UTC; years past 9999 are refused.
fn format(at: SystemTime) -> Result<String, String> {
    let out_of_range = || format!("{at:?} is out of the range of RFC 3339 times");
    // `OffsetDateTime::from(SystemTime)` panics out of range: step from the epoch, checked.
    let at = match at.duration_since(SystemTime::UNIX_EPOCH) {
        Ok(after) => time::Duration::try_from(after)
            .ok()
            .and_then(|d| OffsetDateTime::UNIX_EPOCH.checked_add(d)),
        Err(before) => time::Duration::try_from(before.duration())
            .ok()
            .and_then(|d| OffsetDateTime::UNIX_EPOCH.checked_sub(d)),
    }
    .ok_or_else(out_of_range)?;
    at.format(&Rfc3339).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn received_times_are_checked_and_foreign_times_written_as_rfc3339() {
        let bad: Result<Timestamp, _> = crate::json::decode_str("\"yesterday\"");
        assert!(bad.is_err());
        assert!(serde_json::from_str::<Timestamp>("\"yesterday\"").is_err());
        let good: Timestamp = crate::json::decode_str("\"2026-01-02T03:04:05.678Z\"").unwrap();
        let at = SystemTime::from(parse(good.as_str()).unwrap());
        assert_eq!(format(at).unwrap(), "2026-01-02T03:04:05.678Z");
        let before_epoch = SystemTime::UNIX_EPOCH - std::time::Duration::from_secs(86_400);
        assert_eq!(format(before_epoch).unwrap(), "1969-12-31T00:00:00Z");
    }
}
