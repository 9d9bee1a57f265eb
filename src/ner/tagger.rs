//! The runtime tagger: loads a model and tags whole documents in two
//! greedy left-to-right passes.
//!
//! The model ships inside the binary (`include_bytes!`) and is parsed on
//! first use only ([`Tagger::embedded`]), so commands that never tag (search)
//! pay nothing for it.

use std::cell::RefCell;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::LazyLock;

use super::clusters::{ClusterIndex, Clusters};
use super::error::NerError;
use super::features::{
    add_scores, atoms, dynamic_features, joint_features, label_word_features, neighbour,
    neighbour_features, sentence_info, static_features, word_features, Atoms, DocumentIndex,
    LabelScores, SentenceInfo, NEIGHBOUR_SLOTS, NL, OWN_SLOT,
};
use super::gaz::{annotate, GazCache};
use super::hash::hash_bytes;
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
    /// Identifies the weights and clusters that per-thread caches were
    /// filled from (clones share it: they hold the same model).
    id: u64,
    clusters: ClusterIndex,
    table: Table,
    /// Weights of the label-only features, summed per label combination.
    label_scores: LabelScores,
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

/// Per-thread caches of what depends on a word alone, so that frequent
/// words ("the", "said", "Reuters") are analysed and scored once rather
/// than at every occurrence. Direct-mapped by word hash: bounded memory
/// whatever the corpus, and a collision only costs a recomputation.
/// Results are the same with or without it.
pub(crate) struct WordCache {
    /// The tagger whose clusters and weights filled the cache.
    owner: u64,
    /// Word hash (`Atoms::word`) of each slot's entry; 0 = empty.
    atom_keys: Vec<u64>,
    /// A word's atoms before gazetteer annotation.
    atoms: Vec<Atoms>,
    /// Word hash of each score slot; 0 = empty. One table per window slot
    /// (see [`WordCache::score`]).
    score_keys: Vec<u64>,
    /// Summed weights of a word's [`word_features`] ([`OWN_SLOT`]) or
    /// [`neighbour_features`] (the other slots).
    scores: Vec<[i32; NL]>,
}

/// Slots in the atoms cache (about 512 KB per thread).
const ATOM_SLOTS: usize = 1 << 12;
/// Slots in each of the five word-score caches (about 150 KB each per
/// thread).
const SCORE_SLOTS: usize = 1 << 11;

impl WordCache {
    fn new() -> WordCache {
        WordCache {
            owner: 0,
            atom_keys: vec![0; ATOM_SLOTS],
            atoms: vec![Atoms::default(); ATOM_SLOTS],
            score_keys: vec![0; 5 * SCORE_SLOTS],
            scores: vec![[0; NL]; 5 * SCORE_SLOTS],
        }
    }

    /// Empties the cache when it was filled by another tagger.
    fn claim(&mut self, owner: u64) {
        if self.owner != owner {
            self.atom_keys.fill(0);
            self.score_keys.fill(0);
            self.owner = owner;
        }
    }

    /// The atoms of `word` (gazetteer flags not set).
    #[inline]
    fn atoms(&mut self, word: &str, clusters: &ClusterIndex) -> Atoms {
        let key = hash_bytes(1, word.as_bytes());
        let slot = (key >> 40) as usize & (ATOM_SLOTS - 1);
        if self.atom_keys[slot] == key {
            return self.atoms[slot];
        }
        let a = atoms(word, clusters);
        debug_assert_eq!(a.word, key);
        self.atom_keys[slot] = key;
        self.atoms[slot] = a;
        a
    }

