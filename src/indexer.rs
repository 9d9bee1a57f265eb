//! Building and updating the index from a corpus folder.
//!
//! The unit of change is the source file: every article carries its file's
//! path and content hash, so a re-run re-parses only files whose bytes
//! changed, deletes the articles of files that are gone, and leaves the
//! rest alone. A producer thread walks the corpus in batches of files,
//! asks the system to read the next batch ahead from disk, and has the
//! worker pool read, parse and entity-tag two batches at a time; it stays
//! a bounded number of batches ahead (memory stays bounded whatever the
//! corpus size), and the calling thread feeds the batches, in walk order,
//! to one tantivy writer and commits.
//!
//! What could not be indexed is reported, never dropped: per-record problems
//! of unchanged files are remembered in the commit payload so that every
//! run's summary accounts for every file.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::Instant;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use tantivy::directory::MmapDirectory;
use tantivy::indexer::LogMergePolicy;
use tantivy::schema::TantivyDocument;
use tantivy::{Index, IndexWriter, Term};

use crate::aliases::{self, Aliases};
use crate::corpus::{self, Format, ParseOptions, WalkEntry};
use crate::error::{Error, Result};
use crate::guard;
use crate::schema::{self, name_key, FacetKind, Fields, SCHEMA_VERSION};
use crate::{Article, Entities};

/// How to build or update an index.
#[derive(Debug, Clone)]
pub struct IndexOptions {
    /// Folder of article files.
    pub corpus: PathBuf,
    /// Index folder (created when missing).
    pub index: PathBuf,
    /// Delete every article first and index the corpus afresh.
    pub rebuild: bool,
    /// Indexing threads for tantivy's writer and for parsing; 0 = all cores.
    pub threads: usize,
    /// Total memory budget of tantivy's writer, in MB (at least 15 per thread).
    pub memory_mb: usize,
    /// Run entity extraction (off for raw-text benchmarks).
    pub extract_entities: bool,
    /// Bodies longer than this are truncated, with a warning.
    pub max_body_bytes: usize,
    /// Commit after this many added articles, so an interrupted run keeps its work.
    pub commit_every: usize,
}

impl IndexOptions {
    /// Options with the defaults used by the command line.
    pub fn new(corpus: impl Into<PathBuf>, index: impl Into<PathBuf>) -> IndexOptions {
        IndexOptions {
            corpus: corpus.into(),
            index: index.into(),
            rebuild: false,
            threads: 0,
            memory_mb: 256,
            extract_entities: true,
            max_body_bytes: ParseOptions::default().max_body_bytes,
            commit_every: 100_000,
        }
    }
}

/// Article counts of one run.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleCounts {
    pub added: u64,
    pub updated: u64,
    pub removed: u64,
    pub unchanged: u64,
}

/// A file or record that was not indexed, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SkippedEntry {
    /// The file's path relative to the corpus root (`#LINE` or `#RECORD` for one record).
    pub path: String,
    pub reason: String,
}

/// What one indexing run did; `--json` prints it as is.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct IndexSummary {
    pub files_seen: u64,
    pub articles: ArticleCounts,
    pub articles_total: u64,
    pub skipped: Vec<SkippedEntry>,
    pub elapsed_ms: f64,
    /// Non-fatal notes (truncated bodies, unparseable dates); shown on stderr.
    #[serde(skip)]
    pub warnings: Vec<SkippedEntry>,
    /// Number of index segments after the run.
    #[serde(skip)]
    pub segments: usize,
    /// Lone surnames that stand for a full name across the archive
    /// ([`Aliases`]).
    pub person_aliases: usize,
    /// Organisation names that stand for another across the archive: a
    /// shortened name for the full one, a spelled-out name for its acronym,
    /// a spelling for the same name otherwise punctuated.
    pub org_aliases: usize,
    /// "Persons" the archive names as an organisation far more often,
    /// counted as that organisation.
    pub persons_as_orgs: usize,
}

/// Progress notifications, for a progress bar.
#[derive(Debug, Clone, Copy)]
pub struct Progress {
    pub files_seen: u64,
    pub articles_indexed: u64,
    pub bytes_read: u64,
}

/// What is remembered between runs in the commit payload.
#[derive(Debug, Default, Serialize, Deserialize)]
struct CommitState {
    schema_version: u32,
    /// Problems found in files that are otherwise indexed (or fully
    /// skipped), keyed by path, with the hash they were found at.
    #[serde(default)]
    problems: BTreeMap<String, FileProblems>,
}

#[derive(Debug, Default, Clone, Serialize, Deserialize)]
struct FileProblems {
    hash: u64,
    skipped: Vec<SkippedEntry>,
}

/// What the index holds for one source file.
#[derive(Debug, Default)]
struct IndexedFile {
    hash: u64,
    ids: Vec<String>,
}

