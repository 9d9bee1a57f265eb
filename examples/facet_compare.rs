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
//! cargo run --release --example facet_compare -- --synthetic DOCS [--rounds N]
//! ```
//!
//! The generated corpora name far fewer people than a real archive (their
//! sentences come from a few datasets), so `--synthetic` builds a scratch
//! index with hundreds of thousands of distinct persons and organisations
//! instead (see [`synthetic`]) and counts over five fixed match sets.
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
use tantivy::aggregation::agg_req::Aggregations;
use tantivy::aggregation::agg_result::{AggregationResult, AggregationResults, BucketResult};
use tantivy::aggregation::AggregationCollector;
use tantivy::collector::FacetCollector;
use tantivy::query::Query;
use tantivy::Searcher;

mod common;
use common::{load_queries, percentile};

/// Facet values shown per kind, as `newsdex search --facets` does by default.
const TOP: usize = 10;

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

/// [`common::summary`] plus the sum of the samples and a mismatch count.
fn summary(samples: Vec<f64>, mismatches: usize) -> serde_json::Value {
    let sum: f64 = samples.iter().sum();
    let mut out = common::summary(samples);
    out["sum_ms"] = serde_json::json!(sum);
    out["mismatches"] = serde_json::json!(mismatches);
    out
}

fn timed<T>(f: impl FnOnce() -> anyhow::Result<T>) -> anyhow::Result<(f64, T)> {
    let started = Instant::now();
    let value = f()?;
    Ok((started.elapsed().as_secs_f64() * 1000.0, value))
}

/// The queries to count facets for, with a label each, and the searcher
/// to run them on.
struct Workload {
    searcher: Searcher,
    labels: Vec<String>,
    queries: Vec<Box<dyn Query>>,
    /// Distinct values per kind, when known.
    distinct: serde_json::Value,
}

/// What to measure on: a newsdex index and a query file, or a synthetic
/// index with many distinct names.
enum Source {
    Index { dir: String, queries: String },
    Synthetic { docs: u32 },
}

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1).peekable();
    let usage = "usage: facet_compare INDEX_DIR QUERIES.jsonl [--rounds N] \
                 [--facet-collector-queries K]\n       facet_compare --synthetic DOCS [--rounds N]";
    let source = match args.next() {
        Some(flag) if flag == "--synthetic" => Source::Synthetic {
            docs: args.next().context(usage)?.parse().context("--synthetic")?,
        },
        Some(dir) => Source::Index {
            dir,
            queries: args.next().context(usage)?,
        },
        None => bail!(usage),
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
            _ => bail!("unknown option {flag}\n{usage}"),
        }
    }
    // Keeps a synthetic index's folder until the end.
    let mut _scratch = None;
    let workload = match source {
        Source::Index { dir, queries } => {
            let engine = Engine::open(std::path::Path::new(&dir))?;
            let specs = load_queries(&queries)?;
            let parsed = specs
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
            Workload {
                searcher: engine.searcher(),
                labels: specs.into_iter().map(|spec| spec.q).collect(),
                queries: parsed,
                distinct: serde_json::Value::Null,
            }
        }
        Source::Synthetic { docs } => {
            let dir = tempfile::tempdir()?;
            let workload = synthetic::build(dir.path(), docs)?;
            _scratch = Some(dir);
            workload
        }
    };
    measure(&workload, rounds, facet_collector_queries)
}

