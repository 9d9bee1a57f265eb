//! In-process search latency through the library API (`Engine::search`),
//! over a fixed query set, in two modes: top-10 hits only, and top-10 with
//! snippets and facet counts. Also times drill-downs (query + filters)
//! against the same query unfiltered, and opening the engine.
//!
//! ```text
//! cargo run --release --example search_latency -- INDEX_DIR bench/queries.jsonl [ROUNDS]
//! ```
//!
//! Query lines: `{"kind": "...", "q": "...", "person": [...], "country": [...]}`.
//! Prints one JSON object with p50/p95/p99 in milliseconds.

use std::time::Instant;

mod common;
use common::{load_queries, percentile, summary, QuerySpec};

use newsdex::search::{Engine, SearchRequest};

fn request(spec: &QuerySpec, full: bool, filters: bool) -> SearchRequest {
    SearchRequest {
        query: Some(spec.q.clone()),
        persons: if filters { spec.person.clone() } else { vec![] },
        countries: if filters {
            spec.country.clone()
        } else {
            vec![]
        },
        limit: 10,
        facets: full,
        facet_top: 10,
        snippets: full,
        ..SearchRequest::default()
    }
}

fn time_ms(engine: &Engine, req: &SearchRequest) -> anyhow::Result<(f64, u64)> {
    let started = Instant::now();
    let results = engine.search(req)?;
    Ok((started.elapsed().as_secs_f64() * 1000.0, results.total))
}

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() < 2 {
        anyhow::bail!("usage: search_latency INDEX_DIR QUERIES.jsonl [ROUNDS]");
    }
    let rounds: usize = args.get(2).map_or(Ok(5), |s| s.parse())?;
    let open_started = Instant::now();
    let engine = Engine::open(std::path::Path::new(&args[0]))?;
    let open_ms = open_started.elapsed().as_secs_f64() * 1000.0;
    let specs = load_queries(&args[1])?;

    // Warm-up: one pass of everything (page cache, lazy structures).
    for spec in &specs {
        for full in [false, true] {
            engine.search(&request(spec, full, true))?;
            engine.search(&request(spec, full, false))?;
        }
    }

    let mut plain = Vec::new();
    let mut full = Vec::new();
    let mut per_kind: std::collections::BTreeMap<String, Vec<f64>> = Default::default();
    let mut drill_filtered = Vec::new();
    let mut drill_unfiltered = Vec::new();
    let mut drill_rows = Vec::new();
    for _ in 0..rounds {
        for spec in &specs {
            let (ms, _) = time_ms(&engine, &request(spec, false, true))?;
            plain.push(ms);
            let (ms, _) = time_ms(&engine, &request(spec, true, true))?;
            full.push(ms);
            per_kind.entry(spec.kind.clone()).or_default().push(ms);
        }
    }
    for spec in specs.iter().filter(|s| s.kind == "drill") {
        let mut with = Vec::new();
        let mut without = Vec::new();
        let (mut total_with, mut total_without) = (0, 0);
        for _ in 0..rounds.max(5) {
            let (ms, n) = time_ms(&engine, &request(spec, true, true))?;
            with.push(ms);
            total_with = n;
            let (ms, n) = time_ms(&engine, &request(spec, true, false))?;
            without.push(ms);
            total_without = n;
        }
        drill_filtered.extend(with.iter().copied());
        drill_unfiltered.extend(without.iter().copied());
        with.sort_by(|a, b| a.total_cmp(b));
        without.sort_by(|a, b| a.total_cmp(b));
        drill_rows.push(serde_json::json!({
            "q": spec.q, "person": spec.person, "country": spec.country,
            "filtered_p50_ms": percentile(&with, 50.0), "filtered_hits": total_with,
            "unfiltered_p50_ms": percentile(&without, 50.0), "unfiltered_hits": total_without,
        }));
    }
    let kinds: serde_json::Map<String, serde_json::Value> =
        per_kind.into_iter().map(|(k, v)| (k, summary(v))).collect();
    println!(
        "{}",
        serde_json::json!({
            "queries": specs.len(),
            "rounds": rounds,
            "open_ms": open_ms,
            "top10": summary(plain),
            "top10_snippets_facets": summary(full),
            "by_kind_full": kinds,
            "drill_filtered": summary(drill_filtered),
            "drill_unfiltered": summary(drill_unfiltered),
            "drill": drill_rows,
        })
    );
    Ok(())
}
