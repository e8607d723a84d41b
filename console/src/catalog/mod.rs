//! The catalog pages: products (the list and the editor, with variants, images and the
//! digital file), categories as a tree, and product types whose JSON Schema becomes the
//! attribute form of their products. Every call goes through sdk-core's `AdminClient`.
//!
//! This module holds what those pages share: money and stock as typed by a person, the
//! category tree, and a button that asks before destroying.

mod attributes;
mod categories;
mod editor;
mod media;
mod product_types;
mod products;
mod variants;

use std::collections::{HashMap, HashSet};

use colmena_sdk::contract::Category;
use colmena_sdk::money::currency_exponent;
use colmena_sdk::{parse_amount, Uuid};
use leptos::html;
use leptos::prelude::*;

use crate::Problem;

pub use categories::Categories;
pub use product_types::ProductTypes;
pub use products::Products;

/// `amount` minor units of `currency` as a person types them: `950` EUR is `9.50`, `5000` XOF
/// is `5000` (no grouping, no symbol: what `parse_amount` reads back).
pub(crate) fn amount_text(amount: i64, currency: &str) -> String {
    let exponent = currency_exponent(currency);
    let Some(unit) = 10i64.checked_pow(exponent).filter(|_| exponent > 0) else {
        return amount.to_string();
    };
    let sign = if amount < 0 { "-" } else { "" };
    let amount = amount.unsigned_abs();
    let unit = unit.unsigned_abs();
    format!(
        "{sign}{}.{:0width$}",
        amount / unit,
        amount % unit,
        width = exponent as usize
    )
}

/// A price typed in `currency` (`9.50` or `9,50`), in minor units; refused beside `field`.
pub(crate) fn read_price(text: &str, currency: &str, field: &str) -> Result<i64, Problem> {
    parse_amount(text, currency).ok_or_else(|| {
        let example = amount_text(950, currency);
        Problem::of_field(field, format!("enter a price such as {example}"))
    })
}

/// An optional price: empty is none.
fn read_optional_price(text: &str, currency: &str, field: &str) -> Result<Option<i64>, Problem> {
    if text.trim().is_empty() {
        Ok(None)
    } else {
        read_price(text, currency, field).map(Some)
    }
}

/// A count as typed (units in stock, grams): empty means none is given (stock not counted, no
/// weight).
fn read_count(text: &str, field: &str, what: &str) -> Result<Option<u32>, Problem> {
    match text.trim() {
        "" => Ok(None),
        count => count.parse().map(Some).map_err(|_| {
            Problem::of_field(
                field,
                format!("enter a whole number of {what}, or leave it empty"),
            )
        }),
    }
}

/// A count (units in stock, grams) as shown in a field: empty when not given.
fn count_text(units: Option<u32>) -> String {
    units.map(|units| units.to_string()).unwrap_or_default()
}

/// A `Uuid` from a select's value; empty (or anything else) is none.
fn chosen_id(value: &str) -> Option<Uuid> {
    Uuid::parse_str(value).ok()
}

/// The store's categories as a tree: each category under its parent, in the API's order
/// (position, then name). A category whose parent is missing is shown at the top level.
#[derive(Debug, Clone, Default, PartialEq)]
struct CategoryTree {
    children: HashMap<Option<Uuid>, Vec<Category>>,
}

impl CategoryTree {
    fn new(categories: Vec<Category>) -> Self {
        let known: HashSet<Uuid> = categories.iter().map(|c| c.id).collect();
        let mut children: HashMap<Option<Uuid>, Vec<Category>> = HashMap::new();
        for category in categories {
            let parent = category.parent_id.filter(|parent| known.contains(parent));
            children.entry(parent).or_default().push(category);
        }
        Self { children }
    }

    /// The categories directly under `parent` (`None`: the top level).
    fn children_of(&self, parent: Option<Uuid>) -> &[Category] {
        self.children.get(&parent).map_or(&[], Vec::as_slice)
    }

    /// Every category depth first, with its depth (0 at the top level), leaving out `skip`
    /// and everything under it. The API refuses cycles; the visited set keeps a bad row from
    /// looping here anyway.
    fn walk(&self, skip: Option<Uuid>) -> Vec<(usize, &Category)> {
        let mut out = Vec::new();
        let mut visited = HashSet::new();
        let mut stack: Vec<(usize, &Category)> = self
            .children_of(None)
            .iter()
            .rev()
            .map(|category| (0, category))
            .collect();
        while let Some((depth, category)) = stack.pop() {
            if Some(category.id) == skip || !visited.insert(category.id) {
                continue;
            }
            out.push((depth, category));
            stack.extend(
                self.children_of(Some(category.id))
                    .iter()
                    .rev()
                    .map(|child| (depth + 1, child)),
            );
        }
        out
    }