/// Times the three methods on every query and prints the JSON report.
fn measure(
    workload: &Workload,
    rounds: usize,
    facet_collector_queries: usize,
) -> anyhow::Result<()> {
    let Workload {
        searcher,
        labels,
        queries: parsed,
        distinct,
    } = workload;
    // Per query and method: the samples, for the per-query report.
    let mut per_query: Vec<BTreeMap<&str, Vec<f64>>> = vec![BTreeMap::new(); labels.len()];
    let terms = terms_request()?;

    // Reference answers, and a warm-up pass of both fast methods.
    let mut reference = Vec::with_capacity(parsed.len());
    for query in parsed {
        reference.push(newsdex_counts(searcher, query.as_ref())?);
        terms_counts(searcher, query.as_ref(), &terms)?;
    }

    let mut times: BTreeMap<&str, Vec<f64>> = BTreeMap::new();
    let mut mismatches: BTreeMap<&str, usize> = BTreeMap::new();
    let mut differing = Vec::new();
    for round in 0..rounds {
        for (i, query) in parsed.iter().enumerate() {
            let (ms, ours) = timed(|| newsdex_counts(searcher, query.as_ref()))?;
            times.entry("newsdex").or_default().push(ms);
            per_query[i].entry("newsdex").or_default().push(ms);
            let (ms, theirs) = timed(|| terms_counts(searcher, query.as_ref(), &terms))?;
            times.entry("terms_agg").or_default().push(ms);
            per_query[i].entry("terms_agg").or_default().push(ms);
            if round == 0 && ours != reference[i] {
                bail!(
                    "newsdex's facet counts changed between runs of {:?}",
                    labels[i]
                );
            }
            if round == 0 && theirs != reference[i] {
                *mismatches.entry("terms_agg").or_default() += 1;
                // Its counts are lower bounds of true counts, so its j-th
                // best can never beat the exact j-th best.
                if !dominates(&reference[i], &theirs) {
                    differing.push(format!(
                        "terms_agg: {:?} gave {theirs:?}, above newsdex's {:?}",
                        labels[i], reference[i]
                    ));
                }
            }
        }
    }
    for (i, query) in parsed.iter().take(facet_collector_queries).enumerate() {
        let (ms, counts) = timed(|| facet_collector_counts(searcher, query.as_ref()))?;
        times.entry("facet_collector").or_default().push(ms);
        per_query[i].entry("facet_collector").or_default().push(ms);
        let entry = mismatches.entry("facet_collector").or_default();
        if counts != reference[i] {
            *entry += 1;
            differing.push(format!(
                "facet_collector: {:?} gave {counts:?}, newsdex {:?}",
                labels[i], reference[i]
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
            "queries": labels.len(),
            "rounds": rounds,
            "facet_collector_queries": facet_collector_queries.min(labels.len()),
            "distinct_values": distinct,
            "methods": methods,
            "per_query": labels.iter().zip(per_query).map(|(label, methods)| {
                let p50: serde_json::Map<String, serde_json::Value> = methods
                    .into_iter()
                    .map(|(method, mut samples)| {
                        samples.sort_by(|a, b| a.total_cmp(b));
                        (method.to_string(), serde_json::json!(percentile(&samples, 50.0)))
                    })
                    .collect();
                serde_json::json!({"query": label, "p50_ms": p50})
            }).collect::<Vec<_>>(),
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

/// A synthetic index for the many-distinct-names case: `docs` articles
/// with 8 persons, 8 organisations and 5 countries each, drawn from
/// vocabularies of 1,000,000, 400,000 and 200 names with Zipf-like
/// frequencies (rank = V^u for uniform u, so P(rank) ∝ 1/rank), in
/// segments of 125,000 articles (8 at 1M articles, like the generated 1M
/// corpus's index). Queries match all articles and one in 2, 10, 100 and
/// 1,000 of them.
mod synthetic {
    use std::path::Path;

    use newsdex::schema::{names, FacetKind};
    use tantivy::query::{AllQuery, Query, TermQuery};

    use super::common::Rng;
    use tantivy::schema::{FacetOptions, IndexRecordOption, Schema, STRING};
    use tantivy::{Index, IndexWriter, TantivyDocument, Term};

    /// Two indexing threads each flush a segment at every commit.
    const SEGMENT_DOCS: u32 = 250_000;
    /// (kind, vocabulary, values per article).
    const KINDS: [(FacetKind, f64, usize); 3] = [
        (FacetKind::Person, 1_000_000.0, 8),
        (FacetKind::Org, 400_000.0, 8),
        (FacetKind::Country, 200.0, 5),
    ];
    /// Every query matches articles whose number is a multiple of one of these.
    const SELECTIVITY: [u32; 4] = [2, 10, 100, 1000];

    pub fn build(dir: &Path, docs: u32) -> anyhow::Result<super::Workload> {
        let mut builder = Schema::builder();
        let entity = builder.add_facet_field(names::ENTITY, FacetOptions::default());
        let bucket = builder.add_text_field("bucket", STRING);
        let index = Index::create_in_dir(dir, builder.build())?;
        let mut writer: IndexWriter = index.writer_with_num_threads(2, 400_000_000)?;
        writer.set_merge_policy(Box::new(tantivy::merge_policy::NoMergePolicy));
        let mut rng = Rng::new(42);
        let mut distinct: Vec<std::collections::HashSet<u64>> = vec![Default::default(); 3];
        for n in 0..docs {
            let mut doc = TantivyDocument::new();
            for (k, (kind, vocabulary, per_doc)) in KINDS.into_iter().enumerate() {
                let mut seen = Vec::with_capacity(per_doc);
                while seen.len() < per_doc {
                    let rank = vocabulary.powf(rng.unit()) as u64;
                    if !seen.contains(&rank) {
                        seen.push(rank);
                        distinct[k].insert(rank);
                        doc.add_facet(entity, kind.facet(&format!("{} {rank:07}", kind.name())));
                    }
                }
            }
            for every in SELECTIVITY {
                if n % every == 0 {
                    doc.add_text(bucket, format!("1/{every}"));
                }
            }
            writer.add_document(doc)?;
            if (n + 1) % SEGMENT_DOCS == 0 {
                writer.commit()?;
            }
        }
        writer.commit()?;
        writer.wait_merging_threads()?;
        let searcher = index.reader()?.searcher();
        let mut labels = vec!["all articles".to_string()];
        let mut queries: Vec<Box<dyn Query>> = vec![Box::new(AllQuery)];
        for every in SELECTIVITY {
            labels.push(format!("1 in {every}"));
            queries.push(Box::new(TermQuery::new(
                Term::from_field_text(bucket, &format!("1/{every}")),
                IndexRecordOption::Basic,
            )));
        }
        let distinct = serde_json::json!(KINDS
            .iter()
            .zip(&distinct)
            .map(|((kind, _, _), values)| (kind.name(), values.len()))
            .collect::<std::collections::BTreeMap<_, _>>());
        Ok(super::Workload {
            searcher,
            labels,
            queries,
            distinct,
        })
    }
}