    /// The summed weights of the features that word `a` contributes on its
    /// own at window slot `slot` ([`OWN_SLOT`] = the token, others its neighbours).
    #[inline]
    fn score(
        &mut self,
        table: &Table,
        a: &Atoms,
        slot: usize,
        scratch: &mut Vec<u64>,
    ) -> [i32; NL] {
        let k = slot * SCORE_SLOTS + ((a.word >> 40) as usize & (SCORE_SLOTS - 1));
        if self.score_keys[k] == a.word {
            return self.scores[k];
        }
        let mut acc = [0i32; NL];
        scratch.clear();
        if slot == OWN_SLOT {
            word_features(a, scratch);
        } else {
            neighbour_features(a, slot, scratch);
        }
        table.accumulate(scratch, &mut acc);
        self.score_keys[k] = a.word;
        self.scores[k] = acc;
        acc
    }
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
        self.fill_atoms(clusters, sentences, None);
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
        mut cache: Option<&mut WordCache>,
    ) {
        self.atoms.clear();
        self.feats.clear();
        self.ends.clear();
        self.bounds.clear();
        self.infos.clear();
        self.may_start.clear();
        self.gaz.trim();
        self.eager = false;
        for s in sentences {
            let start = self.atoms.len();
            match cache.as_deref_mut() {
                Some(c) => self
                    .atoms
                    .extend(s.iter().map(|w| c.atoms(w.as_ref(), clusters))),
                None => self
                    .atoms
                    .extend(s.iter().map(|w| atoms(w.as_ref(), clusters))),
            }
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

struct Work {
    prep: Prepared,
    labels1: Vec<Label>,
    labels2: Vec<Label>,
    doc: DocumentIndex,
    statics: StaticScores,
    words: WordCache,
}

thread_local! {
    static WORK: RefCell<Work> = RefCell::new(Work {
        prep: Prepared::default(),
        labels1: Vec::new(),
        labels2: Vec::new(),
        doc: DocumentIndex::default(),
        statics: StaticScores::default(),
        words: WordCache::new(),
    });
}

/// Per-token features added to the static ones in a pass.
pub(crate) enum Extra<'a> {
    /// None (the first pass).
    None,
    /// Document features from the first pass's labels, computed for the
    /// tokens that get scored only.
    Document(&'a DocumentIndex, &'a [Label]),
}

/// Greedy constrained decoding of every sentence with one weight table.
/// `extra` holds per-token features appended to the static ones (the
/// document features of the second pass). `statics` caches each token's
/// static score: cleared when `reuse` is false, kept when it is true (the
/// second pass), which saves most of the second pass's look-ups. `fast`,
/// when given, holds the tagger's precomputed label scores and per-thread
/// word caches (the same sums, fewer look-ups); training goes without.
///
/// Tokens that cannot begin an entity ([`may_start`]) are labelled `O`
/// without being scored unless they continue one: this is most of the
/// text, and what makes tagging cheap.
// The token index addresses several parallel arrays, not just `out`.
#[allow(clippy::needless_range_loop)]
pub(crate) fn decode(
    table: &Table,
    prep: &Prepared,
    extra: Extra<'_>,
    statics: &mut StaticScores,
    reuse: bool,
    mut fast: Option<(&mut WordCache, &LabelScores)>,
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
                    let sentence = &prep.atoms[s..e];
                    match fast.as_mut() {
                        Some((cache, _)) => {
                            let scratch = &mut statics.scratch;
                            let own = cache.score(table, &prep.atoms[i], OWN_SLOT, scratch);
                            add_scores(&mut acc, &own);
                            for slot in NEIGHBOUR_SLOTS {
                                let n = neighbour(sentence, i - s, slot);
                                add_scores(&mut acc, &cache.score(table, &n, slot, scratch));
                            }
                            scratch.clear();
                            joint_features(sentence, info, i - s, scratch);
                        }
                        None => static_features(sentence, info, i - s, &mut statics.scratch),
                    }
                    table.accumulate(&statics.scratch, &mut acc);
                }
                statics.scores[i] = acc;
                statics.known[i] = true;
                acc
            };
            match (&extra, &fast) {
                (Extra::None, _) => {}
                (Extra::Document(doc, labels), Some((_, label_scores))) => {
                    label_scores.add_label_context(labels, (s, e), i, &mut acc);
                    statics.scratch.clear();
                    doc.word_features(&prep.atoms, labels, i, &mut statics.scratch);
                    table.accumulate(&statics.scratch, &mut acc);
                }
                (Extra::Document(doc, labels), None) => {
                    statics.scratch.clear();
                    doc.features(&prep.atoms, labels, (s, e), i, &mut statics.scratch);
                    table.accumulate(&statics.scratch, &mut acc);
                }
            }
            match &fast {
                Some((_, label_scores)) => {
                    add_scores(&mut acc, label_scores.history(prev1, prev2));
                    table.accumulate(&label_word_features(&prep.atoms[i], prev1), &mut acc);
                }
                None => {
                    dynamic_features(&prep.atoms[i], prev1, prev2, &mut dynf);
                    table.accumulate(&dynf, &mut acc);
                }
            }
            let y = best_allowed(&acc, prev1, i + 1 == e);
            out[i] = y;
            prev2 = prev1;
            prev1 = Some(y);
        }
    }
}

