//! Crash safety: an indexer killed at any moment, a disk that fills up or
//! an index folder that turns read-only mid-run, and two indexers on one
//! index. In every case the index keeps its last commit, opens, and answers
//! searches; a later run finishes the job with exactly one copy of every
//! article.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use tantivy::collector::DocSetCollector;
use tantivy::query::AllQuery;
use tantivy::schema::{TantivyDocument, Value};

use newsdex::schema::names;
use newsdex::search::{Engine, SearchRequest};

use crate::util::{Rng, TestEnv};

/// A generated corpus: files in walk order, each with the ids of its articles.
struct GeneratedCorpus {
    files: Vec<(String, Vec<String>)>,
}

impl GeneratedCorpus {
    fn article_count(&self) -> usize {
        self.files.iter().map(|(_, ids)| ids.len()).sum()
    }

    fn all_ids(&self) -> BTreeSet<String> {
        self.files.iter().flat_map(|(_, ids)| ids.clone()).collect()
    }
}

const WORDS: &[&str] = &[
    "harbour",
    "council",
    "budget",
    "talks",
    "ceasefire",
    "minister",
    "river",
    "bridge",
    "storm",
    "election",
    "vaccine",
    "strike",
    "railway",
    "market",
    "glacier",
    "survey",
    "court",
    "trade",
    "summit",
    "drought",
    "festival",
    "museum",
    "factory",
    "airport",
    "treaty",
    "farmers",
];
const NAMES: &[&str] = &[
    "William Burns",
    "Angela Merkel",
    "the United Nations",
    "Egypt",
    "Qatar",
    "Reuters",
    "Emmanuel Macron",
    "France",
];

fn sentence(rng: &mut Rng) -> String {
    let mut words: Vec<&str> = (0..12).map(|_| WORDS[rng.below(WORDS.len())]).collect();
    words.insert(rng.below(words.len()), NAMES[rng.below(NAMES.len())]);
    let mut s = words.join(" ");
    s[..1].make_ascii_uppercase();
    s.push('.');
    s
}

/// Writes `files` small files into `dir` (flat, so walk order is name
/// order): mostly one-article `.txt`, every tenth a `.jsonl` with five
/// articles.
fn generate_corpus(dir: &Path, files: usize, rng: &mut Rng) -> GeneratedCorpus {
    std::fs::create_dir_all(dir).expect("create corpus");
    let mut out = Vec::with_capacity(files);
    for i in 0..files {
        if i % 10 == 9 {
            let name = format!("f{i:05}.jsonl");
            let mut text = String::new();
            let mut ids = Vec::new();
            for line in 1..=5 {
                let record = serde_json::json!({
                    "title": format!("Wire {i} item {line} {}", WORDS[rng.below(WORDS.len())]),
                    "body": format!("{} {}", sentence(rng), sentence(rng)),
                });
                text.push_str(&record.to_string());
                text.push('\n');
                ids.push(format!("{name}#{line}"));
            }
            std::fs::write(dir.join(&name), text).expect("write jsonl");
            out.push((name, ids));
        } else {
            let name = format!("f{i:05}.txt");
            let text = format!(
                "Report {i} on the {}\n\n{}\n\n{}\n",
                WORDS[rng.below(WORDS.len())],
                sentence(rng),
                sentence(rng)
            );
            std::fs::write(dir.join(&name), text).expect("write txt");
            out.push((name.clone(), vec![name]));
        }
    }
    GeneratedCorpus { files: out }
}

/// Every (id, path) in the index, read through the library: opening with
/// [`Engine::open`] also checks the schema and the commit payload.
fn indexed_articles(index: &Path) -> Result<Vec<(String, String)>, String> {
    let engine = Engine::open(index).map_err(|e| format!("the index does not open: {e}"))?;
    let tantivy_index = engine.index();
    let schema = tantivy_index.schema();
    let id = schema.get_field(names::ID).map_err(|e| e.to_string())?;
    let path = schema.get_field(names::PATH).map_err(|e| e.to_string())?;
    let reader = tantivy_index.reader().map_err(|e| e.to_string())?;
    let searcher = reader.searcher();
    let addresses = searcher
        .search(&AllQuery, &DocSetCollector)
        .map_err(|e| e.to_string())?;
    let mut out = Vec::with_capacity(addresses.len());
    for address in addresses {
        let doc: TantivyDocument = searcher.doc(address).map_err(|e| e.to_string())?;
        let text = |field| {
            doc.get_first(field)
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_string()
        };
        out.push((text(id), text(path)));
    }
    if out.len() as u64 != searcher.num_docs() {
        return Err(format!(
            "{} live documents listed but num_docs says {}",
            out.len(),
            searcher.num_docs()
        ));
    }
    // A search through the engine must work too.
    engine
        .search(&SearchRequest {
            query: Some("harbour OR council".into()),
            limit: 3,
            facets: true,
            facet_top: 3,
            snippets: true,
            ..SearchRequest::default()
        })
        .map_err(|e| format!("search failed: {e}"))?;
    Ok(out)
}

