//! Measurements of the extraction pipeline on the shared evaluation data
//! (`../shared/data`, or `$NEWSDEX_SHARED/data`): per-document entity-set
//! precision and recall on CoNLL-2003 `eng.testa`, and throughput on the BBC
//! corpus. They print figures and assert only loose floors; they skip (with
//! a note on stderr) when the data is absent.
//!
//! ```sh
//! NEWSDEX_SHARED=/work/shared cargo test --release --lib entities::eval -- --nocapture --include-ignored
//! ```
//!
//! `NEWSDEX_EVAL_ERRORS=1` also lists the most frequent wrong and missed
//! values.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::time::Instant;

use super::heuristic::detect;
use super::mention::{Kind, Mention};
use super::normalize::normalize;
use super::tokenize::tokens;
use crate::Entities;

/// The shared data folder, if present.
fn shared_data() -> Option<PathBuf> {
    let root = std::env::var_os("NEWSDEX_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared"));
    let data = root.join("data");
    data.is_dir().then_some(data)
}

/// One CoNLL document: text rebuilt from its tokens (one space between
/// tokens, a blank line between sentences, so the detector sees the
/// shared-task sentence boundaries) and the gold mentions in that text.
struct Doc {
    text: String,
    gold: Vec<Mention>,
}

/// Parses a CoNLL-2003 file (IOB1) into documents.
fn conll_docs(data: &str) -> Vec<Doc> {
    let mut docs = Vec::new();
    let mut text = String::new();
    let mut gold = Vec::new();
    // The open chunk: kind and start offset.
    let mut open: Option<(Kind, usize, usize)> = None;
    let close = |open: &mut Option<(Kind, usize, usize)>, text: &str, gold: &mut Vec<Mention>| {
        if let Some((kind, s, e)) = open.take() {
            gold.extend(Mention::new(kind, text, s, e));
        }
    };
    for line in data.lines() {
        if line.starts_with("-DOCSTART-") {
            close(&mut open, &text, &mut gold);
            if !text.is_empty() {
                docs.push(Doc {
                    text: std::mem::take(&mut text),
                    gold: std::mem::take(&mut gold),
                });
            }
            continue;
        }
        let cols: Vec<&str> = line.split(' ').collect();
        if cols.len() < 4 {
            close(&mut open, &text, &mut gold);
            if !text.is_empty() && !text.ends_with("\n\n") {
                text.push_str("\n\n");
            }
            continue;
        }
        let (word, tag) = (cols[0], cols[3]);
        if !text.is_empty() && !text.ends_with('\n') {
            text.push(' ');
        }
        let start = text.len();
        text.push_str(word);
        let end = text.len();
        let kind = match tag.get(2..) {
            Some("PER") => Some(Kind::Person),
            Some("LOC") => Some(Kind::Location),
            Some("ORG") => Some(Kind::Organization),
            Some("MISC") => Some(Kind::Misc),
            _ => None,
        };
        match (kind, &mut open) {
            (Some(k), Some((ok, _, oe))) if k == *ok && !tag.starts_with("B-") => *oe = end,
            (Some(k), _) => {
                close(&mut open, &text, &mut gold);
                open = Some((k, start, end));
            }
            (None, _) => close(&mut open, &text, &mut gold),
        }
    }
    close(&mut open, &text, &mut gold);
    if !text.is_empty() {
        docs.push(Doc { text, gold });
    }
    docs
}

/// True positives, predicted and gold counts.
#[derive(Default, Clone, Copy)]
struct Score {
    tp: usize,
    pred: usize,
    gold: usize,
}

impl Score {
    fn add<T: Ord>(&mut self, pred: &BTreeSet<T>, gold: &BTreeSet<T>) {
        self.tp += pred.intersection(gold).count();
        self.pred += pred.len();
        self.gold += gold.len();
    }

    fn line(&self, name: &str) -> String {
        let p = self.tp as f64 / self.pred.max(1) as f64;
        let r = self.tp as f64 / self.gold.max(1) as f64;
        let f = if p + r > 0.0 {
            2.0 * p * r / (p + r)
        } else {
            0.0
        };
        format!(
            "{name:<26} P {:5.1}  R {:5.1}  F1 {:5.1}  (tp {}, predicted {}, gold {})",
            100.0 * p,
            100.0 * r,
            100.0 * f,
            self.tp,
            self.pred,
            self.gold
        )
    }

