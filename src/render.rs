//! Output: the human-readable and JSON forms of every command's result.
//!
//! JSON output is a stable contract (one object per command, fields as in
//! the README); the human form may change. Colour and bold are used only
//! when the caller says the output is a terminal.

use std::io::{self, Write};

use serde::Serialize;

use crate::indexer::IndexSummary;
use crate::schema::FacetKind;
use crate::search::{FacetCount, Facets, Hit, IndexStats, SearchResults};
use crate::{Article, Country, Entities};

/// How to style human output.
#[derive(Debug, Clone, Copy, Default)]
pub struct Style {
    /// Use ANSI colour and bold.
    pub color: bool,
}

impl Style {
    fn paint(self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }
    fn bold(self, text: &str) -> String {
        self.paint("1", text)
    }
    fn dim(self, text: &str) -> String {
        self.paint("2", text)
    }
    fn highlight(self, text: &str) -> String {
        if self.color {
            self.paint("1;31", text)
        } else {
            format!("[{text}]")
        }
    }
}

/// Writes `value` as one line of JSON.
pub fn json<T: Serialize>(value: &T, mut out: impl Write) -> io::Result<()> {
    serde_json::to_writer(&mut out, value).map_err(io::Error::other)?;
    writeln!(out)
}

/// Human form of search results: ranked hits, then facet tables.
pub fn search_results(
    results: &SearchResults,
    offset: usize,
    style: Style,
    mut out: impl Write,
) -> io::Result<()> {
    let matched = match results.total {
        0 => "no articles match".to_string(),
        1 => "1 article matches".to_string(),
        n => format!("{n} articles match"),
    };
    if results.hits.is_empty() {
        // Past the last page (`--offset`), the total still tells how many exist.
        let shown = if results.total > 0 && offset as u64 >= results.total {
            format!("{matched}; none at --offset {offset}")
        } else {
            matched
        };
        writeln!(out, "{shown}")?;
    } else {
        let first = offset + 1;
        let last = offset + results.hits.len();
        writeln!(
            out,
            "{}",
            style.dim(&format!(
                "{matched}; showing {first}–{last} ({:.1} ms)",
                results.took_ms
            ))
        )?;
    }
    for (rank, hit) in results.hits.iter().enumerate() {
        writeln!(out)?;
        hit_block(offset + rank + 1, hit, style, &mut out)?;
    }
    if let Some(facets) = &results.facets {
        writeln!(out)?;
        facet_tables(facets, &FacetKind::FACETABLE, style, &mut out)?;
    }
    Ok(())
}

fn hit_block(rank: usize, hit: &Hit, style: Style, out: &mut impl Write) -> io::Result<()> {
    let title = if hit.title.is_empty() {
        "(untitled)"
    } else {
        &hit.title
    };
    writeln!(out, "{rank}. {}", style.bold(title))?;
    let date = hit
        .date
        .as_deref()
        .map(|d| d.get(..10).unwrap_or(d))
        .unwrap_or("undated");
    let mut meta = format!("{date} · {}", hit.id);
    if hit.score > 0.0 {
        meta.push_str(&format!(" · score {:.2}", hit.score));
    }
    writeln!(out, "   {}", style.dim(&meta))?;
    if !hit.snippet_parts.is_empty() {
        let snippet: String = hit
            .snippet_parts
            .iter()
            .map(|(text, highlighted)| {
                let text = collapse_whitespace(text);
                if *highlighted {
                    style.highlight(&text)
                } else {
                    text
                }
            })
            .collect();
        writeln!(out, "   {}", snippet.trim())?;
    }
    let mut entities = Vec::new();
    if !hit.persons.is_empty() {
        entities.push(format!("persons: {}", hit.persons.join(", ")));
    }
    if !hit.countries.is_empty() {
        entities.push(format!("countries: {}", hit.countries.join(", ")));
    }
    if !entities.is_empty() {
        writeln!(out, "   {}", style.dim(&entities.join(" · ")))?;
    }
    Ok(())
}

/// Facet tables, one per kind, counts right-aligned.
pub fn facet_tables(
    facets: &Facets,
    kinds: &[FacetKind],
    style: Style,
    mut out: impl Write,
) -> io::Result<()> {
    for (i, kind) in kinds.iter().enumerate() {
        if i > 0 {
            writeln!(out)?;
        }
        facet_table(*kind, facets.get(*kind), style, &mut out)?;
    }
    Ok(())
}

fn facet_table(
    kind: FacetKind,
    counts: &[FacetCount],
    style: Style,
    out: &mut impl Write,
) -> io::Result<()> {
    writeln!(out, "{}", style.bold(kind.name()))?;
    if counts.is_empty() {
        writeln!(out, "  (none)")?;
    }
    let width = counts
        .iter()
        .map(|c| c.count.to_string().len())
        .max()
        .unwrap_or(1);
    for count in counts {
        let label = match &count.code {
            Some(code) => format!("{} ({code})", count.value),
            None if !count.also_as.is_empty() => {
                let aliases: Vec<String> =
                    count.also_as.iter().map(|a| format!("\"{a}\"")).collect();
                format!("{} (also {})", count.value, aliases.join(", "))
            }
            None => count.value.clone(),
        };
        writeln!(out, "  {:>width$}  {label}", count.count)?;
    }
    Ok(())
}

