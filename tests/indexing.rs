use serde_json::Value;

use crate::util::{run_in, TestEnv};

fn skipped_paths(summary: &Value) -> Vec<String> {
    summary["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["path"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn every_format_is_indexed() {
    let env = TestEnv::with_files(&[
        ("a.txt", "Harbour reopens\n\nThe harbour reopened on Monday after storm repairs.\n"),
        ("b.md", "---\ntitle: Glacier survey\ndate: 2024-05-01\nsource: Alpine Desk\n---\nThe glacier survey found rapid melting.\n"),
        ("c.json", r#"{"headline":"Vaccine approved","articleBody":"Regulators approved the vaccine.","datePublished":"2024-02-01T10:00:00Z"}"#),
        ("d.jsonl", "{\"title\":\"Budget passes\",\"text\":\"Parliament passed the budget.\"}\n"),
        ("e.html", "<html><head><title>Bridge opens | City Desk</title></head><body><nav>Home News Sport</nav><article><h1>Bridge opens</h1><p>The new suspension bridge opened to traffic on Sunday after four years of construction work along the river.</p><p>Engineers said the bridge would carry forty thousand vehicles a day across the estuary.</p></article><footer>Copyright</footer></body></html>"),
    ]);
    let summary = env.index_corpus();
    assert_eq!(summary["files_seen"], 5, "{summary}");
    assert_eq!(summary["articles"]["added"], 5, "{summary}");
    assert_eq!(summary["articles_total"], 5);
    for (query, id) in [
        ("harbour", "a.txt"),
        ("glacier", "b.md"),
        ("vaccine", "c.json"),
        ("budget", "d.jsonl#1"),
        ("suspension", "e.html"),
    ] {
        assert_eq!(env.hit_ids(&[query]), vec![id], "query {query}");
    }
    assert!(
        env.hit_ids(&["copyright"]).is_empty(),
        "HTML boilerplate was indexed"
    );
    assert_eq!(env.hit_ids(&["--source", "alpine desk"]), vec!["b.md"]);
}

#[test]
fn rerun_after_edit_and_delete_reports_one_update_and_one_removal() {
    let env = TestEnv::bundled();
    let first = env.index_corpus();
    let total = first["articles_total"].as_u64().unwrap();
    assert!(total >= 41, "{first}");

    let again = env.index_corpus();
    assert_eq!(again["articles"]["unchanged"], total, "{again}");
    assert_eq!(again["articles"]["added"], 0);

    // Edit the seed (one article) and delete another single-article file.
    let seed = env.corpus().join("000_9ca1e063e595d5e0.txt");
    let text = std::fs::read_to_string(&seed).unwrap();
    std::fs::write(
        &seed,
        text.replace("Cairo on Tuesday", "Cairo on Tuesday amid a zeppelinquake"),
    )
    .unwrap();
    let victim = single_article_txt(&env);
    let victim_id = victim.file_name().unwrap().to_str().unwrap().to_string();
    let victim_rel = victim
        .strip_prefix(env.corpus())
        .unwrap()
        .to_str()
        .unwrap()
        .replace('\\', "/");
    let victim_word = first_long_word(&std::fs::read_to_string(&victim).unwrap());
    assert!(
        env.hit_ids(&[&victim_word]).contains(&victim_rel),
        "{victim_id} not found before deletion"
    );
    std::fs::remove_file(&victim).unwrap();

    let summary = env.index_corpus();
    assert_eq!(summary["articles"]["updated"], 1, "{summary}");
    assert_eq!(summary["articles"]["removed"], 1, "{summary}");
    assert_eq!(summary["articles"]["added"], 0, "{summary}");
    assert_eq!(summary["articles_total"], total - 1);
    assert_eq!(
        env.hit_ids(&["zeppelinquake"]),
        vec!["000_9ca1e063e595d5e0.txt"]
    );
    assert!(
        !env.hit_ids(&[&victim_word]).contains(&victim_rel),
        "deleted file still found"
    );
}

#[test]
fn a_file_that_turns_unreadable_loses_its_articles_once() {
    let env = TestEnv::with_files(&[
        ("keep.txt", "Harbour reopens\n\nThe harbour reopened on Monday.\n"),
        ("feed.jsonl", "{\"title\":\"Budget passes\",\"text\":\"Parliament passed the budget.\"}\n{\"title\":\"Dam opens\",\"text\":\"The dam opened.\"}\n"),
        ("story.json", r#"{"headline":"Vaccine approved","articleBody":"Regulators approved the vaccine."}"#),
    ]);
    assert_eq!(env.index_corpus()["articles_total"], 4);
    // No line of the feed parses any more (records skipped), and the JSON
    // file does not parse at all (the whole file skipped).
    std::fs::write(env.corpus().join("feed.jsonl"), "not json at all\n").unwrap();
    std::fs::write(env.corpus().join("story.json"), "{").unwrap();
    let summary = env.index_corpus();
    // The old articles are removed once each (not again as vanished files).
    assert_eq!(summary["articles"]["removed"], 3, "{summary}");
    assert_eq!(summary["articles"]["unchanged"], 1, "{summary}");
    assert_eq!(summary["articles_total"], 1, "{summary}");
    assert!(
        skipped_paths(&summary)
            .iter()
            .any(|p| p.starts_with("feed.jsonl")),
        "{summary}"
    );
    assert!(
        skipped_paths(&summary).contains(&"story.json".to_string()),
        "{summary}"
    );
    assert!(env.hit_ids(&["budget"]).is_empty());
    assert!(env.hit_ids(&["vaccine"]).is_empty());
    assert_eq!(env.hit_ids(&["harbour"]), vec!["keep.txt"]);
}

/// A .txt file of the bundled corpus other than the seed.
fn single_article_txt(env: &TestEnv) -> std::path::PathBuf {
    walkdir::WalkDir::new(env.corpus())
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.into_path())
        .find(|p| {
            p.extension().is_some_and(|e| e == "txt") && !p.ends_with("000_9ca1e063e595d5e0.txt")
        })
        .expect("another .txt article in corpus/")
}

/// A distinctive word of the text (the longest alphabetic one).
fn first_long_word(text: &str) -> String {
    text.split(|c: char| !c.is_alphabetic())
        .max_by_key(|w| w.len())
        .unwrap()
        .to_lowercase()
}

#[test]
fn every_file_is_accounted_for() {
    let env = TestEnv::with_files(&[
        ("good.txt", "Rail strike ends\n\nDrivers returned to work on Friday.\n"),
        ("notes.csv", "a,b,c\n"),
        ("empty.txt", ""),
        ("broken.json", "{\"title\": \"x\", "),
        ("feed.jsonl", "{\"title\":\"One\",\"text\":\"first record\"}\n{oops\n{\"title\":\"Three\",\"text\":\"third record\"}\n"),
        (".hidden.txt", "Hidden\n\nNot to be indexed.\n"),
    ]);
    let summary = env.index_corpus();
    let skipped = skipped_paths(&summary);
    assert_eq!(summary["files_seen"], 5, "{summary}");
    assert_eq!(summary["articles"]["added"], 3, "{summary}");
    for path in ["notes.csv", "empty.txt", "broken.json", "feed.jsonl#2"] {
        assert!(
            skipped.contains(&path.to_string()),
            "{path} not in skipped: {summary}"
        );
    }
    let broken = summary["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["path"] == "broken.json")
        .unwrap();
    assert!(
        broken["reason"].as_str().unwrap().contains("line"),
        "{broken}"
    );
    assert_eq!(env.hit_ids(&["third"]), vec!["feed.jsonl#3"]);

    // An unchanged re-run still reports the bad record.
    let again = env.index_corpus();
    assert!(
        skipped_paths(&again).contains(&"feed.jsonl#2".to_string()),
        "{again}"
    );
    assert_eq!(again["articles"]["unchanged"], 3);
}

#[test]
fn rebuild_starts_afresh() {
    let env = TestEnv::with_files(&[("a.txt", "Harbour reopens\n\nThe harbour reopened.\n")]);
    env.index_corpus();
    let corpus = env.corpus();
    let run = env.run(&["index", corpus.to_str().unwrap(), "--rebuild", "--json"]);
    run.expect_code(0);
    let summary = run.json();
    assert_eq!(summary["articles"]["added"], 1, "{summary}");
    assert_eq!(summary["articles_total"], 1);
}

#[test]
fn first_search_builds_the_default_index_from_the_default_corpus() {
    let env = TestEnv::with_files(&[("a.txt", "Harbour reopens\n\nThe harbour reopened.\n")]);
    let run = run_in(env.dir.path(), &["search", "harbour", "--json"]);
    run.expect_code(0);
    assert!(run.stderr.contains("no index yet"), "{}", run.stderr);
    assert_eq!(run.json()["total"], 1);
    assert!(env.dir.path().join("index/meta.json").is_file());
    let second = run_in(env.dir.path(), &["search", "harbour", "--json"]);
    assert!(!second.stderr.contains("no index yet"));
}

#[test]
fn windows_1252_text_is_decoded() {
    let env = TestEnv::empty();
    env.write(
        "pound.txt",
        b"Transfer fee\n\nThe club paid \xa35m for the striker.\n",
    );
    env.index_corpus();
    let results = env.search(&["striker"]);
    assert!(
        results["hits"][0]["snippet"]
            .as_str()
            .unwrap()
            .contains("£5m"),
        "{results}"
    );
}
