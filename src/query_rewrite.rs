//! Query clauses as people write them, rewritten into what the index
//! holds before the query parser sees them:
//!
//! - dates: a year, a month or a day stands for the whole period, in
//!   `--since`/`--until` and in `date:` clauses (`date:2024`,
//!   `date:2024-08`, `date:[2024-01 TO 2024-03]`, `date:>=2024-06`); the
//!   date field only understands RFC 3339 times, so date clauses become
//!   ranges of times;
//! - countries: `country:` takes what `--country` takes (`country:egyptian`,
//!   `country:türkiye`, `country:"united states"`), written as the
//!   country's code, which the field holds beside its name;
//! - `a AND NOT b` excludes `b` from `a` (tantivy reads "a, and (not b)",
//!   and a clause that only excludes matches nothing);
//! - a word ending in `*` finds the words it begins (`ceasefir*`,
//!   `person:netan*`), which tantivy's parser takes only at the end of a
//!   phrase of two words or more: it becomes a match on the terms that
//!   begin with the word as the fields index it, stemmed or not.

use chrono::{DateTime, NaiveDate, NaiveTime, SecondsFormat, Utc};
use tantivy::query_grammar::{
    Delimiter, Occur, UserInputAst, UserInputBound, UserInputLeaf, UserInputLiteral,
};
use tantivy::tokenizer::TextAnalyzer;

use crate::analyzer::{name_analyzer, stemmed_analyzer};
use crate::entities::resolve_country;

/// The formats a date may take, for error messages.
pub const DATE_FORMATS: &str =
    "YYYY, YYYY-MM, YYYY-MM-DD or an RFC 3339 time such as 2024-02-13T09:30:00Z";

/// Which end of a period a date stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edge {
    /// The period's first second.
    Start,
    /// The period's last second.
    End,
}

/// The first or last second of the year, month or day `value` names
/// (`2024`, `2024-02`, `2024-02-13`); an RFC 3339 time is taken as is.
/// `None` when `value` is none of these.
pub fn period_edge(value: &str, edge: Edge) -> Option<DateTime<Utc>> {
    let value = value.trim();
    if let Ok(time) = DateTime::parse_from_rfc3339(value) {
        return Some(time.with_timezone(&Utc));
    }
    let parts: Vec<&str> = value.split('-').collect();
    let number = |s: &str| -> Option<u32> {
        if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        s.parse().ok()
    };
    let (year, month, day) = match parts.as_slice() {
        [y] if y.len() == 4 => (number(y)?, None, None),
        [y, m] if y.len() == 4 => (number(y)?, Some(number(m)?), None),
        [y, m, d] if y.len() == 4 => (number(y)?, Some(number(m)?), Some(number(d)?)),
        _ => return None,
    };
    let year = year as i32;
    let first_day = NaiveDate::from_ymd_opt(year, month.unwrap_or(1), day.unwrap_or(1))?;
    let (day, time) = match edge {
        Edge::Start => (first_day, NaiveTime::MIN),
        Edge::End => {
            let last_day = match (month, day) {
                (_, Some(_)) => first_day,
                (Some(12), None) | (None, None) => NaiveDate::from_ymd_opt(year, 12, 31)?,
                (Some(m), None) => NaiveDate::from_ymd_opt(year, m + 1, 1)?.pred_opt()?,
            };
            (last_day, NaiveTime::from_hms_opt(23, 59, 59)?)
        }
    };
    Some(day.and_time(time).and_utc())
}

/// The fields whose clauses are rewritten.
#[derive(Debug, Clone, Copy)]
pub struct RewrittenFields<'f> {
    pub date: &'f str,
    pub country: &'f str,
    /// The fields a word without a field name is searched in.
    pub default: &'f [&'f str],
    /// The fields that index words by their stem (title, body).
    pub stemmed: &'f [&'f str],
}

/// A rewritten query, and what its words ending in `*` begin.
#[derive(Debug, Default)]
pub struct Rewrite {
    /// `None` when nothing changed.
    pub ast: Option<UserInputAst>,
    /// (field, beginning of the terms) of each word ending in `*`, for
    /// each field it is searched in, as the field indexes it: folded, and
    /// in a stemmed field also stemmed ("ceasefir", "ceasefire").
    pub prefixes: Vec<(String, String)>,
}

