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

pub mod gazetteer;
pub mod mention;
pub mod tokenize;
