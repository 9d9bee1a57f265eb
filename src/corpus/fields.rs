//! Recognising article fields in a key/value record. JSON and JSON Lines
//! records, Markdown front matter (converted to JSON values) and HTML JSON-LD
//! all name the same things differently (`title` or `headline`, `date` or
//! `publishedAt`, an author as a string, a list or `{"name": …}`), so the
//! name table and the type coercions live here once.
//!
//! Keys match case-insensitively. When several keys name the same field,
//! the one listed first in the table wins, whatever the order in the record.

use serde_json::{Map, Value};

use super::date::from_unix_number;
use super::{parse_date, shorten};
use crate::Article;

/// The article fields a record can carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Title,
    Body,
    /// Used as the body only when no real body field is present.
    Description,
    Date,
    Url,
    Source,
    Author,
    Tags,
}

/// Recognised names, in priority order within each field.
const NAMES: &[(&str, Field)] = &[
    ("title", Field::Title),
    ("headline", Field::Title),
    ("body", Field::Body),
    ("text", Field::Body),
    ("content", Field::Body),
    ("articlebody", Field::Body),
    ("article", Field::Body),
    ("description", Field::Description),
    ("date", Field::Date),
    ("published", Field::Date),
    ("published_at", Field::Date),
    ("publishedat", Field::Date),
    ("datepublished", Field::Date),
    ("pubdate", Field::Date),
    ("created_at", Field::Date),
    ("url", Field::Url),
    ("link", Field::Url),
    ("source", Field::Source),
    ("publisher", Field::Source),
    ("site", Field::Source),
    ("author", Field::Author),
    ("byline", Field::Author),
    ("authors", Field::Author),
    ("tags", Field::Tags),
    ("keywords", Field::Tags),
];

/// The recognised fields of one record, borrowed from it: `(key, value)`
/// with the key as spelled in the record, for messages.
#[derive(Default)]
pub(crate) struct Fields<'a> {
    title: Option<Pick<'a>>,
    body: Option<Pick<'a>>,
    description: Option<Pick<'a>>,
    date: Option<Pick<'a>>,
    url: Option<Pick<'a>>,
    source: Option<Pick<'a>>,
    author: Option<Pick<'a>>,
    tags: Option<Pick<'a>>,
}

#[derive(Clone, Copy)]
struct Pick<'a> {
    rank: usize,
    key: &'a str,
    value: &'a Value,
}

