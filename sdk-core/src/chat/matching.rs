//! Products and variants named in a message: every name (the store's and its translations) is
//! indexed by its words, their Snowball stems and their rarity, so "wildflower honey",
//! "honey wildflowr" and "mieles de milflores" all find the same product, and a word many
//! products share ("honey") weighs less than one that singles a product out ("wildflower").

use std::collections::HashMap;

use rust_stemmers::{Algorithm, Stemmer};
use uuid::Uuid;

use super::lexicon::{Language, OPTION_SYNONYMS, UNITS};
use super::text::{fold, tokens};
use crate::contract::{ChatCatalog, ChatName};

/// How well a message word matches a name word, by kind of match.
const EXACT: f64 = 1.0;
const STEM: f64 = 0.95;
const TYPO: f64 = 0.8;
const PREFIX: f64 = 0.75;
const SOUND: f64 = 0.85;

/// Words of names that never single out a product.
const NAME_FILLER: &[&str] = &[
    "of", "the", "and", "with", "de", "del", "la", "le", "les", "du", "des", "en", "y", "et", "e",
    "da", "do", "das", "dos", "em", "com", "ya", "wa", "za", "na", "kwa", "a", "au",
];

/// A variant as matched: its id and its option values, folded.
#[derive(Debug, Clone)]
pub(crate) struct IndexedVariant {
    pub id: Uuid,
    /// (option name in the store's language, value as written, value folded).
    pub options: Vec<(String, String, String)>,
}

/// A product as matched.
#[derive(Debug, Clone)]
pub(crate) struct IndexedProduct {
    pub id: Uuid,
    /// Its names, as given.
    pub names: Vec<ChatName>,
    pub variants: Vec<IndexedVariant>,
    /// Numbers written in its names (`500` of "500 g"): such a number in a message names the
    /// product rather than a quantity.
    pub numbers: Vec<u32>,
}

impl IndexedProduct {
    /// Its name in `language`: its translation, else its own name.
    pub fn name_in(&self, language: Language) -> &str {
        self.names
            .iter()
            .skip(1)
            .find(|name| Language::of_locale(&name.locale) == Some(language))
            .or_else(|| self.names.first())
            .map_or("", |name| name.name.as_str())
    }

    /// The option name (in `language` when translated) the variants differ by.
    pub fn option_name(&self, catalog_option_names: &[ChatName], language: Language) -> String {
        catalog_option_names
            .iter()
            .skip(1)
            .find(|name| Language::of_locale(&name.locale) == Some(language))
            .or_else(|| catalog_option_names.first())
            .map_or_else(String::new, |name| name.name.clone())
    }
}

/// A word of some name, and where it occurs.
#[derive(Debug, Clone)]
struct NameWord {
    /// Its weight: rarer words weigh more (inverse document frequency over products).
    weight: f64,
    /// (product index, name index) pairs containing it.
    postings: Vec<(u32, u16)>,
}

/// How much of one name a message covers.
#[derive(Debug, Clone, Copy, Default)]
struct NameScore {
    matched: f64,
    quality: f64,
}

/// A product a message refers to, and how well.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Candidate {
    /// Index into the catalog's products.
    pub product: usize,
    /// The weight of the name words matched, times their match quality.
    pub score: f64,
    /// The share of the best name's weight the message matched (0 to 1).
    pub coverage: f64,
    /// The weight of the name words matched, whatever the name's length.
    pub matched: f64,
}

/// The catalog's names, indexed.
#[derive(Debug, Clone)]
pub(crate) struct CatalogIndex {
    pub products: Vec<IndexedProduct>,
    /// Each product's option names (the first variant option's names), for questions.
    pub option_names: Vec<Vec<ChatName>>,
    words: HashMap<String, NameWord>,
    /// Stem → name words with that stem.
    stems: HashMap<String, Vec<String>>,
    /// Name words by their first letter, for typo search.
    by_initial: HashMap<char, Vec<String>>,
    /// Name words by their sound-alike key ([`sound_key`]).
    sounds: HashMap<String, Vec<String>>,
    /// Total weight of each name's words (product index, name index).
    name_weights: Vec<Vec<f64>>,
}

