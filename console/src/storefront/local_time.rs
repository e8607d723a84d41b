//! The merchant's local time and the API's UTC: schedules are typed in `<input
//! type="datetime-local">` (the browser's own time zone, minute precision) and sent as RFC 3339
//! in UTC. The browser's `Date` does the time-zone arithmetic, daylight saving included.

use colmena_sdk::contract::Timestamp;
use js_sys::Date;
use wasm_bindgen::JsValue;

/// The fields of a `datetime-local` value `YYYY-MM-DDTHH:MM` (seconds, when present, are
/// ignored: the console schedules to the minute), or `None` for anything else.
fn input_fields(text: &str) -> Option<[u32; 5]> {
    let bytes = text.as_bytes();
    let number = |at: usize, len: usize| -> Option<u32> {
        let part = text.get(at..at + len)?;
        part.bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| part.parse().ok())?
    };
    let separators = [(4, b'-'), (7, b'-'), (10, b'T'), (13, b':')];
    if bytes.len() < 16 || separators.iter().any(|(at, sep)| bytes[*at] != *sep) {
        return None;
    }
    Some([
        number(0, 4)?,
        number(5, 2)?,
        number(8, 2)?,
        number(11, 2)?,
        number(14, 2)?,
    ])
}

/// A `datetime-local` value, in the browser's time zone, as a UTC timestamp; `None` when it is
/// not a time that exists on the calendar (the 31st of April, a year before 1970).
pub fn utc_from_local_input(text: &str) -> Option<Timestamp> {
    let [year, month, day, hour, minute] = input_fields(text.trim())?;
    if !(1970..=9999).contains(&year) || !(1..=12).contains(&month) || hour > 23 || minute > 59 {
        return None;
    }
    // JavaScript months count from 0; day and hour are ints there too.
    let at = Date::new_with_year_month_day_hr_min(
        year,
        i32::try_from(month).ok()? - 1,
        i32::try_from(day).ok()?,
        i32::try_from(hour).ok()?,
        i32::try_from(minute).ok()?,
    );
    // Date rolls an impossible day over into the next month: refuse it instead.
    let exists = !at.get_time().is_nan() && at.get_date() == day && at.get_month() + 1 == month;
    exists.then(|| Timestamp::from(String::from(at.to_iso_string())))
}

/// `at` in the browser's time zone, as a `datetime-local` value; empty when `at` is not a
/// time.
pub fn local_input_value(at: &Timestamp) -> String {
    local_date(at).map_or_else(String::new, |date| {
        format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}",
            date.get_full_year(),
            date.get_month() + 1,
            date.get_date(),
            date.get_hours(),
            date.get_minutes()
        )
    })
}

/// `at` in the browser's time zone, to read: `2026-12-06 23:00`.
pub fn local_display(at: &Timestamp) -> String {
    let value = local_input_value(at);
    if value.is_empty() {
        at.as_str().to_owned()
    } else {
        value.replacen('T', " ", 1)
    }
}

/// The browser's time zone, e.g. `Europe/Madrid`, for labels; empty when it cannot tell.
pub fn time_zone_name() -> String {
    let format = js_sys::Intl::DateTimeFormat::new(&js_sys::Array::new(), &js_sys::Object::new());
    js_sys::Reflect::get(&format.resolved_options(), &JsValue::from_str("timeZone"))
        .ok()
        .and_then(|zone| zone.as_string())
        .unwrap_or_default()
}

/// Now, as the API writes times.
pub fn now() -> Timestamp {
    Timestamp::from(String::from(Date::new_0().to_iso_string()))
}

fn local_date(at: &Timestamp) -> Option<Date> {
    let millis = at.unix_millis()?;
    // Milliseconds since 1970 fit an f64 exactly for every year a storefront schedules.
    let date = Date::new(&JsValue::from_f64(millis as f64));
    (!date.get_time().is_nan()).then_some(date)
}

#[cfg(test)]
mod tests {
    use super::input_fields;

    #[test]
    fn reads_datetime_local_values() {
        assert_eq!(input_fields("2026-12-06T23:05"), Some([2026, 12, 6, 23, 5]));
        assert_eq!(
            input_fields("2026-12-06T23:05:30"),
            Some([2026, 12, 6, 23, 5])
        );
        for bad in [
            "",
            "2026-12-06",
            "2026-12-06 23:05",
            "2026-1a-06T23:05",
            "tomorrow",
        ] {
            assert_eq!(input_fields(bad), None, "{bad}");
        }
    }
}
