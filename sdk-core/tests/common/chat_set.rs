//! The chat interpreter's labelled evaluation set (`tests/data/chat`): the demo stores' chat
//! catalogs, the labelled buyer messages, and how the interpreter's answers are scored against
//! them. Shared by `tests/chat_accuracy.rs` and `examples/chat_bench.rs`, which include this file
//! with `#[path]`; each uses only part of it.
#![allow(dead_code)]

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use colmena_sdk::chat::Interpreter;
use colmena_sdk::contract::{
    ChatCatalog, ChatIntent, ChatInterpretRequest, ChatItem, ChatProduct, Interpretation,
};
use serde::Deserialize;
use uuid::Uuid;

/// The demo stores and their catalog fixtures.
pub const STORES: [(&str, &str); 2] = [
    ("demo", "catalog-demo.json"),
    ("demo-b", "catalog-demo-b.json"),
];

/// The languages of the set.
pub const LANGUAGES: [&str; 5] = ["en", "es", "fr", "pt", "sw"];

/// The labelled messages, one JSON object a line.
pub const MESSAGES: &str = "messages.jsonl";

/// Messages written blind, by someone who had seen neither the interpreter nor
/// [`MESSAGES`]: a check that tuning on the main set generalises.
pub const HELD_OUT: &str = "messages-heldout.jsonl";

/// The features the report breaks accuracy down by, in order.
pub const FEATURES: [&str; 9] = [
    "typo",
    "emoji",
    "number_word",
    "variant",
    "no_accents",
    "plural",
    "word_order",
    "multi_item",
    "dialogue",
];

/// The tags a message may carry (README.md); the other features are read from the message.
pub const TAGS: [&str; 9] = [
    "typo",
    "number_word",
    "no_accents",
    "plural",
    "word_order",
    "abbrev",
    "name_number",
    "cart_word",
    "code_switch",
];

/// `tests/data/chat` in this crate.
pub fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/chat")
}

/// One item of a label, by name as in the demo data.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LabelledItem {
    /// The product's name in its store's language, as in `server-ref/src/demo/data.rs`.
    pub product: String,
    /// The option value of the variant the message names (`L`, `Indigo`, `42`).
    pub variant: Option<String>,
    /// How many; `null` to take the whole line out.
    pub quantity: Option<u32>,
}

/// One labelled buyer message.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Case {
    /// `demo` or `demo-b`.
    pub store: String,
    /// The message's language.
    pub lang: String,
    /// The message.
    pub text: String,
    /// The buyer's previous message, whose clarifying question this one answers.
    #[serde(default)]
    pub after: Option<String>,
    /// What it asks for.
    pub intent: ChatIntent,
    /// The items it refers to.
    pub items: Vec<LabelledItem>,
    /// Features written by hand (`typo`, `number_word`, …).
    #[serde(default)]
    pub tags: Vec<String>,
    /// Its line in the file, from 1.
    #[serde(skip)]
    pub line: usize,
}

/// An item as compared: product, variant and quantity.
pub type ItemKey = (Uuid, Option<Uuid>, Option<u32>);

impl Case {
    /// Whether the message has the feature (one of [`FEATURES`]).
    pub fn has(&self, feature: &str) -> bool {
        match feature {
            "emoji" => has_emoji(&self.text),
            "variant" => self.items.iter().any(|item| item.variant.is_some()),
            "multi_item" => self.items.len() > 1,
            "dialogue" => self.after.is_some(),
            tag => self.tags.iter().any(|own| own == tag),
        }
    }

    /// The request for the message, with the interpretation of the message it answers.
    pub fn request(&self, previous: Option<Interpretation>) -> ChatInterpretRequest {
        ChatInterpretRequest {
            text: self.text.clone(),
            previous,
            ..ChatInterpretRequest::default()
        }
    }