/// The result of reading one file, computed in parallel.
enum FileOutcome {
    Unchanged { rel_path: String, hash: u64 },
    Changed(ParsedFile),
    Skipped(SkippedEntry),
}

struct ParsedFile {
    rel_path: String,
    hash: u64,
    bytes: u64,
    articles: Vec<(Article, Entities)>,
    skipped: Vec<SkippedEntry>,
    warnings: Vec<SkippedEntry>,
}

/// Longest time between commits on a long run, whatever `commit_every` says:
/// an interrupted run loses at most this much work (a commit costs tens of
/// milliseconds, so this is noise on a run long enough to reach it).
const COMMIT_INTERVAL: std::time::Duration = std::time::Duration::from_secs(60);

/// Files handled per parallel batch: large enough to keep both cores busy,
/// small enough that memory stays bounded.
const BATCH_FILES: usize = 256;

/// Builds or updates the index at `options.index` from `options.corpus`.
pub fn build_index(
    options: &IndexOptions,
    mut progress: impl FnMut(Progress),
) -> Result<IndexSummary> {
    let started = Instant::now();
    let corpus_meta = std::fs::metadata(&options.corpus).map_err(|e| Error::CorpusUnreadable {
        path: options.corpus.clone(),
        reason: e.to_string(),
    })?;
    if !corpus_meta.is_dir() {
        return Err(Error::CorpusUnreadable {
            path: options.corpus.clone(),
            reason: "not a folder".into(),
        });
    }

    let index = open_or_create(&options.index, options.rebuild)?;
    let fields = Fields::resolve(&index.schema()).map_err(|e| tantivy_error(&options.index, e))?;
    let previous = if options.rebuild {
        CommitState::default()
    } else {
        read_commit_state(&index, &options.index)?
    };
    // Rebuilt as files are visited, so problems of vanished files drop out.
    let mut state = CommitState {
        schema_version: SCHEMA_VERSION,
        problems: BTreeMap::new(),
    };

    let threads = effective_threads(options.threads);
    let mut writer = open_writer(&index, &options.index, threads, options.memory_mb)?;
    let mut merge_policy = LogMergePolicy::default();
    // Bulk loads produce many small segments; merging them early keeps
    // searches fast without rewriting big segments over and over.
    merge_policy.set_min_num_segments(6);
    writer.set_merge_policy(Box::new(merge_policy));

    let previous_files: HashMap<String, IndexedFile> = if options.rebuild {
        writer
            .delete_all_documents()
            .map_err(|e| tantivy_error(&options.index, e))?;
        HashMap::new()
    } else {
        read_indexed_files(&index).map_err(|e| tantivy_error(&options.index, e))?
    };

    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| Error::Io {
            context: "starting worker threads".into(),
            source: std::io::Error::other(e.to_string()),
        })?;
    let parse_options = ParseOptions {
        max_body_bytes: options.max_body_bytes,
    };

    let mut summary = IndexSummary::default();
    let mut since_commit = 0usize;
    let mut last_commit = Instant::now();
    let mut bytes_read = 0u64;
    let mut articles_indexed = 0u64;
    // Files the index held before this run; those never visited are gone.
    let known_files = &previous_files;
    let mut visited: HashSet<&str> = HashSet::new();

    // A producer thread walks, reads, parses and extracts entities in
    // batches on the worker pool, up to `BATCHES_AHEAD` batches ahead of
    // this thread, which feeds the index writer and commits: the workers
    // keep going while a commit waits for the writer to flush.
    let (sender, batches) = std::sync::mpsc::sync_channel::<Batch>(BATCHES_AHEAD);
    std::thread::scope(|scope| -> Result<()> {
        let (pool, parse_options) = (&pool, &parse_options);
        scope.spawn(move || {
            let read = |path: &Path, rel_path: &str| {
                read_file(
                    path,
                    rel_path,
                    known_files,
                    parse_options,
                    options.extract_entities,
                )
            };
            produce_batches(&options.corpus, pool, read, sender);
        });
        // An early return drops `batches`, which stops the producer.
        for batch in batches {
            summary.files_seen += batch.files_seen;
            summary.skipped.extend(batch.problems);
            for outcome in batch.outcomes {
                match outcome {
                    FileOutcome::Unchanged { rel_path, hash } => {
                        if let Some(file) = visit(known_files, &mut visited, &rel_path) {
                            summary.articles.unchanged += file.ids.len() as u64;
                        }
                        if let Some(problems) =
                            previous.problems.get(&rel_path).filter(|p| p.hash == hash)
                        {
                            summary.skipped.extend(problems.skipped.iter().cloned());
                            state.problems.insert(rel_path, problems.clone());
                        }
                    }
                    FileOutcome::Skipped(entry) => {
                        // A file that can no longer be read loses its old articles.
                        if let Some(old) = visit(known_files, &mut visited, &entry.path) {
                            writer.delete_term(Term::from_field_text(fields.path, &entry.path));
                            summary.articles.removed += old.ids.len() as u64;
                        }
                        summary.skipped.push(entry);
                    }
                    FileOutcome::Changed(parsed) => {
                        bytes_read += parsed.bytes;
                        let old = visit(known_files, &mut visited, &parsed.rel_path);
                        let added = apply_changed_file(
                            &writer,
                            &fields,
                            old,
                            &mut summary,
                            &mut state,
                            parsed,
                            &options.index,
                        )
                        .map_err(|e| with_worker_cause(&mut writer, e))?;
                        articles_indexed += added as u64;
                        since_commit += added;
                    }
                }
            }
            progress(Progress {
                files_seen: summary.files_seen,
                articles_indexed,
                bytes_read,
            });
            let commit_due = since_commit >= options.commit_every
                || (since_commit > 0 && last_commit.elapsed() >= COMMIT_INTERVAL);
            if commit_due {
                // Files not visited yet keep the problems recorded last time;
                // entries are keyed by content hash, so stale ones never match.
                let mut interim = CommitState {
                    schema_version: SCHEMA_VERSION,
                    problems: previous.problems.clone(),
                };
                interim.problems.extend(state.problems.clone());
                commit(&mut writer, &interim, &options.index)?;
                since_commit = 0;
                last_commit = Instant::now();
            }
        }
        Ok(())
    })?;

    // Files that disappeared take their articles with them.
    for (path, old) in known_files {
        if !visited.contains(path.as_str()) {
            writer.delete_term(Term::from_field_text(fields.path, path));
            summary.articles.removed += old.ids.len() as u64;
        }
    }

    commit(&mut writer, &state, &options.index)?;
    writer
        .wait_merging_threads()
        .map_err(|e| tantivy_error(&options.index, e))?;

    let reader = index
        .reader()
        .map_err(|e| tantivy_error(&options.index, e))?;
    let searcher = reader.searcher();
    summary.articles_total = searcher.num_docs();
    summary.segments = searcher.segment_readers().len();
    let aliases = pool.install(|| aliases_of(&searcher, &fields, &options.index, &summary))?;
    summary.person_aliases = aliases.count(FacetKind::Person);
    summary.org_aliases = aliases.count(FacetKind::Org);
    summary.persons_as_orgs = aliases.persons_as_orgs();
    summary.elapsed_ms = started.elapsed().as_secs_f64() * 1000.0;
    Ok(summary)
}

