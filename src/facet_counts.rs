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
//! winners is exact whenever no segment had more distinct values than its
//! candidate count in a kind (`top × 1.5 + 10`, Elasticsearch's default
//! `shard_size`), and otherwise follows each segment's top candidates.
//! Resolving candidates to names is the costly part of a faceted search,
//! so their number stays close to what is shown.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};
use std::ops::Bound;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::fastfield::{Column, FacetReader};
use tantivy::schema::Facet;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

use crate::schema::FacetKind;

/// Candidates resolved per kind and segment beyond the requested top, at least.
pub const EXTRA_CANDIDATES: usize = 10;

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
        self.top
            .saturating_add(self.top / 2)
            .saturating_add(EXTRA_CANDIDATES)
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
    /// The facet column's ordinals, read directly: a document's ordinals
    /// are one contiguous range, fetched with one call instead of one
    /// dynamically dispatched call per value (`FacetReader::facet_ords`).
    ords: Column<u64>,
    buffer: Vec<u64>,
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
        let ords = reader
            .fast_fields()
            .str(&self.field_name)?
            .map(|column| column.ords().clone())
            .unwrap_or_else(|| Column::build_empty_column(reader.max_doc()));
        let reader = reader.facet_reader(&self.field_name)?;
        let counts = vec![0u32; reader.num_facets()];
        Ok(EntityFacetSegmentCollector {
            reader,
            ords,
            buffer: Vec::new(),
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
        self.count(doc);
    }

    fn collect_block(&mut self, docs: &[DocId]) {
        for &doc in docs {
            self.count(doc);
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
    #[inline]
    fn count(&mut self, doc: DocId) {
        let rows = self.ords.index.value_row_ids(doc);
        let n = rows.len();
        if n == 0 {
            return;
        }
        self.buffer.resize(n, 0);
        self.ords
            .values
            .get_range(u64::from(rows.start), &mut self.buffer[..n]);
        for &ord in &self.buffer[..n] {
            self.counts[ord as usize] += 1;
        }
    }

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
        // The highest counts (lower ordinal = smaller value first among
        // equals), kept in a bounded heap: a broad query counts hundreds of
        // thousands of names, and nearly all of them lose to the first few.
        let mut best: BinaryHeap<Reverse<(u32, Reverse<u64>)>> =
            BinaryHeap::with_capacity(self.candidates + 1);
        let mut truncated = false;
        for (i, &c) in slice.iter().enumerate() {
            if c == 0 {
                continue;
            }
            let entry = Reverse((c, Reverse(range.0 + i as u64)));
            if best.len() < self.candidates {
                best.push(entry);
                continue;
            }
            truncated = true;
            if best.peek().is_some_and(|worst| entry < *worst) {
                best.pop();
                best.push(entry);
            }
        }
        let mut nonzero: Vec<(u32, u64)> = best
            .into_iter()
            .map(|Reverse((c, Reverse(ord)))| (c, ord))
            .collect();
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

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::collector::FacetCollector;
    use tantivy::query::AllQuery;
    use tantivy::schema::{FacetOptions, Schema};
    use tantivy::{doc, Index};

    /// Two segments: "Ann" leads the first, and is one name among many
    /// singletons in the second, where it misses the candidate list. Its
    /// count must still be exact, as must every other winner's.
    #[test]
    fn counts_are_exact_when_a_winner_is_not_a_candidate_in_some_segment() {
        let mut builder = Schema::builder();
        let entity = builder.add_facet_field("entity", FacetOptions::default());
        let index = Index::create_in_ram(builder.build());
        let mut writer: tantivy::IndexWriter = index
            .writer_with_num_threads(1, 15_000_000)
            .expect("writer");
        let person = |name: &str| FacetKind::Person.facet(name);
        for _ in 0..30 {
            writer
                .add_document(
                    doc!(entity => person("Ann"), entity => FacetKind::Country.facet("Qatar")),
                )
                .expect("add");
        }
        for _ in 0..20 {
            writer
                .add_document(doc!(entity => person("Bob")))
                .expect("add");
        }
        writer.commit().expect("commit");
        writer
            .add_document(doc!(entity => person("Ann")))
            .expect("add");
        for i in 0..100 {
            // Sorted before "Ann", so they win the ties for the last candidate places.
            let name = format!("Aa {i:03}");
            writer
                .add_document(doc!(entity => person(&name)))
                .expect("add");
        }
        for _ in 0..5 {
            writer
                .add_document(doc!(entity => person("Bob")))
                .expect("add");
        }
        writer.commit().expect("commit");

        let searcher = index.reader().expect("reader").searcher();
        assert_eq!(searcher.segment_readers().len(), 2);
        let top = 2;
        let ours = searcher
            .search(&AllQuery, &EntityFacetCollector::new("entity", top))
            .expect("search");
        let mut reference = FacetCollector::for_field("entity");
        reference.add_facet(Facet::from_path([FacetKind::Person.name()]));
        let exact = searcher.search(&AllQuery, &reference).expect("search");
        let expected: Vec<(String, u64)> = exact
            .top_k(Facet::from_path([FacetKind::Person.name()]), top)
            .into_iter()
            .map(|(facet, count)| (facet.to_path().last().expect("name").to_string(), count))
            .collect();
        assert_eq!(ours[0], expected);
        assert_eq!(ours[0][0], ("Ann".to_string(), 31));
        assert_eq!(ours[0][1], ("Bob".to_string(), 25));
        assert_eq!(ours[1], vec![("Qatar".to_string(), 30)]);
        assert!(ours[2].is_empty());
    }
}
