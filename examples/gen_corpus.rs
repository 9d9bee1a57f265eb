//! Generates a realistic news corpus of any size for scale benchmarks.
//!
//! ```text
//! cargo run --release --example gen_corpus -- --from ../shared/data --docs 1000000 --out DIR [--seed 42]
//! ```
//!
//! Articles are resampled from real text: titles from BBC and Reuters-21578,
//! sentences from BBC, Reuters-21578 and CoNLL-2003 (runs of consecutive
//! sentences with occasional jumps, so names and topics co-occur as in real
//! articles). Lengths follow a log-normal distribution with a median of
//! about 400 words; dates are spread over 2000–2024. Formats are mixed:
//! half the articles are `.txt` files (headline line, body), 15% Markdown
//! with front matter (title, date, source), 35% in JSON Lines files of 35
//! records (title, body, date, source). Leaf folders hold at most 1,000
//! files (`OUT/NNN/NN/NNN.ext`).
//!
//! The output depends only on the source data and `--seed`: every leaf
//! folder has its own random stream, so folders are generated in parallel
//! and the result is byte-identical whatever the thread count.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Instant;

use rayon::prelude::*;

mod common;
use common::Rng;

/// Files per leaf folder.
const FILES_PER_DIR: usize = 1000;
/// Records per JSON Lines file.
const JSONL_RECORDS: usize = 35;

// # Source material

struct Pool {
    titles: Vec<String>,
    /// Sentences in document order, so consecutive ones belong together.
    sentences: Vec<String>,
    /// Word count of each sentence.
    words: Vec<u16>,
}

fn load_pool(from: &Path) -> Pool {
    let mut titles = Vec::new();
    let mut sentences = Vec::new();

    // BBC: first line title, then paragraphs.
    let bbc = from.join("bbc");
    let mut files: Vec<PathBuf> = walk_files(&bbc, "txt");
    files.sort();
    for file in files {
        let Ok(bytes) = fs::read(&file) else { continue };
        let text = String::from_utf8_lossy(&bytes);
        let mut lines = text.lines();
        if let Some(title) = lines.next() {
            if !title.trim().is_empty() {
                titles.push(title.trim().to_string());
            }
        }
        let rest: Vec<&str> = lines.collect();
        split_sentences(&rest.join(" "), &mut sentences);
    }

    // Reuters-21578: <TITLE> and <BODY> of every record.
    let reuters = from.join("reuters21578");
    let mut files: Vec<PathBuf> = walk_files(&reuters, "sgm");
    files.sort();
    for file in files {
        let Ok(bytes) = fs::read(&file) else { continue };
        let text = String::from_utf8_lossy(&bytes);
        for record in text.split("</REUTERS>") {
            if let Some(title) = between(record, "<TITLE>", "</TITLE>") {
                let title = unescape(title);
                if title.len() > 8 {
                    titles.push(title_case(&title));
                }
            }
            if let Some(body) = between(record, "<BODY>", "</BODY>") {
                let body = unescape(body).replace(" Reuter\n&#3;", "");
                let body = body.trim_end_matches("&#3;").trim_end();
                let body = body.strip_suffix("Reuter").unwrap_or(body);
                split_sentences(
                    &body.split_whitespace().collect::<Vec<_>>().join(" "),
                    &mut sentences,
                );
            }
        }
    }

    // CoNLL-2003: one token per line, sentences separated by blank lines.
    for name in ["eng.train", "eng.testa"] {
        let Ok(text) = fs::read_to_string(from.join("conll2003").join(name)) else {
            continue;
        };
        let mut tokens: Vec<&str> = Vec::new();
        for line in text.lines().chain(std::iter::once("")) {
            if line.trim().is_empty() {
                if tokens.len() >= 6 && tokens[0] != "-DOCSTART-" {
                    let sentence = join_tokens(&tokens);
                    // Mostly-uppercase lines are headlines or tables; skip them.
                    let upper = sentence.chars().filter(|c| c.is_uppercase()).count();
                    let letters = sentence.chars().filter(|c| c.is_alphabetic()).count();
                    if upper * 2 < letters {
                        sentences.push(sentence);
                    }
                }
                tokens.clear();
            } else if let Some(token) = line.split(' ').next() {
                tokens.push(token);
            }
        }
    }
    let words = sentences
        .iter()
        .map(|s| s.split_whitespace().count().min(u16::MAX as usize) as u16)
        .collect();
    Pool {
        titles,
        sentences,
        words,
    }
}