    /// The request for the previous message, when this one answers it.
    pub fn previous_request(&self) -> Option<ChatInterpretRequest> {
        self.after.as_ref().map(|after| ChatInterpretRequest {
            text: after.clone(),
            ..ChatInterpretRequest::default()
        })
    }

    fn describe(&self) -> String {
        match &self.after {
            Some(after) => format!("{:?} (after {after:?})", self.text),
            None => format!("{:?}", self.text),
        }
    }
}

/// Whether `text` has an emoji (pictographs, dingbats, symbols and the emoji selector).
pub fn has_emoji(text: &str) -> bool {
    text.chars().any(|c| {
        matches!(
            u32::from(c),
            0x1F000..=0x1FAFF | 0x2600..=0x27BF | 0x2B00..=0x2BFF | 0xFE0F
        )
    })
}

/// A store's catalog with its products by name.
pub struct Store {
    /// The store's slug.
    pub slug: String,
    /// Its chat catalog.
    pub catalog: ChatCatalog,
    by_name: HashMap<String, usize>,
}

impl Store {
    fn new(slug: &str, catalog: ChatCatalog) -> Self {
        let by_name = catalog
            .products
            .iter()
            .enumerate()
            .filter_map(|(index, product)| {
                product.names.first().map(|name| (name.name.clone(), index))
            })
            .collect();
        Self {
            slug: slug.to_owned(),
            catalog,
            by_name,
        }
    }

    /// The product named `name` in the store's language.
    pub fn product(&self, name: &str) -> Option<&ChatProduct> {
        self.by_name
            .get(name)
            .map(|&index| &self.catalog.products[index])
    }

    /// The labelled item as compared: the product's only variant when it has one, the variant
    /// with the labelled option value when one is given, otherwise none.
    pub fn expected_item(&self, item: &LabelledItem) -> Result<ItemKey, String> {
        let product = self
            .product(&item.product)
            .ok_or_else(|| format!("no product {:?} in store {}", item.product, self.slug))?;
        let variant = match (&item.variant, product.variants.as_slice()) {
            (None, [only]) => Some(only.id),
            (Some(value), [_]) => {
                return Err(format!(
                    "{:?} has one variant, yet the label names {value:?}",
                    item.product
                ))
            }
            (None, _) => None,
            (Some(value), variants) => Some(
                variants
                    .iter()
                    .find(|variant| variant.options.iter().any(|option| option.value == *value))
                    .ok_or_else(|| format!("{:?} has no variant {value:?}", item.product))?
                    .id,
            ),
        };
        Ok((product.id, variant, item.quantity))
    }

    /// An item as a person reads it: `Leather Gloves [M] ×2` (`[?]`: no variant although the
    /// product has several; `×all`: no quantity).
    pub fn describe(&self, (product_id, variant_id, quantity): ItemKey) -> String {
        let mut text = match self.catalog.products.iter().find(|p| p.id == product_id) {
            Some(product) => {
                let name = product.names.first().map_or("?", |n| n.name.as_str());
                let variant = match variant_id {
                    None if product.variants.len() > 1 => " [?]".to_owned(),
                    None => " [no variant]".to_owned(),
                    Some(id) => match product.variants.iter().find(|v| v.id == id) {
                        Some(variant) if variant.options.is_empty() => String::new(),
                        Some(variant) => {
                            let values: Vec<&str> =
                                variant.options.iter().map(|o| o.value.as_str()).collect();
                            format!(" [{}]", values.join(", "))
                        }
                        None => " [unknown variant]".to_owned(),
                    },
                };
                format!("{name}{variant}")
            }
            None => format!("unknown product {product_id}"),
        };
        match quantity {
            Some(quantity) => {
                let _ = write!(text, " ×{quantity}");
            }
            None => text.push_str(" ×all"),
        }
        text
    }
}

/// The demo catalogs and the labelled messages, checked against each other.
pub struct LabelledSet {
    /// The stores, in the order of [`STORES`].
    pub stores: Vec<Store>,
    /// The messages, in the order of the file.
    pub cases: Vec<Case>,
    /// Each message's expected items, sorted.
    pub expected: Vec<Vec<ItemKey>>,
}

