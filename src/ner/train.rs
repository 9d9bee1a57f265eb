//! Training: averaged perceptron with greedy, BILOU-constrained decoding
//! and the predicted (not gold) label history, so that training sees the
//! same kind of history as tagging does.
//!
//! Two passes, as in Ratinov & Roth's two-stage prediction aggregation:
//! the first uses local features only; the second adds document-level
//! features computed from the first pass's labels. For the training
//! documents those labels come from jackknifing (each fold tagged by a
//! model that did not see it), otherwise the second pass would learn to
//! trust the first blindly. Both passes share one weight table (see
//! [`train_model`]), which halves the tagger's memory traffic.
//!
//! Determinism: data order comes from a seeded shuffle, feature ids are
//! assigned in data order, folds are fixed by document index, and weights
//! are exported sorted by feature hash, so the same inputs give the same
//! bytes on any machine and thread count.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::time::Instant;

use rayon::prelude::*;

use super::clusters::{
    learn_clusters, read_unlabelled, ClusterIndex, ClusterOptions, Clusters, IdentityBuild,
};
use super::conll::{read_conll, Document};
use super::error::NerError;
use super::eval::{evaluate, EvalReport};
use super::features::{document_features, dynamic_features, NL};
use super::hash::SplitMix;
use super::label::{best_allowed, Label};
use super::model::{to_bytes, ModelData, Row, Table, NR};
use super::tagger::{decode, Extra, Prepared, StaticScores, Tagger};

/// What to train on and how.
#[derive(Debug, Clone)]
pub struct TrainOptions {
    /// CoNLL training file (eng.train).
    pub train: PathBuf,
    /// CoNLL development file, evaluated after training (eng.testa).
    pub dev: Option<PathBuf>,
    /// Unlabelled text for clusters (files or directories, see
    /// [`read_unlabelled`]); used only when `clusters` does not exist yet.
    pub unlabelled: Vec<PathBuf>,
    /// Cluster file (Liang's `paths` format). Read if it exists; otherwise
    /// learned from `unlabelled` and written there. `None`: learn and keep
    /// in the model only (or no clusters when `unlabelled` is empty).
    pub clusters: Option<PathBuf>,
    /// Settings for learning clusters.
    pub cluster_options: ClusterOptions,
    /// Passes over the training data per model.
    pub epochs: usize,
    /// Seed of the data shuffles.
    pub seed: u64,
    /// Features seen fewer times in training are dropped.
    pub min_feature_count: u32,
    /// Models averaged into the final one (each on its own shuffle of the
    /// data); 1 trains a single model.
    pub ensemble: usize,
    /// Jackknife folds for the document-level second stage; 0 or 1 trains
    /// stage 1 only.
    pub folds: usize,
    /// Where to write the model.
    pub out: PathBuf,
}

impl Default for TrainOptions {
    fn default() -> Self {
        TrainOptions {
            train: PathBuf::new(),
            dev: None,
            unlabelled: Vec::new(),
            clusters: None,
            cluster_options: ClusterOptions::default(),
            epochs: 12,
            seed: 1,
            min_feature_count: 2,
            ensemble: 20,
            folds: 5,
            out: PathBuf::from("models/ner.bin"),
        }
    }
}

/// What [`train()`] did.
#[derive(Debug, Clone)]
pub struct TrainReport {
    /// Training documents, sentences and tokens.
    pub documents: usize,
    /// Training sentences.
    pub sentences: usize,
    /// Training tokens.
    pub tokens: usize,
    /// Words with a cluster.
    pub cluster_words: usize,
    /// Features with a weight in the model.
    pub features: usize,
    /// Size of the written model.
    pub model_bytes: usize,
    /// Wall time of the whole run.
    pub seconds: f64,
    /// Development-set scores, if a dev file was given.
    pub dev: Option<EvalReport>,
}

/// A training document with features precomputed.
struct DocData {
    prep: Prepared,
    gold: Vec<Label>,
}

