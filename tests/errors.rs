use crate::util::TestEnv;

#[test]
fn missing_index_says_how_to_build_one() {
    let env = TestEnv::empty();
    let run = env.run(&["search", "anything"]);
    run.expect_code(2);
    assert!(run.stderr.contains("no index at"), "{}", run.stderr);
    assert!(run.stderr.contains("newsdex index"), "{}", run.stderr);
}

#[test]
fn query_syntax_error_shows_the_query_and_exits_two() {
    let env = TestEnv::with_files(&[("a.txt", "Harbour reopens\n\nThe harbour reopened.\n")]);
    env.index_corpus();
    for query in ["\"unclosed phrase", "(harbour", "title:"] {
        let run = env.run(&["search", query]);
        run.expect_code(2);
        assert!(run.stderr.contains(query), "{query}: {}", run.stderr);
        assert!(
            !run.stderr.contains("Error {") && !run.stderr.contains("panicked"),
            "{}",
            run.stderr
        );
    }
}

#[test]
fn unknown_field_lists_the_valid_ones() {
    let env = TestEnv::with_files(&[("a.txt", "Harbour reopens\n\nThe harbour reopened.\n")]);
    env.index_corpus();
    let run = env.run(&["search", "colour:red"]);
    run.expect_code(2);
    assert!(
        run.stderr.contains("unknown field `colour`"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("person, country, org"),
        "{}",
        run.stderr
    );
}

#[test]
fn unknown_country_and_bad_dates_are_usage_errors() {
    let env = TestEnv::with_files(&[("a.txt", "Harbour reopens\n\nThe harbour reopened.\n")]);
    env.index_corpus();
    let run = env.run(&["search", "--country", "Narnia"]);
    run.expect_code(2);
    assert!(
        run.stderr.contains("unknown country `Narnia`"),
        "{}",
        run.stderr
    );
    let run = env.run(&["search", "--since", "last week"]);
    run.expect_code(2);
    assert!(
        run.stderr.contains("--since") && run.stderr.contains("YYYY-MM-DD"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_query_that_only_excludes_says_what_to_add() {
    let env = TestEnv::with_files(&[("a.txt", "Harbour reopens\n\nThe harbour reopened.\n")]);
    env.index_corpus();
    // An excluded word first on the command line is a query word too, not
    // an unknown option.
    for args in [
        &["search", "-harbour"][..],
        &["search", "--", "-harbour"],
        &["search", "NOT harbour"],
    ] {
        let run = env.run(args);
        run.expect_code(2);
        assert!(
            run.stderr.contains("only excludes") && run.stderr.contains("add a word"),
            "{}",
            run.stderr
        );
    }
    // Several words on the command line are one query.
    let run = env.run(&["search", "harbour", "reopened", "--json"]);
    run.expect_code(0);
    assert_eq!(run.json()["query"], "harbour reopened");
    let run = env.run(&["search", "harbour", "-reopened", "--json"]);
    run.expect_code(1);
    assert_eq!(run.json()["query"], "harbour -reopened");
}

#[test]
fn missing_corpus_folder_is_reported() {
    let env = TestEnv::empty();
    let missing = env.dir.path().join("nope");
    let run = env.run(&["index", missing.to_str().unwrap()]);
    run.expect_code(2);
    assert!(run.stderr.contains("nope"), "{}", run.stderr);
}

#[test]
fn an_index_from_another_schema_version_asks_for_a_rebuild() {
    let env = TestEnv::with_files(&[("a.txt", "Harbour reopens\n\nThe harbour reopened.\n")]);
    env.index_corpus();
    // The schema version travels in the commit payload inside meta.json.
    let meta_path = env.index().join("meta.json");
    let meta = std::fs::read_to_string(&meta_path).unwrap();
    let marker = "\\\"schema_version\\\":";
    let at = meta
        .find(marker)
        .expect("schema version in the commit payload")
        + marker.len();
    let digits = meta[at..].chars().take_while(char::is_ascii_digit).count();
    let tampered = format!("{}999{}", &meta[..at], &meta[at + digits..]);
    std::fs::write(&meta_path, tampered).unwrap();

    let run = env.run(&["search", "harbour"]);
    run.expect_code(2);
    assert!(
        run.stderr.contains("incompatible") && run.stderr.contains("--rebuild"),
        "{}",
        run.stderr
    );
    let corpus = env.corpus();
    // The advice works: --rebuild replaces the incompatible index.
    let rebuilt = env.run(&["index", corpus.to_str().unwrap(), "--rebuild", "--json"]);
    rebuilt.expect_code(0);
    assert_eq!(rebuilt.json()["articles_total"], 1);
    assert_eq!(env.hit_ids(&["harbour"]), vec!["a.txt"]);
}
