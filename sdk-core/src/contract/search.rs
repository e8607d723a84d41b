//! Catalog search (`GET /api/v1/stores/{store}/search`): full-text matching ranked by relevance
//! (prefixes, typos and accents forgiven, in the shopper's language), filters by price and by
//! product-type attributes, and the facet counts a storefront shows beside the results.
//!
//! [`SearchQuery::from_query_pairs`] is the one set of rules: the server refuses a bad
//! parameter as 400 `VALIDATION_ERROR` naming it in `details.parameter`, and the client runs
//! [`SearchQuery::validate`] before sending.

use crate::json::{Decode, Encode};
use serde::{Deserialize, Serialize};

use super::{InvalidParameter, Money, Product, ProductListQuery, ProductSort, MAX_PRICE_AMOUNT};

/// One attribute filter: products whose attribute `name` has the value `value` (its JSON
/// value as text: `Spain`, `500`, `true`). Written `attribute=name:value` in the query string;
/// several values of one attribute match any of them, filters on different attributes all
/// apply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct AttributeFilter {
    /// The attribute's name, as in the product type's schema (e.g. `origin`).
    pub name: String,
    /// The value to match, as text.
    pub value: String,
}

/// Search text, filters, sort and paging of `GET /api/v1/stores/{store}/search`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct SearchQuery {
    /// The words searched for in names and descriptions (the shopper's language's and the
    /// store's own): each word also matches as a prefix and with a typo or two. Without it,
    /// the filters alone choose the products.
    #[cfg_attr(feature = "openapi", param(max_length = 200))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub q: Option<String>,
    /// Only products of this category (slug or id).
    #[cfg_attr(feature = "openapi", param(max_length = 100))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub category: Option<String>,
    /// Only featured (`true`) or only non-featured (`false`) products.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub featured: Option<bool>,
    /// Only products of this product type (its slug).
    #[cfg_attr(feature = "openapi", param(max_length = 100))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub product_type: Option<String>,
    /// Only products priced at least this much, in minor units.
    #[cfg_attr(
        feature = "openapi",
        param(minimum = 0, maximum = 10_000_000_000_000_i64)
    )]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub min_price: Option<i64>,
    /// Only products priced at most this much, in minor units.
    #[cfg_attr(
        feature = "openapi",
        param(minimum = 0, maximum = 10_000_000_000_000_i64)
    )]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub max_price: Option<i64>,
    /// Attribute filters, `attribute=name:value` (repeatable, at most 10).
    #[cfg_attr(
        feature = "openapi",
        param(rename = "attribute", value_type = Option<Vec<String>>, explode, style = Form)
    )]
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "uniffi", uniffi(default = []))]
    pub attributes: Vec<AttributeFilter>,
    /// Sort order: `name`, `price`, `-price` or `newest`; without it, by relevance (newest
    /// first when there is no search text).
    #[cfg_attr(feature = "openapi", param(inline))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub sort: Option<ProductSort>,
    /// Page size, 1 to 100 (default 20).
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 100, default = 20))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub limit: Option<u32>,
    /// Number of products to skip (default 0).
    #[cfg_attr(feature = "openapi", param(minimum = 0, default = 0))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub offset: Option<u64>,
}

/// The `data` of a search answer (the envelope's `pagination` pages the products).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct SearchResults {
    /// This page of the matching products, most relevant first unless `sort` says otherwise.
    pub products: Vec<Product>,
    /// Counts over every matching product, for the filters a storefront shows.
    pub facets: SearchFacets,
}

/// What the products matching a search have in common, to refine it. Each facet is counted
/// with every filter but its own, so a shopper sees the alternatives to what they chose.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct SearchFacets {
    /// The lowest and highest price among the matches (ignoring the price filter); absent when
    /// nothing matches.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub price: Option<PriceRange>,
    /// Per attribute with text, number or boolean values, the values and how many matches have
    /// each (at most 20 values, the most common first); by attribute name.
    pub attributes: Vec<AttributeFacet>,
}

/// The price range of the matching products.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct PriceRange {
    /// The lowest price.
    pub min: Money,
    /// The highest price.
    pub max: Money,
}