/// Trains a model per `options`, writes it to `options.out` and returns
/// a report. `progress` receives human-readable status lines.
pub fn train(
    options: &TrainOptions,
    mut progress: impl FnMut(&str),
) -> Result<TrainReport, NerError> {
    let started = Instant::now();
    if options.epochs == 0 {
        return Err(NerError::Options("epochs must be at least 1".into()));
    }
    if options.ensemble == 0 {
        return Err(NerError::Options("ensemble must be at least 1".into()));
    }
    let docs = read_conll(&options.train)?;
    if docs.is_empty() {
        return Err(NerError::Options(format!(
            "{} holds no sentences",
            options.train.display()
        )));
    }
    let clusters = obtain_clusters(options, &mut progress)?;
    let index = ClusterIndex::new(&clusters);
    let data: Vec<DocData> = docs.par_iter().map(|d| prepare(&index, d)).collect();
    let sentences: usize = docs.iter().map(|d| d.sentences.len()).sum();
    let tokens: usize = data.iter().map(|d| d.gold.len()).sum();
    progress(&format!(
        "train: {} documents, {sentences} sentences, {tokens} tokens, {} clustered words",
        docs.len(),
        index.len()
    ));

    let all: Vec<usize> = (0..data.len()).collect();
    let table = if options.folds >= 2 {
        // Jackknife: fold k = documents with index % folds == k, each
        // tagged by a plain model trained on the other folds.
        let folds = options.folds;
        let fold_labels: Vec<Vec<(usize, Vec<Label>)>> = (0..folds)
            .into_par_iter()
            .map(|k| {
                let train_ids: Vec<usize> =
                    all.iter().copied().filter(|i| i % folds != k).collect();
                let t = quantise(&train_model(
                    &data,
                    &train_ids,
                    None,
                    options,
                    100 + k as u64,
                ));
                all.iter()
                    .copied()
                    .filter(|i| i % folds == k)
                    .map(|i| {
                        let mut out = Vec::new();
                        decode(
                            &t,
                            &data[i].prep,
                            Extra::None,
                            &mut StaticScores::default(),
                            false,
                            None,
                            &mut out,
                        );
                        (i, out)
                    })
                    .collect()
            })
            .collect();
        progress(&format!(
            "jackknife: {folds} fold models ({:.0}s)",
            started.elapsed().as_secs_f64()
        ));
        let mut labels1: Vec<Vec<Label>> = vec![Vec::new(); data.len()];
        for (i, l) in fold_labels.into_iter().flatten() {
            labels1[i] = l;
        }
        let extra: Vec<(Vec<u64>, Vec<u32>)> = data
            .iter()
            .zip(&labels1)
            .map(|(d, l)| {
                let mut f = Vec::new();
                let mut e = Vec::new();
                document_features(&d.prep.atoms, l, &d.prep.bounds, &mut f, &mut e);
                (f, e)
            })
            .collect();
        quantise(&train_ensemble(&data, &all, Some(&extra), options))
    } else {
        quantise(&train_ensemble(&data, &all, None, options))
    };
    progress(&format!(
        "model: {} features ({:.0}s)",
        table.len(),
        started.elapsed().as_secs_f64()
    ));
    let model = ModelData {
        clusters,
        table,
        doc_pass: options.folds >= 2,
    };
    let bytes = to_bytes(&model);
    if let Some(dir) = options.out.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| NerError::io(dir, e))?;
    }
    std::fs::write(&options.out, &bytes).map_err(|e| NerError::io(&options.out, e))?;
    progress(&format!(
        "wrote {} ({:.1} MB)",
        options.out.display(),
        bytes.len() as f64 / 1e6
    ));
    let features = model.table.len();
    let tagger = Tagger::from_model(model);
    let dev = match &options.dev {
        Some(p) => {
            let dev_docs = read_conll(p)?;
            let r = evaluate(&tagger, &dev_docs);
            progress(&format!(
                "dev: F1 {:.4} (PER {:.4} LOC {:.4} ORG {:.4} MISC {:.4}), {:.0} tokens/s",
                r.overall.f1,
                r.per_type.per.f1,
                r.per_type.loc.f1,
                r.per_type.org.f1,
                r.per_type.misc.f1,
                r.tokens_per_sec
            ));
            Some(r)
        }
        None => None,
    };
    Ok(TrainReport {
        documents: docs.len(),
        sentences,
        tokens,
        cluster_words: tagger.clusters().words.len(),
        features,
        model_bytes: bytes.len(),
        seconds: started.elapsed().as_secs_f64(),
        dev,
    })
}

