//! Saved web pages (`.html`, `.htm`): the article is extracted from the page
//! rather than indexing the whole page text (menus, footers and "related
//! stories" would drown the search).
//!
//! The body comes from dom_smoothie, a port of Mozilla's Readability, as
//! formatted text with paragraph breaks. When it finds nothing, the text of
//! `<article>`, else `<main>`, else all `<p>` elements is used. Metadata
//! comes from one pass over the parsed page: OpenGraph and `article:` meta
//! tags, `<title>`, `<h1>`, `<link rel=canonical>`, schema.org `itemprop`
//! and JSON-LD.
//!
//! Readability walks the tree recursively, so a maliciously deep page could
//! overflow the stack. The page's nesting depth is measured first (without
//! recursion) and pages deeper than [`MAX_READABILITY_DEPTH`] go straight to
//! the fallback, whose text extraction is iterative.

use dom_query::{Document, NodeRef};
use dom_smoothie::{Config, Readability, TextMode};
use serde_json::{Map, Value};

use super::fields::{collapse_whitespace, Fields};
use super::text::title_from_body;
use super::{date_or_warn, ParseError, ParseOptions, Parsed};
use crate::Article;

/// Pages nested deeper than this skip Readability. Real news pages stay
/// well under 100 levels. Measured: dom_smoothie 0.19 overflows a 2 MiB
/// thread stack (a debug build; rayon's default stack size) on plain
/// `<div>` nesting somewhere between 5,000 and 10,000 levels, so 256 leaves
/// a wide margin for release builds, other element mixes and deeper caller
/// stacks.
const MAX_READABILITY_DEPTH: usize = 256;

/// Pages whose tags nest deeper than this are not parsed at all: the HTML
/// tree builder's work grows with the square of the nesting depth (it
/// scans the stack of open elements for every tag), so 100,000 nested
/// `<div>`s — a 500 KB file — would stall indexing for minutes. 10,000
/// levels take about a second in a release build; real pages stay under
/// 100.
const MAX_MARKUP_DEPTH: usize = 12_000;

/// Estimates the element nesting of `html` from its tags alone, without
/// parsing: start tags count up and end tags down, except for void
/// elements, self-closing tags and the elements that close implicitly
/// (`<p>`, `<li>`, table cells, …). Tags inside comments and script text
/// such as `a<b` count too, so this overestimates a little; it is only
/// compared to a generous limit.
fn markup_depth(html: &str) -> usize {
    const NOT_NESTING: &[&str] = &[
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr", "p", "li", "dt", "dd", "td", "th", "tr", "option", "optgroup",
    ];
    let bytes = html.as_bytes();
    let (mut depth, mut max) = (0usize, 0usize);
    let mut i = 0;
    while let Some(offset) = bytes[i..].iter().position(|&b| b == b'<') {
        i += offset + 1;
        let closing = bytes.get(i) == Some(&b'/');
        let name_start = if closing { i + 1 } else { i };
        let name_len = bytes[name_start.min(bytes.len())..]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric())
            .count();
        if name_len == 0 || !bytes[name_start].is_ascii_alphabetic() {
            continue;
        }
        let name = &html[name_start..name_start + name_len];
        if NOT_NESTING.iter().any(|n| n.eq_ignore_ascii_case(name)) {
            continue;
        }
        if closing {
            depth = depth.saturating_sub(1);
            continue;
        }
        let tag_end = bytes[i..].iter().position(|&b| b == b'>').map(|e| i + e);
        if tag_end.is_some_and(|e| e > i && bytes[e - 1] == b'/') {
            continue;
        }
        depth += 1;
        max = max.max(depth);
    }
    max
}

