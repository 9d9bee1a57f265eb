//! Tests of the module-level pieces: format detection, decoding, the binary
//! check, truncation, the walk, and robustness of every parser against
//! arbitrary bytes.

use super::*;
use std::fs;

#[test]
fn format_from_extension_is_case_insensitive() {
    let cases = [
        ("a.txt", Some(Format::Text)),
        ("a.TEXT", Some(Format::Text)),
        ("dir/a.Md", Some(Format::Markdown)),
        ("a.markdown", Some(Format::Markdown)),
        ("a.JSON", Some(Format::Json)),
        ("a.jsonl", Some(Format::JsonLines)),
        ("a.ndjson", Some(Format::JsonLines)),
        ("a.html", Some(Format::Html)),
        ("a.HTM", Some(Format::Html)),
        ("reut2-000.sgm", Some(Format::Sgml)),
        ("a.pdf", None),
        ("README", None),
        (".txt", None),
        ("a.txt.gz", None),
    ];
    for (path, want) in cases {
        assert_eq!(Format::from_path(Path::new(path)), want, "{path}");
    }
    assert_eq!(Format::JsonLines.name(), "jsonl");
    assert_eq!(Format::Sgml.to_string(), "sgml");
}

#[test]
fn decode_utf8_with_and_without_bom() {
    assert!(matches!(decode_text(b"plain"), Cow::Borrowed("plain")));
    assert_eq!(decode_text(b"\xEF\xBB\xBFwith bom"), "with bom");
    assert_eq!(decode_text("caf\u{e9}".as_bytes()), "café");
}

