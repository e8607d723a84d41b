//! Points in time on the wire: RFC 3339 text in UTC, e.g. `2025-03-01T12:00:00.000Z`.

use crate::json::{Decode, Encode};
use serde::{Deserialize, Serialize};

/// A point in time as the API writes it: RFC 3339 text in UTC.
///
/// Kept as the text sent: a client that only shows times (the widget) carries no calendar code,
/// and the JSON and the OpenAPI schema are those of a plain string. With the `uniffi` feature
/// it crosses to Kotlin as `java.time.Instant` and to Swift as `Date`, and decoding refuses text
/// that is not RFC 3339 (so a bad time from a server is a decode error, not a wrong date).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct Timestamp(String);

impl Timestamp {
    /// A timestamp from RFC 3339 text the caller formatted (the server's own clock and
    /// database); it is not checked here.
    pub fn new(text: impl Into<String>) -> Self {
        Self(text.into())
    }

    /// The RFC 3339 text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The text, checked when the `uniffi` feature needs it to be a time.
    fn received(text: String) -> Result<Self, String> {
        #[cfg(feature = "uniffi")]
        crate::uniffi_types::check_rfc3339(&text)?;
        Ok(Self(text))
    }
}

impl From<String> for Timestamp {
    fn from(text: String) -> Self {
        Self(text)
    }
}

impl From<&str> for Timestamp {
    fn from(text: &str) -> Self {
        Self(text.to_owned())
    }
}

impl From<Timestamp> for String {
    fn from(timestamp: Timestamp) -> Self {
        timestamp.0
    }
}

impl AsRef<str> for Timestamp {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Timestamp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl PartialEq<str> for Timestamp {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<&str> for Timestamp {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Self::received(String::deserialize(deserializer)?).map_err(serde::de::Error::custom)
    }
}

impl Encode for Timestamp {
    fn encode(&self, out: &mut crate::json::Writer) {
        out.string(&self.0);
    }
}

impl Decode for Timestamp {
    fn decode(json: &mut crate::json::Reader<'_>) -> Result<Self, crate::json::DecodeError> {
        let text = json.string()?;
        Self::received(text).map_err(|message| json.invalid(message))
    }
}
