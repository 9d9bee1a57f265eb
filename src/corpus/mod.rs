//! Reading a corpus: walking a folder and turning each supported file into
//! [`Article`]s. One submodule per file format; this module owns the walk,
//! format detection, text decoding, the shared error/skip types and the
//! helpers every format needs (date parsing, body truncation, titles derived
//! from the body).
//!
//! Nothing in here is fatal for the corpus as a whole: a file either parses
//! (possibly with some records in [`Parsed::skipped`]) or yields one
//! [`ParseError`], and walk problems are reported as [`WalkEntry::Problem`].
//! The indexer decides what to print and count.
//!
//! INTERFACE (the indexer calls these; the signatures are fixed):
//!
//! ```ignore
//! pub enum Format { Text, Markdown, Json, JsonLines, Html, Sgml }
//! impl Format { pub fn from_path(path: &Path) -> Option<Format>; pub fn name(self) -> &'static str }
//!
//! pub struct ParseOptions { pub max_body_bytes: usize }   // Default: 5 MiB
//! pub struct Parsed { pub articles: Vec<Article>, pub skipped: Vec<Skipped>, pub warnings: Vec<Skipped> }
//! pub struct Skipped { pub location: String /* "rel/path" or "rel/path#LINE" */, pub reason: String }
//! pub struct ParseError { .. }  // std::error::Error; Display: "path: line L, column C: what is wrong"
//!
//! pub fn parse(format: Format, rel_path: &str, bytes: &[u8], options: &ParseOptions) -> Result<Parsed, ParseError>;
//! pub fn decode_text(bytes: &[u8]) -> Cow<'_, str>;
//! pub fn parse_date(text: &str) -> Option<DateTime<Utc>>;
//!
//! pub enum WalkEntry { File { path: PathBuf, rel_path: String }, Problem { path: String, reason: String } }
//! pub fn walk(root: &Path) -> impl Iterator<Item = WalkEntry>;
//! pub fn read_ahead<'a>(paths: impl IntoIterator<Item = &'a Path>);
//! ```

mod date;
mod fields;
mod html;
mod json;
mod jsonl;
mod markdown;
mod sgml;
mod text;

#[cfg(test)]
pub(crate) mod test_support;

use std::borrow::Cow;
use std::fmt;
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::Article;

pub use date::parse_date;
// The entity normaliser collapses names' whitespace the same way.
pub(crate) use fields::collapse_whitespace;

/// A corpus file format, chosen from the file extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// Plain text (`.txt`, `.text`): optional headline line, then paragraphs.
    Text,
    /// Markdown (`.md`, `.markdown`), optionally with YAML or TOML front matter.
    Markdown,
    /// One JSON article object or an array of them (`.json`).
    Json,
    /// JSON Lines (`.jsonl`, `.ndjson`): one article object per line.
    JsonLines,
    /// A saved web page (`.html`, `.htm`); the article is extracted from it.
    Html,
    /// Reuters-21578 SGML (`.sgm`): many `<REUTERS>` records per file.
    Sgml,
}

impl Format {
    /// The format for a file name, by extension (case-insensitive), or
    /// `None` when the file is not a corpus file (the indexer counts those as
    /// skipped).
    pub fn from_path(path: &Path) -> Option<Format> {
        // A non-UTF-8 extension cannot be one of ours.
        let ext = path.extension()?.to_str()?;
        const TABLE: &[(&str, Format)] = &[
            ("txt", Format::Text),
            ("text", Format::Text),
            ("md", Format::Markdown),
            ("markdown", Format::Markdown),
            ("json", Format::Json),
            ("jsonl", Format::JsonLines),
            ("ndjson", Format::JsonLines),
            ("html", Format::Html),
            ("htm", Format::Html),
            ("sgm", Format::Sgml),
        ];
        TABLE
            .iter()
            .find(|(e, _)| e.eq_ignore_ascii_case(ext))
            .map(|&(_, f)| f)
    }

    /// Short lowercase name for messages and statistics ("text", "jsonl", …).
    pub fn name(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Markdown => "markdown",
            Format::Json => "json",
            Format::JsonLines => "jsonl",
            Format::Html => "html",
            Format::Sgml => "sgml",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Default for [`ParseOptions::max_body_bytes`]: 5 MiB.
pub const DEFAULT_MAX_BODY_BYTES: usize = 5 * 1024 * 1024;

/// Settings that apply to every format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseOptions {
    /// Bodies longer than this are cut (at a UTF-8 character boundary) and a
    /// warning is added to [`Parsed::warnings`]. Protects the index from
    /// pathological inputs such as a whole book pasted into one record.
    pub max_body_bytes: usize,
}

impl Default for ParseOptions {
    fn default() -> Self {
        ParseOptions {
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
        }
    }
}

/// What one file produced.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Parsed {
    /// The usable articles, in file order.
    pub articles: Vec<Article>,
    /// Records that could not be used, each with the reason; never silently
    /// dropped.
    pub skipped: Vec<Skipped>,
    /// Non-fatal notes about articles that were kept (body truncated, date
    /// not understood, field of an unexpected type, …).
    pub warnings: Vec<Skipped>,
}

