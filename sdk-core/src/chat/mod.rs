//! The chat interpreter: what a buyer's message asks of their cart, in English, Spanish,
//! French, Portuguese or Swahili, matched against the store's catalog. Pure Rust with no
//! network, so the server, the browser (wasm) and the apps (uniffi) all interpret alike.
//!
//! A message is read in four steps:
//! 1. its words, folded ([`text`]);
//! 2. its language: the locale given, else the language whose words it uses most
//!    ([`lexicon`]), with whatlang's trigram model to settle longer messages;
//! 3. its intent, from the phrases of that language (then of the others);
//! 4. its items: each part of the message (split at commas and "and") is matched against the
//!    catalog's names ([`matching`]) for a product, a variant and a quantity.
//!
//! A reference that fits several products, or a product whose variant is not named, gives a
//! clarifying question; the buyer's next message, interpreted with this one as `previous`,
//! answers it.

mod lexicon;
mod matching;
mod text;

use std::fmt;

use uuid::Uuid;

use self::lexicon::{Cue, Language};
use self::matching::{Candidate, CatalogIndex, Stemmers};
use self::text::Token;
use crate::contract::{
    ChatCatalog, ChatChoice, ChatIntent, ChatInterpretRequest, ChatItem, ChatQuestion,
    ChatQuestionKind, Interpretation, MAX_CHAT_TEXT_CHARS,
};

/// Confidence under which an interpretation counts as not understood (for hand-over to staff).
pub const LOW_CONFIDENCE: f64 = 0.5;
/// Most choices a clarifying question offers.
const MAX_CHOICES: usize = 5;
/// Candidates scoring within this share of the best one are as likely as it.
const TIE: f64 = 0.9;
/// Coverage of a name matched in full.
const FULL_NAME: f64 = 0.99;
/// Least share of a product's name a reference must cover.
const MIN_COVERAGE: f64 = 0.3;
/// Words that join items: "2 honey and a candle".
const CONJUNCTIONS: &[&str] = &["and", "y", "e", "et", "na", "plus", "also"];

/// A store's catalog, indexed for interpreting messages. Build it once per catalog and
/// interpret any number of messages with it.
pub struct Interpreter {
    index: CatalogIndex,
    stemmers: Stemmers,
    language: Language,
    detector: whatlang::Detector,
    /// For each message language ([`Language`] as index), every cue phrase in the order they
    /// are tried: the message's language first, longer phrases first. `true` marks the
    /// message language's own phrases.
    phrases: [Vec<(bool, Cue, &'static str)>; 5],
}

/// The cue phrases in the order a message in `language` tries them.
fn phrase_order(language: Language) -> Vec<(bool, Cue, &'static str)> {
    let mut phrases: Vec<(bool, Cue, &'static str)> = Vec::new();
    for other in std::iter::once(language)
        .chain(Language::ALL.into_iter().filter(|other| *other != language))
    {
        for (cue, list) in other.words().cues {
            for phrase in *list {
                phrases.push((other == language, *cue, phrase));
            }
        }
    }
    phrases.sort_by_key(|(own, _, phrase)| (!own, std::cmp::Reverse(phrase.matches(' ').count())));
    phrases
}

impl fmt::Debug for Interpreter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Interpreter")
            .field("products", &self.index.products.len())
            .field("language", &self.language)
            .finish_non_exhaustive()
    }
}

/// A cue found in a message: what it signals and the words it spans.
#[derive(Debug, Clone, Copy)]
struct Found {
    cue: Cue,
    start: usize,
    len: usize,
}

/// A message as read so far.
struct Reading<'a> {
    tokens: &'a [Token],
    /// The products in the buyer's cart.
    in_cart: &'a [Uuid],
    language: Language,
    cues: Vec<Found>,
    /// Tokens that are part of a cue or a number phrase.
    consumed: Vec<bool>,
    /// Quantities by token position.
    numbers: Vec<Option<u32>>,
}

impl Reading<'_> {
    fn has(&self, cue: Cue) -> bool {
        self.cues.iter().any(|found| found.cue == cue)
    }

    /// Whether the word at `position` follows a cue of kind `cue`.
    fn follows(&self, position: usize, cue: Cue) -> bool {
        self.cues
            .iter()
            .any(|found| found.cue == cue && found.start + found.len == position)
    }
}

/// One item as found in a part of the message.
#[derive(Debug, Clone)]
enum Reference {
    /// A product (and maybe its variant).
    Item {
        product: usize,
        variant: Option<Uuid>,
        quantity: Option<u32>,
        coverage: f64,
    },
    /// Several products fit equally.
    Ambiguous {
        products: Vec<usize>,
        quantity: Option<u32>,
    },
}

