//! Exact-span evaluation compatible with the CoNLL shared task's
//! `conlleval` script. Chunk boundaries follow its `startOfChunk` /
//! `endOfChunk` rules, including how ill-formed sequences (`O I-ORG`,
//! `B-LOC I-PER`) are read, because scorer details move F1 by ~0.5.

use std::time::Instant;

use serde::Serialize;

use super::conll::Document;
use super::label::{EntitySpan, EntityType, Iob};
use super::tagger::Tagger;

/// Splits an IOB sequence into chunks exactly as conlleval does.
///
/// conlleval: a chunk ends before a `B` or `O`, or when the type changes;
/// a chunk starts at a `B`, at an `I` after `O`, or at any tag whose type
/// differs from the previous tag's type. IOB1 and IOB2 both fall out.
pub fn chunks(tags: &[Iob]) -> Vec<EntitySpan> {
    let mut out = Vec::new();
    let mut open: Option<(EntityType, usize)> = None;
    let mut prev = Iob::O;
    for (i, &tag) in tags.iter().enumerate() {
        if open.is_some() && end_of_chunk(prev, tag) {
            if let Some((kind, start)) = open.take() {
                out.push(EntitySpan {
                    kind,
                    start,
                    end: i,
                });
            }
        }
        if start_of_chunk(prev, tag) {
            if let Some(kind) = tag.kind() {
                open = Some((kind, i));
            }
        }
        prev = tag;
    }
    if let Some((kind, start)) = open {
        out.push(EntitySpan {
            kind,
            start,
            end: tags.len(),
        });
    }
    out
}

/// conlleval `endOfChunk` restricted to the B/I/O tags CoNLL-2003 uses.
fn end_of_chunk(prev: Iob, tag: Iob) -> bool {
    match (prev, tag) {
        (Iob::O, _) => false,
        (_, Iob::B(_)) | (_, Iob::O) => true,
        (p, t) => p.kind() != t.kind(),
    }
}

/// conlleval `startOfChunk` restricted to B/I/O.
fn start_of_chunk(prev: Iob, tag: Iob) -> bool {
    match (prev, tag) {
        (_, Iob::O) => false,
        (_, Iob::B(_)) => true,
        (Iob::O, Iob::I(_)) => true,
        (p, t) => p.kind() != t.kind(),
    }
}

/// Chunk counts per type (index = [`EntityType::index`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ChunkCounts {
    /// Chunks in the gold standard.
    pub gold: [usize; 4],
    /// Chunks predicted.
    pub predicted: [usize; 4],
    /// Predicted chunks that match a gold chunk exactly (type and span).
    pub correct: [usize; 4],
}

/// Precision, recall and F1 as fractions in 0–1.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Prf {
    /// correct / predicted (0 when nothing was predicted).
    pub precision: f64,
    /// correct / gold (0 when there is no gold chunk).
    pub recall: f64,
    /// Harmonic mean of precision and recall (0 when both are 0).
    pub f1: f64,
}

impl Prf {
    fn from_counts(gold: usize, predicted: usize, correct: usize) -> Prf {
        let precision = if predicted == 0 {
            0.0
        } else {
            correct as f64 / predicted as f64
        };
        let recall = if gold == 0 {
            0.0
        } else {
            correct as f64 / gold as f64
        };
        let f1 = if precision + recall == 0.0 {
            0.0
        } else {
            2.0 * precision * recall / (precision + recall)
        };
        Prf {
            precision,
            recall,
            f1,
        }
    }
}

/// Scores per entity type, serialised with the CoNLL type names as keys.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct TypeScores {
    /// Persons.
    #[serde(rename = "PER")]
    pub per: Prf,
    /// Locations.
    #[serde(rename = "LOC")]
    pub loc: Prf,
    /// Organisations.
    #[serde(rename = "ORG")]
    pub org: Prf,
    /// Miscellaneous.
    #[serde(rename = "MISC")]
    pub misc: Prf,
}