/// Works out the archive's aliases and saves them beside the index. A run
/// that changed nothing keeps the saved ones (streaming a million-article
/// archive's names takes a second or two), unless they are missing,
/// damaged or worked out by older rules.
fn aliases_of(
    searcher: &tantivy::Searcher,
    fields: &Fields,
    index_path: &Path,
    summary: &IndexSummary,
) -> Result<Aliases> {
    let a = &summary.articles;
    let changed = a.added + a.updated + a.removed > 0;
    if !changed && index_path.join(aliases::FILE_NAME).exists() {
        match Aliases::load(index_path) {
            Ok(saved) if saved.is_current() => return Ok(saved),
            _ => {}
        }
    }
    let aliases = Aliases::compute(searcher, fields.entity, fields.body)
        .map_err(|e| tantivy_error(index_path, e))?;
    aliases.save(index_path)?;
    Ok(aliases)
}

/// Batches of files the producer thread sends ahead of the writer: enough
/// to cover a commit, few enough that memory stays bounded.
const BATCHES_AHEAD: usize = 2;

/// One batch of the walk, read and parsed.
struct Batch {
    /// Files and folders visited, including unreadable ones.
    files_seen: u64,
    /// What the walk could not enter or read.
    problems: Vec<SkippedEntry>,
    outcomes: Vec<FileOutcome>,
}

/// Batches read at once. The pool starts on the next batch while the
/// last files of one are still being read, so that a core does not wait
/// for a batch's slowest file while the writer has nothing left to index.
const BATCHES_IN_FLIGHT: usize = 2;