/// Parses a saved page into one article: title from `og:title`, else
/// `<title>` without a trailing " | Site" part, else the first `<h1>`; body
/// from Readability or the fallback; date, URL, source and author from
/// meta tags and JSON-LD. A page with no article text is a [`ParseError`].
pub(crate) fn parse(
    rel_path: &str,
    text: &str,
    options: &ParseOptions,
) -> Result<Parsed, ParseError> {
    let depth = markup_depth(text);
    if depth > MAX_MARKUP_DEPTH {
        return Err(ParseError::new(
            rel_path,
            format!(
                "markup nested about {depth} levels deep (the limit is {MAX_MARKUP_DEPTH}); \
                 not read, as parsing it would take minutes"
            ),
        ));
    }
    let doc = Document::from(text);
    let page = PageMeta::collect(&doc);
    let depth = max_depth(&doc);

    // Readability changes the document while trying, so its fallback needs
    // a fresh parse; a page too deep for Readability is untouched and is
    // reused (parsing is quadratic in the nesting depth, so parsing a
    // 10,000-level page twice took seconds).
    let (mut body, untouched) = if depth <= MAX_READABILITY_DEPTH {
        (readability_text(doc), None)
    } else {
        (None, Some(doc))
    };
    if body.is_none() {
        body = page
            .json_ld
            .as_ref()
            .and_then(|ld| Fields::collect(ld).body().ok().flatten())
            .map(|b| tidy_text(&b))
            .filter(|b| !b.is_empty())
            .or_else(|| fallback_text(&untouched.unwrap_or_else(|| Document::from(text))));
    }
    let Some(body) = body else {
        return Err(ParseError::new(rel_path, "no article text found"));
    };

    let mut parsed = Parsed::default();
    let mut article = Article {
        id: rel_path.to_owned(),
        path: rel_path.to_owned(),
        body,
        ..Article::default()
    };
    page.apply(&mut article, rel_path, &mut parsed);
    if article.title.is_empty() {
        article.title = title_from_body(&article.body);
    }
    parsed.push(article, options);
    Ok(parsed)
}

/// The article text according to dom_smoothie, or `None` when it finds
/// nothing usable.
fn readability_text(doc: Document) -> Option<String> {
    let config = Config {
        text_mode: TextMode::Formatted,
        ..Config::default()
    };
    let mut readability = Readability::with_document(doc, None, Some(config)).ok()?;
    let article = readability.parse().ok()?;
    let text = tidy_text(&article.text_content);
    (!text.is_empty()).then_some(text)
}

/// The fallback extraction: the longest `<article>` element's text, else the
/// longest `<main>`'s, else the text of every `<p>`, one paragraph each.
fn fallback_text(doc: &Document) -> Option<String> {
    let mut best_article = String::new();
    let mut best_main = String::new();
    let mut paragraphs = Vec::new();
    for node in doc.root().descendants_it() {
        let Some(name) = node.node_name() else {
            continue;
        };
        match &*name {
            "article" | "main" => {
                let text = tidy_text(&node.formatted_text());
                let best = if &*name == "article" {
                    &mut best_article
                } else {
                    &mut best_main
                };
                if text.len() > best.len() {
                    *best = text;
                }
            }
            "p" => {
                let text = collapse_whitespace(&node.text());
                if !text.is_empty() {
                    paragraphs.push(text);
                }
            }
            _ => {}
        }
    }
    [best_article, best_main, paragraphs.join("\n\n")]
        .into_iter()
        .find(|t| !t.is_empty())
}

/// Trims every line, and keeps at most one blank line between paragraphs.
fn tidy_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank = false;
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() {
            blank = true;
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank { "\n\n" } else { "\n" });
        }
        blank = false;
        out.push_str(line);
    }
    out
}

/// The deepest element nesting in `doc`, measured iteratively.
fn max_depth(doc: &Document) -> usize {
    let root = doc.root();
    let mut max = 0;
    let mut depth = 1;
    let mut node = root.first_child();
    while let Some(n) = node {
        max = max.max(depth);
        if let Some(child) = n.first_child() {
            depth += 1;
            node = Some(child);
            continue;
        }
        // No children: the next sibling, or the next sibling of the nearest
        // ancestor that has one.
        let mut cur = n;
        node = loop {
            if let Some(sibling) = cur.next_sibling() {
                break Some(sibling);
            }
            match cur.parent() {
                Some(parent) if parent.id != root.id => {
                    depth -= 1;
                    cur = parent;
                }
                _ => break None,
            }
        };
    }
    max
}

