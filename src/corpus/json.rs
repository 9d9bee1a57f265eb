//! JSON article files (`.json`): one article object, an array of article
//! objects, or an object with an `"articles"` array (the NewsAPI shape).
//!
//! Arrays are streamed: each element is converted to an [`Article`] as soon
//! as serde_json has read it, so a large file never exists as one big
//! `serde_json::Value` tree next to its articles.

use std::fmt;

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::{Map, Value};

use super::fields::{article_from_object, type_name};
use super::{ParseError, ParseOptions, Parsed};

/// Parses a JSON file. Ids are `rel_path#N` (1-based) for array elements
/// and `rel_path` for a single object. Elements that are not usable
/// articles are skipped with a reason starting "record N:"; malformed JSON
/// is a [`ParseError`] with serde_json's line and column.
pub(crate) fn parse(
    rel_path: &str,
    text: &str,
    options: &ParseOptions,
) -> Result<Parsed, ParseError> {
    if text.trim().is_empty() {
        return Err(ParseError::new(rel_path, "empty file, expected JSON"));
    }
    let mut sink = Sink {
        rel_path,
        options,
        parsed: Parsed::default(),
        records: 0,
    };
    let mut de = serde_json::Deserializer::from_str(text);
    let shape = TopLevel { sink: &mut sink }
        .deserialize(&mut de)
        .and_then(|shape| de.end().map(|()| shape))
        .map_err(|e| json_error(rel_path, &e))?;
    match shape {
        Shape::Streamed => {}
        Shape::Single(map) => sink.single(&map),
        Shape::Other(found) => {
            return Err(ParseError::new(
                rel_path,
                format!("expected a JSON object or an array of article objects, found {found}"),
            ))
        }
    }
    Ok(sink.parsed)
}

/// A serde_json error as a [`ParseError`] at its line and column.
fn json_error(rel_path: &str, e: &serde_json::Error) -> ParseError {
    ParseError::at(
        rel_path,
        e.line(),
        Some(e.column()),
        format!("invalid JSON: {}", serde_message(e)),
    )
}

/// serde_json's message without its " at line L column C" suffix, which
/// callers report in their own way.
pub(crate) fn serde_message(e: &serde_json::Error) -> String {
    let full = e.to_string();
    match full.rfind(" at line ") {
        Some(i) => full[..i].to_owned(),
        None => full,
    }
}

/// Receives records as they are read.
struct Sink<'a> {
    rel_path: &'a str,
    options: &'a ParseOptions,
    parsed: Parsed,
    /// Array elements seen so far (the N of `#N`).
    records: usize,
}

impl Sink<'_> {
    fn element(&mut self, value: Value) {
        self.records += 1;
        let n = self.records;
        let id = format!("{}#{n}", self.rel_path);
        let Value::Object(map) = value else {
            let reason = format!("record {n}: not a JSON object ({})", type_name(&value));
            self.parsed.skip(id, reason);
            return;
        };
        let mut notes = Vec::new();
        match article_from_object(&map, id.clone(), self.rel_path, &mut notes) {
            Ok(article) => {
                for note in notes {
                    self.parsed.warn(id.as_str(), note);
                }
                self.parsed.push(article, self.options);
            }
            Err(reason) => self.parsed.skip(id, format!("record {n}: {reason}")),
        }
    }

    fn single(&mut self, map: &Map<String, Value>) {
        let mut notes = Vec::new();
        match article_from_object(map, self.rel_path.to_owned(), self.rel_path, &mut notes) {
            Ok(article) => {
                for note in notes {
                    self.parsed.warn(self.rel_path, note);
                }
                self.parsed.push(article, self.options);
            }
            Err(reason) => self.parsed.skip(self.rel_path, reason),
        }
    }
}

