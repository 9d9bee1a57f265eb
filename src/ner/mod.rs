//! Statistical named-entity tagger (PER, LOC, ORG, MISC) trained on
//! CoNLL-2003, in the spirit of Ratinov & Roth (2009).
//!
//! Why a module of its own: entity facets need a tagger that is fast enough
//! to run over whole archives at indexing time (≥ 1M tokens/s on one core)
//! and that ships inside the binary, so it cannot be a rule set in
//! `entities` nor a heavyweight external model.
//!
//! The pieces, in pipeline order:
//! - [`read_conll`] reads CoNLL-2003 files (IOB1 or IOB2) into [`Document`]s;
//! - `clusters` learns Brown word clusters from unlabelled news text
//!   ([`learn_clusters`]); their bit-string prefixes are features;
//! - `features` turns a sentence into hashed feature ids without allocating
//!   per feature;
//! - `train` fits two averaged-perceptron stages with greedy, BILOU-
//!   constrained left-to-right decoding ([`train()`]); the second stage sees
//!   the first stage's labels for the same word elsewhere in the document;
//! - `model` is the compact binary artefact (`models/ner.bin`) and
//!   [`Tagger`] the runtime, embedded with `include_bytes!` and loaded on
//!   first use;
//! - [`evaluate`] scores a tagger with a conlleval-compatible exact-span
//!   scorer.

mod clusters;
mod conll;
#[cfg(test)]
mod data_tests;
mod error;
mod eval;
mod features;
mod gaz;
mod hash;
mod label;
mod model;
mod tagger;
mod train;

pub use clusters::{learn_clusters, read_unlabelled, ClusterOptions, Clusters};
pub use conll::{parse_conll, read_conll, Document, Sentence};
pub use error::NerError;
pub use eval::{chunks, evaluate, ChunkCounts, EvalReport, Prf, Scorer, TypeScores};
pub use label::{EntitySpan, EntityType, Iob, Label};
pub use tagger::Tagger;
pub use train::{train, TrainOptions, TrainReport};
