//! The model artefact: a compact little-endian binary with a header,
//! version numbers and a checksum, and the in-memory weight table built
//! from it.
//!
//! Layout (all integers little-endian):
//!
//! ```text
//! magic "NDXNER\0\0" | format u32 | feature version u32 | labels u32 | flags u32 (1 = document pass)
//! clusters:  n_bitstrings u32, then per bit string: len u8, bytes
//!            n_words u32, then per word: len u16, bytes, bit-string id u32
//! table:     n_rows u32, then per row (hashes ascending):
//!            hash delta varint, label mask varint (16 bits: labels 1..17,
//!            weights relative to O), one i16 per set bit
//! checksum: xxh3-64 of everything before, u64
//! ```
//!
//! Rows store only non-zero weights and hashes as deltas: most features
//! are seen with one or two labels, which keeps the file small.

use super::clusters::Clusters;
use super::error::NerError;
use super::features::{FEATURE_VERSION, NL};
use super::hash::finish;
use crate::sealed::Refused;

const MAGIC: &[u8; 8] = b"NDXNER\0\0";
const FORMAT: u32 = 2;
const FLAG_DOC_PASS: u32 = 1;

/// Number of stored weights per feature: one per label except `O`.
pub(crate) const NR: usize = NL - 1;

/// Weights of one feature for labels 1..NL, relative to `O`: subtracting
/// the `O` weight from every label shifts all scores of a token equally,
/// so decisions are unchanged, `O` always scores 0, and a row is 16 i16s:
/// 32 bytes, one aligned half cache line and one vector add.
pub(crate) type Row = [i16; NR];

#[derive(Debug, Clone, Copy, Default)]
#[repr(C, align(32))]
struct AlignedRow(Row);

/// How many features ahead [`Table::accumulate`] requests buckets.
const BUCKET_AHEAD: usize = 8;
/// How many features ahead [`Table::accumulate`] requests rows (their
/// buckets were requested `BUCKET_AHEAD - ROW_AHEAD` features earlier).
const ROW_AHEAD: usize = 4;

/// Entries per bucket: 8 fingerprints and 8 row numbers fill one 64-byte
/// cache line.
const BUCKET: usize = 8;

/// One cache line of the table.
#[derive(Debug, Clone, Copy, Default)]
#[repr(C, align(64))]
struct Bucket {
    fp: [u32; BUCKET],
    row: [u32; BUCKET],
}

impl Bucket {
    /// The row whose fingerprint is `fp`, or 0 (the all-zero row);
    /// branch-free so that it compiles to a vector compare.
    #[inline(always)]
    fn find(&self, fp: u32) -> u32 {
        let mut r = 0;
        for k in 0..BUCKET {
            // All-ones mask on a match, zero otherwise: no branch.
            r |= self.row[k] & ((self.fp[k] == fp) as u32).wrapping_neg();
        }
        r
    }
}

/// Table from feature hash to weight row: two-choice hashing into
/// cache-line buckets holding 32-bit fingerprints.
///
/// Why this shape: tagging is bound by memory latency and branch
/// mispredictions in these look-ups (about 70 per token, half of them for
/// features the model does not know). A look-up here reads two bucket
/// lines and one row without a data-dependent branch, and an unknown
/// feature reads the all-zero row 0, which stays in L1. Fingerprints keep
/// unknown features from picking up another feature's weights (a false
/// match has probability ~2⁻²⁸ per look-up).
#[derive(Debug, Clone, Default)]
pub(crate) struct Table {
    buckets: Vec<Bucket>,
    mask: usize,
    /// Row 0 is all zeros; feature k of `hashes` has row k + 1.
    rows: Vec<AlignedRow>,
    /// Hashes in ascending order, kept for serialisation.
    hashes: Vec<u64>,
}

#[inline(always)]
fn fingerprint(h: u64) -> u32 {
    // Never 0, so that empty entries (fp 0) never match.
    (h >> 32) as u32 | 1
}

#[inline(always)]
fn second_bucket(h: u64) -> u64 {
    finish(h ^ 0x5851_f42d_4c95_7f2d)
}

