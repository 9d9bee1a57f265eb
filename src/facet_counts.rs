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
//! strings only the top candidates of each segment (`top × 1.5 + 10`,
//! Elasticsearch's default `shard_size`). Resolving ordinals to names is
//! the costly part of a faceted search, so their number stays close to what
//! is shown.
//!
//! The answer is nevertheless exact, counts and choice of winners alike,
//! unlike a terms aggregation's (which may miss a value that is in no
//! segment's top candidates but adds up across segments). When merging,
//! the k-th best exact total `T` bounds what any other value must reach: a
//! value a segment did not return has at most that segment's lowest
//! candidate count there. Values whose bound reaches `T` get exact totals,
//! and values that were no segment's candidate are found by scanning one
//! segment's counts for those high enough to reach `T` (see
//! [`merge_kind`]); both sets are empty or tiny unless counts are flat.
//!
//! Aliases ([`Aliases`]: "Reagan" alone stands for "Ronald Reagan", "Lib
//! Dems" for "Liberal Democrats") are folded in per segment before anything
//! is ranked: the alias's count moves onto its target's ordinal, or, in a
//! segment without the target, onto the ordinal of the first of its
//! aliases there, which is resolved to the target's name. Each value thus
//! has one ordinal per segment, and the bounds above hold as they are. A
//! person that is an organisation ("Reuter" for "Reuters") folds into the
//! organisation's ordinal the same way; in a segment that has neither the
//! organisation nor another of its names, its count leaves the person
//! facet and joins the organisation's resolved candidates
//! ([`EntityFacetSegmentCollector::count_stand_ins`]).

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};
use std::ops::Bound;
use std::sync::Arc;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::column_index::{MultiValueIndex, Set};
use tantivy::columnar::ColumnIndex;
use tantivy::fastfield::{Column, FacetReader};
use tantivy::schema::Facet;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

use crate::aliases::{AliasOrds, Aliases};
use crate::schema::FacetKind;

/// Matching documents counted together ([`EntityFacetSegmentCollector::count_pending`]).
const COUNT_BATCH: usize = 64;

/// Matching documents at most this far apart on average are dense: the
/// values of every document between them are read at once, which costs
/// less than looking up each matching document's (a million generated
/// articles, whole searches with facets: a query matching one article in
/// eight or ten took a third less time than with the look-ups, one in
/// sixteen about the same).
const DENSE_SPAN: usize = 16;

/// Candidates resolved per kind and segment beyond the requested top, at least.
pub const EXTRA_CANDIDATES: usize = 10;

/// Counts of the facet kinds in [`FacetKind::FACETABLE`], most frequent first.
pub type KindCounts = Vec<(String, u64)>;

/// Counts entity facet values over the matching documents.
pub struct EntityFacetCollector {
    field_name: String,
    top: usize,
    aliases: Arc<Aliases>,
}

impl EntityFacetCollector {
    /// Counts the facet field `field_name`, keeping `top` values per kind.
    pub fn new(field_name: &str, top: usize) -> EntityFacetCollector {
        EntityFacetCollector {
            field_name: field_name.to_string(),
            top,
            aliases: Arc::default(),
        }
    }

    /// Counts an alias's articles for the name it stands for.
    pub fn with_aliases(mut self, aliases: Arc<Aliases>) -> EntityFacetCollector {
        self.aliases = aliases;
        self
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
    aliases: Arc<Aliases>,
    counts: Vec<u32>,
    /// Per kind: the resolved candidates.
    kinds: Vec<KindSegment>,
    /// Why the candidates could not be resolved (`harvest` cannot fail, so
    /// the error waits here for `merge_fruits` to report it).
    error: Option<std::io::Error>,
}

struct KindSegment {
    /// The resolved candidates and their counts in this segment.
    values: HashMap<String, u64>,
    /// Values with a nonzero count were left unresolved.
    truncated: bool,
    /// When truncated: the lowest candidate count, which no unresolved
    /// value exceeds.
    threshold: u64,
    /// The kind's ordinal range in this segment.
    range: (u64, u64),
}

pub struct EntityFacetSegmentCollector {
    reader: FacetReader,
    aliases: Arc<Aliases>,
    /// This segment's (alias, target) ordinals of the aliases it holds;
    /// the target may be missing here.
    alias_ords: AliasOrds,
    /// The facet column's ordinals, read directly: a document's ordinals
    /// are one contiguous range, fetched with one call instead of one
    /// dynamically dispatched call per value (`FacetReader::facet_ords`).
    ords: Column<u64>,
    /// Matching documents not counted yet (see [`COUNT_BATCH`]).
    pending: Vec<DocId>,
    /// Scratch space of the counting: value rows, the document of each
    /// row, value offsets (of a span of documents), values.
    rows: Vec<u32>,
    row_docs: Vec<DocId>,
    starts: Vec<u32>,
    values: Vec<u64>,
    /// Per ordinal: matching documents. Allocated at the first document
    /// with a value, so that a segment without matches costs nothing (a
    /// drill-down matches nothing in most small segments).
    counts: Vec<u32>,
    candidates: usize,
}

impl Collector for EntityFacetCollector {
    type Fruit = Vec<KindCounts>;
    type Child = EntityFacetSegmentCollector;

