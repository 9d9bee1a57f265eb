//! newsdex: an offline search engine for news archives.
//!
//! The pipeline, one module per stage:
//! [`corpus`] reads files into [`Article`]s → [`entities`] finds persons,
//! countries, organisations and places → [`indexer`] writes them into a
//! tantivy index laid out by [`schema`] → [`search`] answers queries with
//! filters, facets and snippets → [`render`] prints results for people and
//! scripts.

pub mod aliases;
pub mod analyzer;
pub mod article;
pub mod corpus;
pub mod entities;
pub mod error;
pub mod evaluate;
pub mod facet_counts;
pub mod guard;
pub mod indexer;
pub mod ner;
pub mod query_rewrite;
pub mod render;
pub mod schema;
pub mod sealed;
pub mod search;

pub use article::{Article, Country, Entities};
pub use error::{Error, Result};