/// Checks the crash-safety invariant and returns how many files the index
/// holds.
///
/// The indexer walks files in name order, adds each file's articles
/// together, and commits only between batches of files. A commit is atomic,
/// so at any moment the committed index holds exactly the articles of the
/// first `k` files of the corpus, for some `k`: every id is a corpus id,
/// none is duplicated, every file is complete, and no file is indexed while
/// an earlier one is missing. (With `--rebuild` the old articles are
/// deleted in the same commit that adds the first batch, so the invariant
/// holds for every commit of a rebuild too.)
fn check_committed_prefix(index: &Path, corpus: &GeneratedCorpus) -> Result<usize, String> {
    let articles = indexed_articles(index)?;
    let mut per_id: BTreeMap<&str, usize> = BTreeMap::new();
    for (id, _) in &articles {
        *per_id.entry(id).or_default() += 1;
    }
    if let Some((id, n)) = per_id.iter().find(|(_, n)| **n > 1) {
        return Err(format!("article {id} is in the index {n} times"));
    }
    let indexed_paths: BTreeSet<&str> = articles.iter().map(|(_, p)| p.as_str()).collect();
    let k = corpus
        .files
        .iter()
        .take_while(|(name, _)| indexed_paths.contains(name.as_str()))
        .count();
    let expected: BTreeSet<&str> = corpus.files[..k]
        .iter()
        .flat_map(|(_, ids)| ids.iter().map(String::as_str))
        .collect();
    let found: BTreeSet<&str> = per_id.keys().copied().collect();
    if found != expected {
        let extra: Vec<_> = found.difference(&expected).take(5).collect();
        let missing: Vec<_> = expected.difference(&found).take(5).collect();
        return Err(format!(
            "the index is not the first {k} files of the corpus: extra {extra:?}, missing {missing:?}"
        ));
    }
    Ok(k)
}

/// Files in the index folder that the last commit does not reference:
/// segment files written after it (a kill during indexing, a commit or a
/// merge). Tantivy deletes them on the next run.
fn uncommitted_files(index: &Path) -> usize {
    let meta = std::fs::read_to_string(index.join("meta.json")).unwrap_or_default();
    let Ok(dir) = std::fs::read_dir(index) else {
        return 0;
    };
    dir.filter_map(|e| e.ok())
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|name| !name.starts_with('.') && name != "meta.json")
        .filter(|name| {
            let segment = name.split('.').next().unwrap_or_default();
            // meta.json spells segment ids as UUIDs with dashes.
            !meta.replace('-', "").contains(&segment.replace('-', ""))
        })
        .count()
}

fn spawn_indexer(dir: &Path, index: &Path, corpus: &Path, extra: &[&str]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_newsdex"))
        .arg("--index")
        .arg(index)
        .arg("index")
        .arg(corpus)
        .args(extra)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start newsdex index")
}

