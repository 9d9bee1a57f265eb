//! A generator of hostile corpus folders: every kind of file an archive
//! scraped from the wild may hold, each with what the indexer should make
//! of it. Large files are written at test time, never committed.

use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

use super::Rng;

/// What the indexer should make of one generated entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expect {
    /// These article ids are indexed.
    Articles(Vec<String>),
    /// These article ids are indexed and these records (`path#N`) skipped.
    ArticlesAndSkippedRecords(Vec<String>, Vec<String>),
    /// The file is skipped, with a reason containing this text
    /// (case-insensitive).
    Skipped(&'static str),
}

/// One generated entry of the hostile folder.
#[derive(Debug, Clone)]
pub struct Fixture {
    /// What it is, for messages.
    pub what: &'static str,
    /// The id-style path (relative, `/`-separated, lossy UTF-8) the
    /// indexer reports it under.
    pub rel_path: String,
    pub expect: Expect,
}

/// The generated folder.
pub struct HostileCorpus {
    pub fixtures: Vec<Fixture>,
    /// Notes on how root-only or OS-dependent fixtures were made.
    pub notes: Vec<String>,
}

/// Size of the huge text file.
pub const HUGE_FILE_BYTES: usize = 100 * 1024 * 1024;
/// Length of the file that is one single line.
pub const LONG_LINE_BYTES: usize = 10 * 1024 * 1024;

struct Builder {
    root: PathBuf,
    fixtures: Vec<Fixture>,
    notes: Vec<String>,
}

impl Builder {
    fn file(&mut self, what: &'static str, rel: &str, bytes: impl AsRef<[u8]>, expect: Expect) {
        let path = self.root.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("create fixture folder");
        }
        std::fs::write(&path, bytes).expect("write fixture");
        self.fixtures.push(Fixture {
            what,
            rel_path: rel.to_string(),
            expect,
        });
    }

    fn article(&mut self, what: &'static str, rel: &str, bytes: impl AsRef<[u8]>) {
        self.file(what, rel, bytes, Expect::Articles(vec![rel.to_string()]));
    }
}

const ARTICLE: &str = "Harbour reopens after storm\n\nThe harbour reopened on Monday after storm repairs, the port authority said.\n";

