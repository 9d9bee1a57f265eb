//! Entity types and the two tag alphabets: IOB (what CoNLL files and the
//! scorer speak) and BILOU (what the model predicts, because Ratinov & Roth
//! 2009 found it learns boundaries better than IOB).

use serde::{Deserialize, Serialize};

/// The four CoNLL-2003 entity types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum EntityType {
    /// Persons.
    #[serde(rename = "PER")]
    Per,
    /// Locations (countries, cities, regions, ...).
    #[serde(rename = "LOC")]
    Loc,
    /// Organisations (companies, teams, institutions, ...).
    #[serde(rename = "ORG")]
    Org,
    /// Miscellaneous names (nationalities, events, products, ...).
    #[serde(rename = "MISC")]
    Misc,
}

impl EntityType {
    /// All types in their fixed order (the order of [`Label`] indices).
    pub const ALL: [EntityType; 4] = [
        EntityType::Per,
        EntityType::Loc,
        EntityType::Org,
        EntityType::Misc,
    ];

    /// The CoNLL spelling: `PER`, `LOC`, `ORG`, `MISC`.
    pub fn as_str(self) -> &'static str {
        match self {
            EntityType::Per => "PER",
            EntityType::Loc => "LOC",
            EntityType::Org => "ORG",
            EntityType::Misc => "MISC",
        }
    }

    /// Parses the CoNLL spelling; `None` for anything else.
    pub fn parse(s: &str) -> Option<EntityType> {
        match s {
            "PER" => Some(EntityType::Per),
            "LOC" => Some(EntityType::Loc),
            "ORG" => Some(EntityType::Org),
            "MISC" => Some(EntityType::Misc),
            _ => None,
        }
    }

    /// Position in [`EntityType::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }
}

impl std::fmt::Display for EntityType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An IOB tag as found in CoNLL files (IOB1 or IOB2: the difference is only
/// in when `B-` is used, which the conlleval chunking rules handle).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Iob {
    /// Outside any entity.
    O,
    /// `B-X`: begins an entity.
    B(EntityType),
    /// `I-X`: inside an entity (in IOB1 also its first token).
    I(EntityType),
}

impl Iob {
    /// Parses `O`, `B-X` or `I-X` with X one of the four CoNLL types.
    pub fn parse(s: &str) -> Option<Iob> {
        if s == "O" {
            return Some(Iob::O);
        }
        let (prefix, kind) = s.split_once('-')?;
        let kind = EntityType::parse(kind)?;
        match prefix {
            "B" => Some(Iob::B(kind)),
            "I" => Some(Iob::I(kind)),
            _ => None,
        }
    }

    /// The entity type, `None` for `O`.
    pub fn kind(self) -> Option<EntityType> {
        match self {
            Iob::O => None,
            Iob::B(k) | Iob::I(k) => Some(k),
        }
    }
}

impl std::fmt::Display for Iob {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Iob::O => f.write_str("O"),
            Iob::B(k) => write!(f, "B-{k}"),
            Iob::I(k) => write!(f, "I-{k}"),
        }
    }
}

/// A BILOU label: what the tagger predicts for one token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Label {
    /// Outside any entity.
    O,
    /// First token of a multi-token entity.
    B(EntityType),
    /// Inner token of an entity of three or more tokens.
    I(EntityType),
    /// Last token of a multi-token entity.
    L(EntityType),
    /// A one-token entity.
    U(EntityType),
}

impl Label {
    /// Number of distinct labels (O plus four positions for four types).
    pub const COUNT: usize = 17;

    /// Dense index in `0..Label::COUNT`; `O` is 0, then B, I, L, U per type
    /// in [`EntityType::ALL`] order.
    pub fn index(self) -> usize {
        match self {
            Label::O => 0,
            Label::B(k) => 1 + 4 * k.index(),
            Label::I(k) => 2 + 4 * k.index(),
            Label::L(k) => 3 + 4 * k.index(),
            Label::U(k) => 4 + 4 * k.index(),
        }
    }

