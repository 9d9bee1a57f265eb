//! Brown word clusters learned from unlabelled news text, used as features
//! through prefixes of each word's bit string (Ratinov & Roth 2009 found
//! them worth ~+2 F1 on CoNLL).
//!
//! The algorithm is Liang's (2005) windowed variant of Brown et al. (1992):
//! words are taken by descending frequency, each new word becomes a cluster
//! and the pair of clusters whose merge loses the least average mutual
//! information is merged, so that only `c + 1` clusters are ever active.
//! The merge loss table is updated incrementally, O(c²) per word; the work
//! is split over rows with rayon, and every entry is computed by the same
//! sequence of operations on any number of threads, so the output is
//! deterministic. After the last word the `c` clusters are merged into one
//! tree whose left/right branches give the bit strings.
//!
//! Also here: reading unlabelled corpora (Reuters-21578 SGML, plain text,
//! CoNLL files), tokenised with the project tokenizer.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::error::NerError;
use super::features::CLUSTER_PREFIXES;
use super::hash::{hash_bytes, hash_lower, hash_title};

/// Settings for [`learn_clusters`].
#[derive(Debug, Clone)]
pub struct ClusterOptions {
    /// Number of clusters `c` (leaves of the bit-string tree).
    pub clusters: usize,
    /// Words seen fewer times are not clustered.
    pub min_count: u32,
    /// At most this many words (the most frequent) are clustered.
    pub max_words: usize,
}

impl Default for ClusterOptions {
    fn default() -> Self {
        ClusterOptions {
            clusters: 500,
            min_count: 3,
            max_words: 40_000,
        }
    }
}

/// A learned clustering: each word's bit string (root-to-leaf path).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Clusters {
    /// `(word, bit string, count in the unlabelled text)`, sorted by bit
    /// string then word.
    pub words: Vec<(String, String, u32)>,
}

impl Clusters {
    /// Writes Liang's `paths` format: `bits<TAB>word<TAB>count` per line.
    pub fn save(&self, path: &Path) -> Result<(), NerError> {
        let mut out = Vec::with_capacity(self.words.len() * 24);
        for (w, b, c) in &self.words {
            // Writing to a Vec cannot fail.
            let _ = writeln!(out, "{b}\t{w}\t{c}");
        }
        std::fs::write(path, out).map_err(|e| NerError::io(path, e))
    }

    /// Reads Liang's `paths` format (as written by [`Clusters::save`] or
    /// by `wcluster`).
    pub fn load(path: &Path) -> Result<Clusters, NerError> {
        let text = std::fs::read_to_string(path).map_err(|e| NerError::io(path, e))?;
        let mut words = Vec::new();
        for (n, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let mut cols = line.split('\t');
            let (Some(bits), Some(word)) = (cols.next(), cols.next()) else {
                return Err(NerError::parse(
                    path,
                    n + 1,
                    "expected `bits<TAB>word<TAB>count`",
                ));
            };
            if bits.is_empty() || !bits.bytes().all(|b| b == b'0' || b == b'1') {
                return Err(NerError::parse(
                    path,
                    n + 1,
                    format!("bit string `{bits}` is not made of 0 and 1"),
                ));
            }
            let count = match cols.next() {
                Some(c) => c.trim().parse().map_err(|_| {
                    NerError::parse(path, n + 1, format!("count `{c}` is not a number"))
                })?,
                None => 0,
            };
            words.push((word.to_string(), bits.to_string(), count));
        }
        words.sort_by(|a, b| (&a.1, &a.0).cmp(&(&b.1, &b.0)));
        Ok(Clusters { words })
    }

    /// Number of distinct bit strings.
    pub fn cluster_count(&self) -> usize {
        let mut bits: Vec<&str> = self.words.iter().map(|w| w.1.as_str()).collect();
        bits.dedup();
        bits.len()
    }
}