    fn for_segment(
        &self,
        _segment: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<EntityFacetSegmentCollector> {
        // The column is opened once for both (`facet_reader` opens it again).
        let column = segment.fast_fields().str(&self.field_name)?;
        let ords = column
            .as_ref()
            .map(|column| column.ords().clone())
            .unwrap_or_else(|| Column::build_empty_column(segment.max_doc()));
        let reader = match column {
            Some(column) => FacetReader::new(column),
            None => segment.facet_reader(&self.field_name)?,
        };
        let alias_ords = self
            .aliases
            .segment_ordinals(segment.segment_id(), &reader)?;
        Ok(EntityFacetSegmentCollector {
            reader,
            aliases: Arc::clone(&self.aliases),
            alias_ords,
            ords,
            pending: Vec::with_capacity(COUNT_BATCH),
            rows: Vec::new(),
            row_docs: Vec::new(),
            starts: Vec::new(),
            values: Vec::new(),
            counts: Vec::new(),
            candidates: self.candidates(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, mut segments: Vec<SegmentCounts>) -> tantivy::Result<Vec<KindCounts>> {
        if let Some(error) = segments.iter_mut().find_map(|s| s.error.take()) {
            return Err(error.into());
        }
        FacetKind::FACETABLE
            .iter()
            .enumerate()
            .map(|(k, &kind)| Ok(merge_kind(&segments, k, kind, self.top)?))
            .collect()
    }
}

/// The exact top `top` values of kind number `k` over all segments.
///
/// 1. Rank the candidates by their partial sums and take exact totals of
///    the first `top`: the last of those, `T`, is a lower bound of the
///    true k-th best total.
/// 2. A candidate whose partial sum plus the thresholds of the truncated
///    segments that did not return it reaches `T` gets its exact total.
/// 3. A value that no segment returned has at most the threshold `t_o` of
///    every truncated segment `o` (and nothing elsewhere), so it can reach
///    `T` only with at least `T − Σ_{o≠s} t_o` in each truncated segment
///    `s`. One segment's counts are scanned for such values.
fn merge_kind(
    segments: &[SegmentCounts],
    k: usize,
    kind: FacetKind,
    top: usize,
) -> std::io::Result<KindCounts> {
    let mut partial: HashMap<&str, u64> = HashMap::new();
    for segment in segments {
        for (value, count) in &segment.kinds[k].values {
            *partial.entry(value.as_str()).or_default() += count;
        }
    }
    let mut ranked: Vec<(String, u64)> = partial
        .iter()
        .map(|(value, count)| (value.to_string(), *count))
        .collect();
    rank(&mut ranked);
    let truncated: Vec<&SegmentCounts> = segments.iter().filter(|s| s.kinds[k].truncated).collect();
    if truncated.is_empty() {
        // Every segment returned all its values: the partial sums are totals.
        ranked.truncate(top);
        return Ok(ranked);
    }

    let mut exact: HashMap<String, u64> = HashMap::new();
    for (value, _) in ranked.iter().take(top) {
        exact.insert(value.clone(), exact_total(segments, k, kind, value)?);
    }
    let kth_best = |exact: &HashMap<String, u64>| -> u64 {
        let mut totals: Vec<u64> = exact.values().copied().collect();
        totals.sort_unstable_by(|a, b| b.cmp(a));
        totals.get(top.saturating_sub(1)).copied().unwrap_or(0)
    };
    let bound = kth_best(&exact);

    for (value, count) in &ranked {
        if exact.contains_key(value) {
            continue;
        }
        let missing: u64 = truncated
            .iter()
            .filter(|s| !s.kinds[k].values.contains_key(value.as_str()))
            .map(|s| s.kinds[k].threshold)
            .sum();
        if count + missing >= bound {
            exact.insert(value.clone(), exact_total(segments, k, kind, value)?);
        }
    }
    let bound = kth_best(&exact);

    let thresholds: u64 = truncated.iter().map(|s| s.kinds[k].threshold).sum();
    if thresholds >= bound {
        // Scan the segment with the highest threshold: its own minimum is
        // the highest, so the fewest of its values pass.
        if let Some(scanned) = truncated.iter().max_by_key(|s| s.kinds[k].threshold) {
            let own = scanned.kinds[k].threshold;
            let minimum = (bound + own).saturating_sub(thresholds).max(1);
            for value in scanned.values_at_least(k, kind, minimum)? {
                if !partial.contains_key(value.as_str()) && !exact.contains_key(&value) {
                    let total = exact_total(segments, k, kind, &value)?;
                    exact.insert(value, total);
                }
            }
        }
    }
    let mut ranked: Vec<(String, u64)> = exact.into_iter().collect();
    rank(&mut ranked);
    ranked.truncate(top);
    Ok(ranked)
}

/// The count of `value` summed over all segments: resolved candidates'
/// counts, dictionary look-ups in truncated segments that did not resolve
/// it, and nothing from the others (they resolved every value they had).
fn exact_total(
    segments: &[SegmentCounts],
    k: usize,
    kind: FacetKind,
    value: &str,
) -> std::io::Result<u64> {
    // Folded segments keep an alias's count on its own ordinal where the
    // target is missing.
    let keys: Vec<Facet> = match segments.first() {
        Some(segment) => segment
            .aliases
            .counted_as(kind, value)
            .map(|(kind, key)| kind.facet(key))
            .collect(),
        None => Vec::new(),
    };
    let mut total = 0;
    for segment in segments {
        let resolved = &segment.kinds[k];
        if let Some(count) = resolved.values.get(value) {
            total += count;
        } else if resolved.truncated {
            for key in &keys {
                let key = key.encoded_str().as_bytes();
                if let Some(ord) = segment.reader.facet_dict().term_ord(key)? {
                    total += u64::from(segment.counts[ord as usize]);
                }
            }
        }
    }
    Ok(total)
}

impl KindSegment {
    /// A segment that counted nothing.
    fn none() -> KindSegment {
        KindSegment {
            values: HashMap::new(),
            truncated: false,
            threshold: 0,
            range: (0, 0),
        }
    }
}

impl SegmentCounts {
    /// The names of kind `k` counted at least `minimum` times here.
    fn values_at_least(
        &self,
        k: usize,
        kind: FacetKind,
        minimum: u64,
    ) -> std::io::Result<Vec<String>> {
        let (start, end) = self.kinds[k].range;
        let ords: Vec<u64> = (start..end)
            .filter(|&ord| u64::from(self.counts[ord as usize]) >= minimum)
            .collect();
        let names = resolve_names(&self.reader, kind, &ords)?;
        Ok(canonical_names(kind, names, &self.aliases))
    }
}

/// The names (facet paths without the kind) of sorted ordinals of `kind`.
fn resolve_names(
    reader: &FacetReader,
    kind: FacetKind,
    ords: &[u64],
) -> std::io::Result<Vec<String>> {
    let prefix_len = Facet::from_path([kind.name()]).encoded_str().len() + 1;
    let mut names = Vec::with_capacity(ords.len());
    reader.facet_dict().sorted_ords_to_term_cb(ords, |bytes| {
        names.push(
            String::from_utf8_lossy(bytes.get(prefix_len..).unwrap_or_default()).into_owned(),
        );
    })?;
    Ok(names)
}

/// The names as counted: an alias is the name it stands for (after
/// [`EntityFacetSegmentCollector::fold_aliases`], its ordinal counts only
/// where that name is missing).
fn canonical_names(kind: FacetKind, mut names: Vec<String>, aliases: &Aliases) -> Vec<String> {
    if !aliases.is_empty() {
        for name in &mut names {
            if let Some(target) = aliases.target(kind, name) {
                *name = target.to_string();
            }
        }
    }
    names
}

/// Allocates a segment's counts, one per ordinal, unless done already.
fn allocate_counts(counts: &mut Vec<u32>, reader: &FacetReader) {
    if counts.is_empty() {
        *counts = vec![0; reader.num_facets()];
    }
}

/// Counts each ordinal of `ords` once.
#[inline]
fn tally(counts: &mut [u32], ords: &[u64]) {
    for &ord in ords {
        counts[ord as usize] += 1;
    }
}

/// Most frequent first, ties by value.
fn rank(values: &mut [(String, u64)]) {
    values.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
}

impl SegmentCollector for EntityFacetSegmentCollector {
    type Fruit = SegmentCounts;

    fn collect(&mut self, doc: DocId, _score: Score) {
        self.pending.push(doc);
        if self.pending.len() == COUNT_BATCH {
            self.count_pending();
        }
    }

    fn collect_block(&mut self, docs: &[DocId]) {
        for &doc in docs {
            self.collect(doc, 0.0);
        }
    }

    fn harvest(mut self) -> SegmentCounts {
        self.count_pending();
        let kinds: std::io::Result<Vec<KindSegment>> = if self.counts.is_empty() {
            // Nothing matched here: no counts to fold or rank.
            Ok(Vec::from(FacetKind::FACETABLE.map(|_| KindSegment::none())))
        } else {
            self.fold_aliases();
            let stand_ins = self.take_stand_ins_of_other_kind();
            FacetKind::FACETABLE
                .iter()
                .map(|kind| self.harvest_kind(*kind))
                .collect::<std::io::Result<Vec<KindSegment>>>()
                .and_then(|mut kinds| {
                    self.count_stand_ins(&stand_ins, &mut kinds)?;
                    Ok(kinds)
                })
        };
        let (kinds, error) = match kinds {
            Ok(kinds) => (kinds, None),
            Err(error) => (Vec::new(), Some(error)),
        };
        SegmentCounts {
            reader: self.reader,
            aliases: self.aliases,
            counts: self.counts,
            kinds,
            error,
        }
    }
}

impl EntityFacetSegmentCollector {
    /// Counts the pending documents' values. Close together (a broad
    /// query), they are counted from one read of the values of every
    /// document between the first and the last ([`Self::count_span`]).
    /// Far apart (a narrow query), their rows are looked up first and the
    /// values fetched in one call, so that the cache misses of many
    /// documents overlap.
    fn count_pending(&mut self) {
        let (Some(&first), Some(&last)) = (self.pending.first(), self.pending.last()) else {
            return;
        };
        let span = (last - first) as usize + 1;
        if span <= DENSE_SPAN * self.pending.len() && self.count_span(first, last + 1) {
            self.pending.clear();
            return;
        }
        self.rows.clear();
        self.row_docs.clear();
        self.ords
            .index
            .docids_to_rowids(&self.pending, &mut self.row_docs, &mut self.rows);
        self.pending.clear();
        if self.rows.is_empty() {
            return;
        }
        allocate_counts(&mut self.counts, &self.reader);
        self.values.resize(self.rows.len(), 0);
        self.ords.values.get_vals(&self.rows, &mut self.values);
        tally(&mut self.counts, &self.values);
    }

    /// Counts the pending documents, which lie in `first..end`, from one
    /// read of the value offsets and values of every document there: dense
    /// matches (a broad query) then cost a few nanoseconds per value, not a
    /// lookup and a decoding call per document. False, counting nothing,
    /// where the column's layout does not allow it.
    fn count_span(&mut self, first: DocId, end: DocId) -> bool {
        let ColumnIndex::Multivalued(MultiValueIndex::MultiValueIndexV2(index)) = &self.ords.index
        else {
            return false;
        };
        // Documents with values are numbered by rank; a document's values
        // run from its rank's start offset to the next rank's.
        let rank_lo = index.optional_index.rank(first);
        let rank_hi = index.optional_index.rank(end);
        if rank_lo == rank_hi {
            return true;
        }
        let starts = &mut self.starts;
        starts.resize((rank_hi - rank_lo) as usize + 1, 0);
        index
            .start_index_column
            .get_range(u64::from(rank_lo), starts);
        let base = starts[0];
        let values = &mut self.values;
        values.resize((starts[starts.len() - 1] - base) as usize, 0);
        self.ords.values.get_range(u64::from(base), values);
        allocate_counts(&mut self.counts, &self.reader);
        // Where every document of the span has values (nearly always: an
        // article without any entity is rare), a document's rank is its
        // offset in the span.
        let every_doc_has_values = rank_hi - rank_lo == end - first;
        for &doc in &self.pending {
            let rank = if every_doc_has_values {
                doc - first
            } else {
                match index.optional_index.rank_if_exists(doc) {
                    Some(rank) => rank - rank_lo,
                    None => continue,
                }
            } as usize;
            let lo = (starts[rank] - base) as usize;
            let hi = (starts[rank + 1] - base) as usize;
            tally(&mut self.counts, &values[lo..hi]);
        }
        true
    }

    /// Moves each alias's count onto the name it stands for, or onto the
    /// alias standing in for it where the segment lacks it.
    fn fold_aliases(&mut self) {
        for (alias, target) in self.alias_ords.folds() {
            let moved = std::mem::take(&mut self.counts[alias as usize]);
            self.counts[target as usize] += moved;
        }
    }

    /// Takes the counts of the ordinals that stand in for a name of another
    /// kind ([`AliasOrds::stand_ins_of_other_kind`]) out of their own
    /// kind's: (ordinal, count) pairs, sorted by ordinal.
    fn take_stand_ins_of_other_kind(&mut self) -> Vec<(u64, u32)> {
        let mut taken: Vec<(u64, u32)> = self
            .alias_ords
            .stand_ins_of_other_kind()
            .map(|ord| {
                (
                    u64::from(ord),
                    std::mem::take(&mut self.counts[ord as usize]),
                )
            })
            .filter(|&(_, count)| count > 0)
            .collect();
        taken.sort_unstable();
        taken
    }

    /// Adds the stand-ins' counts (persons that are organisations, the only
    /// names that stand for one of another kind) to the organisations, as
    /// resolved values: there are few, and each is its organisation's only
    /// ordinal here.
    fn count_stand_ins(
        &self,
        stand_ins: &[(u64, u32)],
        kinds: &mut [KindSegment],
    ) -> std::io::Result<()> {
        if stand_ins.is_empty() {
            return Ok(());
        }
        let Some(orgs) = FacetKind::FACETABLE
            .iter()
            .zip(kinds)
            .find_map(|(&kind, orgs)| (kind == FacetKind::Org).then_some(orgs))
        else {
            return Ok(());
        };
        let ords: Vec<u64> = stand_ins.iter().map(|&(ord, _)| ord).collect();
        let persons = resolve_names(&self.reader, FacetKind::Person, &ords)?;
        for (person, &(_, count)) in persons.iter().zip(stand_ins) {
            if let Some(org) = self.aliases.organisation_of_person(person) {
                *orgs.values.entry(org.to_string()).or_default() += u64::from(count);
            }
        }
        Ok(())
    }

    /// The ordinals of `kind`'s children ([`FacetKind::key_bounds`]).
    fn kind_range(&self, kind: FacetKind) -> std::io::Result<(u64, u64)> {
        let (lo, hi) = kind.key_bounds();
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
        let threshold = nonzero
            .iter()
            .map(|&(c, _)| u64::from(c))
            .min()
            .unwrap_or(0);
        let ords: Vec<u64> = nonzero.iter().map(|&(_, ord)| ord).collect();
        let names = canonical_names(
            kind,
            resolve_names(&self.reader, kind, &ords)?,
            &self.aliases,
        );
        let values = names
            .into_iter()
            .zip(&nonzero)
            .map(|(name, &(count, _))| (name, u64::from(count)))
            .collect();
        Ok(KindSegment {
            values,
            truncated,
            threshold,
            range,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::collector::FacetCollector;
    use tantivy::query::{AllQuery, Query, TermQuery};
    use tantivy::schema::{FacetOptions, IndexRecordOption, Schema, INDEXED};
    use tantivy::{doc, Index, TantivyDocument};

    /// Two segments: "Ann" leads the first, and is one name among many
    /// singletons in the second, where it misses the candidate list. Its
    /// count must still be exact, as must every other winner's.
    #[test]
    fn counts_are_exact_when_a_winner_is_not_a_candidate_in_some_segment() {
        let (index, entity, mut writer) = empty_index();
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
        let (persons, expected) = top_persons(&index, 2);
        assert_eq!(persons, expected);
        assert_eq!(persons[0], ("Ann".to_string(), 31));
        assert_eq!(persons[1], ("Bob".to_string(), 25));
        let all = searcher
            .search(&AllQuery, &EntityFacetCollector::new("entity", 2))
            .expect("search");
        assert_eq!(all[1], vec![("Qatar".to_string(), 30)]);
        assert!(all[2].is_empty());
    }

    /// Documents with several values and documents without any, matched
    /// densely or every tenth (read as one span of values), every
    /// twenty-fifth (the matches' values gathered) and in runs that mix
    /// both, count as tantivy's exhaustive `FacetCollector` does.
    #[test]
    fn dense_and_sparse_matches_count_every_value_once() {
        let mut builder = Schema::builder();
        let entity = builder.add_facet_field("entity", FacetOptions::default());
        let every = builder.add_u64_field("every", INDEXED);
        let index = Index::create_in_ram(builder.build());
        let mut writer: tantivy::IndexWriter = index
            .writer_with_num_threads(1, 15_000_000)
            .expect("writer");
        for i in 0..3_000u64 {
            let mut document = TantivyDocument::new();
            if i % 7 != 0 {
                document.add_facet(entity, FacetKind::Person.facet(&format!("P{:02}", i % 13)));
            }
            if i % 3 == 0 {
                document.add_facet(entity, FacetKind::Person.facet(&format!("Q{:02}", i % 11)));
                document.add_facet(entity, FacetKind::Country.facet("Chile"));
            }
            for n in [1, 10, 25] {
                if i % n == 0 {
                    document.add_u64(every, n);
                }
            }
            // Dense runs of matches between sparse stretches.
            if (i / 200) % 3 == 0 || i % 25 == 0 {
                document.add_u64(every, 2);
            }
            writer.add_document(document).expect("add");
        }
        writer.commit().expect("commit");
        for n in [1, 2, 10, 25] {
            let (ours, reference) = top_persons_matching(&index, &having(&index, "every", n), 30);
            assert_eq!(ours, reference, "every {n}");
            assert!(!ours.is_empty());
        }
    }

    /// A segment whose names could not be read fails the search instead of
    /// counting as a segment without entities.
    #[test]
    fn a_segment_that_fails_to_resolve_names_fails_the_merge() {
        let index = index_of_segments(&[vec![("Ann".to_string(), 3)]]);
        let searcher = index.reader().expect("reader").searcher();
        let collector = EntityFacetCollector::new("entity", 2);
        let mut child = collector
            .for_segment(0, searcher.segment_reader(0))
            .expect("segment collector");
        for doc in 0..3 {
            child.collect(doc, 0.0);
        }
        let mut fruit = child.harvest();
        assert!(fruit.error.is_none());
        fruit.error = Some(std::io::Error::other("dictionary block unreadable"));
        let error = collector
            .merge_fruits(vec![fruit])
            .expect_err("the merge must report the segment's error");
        assert!(error.to_string().contains("dictionary block unreadable"));
    }

    /// An in-memory index with only the `entity` facet field, and a writer.
    fn empty_index() -> (Index, tantivy::schema::Field, tantivy::IndexWriter) {
        let mut builder = Schema::builder();
        let entity = builder.add_facet_field("entity", FacetOptions::default());
        let index = Index::create_in_ram(builder.build());
        let writer = index
            .writer_with_num_threads(1, 15_000_000)
            .expect("writer");
        (index, entity, writer)
    }

    /// An index with one segment per entry of `segments`, each holding
    /// `count` documents with the person `name` for every `(name, count)`;
    /// the `segment` field holds the number of the document's segment, and
    /// `twentieth` the document's number in the index modulo twenty.
    fn index_of_segments(segments: &[Vec<(String, usize)>]) -> Index {
        let segments: Vec<Vec<(Facet, usize)>> = segments
            .iter()
            .map(|names| {
                names
                    .iter()
                    .map(|(name, count)| (FacetKind::Person.facet(name), *count))
                    .collect()
            })
            .collect();
        index_of_facets(&segments)
    }

    /// The same with any facet value in place of a person's name.
    fn index_of_facets(segments: &[Vec<(Facet, usize)>]) -> Index {
        let mut builder = Schema::builder();
        let entity = builder.add_facet_field("entity", FacetOptions::default());
        let number = builder.add_u64_field("segment", INDEXED);
        let twentieth = builder.add_u64_field("twentieth", INDEXED);
        let index = Index::create_in_ram(builder.build());
        let mut writer: tantivy::IndexWriter = index
            .writer_with_num_threads(1, 15_000_000)
            .expect("writer");
        writer.set_merge_policy(Box::new(tantivy::merge_policy::NoMergePolicy));
        let mut added = 0u64;
        for (i, segment) in segments.iter().enumerate() {
            for (facet, count) in segment {
                for _ in 0..*count {
                    writer
                        .add_document(doc!(
                            entity => facet.clone(),
                            number => i as u64,
                            twentieth => added % 20,
                        ))
                        .expect("add");
                    added += 1;
                }
            }
            writer.commit().expect("commit");
        }
        index
    }

    /// The documents of [`index_of_segments`] whose `field` is `value`.
    fn having(index: &Index, field: &str, value: u64) -> TermQuery {
        let field = index.schema().get_field(field).expect("field");
        TermQuery::new(
            tantivy::Term::from_field_u64(field, value),
            IndexRecordOption::Basic,
        )
    }

    /// The top persons by our collector and by tantivy's `FacetCollector`.
    fn top_persons(index: &Index, top: usize) -> (KindCounts, KindCounts) {
        top_persons_matching(index, &AllQuery, top)
    }

    /// The same over the documents `query` matches.
    fn top_persons_matching(
        index: &Index,
        query: &dyn Query,
        top: usize,
    ) -> (KindCounts, KindCounts) {
        let searcher = index.reader().expect("reader").searcher();
        let ours = searcher
            .search(query, &EntityFacetCollector::new("entity", top))
            .expect("search");
        let mut reference = FacetCollector::for_field("entity");
        reference.add_facet(Facet::from_path([FacetKind::Person.name()]));
        let exact = searcher.search(query, &reference).expect("search");
        let expected = exact
            .top_k(Facet::from_path([FacetKind::Person.name()]), top)
            .into_iter()
            .map(|(facet, count)| (facet.to_path().last().expect("name").to_string(), count))
            .collect();
        (ours[0].clone(), expected)
    }

    /// The top persons by our collector with `aliases`, and by tantivy's
    /// `FacetCollector` with each surname's count added to its full name's.
    fn top_persons_with_aliases(
        index: &Index,
        top: usize,
        aliases: &Aliases,
    ) -> (KindCounts, KindCounts) {
        let searcher = index.reader().expect("reader").searcher();
        let collector =
            EntityFacetCollector::new("entity", top).with_aliases(Arc::new(aliases.clone()));
        let ours = searcher.search(&AllQuery, &collector).expect("search");
        let mut reference = FacetCollector::for_field("entity");
        reference.add_facet(Facet::from_path([FacetKind::Person.name()]));
        let exact = searcher.search(&AllQuery, &reference).expect("search");
        let mut merged: HashMap<String, u64> = HashMap::new();
        for (facet, count) in exact.get(&Facet::from_path([FacetKind::Person.name()]).to_string()) {
            let name = facet.to_path().last().expect("name").to_string();
            let name = aliases
                .target(FacetKind::Person, &name)
                .map_or(name, str::to_string);
            *merged.entry(name).or_default() += count;
        }
        let mut expected: KindCounts = merged.into_iter().collect();
        rank(&mut expected);
        expected.truncate(top);
        (ours[0].clone(), expected)
    }

    /// "Reagan" alone in one segment and beside "Ronald Reagan" in another:
    /// both count for the full name, which leads though neither part would.
    #[test]
    fn a_surname_alone_counts_for_the_full_name_it_stands_for() {
        let name = |n: &str, c: usize| (n.to_string(), c);
        let segments = vec![
            vec![name("reagan", 3), name("james baker", 4)],
            vec![name("reagan", 2), name("ronald reagan", 1)],
        ];
        let index = index_of_segments(&segments);
        let aliases = Aliases::from_counts([("reagan", 5), ("ronald reagan", 10)], []);
        let (ours, reference) = top_persons_with_aliases(&index, 2, &aliases);
        assert_eq!(
            ours,
            vec![
                ("ronald reagan".to_string(), 6),
                ("james baker".to_string(), 4)
            ]
        );
        assert_eq!(ours, reference);
        // Without aliases the parts stand apart.
        let (plain, _) = top_persons(&index, 1);
        assert_eq!(plain, vec![("reagan".to_string(), 5)]);
    }

    /// Two aliases of a name in a segment without it: one stands in for
    /// the name there, and the other's articles fold into it.
    #[test]
    fn aliases_of_a_name_a_segment_lacks_count_together() {
        let name = |n: &str, c: usize| (n.to_string(), c);
        let segments = vec![
            vec![name("lib dem", 3), name("lib dems", 2), name("labour", 4)],
            vec![name("liberal democrats", 1), name("lib dems", 1)],
        ];
        let index = index_of_segments(&segments);
        let target = "liberal democrats";
        let aliases = Aliases::from_links(
            FacetKind::Person,
            &[("lib dem", target), ("lib dems", target)],
        );
        for top in 1..=2 {
            let (ours, reference) = top_persons_with_aliases(&index, top, &aliases);
            assert_eq!(ours[0], (target.to_string(), 7));
            assert_eq!(ours, reference);
        }
    }

    /// Eleven names per segment (the candidate count for top 1) with three
    /// documents each, and "Zed" with two in each of three segments: Zed
    /// is no segment's candidate, yet leads with six.
    #[test]
    fn a_winner_that_is_no_segments_candidate_is_found() {
        let segments: Vec<Vec<(String, usize)>> = (0..3)
            .map(|s| {
                let mut names: Vec<(String, usize)> =
                    (0..11).map(|i| (format!("Local {s} {i:02}"), 3)).collect();
                names.push(("Zed".to_string(), 2));
                names
            })
            .collect();
        let index = index_of_segments(&segments);
        let (ours, reference) = top_persons(&index, 1);
        assert_eq!(ours, vec![("Zed".to_string(), 6)]);
        assert_eq!(ours, reference);
    }

    /// "Ann" leads the first segment's partial sums, but "Bob", second
    /// there and below the candidates of the second segment, has more in
    /// all.
    #[test]
    fn a_winner_behind_on_partial_sums_is_found() {
        let mut second: Vec<(String, usize)> =
            (0..11).map(|i| (format!("Local {i:02}"), 5)).collect();
        second.push(("Bob".to_string(), 4));
        let segments = vec![
            vec![("Ann".to_string(), 10), ("Bob".to_string(), 9)],
            second,
        ];
        let index = index_of_segments(&segments);
        let (ours, reference) = top_persons(&index, 1);
        assert_eq!(ours, vec![("Bob".to_string(), 13)]);
        assert_eq!(ours, reference);
    }

    /// Up to four segments, each with up to 30 (name number 0–49, count
    /// 1–5) entries.
    fn layouts() -> impl proptest::strategy::Strategy<Value = Vec<Vec<(usize, usize)>>> {
        proptest::collection::vec(
            proptest::collection::vec((0usize..50, 1usize..6), 0..30),
            1..5,
        )
    }

    proptest::proptest! {
        #![proptest_config(proptest::test_runner::Config {
            cases: 48,
            failure_persistence: None,
            ..proptest::test_runner::Config::default()
        })]

        /// Any layout of a few dozen names over up to four segments gives
        /// the same top values and counts as tantivy's exhaustive
        /// `FacetCollector`, including ties (broken by name).
        #[test]
        fn top_values_match_the_exhaustive_count(
            segments in layouts(),
            top in 1usize..4,
        ) {
            let segments: Vec<Vec<(String, usize)>> = segments
                .into_iter()
                .map(|names| {
                    names
                        .into_iter()
                        .map(|(name, count)| (format!("Name {name:02}"), count))
                        .collect()
                })
                .collect();
            let index = index_of_segments(&segments);
            let (ours, reference) = top_persons(&index, top);
            proptest::prop_assert_eq!(ours, reference);
            // Matches in one segment only: the others count nothing.
            let one = having(&index, "segment", segments.len() as u64 - 1);
            let (ours, reference) = top_persons_matching(&index, &one, top);
            proptest::prop_assert_eq!(ours, reference);
            // Every twentieth document: a sparse match set, whose values
            // are gathered (or read as one span in a small segment).
            let sparse = having(&index, "twentieth", 0);
            let (ours, reference) = top_persons_matching(&index, &sparse, top);
            proptest::prop_assert_eq!(ours, reference);
        }

        /// The same with aliases: names 0–19 are full names, and full
        /// names 0–9 each have two aliases, a surname (20–29) and an
        /// initial and surname (40–49); a full name may be missing from a
        /// segment that has its aliases.
        #[test]
        fn top_values_with_aliases_match_the_exhaustive_count(
            segments in layouts(),
            top in 1usize..4,
        ) {
            let name = |id: usize| match id {
                0..20 => format!("first s{id:02}"),
                20..40 => format!("s{:02}", id - 20),
                _ => format!("f. s{:02}", id - 40),
            };
            let segments: Vec<Vec<(String, usize)>> = segments
                .into_iter()
                .map(|names| names.into_iter().map(|(id, count)| (name(id), count)).collect())
                .collect();
            let index = index_of_segments(&segments);
            // Ten names with two aliases each.
            let links: Vec<(String, String)> = (0..10)
                .flat_map(|id| [(name(id + 20), name(id)), (name(id + 40), name(id))])
                .collect();
            let links: Vec<(&str, &str)> =
                links.iter().map(|(a, t)| (a.as_str(), t.as_str())).collect();
            let aliases = Aliases::from_links(FacetKind::Person, &links);
            let (ours, reference) = top_persons_with_aliases(&index, top, &aliases);
            proptest::prop_assert_eq!(ours, reference);
        }

        /// Persons that are organisations: names 0–14 are organisations,
        /// 15–29 persons with the same keys, of which 15–24 count as the
        /// organisation; 30–39 shortened names of organisations 0–9, and
        /// 40–49 other persons. An organisation may be missing from a
        /// segment that has the person, or the person and the shortening.
        #[test]
        fn persons_that_are_organisations_match_the_exhaustive_count(
            segments in layouts(),
            top in 1usize..4,
        ) {
            let (person, org) = (FacetKind::Person, FacetKind::Org);
            let value = |id: usize| match id {
                0..15 => (org, format!("o{id:02}")),
                15..30 => (person, format!("o{:02}", id - 15)),
                30..40 => (org, format!("o{:02} short", id - 30)),
                _ => (person, format!("p{:02}", id - 40)),
            };
            let segments: Vec<Vec<(Facet, usize)>> = segments
                .into_iter()
                .map(|ids| {
                    ids.into_iter()
                        .map(|(id, count)| {
                            let (kind, key) = value(id);
                            (kind.facet(&key), count)
                        })
                        .collect()
                })
                .collect();
            let index = index_of_facets(&segments);
            let shortenings: Vec<(String, String)> = (0..10)
                .map(|id| (format!("o{id:02} short"), format!("o{id:02}")))
                .collect();
            let shortenings: Vec<(&str, &str)> =
                shortenings.iter().map(|(a, t)| (a.as_str(), t.as_str())).collect();
            let persons: Vec<String> = (0..10).map(|id| format!("o{id:02}")).collect();
            let persons: Vec<(&str, &str)> = persons.iter().map(|k| (k.as_str(), k.as_str())).collect();
            let aliases = Aliases::from_links(org, &shortenings).with_persons_as_orgs(&persons);

            let searcher = index.reader().expect("reader").searcher();
            let collector =
                EntityFacetCollector::new("entity", top).with_aliases(Arc::new(aliases.clone()));
            let ours = searcher.search(&AllQuery, &collector).expect("search");
            // Every value counted, then moved where the aliases say.
            let mut reference = FacetCollector::for_field("entity");
            for kind in [person, org] {
                reference.add_facet(Facet::from_path([kind.name()]));
            }
            let exact = searcher.search(&AllQuery, &reference).expect("search");
            let mut merged: [HashMap<String, u64>; 2] = Default::default();
            for (k, kind) in [person, org].into_iter().enumerate() {
                for (facet, count) in exact.get(&Facet::from_path([kind.name()]).to_string()) {
                    let key = facet.to_path().last().expect("name").to_string();
                    let (k, key) = match aliases.organisation_of_person(&key) {
                        Some(o) if kind == person => (1, o.to_string()),
                        _ => (k, aliases.target(kind, &key).map_or(key, str::to_string)),
                    };
                    *merged[k].entry(key).or_default() += count;
                }
            }
            let [persons, orgs] = merged.map(|counts| {
                let mut ranked: KindCounts = counts.into_iter().collect();
                rank(&mut ranked);
                ranked.truncate(top);
                ranked
            });
            proptest::prop_assert_eq!(&ours[0], &persons);
            proptest::prop_assert_eq!(&ours[2], &orgs);
        }
    }
}