impl LabelledSet {
    /// Reads `tests/data/chat` with the main messages; every problem found, one a line, when
    /// the set is not valid.
    pub fn load() -> Result<Self, String> {
        Self::load_messages(MESSAGES)
    }

    /// Reads the catalogs and the messages of `file` in `tests/data/chat`.
    pub fn load_messages(file: &str) -> Result<Self, String> {
        let dir = data_dir();
        let mut stores = Vec::new();
        for (slug, file) in STORES {
            let path = dir.join(file);
            let text = std::fs::read_to_string(&path)
                .map_err(|error| format!("{}: {error}", path.display()))?;
            let catalog: ChatCatalog = serde_json::from_str(&text)
                .map_err(|error| format!("{}: {error}", path.display()))?;
            stores.push(Store::new(slug, catalog));
        }
        let path = dir.join(file);
        let text = std::fs::read_to_string(&path)
            .map_err(|error| format!("{}: {error}", path.display()))?;
        let mut problems = Vec::new();
        let mut cases = Vec::new();
        let mut expected = Vec::new();
        for (index, line) in text.lines().enumerate() {
            let number = index + 1;
            if line.trim().is_empty() {
                continue;
            }
            let mut case: Case = match serde_json::from_str(line) {
                Ok(case) => case,
                Err(error) => {
                    problems.push(format!("line {number}: {error}"));
                    continue;
                }
            };
            case.line = number;
            match check(&stores, &case) {
                Ok(items) => {
                    cases.push(case);
                    expected.push(items);
                }
                Err(problem) => problems.push(format!("line {number}: {problem}")),
            }
        }
        if problems.is_empty() {
            Ok(Self {
                stores,
                cases,
                expected,
            })
        } else {
            Err(problems.join("\n"))
        }
    }

    /// The store `slug`.
    pub fn store(&self, slug: &str) -> &Store {
        self.stores
            .iter()
            .find(|store| store.slug == slug)
            .unwrap_or_else(|| panic!("no store {slug}"))
    }

    /// An interpreter per store, by slug.
    pub fn interpreters(&self) -> BTreeMap<String, Interpreter> {
        self.stores
            .iter()
            .map(|store| (store.slug.clone(), Interpreter::new(&store.catalog)))
            .collect()
    }

    /// How many messages of each kind the set has.
    pub fn coverage(&self) -> Coverage {
        let mut coverage = Coverage {
            total: self.cases.len(),
            ..Coverage::default()
        };
        for case in &self.cases {
            *coverage.languages.entry(case.lang.clone()).or_default() += 1;
            *coverage.stores.entry(case.store.clone()).or_default() += 1;
            *coverage.intents.entry(case.intent.as_str()).or_default() += 1;
            for feature in FEATURES {
                if case.has(feature) {
                    *coverage.features.entry(feature).or_default() += 1;
                }
            }
        }
        coverage
    }
}

/// Checks a case against the catalogs and the labelling conventions; its expected items.
fn check(stores: &[Store], case: &Case) -> Result<Vec<ItemKey>, String> {
    let store = stores
        .iter()
        .find(|store| store.slug == case.store)
        .ok_or_else(|| format!("unknown store {:?}", case.store))?;
    if !LANGUAGES.contains(&case.lang.as_str()) {
        return Err(format!("unknown language {:?}", case.lang));
    }
    if case.text.trim().is_empty() {
        return Err("empty text".to_owned());
    }
    if let Some(tag) = case.tags.iter().find(|tag| !TAGS.contains(&tag.as_str())) {
        return Err(format!("unknown tag {tag:?}"));
    }
    let names_items = case.intent.names_items();
    if names_items == case.items.is_empty() {
        return Err(format!(
            "{} takes {} items",
            case.intent.as_str(),
            if names_items { "some" } else { "no" }
        ));
    }
    if matches!(case.intent, ChatIntent::AddToCart | ChatIntent::UpdateCart)
        && case.items.iter().any(|item| item.quantity.is_none())
    {
        return Err(format!("{} needs quantities", case.intent.as_str()));
    }
    let mut items = case
        .items
        .iter()
        .map(|item| store.expected_item(item))
        .collect::<Result<Vec<_>, _>>()?;
    items.sort();
    Ok(items)
}

