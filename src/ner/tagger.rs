//! The runtime tagger: loads a model and tags whole documents in two
//! greedy left-to-right passes.
//!
//! The model ships inside the binary (`include_bytes!`) and is parsed on
//! first use only ([`Tagger::embedded`]), so commands that never tag (search)
//! pay nothing for it.

use std::cell::RefCell;
use std::path::Path;
use std::sync::LazyLock;

use super::clusters::{ClusterIndex, Clusters};
use super::error::NerError;
use super::features::{
    atoms, document_features, dynamic_features, sentence_info, static_features, Atoms, NL,
};
use super::gaz::{annotate, GazCache};
use super::label::{best_allowed, bilou_to_spans, EntitySpan, EntityType, Label};
use super::model::{self, ModelData, Table};
use crate::entities::tokenize::tokenize;
use crate::entities::{Kind, Mention};

/// The trained model committed at `models/ner.bin`.
static EMBEDDED_BYTES: &[u8] = include_bytes!("../../models/ner.bin");

static EMBEDDED: LazyLock<Tagger> = LazyLock::new(|| {
    Tagger::from_bytes_named(EMBEDDED_BYTES, "embedded models/ner.bin")
        .expect("the embedded model is verified by the test suite")
});

/// A loaded NER model.
#[derive(Debug, Clone)]
pub struct Tagger {
    clusters: ClusterIndex,
    table: Table,
    /// Whether to run the document-level second pass.
    doc_pass: bool,
    data: ModelData,
}

/// Per-document scratch space, reused across calls on a thread so that
/// steady-state tagging does not allocate per token.
#[derive(Default)]
pub(crate) struct Prepared {
    pub atoms: Vec<Atoms>,
    /// Static feature hashes of all tokens, flattened.
    pub feats: Vec<u64>,
    /// End offset in `feats` of each token.
    pub ends: Vec<u32>,
    /// `(start, end)` token range of each sentence.
    pub bounds: Vec<(usize, usize)>,
    gaz: GazCache,
}

impl Prepared {
    /// Computes atoms and static features of a document.
    pub(crate) fn fill<S: AsRef<str>>(&mut self, clusters: &ClusterIndex, sentences: &[Vec<S>]) {
        self.atoms.clear();
        self.feats.clear();
        self.ends.clear();
        self.bounds.clear();
        self.gaz.clear();
        for s in sentences {
            let start = self.atoms.len();
            self.atoms
                .extend(s.iter().map(|w| atoms(w.as_ref(), clusters)));
            annotate(s, &mut self.atoms[start..], &mut self.gaz);
            self.bounds.push((start, self.atoms.len()));
        }
        for &(s, e) in &self.bounds {
            let sent = &self.atoms[s..e];
            let mut info = sentence_info(sent);
            info.topic = self.atoms.first().map_or(0, |a| a.lower);
            for i in 0..sent.len() {
                static_features(sent, info, i, &mut self.feats);
                self.ends.push(self.feats.len() as u32);
            }
        }
    }

    /// Static features of token `i`.
    #[inline]
    pub(crate) fn token(&self, i: usize) -> &[u64] {
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        &self.feats[start..self.ends[i] as usize]
    }
}

#[derive(Default)]
struct Work {
    prep: Prepared,
    labels1: Vec<Label>,
    labels2: Vec<Label>,
    doc_feats: Vec<u64>,
    doc_ends: Vec<u32>,
    statics: Vec<[i32; NL]>,
}

thread_local! {
    static WORK: RefCell<Work> = RefCell::new(Work::default());
}