#[test]
fn decode_utf16_with_bom() {
    let le: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain("Zürich €".encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    assert_eq!(decode_text(&le), "Zürich €");
    let be: Vec<u8> = [0xFE, 0xFF]
        .into_iter()
        .chain("Zürich €".encode_utf16().flat_map(u16::to_be_bytes))
        .collect();
    assert_eq!(decode_text(&be), "Zürich €");
    // UTF-16 is full of NUL bytes but is text, not binary.
    let parsed = parse(Format::Text, "u16.txt", &le, &ParseOptions::default()).expect("text");
    assert_eq!(parsed.articles[0].title, "Zürich €");
}

#[test]
fn invalid_utf8_falls_back_to_windows_1252_per_sequence() {
    // A raw Latin-1 pound sign next to a valid UTF-8 one (BBC sport/199.txt).
    assert_eq!(decode_text(b"\xA3600m and \xC2\xA3700m"), "£600m and £700m");
    // Windows-1252 specials: curly quotes and the euro sign.
    assert_eq!(
        decode_text(b"\x93quoted\x94 \x80"),
        "\u{201c}quoted\u{201d} €"
    );
    assert_eq!(decode_text(b"M\xfcnchen"), "München");
}

#[test]
fn binary_files_are_refused() {
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10";
    let controls: Vec<u8> = (0..200u8)
        .map(|i| if i % 3 == 0 { 0x01 } else { b'a' })
        .collect();
    for bytes in [&png[..], &controls[..], b"text\0with nul"] {
        for format in ALL_FORMATS {
            let err = parse(format, "x.bin", bytes, &ParseOptions::default())
                .expect_err("binary must be refused");
            assert_eq!(err.to_string(), "x.bin: binary file, not text");
        }
    }
    // A few stray control characters in real text are fine.
    let text = "Headline\n\nBody with a form feed \x0c and one \x01 control.\n";
    assert!(parse(
        Format::Text,
        "t.txt",
        text.as_bytes(),
        &ParseOptions::default()
    )
    .is_ok());
}

#[test]
fn bodies_are_truncated_at_char_boundaries_with_a_warning() {
    let options = ParseOptions { max_body_bytes: 5 };
    let text = format!("Title\n\n{}\n", "é".repeat(10));
    let parsed = parse(Format::Text, "t.txt", text.as_bytes(), &options).expect("parses");
    assert_eq!(parsed.articles[0].body, "éé");
    assert_eq!(parsed.warnings.len(), 1);
    assert_eq!(parsed.warnings[0].location, "t.txt");
    assert_eq!(
        parsed.warnings[0].reason,
        "body truncated to 4 bytes (it had 20; the limit is 5)"
    );
    assert_eq!(ParseOptions::default().max_body_bytes, 5 * 1024 * 1024);
    let zero = ParseOptions { max_body_bytes: 0 };
    let parsed = parse(Format::Text, "t.txt", text.as_bytes(), &zero).expect("parses");
    assert_eq!(parsed.articles[0].body, "");
}

#[test]
fn parse_error_display() {
    assert_eq!(
        ParseError::at("a/b.json", 3, Some(14), "invalid JSON: x").to_string(),
        "a/b.json: line 3, column 14: invalid JSON: x"
    );
    assert_eq!(
        ParseError::at("m.md", 2, None, "bad").to_string(),
        "m.md: line 2: bad"
    );
    assert_eq!(
        ParseError::new("h.html", "no article text found").to_string(),
        "h.html: no article text found"
    );
}

const ALL_FORMATS: [Format; 6] = [
    Format::Text,
    Format::Markdown,
    Format::Json,
    Format::JsonLines,
    Format::Html,
    Format::Sgml,
];

/// xorshift64*: a tiny deterministic generator, so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Fragments that reach deep into each parser once decoding succeeds.
const SYNTAX: &[&str] = &[
    "<REUTERS NEWID=\"1\">",
    "</REUTERS>",
    "<TEXT TYPE=\"UNPROC\">",
    "</TEXT>",
    "<TITLE>",
    "</TITLE>",
    "<BODY>",
    "</BODY>",
    "<DATE>",
    "<PLACES><D>",
    "</D>",
    "&#3;",
    "&lt;",
    "&",
    "<html>",
    "<p>",
    "</p>",
    "<article>",
    "<meta property=\"og:title\" content=\"",
    "<script type=\"application/ld+json\">",
    "<div>",
    "</div>",
    "<h1>",
    "{",
    "}",
    "[",
    "]",
    "\"title\":",
    "\"body\":",
    "\"articles\":",
    "\"date\": 1e999",
    ",",
    ":",
    "null",
    "\"",
    "\n",
    "\r\n",
    "\n\n",
    "---\n",
    "+++\n",
    "# ",
    "**",
    "_",
    "`",
    "```\n",
    "![",
    "](",
    ")",
    "> ",
    "- ",
    "Comments\n",
    "é",
    "€",
    "\u{FFFD}",
    "Mr. ",
    ". ",
    "word ",
    "2024-03-01",
    "\t",
    " ",
];

/// Rounds of [`no_parser_panics_on_garbage`]; `NEWSDEX_FUZZ_ROUNDS` runs
/// more (with `NEWSDEX_FUZZ_SEED` for other inputs) when hunting bugs.
fn fuzz_setting(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

#[test]
fn no_parser_panics_on_garbage() {
    let mut rng = Rng(fuzz_setting("NEWSDEX_FUZZ_SEED", 0x9E37_79B9_7F4A_7C15) | 1);
    let rounds = fuzz_setting("NEWSDEX_FUZZ_ROUNDS", 400) as usize;
    let options = [ParseOptions::default(), ParseOptions { max_body_bytes: 7 }];
    for round in 0..rounds {
        // Raw random bytes: mostly refused as binary, must still not panic.
        let len = rng.below(600);
        let bytes: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
        // Random syntax soup: gets past decoding into the parsers.
        let mut soup = String::new();
        for _ in 0..rng.below(120) {
            soup.push_str(SYNTAX[rng.below(SYNTAX.len())]);
        }
        let opts = &options[round % 2];
        for format in ALL_FORMATS {
            let _ = parse(format, "g/x", &bytes, opts);
            let _ = parse(format, "g/x", soup.as_bytes(), opts);
            // High bytes without NULs: the Windows-1252 path.
            let high: Vec<u8> = bytes.iter().map(|b| b | 0x80).collect();
            let _ = parse(format, "g/x", &high, opts);
        }
    }
}

#[test]
fn every_parser_accepts_empty_and_whitespace_input() {
    for format in ALL_FORMATS {
        for input in [&b""[..], b"   \n\n", b"\xEF\xBB\xBF"] {
            // Either an error or an empty result; never a panic or an
            // article made of nothing.
            if let Ok(parsed) = parse(format, "e", input, &ParseOptions::default()) {
                assert!(parsed.articles.is_empty(), "{format}");
            }
        }
    }
}

fn collect(root: &Path) -> Vec<WalkEntry> {
    walk(root).collect()
}

fn files(entries: &[WalkEntry]) -> Vec<&str> {
    entries
        .iter()
        .filter_map(|e| match e {
            WalkEntry::File { rel_path, .. } => Some(rel_path.as_str()),
            WalkEntry::Problem { .. } => None,
        })
        .collect()
}

#[test]
fn walk_is_sorted_skips_hidden_and_treats_dotted_dirs_as_dirs() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let root = tmp.path();
    for dir in ["c", "x.json", ".git", "c/.cache"] {
        fs::create_dir_all(root.join(dir)).expect("mkdir");
    }
    for file in [
        "b.txt",
        "a.txt",
        "d.md",
        "c/z.html",
        "c/.hidden.txt",
        "c/.cache/in-hidden.txt",
        ".git/config",
        ".env",
        "x.json/inner.jsonl",
    ] {
        fs::write(root.join(file), "x").expect("write");
    }
    let entries = collect(root);
    assert_eq!(
        files(&entries),
        ["a.txt", "b.txt", "c/z.html", "d.md", "x.json/inner.jsonl"]
    );
    assert!(entries.iter().all(|e| matches!(e, WalkEntry::File { .. })));
    // Paths are real and openable.
    for e in &entries {
        if let WalkEntry::File { path, .. } = e {
            assert!(path.is_file());
        }
    }
}

#[test]
fn read_ahead_skips_what_it_cannot_open_and_changes_nothing() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let file = tmp.path().join("a.txt");
    fs::write(&file, "Title\n\nBody.").expect("write");
    let missing = tmp.path().join("gone.txt");
    read_ahead([file.as_path(), missing.as_path(), tmp.path()]);
    assert_eq!(fs::read_to_string(&file).expect("read"), "Title\n\nBody.");
    assert!(!missing.exists());
}

