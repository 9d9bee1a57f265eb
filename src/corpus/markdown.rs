//! Markdown articles (`.md`, `.markdown`): optional YAML (`---`) or TOML
//! (`+++`) front matter for the metadata, then a Markdown body that is
//! lightly turned into plain text for indexing.
//!
//! The stripping is deliberately not a full CommonMark renderer: it removes
//! the syntax that would pollute search (heading markers, emphasis markers,
//! link targets, images, list bullets, quote markers) and keeps all words,
//! including code blocks, verbatim. It works line by line with bounded
//! look-ahead, so it is linear in the file size and cannot recurse.

use serde_json::{Map, Value};

use super::fields::{collapse_whitespace, Fields};
use super::text::{title_from_body, LineIter};
use super::{ParseError, ParseOptions, Parsed};
use crate::Article;

/// Parses a Markdown article: front-matter fields, else the first `#`
/// heading as the title (removed from the body), else a title derived from
/// the body. Malformed front matter is a [`ParseError`] with its line.
pub(crate) fn parse(
    rel_path: &str,
    text: &str,
    options: &ParseOptions,
) -> Result<Parsed, ParseError> {
    let Split {
        front,
        body: body_md,
    } = split_front_matter(rel_path, text)?;

    let mut article = Article {
        id: rel_path.to_owned(),
        path: rel_path.to_owned(),
        ..Article::default()
    };
    let mut notes = Vec::new();
    if let Some(map) = &front {
        Fields::collect(map).apply_metadata(&mut article, &mut notes);
    }

    let title_mode = if article.title.is_empty() {
        TitleMode::Take
    } else {
        TitleMode::DropIfSame(&article.title)
    };
    let (heading, body) = to_plain_text(body_md, title_mode);
    article.body = body;
    if article.title.is_empty() {
        article.title = match heading {
            Some(h) => h,
            None => title_from_body(&article.body),
        };
    }
    if article.title.is_empty() && article.body.is_empty() {
        return Err(ParseError::new(rel_path, "no text in file"));
    }

    let mut parsed = Parsed::default();
    for note in notes {
        parsed.warn(rel_path, format!("front matter: {note}"));
    }
    parsed.push(article, options);
    Ok(parsed)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum FrontKind {
    Yaml,
    Toml,
}

/// A file split into front-matter fields and Markdown body.
struct Split<'a> {
    front: Option<Map<String, Value>>,
    body: &'a str,
}

/// Separates front matter from the Markdown. Front matter starts on line 1
/// with `---` (YAML, closed by `---` or `...`) or `+++` (TOML, closed by
/// `+++`); its fields come back as a JSON map so that [`Fields`] can read
/// them. A file without front matter returns `None` and the whole text.
fn split_front_matter<'a>(rel_path: &str, text: &'a str) -> Result<Split<'a>, ParseError> {
    let mut lines = LineIter::new(text);
    let kind = match lines.next().map(|(_, l)| l.trim_end()) {
        Some("---") => FrontKind::Yaml,
        Some("+++") => FrontKind::Toml,
        _ => {
            return Ok(Split {
                front: None,
                body: text,
            })
        }
    };
    let start = lines.position();
    let mut end = None;
    for (offset, line) in lines.by_ref() {
        let line = line.trim_end();
        let closes = match kind {
            FrontKind::Yaml => line == "---" || line == "...",
            FrontKind::Toml => line == "+++",
        };
        if closes {
            end = Some(offset);
            break;
        }
    }
    let opener = if kind == FrontKind::Yaml {
        "---"
    } else {
        "+++"
    };
    let Some(end) = end else {
        return Err(ParseError::at(
            rel_path,
            1,
            None,
            format!(
                "front matter opened with `{opener}` is never closed (expected a line `{opener}`)"
            ),
        ));
    };
    let source = &text[start..end];
    let body = &text[lines.position()..];
    let map = match kind {
        FrontKind::Yaml => yaml_fields(rel_path, source)?,
        FrontKind::Toml => toml_fields(rel_path, source)?,
    };
    Ok(Split {
        front: Some(map),
        body,
    })
}