    /// Inverse of [`Label::index`]; indices ≥ [`Label::COUNT`] map to `O`.
    pub fn from_index(i: usize) -> Label {
        if i == 0 || i >= Label::COUNT {
            return Label::O;
        }
        let kind = EntityType::ALL[(i - 1) / 4];
        match (i - 1) % 4 {
            0 => Label::B(kind),
            1 => Label::I(kind),
            2 => Label::L(kind),
            _ => Label::U(kind),
        }
    }

    /// The entity type, `None` for `O`.
    pub fn kind(self) -> Option<EntityType> {
        match self {
            Label::O => None,
            Label::B(k) | Label::I(k) | Label::L(k) | Label::U(k) => Some(k),
        }
    }

    /// IOB2 equivalent (B and U begin a chunk, I and L continue it), which
    /// is what the conlleval scorer reads.
    pub fn to_iob(self) -> Iob {
        match self {
            Label::O => Iob::O,
            Label::B(k) | Label::U(k) => Iob::B(k),
            Label::I(k) | Label::L(k) => Iob::I(k),
        }
    }

    /// Whether a label may follow `prev` in a well-formed BILOU sequence
    /// (`None` = sentence start).
    pub fn may_follow(prev: Option<Label>, next: Label) -> bool {
        match prev {
            Some(Label::B(k)) | Some(Label::I(k)) => {
                matches!(next, Label::I(n) | Label::L(n) if n == k)
            }
            _ => matches!(next, Label::O | Label::B(_) | Label::U(_)),
        }
    }

    /// Whether a label may end a sentence (an open entity may not).
    pub fn may_end(self) -> bool {
        !matches!(self, Label::B(_) | Label::I(_))
    }
}

impl std::fmt::Display for Label {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Label::O => f.write_str("O"),
            Label::B(k) => write!(f, "B-{k}"),
            Label::I(k) => write!(f, "I-{k}"),
            Label::L(k) => write!(f, "L-{k}"),
            Label::U(k) => write!(f, "U-{k}"),
        }
    }
}

/// Bitmask of labels allowed after each previous label (index
/// `Label::COUNT` = sentence start), from [`Label::may_follow`].
const fn allowed_table() -> [u32; Label::COUNT + 1] {
    let mut t = [0u32; Label::COUNT + 1];
    let mut p = 0;
    while p <= Label::COUNT {
        let mut n = 0;
        while n < Label::COUNT {
            // prev B-x (1 + 4k) or I-x (2 + 4k): only I-x, L-x of the same x.
            let ok = if p >= 1 && p < Label::COUNT && ((p - 1) % 4 == 0 || (p - 1) % 4 == 1) {
                n >= 1 && (n - 1) / 4 == (p - 1) / 4 && ((n - 1) % 4 == 1 || (n - 1) % 4 == 2)
            } else {
                n == 0 || (n - 1) % 4 == 0 || (n - 1) % 4 == 3
            };
            if ok {
                t[p] |= 1 << n;
            }
            n += 1;
        }
        p += 1;
    }
    t
}

const ALLOWED: [u32; Label::COUNT + 1] = allowed_table();

/// Labels that may end a sentence: O, L-x and U-x.
const END_MASK: u32 = {
    let mut m = 1u32;
    let mut k = 0;
    while k < 4 {
        m |= 1 << (3 + 4 * k);
        m |= 1 << (4 + 4 * k);
        k += 1;
    }
    m
};

/// The best-scoring label that keeps the BILOU sequence well-formed after
/// `prev` (and, at the last token, closes any open entity). Ties go to the
/// lower index, so decoding is deterministic.
#[inline]
pub(crate) fn best_allowed(scores: &[i32; Label::COUNT], prev: Option<Label>, last: bool) -> Label {
    let mut mask = ALLOWED[prev.map_or(Label::COUNT, Label::index)];
    if last {
        mask &= END_MASK;
    }
    let mut best = 0usize;
    let mut best_score = i32::MIN;
    for (i, &s) in scores.iter().enumerate() {
        if mask & (1 << i) != 0 && s > best_score {
            best = i;
            best_score = s;
        }
    }
    Label::from_index(best)
}