impl TypeScores {
    /// The scores of one type.
    pub fn get(&self, kind: EntityType) -> Prf {
        match kind {
            EntityType::Per => self.per,
            EntityType::Loc => self.loc,
            EntityType::Org => self.org,
            EntityType::Misc => self.misc,
        }
    }
}

/// Accumulates chunk counts sentence by sentence.
#[derive(Debug, Clone, Default)]
pub struct Scorer {
    counts: ChunkCounts,
    tokens: u64,
}

impl Scorer {
    /// A scorer with no sentences yet.
    pub fn new() -> Scorer {
        Scorer::default()
    }

    /// Adds one sentence's gold and predicted tags (same length; extra
    /// predicted tags are ignored, missing ones count as `O`).
    pub fn add(&mut self, gold: &[Iob], predicted: &[Iob]) {
        let mut pred: Vec<Iob> = predicted.iter().copied().take(gold.len()).collect();
        pred.resize(gold.len(), Iob::O);
        let g = chunks(gold);
        let p = chunks(&pred);
        for s in &g {
            self.counts.gold[s.kind.index()] += 1;
        }
        for s in &p {
            self.counts.predicted[s.kind.index()] += 1;
        }
        // Both lists are sorted by start and non-overlapping: merge them.
        let (mut i, mut j) = (0, 0);
        while i < g.len() && j < p.len() {
            if g[i] == p[j] {
                self.counts.correct[g[i].kind.index()] += 1;
                i += 1;
                j += 1;
            } else if (g[i].start, g[i].end) < (p[j].start, p[j].end) {
                i += 1;
            } else {
                j += 1;
            }
        }
        self.tokens += gold.len() as u64;
    }

    /// The raw counts so far.
    pub fn counts(&self) -> ChunkCounts {
        self.counts
    }

    /// Tokens seen so far.
    pub fn tokens(&self) -> u64 {
        self.tokens
    }

    /// Overall (micro-averaged) scores.
    pub fn overall(&self) -> Prf {
        let c = &self.counts;
        Prf::from_counts(
            c.gold.iter().sum(),
            c.predicted.iter().sum(),
            c.correct.iter().sum(),
        )
    }

    /// Scores per type.
    pub fn per_type(&self) -> TypeScores {
        let c = &self.counts;
        let f = |k: EntityType| {
            let i = k.index();
            Prf::from_counts(c.gold[i], c.predicted[i], c.correct[i])
        };
        TypeScores {
            per: f(EntityType::Per),
            loc: f(EntityType::Loc),
            org: f(EntityType::Org),
            misc: f(EntityType::Misc),
        }
    }
}

/// Result of [`evaluate`]; serialises to exactly
/// `{"overall":{..},"per_type":{"PER":{..},..},"tokens":N,"tokens_per_sec":F}`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct EvalReport {
    /// Micro-averaged exact-span scores.
    pub overall: Prf,
    /// Scores per entity type.
    pub per_type: TypeScores,
    /// Tokens tagged.
    pub tokens: u64,
    /// Tagging throughput on one thread, feature extraction included.
    pub tokens_per_sec: f64,
    /// Raw chunk counts (not serialised, to keep the JSON contract).
    #[serde(skip)]
    pub counts: ChunkCounts,
}

