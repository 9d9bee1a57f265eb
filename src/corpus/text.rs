//! Plain-text articles (`.txt`, `.text`): an optional headline line, then
//! the body. Also owns the title heuristics the other formats reuse: whether
//! a line reads as a headline, and a title derived from the body's first
//! sentence when a file has none.
//!
//! Everything here is a single forward (or backward) pass over the text, so
//! parsing is linear in the file size.

use super::{ParseError, ParseOptions, Parsed};
use crate::Article;

/// A headline is at most this many characters…
const HEADLINE_MAX_CHARS: usize = 150;
/// …and this many words.
const HEADLINE_MAX_WORDS: usize = 20;
/// Derived titles are at most this many characters, "…" included.
const TITLE_MAX_CHARS: usize = 120;

/// Parses a plain-text article. The first non-empty line is the title when
/// it reads as a headline (see [`is_headline`]); otherwise the body starts
/// at that line and the title is derived from its first sentence. Scraped
/// residue at the very end ("Comments", "Share this article", …) is dropped.
pub(crate) fn parse(
    rel_path: &str,
    text: &str,
    options: &ParseOptions,
) -> Result<Parsed, ParseError> {
    let (headline, rest) = split_headline(text);
    let body = clean_body(strip_trailing_residue(rest));
    let title = match headline {
        Some(h) => super::fields::collapse_whitespace(h),
        None => title_from_body(&body),
    };
    if title.is_empty() && body.is_empty() {
        return Err(ParseError::new(rel_path, "no text in file"));
    }
    let date = dateline_date(&body);
    let mut parsed = Parsed::default();
    parsed.push(
        Article {
            id: rel_path.to_owned(),
            path: rel_path.to_owned(),
            title,
            body,
            date,
            ..Article::default()
        },
        options,
    );
    Ok(parsed)
}

/// The date of a wire-style dateline opening the body, as in
/// "PARIS, Jan. 29, 2024 (Agency) — …": plain text has no metadata, and
/// this is where news copy states its date. Only the text before the
/// dateline's dash (and at most the first 160 bytes) is considered, so a
/// date mentioned later in the story is never taken for the article's.
pub(crate) fn dateline_date(body: &str) -> Option<chrono::DateTime<chrono::Utc>> {
    const MONTHS: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let first_line = body.trim_start().lines().next()?;
    let mut end = first_line.len().min(160);
    while !first_line.is_char_boundary(end) {
        end -= 1;
    }
    let head = &first_line[..end];
    let dash = head
        .find(['—', '–'])
        .or_else(|| head.find(" - "))
        .or_else(|| head.find(" -- "))?;
    let words: Vec<&str> = head[..dash].split_whitespace().collect();
    for window in words.windows(3) {
        let month = window[0].trim_end_matches('.').to_ascii_lowercase();
        let is_month = month.len() >= 3
            && MONTHS.iter().any(|m| month.starts_with(m))
            && month.chars().all(|c| c.is_ascii_alphabetic());
        let day = window[1].trim_end_matches(',');
        let year = window[2].trim_end_matches([',', '.']);
        if is_month
            && (1..=2).contains(&day.len())
            && day.chars().all(|c| c.is_ascii_digit())
            && year.len() == 4
            && year.chars().all(|c| c.is_ascii_digit())
        {
            let month_name = &month[..3];
            return super::parse_date(&format!("{month_name} {day}, {year}"));
        }
    }
    None
}

/// Splits off the first non-empty line when it is a headline: returns the
/// headline and the text after it, or `None` and the whole text.
pub(crate) fn split_headline(text: &str) -> (Option<&str>, &str) {
    let mut lines = LineIter::new(text);
    let first = loop {
        match lines.next() {
            None => return (None, text),
            Some((_, line)) if line.trim().is_empty() => continue,
            Some(found) => break found,
        }
    };
    let after_first = lines.pos;
    let next = lines.next().map(|(_, line)| line);
    if is_headline(first.1, next) {
        (Some(first.1.trim()), &text[after_first..])
    } else {
        (None, &text[first.0..])
    }
}

