//! Reading a corpus: walking a folder and turning each supported file into
//! [`Article`]s. One submodule per file format; this module owns the walk,
//! format detection, text decoding and the shared error/skip types.
//!
//! INTERFACE (implemented by the corpus helper; signatures are fixed because
//! the indexer calls them):
//!
//! ```ignore
//! pub enum Format { Text, Markdown, Json, JsonLines, Html, Sgml }
//! impl Format { pub fn from_path(path: &Path) -> Option<Format>; pub fn name(self) -> &'static str }
//!
//! pub struct ParseOptions { pub max_body_bytes: usize }   // Default: 5 MiB
//! pub struct Parsed { pub articles: Vec<Article>, pub skipped: Vec<Skipped> }
//! pub struct Skipped { pub location: String /* "rel/path" or "rel/path#LINE" */, pub reason: String }
//! pub struct ParseError { .. }  // thiserror, Display names what is wrong and where (line/field)
//!
//! /// Parse one file's bytes. `rel_path` is the `/`-separated path relative to the corpus root;
//! /// ids are derived from it. Records that cannot be used go to `skipped`, never silently dropped.
//! pub fn parse(format: Format, rel_path: &str, bytes: &[u8], options: &ParseOptions) -> Result<Parsed, ParseError>;
//!
//! /// UTF-8 (BOM stripped), UTF-16 with BOM, else Windows-1252.
//! pub fn decode_text(bytes: &[u8]) -> Cow<'_, str>;
//!
//! pub enum WalkEntry { File { path: PathBuf, rel_path: String }, Problem { path: String, reason: String } }
//! /// Sorted walk, hidden entries skipped, loops/unreadable dirs reported as Problem, never fatal.
//! pub fn walk(root: &Path) -> impl Iterator<Item = WalkEntry>;
//! ```

use crate::Article;
