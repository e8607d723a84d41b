//! Addresses and phone numbers as each country writes them. The address rules (which members
//! a country requires, its postal code pattern, its subdivisions) come from keshvar, the
//! `countries` data set; phone numbers are checked and normalised to E.164 by phonenumber,
//! libphonenumber's metadata.

use std::collections::HashMap;
use std::sync::OnceLock;

use colmena_sdk::contract::{Address, AddressFormat, Region};
use keshvar::{Alpha2, Country};

use crate::http::ApiError;

/// Longest address member.
const MAX_MEMBER_LENGTH: usize = 200;

/// Where a country's format has no template: the international default.
const DEFAULT_TEMPLATE: &str = "{{recipient}}\n{{street}}\n{{postalcode}} {{city}}\n{{country}}";

/// Every country an address may be in, as ISO 3166-1 alpha-2 codes in code order.
pub fn all_countries() -> Vec<String> {
    let mut codes: Vec<String> = keshvar::CountryIterator::new()
        .map(|country| country.alpha2().to_string())
        .collect();
    codes.sort_unstable();
    codes
}

/// The country of an ISO 3166-1 alpha-2 code (any case).
fn country(code: &str) -> Option<Country> {
    Alpha2::try_from(code.to_ascii_uppercase().as_str())
        .ok()
        .map(|alpha2| alpha2.to_country())
}

/// The template's placeholders as address members, line by line.
fn template_lines(country: &Country) -> Vec<Vec<String>> {
    country
        .address_format()
        .unwrap_or(DEFAULT_TEMPLATE)
        .lines()
        .map(|line| {
            line.split("{{")
                .filter_map(|part| part.split_once("}}").map(|(name, _)| name))
                .flat_map(|name| match name {
                    "recipient" => vec!["name", "company"],
                    "street" => vec!["line1", "line2"],
                    "postalcode" => vec!["postalCode"],
                    "region" | "region_short" => vec!["region"],
                    other => vec![other],
                })
                .map(str::to_owned)
                .collect::<Vec<_>>()
        })
        .filter(|line| !line.is_empty())
        .collect()
}

fn writes_region(country: &Country) -> bool {
    !country.subdivisions().is_empty()
        && country
            .address_format()
            .is_some_and(|format| format.contains("{{region"))
}

/// The country's postal code pattern, anchored (the data set's patterns match anywhere; a
/// whole postal code must match). Compiled once for every country, on first use.
fn postal_pattern(country: &Country) -> Option<&'static regex::Regex> {
    static PATTERNS: OnceLock<HashMap<String, regex::Regex>> = OnceLock::new();
    PATTERNS
        .get_or_init(|| {
            keshvar::CountryIterator::new()
                .filter_map(|country| {
                    let format = country.postal_code_format()?;
                    let pattern = regex::Regex::new(&format!("^(?:{format})$")).ok()?;
                    Some((country.alpha2().to_string(), pattern))
                })
                .collect()
        })
        .get(&country.alpha2().to_string())
}

/// How `code`'s country writes addresses, or `None` for an unknown country.
pub fn address_format(code: &str) -> Option<AddressFormat> {
    let country = country(code)?;
    let mut required = vec!["name", "line1", "city", "country"];
    if country.postal_code() {
        required.push("postalCode");
    }
    if writes_region(&country) {
        required.push("region");
    }
    let mut regions: Vec<Region> = if writes_region(&country) {
        country
            .subdivisions()
            .values()
            .map(|subdivision| Region {
                code: subdivision.code().to_owned(),
                name: subdivision.name().to_owned(),
            })
            .collect()
    } else {
        Vec::new()
    };
    regions.sort_by(|a, b| a.name.cmp(&b.name));
    Some(AddressFormat {
        country: country.alpha2().to_string(),
        name: country.iso_short_name().to_owned(),
        lines: template_lines(&country),
        required: required.into_iter().map(str::to_owned).collect(),
        postal_code_pattern: country.postal_code_format().map(str::to_owned),
        regions,
    })
}