#[test]
fn walk_root_may_be_hidden_or_a_file_or_missing() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let hidden_root = tmp.path().join(".news");
    fs::create_dir(&hidden_root).expect("mkdir");
    fs::write(hidden_root.join("a.txt"), "x").expect("write");
    assert_eq!(files(&collect(&hidden_root)), ["a.txt"]);

    let single = hidden_root.join("a.txt");
    assert_eq!(files(&collect(&single)), ["a.txt"]);

    let missing = tmp.path().join("nope");
    let entries = collect(&missing);
    assert_eq!(entries.len(), 1);
    let WalkEntry::Problem { path, reason } = &entries[0] else {
        panic!("expected a problem, got {entries:?}");
    };
    assert!(path.ends_with("nope"), "{path}");
    assert!(reason.starts_with("cannot read"), "{reason}");
}

#[cfg(unix)]
#[test]
fn walk_follows_symlinks_and_reports_loops_and_broken_links() {
    use std::os::unix::fs::symlink;
    let tmp = tempfile::tempdir().expect("temp dir");
    let root = tmp.path();
    fs::create_dir_all(root.join("sub")).expect("mkdir");
    fs::write(root.join("sub/a.txt"), "x").expect("write");
    symlink(root.join("sub/a.txt"), root.join("link.txt")).expect("symlink");
    symlink(root, root.join("sub/loop")).expect("symlink");
    symlink(root.join("missing.txt"), root.join("broken.txt")).expect("symlink");
    symlink(root.join("missing.txt"), root.join(".hidden-broken")).expect("symlink");

    let entries = collect(root);
    assert_eq!(files(&entries), ["link.txt", "sub/a.txt"]);
    let problems: Vec<(&str, &str)> = entries
        .iter()
        .filter_map(|e| match e {
            WalkEntry::Problem { path, reason } => Some((path.as_str(), reason.as_str())),
            WalkEntry::File { .. } => None,
        })
        .collect();
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert_eq!(problems[0].0, "broken.txt");
    assert!(
        problems[0].1.contains("broken symbolic link"),
        "{}",
        problems[0].1
    );
    assert_eq!(problems[1].0, "sub/loop");
    assert!(
        problems[1].1.starts_with("symbolic link loop"),
        "{}",
        problems[1].1
    );
}