impl<'a> Fields<'a> {
    /// Finds the recognised fields of `map` in one pass over its keys.
    pub(crate) fn collect(map: &'a Map<String, Value>) -> Fields<'a> {
        let mut fields = Fields::default();
        for (key, value) in map {
            let Some(rank) = NAMES
                .iter()
                .position(|(name, _)| name.eq_ignore_ascii_case(key))
            else {
                continue;
            };
            // Null is the same as absent: lets a lower-priority alias win.
            if value.is_null() {
                continue;
            }
            let slot = match NAMES[rank].1 {
                Field::Title => &mut fields.title,
                Field::Body => &mut fields.body,
                Field::Description => &mut fields.description,
                Field::Date => &mut fields.date,
                Field::Url => &mut fields.url,
                Field::Source => &mut fields.source,
                Field::Author => &mut fields.author,
                Field::Tags => &mut fields.tags,
            };
            if slot.is_none_or(|p| p.rank > rank) {
                *slot = Some(Pick { rank, key, value });
            }
        }
        fields
    }

    /// Sets title, date, url, source, author and tags on `article` from the
    /// recognised fields. Values of an unusable type are ignored with a note
    /// in `notes`; nothing here rejects the record.
    pub(crate) fn apply_metadata(&self, article: &mut Article, notes: &mut Vec<String>) {
        if let Some(p) = self.title {
            match scalar_text(p.value) {
                Some(t) => article.title = collapse_whitespace(&t),
                None => match string_list(p.value) {
                    Some(parts) => article.title = collapse_whitespace(&parts.join(" ")),
                    None => notes.push(type_note(p, "text")),
                },
            }
        }
        if let Some(p) = self.date {
            article.date = date_value(p, notes);
        }
        self.apply_rest(article, notes);
    }

    fn apply_rest(&self, article: &mut Article, notes: &mut Vec<String>) {
        if let Some(p) = self.url {
            match p.value {
                Value::String(s) if !s.trim().is_empty() => article.url = Some(s.trim().to_owned()),
                Value::String(_) => {}
                _ => notes.push(type_note(p, "text")),
            }
        }
        if let Some(p) = self.source {
            match name_of(p.value) {
                Some(s) => article.source = Some(s),
                None if is_blank(p.value) || is_nameless_object(p.value) => {}
                None => notes.push(type_note(p, "text or an object with \"name\"")),
            }
        }
        if let Some(p) = self.author {
            let author = match p.value {
                Value::Array(items) => {
                    let names: Vec<String> = items.iter().filter_map(name_of).collect();
                    Some(names.join(", "))
                }
                other => name_of(other),
            };
            match author {
                Some(a) if !a.is_empty() => article.author = Some(a),
                Some(_) => {}
                None if is_blank(p.value) || is_nameless_object(p.value) => {}
                None => notes.push(type_note(p, "text, a list or an object with \"name\"")),
            }
        }
        if let Some(p) = self.tags {
            match p.value {
                Value::Array(items) => {
                    article.tags = items
                        .iter()
                        .filter_map(name_of)
                        .filter(|t| !t.is_empty())
                        .collect();
                }
                Value::String(s) => article.tags = split_tags(s),
                _ => notes.push(type_note(p, "a list or comma-separated text")),
            }
        }
    }

    /// The body text: the best body field, else `description`. An array of
    /// strings is a list of paragraphs. `Err` explains a body field that
    /// cannot be text (an object), which makes the record unusable.
    pub(crate) fn body(&self) -> Result<Option<String>, String> {
        let pick = match (self.body, self.description) {
            (Some(b), _) if !is_blank(b.value) => b,
            (_, Some(d)) => d,
            (Some(b), None) => b,
            (None, None) => return Ok(None),
        };
        if let Some(text) = scalar_text(pick.value) {
            return Ok(Some(text.trim().to_owned()));
        }
        if let Some(parts) = string_list(pick.value) {
            let paragraphs: Vec<&str> = parts
                .iter()
                .map(|p| p.trim())
                .filter(|p| !p.is_empty())
                .collect();
            return Ok(Some(paragraphs.join("\n\n")));
        }
        Err(format!(
            "field \"{}\" is {}, not text",
            pick.key,
            type_name(pick.value)
        ))
    }

    /// True when a title or body field (or description) is present at all.
    pub(crate) fn has_title_or_body(&self) -> bool {
        self.title.is_some() || self.body.is_some() || self.description.is_some()
    }
}

/// Builds an article from one JSON object. `Err` is the reason the record
/// is skipped (no title or body field, unusable body); `notes` receives
/// non-fatal problems. The caller sets `id` and `path` and prefixes the
/// reason with the record's position as it sees fit.
pub(crate) fn article_from_object(
    map: &Map<String, Value>,
    id: String,
    rel_path: &str,
    notes: &mut Vec<String>,
) -> Result<Article, String> {
    let fields = Fields::collect(map);
    if !fields.has_title_or_body() {
        return Err(format!(
            "no title or body field (fields: {})",
            key_list(map)
        ));
    }
    let body = fields.body()?.unwrap_or_default();
    let mut article = Article {
        id,
        path: rel_path.to_owned(),
        body,
        ..Article::default()
    };
    fields.apply_metadata(&mut article, notes);
    if article.title.is_empty() && article.body.is_empty() {
        return Err("title and body are both empty".to_owned());
    }
    if article.title.is_empty() {
        article.title = super::text::title_from_body(&article.body);
    }
    Ok(article)
}

/// The date of a date field: a string in any form [`parse_date`] knows, or
/// a Unix timestamp number. Unusable values leave the date unset, with a note.
fn date_value(p: Pick<'_>, notes: &mut Vec<String>) -> Option<chrono::DateTime<chrono::Utc>> {
    let date = match p.value {
        Value::Number(n) => n.as_f64().and_then(from_unix_number),
        Value::String(s) if s.trim().is_empty() => return None,
        Value::String(s) => parse_date(s),
        _ => {
            notes.push(type_note(p, "a date"));
            return None;
        }
    };
    if date.is_none() {
        notes.push(format!(
            "date {} not understood; kept the article without a date",
            quote_value(p.value)
        ));
    }
    date
}

/// "a, b, c" of a record's keys (at most 20), for skip reasons.
pub(crate) fn key_list(map: &Map<String, Value>) -> String {
    if map.is_empty() {
        return "none".to_owned();
    }
    let mut keys: Vec<&str> = map.keys().take(20).map(|k| k.as_str()).collect();
    if map.len() > 20 {
        keys.push("…");
    }
    keys.join(", ")
}

/// Text of a string, number or boolean value.
fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// The strings of an array whose items are all text-like (strings or
/// objects with a text field, as in `[{"text": "para 1"}, …]`).
fn string_list(value: &Value) -> Option<Vec<String>> {
    let Value::Array(items) = value else {
        return None;
    };
    items
        .iter()
        .map(|item| match item {
            Value::Object(obj) => ["text", "content", "body", "value"]
                .iter()
                .find_map(|k| obj.get(*k).and_then(Value::as_str))
                .map(str::to_owned),
            other => scalar_text(other),
        })
        .collect()
}

/// A name: a string, or an object's `name` field (`{"name": "BBC"}`).
fn name_of(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.trim().to_owned()),
        Value::Object(obj) => obj
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("name"))
            .and_then(|(_, v)| v.as_str())
            .map(|s| s.trim().to_owned()),
        _ => None,
    }
}

fn is_nameless_object(value: &Value) -> bool {
    matches!(value, Value::Object(_))
}

fn is_blank(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::String(s) => s.trim().is_empty(),
        Value::Array(a) => a.is_empty(),
        _ => false,
    }
}

/// "a, b; c" → ["a", "b", "c"]: keyword strings use either separator.
pub(crate) fn split_tags(s: &str) -> Vec<String> {
    s.split([',', ';'])
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .collect()
}

