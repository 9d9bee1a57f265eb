//! Feature extraction: per-token "atoms" (hashes of the word, its lower
//! case, shape, affixes, cluster prefixes) computed once per token, then
//! combined with template numbers into 64-bit feature ids.
//!
//! Why hashes and not strings: a token has ~50 features and the tagger must
//! run at ≥ 1M tokens/s, so no feature may allocate. Label-dependent
//! features (previous predictions) are the only ones computed during
//! decoding; everything else is computed once and shared by both stages.

use std::collections::{HashMap, HashSet};

use super::clusters::{ClusterIndex, IdentityBuild};
use super::hash::{finish, hash_bytes, hash_lower_digits, mix};
use super::label::{EntityType, Label};
use super::model::Table;

/// Version of the feature definitions; stored in the model so that a model
/// trained with other features is rejected instead of silently misread.
pub(crate) const FEATURE_VERSION: u32 = 7;

/// Number of labels (BILOU × 4 types + O).
pub(crate) const NL: usize = Label::COUNT;

/// Cluster bit-string prefix lengths used as features (Ratinov & Roth).
pub(crate) const CLUSTER_PREFIXES: [usize; 4] = [4, 6, 10, 20];

/// Capitalisation classes.
const CAP_NONE: u8 = 0; // no letters
const CAP_LOWER: u8 = 1;
const CAP_INIT: u8 = 2; // "London"
const CAP_ALL: u8 = 3; // "EU", "BRUSSELS"
const CAP_MIXED: u8 = 4; // "McDonald", "eBay"

/// Precomputed per-token hashes.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Atoms {
    pub word: u64,
    pub lower: u64,
    pub shape: u64,
    pub prefix: [u64; 4],
    pub suffix: [u64; 4],
    /// How many of `prefix`/`suffix` are valid (word length in bytes, ≤ 4).
    pub affixes: u8,
    pub cap: u8,
    /// Hashes of the cluster path prefixes (all 0 when the word has no
    /// cluster).
    pub cluster: [u64; 4],
    /// Gazetteer flags (see `gaz`), set per sentence after `atoms`.
    pub gaz: u32,
}

impl Atoms {
    /// Whether the token has an upper-case letter (the only tokens that
    /// take part in document-level consistency).
    pub fn capitalised(&self) -> bool {
        self.cap >= CAP_INIT
    }

    /// Whether the token is written in capitals only ("EU", "BRUSSELS").
    pub fn is_all_caps(&self) -> bool {
        self.cap == CAP_ALL
    }
}

/// Padding atoms outside the sentence, distinct from any real token.
fn boundary(id: u64) -> Atoms {
    let h = finish(0xB0B0_0000 + id);
    Atoms {
        word: h,
        lower: h,
        shape: h,
        ..Atoms::default()
    }
}

/// Computes the atoms of one token.
pub(crate) fn atoms(word: &str, clusters: &ClusterIndex) -> Atoms {
    let b = word.as_bytes();
    let mut a = Atoms {
        word: hash_bytes(1, b),
        lower: hash_lower_digits(2, b),
        shape: shape_hash(b),
        cap: cap_class(b),
        ..Atoms::default()
    };
    let n = b.len().min(4);
    a.affixes = n as u8;
    for k in 1..=n {
        a.prefix[k - 1] = pack_lower(&b[..k]);
        a.suffix[k - 1] = pack_lower(&b[b.len() - k..]);
    }
    if let Some(c) = clusters.lookup(b, a.word) {
        a.cluster = *c;
    }
    a
}

/// Up to 7 bytes, lower-cased and packed with their length: an affix atom
/// without hashing (the feature hash mixes it anyway).
#[inline]
fn pack_lower(b: &[u8]) -> u64 {
    let mut v = (b.len() as u64) << 56;
    for (i, c) in b.iter().take(7).enumerate() {
        v |= (c.to_ascii_lowercase() as u64) << (8 * i);
    }
    v
}

fn cap_class(b: &[u8]) -> u8 {
    let upper = b.iter().filter(|c| c.is_ascii_uppercase()).count();
    let lower = b.iter().filter(|c| c.is_ascii_lowercase()).count();
    match (upper, lower) {
        (0, 0) => CAP_NONE,
        (0, _) => CAP_LOWER,
        (_, 0) => CAP_ALL,
        (1, _) if b[0].is_ascii_uppercase() => CAP_INIT,
        _ => CAP_MIXED,
    }
}

