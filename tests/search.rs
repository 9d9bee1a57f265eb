use serde_json::Value;

use newsdex::search::{Engine, SearchRequest};

use crate::util::{ids, strings, TestEnv};

/// Three small articles with dates, in JSON Lines.
fn small_env() -> TestEnv {
    let lines = [
        r#"{"title":"Ceasefire talks resume in Doha","text":"Qatari mediators said ceasefire talks between Israel and Hamas resumed in Doha on Monday.","published":"2024-03-04","source":"Meridian Post"}"#,
        r#"{"title":"Central bank holds rates","text":"The European Central Bank kept interest rates unchanged, President Christine Lagarde said in Frankfurt.","published":"2024-06-06","source":"Harbour Wire"}"#,
        r#"{"title":"Ceasefire holds in the north","text":"A fragile ceasefire held for a third day, officials in Cairo said. Egypt urged restraint <now> & later.","published":"2023-11-20","source":"Meridian Post"}"#,
    ];
    let env = TestEnv::with_files(&[("feed.jsonl", &lines.join("\n"))]);
    env.index_corpus();
    env
}

/// `n` files `{stem}-{i}.txt`, the text of each written by `text(i)`.
fn copies(stem: &str, n: usize, text: impl Fn(usize) -> String) -> Vec<(String, String)> {
    (0..n)
        .map(|i| (format!("{stem}-{i}.txt"), text(i)))
        .collect()
}

/// A test corpus of (path, text) files, indexed; with the index summary.
fn indexed(files: &[(String, String)]) -> (TestEnv, Value) {
    let files: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let env = TestEnv::with_files(&files);
    let summary = env.index_corpus();
    (env, summary)
}

fn facet<'a>(results: &'a Value, kind: &str) -> &'a Vec<Value> {
    results["facets"][kind]
        .as_array()
        .unwrap_or_else(|| panic!("no {kind} facet in {results}"))
}

/// A facet's (value, count) pairs, in order.
fn facet_counts(results: &Value, kind: &str) -> Vec<(String, u64)> {
    facet(results, kind)
        .iter()
        .map(|e| {
            (
                e["value"].as_str().unwrap().to_string(),
                e["count"].as_u64().unwrap(),
            )
        })
        .collect()
}

#[test]
fn json_output_follows_the_contract() {
    let env = small_env();
    let results = env.search(&["ceasefire", "--facets"]);
    assert_eq!(results["query"], "ceasefire");
    assert_eq!(results["total"], 2);
    assert!(results["took_ms"].as_f64().unwrap() >= 0.0);
    let hit = &results["hits"][0];
    for key in [
        "id",
        "path",
        "title",
        "date",
        "score",
        "snippet",
        "persons",
        "countries",
        "orgs",
    ] {
        assert!(hit.get(key).is_some(), "hit lacks {key}: {hit}");
    }
    assert_eq!(hit["path"], "feed.jsonl");
    for kind in ["person", "country", "org"] {
        for entry in facet(&results, kind) {
            assert!(
                entry["value"].is_string() && entry["count"].is_u64(),
                "{entry}"
            );
        }
    }
    for entry in facet(&results, "country") {
        assert!(
            entry["code"].as_str().is_some_and(|c| c.len() == 2),
            "{entry}"
        );
    }
    let plain = env.search(&["ceasefire"]);
    assert!(
        plain.get("facets").is_none(),
        "facets present without --facets"
    );
}

#[test]
fn snippets_highlight_matches_and_escape_html() {
    let env = small_env();
    let results = env.search(&["restraint"]);
    let snippet = results["hits"][0]["snippet"].as_str().unwrap();
    assert!(snippet.contains("<b>restraint</b>"), "{snippet}");
    assert!(snippet.contains("&lt;now&gt; &amp; later"), "{snippet}");
}