/// Greedy constrained decoding of every sentence with one weight table.
/// `extra` holds per-token features appended to the static ones (the
/// document features of the second pass). `statics` caches each token's
/// static score: filled when `reuse` is false, read when it is true (the
/// second pass, whose static weights are the first pass's), which saves
/// most of the second pass's look-ups.
pub(crate) fn decode(
    table: &Table,
    prep: &Prepared,
    extra: Option<(&[u64], &[u32])>,
    statics: &mut Vec<[i32; NL]>,
    reuse: bool,
    out: &mut Vec<Label>,
) {
    out.clear();
    out.resize(prep.atoms.len(), Label::O);
    if !reuse {
        statics.clear();
        statics.resize(prep.atoms.len(), [0; NL]);
    }
    let mut dynf = [0u64; 4];
    for &(s, e) in &prep.bounds {
        let (mut prev1, mut prev2) = (None, None);
        for i in s..e {
            // The next token's first features: `accumulate` prefetches
            // only within one token's list.
            if !reuse && i + 1 < e {
                for &f in prep.token(i + 1).iter().take(8) {
                    table.prefetch(f);
                }
            }
            let mut acc = if reuse {
                statics[i]
            } else {
                let mut acc = [0i32; NL];
                table.accumulate(prep.token(i), &mut acc);
                statics[i] = acc;
                acc
            };
            if let Some((f, ends)) = extra {
                let start = if i == 0 { 0 } else { ends[i - 1] as usize };
                table.accumulate(&f[start..ends[i] as usize], &mut acc);
            }
            dynamic_features(&prep.atoms[i], prev1, prev2, &mut dynf);
            table.accumulate(&dynf, &mut acc);
            let y = best_allowed(&acc, prev1, i + 1 == e);
            out[i] = y;
            prev2 = prev1;
            prev1 = Some(y);
        }
    }
}