/// `s` with each run of whitespace as one space, trimmed at both ends
/// (" a \n\t b " → "a b").
pub(crate) fn collapse_whitespace(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

fn type_note(p: Pick<'_>, expected: &str) -> String {
    format!(
        "field \"{}\" is {}, expected {expected}; ignored",
        p.key,
        type_name(p.value)
    )
}

fn quote_value(value: &Value) -> String {
    match value {
        Value::String(s) => format!("\"{}\"", shorten(s.trim(), 60)),
        other => shorten(&other.to_string(), 60).into_owned(),
    }
}

pub(crate) fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn object(v: Value) -> Map<String, Value> {
        match v {
            Value::Object(m) => m,
            _ => panic!("test input must be an object"),
        }
    }

    fn build(v: Value) -> (Result<Article, String>, Vec<String>) {
        let mut notes = Vec::new();
        let r = article_from_object(&object(v), "a.json".into(), "a.json", &mut notes);
        (r, notes)
    }

    #[test]
    fn aliases_are_case_insensitive_and_ranked() {
        let (a, notes) = build(json!({
            "Headline": "H",
            "TITLE": "T",
            "publishedAt": "2024-03-01T00:00:00Z",
            "articleBody": "Second choice",
            "Body": "First choice",
            "LINK": "https://x.test/a",
            "Publisher": {"name": "Example News"},
            "byline": "Jane Doe",
            "Keywords": "a, b;c",
        }));
        let a = a.expect("article");
        assert!(notes.is_empty(), "{notes:?}");
        assert_eq!(a.title, "T");
        assert_eq!(a.body, "First choice");
        assert_eq!(a.url.as_deref(), Some("https://x.test/a"));
        assert_eq!(a.source.as_deref(), Some("Example News"));
        assert_eq!(a.author.as_deref(), Some("Jane Doe"));
        assert_eq!(a.tags, ["a", "b", "c"]);
        assert_eq!(
            a.date.map(|d| d.to_rfc3339()),
            Some("2024-03-01T00:00:00+00:00".to_owned())
        );
    }

    #[test]
    fn description_only_when_no_body() {
        let (a, _) = build(json!({"title": "T", "description": "D", "content": "C"}));
        assert_eq!(a.expect("article").body, "C");
        let (a, _) = build(json!({"title": "T", "description": "D"}));
        assert_eq!(a.expect("article").body, "D");
        // An empty body field does not hide the description.
        let (a, _) = build(json!({"title": "T", "description": "D", "text": ""}));
        assert_eq!(a.expect("article").body, "D");
    }

    #[test]
    fn authors_in_every_shape() {
        let cases = [
            (json!("A"), "A"),
            (json!(["A", "B"]), "A, B"),
            (json!([{"name": "A"}, {"name": "B"}]), "A, B"),
            (json!({"name": "A"}), "A"),
        ];
        for (value, want) in cases {
            let (a, notes) = build(json!({"title": "T", "authors": value}));
            assert_eq!(a.expect("article").author.as_deref(), Some(want));
            assert!(notes.is_empty());
        }
    }

    #[test]
    fn wrong_types_are_coerced_or_noted() {
        // Title a number, body a list of paragraphs, tags an array.
        let (a, notes) = build(json!({
            "title": 2024,
            "body": ["Para one.", "  ", "Para two."],
            "tags": ["x", 1, {"name": "y"}],
            "url": 5,
        }));
        let a = a.expect("article");
        assert_eq!(a.title, "2024");
        assert_eq!(a.body, "Para one.\n\nPara two.");
        assert_eq!(a.tags, ["x", "y"]);
        assert_eq!(a.url, None);
        assert_eq!(notes.len(), 1, "{notes:?}");
        assert!(notes[0].contains("\"url\" is a number"), "{notes:?}");
    }

    #[test]
    fn body_object_is_a_skip_reason() {
        let (a, _) = build(json!({"title": "T", "body": {"html": "<p>x</p>"}}));
        assert_eq!(
            a.expect_err("skipped"),
            "field \"body\" is an object, not text"
        );
    }

    #[test]
    fn no_title_or_body_lists_fields() {
        let (a, _) = build(json!({"id": 1, "score": 3}));
        assert_eq!(
            a.expect_err("skipped"),
            "no title or body field (fields: id, score)"
        );
    }

    #[test]
    fn numeric_and_bad_dates() {
        let (a, notes) = build(json!({"title": "T", "date": 1709288430}));
        assert_eq!(
            a.expect("article").date.map(|d| d.timestamp()),
            Some(1709288430)
        );
        assert!(notes.is_empty());
        let (a, notes) = build(json!({"title": "T", "date": "last Tuesday"}));
        assert_eq!(a.expect("article").date, None);
        assert_eq!(
            notes,
            ["date \"last Tuesday\" not understood; kept the article without a date"]
        );
    }

    #[test]
    fn missing_title_is_derived_from_body() {
        let (a, _) = build(json!({"text": "Rain fell in Paris. More later."}));
        assert_eq!(a.expect("article").title, "Rain fell in Paris");
    }
}
