//! JSON Lines article files (`.jsonl`, `.ndjson`): one article object per
//! line. A bad line is one skipped record, never the whole file, so a
//! truncated or hand-edited dump still yields everything else.
//!
//! Lines are parsed one at a time straight from the decoded text; only the
//! current line's `serde_json::Value` is ever alive.

use serde_json::Value;

use super::fields::{article_from_object, type_name};
use super::json::serde_message;
use super::text::LineIter;
use super::{ParseError, ParseOptions, Parsed};

/// Parses a JSON Lines file. Ids are `rel_path#LINE` with the 1-based
/// physical line number; blank lines are ignored.
pub(crate) fn parse(
    rel_path: &str,
    text: &str,
    options: &ParseOptions,
) -> Result<Parsed, ParseError> {
    let mut parsed = Parsed::default();
    for (index, (_, line)) in LineIter::new(text).enumerate() {
        let line_no = index + 1;
        if line.trim().is_empty() {
            continue;
        }
        let id = format!("{rel_path}#{line_no}");
        let value: Value = match serde_json::from_str(line) {
            Ok(v) => v,
            Err(e) => {
                let reason = format!(
                    "invalid JSON at column {}: {}",
                    e.column(),
                    serde_message(&e)
                );
                parsed.skip(id, reason);
                continue;
            }
        };
        let Value::Object(map) = value else {
            parsed.skip(id, format!("not a JSON object ({})", type_name(&value)));
            continue;
        };
        let mut notes = Vec::new();
        match article_from_object(&map, id.clone(), rel_path, &mut notes) {
            Ok(article) => {
                for note in notes {
                    parsed.warn(id.as_str(), note);
                }
                parsed.push(article, options);
            }
            Err(reason) => parsed.skip(id, reason),
        }
    }
    Ok(parsed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_article_per_line_with_physical_line_ids() {
        let text = "{\"title\": \"A\", \"body\": \"x\"}\n\n   \n{\"headline\": \"B\", \"text\": \"y\"}\r\n";
        let p = parse("d/n.jsonl", text, &ParseOptions::default()).expect("parses");
        let ids: Vec<&str> = p.articles.iter().map(|a| a.id.as_str()).collect();
        assert_eq!(ids, ["d/n.jsonl#1", "d/n.jsonl#4"]);
        assert_eq!(p.articles[1].title, "B");
        assert_eq!(p.articles[1].path, "d/n.jsonl");
    }

    #[test]
    fn malformed_lines_are_skipped_and_the_rest_parsed() {
        let text = "{\"title\": \"A\"}\n{\"title\": \"B\",\n[1, 2]\n{\"x\": 1}\n{\"title\": \"E\", \"body\": \"e\"}";
        let p = parse("n.jsonl", text, &ParseOptions::default()).expect("parses");
        let ids: Vec<&str> = p.articles.iter().map(|a| a.id.as_str()).collect();
        assert_eq!(ids, ["n.jsonl#1", "n.jsonl#5"]);
        assert_eq!(p.skipped.len(), 3);
        assert_eq!(p.skipped[0].location, "n.jsonl#2");
        assert!(
            p.skipped[0].reason.starts_with("invalid JSON at column "),
            "{}",
            p.skipped[0].reason
        );
        assert!(
            p.skipped[0].reason.contains("EOF"),
            "{}",
            p.skipped[0].reason
        );
        assert_eq!(p.skipped[1].reason, "not a JSON object (an array)");
        assert_eq!(p.skipped[2].reason, "no title or body field (fields: x)");
    }

    #[test]
    fn empty_file_has_no_articles() {
        let p = parse("e.jsonl", "", &ParseOptions::default()).expect("parses");
        assert!(p.articles.is_empty() && p.skipped.is_empty());
    }
}