/// The Snowball stemmer of a language; Swahili has none (its plurals change the prefix, which
/// the typo search forgives for long words).
fn stemmer(language: Language) -> Option<Stemmer> {
    let algorithm = match language {
        Language::En => Algorithm::English,
        Language::Es => Algorithm::Spanish,
        Language::Fr => Algorithm::French,
        Language::Pt => Algorithm::Portuguese,
        Language::Sw => return None,
    };
    Some(Stemmer::create(algorithm))
}

/// Stems of `word` in every language that has a stemmer: a message's language is a guess, and
/// names are in several.
pub(crate) struct Stemmers(Vec<Stemmer>);

impl Stemmers {
    pub fn new() -> Self {
        Self(Language::ALL.into_iter().filter_map(stemmer).collect())
    }

    fn stems(&self, word: &str) -> impl Iterator<Item = String> + '_ {
        let word = word.to_owned();
        self.0
            .iter()
            .map(move |stemmer| stemmer.stem(&word).into_owned())
    }
}

fn is_name_word(word: &str) -> bool {
    !NAME_FILLER.contains(&word) && !UNITS.contains(&word) && word.parse::<u32>().is_err()
}

impl CatalogIndex {
    pub fn new(catalog: &ChatCatalog, stemmers: &Stemmers) -> Self {
        let mut postings: HashMap<String, Vec<(u32, u16)>> = HashMap::new();
        let mut products = Vec::with_capacity(catalog.products.len());
        let mut option_names = Vec::with_capacity(catalog.products.len());
        let mut name_words: Vec<Vec<Vec<String>>> = Vec::with_capacity(catalog.products.len());
        // Joined pairs match only as written: stemmed or misspelt they would match at random.
        let mut compounds = std::collections::HashSet::new();
        for (product_index, product) in catalog.products.iter().enumerate() {
            let mut numbers = Vec::new();
            let mut per_name = Vec::new();
            for (name_index, name) in product.names.iter().enumerate() {
                let mut words = Vec::new();
                for token in tokens(&name.name) {
                    if let Some(number) = token.digits {
                        numbers.push(number);
                    }
                    if is_name_word(&token.text) && !words.contains(&token.text) {
                        let entry = postings.entry(token.text.clone()).or_default();
                        let key = (
                            u32::try_from(product_index).unwrap_or(u32::MAX),
                            u16::try_from(name_index).unwrap_or(u16::MAX),
                        );
                        if !entry.contains(&key) {
                            entry.push(key);
                        }
                        words.push(token.text);
                    }
                }
                // "tealights" for "Tea Lights": each pair of words also as one, outside the
                // name's weight.
                for pair in words.windows(2) {
                    let compound = format!("{}{}", pair[0], pair[1]);
                    compounds.insert(compound.clone());
                    let entry = postings.entry(compound).or_default();
                    let key = (
                        u32::try_from(product_index).unwrap_or(u32::MAX),
                        u16::try_from(name_index).unwrap_or(u16::MAX),
                    );
                    if !entry.contains(&key) {
                        entry.push(key);
                    }
                }
                per_name.push(words);
            }
            name_words.push(per_name);
            option_names.push(
                product
                    .variants
                    .iter()
                    .find_map(|variant| variant.options.first())
                    .map(|option| option.names.clone())
                    .unwrap_or_default(),
            );
            products.push(IndexedProduct {
                id: product.id,
                names: product.names.clone(),
                variants: product
                    .variants
                    .iter()
                    .map(|variant| IndexedVariant {
                        id: variant.id,
                        options: variant
                            .options
                            .iter()
                            .map(|option| {
                                let name = option
                                    .names
                                    .first()
                                    .map_or_else(String::new, |name| name.name.clone());
                                (name, option.value.clone(), fold(&option.value))
                            })
                            .collect(),
                    })
                    .collect(),
                numbers,
            });
        }
        let total = products.len().max(1) as f64;
        let mut words = HashMap::with_capacity(postings.len());
        let mut stems: HashMap<String, Vec<String>> = HashMap::new();
        let mut by_initial: HashMap<char, Vec<String>> = HashMap::new();
        let mut sounds: HashMap<String, Vec<String>> = HashMap::new();
        for (word, postings) in postings {
            let mut products_with: Vec<u32> = postings.iter().map(|(p, _)| *p).collect();
            products_with.dedup();
            let weight = (1.0 + total / products_with.len() as f64).ln();
            if compounds.contains(&word) {
                words.insert(word, NameWord { weight, postings });
                continue;
            }
            for stem in stemmers.stems(&word) {
                let entry = stems.entry(stem).or_default();
                if !entry.contains(&word) {
                    entry.push(word.clone());
                }
            }
            if let Some(initial) = word.chars().next() {
                by_initial.entry(initial).or_default().push(word.clone());
            }
            sounds
                .entry(sound_key(&word))
                .or_default()
                .push(word.clone());
            words.insert(word, NameWord { weight, postings });
        }
        // A word is as rare as its family: "mieles" as common as "miel", which many names have.
        let family_weights: Vec<(String, f64)> = words
            .keys()
            .filter(|word| !compounds.contains(*word))
            .map(|word| {
                let mut family: std::collections::HashSet<u32> = std::collections::HashSet::new();
                for stem in stemmers.stems(word) {
                    for relative in stems.get(&stem).into_iter().flatten() {
                        if let Some(entry) = words.get(relative) {
                            family.extend(entry.postings.iter().map(|(product, _)| *product));
                        }
                    }
                }
                let weight = (1.0 + total / family.len().max(1) as f64).ln();
                (word.clone(), weight)
            })
            .collect();
        for (word, weight) in family_weights {
            if let Some(entry) = words.get_mut(&word) {
                entry.weight = weight;
            }
        }
        let mut index = Self {
            products,
            option_names,
            words,
            stems,
            by_initial,
            sounds,
            name_weights: Vec::new(),
        };
        // Weights are known only once every name is read.
        index.name_weights = name_words
            .iter()
            .map(|names| {
                names
                    .iter()
                    .map(|words| {
                        words
                            .iter()
                            .map(|word| index.words.get(word).map_or(0.0, |w| w.weight))
                            .sum()
                    })
                    .collect()
            })
            .collect();
        index
    }