fn obtain_clusters(
    options: &TrainOptions,
    progress: &mut impl FnMut(&str),
) -> Result<Clusters, NerError> {
    if let Some(p) = &options.clusters {
        if p.try_exists().map_err(|e| NerError::io(p, e))? {
            let c = Clusters::load(p)?;
            progress(&format!(
                "clusters: {} words in {} clusters from {}",
                c.words.len(),
                c.cluster_count(),
                p.display()
            ));
            return Ok(c);
        }
    }
    if options.unlabelled.is_empty() {
        return Ok(Clusters::default());
    }
    let text = read_unlabelled(&options.unlabelled)?;
    let c = learn_clusters(&text, &options.cluster_options, |s| progress(s))?;
    if let Some(p) = &options.clusters {
        c.save(p)?;
        progress(&format!("clusters: wrote {}", p.display()));
    }
    Ok(c)
}

fn prepare(index: &ClusterIndex, doc: &Document) -> DocData {
    let sentences: Vec<Vec<&str>> = doc.sentences.iter().map(|s| s.token_strs()).collect();
    let mut prep = Prepared::default();
    prep.fill(index, &sentences);
    let gold = doc.sentences.iter().flat_map(|s| s.bilou()).collect();
    DocData { prep, gold }
}

/// Averaged perceptron weights, with Daumé's trick: `w` holds the current
/// weights and `u` the step-weighted sum of updates, so the average is
/// `w - u / c` without touching every weight at every step.
struct Perceptron {
    index: HashMap<u64, u32, IdentityBuild>,
    w: Vec<i32>,
    u: Vec<i64>,
    c: i64,
}

impl Perceptron {
    fn row(&self, h: u64) -> Option<u32> {
        self.index.get(&h).copied()
    }

    #[inline]
    fn score(&self, rows: &[u32], acc: &mut [i32; NL]) {
        for &r in rows {
            let w = &self.w[r as usize * NL..r as usize * NL + NL];
            for (a, &x) in acc.iter_mut().zip(w) {
                *a += x;
            }
        }
    }

    #[inline]
    fn update(&mut self, rows: &[u32], label: usize, delta: i32) {
        for &r in rows {
            let k = r as usize * NL + label;
            self.w[k] += delta;
            self.u[k] += self.c * delta as i64;
        }
    }

    /// Averaged weights, sorted by feature hash.
    fn averaged(&self) -> Vec<(u64, [f64; NL])> {
        let c = self.c.max(1) as f64;
        let mut out: Vec<(u64, [f64; NL])> = self
            .index
            .iter()
            .map(|(&h, &r)| {
                let mut row = [0.0; NL];
                let base = r as usize * NL;
                for (k, x) in row.iter_mut().enumerate() {
                    *x = self.w[base + k] as f64 - self.u[base + k] as f64 / c;
                }
                (h, row)
            })
            .collect();
        // Sorting removes any dependence on the HashMap's order.
        out.sort_unstable_by_key(|e| e.0);
        out
    }
}

