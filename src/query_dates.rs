//! Dates as people write them: a year, a month or a day stands for the
//! whole period, in `--since`/`--until` and in `date:` query clauses
//! (`date:2024`, `date:2024-08`, `date:[2024-01 TO 2024-03]`,
//! `date:>=2024-06`). The engine's date field only understands RFC 3339
//! times, so the query's date clauses are rewritten into ranges of times
//! before the query parser sees them.

use chrono::{DateTime, NaiveDate, NaiveTime, SecondsFormat, Utc};
use tantivy::query_grammar::{Occur, UserInputAst, UserInputBound, UserInputLeaf};

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

/// `ast` with each clause on the field `date_field` written as a range of
/// RFC 3339 times: a value is its whole period (`date:2024` is every
/// second of 2024), a range's bounds take in or leave out whole periods
/// (`date:<2024` ends before 2024, `date:[2023 TO 2024-06]` runs to the
/// end of June 2024). `Ok(None)` when the query has no date clause, so
/// the caller can parse it as usual; `Err` says which value is no date.
pub fn with_date_periods(
    ast: UserInputAst,
    date_field: &str,
) -> Result<Option<UserInputAst>, String> {
    let mut found = false;
    let ast = rewrite(ast, date_field, &mut found)?;
    Ok(found.then_some(ast))
}

fn rewrite(ast: UserInputAst, date_field: &str, found: &mut bool) -> Result<UserInputAst, String> {
    Ok(match ast {
        UserInputAst::Clause(clauses) => UserInputAst::Clause(
            clauses
                .into_iter()
                .map(|(occur, sub)| Ok((occur, rewrite(sub, date_field, found)?)))
                .collect::<Result<_, String>>()?,
        ),
        UserInputAst::Boost(sub, boost) => {
            UserInputAst::Boost(Box::new(rewrite(*sub, date_field, found)?), boost)
        }
        UserInputAst::Leaf(leaf) => rewrite_leaf(*leaf, date_field, found)?,
    })
}

fn rewrite_leaf(
    leaf: UserInputLeaf,
    date_field: &str,
    found: &mut bool,
) -> Result<UserInputAst, String> {
    let on_dates = |field: &Option<String>| field.as_deref() == Some(date_field);
    Ok(match leaf {
        UserInputLeaf::Literal(literal) if on_dates(&literal.field_name) => {
            *found = true;
            period(date_field, &literal.phrase)?
        }
        UserInputLeaf::Range {
            field,
            lower,
            upper,
        } if on_dates(&field) => {
            *found = true;
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
        UserInputLeaf::Set { field, elements } if on_dates(&field) => {
            *found = true;
            // Any of the periods, whatever the query's default operator.
            UserInputAst::Clause(
                elements
                    .iter()
                    .map(|value| Ok((Some(Occur::Should), period(date_field, value)?)))
                    .collect::<Result<_, String>>()?,
            )
        }
        other => UserInputAst::Leaf(Box::new(other)),
    })
}

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
        with_date_periods(ast, "date").map(|ast| ast.map(|ast| format!("{ast:?}")))
    }

    #[test]
    fn date_clauses_become_ranges_of_whole_periods() {
        let year = r#""date":["2024-01-01T00:00:00Z" TO "2024-12-31T23:59:59Z"]"#;
        assert!(rewritten("date:2024").unwrap().unwrap().contains(year));
        assert!(rewritten("gaza date:2024-08")
            .unwrap()
            .unwrap()
            .contains(r#"["2024-08-01T00:00:00Z" TO "2024-08-31T23:59:59Z"]"#));
        assert!(rewritten(r#"date:"2024-02-13T09:30:00Z""#)
            .unwrap()
            .unwrap()
            .contains(r#"["2024-02-13T09:30:00Z" TO "2024-02-13T09:30:00Z"]"#));
        assert!(rewritten("date:[2023 TO 2024-06]")
            .unwrap()
            .unwrap()
            .contains(r#"["2023-01-01T00:00:00Z" TO "2024-06-30T23:59:59Z"]"#));
        // Exclusive bounds leave the whole period out.
        assert!(rewritten("date:{2023 TO 2024}")
            .unwrap()
            .unwrap()
            .contains(r#"{"2023-12-31T23:59:59Z" TO "2024-01-01T00:00:00Z"}"#));
        assert!(rewritten("date:<2024")
            .unwrap()
            .unwrap()
            .contains(r#"{"*" TO "2024-01-01T00:00:00Z"}"#));
        assert!(rewritten("date:>=2024-06")
            .unwrap()
            .unwrap()
            .contains(r#"["2024-06-01T00:00:00Z" TO "*"}"#));
        assert!(rewritten("(cairo OR doha) AND date:2024^2")
            .unwrap()
            .unwrap()
            .contains(year));
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
    fn queries_without_date_clauses_are_left_alone() {
        for query in ["gaza", "title:2024", "2024", "update:x", "date:*"] {
            assert_eq!(rewritten(query), Ok(None), "{query}");
        }
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
