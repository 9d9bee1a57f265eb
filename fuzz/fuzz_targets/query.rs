//! Fuzzes query handling: the query parser, the error descriptions and a
//! full search (filters, facets, snippets) on a small index built once in a
//! temporary folder. The contract: results or a clear error, never a panic.
//! Input bytes: the query, then optionally `\n` and one filter value that is
//! tried as person, organisation and country.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use newsdex::indexer::{build_index, IndexOptions};
use newsdex::search::{Engine, SearchRequest};

struct Fixture {
    _dir: tempfile::TempDir,
    engine: Engine,
}

fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
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
        build_index(&options, |_| {}).expect("build fixture index");
        let engine = Engine::open(&index).expect("open fixture index");
        Fixture { _dir: dir, engine }
    })
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (query, filter) = match text.split_once('\n') {
        Some((q, f)) => (q, Some(f)),
        None => (&*text, None),
    };
    let engine = &fixture().engine;
    let base = SearchRequest {
        query: Some(query.to_string()),
        limit: 5,
        facets: true,
        facet_top: 5,
        snippets: true,
        ..SearchRequest::default()
    };
    if let Err(err) = engine.search(&base) {
        assert!(!err.to_string().is_empty());
    }
    if let Some(filter) = filter {
        for request in [
            SearchRequest {
                persons: vec![filter.to_string()],
                ..base.clone()
            },
            SearchRequest {
                orgs: vec![filter.to_string()],
                ..base.clone()
            },
            SearchRequest {
                countries: vec![filter.to_string()],
                query: None,
                ..base.clone()
            },
        ] {
            let _ = engine.search(&request);
        }
    }
});
