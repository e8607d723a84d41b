//! A search's matches, read once, filtered and counted in memory: the price and attribute
//! filters, the number of matches, the page, the price range (counted without the price
//! filter) and the attribute facets (each attribute's values counted with every filter but
//! the one on that attribute).

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use colmena_sdk::contract::{AttributeFacet, FacetValue, SearchQuery};
use uuid::Uuid;

/// Most values answered per attribute facet.
const MAX_FACET_VALUES: usize = 20;

/// A product matching the search text and the filters the database applies (store, activity,
/// category, featured, product type), with what the other filters and the facets read.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Match {
    pub id: Uuid,
    /// The listed price, in minor units.
    pub price: i64,
    /// The scalar attributes (text, number, boolean) by name, sorted and unique, each value as
    /// the engine writes it as text (`true`, `750`, `Spain`); shared by the matches that have
    /// the same.
    pub attributes: Arc<[(String, String)]>,
}

impl Match {
    /// The value of attribute `name` as text, if the product has it as a scalar.
    fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes
            .binary_search_by(|(key, _)| key.as_str().cmp(name))
            .ok()
            .map(|at| self.attributes[at].1.as_str())
    }
}

/// The filters a search applies to its matches in memory.
#[derive(Debug)]
pub(super) struct Filters<'a> {
    min_price: Option<i64>,
    max_price: Option<i64>,
    /// Each filtered attribute's accepted values: values of one attribute widen, different
    /// attributes narrow.
    attributes: BTreeMap<&'a str, Vec<&'a str>>,
}

impl<'a> Filters<'a> {
    /// The price range and attribute filters of `query`.
    pub fn of(query: &'a SearchQuery) -> Self {
        let mut attributes: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for filter in &query.attributes {
            attributes
                .entry(filter.name.as_str())
                .or_default()
                .push(filter.value.as_str());
        }
        Self {
            min_price: query.min_price,
            max_price: query.max_price,
            attributes,
        }
    }

    fn price_fits(&self, price: i64) -> bool {
        self.min_price.is_none_or(|min| price >= min)
            && self.max_price.is_none_or(|max| price <= max)
    }

    /// The attribute filters `found` fails: `None` when it passes them all, else the name of
    /// the only one it fails, or `Some(None)` when it fails several.
    fn failed_attribute(&self, found: &Match) -> Option<Option<&'a str>> {
        let mut failed = None;
        for (name, values) in &self.attributes {
            if !found
                .attribute(name)
                .is_some_and(|value| values.contains(&value))
            {
                failed = match failed {
                    None => Some(Some(*name)),
                    Some(_) => return Some(None),
                };
            }
        }
        failed
    }
}

/// What a search answers besides its page's products.
#[derive(Debug, Default, PartialEq)]
pub(super) struct Tally {
    /// The matches passing every filter, in the search's order.
    pub passing: Vec<Uuid>,
    /// The lowest and highest price of the matches passing every filter but the price range.
    pub price: Option<(i64, i64)>,
    /// The attribute facets, by name; in each, the values by decreasing count, then by value.
    pub attributes: Vec<AttributeFacet>,
}

impl Tally {
    /// Filters and counts `matches` (in the search's order).
    pub fn of(matches: &[Match], filters: &Filters<'_>) -> Self {
        let mut passing = Vec::new();
        let mut price: Option<(i64, i64)> = None;
        let mut counts: HashMap<(&str, &str), u64> = HashMap::new();
        for found in matches {
            let price_fits = filters.price_fits(found.price);
            let failed = filters.failed_attribute(found);
            if failed.is_none() {
                price = Some(price.map_or((found.price, found.price), |(low, high)| {
                    (low.min(found.price), high.max(found.price))
                }));
                if price_fits {
                    passing.push(found.id);
                }
            }
            if !price_fits {
                continue;
            }
            for (name, value) in found.attributes.iter() {
                // A value counts the products that pass every attribute filter but its own
                // attribute's.
                let counted = match failed {
                    None => true,
                    Some(only) => only == Some(name.as_str()),
                };
                if counted {
                    *counts.entry((name.as_str(), value.as_str())).or_default() += 1;
                }
            }
        }
        Self {
            passing,
            price,
            attributes: facets(counts),
        }
    }

