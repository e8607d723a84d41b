//! The chat interpreter against the project's labelled set (`tests/data/chat`, conventions in
//! its README.md): buyer messages in five languages for both demo stores, each with the intent
//! and the items (product, variant, quantity) it asks for. The language is not given: detecting
//! it is part of the test. At least 90 % must be interpreted exactly as labelled; the report
//! gives accuracy per language, store, intent and feature, and every message missed.
//! `scripts/bench-chat.sh` prints the same report with the interpreter's latency.
#![cfg(feature = "chat")]
#![allow(clippy::unwrap_used, missing_docs)]

#[path = "common/chat_set.rs"]
mod chat_set;

use chat_set::{LabelledSet, LANGUAGES, STORES};
use colmena_sdk::contract::ChatIntent;

/// The target: intent, product, variant and quantity all right.
const MIN_ACCURACY: f64 = 0.90;

fn labelled_set() -> LabelledSet {
    LabelledSet::load().unwrap_or_else(|problems| panic!("invalid labelled set:\n{problems}"))
}

#[test]
fn the_labelled_set_is_valid_and_keeps_its_coverage() {
    let set = labelled_set();
    let coverage = set.coverage();
    println!("{}", coverage.table());
    assert!(
        coverage.total >= 300,
        "only {} labelled messages",
        coverage.total
    );
    for language in LANGUAGES {
        assert!(
            coverage.language(language) >= 60,
            "only {} messages in {language}",
            coverage.language(language)
        );
    }
    for (store, _) in STORES {
        assert!(
            coverage.store(store) >= 100,
            "only {} messages for store {store}",
            coverage.store(store)
        );
    }
    for intent in ChatIntent::ALL {
        assert!(
            coverage.intent(intent) >= 15,
            "only {} {} messages",
            coverage.intent(intent),
            intent.as_str()
        );
    }
    for (feature, minimum) in [
        ("typo", 40),
        ("emoji", 25),
        ("number_word", 30),
        ("variant", 30),
        ("no_accents", 30),
        ("multi_item", 15),
        ("dialogue", 25),
    ] {
        assert!(
            coverage.feature(feature) >= minimum,
            "only {} messages with {feature} (at least {minimum})",
            coverage.feature(feature)
        );
    }
}

/// Interprets every message of `set`, prints the report and the misses, and fails under
/// [`MIN_ACCURACY`].
fn assert_accurate(set: &LabelledSet, which: &str) {
    let interpreters = set.interpreters();
    let report = chat_set::evaluate(set, |store| &interpreters[store]);
    println!("{}", report.table());
    println!("{}", report.failures());
    assert!(
        report.accuracy() >= MIN_ACCURACY,
        "{which} accuracy {:.1} % is under {:.0} % (report above)",
        100.0 * report.accuracy(),
        100.0 * MIN_ACCURACY
    );
}

#[test]
fn the_interpreter_gets_at_least_90_percent_of_the_labelled_set_exactly_right() {
    assert_accurate(&labelled_set(), "exact-match");
}

#[test]
fn the_interpreter_gets_at_least_90_percent_of_the_held_out_set_exactly_right() {
    let set = LabelledSet::load_messages(chat_set::HELD_OUT)
        .unwrap_or_else(|problems| panic!("invalid held-out set:\n{problems}"));
    assert!(
        set.cases.len() >= 150,
        "only {} held-out messages",
        set.cases.len()
    );
    assert_accurate(&set, "held-out");
}
