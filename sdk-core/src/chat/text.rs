//! Messages and names as the interpreter compares them: lower case, accents folded, French
//! elisions and punctuation gone, digits split from letters (`2x`, `500g`), a few emoji read
//! as the word they stand for, and the commas and line breaks that separate items kept.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// One word of a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Token {
    /// Lower case, accents folded (`taille`, `epices`, `500`).
    pub text: String,
    /// The number it is, written in digits.
    pub digits: Option<u32>,
    /// Written in capitals in the message (`L`, `XL`): a size rather than a word.
    pub capital: bool,
    /// A comma, semicolon, `+` or line break came before it: a new item may start here.
    pub after_separator: bool,
}

/// Emoji buyers send in place of a word.
const EMOJI_WORDS: &[(char, &str)] = &[
    ('🛒', " cart "),
    ('🛍', " cart "),
    ('💳', " pay "),
    ('👋', " hello "),
    ('➕', " add "),
    ('❌', " remove "),
    ('🗑', " clear "),
];

/// `text` lower case with accents removed (`Épices` → `epices`).
pub(crate) fn fold(text: &str) -> String {
    text.nfd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

/// French elisions (`l'`, `d'`, `qu'`) are dropped with their apostrophe; other apostrophes
/// join the word (`what's` → `whats`).
fn drop_apostrophes(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut word_start = 0;
    for (index, &c) in chars.iter().enumerate() {
        if c == '\'' || c == '’' {
            let word: String = chars[word_start..index].iter().collect();
            let lower = word.to_lowercase();
            if matches!(
                lower.as_str(),
                "l" | "d" | "j" | "m" | "n" | "s" | "t" | "c" | "qu"
            ) {
                out.truncate(out.len() - word.len());
            }
            word_start = index + 1;
            continue;
        }
        if !c.is_alphanumeric() {
            word_start = index + 1;
        }
        out.push(c);
    }
    out
}

/// The words of `text`.
pub(crate) fn tokens(text: &str) -> Vec<Token> {
    let mut spaced = String::with_capacity(text.len() + 8);
    for c in drop_apostrophes(text).chars() {
        match EMOJI_WORDS.iter().find(|(emoji, _)| *emoji == c) {
            Some((_, word)) => spaced.push_str(word),
            None if matches!(c, ',' | ';' | '+' | '\n' | '&') => spaced.push_str(" , "),
            None => spaced.push(c),
        }
    }
    let mut out = Vec::new();
    let mut after_separator = false;
    for raw in spaced.split(|c: char| !c.is_alphanumeric() && c != ',') {
        if raw.is_empty() {
            continue;
        }
        if raw == "," {
            after_separator = true;
            continue;
        }
        for part in split_digits(raw) {
            let folded = fold(part);
            let digits = if folded.chars().all(|c| c.is_ascii_digit()) {
                folded.parse().ok()
            } else {
                None
            };
            out.push(Token {
                capital: part.chars().all(|c| c.is_uppercase()),
                text: folded,
                digits,
                after_separator,
            });
            after_separator = false;
        }
    }
    out
}

/// `2x` → `2`, `x`; `500g` → `500`, `g`.
fn split_digits(word: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut start = 0;
    let mut previous_digit = None;
    for (index, c) in word.char_indices() {
        let digit = c.is_ascii_digit();
        if previous_digit.is_some_and(|was| was != digit) {
            parts.push(&word[start..index]);
            start = index;
        }
        previous_digit = Some(digit);
    }
    parts.push(&word[start..]);
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        tokens(text).into_iter().map(|token| token.text).collect()
    }

    #[test]
    fn folds_accents_elisions_digits_and_emoji() {
        assert_eq!(words("Vide l'écran, STP!"), ["vide", "ecran", "stp"]);
        assert_eq!(
            words("what's 2x Miel 500g"),
            ["whats", "2", "x", "miel", "500", "g"]
        );
        assert_eq!(words("🛒?"), ["cart"]);
        let sized = tokens("size L and 2,3");
        assert!(sized[1].capital);
        assert_eq!(sized[4].digits, Some(3));
        assert!(sized[4].after_separator);
    }
}
