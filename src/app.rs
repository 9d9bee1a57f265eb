//! Runs a parsed command: opens the index, calls the library, prints the
//! result on stdout and progress/notes on stderr.

use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, Result};
use indicatif::{ProgressBar, ProgressStyle};

use newsdex::corpus::{self, Format, ParseOptions};
use newsdex::error::Error;
use newsdex::indexer::{self, IndexOptions, IndexSummary};
use newsdex::render::{self, ArticleEntities, FacetReport, Style};
use newsdex::search::{Engine, SearchRequest};

use crate::cli::{self, Cli, ColorChoice, Command, NerCommand};

/// Runs the command and returns the exit code.
pub fn run(cli: Cli) -> Result<ExitCode> {
    let index = cli.index_path();
    let default_index = cli.index.is_none();
    match cli.command {
        Command::Index(args) => index_command(&index, args),
        Command::Search(args) => {
            let request = args.to_request()?;
            let engine = open_engine(&index, default_index)?;
            let results = engine.search(&request)?;
            note_persons_counted_as_orgs(&engine, &request)?;
            let out = io::stdout().lock();
            if args.json {
                render::json(&results, out)?;
            } else {
                let style = style_for(args.color);
                render::search_results(&results, args.offset, style, out)?;
            }
            Ok(found(results.total))
        }
        Command::Facets(args) => {
            let request = args.to_request()?;
            let engine = open_engine(&index, default_index)?;
            let results = engine.search(&request)?;
            note_persons_counted_as_orgs(&engine, &request)?;
            let facets = results.facets.unwrap_or_default();
            let kind = args.field.kind();
            let out = io::stdout().lock();
            if args.json {
                let report = FacetReport {
                    query: &results.query,
                    total: results.total,
                    field: kind.name(),
                    values: facets.get(kind),
                };
                render::json(&report, out)?;
            } else {
                render::facet_tables(&facets, &[kind], style_for(ColorChoice::Auto), out)?;
            }
            Ok(found(results.total))
        }
        Command::Stats(args) => {
            let engine = open_engine(&index, default_index)?;
            let stats = engine.stats(args.top)?;
            let out = io::stdout().lock();
            if args.json {
                render::json(&stats, out)?;
            } else {
                render::stats(&stats, style_for(ColorChoice::Auto), out)?;
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Entities(args) => entities_command(&args.files, args.json),
        Command::Ner(NerCommand::Eval(args)) => ner_eval(&args),
        Command::Ner(NerCommand::Train(args)) => ner_train(&args),
        Command::EvalFacets(args) => {
            let report =
                newsdex::evaluate::evaluate_reuters(&args.path, newsdex::entities::extract)?;
            let mut out = io::stdout().lock();
            if args.json {
                render::json(&report, out)?;
            } else {
                writeln!(out, "records with editors' tags  {}", report.records)?;
                for (name, scores) in [("country", report.country), ("person", report.person)] {
                    writeln!(
                        out,
                        "{name:<8} precision {:.3}  recall {:.3}",
                        scores.precision, scores.recall
                    )?;
                }
                let list = |items: &[(String, u64)]| {
                    items
                        .iter()
                        .map(|(code, n)| format!("{code} {n}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                writeln!(
                    out,
                    "countries most often missed:   {}",
                    list(&report.missed_countries)
                )?;
                writeln!(
                    out,
                    "countries most often spurious: {}",
                    list(&report.spurious_countries)
                )?;
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn index_command(index: &Path, args: cli::IndexArgs) -> Result<ExitCode> {
    let options = IndexOptions {
        rebuild: args.rebuild,
        threads: args.threads,
        memory_mb: args.memory_mb,
        extract_entities: !args.no_entities,
        max_body_bytes: args.max_body_mb.saturating_mul(1024 * 1024),
        commit_every: args.commit_every.max(1),
        ..IndexOptions::new(&args.corpus, index)
    };
    let summary = build_with_progress(&options)?;
    if args.json {
        render::json(&summary, io::stdout().lock())?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Tells on stderr when a `--person` name is one the archive counts as an
/// organisation, which that filter then leaves out.
fn note_persons_counted_as_orgs(engine: &Engine, request: &SearchRequest) -> Result<()> {
    for person in &request.persons {
        if let Some(org) = engine.person_counted_as(person)? {
            eprintln!(
                "newsdex: note: \"{person}\" alone is counted as the organisation \"{org}\" \
                 in this archive; --person finds only persons named in full with it \
                 (for the organisation: --org \"{org}\")"
            );
        }
    }
    Ok(())
}

/// Builds the index, with a progress bar on a terminal and notes on stderr.
fn build_with_progress(options: &IndexOptions) -> Result<IndexSummary> {
    let bar = if io::stderr().is_terminal() {
        let bar = ProgressBar::new_spinner();
        bar.set_style(
            ProgressStyle::with_template("{spinner} {elapsed} {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        bar.enable_steady_tick(Duration::from_millis(120));
        Some(bar)
    } else {
        None
    };
    let result = indexer::build_index(options, |p| {
        if let Some(bar) = &bar {
            bar.set_message(format!(
                "{} files, {} articles indexed, {}",
                p.files_seen,
                p.articles_indexed,
                render::human_bytes(p.bytes_read)
            ));
        }
    });
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    let summary = result.with_context(|| format!("indexing {}", options.corpus.display()))?;
    let mut err = io::stderr().lock();
    for entry in &summary.skipped {
        writeln!(err, "newsdex: skipped {}: {}", entry.path, entry.reason)?;
    }
    for entry in &summary.warnings {
        writeln!(err, "newsdex: warning: {}: {}", entry.path, entry.reason)?;
    }
    writeln!(err, "{}", render::index_summary(&summary))?;
    Ok(summary)
}

/// Opens the index; with the default paths and no index yet, first builds
/// it from ./corpus so that a fresh checkout works in one command.
fn open_engine(index: &Path, default_index: bool) -> Result<Engine> {
    match Engine::open(index) {
        Err(Error::IndexMissing { .. })
            if default_index && Path::new(cli::DEFAULT_CORPUS).is_dir() =>
        {
            eprintln!(
                "newsdex: no index yet; building {} from {}/ (once)",
                index.display(),
                cli::DEFAULT_CORPUS
            );
            build_with_progress(&IndexOptions::new(cli::DEFAULT_CORPUS, index))?;
            Ok(Engine::open(index)?)
        }
        other => Ok(other?),
    }
}

fn entities_command(files: &[PathBuf], json: bool) -> Result<ExitCode> {
    let options = ParseOptions::default();
    let mut articles = Vec::new();
    for file in files {
        let format = Format::from_path(file).ok_or_else(|| {
            anyhow::anyhow!(
                "{}: unsupported file type (supported: .txt .md .json .jsonl .ndjson .html .htm .sgm)",
                file.display()
            )
        })?;
        let bytes = std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
        let name = file.to_string_lossy().replace('\\', "/");
        // The error names the file itself.
        let parsed = corpus::parse(format, &name, &bytes, &options)?;
        for skipped in &parsed.skipped {
            eprintln!("newsdex: skipped {}: {}", skipped.location, skipped.reason);
        }
        articles.extend(parsed.articles);
    }
    let extracted: Vec<_> = articles.iter().map(newsdex::entities::extract).collect();
    let items: Vec<ArticleEntities> = articles
        .iter()
        .zip(&extracted)
        .map(|(article, entities)| ArticleEntities::new(article, entities))
        .collect();
    let out = io::stdout().lock();
    if json {
        render::json(&items, out)?;
    } else {
        render::entities(&items, style_for(ColorChoice::Auto), out)?;
    }
    Ok(ExitCode::SUCCESS)
}

fn ner_eval(args: &cli::NerEvalArgs) -> Result<ExitCode> {
    use newsdex::ner::{self, Tagger};
    let loaded;
    let tagger = match &args.model {
        Some(path) => {
            loaded = Tagger::load(path)?;
            &loaded
        }
        None => Tagger::embedded(),
    };
    let docs = ner::read_conll(&args.file)?;
    let report = ner::evaluate(tagger, &docs);
    let mut out = io::stdout().lock();
    if args.json {
        render::json(&report, out)?;
        return Ok(ExitCode::SUCCESS);
    }
    writeln!(
        out,
        "{} ({} documents, {} tokens)",
        args.file.display(),
        docs.len(),
        report.tokens
    )?;
    writeln!(
        out,
        "{:<8} {:>9} {:>9} {:>9}",
        "type", "precision", "recall", "F1"
    )?;
    let rows = [
        ("overall", report.overall),
        ("PER", report.per_type.per),
        ("LOC", report.per_type.loc),
        ("ORG", report.per_type.org),
        ("MISC", report.per_type.misc),
    ];
    for (name, scores) in rows {
        writeln!(
            out,
            "{name:<8} {:>9.2} {:>9.2} {:>9.2}",
            100.0 * scores.precision,
            100.0 * scores.recall,
            100.0 * scores.f1
        )?;
    }
    writeln!(out, "{:.0} tokens/s on one thread", report.tokens_per_sec)?;
    Ok(ExitCode::SUCCESS)
}

fn ner_train(args: &cli::NerTrainArgs) -> Result<ExitCode> {
    use newsdex::ner::{self, TrainOptions};
    let defaults = TrainOptions::default();
    let options = TrainOptions {
        train: args.train.clone(),
        dev: Some(args.dev.clone()),
        unlabelled: args.unlabelled.clone(),
        clusters: Some(args.clusters.clone()),
        epochs: args.epochs.unwrap_or(defaults.epochs),
        seed: args.seed.unwrap_or(defaults.seed),
        ensemble: args.ensemble.unwrap_or(defaults.ensemble),
        out: args.out.clone(),
        ..defaults
    };
    let report = ner::train(&options, |line| eprintln!("newsdex: {line}"))?;
    eprintln!(
        "newsdex: trained on {} tokens in {:.0}s: {} features, model {} ({})",
        report.tokens,
        report.seconds,
        report.features,
        args.out.display(),
        render::human_bytes(report.model_bytes as u64)
    );
    if let Some(dev) = &report.dev {
        eprintln!(
            "newsdex: {}: F1 {:.2} (PER {:.2}, LOC {:.2}, ORG {:.2}, MISC {:.2})",
            args.dev.display(),
            100.0 * dev.overall.f1,
            100.0 * dev.per_type.per.f1,
            100.0 * dev.per_type.loc.f1,
            100.0 * dev.per_type.org.f1,
            100.0 * dev.per_type.misc.f1
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn style_for(choice: ColorChoice) -> Style {
    let color = match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    };
    Style { color }
}

fn found(total: u64) -> ExitCode {
    if total > 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
