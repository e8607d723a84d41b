//! The words of a search text, folded as the indexes fold them, and their typo corrections
//! from the index's vocabulary.

use crate::db::Conn;
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;
use uuid::Uuid;

use super::engine::Engine;
use crate::catalog::Conditions;

/// Most words of a search text that take part (the rest are ignored).
pub(super) const MAX_WORDS: usize = 8;
/// Most typo corrections tried per word, the closest first.
const MAX_CORRECTIONS: usize = 4;

/// A word of the search text and the indexed words it may be a typo of.
#[derive(Debug)]
pub(super) struct Word {
    pub text: String,
    pub corrections: Vec<String>,
}

/// Lower case without diacritics, as the indexes fold text (`Crème` is `creme`).
fn fold(text: &str) -> String {
    text.nfd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

/// The folded words of `text`, as the indexes' tokenizers cut them (at anything but letters
/// and digits).
pub(super) fn folded_words(text: &str) -> Vec<String> {
    fold(text)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(str::to_owned)
        .collect()
}

/// How many typos a word of this length forgives: none in short words, where one edit makes
/// another common word, one up to 7 letters, two beyond.
fn typos_allowed(word: &str) -> usize {
    match word.chars().count() {
        0..=3 => 0,
        4..=7 => 1,
        _ => 2,
    }
}

/// The words of the search text with their typo corrections from the index's vocabulary.
pub(super) async fn corrected(
    conn: &mut Conn,
    engine: Engine,
    store_id: Uuid,
    texts: Vec<String>,
) -> Result<Vec<Word>, sqlx::Error> {
    let mut words = Vec::with_capacity(texts.len());
    for text in texts {
        let allowed = typos_allowed(&text);
        let mut corrections = Vec::new();
        if allowed > 0 {
            let mut conditions = Conditions::default();
            let sql = engine.candidates_sql(store_id, &text, allowed, &mut conditions);
            let mut scored: Vec<(usize, String)> = Vec::new();
            for row in conditions.fetch_all(conn, &sql).await? {
                let candidate: String = row.try_get("word")?;
                // A word the prefix already matches needs no correction.
                if candidate.starts_with(&text) {
                    continue;
                }
                let distance = strsim::damerau_levenshtein(&text, &candidate);
                if distance <= allowed {
                    scored.push((distance, candidate));
                }
            }
            scored.sort();
            corrections = scored
                .into_iter()
                .take(MAX_CORRECTIONS)
                .map(|(_, candidate)| candidate)
                .collect();
        }
        words.push(Word { text, corrections });
    }
    Ok(words)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_folded_as_the_indexes_fold_them() {
        assert_eq!(
            folded_words("Crème  Brûlée-Candle!"),
            ["creme", "brulee", "candle"]
        );
        assert_eq!(folded_words("ÉTÉ 2025"), ["ete", "2025"]);
        assert!(folded_words("?!").is_empty());
    }

    #[test]
    fn longer_words_forgive_more_typos() {
        assert_eq!(typos_allowed("hon"), 0);
        assert_eq!(typos_allowed("hony"), 1);
        assert_eq!(typos_allowed("wildflwer"), 2);
    }
}
