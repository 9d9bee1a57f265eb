//! Search input never panics: arbitrary strings as queries and as filter
//! values give results or a clear error (property tests through the
//! library, on a small index built once).

use std::sync::OnceLock;

use proptest::prelude::*;

use newsdex::error::Error;
use newsdex::indexer::{build_index, IndexOptions};
use newsdex::search::{Engine, SearchRequest};

struct Fixture {
    _dir: tempfile::TempDir,
    engine: Engine,
}

fn engine() -> &'static Engine {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    &FIXTURE
        .get_or_init(|| {
            let dir = tempfile::tempdir().expect("temp dir");
            let corpus = dir.path().join("corpus");
            std::fs::create_dir(&corpus).expect("corpus dir");
            let files = [
                ("a.txt", "Ceasefire talks in Cairo\n\nEgyptian mediators met Hamas and Israeli officials in Cairo on Tuesday, said William Burns of the CIA.\n"),
                ("b.json", r#"{"title":"Budget passes","body":"The parliament of France passed the budget. Emmanuel Macron welcomed the vote.","date":"2024-03-01"}"#),
                ("c.md", "---\ntitle: Glacier survey\nsource: Alpine Desk\ndate: 2023-05-01\n---\nThe survey in Switzerland found rapid melting, the United Nations said.\n"),
            ];
            for (name, text) in files {
                std::fs::write(corpus.join(name), text).expect("write corpus");
            }
            let index = dir.path().join("index");
            let options = IndexOptions {
                threads: 1,
                memory_mb: 15,
                ..IndexOptions::new(&corpus, &index)
            };
            build_index(&options, |_| {}).expect("build the fixture index");
            let engine = Engine::open(&index).expect("open the fixture index");
            Fixture { _dir: dir, engine }
        })
        .engine
}

/// Runs one request: it must succeed or fail with a user error whose
/// message names what was typed, without debug output.
fn check(request: &SearchRequest) -> Result<(), TestCaseError> {
    match engine().search(request) {
        Ok(results) => {
            prop_assert!(results.hits.len() <= request.limit.max(1));
        }
        Err(error) => {
            let message = error.to_string();
            prop_assert!(
                error.is_usage(),
                "not a usage error for {request:?}: {message}"
            );
            let debug_output = message.contains("Error {") || message.contains("Some(");
            prop_assert!(!debug_output, "debug output in: {}", message);
            if let Error::QuerySyntax { reason, .. } = &error {
                prop_assert!(!reason.is_empty());
            }
        }
    }
    Ok(())
}

/// Query-language pieces, so that generated strings reach deep into the
/// grammar (fields, ranges, phrases, boosts, operators).
fn query_like() -> impl Strategy<Value = String> {
    let atoms = prop::sample::select(vec![
        "cairo",
        "Burns",
        "title:",
        "body:",
        "person:",
        "country:qa",
        "date:",
        "id:",
        "colour:",
        "\"",
        "(",
        ")",
        "[",
        "]",
        "{",
        "}",
        " TO ",
        "*",
        "^2",
        "^",
        "~",
        "~2",
        " AND ",
        " OR ",
        " NOT ",
        "+",
        "-",
        ":",
        "\\",
        "'",
        " ",
        "2024-01-01T00:00:00Z",
        "IN [",
        "é",
        "\u{202e}",
        "🙂",
        "::",
        "\t",
        "\n",
        "/",
        "?",
        "!",
    ]);
    prop::collection::vec(atoms, 0..12).prop_map(|parts| parts.concat())
}

proptest! {
    // Failures are kept as explicit cases below, not in a regressions file.
    #![proptest_config(ProptestConfig {
        cases: 1000,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn arbitrary_queries_never_panic(query in "\\PC{0,40}") {
        check(&SearchRequest {
            query: Some(query),
            limit: 5,
            facets: true,
            facet_top: 5,
            snippets: true,
            ..SearchRequest::default()
        })?;
    }

    #[test]
    fn query_syntax_soup_never_panics(query in query_like(), offset in 0usize..3) {
        check(&SearchRequest {
            query: Some(query),
            limit: 3,
            offset,
            snippets: true,
            ..SearchRequest::default()
        })?;
    }

    #[test]
    fn arbitrary_filter_values_never_panic(value in "\\PC{0,20}", query in query_like()) {
        for request in [
            SearchRequest { persons: vec![value.clone()], ..SearchRequest::default() },
            SearchRequest { orgs: vec![value.clone()], ..SearchRequest::default() },
            SearchRequest { sources: vec![value.clone()], ..SearchRequest::default() },
            SearchRequest { countries: vec![value.clone()], ..SearchRequest::default() },
        ] {
            check(&SearchRequest { query: Some(query.clone()), limit: 3, facets: true, facet_top: 3, ..request })?;
        }
    }
}

/// Found by `query_syntax_soup_never_panics`: `title:*` parsed, then failed
/// at search time with "Schema error: 'Field title is not a fast field.'",
/// reported as a broken index. It is a query the user can fix.
#[test]
fn any_value_queries_on_text_or_unknown_fields_are_usage_errors() {
    for query in ["title:*", "body:*", "person:*", "country:*"] {
        let request = SearchRequest {
            query: Some(query.into()),
            limit: 3,
            ..SearchRequest::default()
        };
        match engine().search(&request) {
            Err(Error::QuerySyntax { reason, .. }) => {
                assert!(reason.contains("field:*"), "{query}: {reason}")
            }
            other => panic!("{query}: expected a query syntax error, got {other:?}"),
        }
    }
    // Found next: `colour:*` failed with "The field does not exist" at
    // search time, also reported as a broken index.
    for query in ["colour:*", "cairotitle:*", "\\{:*"] {
        let request = SearchRequest {
            query: Some(query.into()),
            limit: 3,
            ..SearchRequest::default()
        };
        match engine().search(&request) {
            Err(Error::UnknownField { valid, .. }) => assert!(valid.contains("title")),
            other => panic!("{query}: expected an unknown-field error, got {other:?}"),
        }
    }
    let request = SearchRequest {
        query: Some("id:*".into()),
        limit: 10,
        ..SearchRequest::default()
    };
    assert_eq!(engine().search(&request).expect("id:* works").total, 3);
}

/// The binary turns the same inputs into exit code 2 and a one-line
/// message, never a panic.
#[test]
fn hostile_queries_on_the_command_line_exit_cleanly() {
    let env = crate::util::TestEnv::with_files(&[(
        "a.txt",
        "Harbour reopens\n\nThe harbour reopened.\n",
    )]);
    env.index_corpus();
    for query in [
        "((((((((((",
        "title:\"",
        "date:[x TO",
        "*",
        "^^^",
        "a~999999999",
        "\\",
        "id:*",
        "title:*",
        "person:*",
        "-",
        "+ -",
        "\"\"",
        "NOT",
        "title:(a OR",
        "🙂:🙂",
        "date:>2024",
    ] {
        let run = env.run(&["search", query, "--json"]);
        assert!(
            matches!(run.code, 0..=2),
            "{query:?}: exit {}: {}",
            run.code,
            run.stderr
        );
        assert!(
            !run.stderr.contains("panicked"),
            "{query:?}: {}",
            run.stderr
        );
        if run.code == 2 {
            assert_eq!(
                run.stderr.trim().lines().count(),
                1,
                "{query:?}: {}",
                run.stderr
            );
        } else {
            run.json();
        }
    }
}
