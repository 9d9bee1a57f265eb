//! The unit that flows through the pipeline: one news article as read from
//! the corpus, before and after entity extraction.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// One article read from a corpus file (a file may hold several: JSON arrays,
/// JSON Lines, Reuters SGML).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Article {
    /// Stable identifier: the path relative to the corpus root, plus
    /// `#LINE` for JSON Lines records, `#N` for the N-th (1-based) article of
    /// a JSON array and `#NEWID` for Reuters records.
    pub id: String,
    /// Path of the source file relative to the corpus root, `/`-separated.
    pub path: String,
    pub title: String,
    pub body: String,
    pub date: Option<DateTime<Utc>>,
    /// Publisher or outlet ("Reuters", "BBC News").
    pub source: Option<String>,
    pub url: Option<String>,
    pub author: Option<String>,
    pub tags: Vec<String>,
    /// Editor-assigned place tags (Reuters-21578 `<PLACES>`), kept apart from
    /// extracted entities so that they can serve as a gold standard.
    pub tag_places: Vec<String>,
    /// Editor-assigned people tags (Reuters-21578 `<PEOPLE>`).
    pub tag_people: Vec<String>,
}

/// A country as a facet value: canonical English short name and ISO 3166-1
/// alpha-2 code.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Country {
    pub name: String,
    pub code: String,
}

/// Entities extracted from one article, canonicalised and de-duplicated,
/// in order of first mention.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Entities {
    pub persons: Vec<String>,
    pub countries: Vec<Country>,
    pub orgs: Vec<String>,
    /// Locations that are not countries (cities, regions), canonical names.
    pub places: Vec<String>,
}