impl Parsed {
    /// Adds an article after applying the options every format shares: the
    /// body is truncated to `max_body_bytes` with a warning.
    fn push(&mut self, mut article: Article, options: &ParseOptions) {
        if article.body.len() > options.max_body_bytes {
            let original = article.body.len();
            let cut = floor_char_boundary(&article.body, options.max_body_bytes);
            article.body.truncate(cut);
            self.warnings.push(Skipped::new(
                article.id.clone(),
                format!(
                    "body truncated to {cut} bytes (it had {original}; the limit is {})",
                    options.max_body_bytes
                ),
            ));
        }
        self.articles.push(article);
    }

    fn skip(&mut self, location: impl Into<String>, reason: impl Into<String>) {
        self.skipped.push(Skipped::new(location, reason));
    }

    fn warn(&mut self, location: impl Into<String>, reason: impl Into<String>) {
        self.warnings.push(Skipped::new(location, reason));
    }
}

/// A record that was not turned into an article (or, in
/// [`Parsed::warnings`], a note about one that was).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// Where: `rel/path`, or `rel/path#N` for a record inside the file
    /// (JSON Lines line, JSON array index, Reuters NEWID).
    pub location: String,
    /// What is wrong, as a sentence fragment for the user.
    pub reason: String,
}

impl Skipped {
    fn new(location: impl Into<String>, reason: impl Into<String>) -> Skipped {
        Skipped {
            location: location.into(),
            reason: reason.into(),
        }
    }
}

impl fmt::Display for Skipped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location, self.reason)
    }
}

/// A file that could not be read as its format at all (binary data,
/// malformed JSON, broken front matter, no article text).
///
/// `Display` gives `path: line L, column C: what is wrong`, with the line and
/// column only when they are known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    path: String,
    line: Option<usize>,
    column: Option<usize>,
    message: String,
}

impl ParseError {
    fn new(path: &str, message: impl Into<String>) -> ParseError {
        ParseError {
            path: path.to_owned(),
            line: None,
            column: None,
            message: message.into(),
        }
    }

    fn at(
        path: &str,
        line: usize,
        column: Option<usize>,
        message: impl Into<String>,
    ) -> ParseError {
        ParseError {
            path: path.to_owned(),
            line: Some(line),
            column,
            message: message.into(),
        }
    }

    /// The file, relative to the corpus root.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// 1-based line of the problem, when known.
    pub fn line(&self) -> Option<usize> {
        self.line
    }

    /// 1-based column of the problem, when known.
    pub fn column(&self) -> Option<usize> {
        self.column
    }

    /// What is wrong, without the location.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl std::error::Error for ParseError {}

impl ParseError {
    /// Where in the file and what is wrong, without the file's path (for
    /// lists that name the file already): "line 3, column 14: invalid JSON".
    pub fn reason(&self) -> String {
        match (self.line, self.column) {
            (Some(line), Some(column)) => format!("line {line}, column {column}: {}", self.message),
            (Some(line), None) => format!("line {line}: {}", self.message),
            _ => self.message.clone(),
        }
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.reason())
    }
}

/// Parses one file's bytes. `rel_path` is the `/`-separated path relative to
/// the corpus root; ids are derived from it. Records that cannot be used go
/// to [`Parsed::skipped`], never silently dropped.
///
/// Never panics, whatever the bytes.
pub fn parse(
    format: Format,
    rel_path: &str,
    bytes: &[u8],
    options: &ParseOptions,
) -> Result<Parsed, ParseError> {
    if bytes.is_empty() {
        return Err(ParseError::new(rel_path, "empty file (0 bytes)"));
    }
    let text = decode_checked(rel_path, bytes)?;
    match format {
        Format::Text => text::parse(rel_path, &text, options),
        Format::Markdown => markdown::parse(rel_path, &text, options),
        Format::Json => json::parse(rel_path, &text, options),
        Format::JsonLines => jsonl::parse(rel_path, &text, options),
        Format::Html => html::parse(rel_path, &text, options),
        Format::Sgml => sgml::parse(rel_path, &text, options),
    }
}

