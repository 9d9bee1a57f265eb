//! Time per article of two indexing stages, in-process, over the articles
//! of a folder: normalising the tagger's mentions into entity values
//! (`normalize_in`, on mentions tagged beforehand) and analysing the body
//! for the index (the stemmed title/body analyser). Each is timed over all
//! articles, best of ROUNDS passes, so that the figures compare builds
//! without the noise of a whole indexing run.
//!
//! ```text
//! cargo run --release --example stage_speed -- FOLDER [MAX_ARTICLES] [ROUNDS]
//! ```
//!
//! Prints one JSON object.

use std::path::Path;
use std::time::Instant;

use newsdex::corpus::{parse, walk, Format, ParseOptions, WalkEntry};
use newsdex::entities::{analysed_text, normalize::normalize_in, tagged};
use tantivy::tokenizer::TokenStream;

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(folder) = args.first() else {
        anyhow::bail!("usage: stage_speed FOLDER [MAX_ARTICLES] [ROUNDS]");
    };
    let max_articles: usize = args.get(1).map_or(Ok(5_000), |n| n.parse())?;
    let rounds: usize = args.get(2).map_or(Ok(7), |n| n.parse())?;

    // Articles with their tagged mentions, read once.
    let mut work = Vec::new();
    for entry in walk(Path::new(folder)) {
        let WalkEntry::File { path, rel_path } = entry else {
            continue;
        };
        let Some(format) = Format::from_path(&path) else {
            continue;
        };
        let bytes = std::fs::read(&path)?;
        let Ok(parsed) = parse(format, &rel_path, &bytes, &ParseOptions::default()) else {
            continue;
        };
        for article in parsed.articles {
            let text = analysed_text(&article);
            let mentions = tagged::detect(&text);
            work.push((text, mentions, article.body));
        }
        if work.len() >= max_articles {
            break;
        }
    }
    anyhow::ensure!(!work.is_empty(), "no articles under {folder}");

    let best_of = |pass: &mut dyn FnMut() -> usize| {
        let mut best = f64::MAX;
        let mut count = 0;
        for _ in 0..rounds {
            let started = Instant::now();
            count = pass();
            best = best.min(started.elapsed().as_secs_f64());
        }
        (best, count)
    };
    let (normalize_s, mentions) = best_of(&mut || {
        work.iter()
            .map(|(text, mentions, _)| {
                std::hint::black_box(normalize_in(text, mentions));
                mentions.len()
            })
            .sum()
    });
    let mut analyzer = newsdex::analyzer::stemmed_analyzer();
    let (analyze_s, tokens) = best_of(&mut || {
        let mut tokens = 0;
        for (_, _, body) in &work {
            let mut stream = analyzer.token_stream(body);
            while stream.advance() {
                std::hint::black_box(&stream.token().text);
                tokens += 1;
            }
        }
        tokens
    });
    let articles = work.len() as f64;
    println!(
        "{}",
        serde_json::json!({
            "articles": work.len(),
            "rounds": rounds,
            "normalize_us_per_article": normalize_s * 1e6 / articles,
            "mentions_per_article": mentions as f64 / articles,
            "analyze_ns_per_token": analyze_s * 1e9 / tokens as f64,
            "tokens_per_article": tokens as f64 / articles,
        })
    );
    Ok(())
}