/// Metadata gathered in one pass over the page.
#[derive(Default)]
struct PageMeta {
    /// `meta` tags by lowercased `property`, `name` or `itemprop`: first
    /// occurrence wins.
    meta: Vec<(String, String)>,
    title: Option<String>,
    h1: Option<String>,
    canonical: Option<String>,
    /// `<time itemprop="datePublished" datetime="…">`.
    time_published: Option<String>,
    /// The first JSON-LD object that describes an article.
    json_ld: Option<Map<String, Value>>,
}

impl PageMeta {
    fn collect(doc: &Document) -> PageMeta {
        let mut page = PageMeta::default();
        for node in doc.root().descendants_it() {
            let Some(name) = node.node_name() else {
                continue;
            };
            match &*name {
                "meta" => page.add_meta(&node),
                "title" if page.title.is_none() => {
                    page.title = non_empty(collapse_whitespace(&node.text()));
                }
                "h1" if page.h1.is_none() => {
                    page.h1 = non_empty(collapse_whitespace(&node.text()));
                }
                "link" if page.canonical.is_none() => {
                    let is_canonical = node.attr("rel").is_some_and(|rel| {
                        rel.split_whitespace()
                            .any(|r| r.eq_ignore_ascii_case("canonical"))
                    });
                    if is_canonical {
                        page.canonical = node
                            .attr("href")
                            .and_then(|h| non_empty(h.trim().to_owned()));
                    }
                }
                "time"
                    if page.time_published.is_none()
                        && node
                            .attr("itemprop")
                            .is_some_and(|p| p.eq_ignore_ascii_case("datePublished")) =>
                {
                    page.time_published = node
                        .attr("datetime")
                        .map(|d| d.to_string())
                        .or_else(|| non_empty(node.text().trim().to_owned()));
                }
                "script" if page.json_ld.is_none() => {
                    let is_ld = node
                        .attr("type")
                        .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/ld+json"));
                    if is_ld {
                        page.json_ld = json_ld_article(&node.text());
                    }
                }
                _ => {}
            }
        }
        page
    }

    fn add_meta(&mut self, node: &NodeRef<'_>) {
        let Some(content) = node.attr("content") else {
            return;
        };
        let content = content.trim();
        if content.is_empty() {
            return;
        }
        for attr in ["property", "name", "itemprop"] {
            if let Some(key) = node.attr(attr) {
                let key = key.trim().to_ascii_lowercase();
                if !self.meta.iter().any(|(k, _)| *k == key) {
                    self.meta.push((key, content.to_owned()));
                }
            }
        }
    }

    fn meta(&self, key: &str) -> Option<&str> {
        self.meta
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// Sets title, date, url, source and author on `article`.
    fn apply(&self, article: &mut Article, rel_path: &str, parsed: &mut Parsed) {
        // JSON-LD values only fill gaps, so their oddities (an unparseable
        // date, a list where text was expected) are not worth a warning.
        let mut ld = Article::default();
        if let Some(obj) = &self.json_ld {
            Fields::collect(obj).apply_metadata(&mut ld, &mut Vec::new());
        }

        article.title = self
            .meta("og:title")
            .map(collapse_whitespace)
            .or_else(|| self.title.as_deref().map(strip_site_suffix))
            .or_else(|| self.h1.clone())
            .or_else(|| non_empty(ld.title.clone()))
            .unwrap_or_default();

        let date_text = [
            "article:published_time",
            "og:published_time",
            "datepublished",
        ]
        .iter()
        .find_map(|k| self.meta(k))
        .or(self.time_published.as_deref());
        article.date = match date_text {
            Some(d) => date_or_warn(d, rel_path, &mut parsed.warnings),
            None => ld.date,
        };

        article.url = self
            .canonical
            .clone()
            .or_else(|| self.meta("og:url").map(str::to_owned))
            .or(ld.url);
        article.source = self.meta("og:site_name").map(str::to_owned).or(ld.source);
        article.author = self
            .meta("author")
            .filter(|a| !looks_like_url(a))
            .map(str::to_owned)
            .or(ld.author);
    }
}

/// The first article-like object in a JSON-LD script: the top-level object,
/// an array element or an `@graph` element whose `@type` mentions Article,
/// Posting or Report, else the first one with `datePublished`.
fn json_ld_article(script: &str) -> Option<Map<String, Value>> {
    let value: Value = serde_json::from_str(script.trim()).ok()?;
    let mut candidates: Vec<Map<String, Value>> = Vec::new();
    let push = |v: Value, out: &mut Vec<Map<String, Value>>| {
        if let Value::Object(mut obj) = v {
            if let Some(Value::Array(graph)) = obj.remove("@graph") {
                out.extend(graph.into_iter().filter_map(|g| match g {
                    Value::Object(o) => Some(o),
                    _ => None,
                }));
            }
            out.push(obj);
        }
    };
    match value {
        Value::Array(items) => {
            for item in items {
                push(item, &mut candidates);
            }
        }
        other => push(other, &mut candidates),
    }
    let is_article = |obj: &Map<String, Value>| {
        let type_mentions = |t: &str| {
            ["Article", "Posting", "Report"]
                .iter()
                .any(|a| t.contains(a))
        };
        match obj.get("@type") {
            Some(Value::String(t)) => type_mentions(t),
            Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).any(type_mentions),
            _ => false,
        }
    };
    let first_article = candidates.iter().position(is_article);
    let index = first_article.or_else(|| {
        candidates
            .iter()
            .position(|o| o.contains_key("datePublished"))
    })?;
    Some(candidates.swap_remove(index))
}