/// [`decode_text`], refusing input that is not text at all.
fn decode_checked<'a>(rel_path: &str, bytes: &'a [u8]) -> Result<Cow<'a, str>, ParseError> {
    // UTF-16 text is full of NUL bytes, so decode it before the binary check
    // and check the decoded characters instead.
    if is_utf16_bom(bytes) {
        let text = decode_text(bytes);
        if looks_binary(text.chars().take(BINARY_SAMPLE).map(|c| c as u32)) || text.contains('\0') {
            return Err(ParseError::new(rel_path, "binary file, not text"));
        }
        return Ok(text);
    }
    // A NUL byte never occurs in text in an 8-bit encoding; memchr-speed scan.
    if bytes.contains(&0) || looks_binary(bytes.iter().take(BINARY_SAMPLE).map(|&b| u32::from(b))) {
        return Err(ParseError::new(rel_path, "binary file, not text"));
    }
    Ok(decode_text(bytes))
}

/// How many leading bytes/characters [`looks_binary`] inspects.
const BINARY_SAMPLE: usize = 64 * 1024;

/// True when more than 5% of the sampled code units are C0 control
/// characters other than the whitespace ones (tab, newline, vertical tab,
/// form feed, carriage return) and ESC. Real text has almost none; images,
/// archives and executables have many.
fn looks_binary(units: impl Iterator<Item = u32>) -> bool {
    let mut total = 0usize;
    let mut control = 0usize;
    for u in units {
        total += 1;
        if (u < 0x20 && !matches!(u, 0x09..=0x0d | 0x1b)) || u == 0x7f {
            control += 1;
        }
    }
    control * 20 > total
}

fn is_utf16_bom(bytes: &[u8]) -> bool {
    bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF])
}

/// Decodes a file's bytes to text: UTF-8 (BOM stripped), UTF-16 LE/BE when
/// the file starts with a BOM, and otherwise UTF-8 in which every byte
/// sequence that is not valid UTF-8 is read as Windows-1252.
///
/// The per-sequence fallback (rather than re-decoding the whole file as
/// Windows-1252) matters for files that are mostly UTF-8 with a stray Latin-1
/// byte, such as BBC `sport/199.txt`: their valid UTF-8 (`£` as C2 A3)
/// stays intact and the raw 0xA3 still becomes `£`. A file that is entirely
/// Windows-1252 decodes the same either way, because its high bytes are
/// (almost always) not valid UTF-8. Valid UTF-8 without a BOM is borrowed,
/// not copied.
pub fn decode_text(bytes: &[u8]) -> Cow<'_, str> {
    if let Some((encoding, bom_len)) = encoding_rs::Encoding::for_bom(bytes) {
        let rest = &bytes[bom_len..];
        if encoding != encoding_rs::UTF_8 {
            // UTF-16: encoding_rs replaces unpaired surrogates with U+FFFD.
            return encoding.decode_without_bom_handling(rest).0;
        }
        return decode_utf8_or_1252(rest);
    }
    decode_utf8_or_1252(bytes)
}

fn decode_utf8_or_1252(bytes: &[u8]) -> Cow<'_, str> {
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(bytes.len() + bytes.len() / 8);
    for chunk in bytes.utf8_chunks() {
        out.push_str(chunk.valid());
        let invalid = chunk.invalid();
        if !invalid.is_empty() {
            // Windows-1252 is a single-byte encoding: every byte maps to one
            // character, so decoding the bad bytes alone is exact.
            let (decoded, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(invalid);
            out.push_str(&decoded);
        }
    }
    Cow::Owned(out)
}

/// The largest index `<= index` that is a char boundary of `s` (the std
/// method of that name needs a newer compiler than our MSRV).
fn floor_char_boundary(s: &str, index: usize) -> usize {
    if index >= s.len() {
        return s.len();
    }
    let mut i = index;
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Tries [`parse_date`] on a date value found in a file; when it fails, the
/// article keeps `date: None` and a warning says which value was not
/// understood.
fn date_or_warn(
    value: &str,
    location: &str,
    warnings: &mut Vec<Skipped>,
) -> Option<chrono::DateTime<chrono::Utc>> {
    let value = value.trim();
    if value.is_empty() {
        return None;
    }
    let date = parse_date(value);
    if date.is_none() {
        warnings.push(Skipped::new(
            location,
            format!(
                "date {:?} not understood; kept the article without a date",
                shorten(value, 60)
            ),
        ));
    }
    date
}

/// At most `max` characters of `s`, with "…" when cut; for quoting input in
/// messages without flooding the terminal.
fn shorten(s: &str, max: usize) -> Cow<'_, str> {
    match s.char_indices().nth(max) {
        None => Cow::Borrowed(s),
        Some((i, _)) => Cow::Owned(format!("{}…", &s[..i])),
    }
}