/// Whether `line` reads as a headline: short (≤ 150 characters, ≤ 20
/// words), not ending like a sentence or a wrapped line (`.`, `,`, `;`, `:`;
/// an ellipsis is fine), and not continued on the next line. A next line
/// that starts in lowercase means the text is hard-wrapped and `line` is the
/// start of a paragraph.
pub(crate) fn is_headline(line: &str, next_line: Option<&str>) -> bool {
    let t = line.trim();
    if t.is_empty() {
        return false;
    }
    let mut chars = 0usize;
    for _ in t.chars() {
        chars += 1;
        if chars > HEADLINE_MAX_CHARS {
            return false;
        }
    }
    if t.split_whitespace().count() > HEADLINE_MAX_WORDS {
        return false;
    }
    let ellipsis = t.ends_with("...") || t.ends_with('…');
    if !ellipsis && t.ends_with(['.', ',', ';', ':']) {
        return false;
    }
    match next_line.map(str::trim_start) {
        Some(next) => !next.starts_with(char::is_lowercase),
        None => true,
    }
}

/// A title made from the start of `body`: its first sentence when that fits
/// in 120 characters (without the final period), else the start of the
/// first paragraph cut at a word boundary with "…" appended. Only the first
/// few hundred bytes are looked at.
pub(crate) fn title_from_body(body: &str) -> String {
    // The first paragraph, lines joined, whitespace collapsed, and only as
    // much as a title can need.
    let mut window = String::with_capacity(4 * TITLE_MAX_CHARS);
    for (_, line) in LineIter::new(body.trim_start()) {
        let line = line.trim();
        if line.is_empty() {
            break;
        }
        for word in line.split_whitespace() {
            if !window.is_empty() {
                window.push(' ');
            }
            window.push_str(word);
            // Checked per word: one 10 MB line must not become the window.
            if window.len() > 4 * TITLE_MAX_CHARS {
                break;
            }
        }
        if window.len() > 4 * TITLE_MAX_CHARS {
            break;
        }
    }

    if let Some(end) = first_sentence_end(&window) {
        let sentence = window[..end].trim_end();
        if sentence.chars().count() <= TITLE_MAX_CHARS {
            let sentence = sentence
                .strip_suffix('.')
                .filter(|s| !s.ends_with('.'))
                .unwrap_or(sentence);
            return sentence.to_owned();
        }
    }
    cut_at_word(&window, TITLE_MAX_CHARS)
}

/// `s` if it has at most `max` characters, else its longest prefix of whole
/// words that leaves room for "…", with trailing punctuation removed.
pub(crate) fn cut_at_word(s: &str, max: usize) -> String {
    let Some((limit, _)) = s.char_indices().nth(max) else {
        return s.to_owned();
    };
    // Room for the ellipsis: cut within the first max-1 characters.
    let limit = s[..limit].char_indices().next_back().map_or(0, |(i, _)| i);
    let prefix = &s[..limit];
    // Cut at the last space when the next character starts a new word;
    // otherwise the prefix ends mid-word.
    let cut = if s[limit..].starts_with(char::is_whitespace) {
        prefix
    } else {
        match prefix.rfind(char::is_whitespace) {
            Some(i) if i > 0 => &prefix[..i],
            // One giant "word": cut it anyway.
            _ => prefix,
        }
    };
    let cut = cut.trim_end_matches(|c: char| c.is_whitespace() || ",;:-–—(".contains(c));
    format!("{cut}…")
}

/// Byte index just past the first sentence-ending `.`, `!` or `?` (that is
/// followed by whitespace or the end), skipping abbreviations such as
/// "Mr." and "U.S." and initials.
fn first_sentence_end(s: &str) -> Option<usize> {
    let bytes = s.as_bytes();
    for (i, c) in s.char_indices() {
        if !matches!(c, '.' | '!' | '?') {
            continue;
        }
        let mut end = i + 1;
        // Closing quotes or brackets belong to the sentence: `"…done."`.
        while end < bytes.len() && matches!(bytes[end], b'"' | b'\'' | b')' | b']') {
            end += 1;
        }
        let rest = &s[end..];
        if !(rest.is_empty() || rest.starts_with(char::is_whitespace)) {
            continue;
        }
        if c == '.' {
            if is_abbreviation(&s[..i]) {
                continue;
            }
            // "e.g. the" / "approx. five": a lowercase continuation.
            if rest.trim_start().starts_with(char::is_lowercase) {
                continue;
            }
        }
        return Some(end);
    }
    None
}