/// Runtime lookup from a word to the hashes of its bit-string prefixes.
#[derive(Debug, Clone, Default)]
pub(crate) struct ClusterIndex {
    map: HashMap<u64, u32, IdentityBuild>,
    prefixes: Vec<[u64; 4]>,
}

impl ClusterIndex {
    pub(crate) fn new(clusters: &Clusters) -> ClusterIndex {
        let mut ids: HashMap<&str, u32> = HashMap::new();
        let mut prefixes = Vec::new();
        let mut map = HashMap::with_capacity_and_hasher(clusters.words.len(), IdentityBuild);
        for (word, bits, _) in &clusters.words {
            let id = *ids.entry(bits.as_str()).or_insert_with(|| {
                let b = bits.as_bytes();
                let mut p = [0u64; 4];
                for (k, &len) in CLUSTER_PREFIXES.iter().enumerate() {
                    // Shorter paths use the whole path, as in Ratinov & Roth.
                    p[k] = hash_bytes(30 + k as u64, &b[..len.min(b.len())]);
                }
                prefixes.push(p);
                (prefixes.len() - 1) as u32
            });
            map.insert(hash_bytes(1, word.as_bytes()), id);
        }
        ClusterIndex { map, prefixes }
    }

    /// The prefix hashes for `word`; an unknown word in capitals is looked
    /// up title-cased ("BRUSSELS" → "Brussels") and then lower-cased, so that
    /// headlines and sentence starts still get cluster features.
    /// `hash` is `hash_bytes(1, word)`, which the caller has already.
    pub(crate) fn lookup(&self, word: &[u8], hash: u64) -> Option<&[u64; 4]> {
        if self.map.is_empty() {
            return None;
        }
        // Fallbacks only for words with capitals: a lower-case word's
        // lower-case form is itself.
        let upper = word.iter().filter(|c| c.is_ascii_uppercase()).count();
        let id = self
            .map
            .get(&hash)
            .or_else(|| {
                if upper > 1 && word.first().is_some_and(u8::is_ascii_uppercase) {
                    self.map.get(&hash_title(1, word))
                } else {
                    None
                }
            })
            .or_else(|| {
                if upper > 0 {
                    self.map.get(&hash_lower(1, word))
                } else {
                    None
                }
            })?;
        self.prefixes.get(*id as usize)
    }

    pub(crate) fn len(&self) -> usize {
        self.map.len()
    }
}

/// Keys are already well-mixed 64-bit hashes; hashing them again is waste.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct IdentityBuild;

impl std::hash::BuildHasher for IdentityBuild {
    type Hasher = IdentityHasher;
    fn build_hasher(&self) -> IdentityHasher {
        IdentityHasher(0)
    }
}

#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct IdentityHasher(u64);

impl std::hash::Hasher for IdentityHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ b as u64;
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

// ---------------------------------------------------------------------------
// Unlabelled text.

/// Reads unlabelled text as token sequences, one per document.
///
/// Each path is a file or a directory (walked recursively in sorted order).
/// A directory holding `.sgm` files is read as a Reuters-21578 distribution
/// (only `.sgm`, `<BODY>` text); other directories yield their `.txt` files
/// except `README*`. A file whose first line starts with `-DOCSTART-` is
/// read as CoNLL (first column); `.sgm` as Reuters SGML; anything else as
/// plain text. Bytes that are not UTF-8 are read as Latin-1.
pub fn read_unlabelled(paths: &[PathBuf]) -> Result<Vec<Vec<String>>, NerError> {
    let mut files = Vec::new();
    for p in paths {
        collect_files(p, &mut files)?;
    }
    let mut docs = Vec::new();
    for f in &files {
        let bytes = std::fs::read(f).map_err(|e| NerError::io(f, e))?;
        let text = decode(&bytes);
        if text.trim_start().starts_with("-DOCSTART-") {
            for doc in super::conll::parse_conll(&text, f)? {
                docs.push(doc.sentences.into_iter().flat_map(|s| s.tokens).collect());
            }
        } else if f.extension().is_some_and(|e| e.eq_ignore_ascii_case("sgm")) {
            for body in sgml_bodies(&text) {
                docs.push(tokenize(&body));
            }
        } else {
            docs.push(tokenize(&text));
        }
    }
    Ok(docs)
}