impl Table {
    /// Builds a table from `(hash, row)` pairs (duplicates dropped).
    pub(crate) fn new(mut entries: Vec<(u64, Row)>) -> Table {
        entries.sort_unstable_by_key(|e| e.0);
        entries.dedup_by_key(|e| e.0);
        // About half full; grown until every entry fits and no look-up can
        // see two equal fingerprints, which is deterministic given the set.
        // After a few doublings (only crafted input gets there) entries
        // that still do not fit are dropped rather than looping on.
        let mut n_buckets = (entries.len() / (BUCKET / 2)).next_power_of_two().max(2);
        let mut attempts = 0;
        let buckets = loop {
            attempts += 1;
            if let Some(b) = Table::place(&entries, n_buckets, attempts > 6) {
                break b;
            }
            n_buckets *= 2;
        };
        let mut rows = Vec::with_capacity(entries.len() + 1);
        rows.push(AlignedRow::default());
        let mut hashes = Vec::with_capacity(entries.len());
        for (h, row) in entries {
            rows.push(AlignedRow(row));
            hashes.push(h);
        }
        Table {
            buckets,
            mask: n_buckets - 1,
            rows,
            hashes,
        }
    }

    fn place(entries: &[(u64, Row)], n_buckets: usize, lenient: bool) -> Option<Vec<Bucket>> {
        let mask = n_buckets - 1;
        let mut buckets = vec![Bucket::default(); n_buckets];
        let mut fill = vec![0u8; n_buckets];
        for (k, &(h, _)) in entries.iter().enumerate() {
            let fp = fingerprint(h);
            let b1 = h as usize & mask;
            let b2 = second_bucket(h) as usize & mask;
            let b = if fill[b2] < fill[b1] { b2 } else { b1 };
            let slot = fill[b] as usize;
            if slot == BUCKET {
                if lenient {
                    continue;
                }
                return None;
            }
            buckets[b].fp[slot] = fp;
            buckets[b].row[slot] = k as u32 + 1;
            fill[b] += 1;
        }
        // Every look-up of a stored hash must see exactly one matching
        // fingerprint in its two buckets.
        for (k, &(h, _)) in entries.iter().enumerate() {
            let fp = fingerprint(h);
            let b1 = h as usize & mask;
            let b2 = second_bucket(h) as usize & mask;
            let mut matches = buckets[b1].fp.iter().filter(|&&f| f == fp).count();
            if b2 != b1 {
                matches += buckets[b2].fp.iter().filter(|&&f| f == fp).count();
            }
            if matches > 1 {
                if !lenient {
                    return None;
                }
                // Drop this entry wherever it is.
                for b in [b1, b2] {
                    for j in 0..BUCKET {
                        if buckets[b].row[j] == k as u32 + 1 {
                            buckets[b].fp[j] = 0;
                            buckets[b].row[j] = 0;
                        }
                    }
                }
            }
        }
        Some(buckets)
    }

    /// The row number of feature `h` (0 = unknown feature, all-zero row).
    #[inline(always)]
    fn row_of(&self, h: u64) -> usize {
        let fp = fingerprint(h);
        let b1 = &self.buckets[h as usize & self.mask];
        let b2 = &self.buckets[second_bucket(h) as usize & self.mask];
        (b1.find(fp) | b2.find(fp)) as usize
    }

    /// The weights of feature `h`, if the model has it.
    #[cfg(test)]
    pub(crate) fn get(&self, h: u64) -> Option<&Row> {
        match self.row_of(h) {
            0 => None,
            r => self.rows.get(r).map(|r| &r.0),
        }
    }