/// One attribute's values among the matching products.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct AttributeFacet {
    /// The attribute's name.
    pub name: String,
    /// Its values, the most common first.
    pub values: Vec<FacetValue>,
}

/// A value of an attribute facet and how many matching products have it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Decode, Encode)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct FacetValue {
    /// The value as text, as `attribute=name:value` takes it.
    pub value: String,
    /// Matching products with this value.
    pub count: u64,
}

/// The parameters [`SearchQuery`] shares with [`ProductListQuery`], whose rules it applies.
const SHARED_PARAMETERS: [&str; 7] = [
    "limit", "offset", "category", "featured", "q", "sort", "locale",
];

impl SearchQuery {
    /// Most attribute filters in one search.
    pub const MAX_ATTRIBUTE_FILTERS: usize = 10;
    /// Longest attribute name, in characters.
    pub const MAX_ATTRIBUTE_NAME_CHARS: usize = 64;
    /// Longest attribute value, in characters.
    pub const MAX_ATTRIBUTE_VALUE_CHARS: usize = 100;
    /// Longest product type slug, in characters.
    pub const MAX_PRODUCT_TYPE_CHARS: usize = 100;

    /// The page size to use: `limit`, else the product list's default.
    pub fn effective_limit(&self) -> u32 {
        self.shared().effective_limit()
    }

    /// How many filters apply: the price range counts as one, each attribute value as one.
    pub fn filter_count(&self) -> usize {
        usize::from(self.min_price.is_some() || self.max_price.is_some()) + self.attributes.len()
    }

    /// Whether the filter `name` = `value` applies.
    pub fn has_attribute(&self, name: &str, value: &str) -> bool {
        self.attributes
            .iter()
            .any(|filter| filter.name == name && filter.value == value)
    }

    /// Sets the price range in minor units (either end may be open); a minimum above the
    /// maximum is read as the range between them.
    pub fn set_price_range(&mut self, min: Option<i64>, max: Option<i64>) {
        (self.min_price, self.max_price) = match (min, max) {
            (Some(min), Some(max)) if min > max => (Some(max), Some(min)),
            range => range,
        };
    }

    /// Removes the price and attribute filters (the search text, category and sort stay).
    pub fn clear_filters(&mut self) {
        self.min_price = None;
        self.max_price = None;
        self.attributes.clear();
    }

    /// The members this query shares with the product list, whose rules they follow.
    fn shared(&self) -> ProductListQuery {
        ProductListQuery {
            limit: self.limit,
            offset: self.offset,
            category: self.category.clone(),
            featured: self.featured,
            q: self.q.clone(),
            sort: self.sort,
        }
    }

    /// The query string pairs of this query, omitting unset members.
    pub fn to_query_pairs(&self) -> Vec<(&'static str, String)> {
        let mut pairs = self.shared().to_query_pairs();
        if let Some(product_type) = &self.product_type {
            pairs.push(("productType", product_type.clone()));
        }
        pairs.extend(self.filter_pairs());
        pairs
    }

    /// The query string pairs of the price and attribute filters alone (`minPrice`,
    /// `maxPrice`, `attribute`): what a storefront keeps of a shopper's filters while the
    /// search text, category or page change.
    pub fn filter_pairs(&self) -> Vec<(&'static str, String)> {
        let mut pairs = Vec::new();
        if let Some(min) = self.min_price {
            pairs.push(("minPrice", min.to_string()));
        }
        if let Some(max) = self.max_price {
            pairs.push(("maxPrice", max.to_string()));
        }
        for filter in &self.attributes {
            pairs.push(("attribute", format!("{}:{}", filter.name, filter.value)));
        }
        pairs
    }