/// One entity mention inside a sentence: tokens `start..end` (end exclusive).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct EntitySpan {
    /// Entity type.
    pub kind: EntityType,
    /// Index of the first token.
    pub start: usize,
    /// Index one past the last token.
    pub end: usize,
}

/// Converts entity spans (non-overlapping, sorted) to BILOU labels for a
/// sentence of `len` tokens.
pub(crate) fn spans_to_bilou(spans: &[EntitySpan], len: usize) -> Vec<Label> {
    let mut labels = vec![Label::O; len];
    for s in spans {
        if s.end > len || s.start >= s.end {
            continue;
        }
        if s.end - s.start == 1 {
            labels[s.start] = Label::U(s.kind);
        } else {
            labels[s.start] = Label::B(s.kind);
            for l in &mut labels[s.start + 1..s.end - 1] {
                *l = Label::I(s.kind);
            }
            labels[s.end - 1] = Label::L(s.kind);
        }
    }
    labels
}

/// Converts BILOU labels to spans by way of IOB2 and the conlleval rules, so
/// that what is reported is exactly what gets scored.
pub(crate) fn bilou_to_spans(labels: &[Label]) -> Vec<EntitySpan> {
    let iob: Vec<Iob> = labels.iter().map(|l| l.to_iob()).collect();
    crate::ner::eval::chunks(&iob)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn label_index_round_trip() {
        for i in 0..Label::COUNT {
            assert_eq!(Label::from_index(i).index(), i);
        }
        assert_eq!(Label::U(EntityType::Misc).index(), 16);
    }

    #[test]
    fn bilou_round_trip() {
        let spans = vec![
            EntitySpan {
                kind: EntityType::Per,
                start: 0,
                end: 3,
            },
            EntitySpan {
                kind: EntityType::Per,
                start: 3,
                end: 4,
            },
            EntitySpan {
                kind: EntityType::Loc,
                start: 5,
                end: 7,
            },
        ];
        let labels = spans_to_bilou(&spans, 8);
        assert_eq!(labels[0], Label::B(EntityType::Per));
        assert_eq!(labels[1], Label::I(EntityType::Per));
        assert_eq!(labels[2], Label::L(EntityType::Per));
        assert_eq!(labels[3], Label::U(EntityType::Per));
        assert_eq!(bilou_to_spans(&labels), spans);
    }

    #[test]
    fn transitions() {
        let per = EntityType::Per;
        assert!(Label::may_follow(None, Label::B(per)));
        assert!(!Label::may_follow(None, Label::I(per)));
        assert!(Label::may_follow(Some(Label::B(per)), Label::L(per)));
        assert!(!Label::may_follow(
            Some(Label::B(per)),
            Label::L(EntityType::Loc)
        ));
        assert!(!Label::may_follow(Some(Label::I(per)), Label::O));
        assert!(Label::may_follow(Some(Label::L(per)), Label::U(per)));
        assert!(!Label::B(per).may_end());
    }

    #[test]
    fn allowed_table_matches_may_follow() {
        for (p, &allowed) in ALLOWED.iter().enumerate() {
            let prev = (p < Label::COUNT).then(|| Label::from_index(p));
            for n in 0..Label::COUNT {
                let next = Label::from_index(n);
                assert_eq!(
                    allowed & (1 << n) != 0,
                    Label::may_follow(prev, next),
                    "{prev:?} -> {next:?}"
                );
                assert_eq!(END_MASK & (1 << n) != 0, next.may_end());
            }
        }
        let mut scores = [0i32; Label::COUNT];
        scores[Label::I(EntityType::Per).index()] = 10;
        scores[Label::L(EntityType::Per).index()] = 5;
        let b = Some(Label::B(EntityType::Per));
        assert_eq!(best_allowed(&scores, b, false), Label::I(EntityType::Per));
        assert_eq!(best_allowed(&scores, b, true), Label::L(EntityType::Per));
        assert_eq!(best_allowed(&scores, None, false), Label::O);
    }
}
