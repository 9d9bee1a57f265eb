//! Writes a corpus folder as NDJSON `{"title","body"}` lines, parsed by
//! newsdex's own readers, so that peers (tantivy-cli, SQLite FTS5, the
//! minimal tantivy indexer) index exactly the documents newsdex indexes.
//!
//! ```text
//! cargo run --release --example export_ndjson -- CORPUS_DIR OUT.ndjson
//! ```

use std::io::{BufWriter, Write};
use std::path::PathBuf;

use newsdex::corpus::{self, Format, ParseOptions, WalkEntry};
use rayon::prelude::*;

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [corpus_dir, out] = args.as_slice() else {
        anyhow::bail!("usage: export_ndjson CORPUS_DIR OUT.ndjson");
    };
    let mut writer = BufWriter::with_capacity(1 << 20, std::fs::File::create(out)?);
    let options = ParseOptions::default();
    let mut files: Vec<(PathBuf, String)> = Vec::with_capacity(1024);
    let (mut docs, mut bytes) = (0u64, 0u64);
    let mut walk = corpus::walk(std::path::Path::new(corpus_dir)).peekable();
    while walk.peek().is_some() {
        files.clear();
        for entry in walk.by_ref() {
            if let WalkEntry::File { path, rel_path } = entry {
                files.push((path, rel_path));
                if files.len() == 1024 {
                    break;
                }
            }
        }
        let chunks: Vec<Vec<u8>> = files
            .par_iter()
            .map(|(path, rel_path)| {
                let mut out = Vec::new();
                let Some(format) = Format::from_path(path) else {
                    return out;
                };
                let Ok(bytes) = std::fs::read(path) else {
                    return out;
                };
                if let Ok(parsed) = corpus::parse(format, rel_path, &bytes, &options) {
                    for article in parsed.articles {
                        let line =
                            serde_json::json!({"title": article.title, "body": article.body});
                        serde_json::to_writer(&mut out, &line).expect("writing to memory");
                        out.push(b'\n');
                    }
                }
                out
            })
            .collect();
        for chunk in chunks {
            docs += chunk.iter().filter(|&&b| b == b'\n').count() as u64;
            bytes += chunk.len() as u64;
            writer.write_all(&chunk)?;
        }
    }
    writer.flush()?;
    println!("{}", serde_json::json!({"docs": docs, "bytes": bytes}));
    Ok(())
}