#[cfg(unix)]
#[test]
fn walk_reports_unreadable_directories() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().expect("temp dir");
    let locked = tmp.path().join("locked");
    fs::create_dir(&locked).expect("mkdir");
    fs::write(locked.join("a.txt"), "x").expect("write");
    fs::write(tmp.path().join("ok.txt"), "x").expect("write");
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).expect("chmod");
    if fs::read_dir(&locked).is_ok() {
        // Running as root: permissions are not enforced, nothing to test.
        eprintln!("skipped: permissions not enforced for this user");
        let _ = fs::set_permissions(&locked, fs::Permissions::from_mode(0o755));
        return;
    }
    let entries = collect(tmp.path());
    let _ = fs::set_permissions(&locked, fs::Permissions::from_mode(0o755));
    assert_eq!(files(&entries), ["ok.txt"]);
    assert!(entries.iter().any(|e| matches!(
        e,
        WalkEntry::Problem { path, reason } if path == "locked" && reason.contains("permission denied")
    )));
}

#[cfg(target_os = "linux")]
#[test]
fn walk_non_utf8_names_keep_the_exact_path() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let tmp = tempfile::tempdir().expect("temp dir");
    let name = OsStr::from_bytes(b"caf\xe9.txt");
    fs::write(tmp.path().join(name), "Headline\n\nBody.").expect("write");
    let entries = collect(tmp.path());
    let [WalkEntry::File { path, rel_path }] = entries.as_slice() else {
        panic!("expected one file, got {entries:?}");
    };
    assert_eq!(rel_path, "caf\u{FFFD}.txt");
    assert_eq!(path.file_name(), Some(name));
    assert_eq!(
        fs::read(path).expect("readable by exact path"),
        b"Headline\n\nBody."
    );
}