    /// Adds the weights of all features in `feats` to `acc` (unknown
    /// features add the zero row; `acc[0]`, the `O` score, stays as is).
    ///
    /// Software-pipelined, because each look-up is two dependent memory
    /// reads (bucket, then row) that mostly miss the caches: the buckets of
    /// feature `j + BUCKET_AHEAD` and the row of feature `j + ROW_AHEAD`
    /// are requested while feature `j` is added.
    #[inline]
    pub(crate) fn accumulate(&self, feats: &[u64], acc: &mut [i32; NL]) {
        let n = feats.len();
        for &f in feats.iter().take(BUCKET_AHEAD) {
            self.prefetch(f);
        }
        // Row numbers of features j..j + ROW_AHEAD, by j % ROW_AHEAD.
        let mut ring = [0u32; ROW_AHEAD];
        for (j, &f) in feats.iter().take(ROW_AHEAD).enumerate() {
            ring[j] = self.row_of(f) as u32;
            self.prefetch_row(ring[j]);
        }
        let mut sum = [0i32; NR];
        for j in 0..n {
            let r = ring[j % ROW_AHEAD];
            if let Some(&g) = feats.get(j + BUCKET_AHEAD) {
                self.prefetch(g);
            }
            if let Some(&g) = feats.get(j + ROW_AHEAD) {
                let next = self.row_of(g) as u32;
                self.prefetch_row(next);
                ring[j % ROW_AHEAD] = next;
            }
            let row = &self.rows[r as usize].0;
            for (a, &w) in sum.iter_mut().zip(row.iter()) {
                *a += w as i32;
            }
        }
        for (a, s) in acc[1..].iter_mut().zip(sum) {
            *a += s;
        }
    }

    /// Asks the CPU to start loading row `r`.
    #[inline(always)]
    fn prefetch_row(&self, r: u32) {
        #[cfg(target_arch = "x86_64")]
        {
            use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
            let p: *const AlignedRow = &self.rows[r as usize];
            // SAFETY: as in `prefetch`: a hint on a live reference.
            unsafe { _mm_prefetch::<_MM_HINT_T0>(p.cast::<i8>()) };
        }
        #[cfg(not(target_arch = "x86_64"))]
        let _ = r;
    }

    /// Asks the CPU to start loading the buckets of feature `h`: look-ups
    /// are bound by memory latency, and the buckets of a feature a few
    /// places ahead are known long before they are needed.
    #[inline(always)]
    pub(crate) fn prefetch(&self, h: u64) {
        #[cfg(target_arch = "x86_64")]
        {
            use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
            let b1: *const Bucket = &self.buckets[h as usize & self.mask];
            let b2: *const Bucket = &self.buckets[second_bucket(h) as usize & self.mask];
            // SAFETY: prefetching is only a hint: it never faults and reads
            // nothing into the program, and both pointers come from live
            // references. SSE is always enabled on x86_64.
            unsafe {
                _mm_prefetch::<_MM_HINT_T0>(b1.cast::<i8>());
                _mm_prefetch::<_MM_HINT_T0>(b2.cast::<i8>());
            }
        }
        #[cfg(not(target_arch = "x86_64"))]
        let _ = h;
    }

    pub(crate) fn len(&self) -> usize {
        self.hashes.len()
    }

    /// Bytes of memory held.
    pub(crate) fn memory(&self) -> usize {
        self.buckets.len() * std::mem::size_of::<Bucket>()
            + self.rows.len() * std::mem::size_of::<AlignedRow>()
            + self.hashes.len() * 8
    }
}

/// Everything a model file holds.
#[derive(Debug, Clone, Default)]
pub(crate) struct ModelData {
    pub clusters: Clusters,
    pub table: Table,
    /// Run a second, document-aware pass.
    pub doc_pass: bool,
}

fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn write_table(out: &mut Vec<u8>, t: &Table) {
    out.extend_from_slice(&(t.hashes.len() as u32).to_le_bytes());
    // Rows are already in ascending hash order (Table::new sorts).
    let mut prev = 0u64;
    for (h, AlignedRow(row)) in t.hashes.iter().zip(&t.rows[1..]) {
        put_varint(out, h - prev);
        prev = *h;
        let mask = row
            .iter()
            .enumerate()
            .filter(|(_, &w)| w != 0)
            .fold(0u64, |m, (i, _)| m | 1 << i);
        put_varint(out, mask);
        for &w in row.iter().filter(|&&w| w != 0) {
            out.extend_from_slice(&w.to_le_bytes());
        }
    }
}

