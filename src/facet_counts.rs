//! Top-k entity facet counts that stay fast with hundreds of thousands of
//! distinct names.
//!
//! tantivy's `FacetCollector` streams a segment's whole facet dictionary for
//! every query (to map child facets) and turns every counted ordinal back
//! into a string one at a time; its documentation assumes far fewer facet
//! values than documents. Persons and organisations break that assumption at
//! news-archive scale. This collector counts raw term ordinals of the
//! `entity` facet column, finds each kind's ordinal range with two
//! dictionary look-ups (facets sort by kind, then name), and resolves to
//! strings only the top candidates of each segment, then looks up the exact
//! per-segment counts of the final winners. Counts are exact; the choice of
//! winners is exact whenever no segment had more distinct values than
//! [`CANDIDATES_PER_SEGMENT`] in a kind, and otherwise follows each
//! segment's top candidates (as Elasticsearch's `shard_size` does).

use std::collections::HashMap;
use std::ops::Bound;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::fastfield::FacetReader;
use tantivy::schema::Facet;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

use crate::schema::FacetKind;

/// Candidates resolved per kind and segment, beyond the requested top.
pub const CANDIDATES_PER_SEGMENT: usize = 200;

/// Counts of the facet kinds in [`FacetKind::FACETABLE`], most frequent first.
pub type KindCounts = Vec<(String, u64)>;

/// Counts entity facet values over the matching documents.
pub struct EntityFacetCollector {
    field_name: String,
    top: usize,
}

impl EntityFacetCollector {
    /// Counts the facet field `field_name`, keeping `top` values per kind.
    pub fn new(field_name: &str, top: usize) -> EntityFacetCollector {
        EntityFacetCollector {
            field_name: field_name.to_string(),
            top,
        }
    }

    fn candidates(&self) -> usize {
        self.top.saturating_mul(4).max(CANDIDATES_PER_SEGMENT)
    }
}

/// What one segment counted.
pub struct SegmentCounts {
    reader: FacetReader,
    counts: Vec<u32>,
    /// Per kind: the resolved candidates.
    kinds: Vec<KindSegment>,
}

struct KindSegment {
    values: HashMap<String, u64>,
    /// Values with a nonzero count were left unresolved.
    truncated: bool,
}

pub struct EntityFacetSegmentCollector {
    reader: FacetReader,
    counts: Vec<u32>,
    candidates: usize,
}

impl Collector for EntityFacetCollector {
    type Fruit = Vec<KindCounts>;
    type Child = EntityFacetSegmentCollector;