/// Checks `address` against its country's rules and returns it tidied: trimmed, the country
/// and region in upper case, the postal code in upper case. `field` names the address in
/// errors (`shippingAddress`).
pub fn checked_address(field: &str, address: &Address) -> Result<Address, ApiError> {
    let invalid = |member: &str, message: &str| {
        ApiError::invalid_field(&format!("{field}.{member}"), message)
    };
    let country = country(address.country.trim())
        .ok_or_else(|| invalid("country", "must be an ISO 3166-1 alpha-2 country code"))?;
    let tidy = |value: &str| value.trim().to_owned();
    let optional = |value: &Option<String>| {
        value
            .as_deref()
            .map(str::trim)
            .filter(|value| !value.is_empty())
            .map(str::to_owned)
    };
    let checked = Address {
        name: tidy(&address.name),
        company: optional(&address.company),
        line1: tidy(&address.line1),
        line2: optional(&address.line2),
        city: tidy(&address.city),
        region: optional(&address.region).map(|region| region.to_ascii_uppercase()),
        postal_code: optional(&address.postal_code).map(|code| code.to_ascii_uppercase()),
        country: country.alpha2().to_string(),
    };
    for (member, value) in [
        ("name", Some(&checked.name)),
        ("company", checked.company.as_ref()),
        ("line1", Some(&checked.line1)),
        ("line2", checked.line2.as_ref()),
        ("city", Some(&checked.city)),
    ] {
        match value {
            Some(value) if value.chars().count() > MAX_MEMBER_LENGTH => {
                return Err(invalid(member, "must be at most 200 characters"))
            }
            Some(value) if value.is_empty() => return Err(invalid(member, "is required")),
            _ => {}
        }
    }
    match (&checked.postal_code, postal_pattern(&country)) {
        (None, _) if country.postal_code() => {
            return Err(invalid("postalCode", "is required in this country"))
        }
        (Some(code), Some(pattern)) if !pattern.is_match(code) => {
            return Err(invalid(
                "postalCode",
                "is not a postal code of this country",
            ))
        }
        _ => {}
    }
    match &checked.region {
        None if writes_region(&country) => {
            return Err(invalid("region", "is required in this country"))
        }
        Some(region) if !country.subdivisions().contains_key(region.as_str()) => {
            return Err(invalid(
                "region",
                "must be an ISO 3166-2 subdivision code of the country (e.g. CA)",
            ))
        }
        _ => {}
    }
    Ok(checked)
}

/// A phone number in E.164 (`+33612345678`). Numbers without a `+` are read as numbers of
/// `country` when one is given.
pub fn normalised_phone(
    field: &str,
    text: &str,
    country: Option<&str>,
) -> Result<String, ApiError> {
    let invalid = || {
        ApiError::invalid_field(
            field,
            "must be a valid phone number, with its country code (+33 6 12 34 56 78)",
        )
    };
    let region = country.and_then(|code| {
        code.to_ascii_uppercase()
            .parse::<phonenumber::country::Id>()
            .ok()
    });
    let number = phonenumber::parse(region, text.trim()).map_err(|_| invalid())?;
    if !phonenumber::is_valid(&number) {
        return Err(invalid());
    }
    Ok(number.format().mode(phonenumber::Mode::E164).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn address(country: &str, postal_code: Option<&str>, region: Option<&str>) -> Address {
        Address {
            name: "Ana Silva".into(),
            line1: "1 Main Street".into(),
            city: "Springfield".into(),
            country: country.into(),
            postal_code: postal_code.map(str::to_owned),
            region: region.map(str::to_owned),
            ..Address::default()
        }
    }

    #[test]
    fn countries_decide_postal_codes_and_regions() {
        assert!(checked_address("a", &address("fr", Some("75011"), None)).is_ok());
        assert!(checked_address("a", &address("FR", Some("7501"), None)).is_err());
        assert!(checked_address("a", &address("FR", None, None)).is_err());
        assert!(checked_address("a", &address("US", Some("94103"), Some("ca"))).is_ok());
        assert!(checked_address("a", &address("US", Some("94103"), None)).is_err());
        assert!(checked_address("a", &address("US", Some("94103"), Some("ZZ"))).is_err());
        // Hong Kong has no postal codes.
        assert!(checked_address("a", &address("HK", None, None)).is_ok());
        assert!(checked_address("a", &address("XX", None, None)).is_err());
    }

    #[test]
    fn formats_follow_the_country() {
        let us = address_format("us").unwrap();
        assert_eq!(us.lines[2], vec!["city", "region", "postalCode"]);
        assert!(us.required.contains(&"region".to_owned()));
        assert!(us.regions.iter().any(|region| region.code == "CA"));
        let fr = address_format("FR").unwrap();
        assert_eq!(fr.lines[2], vec!["postalCode", "city"]);
        assert!(fr.regions.is_empty());
    }

    #[test]
    fn phones_are_normalised_to_e164() {
        assert_eq!(
            normalised_phone("phone", "06 12 34 56 78", Some("FR")).unwrap(),
            "+33612345678"
        );
        assert_eq!(
            normalised_phone("phone", "+254 712 345678", None).unwrap(),
            "+254712345678"
        );
        assert!(normalised_phone("phone", "12", Some("FR")).is_err());
    }
}