/// Serialises a model.
pub(crate) fn to_bytes(m: &ModelData) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&FORMAT.to_le_bytes());
    out.extend_from_slice(&FEATURE_VERSION.to_le_bytes());
    out.extend_from_slice(&(NL as u32).to_le_bytes());
    let flags = if m.doc_pass { FLAG_DOC_PASS } else { 0 };
    out.extend_from_slice(&flags.to_le_bytes());

    let mut bits: Vec<&str> = m.clusters.words.iter().map(|w| w.1.as_str()).collect();
    bits.sort_unstable();
    bits.dedup();
    out.extend_from_slice(&(bits.len() as u32).to_le_bytes());
    for b in &bits {
        out.push(b.len().min(255) as u8);
        out.extend_from_slice(&b.as_bytes()[..b.len().min(255)]);
    }
    out.extend_from_slice(&(m.clusters.words.len() as u32).to_le_bytes());
    for (w, b, _) in &m.clusters.words {
        let wb = &w.as_bytes()[..w.len().min(u16::MAX as usize)];
        out.extend_from_slice(&(wb.len() as u16).to_le_bytes());
        out.extend_from_slice(wb);
        let id = bits.binary_search(&b.as_str()).unwrap_or(0) as u32;
        out.extend_from_slice(&id.to_le_bytes());
    }
    write_table(&mut out, &m.table);
    crate::sealed::seal(&mut out);
    out
}

/// A bounds-checked reader over the model bytes.
struct Reader<'a> {
    b: &'a [u8],
    pos: usize,
    origin: &'a str,
}

impl<'a> Reader<'a> {
    fn err(&self, what: &str) -> NerError {
        NerError::Model {
            origin: self.origin.to_string(),
            message: format!("{what} at byte {}", self.pos),
        }
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8], NerError> {
        if self.b.len() - self.pos < n {
            return Err(self.err("truncated data"));
        }
        let s = &self.b[self.pos..self.pos + n];
        self.pos += n;
        Ok(s)
    }

    fn u8(&mut self) -> Result<u8, NerError> {
        Ok(self.take(1)?[0])
    }

    fn u16(&mut self) -> Result<u16, NerError> {
        let s = self.take(2)?;
        Ok(u16::from_le_bytes([s[0], s[1]]))
    }

    fn u32(&mut self) -> Result<u32, NerError> {
        let s = self.take(4)?;
        Ok(u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
    }

    fn i16(&mut self) -> Result<i16, NerError> {
        Ok(self.u16()? as i16)
    }

    fn varint(&mut self) -> Result<u64, NerError> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.u8()?;
            v |= ((b & 0x7f) as u64) << shift;
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err(self.err("overlong varint"))
    }

    /// A count of items each at least `min_bytes` long, checked against the
    /// remaining input so that a corrupt count cannot allocate gigabytes.
    fn count(&mut self, min_bytes: usize) -> Result<usize, NerError> {
        let n = self.u32()? as usize;
        if n.saturating_mul(min_bytes) > self.b.len() - self.pos {
            return Err(self.err("count larger than the data"));
        }
        Ok(n)
    }

    fn table(&mut self) -> Result<Table, NerError> {
        let n = self.count(3)?;
        let mut entries = Vec::with_capacity(n);
        let mut h = 0u64;
        for _ in 0..n {
            h = h.wrapping_add(self.varint()?);
            let mask = self.varint()?;
            if mask >> NR != 0 {
                return Err(self.err("label mask out of range"));
            }
            let mut row = [0i16; NR];
            for (i, w) in row.iter_mut().enumerate() {
                if mask & (1 << i) != 0 {
                    *w = self.i16()?;
                }
            }
            entries.push((h, row));
        }
        Ok(Table::new(entries))
    }
}

