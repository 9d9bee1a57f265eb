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
use super::label::{best_allowed, bilou_to_spans, EntitySpan, Label};
use super::model::{self, ModelData, Table};

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
    stage1: Table,
    stage2: Option<Table>,
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
            let info = sentence_info(sent);
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
}

thread_local! {
    static WORK: RefCell<Work> = RefCell::new(Work::default());
}

/// Greedy constrained decoding of every sentence with one weight table.
/// `extra` holds per-token features appended to the static ones (the
/// document features of stage 2).
pub(crate) fn decode(
    table: &Table,
    prep: &Prepared,
    extra: Option<(&[u64], &[u32])>,
    out: &mut Vec<Label>,
) {
    out.clear();
    out.resize(prep.atoms.len(), Label::O);
    let mut dynf = [0u64; 4];
    for &(s, e) in &prep.bounds {
        let (mut prev1, mut prev2) = (None, None);
        for i in s..e {
            let mut acc = [0i32; NL];
            table.accumulate(prep.token(i), &mut acc);
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
        let stage1 = std::mem::take(&mut data.stage1);
        let stage2 = data.stage2.take();
        Tagger {
            clusters,
            stage1,
            stage2,
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
            stage1: self.stage1.clone(),
            stage2: self.stage2.clone(),
        })
    }

    /// The word clusters the model uses.
    pub fn clusters(&self) -> &Clusters {
        &self.data.clusters
    }

    /// A one-line description: feature counts and memory.
    pub fn describe(&self) -> String {
        let mem = self.stage1.memory() + self.stage2.as_ref().map_or(0, Table::memory);
        format!(
            "{} stage-1 features, {} stage-2 features, {} clustered words, {:.1} MB in memory",
            self.stage1.len(),
            self.stage2.as_ref().map_or(0, Table::len),
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
            let labels = if self.stage2.is_some() {
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

    /// Runs both stages; the result is left in `w.labels2` (or
    /// `w.labels1` for a single-stage model).
    fn run<S: AsRef<str>>(&self, sentences: &[Vec<S>], w: &mut Work) {
        w.prep.fill(&self.clusters, sentences);
        decode(&self.stage1, &w.prep, None, &mut w.labels1);
        let Some(stage2) = &self.stage2 else {
            return;
        };
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
            stage2,
            &w.prep,
            Some((&w.doc_feats, &w.doc_ends)),
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
    fn embedded_model_round_trips() {
        let t = Tagger::embedded();
        let bytes = t.to_bytes();
        let again = Tagger::from_bytes(&bytes).expect("valid");
        assert_eq!(again.to_bytes(), bytes);
    }
}