/// One line per corpus file of `tests/fixtures/corpus`, as the indexer
/// would see it: walk, detect the format, parse.
#[test]
fn fixture_corpus_end_to_end() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/corpus");
    let mut report = Vec::new();
    let mut articles = Vec::new();
    for entry in walk(&root) {
        let WalkEntry::File { path, rel_path } = entry else {
            panic!("unexpected walk problem: {entry:?}");
        };
        let Some(format) = Format::from_path(&path) else {
            report.push(format!("{rel_path}: not a corpus file"));
            continue;
        };
        let bytes = fs::read(&path).expect("fixture readable");
        match parse(format, &rel_path, &bytes, &ParseOptions::default()) {
            Ok(parsed) => {
                let ids: Vec<&str> = parsed.articles.iter().map(|a| a.id.as_str()).collect();
                report.push(format!("{rel_path}: {}", ids.join(" ")));
                for s in &parsed.skipped {
                    report.push(format!("  skipped {s}"));
                }
                for w in &parsed.warnings {
                    report.push(format!("  warning {w}"));
                }
                articles.extend(parsed.articles);
            }
            Err(e) => report.push(format!("error {e}")),
        }
    }
    let want = [
        "archive.json/note.txt: archive.json/note.txt",
        "error broken/photo.txt: binary file, not text",
        "error broken/unclosed.json: line 2, column 0: invalid JSON: EOF while parsing a list",
        "feeds/newsapi.json: feeds/newsapi.json#1 feeds/newsapi.json#3",
        "  skipped feeds/newsapi.json#2: record 2: no title or body field (fields: source, urlToImage)",
        "feeds/wire.jsonl: feeds/wire.jsonl#1 feeds/wire.jsonl#4",
        "  skipped feeds/wire.jsonl#3: invalid JSON at column 55: EOF while parsing a string",
        "notes/no-front-matter.md: notes/no-front-matter.md",
        "notes/rail-strike.markdown: notes/rail-strike.markdown",
        "notes/readme.rst: not a corpus file",
        "notes/trade-talks.md: notes/trade-talks.md",
        "reuters/sample.sgm: reuters/sample.sgm#101 reuters/sample.sgm#102",
        "  skipped reuters/sample.sgm#103: record has neither <TITLE> nor <BODY> text",
        "world/council-budget.html: world/council-budget.html",
        "world/harbour-reopens.txt: world/harbour-reopens.txt",
    ];
    assert_eq!(report, want, "\n{}", report.join("\n"));

    let by_id = |id: &str| {
        articles
            .iter()
            .find(|a| a.id == id)
            .unwrap_or_else(|| panic!("no article {id}"))
    };
    let a = by_id("world/harbour-reopens.txt");
    assert_eq!(a.title, "Harbour reopens after storm repairs");
    assert!(a.body.ends_with("who led the work."), "{}", a.body);

    let a = by_id("world/council-budget.html");
    assert_eq!(a.title, "Council approves budget for next year");
    assert_eq!(a.source.as_deref(), Some("Example News"));
    assert_eq!(a.author.as_deref(), Some("Jane Reporter"));
    assert_eq!(
        a.url.as_deref(),
        Some("https://news.example/world/council-budget")
    );
    assert!(a.body.contains("parking fees"), "{}", a.body);
    assert!(
        !a.body.contains("Copyright") && !a.body.contains("Sport"),
        "{}",
        a.body
    );

    let a = by_id("notes/trade-talks.md");
    assert_eq!(a.title, "Trade talks resume in Geneva");
    assert_eq!(a.author.as_deref(), Some("Ann Writer, Bob Editor"));
    assert_eq!(a.tags, ["trade", "europe"]);
    assert_eq!(
        a.body,
        "Negotiators from Canada and the European Union met in Geneva on Monday.\n\n\"We are close,\" said one delegate."
    );
    let a = by_id("notes/rail-strike.markdown");
    assert_eq!(a.title, "Rail strike called off");
    assert_eq!(
        a.body,
        "Unions and the operator reached a deal late on Sunday night."
    );
    assert_eq!(a.author.as_deref(), Some("C. Reporter"));
    assert!(a.date.is_some());

    let a = by_id("feeds/newsapi.json#3");
    assert_eq!(
        a.body,
        "The vote will be held in October.\n\nParties have six weeks to register."
    );
    assert_eq!(a.tags, ["politics", "elections"]);
    assert_eq!(a.date.map(|d| d.timestamp()), Some(1_717_200_000));
    assert_eq!(
        by_id("feeds/wire.jsonl#4").author.as_deref(),
        Some("E. Smith")
    );

    let a = by_id("reuters/sample.sgm#101");
    assert_eq!(
        a.body,
        "OTTAWA, March 2 - Canadian wheat exports rose 12 pct in February, the <Canadian Wheat Board> said.\n\nShipments to the United States were unchanged."
    );
    assert_eq!(a.tag_places, ["canada", "usa"]);
    assert_eq!(a.tag_people, ["yeutter"]);
    assert_eq!(a.tags, ["grain"]);
}