/// Walks `corpus` and sends its files in batches of [`BATCH_FILES`], in
/// walk order, each read in parallel on `pool`, [`BATCHES_IN_FLIGHT`] at
/// a time; stops early when the receiver is gone.
fn produce_batches(
    corpus: &Path,
    pool: &rayon::ThreadPool,
    read: impl Fn(&Path, &str) -> FileOutcome + Sync,
    sender: std::sync::mpsc::SyncSender<Batch>,
) {
    let read = &read;
    let mut walk = corpus::walk(corpus);
    // In place: this thread walks and waits for batches; only the reading
    // runs on the pool's threads.
    pool.in_place_scope(|scope| {
        let mut in_flight = std::collections::VecDeque::with_capacity(BATCHES_IN_FLIGHT);
        // The batch after those in flight, its files being read ahead.
        let mut upcoming = Some(next_batch(&mut walk));
        loop {
            while in_flight.len() < BATCHES_IN_FLIGHT {
                let Some((files, mut batch)) = upcoming.take() else {
                    break;
                };
                // A batch short of files is the walk's last.
                if files.len() == BATCH_FILES {
                    upcoming = Some(next_batch(&mut walk));
                }
                let (done, outcome) = std::sync::mpsc::sync_channel::<Batch>(1);
                scope.spawn(move |_| {
                    batch.outcomes = files
                        .par_iter()
                        .map(|(path, rel_path)| read(path, rel_path))
                        .collect();
                    // Nobody waits for it when the writer hung up.
                    let _ = done.send(batch);
                });
                in_flight.push_back(outcome);
            }
            // A batch whose reading panicked has no result; the scope
            // passes the panic on once the other batches are done.
            let Some(Ok(batch)) = in_flight.pop_front().map(|outcome| outcome.recv()) else {
                return;
            };
            if sender.send(batch).is_err() {
                return;
            }
        }
    });
}

/// The next [`BATCH_FILES`] files of the walk (fewer at its end), already
/// being read ahead, and the batch that will hold their outcomes (with the
/// walk's problems among them).
fn next_batch(walk: &mut impl Iterator<Item = WalkEntry>) -> (Vec<(PathBuf, String)>, Batch) {
    let mut files = Vec::with_capacity(BATCH_FILES);
    let mut batch = Batch {
        files_seen: 0,
        problems: Vec::new(),
        outcomes: Vec::new(),
    };
    while files.len() < BATCH_FILES {
        match walk.next() {
            Some(WalkEntry::File { path, rel_path }) => {
                batch.files_seen += 1;
                files.push((path, rel_path));
            }
            Some(WalkEntry::Problem { path, reason }) => {
                batch.files_seen += 1;
                batch.problems.push(SkippedEntry { path, reason });
            }
            None => break,
        }
    }
    corpus::read_ahead(files.iter().map(|(path, _)| path.as_path()));
    (files, batch)
}

/// The previous run's record of `rel_path` the first time this run visits
/// it; `None` for new files and on later visits.
fn visit<'p>(
    known: &'p HashMap<String, IndexedFile>,
    visited: &mut HashSet<&'p str>,
    rel_path: &str,
) -> Option<&'p IndexedFile> {
    let (path, file) = known.get_key_value(rel_path)?;
    visited.insert(path.as_str()).then_some(file)
}

/// Reads, hashes and (when changed) parses one file and extracts entities.
fn read_file(
    path: &Path,
    rel_path: &str,
    indexed: &HashMap<String, IndexedFile>,
    parse_options: &ParseOptions,
    extract_entities: bool,
) -> FileOutcome {
    let skipped = |reason: String| {
        FileOutcome::Skipped(SkippedEntry {
            path: rel_path.to_string(),
            reason,
        })
    };
    let Some(format) = Format::from_path(path) else {
        return skipped(
            "unsupported file type (supported: .txt .md .json .jsonl .ndjson .html .htm .sgm)"
                .into(),
        );
    };
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) => return skipped(format!("cannot read file: {e}")),
    };
    let hash = xxhash_rust::xxh3::xxh3_64(&bytes);
    if indexed.get(rel_path).is_some_and(|file| file.hash == hash) {
        return FileOutcome::Unchanged {
            rel_path: rel_path.to_string(),
            hash,
        };
    }
    let parsed = match guard::catch(|| corpus::parse(format, rel_path, &bytes, parse_options)) {
        Ok(Ok(parsed)) => parsed,
        Ok(Err(e)) => return skipped(e.reason()),
        Err(bug) => return skipped(internal_error("reading the file", &bug)),
    };
    let to_entry = |s: corpus::Skipped| SkippedEntry {
        path: s.location,
        reason: s.reason,
    };
    let skipped_records: Vec<SkippedEntry> = parsed.skipped.into_iter().map(to_entry).collect();
    if parsed.articles.is_empty() && skipped_records.is_empty() {
        return skipped(format!("no article found in this {} file", format.name()));
    }
    let mut warnings: Vec<SkippedEntry> = parsed.warnings.into_iter().map(to_entry).collect();
    let articles = parsed
        .articles
        .into_iter()
        .map(|article| {
            if !extract_entities {
                return (article, Entities::default());
            }
            // An article that trips a bug is still indexed, without entities.
            let entities =
                guard::catch(|| crate::entities::extract(&article)).unwrap_or_else(|bug| {
                    warnings.push(SkippedEntry {
                        path: article.id.clone(),
                        reason: internal_error("extracting entities; indexed without them", &bug),
                    });
                    Entities::default()
                });
            (article, entities)
        })
        .collect();
    FileOutcome::Changed(ParsedFile {
        rel_path: rel_path.to_string(),
        hash,
        bytes: bytes.len() as u64,
        articles,
        skipped: skipped_records,
        warnings,
    })
}