/// Word shape: X for upper, x for lower, d for digits, other bytes kept;
/// runs longer than two collapsed ("Xxx", "dd-dd", "X.X."), so that
/// "1996" and "2003" share a shape but "5" does not.
fn shape_hash(b: &[u8]) -> u64 {
    let mut buf = [0u8; 24];
    let mut n = 0;
    let mut run = 0;
    let mut last = 0u8;
    for &c in b {
        let s = match c {
            b'A'..=b'Z' => b'X',
            b'a'..=b'z' => b'x',
            b'0'..=b'9' => b'd',
            0x80.. => b'u',
            _ => c,
        };
        if s == last {
            run += 1;
            if run > 2 {
                continue;
            }
        } else {
            run = 1;
            last = s;
        }
        if n == buf.len() {
            break;
        }
        buf[n] = s;
        n += 1;
    }
    hash_bytes(3, &buf[..n])
}

// Template numbers. Never renumber: models store hashes derived from them
// (bump FEATURE_VERSION if a template changes meaning).
const T_BIAS: u64 = 1;
const T_WORD: u64 = 2;
const T_LOWER: u64 = 3;
const T_SHAPE: u64 = 4;
const T_PREFIX: u64 = 5; // + k-1
const T_SUFFIX: u64 = 9; // + k-1
const T_LOWER_AT: u64 = 13; // + offset slot (-2,-1,+1,+2)
const T_SHAPE_AT: u64 = 17; // + offset slot
const T_BIGRAM_LEFT: u64 = 21;
const T_BIGRAM_RIGHT: u64 = 22;
const T_SHAPE3: u64 = 23;
const T_FIRST: u64 = 24;
const T_FIRST_LOWER: u64 = 25;
const T_CAPS_SENT_LOWER: u64 = 26;
const T_CAP3: u64 = 27;
const T_WORD_LEFT: u64 = 28;
const T_WORD_RIGHT: u64 = 29;
const T_SKIP_BIGRAM: u64 = 53;
const T_TRIGRAM_LEFT: u64 = 54;
const T_TOPIC_RIGHT: u64 = 55;
const T_TOPIC_LEFT: u64 = 56;
const T_CLUSTER_LEFT: u64 = 57;
const T_CLUSTER_RIGHT: u64 = 58;
const T_CLUSTER: u64 = 30; // + 4 * (offset + 2) + prefix slot
const T_GAZ: u64 = 50; // + offset slot (-1, 0, +1)
const T_Y1: u64 = 60;
const T_Y2Y1: u64 = 61;
const T_Y1_LOWER: u64 = 62;
const T_Y1_SHAPE: u64 = 63;
const T_S1: u64 = 70;
const T_S1_LEFT: u64 = 71;
const T_S1_RIGHT: u64 = 72;
const T_DOC_MAJ: u64 = 73;
const T_DOC_MAJ_S1: u64 = 74;
const T_DOC_ENT: u64 = 75;
const T_DOC_MAJ_CI: u64 = 76;
const T_DOC_ENT_CI: u64 = 77;
const T_DOC_LOWER_SEEN: u64 = 78;
const T_DOC_CTX_LEFT: u64 = 79;
const T_DOC_CTX_RIGHT: u64 = 80;
const T_DOC_FIRST: u64 = 81;

#[inline(always)]
fn f1(t: u64, a: u64) -> u64 {
    finish(mix(t.wrapping_mul(0x9e37_79b9_7f4a_7c15), a))
}

#[inline(always)]
fn f2(t: u64, a: u64, b: u64) -> u64 {
    finish(mix(mix(t.wrapping_mul(0x9e37_79b9_7f4a_7c15), a), b))
}

#[inline(always)]
fn f3(t: u64, a: u64, b: u64, c: u64) -> u64 {
    finish(mix(
        mix(mix(t.wrapping_mul(0x9e37_79b9_7f4a_7c15), a), b),
        c,
    ))
}

/// Sentence-level facts that features condition on.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct SentenceInfo {
    /// Most letters are upper case: a headline ("EU REJECTS GERMAN CALL").
    pub all_caps: bool,
    /// Lower-case hash of the document's first word (its headline's first
    /// word, "SOCCER" in CoNLL sports reports); 0 when unknown.
    pub topic: u64,
}

