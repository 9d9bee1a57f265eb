//! newsdex: an offline search engine for news archives.
//!
//! The pipeline, one module per stage:
//! corpus (read files into [`Article`]s) → entities (persons, countries,
//! organisations, places) → index (tantivy schema and writer) → search
//! (queries, filters, facets, snippets) → render (human and JSON output).

pub mod article;
pub mod corpus;
pub mod entities;
pub mod ner;

pub use article::{Article, Country, Entities};