/// What the top-level value turned out to be.
enum Shape {
    /// An array (top-level or under "articles"), already handed to the sink.
    Streamed,
    /// One object: a single article.
    Single(Map<String, Value>),
    /// A scalar: not an article file.
    Other(&'static str),
}

struct TopLevel<'s, 'a> {
    sink: &'s mut Sink<'a>,
}

impl<'de> DeserializeSeed<'de> for TopLevel<'_, '_> {
    type Value = Shape;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Shape, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for TopLevel<'_, '_> {
    type Value = Shape;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object or array")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Shape, A::Error> {
        while let Some(value) = seq.next_element::<Value>()? {
            self.sink.element(value);
        }
        Ok(Shape::Streamed)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Shape, A::Error> {
        let mut object = Map::new();
        let mut streamed = false;
        while let Some(key) = map.next_key::<String>()? {
            if streamed {
                // Envelope fields next to "articles" (status, totalResults).
                map.next_value::<IgnoredAny>()?;
            } else if key.eq_ignore_ascii_case("articles") {
                match map.next_value_seed(Articles {
                    sink: &mut *self.sink,
                })? {
                    None => streamed = true,
                    Some(value) => {
                        object.insert(key, value);
                    }
                }
            } else {
                let value = map.next_value::<Value>()?;
                object.insert(key, value);
            }
        }
        Ok(if streamed {
            Shape::Streamed
        } else {
            Shape::Single(object)
        })
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Shape, E> {
        Ok(Shape::Other("a boolean"))
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Shape, E> {
        Ok(Shape::Other("a number"))
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Shape, E> {
        Ok(Shape::Other("a number"))
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Shape, E> {
        Ok(Shape::Other("a number"))
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<Shape, E> {
        Ok(Shape::Other("a string"))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Shape, E> {
        Ok(Shape::Other("null"))
    }
}

/// The value of an "articles" key: streamed when it is an array (returns
/// `None`), otherwise kept as an ordinary field value.
struct Articles<'s, 'a> {
    sink: &'s mut Sink<'a>,
}

impl<'de> DeserializeSeed<'de> for Articles<'_, '_> {
    type Value = Option<Value>;

    fn deserialize<D: de::Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<Option<Value>, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Articles<'_, '_> {
    type Value = Option<Value>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Option<Value>, A::Error> {
        while let Some(value) = seq.next_element::<Value>()? {
            self.sink.element(value);
        }
        Ok(None)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Option<Value>, A::Error> {
        let object = Map::deserialize(de::value::MapAccessDeserializer::new(map))?;
        Ok(Some(Value::Object(object)))
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Option<Value>, E> {
        Ok(Some(Value::Bool(v)))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Option<Value>, E> {
        Ok(Some(Value::from(v)))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Option<Value>, E> {
        Ok(Some(Value::from(v)))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Option<Value>, E> {
        Ok(Some(Value::from(v)))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Option<Value>, E> {
        Ok(Some(Value::String(v.to_owned())))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Option<Value>, E> {
        Ok(Some(Value::Null))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str) -> Result<Parsed, ParseError> {
        parse("feeds/a.json", text, &ParseOptions::default())
    }

    #[test]
    fn single_object_id_is_the_path() {
        let p = run(r#"{"title": "T", "body": "B", "source": "S"}"#).expect("parses");
        assert_eq!(p.articles.len(), 1);
        let a = &p.articles[0];
        assert_eq!(a.id, "feeds/a.json");
        assert_eq!(a.path, "feeds/a.json");
        assert_eq!((a.title.as_str(), a.body.as_str()), ("T", "B"));
        assert_eq!(a.source.as_deref(), Some("S"));
    }

    #[test]
    fn array_ids_are_one_based_and_bad_records_skipped() {
        let p = run(r#"[
            {"headline": "One", "text": "First"},
            {"id": 7, "score": 1.5},
            "just a string",
            {"title": "Four", "body": {"html": "<p>x</p>"}},
            {"title": "Five", "content": ["P1", "P2"], "date": "nope"}
        ]"#)
        .expect("parses");
        let ids: Vec<&str> = p.articles.iter().map(|a| a.id.as_str()).collect();
        assert_eq!(ids, ["feeds/a.json#1", "feeds/a.json#5"]);
        assert_eq!(p.articles[1].body, "P1\n\nP2");
        let skipped: Vec<(&str, &str)> = p
            .skipped
            .iter()
            .map(|s| (s.location.as_str(), s.reason.as_str()))
            .collect();
        assert_eq!(
            skipped,
            [
                (
                    "feeds/a.json#2",
                    "record 2: no title or body field (fields: id, score)"
                ),
                ("feeds/a.json#3", "record 3: not a JSON object (a string)"),
                (
                    "feeds/a.json#4",
                    "record 4: field \"body\" is an object, not text"
                ),
            ]
        );
        assert_eq!(p.warnings.len(), 1);
        assert_eq!(p.warnings[0].location, "feeds/a.json#5");
    }

    #[test]
    fn newsapi_envelope_with_articles_array() {
        let p = run(r#"{"status": "ok", "totalResults": 2, "articles": [
            {"source": {"id": null, "name": "BBC News"}, "author": "A", "title": "T1",
             "description": "D1", "url": "https://b.test/1", "publishedAt": "2024-03-01T10:00:00Z",
             "content": "C1"},
            {"source": {"id": "x"}, "title": "T2", "description": "D2"}
        ], "extra": [1, 2]}"#)
        .expect("parses");
        assert_eq!(p.articles.len(), 2);
        assert_eq!(p.articles[0].id, "feeds/a.json#1");
        assert_eq!(p.articles[0].source.as_deref(), Some("BBC News"));
        assert_eq!(p.articles[0].body, "C1");
        assert!(p.articles[0].date.is_some());
        assert_eq!(p.articles[1].body, "D2");
        assert_eq!(p.articles[1].source, None);
        assert!(p.skipped.is_empty() && p.warnings.is_empty(), "{p:?}");
    }

    #[test]
    fn articles_key_that_is_not_an_array_is_a_field() {
        let p = run(r#"{"title": "T", "articles": 3, "body": "B"}"#).expect("parses");
        assert_eq!(p.articles.len(), 1);
        assert_eq!(p.articles[0].id, "feeds/a.json");
    }

    #[test]
    fn malformed_json_reports_line_and_column() {
        let err = run("[\n  {\"title\": \"T\",}\n]").expect_err("malformed");
        assert_eq!(err.line(), Some(2));
        assert!(err.column().is_some());
        assert!(err.message().starts_with("invalid JSON: "), "{err}");
        assert!(!err.message().contains(" at line "), "{err}");
        assert!(err.to_string().starts_with("feeds/a.json: line 2, column "));
        let err = run(r#"{"title": "T"} trailing"#).expect_err("trailing");
        assert_eq!(err.line(), Some(1));
    }

    #[test]
    fn scalars_and_empty_files_are_errors() {
        let err = run("42").expect_err("scalar");
        assert_eq!(
            err.to_string(),
            "feeds/a.json: expected a JSON object or an array of article objects, found a number"
        );
        assert!(run("  \n").is_err());
        assert!(run("[]").expect("empty array").articles.is_empty());
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let deep = "[".repeat(100_000);
        assert!(run(&deep).is_err());
        let deep = format!("{{\"title\": {}", "{\"a\":".repeat(100_000));
        assert!(run(&deep).is_err());
    }
}
