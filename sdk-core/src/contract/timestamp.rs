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

    /// Milliseconds since the Unix epoch, or `None` when the text is not an RFC 3339 time
    /// (`YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`). Parsed here, without a calendar crate, so
    /// that the server and every client (the WebAssembly ones too) compare times the same way.
    pub fn unix_millis(&self) -> Option<i64> {
        rfc3339_millis(&self.0)
    }

    /// The text, checked when the `uniffi` feature needs it to be a time.
    fn received(text: String) -> Result<Self, String> {
        #[cfg(feature = "uniffi")]
        crate::uniffi_types::check_rfc3339(&text)?;
        Ok(Self(text))
    }
}

/// `text` as milliseconds since the Unix epoch, if it is an RFC 3339 time.
fn rfc3339_millis(text: &str) -> Option<i64> {
    let bytes = text.as_bytes();
    let digits = |range: std::ops::Range<usize>| -> Option<i64> {
        let part = bytes.get(range)?;
        part.iter().all(u8::is_ascii_digit).then(|| {
            part.iter()
                .fold(0i64, |value, digit| value * 10 + i64::from(digit - b'0'))
        })
    };
    let at = |index: usize, expected: &[u8]| bytes.get(index).is_some_and(|b| expected.contains(b));
    if !(at(4, b"-") && at(7, b"-") && at(10, b"Tt ") && at(13, b":") && at(16, b":")) {
        return None;
    }
    let (year, month, day) = (digits(0..4)?, digits(5..7)?, digits(8..10)?);
    let (hour, minute, second) = (digits(11..13)?, digits(14..16)?, digits(17..19)?);
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let month_days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    if !(1..=month_days).contains(&day) || hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    let mut rest = 19;
    let mut millis = 0;
    if at(rest, b".") {
        let fraction = bytes[rest + 1..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
        if fraction == 0 {
            return None;
        }
        // Milliseconds: further digits are truncated.
        millis = (0..3).fold(0, |value, i| {
            let digit = if i < fraction {
                bytes[rest + 1 + i] - b'0'
            } else {
                0
            };
            value * 10 + i64::from(digit)
        });
        rest += 1 + fraction;
    }
    let offset_minutes = match bytes.get(rest..)? {
        b"Z" | b"z" => 0,
        [sign @ (b'+' | b'-'), _, _, b':', _, _] => {
            let (hours, minutes) = (digits(rest + 1..rest + 3)?, digits(rest + 4..rest + 6)?);
            if hours > 23 || minutes > 59 {
                return None;
            }
            let minutes = hours * 60 + minutes;
            if *sign == b'-' {
                -minutes
            } else {
                minutes
            }
        }
        _ => return None,
    };
    // Days from 1970-01-01 to the date (Howard Hinnant's days_from_civil).
    let shifted = if month <= 2 { year - 1 } else { year };
    let era = shifted.div_euclid(400);
    let year_of_era = shifted - era * 400;
    let day_of_year = (153 * ((month + 9) % 12) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    let days = era * 146_097 + day_of_era - 719_468;
    let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offset_minutes * 60;
    Some(seconds * 1000 + millis)
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

#[cfg(test)]
mod tests {
    use super::Timestamp;

    #[test]
    fn rfc3339_times_read_as_unix_milliseconds() {
        let millis = |text: &str| Timestamp::from(text).unix_millis();
        assert_eq!(millis("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(millis("2025-03-01T12:00:00.000Z"), Some(1_740_830_400_000));
        assert_eq!(
            millis("2025-03-01T13:00:00.5+01:00"),
            Some(1_740_830_400_500)
        );
        assert_eq!(
            millis("2025-03-01t07:30:00.123456-04:30"),
            Some(1_740_830_400_123)
        );
        assert_eq!(millis("2024-02-29T00:00:00Z"), Some(1_709_164_800_000));
        assert_eq!(millis("1969-12-31T23:59:59.999Z"), Some(-1));
        for bad in [
            "",
            "2025-03-01",
            "2025-03-01T12:00:00",
            "2025-02-29T00:00:00Z",
            "2025-13-01T00:00:00Z",
            "2025-03-01T24:00:00Z",
            "2025-03-01T12:00:00.Z",
            "2025-03-01T12:00:00+0100",
            "2025-03-01T12:00:00Z ",
            "+2025-03-01T12:00:00Z",
            "2025-03-01T12:00:00+24:00",
        ] {
            assert_eq!(millis(bad), None, "{bad}");
        }
    }
}
