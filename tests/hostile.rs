//! Hostile input: a folder of everything that goes wrong in real archives
//! (binary files, broken encodings, huge files, malformed and deeply nested
//! markup, symbolic-link loops, unreadable files, awkward names). Indexing
//! it never panics, indexes every valid article, accounts for every file in
//! the `--json` summary and keeps memory bounded.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;
use tantivy::collector::DocSetCollector;
use tantivy::query::AllQuery;
use tantivy::schema::{TantivyDocument, Value as _};

use newsdex::schema::names;
use newsdex::search::Engine;

use crate::util::hostile::{self, Expect};
use crate::util::TestEnv;

/// Every (id, path) in the index.
fn indexed(index: &Path) -> Vec<(String, String)> {
    let engine = Engine::open(index).expect("index opens");
    let schema = engine.index().schema();
    let id = schema.get_field(names::ID).expect("id field");
    let path = schema.get_field(names::PATH).expect("path field");
    let reader = engine.index().reader().expect("reader");
    let searcher = reader.searcher();
    let addresses = searcher
        .search(&AllQuery, &DocSetCollector)
        .expect("list documents");
    addresses
        .into_iter()
        .map(|address| {
            let doc: TantivyDocument = searcher.doc(address).expect("stored document");
            let text = |field| {
                doc.get_first(field)
                    .and_then(|v| v.as_str())
                    .unwrap_or_default()
                    .to_string()
            };
            (text(id), text(path))
        })
        .collect()
}

/// Whether a file with mode 000 really cannot be read by a process of ours
/// (root ignores permissions).
fn permissions_bind(dir: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    let probe = dir.join("probe");
    std::fs::write(&probe, b"x").expect("write probe");
    std::fs::set_permissions(&probe, std::fs::Permissions::from_mode(0o000)).expect("chmod");
    let binds = std::fs::File::open(&probe).is_err();
    let _ = std::fs::remove_file(&probe);
    binds
}

/// The user that unprivileged runs use when the tests run as root.
const NOBODY: u32 = 65534;

/// Whether the binary can run as `nobody` (the build folder may be private).
fn can_run_as_nobody() -> bool {
    use std::os::unix::process::CommandExt;
    Command::new(env!("CARGO_BIN_EXE_newsdex"))
        .arg("--help")
        .uid(NOBODY)
        .gid(NOBODY)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// The outcome of an indexing run watched for its peak memory.
struct WatchedRun {
    code: Option<i32>,
    stdout: String,
    stderr: String,
    peak_rss_kb: u64,
    elapsed: Duration,
}

/// Runs `newsdex ARGS`, sampling its peak resident memory (VmHWM) from
/// /proc while it runs.
fn run_watched(dir: &Path, args: &[&std::ffi::OsStr], as_user: Option<u32>) -> WatchedRun {
    use std::os::unix::process::CommandExt;
    let out_path = dir.join("stdout.txt");
    let err_path = dir.join("stderr.txt");
    let mut command = Command::new(env!("CARGO_BIN_EXE_newsdex"));
    command
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&out_path).expect("stdout file"))
        .stderr(std::fs::File::create(&err_path).expect("stderr file"));
    if let Some(uid) = as_user {
        command.uid(uid).gid(uid);
    }
    let started = Instant::now();
    let mut child = command.spawn().expect("start newsdex");
    let status_file = format!("/proc/{}/status", child.id());
    let mut peak_rss_kb = 0;
    let status = loop {
        if let Ok(status) = std::fs::read_to_string(&status_file) {
            if let Some(kb) = status
                .lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            {
                peak_rss_kb = peak_rss_kb.max(kb);
            }
        }
        if let Some(status) = child.try_wait().expect("poll") {
            break status;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    WatchedRun {
        code: status.code(),
        stdout: std::fs::read_to_string(&out_path).unwrap_or_default(),
        stderr: String::from_utf8_lossy(&std::fs::read(&err_path).unwrap_or_default()).into_owned(),
        peak_rss_kb,
        elapsed: started.elapsed(),
    }
}

/// The file a summary path refers to: records are `FILE#N`.
fn file_of<'a>(entry: &'a str, files: &BTreeSet<&str>) -> &'a str {
    if files.contains(entry) {
        return entry;
    }
    match entry.rsplit_once('#') {
        Some((file, _)) => file,
        None => entry,
    }
}