/// JSON form of `newsdex facets`: `{"query","total","field","values":[…]}`.
#[derive(Debug, Serialize)]
pub struct FacetReport<'a> {
    pub query: &'a str,
    pub total: u64,
    pub field: &'a str,
    pub values: &'a [FacetCount],
}

/// Human form of `newsdex stats`.
pub fn stats(stats: &IndexStats, style: Style, mut out: impl Write) -> io::Result<()> {
    writeln!(out, "articles     {}", stats.articles)?;
    writeln!(out, "index size   {}", human_bytes(stats.index_bytes))?;
    writeln!(out)?;
    facet_tables(&stats.top, &FacetKind::FACETABLE, style, &mut out)
}

/// One stderr line summarising an indexing run.
pub fn index_summary(summary: &IndexSummary) -> String {
    let a = &summary.articles;
    format!(
        "indexed {} file{} in {:.1}s: {} added, {} updated, {} removed, {} unchanged; \
         {} skipped; the index holds {} article{}",
        summary.files_seen,
        plural(summary.files_seen),
        summary.elapsed_ms / 1000.0,
        a.added,
        a.updated,
        a.removed,
        a.unchanged,
        summary.skipped.len(),
        summary.articles_total,
        plural(summary.articles_total),
    )
}

/// One article's extracted entities, for `newsdex entities`.
#[derive(Debug, Serialize)]
pub struct ArticleEntities<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub persons: &'a [String],
    pub countries: Vec<String>,
    pub orgs: &'a [String],
    pub places: &'a [String],
}

impl<'a> ArticleEntities<'a> {
    /// Pairs an article with its entities for output.
    pub fn new(article: &'a Article, entities: &'a Entities) -> Self {
        ArticleEntities {
            id: &article.id,
            title: &article.title,
            persons: &entities.persons,
            countries: entities
                .countries
                .iter()
                .map(|c: &Country| c.name.clone())
                .collect(),
            orgs: &entities.orgs,
            places: &entities.places,
        }
    }
}

/// Human form of `newsdex entities`.
pub fn entities(
    items: &[ArticleEntities<'_>],
    style: Style,
    mut out: impl Write,
) -> io::Result<()> {
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            writeln!(out)?;
        }
        writeln!(out, "{}", style.bold(item.id))?;
        writeln!(out, "  title      {}", item.title)?;
        writeln!(out, "  persons    {}", item.persons.join(", "))?;
        writeln!(out, "  countries  {}", item.countries.join(", "))?;
        writeln!(out, "  orgs       {}", item.orgs.join(", "))?;
        writeln!(out, "  places     {}", item.places.join(", "))?;
    }
    Ok(())
}

fn plural(n: u64) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

fn collapse_whitespace(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut last_space = false;
    for c in text.chars() {
        if c.is_whitespace() {
            if !last_space {
                out.push(' ');
            }
            last_space = true;
        } else {
            out.push(c);
            last_space = false;
        }
    }
    out
}

/// Bytes as B, KB, MB or GB with one decimal.
pub fn human_bytes(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["B", "KB", "MB", "GB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} B")
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn human_bytes_picks_a_readable_unit() {
        assert_eq!(human_bytes(512), "512 B");
        assert_eq!(human_bytes(2048), "2.0 KB");
        assert_eq!(human_bytes(5 * 1024 * 1024), "5.0 MB");
    }

    #[test]
    fn the_match_line_agrees_in_number_and_explains_an_empty_page() {
        let line = |total: u64, hits: usize, offset: usize| {
            let hit = Hit {
                id: "a.txt".into(),
                path: "a.txt".into(),
                title: "Talks".into(),
                date: None,
                score: 0.0,
                snippet: String::new(),
                persons: vec![],
                countries: vec![],
                orgs: vec![],
                snippet_parts: vec![],
            };
            let results = SearchResults {
                query: "talks".into(),
                total,
                took_ms: 1.0,
                hits: vec![hit; hits],
                facets: None,
            };
            let mut out = Vec::new();
            search_results(&results, offset, Style::default(), &mut out).unwrap();
            String::from_utf8(out)
                .unwrap()
                .lines()
                .next()
                .unwrap()
                .to_string()
        };
        assert_eq!(line(1, 1, 0), "1 article matches; showing 1–1 (1.0 ms)");
        assert_eq!(line(12, 2, 10), "12 articles match; showing 11–12 (1.0 ms)");
        assert_eq!(line(12, 0, 20), "12 articles match; none at --offset 20");
        assert_eq!(line(12, 0, 0), "12 articles match");
        assert_eq!(line(0, 0, 0), "no articles match");
    }

    #[test]
    fn highlighted_terms_are_marked_without_colour() {
        let hit = Hit {
            id: "a.txt".into(),
            path: "a.txt".into(),
            title: "Talks".into(),
            date: Some("2024-02-13T00:00:00Z".into()),
            score: 1.5,
            snippet: "a <b>ceasefire</b> deal".into(),
            persons: vec!["William Burns".into()],
            countries: vec!["Qatar".into()],
            orgs: vec![],
            snippet_parts: vec![
                ("a ".into(), false),
                ("ceasefire".into(), true),
                (" deal".into(), false),
            ],
        };
        let mut out = Vec::new();
        hit_block(1, &hit, Style::default(), &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(
            text,
            "1. Talks\n   2024-02-13 · a.txt · score 1.50\n   a [ceasefire] deal\n   persons: William Burns · countries: Qatar\n"
        );
    }
}