    /// Checks the query against the API's rules (the same ones the server enforces).
    pub fn validate(&self) -> Result<(), InvalidParameter> {
        self.shared().validate()?;
        for (parameter, price) in [("minPrice", self.min_price), ("maxPrice", self.max_price)] {
            if let Some(price) = price.filter(|p| !(0..=MAX_PRICE_AMOUNT).contains(p)) {
                return Err(InvalidParameter {
                    parameter: parameter.into(),
                    value: price.to_string(),
                    message: format!("{parameter} must be 0 to 10^13 minor units"),
                });
            }
        }
        if let (Some(min), Some(max)) = (self.min_price, self.max_price) {
            if min > max {
                return Err(InvalidParameter {
                    parameter: "maxPrice".into(),
                    value: max.to_string(),
                    message: format!("maxPrice must not be below minPrice ({min})"),
                });
            }
        }
        if let Some(product_type) = &self.product_type {
            let length = product_type.chars().count();
            if length == 0 || length > Self::MAX_PRODUCT_TYPE_CHARS {
                return Err(InvalidParameter {
                    parameter: "productType".into(),
                    value: product_type.clone(),
                    message: format!(
                        "productType must be 1 to {} characters",
                        Self::MAX_PRODUCT_TYPE_CHARS
                    ),
                });
            }
        }
        if self.attributes.len() > Self::MAX_ATTRIBUTE_FILTERS {
            return Err(InvalidParameter {
                parameter: "attribute".into(),
                value: self.attributes.len().to_string(),
                message: format!("at most {} attribute filters", Self::MAX_ATTRIBUTE_FILTERS),
            });
        }
        for filter in &self.attributes {
            check_attribute_filter(filter)?;
        }
        Ok(())
    }

    /// Parses decoded query string pairs, refusing unknown parameters and bad values.
    pub fn from_query_pairs<K, V>(pairs: &[(K, V)]) -> Result<Self, InvalidParameter>
    where
        K: AsRef<str>,
        V: AsRef<str>,
    {
        let mut query = Self::default();
        let mut shared = Vec::new();
        for (key, value) in pairs {
            let (key, value) = (key.as_ref(), value.as_ref());
            let invalid = |message: &str| InvalidParameter {
                parameter: key.to_owned(),
                value: value.to_owned(),
                message: message.to_owned(),
            };
            match key {
                "productType" => query.product_type = Some(value.to_owned()),
                "minPrice" | "maxPrice" => {
                    let price = value.parse::<i64>().map_err(|_| {
                        invalid(&format!("{key} must be an integer number of minor units"))
                    })?;
                    if key == "minPrice" {
                        query.min_price = Some(price);
                    } else {
                        query.max_price = Some(price);
                    }
                }
                "attribute" => {
                    let (name, value) = value
                        .split_once(':')
                        .ok_or_else(|| invalid("attribute must be written name:value"))?;
                    query.attributes.push(AttributeFilter {
                        name: name.to_owned(),
                        value: value.to_owned(),
                    });
                }
                _ if SHARED_PARAMETERS.contains(&key) => shared.push((key, value)),
                _ => {
                    return Err(invalid(
                        "unknown parameter; accepted: q, category, featured, productType, \
                         minPrice, maxPrice, attribute, sort, limit, offset, locale",
                    ))
                }
            }
        }
        let shared = ProductListQuery::from_query_pairs(&shared)?;
        query.limit = shared.limit;
        query.offset = shared.offset;
        query.category = shared.category;
        query.featured = shared.featured;
        query.q = shared.q;
        query.sort = shared.sort;
        query.validate()?;
        Ok(query)
    }
}

/// An attribute's name as a storefront heads its facet: words split at `_`, `-` and inner
/// capitals, the first capitalised (`weightGrams` and `weight_grams` read `Weight grams`).
/// ASCII case only: other letters are kept as they are.
pub fn attribute_label(name: &str) -> String {
    let mut label = String::with_capacity(name.len() + 4);
    for c in name.chars() {
        match c {
            '_' | '-' => label.push(' '),
            _ if label.is_empty() => label.push(c.to_ascii_uppercase()),
            _ if c.is_ascii_uppercase() => {
                label.push(' ');
                label.push(c.to_ascii_lowercase());
            }
            _ => label.push(c),
        }
    }
    label
}