pub(crate) fn sentence_info(atoms: &[Atoms]) -> SentenceInfo {
    let lettered = atoms.iter().filter(|a| a.cap != CAP_NONE).count();
    let caps = atoms.iter().filter(|a| a.cap == CAP_ALL).count();
    SentenceInfo {
        all_caps: lettered >= 2 && caps * 2 > lettered,
        topic: 0,
    }
}

/// Appends the label-independent features of token `i` to `out`: those of
/// its word alone, those of each neighbour alone, then those that combine
/// words or depend on the sentence.
pub(crate) fn static_features(atoms: &[Atoms], info: SentenceInfo, i: usize, out: &mut Vec<u64>) {
    word_features(&atoms[i], out);
    for slot in NEIGHBOUR_SLOTS {
        neighbour_features(&neighbour(atoms, i, slot), slot, out);
    }
    joint_features(atoms, info, i, out);
}

/// Window slot of the token itself (slots 0-4 cover offsets -2..=+2).
pub(crate) const OWN_SLOT: usize = 2;
/// Window slots of the neighbours (-2, -1, +1, +2).
pub(crate) const NEIGHBOUR_SLOTS: [usize; 4] = [0, 1, 3, 4];

/// Adds one label-score row to another.
#[inline]
pub(crate) fn add_scores(acc: &mut [i32; NL], x: &[i32; NL]) {
    for (a, b) in acc.iter_mut().zip(x) {
        *a += b;
    }
}

/// The atoms at window slot `slot` around token `i` (boundary padding
/// outside the sentence).
#[inline]
pub(crate) fn neighbour(atoms: &[Atoms], i: usize, slot: usize) -> Atoms {
    let j = i as isize + slot as isize - OWN_SLOT as isize;
    if j < 0 {
        boundary((-j) as u64)
    } else if j as usize >= atoms.len() {
        boundary(100 + (j as u64 - atoms.len() as u64))
    } else {
        atoms[j as usize]
    }
}

/// Appends the features that depend on the token's word alone (form,
/// shape, affixes, its own cluster prefixes). The tagger sums their weights
/// once per distinct word and caches the sum.
pub(crate) fn word_features(a: &Atoms, out: &mut Vec<u64>) {
    out.push(f1(T_BIAS, 0));
    out.push(f1(T_WORD, a.word));
    out.push(f1(T_LOWER, a.lower));
    out.push(f1(T_SHAPE, a.shape));
    // Suffixes of 1-4 bytes, prefixes of 3-4: short prefixes did not help
    // and every feature costs a look-up.
    for k in 0..a.affixes as usize {
        if k >= 2 {
            out.push(f1(T_PREFIX + k as u64, a.prefix[k]));
        }
        out.push(f1(T_SUFFIX + k as u64, a.suffix[k]));
    }
    if a.cluster[0] != 0 {
        for k in 0..4 {
            out.push(f1(T_CLUSTER + 4 * OWN_SLOT as u64 + k as u64, a.cluster[k]));
        }
    }
}

/// Appends the features that depend on one neighbour's word alone, `n` at
/// window slot `slot` (see [`NEIGHBOUR_SLOTS`]): its lower case, shape and
/// form next to the token, its cluster prefixes. Like [`word_features`],
/// their sum is cached per word and slot.
pub(crate) fn neighbour_features(n: &Atoms, slot: usize, out: &mut Vec<u64>) {
    // The lower-case and shape templates number the four neighbours 0-3.
    let k = if slot < OWN_SLOT { slot } else { slot - 1 } as u64;
    out.push(f1(T_LOWER_AT + k, n.lower));
    match slot {
        1 => {
            out.push(f1(T_SHAPE_AT + k, n.shape));
            out.push(f1(T_WORD_LEFT, n.word));
        }
        3 => {
            out.push(f1(T_SHAPE_AT + k, n.shape));
            out.push(f1(T_WORD_RIGHT, n.word));
        }
        _ => {}
    }
    if n.cluster[0] != 0 {
        // Fewer prefixes than the token's own four (an ablation on
        // eng.testa lost nothing without the others).
        let keep: &[usize] = if slot == 1 || slot == 3 {
            &[1, 2, 3]
        } else {
            &[1, 3]
        };
        for &p in keep {
            out.push(f1(T_CLUSTER + 4 * slot as u64 + p as u64, n.cluster[p]));
        }
    }
}

