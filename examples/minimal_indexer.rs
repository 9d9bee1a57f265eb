//! The engine's own ceiling: a minimal tantivy 0.27 indexer for NDJSON
//! `{"title","body"}` lines (both `TEXT | STORED`, default tokenizer, no
//! entities, no incremental bookkeeping), timed to a committed index.
//! newsdex `--no-entities` is compared against this.
//!
//! ```text
//! cargo run --release --example minimal_indexer -- DOCS.ndjson INDEX_DIR [THREADS] [MEMORY_MB]
//! ```
//!
//! With `--schema-only` as DOCS it only creates the empty index, which the
//! benchmark hands to `tantivy index` so tantivy-cli gets the same schema.

use std::io::BufRead;
use std::time::Instant;

use tantivy::schema::{Schema, STORED, TEXT};
use tantivy::{Index, TantivyDocument};

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() < 2 {
        anyhow::bail!("usage: minimal_indexer DOCS.ndjson INDEX_DIR [THREADS] [MEMORY_MB]");
    }
    let threads: usize = args.get(2).map_or(Ok(2), |s| s.parse())?;
    let memory_mb: usize = args.get(3).map_or(Ok(256), |s| s.parse())?;
    let started = Instant::now();

    // # Schema: title and body, tokenized with positions and stored.
    let mut builder = Schema::builder();
    builder.add_text_field("title", TEXT | STORED);
    builder.add_text_field("body", TEXT | STORED);
    let schema = builder.build();

    // # Index: one writer, documents parsed from JSON on this thread.
    std::fs::create_dir_all(&args[1])?;
    let index = Index::create_in_dir(&args[1], schema.clone())?;
    if args[0] == "--schema-only" {
        return Ok(());
    }
    let mut writer = index.writer_with_num_threads(threads, memory_mb * 1_000_000)?;
    let file = std::fs::File::open(&args[0])?;
    let (mut docs, mut bytes) = (0u64, 0u64);
    for line in std::io::BufReader::with_capacity(1 << 20, file).lines() {
        let line = line?;
        bytes += line.len() as u64 + 1;
        let doc = TantivyDocument::parse_json(&schema, &line)?;
        writer.add_document(doc)?;
        docs += 1;
    }
    writer.commit()?;
    writer.wait_merging_threads()?;
    let secs = started.elapsed().as_secs_f64();
    println!(
        "{}",
        serde_json::json!({"docs": docs, "bytes": bytes, "seconds": secs,
            "mb_per_s": bytes as f64 / 1e6 / secs, "docs_per_s": docs as f64 / secs})
    );
    Ok(())
}