impl Tagger {
    /// The model embedded in the binary, parsed once on first call.
    pub fn embedded() -> &'static Tagger {
        &EMBEDDED
    }

    /// Parses a model produced by [`train`](super::train()).
    pub fn from_bytes(bytes: &[u8]) -> Result<Tagger, NerError> {
        Tagger::from_bytes_named(bytes, "bytes")
    }

    /// Reads and parses a model file.
    pub fn load(path: &Path) -> Result<Tagger, NerError> {
        let bytes = std::fs::read(path).map_err(|e| NerError::io(path, e))?;
        Tagger::from_bytes_named(&bytes, &path.display().to_string())
    }

    fn from_bytes_named(bytes: &[u8], origin: &str) -> Result<Tagger, NerError> {
        Ok(Tagger::from_model(model::from_bytes(bytes, origin)?))
    }

    pub(crate) fn from_model(mut data: ModelData) -> Tagger {
        let clusters = ClusterIndex::new(&data.clusters);
        let table = std::mem::take(&mut data.table);
        Tagger {
            clusters,
            table,
            doc_pass: data.doc_pass,
            data: ModelData {
                clusters: std::mem::take(&mut data.clusters),
                ..ModelData::default()
            },
        }
    }

    /// The model's serialised form (what [`Tagger::from_bytes`] reads).
    pub fn to_bytes(&self) -> Vec<u8> {
        model::to_bytes(&ModelData {
            clusters: self.data.clusters.clone(),
            table: self.table.clone(),
            doc_pass: self.doc_pass,
        })
    }

    /// The word clusters the model uses.
    pub fn clusters(&self) -> &Clusters {
        &self.data.clusters
    }

    /// A one-line description: feature counts and memory.
    pub fn describe(&self) -> String {
        let mem = self.table.memory();
        format!(
            "{} features, {} passes, {} clustered words, {:.1} MB of weights",
            self.table.len(),
            if self.doc_pass { 2 } else { 1 },
            self.clusters.len(),
            mem as f64 / 1e6
        )
    }

    /// Tags a whole document (a list of tokenised sentences) and returns
    /// one BILOU label per token. Documents should be tagged whole: the
    /// second pass uses the labels given to the same word elsewhere in the
    /// document.
    pub fn tag_document<S: AsRef<str>>(&self, sentences: &[Vec<S>]) -> Vec<Vec<Label>> {
        WORK.with(|w| {
            let mut guard = w.borrow_mut();
            let w = &mut *guard;
            self.run(sentences, w);
            let labels = if self.doc_pass {
                &w.labels2
            } else {
                &w.labels1
            };
            w.prep
                .bounds
                .iter()
                .map(|&(s, e)| labels[s..e].to_vec())
                .collect()
        })
    }

    /// Tags a document and returns the entity mentions of each sentence
    /// (token ranges, end exclusive).
    pub fn entities<S: AsRef<str>>(&self, sentences: &[Vec<S>]) -> Vec<Vec<EntitySpan>> {
        self.tag_document(sentences)
            .iter()
            .map(|l| bilou_to_spans(l))
            .collect()
    }

    /// Finds entity mentions in running text: tokenises it with the project
    /// tokenizer (`entities::tokenize`), tags it as one document and maps
    /// entity spans back to byte offsets. This is the detector the entity
    /// extraction pipeline can plug in (`entities::extract_with`).
    pub fn detect(&self, text: &str) -> Vec<Mention> {
        let sentences = tokenize(text);
        let words: Vec<Vec<&str>> = sentences
            .iter()
            .map(|s| s.iter().map(|t| t.text).collect())
            .collect();
        let mut out = Vec::new();
        for (sent, spans) in sentences.iter().zip(self.entities(&words)) {
            for sp in spans {
                let (Some(first), Some(last)) =
                    (sent.get(sp.start), sent.get(sp.end.wrapping_sub(1)))
                else {
                    continue;
                };
                let kind = match sp.kind {
                    EntityType::Per => Kind::Person,
                    EntityType::Loc => Kind::Location,
                    EntityType::Org => Kind::Organization,
                    EntityType::Misc => Kind::Misc,
                };
                out.extend(Mention::new(kind, text, first.start, last.end));
            }
        }
        out
    }

    /// Runs both passes; the result is left in `w.labels2` (or
    /// `w.labels1` for a single-pass model).
    fn run<S: AsRef<str>>(&self, sentences: &[Vec<S>], w: &mut Work) {
        w.prep.fill(&self.clusters, sentences);
        decode(
            &self.table,
            &w.prep,
            None,
            &mut w.statics,
            false,
            &mut w.labels1,
        );
        if !self.doc_pass {
            return;
        }
        w.doc_feats.clear();
        w.doc_ends.clear();
        document_features(
            &w.prep.atoms,
            &w.labels1,
            &w.prep.bounds,
            &mut w.doc_feats,
            &mut w.doc_ends,
        );
        decode(
            &self.table,
            &w.prep,
            Some((&w.doc_feats, &w.doc_ends)),
            &mut w.statics,
            true,
            &mut w.labels2,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_model_loads_and_tags() {
        let t = Tagger::embedded();
        let doc = vec![
            vec![
                "Germany",
                "'s",
                "Angela",
                "Merkel",
                "met",
                "officials",
                "of",
                "the",
                "European",
                "Commission",
                "in",
                "Brussels",
                ".",
            ],
            vec!["Merkel", "said", "nothing", "."],
        ];
        let labels = t.tag_document(&doc);
        assert_eq!(labels.len(), 2);
        assert_eq!(labels[0].len(), 13);
        assert_eq!(labels[1].len(), 4);
        let spans = t.entities(&doc);
        // Sequences are always well-formed.
        for l in &labels {
            let mut prev = None;
            for &x in l {
                assert!(Label::may_follow(prev, x));
                prev = Some(x);
            }
            assert!(prev.is_none_or(Label::may_end));
        }
        assert!(!spans[0].is_empty());
        let empty: Vec<Vec<&str>> = vec![vec![]];
        assert_eq!(t.tag_document(&empty), vec![Vec::<Label>::new()]);
    }

    #[test]
    fn detect_maps_spans_to_byte_offsets() {
        let text = "Yesterday Angela Merkel flew to Paris.\n\nShe met Emmanuel Macron.";
        let mentions = Tagger::embedded().detect(text);
        assert!(!mentions.is_empty());
        for m in &mentions {
            assert_eq!(&text[m.start..m.end], m.text);
        }
        assert!(mentions
            .iter()
            .any(|m| m.kind == Kind::Location && m.text == "Paris"));
        assert!(mentions
            .iter()
            .any(|m| m.kind == Kind::Person && m.text == "Angela Merkel"));
    }

    #[test]
    fn embedded_model_round_trips() {
        let t = Tagger::embedded();
        let bytes = t.to_bytes();
        // The committed artefact is in canonical form.
        assert!(bytes == EMBEDDED_BYTES);
        let again = Tagger::from_bytes(&bytes).expect("valid");
        assert!(again.to_bytes() == bytes);
    }
}