/// An attribute filter names an attribute (letters, digits, `_` and `-`) and gives a value.
fn check_attribute_filter(filter: &AttributeFilter) -> Result<(), InvalidParameter> {
    let name_length = filter.name.chars().count();
    let name_ok = (1..=SearchQuery::MAX_ATTRIBUTE_NAME_CHARS).contains(&name_length)
        && filter
            .name
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '-');
    let value_length = filter.value.chars().count();
    let value_ok = (1..=SearchQuery::MAX_ATTRIBUTE_VALUE_CHARS).contains(&value_length);
    if name_ok && value_ok {
        return Ok(());
    }
    Err(InvalidParameter {
        parameter: "attribute".into(),
        value: format!("{}:{}", filter.name, filter.value),
        message: format!(
            "attribute must be name:value, the name 1 to {} letters, digits, _ or -, the value \
             1 to {} characters",
            SearchQuery::MAX_ATTRIBUTE_NAME_CHARS,
            SearchQuery::MAX_ATTRIBUTE_VALUE_CHARS
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_query_round_trips_through_pairs() {
        let query = SearchQuery {
            q: Some("wild honey".into()),
            category: Some("honey".into()),
            featured: Some(true),
            product_type: Some("jar".into()),
            min_price: Some(100),
            max_price: Some(2000),
            attributes: vec![AttributeFilter {
                name: "origin".into(),
                value: "Spain: Andalucía".into(),
            }],
            sort: Some(ProductSort::Price),
            limit: Some(5),
            offset: Some(10),
        };
        let pairs = query.to_query_pairs();
        assert_eq!(SearchQuery::from_query_pairs(&pairs), Ok(query));
    }

    #[test]
    fn filters_are_counted_set_and_cleared() {
        let mut query = SearchQuery {
            q: Some("honey".into()),
            sort: Some(ProductSort::Name),
            ..SearchQuery::default()
        };
        let unfiltered = query.clone();
        assert_eq!(query.filter_count(), 0);
        assert!(query.filter_pairs().is_empty());
        query.set_price_range(Some(2000), Some(500));
        assert_eq!((query.min_price, query.max_price), (Some(500), Some(2000)));
        query.set_price_range(None, Some(900));
        assert_eq!((query.min_price, query.max_price), (None, Some(900)));
        query.attributes.push(AttributeFilter {
            name: "origin".into(),
            value: "Spain".into(),
        });
        assert!(query.has_attribute("origin", "Spain"));
        assert!(!query.has_attribute("origin", "France"));
        assert_eq!(query.filter_count(), 2);
        assert_eq!(
            query.filter_pairs(),
            [
                ("maxPrice", "900".into()),
                ("attribute", "origin:Spain".into())
            ]
        );
        // The filters' pairs and the rest's make the whole query again.
        let mut pairs = unfiltered.to_query_pairs();
        pairs.extend(query.filter_pairs());
        assert_eq!(SearchQuery::from_query_pairs(&pairs), Ok(query.clone()));
        query.clear_filters();
        assert_eq!(query, unfiltered);
    }

    #[test]
    fn attribute_names_read_as_labels() {
        assert_eq!(attribute_label("weightGrams"), "Weight grams");
        assert_eq!(attribute_label("weight_grams"), "Weight grams");
        assert_eq!(attribute_label("origin"), "Origin");
        assert_eq!(attribute_label("país-de-origen"), "País de origen");
    }

    #[test]
    fn bad_search_parameters_are_named() {
        for (pairs, parameter) in [
            (vec![("minPrice", "cheap")], "minPrice"),
            (vec![("maxPrice", "-1")], "maxPrice"),
            (vec![("minPrice", "500"), ("maxPrice", "100")], "maxPrice"),
            (vec![("attribute", "origin")], "attribute"),
            (vec![("attribute", "or igin:Spain")], "attribute"),
            (vec![("attribute", "origin:")], "attribute"),
            (vec![("productType", "")], "productType"),
            (vec![("limit", "0")], "limit"),
            (vec![("colour", "red")], "colour"),
        ] {
            let err = SearchQuery::from_query_pairs(&pairs).unwrap_err();
            assert_eq!(err.parameter, parameter, "{pairs:?}");
        }
        let eleven = vec![("attribute", "a:b"); 11];
        assert_eq!(
            SearchQuery::from_query_pairs(&eleven)
                .unwrap_err()
                .parameter,
            "attribute"
        );
    }
}