impl Rewrite {
    /// The beginnings of terms that words ending in `*` look for in `field`.
    pub fn prefixes_in<'a>(&'a self, field: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.prefixes
            .iter()
            .filter(move |(f, _)| f == field)
            .map(|(_, prefix)| prefix.as_str())
    }
}

/// `ast` with its clauses rewritten. Each clause on the date field becomes
/// a range of RFC 3339 times: a value is its whole period (`date:2024` is
/// every second of 2024), a range's bounds take in or leave out whole
/// periods (`date:<2024` ends before 2024, `date:[2023 TO 2024-06]` runs
/// to the end of June 2024). A country clause whose value names a country
/// becomes its code; another stays. A word ending in `*` matches the terms
/// it begins in its field or in the default fields. `a AND NOT b` excludes
/// `b`. [`Rewrite::ast`] is `None` when nothing changed, so the caller can
/// parse the query as usual; `Err` says which date value is no date, or
/// that regular expressions are not offered.
pub fn rewrite_clauses(ast: UserInputAst, fields: RewrittenFields) -> Result<Rewrite, String> {
    let mut state = State::default();
    let ast = rewrite(ast, fields, &mut state)?;
    Ok(Rewrite {
        ast: state.changed.then_some(ast),
        prefixes: state.prefixes,
    })
}

/// What the rewriting found so far.
#[derive(Default)]
struct State {
    changed: bool,
    prefixes: Vec<(String, String)>,
}

fn rewrite(
    ast: UserInputAst,
    fields: RewrittenFields,
    state: &mut State,
) -> Result<UserInputAst, String> {
    Ok(match ast {
        UserInputAst::Clause(clauses) => {
            let mut rewritten = Vec::with_capacity(clauses.len());
            for (occur, sub) in clauses {
                match (occur, rewrite(sub, fields, state)?) {
                    // "gaza AND NOT egypt" parses as gaza and (not egypt),
                    // and a clause that only excludes matches nothing: the
                    // exclusions belong to the clause around it.
                    (Some(Occur::Must), UserInputAst::Clause(inner))
                        if !inner.is_empty()
                            && inner.iter().all(|(o, _)| *o == Some(Occur::MustNot)) =>
                    {
                        state.changed = true;
                        rewritten.extend(inner);
                    }
                    (occur, sub) => rewritten.push((occur, sub)),
                }
            }
            UserInputAst::Clause(rewritten)
        }
        UserInputAst::Boost(sub, boost) => {
            UserInputAst::Boost(Box::new(rewrite(*sub, fields, state)?), boost)
        }
        UserInputAst::Leaf(leaf) => rewrite_leaf(*leaf, fields, state)?,
    })
}

fn rewrite_leaf(
    leaf: UserInputLeaf,
    fields: RewrittenFields,
    state: &mut State,
) -> Result<UserInputAst, String> {
    let date_field = fields.date;
    let on = |field: &Option<String>, name: &str| field.as_deref() == Some(name);
    Ok(match leaf {
        UserInputLeaf::Literal(literal) if on(&literal.field_name, date_field) => {
            state.changed = true;
            period(date_field, &literal.phrase)?
        }
        UserInputLeaf::Literal(mut literal)
            if on(&literal.field_name, fields.country) && !literal.prefix =>
        {
            match resolve_country(&literal.phrase) {
                Some(country) => {
                    state.changed = true;
                    literal.phrase = country.code;
                    UserInputAst::Leaf(Box::new(UserInputLeaf::Literal(literal)))
                }
                // Maybe a prefix ("country:egy*").
                None => rewrite_word(literal, fields, state),
            }
        }
        UserInputLeaf::Range {
            field,
            lower,
            upper,
        } if on(&field, date_field) => {
            state.changed = true;
            let lower = match lower {
                UserInputBound::Inclusive(v) => UserInputBound::Inclusive(edge(&v, Edge::Start)?),
                // After the whole period.
                UserInputBound::Exclusive(v) => UserInputBound::Exclusive(edge(&v, Edge::End)?),
                UserInputBound::Unbounded => UserInputBound::Unbounded,
            };
            let upper = match upper {
                UserInputBound::Inclusive(v) => UserInputBound::Inclusive(edge(&v, Edge::End)?),
                // Before the whole period.
                UserInputBound::Exclusive(v) => UserInputBound::Exclusive(edge(&v, Edge::Start)?),
                UserInputBound::Unbounded => UserInputBound::Unbounded,
            };
            range(date_field, lower, upper)
        }
        UserInputLeaf::Set { field, elements } if on(&field, date_field) => {
            state.changed = true;
            // Any of the periods, whatever the query's default operator.
            UserInputAst::Clause(
                elements
                    .iter()
                    .map(|value| Ok((Some(Occur::Should), period(date_field, value)?)))
                    .collect::<Result<_, String>>()?,
            )
        }
        UserInputLeaf::Literal(literal) => rewrite_word(literal, fields, state),
        // The parser takes `/…/` only because prefixes are written as
        // regular expressions; users' own could scan a whole dictionary.
        UserInputLeaf::Regex { .. } => {
            return Err(
                "regular expressions (/…/) are not offered: write word* for the \
                        words that begin with word"
                    .into(),
            )
        }
        other => UserInputAst::Leaf(Box::new(other)),
    })
}

