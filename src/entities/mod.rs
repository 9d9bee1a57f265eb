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
//! in the analysed text ([`analysed_text`]: title, blank line, body): the
//! statistical tagger ([`tagged::detect`]), or the rule-based
//! [`heuristic::detect`] kept as a reference and test double, both plugged
//! in through the [`Detector`] trait and [`extract_with`] without touching
//! normalisation or callers. [`normalize::normalize`] turns
//! mentions into canonical facet values; [`gazetteer()`] holds the word lists
//! both use; [`tokenize`] gives both the same CoNLL-style tokens.

#[cfg(test)]
mod eval;
pub mod gazetteer;
pub mod heuristic;
pub mod mention;
pub mod normalize;
pub mod tagged;
pub mod tokenize;

pub use gazetteer::{gazetteer, Gazetteer};
pub use mention::{Kind, Mention};

use crate::{Article, Country, Entities};

/// Something that finds entity mentions in text: the statistical tagger
/// or the heuristic detector. Any `Fn(&str) -> Vec<Mention>` (such as
/// [`tagged::detect`]) is a detector.
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
/// in order of first mention. Uses the statistical tagger.
pub fn extract(article: &Article) -> Entities {
    extract_with(article, &tagged::detect)
}

/// [`extract`] with another detector (the statistical tagger, a test
/// double); normalisation is the same.
pub fn extract_with(article: &Article, detector: &dyn Detector) -> Entities {
    let text = analysed_text(article);
    normalize::normalize_in(&text, &detector.detect(&text))
}