#[test]
fn stemming_phrases_and_operators_work() {
    let env = small_env();
    assert_eq!(env.hit_ids(&["mediator"]), vec!["feed.jsonl#1"]);
    assert_eq!(
        env.hit_ids(&["\"fragile ceasefire\""]),
        vec!["feed.jsonl#3"]
    );
    assert_eq!(
        env.hit_ids(&["\"ceasefire fragile\""]),
        Vec::<String>::new()
    );
    assert_eq!(env.hit_ids(&["ceasefire -doha"]), vec!["feed.jsonl#3"]);
    let mut either = env.hit_ids(&["lagarde OR mediators"]);
    either.sort();
    assert_eq!(either, vec!["feed.jsonl#1", "feed.jsonl#2"]);
    assert_eq!(env.hit_ids(&["title:bank"]), vec!["feed.jsonl#2"]);
}

/// Name fields fold accents: the gazetteer spells the city "Rafaḩ" and an
/// article may write "José", but users type plain letters.
#[test]
fn name_fields_match_without_accents() {
    let env = TestEnv::with_files(&[(
        "gaza.txt",
        "Crossings reopen\n\nTrucks entered Rafah on Monday, said José Ramos, a UN official in Gaza.\n",
    )]);
    env.index_corpus();
    assert_eq!(env.hit_ids(&["place:rafah"]), vec!["gaza.txt"]);
    assert_eq!(env.hit_ids(&["place:rafaḩ"]), vec!["gaza.txt"]);
    assert_eq!(env.hit_ids(&["person:jose"]), vec!["gaza.txt"]);
    assert_eq!(
        env.hit_ids(&["trucks", "--person", "Jose Ramos"]),
        vec!["gaza.txt"]
    );
}

#[test]
fn title_and_body_match_without_accents_and_highlight_the_written_word() {
    let env = TestEnv::with_files(&[(
        "brazil.txt",
        "Protests in São Paulo\n\nThousands marched through São Paulo as Erdoğan's visit began.\n",
    )]);
    env.index_corpus();
    assert_eq!(env.hit_ids(&["\"sao paulo\""]), vec!["brazil.txt"]);
    assert_eq!(env.hit_ids(&["title:sao"]), vec!["brazil.txt"]);
    assert_eq!(env.hit_ids(&["erdogan"]), vec!["brazil.txt"]);
    assert_eq!(env.hit_ids(&["erdoğan"]), vec!["brazil.txt"]);
    let results = env.search(&["marched sao"]);
    let snippet = results["hits"][0]["snippet"].as_str().unwrap();
    assert!(snippet.contains("<b>São</b>"), "{snippet}");
}

#[test]
fn facets_count_a_name_once_however_it_is_capitalised() {
    let env = TestEnv::with_files(&[
        ("a.txt", "Oil firm sues\n\nTexaco said on Monday it would appeal. Texaco shares fell in New York.\n"),
        ("b.txt", "Refinery shut\n\nA Texaco refinery in Texas was shut on Tuesday, the company said.\n"),
        ("c.txt", "TEXACO SAYS IT WILL APPEAL\n\nTEXACO SAID ON MONDAY IT WOULD APPEAL THE RULING, A COMPANY SPOKESMAN SAID IN NEW YORK.\n"),
        ("d.txt", "Talks\n\nWilly De Clercq met officials in Brussels on Monday.\n"),
        ("e.txt", "Trade\n\nEC trade commissioner Willy de Clercq said on Tuesday the talks would go on.\n"),
    ]);
    env.index_corpus();
    let results = env.search(&["--facets"]);
    let count = |kind: &str, value: &str| {
        facet_counts(&results, kind)
            .into_iter()
            .filter(|(name, _)| name.eq_ignore_ascii_case(value))
            .collect::<Vec<_>>()
    };
    // One value in the archive's most common spelling; on a tie, the first
    // in byte order ("De" before "de").
    assert_eq!(count("org", "texaco"), [("Texaco".to_string(), 3)]);
    assert_eq!(
        count("person", "willy de clercq"),
        [("Willy De Clercq".to_string(), 2)]
    );
    // A hit shows its own article's spelling.
    let hits = env.search(&["ruling"]);
    assert_eq!(strings(&hits["hits"][0]["orgs"]), ["TEXACO"]);
    // The drill-down finds every spelling.
    assert_eq!(env.hit_ids(&["--org", "Texaco"]).len(), 3);
    // Hundreds of values are spelled from one pass over the spellings,
    // with the same answer.
    for kind in ["org", "person"] {
        let many = env.run(&["facets", "--field", kind, "--top", "1000", "--json"]);
        many.expect_code(0);
        let few = env.run(&["facets", "--field", kind, "--top", "10", "--json"]);
        few.expect_code(0);
        let (many, few) = (many.json(), few.json());
        let many = many["values"].as_array().unwrap();
        let few = few["values"].as_array().unwrap();
        assert_eq!(&many[..few.len()], few.as_slice());
    }
}