/// Kills the indexer with SIGKILL at 10 random moments over whole runs
/// (parsing, adding, committing every 200 articles, background merges,
/// `--rebuild`), checking [`check_committed_prefix`] after each kill; then
/// lets one run finish and checks that every corpus article is in the index
/// exactly once.
///
/// The seed is printed; set `NEWSDEX_CRASH_SEED` to replay its choices
/// (timing on a loaded machine still varies).
#[test]
fn sigkill_at_random_moments_never_loses_or_duplicates_an_article() {
    let seed = std::env::var("NEWSDEX_CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(Rng::seed_from_time);
    eprintln!("crash test seed: {seed} (set NEWSDEX_CRASH_SEED={seed} to replay)");
    let mut rng = Rng::new(seed);
    let env = TestEnv::empty();
    let corpus = generate_corpus(&env.corpus(), 1_600, &mut rng);
    let total = corpus.article_count();
    let index = env.index();
    let index_args = [
        "--commit-every",
        "200",
        "--threads",
        "2",
        "--memory-mb",
        "30",
    ];

    // Calibrate: one uninterrupted run gives the time scale for the kills.
    let started = Instant::now();
    let status = spawn_indexer(env.dir.path(), &index, &env.corpus(), &index_args)
        .wait_with_output()
        .expect("calibration run");
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    let mut full_run = started.elapsed();
    assert_eq!(
        check_committed_prefix(&index, &corpus),
        Ok(corpus.files.len())
    );
    eprintln!(
        "calibration: {total} articles in {} files indexed in {full_run:?}",
        corpus.files.len()
    );

    let mut kills = 0;
    let mut kills_with_uncommitted_files = 0;
    let mut completed_runs = 0;
    let mut complete = true;
    let mut before = corpus.files.len();
    let mut attempts = 0;
    while kills < 10 {
        attempts += 1;
        assert!(attempts < 50, "could not land 10 kills in 50 attempts");
        // A complete index has nothing left to do: rebuild it. Otherwise
        // resume, or sometimes rebuild over the partial index.
        let rebuild = complete || rng.below(4) == 0;
        let mut args = index_args.to_vec();
        if rebuild {
            args.push("--rebuild");
        }
        let delay = full_run.mul_f64(0.02 + 0.98 * rng.unit());
        let mut child = spawn_indexer(env.dir.path(), &index, &env.corpus(), &args);
        std::thread::sleep(delay);
        let finished_first = child.try_wait().expect("poll indexer").is_some();
        // Child::kill sends SIGKILL on Unix: no chance to clean up.
        let _ = child.kill();
        let output = child.wait_with_output().expect("reap indexer");
        if finished_first {
            assert!(
                output.status.success(),
                "indexer failed: {}",
                String::from_utf8_lossy(&output.stderr)
            );
            completed_runs += 1;
            // A whole rebuild took less than `delay`: runs on a warmed-up
            // machine (with fewer tests running beside this one) are faster
            // than the calibration run, so aim the next kills within it.
            if rebuild {
                full_run = delay;
            }
        } else {
            kills += 1;
        }
        let leftovers = uncommitted_files(&index);
        if !finished_first && leftovers > 0 {
            kills_with_uncommitted_files += 1;
        }
        let k = check_committed_prefix(&index, &corpus).unwrap_or_else(|e| {
            panic!(
                "after {} at {delay:?} (seed {seed}, rebuild {rebuild}): {e}",
                if finished_first {
                    "a completed run"
                } else {
                    "SIGKILL"
                }
            )
        });
        if !rebuild {
            assert!(
                k >= before,
                "a resumed run lost committed files: {before} → {k}"
            );
        }
        eprintln!(
            "{} after {delay:?}{}: index holds the first {k} of {} files; {leftovers} uncommitted files left",
            if finished_first { "completed" } else { "killed" },
            if rebuild { " (--rebuild)" } else { "" },
            corpus.files.len()
        );
        complete = k == corpus.files.len();
        before = k;
    }

    // A normal re-run finishes the job: every article exactly once.
    let run = env.run(&[
        "index",
        env.corpus().to_str().expect("utf-8 temp path"),
        "--json",
        "--commit-every",
        "200",
    ]);
    run.expect_code(0);
    let summary = run.json();
    assert_eq!(summary["articles_total"], total, "{summary}");
    let articles = indexed_articles(&index).expect("final index");
    let ids: Vec<&str> = articles.iter().map(|(id, _)| id.as_str()).collect();
    let unique: BTreeSet<String> = ids.iter().map(|s| s.to_string()).collect();
    assert_eq!(ids.len(), unique.len(), "duplicates in the final index");
    assert_eq!(
        unique,
        corpus.all_ids(),
        "final index differs from the corpus"
    );
    eprintln!(
        "kills survived: {kills} ({kills_with_uncommitted_files} left uncommitted segment files), \
         runs that finished before their kill: {completed_runs}; final index: {total} articles, \
         no duplicates, none missing"
    );
}

/// A second indexer fails at once, naming the first one's pid, while
/// searches keep working and see the last commit.
#[test]
fn second_indexer_is_refused_and_searches_see_the_last_commit() {
    let mut rng = Rng::new(7);
    let env = TestEnv::empty();
    // A first part, committed.
    let first = generate_corpus(&env.corpus().join("a"), 20, &mut rng);
    let committed = first.article_count() as u64;
    let summary = env.index_corpus();
    assert_eq!(summary["articles_total"], committed);
    // Much more to do, committed only at the end: a long first run.
    generate_corpus(&env.corpus().join("b"), 6_000, &mut rng);
    let index = env.index();
    let mut first_indexer =
        spawn_indexer(env.dir.path(), &index, &env.corpus(), &["--threads", "1"]);
    let pid = first_indexer.id();
    // It records its pid once it holds the lock.
    let deadline = Instant::now() + Duration::from_secs(30);
    while std::fs::read_to_string(index.join(".newsdex-writer.pid")).ok() != Some(pid.to_string()) {
        assert!(
            Instant::now() < deadline,
            "first indexer never took the lock"
        );
        assert!(
            first_indexer.try_wait().expect("poll").is_none(),
            "first indexer ended before taking the lock"
        );
        std::thread::sleep(Duration::from_millis(10));
    }

    let started = Instant::now();
    let second = env.run(&["index", env.corpus().to_str().expect("utf-8 temp path")]);
    let waited = started.elapsed();
    let search = env.search(&["--limit", "100000"]);
    let still_running = first_indexer.try_wait().expect("poll").is_none();
    let _ = first_indexer.kill();
    let _ = first_indexer.wait();
    assert!(
        still_running,
        "the first indexer finished too early for this test to mean anything"
    );

    second.expect_code(2);
    assert!(
        second.stderr.contains("locked by another") && second.stderr.contains(&pid.to_string()),
        "{}",
        second.stderr
    );
    assert!(
        waited < Duration::from_secs(5),
        "second indexer waited {waited:?}"
    );
    assert_eq!(
        search["total"], committed,
        "search during indexing: {search}"
    );
}

/// Mounts a tmpfs of `size` at `dir` and unmounts it when dropped.
struct Tmpfs {
    dir: PathBuf,
}

impl Tmpfs {
    fn mount(dir: &Path, size: &str) -> Result<Tmpfs, String> {
        std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
        let out = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir)
            .output()
            .map_err(|e| format!("cannot run mount: {e}"))?;
        if !out.status.success() {
            return Err(String::from_utf8_lossy(&out.stderr).trim().to_string());
        }
        Ok(Tmpfs {
            dir: dir.to_path_buf(),
        })
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.dir).status();
    }
}