    /// The ids of the page of `limit` passing matches after the first `offset`.
    pub fn page(&self, limit: u32, offset: u64) -> &[Uuid] {
        let start = usize::try_from(offset)
            .unwrap_or(usize::MAX)
            .min(self.passing.len());
        let end = start
            .saturating_add(usize::try_from(limit).unwrap_or(usize::MAX))
            .min(self.passing.len());
        &self.passing[start..end]
    }
}

/// The facets of counted (attribute, value) pairs: attributes by name (in byte order, as
/// SQLite compares text), values by decreasing count then by value, at most
/// [`MAX_FACET_VALUES`] each.
fn facets(counts: HashMap<(&str, &str), u64>) -> Vec<AttributeFacet> {
    let mut by_name: BTreeMap<&str, Vec<(&str, u64)>> = BTreeMap::new();
    for ((name, value), count) in counts {
        by_name.entry(name).or_default().push((value, count));
    }
    by_name
        .into_iter()
        .map(|(name, mut values)| {
            values.sort_by(|(a, a_count), (b, b_count)| b_count.cmp(a_count).then(a.cmp(b)));
            values.truncate(MAX_FACET_VALUES);
            AttributeFacet {
                name: name.to_owned(),
                values: values
                    .into_iter()
                    .map(|(value, count)| FacetValue {
                        value: value.to_owned(),
                        count,
                    })
                    .collect(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use colmena_sdk::contract::AttributeFilter;

    fn product(n: u128, price: i64, attributes: &[(&str, &str)]) -> Match {
        Match {
            id: Uuid::from_u128(n),
            price,
            attributes: attributes
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
        }
    }

    fn asking(min: Option<i64>, max: Option<i64>, attributes: &[(&str, &str)]) -> SearchQuery {
        SearchQuery {
            min_price: min,
            max_price: max,
            attributes: attributes
                .iter()
                .map(|(name, value)| AttributeFilter {
                    name: (*name).to_owned(),
                    value: (*value).to_owned(),
                })
                .collect(),
            ..SearchQuery::default()
        }
    }

    fn facet(tally: &Tally, name: &str) -> Vec<(String, u64)> {
        tally
            .attributes
            .iter()
            .find(|f| f.name == name)
            .map(|f| {
                f.values
                    .iter()
                    .map(|v| (v.value.clone(), v.count))
                    .collect()
            })
            .unwrap_or_default()
    }

    fn meads() -> Vec<Match> {
        vec![
            product(1, 1200, &[("organic", "true"), ("origin", "Spain")]),
            product(2, 1500, &[("organic", "false"), ("origin", "France")]),
            product(3, 2500, &[("organic", "true"), ("origin", "France")]),
        ]
    }

    #[test]
    fn without_filters_everything_passes_and_counts() {
        let query = asking(None, None, &[]);
        let tally = Tally::of(&meads(), &Filters::of(&query));
        assert_eq!(tally.passing, [1, 2, 3].map(Uuid::from_u128));
        assert_eq!(tally.price, Some((1200, 2500)));
        assert_eq!(
            facet(&tally, "origin"),
            [("France".to_owned(), 2), ("Spain".to_owned(), 1)]
        );
        assert_eq!(
            facet(&tally, "organic"),
            [("true".to_owned(), 2), ("false".to_owned(), 1)]
        );
        let names: Vec<&str> = tally.attributes.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["organic", "origin"]);
    }

    #[test]
    fn each_facet_counts_without_its_own_filter() {
        let query = asking(None, None, &[("origin", "France")]);
        let tally = Tally::of(&meads(), &Filters::of(&query));
        assert_eq!(tally.passing, [2, 3].map(Uuid::from_u128));
        // Its own attribute shows the alternatives, the others what remains.
        assert_eq!(
            facet(&tally, "origin"),
            [("France".to_owned(), 2), ("Spain".to_owned(), 1)]
        );
        assert_eq!(
            facet(&tally, "organic"),
            [("false".to_owned(), 1), ("true".to_owned(), 1)]
        );
        assert_eq!(tally.price, Some((1500, 2500)));

        // Two attributes: each counts with the other's filter.
        let query = asking(None, None, &[("origin", "France"), ("organic", "true")]);
        let tally = Tally::of(&meads(), &Filters::of(&query));
        assert_eq!(tally.passing, [Uuid::from_u128(3)]);
        assert_eq!(
            facet(&tally, "origin"),
            [("France".to_owned(), 1), ("Spain".to_owned(), 1)]
        );
        assert_eq!(
            facet(&tally, "organic"),
            [("false".to_owned(), 1), ("true".to_owned(), 1)]
        );
        // Values of one attribute widen.
        let query = asking(None, None, &[("origin", "France"), ("origin", "Spain")]);
        let tally = Tally::of(&meads(), &Filters::of(&query));
        assert_eq!(tally.passing.len(), 3);
    }

    #[test]
    fn the_price_range_counts_without_the_price_filter() {
        let query = asking(Some(1300), Some(2000), &[]);
        let tally = Tally::of(&meads(), &Filters::of(&query));
        assert_eq!(tally.passing, [Uuid::from_u128(2)]);
        assert_eq!(tally.price, Some((1200, 2500)));
        // The attribute facets count within the price range.
        assert_eq!(facet(&tally, "origin"), [("France".to_owned(), 1)]);
        // Nothing passing the attribute filters: no range.
        let query = asking(None, None, &[("origin", "Italy")]);
        let tally = Tally::of(&meads(), &Filters::of(&query));
        assert!(tally.passing.is_empty());
        assert_eq!(tally.price, None);
    }

    #[test]
    fn a_product_without_a_filtered_attribute_fails_its_filter() {
        let mut matches = meads();
        matches.push(product(4, 900, &[("organic", "true")]));
        let query = asking(None, None, &[("origin", "Spain")]);
        let tally = Tally::of(&matches, &Filters::of(&query));
        assert_eq!(tally.passing, [Uuid::from_u128(1)]);
        // It still counts for its own attributes' facets… but only within the filters of the
        // other attributes: here it fails `origin`, so `organic` leaves it out.
        assert_eq!(facet(&tally, "organic"), [("true".to_owned(), 1)]);
    }

    #[test]
    fn facets_keep_the_most_frequent_values() {
        let matches: Vec<Match> = (0..30)
            .flat_map(|n| {
                // Value n is held by n + 1 products (of price 1).
                (0..=n).map(move |copy| {
                    let value = format!("v{n:02}");
                    product(n * 100 + copy, 1, &[("size", value.as_str())])
                })
            })
            .collect();
        let query = asking(None, None, &[]);
        let tally = Tally::of(&matches, &Filters::of(&query));
        let sizes = facet(&tally, "size");
        assert_eq!(sizes.len(), MAX_FACET_VALUES);
        assert_eq!(sizes[0], ("v29".to_owned(), 30));
        assert_eq!(sizes[19], ("v10".to_owned(), 11));
        // Ties by value.
        let matches = vec![product(1, 1, &[("a", "y")]), product(2, 1, &[("a", "x")])];
        let tally = Tally::of(&matches, &Filters::of(&query));
        assert_eq!(
            facet(&tally, "a"),
            [("x".to_owned(), 1), ("y".to_owned(), 1)]
        );
    }

    #[test]
    fn pages_cut_the_passing_matches() {
        let query = asking(None, None, &[]);
        let tally = Tally::of(&meads(), &Filters::of(&query));
        assert_eq!(tally.page(2, 0), [1, 2].map(Uuid::from_u128));
        assert_eq!(tally.page(2, 2), [Uuid::from_u128(3)]);
        assert!(tally.page(2, 3).is_empty());
        assert!(tally.page(100, u64::MAX).is_empty());
    }
}