/// How a bug caught while working on a file or article is reported.
fn internal_error(step: &str, bug: &str) -> String {
    format!("internal error while {step} ({bug}); this is a bug in newsdex, please report it")
}

/// Replaces the articles of one changed file; returns the number added.
fn apply_changed_file(
    writer: &IndexWriter,
    fields: &Fields,
    old: Option<&IndexedFile>,
    summary: &mut IndexSummary,
    state: &mut CommitState,
    parsed: ParsedFile,
    index_path: &Path,
) -> Result<usize> {
    let old_ids: HashSet<&str> = match old {
        Some(old) => {
            writer.delete_term(Term::from_field_text(fields.path, &parsed.rel_path));
            old.ids.iter().map(String::as_str).collect()
        }
        None => HashSet::new(),
    };
    let mut new_ids = Vec::with_capacity(parsed.articles.len());
    for (article, entities) in &parsed.articles {
        let doc = to_document(fields, article, entities, parsed.hash);
        writer
            .add_document(doc)
            .map_err(|e| tantivy_error(index_path, e))?;
        if old_ids.contains(article.id.as_str()) {
            summary.articles.updated += 1;
        } else {
            summary.articles.added += 1;
        }
        new_ids.push(article.id.clone());
    }
    let kept: HashSet<&str> = new_ids.iter().map(String::as_str).collect();
    summary.articles.removed += old_ids.iter().filter(|id| !kept.contains(*id)).count() as u64;

    if !parsed.skipped.is_empty() {
        state.problems.insert(
            parsed.rel_path.clone(),
            FileProblems {
                hash: parsed.hash,
                skipped: parsed.skipped.clone(),
            },
        );
    }
    summary.skipped.extend(parsed.skipped);
    summary.warnings.extend(parsed.warnings);
    Ok(new_ids.len())
}

/// A failed indexing thread (full disk, read-only folder) makes
/// `add_document` report only that "an index writer was killed"; the cause
/// is in the thread's result, which joining the threads returns. Nothing is
/// committed: the index stays at its last commit.
fn with_worker_cause(writer: &mut IndexWriter, error: Error) -> Error {
    let Error::Index {
        path,
        cause: tantivy::TantivyError::ErrorInThread(_),
    } = &error
    else {
        return error;
    };
    match writer.prepare_commit() {
        Err(cause) => tantivy_error(path, cause),
        Ok(_uncommitted) => error,
    }
}

/// Turns an article and its entities into a tantivy document.
pub fn to_document(
    fields: &Fields,
    article: &Article,
    entities: &Entities,
    file_hash: u64,
) -> TantivyDocument {
    let mut doc = TantivyDocument::default();
    doc.add_text(fields.id, &article.id);
    doc.add_text(fields.path, &article.path);
    doc.add_u64(fields.file_hash, file_hash);
    doc.add_text(fields.title, &article.title);
    doc.add_text(fields.body, &article.body);
    if let Some(date) = article.date {
        let seconds = date.timestamp();
        doc.add_date(fields.date, tantivy::DateTime::from_timestamp_secs(seconds));
    }
    let optional = [
        (fields.source, &article.source),
        (fields.url, &article.url),
        (fields.author, &article.author),
    ];
    for (field, value) in optional {
        if let Some(value) = value {
            doc.add_text(field, value);
        }
    }
    for tag in &article.tags {
        doc.add_text(fields.tags, tag);
    }
    for place in &article.tag_places {
        doc.add_text(fields.tag_places, place);
    }
    for person in &article.tag_people {
        doc.add_text(fields.tag_people, person);
    }
    let mut keys = HashSet::new();
    let mut add_entity = |doc: &mut TantivyDocument, kind: FacetKind, value: &str| {
        // One facet value per key, so that an article writing "Fed" and
        // "FED" counts once; the first spelling is shown.
        let key = name_key(value);
        if keys.insert((kind, key.clone())) {
            doc.add_facet(fields.entity, kind.facet(&key));
            doc.add_text(fields.entity_name, kind.stored_name(value));
            if kind.usual_spelling(&key) != value {
                doc.add_text(fields.entity_spelling, kind.spelling_term(&key, value));
            }
        }
    };
    for person in &entities.persons {
        doc.add_text(fields.person, person);
        add_entity(&mut doc, FacetKind::Person, person);
    }
    for country in &entities.countries {
        // Both the name and the code are searchable: `country:qatar`, `country:qa`.
        doc.add_text(fields.country, &country.name);
        doc.add_text(fields.country, &country.code);
        add_entity(&mut doc, FacetKind::Country, &country.name);
    }
    for org in &entities.orgs {
        doc.add_text(fields.org, org);
        add_entity(&mut doc, FacetKind::Org, org);
    }
    // Places are searchable (`place:cairo`) but not a facet: nothing counts
    // or shows them, and every facet value costs decoding time in each
    // faceted search that matches the article.
    for place in &entities.places {
        doc.add_text(fields.place, place);
    }
    doc
}