/// "Storm hits coast | Daily News" → "Storm hits coast": drops the last
/// " | …", " - …", " – …" or " — …" part when what remains has at least
/// four words and is longer than the part dropped.
fn strip_site_suffix(title: &str) -> String {
    let title = collapse_whitespace(title);
    let cut = [" | ", " - ", " – ", " — ", " :: ", " · "]
        .iter()
        .filter_map(|sep| title.rfind(sep).map(|i| (i, sep.len())))
        .max_by_key(|&(i, _)| i);
    if let Some((i, sep_len)) = cut {
        let (head, tail) = (&title[..i], &title[i + sep_len..]);
        if head.split_whitespace().count() >= 4 && head.len() > tail.len() {
            return head.trim().to_owned();
        }
    }
    title
}

fn looks_like_url(s: &str) -> bool {
    s.starts_with("http://") || s.starts_with("https://")
}

fn non_empty(s: String) -> Option<String> {
    (!s.is_empty()).then_some(s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::test_support::shared_data_dir;
    use std::collections::HashMap;

    fn parse_ok(html: &str) -> Article {
        let mut p = parse("web/a.html", html, &ParseOptions::default()).expect("parses");
        assert_eq!(p.articles.len(), 1);
        p.articles.remove(0)
    }

    const PARAGRAPH: &str = "The city council voted on Tuesday to approve the new budget, which \
        includes funding for schools, roads and public transport. Officials said the plan would \
        take effect next month after a final review by the mayor's office.";

    fn page(head: &str, body_extra: &str) -> String {
        format!(
            "<html><head>{head}</head><body><nav><a href='/'>Home</a> <a href='/world'>World</a></nav>\
             <h1>Council approves budget</h1><article><p>{PARAGRAPH}</p><p>{PARAGRAPH}</p>\
             <p>Second paragraph about the vote and its consequences for residents.</p></article>\
             {body_extra}<footer>Copyright 2024 Example News. All rights reserved.</footer></body></html>"
        )
    }

    #[test]
    fn metadata_from_meta_tags() {
        let html = page(
            r#"<title>Council approves budget for next year | Example News</title>
               <meta property="og:title" content="OG: Council approves budget">
               <meta property="og:site_name" content="Example News">
               <meta property="og:url" content="https://example.test/og">
               <link rel="canonical" href="https://example.test/budget">
               <meta property="article:published_time" content="2024-03-01T09:30:00+01:00">
               <meta name="author" content="Jane Reporter">"#,
            "",
        );
        let a = parse_ok(&html);
        assert_eq!(a.title, "OG: Council approves budget");
        assert_eq!(a.source.as_deref(), Some("Example News"));
        assert_eq!(a.url.as_deref(), Some("https://example.test/budget"));
        assert_eq!(a.author.as_deref(), Some("Jane Reporter"));
        assert_eq!(
            a.date.map(|d| d.to_rfc3339()).as_deref(),
            Some("2024-03-01T08:30:00+00:00")
        );
        assert!(a.body.contains("The city council voted"));
        assert!(
            a.body.contains("\n\n"),
            "paragraph breaks kept: {:?}",
            a.body
        );
        assert!(!a.body.contains("Copyright"), "{}", a.body);
        assert!(!a.body.contains("Home"), "{}", a.body);
        assert_eq!(a.id, "web/a.html");
    }

    #[test]
    fn title_fallbacks_and_site_suffix() {
        let a = parse_ok(&page(
            "<title>Council approves budget for next year | Example News</title>",
            "",
        ));
        assert_eq!(a.title, "Council approves budget for next year");
        // Too short to strip: the remainder would not stand as a title.
        let a = parse_ok(&page("<title>Budget - Example News</title>", ""));
        assert_eq!(a.title, "Budget - Example News");
        let a = parse_ok(&page("", ""));
        assert_eq!(a.title, "Council approves budget");
        assert_eq!(
            strip_site_suffix("A long enough headline here – Site"),
            "A long enough headline here"
        );
        assert_eq!(
            strip_site_suffix("Well-known names - and more - are here today - X"),
            "Well-known names - and more - are here today"
        );
    }

    #[test]
    fn json_ld_date_author_and_publisher() {
        let ld = r#"<script type="application/ld+json">
            {"@context": "https://schema.org", "@graph": [
              {"@type": "WebSite", "name": "Site"},
              {"@type": ["NewsArticle"], "headline": "LD headline",
               "datePublished": "2024-02-03", "author": [{"@type": "Person", "name": "A. Writer"}, {"name": "B. Writer"}],
               "publisher": {"@type": "Organization", "name": "LD News"}}
            ]}</script>
            <meta itemprop="datePublished" content="not a date">"#;
        let mut p = parse("x.html", &page(ld, ""), &ParseOptions::default()).expect("parses");
        let a = p.articles.remove(0);
        assert_eq!(a.author.as_deref(), Some("A. Writer, B. Writer"));
        assert_eq!(a.source.as_deref(), Some("LD News"));
        // The meta date wins but is unparseable: warned, date unset.
        assert_eq!(a.date, None);
        assert_eq!(p.warnings.len(), 1, "{:?}", p.warnings);

        let ld_only = r#"<script type="application/ld+json">[{"@type": "NewsArticle", "datePublished": "2024-02-03T10:00:00Z"}]</script>"#;
        let a = parse_ok(&page(ld_only, ""));
        assert_eq!(
            a.date.map(|d| d.to_rfc3339()).as_deref(),
            Some("2024-02-03T10:00:00+00:00")
        );
    }

    #[test]
    fn fallback_when_readability_finds_little() {
        // Too little text for Readability's thresholds; the <p> fallback
        // still yields the words.
        let a = parse_ok(
            "<html><body><div><p>Short note one.</p><p>Short note two.</p></div></body></html>",
        );
        assert!(a.body.contains("Short note one."), "{}", a.body);
        assert!(a.body.contains("Short note two."), "{}", a.body);
    }

    #[test]
    fn no_text_is_an_error() {
        let err = parse(
            "e.html",
            "<html><head><title>T</title></head><body><img src=x></body></html>",
            &ParseOptions::default(),
        )
        .expect_err("no text");
        assert_eq!(err.to_string(), "e.html: no article text found");
        assert!(parse("e.html", "", &ParseOptions::default()).is_err());
    }

    #[test]
    fn deeply_nested_page_does_not_overflow_the_stack() {
        let depth = 10_000;
        let html = format!(
            "<html><head><title>Deep page title goes here | Site</title></head><body>{}<p>{PARAGRAPH}</p>{}</body></html>",
            "<div>".repeat(depth),
            "</div>".repeat(depth)
        );
        // Run on a thread with a small stack (rayon's default is 2 MiB) to
        // prove no recursion proportional to depth happens.
        let handle = std::thread::Builder::new()
            .stack_size(2 * 1024 * 1024)
            .spawn(move || parse("deep.html", &html, &ParseOptions::default()))
            .expect("thread starts");
        let parsed = handle.join().expect("no stack overflow").expect("parses");
        let a = &parsed.articles[0];
        assert_eq!(a.title, "Deep page title goes here");
        assert!(a.body.contains("The city council voted"));
    }

    #[test]
    fn absurdly_deep_markup_is_refused_quickly() {
        // 100,000 levels: parsing would take minutes (quadratic tree building).
        let html = format!(
            "<html><body>{}<p>words</p></body></html>",
            "<div>".repeat(100_000)
        );
        let started = std::time::Instant::now();
        let err = parse("deep.html", &html, &ParseOptions::default()).expect_err("refused");
        assert!(
            err.to_string().contains("nested about 100002 levels"),
            "{err}"
        );
        assert!(started.elapsed() < std::time::Duration::from_secs(5));
    }

    #[test]
    fn markup_depth_ignores_void_self_closing_and_implicitly_closed_tags() {
        assert_eq!(
            markup_depth("<html><body><div><p>a<p>b<br><img src=x/><x/></div></body></html>"),
            3
        );
        // Tags in comments count: an overestimate.
        assert_eq!(markup_depth("<!-- <div><div> --><div></div>"), 3);
        assert_eq!(markup_depth("a < b, 1<2, </ >, <"), 0);
        assert_eq!(markup_depth(&"<li>".repeat(50_000)), 0);
    }

    #[test]
    fn depth_measure() {
        let doc = Document::from("<html><body><div><div><p>x</p></div></div></body></html>");
        // html > body > div > div > p > text
        assert_eq!(max_depth(&doc), 6);
    }

    /// `\w+` tokens, as the benchmark's `re.findall(r"\w+", text)` (Rust's
    /// alphanumeric class is a close match for Python's Unicode `\w`).
    fn tokens(text: &str) -> Vec<&str> {
        text.split(|c: char| !(c.is_alphanumeric() || c == '_'))
            .filter(|t| !t.is_empty())
            .collect()
    }

    /// The benchmark's shingle multiset: 4-token windows, or one shorter
    /// shingle when the text has fewer than 4 tokens.
    fn shingles(text: &str) -> HashMap<Vec<&str>, usize> {
        let toks = tokens(text);
        let mut counts = HashMap::new();
        if toks.is_empty() {
            return counts;
        }
        for i in 0..toks.len().saturating_sub(3).max(1) {
            let end = (i + 4).min(toks.len());
            *counts.entry(toks[i..end].to_vec()).or_insert(0) += 1;
        }
        counts
    }

    /// TP, FP, FN over shingle multisets for one page, normalised to sum
    /// to 1 (all zero when both texts are empty), as `string_shingle_matching`.
    fn page_counts(want: &str, got: &str) -> (f64, f64, f64) {
        let (w, g) = (shingles(want), shingles(got));
        let (mut tp, mut fp, mut fn_) = (0usize, 0usize, 0usize);
        for (k, &gc) in &g {
            let wc = w.get(k).copied().unwrap_or(0);
            tp += gc.min(wc);
            fp += gc.saturating_sub(wc);
        }
        for (k, &wc) in &w {
            fn_ += wc.saturating_sub(g.get(k).copied().unwrap_or(0));
        }
        let total = (tp + fp + fn_) as f64;
        if total == 0.0 {
            return (0.0, 0.0, 0.0);
        }
        (tp as f64 / total, fp as f64 / total, fn_ as f64 / total)
    }

    /// Mean precision, mean recall and their F1, as `metrics_from_tp_fp_fns`
    /// (pages without predicted or expected shingles are left out of the
    /// respective mean).
    fn benchmark_metrics(pages: &[(f64, f64, f64)]) -> (f64, f64, f64) {
        let score = |tp: f64, other: f64, fp: f64, fn_: f64| {
            if fp == 0.0 && fn_ == 0.0 {
                1.0
            } else if tp == 0.0 && other == 0.0 {
                0.0
            } else {
                tp / (tp + other)
            }
        };
        let mean = |v: Vec<f64>| v.iter().sum::<f64>() / v.len().max(1) as f64;
        let precision = mean(
            pages
                .iter()
                .filter(|(tp, fp, _)| tp + fp > 0.0)
                .map(|&(tp, fp, fn_)| score(tp, fp, fp, fn_))
                .collect(),
        );
        let recall = mean(
            pages
                .iter()
                .filter(|(tp, _, fn_)| tp + fn_ > 0.0)
                .map(|&(tp, fp, fn_)| score(tp, fn_, fp, fn_))
                .collect(),
        );
        let f1 = if precision + recall > 0.0 {
            2.0 * precision * recall / (precision + recall)
        } else {
            0.0
        };
        (precision, recall, f1)
    }

    #[test]
    fn benchmark_scoring_matches_hand_computation() {
        assert_eq!(page_counts("a b c d e", "a b c d e"), (1.0, 0.0, 0.0));
        // want shingles: abcd, bcde; got: abcd, bcdx → TP 1, FP 1, FN 1.
        let third = 1.0 / 3.0;
        assert_eq!(page_counts("a b c d e", "a b c d x"), (third, third, third));
        // Short texts are one shingle.
        assert_eq!(page_counts("a b", "a b"), (1.0, 0.0, 0.0));
        assert_eq!(page_counts("", ""), (0.0, 0.0, 0.0));
        let (p, r, f1) = benchmark_metrics(&[(1.0, 0.0, 0.0), (third, third, third)]);
        assert!((p - 0.75).abs() < 1e-9 && (r - 0.75).abs() < 1e-9 && (f1 - 0.75).abs() < 1e-9);
        // A page with nothing predicted counts for recall only.
        let (p, r, _) = benchmark_metrics(&[(1.0, 0.0, 0.0), (0.0, 0.0, 1.0)]);
        assert_eq!((p, r), (1.0, 0.5));
    }

    #[test]
    fn article_extraction_benchmark_f1() {
        let Some(data) = shared_data_dir() else {
            eprintln!("skipped: shared data directory not found (set NEWSDEX_SHARED)");
            return;
        };
        let dir = data.join("article-extraction");
        let Ok(truth_text) = std::fs::read_to_string(dir.join("ground-truth.json")) else {
            eprintln!("skipped: {} has no ground-truth.json", dir.display());
            return;
        };
        let truth: Map<String, Value> =
            serde_json::from_str(&truth_text).expect("valid ground truth");
        let mut pages = Vec::new();
        let mut per_page: Vec<(f64, String)> = Vec::new();
        for (id, entry) in &truth {
            let want = entry
                .get("articleBody")
                .and_then(Value::as_str)
                .unwrap_or("");
            let path = dir.join("html").join(format!("{id}.html"));
            let Ok(bytes) = std::fs::read(&path) else {
                continue;
            };
            let got = crate::corpus::parse(
                crate::corpus::Format::Html,
                &format!("{id}.html"),
                &bytes,
                &ParseOptions::default(),
            )
            .map(|mut p| p.articles.remove(0).body)
            .unwrap_or_default();
            let counts = page_counts(want, &got);
            pages.push(counts);
            per_page.push((benchmark_metrics(&[counts]).2, id.clone()));
        }
        if pages.is_empty() {
            eprintln!("skipped: no pages found in {}", dir.display());
            return;
        }
        let (precision, recall, f1) = benchmark_metrics(&pages);
        per_page.sort_by(|a, b| a.0.total_cmp(&b.0));
        for (f, id) in per_page.iter().take(5) {
            eprintln!("  lowest page F1 {f:.3} {id}");
        }
        eprintln!(
            "article-extraction: {} pages, precision {precision:.3}, recall {recall:.3}, F1 {f1:.3}",
            pages.len()
        );
        assert!(f1 >= 0.90, "F1 {f1:.3} below 0.90");
    }
}
