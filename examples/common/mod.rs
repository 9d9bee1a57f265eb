//! Helpers shared by the benchmark examples: deterministic random numbers,
//! the query file and latency percentiles. Each example uses part of them.
#![allow(dead_code)]

use anyhow::Context;
use serde::Deserialize;

#[path = "../../tests/util/splitmix.rs"]
mod splitmix;
pub use splitmix::Rng;

impl Rng {
    /// Standard normal (Box–Muller).
    pub fn normal(&mut self) -> f64 {
        let u1 = self.unit().max(1e-12);
        let u2 = self.unit();
        (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()
    }
}

/// One line of a query file such as `bench/queries.jsonl`:
/// `{"kind": "...", "q": "...", "person": [...], "country": [...]}`.
#[derive(Deserialize, Clone)]
pub struct QuerySpec {
    #[serde(default)]
    pub kind: String,
    pub q: String,
    #[serde(default)]
    pub person: Vec<String>,
    #[serde(default)]
    pub country: Vec<String>,
}

/// The queries of a JSON-lines file (blank lines skipped).
pub fn load_queries(path: &str) -> anyhow::Result<Vec<QuerySpec>> {
    std::fs::read_to_string(path)
        .with_context(|| format!("reading {path}"))?
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(serde_json::from_str)
        .collect::<Result<_, _>>()
        .with_context(|| format!("parsing {path}"))
}

/// The `p`-th percentile (nearest rank) of ascending `sorted`; NaN if empty.
pub fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

/// Count, p50/p95/p99 and maximum of latency samples in ms, as JSON.
pub fn summary(mut samples: Vec<f64>) -> serde_json::Value {
    samples.sort_by(|a, b| a.total_cmp(b));
    serde_json::json!({
        "n": samples.len(),
        "p50_ms": percentile(&samples, 50.0),
        "p95_ms": percentile(&samples, 95.0),
        "p99_ms": percentile(&samples, 99.0),
        "max_ms": samples.last().copied().unwrap_or(f64::NAN),
    })
}