/// Articles with long bodies of varied words, so the index grows fast.
fn write_bulky_corpus(dir: &Path, files: usize, rng: &mut Rng) {
    std::fs::create_dir_all(dir).expect("create corpus");
    for i in 0..files {
        let mut body = String::new();
        for _ in 0..400 {
            body.push_str(&format!("w{:x} ", rng.next()));
        }
        std::fs::write(
            dir.join(format!("bulk{i:05}.txt")),
            format!("Bulk report {i}\n\n{body}\n"),
        )
        .expect("write bulky article");
    }
}

/// Asserts the index opens and holds `expected` articles; returns the
/// search total as a second opinion.
fn assert_index_at(env: &TestEnv, expected: u64) {
    let articles = indexed_articles(&env.index()).expect("index after the failure");
    assert_eq!(articles.len() as u64, expected);
    let search = env.search(&["--limit", "1"]);
    assert_eq!(search["total"], expected, "{search}");
}

/// A disk that fills up mid-run: the error names the cause and the index
/// folder; the index stays at its last commit and still opens.
#[test]
fn full_disk_reports_the_cause_and_keeps_the_last_commit() {
    let env = TestEnv::empty();
    let tmpfs = match Tmpfs::mount(&env.index(), "3m") {
        Ok(t) => t,
        Err(e) => {
            eprintln!("skipped: cannot mount a small tmpfs for the index ({e})");
            return;
        }
    };
    eprintln!("mounted a 3 MB tmpfs at {}", tmpfs.dir.display());
    let mut rng = Rng::new(11);
    generate_corpus(&env.corpus().join("a"), 10, &mut rng);
    let committed = env.index_corpus()["articles_total"]
        .as_u64()
        .expect("total");
    write_bulky_corpus(&env.corpus().join("b"), 800, &mut rng);

    let run = env.run(&[
        "index",
        env.corpus().to_str().expect("utf-8 temp path"),
        "--commit-every",
        "300",
        "--threads",
        "1",
        "--memory-mb",
        "15",
    ]);
    run.expect_code(2);
    eprintln!("error: {}", run.stderr.trim());
    assert!(
        run.stderr.contains("No space left on device"),
        "the cause is not named: {}",
        run.stderr
    );
    assert!(
        run.stderr.contains(env.index().to_str().expect("utf-8")),
        "the index folder is not named: {}",
        run.stderr
    );
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    // Commits may have landed before the disk filled up; each is complete.
    let articles = indexed_articles(&env.index()).expect("index after the failure");
    assert!(articles.len() as u64 >= committed);
    assert_index_at(&env, articles.len() as u64);
    drop(tmpfs);
}