/// File line on which the front matter's first line sits.
const FRONT_FIRST_LINE: usize = 2;

fn yaml_fields(rel_path: &str, source: &str) -> Result<Map<String, Value>, ParseError> {
    use yaml_rust2::{Yaml, YamlLoader};
    let docs = YamlLoader::load_from_str(source).map_err(|e| {
        ParseError::at(
            rel_path,
            FRONT_FIRST_LINE - 1 + e.marker().line(),
            Some(e.marker().col() + 1),
            format!("front matter is not valid YAML: {}", e.info()),
        )
    })?;
    match docs.into_iter().next() {
        None | Some(Yaml::Null) => Ok(Map::new()),
        Some(Yaml::Hash(hash)) => {
            let mut map = Map::new();
            for (k, v) in hash {
                if let Some(key) = yaml_key(&k) {
                    map.insert(key, yaml_to_json(v, 0));
                }
            }
            Ok(map)
        }
        Some(other) => Err(ParseError::at(
            rel_path,
            FRONT_FIRST_LINE,
            None,
            format!(
                "front matter must be `key: value` fields, found {}",
                super::fields::type_name(&yaml_to_json(other, 0))
            ),
        )),
    }
}

fn yaml_key(key: &yaml_rust2::Yaml) -> Option<String> {
    use yaml_rust2::Yaml;
    match key {
        Yaml::String(s) | Yaml::Real(s) => Some(s.clone()),
        Yaml::Integer(i) => Some(i.to_string()),
        Yaml::Boolean(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Nesting deeper than this in front matter is dropped: no article field
/// needs it, and the conversion must not recurse without bound.
const MAX_FRONT_DEPTH: usize = 16;

fn yaml_to_json(value: yaml_rust2::Yaml, depth: usize) -> Value {
    use yaml_rust2::Yaml;
    if depth > MAX_FRONT_DEPTH {
        return Value::Null;
    }
    match value {
        Yaml::String(s) => Value::String(s),
        Yaml::Integer(i) => Value::from(i),
        Yaml::Real(s) => s
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map_or(Value::String(s), Value::Number),
        Yaml::Boolean(b) => Value::Bool(b),
        Yaml::Array(items) => Value::Array(
            items
                .into_iter()
                .map(|v| yaml_to_json(v, depth + 1))
                .collect(),
        ),
        Yaml::Hash(hash) => {
            let mut map = Map::new();
            for (k, v) in hash {
                if let Some(key) = yaml_key(&k) {
                    map.insert(key, yaml_to_json(v, depth + 1));
                }
            }
            Value::Object(map)
        }
        Yaml::Alias(_) | Yaml::Null | Yaml::BadValue => Value::Null,
    }
}

fn toml_fields(rel_path: &str, source: &str) -> Result<Map<String, Value>, ParseError> {
    let table: toml::Table = source.parse().map_err(|e: toml::de::Error| {
        let (line, column) = match e.span() {
            Some(span) => line_column(source, span.start),
            None => (1, 1),
        };
        ParseError::at(
            rel_path,
            FRONT_FIRST_LINE - 1 + line,
            Some(column),
            format!("front matter is not valid TOML: {}", e.message().trim_end()),
        )
    })?;
    Ok(table
        .into_iter()
        .map(|(k, v)| (k, toml_to_json(v, 0)))
        .collect())
}

fn toml_to_json(value: toml::Value, depth: usize) -> Value {
    if depth > MAX_FRONT_DEPTH {
        return Value::Null;
    }
    match value {
        toml::Value::String(s) => Value::String(s),
        toml::Value::Integer(i) => Value::from(i),
        toml::Value::Float(f) => serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number),
        toml::Value::Boolean(b) => Value::Bool(b),
        // Dates are TOML literals; their display form is RFC 3339-like,
        // which parse_date reads.
        toml::Value::Datetime(d) => Value::String(d.to_string()),
        toml::Value::Array(items) => Value::Array(
            items
                .into_iter()
                .map(|v| toml_to_json(v, depth + 1))
                .collect(),
        ),
        toml::Value::Table(t) => Value::Object(
            t.into_iter()
                .map(|(k, v)| (k, toml_to_json(v, depth + 1)))
                .collect(),
        ),
    }
}

/// 1-based line and column (in characters) of byte `offset` in `s`.
fn line_column(s: &str, offset: usize) -> (usize, usize) {
    let offset = super::floor_char_boundary(s, offset);
    let before = &s[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

/// What to do with level-1 headings when converting the body.
#[derive(Clone, Copy)]
enum TitleMode<'t> {
    /// The first `# heading` is the title: return it, leave it out of the body.
    Take,
    /// The title came from front matter: drop a first `# heading` that
    /// repeats it, keep any other.
    DropIfSame(&'t str),
}

/// Converts Markdown to plain text (see the module docs for what is
/// removed). Returns the heading taken as title, if any, and the text.
/// Paragraphs stay separated by one blank line.
fn to_plain_text(md: &str, mode: TitleMode<'_>) -> (Option<String>, String) {
    let mut out = String::with_capacity(md.len());
    let mut title = None;
    let mut heading_handled = false;
    let mut fence: Option<(u8, usize)> = None;
    let mut pending_blank = false;

    for (_, line) in LineIter::new(md) {
        if let Some((fence_char, fence_len)) = fence {
            if is_fence_close(line, fence_char, fence_len) {
                fence = None;
            } else {
                push_line(&mut out, line, &mut pending_blank);
            }
            continue;
        }
        if let Some(open) = fence_open(line) {
            fence = Some(open);
            continue;
        }
        let trimmed = line.trim();
        if trimmed.is_empty() {
            pending_blank = true;
            continue;
        }
        if is_rule(trimmed) || is_reference_definition(trimmed) {
            continue;
        }
        if let Some((level, heading)) = atx_heading(line) {
            let text = collapse_whitespace(&strip_inline(heading));
            if level == 1 && !heading_handled {
                heading_handled = true;
                match mode {
                    TitleMode::Take => {
                        title = Some(text);
                        continue;
                    }
                    TitleMode::DropIfSame(t) if out.is_empty() && text.eq_ignore_ascii_case(t) => {
                        continue;
                    }
                    TitleMode::DropIfSame(_) => {}
                }
            }
            // A heading is a paragraph of its own.
            pending_blank = !out.is_empty();
            push_line(&mut out, &text, &mut pending_blank);
            pending_blank = true;
            continue;
        }
        let plain = strip_inline(strip_block_markers(line));
        if plain.trim().is_empty() {
            // A line that was only an image or markup separates paragraphs
            // like a blank line; it must not leave an empty line behind.
            pending_blank = true;
            continue;
        }
        push_line(&mut out, &plain, &mut pending_blank);
    }
    (title.filter(|t| !t.is_empty()), out)
}

fn push_line(out: &mut String, line: &str, pending_blank: &mut bool) {
    if !out.is_empty() {
        out.push_str(if *pending_blank { "\n\n" } else { "\n" });
    }
    *pending_blank = false;
    out.push_str(line.trim_end());
}

/// ```` ``` ```` or `~~~` (3 or more) after at most 3 spaces: the fence
/// character and length.
fn fence_open(line: &str) -> Option<(u8, usize)> {
    let t = strip_indent(line)?;
    let c = *t.as_bytes().first()?;
    if c != b'`' && c != b'~' {
        return None;
    }
    let len = t.bytes().take_while(|&b| b == c).count();
    (len >= 3).then_some((c, len))
}

fn is_fence_close(line: &str, c: u8, len: usize) -> bool {
    let Some(t) = strip_indent(line) else {
        return false;
    };
    let run = t.bytes().take_while(|&b| b == c).count();
    run >= len && t[run..].trim().is_empty()
}

/// The line without up to 3 leading spaces; `None` when indented more
/// (an indented code block, not a fence or heading).
fn strip_indent(line: &str) -> Option<&str> {
    let spaces = line.bytes().take_while(|&b| b == b' ').count();
    (spaces <= 3).then(|| &line[spaces..])
}

/// `# Heading #` → (1, "Heading").
fn atx_heading(line: &str) -> Option<(usize, &str)> {
    let t = strip_indent(line)?;
    let level = t.bytes().take_while(|&b| b == b'#').count();
    if !(1..=6).contains(&level) {
        return None;
    }
    let rest = &t[level..];
    if !(rest.is_empty() || rest.starts_with([' ', '\t'])) {
        return None;
    }
    let rest = rest.trim();
    // An optional closing sequence of #s, separated by a space.
    let without_close = rest.trim_end_matches('#');
    let text = if without_close.is_empty() || without_close.ends_with([' ', '\t']) {
        without_close.trim_end()
    } else {
        rest
    };
    Some((level, text))
}

/// Thematic breaks (`---`, `* * *`, `___`) and setext underlines (`===`).
fn is_rule(trimmed: &str) -> bool {
    let Some(c) = trimmed.chars().next() else {
        return false;
    };
    if !matches!(c, '-' | '*' | '_' | '=') {
        return false;
    }
    let mut count = 0;
    for ch in trimmed.chars() {
        if ch == c {
            count += 1;
        } else if ch != ' ' && ch != '\t' {
            return false;
        }
    }
    count >= 3
}

/// `[id]: https://…` link reference definitions.
fn is_reference_definition(trimmed: &str) -> bool {
    trimmed.starts_with('[')
        && trimmed
            .find("]:")
            .is_some_and(|i| i > 1 && !trimmed[1..i].contains([']', '[']))
}

/// Removes blockquote markers and bullet-list markers at the line start.
fn strip_block_markers(line: &str) -> &str {
    let mut t = line.trim_start();
    while let Some(rest) = t.strip_prefix('>') {
        t = rest.trim_start();
    }
    for bullet in ["- ", "* ", "+ "] {
        if let Some(rest) = t.strip_prefix(bullet) {
            // A task list box: "- [ ] item".
            let rest = rest.trim_start();
            return rest
                .strip_prefix("[ ] ")
                .or_else(|| rest.strip_prefix("[x] "))
                .or_else(|| rest.strip_prefix("[X] "))
                .unwrap_or(rest);
        }
    }
    t
}

/// How far a link's `]` and `(target)` are looked for. Bounds the work per
/// `[` so that lines full of brackets stay linear.
const LINK_LOOKAHEAD: usize = 2048;

/// Removes inline syntax from one line: `[text](url)` and `[text][ref]` →
/// text, images `![alt](src)` → nothing, `` `code` `` → code, `<https://…>`
/// → the URL, emphasis and strikethrough markers dropped, backslash escapes
/// resolved. Text that is not valid syntax stays as it is.
fn strip_inline(line: &str) -> String {
    let bytes = line.as_bytes();
    let mut out = String::with_capacity(line.len());
    // Pending link ends, innermost last: at `close` (the `]`) skip to `resume`.
    let mut closers: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        // A closer jumped over (malformed nesting) can never fire again.
        while closers.last().is_some_and(|&(close, _)| close < i) {
            closers.pop();
        }
        if let Some(&(close, resume)) = closers.last() {
            if i == close {
                closers.pop();
                i = resume;
                continue;
            }
        }
        let b = bytes[i];
        match b {
            b'\\' if i + 1 < bytes.len() && bytes[i + 1].is_ascii_punctuation() => {
                out.push(bytes[i + 1] as char);
                i += 2;
            }
            b'`' => {
                let run = bytes[i..].iter().take_while(|&&c| c == b'`').count();
                let inner_start = i + run;
                match find_backtick_run(&line[inner_start..], run) {
                    Some(len) => {
                        out.push_str(line[inner_start..inner_start + len].trim());
                        i = inner_start + len + run;
                    }
                    None => {
                        out.push_str(&line[i..inner_start]);
                        i = inner_start;
                    }
                }
            }
            b'!' if bytes.get(i + 1) == Some(&b'[') => match link_end(bytes, i + 1) {
                Some((_, resume)) => i = resume,
                None => {
                    out.push('!');
                    i += 1;
                }
            },
            b'[' => {
                if let Some(link) = link_end(bytes, i) {
                    closers.push(link);
                } else {
                    out.push('[');
                }
                i += 1;
            }
            b'<' => match autolink_end(line, i) {
                Some(end) => {
                    out.push_str(&line[i + 1..end]);
                    i = end + 1;
                }
                None => {
                    out.push('<');
                    i += 1;
                }
            },
            b'*' | b'_' | b'~' => {
                let run = bytes[i..].iter().take_while(|&&c| c == b).count();
                let prev = line[..i].chars().next_back();
                let next = line[i + run..].chars().next();
                if is_emphasis_marker(b, run, prev, next) {
                    // Dropped.
                } else {
                    out.push_str(&line[i..i + run]);
                }
                i += run;
            }
            _ => {
                // Copy up to the next byte that may start syntax; all such
                // bytes are ASCII, so the slice ends on a char boundary.
                let next = bytes[i + 1..]
                    .iter()
                    .position(|c| b"\\`![<*_~".contains(c))
                    .map_or(bytes.len(), |p| i + 1 + p);
                let stop = closers
                    .last()
                    .map_or(next, |&(close, _)| next.min(close.max(i + 1)));
                out.push_str(&line[i..stop]);
                i = stop;
            }
        }
    }
    out
}

/// For a `[` at `open`: the index of its `]` and where the text resumes
/// after the link target (`(url)` or `[ref]`). `None` when it is not a link.
fn link_end(bytes: &[u8], open: usize) -> Option<(usize, usize)> {
    let limit = bytes.len().min(open + LINK_LOOKAHEAD);
    let mut depth = 0usize;
    let mut close = None;
    let mut j = open + 1;
    while j < limit {
        match bytes[j] {
            b'\\' => j += 1,
            b'[' => depth += 1,
            b']' if depth == 0 => {
                close = Some(j);
                break;
            }
            b']' => depth -= 1,
            _ => {}
        }
        j += 1;
    }
    let close = close?;
    match bytes.get(close + 1) {
        Some(b'(') => {
            let mut depth = 0usize;
            let mut k = close + 2;
            while k < limit {
                match bytes[k] {
                    b'\\' => k += 1,
                    b'(' => depth += 1,
                    b')' if depth == 0 => return Some((close, k + 1)),
                    b')' => depth -= 1,
                    _ => {}
                }
                k += 1;
            }
            None
        }
        Some(b'[') => {
            let rest = &bytes[close + 2..limit.max(close + 2)];
            let end = rest.iter().position(|&c| c == b']')?;
            if rest[..end].contains(&b'[') {
                return None;
            }
            Some((close, close + 2 + end + 1))
        }
        _ => None,
    }
}

/// Length of the code span content before a closing run of exactly `run`
/// backticks in `rest`.
fn find_backtick_run(rest: &str, run: usize) -> Option<usize> {
    let bytes = rest.as_bytes();
    let mut j = 0;
    while j < bytes.len() {
        if bytes[j] == b'`' {
            let len = bytes[j..].iter().take_while(|&&c| c == b'`').count();
            if len == run {
                return Some(j);
            }
            j += len;
        } else {
            j += 1;
        }
    }
    None
}

/// `<https://…>` / `<mailto:…>`: the index of the `>`.
fn autolink_end(line: &str, open: usize) -> Option<usize> {
    let rest = &line[open + 1..];
    let scheme_ok = ["http://", "https://", "mailto:", "ftp://"]
        .iter()
        .any(|s| {
            rest.len() >= s.len() && rest.as_bytes()[..s.len()].eq_ignore_ascii_case(s.as_bytes())
        });
    if !scheme_ok {
        return None;
    }
    let end = rest.find(['>', ' ', '<'])?;
    (rest.as_bytes()[end] == b'>').then_some(open + 1 + end)
}

/// Whether a run of `*`, `_` or `~` delimits emphasis (and is dropped):
/// it must touch a word on one side, and `_` inside a word
/// (`snake_case`) or a lone `*` between spaces (`2 * 3`) is literal.
/// Tildes count only as `~~`.
fn is_emphasis_marker(c: u8, run: usize, prev: Option<char>, next: Option<char>) -> bool {
    if c == b'~' && run != 2 {
        return false;
    }
    let prev_space = prev.is_none_or(char::is_whitespace);
    let next_space = next.is_none_or(char::is_whitespace);
    if prev_space && next_space {
        return false;
    }
    let prev_word = prev.is_some_and(char::is_alphanumeric);
    let next_word = next.is_some_and(char::is_alphanumeric);
    !(prev_word && next_word)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_ok(text: &str) -> Parsed {
        parse("notes/a.md", text, &ParseOptions::default()).expect("parses")
    }

    fn one(text: &str) -> Article {
        let parsed = parse_ok(text);
        assert_eq!(parsed.articles.len(), 1);
        parsed.articles.into_iter().next().expect("article")
    }

    #[test]
    fn yaml_front_matter_with_aliases() {
        let a = one("---\nheadline: Big News\npublished: 2024-03-01\nbyline: [Ann, Bob]\npublisher: Daily\nlink: https://d.test/x\ntags: [a, b]\n---\n\nThe *body* text.\n");
        assert_eq!(a.title, "Big News");
        assert_eq!(a.body, "The body text.");
        assert_eq!(a.author.as_deref(), Some("Ann, Bob"));
        assert_eq!(a.source.as_deref(), Some("Daily"));
        assert_eq!(a.url.as_deref(), Some("https://d.test/x"));
        assert_eq!(a.tags, ["a", "b"]);
        assert_eq!(
            a.date.map(|d| d.format("%Y-%m-%d").to_string()).as_deref(),
            Some("2024-03-01")
        );
        assert_eq!(a.id, "notes/a.md");
    }

    #[test]
    fn toml_front_matter_with_date_literal() {
        let a = one("+++\ntitle = \"Toml Title\"\ndate = 2024-03-01T10:00:00Z\nauthor = \"Ann\"\ntags = \"x, y\"\n[extra]\nsource = \"ignored: nested\"\n+++\nBody.\n");
        assert_eq!(a.title, "Toml Title");
        assert_eq!(a.author.as_deref(), Some("Ann"));
        assert_eq!(a.tags, ["x", "y"]);
        assert_eq!(a.source, None);
        assert_eq!(
            a.date.map(|d| d.to_rfc3339()).as_deref(),
            Some("2024-03-01T10:00:00+00:00")
        );
        assert_eq!(a.body, "Body.");
    }

    #[test]
    fn malformed_yaml_names_file_and_line() {
        let err = parse(
            "notes/bad.md",
            "---\ntitle: ok\ntags: [a, b\n---\nBody\n",
            &ParseOptions::default(),
        )
        .expect_err("malformed");
        assert_eq!(err.path(), "notes/bad.md");
        let line = err.line().expect("has a line");
        assert!((3..=5).contains(&line), "{err}");
        assert!(err.to_string().starts_with("notes/bad.md: line "), "{err}");
        assert!(err.message().contains("not valid YAML"), "{err}");
    }

    #[test]
    fn malformed_toml_names_file_and_line() {
        let err = parse(
            "t.md",
            "+++\ntitle = \"ok\"\ndate = = 3\n+++\nBody\n",
            &ParseOptions::default(),
        )
        .expect_err("malformed");
        assert_eq!(err.line(), Some(3), "{err}");
        assert!(err.message().contains("not valid TOML"), "{err}");
    }

    #[test]
    fn unclosed_or_non_map_front_matter() {
        let err = parse("u.md", "---\ntitle: x\nno end\n", &ParseOptions::default())
            .expect_err("unclosed");
        assert_eq!(
            err.to_string(),
            "u.md: line 1: front matter opened with `---` is never closed (expected a line `---`)"
        );
        let err = parse(
            "l.md",
            "---\n- a\n- b\n---\nBody\n",
            &ParseOptions::default(),
        )
        .expect_err("list");
        assert_eq!(
            err.to_string(),
            "l.md: line 2: front matter must be `key: value` fields, found an array"
        );
    }

    #[test]
    fn empty_front_matter_and_bad_date_warn() {
        let a = one("---\n---\n# Heading Title\nText.\n");
        assert_eq!(a.title, "Heading Title");
        let parsed = parse_ok("---\ntitle: T\ndate: someday\n---\nText.\n");
        assert_eq!(parsed.articles[0].date, None);
        assert_eq!(parsed.warnings.len(), 1);
        assert!(parsed.warnings[0].reason.contains("someday"));
    }

    #[test]
    fn first_h1_is_the_title_and_leaves_the_body() {
        let a = one("Intro line.\n\n# The Title #\n\n## Section\n\nPara **bold** and _it_.\n");
        assert_eq!(a.title, "The Title");
        assert_eq!(a.body, "Intro line.\n\nSection\n\nPara bold and it.");
    }

    #[test]
    fn front_matter_title_drops_repeated_heading() {
        let a = one("---\ntitle: Same\n---\n# Same\n\nText.\n");
        assert_eq!(a.body, "Text.");
        let a = one("---\ntitle: Other\n---\n# Different\n\nText.\n");
        assert_eq!(a.body, "Different\n\nText.");
    }

    #[test]
    fn inline_syntax_is_stripped() {
        assert_eq!(
            strip_inline("See [the **report**](https://x.test/a_(b)) and ![chart](c.png) now"),
            "See the report and  now"
        );
        assert_eq!(strip_inline("A [ref link][r1] here"), "A ref link here");
        assert_eq!(
            strip_inline("snake_case and 2 * 3 stay"),
            "snake_case and 2 * 3 stay"
        );
        assert_eq!(strip_inline("~~gone~~ *em* __strong__"), "gone em strong");
        assert_eq!(strip_inline("use `a_b*c` here"), "use a_b*c here");
        assert_eq!(strip_inline(r"\*literal\* \[x\]"), "*literal* [x]");
        assert_eq!(
            strip_inline("<https://x.test> and <b>"),
            "https://x.test and <b>"
        );
        assert_eq!(strip_inline("[not a link] [1]"), "[not a link] [1]");
        assert_eq!(
            strip_inline("unclosed [link](http://x"),
            "unclosed [link](http://x"
        );
        assert_eq!(strip_inline("[[nested]](u)"), "[nested]");
        assert_eq!(strip_inline("café **é**"), "café é");
    }

    #[test]
    fn blocks_quotes_lists_rules_and_fences() {
        let md = "# T\n\n> quoted *text*\n> more\n\n- item one\n* item two\n1. first\n\n---\n\n```rust\nlet x = a_b * 2; // [x](y)\n```\n\n[r1]: https://x.test\nSetext\n======\n";
        let a = one(md);
        assert_eq!(
            a.body,
            "quoted text\nmore\n\nitem one\nitem two\n1. first\n\nlet x = a_b * 2; // [x](y)\n\nSetext"
        );
    }

    #[test]
    fn markup_only_lines_leave_no_empty_lines() {
        let a = one(
            "# T\n\nBefore.\n\n![photo](p.jpg)\n\n>\n\nAfter.\n![inline](x.png)\nSame paragraph.\n",
        );
        assert_eq!(a.body, "Before.\n\nAfter.\n\nSame paragraph.");
    }

    #[test]
    fn no_heading_title_from_body() {
        let a = one("Just some *text*. And more.\n");
        assert_eq!(a.title, "Just some text");
    }

    #[test]
    fn pathological_lines_stay_fast_and_safe() {
        let brackets = "[".repeat(20_000) + &"]".repeat(20_000);
        let _ = strip_inline(&brackets);
        let stars = "*a".repeat(50_000);
        let _ = strip_inline(&stars);
        let deep_yaml = format!("---\ntitle: {}\n---\nx\n", "[".repeat(10_000));
        assert!(parse("d.md", &deep_yaml, &ParseOptions::default()).is_err());
        let deep_toml = format!("+++\nt = {}\n+++\nx\n", "[".repeat(10_000));
        assert!(parse("d.md", &deep_toml, &ParseOptions::default()).is_err());
    }
}
