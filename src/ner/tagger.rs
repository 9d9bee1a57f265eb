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
    atoms, document_features, dynamic_features, sentence_info, static_features, Atoms,
    SentenceInfo, NL,
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
    /// Static feature hashes of all tokens, flattened (training only:
    /// tagging computes them on demand, see [`decode`]).
    pub feats: Vec<u64>,
    /// End offset in `feats` of each token.
    pub ends: Vec<u32>,
    /// `(start, end)` token range of each sentence.
    pub bounds: Vec<(usize, usize)>,
    /// Sentence-level facts of each sentence, for on-demand features.
    infos: Vec<SentenceInfo>,
    /// Per token: whether it can begin an entity (see [`may_start`]).
    may_start: Vec<bool>,
    /// Whether `feats` holds every token's static features.
    eager: bool,
    gaz: GazCache,
}

/// Whether a token can begin an entity: it has a capital ("post-Soviet",
/// "al-Aqsa"), or starts with a digit ("1860 Munich") or a non-ASCII
/// letter. Other lower-case words and punctuation begin 20 of eng.train's
/// 23,499 entities ("de", "serie"); they are most of running text, and the
/// tagger skips them unless they continue an entity (`Bank of England`).
pub(crate) fn may_start(word: &str) -> bool {
    let b = word.as_bytes();
    match b.first() {
        Some(&c) if c.is_ascii_digit() || c >= 0x80 => true,
        Some(_) => b.iter().any(u8::is_ascii_uppercase),
        None => false,
    }
}

impl Prepared {
    /// Computes atoms and the static features of every token (training,
    /// which needs them all).
    pub(crate) fn fill<S: AsRef<str>>(&mut self, clusters: &ClusterIndex, sentences: &[Vec<S>]) {
        self.fill_atoms(clusters, sentences);
        self.eager = true;
        for (&(s, e), &info) in self.bounds.iter().zip(&self.infos) {
            let sent = &self.atoms[s..e];
            for i in 0..sent.len() {
                static_features(sent, info, i, &mut self.feats);
                self.ends.push(self.feats.len() as u32);
            }
        }
    }

    /// Computes atoms and sentence facts only; [`decode`] computes the
    /// static features of the tokens it scores.
    pub(crate) fn fill_atoms<S: AsRef<str>>(
        &mut self,
        clusters: &ClusterIndex,
        sentences: &[Vec<S>],
    ) {
        self.atoms.clear();
        self.feats.clear();
        self.ends.clear();
        self.bounds.clear();
        self.infos.clear();
        self.may_start.clear();
        self.gaz.clear();
        self.eager = false;
        for s in sentences {
            let start = self.atoms.len();
            self.atoms
                .extend(s.iter().map(|w| atoms(w.as_ref(), clusters)));
            self.may_start
                .extend(s.iter().map(|w| may_start(w.as_ref())));
            annotate(s, &mut self.atoms[start..], &mut self.gaz);
            self.bounds.push((start, self.atoms.len()));
        }
        let topic = self.atoms.first().map_or(0, |a| a.lower);
        for &(s, e) in &self.bounds {
            let mut info = sentence_info(&self.atoms[s..e]);
            info.topic = topic;
            self.infos.push(info);
        }
    }

    /// Static features of token `i` (after [`Prepared::fill`]).
    #[inline]
    pub(crate) fn token(&self, i: usize) -> &[u64] {
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        &self.feats[start..self.ends[i] as usize]
    }
}

/// Static scores of the tokens scored so far in a document, shared by the
/// two passes (the second pass's static weights are the first pass's).
#[derive(Default)]
pub(crate) struct StaticScores {
    scores: Vec<[i32; NL]>,
    known: Vec<bool>,
    scratch: Vec<u64>,
}

#[derive(Default)]
struct Work {
    prep: Prepared,
    labels1: Vec<Label>,
    labels2: Vec<Label>,
    doc_feats: Vec<u64>,
    doc_ends: Vec<u32>,
    statics: StaticScores,
}

thread_local! {
    static WORK: RefCell<Work> = RefCell::new(Work::default());
}

/// Greedy constrained decoding of every sentence with one weight table.
/// `extra` holds per-token features appended to the static ones (the
/// document features of the second pass). `statics` caches each token's
/// static score: cleared when `reuse` is false, kept when it is true (the
/// second pass), which saves most of the second pass's look-ups.
///
/// Tokens that cannot begin an entity ([`may_start`]) are labelled `O`
/// without being scored unless they continue one: this is most of the
/// text, and what makes tagging cheap.
pub(crate) fn decode(
    table: &Table,
    prep: &Prepared,
    extra: Option<(&[u64], &[u32])>,
    statics: &mut StaticScores,
    reuse: bool,
    out: &mut Vec<Label>,
) {
    out.clear();
    out.resize(prep.atoms.len(), Label::O);
    if !reuse {
        statics.scores.clear();
        statics.scores.resize(prep.atoms.len(), [0; NL]);
        statics.known.clear();
        statics.known.resize(prep.atoms.len(), false);
    }
    let mut dynf = [0u64; 4];
    for (&(s, e), &info) in prep.bounds.iter().zip(&prep.infos) {
        let (mut prev1, mut prev2) = (None, None);
        for i in s..e {
            let continues = matches!(prev1, Some(Label::B(_) | Label::I(_)));
            if !continues && !prep.may_start[i] {
                prev2 = prev1;
                prev1 = Some(Label::O);
                continue;
            }
            let mut acc = if statics.known[i] {
                statics.scores[i]
            } else {
                let mut acc = [0i32; NL];
                if prep.eager {
                    table.accumulate(prep.token(i), &mut acc);
                } else {
                    statics.scratch.clear();
                    static_features(&prep.atoms[s..e], info, i - s, &mut statics.scratch);
                    table.accumulate(&statics.scratch, &mut acc);
                }
                statics.scores[i] = acc;
                statics.known[i] = true;
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
        w.prep.fill_atoms(&self.clusters, sentences);
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
    fn only_capitalised_numeric_or_non_ascii_tokens_may_start_an_entity() {
        for word in [
            "Qatar",
            "post-Soviet",
            "al-Aqsa",
            "eBay",
            "1860",
            "Ürümqi",
            "U.S.",
        ] {
            assert!(may_start(word), "{word}");
        }
        for word in ["the", "said", "de", ",", "(", "'s", "-", ""] {
            assert!(!may_start(word), "{word}");
        }
    }

    #[test]
    fn lower_case_words_continue_entities_but_never_start_them() {
        let doc = vec![vec![
            "He", "works", "for", "the", "Bank", "of", "England", "in", "London", ".",
        ]];
        let labels = &Tagger::embedded().tag_document(&doc)[0];
        assert_eq!(labels[5], Label::I(EntityType::Org), "{labels:?}");
        for (word, label) in doc[0].iter().zip(labels) {
            if !may_start(word) {
                assert!(
                    !matches!(label, Label::B(_) | Label::U(_)),
                    "{word}: {label:?}"
                );
            }
        }
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