/// Appends the features of token `i` that combine it with its neighbours
/// or depend on its position, its sentence or gazetteer matches
/// (everything [`word_features`] and [`neighbour_features`] leave out).
pub(crate) fn joint_features(atoms: &[Atoms], info: SentenceInfo, i: usize, out: &mut Vec<u64>) {
    let a = atoms[i];
    let (m2, m1, p1) = (
        neighbour(atoms, i, 0),
        neighbour(atoms, i, 1),
        neighbour(atoms, i, 3),
    );
    out.push(f2(T_BIGRAM_LEFT, m1.lower, a.lower));
    out.push(f2(T_BIGRAM_RIGHT, a.lower, p1.lower));
    out.push(f3(T_SHAPE3, m1.shape, a.shape, p1.shape));
    out.push(f1(
        T_CAP3,
        (m1.cap as u64) << 16 | (a.cap as u64) << 8 | p1.cap as u64,
    ));
    out.push(f2(T_SKIP_BIGRAM, m1.lower, p1.lower));
    out.push(f3(T_TRIGRAM_LEFT, m2.lower, m1.lower, a.lower));
    if info.topic != 0 {
        // CoNLL sports reports open with "SOCCER -", "CRICKET -": whether a
        // capitalised word before a number is a team or a player depends
        // on the sport.
        out.push(f3(T_TOPIC_RIGHT, info.topic, a.shape, p1.shape));
        out.push(f3(T_TOPIC_LEFT, info.topic, m1.shape, a.shape));
    }
    // Cluster bigrams: the class of a word next to its neighbour's
    // ("Mr" + surname-like, city + "-based").
    out.push(f2(T_CLUSTER_LEFT, m1.cluster[1], a.cluster[1]));
    out.push(f2(T_CLUSTER_RIGHT, a.cluster[1], p1.cluster[1]));
    if i == 0 {
        out.push(f1(T_FIRST, a.shape));
        out.push(f1(T_FIRST_LOWER, a.lower));
    }
    if info.all_caps {
        out.push(f1(T_CAPS_SENT_LOWER, a.lower));
    }
    // Gazetteer flags include multi-token matches, so they depend on the
    // sentence, not on the word alone.
    for (o, n) in [m1, a, p1].iter().enumerate() {
        let mut bits = n.gaz;
        while bits != 0 {
            let b = bits.trailing_zeros();
            bits &= bits - 1;
            out.push(f1(T_GAZ + o as u64, b as u64));
        }
    }
}

/// Appends the features that depend on the two previous predicted labels
/// (`None` = before the sentence start).
#[inline]
pub(crate) fn dynamic_features(
    a: &Atoms,
    prev1: Option<Label>,
    prev2: Option<Label>,
    out: &mut [u64; 4],
) {
    let [h1, h2] = history_features(prev1, prev2);
    let [t1, t2] = label_word_features(a, prev1);
    *out = [h1, h2, t1, t2];
}

/// Label code for feature arguments: the label's index, or `NL` for none.
#[inline]
fn label_code(l: Option<Label>) -> u64 {
    l.map_or(NL as u64, |l| l.index() as u64)
}

/// The [`dynamic_features`] of the label history alone.
#[inline]
fn history_features(prev1: Option<Label>, prev2: Option<Label>) -> [u64; 2] {
    let (l1, l2) = (label_code(prev1), label_code(prev2));
    [f1(T_Y1, l1), f2(T_Y2Y1, l2, l1)]
}

/// The [`dynamic_features`] that pair the previous label with the token.
#[inline]
pub(crate) fn label_word_features(a: &Atoms, prev1: Option<Label>) -> [u64; 2] {
    let l1 = label_code(prev1);
    [f2(T_Y1_LOWER, l1, a.lower), f2(T_Y1_SHAPE, l1, a.shape)]
}

/// The document features of a token's first-pass label and its
/// neighbours' (`None` outside the sentence).
#[inline]
fn label_context_features(left: Option<Label>, own: Label, right: Option<Label>) -> [u64; 3] {
    let li = own.index() as u64;
    [
        f1(T_S1, li),
        f2(T_S1_LEFT, label_code(left), li),
        f2(T_S1_RIGHT, li, label_code(right)),
    ]
}