/// Hands out [`Tagger`] ids.
static NEXT_TAGGER_ID: AtomicU64 = AtomicU64::new(1);

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
            id: NEXT_TAGGER_ID.fetch_add(1, Ordering::Relaxed),
            clusters,
            label_scores: LabelScores::new(&table),
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
        w.words.claim(self.id);
        w.prep
            .fill_atoms(&self.clusters, sentences, Some(&mut w.words));
        decode(
            &self.table,
            &w.prep,
            Extra::None,
            &mut w.statics,
            false,
            Some((&mut w.words, &self.label_scores)),
            &mut w.labels1,
        );
        if !self.doc_pass {
            return;
        }
        w.doc.build(&w.prep.atoms, &w.labels1, &w.prep.bounds);
        decode(
            &self.table,
            &w.prep,
            Extra::Document(&w.doc, &w.labels1),
            &mut w.statics,
            true,
            Some((&mut w.words, &self.label_scores)),
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

    /// Tags a document the way training decodes: every static feature
    /// computed up front, no caches, no precomputed label scores.
    fn reference_labels(t: &Tagger, sentences: &[Vec<&str>]) -> Vec<Label> {
        let mut prep = Prepared::default();
        prep.fill(&t.clusters, sentences);
        let mut statics = StaticScores::default();
        let (mut first, mut second) = (Vec::new(), Vec::new());
        decode(
            &t.table,
            &prep,
            Extra::None,
            &mut statics,
            false,
            None,
            &mut first,
        );
        let mut doc = DocumentIndex::default();
        doc.build(&prep.atoms, &first, &prep.bounds);
        let extra = Extra::Document(&doc, &first);
        decode(
            &t.table,
            &prep,
            extra,
            &mut statics,
            true,
            None,
            &mut second,
        );
        second
    }

    #[test]
    fn caches_and_label_tables_do_not_change_labels() {
        let texts = [
            include_str!("../../corpus/000_9ca1e063e595d5e0.txt"),
            include_str!("../../corpus/world/gaza-doha-agreement-2025-01.txt"),
            include_str!("../../corpus/world/gaza-paris-framework-2024-01.txt"),
            include_str!("../../corpus/world/india-pakistan-understanding-2025-05.txt"),
            include_str!("../../corpus/world/sudan-jeddah-talks-2023-05.txt"),
        ];
        let t = Tagger::embedded();
        let mut entities = 0;
        // Twice over, so that the second round meets warm caches (and
        // entries evicted by other words).
        for text in texts.iter().chain(&texts) {
            let words: Vec<Vec<&str>> = tokenize(text)
                .iter()
                .map(|s| s.iter().map(|t| t.text).collect())
                .collect();
            let fast: Vec<Label> = t.tag_document(&words).concat();
            let reference = reference_labels(t, &words);
            assert_eq!(fast, reference);
            entities += fast.iter().filter(|l| **l != Label::O).count();
        }
        assert!(entities > 100, "{entities}");
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