/// Opens the index at `path`, creating it (and the folder) when missing.
fn open_or_create(path: &Path, rebuild: bool) -> Result<Index> {
    match open_or_create_once(path) {
        // `--rebuild` is what the incompatibility message recommends, so it
        // must work: the old index files go, and a new index is created.
        Err(Error::IndexIncompatible { .. }) if rebuild => {
            remove_index_files(path)?;
            open_or_create_once(path)
        }
        other => other,
    }
}

/// Deletes the files of a tantivy index in `path` (meta files and segment
/// files named by 32-hex-digit ids), leaving anything else in the folder.
fn remove_index_files(path: &Path) -> Result<()> {
    let io_error = |e: std::io::Error| Error::Io {
        context: format!("removing the old index in {}", path.display()),
        source: e,
    };
    for entry in std::fs::read_dir(path).map_err(io_error)? {
        let entry = entry.map_err(io_error)?;
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let stem = name.split('.').next().unwrap_or_default();
        let segment_file = stem.len() == 32 && stem.chars().all(|c| c.is_ascii_hexdigit());
        let meta_file = matches!(name.as_ref(), "meta.json" | ".managed.json" | PID_FILE);
        if (segment_file || meta_file) && entry.file_type().map_err(io_error)?.is_file() {
            std::fs::remove_file(entry.path()).map_err(io_error)?;
        }
    }
    Ok(())
}

fn open_or_create_once(path: &Path) -> Result<Index> {
    std::fs::create_dir_all(path).map_err(|e| Error::Io {
        context: format!("creating index folder {}", path.display()),
        source: e,
    })?;
    let directory = MmapDirectory::open(path).map_err(|e| Error::Io {
        context: format!("opening index folder {}", path.display()),
        source: std::io::Error::other(e.to_string()),
    })?;
    let exists = Index::exists(&directory).map_err(|e| Error::Io {
        context: format!("opening index folder {}", path.display()),
        source: std::io::Error::other(e.to_string()),
    })?;
    let index = if exists {
        let index = Index::open(directory).map_err(|e| tantivy_error(path, e))?;
        check_compatible(&index, path)?;
        index
    } else {
        Index::create(directory, schema::build(), index_settings())
            .map_err(|e| tantivy_error(path, e))?
    };
    crate::analyzer::register(&index);
    Ok(index)
}

/// Docstore block size: stored title and body are most of the index, and
/// zstd on 64 KB blocks stores them in well under two thirds of the space of
/// tantivy's default (LZ4, 16 KB) while a top-10 page still decompresses in
/// well under a millisecond (128 KB blocks were as small at level 3 but
/// added 0.8 ms to every page of hits at 1M articles).
const DOCSTORE_BLOCK_BYTES: usize = 64 * 1024;

/// zstd level of the docstore. Level 3 rather than 9: on 100k generated
/// articles, `--no-entities` builds take 25% less time (30% less CPU) and
/// builds with entities 7–17% less (alternating runs), for a 2.5% larger
/// index: compression competes with parsing and tagging for two cores.
const DOCSTORE_ZSTD_LEVEL: i32 = 3;

/// Settings of a new index.
fn index_settings() -> tantivy::IndexSettings {
    tantivy::IndexSettings {
        docstore_compression: tantivy::store::Compressor::Zstd(tantivy::store::ZstdCompressor {
            compression_level: Some(DOCSTORE_ZSTD_LEVEL),
        }),
        docstore_blocksize: DOCSTORE_BLOCK_BYTES,
        ..tantivy::IndexSettings::default()
    }
}

/// Opens an existing index for searching, checking that this version can read it.
pub fn open_existing(path: &Path) -> Result<Index> {
    let meta_exists = path.join("meta.json").try_exists().unwrap_or(false);
    if !meta_exists {
        return Err(Error::IndexMissing {
            path: path.to_path_buf(),
        });
    }
    let index = Index::open_in_dir(path).map_err(|e| tantivy_error(path, e))?;
    check_compatible(&index, path)?;
    crate::analyzer::register(&index);
    Ok(index)
}

/// Fails with a "rebuild" message when the index was made by another schema version.
fn check_compatible(index: &Index, path: &Path) -> Result<()> {
    let incompatible = |found: String| Error::IndexIncompatible {
        path: path.to_path_buf(),
        found,
        expected: SCHEMA_VERSION,
    };
    if Fields::resolve(&index.schema()).is_err() || index.schema() != schema::build() {
        return Err(incompatible("a different schema".into()));
    }
    let state = read_commit_state(index, path)?;
    // A fresh index with no commit yet has version 0 and nothing to misread.
    if state.schema_version != 0 && state.schema_version != SCHEMA_VERSION {
        return Err(incompatible(format!("schema {}", state.schema_version)));
    }
    Ok(())
}