/// Parses and verifies a model; `origin` names the source in errors.
pub(crate) fn from_bytes(bytes: &[u8], origin: &str) -> Result<ModelData, NerError> {
    let bad = |message: String| NerError::Model {
        origin: origin.to_string(),
        message,
    };
    let body_len = match crate::sealed::contents_len(bytes, MAGIC, MAGIC.len() + 16) {
        Ok(len) => len,
        Err(Refused::OtherKind | Refused::CutShort) => {
            return Err(bad("not a newsdex NER model (bad magic)".into()))
        }
        Err(Refused::Checksum) => {
            return Err(bad("checksum mismatch (file corrupt or truncated)".into()))
        }
    };
    let mut r = Reader {
        b: &bytes[..body_len],
        pos: 8,
        origin,
    };
    let format = r.u32()?;
    if format != FORMAT {
        return Err(bad(format!("format version {format}, expected {FORMAT}")));
    }
    let fv = r.u32()?;
    if fv != FEATURE_VERSION {
        return Err(bad(format!(
            "feature version {fv}, this build extracts version {FEATURE_VERSION}; retrain the model"
        )));
    }
    let labels = r.u32()?;
    if labels as usize != NL {
        return Err(bad(format!("{labels} labels, expected {NL}")));
    }
    let flags = r.u32()?;

    let nb = r.count(2)?;
    let mut bits = Vec::with_capacity(nb);
    for _ in 0..nb {
        let len = r.u8()? as usize;
        let b = r.take(len)?;
        bits.push(String::from_utf8_lossy(b).into_owned());
    }
    let nw = r.count(6)?;
    let mut words = Vec::with_capacity(nw);
    for _ in 0..nw {
        let len = r.u16()? as usize;
        let w = String::from_utf8_lossy(r.take(len)?).into_owned();
        let id = r.u32()? as usize;
        let b = bits
            .get(id)
            .ok_or_else(|| r.err("bit-string id out of range"))?;
        words.push((w, b.clone(), 0));
    }
    if flags & !FLAG_DOC_PASS != 0 {
        return Err(bad(format!("unknown flags {flags:#x}")));
    }
    let table = r.table()?;
    if r.pos != body_len {
        return Err(r.err("trailing bytes"));
    }
    Ok(ModelData {
        clusters: Clusters { words },
        table,
        doc_pass: flags & FLAG_DOC_PASS != 0,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> ModelData {
        let mut row = [0i16; NR];
        row[0] = 5;
        row[15] = -300;
        let mut row2 = [0i16; NR];
        row2[3] = i16::MAX;
        ModelData {
            clusters: Clusters {
                words: vec![
                    ("Paris".into(), "0110".into(), 0),
                    ("Rome".into(), "0110".into(), 0),
                    ("Smith".into(), "10".into(), 0),
                ],
            },
            table: Table::new(vec![(finish(42), row), (finish(7), row2), (u64::MAX, row)]),
            doc_pass: true,
        }
    }

    #[test]
    fn round_trip() {
        let m = sample();
        let bytes = to_bytes(&m);
        let back = from_bytes(&bytes, "test").expect("valid");
        assert_eq!(back.clusters, m.clusters);
        assert_eq!(back.table.get(finish(42)), m.table.get(finish(42)));
        assert_eq!(back.table.get(finish(7)).map(|r| r[3]), Some(i16::MAX));
        assert_eq!(back.table.get(u64::MAX).map(|r| r[15]), Some(-300));
        assert_eq!(back.table.get(finish(8)), None);
        assert!(back.doc_pass);
        assert_eq!(back.table.len(), 3);
        // Serialisation is canonical: bytes → model → bytes is the identity.
        assert_eq!(to_bytes(&back), bytes);
    }

    #[test]
    fn fingerprint_clashes_are_resolved() {
        // Hashes below 2^32 all share fingerprint 1: the table must still
        // give each stored hash its own row.
        let mut entries = Vec::new();
        for h in 0..4u64 {
            let mut r = [0i16; NR];
            r[0] = h as i16 + 1;
            entries.push((h, r));
        }
        let t = Table::new(entries);
        for h in 0..4u64 {
            assert_eq!(t.get(h).map(|r| r[0]), Some(h as i16 + 1));
        }
    }

    #[test]
    fn corruption_is_detected() {
        let mut bytes = to_bytes(&sample());
        let n = bytes.len();
        bytes[n / 2] ^= 1;
        let err = from_bytes(&bytes, "x.bin").unwrap_err().to_string();
        assert!(err.contains("checksum"), "{err}");
        assert!(from_bytes(&bytes[..10], "x").is_err());
        assert!(from_bytes(b"garbage garbage garbage garbage", "x").is_err());
    }

    #[test]
    fn table_accumulates_known_features_only() {
        let mut r = [0i16; NR];
        r[1] = 2;
        let (a, b, c) = (finish(10), finish(11), finish(12));
        let t = Table::new(vec![(a, r), (b, r)]);
        let mut acc = [0i32; NL];
        t.accumulate(&[a, b, c, a], &mut acc);
        // Row index 1 is label 2.
        assert_eq!(acc[2], 6);
        assert_eq!(acc[1], 0);
        assert_eq!(acc[0], 0);
    }
}