/// Resolves what a user typed after `--country`: a country name or alias,
/// demonym, or ISO alpha-2/alpha-3 code, in any case ("Egypt", "egypt",
/// "EG", "eg", "EGY", "Egyptian") → the country's facet value; `None` when
/// unknown.
pub fn resolve_country(input: &str) -> Option<Country> {
    gazetteer::country_table()
        .resolve_country(input)
        .map(|c| c.to_country())
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

#[cfg(test)]
mod precision_tests {
    use super::*;

    /// These paragraphs pin down the rule-based detector with the shared
    /// normaliser; the tagger is checked on the seed article and on CoNLL.
    fn body(text: &str) -> Entities {
        extract_with(
            &Article {
                body: text.to_string(),
                ..Article::default()
            },
            &heuristic::detect,
        )
    }

    fn codes(e: &Entities) -> Vec<&str> {
        e.countries.iter().map(|c| c.code.as_str()).collect()
    }

    /// Wire-style paragraphs written for this test: every extracted value
    /// must be right (precision), and the obvious ones must be there.
    #[test]
    fn wire_paragraphs() {
        let e = body(
            "WASHINGTON (Reuters) - U.S. Secretary of State Antony Blinken will travel to \
             Saudi Arabia and Israel next week, the State Department said on Monday. \
             Blinken is expected to meet Crown Prince Mohammed bin Salman in Riyadh and \
             Israeli Prime Minister Benjamin Netanyahu in Jerusalem, spokesman Matthew \
             Miller told reporters. The trip comes as the United Nations warned of famine \
             in Gaza.\n\n\
             In a statement, the Palestinian Authority said it welcomed the visit. \
             \"We hope for progress,\" it said. However, Hamas rejected the plan.",
        );
        eprintln!("{e:#?}");
        assert_eq!(
            e.persons,
            [
                "Antony Blinken",
                "Mohammed bin Salman",
                "Benjamin Netanyahu",
                "Matthew Miller"
            ]
        );
        assert_eq!(codes(&e), ["US", "SA", "IL", "PS"]);
        for org in [
            "State Department",
            "United Nations",
            "Palestinian Authority",
            "Hamas",
        ] {
            assert!(e.orgs.iter().any(|o| o == org), "{org}: {:?}", e.orgs);
        }
        for junk in ["In", "However", "Monday", "We", "Secretary"] {
            assert!(!e.orgs.iter().any(|o| o == junk), "junk org {junk}");
            assert!(!e.persons.iter().any(|p| p == junk), "junk person {junk}");
        }
        assert_eq!(
            e.places,
            ["Washington, D.C.", "Riyadh", "Jerusalem", "Gaza"]
        );
    }

    #[test]
    fn business_and_sport_paragraphs() {
        let e = body(
            "Shares of Apple Inc. rose 3.5% on Tuesday after Chief Executive Tim Cook said \
             iPhone sales in China beat forecasts. Analysts at Goldman Sachs Group raised \
             their target. Cook's comments came a day after the European Central Bank \
             (ECB) left rates unchanged; the ECB meets again in March.\n\n\
             LONDON -- Manchester United beat Chelsea 2-1 on Sunday. Marcus Rashford \
             scored twice and Rashford's second goal came late, manager Erik ten Hag said.",
        );
        eprintln!("{e:#?}");
        assert_eq!(e.persons, ["Tim Cook", "Marcus Rashford", "Erik ten Hag"]);
        assert_eq!(codes(&e), ["CN", "GB"]);
        // Legal forms are dropped ("Apple Inc." → "Apple").
        for org in ["Apple", "Goldman Sachs", "ECB", "Manchester United"] {
            assert!(e.orgs.iter().any(|o| o == org), "{org}: {:?}", e.orgs);
        }
        for junk in ["Shares", "Analysts", "Tuesday", "March", "Sunday", "LONDON"] {
            assert!(!e.orgs.iter().any(|o| o == junk), "junk org {junk}");
            assert!(!e.persons.iter().any(|p| p == junk), "junk person {junk}");
        }
    }

    #[test]
    fn headline_is_analysed_with_the_body() {
        let e = extract_with(
            &Article {
                // A role followed by a surname alone ("Chief Burns Meets") is
                // beyond the heuristic in title case: where would the name end?
                title: "CIA Chief William Burns Meets Egyptian Officials In Cairo".to_string(),
                body: "CIA Director William Burns met officials on Tuesday.".to_string(),
                ..Article::default()
            },
            &heuristic::detect,
        );
        assert_eq!(e.persons, ["William Burns"]);
        assert_eq!(e.orgs, ["CIA"]);
        assert_eq!(codes(&e), ["EG"]);
        assert_eq!(e.places, ["Cairo"]);
    }

    #[test]
    fn resolve_country_interface() {
        for input in ["Egypt", "egypt", "EG", "eg", "EGY", "Egyptian"] {
            assert_eq!(
                resolve_country(input),
                Some(Country {
                    name: "Egypt".to_string(),
                    code: "EG".to_string()
                }),
                "{input}"
            );
        }
        assert_eq!(
            resolve_country("United States of America").map(|c| c.code),
            Some("US".into())
        );
        assert_eq!(
            resolve_country("uk").map(|c| c.name),
            Some("United Kingdom".into())
        );
        assert_eq!(resolve_country("Narnia"), None);
        // The name an alias gives a country is its facet value, whatever
        // names it (the source calls Turkey "Türkiye").
        for typed in ["TR", "tur", "Turkey", "Türkiye", "Turkish"] {
            assert_eq!(
                resolve_country(typed).map(|c| c.name).as_deref(),
                Some("Turkey"),
                "{typed}"
            );
        }
    }

    #[test]
    fn another_detector_plugs_in() {
        let fake = |text: &str| {
            let start = text.find("Barnea").unwrap_or(0);
            Mention::new(Kind::Person, text, start, start + 6)
                .into_iter()
                .collect::<Vec<_>>()
        };
        let e = extract_with(
            &Article {
                body: "Mossad chief Barnea left.".to_string(),
                ..Article::default()
            },
            &fake,
        );
        assert_eq!(e.persons, ["Barnea"]);
        assert!(e.orgs.is_empty());
    }
}
