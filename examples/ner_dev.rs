//! Development driver for the NER tagger: learn clusters, train, evaluate
//! and time the tagger without going through the CLI.
//!
//! ```text
//! cargo run --release --example ner_dev -- clusters OUT [--clusters N] [--min-count N] [--max-words N] PATH...
//! cargo run --release --example ner_dev -- train TRAIN DEV OUT [--clusters FILE] [--epochs N] [--folds N] [--min-count N] [--seed N]
//! cargo run --release --example ner_dev -- eval MODEL CONLL [--repeat N]
//! ```

use std::path::PathBuf;
use std::process::ExitCode;

use newsdex::ner::{self, ClusterOptions, Tagger, TrainOptions};

fn flag(args: &mut Vec<String>, name: &str) -> Option<String> {
    let i = args.iter().position(|a| a == name)?;
    if i + 1 >= args.len() {
        return None;
    }
    let v = args.remove(i + 1);
    args.remove(i);
    Some(v)
}

fn num<T: std::str::FromStr>(args: &mut Vec<String>, name: &str, default: T) -> Result<T, String> {
    match flag(args, name) {
        Some(v) => v
            .parse()
            .map_err(|_| format!("{name}: `{v}` is not a number")),
        None => Ok(default),
    }
}

fn run() -> Result<(), String> {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    if args.is_empty() {
        return Err("usage: ner_dev clusters|train|eval ...".into());
    }
    let cmd = args.remove(0);
    match cmd.as_str() {
        "clusters" => {
            let opts = ClusterOptions {
                clusters: num(&mut args, "--clusters", ClusterOptions::default().clusters)?,
                min_count: num(
                    &mut args,
                    "--min-count",
                    ClusterOptions::default().min_count,
                )?,
                max_words: num(
                    &mut args,
                    "--max-words",
                    ClusterOptions::default().max_words,
                )?,
            };
            let out = PathBuf::from(args.first().ok_or("clusters OUT PATH...")?);
            let paths: Vec<PathBuf> = args[1..].iter().map(PathBuf::from).collect();
            let docs = ner::read_unlabelled(&paths).map_err(|e| e.to_string())?;
            let c = ner::learn_clusters(&docs, &opts, |s| eprintln!("{s}"))
                .map_err(|e| e.to_string())?;
            c.save(&out).map_err(|e| e.to_string())?;
            eprintln!("{} words in {} clusters", c.words.len(), c.cluster_count());
        }
        "train" => {
            let d = TrainOptions::default();
            let clusters = flag(&mut args, "--clusters").map(PathBuf::from);
            let epochs = num(&mut args, "--epochs", d.epochs)?;
            let folds = num(&mut args, "--folds", d.folds)?;
            let min_feature_count = num(&mut args, "--min-count", d.min_feature_count)?;
            let seed = num(&mut args, "--seed", d.seed)?;
            let ensemble = num(&mut args, "--ensemble", d.ensemble)?;
            if args.len() < 3 {
                return Err("train TRAIN DEV OUT".into());
            }
            let opts = TrainOptions {
                train: PathBuf::from(&args[0]),
                dev: Some(PathBuf::from(&args[1])),
                out: PathBuf::from(&args[2]),
                clusters,
                epochs,
                folds,
                min_feature_count,
                seed,
                ensemble,
                ..d
            };
            let r = ner::train(&opts, |s| eprintln!("{s}")).map_err(|e| e.to_string())?;
            eprintln!(
                "trained in {:.1}s, model {} bytes",
                r.seconds, r.model_bytes
            );
            if let Some(dev) = r.dev {
                println!(
                    "{}",
                    serde_json::to_string(&dev).map_err(|e| e.to_string())?
                );
            }
        }
        "eval" => {
            let repeat: usize = num(&mut args, "--repeat", 1)?;
            if args.len() < 2 {
                return Err("eval MODEL CONLL".into());
            }
            let t0 = std::time::Instant::now();
            let tagger = Tagger::load(&PathBuf::from(&args[0])).map_err(|e| e.to_string())?;
            eprintln!(
                "loaded in {:.1} ms: {}",
                t0.elapsed().as_secs_f64() * 1e3,
                tagger.describe()
            );
            let docs = ner::read_conll(&PathBuf::from(&args[1])).map_err(|e| e.to_string())?;
            let mut best = None;
            let cpu0 = thread_cpu_secs();
            let wall0 = std::time::Instant::now();
            let mut tagged = 0u64;
            for _ in 0..repeat.max(1) {
                let r = ner::evaluate(&tagger, &docs);
                tagged += r.tokens;
                if best
                    .as_ref()
                    .is_none_or(|b: &ner::EvalReport| r.tokens_per_sec > b.tokens_per_sec)
                {
                    best = Some(r);
                }
            }
            let r = best.ok_or("no run")?;
            // Scoring is included here; CPU time is less disturbed than wall
            // time when other processes compete for the cores.
            if let (Some(a), Some(b)) = (cpu0, thread_cpu_secs()) {
                eprintln!(
                    "{} tokens: {:.0} tokens/s of thread CPU time, {:.0} tokens/s wall (incl. scoring)",
                    tagged,
                    tagged as f64 / (b - a),
                    tagged as f64 / wall0.elapsed().as_secs_f64()
                );
            }
            let c = r.counts;
            eprintln!(
                "gold {:?} predicted {:?} correct {:?}",
                c.gold, c.predicted, c.correct
            );
            println!("{}", serde_json::to_string(&r).map_err(|e| e.to_string())?);
        }
        "predict" => {
            // word gold predicted, blank line between sentences, for error analysis.
            if args.len() < 2 {
                return Err("predict MODEL CONLL".into());
            }
            let tagger = Tagger::load(&PathBuf::from(&args[0])).map_err(|e| e.to_string())?;
            let docs = ner::read_conll(&PathBuf::from(&args[1])).map_err(|e| e.to_string())?;
            for d in &docs {
                let sents: Vec<Vec<&str>> = d.sentences.iter().map(|s| s.token_strs()).collect();
                let labels = tagger.tag_document(&sents);
                println!("-DOCSTART- O O\n");
                for (s, l) in d.sentences.iter().zip(&labels) {
                    for ((w, g), p) in s.tokens.iter().zip(&s.tags).zip(l) {
                        println!("{w} {g} {}", p.to_iob());
                    }
                    println!();
                }
            }
        }
        other => return Err(format!("unknown command `{other}`")),
    }
    Ok(())
}

/// CPU time of this thread (Linux `/proc/thread-self/stat`, in clock
/// ticks of 10 ms), `None` elsewhere.
fn thread_cpu_secs() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/thread-self/stat").ok()?;
    // Fields after the command name (which is in parentheses).
    let rest = stat.rsplit_once(')')?.1;
    let f: Vec<&str> = rest.split_whitespace().collect();
    let utime: f64 = f.get(11)?.parse().ok()?;
    let stime: f64 = f.get(12)?.parse().ok()?;
    Some((utime + stime) / 100.0)
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("ner_dev: {e}");
            ExitCode::from(2)
        }
    }
}