/// Weights quantised to i16 rows relative to the `O` weight (see
/// [`Row`]); the largest magnitude maps to `i16::MAX`, and rows that round
/// to all zeros are dropped.
fn quantise(weights: &[(u64, [f64; NL])]) -> Table {
    let relative = |r: &[f64; NL]| -> [f64; NR] {
        let mut d = [0.0; NR];
        for (k, x) in d.iter_mut().enumerate() {
            *x = r[k + 1] - r[0];
        }
        d
    };
    let max = weights
        .iter()
        .flat_map(|(_, r)| relative(r))
        .fold(0.0f64, |m, x| m.max(x.abs()));
    let scale = if max > 0.0 {
        i16::MAX as f64 / max
    } else {
        1.0
    };
    let entries = weights
        .iter()
        .filter_map(|(h, src)| {
            let mut row: Row = [0; NR];
            for (d, x) in row.iter_mut().zip(relative(src)) {
                *d = (x * scale).round() as i16;
            }
            row.iter().any(|&x| x != 0).then_some((*h, row))
        })
        .collect();
    Table::new(entries)
}

/// Trains `options.ensemble` models on differently shuffled data and
/// averages their weights. Each is an averaged perceptron already; the
/// average over shuffles removes most of the order noise (single models
/// ranged 0.924-0.927 F1 on eng.testa by seed, five averaged 0.927-0.930).
fn train_ensemble(
    data: &[DocData],
    ids: &[usize],
    extra: Option<&[(Vec<u64>, Vec<u32>)]>,
    options: &TrainOptions,
) -> Vec<(u64, [f64; NL])> {
    let n = options.ensemble;
    let runs: Vec<Vec<(u64, [f64; NL])>> = (0..n as u64)
        .into_par_iter()
        .map(|k| train_model(data, ids, extra, options, 1 + 1000 * k))
        .collect();
    if n == 1 {
        return runs.into_iter().next().unwrap_or_default();
    }
    // A BTreeMap keeps the result sorted by hash, as `averaged` does.
    let mut sum: BTreeMap<u64, [f64; NL]> = BTreeMap::new();
    for run in &runs {
        for (h, row) in run {
            let acc = sum.entry(*h).or_insert([0.0; NL]);
            for (a, b) in acc.iter_mut().zip(row) {
                *a += b / n as f64;
            }
        }
    }
    sum.into_iter().collect()
}