impl Reference {
    /// Whether it names most of a product's name: enough to act on with no verb.
    fn is_clear(&self) -> bool {
        match self {
            Self::Item { coverage, .. } => *coverage >= 0.5,
            Self::Ambiguous { .. } => false,
        }
    }
}

impl Interpreter {
    /// Indexes `catalog`.
    pub fn new(catalog: &ChatCatalog) -> Self {
        let stemmers = Stemmers::new();
        let index = CatalogIndex::new(catalog, &stemmers);
        Self {
            index,
            stemmers,
            language: Language::of_locale(&catalog.language).unwrap_or(Language::En),
            phrases: Language::ALL.map(phrase_order),
            detector: whatlang::Detector::with_allowlist(vec![
                whatlang::Lang::Eng,
                whatlang::Lang::Spa,
                whatlang::Lang::Fra,
                whatlang::Lang::Por,
            ]),
        }
    }

    /// What `request.text` asks for; `request.previous` is the interpretation of the buyer's
    /// last message, whose question this one may answer.
    pub fn interpret(&self, request: &ChatInterpretRequest) -> Interpretation {
        let text: String = request.text.chars().take(MAX_CHAT_TEXT_CHARS).collect();
        let tokens = text::tokens(&text);
        let hinted = request.locale.as_deref().and_then(Language::of_locale);
        let previous = request.previous.as_ref();
        let language = hinted.unwrap_or_else(|| {
            self.detect(&text, &tokens)
                .or_else(|| previous.and_then(|previous| Language::of_locale(&previous.language)))
                .unwrap_or(self.language)
        });
        let reading = self.read(&tokens, language, &request.in_cart);
        if let Some(answer) = previous
            .and_then(|previous| Some((previous, previous.question.as_ref()?)))
            .and_then(|(previous, question)| self.answer(&reading, previous, question))
            .or_else(|| self.refine(&reading, previous?))
        {
            return answer;
        }
        self.understand(&reading, previous)
    }

    /// The products whose names best match the words of `text` (a search), best first, at
    /// most `limit`.
    pub fn find(&self, text: &str, limit: usize) -> Vec<Uuid> {
        let tokens = text::tokens(text);
        let language = self.detect(text, &tokens).unwrap_or(self.language);
        let reading = self.read(&tokens, language, &[]);
        let words: Vec<&str> = self
            .content_words(&reading, 0..tokens.len())
            .into_iter()
            .map(|(_, word, _)| word)
            .collect();
        let unique = self.index.unique_weight();
        self.index
            .candidates(&words, &self.stemmers)
            .into_iter()
            .filter(|candidate| {
                candidate.coverage >= MIN_COVERAGE || candidate.matched >= 0.7 * unique
            })
            .take(limit)
            .map(|candidate| self.index.products[candidate.product].id)
            .collect()
    }

    /// The language whose words the message uses most; `None` when it uses none of them.
    fn detect(&self, text: &str, tokens: &[Token]) -> Option<Language> {
        let mut scores = [0.0_f64; 5];
        for (slot, language) in Language::ALL.into_iter().enumerate() {
            let words = language.words();
            for (position, token) in tokens.iter().enumerate() {
                let word = token.text.as_str();
                let mut score: f64 = 0.0;
                for (_, phrases) in words.cues {
                    for phrase in *phrases {
                        if phrase_at(tokens, position, phrase) {
                            score = score.max(1.0 + 0.5 * phrase.matches(' ').count() as f64);
                        }
                    }
                }
                if words.numbers.iter().any(|(number, _)| *number == word)
                    || words.filler.contains(&word)
                    || words.ordinals.iter().any(|(ordinal, _)| *ordinal == word)
                {
                    score = score.max(0.6);
                }
                scores[slot] += score;
            }
        }
        let words = tokens.iter().filter(|token| token.digits.is_none()).count();
        if words >= 3 {
            if let Some(info) = self.detector.detect(text) {
                let trigram = match info.lang() {
                    whatlang::Lang::Eng => Some(0),
                    whatlang::Lang::Spa => Some(1),
                    whatlang::Lang::Fra => Some(2),
                    whatlang::Lang::Por => Some(3),
                    _ => None,
                };
                if let Some(slot) = trigram {
                    scores[slot] += info.confidence();
                }
            }
        }
        let (best, score) = scores.iter().enumerate().max_by(|a, b| {
            a.1.total_cmp(b.1)
                // On a tie the store's own language wins, then the earlier one.
                .then_with(|| {
                    let store = Language::ALL.iter().position(|l| *l == self.language);
                    (Some(a.0) == store).cmp(&(Some(b.0) == store))
                })
                .then(b.0.cmp(&a.0))
        })?;
        (*score > 0.0).then(|| Language::ALL[best])
    }