/// Indexes the hostile folder and checks, for every generated entry, what
/// became of it; and that `files_seen` equals the files that produced
/// articles plus the files (or walk entries) named only in `skipped`.
#[test]
fn hostile_folder_is_indexed_without_panics_and_every_file_is_accounted_for() {
    let env = TestEnv::empty();
    let corpus = env.corpus();
    let mut as_user = None;
    let mut unreadable = permissions_bind(&corpus);
    if !unreadable && can_run_as_nobody() {
        // Root reads everything: index as `nobody` so that permissions bind.
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(env.dir.path(), std::fs::Permissions::from_mode(0o777))
            .expect("open the temp folder to nobody");
        as_user = Some(NOBODY);
        unreadable = true;
        eprintln!(
            "running as root: indexing as uid {NOBODY} so that a mode-000 file is unreadable"
        );
    }
    let generated = hostile::generate(&corpus, unreadable);
    for note in &generated.notes {
        eprintln!("note: {note}");
    }

    let index = env.index();
    let run = run_watched(
        env.dir.path(),
        &[
            "--index".as_ref(),
            index.as_os_str(),
            "index".as_ref(),
            corpus.as_os_str(),
            "--json".as_ref(),
            // The limit is configurable (default 5 MB); 1 MB keeps the
            // debug build's entity extraction on the big bodies quick.
            "--max-body-mb".as_ref(),
            "1".as_ref(),
            "--threads".as_ref(),
            "2".as_ref(),
        ],
        as_user,
    );
    eprintln!(
        "indexed {} hostile entries in {:?}, peak memory {} MB",
        generated.fixtures.len(),
        run.elapsed,
        run.peak_rss_kb / 1024
    );
    assert_eq!(run.code, Some(0), "stderr:\n{}", run.stderr);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    let summary: Value = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("summary is not JSON ({e}): {}\n{}", run.stdout, run.stderr));

    // Memory stays bounded: the 100 MB file is read once, not copied over
    // and over, and its body is cut to the limit.
    assert!(
        run.peak_rss_kb < 700 * 1024,
        "peak memory {} MB",
        run.peak_rss_kb / 1024
    );
    assert!(
        run.stderr.contains("big/huge.txt: body truncated to"),
        "no truncation warning:\n{}",
        run.stderr
    );

    let articles = indexed(&index);
    let ids: BTreeMap<&str, usize> = articles.iter().fold(BTreeMap::new(), |mut m, (id, _)| {
        *m.entry(id.as_str()).or_default() += 1;
        m
    });
    assert!(ids.values().all(|&n| n == 1), "duplicate ids: {ids:?}");
    let article_files: BTreeSet<&str> = articles.iter().map(|(_, p)| p.as_str()).collect();
    let skipped: Vec<(&str, &str)> = summary["skipped"]
        .as_array()
        .expect("skipped array")
        .iter()
        .map(|s| {
            (
                s["path"].as_str().expect("skipped path"),
                s["reason"].as_str().expect("skipped reason"),
            )
        })
        .collect();
    for (path, reason) in &skipped {
        assert!(!reason.trim().is_empty(), "{path} skipped without a reason");
        assert!(
            !reason.contains("Error {") && !reason.contains("Os {"),
            "{path}: debug output in the reason: {reason}"
        );
        // The entry names the file; its reason says where in it and what.
        assert!(
            !reason.starts_with(&format!("{path}:")),
            "{path}: the reason repeats the path: {reason}"
        );
    }

    let mut problems = Vec::new();
    for fixture in &generated.fixtures {
        let file_skip = skipped.iter().find(|(p, _)| *p == fixture.rel_path);
        match &fixture.expect {
            Expect::Articles(want) | Expect::ArticlesAndSkippedRecords(want, _) => {
                for id in want {
                    if !ids.contains_key(id.as_str()) {
                        problems.push(format!(
                            "{} ({:?}): article {id:?} not indexed; skipped as {file_skip:?}",
                            fixture.what, fixture.rel_path
                        ));
                    }
                }
                if let Expect::ArticlesAndSkippedRecords(_, records) = &fixture.expect {
                    for record in records {
                        if !skipped.iter().any(|(p, _)| p == record) {
                            problems
                                .push(format!("{}: record {record} not reported", fixture.what));
                        }
                    }
                }
            }
            Expect::Skipped(reason) => match file_skip {
                Some((_, got)) if got.to_lowercase().contains(&reason.to_lowercase()) => {}
                other => problems.push(format!(
                    "{} ({:?}): expected a skip entry mentioning {reason:?}, got {other:?}",
                    fixture.what, fixture.rel_path
                )),
            },
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));

    // Accounting: every entry the walk saw is a file with articles or is
    // named in `skipped` (itself or one of its records), and nothing else.
    let mut accounted: BTreeSet<&str> = article_files.clone();
    for (path, _) in &skipped {
        accounted.insert(file_of(path, &article_files));
    }
    let generated_paths: BTreeSet<&str> = generated
        .fixtures
        .iter()
        .map(|f| f.rel_path.as_str())
        .collect();
    assert_eq!(
        accounted, generated_paths,
        "accounted-for files differ from the generated ones"
    );
    assert_eq!(
        summary["files_seen"],
        accounted.len(),
        "files_seen must equal files with articles ({}) + files only skipped ({})",
        article_files.len(),
        accounted.len() - article_files.len()
    );
    assert_eq!(summary["articles_total"], articles.len());

    // Search input from the same hostile world still works on this index.
    let engine = Engine::open(&index).expect("open");
    let results = engine
        .search(&newsdex::search::SearchRequest {
            query: Some("zürich".into()),
            limit: 10,
            ..Default::default()
        })
        .expect("search");
    assert_eq!(results.hits.len(), 1, "UTF-16 article not searchable");
    eprintln!(
        "hostile entries tried: {}; articles indexed: {}; entries skipped: {}",
        generated.fixtures.len(),
        articles.len(),
        skipped.len()
    );
}