/// Every label, then `None`: the values a label argument can take.
fn label_codes() -> impl Iterator<Item = Option<Label>> + Clone {
    (0..NL).map(|i| Some(Label::from_index(i))).chain([None])
}

/// The summed weights of the features whose only arguments are labels,
/// for every combination of labels: a few hundred rows that stay in the
/// cache, replacing two table look-ups per scored token in each pass.
/// Sums are the same as the look-ups'.
#[derive(Debug, Clone)]
pub(crate) struct LabelScores {
    /// By `label_code(prev2) * (NL + 1) + label_code(prev1)`.
    history: Vec<[i32; NL]>,
    /// `T_S1` and `T_S1_LEFT`, by `label_code(left) * NL + own`.
    left: Vec<[i32; NL]>,
    /// `T_S1_RIGHT`, by `own * (NL + 1) + label_code(right)`.
    right: Vec<[i32; NL]>,
}

impl LabelScores {
    pub(crate) fn new(table: &Table) -> LabelScores {
        let score = |feats: &[u64]| {
            let mut acc = [0i32; NL];
            table.accumulate(feats, &mut acc);
            acc
        };
        let mut s = LabelScores {
            history: vec![[0; NL]; (NL + 1) * (NL + 1)],
            left: vec![[0; NL]; (NL + 1) * NL],
            right: vec![[0; NL]; NL * (NL + 1)],
        };
        for p2 in label_codes() {
            for p1 in label_codes() {
                s.history[(label_code(p2) as usize) * (NL + 1) + label_code(p1) as usize] =
                    score(&history_features(p1, p2));
            }
        }
        for own in (0..NL).map(Label::from_index) {
            for other in label_codes() {
                let [own_f, left_f, _] = label_context_features(other, own, None);
                let [_, _, right_f] = label_context_features(None, own, other);
                let o = label_code(other) as usize;
                s.left[o * NL + own.index()] = score(&[own_f, left_f]);
                s.right[own.index() * (NL + 1) + o] = score(&[right_f]);
            }
        }
        s
    }

    /// Weights of the label-history features (see [`dynamic_features`]).
    #[inline]
    pub(crate) fn history(&self, prev1: Option<Label>, prev2: Option<Label>) -> &[i32; NL] {
        &self.history[label_code(prev2) as usize * (NL + 1) + label_code(prev1) as usize]
    }

    /// Adds the weights of the label-context document features of token
    /// `i` of the sentence spanning `sentence` (see
    /// [`DocumentIndex::features`]).
    #[inline]
    pub(crate) fn add_label_context(
        &self,
        labels: &[Label],
        sentence: (usize, usize),
        i: usize,
        acc: &mut [i32; NL],
    ) {
        let (left, own, right) = label_context(labels, sentence, i);
        add_scores(
            acc,
            &self.left[label_code(left) as usize * NL + own.index()],
        );
        add_scores(
            acc,
            &self.right[own.index() * (NL + 1) + label_code(right) as usize],
        );
    }
}

/// The first-pass labels of token `i` and its neighbours in its sentence.
#[inline]
fn label_context(
    labels: &[Label],
    sentence: (usize, usize),
    i: usize,
) -> (Option<Label>, Label, Option<Label>) {
    let (s, e) = sentence;
    let left = (i > s).then(|| labels[i - 1]);
    let right = (i + 1 < e).then(|| labels[i + 1]);
    (left, labels[i], right)
}

/// Type slot of a label for majority counts: 0 = O, 1 + type index.
fn type_slot(l: Label) -> usize {
    l.kind().map_or(0, |k| 1 + k.index())
}

fn majority(c: &[u16; 5]) -> usize {
    let mut best = 0;
    for k in 1..5 {
        if c[k] > c[best] {
            best = k;
        }
    }
    best
}

fn majority_entity(c: &[u16; 5]) -> Option<usize> {
    let mut best = None;
    for k in 1..5 {
        if c[k] > 0 && best.is_none_or(|b: usize| c[k] > c[b]) {
            best = Some(k);
        }
    }
    best
}