    /// The name words `word` may stand for, with the quality of each match.
    fn name_words_for(&self, word: &str, stemmers: &Stemmers) -> Vec<(String, f64)> {
        let mut found: Vec<(String, f64)> = Vec::new();
        let add = |found: &mut Vec<(String, f64)>, name_word: &str, quality: f64| match found
            .iter_mut()
            .find(|(known, _)| known == name_word)
        {
            Some(known) => known.1 = known.1.max(quality),
            None => found.push((name_word.to_owned(), quality)),
        };
        if self.words.contains_key(word) {
            add(&mut found, word, EXACT);
        }
        for stem in stemmers.stems(word) {
            if let Some(name_words) = self.stems.get(&stem) {
                for name_word in name_words {
                    add(&mut found, name_word, STEM);
                }
            }
        }
        let key = sound_key(word);
        if found.is_empty() && word.chars().count() >= 5 && key.len() >= 3 {
            for name_word in self.sounds.get(&key).into_iter().flatten() {
                add(&mut found, name_word, SOUND);
            }
        }
        let length = word.chars().count();
        if found.is_empty() && length >= 4 {
            // Two slips only in long words, and never in the first letter.
            let allowed = if length >= 9 { 2 } else { 1 };
            let mut initials: Vec<char> = word.chars().take(2).collect();
            initials.dedup();
            for initial in initials {
                for name_word in self.by_initial.get(&initial).into_iter().flatten() {
                    let other = name_word.chars().count();
                    if other.abs_diff(length) > allowed {
                        if other > length && name_word.starts_with(word) && length >= 5 {
                            add(&mut found, name_word, PREFIX);
                        }
                        continue;
                    }
                    let distance = strsim::damerau_levenshtein(word, name_word);
                    if distance <= 1 || (distance <= allowed && name_word.starts_with(initial)) {
                        add(&mut found, name_word, TYPO);
                    }
                }
            }
        }
        found
    }

    /// Whether a word is, exactly or by its stem, a word of some name.
    pub fn knows(&self, word: &str, stemmers: &Stemmers) -> bool {
        self.words.contains_key(word)
            || stemmers
                .stems(word)
                .any(|stem| self.stems.contains_key(&stem))
    }

    /// Whether one of `product`'s names has `word` ("par" in "Par de velas").
    pub fn product_has_word(&self, product: usize, word: &str) -> bool {
        self.words.get(word).is_some_and(|entry| {
            entry
                .postings
                .iter()
                .any(|(indexed, _)| *indexed as usize == product)
        })
    }