    fn f1(&self) -> f64 {
        2.0 * self.tp as f64 / (self.pred + self.gold).max(1) as f64
    }
}

fn folded(values: &[String]) -> BTreeSet<String> {
    values.iter().map(|v| v.to_lowercase()).collect()
}

fn spans(mentions: &[Mention], kind: Kind) -> BTreeSet<(usize, usize)> {
    mentions
        .iter()
        .filter(|m| m.kind == kind)
        .map(|m| (m.start, m.end))
        .collect()
}

/// Per-document entity sets of the heuristic pipeline against the gold
/// mentions put through the same normaliser, on the CoNLL development set.
#[test]
fn conll_testa() {
    let Some(data) = shared_data() else {
        eprintln!("conll_testa: shared data not found (set NEWSDEX_SHARED); skipped");
        return;
    };
    let Ok(raw) = std::fs::read_to_string(data.join("conll2003/eng.testa")) else {
        eprintln!("conll_testa: conll2003/eng.testa not readable; skipped");
        return;
    };
    let docs = conll_docs(&raw);
    let (mut persons, mut orgs, mut countries, mut places) = Default::default();
    let (mut per, mut loc, mut org) = (Score::default(), Score::default(), Score::default());
    let show_errors = std::env::var_os("NEWSDEX_EVAL_ERRORS").is_some();
    let mut errors: std::collections::BTreeMap<String, usize> = Default::default();
    for doc in &docs {
        let predicted = detect(&doc.text);
        let gold: Entities = normalize(&doc.gold);
        let got: Entities = normalize(&predicted);
        Score::add(&mut persons, &folded(&got.persons), &folded(&gold.persons));
        Score::add(&mut orgs, &folded(&got.orgs), &folded(&gold.orgs));
        Score::add(&mut places, &folded(&got.places), &folded(&gold.places));
        let codes = |e: &Entities| e.countries.iter().map(|c| c.code.clone()).collect();
        Score::add(&mut countries, &codes(&got), &codes(&gold));
        per.add(
            &spans(&predicted, Kind::Person),
            &spans(&doc.gold, Kind::Person),
        );
        loc.add(
            &spans(&predicted, Kind::Location),
            &spans(&doc.gold, Kind::Location),
        );
        org.add(
            &spans(&predicted, Kind::Organization),
            &spans(&doc.gold, Kind::Organization),
        );
        if show_errors {
            // Most frequent wrong and missed values, to see what to fix.
            for (what, g, p) in [
                ("person", &gold.persons, &got.persons),
                ("org", &gold.orgs, &got.orgs),
                ("place", &gold.places, &got.places),
            ] {
                let (g, p) = (folded(g), folded(p));
                for v in p.difference(&g) {
                    *errors.entry(format!("wrong {what}: {v}")).or_default() += 1;
                }
                for v in g.difference(&p) {
                    *errors.entry(format!("missed {what}: {v}")).or_default() += 1;
                }
            }
        }
    }
    eprintln!(
        "CoNLL-2003 eng.testa, {} documents, heuristic detector:",
        docs.len()
    );
    eprintln!("per-document entity sets (after normalisation):");
    eprintln!("  {}", persons.line("persons"));
    eprintln!("  {}", orgs.line("orgs"));
    eprintln!("  {}", countries.line("countries (ISO code)"));
    eprintln!("  {}", places.line("places"));
    eprintln!("exact mention spans:");
    eprintln!("  {}", per.line("PER"));
    eprintln!("  {}", loc.line("LOC"));
    eprintln!("  {}", org.line("ORG"));
    if show_errors {
        let mut by_count: Vec<(&String, &usize)> = errors.iter().collect();
        by_count.sort_by_key(|&(v, n)| (std::cmp::Reverse(*n), v));
        for (v, n) in by_count.iter().take(150) {
            eprintln!("  {n:3} {v}");
        }
    }
    assert_eq!(docs.len(), 216, "eng.testa has 216 documents");
    // Loose floors: a regression alarm, not a target.
    assert!(persons.f1() > 0.5, "{}", persons.line("persons"));
    assert!(countries.f1() > 0.6, "{}", countries.line("countries"));
}