/// Writes the hostile folder into `root` (which must exist). `unreadable`
/// says whether a file without read permission can be made to fail for the
/// process that will index (see [`super::permissions_bind`]).
pub fn generate(root: &Path, unreadable: bool) -> HostileCorpus {
    let mut rng = Rng::new(42);
    let mut b = Builder {
        root: root.to_path_buf(),
        fixtures: Vec::new(),
        notes: Vec::new(),
    };

    // # Valid articles in every format, which must all be indexed.
    b.article("valid text", "valid/a.txt", ARTICLE);
    b.article(
        "valid markdown",
        "valid/b.md",
        "---\ntitle: Glacier survey\ndate: 2024-05-01\n---\nThe glacier survey found rapid melting.\n",
    );
    b.article(
        "valid json",
        "valid/c.json",
        r#"{"title":"Vaccine approved","body":"Regulators approved the vaccine on Friday."}"#,
    );
    b.article(
        "valid html",
        "valid/d.html",
        "<html><head><title>Bridge opens</title></head><body><article><h1>Bridge opens</h1><p>The new suspension bridge opened to traffic on Sunday after four years of construction work along the river.</p></article></body></html>",
    );
    b.file(
        "valid sgml",
        "valid/e.sgm",
        "<REUTERS NEWID=\"7\"><DATE>26-FEB-1987 15:01:01.79</DATE><TEXT><TITLE>COCOA CROP IMPROVES</TITLE><BODY>Showers improved the cocoa crop in Bahia.</BODY></TEXT></REUTERS>\n",
        Expect::Articles(vec!["valid/e.sgm#7".into()]),
    );

    // # Empty and binary files.
    b.file("empty .txt", "empty.txt", "", Expect::Skipped("empty"));
    b.file("empty .json", "empty.json", "", Expect::Skipped("empty"));
    b.file("empty .html", "empty.html", "", Expect::Skipped(""));
    b.file(
        "whitespace-only .md",
        "blank.md",
        "\n \n\t\n",
        Expect::Skipped(""),
    );
    let png = png_bytes();
    b.file(
        "PNG image",
        "photo.png",
        &png,
        Expect::Skipped("unsupported file type"),
    );
    b.file(
        "PNG bytes named .txt",
        "photo.txt",
        &png,
        Expect::Skipped("binary"),
    );
    b.file(
        "PNG bytes named .json",
        "photo.json",
        &png,
        Expect::Skipped(""),
    );
    b.file(
        "random bytes .txt",
        "random.txt",
        rng.bytes(64 * 1024),
        Expect::Skipped("binary"),
    );
    b.file(
        "random bytes .html",
        "random.html",
        rng.bytes(64 * 1024),
        Expect::Skipped("binary"),
    );
    b.file(
        "random bytes .sgm",
        "random.sgm",
        rng.bytes(64 * 1024),
        Expect::Skipped("binary"),
    );
    let mut nul = ARTICLE.as_bytes().to_vec();
    nul.splice(20..20, [0u8, 0, 0]);
    b.file(
        "NUL bytes inside .txt",
        "nul.txt",
        nul,
        Expect::Skipped("binary"),
    );
    b.file(
        "only NUL bytes .txt",
        "zeros.txt",
        vec![0u8; 4096],
        Expect::Skipped("binary"),
    );

    // # Encodings.
    let mut invalid =
        b"Bad bytes survive\n\nThe caf\xe9 reopened; \xff\xfe\x80 stray bytes \xc3 follow.\n"
            .to_vec();
    invalid
        .extend_from_slice(b"\xed\xa0\x80 (a surrogate) and \xf4\x90\x80\x80 (past U+10FFFF).\n");
    b.article("invalid UTF-8", "enc/invalid-utf8.txt", invalid);
    let mut utf16 = vec![0xFF, 0xFE];
    for unit in "Zürich talks resume\n\nNegotiators met in Zürich on Monday.\n".encode_utf16() {
        utf16.extend_from_slice(&unit.to_le_bytes());
    }
    b.article("UTF-16 LE with BOM", "enc/utf16le.txt", utf16);
    let mut utf16be = vec![0xFE, 0xFF];
    for unit in "São Paulo floods\n\nHeavy rain flooded São Paulo.\n".encode_utf16() {
        utf16be.extend_from_slice(&unit.to_be_bytes());
    }
    b.article("UTF-16 BE with BOM", "enc/utf16be.md", utf16be);
    let mut odd = vec![0xFF, 0xFE];
    odd.extend_from_slice(b"H\0i\0\n\0\n\0x"); // odd length, unpaired half unit
    b.file(
        "UTF-16 with odd length",
        "enc/utf16-odd.txt",
        odd,
        Expect::Articles(vec!["enc/utf16-odd.txt".into()]),
    );
    b.article(
        "Latin-1",
        "enc/latin1.txt",
        b"Caf\xe9 culture in S\xe3o Paulo\n\nThe caf\xe9s of S\xe3o Paulo are busy, said Jos\xe9 Ram\xedrez.\n",
    );
    b.article(
        "UTF-8 with BOM",
        "enc/bom.json",
        "\u{feff}{\"title\":\"BOM article\",\"body\":\"A JSON file that starts with a byte order mark.\"}",
    );

    // # Huge files: bodies past the limit are truncated with a warning.
    b.article(
        "100 MB text file",
        "big/huge.txt",
        huge_text(HUGE_FILE_BYTES),
    );
    let mut line = String::with_capacity(LONG_LINE_BYTES);
    while line.len() < LONG_LINE_BYTES {
        line.push_str("one endless line of words without any break ");
    }
    b.article("10 MB single line", "big/long-line.txt", &line);
    b.file(
        "10 MB single JSON Lines record",
        "big/long-line.jsonl",
        format!(
            "{{\"title\":\"Long\",\"body\":\"{}\"}}\n",
            &line[..LONG_LINE_BYTES - 40]
        ),
        Expect::Articles(vec!["big/long-line.jsonl#1".into()]),
    );

    // # Broken structure.
    b.file(
        "malformed JSON",
        "broken/malformed.json",
        "{\"title\": \"Half an object\", \"body\": ",
        Expect::Skipped("line 1"),
    );
    b.file("JSON with wrong types", "broken/wrong-types.json", r#"{"title": 42, "body": ["first paragraph", "second paragraph"], "date": true, "tags": {"a": 1}}"#, Expect::Articles(vec!["broken/wrong-types.json".into()]));
    b.file(
        "JSON scalar",
        "broken/scalar.json",
        "42",
        Expect::Skipped(""),
    );
    b.file(
        "JSON nested 100,000 deep",
        "broken/deep.json",
        format!("{}{}", "[".repeat(100_000), "]".repeat(100_000)),
        Expect::Skipped(""),
    );
    b.file(
        "JSON Lines with a broken line in the middle",
        "broken/middle.jsonl",
        "{\"title\":\"First\",\"body\":\"First record body.\"}\n{\"title\": \"Broken\", \"body\": \n{\"title\":\"Third\",\"body\":\"Third record body.\"}\n",
        Expect::ArticlesAndSkippedRecords(
            vec!["broken/middle.jsonl#1".into(), "broken/middle.jsonl#3".into()],
            vec!["broken/middle.jsonl#2".into()],
        ),
    );
    b.file(
        "HTML nested 10,000 levels deep",
        "broken/deep.html",
        format!(
            "<html><head><title>Deep page</title></head><body>{}<p>The deep page still has words about the harbour and the storm repairs.</p>{}</body></html>",
            "<div>".repeat(10_000),
            "</div>".repeat(10_000)
        ),
        Expect::Articles(vec!["broken/deep.html".into()]),
    );
    b.file(
        "HTML nested 100,000 levels deep",
        "broken/deeper.html",
        format!("<html><body>{}storm</body></html>", "<div>".repeat(100_000)),
        Expect::Skipped("nested"),
    );
    b.file(
        "HTML with unclosed tags 10,000 deep",
        "broken/unclosed-deep.html",
        format!("<html><body>{}storm", "<span><b><i>".repeat(10_000)),
        Expect::Skipped(""),
    );
    b.file(
        "HTML with no body",
        "broken/no-body.html",
        "<html><head><title>Nothing here</title></head></html>",
        Expect::Skipped(""),
    );
    b.file(
        "SGML with unclosed tags",
        "broken/unclosed.sgm",
        "<REUTERS NEWID=\"1\"><TEXT><TITLE>COFFEE PRICES<BODY>Coffee prices rose.\n<REUTERS NEWID=\"2\"><TEXT><BODY>Second record, never closed.\n",
        Expect::ArticlesAndSkippedRecords(
            vec![],
            vec!["broken/unclosed.sgm#1".into(), "broken/unclosed.sgm#2".into()],
        ),
    );
    b.file(
        "Markdown with unterminated front matter",
        "broken/front-matter.md",
        "---\ntitle: [unclosed\n: : :\n",
        Expect::Skipped(""),
    );
    b.file(
        "Markdown nested 10,000 block quotes",
        "broken/quotes.md",
        format!(
            "# Quotes\n\n{} deep quote about the harbour.\n",
            ">".repeat(10_000)
        ),
        Expect::Articles(vec!["broken/quotes.md".into()]),
    );

    // # Awkward names and folders.
    b.article("name with spaces", "names/name with spaces.txt", ARTICLE);
    b.article("name with a newline", "names/new\nline.txt", ARTICLE);
    let path = root
        .join("names")
        .join(std::ffi::OsStr::from_bytes(b"caf\xe9.txt"));
    std::fs::write(&path, ARTICLE).expect("write non-UTF-8 name");
    b.fixtures.push(Fixture {
        what: "non-UTF-8 file name",
        rel_path: "names/caf\u{fffd}.txt".into(),
        expect: Expect::Articles(vec!["names/caf\u{fffd}.txt".into()]),
    });
    b.article("folder named like a file", "x.json/inside.txt", ARTICLE);
    b.file(
        "unknown extension",
        "names/notes.rst",
        "Not a corpus file.\n",
        Expect::Skipped("unsupported file type"),
    );

    // # Symbolic links.
    std::os::unix::fs::symlink(".", root.join("loop")).expect("symlink loop");
    b.fixtures.push(Fixture {
        what: "symbolic link loop (to its own folder)",
        rel_path: "loop".into(),
        expect: Expect::Skipped("loop"),
    });
    std::os::unix::fs::symlink("cycle-b.txt", root.join("cycle-a.txt")).expect("symlink");
    std::os::unix::fs::symlink("cycle-a.txt", root.join("cycle-b.txt")).expect("symlink");
    for name in ["cycle-a.txt", "cycle-b.txt"] {
        b.fixtures.push(Fixture {
            what: "symbolic links pointing at each other",
            rel_path: name.into(),
            expect: Expect::Skipped("cannot read"),
        });
    }
    std::os::unix::fs::symlink("does-not-exist.txt", root.join("dangling.txt")).expect("symlink");
    b.fixtures.push(Fixture {
        what: "dangling symbolic link",
        rel_path: "dangling.txt".into(),
        expect: Expect::Skipped("cannot read"),
    });

    // # Permissions.
    if unreadable {
        use std::os::unix::fs::PermissionsExt;
        b.file(
            "file without read permission",
            "secret.txt",
            ARTICLE,
            Expect::Skipped("permission denied"),
        );
        std::fs::set_permissions(
            root.join("secret.txt"),
            std::fs::Permissions::from_mode(0o000),
        )
        .expect("chmod 000");
    } else {
        b.notes.push(
            "no file without read permission: permissions do not bind the indexing process".into(),
        );
    }

    HostileCorpus {
        fixtures: b.fixtures,
        notes: b.notes,
    }
}

/// A small but real PNG (1×1 pixel, with IHDR, IDAT and IEND).
fn png_bytes() -> Vec<u8> {
    vec![
        0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44,
        0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F,
        0x15, 0xC4, 0x89, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0x00,
        0x01, 0x00, 0x00, 0x05, 0x00, 0x01, 0x0D, 0x0A, 0x2D, 0xB4, 0x00, 0x00, 0x00, 0x00, 0x49,
        0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
    ]
}

/// About `bytes` of plain English-like text in paragraphs, with a headline.
fn huge_text(bytes: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes + 200);
    out.extend_from_slice(b"An archive in one file\n\n");
    let paragraph: &[u8] = b"The council met again on Tuesday to discuss the harbour budget, \
        the storm repairs and the new railway bridge across the river. \
        Officials said the work would continue through the winter.\n\n";
    while out.len() < bytes {
        out.extend_from_slice(paragraph);
    }
    out
}
