//! Entity extraction: persons, countries, organisations and places found in
//! an article, canonicalised for faceting.
//!
//! INTERFACE (fixed; the indexer and search call these):
//!
//! ```ignore
//! /// Entities of one article (title + body), canonical values, deduplicated, first-mention order.
//! pub fn extract(article: &Article) -> Entities;
//! /// Resolve what a user typed after --country: "Egypt", "egypt", "EG", "eg", "Egyptian" → Country.
//! pub fn resolve_country(input: &str) -> Option<Country>;
//! ```
//!
//! The pipeline is detect → normalise. Detection finds typed [`Mention`]s
//! in the analysed text ([`analysed_text`]: title, blank line, body); today
//! it is the rule-based [`heuristic::detect`], later the statistical tagger,
//! plugged in through the [`Detector`] trait and [`extract_with`] without
//! touching normalisation or callers. [`normalize::normalize`] turns
//! mentions into canonical facet values; [`gazetteer()`] holds the word lists
//! both use; [`tokenize`] gives both the same CoNLL-style tokens.

pub mod gazetteer;
pub mod heuristic;
pub mod mention;
pub mod normalize;
pub mod tokenize;

pub use gazetteer::{gazetteer, Gazetteer};
pub use mention::{Kind, Mention};

use crate::{Article, Country, Entities};

/// Something that finds entity mentions in text: the heuristic detector
/// today, the statistical tagger later. Any `Fn(&str) -> Vec<Mention>`
/// (such as [`heuristic::detect`]) is a detector.
pub trait Detector {
    /// Mentions in `text`, with byte offsets into `text`.
    fn detect(&self, text: &str) -> Vec<Mention>;
}

impl<F: Fn(&str) -> Vec<Mention>> Detector for F {
    fn detect(&self, text: &str) -> Vec<Mention> {
        self(text)
    }
}

/// The text that detection runs on: the title, a blank line (so the title
/// is a sentence of its own), then the body. Mention offsets refer to it.
pub fn analysed_text(article: &Article) -> String {
    let title = article.title.trim();
    if title.is_empty() {
        return article.body.clone();
    }
    let mut text = String::with_capacity(title.len() + 2 + article.body.len());
    text.push_str(title);
    text.push_str("\n\n");
    text.push_str(&article.body);
    text
}

/// Entities of one article (title + body): canonical values, deduplicated,
/// in order of first mention. Uses the heuristic detector.
pub fn extract(article: &Article) -> Entities {
    extract_with(article, &heuristic::detect)
}

/// [`extract`] with another detector (the statistical tagger, a test
/// double); normalisation is the same.
pub fn extract_with(article: &Article, detector: &dyn Detector) -> Entities {
    normalize::normalize(&detector.detect(&analysed_text(article)))
}

/// Resolves what a user typed after `--country`: a country name or alias,
/// demonym, or ISO alpha-2/alpha-3 code, in any case ("Egypt", "egypt",
/// "EG", "eg", "EGY", "Egyptian") → the country's facet value; `None` when
/// unknown.
pub fn resolve_country(input: &str) -> Option<Country> {
    gazetteer().resolve_country(input).map(|c| c.to_country())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The seed article shipped in `corpus/` (its first line is the lead
    /// paragraph, not a headline, so all of it is used as the body).
    const SEED: &str = include_str!("../../corpus/000_9ca1e063e595d5e0.txt");

    fn article(title: &str, body: &str) -> Article {
        Article {
            title: title.to_string(),
            body: body.to_string(),
            ..Article::default()
        }
    }

    #[test]
    fn seed_article_entities() {
        let e = extract(&article("", SEED));
        eprintln!("{e:#?}");
        for p in [
            "William Burns",
            "David Barnea",
            "Mohammed bin Abdulrahman Al-Thani",
        ] {
            assert!(e.persons.iter().any(|x| x == p), "person {p}: {e:?}");
        }
        for c in ["EG", "IL", "QA", "US"] {
            assert!(
                e.countries.iter().any(|x| x.code == c),
                "country {c}: {e:?}"
            );
        }
        for o in ["CIA", "Mossad", "Hamas"] {
            assert!(e.orgs.iter().any(|x| x == o), "org {o}: {e:?}");
        }
        for junk in [
            "Top",
            "Tuesday",
            "Comments",
            "Al-Qahera News",
            "Burns",
            "Barnea",
        ] {
            assert!(
                !e.persons.iter().any(|x| x == junk),
                "junk person {junk}: {e:?}"
            );
        }
        assert!(e.orgs.iter().any(|x| x == "Al-Qahera News"), "{e:?}");
        assert!(e.places.iter().any(|x| x == "Cairo"), "{e:?}");
        assert_eq!(e.persons.len(), 3, "{:?}", e.persons);
    }
}