/// Trains a model on the documents `ids`. With `extra` (document features
/// from jackknifed first-pass labels), every document is seen twice per
/// epoch, with and without them, so that one weight table serves both
/// passes of the tagger: the static weights are shared and the second pass
/// only adds the document features' weights.
fn train_model(
    data: &[DocData],
    ids: &[usize],
    extra: Option<&[(Vec<u64>, Vec<u32>)]>,
    options: &TrainOptions,
    seed_salt: u64,
) -> Vec<(u64, [f64; NL])> {
    let token_feats = |d: usize, i: usize| -> (&[u64], &[u64]) {
        let stat = data[d].prep.token(i);
        let ext: &[u64] = match extra {
            Some(x) => {
                let (f, e) = &x[d];
                let start = if i == 0 { 0 } else { e[i - 1] as usize };
                &f[start..e[i] as usize]
            }
            None => &[],
        };
        (stat, ext)
    };
    // Count features (static, extra, and dynamic with the gold history).
    let mut counts: HashMap<u64, u32, IdentityBuild> = HashMap::with_hasher(IdentityBuild);
    let mut dynf = [0u64; 4];
    for &d in ids {
        let doc = &data[d];
        for &(s, e) in &doc.prep.bounds {
            for i in s..e {
                let (a, b) = token_feats(d, i);
                for &f in a.iter().chain(b) {
                    *counts.entry(f).or_default() += 1;
                }
                let p1 = (i > s).then(|| doc.gold[i - 1]);
                let p2 = (i > s + 1).then(|| doc.gold[i - 2]);
                dynamic_features(&doc.prep.atoms[i], p1, p2, &mut dynf);
                for &f in &dynf {
                    *counts.entry(f).or_default() += 1;
                }
            }
        }
    }
    // Assign rows in data order (deterministic): static features, then
    // the extra (document) features, each as flat per-document lists.
    let keep = |f: &u64| counts.get(f).copied().unwrap_or(0) >= options.min_feature_count;
    let mut index: HashMap<u64, u32, IdentityBuild> = HashMap::with_hasher(IdentityBuild);
    let mut rows_of: Vec<[(Vec<u32>, Vec<u32>); 2]> = Vec::with_capacity(ids.len());
    for &d in ids {
        let doc = &data[d];
        let mut lists: [(Vec<u32>, Vec<u32>); 2] = Default::default();
        for i in 0..doc.gold.len() {
            let (a, b) = token_feats(d, i);
            for (list, feats) in lists.iter_mut().zip([a, b]) {
                for f in feats.iter().filter(|f| keep(f)) {
                    let next = index.len() as u32;
                    list.0.push(*index.entry(*f).or_insert(next));
                }
                list.1.push(list.0.len() as u32);
            }
        }
        rows_of.push(lists);
    }
    let mut dyn_keep: Vec<u64> = counts
        .iter()
        .filter(|&(_, &c)| c >= options.min_feature_count)
        .map(|(&f, _)| f)
        .filter(|f| !index.contains_key(f))
        .collect();
    dyn_keep.sort_unstable();
    for f in dyn_keep {
        let next = index.len() as u32;
        index.insert(f, next);
    }
    drop(counts);
    let n = index.len();
    let mut p = Perceptron {
        index,
        w: vec![0; n * NL],
        u: vec![0; n * NL],
        c: 1,
    };

    // Which passes each document gets. The order matters: seeing the
    // document features first and the plain pass last was ~0.6 F1 better
    // on eng.testa than the reverse (3 seeds each).
    let passes: &[bool] = if extra.is_some() {
        &[true, false]
    } else {
        &[false]
    };
    let mut rng = SplitMix::new(options.seed ^ seed_salt.wrapping_mul(0x9e37_79b9));
    let mut order: Vec<usize> = (0..ids.len()).collect();
    let mut feats: Vec<u32> = Vec::with_capacity(128);
    for _ in 0..options.epochs {
        rng.shuffle(&mut order);
        for &k in &order {
            let doc = &data[ids[k]];
            let [(srows, sends), (xrows, xends)] = &rows_of[k];
            for &with_extra in passes {
                for &(s, e) in &doc.prep.bounds {
                    let mut prev1: Option<Label> = None;
                    let mut prev2: Option<Label> = None;
                    for i in s..e {
                        feats.clear();
                        let start = if i == 0 { 0 } else { sends[i - 1] as usize };
                        feats.extend_from_slice(&srows[start..sends[i] as usize]);
                        if with_extra {
                            let start = if i == 0 { 0 } else { xends[i - 1] as usize };
                            feats.extend_from_slice(&xrows[start..xends[i] as usize]);
                        }
                        dynamic_features(&doc.prep.atoms[i], prev1, prev2, &mut dynf);
                        feats.extend(dynf.iter().filter_map(|&f| p.row(f)));
                        let mut acc = [0i32; NL];
                        p.score(&feats, &mut acc);
                        let pred = best_allowed(&acc, prev1, i + 1 == e);
                        let gold = doc.gold[i];
                        if pred != gold {
                            p.update(&feats, gold.index(), 1);
                            p.update(&feats, pred.index(), -1);
                        }
                        p.c += 1;
                        // Gold history: with BILOU constraints a predicted
                        // history demands labels that cannot follow it;
                        // training on it cost ~2 F1 on eng.testa, and ~0.2
                        // even with a dynamic oracle.
                        prev2 = prev1;
                        prev1 = Some(gold);
                    }
                }
            }
        }
    }
    p.averaged()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ner::{EntityType, Iob};

    const TOY: &str = "-DOCSTART- -X- O O

John I-PER
Smith I-PER
visited O
Paris I-LOC
. O

Mary I-PER
Jones I-PER
left O
Rome I-LOC
. O

-DOCSTART- -X- O O

Acme I-ORG
Corp I-ORG
hired O
Peter I-PER
Brown I-PER
in O
Oslo I-LOC
. O

Ann I-PER
Green I-PER
joined O
Acme I-ORG
Corp I-ORG
. O
";

    #[test]
    fn perceptron_averaging() {
        let mut index = HashMap::with_hasher(IdentityBuild);
        index.insert(99u64, 0u32);
        let mut p = Perceptron {
            index,
            w: vec![0; NL],
            u: vec![0; NL],
            c: 1,
        };
        // +1 at step 1, then 3 more steps with no change, then -1 at step 5:
        // the weight was 1 for steps 1..4 and 0 afterwards.
        p.update(&[0], 2, 1);
        p.c += 4;
        p.update(&[0], 2, -1);
        p.c += 5;
        // Average over c = 10: 4 steps at 1 → 0.4; the exported table
        // scales the largest weight to i16::MAX.
        let avg = p.averaged();
        assert_eq!(avg.len(), 1);
        assert!((avg[0].1[2] - 0.4).abs() < 1e-12, "{:?}", avg[0].1);
        let t = quantise(&avg);
        let row = t.get(99).expect("kept");
        // Stored relative to O, from label 1: label 2 is index 1.
        assert_eq!(row[1], i16::MAX);
        assert_eq!(row[0], 0);
        let avg = p.w[2] as f64 - p.u[2] as f64 / p.c as f64;
        assert!((avg - 0.4).abs() < 1e-12, "{avg}");
    }

    #[test]
    fn an_ensemble_averages_its_members() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("toy.conll");
        std::fs::write(&path, TOY).expect("write");
        let docs = read_conll(&path).expect("read");
        let index = ClusterIndex::default();
        let data: Vec<DocData> = docs.iter().map(|d| prepare(&index, d)).collect();
        let ids: Vec<usize> = (0..data.len()).collect();
        let opts = TrainOptions {
            epochs: 3,
            min_feature_count: 1,
            ensemble: 2,
            ..TrainOptions::default()
        };
        let a = train_model(&data, &ids, None, &opts, 1);
        let b = train_model(&data, &ids, None, &opts, 1001);
        let both = train_ensemble(&data, &ids, None, &opts);
        let b: HashMap<u64, [f64; NL]> = b.into_iter().collect();
        assert_eq!(both.len(), a.len());
        for (h, row) in &a {
            let other = b.get(h).expect("same features in both members");
            let avg = both.iter().find(|e| e.0 == *h).expect("in the ensemble").1;
            for k in 0..NL {
                assert!((avg[k] - (row[k] + other[k]) / 2.0).abs() < 1e-12);
            }
        }
        assert!(both.windows(2).all(|w| w[0].0 < w[1].0), "sorted by hash");

        let none = TrainOptions {
            train: path,
            ensemble: 0,
            ..TrainOptions::default()
        };
        assert!(matches!(train(&none, |_| {}), Err(NerError::Options(_))));
    }

    #[test]
    fn trains_on_toy_data_deterministically() {
        let dir = tempfile::tempdir().expect("tempdir");
        let train_path = dir.path().join("toy.conll");
        std::fs::write(&train_path, TOY).expect("write");
        let opts = TrainOptions {
            train: train_path.clone(),
            dev: Some(train_path.clone()),
            epochs: 5,
            min_feature_count: 1,
            folds: 2,
            out: dir.path().join("m.bin"),
            ..TrainOptions::default()
        };
        let report = train(&opts, |_| {}).expect("train");
        assert_eq!(report.tokens, 24);
        let dev = report.dev.expect("dev report");
        assert!(dev.overall.f1 > 0.8, "{:?}", dev.overall);
        let first = std::fs::read(&opts.out).expect("model");
        let again = TrainOptions {
            out: dir.path().join("m2.bin"),
            ..opts
        };
        train(&again, |_| {}).expect("train");
        assert_eq!(std::fs::read(&again.out).expect("model"), first);
        let t = Tagger::from_bytes(&first).expect("load");
        let labels = t.tag_document(&[vec!["John", "Smith", "visited", "Paris", "."]]);
        assert_eq!(labels[0][3].to_iob(), Iob::B(EntityType::Loc));
    }
}
