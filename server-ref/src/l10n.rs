//! Texts in the reader's language: one Fluent file per language (English first, the fallback)
//! for each kind of text the server writes (email, chat replies), parsed once, and the
//! negotiation of which of them fits a reader.

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource};
use fluent_langneg::{negotiate_languages, LanguageIdentifier, NegotiationStrategy};

/// The language of a locale, lower case: `fr` of `fr-SN`, `pt` of `pt_BR`.
pub(crate) fn language_of(locale: &str) -> String {
    locale
        .split(['-', '_'])
        .next()
        .unwrap_or("en")
        .to_ascii_lowercase()
}

/// One language's Fluent file: its tag and its source.
pub(crate) type Source = (&'static str, &'static str);

struct Language {
    tag: &'static str,
    bundle: FluentBundle<FluentResource>,
}

/// The texts of one kind in every language, English first.
pub(crate) struct Translations {
    languages: Vec<Language>,
}

impl Translations {
    /// Parses `sources`. A syntax error keeps the entries that parsed: [`check_complete`]
    /// refuses any error in the unit tests.
    pub(crate) fn new(sources: &[Source]) -> Self {
        let languages = sources
            .iter()
            .filter_map(|(tag, source)| {
                let locale: unic_langid::LanguageIdentifier = tag.parse().ok()?;
                let resource = FluentResource::try_new((*source).to_owned())
                    .unwrap_or_else(|(partial, _)| partial);
                let mut bundle = FluentBundle::new_concurrent(vec![locale]);
                // No Unicode isolation marks around arguments: mail clients and chat apps show
                // them as noise, and they would split the links and amounts readers copy.
                bundle.set_use_isolating(false);
                bundle.add_resource(resource).ok()?;
                Some(Language { tag, bundle })
            })
            .collect();
        Self { languages }
    }

    /// The index of the language that best fits `preferred` (most wanted first), English
    /// when none does.
    pub(crate) fn choose(&self, preferred: &[&str]) -> usize {
        let requested: Vec<LanguageIdentifier> = preferred
            .iter()
            .filter_map(|tag| tag.parse().ok())
            .collect();
        self.negotiate(&requested).unwrap_or(0)
    }

    /// The language among these that fits an `Accept-Language` header, if any.
    pub(crate) fn accepted(&self, accept_language: &str) -> Option<&'static str> {
        let mut requested = fluent_langneg::parse_accepted_languages(accept_language);
        requested.truncate(10);
        self.negotiate(&requested).map(|index| self.tag(index))
    }

    fn negotiate(&self, requested: &[LanguageIdentifier]) -> Option<usize> {
        let available: Vec<LanguageIdentifier> = self
            .languages
            .iter()
            .filter_map(|language| language.tag.parse().ok())
            .collect();
        let chosen =
            negotiate_languages(requested, &available, None, NegotiationStrategy::Filtering);
        chosen
            .first()
            .and_then(|tag| available.iter().position(|known| known == *tag))
    }

    /// The tag of language `index`, e.g. `es`.
    pub(crate) fn tag(&self, index: usize) -> &'static str {
        self.languages
            .get(index)
            .map_or("en", |language| language.tag)
    }

    /// Message `id` in language `index` with its arguments; from English when that language
    /// lacks it, the id itself when both do (never a panic: the unit tests keep the files
    /// complete).
    pub(crate) fn text(&self, index: usize, id: &str, args: &[(&str, &str)]) -> String {
        let mut fluent_args = FluentArgs::new();
        for (name, value) in args {
            fluent_args.set(*name, (*value).to_owned());
        }
        [index, 0]
            .iter()
            .filter_map(|index| self.languages.get(*index))
            .find_map(|language| {
                let pattern = language.bundle.get_message(id)?.value()?;
                let mut errors = Vec::new();
                let text = language
                    .bundle
                    .format_pattern(pattern, Some(&fluent_args), &mut errors);
                Some(text.into_owned())
            })
            .unwrap_or_else(|| id.to_owned())
    }
}

/// Checks that every file of `sources` parses and has exactly the messages of the first, in
/// its order, so that a text never mixes languages. For unit tests.
#[cfg(test)]
pub(crate) fn check_complete(sources: &[Source]) {
    let ids = |source: &str| -> Vec<String> {
        FluentResource::try_new(source.to_owned())
            .unwrap_or_else(|(_, errors)| panic!("{errors:?}"));
        source
            .lines()
            .filter_map(|line| line.split_once(" = "))
            .filter(|(id, _)| !id.starts_with([' ', '#']))
            .map(|(id, _)| id.to_owned())
            .collect()
    };
    let first = ids(sources[0].1);
    for (tag, source) in sources {
        assert_eq!(ids(source), first, "{tag}.ftl has other messages");
    }
    assert_eq!(Translations::new(sources).languages.len(), sources.len());
}