#[test]
fn a_surname_alone_counts_for_the_full_name_the_archive_uses() {
    let topics = ["trade", "budget", "arms", "farm", "tax", "oil", "debt"];
    let mut files = copies("full", 10, |i| {
        let topic = topics[i % topics.len()];
        format!(
            "Talks on {topic} {i}\n\nPresident Ronald Reagan said on Monday that the \
             {topic} talks in Washington would go on.\n"
        )
    });
    files.extend(copies("alone", 3, |i| {
        format!(
            "White House {i}\n\nReagan told reporters in Washington on Tuesday that he \
             would veto the bill.\n"
        )
    }));
    for (i, name) in ["Treasury Secretary James Baker", "Baker"]
        .iter()
        .enumerate()
    {
        let text = format!("Dollar {i}\n\n{name} said in Tokyo on Friday the dollar was stable.\n");
        files.push((format!("baker-{i}.txt"), text));
    }
    let (env, summary) = indexed(&files);
    // Reagan stands for Ronald Reagan; one James Baker is too few to tell.
    assert_eq!(summary["person_aliases"], 1, "{summary}");
    assert_eq!(summary["org_aliases"], 0, "{summary}");
    let results = env.search(&["--facets", "--top", "10"]);
    let persons = facet_counts(&results, "person");
    assert_eq!(
        persons,
        [
            ("Ronald Reagan".to_string(), 13),
            ("Baker".to_string(), 1),
            ("James Baker".to_string(), 1)
        ]
    );
    // The value says which alias it takes in, in JSON and for people.
    let person = facet(&results, "person");
    assert_eq!(person[0]["also_as"], serde_json::json!(["Reagan"]));
    assert!(person[1].get("also_as").is_none());
    let table = env.run(&["facets", "--top", "1"]);
    table.expect_code(0);
    assert!(
        table.stdout.contains("13  Ronald Reagan (also \"Reagan\")"),
        "{}",
        table.stdout
    );
    // The drill-down finds what was counted; the surname finds them too.
    assert_eq!(env.hit_ids(&["--person", "Ronald Reagan"]).len(), 13);
    assert_eq!(env.hit_ids(&["--person", "Reagan"]).len(), 13);
    assert_eq!(env.hit_ids(&["--person", "James Baker"]).len(), 1);
    // A damaged alias file is named, and a re-run over the unchanged
    // corpus rewrites it.
    let file = env.index().join(newsdex::aliases::FILE_NAME);
    std::fs::write(&file, "{").expect("written");
    // Hits read it too (for persons counted as organisations).
    for args in [&["facets"][..], &["search", "Reagan"]] {
        let broken = env.run(args);
        broken.expect_code(2);
        assert!(
            broken.stderr.contains(newsdex::aliases::FILE_NAME)
                && broken.stderr.contains("newsdex index"),
            "{}",
            broken.stderr
        );
    }
    assert_eq!(env.index_corpus()["person_aliases"], 1);
    env.run(&["facets"]).expect_code(0);
    // So does one over the JSON file of an earlier version, which goes.
    std::fs::remove_file(&file).expect("removed");
    let legacy = env.index().join(newsdex::aliases::LEGACY_FILE_NAME);
    std::fs::write(&legacy, r#"{"person":{},"org":{}}"#).expect("written");
    assert_eq!(env.index_corpus()["person_aliases"], 1);
    assert!(file.exists() && !legacy.exists());
}

#[test]
fn an_abbreviated_organisation_name_counts_for_the_full_name() {
    let mut files = copies("full", 10, |i| {
        format!(
            "Party news {i}\n\nThe Liberal Democrats said on Monday they would oppose \
             the plan in parliament.\n"
        )
    });
    files.extend(copies("short", 3, |i| {
        format!("Vote {i}\n\nThe Lib Dems said on Tuesday they would vote against the bill.\n")
    }));
    let (env, summary) = indexed(&files);
    assert_eq!(summary["org_aliases"], 1, "{summary}");
    let results = env.search(&["--facets"]);
    let top = &facet(&results, "org")[0];
    assert_eq!(top["value"], "Liberal Democrats");
    assert_eq!(top["count"], 13);
    assert_eq!(top["also_as"], serde_json::json!(["Lib Dems"]));
    assert_eq!(env.hit_ids(&["--org", "Liberal Democrats"]).len(), 13);
    // The alias is the same organisation: it finds them all too.
    assert_eq!(env.hit_ids(&["--org", "Lib Dems"]).len(), 13);
}

#[test]
fn a_name_without_its_designation_counts_for_the_full_name() {
    let mut files = copies("full", 10, |i| {
        format!(
            "Party news {i}\n\nThe Labour Party said on Monday it would oppose the plan \
             in parliament.\n"
        )
    });
    files.extend(copies("both", 3, |i| {
        format!(
            "Conference {i}\n\nThe Labour Party met in Brighton. Labour said on Tuesday \
             it would vote against the bill.\n"
        )
    }));
    files.extend(copies("short", 5, |i| {
        format!("Vote {i}\n\nLabour said on Wednesday it would vote against the bill.\n")
    }));
    let (env, summary) = indexed(&files);
    assert_eq!(summary["org_aliases"], 1, "{summary}");
    let results = env.search(&["--facets"]);
    let top = &facet(&results, "org")[0];
    assert_eq!(top["value"], "Labour Party");
    // An article with both names counts once.
    assert_eq!(top["count"], 18);
    assert_eq!(top["also_as"], serde_json::json!(["Labour"]));
    assert_eq!(env.hit_ids(&["--org", "Labour"]).len(), 18);
}

/// Ten articles from "Reuters" and three surveys by "Reuter", which the
/// tagger reads as a person there: the archive counts it as the agency.
fn reuter_corpus() -> Vec<(String, String)> {
    let mut files = copies("agency", 10, |i| {
        format!("News {i}\n\nReuters reported on Monday that the talks had failed.\n")
    });
    files.extend(copies("survey", 3, |i| {
        format!(
            "Survey {i}\n\nA Reuter survey of economists showed that inflation would \
             rise this year.\n"
        )
    }));
    files
}

#[test]
fn a_person_the_archive_mostly_names_as_an_organisation_counts_as_it() {
    let (env, summary) = indexed(&reuter_corpus());
    assert_eq!(summary["persons_as_orgs"], 1, "{summary}");
    let results = env.search(&["--facets"]);
    assert_eq!(facet(&results, "org")[0]["value"], "Reuters");
    assert_eq!(facet(&results, "org")[0]["count"], 13);
    assert_eq!(
        facet(&results, "org")[0]["also_as"],
        serde_json::json!(["Reuter"])
    );
    assert!(facet(&results, "person").is_empty(), "{results}");
    assert_eq!(env.hit_ids(&["--org", "Reuters"]).len(), 13);
    // It is no person of any article, and a hit lists it as an organisation.
    assert!(env.hit_ids(&["--person", "Reuter"]).is_empty());
    let told = env.run(&["search", "--person", "Reuter"]);
    assert!(
        told.stderr
            .contains("counted as the organisation \"Reuters\"")
            && told.stderr.contains("--org \"Reuters\""),
        "{}",
        told.stderr
    );
    // With facets or without, a hit lists them among its organisations.
    for args in [&["survey"][..], &["survey", "--facets"]] {
        let survey = env.search(args);
        let hit = &survey["hits"][0];
        assert_eq!(hit["persons"], serde_json::json!([]), "{hit}");
        assert_eq!(hit["orgs"], serde_json::json!(["Reuter"]), "{hit}");
    }
}

/// An engine reads the aliases, with the persons counted as
/// organisations, once, not at every search. Removing the file after the
/// first search shows it.
#[test]
fn an_engine_reads_the_persons_counted_as_organisations_once() {
    let (env, summary) = indexed(&reuter_corpus());
    assert_eq!(summary["persons_as_orgs"], 1, "{summary}");
    let request = SearchRequest {
        query: Some("survey".into()),
        limit: 1,
        ..SearchRequest::default()
    };
    let orgs_of_first_hit = |engine: &Engine| {
        let results = engine.search(&request).expect("search");
        results.hits[0].orgs.clone()
    };
    let engine = Engine::open(&env.index()).expect("open the index");
    assert_eq!(orgs_of_first_hit(&engine), ["Reuter"]);
    std::fs::remove_file(env.index().join(newsdex::aliases::FILE_NAME)).expect("remove aliases");
    assert_eq!(orgs_of_first_hit(&engine), ["Reuter"]);
    // A new engine finds no such persons now.
    let reopened = Engine::open(&env.index()).expect("reopen the index");
    assert!(orgs_of_first_hit(&reopened).is_empty());
}

#[test]
fn an_engine_keeps_the_commit_it_opened() {
    let (env, _) = indexed(&copies("report", 2, |i| {
        format!("Report {i}\n\nThe harbour reopened today.\n")
    }));
    let request = SearchRequest {
        query: Some("harbour".into()),
        ..SearchRequest::default()
    };
    let engine = Engine::open(&env.index()).expect("open the index");
    assert_eq!(engine.search(&request).expect("search").total, 2);
    env.write("later.txt", "Later\n\nThe harbour closed again.\n");
    env.index_corpus();
    // A reader that follows commits polls for them every half second.
    std::thread::sleep(std::time::Duration::from_millis(1500));
    assert_eq!(engine.search(&request).expect("search").total, 2);
    let reopened = Engine::open(&env.index()).expect("reopen the index");
    assert_eq!(reopened.search(&request).expect("search").total, 3);
}

#[test]
fn an_expansion_counts_for_the_acronym_the_archive_writes_with_it() {
    let topics = ["filing", "merger", "bond", "stake", "offer"];
    let mut files = copies("both", 4, |i| {
        let topic = topics[i % topics.len()];
        format!(
            "Markets {i}\n\nThe Securities and Exchange Commission (SEC) said on Monday \
             it would review the {topic}. The SEC gave no date.\n"
        )
    });
    files.extend(copies("spelled", 3, |i| {
        format!(
            "Review {i}\n\nThe Securities and Exchange Commission said on Tuesday it \
             had opened an inquiry.\n"
        )
    }));
    // The same initials, but the archive never writes the one for the other.
    files.extend(copies("cbs", 4, |i| {
        format!("Network {i}\n\nThe network CBS said on Wednesday that its ratings rose.\n")
    }));
    files.extend(copies("bureau", 3, |i| {
        format!(
            "Dutch prices {i}\n\nThe Central Bureau of Statistics said on Thursday \
             that prices rose.\n"
        )
    }));
    let (env, summary) = indexed(&files);
    assert_eq!(summary["org_aliases"], 1, "{summary}");
    let results = env.search(&["--facets"]);
    let orgs = facet_counts(&results, "org");
    assert_eq!(
        orgs,
        [
            ("SEC".to_string(), 7),
            ("CBS".to_string(), 4),
            ("Central Bureau of Statistics".to_string(), 3)
        ]
    );
    assert_eq!(
        facet(&results, "org")[0]["also_as"],
        serde_json::json!(["Securities and Exchange Commission"])
    );
    // Either name finds what was counted.
    assert_eq!(env.hit_ids(&["--org", "SEC"]).len(), 7);
    assert_eq!(
        env.hit_ids(&["--org", "Securities and Exchange Commission"])
            .len(),
        7
    );
    assert_eq!(env.hit_ids(&["--org", "CBS"]).len(), 4);
}

#[test]
fn organisation_names_that_differ_in_punctuation_are_one() {
    let mut files = copies("comma", 5, |i| {
        format!(
            "Brokers {i}\n\nAnalysts at Goldman, Sachs and Co said on Monday that \
             shares would rise.\n"
        )
    });
    files.extend(copies("plain", 3, |i| {
        format!(
            "Banks {i}\n\nAnalysts at Goldman Sachs said on Tuesday that bonds \
             would fall.\n"
        )
    }));
    let (env, summary) = indexed(&files);
    assert_eq!(summary["org_aliases"], 1, "{summary}");
    let results = env.search(&["--facets"]);
    let top = &facet(&results, "org")[0];
    assert_eq!(top["value"], "Goldman, Sachs");
    assert_eq!(top["count"], 8);
    assert_eq!(top["also_as"], serde_json::json!(["Goldman Sachs"]));
    assert_eq!(env.hit_ids(&["--org", "Goldman Sachs"]).len(), 8);
}

#[test]
fn titles_rank_above_body_mentions_and_ties_break_by_id() {
    let lines = [
        r#"{"title":"Weather","text":"Rain and wind over the harbour."}"#,
        r#"{"title":"Weather","text":"Rain and wind over the harbour."}"#,
        r#"{"title":"Harbour reopens","text":"The port reopened after repairs."}"#,
    ];
    let env = TestEnv::with_files(&[("z.jsonl", &lines[..2].join("\n")), ("a.jsonl", lines[2])]);
    env.index_corpus();
    assert_eq!(
        env.hit_ids(&["harbour"]),
        vec!["a.jsonl#1", "z.jsonl#1", "z.jsonl#2"]
    );
}

#[test]
fn filters_alone_list_newest_first_and_dates_bound_inclusively() {
    let env = small_env();
    assert_eq!(
        env.hit_ids(&["--source", "Meridian Post"]),
        vec!["feed.jsonl#1", "feed.jsonl#3"]
    );
    assert_eq!(
        env.hit_ids(&["--since", "2023-01-01"]),
        vec!["feed.jsonl#2", "feed.jsonl#1", "feed.jsonl#3"]
    );
    assert_eq!(
        env.hit_ids(&["ceasefire", "--since", "2024"]),
        vec!["feed.jsonl#1"]
    );
    assert_eq!(
        env.hit_ids(&["ceasefire", "--until", "2023-11-20"]),
        vec!["feed.jsonl#3"]
    );
    assert_eq!(
        env.hit_ids(&["--since", "2024-03-04", "--until", "2024-03-04"]),
        vec!["feed.jsonl#1"]
    );
}

#[test]
fn date_clauses_in_queries_take_whole_periods_as_the_date_filters_do() {
    let env = small_env();
    let sorted = |args: &[&str]| {
        let mut ids = env.hit_ids(args);
        ids.sort();
        ids
    };
    for (query, filters) in [
        ("date:2024", &["--since", "2024", "--until", "2024"][..]),
        (
            "date:2024-03-04",
            &["--since", "2024-03-04", "--until", "2024-03-04"],
        ),
        (
            "date:[2023-11 TO 2024-03]",
            &["--since", "2023-11", "--until", "2024-03"],
        ),
        ("date:>=2024-06", &["--since", "2024-06"]),
        ("date:<2024", &["--until", "2023"]),
    ] {
        assert_eq!(sorted(&[query]), sorted(filters), "{query}");
        assert!(!sorted(&[query]).is_empty(), "{query}");
    }
    assert_eq!(
        sorted(&["ceasefire date:2024"]),
        vec!["feed.jsonl#1"],
        "with words"
    );
    assert_eq!(
        sorted(&[r#"date:"2024-06-06T00:00:00Z""#]),
        vec!["feed.jsonl#2"],
        "an exact time, quoted"
    );
    assert_eq!(sorted(&["date: IN [2023 2024-06]"]).len(), 2, "a set");
    let run = env.run(&["search", "date:yesterday"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("`yesterday` is no date") && run.stderr.contains("YYYY-MM-DD"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_country_is_found_by_any_of_its_names_codes_and_demonyms() {
    let env = TestEnv::with_files(&[(
        "a.txt",
        "Talks in Ankara\n\nTurkey and Greece held talks in Ankara on Monday, the Turkish foreign ministry said.\n",
    )]);
    env.index_corpus();
    // The source's own name ("Türkiye") and codes found nothing before.
    for typed in ["Turkey", "turkey", "TR", "TUR", "Türkiye", "Turkish"] {
        assert_eq!(env.hit_ids(&["--country", typed]), vec!["a.txt"], "{typed}");
        let query = format!("country:\"{typed}\"");
        assert_eq!(env.hit_ids(&[&query]), vec!["a.txt"], "{query}");
    }
    // AND NOT excludes (tantivy alone matched nothing).
    assert_eq!(
        env.hit_ids(&["ankara AND NOT country:egyptian"]),
        vec!["a.txt"]
    );
    assert!(env.hit_ids(&["ankara AND NOT country:greek"]).is_empty());
}

#[test]
fn a_word_ending_in_a_star_finds_and_highlights_the_words_it_begins() {
    let env = small_env();
    let mut ids = env.hit_ids(&["ceasefir*"]);
    ids.sort();
    assert_eq!(ids, vec!["feed.jsonl#1", "feed.jsonl#3"]);
    // Past the stem ("ceasefire" is indexed as "ceasefir") too.
    assert_eq!(
        env.hit_ids(&["ceasefire*", "--since", "2024"]),
        vec!["feed.jsonl#1"]
    );
    assert_eq!(env.hit_ids(&["person:lagar*"]), vec!["feed.jsonl#2"]);
    let results = env.search(&["mediat*"]);
    let snippet = results["hits"][0]["snippet"].as_str().unwrap();
    assert!(snippet.contains("<b>mediators</b>"), "{snippet}");
    let run = env.run(&["search", "body:/cease.*/"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("word*"), "{}", run.stderr);
}

#[test]
fn hits_sort_by_date_either_way_keeping_their_scores() {
    let env = TestEnv::with_files(&[
        (
            "feed.jsonl",
            &[
                r#"{"title":"Ceasefire talks resume","text":"Ceasefire talks resumed in Doha.","published":"2024-03-04"}"#,
                r#"{"title":"Markets","text":"A ceasefire lifted markets.","published":"2024-06-06"}"#,
                r#"{"title":"Ceasefire holds","text":"A ceasefire held in the north.","published":"2023-11-20"}"#,
            ]
            .join("\n"),
        ),
        ("undated.txt", "Ceasefire call\n\nOfficials called for a ceasefire.\n"),
    ]);
    env.index_corpus();
    let newest = vec![
        "feed.jsonl#2",
        "feed.jsonl#1",
        "feed.jsonl#3",
        "undated.txt",
    ];
    assert_eq!(env.hit_ids(&["ceasefire", "--sort", "newest"]), newest);
    // Undated articles come last either way.
    let oldest = vec![
        "feed.jsonl#3",
        "feed.jsonl#1",
        "feed.jsonl#2",
        "undated.txt",
    ];
    assert_eq!(env.hit_ids(&["ceasefire", "--sort", "oldest"]), oldest);
    assert_eq!(env.hit_ids(&["--sort", "oldest"]), oldest);
    assert_eq!(env.hit_ids(&[]), newest, "no query: newest first");
    let hits = env.search(&["ceasefire", "--sort", "oldest"]);
    assert!(hits["hits"]
        .as_array()
        .unwrap()
        .iter()
        .all(|hit| hit["score"].as_f64().unwrap() > 0.0));
    let page = env.search(&[
        "ceasefire",
        "--sort",
        "oldest",
        "--limit",
        "2",
        "--offset",
        "1",
    ]);
    assert_eq!(ids(&page), oldest[1..3].to_vec());
}

#[test]
fn limit_and_offset_page_through_results() {
    let env = small_env();
    let all = env.hit_ids(&["--since", "2023"]);
    let page: Vec<String> = ids(&env.search(&["--since", "2023", "--limit", "1", "--offset", "1"]));
    assert_eq!(page, all[1..2].to_vec());
    let results = env.search(&["--since", "2023", "--limit", "1"]);
    assert_eq!(
        results["total"], 3,
        "total counts all matches, not the page"
    );
}

#[test]
fn facet_counts_equal_the_number_of_matching_articles() {
    let env = TestEnv::bundled();
    env.index_corpus();
    for query in [vec!["ceasefire"], vec!["--country", "Qatar"], vec![]] {
        let mut args = query.clone();
        args.extend(["--facets", "--top", "5"]);
        let results = env.search(&args);
        for (kind, flag) in [
            ("person", "--person"),
            ("country", "--country"),
            ("org", "--org"),
        ] {
            for entry in facet(&results, kind) {
                let value = entry["value"].as_str().unwrap();
                let mut drill = query.clone();
                drill.extend([flag, value]);
                let total = env.search(&drill)["total"].as_u64().unwrap();
                assert_eq!(
                    total,
                    entry["count"].as_u64().unwrap(),
                    "{kind} {value} under {query:?}: facet count vs drill-down total"
                );
            }
        }
    }
    let qatar = env.search(&["--country", "QA", "--facets"]);
    let qatar_count = facet(&qatar, "country")
        .iter()
        .find(|e| e["value"] == "Qatar")
        .unwrap()["count"]
        .clone();
    assert_eq!(qatar_count, qatar["total"]);
}

#[test]
fn facets_and_stats_commands_report_tables() {
    let env = TestEnv::bundled();
    env.index_corpus();
    let run = env.run(&["facets", "ceasefire", "--field", "country", "--json"]);
    run.expect_code(0);
    let json = run.json();
    assert_eq!(json["field"], "country");
    let values = json["values"].as_array().unwrap();
    assert!(
        values
            .iter()
            .any(|v| v["value"] == "Qatar" && v["code"] == "QA"),
        "{json}"
    );

    let run = env.run(&["stats", "--json"]);
    run.expect_code(0);
    let stats = run.json();
    assert!(stats["articles"].as_u64().unwrap() >= 41, "{stats}");
    assert!(stats["index_bytes"].as_u64().unwrap() > 0);
    let persons = stats["top"]["person"].as_array().unwrap();
    assert!(!persons.is_empty());
    let human = env.run(&["stats"]);
    human.expect_code(0);
    assert!(human.stdout.contains("articles"), "{}", human.stdout);
}

#[test]
fn human_output_shows_title_date_snippet_and_entities() {
    let env = small_env();
    let run = env.run(&["search", "doha", "--color", "never"]);
    run.expect_code(0);
    let out = &run.stdout;
    assert!(out.contains("1. Ceasefire talks resume in Doha"), "{out}");
    assert!(out.contains("2024-03-04 · feed.jsonl#1"), "{out}");
    assert!(out.contains("[Doha]"), "{out}");
    let entities_line = out
        .lines()
        .find(|l| l.contains("countries:"))
        .unwrap_or_default();
    assert!(
        entities_line.contains("Qatar") || entities_line.contains("Israel"),
        "{out}"
    );
    let results = env.search(&["doha"]);
    assert!(strings(&results["hits"][0]["countries"]).contains(&"Qatar".to_string()));
}

#[test]
fn no_match_exits_with_one() {
    let env = small_env();
    let run = env.run(&["search", "volcano"]);
    run.expect_code(1);
    assert!(run.stdout.contains("no articles match"));
}