/// Whether the word ending `before` (the text before a period) is an
/// abbreviation rather than the end of a sentence.
fn is_abbreviation(before: &str) -> bool {
    let word = before
        .rsplit(|c: char| c.is_whitespace() || c == '(' || c == '"')
        .next()
        .unwrap_or("");
    if word.is_empty() {
        return false;
    }
    // "U.S", "a.m", "e.g": dotted abbreviations.
    if word.contains('.') {
        return true;
    }
    // Initials: "J. Smith".
    let mut chars = word.chars();
    if let (Some(c), None) = (chars.next(), chars.next()) {
        return c.is_uppercase();
    }
    const ABBREVIATIONS: &[&str] = &[
        "mr", "mrs", "ms", "dr", "prof", "st", "jr", "sr", "gen", "col", "lt", "sgt", "capt",
        "gov", "sen", "rep", "rev", "hon", "inc", "ltd", "co", "corp", "vs", "no", "fig", "jan",
        "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "mt", "ft",
        "approx", "est",
    ];
    ABBREVIATIONS.iter().any(|a| a.eq_ignore_ascii_case(word))
}

/// Lines that scraping tools leave after the article text, compared after
/// [`normalize_residue`]. Only whole-line matches at the very end count.
const RESIDUE: &[&str] = &[
    "comments",
    "comment",
    "view comments",
    "show comments",
    "leave a comment",
    "add a comment",
    "post a comment",
    "share",
    "share this",
    "share this article",
    "share this story",
    "share this post",
    "share this page",
    "share on facebook",
    "share on twitter",
    "advertisement",
    "advertising",
    "sponsored",
    "sponsored content",
    "read more",
    "read more stories",
    "continue reading",
    "related",
    "related articles",
    "related stories",
    "related content",
    "related posts",
    "related news",
    "more on this story",
    "recommended",
    "sign up",
    "subscribe",
    "subscribe now",
    "sign up for our newsletter",
    "subscribe to our newsletter",
    "newsletter",
    "back to top",
    "follow us",
    "you may also like",
    "most read",
    "most popular",
    "print",
    "email",
    "tags",
];

/// Longest residue phrase in words ("sign up for our newsletter").
const RESIDUE_MAX_WORDS: usize = 5;

/// Drops trailing residue lines (see [`is_residue`]) and trailing blank
/// lines, repeatedly, from the end of `text`.
pub(crate) fn strip_trailing_residue(text: &str) -> &str {
    let mut end = text.trim_end().len();
    loop {
        let kept = &text[..end];
        let line_start = kept.rfind('\n').map_or(0, |i| i + 1);
        if !is_residue(&kept[line_start..]) {
            return kept;
        }
        end = text[..line_start].trim_end().len();
        if end == 0 {
            return "";
        }
    }
}

/// A scraped-residue line: no sentence punctuation, and one of
/// [`RESIDUE`] (at most five words) once counts ("12 Comments",
/// "Comments (3)") and decoration ("Read more »") are removed.
fn is_residue(line: &str) -> bool {
    let t = line.trim();
    if t.is_empty() || t.len() > 80 || t.contains(['.', '!', '?', ';']) {
        return false;
    }
    // Cheap pre-filter before allocating: a phrase plus a count or arrow.
    if t.split_whitespace().count() > RESIDUE_MAX_WORDS + 1 {
        return false;
    }
    let normalized = normalize_residue(t);
    RESIDUE.iter().any(|r| *r == normalized)
}

/// Lowercase words of `t` without digits, brackets, arrows and other
/// decoration, single-spaced.
fn normalize_residue(t: &str) -> String {
    let mut out = String::with_capacity(t.len());
    for word in t.split_whitespace() {
        let word: String = word
            .chars()
            .filter(|c| c.is_alphabetic() || *c == '\'')
            .flat_map(char::to_lowercase)
            .collect();
        if word.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&word);
    }
    out
}