    /// Finds the message's cues and numbers.
    fn read<'a>(
        &self,
        tokens: &'a [Token],
        language: Language,
        in_cart: &'a [Uuid],
    ) -> Reading<'a> {
        let mut reading = Reading {
            tokens,
            in_cart,
            language,
            cues: Vec::new(),
            consumed: vec![false; tokens.len()],
            numbers: vec![None; tokens.len()],
        };
        // Numbers first: "kumi na mbili" is one number, not two items.
        let words = language.words();
        for (position, token) in tokens.iter().enumerate() {
            reading.numbers[position] = token.digits.or_else(|| {
                words
                    .numbers
                    .iter()
                    .find(|(word, _)| *word == token.text)
                    .map(|(_, value)| *value)
            });
        }
        if language == Language::Sw {
            for position in 0..tokens.len().saturating_sub(2) {
                if tokens[position].text == "kumi" && tokens[position + 1].text == "na" {
                    if let Some(units) = reading.numbers[position + 2].filter(|units| *units < 10) {
                        reading.numbers[position] = Some(10 + units);
                        reading.numbers[position + 2] = None;
                        reading.consumed[position + 1] = true;
                        reading.consumed[position + 2] = true;
                    }
                }
            }
        }
        // Whether each word may be a misspelt cue: worked out once, not for every phrase.
        let typo_candidates: Vec<bool> = tokens
            .iter()
            .map(|token| self.may_be_typo(&token.text, language))
            .collect();
        for &(own, cue, phrase) in &self.phrases[language as usize] {
            let len = phrase.matches(' ').count() + 1;
            if !own
                && (len == 1 && phrase.chars().count() < 4 || self.is_own_word(phrase, language))
            {
                continue;
            }
            for start in 0..tokens.len() {
                if start + len > tokens.len()
                    || reading.consumed[start..start + len].iter().any(|c| *c)
                {
                    continue;
                }
                // Typos are forgiven in words of five letters or more (six in another
                // language's phrase), never in a word that means something else here.
                let shortest_typo = if own { 5 } else { 6 };
                let forgiving = !matches!(cue, Cue::Size | Cue::To | Cue::InsteadOf | Cue::All);
                let matches = phrase_at(tokens, start, phrase)
                    || (forgiving
                        && phrase.split(' ').enumerate().all(|(offset, word)| {
                            let token = &tokens[start + offset].text;
                            token == word
                                || (word.chars().count() >= shortest_typo
                                    && typo_candidates[start + offset]
                                    && token.len().abs_diff(word.len()) <= 2
                                    && strsim::damerau_levenshtein(token, word) == 1)
                        }));
                if matches {
                    reading.cues.push(Found { cue, start, len });
                    for slot in &mut reading.consumed[start..start + len] {
                        *slot = true;
                    }
                }
            }
        }
        reading
    }

    /// Whether `word` is a number or a filler of `language`: another language's cue spelled
    /// alike ("una", "a") is this language's word.
    fn is_own_word(&self, phrase: &str, language: Language) -> bool {
        let words = language.words();
        words.filler.contains(&phrase) || words.numbers.iter().any(|(word, _)| *word == phrase)
    }

    /// Whether `word` may be a misspelt cue: long enough, and not a word of the language, a
    /// product name, or a size or colour.
    fn may_be_typo(&self, word: &str, language: Language) -> bool {
        word.chars().count() >= 5
            && !self.is_own_word(word, language)
            && !self.index.knows(word, &self.stemmers)
            && !lexicon::OPTION_SYNONYMS
                .iter()
                .any(|group| group.contains(&word))
    }

    /// The message on its own (or continuing the previous one's item).
    fn understand(
        &self,
        reading: &Reading<'_>,
        previous: Option<&Interpretation>,
    ) -> Interpretation {
        let references = self.references(reading);
        let found_product = !references.is_empty();
        let has = |cue| reading.has(cue);
        // The most specific request wins: a change ("pon la cantidad en cuatro"), then taking
        // out ("take the smoker out"), then the many ways of wanting something.
        let action = [Cue::Update, Cue::Remove, Cue::Add]
            .into_iter()
            .find(|cue| has(*cue));
        // "4 instead of 2": a number after "instead of" is the old quantity of a change.
        let replaces_number = reading.cues.iter().any(|found| {
            found.cue == Cue::InsteadOf
                && reading
                    .numbers
                    .get(found.start + found.len)
                    .is_some_and(Option::is_some)
        });
        let action = if replaces_number && found_product {
            Some(Cue::Update)
        } else {
            action
        };
        let (intent, cue_strength) = if has(Cue::Human) {
            (ChatIntent::Help, 0.95)
        } else if has(Cue::Clear) && !found_product {
            (ChatIntent::ClearCart, 0.95)
        } else if has(Cue::Remove) && !found_product && (has(Cue::All) || has(Cue::Cart)) {
            (ChatIntent::ClearCart, 0.9)
        } else if has(Cue::Checkout) && (action.is_none() || !found_product) {
            (ChatIntent::Checkout, 0.95)
        } else if (has(Cue::View) || has(Cue::Search)) && has(Cue::Cart) && !found_product {
            (ChatIntent::ViewCart, 0.95)
        } else if has(Cue::Help) && !found_product {
            (ChatIntent::Help, 0.9)
        } else if has(Cue::Search) && action != Some(Cue::Remove) && action != Some(Cue::Update) {
            (ChatIntent::Search, 0.9)
        } else if let Some(cue) = action {
            let intent = match cue {
                Cue::Remove => ChatIntent::RemoveFromCart,
                Cue::Update => ChatIntent::UpdateCart,
                _ => ChatIntent::AddToCart,
            };
            (intent, 0.9)
        } else if has(Cue::Clear) {
            (ChatIntent::RemoveFromCart, 0.7)
        } else if has(Cue::View) && found_product {
            (ChatIntent::Search, 0.75)
        } else if has(Cue::View) || has(Cue::Cart) {
            (ChatIntent::ViewCart, 0.85)
        } else if has(Cue::Help) {
            (ChatIntent::Help, 0.9)
        } else if references.iter().any(|reference| reference.is_clear()) {
            // "2 wildflower honey": a product named alone is wanted.
            (ChatIntent::AddToCart, 0.6)
        } else {
            (ChatIntent::Unknown, 0.1)
        };
        let mut interpretation = Interpretation {
            intent,
            items: Vec::new(),
            confidence: cue_strength,
            language: reading.language.code().to_owned(),
            question: None,
            query: None,
            human_requested: has(Cue::Human),
        };
        match intent {
            ChatIntent::AddToCart | ChatIntent::RemoveFromCart | ChatIntent::UpdateCart => {
                self.fill_items(&mut interpretation, reading, references, previous);
            }
            ChatIntent::Search => {
                let words: Vec<&str> = self
                    .content_words(reading, 0..reading.tokens.len())
                    .into_iter()
                    .map(|(_, word, _)| word)
                    .collect();
                interpretation.query = (!words.is_empty()).then(|| words.join(" "));
            }
            _ => {}
        }
        interpretation
    }

    /// Turns the message's references into items, or a question about the first that needs
    /// one.
    fn fill_items(
        &self,
        interpretation: &mut Interpretation,
        reading: &Reading<'_>,
        references: Vec<Reference>,
        previous: Option<&Interpretation>,
    ) {
        let intent = interpretation.intent;
        let mut coverage_sum = 0.0;
        if references.is_empty() {
            // "make it 3", "2 more": the item of the previous message, when the message names
            // nothing else.
            let quantity = self.quantity_in(reading, 0..reading.tokens.len(), &|_| false, intent);
            let names_nothing = self
                .content_words(reading, 0..reading.tokens.len())
                .is_empty();
            if let Some(item) = previous
                .filter(|_| names_nothing)
                .and_then(|previous| previous.items.last())
            {
                interpretation.items.push(ChatItem {
                    product_id: item.product_id,
                    variant_id: item.variant_id,
                    quantity: quantity.or(default_quantity(intent)),
                });
                interpretation.confidence *= 0.8;
            } else {
                interpretation.confidence = 0.3;
            }
            return;
        }
        for reference in references {
            match reference {
                Reference::Item {
                    product,
                    variant,
                    quantity,
                    coverage,
                } => {
                    let entry = &self.index.products[product];
                    if variant.is_none()
                        && entry.variants.len() > 1
                        && intent == ChatIntent::AddToCart
                        && interpretation.question.is_none()
                    {
                        interpretation.question = Some(self.which_variant(
                            product,
                            quantity.or(default_quantity(intent)),
                            reading.language,
                        ));
                    }
                    coverage_sum += coverage;
                    interpretation.items.push(ChatItem {
                        product_id: entry.id,
                        variant_id: variant,
                        quantity: quantity.or(default_quantity(intent)),
                    });
                }
                Reference::Ambiguous { products, quantity } => {
                    if interpretation.question.is_none() {
                        interpretation.question = Some(self.which_product(
                            &products,
                            quantity.or(default_quantity(intent)),
                            reading.language,
                        ));
                    }
                }
            }
        }
        let found = interpretation.items.len() + usize::from(interpretation.question.is_some());
        let mean = if interpretation.items.is_empty() {
            0.6
        } else {
            coverage_sum / interpretation.items.len() as f64
        };
        interpretation.confidence *= 0.6 + 0.4 * mean;
        if found == 0 {
            interpretation.confidence = 0.3;
        }
    }

    /// Words of `range` that may name a product: not cues, numbers or filler.
    fn content_words<'t>(
        &self,
        reading: &'t Reading<'_>,
        range: std::ops::Range<usize>,
    ) -> Vec<(usize, &'t str, bool)> {
        let filler = reading.language.words().filler;
        range
            .filter(|&position| {
                let token = &reading.tokens[position];
                !reading.consumed[position]
                    && reading.numbers[position].is_none()
                    && !filler.contains(&token.text.as_str())
                    && !CONJUNCTIONS.contains(&token.text.as_str())
            })
            .map(|position| {
                let token = &reading.tokens[position];
                (position, token.text.as_str(), token.capital)
            })
            .collect()
    }

    /// Words of `range` that may name a variant's option: any but cues, including numbers
    /// (`42`).
    fn option_words<'t>(
        &self,
        reading: &'t Reading<'_>,
        range: std::ops::Range<usize>,
    ) -> Vec<(usize, &'t str, bool)> {
        range
            .filter(|&position| !reading.consumed[position])
            .map(|position| {
                let token = &reading.tokens[position];
                (position, token.text.as_str(), token.capital)
            })
            .collect()
    }

    /// Whether the number at `position` is part of `product`'s name: `500` of "500 g", `par`
    /// of "Par de velas".
    fn names_product(&self, reading: &Reading<'_>, position: usize, product: usize) -> bool {
        let token = &reading.tokens[position];
        match token.digits {
            Some(value) => self.index.products[product].numbers.contains(&value),
            None => self.index.product_has_word(product, &token.text),
        }
    }

    /// The parts of the message, split at commas and "and".
    fn parts(&self, reading: &Reading<'_>) -> Vec<std::ops::Range<usize>> {
        let mut parts = Vec::new();
        let mut start = 0;
        for (position, token) in reading.tokens.iter().enumerate() {
            let joins = !reading.consumed[position] && CONJUNCTIONS.contains(&token.text.as_str());
            if token.after_separator || joins {
                if position > start {
                    parts.push(start..position);
                }
                start = if joins { position + 1 } else { position };
            }
        }
        if start < reading.tokens.len() {
            parts.push(start..reading.tokens.len());
        }
        parts
    }

    /// The products each part of the message refers to.
    fn references(&self, reading: &Reading<'_>) -> Vec<Reference> {
        // Only a change reads "to 3" as the quantity; every other intent takes the first.
        let intent = if reading.has(Cue::Update) {
            ChatIntent::UpdateCart
        } else {
            ChatIntent::AddToCart
        };
        let mut references = Vec::new();
        let mut unclaimed_quantity = None;
        for part in self.parts(reading) {
            let words = self.content_words(reading, part.clone());
            if words.is_empty() {
                // "2 and …" before the product, or a lone number: keep it for the next part.
                unclaimed_quantity = self
                    .quantity_in(reading, part, &|_| false, intent)
                    .or(unclaimed_quantity);
                continue;
            }
            let plain: Vec<&str> = words.iter().map(|(_, word, _)| *word).collect();
            let variant_words = self.option_words(reading, part.clone());
            let size_word_before =
                |position: usize| position > 0 && reading.follows(position, Cue::Size);
            let mut ranked = self.index.candidates(&plain, &self.stemmers);
            // A word naming one of a product's variants ("gloves large") counts for it as a
            // rare name word would.
            let bonus = 0.5 * self.index.unique_weight();
            let names_a_variant = |product: usize| {
                let mut used = Vec::new();
                self.index.products[product].variants.len() > 1
                    && !self
                        .index
                        .variants_named(product, &variant_words, &size_word_before, &mut used)
                        .is_empty()
            };
            for candidate in &mut ranked {
                if names_a_variant(candidate.product) {
                    candidate.score += bonus;
                }
            }
            ranked.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.product.cmp(&b.product)));
            let Some(best) = ranked.first().copied() else {
                continue;
            };
            // A weak reference still counts when it names something in the cart ("remove
            // the honey").
            let names_cart_item = (reading.has(Cue::Remove) || reading.has(Cue::Update))
                && ranked.iter().any(|candidate| {
                    candidate.matched >= best.matched * TIE
                        && reading
                            .in_cart
                            .contains(&self.index.products[candidate.product].id)
                });
            // A word many names share ("honey") names none of them well, but is a real
            // reference: which one is asked.
            let shared_word = ranked.len() > 1
                && ranked[1].matched >= best.matched * TIE
                && plain
                    .iter()
                    .any(|word| self.index.knows(word, &self.stemmers));
            if best.coverage < MIN_COVERAGE
                && best.matched < 0.7 * self.index.unique_weight()
                && !names_cart_item
                && !shared_word
            {
                continue;
            }
            // Products matching the same words are as likely, however long their names, unless
            // the best is named in full ("hive tool", not "hive tool kit").
            let ties: Vec<Candidate> = ranked
                .iter()
                .copied()
                .filter(|candidate| {
                    candidate.score >= best.score * TIE
                        || (candidate.matched >= best.matched * TIE
                            && best.coverage < FULL_NAME
                            && candidate.coverage < FULL_NAME)
                })
                .collect();
            // A variant named in the message settles a tie between products ("L" only fits
            // the jacket).
            let mut chosen = None;
            if ties.len() > 1 {
                let with_variant: Vec<Candidate> = ties
                    .iter()
                    .copied()
                    .filter(|candidate| names_a_variant(candidate.product))
                    .collect();
                // Taking out or changing "the honey" means the honey in the cart.
                let in_cart: Vec<Candidate> = ties
                    .iter()
                    .copied()
                    .filter(|candidate| {
                        reading
                            .in_cart
                            .contains(&self.index.products[candidate.product].id)
                    })
                    .collect();
                if with_variant.len() == 1 {
                    chosen = Some(with_variant[0]);
                } else if in_cart.len() == 1
                    && (reading.has(Cue::Remove) || reading.has(Cue::Update))
                {
                    chosen = Some(in_cart[0]);
                }
            } else {
                chosen = Some(best);
            }
            let mut used = Vec::new();
            let Some(candidate) = chosen else {
                let quantity = self.quantity_in(reading, part, &|_| false, intent);
                // Taking out one of several: the choices are those in the cart.
                let changing = reading.has(Cue::Remove) || reading.has(Cue::Update);
                let in_cart: Vec<&Candidate> = ties
                    .iter()
                    .filter(|c| reading.in_cart.contains(&self.index.products[c.product].id))
                    .collect();
                let offered: Vec<&Candidate> = if changing && in_cart.len() > 1 {
                    in_cart
                } else {
                    ties.iter().collect()
                };
                references.push(Reference::Ambiguous {
                    products: offered
                        .iter()
                        .take(MAX_CHOICES)
                        .map(|c| c.product)
                        .collect(),
                    quantity: quantity.or(unclaimed_quantity.take()),
                });
                continue;
            };
            let product = &self.index.products[candidate.product];
            let variant = if product.variants.len() == 1 {
                product.variants.first().map(|variant| variant.id)
            } else {
                let named = self.index.variants_named(
                    candidate.product,
                    &variant_words,
                    &size_word_before,
                    &mut used,
                );
                match named.as_slice() {
                    [only] => Some(product.variants[*only].id),
                    _ => None,
                }
            };
            // A number before the product's words is a quantity even when the name has it
            // ("add 3 beeswax wraps" for "Beeswax Food Wraps (3)").
            let first_word = words.first().map_or(0, |(position, _, _)| *position);
            let skip = |position: usize| {
                let spelt = reading.tokens[position].digits.is_none();
                ((spelt || position > first_word)
                    && self.names_product(reading, position, candidate.product))
                    || used.contains(&position)
            };
            let quantity = self
                .quantity_in(reading, part, &skip, intent)
                .or(unclaimed_quantity.take());
            references.push(Reference::Item {
                product: candidate.product,
                variant,
                quantity,
                coverage: candidate.coverage,
            });
        }
        // "…, j'en veux 6": a number after the last product is its quantity.
        if let (Some(number), Some(Reference::Item { quantity, .. })) =
            (unclaimed_quantity, references.last_mut())
        {
            if quantity.is_none() {
                *quantity = Some(number);
            }
        }
        references
    }

    /// The quantity given in `range`: a number not part of a name (`500 g`) or a variant
    /// (`42`); for a change, the one after "to" rather than after "instead of".
    fn quantity_in(
        &self,
        reading: &Reading<'_>,
        range: std::ops::Range<usize>,
        skip: &dyn Fn(usize) -> bool,
        intent: ChatIntent,
    ) -> Option<u32> {
        let mut candidates: Vec<(usize, u32)> = Vec::new();
        for position in range {
            let Some(value) = reading.numbers[position] else {
                continue;
            };
            let before_unit = reading.tokens.get(position + 1).is_some_and(|next| {
                lexicon::UNITS.contains(&next.text.as_str())
                    && reading.tokens[position].digits.is_some()
            });
            if before_unit || value == 0 {
                continue;
            }
            if skip(position) {
                continue;
            }
            if reading.follows(position, Cue::InsteadOf) {
                continue;
            }
            candidates.push((position, value));
        }
        if intent == ChatIntent::UpdateCart {
            if let Some((_, value)) = candidates
                .iter()
                .find(|(position, _)| reading.follows(*position, Cue::To))
            {
                return Some(*value);
            }
        }
        candidates.first().map(|(_, value)| *value)
    }

    fn which_product(
        &self,
        products: &[usize],
        quantity: Option<u32>,
        language: Language,
    ) -> ChatQuestion {
        let choices: Vec<ChatChoice> = products
            .iter()
            .map(|product| {
                let entry = &self.index.products[*product];
                ChatChoice {
                    product_id: entry.id,
                    variant_id: None,
                    label: entry.name_in(language).to_owned(),
                }
            })
            .collect();
        question(
            ChatQuestionKind::WhichProduct,
            None,
            choices,
            quantity,
            language.words().which_product.to_owned(),
        )
    }

    fn which_variant(
        &self,
        product: usize,
        quantity: Option<u32>,
        language: Language,
    ) -> ChatQuestion {
        let entry = &self.index.products[product];
        let option_name = entry.option_name(&self.index.option_names[product], language);
        let choices = entry
            .variants
            .iter()
            .map(|variant| ChatChoice {
                product_id: entry.id,
                variant_id: Some(variant.id),
                label: variant
                    .options
                    .iter()
                    .map(|(_, value, _)| value.as_str())
                    .collect::<Vec<_>>()
                    .join(" / "),
            })
            .collect();
        let asked = language
            .words()
            .which_option
            .replace("{option}", &option_name.to_lowercase());
        question(
            ChatQuestionKind::WhichVariant,
            Some(option_name),
            choices,
            quantity,
            format!("{} — {}", entry.name_in(language), asked),
        )
    }

    /// The answer to `previous`'s question, when this message gives one.
    fn answer(
        &self,
        reading: &Reading<'_>,
        previous: &Interpretation,
        question: &ChatQuestion,
    ) -> Option<Interpretation> {
        // A new request ("remove the gloves") is not an answer.
        let asks_anew = [
            Cue::Remove,
            Cue::Update,
            Cue::Clear,
            Cue::Checkout,
            Cue::Human,
            Cue::Search,
        ]
        .into_iter()
        .any(|cue| reading.has(cue))
            || (reading.has(Cue::View) && reading.has(Cue::Cart));
        if asks_anew {
            return None;
        }
        let words = self.content_words(reading, 0..reading.tokens.len());
        let option_words = self.option_words(reading, 0..reading.tokens.len());
        let ordinal = self.ordinal(reading, question.choices.len());
        let language = reading.language;
        let quantity_given = |skip: &dyn Fn(usize) -> bool| {
            self.quantity_in(reading, 0..reading.tokens.len(), skip, previous.intent)
        };
        let (choice, quantity) = match question.kind {
            ChatQuestionKind::WhichVariant => {
                let product = self.product_index(question.choices.first()?.product_id)?;
                let mut used = Vec::new();
                let named = self
                    .index
                    .variants_named(product, &option_words, &|_| true, &mut used);
                let variant = match named.as_slice() {
                    [only] => Some(self.index.products[product].variants[*only].id),
                    _ => None,
                };
                let choice = variant
                    .and_then(|id| question.choices.iter().find(|c| c.variant_id == Some(id)))
                    .or_else(|| ordinal.and_then(|index| question.choices.get(index)))?;
                let quantity = if ordinal.is_some() && variant.is_none() {
                    question.quantity
                } else {
                    quantity_given(&|position| used.contains(&position)).or(question.quantity)
                };
                (choice.clone(), quantity)
            }
            ChatQuestionKind::WhichProduct => {
                let offered: Vec<usize> = question
                    .choices
                    .iter()
                    .filter_map(|choice| self.product_index(choice.product_id))
                    .collect();
                let plain: Vec<&str> = words.iter().map(|(_, word, _)| *word).collect();
                let ranked: Vec<Candidate> = self
                    .index
                    .candidates(&plain, &self.stemmers)
                    .into_iter()
                    .filter(|candidate| offered.contains(&candidate.product))
                    .collect();
                let named = match ranked.as_slice() {
                    [only, ..] if ranked.len() == 1 || ranked[1].score < only.score * TIE => {
                        Some(only.product)
                    }
                    _ => None,
                };
                let product =
                    named.or_else(|| ordinal.and_then(|index| offered.get(index).copied()))?;
                let entry = &self.index.products[product];
                let quantity = if named.is_none() {
                    question.quantity
                } else {
                    quantity_given(&|position| self.names_product(reading, position, product))
                        .or(question.quantity)
                };
                if entry.variants.len() > 1 && previous.intent == ChatIntent::AddToCart {
                    let mut used = Vec::new();
                    let variants =
                        self.index
                            .variants_named(product, &option_words, &|_| true, &mut used);
                    if let [only] = variants.as_slice() {
                        let choice = ChatChoice {
                            product_id: entry.id,
                            variant_id: Some(entry.variants[*only].id),
                            label: String::new(),
                        };
                        (choice, quantity)
                    } else {
                        return Some(Interpretation {
                            intent: previous.intent,
                            items: Vec::new(),
                            confidence: 0.8,
                            language: language.code().to_owned(),
                            question: Some(self.which_variant(product, quantity, language)),
                            query: None,
                            human_requested: false,
                        });
                    }
                } else {
                    let variant = (entry.variants.len() == 1)
                        .then(|| entry.variants.first().map(|variant| variant.id))
                        .flatten();
                    let choice = ChatChoice {
                        product_id: entry.id,
                        variant_id: variant,
                        label: String::new(),
                    };
                    (choice, quantity)
                }
            }
        };
        Some(Interpretation {
            intent: previous.intent,
            items: vec![ChatItem {
                product_id: choice.product_id,
                variant_id: choice.variant_id,
                quantity: quantity.or(default_quantity(previous.intent)),
            }],
            confidence: 0.85,
            language: language.code().to_owned(),
            question: None,
            query: None,
            human_requested: false,
        })
    }

    /// The previous message's item with the variant this one names: "the S ones" after
    /// "remove the gloves".
    fn refine(&self, reading: &Reading<'_>, previous: &Interpretation) -> Option<Interpretation> {
        let acts = [
            Cue::Add,
            Cue::Remove,
            Cue::Update,
            Cue::Clear,
            Cue::Checkout,
            Cue::View,
            Cue::Search,
            Cue::Human,
            Cue::Help,
        ]
        .into_iter()
        .any(|cue| reading.has(cue));
        if acts || !previous.intent.names_items() {
            return None;
        }
        let item = previous
            .items
            .iter()
            .find(|item| item.variant_id.is_none())?;
        let product = self.product_index(item.product_id)?;
        let words = self.option_words(reading, 0..reading.tokens.len());
        let mut used = Vec::new();
        let named = self
            .index
            .variants_named(product, &words, &|_| true, &mut used);
        let [only] = named.as_slice() else {
            return None;
        };
        Some(Interpretation {
            intent: previous.intent,
            items: vec![ChatItem {
                product_id: item.product_id,
                variant_id: Some(self.index.products[product].variants[*only].id),
                quantity: item.quantity,
            }],
            confidence: 0.8,
            language: reading.language.code().to_owned(),
            question: None,
            query: None,
            human_requested: false,
        })
    }

    /// The choice a message picks by position: "the second", "2", "last".
    fn ordinal(&self, reading: &Reading<'_>, choices: usize) -> Option<usize> {
        for token in reading.tokens {
            for language in std::iter::once(reading.language).chain(Language::ALL) {
                if let Some((_, index)) = language
                    .words()
                    .ordinals
                    .iter()
                    .find(|(word, _)| *word == token.text)
                {
                    return Some(if *index == usize::MAX {
                        choices - 1
                    } else {
                        index - 1
                    })
                    .filter(|index| *index < choices);
                }
            }
        }
        let numbers: Vec<u32> = reading
            .tokens
            .iter()
            .filter_map(|token| token.digits)
            .collect();
        match numbers.as_slice() {
            [only] if (1..=choices).contains(&(*only as usize)) && reading.tokens.len() <= 3 => {
                Some(*only as usize - 1)
            }
            _ => None,
        }
    }

    fn product_index(&self, id: Uuid) -> Option<usize> {
        self.index
            .products
            .iter()
            .position(|product| product.id == id)
    }
}

/// Whether the phrase (words separated by single spaces) starts at `position`.
fn phrase_at(tokens: &[Token], position: usize, phrase: &str) -> bool {
    let mut words = phrase.split(' ');
    let mut at = position;
    loop {
        match words.next() {
            None => return true,
            Some(word) => {
                if tokens.get(at).is_none_or(|token| token.text != word) {
                    return false;
                }
                at += 1;
            }
        }
    }
}

/// The quantity meant when none is given: one to add; the whole line to take out.
fn default_quantity(intent: ChatIntent) -> Option<u32> {
    (intent == ChatIntent::AddToCart).then_some(1)
}

/// A question with its choices numbered after it.
fn question(
    kind: ChatQuestionKind,
    option_name: Option<String>,
    choices: Vec<ChatChoice>,
    quantity: Option<u32>,
    asked: String,
) -> ChatQuestion {
    let mut text = asked;
    for (number, choice) in choices.iter().enumerate() {
        text.push_str(&format!("\n{}. {}", number + 1, choice.label));
    }
    ChatQuestion {
        kind,
        option_name,
        choices,
        quantity,
        text,
    }
}