/// Tags every document with `tagger` on the calling thread and scores the
/// result against the gold tags.
pub fn evaluate(tagger: &Tagger, docs: &[Document]) -> EvalReport {
    let inputs: Vec<Vec<Vec<&str>>> = docs
        .iter()
        .map(|d| d.sentences.iter().map(|s| s.token_strs()).collect())
        .collect();
    let started = Instant::now();
    let predicted: Vec<_> = inputs.iter().map(|d| tagger.tag_document(d)).collect();
    let elapsed = started.elapsed().as_secs_f64();
    let mut scorer = Scorer::new();
    for (doc, pred) in docs.iter().zip(&predicted) {
        for (sent, labels) in doc.sentences.iter().zip(pred) {
            let iob: Vec<Iob> = labels.iter().map(|l| l.to_iob()).collect();
            scorer.add(&sent.tags, &iob);
        }
    }
    let tokens = scorer.tokens();
    EvalReport {
        overall: scorer.overall(),
        per_type: scorer.per_type(),
        tokens,
        tokens_per_sec: if elapsed > 0.0 {
            tokens as f64 / elapsed
        } else {
            0.0
        },
        counts: scorer.counts(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use EntityType::*;

    fn tags(s: &str) -> Vec<Iob> {
        s.split_whitespace()
            .map(|t| Iob::parse(t).expect("test tag"))
            .collect()
    }

    fn spans(s: &str) -> Vec<(EntityType, usize, usize)> {
        chunks(&tags(s))
            .into_iter()
            .map(|c| (c.kind, c.start, c.end))
            .collect()
    }

    #[test]
    fn iob1_b_marks_adjacent_entities() {
        assert_eq!(spans("I-PER I-PER B-PER"), vec![(Per, 0, 2), (Per, 2, 3)]);
        assert_eq!(spans("I-LOC B-LOC I-LOC O"), vec![(Loc, 0, 1), (Loc, 1, 3)]);
    }

    #[test]
    fn ill_formed_sequences_follow_conlleval() {
        // An I- after O starts a chunk.
        assert_eq!(spans("O I-ORG"), vec![(Org, 1, 2)]);
        // A type change inside a chunk closes it and opens a new one.
        assert_eq!(spans("B-LOC I-PER"), vec![(Loc, 0, 1), (Per, 1, 2)]);
        assert_eq!(
            spans("I-ORG I-MISC I-MISC"),
            vec![(Org, 0, 1), (Misc, 1, 3)]
        );
        // IOB2.
        assert_eq!(spans("B-PER I-PER O B-LOC"), vec![(Per, 0, 2), (Loc, 3, 4)]);
        assert_eq!(spans("O O"), vec![]);
    }

    #[test]
    fn scores_hand_worked_example() {
        let mut s = Scorer::new();
        // Gold: PER(0,2) LOC(3,4); predicted: PER(0,2) ORG(3,4) MISC(5,6).
        s.add(
            &tags("I-PER I-PER O I-LOC O O"),
            &tags("B-PER I-PER O B-ORG O B-MISC"),
        );
        // Gold: PER(0,1) PER(1,2); predicted one PER(0,2): wrong boundary.
        s.add(&tags("I-PER B-PER"), &tags("I-PER I-PER"));
        let c = s.counts();
        assert_eq!(c.gold, [3, 1, 0, 0]);
        assert_eq!(c.predicted, [2, 0, 1, 1]);
        assert_eq!(c.correct, [1, 0, 0, 0]);
        let o = s.overall();
        assert!((o.precision - 0.25).abs() < 1e-12);
        assert!((o.recall - 0.25).abs() < 1e-12);
        assert!((o.f1 - 0.25).abs() < 1e-12);
        let per = s.per_type().per;
        assert!((per.precision - 0.5).abs() < 1e-12);
        assert!((per.recall - 1.0 / 3.0).abs() < 1e-12);
        assert!((per.f1 - 0.4).abs() < 1e-12);
        assert_eq!(s.per_type().loc.f1, 0.0);
        assert_eq!(s.tokens(), 8);
    }

    #[test]
    fn report_json_shape() {
        let r = EvalReport::default();
        let v = serde_json::to_value(&r).expect("serialisable");
        let keys: Vec<_> = v.as_object().expect("object").keys().cloned().collect();
        assert_eq!(keys.len(), 4);
        for k in ["overall", "per_type", "tokens", "tokens_per_sec"] {
            assert!(v.get(k).is_some(), "{k}");
        }
        for t in ["PER", "LOC", "ORG", "MISC"] {
            let p = &v["per_type"][t];
            assert!(p["precision"].is_number() && p["recall"].is_number() && p["f1"].is_number());
        }
        assert_eq!(v["overall"].as_object().map(|o| o.len()), Some(3));
    }
}