/// The body as stored: trimmed, with Windows/old-Mac line ends made `\n`.
pub(crate) fn clean_body(body: &str) -> String {
    let body = body.trim();
    if body.contains('\r') {
        body.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        body.to_owned()
    }
}

/// Lines of a text with the byte offset where each starts; a line excludes
/// its `\n` and a trailing `\r`. `pos` is the offset after the last line
/// returned.
pub(crate) struct LineIter<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> LineIter<'a> {
    pub(crate) fn new(text: &'a str) -> LineIter<'a> {
        LineIter { text, pos: 0 }
    }

    /// Byte offset just after the last line returned.
    pub(crate) fn position(&self) -> usize {
        self.pos
    }
}

impl<'a> Iterator for LineIter<'a> {
    type Item = (usize, &'a str);

    fn next(&mut self) -> Option<(usize, &'a str)> {
        if self.pos >= self.text.len() {
            return None;
        }
        let start = self.pos;
        let rest = &self.text[start..];
        let (line, advance) = match rest.find('\n') {
            Some(i) => (&rest[..i], i + 1),
            None => (rest, rest.len()),
        };
        self.pos = start + advance;
        Some((start, line.strip_suffix('\r').unwrap_or(line)))
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn dateline_dates_become_article_dates() {
        let date = |s: &str| dateline_date(s).map(|d| d.format("%Y-%m-%d").to_string());
        assert_eq!(
            date("PARIS, Jan. 29, 2024 (Continental Wire) — Intelligence chiefs met."),
            Some("2024-01-29".into())
        );
        assert_eq!(
            date("MIAMI GARDENS, Florida, July 14, 2024 (Touchline Times) — A goal."),
            Some("2024-07-14".into())
        );
        assert_eq!(
            date("DUBAI, Dec. 13, 2023 — Nearly 200 countries agreed."),
            Some("2023-12-13".into())
        );
        assert_eq!(
            date("LONDON, Sept. 5, 2024 - Rates held."),
            Some("2024-09-05".into())
        );
        // Dates after the dateline, or with no dateline at all, are not the article's.
        assert_eq!(
            date("Talks resumed — the deal of March 3, 2024 holds."),
            None
        );
        assert_eq!(date("The deal signed on March 3, 2024 held."), None);
        assert_eq!(date(""), None);
    }

    #[test]
    fn text_articles_take_the_dateline_date() {
        let parsed = parse(
            "a.txt",
            "Rates held\n\nLONDON, Oct. 26, 2023 (Wire) — The bank held rates.\n",
            &ParseOptions::default(),
        )
        .unwrap();
        assert_eq!(
            parsed.articles[0].date.map(|d| d.to_rfc3339()),
            Some("2023-10-26T00:00:00+00:00".into())
        );
    }

    use super::*;
    use crate::corpus::test_support::shared_data_dir;
    use crate::corpus::{parse as parse_file, Format};

    fn one(text: &str) -> Article {
        let parsed = parse("a/b.txt", text, &ParseOptions::default()).expect("parses");
        assert_eq!(parsed.articles.len(), 1);
        parsed.articles.into_iter().next().expect("one article")
    }

    const SEED: &str = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/corpus/000_9ca1e063e595d5e0.txt"
    );

    #[test]
    fn seed_article_without_title_line_and_with_comments_residue() {
        let bytes = std::fs::read(SEED).expect("seed article is in the repository");
        let parsed = parse_file(
            Format::Text,
            "000_9ca1e063e595d5e0.txt",
            &bytes,
            &ParseOptions::default(),
        )
        .expect("parses");
        let a = &parsed.articles[0];
        assert!(
            a.title
                .starts_with("Top officials from the CIA, Mossad, and Qatar convened in Cairo"),
            "{}",
            a.title
        );
        assert!(a.title.chars().count() <= 120, "{}", a.title);
        assert!(a.title.ends_with('…'));
        // Cut at a word boundary: the word before "…" is complete.
        let stem = a.title.trim_end_matches('…');
        let first_line = std::str::from_utf8(&bytes)
            .expect("utf-8")
            .lines()
            .next()
            .expect("line");
        assert!(first_line.starts_with(stem));
        assert!(first_line[stem.len()..].starts_with([' ', ',']));
        // The whole first paragraph is in the body, "Comments" is not.
        assert!(a.body.starts_with(first_line), "{}", &a.body[..80]);
        assert!(!a.body.trim_end().ends_with("Comments"));
        assert!(a.body.ends_with("lasting peace in the region."));
        assert_eq!(a.id, "000_9ca1e063e595d5e0.txt");
        assert_eq!(a.path, a.id);
    }

    #[test]
    fn headline_then_paragraphs() {
        let a =
            one("Ad sales boost Time Warner profit\n\nQuarterly profits jumped.\n\nMore text.\n");
        assert_eq!(a.title, "Ad sales boost Time Warner profit");
        assert_eq!(a.body, "Quarterly profits jumped.\n\nMore text.");
        assert_eq!(a.id, "a/b.txt");
    }

    #[test]
    fn headline_followed_directly_by_paragraph_lines() {
        let a = one("Storm hits coast\nHeavy rain fell on Monday. Roads closed.\n");
        assert_eq!(a.title, "Storm hits coast");
        assert_eq!(a.body, "Heavy rain fell on Monday. Roads closed.");
    }

    #[test]
    fn sentence_first_line_is_not_a_headline() {
        let a = one("The minister resigned on Friday.\nShe gave no reason.\n");
        assert_eq!(a.title, "The minister resigned on Friday");
        assert!(a.body.starts_with("The minister resigned"));
    }

    #[test]
    fn hard_wrapped_text_is_not_a_headline() {
        let a = one("Showers continued throughout the week in\nthe Bahia cocoa zone, alleviating the drought.\n");
        assert_eq!(
            a.title,
            "Showers continued throughout the week in the Bahia cocoa zone, alleviating the drought"
        );
        assert!(a.body.starts_with("Showers continued"));
    }

    #[test]
    fn headline_limits() {
        assert!(is_headline("Short headline", None));
        assert!(is_headline("What happens next?", Some("")));
        assert!(is_headline("And then...", None));
        assert!(!is_headline("Ends with a period.", None));
        assert!(!is_headline(&"word ".repeat(21), None));
        assert!(!is_headline(&"x".repeat(151), None));
        assert!(is_headline(&"x".repeat(150), None));
        assert!(!is_headline("Wrapped start", Some("continues here")));
    }

    #[test]
    fn derived_titles() {
        assert_eq!(
            title_from_body("Mr. Smith went to Washington. Then home."),
            "Mr. Smith went to Washington"
        );
        assert_eq!(
            title_from_body("The U.S. economy grew. Next."),
            "The U.S. economy grew"
        );
        assert_eq!(title_from_body("Is it over? Nobody knows."), "Is it over?");
        assert_eq!(title_from_body("No period at all"), "No period at all");
        let long = "word ".repeat(60);
        let t = title_from_body(&long);
        assert!(t.chars().count() <= 120, "{t}");
        assert!(t.ends_with("word…"), "{t}");
        let giant = "x".repeat(500);
        let t = title_from_body(&giant);
        assert_eq!(t.chars().count(), 120);
        assert_eq!(title_from_body(""), "");
        assert_eq!(title_from_body("\n\n  \n"), "");
        // Multi-byte characters are cut on character boundaries.
        let t = title_from_body(&"é".repeat(300));
        assert_eq!(t.chars().count(), 120);
    }

    #[test]
    fn trailing_residue_is_dropped_repeatedly() {
        let a = one("Title here\n\nBody one.\n\nBody two.\nRead more »\nShare this article\n12 Comments\n\nAdvertisement\n");
        assert_eq!(a.body, "Body one.\n\nBody two.");
        let a = one("Title here\n\nBody.\nSign up for our newsletter\n");
        assert_eq!(a.body, "Body.");
    }

    #[test]
    fn residue_rule_keeps_real_lines() {
        // Sentence punctuation, too many words, or not a residue phrase.
        for last in [
            "Comments are closed.",
            "Share prices fell",
            "Comments from the minister were not available today",
            "Related",
        ] {
            let text = format!("Title\n\nBody.\n{last}\n");
            let a = one(&text);
            if last == "Related" {
                assert_eq!(a.body, "Body.");
            } else {
                assert!(a.body.ends_with(last), "{last}");
            }
        }
        assert_eq!(strip_trailing_residue("Comments\nShare"), "");
        assert_eq!(strip_trailing_residue(""), "");
    }

    #[test]
    fn large_pathological_inputs_finish() {
        // Quadratic behaviour would make these take minutes: residue lines
        // all the way up, one giant line, a giant first "word".
        let residue = format!("Headline\n\nBody.\n{}", "Comments\n".repeat(200_000));
        assert_eq!(one(&residue).body, "Body.");
        let all_residue = "Share\n".repeat(200_000);
        // The first line reads as a headline; everything after is residue.
        let a = one(&all_residue);
        assert_eq!((a.title.as_str(), a.body.as_str()), ("Share", ""));
        let giant_line = "word ".repeat(800_000);
        let a = one(&giant_line);
        assert!(a.title.chars().count() <= 120);
        assert_eq!(a.body.len(), giant_line.trim().len());
        let giant_word = "x".repeat(4_000_000);
        assert_eq!(one(&giant_word).title.chars().count(), 120);
    }

    #[test]
    fn crlf_line_ends() {
        let a = one("Headline\r\n\r\nPara one.\r\nPara two.\r\nComments\r\n");
        assert_eq!(a.title, "Headline");
        assert_eq!(a.body, "Para one.\nPara two.");
    }

    #[test]
    fn title_only_and_empty_files() {
        let a = one("Just a headline\n");
        assert_eq!(a.title, "Just a headline");
        assert_eq!(a.body, "");
        let err = parse("e.txt", " \n\n", &ParseOptions::default()).expect_err("empty");
        assert_eq!(err.to_string(), "e.txt: no text in file");
    }

    #[test]
    fn bbc_sport_199_latin1_pound_sign() {
        let Some(data) = shared_data_dir() else {
            eprintln!("skipped: shared data directory not found (set NEWSDEX_SHARED)");
            return;
        };
        let path = data.join("bbc/sport/199.txt");
        let Ok(bytes) = std::fs::read(&path) else {
            eprintln!("skipped: {} not found", path.display());
            return;
        };
        let parsed = parse_file(
            Format::Text,
            "sport/199.txt",
            &bytes,
            &ParseOptions::default(),
        )
        .expect("parses");
        let a = &parsed.articles[0];
        assert!(a.body.contains('£'), "{}", a.body);
        assert!(!a.body.contains('\u{FFFD}'));
        assert!(!a.title.is_empty());
    }

    #[test]
    fn bbc_files_have_headline_titles() {
        let Some(data) = shared_data_dir() else {
            eprintln!("skipped: shared data directory not found (set NEWSDEX_SHARED)");
            return;
        };
        let dir = data.join("bbc");
        let mut checked = 0;
        for entry in crate::corpus::walk(&dir) {
            let crate::corpus::WalkEntry::File { path, rel_path } = entry else {
                panic!("walk problem in {}: {entry:?}", dir.display());
            };
            // The dataset's README.TXT is not an article.
            if Format::from_path(&path) != Some(Format::Text) || !rel_path.contains('/') {
                continue;
            }
            let bytes = std::fs::read(&path).expect("readable");
            let text = crate::corpus::decode_text(&bytes);
            let first_line = text.lines().next().unwrap_or("").trim();
            let parsed = parse_file(Format::Text, &rel_path, &bytes, &ParseOptions::default())
                .expect("parses");
            let a = &parsed.articles[0];
            // Titles are whitespace-collapsed ("Job cuts 'false economy'  - TUC").
            assert_eq!(
                a.title,
                crate::corpus::fields::collapse_whitespace(first_line),
                "{rel_path}"
            );
            assert!(
                !a.body.is_empty() && !a.body.starts_with(first_line),
                "{rel_path}"
            );
            assert_eq!(a.id, rel_path);
            checked += 1;
        }
        if checked == 0 {
            eprintln!("skipped: no BBC files in {}", dir.display());
            return;
        }
        eprintln!("bbc: {checked} files, every title is the headline line");
    }
}