/// One entry of [`walk`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WalkEntry {
    /// A regular file (symbolic links are followed). The indexer decides with
    /// [`Format::from_path`] whether it is a corpus file.
    File {
        /// The exact path, usable to open the file even when its name is
        /// not valid UTF-8.
        path: PathBuf,
        /// `/`-separated path relative to the walk root; non-UTF-8 bytes are
        /// replaced by U+FFFD. Used for ids and messages.
        rel_path: String,
    },
    /// An entry that could not be read: a directory without permission, a
    /// broken symbolic link, a symbolic-link loop. Reported, never fatal.
    Problem {
        /// Where, relative to the walk root when possible.
        path: String,
        /// What went wrong, for the user.
        reason: String,
    },
}

/// Walks `root` depth-first in file-name order (so ids and output are
/// deterministic), yielding every regular file. Entries whose name starts
/// with `.` are skipped together with their contents; symbolic links are
/// followed, and loops or unreadable entries come out as
/// [`WalkEntry::Problem`] while the walk goes on.
///
/// `root` itself may be a file, which is then the only entry.
pub fn walk(root: &Path) -> impl Iterator<Item = WalkEntry> {
    let root = root.to_path_buf();
    WalkDir::new(&root)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        // The root is exempt: walking "." or "~/.news" must still work.
        .filter_entry(|entry| entry.depth() == 0 || !is_hidden(entry.file_name()))
        .filter_map(move |result| match result {
            Ok(entry) => {
                if !entry.file_type().is_file() {
                    // Directories (even one named `x.json`), sockets, FIFOs.
                    return None;
                }
                let rel_path = relative_path(&root, entry.path());
                Some(WalkEntry::File {
                    path: entry.into_path(),
                    rel_path,
                })
            }
            Err(err) => {
                // filter_entry never sees entries that failed (e.g. a broken
                // hidden symlink), so apply the hidden rule here as well.
                if err.depth() > 0 {
                    if let Some(name) = err.path().and_then(Path::file_name) {
                        if is_hidden(name) {
                            return None;
                        }
                    }
                }
                let path = match err.path() {
                    Some(p) => relative_path(&root, p),
                    None => root.to_string_lossy().into_owned(),
                };
                Some(WalkEntry::Problem {
                    path,
                    reason: walk_error_reason(&err),
                })
            }
        })
}

/// Asks the operating system to start reading `paths` into its cache
/// while other work goes on, so that reading them later does not wait for
/// the disk: on an archive not in the page cache, an indexing run's two
/// cores otherwise sat idle 13-15% of the time. Only a hint: files that cannot
/// be opened are left for the read to report, and where the system has no
/// such hint (macOS, Windows) nothing happens.
pub fn read_ahead<'a>(paths: impl IntoIterator<Item = &'a Path>) {
    #[cfg(any(target_os = "linux", target_os = "android", target_os = "freebsd"))]
    for path in paths {
        if let Ok(file) = std::fs::File::open(path) {
            let _ = rustix::fs::fadvise(&file, 0, None, rustix::fs::Advice::WillNeed);
        }
    }
    #[cfg(not(any(target_os = "linux", target_os = "android", target_os = "freebsd")))]
    let _ = paths;
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.as_encoded_bytes().starts_with(b".")
}

/// `path` relative to `root`, `/`-separated and lossily converted to UTF-8.
/// Falls back to the file name (root is a file) or the full path.
fn relative_path(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let mut out = String::new();
    for component in rel.components() {
        if !out.is_empty() {
            out.push('/');
        }
        out.push_str(&component.as_os_str().to_string_lossy());
    }
    if out.is_empty() {
        if let Some(name) = path.file_name() {
            return name.to_string_lossy().into_owned();
        }
        return path.to_string_lossy().into_owned();
    }
    out
}

fn walk_error_reason(err: &walkdir::Error) -> String {
    if let Some(ancestor) = err.loop_ancestor() {
        return format!(
            "symbolic link loop: points back to {}; not followed",
            ancestor.display()
        );
    }
    match err.io_error() {
        Some(io) if io.kind() == std::io::ErrorKind::NotFound => {
            format!("cannot read (broken symbolic link or removed during the walk): {io}")
        }
        Some(io) if io.kind() == std::io::ErrorKind::PermissionDenied => {
            format!("cannot read: permission denied ({io})")
        }
        Some(io) => format!("cannot read: {io}"),
        None => "cannot read".to_owned(),
    }
}

#[cfg(test)]
mod tests;
