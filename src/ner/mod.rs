//! Statistical named-entity tagger (PER, LOC, ORG, MISC) trained on
//! CoNLL-2003, in the spirit of Ratinov & Roth (2009).
//!
//! Why a module of its own: entity facets need a tagger that is fast enough
//! to run over whole archives at indexing time (about 1M tokens/s on one
//! core) and that ships inside the binary, so it cannot be a rule set in
//! `entities` nor a heavyweight external model.
//!
//! The pieces, in pipeline order:
//! - [`read_conll`] reads CoNLL-2003 files (IOB1 or IOB2) into [`Document`]s;
//! - `clusters` learns Brown word clusters from unlabelled news text
//!   ([`learn_clusters`]); prefixes of their bit strings are features;
//! - `features` turns a sentence into hashed feature ids without allocating
//!   per feature; `gaz` adds gazetteer flags from `entities::gazetteer`;
//! - `train` fits an averaged perceptron with greedy, BILOU-constrained
//!   left-to-right decoding ([`train()`]). The tagger makes two passes over
//!   a document with one weight table: the second also sees document-level
//!   features built from the first pass's labels (the label given to the
//!   same word elsewhere, the words around its other occurrences);
//! - `model` is the compact binary artefact (`models/ner.bin`, with its
//!   Brown clusters inside; `models/clusters.txt` keeps them for
//!   retraining) and [`Tagger`] the runtime, embedded with `include_bytes!`
//!   and parsed on first use;
//! - [`evaluate`] scores a tagger with a conlleval-compatible exact-span
//!   scorer.
//!
//! Rebuilding `models/ner.bin` bit for bit (about 30 s; the clusters are
//! read from `models/clusters.txt`, relearning them takes 10-20 min):
//!
//! ```text
//! newsdex ner train        # defaults: ../shared/data/conll2003, models/
//! cargo run --release --example ner_dev -- train \
//!     ../shared/data/conll2003/eng.train ../shared/data/conll2003/eng.testa \
//!     models/ner.bin --clusters models/clusters.txt
//! ```

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