    /// Select options (id, indented name) for choosing a category, first `none` (value empty);
    /// `skip` and its subtree are left out (a category cannot move under itself).
    fn options(&self, none: &str, skip: Option<Uuid>) -> Vec<(String, String)> {
        let mut options = vec![(String::new(), none.to_owned())];
        options.extend(self.walk(skip).into_iter().map(|(depth, category)| {
            // No-break spaces indent without being read aloud.
            let indent = "\u{a0}\u{a0}\u{a0}".repeat(depth);
            (
                category.id.to_string(),
                format!("{indent}{}", category.name),
            )
        }));
        options
    }
}

/// A button for something that cannot be undone: the first press shows `question` with a
/// confirming button (focused, for keyboard users) and a way back.
#[component]
pub(crate) fn ConfirmButton(
    /// The button's text, e.g. "Delete".
    #[prop(into)]
    label: String,
    /// Its accessible name when the text alone is ambiguous, e.g. "Delete Honey".
    #[prop(optional, into)]
    name: Option<String>,
    /// What will happen, asked before doing it.
    #[prop(into)]
    question: String,
    on_confirm: Callback<()>,
) -> impl IntoView {
    let asking = RwSignal::new(false);
    let confirm = NodeRef::<html::Button>::new();
    // Runs after the page shows the question: the confirming button can take the focus.
    Effect::new(move || {
        if asking.get() {
            if let Some(button) = confirm.get_untracked() {
                let _ = button.focus();
            }
        }
    });
    let confirm_label = format!("Yes, {}", label.to_lowercase());
    // One view whose parts are shown or hidden, rather than two views swapped: less code.
    view! {
        <span class="confirm-action">
            <button type="button" class="danger" aria-label=name hidden=move || asking.get()
                on:click=move |_| asking.set(true)>{label}</button>
            <span class="confirm" hidden=move || !asking.get()>
                <span role="alert">{move || asking.get().then(|| question.clone())}</span>
                <button type="button" class="danger" node_ref=confirm on:click=move |_| {
                    asking.set(false);
                    on_confirm.run(());
                }>{confirm_label}</button>
                <button type="button" on:click=move |_| asking.set(false)>"Cancel"</button>
            </span>
        </span>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_read_back_as_typed() {
        assert_eq!(amount_text(950, "EUR"), "9.50");
        assert_eq!(amount_text(5, "EUR"), "0.05");
        assert_eq!(amount_text(5000, "XOF"), "5000");
        assert_eq!(amount_text(1234, "KWD"), "1.234");
        for (amount, currency) in [(950, "EUR"), (5000, "XOF"), (1, "USD")] {
            assert_eq!(
                parse_amount(&amount_text(amount, currency), currency),
                Some(amount)
            );
        }
    }

    #[test]
    fn stock_is_a_count_or_empty() {
        assert_eq!(read_count("", "s", "units"), Ok(None));
        assert_eq!(read_count(" 12 ", "s", "units"), Ok(Some(12)));
        assert!(read_count("-1", "s", "units").is_err());
    }

    fn category(id: u128, parent: Option<u128>, name: &str) -> Category {
        Category {
            id: Uuid::from_u128(id),
            slug: name.to_lowercase(),
            name: name.to_owned(),
            parent_id: parent.map(Uuid::from_u128),
            product_count: 0,
        }
    }

    #[test]
    fn the_tree_walks_depth_first_and_skips_a_subtree() {
        let tree = CategoryTree::new(vec![
            category(1, None, "Honey"),
            category(2, Some(1), "Raw"),
            category(3, Some(2), "Comb"),
            category(4, None, "Wax"),
            category(5, Some(99), "Orphan"),
        ]);
        let names = |skip| -> Vec<(usize, String)> {
            tree.walk(skip)
                .into_iter()
                .map(|(depth, c)| (depth, c.name.clone()))
                .collect()
        };
        assert_eq!(
            names(None),
            [
                (0, "Honey"),
                (1, "Raw"),
                (2, "Comb"),
                (0, "Wax"),
                (0, "Orphan")
            ]
            .map(|(d, n)| (d, n.to_owned()))
        );
        assert_eq!(
            names(Some(Uuid::from_u128(2))),
            [(0, "Honey"), (0, "Wax"), (0, "Orphan")].map(|(d, n)| (d, n.to_owned()))
        );
    }
}