fn read_commit_state(index: &Index, path: &Path) -> Result<CommitState> {
    let metas = index.load_metas().map_err(|e| tantivy_error(path, e))?;
    match metas.payload {
        None => Ok(CommitState::default()),
        Some(payload) => serde_json::from_str(&payload).map_err(|_| Error::IndexIncompatible {
            path: path.to_path_buf(),
            found: "an unreadable commit note".into(),
            expected: SCHEMA_VERSION,
        }),
    }
}

fn commit(writer: &mut IndexWriter, state: &CommitState, index_path: &Path) -> Result<()> {
    let payload = serde_json::to_string(state).map_err(|e| Error::Io {
        context: "recording index state".into(),
        source: std::io::Error::other(e.to_string()),
    })?;
    let mut prepared = writer
        .prepare_commit()
        .map_err(|e| tantivy_error(index_path, e))?;
    prepared.set_payload(&payload);
    prepared
        .commit()
        .map_err(|e| tantivy_error(index_path, e))?;
    Ok(())
}

fn open_writer(
    index: &Index,
    path: &Path,
    threads: usize,
    memory_mb: usize,
) -> Result<IndexWriter> {
    const MIN_MB_PER_THREAD: usize = 15;
    let budget_mb = memory_mb.max(MIN_MB_PER_THREAD * threads);
    match index.writer_with_num_threads(threads, budget_mb * 1_000_000) {
        Ok(writer) => {
            write_pid_file(path);
            Ok(writer)
        }
        Err(tantivy::TantivyError::LockFailure(..)) => Err(Error::IndexLocked {
            path: path.to_path_buf(),
            pid: read_pid_file(path)
                .map(|pid| format!(" (pid {pid})"))
                .unwrap_or_default(),
        }),
        Err(e) => Err(tantivy_error(path, e)),
    }
}

/// Records who holds the writer lock, so a second indexer can say.
const PID_FILE: &str = ".newsdex-writer.pid";

fn write_pid_file(index_path: &Path) {
    // Best effort: the pid only improves an error message.
    let _ = std::fs::write(index_path.join(PID_FILE), std::process::id().to_string());
}

fn read_pid_file(index_path: &Path) -> Option<u32> {
    std::fs::read_to_string(index_path.join(PID_FILE))
        .ok()?
        .trim()
        .parse()
        .ok()
}

/// Reads path → (hash, ids) for every live article from the fast fields;
/// no stored documents are touched, so this stays quick on large indexes.
fn read_indexed_files(index: &Index) -> tantivy::Result<HashMap<String, IndexedFile>> {
    let reader = index.reader()?;
    let searcher = reader.searcher();
    let mut files: HashMap<String, IndexedFile> = HashMap::new();
    let mut path_buf = String::new();
    let mut id_buf = String::new();
    for segment in searcher.segment_readers() {
        let fast = segment.fast_fields();
        let (Some(paths), Some(ids)) =
            (fast.str(schema::names::PATH)?, fast.str(schema::names::ID)?)
        else {
            continue;
        };
        let hashes = fast.u64(schema::names::FILE_HASH)?;
        let alive = segment.alive_bitset();
        for doc in 0..segment.max_doc() {
            if alive.is_some_and(|bits| !bits.is_alive(doc)) {
                continue;
            }
            let (Some(path_ord), Some(id_ord)) =
                (paths.term_ords(doc).next(), ids.term_ords(doc).next())
            else {
                continue;
            };
            path_buf.clear();
            id_buf.clear();
            paths.ord_to_str(path_ord, &mut path_buf)?;
            ids.ord_to_str(id_ord, &mut id_buf)?;
            let file = files.entry(path_buf.clone()).or_default();
            file.hash = hashes.first(doc).unwrap_or_default();
            file.ids.push(id_buf.clone());
        }
    }
    Ok(files)
}

fn effective_threads(requested: usize) -> usize {
    if requested > 0 {
        return requested;
    }
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .min(8)
}