fn collect_files(path: &Path, out: &mut Vec<PathBuf>) -> Result<(), NerError> {
    let meta = std::fs::metadata(path).map_err(|e| NerError::io(path, e))?;
    if !meta.is_dir() {
        out.push(path.to_path_buf());
        return Ok(());
    }
    let mut entries = Vec::new();
    for e in std::fs::read_dir(path).map_err(|e| NerError::io(path, e))? {
        let e = e.map_err(|e| NerError::io(path, e))?;
        entries.push(e.path());
    }
    entries.sort();
    let has_sgm = entries
        .iter()
        .any(|p| p.extension().is_some_and(|e| e.eq_ignore_ascii_case("sgm")));
    for p in entries {
        let name = p
            .file_name()
            .map(|n| n.to_string_lossy().to_lowercase())
            .unwrap_or_default();
        if name.starts_with('.') {
            continue;
        }
        if p.is_dir() {
            collect_files(&p, out)?;
        } else if has_sgm {
            if name.ends_with(".sgm") {
                out.push(p);
            }
        } else if name.ends_with(".txt") && !name.starts_with("readme") {
            out.push(p);
        }
    }
    Ok(())
}

fn decode(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(_) => bytes.iter().map(|&b| b as char).collect(),
    }
}

/// The `<BODY>` texts of a Reuters SGML file, entities unescaped.
fn sgml_bodies(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(s) = rest.find("<BODY>") {
        let after = &rest[s + 6..];
        let Some(e) = after.find("</BODY>") else {
            break;
        };
        out.push(unescape(&after[..e]));
        rest = &after[e + 7..];
    }
    out
}

fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        match tail.find(';').filter(|&j| j <= 8) {
            Some(j) => {
                let ent = &tail[1..j];
                match ent {
                    "lt" => out.push('<'),
                    "gt" => out.push('>'),
                    "amp" => out.push('&'),
                    "quot" => out.push('"'),
                    // Numeric entities here are control codes (&#3; etc.).
                    _ if ent.starts_with('#') => out.push(' '),
                    _ => out.push_str(&tail[..=j]),
                }
                rest = &tail[j + 1..];
            }
            None => {
                out.push('&');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Tokens of running text, with the project tokenizer
/// (`entities::tokenize`) so that clustered words look like the tokens the
/// tagger will see.
fn tokenize(text: &str) -> Vec<String> {
    crate::entities::tokenize::tokens(text)
        .iter()
        .map(|t| t.text.to_string())
        .collect()
}

// ---------------------------------------------------------------------------
// Brown clustering.

/// Learns Brown clusters from unlabelled documents (token sequences), see
/// the module documentation. `progress` receives occasional status lines.
pub fn learn_clusters(
    docs: &[Vec<String>],
    options: &ClusterOptions,
    mut progress: impl FnMut(&str),
) -> Result<Clusters, NerError> {
    if options.clusters < 2 {
        return Err(NerError::Options("at least 2 clusters are needed".into()));
    }
    // Vocabulary by descending count, ties by word: a fixed order.
    let mut counts: HashMap<&str, u32> = HashMap::new();
    let mut total: u64 = 0;
    for d in docs {
        for w in d {
            *counts.entry(w.as_str()).or_default() += 1;
            total += 1;
        }
    }
    let mut vocab: Vec<(&str, u32)> = counts
        .into_iter()
        .filter(|&(_, c)| c >= options.min_count)
        .collect();
    vocab.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    vocab.truncate(options.max_words);
    if vocab.len() < options.clusters {
        return Err(NerError::Options(format!(
            "only {} words occur at least {} times; need more than {} for {} clusters",
            vocab.len(),
            options.min_count,
            options.clusters,
            options.clusters
        )));
    }
    let index: HashMap<&str, u32> = vocab
        .iter()
        .enumerate()
        .map(|(i, (w, _))| (*w, i as u32))
        .collect();
    progress(&format!(
        "clusters: {} tokens, {} words to cluster into {}",
        total,
        vocab.len(),
        options.clusters
    ));

    // Bigram counts between vocabulary words, as sorted adjacency lists.
    let mut pairs: Vec<(u32, u32)> = Vec::new();
    for d in docs {
        let mut prev: Option<u32> = None;
        for w in d {
            let cur = index.get(w.as_str()).copied();
            if let (Some(a), Some(b)) = (prev, cur) {
                pairs.push((a, b));
            }
            prev = cur;
        }
    }
    pairs.sort_unstable();
    let mut right: Vec<Vec<(u32, u32)>> = vec![Vec::new(); vocab.len()];
    let mut left: Vec<Vec<(u32, u32)>> = vec![Vec::new(); vocab.len()];
    let mut i = 0;
    while i < pairs.len() {
        let mut j = i;
        while j < pairs.len() && pairs[j] == pairs[i] {
            j += 1;
        }
        let (a, b) = pairs[i];
        let n = (j - i) as u32;
        right[a as usize].push((b, n));
        left[b as usize].push((a, n));
        i = j;
    }
    drop(pairs);

    let n_total = total as f64;
    let word_p: Vec<f64> = vocab.iter().map(|&(_, c)| c as f64 / n_total).collect();
    let mut brown = Brown::new(options.clusters, &word_p, &right, &left, n_total);
    let started = std::time::Instant::now();
    let step = (vocab.len() / 20).max(1);
    for w in options.clusters..vocab.len() {
        brown.add_word(w);
        brown.merge_best();
        if (w - options.clusters).is_multiple_of(step) {
            progress(&format!(
                "clusters: {w}/{} words, {:.0}s",
                vocab.len(),
                started.elapsed().as_secs_f64()
            ));
        }
    }
    let paths = brown.finish();
    let mut words: Vec<(String, String, u32)> = vocab
        .iter()
        .enumerate()
        .map(|(i, &(w, c))| (w.to_string(), paths[brown.cluster_of_word(i)].clone(), c))
        .collect();
    words.sort_by(|a, b| (&a.1, &a.0).cmp(&(&b.1, &b.0)));
    progress(&format!(
        "clusters: done in {:.0}s",
        started.elapsed().as_secs_f64()
    ));
    Ok(Clusters { words })
}

/// `p · log(p / (pl · pr))`, 0 for p = 0.
#[inline(always)]
fn qv(p: f64, pl: f64, pr: f64) -> f64 {
    if p > 0.0 {
        p * (p / (pl * pr)).ln()
    } else {
        0.0
    }
}

/// State of the windowed Brown clustering: `c + 1` slots, dense matrices
/// indexed by slot.
struct Brown<'a> {
    c: usize,
    /// Slots in use: `slots` = c + 1.
    slots: usize,
    /// Unigram probability of each slot's cluster.
    p1: Vec<f64>,
    /// Bigram probability slot a → slot b, row-major `slots × slots`.
    p2: Vec<f64>,
    /// q terms of p2.
    q2: Vec<f64>,
    /// Merge loss for a < b (upper triangle).
    loss: Vec<f64>,
    active: Vec<bool>,
    /// Slot of each word already added (`usize::MAX` = not yet).
    word_slot: Vec<usize>,
    /// Current tree node of each slot.
    slot_node: Vec<usize>,
    /// Final leaf (cluster) of each word: the node its slot had after
    /// the last word was added.
    word_node: Vec<usize>,
    /// Tree: children of internal nodes (nodes < `leaves` are leaves).
    children: Vec<(usize, usize)>,
    next_node: usize,
    word_p: &'a [f64],
    right: &'a [Vec<(u32, u32)>],
    left: &'a [Vec<(u32, u32)>],
    n: f64,
    /// Slot-level members, so that word → final node can be resolved.
    members: Vec<Vec<usize>>,
    /// Phase 2: merges build the bit-string tree.
    in_tree: bool,
}

impl<'a> Brown<'a> {
    fn new(
        c: usize,
        word_p: &'a [f64],
        right: &'a [Vec<(u32, u32)>],
        left: &'a [Vec<(u32, u32)>],
        n: f64,
    ) -> Brown<'a> {
        let slots = c + 1;
        let mut b = Brown {
            c,
            slots,
            p1: vec![0.0; slots],
            p2: vec![0.0; slots * slots],
            q2: vec![0.0; slots * slots],
            loss: vec![0.0; slots * slots],
            active: vec![false; slots],
            word_slot: vec![usize::MAX; word_p.len()],
            slot_node: vec![usize::MAX; slots],
            word_node: vec![usize::MAX; word_p.len()],
            children: Vec::new(),
            next_node: 0,
            word_p,
            right,
            left,
            n,
            members: vec![Vec::new(); slots],
            in_tree: false,
        };
        for w in 0..c {
            b.place_word(w, w);
        }
        // Initial losses: O(c³) once.
        let s = slots;
        let snapshot = &b;
        let rows: Vec<Vec<f64>> = (0..s)
            .into_par_iter()
            .map(|a| {
                let mut row = vec![0.0; s];
                if snapshot.active[a] {
                    for (bb, r) in row.iter_mut().enumerate().skip(a + 1) {
                        if snapshot.active[bb] {
                            *r = snapshot.full_loss(a, bb);
                        }
                    }
                }
                row
            })
            .collect();
        for (a, row) in rows.into_iter().enumerate() {
            b.loss[a * s..(a + 1) * s].copy_from_slice(&row);
        }
        b
    }

    /// Puts word `w` into free slot `s` and fills its p2/q2 row and column.
    fn place_word(&mut self, w: usize, s: usize) {
        let n = self.slots;
        self.active[s] = true;
        self.word_slot[w] = s;
        self.slot_node[s] = w; // leaves of the phase-1 tree are words
        self.members[s] = vec![w];
        self.p1[s] = self.word_p[w];
        for d in 0..n {
            self.p2[s * n + d] = 0.0;
            self.p2[d * n + s] = 0.0;
        }
        for &(v, cnt) in &self.right[w] {
            let t = self.word_slot[v as usize];
            if t != usize::MAX {
                self.p2[s * n + t] += cnt as f64 / self.n;
            }
        }
        for &(v, cnt) in &self.left[w] {
            let t = self.word_slot[v as usize];
            // The self-bigram was counted in the right list already.
            if t != usize::MAX && v as usize != w {
                self.p2[t * n + s] += cnt as f64 / self.n;
            }
        }
        for d in 0..n {
            if self.active[d] {
                self.q2[s * n + d] = qv(self.p2[s * n + d], self.p1[s], self.p1[d]);
                self.q2[d * n + s] = qv(self.p2[d * n + s], self.p1[d], self.p1[s]);
            }
        }
        self.next_node = self.next_node.max(w + 1);
    }

    /// Loss of merging slots a and b, from scratch (O(slots)).
    fn full_loss(&self, a: usize, b: usize) -> f64 {
        let n = self.slots;
        let pu = self.p1[a] + self.p1[b];
        let mut before = 0.0;
        let mut after = 0.0;
        for d in 0..n {
            if !self.active[d] || d == a || d == b {
                continue;
            }
            before +=
                self.q2[a * n + d] + self.q2[d * n + a] + self.q2[b * n + d] + self.q2[d * n + b];
            after += qv(self.p2[a * n + d] + self.p2[b * n + d], pu, self.p1[d])
                + qv(self.p2[d * n + a] + self.p2[d * n + b], self.p1[d], pu);
        }
        before += self.q2[a * n + a] + self.q2[a * n + b] + self.q2[b * n + a] + self.q2[b * n + b];
        after += qv(
            self.p2[a * n + a] + self.p2[a * n + b] + self.p2[b * n + a] + self.p2[b * n + b],
            pu,
            pu,
        );
        before - after
    }

    /// The change of L(a, b) contributed by a third cluster d.
    #[inline(always)]
    fn g(&self, a: usize, b: usize, d: usize) -> f64 {
        let n = self.slots;
        let pab = self.p1[a] + self.p1[b];
        self.q2[a * n + d] + self.q2[d * n + a] + self.q2[b * n + d] + self.q2[d * n + b]
            - qv(self.p2[a * n + d] + self.p2[b * n + d], pab, self.p1[d])
            - qv(self.p2[d * n + a] + self.p2[d * n + b], self.p1[d], pab)
    }

    /// Adds word `w` in the free slot and updates all losses.
    fn add_word(&mut self, w: usize) {
        let Some(s) = self.active.iter().position(|a| !a) else {
            return;
        };
        self.place_word(w, s);
        let n = self.slots;
        let mut loss = std::mem::take(&mut self.loss);
        let this = &*self;
        loss.par_chunks_mut(n).enumerate().for_each(|(a, row)| {
            if !this.active[a] {
                return;
            }
            for (b, r) in row.iter_mut().enumerate().skip(a + 1) {
                if !this.active[b] {
                    continue;
                }
                if a == s || b == s {
                    *r = this.full_loss(a, b);
                } else {
                    *r += this.g(a, b, s);
                }
            }
        });
        self.loss = loss;
    }

    /// The active pair with the smallest loss (ties: lowest slots).
    fn best_pair(&self) -> Option<(usize, usize)> {
        let n = self.slots;
        let mut best: Option<(f64, usize, usize)> = None;
        for a in 0..n {
            if !self.active[a] {
                continue;
            }
            for b in a + 1..n {
                if !self.active[b] {
                    continue;
                }
                let l = self.loss[a * n + b];
                if best.is_none_or(|(bl, _, _)| l < bl) {
                    best = Some((l, a, b));
                }
            }
        }
        best.map(|(_, a, b)| (a, b))
    }

    /// Merges the best pair; the merged cluster keeps slot `a`.
    fn merge_best(&mut self) -> Option<(usize, usize)> {
        let (a, b) = self.best_pair()?;
        self.merge(a, b);
        Some((a, b))
    }

    fn merge(&mut self, s: usize, t: usize) {
        let n = self.slots;
        // The merged cluster u, as a row/column, before touching slot s.
        let pu = self.p1[s] + self.p1[t];
        let mut u_row = vec![0.0; n];
        let mut u_col = vec![0.0; n];
        for d in 0..n {
            if self.active[d] && d != s && d != t {
                u_row[d] = self.p2[s * n + d] + self.p2[t * n + d];
                u_col[d] = self.p2[d * n + s] + self.p2[d * n + t];
            }
        }
        let u_self =
            self.p2[s * n + s] + self.p2[s * n + t] + self.p2[t * n + s] + self.p2[t * n + t];
        let qu_row: Vec<f64> = (0..n).map(|d| qv(u_row[d], pu, self.p1[d])).collect();
        let qu_col: Vec<f64> = (0..n).map(|d| qv(u_col[d], self.p1[d], pu)).collect();

        let mut loss = std::mem::take(&mut self.loss);
        let this = &*self;
        loss.par_chunks_mut(n).enumerate().for_each(|(a, row)| {
            if !this.active[a] || a == s || a == t {
                return;
            }
            for (b, r) in row.iter_mut().enumerate().skip(a + 1) {
                if !this.active[b] || b == s || b == t {
                    continue;
                }
                let pab = this.p1[a] + this.p1[b];
                let gu = qu_row[a] + qu_col[a] + qu_row[b] + qu_col[b]
                    - qv(u_col[a] + u_col[b], pab, pu)
                    - qv(u_row[a] + u_row[b], pu, pab);
                *r += gu - this.g(a, b, s) - this.g(a, b, t);
            }
        });
        self.loss = loss;

        // Install u in slot s, free slot t.
        for d in 0..n {
            self.p2[t * n + d] = 0.0;
            self.p2[d * n + t] = 0.0;
            self.q2[t * n + d] = 0.0;
            self.q2[d * n + t] = 0.0;
        }
        for d in 0..n {
            if d != s && d != t {
                self.p2[s * n + d] = u_row[d];
                self.p2[d * n + s] = u_col[d];
                self.q2[s * n + d] = qu_row[d];
                self.q2[d * n + s] = qu_col[d];
            }
        }
        self.p2[s * n + s] = u_self;
        self.q2[s * n + s] = qv(u_self, pu, pu);
        self.p1[s] = pu;
        self.p1[t] = 0.0;
        self.active[t] = false;
        let moved = std::mem::take(&mut self.members[t]);
        self.members[s].extend(moved);
        for d in 0..n {
            self.loss[t * n + d] = 0.0;
            self.loss[d * n + t] = 0.0;
        }
        // Fresh losses for pairs with u.
        let this = &*self;
        let fresh: Vec<(usize, f64)> = (0..n)
            .into_par_iter()
            .filter(|&d| this.active[d] && d != s)
            .map(|d| (d, this.full_loss(d.min(s), d.max(s))))
            .collect();
        for (d, l) in fresh {
            self.loss[d.min(s) * n + d.max(s)] = l;
        }
        // Phase-2 tree bookkeeping (phase 1 only tracks members).
        if self.in_tree {
            let node = self.next_node;
            self.next_node += 1;
            self.children.push((self.slot_node[s], self.slot_node[t]));
            self.slot_node[s] = node;
        }
    }

    /// Merges the remaining clusters into one tree and returns the bit
    /// string of every final cluster, indexed by leaf id.
    fn finish(&mut self) -> Vec<String> {
        // Leaves: the current clusters, numbered 0..c in slot order.
        let n = self.slots;
        let mut leaf = 0;
        for s in 0..n {
            if self.active[s] {
                self.slot_node[s] = leaf;
                for &w in &self.members[s] {
                    self.word_node[w] = leaf;
                }
                leaf += 1;
            }
        }
        let leaves = leaf;
        self.next_node = leaves;
        self.children.clear();
        self.in_tree = true;
        while self.active.iter().filter(|&&a| a).count() > 1 {
            if self.merge_best().is_none() {
                break;
            }
        }
        // Root is the last node created; walk down assigning bits.
        let mut paths = vec![String::new(); leaves];
        if leaves == 1 {
            paths[0] = "0".into();
            return paths;
        }
        let root = self.next_node - 1;
        let mut stack = vec![(root, String::new())];
        while let Some((node, path)) = stack.pop() {
            if node < leaves {
                paths[node] = if path.is_empty() { "0".into() } else { path };
                continue;
            }
            let (l, r) = self.children[node - leaves];
            stack.push((r, format!("{path}1")));
            stack.push((l, format!("{path}0")));
        }
        let _ = self.c;
        paths
    }

    fn cluster_of_word(&self, w: usize) -> usize {
        self.word_node[w]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokenizer_splits_like_conll() {
        assert_eq!(
            tokenize("Germany's profit rose 5.93% in the U.S. today."),
            vec!["Germany", "'s", "profit", "rose", "5.93", "%", "in", "the", "U.S.", "today", "."]
        );
    }

    #[test]
    fn sgml_bodies_are_unescaped() {
        let t = "<REUTERS><BODY>A &lt;B&gt; &amp; C\nReuter\n&#3;</BODY></REUTERS><BODY>x</BODY>";
        assert_eq!(
            sgml_bodies(t),
            vec!["A <B> & C\nReuter\n ".to_string(), "x".into()]
        );
    }

    fn toy_corpus() -> Vec<Vec<String>> {
        // Two obvious classes: names after "Mr", towns after "in".
        let mut docs = Vec::new();
        let names = ["Smith", "Jones", "Brown", "Green"];
        let towns = ["Paris", "Rome", "Oslo", "Bonn"];
        for i in 0..40 {
            let mut d = Vec::new();
            for j in 0..4 {
                let n = names[(i + j) % 4];
                let t = towns[(i * 3 + j) % 4];
                for w in ["Mr", n, "was", "in", t, "today", "."] {
                    d.push(w.to_string());
                }
            }
            docs.push(d);
        }
        docs
    }

    #[test]
    fn brown_groups_words_by_context_and_is_deterministic() {
        let docs = toy_corpus();
        let opts = ClusterOptions {
            clusters: 7,
            min_count: 1,
            max_words: 100,
        };
        let c = learn_clusters(&docs, &opts, |_| {}).expect("clusters");
        let again = learn_clusters(&docs, &opts, |_| {}).expect("clusters");
        assert_eq!(c, again);
        let bits = |w: &str| {
            c.words
                .iter()
                .find(|x| x.0 == w)
                .map(|x| x.1.clone())
                .expect("clustered")
        };
        assert_eq!(bits("Smith"), bits("Jones"));
        assert_eq!(bits("Paris"), bits("Oslo"));
        assert_ne!(bits("Smith"), bits("Paris"));
        assert!(c.cluster_count() <= 7);
        // Round trip through the paths format.
        let dir = tempfile::tempdir().expect("tempdir");
        let p = dir.path().join("paths");
        c.save(&p).expect("save");
        assert_eq!(Clusters::load(&p).expect("load"), c);
        let idx = ClusterIndex::new(&c);
        let look = |w: &str| idx.lookup(w.as_bytes(), hash_bytes(1, w.as_bytes()));
        assert_eq!(look("SMITH"), look("Smith"));
        assert!(look("Smith").is_some());
        assert!(look("zzz").is_none());
    }

    #[test]
    fn incremental_losses_match_recomputation() {
        let docs = toy_corpus();
        let mut counts: HashMap<&str, u32> = HashMap::new();
        for d in &docs {
            for w in d {
                *counts.entry(w).or_default() += 1;
            }
        }
        let mut vocab: Vec<(&str, u32)> = counts.into_iter().collect();
        vocab.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        let index: HashMap<&str, usize> = vocab.iter().enumerate().map(|(i, w)| (w.0, i)).collect();
        let mut right = vec![Vec::new(); vocab.len()];
        let mut left = vec![Vec::new(); vocab.len()];
        let mut pairs: HashMap<(u32, u32), u32> = HashMap::new();
        for d in &docs {
            for w in d.windows(2) {
                *pairs
                    .entry((index[w[0].as_str()] as u32, index[w[1].as_str()] as u32))
                    .or_default() += 1;
            }
        }
        let mut sorted: Vec<_> = pairs.into_iter().collect();
        sorted.sort();
        for ((a, b), n) in sorted {
            right[a as usize].push((b, n));
            left[b as usize].push((a, n));
        }
        let total: f64 = vocab.iter().map(|v| v.1 as f64).sum();
        let p: Vec<f64> = vocab.iter().map(|v| v.1 as f64 / total).collect();
        let mut b = Brown::new(3, &p, &right, &left, total);
        for w in 3..vocab.len() {
            b.add_word(w);
            b.merge_best();
            for x in 0..b.slots {
                for y in x + 1..b.slots {
                    if b.active[x] && b.active[y] {
                        let inc = b.loss[x * b.slots + y];
                        let full = b.full_loss(x, y);
                        assert!((inc - full).abs() < 1e-9, "{inc} vs {full}");
                    }
                }
            }
        }
    }
}