    /// The weight of a word found in a single product: a reference weighing this much singles
    /// a product out however long its name.
    pub fn unique_weight(&self) -> f64 {
        (1.0 + self.products.len().max(1) as f64).ln()
    }

    /// The products `words` refer to, best first; only products matching at least one of
    /// their names' words well enough.
    pub fn candidates(&self, words: &[&str], stemmers: &Stemmers) -> Vec<Candidate> {
        let mut scores: HashMap<(u32, u16), NameScore> = HashMap::new();
        let mut seen = Vec::new();
        for word in words {
            for (name_word, quality) in self.name_words_for(word, stemmers) {
                if seen.contains(&name_word) {
                    continue;
                }
                seen.push(name_word.clone());
                let Some(entry) = self.words.get(&name_word) else {
                    continue;
                };
                for &(product, name) in &entry.postings {
                    let score = scores.entry((product, name)).or_default();
                    score.matched += entry.weight * quality;
                    score.quality += entry.weight;
                }
            }
        }
        let mut best: HashMap<usize, Candidate> = HashMap::new();
        for ((product, name), score) in scores {
            let product = product as usize;
            let total = self.name_weights[product][usize::from(name)];
            let coverage = if total > 0.0 {
                (score.quality / total).min(1.0)
            } else {
                0.0
            };
            let candidate = Candidate {
                product,
                score: score.matched * (0.6 + 0.4 * coverage),
                coverage,
                matched: score.matched,
            };
            let entry = best.entry(product).or_insert(candidate);
            if candidate.score > entry.score {
                *entry = candidate;
            }
        }
        let mut ranked: Vec<Candidate> = best.into_values().collect();
        ranked.sort_by(|a, b| {
            b.score
                .total_cmp(&a.score)
                .then(b.coverage.total_cmp(&a.coverage))
                .then(a.product.cmp(&b.product))
        });
        ranked
    }

    /// The variants of `product` whose option values the message's words name; the words used
    /// are marked in `used`.
    pub fn variants_named(
        &self,
        product: usize,
        words: &[(usize, &str, bool)],
        size_word_before: &dyn Fn(usize) -> bool,
        used: &mut Vec<usize>,
    ) -> Vec<usize> {
        let variants = &self.products[product].variants;
        let mut matched: Vec<usize> = Vec::new();
        for (variant_index, variant) in variants.iter().enumerate() {
            let mut names_all = !variant.options.is_empty();
            let mut positions = Vec::new();
            for (_, _, value) in &variant.options {
                let position = words.iter().find(|(position, word, capital)| {
                    option_value_matches(value, word, *capital || size_word_before(*position))
                });
                match position {
                    Some((position, _, _)) => positions.push(*position),
                    None => names_all = false,
                }
            }
            if names_all {
                matched.push(variant_index);
                used.extend(positions);
            }
        }
        matched
    }
}

/// Whether a message word names option `value` (folded): the value itself, or a word meaning
/// the same size or colour in another language. A one-letter size (`L`) counts only when
/// written in capitals or after "size", since `l` and `s` are also bits of words.
pub(crate) fn option_value_matches(value: &str, word: &str, sized: bool) -> bool {
    if value == word {
        return word.chars().count() > 1 || sized;
    }
    OPTION_SYNONYMS.iter().any(|group| {
        group.contains(&value) && group.contains(&word) && (word.chars().count() > 1 || sized)
    }) || (word.chars().count() >= 5 && strsim::damerau_levenshtein(value, word) == 1)
}

/// A key under which words that sound alike meet: their consonants, spelt one way. Loanwords
/// keep their consonants but not their spelling or vowels (Swahili `jaketi`, `glavu`, `brashi`;
/// English `jacket`, `gloves`, `brush`).
fn sound_key(word: &str) -> String {
    let mut key = String::with_capacity(word.len());
    let mut previous = None;
    for c in word
        .replace("ck", "k")
        .replace("ph", "f")
        .replace("qu", "k")
        .chars()
    {
        let c = match c {
            'c' | 'q' => 'k',
            'y' => 'i',
            'w' => 'u',
            'z' => 's',
            other => other,
        };
        if previous != Some(c) {
            key.push(c);
        }
        previous = Some(c);
    }
    // Plurals gain an `s`.
    if key.len() > 3 && key.ends_with('s') {
        key.pop();
    }
    key.retain(|c| !matches!(c, 'a' | 'e' | 'i' | 'o' | 'u'));
    key
}