pub(crate) fn tantivy_error(path: &Path, cause: tantivy::TantivyError) -> Error {
    Error::Index {
        path: path.to_path_buf(),
        cause,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::schema::Value;

    #[test]
    fn a_known_file_is_visited_once_and_unknown_files_never() {
        let mut known = HashMap::new();
        known.insert(
            "a.txt".to_string(),
            IndexedFile {
                hash: 7,
                ids: vec!["x".into()],
            },
        );
        let mut visited = HashSet::new();
        assert_eq!(
            visit(&known, &mut visited, "a.txt").map(|f| f.hash),
            Some(7)
        );
        assert!(visit(&known, &mut visited, "a.txt").is_none());
        assert!(visit(&known, &mut visited, "b.txt").is_none());
        assert_eq!(visited.len(), 1);
    }

    #[test]
    fn entities_become_facets_except_places_which_are_only_searchable() {
        let schema = crate::schema::build();
        let fields = Fields::resolve(&schema).expect("the newsdex schema");
        let article = Article {
            id: "a.txt".into(),
            path: "a.txt".into(),
            title: "Talks".into(),
            body: "William Burns flew to Cairo.".into(),
            ..Article::default()
        };
        let entities = Entities {
            persons: vec!["William Burns".into()],
            countries: vec![crate::article::Country {
                name: "Egypt".into(),
                code: "EG".into(),
            }],
            orgs: vec!["Fed".into(), "CIA".into(), "FED".into()],
            places: vec!["Cairo".into()],
        };
        let doc = to_document(&fields, &article, &entities, 1);
        let facets: Vec<String> = doc
            .get_all(fields.entity)
            .filter_map(|v| v.as_facet().map(str::to_string))
            .filter_map(|encoded| tantivy::schema::Facet::from_encoded(encoded.into_bytes()).ok())
            .map(|facet| facet.to_path_string())
            .collect();
        // Keys, one per value however it is spelled; the first spelling shows.
        assert_eq!(
            facets,
            [
                "/person/william burns",
                "/country/egypt",
                "/org/fed",
                "/org/cia"
            ]
        );
        let spellings: Vec<(FacetKind, &str)> = doc
            .get_all(fields.entity_name)
            .filter_map(|v| v.as_str())
            .filter_map(FacetKind::parse_stored_name)
            .collect();
        assert_eq!(
            spellings,
            [
                (FacetKind::Person, "William Burns"),
                (FacetKind::Country, "Egypt"),
                (FacetKind::Org, "Fed"),
                (FacetKind::Org, "CIA")
            ]
        );
        // Only the unusual spelling is indexed ("Fed" is usually "FED").
        let unusual: Vec<&str> = doc
            .get_all(fields.entity_spelling)
            .filter_map(|v| v.as_str())
            .collect();
        assert_eq!(unusual, [FacetKind::Org.spelling_term("fed", "Fed")]);
        let places: Vec<&str> = doc
            .get_all(fields.place)
            .filter_map(|v| v.as_str())
            .collect();
        assert_eq!(places, ["Cairo"]);
    }

    /// What `produce_batches` sent over `dir` when the receiver hangs up
    /// after `take` batches: batches received, files seen, the files of
    /// the outcomes in the order received, and how many files were read in
    /// all.
    fn produce(dir: &Path, take: usize) -> (usize, u64, Vec<String>, usize) {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(2)
            .build()
            .expect("a two-thread pool");
        let (sender, batches) = std::sync::mpsc::sync_channel(BATCHES_AHEAD);
        let reads = std::sync::atomic::AtomicUsize::new(0);
        let read = |_: &Path, rel_path: &str| {
            reads.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            FileOutcome::Unchanged {
                rel_path: rel_path.to_string(),
                hash: 0,
            }
        };
        let (mut count, mut seen, mut outcomes) = (0, 0, Vec::new());
        std::thread::scope(|scope| {
            let producer = scope.spawn(|| produce_batches(dir, &pool, read, sender));
            for batch in batches.iter().take(take) {
                count += 1;
                seen += batch.files_seen;
                outcomes.extend(batch.outcomes.into_iter().map(|outcome| match outcome {
                    FileOutcome::Unchanged { rel_path, .. } => rel_path,
                    _ => unreachable!("the test reader only reports unchanged files"),
                }));
            }
            drop(batches);
            producer.join().expect("the producer returns");
        });
        (count, seen, outcomes, reads.into_inner())
    }

    #[test]
    fn batches_cover_every_file_in_walk_order_and_stop_when_the_writer_hangs_up() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let files = BATCH_FILES * 8 + 3;
        for i in 0..files {
            std::fs::write(dir.path().join(format!("{i}.txt")), "Title\n\nBody.")
                .expect("a test file");
        }
        let walk_order: Vec<String> = corpus::walk(dir.path())
            .filter_map(|entry| match entry {
                WalkEntry::File { rel_path, .. } => Some(rel_path),
                WalkEntry::Problem { .. } => None,
            })
            .collect();
        let (batches, seen, outcomes, reads) = produce(dir.path(), usize::MAX);
        assert_eq!((batches, seen, reads), (9, files as u64, files));
        // Batches are read two at a time but arrive in walk order, so that
        // document order (and the index) does not depend on thread timing.
        assert_eq!(outcomes, walk_order);
        // Hanging up after one batch stops the producer within the batches
        // it had queued or was reading, instead of reading the whole folder.
        let (batches, _, outcomes, reads) = produce(dir.path(), 1);
        assert_eq!((batches, outcomes.len()), (1, BATCH_FILES));
        assert!(
            reads <= BATCH_FILES * (1 + BATCHES_AHEAD + BATCHES_IN_FLIGHT),
            "{reads} files read"
        );
    }
}