/// How many messages the set has, in all and of each kind.
#[derive(Debug, Default)]
pub struct Coverage {
    /// Messages.
    pub total: usize,
    /// By language.
    pub languages: BTreeMap<String, usize>,
    /// By store.
    pub stores: BTreeMap<String, usize>,
    /// By intent (`add_to_cart`).
    pub intents: BTreeMap<&'static str, usize>,
    /// By feature (one of [`FEATURES`]).
    pub features: BTreeMap<&'static str, usize>,
}

impl Coverage {
    /// Messages of a language.
    pub fn language(&self, language: &str) -> usize {
        self.languages.get(language).copied().unwrap_or(0)
    }

    /// Messages of a store.
    pub fn store(&self, store: &str) -> usize {
        self.stores.get(store).copied().unwrap_or(0)
    }

    /// Messages of an intent.
    pub fn intent(&self, intent: ChatIntent) -> usize {
        self.intents.get(intent.as_str()).copied().unwrap_or(0)
    }

    /// Messages with a feature.
    pub fn feature(&self, feature: &str) -> usize {
        self.features.get(feature).copied().unwrap_or(0)
    }

    /// The counts, one group a line.
    pub fn table(&self) -> String {
        let mut out = format!("labelled set: {} messages\n", self.total);
        let languages: Vec<String> = LANGUAGES
            .iter()
            .map(|language| format!("{language} {}", self.language(language)))
            .collect();
        let stores: Vec<String> = STORES
            .iter()
            .map(|(store, _)| format!("{store} {}", self.store(store)))
            .collect();
        let intents: Vec<String> = ChatIntent::ALL
            .iter()
            .map(|intent| format!("{} {}", intent.as_str(), self.intent(*intent)))
            .collect();
        let features: Vec<String> = FEATURES
            .iter()
            .map(|feature| format!("{feature} {}", self.feature(feature)))
            .collect();
        for (label, counts) in [
            ("languages", languages),
            ("stores", stores),
            ("intents", intents),
            ("features", features),
        ] {
            let _ = writeln!(out, "  {label:<10} {}", counts.join(", "));
        }
        out
    }
}

/// The interpreter's answer to one message.
pub struct Outcome<'a> {
    /// The message.
    pub case: &'a Case,
    /// What it was expected to say: intent and sorted items.
    pub expected: &'a [ItemKey],
    /// What it said.
    pub got: Interpretation,
    /// Its items, sorted.
    pub got_items: Vec<ItemKey>,
    /// Whether intent and items are exactly as labelled.
    pub correct: bool,
}

/// Interprets every message of `set` with the interpreter `interpreter_for` gives for its store
/// (a message answering a question is sent with the interpretation of the message before it)
/// and scores it: correct when its intent and its items (product, variant and quantity, in any
/// order) are exactly those labelled.
pub fn evaluate<'a, 'i>(
    set: &'a LabelledSet,
    interpreter_for: impl Fn(&str) -> &'i Interpreter,
) -> Report<'a> {
    let outcomes = set
        .cases
        .iter()
        .zip(&set.expected)
        .map(|(case, expected)| {
            let interpreter = interpreter_for(&case.store);
            let previous = case
                .previous_request()
                .map(|request| interpreter.interpret(&request));
            let got = interpreter.interpret(&case.request(previous));
            let mut got_items: Vec<ItemKey> = got
                .items
                .iter()
                .map(
                    |ChatItem {
                         product_id,
                         variant_id,
                         quantity,
                     }| { (*product_id, *variant_id, *quantity) },
                )
                .collect();
            got_items.sort();
            let correct = got.intent == case.intent && got_items == *expected;
            Outcome {
                case,
                expected,
                got,
                got_items,
                correct,
            }
        })
        .collect();
    Report { set, outcomes }
}