/// Throughput of tokenisation, detection and normalisation on the BBC
/// articles (about 3.8 MB). Ignored by default: run it in release mode.
#[test]
#[ignore = "benchmark; run with --release --include-ignored"]
fn throughput() {
    let Some(data) = shared_data() else {
        eprintln!("throughput: shared data not found (set NEWSDEX_SHARED); skipped");
        return;
    };
    let mut texts = Vec::new();
    for dir in ["business", "entertainment", "politics", "sport"] {
        let Ok(entries) = std::fs::read_dir(data.join("bbc").join(dir)) else {
            continue;
        };
        for entry in entries.flatten() {
            if let Ok(bytes) = std::fs::read(entry.path()) {
                texts.push(String::from_utf8_lossy(&bytes).into_owned());
            }
        }
    }
    if texts.is_empty() {
        eprintln!("throughput: no BBC articles found; skipped");
        return;
    }
    let bytes: usize = texts.iter().map(String::len).sum();
    let _ = super::gazetteer::gazetteer(); // load outside the timings
    let mb = bytes as f64 / 1e6;
    let t = Instant::now();
    let n: usize = texts.iter().map(|t| tokens(t).len()).sum();
    let tok = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let mentions: Vec<Vec<Mention>> = texts.iter().map(|t| detect(t)).collect();
    let det = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let entities: Vec<Entities> = mentions.iter().map(|m| normalize(m)).collect();
    let norm = t.elapsed().as_secs_f64();
    let values: usize = entities
        .iter()
        .map(|e| e.persons.len() + e.orgs.len() + e.countries.len() + e.places.len())
        .sum();
    if std::env::var_os("NEWSDEX_EVAL_ERRORS").is_some() {
        // The most frequent values per facet: junk shows up here first.
        for (facet, pick) in [
            (
                "person",
                (|e: &Entities| e.persons.clone()) as fn(&Entities) -> Vec<String>,
            ),
            ("org", |e: &Entities| e.orgs.clone()),
            ("place", |e: &Entities| e.places.clone()),
        ] {
            let mut counts: std::collections::BTreeMap<String, usize> = Default::default();
            for v in entities.iter().flat_map(pick) {
                *counts.entry(v).or_default() += 1;
            }
            let mut top: Vec<(String, usize)> = counts.into_iter().collect();
            top.sort_by_key(|(v, n)| (std::cmp::Reverse(*n), v.clone()));
            let top: Vec<String> = top
                .iter()
                .take(60)
                .map(|(v, n)| format!("{v} {n}"))
                .collect();
            eprintln!("top {facet}s: {}", top.join(", "));
        }
    }
    eprintln!(
        "{} articles, {mb:.1} MB, {n} tokens, {values} facet values",
        texts.len()
    );
    eprintln!("  tokenize              {:7.1} MB/s", mb / tok);
    eprintln!("  detect (incl. tokens) {:7.1} MB/s", mb / det);
    eprintln!("  detect + normalise    {:7.1} MB/s", mb / (det + norm));
}

#[test]
fn conll_reader_builds_offsets_and_chunks() {
    let raw = "-DOCSTART- -X- O O\n\nWest NNP I-NP I-MISC\nIndian NNP I-NP I-MISC\n\
               Phil NNP I-NP I-PER\nSimmons NNP I-NP I-PER\nB NNP I-NP B-PER\n. . O O\n";
    let docs = conll_docs(raw);
    assert_eq!(docs.len(), 1);
    let texts: Vec<(Kind, &str)> = docs[0]
        .gold
        .iter()
        .map(|m| (m.kind, &docs[0].text[m.start..m.end]))
        .collect();
    assert_eq!(
        texts,
        [
            (Kind::Misc, "West Indian"),
            (Kind::Person, "Phil Simmons"),
            (Kind::Person, "B")
        ]
    );
}