/// Document-level features for the second pass, from the first pass's
/// labels of the whole document (Ratinov & Roth's non-local features):
/// the label of the token and its neighbours; for a capitalised word, the
/// majority type given to it (exact, and case-insensitively for headlines)
/// at its other occurrences, the type of its first mention, whether it
/// also appears in lower case, and the words around its other occurrences
/// (context aggregation).
///
/// `atoms` and `labels` are the whole document flattened and
/// `sentence_bounds` the token range of each sentence. Appends to `out`
/// and pushes an end offset per token to `ends`.
pub(crate) fn document_features(
    atoms: &[Atoms],
    labels: &[Label],
    sentence_bounds: &[(usize, usize)],
    out: &mut Vec<u64>,
    ends: &mut Vec<u32>,
) {
    let mut doc = DocumentIndex::default();
    doc.build(atoms, labels, sentence_bounds);
    for &(s, e) in sentence_bounds {
        for i in s..e {
            doc.features(atoms, labels, (s, e), i, out);
            ends.push(out.len() as u32);
        }
    }
}

/// What the document-level features of a token look up: the first pass's
/// labels of each capitalised word, the lower-case words seen, and where
/// capitalised words occur. Built once per document; the tagger then asks
/// for the features of only the tokens it scores, and reuses the maps
/// across documents.
#[derive(Debug, Default)]
pub(crate) struct DocumentIndex {
    /// Label counts per exact word.
    exact: HashMap<u64, [u16; 5], IdentityBuild>,
    /// Label counts per lower-cased word.
    folded: HashMap<u64, [u16; 5], IdentityBuild>,
    /// Lower-case words seen other than at a sentence start.
    lower_seen: HashSet<u64, IdentityBuild>,
    /// Where each capitalised word occurs (first few occurrences), with
    /// its neighbours: Ratinov & Roth's context aggregation.
    places: HashMap<u64, Vec<(usize, u64, u64)>, IdentityBuild>,
}

impl DocumentIndex {
    /// Indexes a document (see [`document_features`] for the arguments).
    pub(crate) fn build(
        &mut self,
        atoms: &[Atoms],
        labels: &[Label],
        sentence_bounds: &[(usize, usize)],
    ) {
        self.exact.clear();
        self.folded.clear();
        self.lower_seen.clear();
        self.places.clear();
        for &(s, e) in sentence_bounds {
            for i in s..e {
                let a = &atoms[i];
                if a.capitalised() {
                    let v = self.places.entry(a.word).or_default();
                    if v.len() < 4 {
                        let left = if i > s { atoms[i - 1].lower } else { 1 };
                        let right = if i + 1 < e { atoms[i + 1].lower } else { 2 };
                        v.push((i, left, right));
                    }
                    let slot = type_slot(labels[i]);
                    self.exact.entry(a.word).or_default()[slot] += 1;
                    self.folded.entry(a.lower).or_default()[slot] += 1;
                } else if a.cap == CAP_LOWER && i > s {
                    self.lower_seen.insert(a.lower);
                }
            }
        }
    }

    /// Appends the document features of token `i` of the sentence spanning
    /// `sentence` (`atoms` and `labels` as given to [`DocumentIndex::build`]).
    pub(crate) fn features(
        &self,
        atoms: &[Atoms],
        labels: &[Label],
        sentence: (usize, usize),
        i: usize,
        out: &mut Vec<u64>,
    ) {
        let (left, own, right) = label_context(labels, sentence, i);
        out.extend(label_context_features(left, own, right));
        self.word_features(atoms, labels, i, out);
    }

    /// The document features of token `i` other than its label context
    /// (which [`LabelScores::add_label_context`] scores): what the other
    /// occurrences of a capitalised word say.
    pub(crate) fn word_features(
        &self,
        atoms: &[Atoms],
        labels: &[Label],
        i: usize,
        out: &mut Vec<u64>,
    ) {
        let a = &atoms[i];
        if !a.capitalised() {
            return;
        }
        let l = labels[i];
        let li = l.index() as u64;
        let own = type_slot(l);
        if let Some(c) = self.exact.get(&a.word) {
            let mut c = *c;
            c[own] -= 1;
            if c.iter().any(|&n| n > 0) {
                let m = majority(&c) as u64;
                out.push(f1(T_DOC_MAJ, m));
                out.push(f2(T_DOC_MAJ_S1, m, li));
            }
            if let Some(m) = majority_entity(&c) {
                out.push(f1(T_DOC_ENT, m as u64));
            }
        }
        if let Some(c) = self.folded.get(&a.lower) {
            let mut c = *c;
            c[own] -= 1;
            if c.iter().any(|&n| n > 0) {
                out.push(f1(T_DOC_MAJ_CI, majority(&c) as u64));
            }
            if let Some(m) = majority_entity(&c) {
                out.push(f1(T_DOC_ENT_CI, m as u64));
            }
        }
        if self.lower_seen.contains(&a.lower) {
            out.push(f1(T_DOC_LOWER_SEEN, a.cap as u64));
        }
        if let Some(v) = self.places.get(&a.word) {
            for &(_, left, right) in v.iter().filter(|p| p.0 != i) {
                out.push(f1(T_DOC_CTX_LEFT, left));
                out.push(f1(T_DOC_CTX_RIGHT, right));
            }
            // The first mention usually has the fullest form
            // ("Bill Clinton" before "Clinton").
            if let Some(&(j, _, _)) = v.first().filter(|p| p.0 != i) {
                out.push(f2(T_DOC_FIRST, type_slot(labels[j]) as u64, li));
            }
        }
    }
}