    fn for_segment(
        &self,
        _segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<EntityFacetSegmentCollector> {
        let reader = reader.facet_reader(&self.field_name)?;
        let counts = vec![0u32; reader.num_facets()];
        Ok(EntityFacetSegmentCollector {
            reader,
            counts,
            candidates: self.candidates(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, segments: Vec<SegmentCounts>) -> tantivy::Result<Vec<KindCounts>> {
        let mut out = Vec::with_capacity(FacetKind::FACETABLE.len());
        for (k, kind) in FacetKind::FACETABLE.iter().enumerate() {
            let mut totals: HashMap<&str, u64> = HashMap::new();
            for segment in &segments {
                for (value, count) in &segment.kinds[k].values {
                    *totals.entry(value.as_str()).or_default() += count;
                }
            }
            let mut ranked: Vec<(String, u64)> = totals
                .into_iter()
                .map(|(value, count)| (value.to_string(), count))
                .collect();
            rank(&mut ranked);
            ranked.truncate(self.top);
            // Exact counts for the winners in segments that did not resolve them.
            for (value, count) in &mut ranked {
                let encoded = kind.facet(value);
                for segment in segments.iter().filter(|s| s.kinds[k].truncated) {
                    if segment.kinds[k].values.contains_key(value.as_str()) {
                        continue;
                    }
                    let dict = segment.reader.facet_dict();
                    let key = encoded.encoded_str().as_bytes();
                    if let Some(ord) = dict.term_ord(key)? {
                        *count += u64::from(segment.counts[ord as usize]);
                    }
                }
            }
            rank(&mut ranked);
            out.push(ranked);
        }
        Ok(out)
    }
}

/// Most frequent first, ties by value.
fn rank(values: &mut [(String, u64)]) {
    values.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
}

impl SegmentCollector for EntityFacetSegmentCollector {
    type Fruit = SegmentCounts;

    fn collect(&mut self, doc: DocId, _score: Score) {
        for ord in self.reader.facet_ords(doc) {
            self.counts[ord as usize] += 1;
        }
    }

    fn collect_block(&mut self, docs: &[DocId]) {
        for &doc in docs {
            for ord in self.reader.facet_ords(doc) {
                self.counts[ord as usize] += 1;
            }
        }
    }

    fn harvest(self) -> SegmentCounts {
        let kinds = FacetKind::FACETABLE
            .iter()
            .map(|kind| self.harvest_kind(*kind).unwrap_or_else(|_| empty_kind()))
            .collect();
        SegmentCounts {
            reader: self.reader,
            counts: self.counts,
            kinds,
        }
    }
}

fn empty_kind() -> KindSegment {
    KindSegment {
        values: HashMap::new(),
        truncated: false,
    }
}

impl EntityFacetSegmentCollector {
    /// The ordinals of `kind`'s children: from `kind\0` up to `kind\x01`.
    fn kind_range(&self, kind: FacetKind) -> std::io::Result<(u64, u64)> {
        let root = Facet::from_path([kind.name()]);
        let mut lo = root.encoded_str().as_bytes().to_vec();
        lo.push(0);
        let mut hi = root.encoded_str().as_bytes().to_vec();
        hi.push(1);
        let n = self.counts.len() as u64;
        let (lo, hi) = self
            .reader
            .facet_dict()
            .term_bounds_to_ord(Bound::Included(lo), Bound::Excluded(hi))?;
        let start = match lo {
            Bound::Included(o) => o,
            Bound::Excluded(o) => o.saturating_add(1),
            Bound::Unbounded => 0,
        };
        let end = match hi {
            Bound::Included(o) => o.saturating_add(1),
            Bound::Excluded(o) => o,
            Bound::Unbounded => n,
        };
        Ok((start.min(n), end.min(n).max(start.min(n))))
    }

    fn harvest_kind(&self, kind: FacetKind) -> std::io::Result<KindSegment> {
        let range = self.kind_range(kind)?;
        let slice = &self.counts[range.0 as usize..range.1 as usize];
        let mut nonzero: Vec<(u32, u64)> = slice
            .iter()
            .enumerate()
            .filter(|(_, &c)| c > 0)
            .map(|(i, &c)| (c, range.0 + i as u64))
            .collect();
        let truncated = nonzero.len() > self.candidates;
        if truncated {
            // Highest counts first; within a segment lower ordinal = smaller value.
            nonzero.select_nth_unstable_by(self.candidates - 1, |a, b| {
                b.0.cmp(&a.0).then(a.1.cmp(&b.1))
            });
            nonzero.truncate(self.candidates);
        }
        nonzero.sort_unstable_by_key(|&(_, ord)| ord);
        let ords: Vec<u64> = nonzero.iter().map(|&(_, ord)| ord).collect();
        let mut values = HashMap::with_capacity(ords.len());
        let mut i = 0;
        let prefix_len = Facet::from_path([kind.name()]).encoded_str().len() + 1;
        self.reader
            .facet_dict()
            .sorted_ords_to_term_cb(&ords, |bytes| {
                if let (Some(&(count, _)), Some(name)) = (nonzero.get(i), bytes.get(prefix_len..)) {
                    values.insert(String::from_utf8_lossy(name).into_owned(), u64::from(count));
                }
                i += 1;
            })?;
        Ok(KindSegment { values, truncated })
    }
}