/// A word ending in `*` as a match on the terms it begins, in its field
/// or in the default fields; any other literal as it is.
fn rewrite_word(
    literal: UserInputLiteral,
    fields: RewrittenFields,
    state: &mut State,
) -> UserInputAst {
    let plain = literal.delimiter == Delimiter::None && !literal.prefix && literal.slop == 0;
    let Some(prefix) = plain.then(|| WordPrefix::of(&literal.phrase)).flatten() else {
        return UserInputAst::Leaf(Box::new(UserInputLeaf::Literal(literal)));
    };
    state.changed = true;
    let searched: Vec<String> = match literal.field_name {
        Some(field) => vec![field],
        None => fields.default.iter().map(|f| f.to_string()).collect(),
    };
    let mut clauses: Vec<(Option<Occur>, UserInputAst)> = searched
        .into_iter()
        .map(|field| {
            let stemmed = fields.stemmed.contains(&field.as_str());
            if stemmed && prefix.stemmed != prefix.folded {
                state.prefixes.push((field.clone(), prefix.stemmed.clone()));
            }
            state.prefixes.push((field.clone(), prefix.folded.clone()));
            let regex = UserInputLeaf::Regex {
                pattern: prefix.pattern(stemmed),
                field: Some(field),
            };
            (Some(Occur::Should), UserInputAst::Leaf(Box::new(regex)))
        })
        .collect();
    if clauses.len() == 1 {
        clauses.remove(0).1
    } else {
        UserInputAst::Clause(clauses)
    }
}

/// Fewest letters of a word before its `*`: "a*" would match a good part
/// of the dictionary.
const MIN_PREFIX_CHARS: usize = 2;

/// Every second of the period `value` names.
fn period(date_field: &str, value: &str) -> Result<UserInputAst, String> {
    Ok(range(
        date_field,
        UserInputBound::Inclusive(edge(value, Edge::Start)?),
        UserInputBound::Inclusive(edge(value, Edge::End)?),
    ))
}

fn range(date_field: &str, lower: UserInputBound, upper: UserInputBound) -> UserInputAst {
    UserInputAst::Leaf(Box::new(UserInputLeaf::Range {
        field: Some(date_field.to_string()),
        lower,
        upper,
    }))
}

/// One end of a period as the RFC 3339 time the query parser reads.
fn edge(value: &str, edge: Edge) -> Result<String, String> {
    period_edge(value, edge)
        .map(|time| time.to_rfc3339_opts(SecondsFormat::Secs, true))
        .ok_or_else(|| {
            format!(
                "`{value}` is no date: write {DATE_FORMATS} (in quotes, as the time holds colons), \
                 or a range such as date:[2024-01 TO 2024-03]"
            )
        })
}

/// What a word ending in `*` begins, as the fields index it.
struct WordPrefix {
    /// Lower case, folded to ASCII: as names are indexed.
    folded: String,
    /// The same, stemmed: as title and body are ("ceasefire" → "ceasefir").
    stemmed: String,
}