/// Makes `dir` read-only in a way that binds root too: the immutable
/// attribute when `chattr` works, else plain permissions. Returns a note
/// saying which, or `None` when neither binds this process.
fn make_read_only(dir: &Path) -> Option<&'static str> {
    let chattr = Command::new("chattr").arg("+i").arg(dir).output();
    if chattr.is_ok_and(|o| o.status.success()) {
        return Some("chattr +i (immutable folder)");
    }
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o555)).ok()?;
    // Root ignores permissions: check that they bind.
    let probe = dir.join(".newsdex-probe");
    if std::fs::write(&probe, b"x").is_ok() {
        let _ = std::fs::remove_file(&probe);
        return None;
    }
    Some("chmod 555")
}

fn make_writable(dir: &Path) {
    let _ = Command::new("chattr").arg("-i").arg(dir).output();
    use std::os::unix::fs::PermissionsExt;
    let _ = std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o755));
}

/// An index folder made read-only in the middle of a run: a clear error,
/// the index stays at its last commit and still opens; once writable
/// again, a re-run completes.
#[test]
fn index_folder_made_read_only_mid_run_keeps_the_last_commit() {
    let mut rng = Rng::new(13);
    let env = TestEnv::empty();
    let corpus = generate_corpus(&env.corpus(), 1_200, &mut rng);
    let index = env.index();
    let mut child = spawn_indexer(
        env.dir.path(),
        &index,
        &env.corpus(),
        &["--commit-every", "200", "--threads", "1"],
    );
    // Wait for the first commit of this run, then pull the rug.
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        assert!(Instant::now() < deadline, "no commit within a minute");
        if child.try_wait().expect("poll").is_some() {
            eprintln!("skipped: the indexer finished before the folder could be made read-only");
            return;
        }
        let meta = std::fs::read_to_string(index.join("meta.json")).unwrap_or_default();
        if meta.contains("\"segments\": [\n    {") || meta.contains("\"segment_id\"") {
            break;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    let Some(how) = make_read_only(&index) else {
        let _ = child.kill();
        let _ = child.wait();
        eprintln!("skipped: cannot make a folder read-only for this process (no chattr, and permissions are not enforced)");
        return;
    };
    eprintln!("made the index folder read-only mid-run with {how}");
    let output = child.wait_with_output().expect("wait for indexer");
    let stderr = String::from_utf8_lossy(&output.stderr).to_string();
    let result = std::panic::catch_unwind(|| {
        assert_eq!(output.status.code(), Some(2), "{stderr}");
        eprintln!("error: {}", stderr.trim());
        assert!(
            stderr.contains("Operation not permitted") || stderr.contains("Permission denied"),
            "the cause is not named: {stderr}"
        );
        assert!(
            stderr.contains(index.to_str().expect("utf-8")),
            "the index folder is not named: {stderr}"
        );
        assert!(!stderr.contains("panicked"), "{stderr}");
        // Still read-only: the index opens and searches at its last commit.
        let k = check_committed_prefix(&index, &corpus).expect("index while read-only");
        eprintln!("read-only index opens with the first {k} files");
        k
    });
    make_writable(&index);
    let k = result.unwrap_or_else(|e| std::panic::resume_unwind(e));
    assert!(k > 0);
    let summary = env.index_corpus();
    assert_eq!(summary["articles_total"], corpus.article_count());
    assert_eq!(
        check_committed_prefix(&index, &corpus),
        Ok(corpus.files.len())
    );
}