fn walk_files(dir: &Path, ext: &str) -> Vec<PathBuf> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .filter(|p| p.extension().is_some_and(|x| x == ext))
        .collect()
}

fn between<'a>(text: &'a str, open: &str, close: &str) -> Option<&'a str> {
    let start = text.find(open)? + open.len();
    let end = text[start..].find(close)? + start;
    Some(&text[start..end])
}

fn unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// "BAHIA COCOA REVIEW" → "Bahia Cocoa Review".
fn title_case(text: &str) -> String {
    text.split_whitespace()
        .map(|w| {
            let mut chars = w.chars();
            match chars.next() {
                Some(first) => first.to_string() + &chars.as_str().to_lowercase(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Splits on `. `, `? `, `! ` followed by an upper-case letter or quote.
fn split_sentences(text: &str, out: &mut Vec<String>) {
    let bytes = text.as_bytes();
    let mut start = 0;
    let mut i = 0;
    while i + 2 < bytes.len() {
        if matches!(bytes[i], b'.' | b'?' | b'!')
            && bytes[i + 1] == b' '
            && (bytes[i + 2].is_ascii_uppercase() || bytes[i + 2] == b'"')
        {
            push_sentence(&text[start..=i], out);
            start = i + 2;
            i += 2;
        } else {
            i += 1;
        }
    }
    push_sentence(&text[start..], out);
}

fn push_sentence(sentence: &str, out: &mut Vec<String>) {
    let sentence = sentence.trim();
    if sentence.split_whitespace().count() >= 4 {
        out.push(sentence.to_string());
    }
}

/// Joins CoNLL tokens with spaces, without a space before punctuation.
fn join_tokens(tokens: &[&str]) -> String {
    let mut out = String::new();
    for token in tokens {
        let glue = matches!(
            *token,
            "." | "," | ":" | ";" | "?" | "!" | "'s" | ")" | "%" | "n't"
        );
        if !out.is_empty() && !glue && !out.ends_with('(') {
            out.push(' ');
        }
        out.push_str(token);
    }
    out
}

// # Articles

struct Article {
    title: String,
    body: String,
    date: String,
    source: &'static str,
}

const SOURCES: [&str; 6] = [
    "Reuters",
    "BBC News",
    "AP",
    "AFP",
    "The Guardian",
    "Bloomberg",
];

fn article(pool: &Pool, rng: &mut Rng) -> Article {
    let title = pool.titles[rng.below(pool.titles.len())].clone();
    // Log-normal word count: median 400, sigma 0.6, within [40, 4000].
    let target = (400.0 * (0.6 * rng.normal()).exp()).clamp(40.0, 4000.0) as usize;
    let mut body = String::with_capacity(target * 7);
    let mut words = 0;
    let mut at = rng.below(pool.sentences.len());
    let mut in_paragraph = 0;
    let paragraph_len = 2 + rng.below(4);
    while words < target {
        if in_paragraph == paragraph_len {
            body.push_str("\n\n");
            in_paragraph = 0;
        } else if !body.is_empty() {
            body.push(' ');
        }
        body.push_str(&pool.sentences[at]);
        words += pool.words[at] as usize;
        in_paragraph += 1;
        // Mostly read on; sometimes jump elsewhere, as a story changes angle.
        at = if rng.below(8) == 0 {
            rng.below(pool.sentences.len())
        } else {
            (at + 1) % pool.sentences.len()
        };
    }
    // 2000-01-01 .. 2024-12-31, seconds.
    let secs = 946_684_800 + rng.below(25 * 365 * 86_400) as i64;
    let date = chrono::DateTime::from_timestamp(secs, 0)
        .expect("date in range")
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    Article {
        title,
        body,
        date,
        source: SOURCES[rng.below(SOURCES.len())],
    }
}

/// What one file holds: a number of articles in one format.
#[derive(Clone, Copy)]
enum FileKind {
    Text,
    Markdown,
    JsonLines(usize),
}

/// The files of the corpus, in order, for `docs` articles: per group of
/// 100 articles, 50 `.txt` files, 15 `.md` files and one `.jsonl` file of 35.
fn plan(docs: usize) -> Vec<FileKind> {
    let mut files = Vec::new();
    let mut left = docs;
    while left > 0 {
        for i in 0..65 {
            if left == 0 {
                break;
            }
            files.push(if i % 13 < 10 {
                FileKind::Text
            } else {
                FileKind::Markdown
            });
            left -= 1;
        }
        if left > 0 {
            let n = JSONL_RECORDS.min(left);
            files.push(FileKind::JsonLines(n));
            left -= n;
        }
    }
    files
}

fn write_dir(
    pool: &Pool,
    out: &Path,
    dir_index: usize,
    kinds: &[FileKind],
    seed: u64,
) -> std::io::Result<(u64, u64)> {
    let dir = out
        .join(format!("{:03}", dir_index / 100))
        .join(format!("{:02}", dir_index % 100));
    fs::create_dir_all(&dir)?;
    let mut rng = Rng::mixed(
        seed.wrapping_mul(0x100_0000_01B3)
            .wrapping_add(dir_index as u64),
    );
    let mut bytes = 0u64;
    let mut articles = 0u64;
    let mut text = String::new();
    for (i, kind) in kinds.iter().enumerate() {
        text.clear();
        let ext = match *kind {
            FileKind::Text => {
                let a = article(pool, &mut rng);
                let _ = write!(text, "{}\n\n{}\n", a.title, a.body);
                articles += 1;
                "txt"
            }
            FileKind::Markdown => {
                let a = article(pool, &mut rng);
                let _ = write!(
                    text,
                    "---\ntitle: \"{}\"\ndate: {}\nsource: {}\n---\n\n{}\n",
                    a.title.replace('\\', "").replace('"', "'"),
                    a.date,
                    a.source,
                    a.body
                );
                articles += 1;
                "md"
            }
            FileKind::JsonLines(n) => {
                for _ in 0..n {
                    let a = article(pool, &mut rng);
                    let record = serde_json::json!({
                        "title": a.title, "body": a.body, "date": a.date, "source": a.source,
                    });
                    text.push_str(&record.to_string());
                    text.push('\n');
                }
                articles += n as u64;
                "jsonl"
            }
        };
        fs::write(dir.join(format!("{i:03}.{ext}")), &text)?;
        bytes += text.len() as u64;
    }
    Ok((articles, bytes))
}

fn main() {
    let mut from = PathBuf::from("../shared/data");
    let mut out: Option<PathBuf> = None;
    let mut docs = 10_000usize;
    let mut seed = 42u64;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || {
            args.next()
                .unwrap_or_else(|| usage(&format!("{arg} needs a value")))
        };
        match arg.as_str() {
            "--from" => from = PathBuf::from(value()),
            "--out" => out = Some(PathBuf::from(value())),
            "--docs" => {
                docs = value()
                    .parse()
                    .unwrap_or_else(|_| usage("--docs takes a number"))
            }
            "--seed" => {
                seed = value()
                    .parse()
                    .unwrap_or_else(|_| usage("--seed takes a number"))
            }
            other => usage(&format!("unknown argument {other}")),
        }
    }
    let out = out.unwrap_or_else(|| usage("--out DIR is required"));
    let started = Instant::now();
    let pool = load_pool(&from);
    if pool.titles.is_empty() || pool.sentences.is_empty() {
        usage(&format!(
            "no BBC/Reuters/CoNLL text found under {}",
            from.display()
        ));
    }
    eprintln!(
        "gen_corpus: {} titles, {} sentences from {}",
        pool.titles.len(),
        pool.sentences.len(),
        from.display()
    );
    let files = plan(docs);
    let dirs: Vec<&[FileKind]> = files.chunks(FILES_PER_DIR).collect();
    let totals: std::io::Result<Vec<(u64, u64)>> = dirs
        .par_iter()
        .enumerate()
        .map(|(i, kinds)| write_dir(&pool, &out, i, kinds, seed))
        .collect();
    let totals = totals.unwrap_or_else(|e| {
        eprintln!("gen_corpus: writing {}: {e}", out.display());
        std::process::exit(2)
    });
    let articles: u64 = totals.iter().map(|t| t.0).sum();
    let bytes: u64 = totals.iter().map(|t| t.1).sum();
    eprintln!(
        "gen_corpus: wrote {articles} articles in {} files, {:.1} MB, to {} in {:.1}s",
        files.len(),
        bytes as f64 / 1e6,
        out.display(),
        started.elapsed().as_secs_f64()
    );
    println!(
        "{}",
        serde_json::json!({"articles": articles, "files": files.len(), "bytes": bytes, "seed": seed})
    );
}

fn usage(message: &str) -> ! {
    eprintln!("gen_corpus: {message}");
    eprintln!("usage: gen_corpus --out DIR [--docs N] [--from ../shared/data] [--seed N]");
    std::process::exit(2)
}