impl WordPrefix {
    /// `None` for anything but one word with a final `*` and no other
    /// wildcard ("al-th*" is two words), or a word too short.
    fn of(word: &str) -> Option<WordPrefix> {
        let stem = word.strip_suffix('*')?;
        if stem.contains(['*', '?']) {
            return None;
        }
        let one_token = |mut analyzer: TextAnalyzer| -> Option<String> {
            let mut tokens = Vec::new();
            analyzer
                .token_stream(stem)
                .process(&mut |token| tokens.push(token.text.clone()));
            match tokens.as_slice() {
                [token] => Some(token.clone()),
                _ => None,
            }
        };
        let folded = one_token(name_analyzer())?;
        let stemmed = one_token(stemmed_analyzer())?;
        (folded.chars().count() >= MIN_PREFIX_CHARS).then_some(WordPrefix { folded, stemmed })
    }

    /// The regular expression of the terms that begin with the word: in a
    /// stemmed field, the word or its stem ("ceasefire*" finds the stem
    /// "ceasefir" of "ceasefire").
    fn pattern(&self, stemmed_field: bool) -> String {
        // The analysers keep letters and digits only; escape anyway.
        let escape = |text: &str| -> String {
            text.chars()
                .flat_map(|c| {
                    let special = !c.is_alphanumeric();
                    special.then_some('\\').into_iter().chain([c])
                })
                .collect()
        };
        if stemmed_field && self.stemmed != self.folded {
            format!("(?:{}|{}).*", escape(&self.folded), escape(&self.stemmed))
        } else {
            format!("{}.*", escape(&self.folded))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn periods_run_from_their_first_to_their_last_second() {
        let cases = [
            ("2024", Edge::Start, "2024-01-01T00:00:00Z"),
            ("2024", Edge::End, "2024-12-31T23:59:59Z"),
            ("2024-02", Edge::End, "2024-02-29T23:59:59Z"),
            ("2023-12", Edge::End, "2023-12-31T23:59:59Z"),
            ("2024-02-13", Edge::Start, "2024-02-13T00:00:00Z"),
            ("2024-02-13", Edge::End, "2024-02-13T23:59:59Z"),
            (
                "2024-02-13T09:30:00+02:00",
                Edge::End,
                "2024-02-13T07:30:00Z",
            ),
        ];
        for (value, side, expected) in cases {
            assert_eq!(period_edge(value, side), Some(at(expected)), "{value}");
        }
        for bad in [
            "24",
            "2024-13",
            "2024-02-30",
            "2024-1-+1",
            "May 2024",
            "",
            "x",
        ] {
            assert_eq!(period_edge(bad, Edge::Start), None, "{bad}");
        }
    }

    /// The rewritten query, printed the way the grammar prints it.
    fn rewritten(query: &str) -> Result<Option<String>, String> {
        let ast = tantivy::query_grammar::parse_query(query).unwrap();
        let fields = RewrittenFields {
            date: "date",
            country: "country",
            default: &["title", "body"],
            stemmed: &["title", "body"],
        };
        rewrite_clauses(ast, fields).map(|rewrite| rewrite.ast.map(|ast| format!("{ast:?}")))
    }

    #[test]
    fn date_clauses_become_ranges_of_whole_periods() {
        let year = r#""date":["2024-01-01T00:00:00Z" TO "2024-12-31T23:59:59Z"]"#;
        for (query, expected) in [
            ("date:2024", year),
            (
                "gaza date:2024-08",
                r#"["2024-08-01T00:00:00Z" TO "2024-08-31T23:59:59Z"]"#,
            ),
            (
                r#"date:"2024-02-13T09:30:00Z""#,
                r#"["2024-02-13T09:30:00Z" TO "2024-02-13T09:30:00Z"]"#,
            ),
            (
                "date:[2023 TO 2024-06]",
                r#"["2023-01-01T00:00:00Z" TO "2024-06-30T23:59:59Z"]"#,
            ),
            // Exclusive bounds leave the whole period out.
            (
                "date:{2023 TO 2024}",
                r#"{"2023-12-31T23:59:59Z" TO "2024-01-01T00:00:00Z"}"#,
            ),
            ("date:<2024", r#"{"*" TO "2024-01-01T00:00:00Z"}"#),
            ("date:>=2024-06", r#"["2024-06-01T00:00:00Z" TO "*"}"#),
            ("(cairo OR doha) AND date:2024^2", year),
        ] {
            let rewritten = rewritten(query).unwrap().unwrap();
            assert!(rewritten.contains(expected), "{query}: {rewritten}");
        }
    }

    #[test]
    fn a_set_of_dates_is_any_of_their_periods() {
        let query = rewritten("date: IN [2023 2025-02]").unwrap().unwrap();
        assert!(
            query.contains(r#"["2023-01-01T00:00:00Z" TO "2023-12-31T23:59:59Z"]"#),
            "{query}"
        );
        assert!(
            query.contains(r#"["2025-02-01T00:00:00Z" TO "2025-02-28T23:59:59Z"]"#),
            "{query}"
        );
        assert!(!query.contains('+'), "{query}");
    }

    #[test]
    fn countries_are_written_as_their_codes() {
        for (query, code) in [
            ("country:egyptian", r#""country":EG"#),
            ("country:Türkiye", r#""country":TR"#),
            (r#"country:"united states""#, r#""country":"US""#),
            ("gaza AND country:qa", r#""country":QA"#),
        ] {
            let rewritten = rewritten(query).unwrap().unwrap();
            assert!(rewritten.contains(code), "{query}: {rewritten}");
        }
    }

    #[test]
    fn and_not_excludes() {
        for (query, expected) in [
            ("gaza AND NOT egypt", "(+gaza -egypt)"),
            ("(gaza OR doha) AND NOT egypt", "(+(?gaza ?doha) -egypt)"),
            ("gaza AND NOT egypt AND NOT qatar", "(+gaza -egypt -qatar)"),
        ] {
            assert_eq!(
                rewritten(query).unwrap().as_deref(),
                Some(expected),
                "{query}"
            );
        }
        // Not after OR: "or anything but Egypt" is no exclusion.
        assert_eq!(rewritten("gaza OR NOT egypt"), Ok(None));
    }

    #[test]
    fn queries_without_date_or_country_clauses_are_left_alone() {
        for query in [
            "gaza",
            "title:2024",
            "2024",
            "update:x",
            "date:*",
            "country:states",
            "egyptian",
            "a*",
            "al-th*",
            "wh?t*",
            r#""big bad wo"*"#,
        ] {
            assert_eq!(rewritten(query), Ok(None), "{query}");
        }
    }

    #[test]
    fn a_word_ending_in_a_star_finds_the_words_it_begins() {
        let query = rewritten("ceasefire* person:netan*").unwrap().unwrap();
        assert!(
            query.contains(r#""title":/(?:ceasefire|ceasefir).*/"#),
            "{query}"
        );
        assert!(
            query.contains(r#""body":/(?:ceasefire|ceasefir).*/"#),
            "{query}"
        );
        assert!(query.contains(r#""person":/netan.*/"#), "{query}");
        assert!(rewritten("Mediat*")
            .unwrap()
            .unwrap()
            .contains("/mediat.*/"));
        assert!(rewritten("country:egy*")
            .unwrap()
            .unwrap()
            .contains(r#""country":/egy.*/"#));
        let fields = RewrittenFields {
            date: "date",
            country: "country",
            default: &["title", "body"],
            stemmed: &["title", "body"],
        };
        let prefixes = |query: &str, field: &str| -> Vec<String> {
            let ast = tantivy::query_grammar::parse_query(query).unwrap();
            let rewrite = rewrite_clauses(ast, fields).unwrap();
            rewrite.prefixes_in(field).map(str::to_string).collect()
        };
        assert_eq!(
            prefixes("ceasefire* person:netan* \"big bad wo\"*", "body"),
            ["ceasefir", "ceasefire"]
        );
        assert_eq!(prefixes("person:netan* gaza", "person"), ["netan"]);
        let error = rewritten("body:/ceas.*/").unwrap_err();
        assert!(error.contains("word*"), "{error}");
    }

    #[test]
    fn a_value_that_is_no_date_is_named() {
        let error = rewritten("date:yesterday").unwrap_err();
        assert!(error.contains("`yesterday` is no date"), "{error}");
        assert!(error.contains("YYYY-MM-DD"), "{error}");
        assert!(rewritten("date:[2024 TO soon]")
            .unwrap_err()
            .contains("`soon`"));
    }
}
