//! Tagging throughput of the embedded NER model on one thread, feature
//! extraction included.
//!
//! Uses CoNLL eng.testa when the shared data is available (env
//! `NEWSDEX_SHARED` or `../shared`), otherwise a built-in news paragraph,
//! so that `cargo bench` runs anywhere.
//!
//! ```text
//! NEWSDEX_SHARED=/work/shared cargo bench --bench ner
//! ```

use std::path::PathBuf;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use newsdex::ner::{read_conll, Tagger};

const PARAGRAPH: &str = "German Chancellor Helmut Kohl met Russian President Boris Yeltsin in \
Moscow on Tuesday , a spokesman for the European Commission said . Shares of Daimler-Benz \
rose 2.5 percent in Frankfurt after the company said it would sell its stake in AEG to \
Siemens AG . Manchester United beat Arsenal 2-1 at Old Trafford .";

fn documents() -> Vec<Vec<Vec<String>>> {
    let shared = std::env::var_os("NEWSDEX_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared"));
    let testa = shared.join("data/conll2003/eng.testa");
    if let Ok(docs) = read_conll(&testa) {
        return docs
            .into_iter()
            .map(|d| d.sentences.into_iter().map(|s| s.tokens).collect())
            .collect();
    }
    eprintln!(
        "{} not found; benchmarking a built-in paragraph",
        testa.display()
    );
    let sentence: Vec<String> = PARAGRAPH.split(' ').map(str::to_string).collect();
    vec![vec![sentence; 50]; 20]
}

fn bench(c: &mut Criterion) {
    let tagger = Tagger::embedded();
    let docs = documents();
    let tokens: usize = docs.iter().flatten().map(Vec::len).sum();
    let mut g = c.benchmark_group("ner");
    g.throughput(Throughput::Elements(tokens as u64));
    g.sample_size(20);
    g.bench_function("tag_documents", |b| {
        b.iter(|| {
            docs.iter()
                .map(|d| tagger.tag_document(d).len())
                .sum::<usize>()
        })
    });
    g.finish();
    let bytes = tagger.to_bytes();
    c.bench_function("load_model", |b| {
        b.iter(|| Tagger::from_bytes(&bytes).map(|t| t.describe().len()))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