/// Entity type behind a majority slot, for diagnostics and tests.
#[allow(dead_code)]
pub(crate) fn slot_type(slot: usize) -> Option<EntityType> {
    slot.checked_sub(1).map(|k| EntityType::ALL[k])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn atoms_of(words: &[&str]) -> Vec<Atoms> {
        let c = ClusterIndex::default();
        words.iter().map(|w| atoms(w, &c)).collect()
    }

    #[test]
    fn shapes_collapse_runs() {
        assert_eq!(shape_hash(b"1996"), shape_hash(b"2003"));
        assert_ne!(shape_hash(b"5"), shape_hash(b"1996"));
        assert_eq!(shape_hash(b"London"), shape_hash(b"Paris"));
        assert_ne!(shape_hash(b"London"), shape_hash(b"LONDON"));
    }

    #[test]
    fn cap_classes() {
        assert_eq!(cap_class(b"London"), CAP_INIT);
        assert_eq!(cap_class(b"EU"), CAP_ALL);
        assert_eq!(cap_class(b"McDonald"), CAP_MIXED);
        assert_eq!(cap_class(b"the"), CAP_LOWER);
        assert_eq!(cap_class(b"1996"), CAP_NONE);
    }

    #[test]
    fn static_features_are_context_sensitive() {
        let s1 = atoms_of(&["in", "Paris", "today"]);
        let s2 = atoms_of(&["in", "Paris", "yesterday"]);
        let mut f1v = Vec::new();
        let mut f2v = Vec::new();
        static_features(&s1, sentence_info(&s1), 1, &mut f1v);
        static_features(&s2, sentence_info(&s2), 1, &mut f2v);
        assert_eq!(f1v.len(), f2v.len());
        let shared = f1v.iter().filter(|f| f2v.contains(f)).count();
        assert!(shared > 10 && shared < f1v.len(), "{shared}/{}", f1v.len());
        // Deterministic.
        let mut again = Vec::new();
        static_features(&s1, sentence_info(&s1), 1, &mut again);
        assert_eq!(f1v, again);
    }

    #[test]
    fn headline_detection() {
        let s = atoms_of(&["EU", "REJECTS", "GERMAN", "CALL"]);
        assert!(sentence_info(&s).all_caps);
        let s = atoms_of(&["The", "EU", "rejects", "it"]);
        assert!(!sentence_info(&s).all_caps);
    }

    #[test]
    fn document_features_see_other_occurrences() {
        let a = atoms_of(&["Clinton", "said", "Clinton"]);
        let per = Label::U(EntityType::Per);
        let labels = [per, Label::O, Label::O];
        let mut out = Vec::new();
        let mut ends = Vec::new();
        document_features(&a, &labels, &[(0, 3)], &mut out, &mut ends);
        assert_eq!(ends.len(), 3);
        // The third token sees that the first was a person.
        let third = &out[ends[1] as usize..ends[2] as usize];
        assert!(third.contains(&f1(T_DOC_MAJ, 1)));
        assert!(third.contains(&f1(T_DOC_ENT, 1)));
        // Context aggregation: the first occurrence was followed by "said".
        assert!(third.contains(&f1(T_DOC_CTX_RIGHT, a[1].lower)));
        // First mention was a person.
        assert!(third.contains(&f2(T_DOC_FIRST, 1, labels[2].index() as u64)));
        assert_eq!(slot_type(1), Some(EntityType::Per));
    }
}