/// The scores of a run over the labelled set.
pub struct Report<'a> {
    set: &'a LabelledSet,
    /// One per message, in the order of the set.
    pub outcomes: Vec<Outcome<'a>>,
}

/// `right/all = 97.5 %`.
fn score(right: usize, all: usize) -> String {
    if all == 0 {
        return "     -".to_owned();
    }
    #[allow(clippy::cast_precision_loss)]
    let percent = 100.0 * right as f64 / all as f64;
    format!("{right:>4}/{all:<4} {percent:5.1} %")
}

impl Report<'_> {
    /// Messages interpreted exactly as labelled.
    pub fn correct(&self) -> usize {
        self.outcomes
            .iter()
            .filter(|outcome| outcome.correct)
            .count()
    }

    /// The share of messages interpreted exactly as labelled, from 0 to 1.
    pub fn accuracy(&self) -> f64 {
        if self.outcomes.is_empty() {
            return 0.0;
        }
        #[allow(clippy::cast_precision_loss)]
        let accuracy = self.correct() as f64 / self.outcomes.len() as f64;
        accuracy
    }

    fn group(&self, keep: impl Fn(&Case) -> bool) -> String {
        let (right, all) = self
            .outcomes
            .iter()
            .filter(|outcome| keep(outcome.case))
            .fold((0, 0), |(right, all), outcome| {
                (right + usize::from(outcome.correct), all + 1)
            });
        score(right, all)
    }

    /// Exact-match accuracy in all, then per language, store, intent and feature.
    pub fn table(&self) -> String {
        let mut out = format!(
            "exact match (intent, product, variant, quantity): {}\n",
            score(self.correct(), self.outcomes.len())
        );
        out.push_str("by language\n");
        for language in LANGUAGES {
            let _ = writeln!(
                out,
                "  {language:<18} {}",
                self.group(|case| case.lang == language)
            );
        }
        out.push_str("by store\n");
        for (store, _) in STORES {
            let _ = writeln!(
                out,
                "  {store:<18} {}",
                self.group(|case| case.store == store)
            );
        }
        out.push_str("by intent\n");
        for intent in ChatIntent::ALL {
            let _ = writeln!(
                out,
                "  {:<18} {}",
                intent.as_str(),
                self.group(|case| case.intent == intent)
            );
        }
        out.push_str("by feature\n");
        for feature in FEATURES {
            let _ = writeln!(
                out,
                "  {feature:<18} {}",
                self.group(|case| case.has(feature))
            );
        }
        out
    }

    /// The messages not interpreted as labelled: text, expected and got.
    pub fn failures(&self) -> String {
        let failing: Vec<&Outcome<'_>> = self.outcomes.iter().filter(|o| !o.correct).collect();
        let mut out = format!("{} messages not interpreted as labelled\n", failing.len());
        for outcome in failing {
            let case = outcome.case;
            let store = self.set.store(&case.store);
            let items = |items: &[ItemKey]| -> String {
                let described: Vec<String> =
                    items.iter().map(|item| store.describe(*item)).collect();
                format!("[{}]", described.join("; "))
            };
            let _ = writeln!(
                out,
                "- line {} [{} {}] {}\n    expected: {} {}\n    got:      {} {}{}",
                case.line,
                case.lang,
                case.store,
                case.describe(),
                case.intent.as_str(),
                items(outcome.expected),
                outcome.got.intent.as_str(),
                items(&outcome.got_items),
                match &outcome.got.question {
                    Some(question) => format!(" (asks {:?})", question.text),
                    None => String::new(),
                },
            );
        }
        out
    }
}
