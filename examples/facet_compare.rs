//! Three ways to count the top entity facets of a query's matches, timed on
//! the same index and queries, with their answers compared:
//!
//! - `newsdex`: [`EntityFacetCollector`] (term ordinals of the `entity`
//!   facet column, only the top candidates resolved to names, exact);
//! - `terms_agg`: tantivy's terms aggregation over the same column (it holds
//!   the facets as raw strings), one aggregation per kind, each limited to
//!   its kind by an `include` regex. Like Elasticsearch's, it merges each
//!   segment's top `10 × size` terms, so its counts can fall short;
//! - `facet_collector`: tantivy's `FacetCollector` with the roots `/person`,
//!   `/country` and `/org`, exhaustive and exact. It visits a segment's
//!   whole facet dictionary for every query (0.1–0.5 s a query at 100k–1M
//!   generated articles), so it runs once per query, and only on the first
//!   K queries with `--facet-collector-queries K`.
//!
//! ```text
//! cargo run --release --example facet_compare -- INDEX_DIR bench/queries.jsonl \
//!     [--rounds N] [--facet-collector-queries K]
//! ```
//!
//! Prints one JSON object: per method, latency percentiles in ms over all
//! runs, and on how many queries its answer differed from `newsdex`'s
//! (compared as the top-10 counts of each kind, so that ties may order
//! names differently). Exits with an error when `newsdex` differs from the
//! exhaustive `facet_collector`, or when the terms aggregation's j-th best
//! count beats `newsdex`'s (its counts are lower bounds of the true ones).

use std::collections::BTreeMap;
use std::time::Instant;

use anyhow::{bail, Context};
use newsdex::facet_counts::EntityFacetCollector;
use newsdex::schema::{names, FacetKind};
use newsdex::search::{Engine, SearchRequest};
use serde::Deserialize;
use tantivy::aggregation::agg_req::Aggregations;
use tantivy::aggregation::agg_result::{AggregationResult, AggregationResults, BucketResult};
use tantivy::aggregation::AggregationCollector;
use tantivy::collector::FacetCollector;
use tantivy::query::Query;
use tantivy::Searcher;

/// Facet values shown per kind, as `newsdex search --facets` does by default.
const TOP: usize = 10;

#[derive(Deserialize)]
struct QuerySpec {
    q: String,
    #[serde(default)]
    person: Vec<String>,
    #[serde(default)]
    country: Vec<String>,
}

/// Per kind (in [`FacetKind::FACETABLE`] order), the counts of the top
/// values, highest first.
type TopCounts = Vec<Vec<u64>>;

fn newsdex_counts(searcher: &Searcher, query: &dyn Query) -> anyhow::Result<TopCounts> {
    let kinds = searcher.search(query, &EntityFacetCollector::new(names::ENTITY, TOP))?;
    Ok(kinds
        .into_iter()
        .map(|values| values.into_iter().map(|(_, count)| count).collect())
        .collect())
}

/// One terms aggregation per kind over the `entity` column. Encoded facets
/// are `kind\0name`, so `kind\u0000.*` keeps one kind.
fn terms_request() -> anyhow::Result<Aggregations> {
    let mut request = serde_json::Map::new();
    for kind in FacetKind::FACETABLE {
        request.insert(
            kind.name().to_string(),
            serde_json::json!({
                "terms": {
                    "field": names::ENTITY,
                    "size": TOP,
                    "include": format!("{}\u{0}.*", kind.name()),
                }
            }),
        );
    }
    Ok(serde_json::from_value(serde_json::Value::Object(request))?)
}

fn terms_counts(
    searcher: &Searcher,
    query: &dyn Query,
    request: &Aggregations,
) -> anyhow::Result<TopCounts> {
    let collector = AggregationCollector::from_aggs(request.clone(), Default::default());
    let results: AggregationResults = searcher.search(query, &collector)?;
    FacetKind::FACETABLE
        .iter()
        .map(|kind| match results.0.get(kind.name()) {
            Some(AggregationResult::BucketResult(BucketResult::Terms { buckets, .. })) => {
                Ok(buckets.iter().map(|b| b.doc_count).collect())
            }
            other => bail!(
                "terms aggregation for {}: unexpected {other:?}",
                kind.name()
            ),
        })
        .collect()
}

fn facet_collector_counts(searcher: &Searcher, query: &dyn Query) -> anyhow::Result<TopCounts> {
    let mut collector = FacetCollector::for_field(names::ENTITY);
    for kind in FacetKind::FACETABLE {
        collector.add_facet(format!("/{}", kind.name()).as_str());
    }
    let counts = searcher.search(query, &collector)?;
    Ok(FacetKind::FACETABLE
        .iter()
        .map(|kind| {
            counts
                .top_k(format!("/{}", kind.name()).as_str(), TOP)
                .into_iter()
                .map(|(_, count)| count)
                .collect()
        })
        .collect())
}

/// Whether every kind's j-th count in `exact` is at least the j-th in
/// `lower` (and `exact` lists as many values).
fn dominates(exact: &TopCounts, lower: &TopCounts) -> bool {
    exact
        .iter()
        .zip(lower)
        .all(|(e, l)| e.len() >= l.len() && e.iter().zip(l).all(|(e, l)| e >= l))
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn summary(mut samples: Vec<f64>, mismatches: usize) -> serde_json::Value {
    samples.sort_by(|a, b| a.total_cmp(b));
    serde_json::json!({
        "n": samples.len(),
        "p50_ms": percentile(&samples, 50.0),
        "p95_ms": percentile(&samples, 95.0),
        "p99_ms": percentile(&samples, 99.0),
        "max_ms": samples.last().copied().unwrap_or(f64::NAN),
        "sum_ms": samples.iter().sum::<f64>(),
        "mismatches": mismatches,
    })
}

fn timed<T>(f: impl FnOnce() -> anyhow::Result<T>) -> anyhow::Result<(f64, T)> {
    let started = Instant::now();
    let value = f()?;
    Ok((started.elapsed().as_secs_f64() * 1000.0, value))
}

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let (Some(index), Some(queries)) = (args.next(), args.next()) else {
        bail!("usage: facet_compare INDEX_DIR QUERIES.jsonl [--rounds N] [--facet-collector-queries K]");
    };
    let mut rounds = 3usize;
    let mut facet_collector_queries = usize::MAX;
    while let Some(flag) = args.next() {
        let value = args
            .next()
            .with_context(|| format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--rounds" => rounds = value.parse().context("--rounds")?,
            "--facet-collector-queries" => {
                facet_collector_queries = value.parse().context("--facet-collector-queries")?
            }
            _ => bail!("unknown option {flag}"),
        }
    }
    let engine = Engine::open(std::path::Path::new(&index))?;
    let searcher = engine.searcher();
    let specs: Vec<QuerySpec> = std::fs::read_to_string(&queries)
        .with_context(|| format!("reading {queries}"))?
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(serde_json::from_str)
        .collect::<Result<_, _>>()
        .with_context(|| format!("parsing {queries}"))?;
    let parsed: Vec<Box<dyn Query>> = specs
        .iter()
        .map(|spec| {
            engine.query(&SearchRequest {
                query: Some(spec.q.clone()),
                persons: spec.person.clone(),
                countries: spec.country.clone(),
                ..SearchRequest::default()
            })
        })
        .collect::<Result<_, _>>()?;
    let terms = terms_request()?;

    // Reference answers, and a warm-up pass of both fast methods.
    let mut reference = Vec::with_capacity(parsed.len());
    for query in &parsed {
        reference.push(newsdex_counts(&searcher, query.as_ref())?);
        terms_counts(&searcher, query.as_ref(), &terms)?;
    }

    let mut times: BTreeMap<&str, Vec<f64>> = BTreeMap::new();
    let mut mismatches: BTreeMap<&str, usize> = BTreeMap::new();
    let mut differing = Vec::new();
    for round in 0..rounds {
        for (i, query) in parsed.iter().enumerate() {
            let (ms, ours) = timed(|| newsdex_counts(&searcher, query.as_ref()))?;
            times.entry("newsdex").or_default().push(ms);
            let (ms, theirs) = timed(|| terms_counts(&searcher, query.as_ref(), &terms))?;
            times.entry("terms_agg").or_default().push(ms);
            if round == 0 && ours != reference[i] {
                bail!(
                    "newsdex's facet counts changed between runs of {:?}",
                    specs[i].q
                );
            }
            if round == 0 && theirs != reference[i] {
                *mismatches.entry("terms_agg").or_default() += 1;
                // Its counts are lower bounds of true counts, so its j-th
                // best can never beat the exact j-th best.
                if !dominates(&reference[i], &theirs) {
                    differing.push(format!(
                        "terms_agg: {:?} gave {theirs:?}, above newsdex's {:?}",
                        specs[i].q, reference[i]
                    ));
                }
            }
        }
    }
    for (i, query) in parsed.iter().take(facet_collector_queries).enumerate() {
        let (ms, counts) = timed(|| facet_collector_counts(&searcher, query.as_ref()))?;
        times.entry("facet_collector").or_default().push(ms);
        let entry = mismatches.entry("facet_collector").or_default();
        if counts != reference[i] {
            *entry += 1;
            differing.push(format!(
                "facet_collector: {:?} gave {counts:?}, newsdex {:?}",
                specs[i].q, reference[i]
            ));
        }
    }
    let methods: serde_json::Map<String, serde_json::Value> = times
        .into_iter()
        .map(|(method, samples)| {
            let wrong = mismatches.get(method).copied().unwrap_or(0);
            (method.to_string(), summary(samples, wrong))
        })
        .collect();
    println!(
        "{}",
        serde_json::json!({
            "articles": searcher.num_docs(),
            "segments": searcher.segment_readers().len(),
            "queries": specs.len(),
            "rounds": rounds,
            "facet_collector_queries": facet_collector_queries.min(specs.len()),
            "methods": methods,
        })
    );
    if !differing.is_empty() {
        bail!(
            "facet counts differ from newsdex's for: {}",
            differing.join("; ")
        );
    }
    Ok(())
}
