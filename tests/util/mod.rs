//! Test harness: a temporary corpus and index, and a way to run the
//! `newsdex` binary against them and read its JSON output.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub mod hostile;
mod splitmix;

use serde_json::Value;

/// A temporary folder with `corpus/` and `index/`.
pub struct TestEnv {
    pub dir: tempfile::TempDir,
}

/// The result of one run of the binary.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Parses stdout as one JSON value, failing with the whole output.
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "stdout is not JSON ({e}):\n{}\nstderr:\n{}",
                self.stdout, self.stderr
            )
        })
    }

    /// Asserts the exit code, printing both streams when it differs.
    pub fn expect_code(&self, code: i32) -> &Run {
        assert_eq!(
            self.code, code,
            "unexpected exit code\n--- stdout\n{}\n--- stderr\n{}",
            self.stdout, self.stderr
        );
        self
    }
}

impl TestEnv {
    /// An empty corpus.
    pub fn empty() -> TestEnv {
        let dir = tempfile::tempdir().expect("create temp dir");
        std::fs::create_dir(dir.path().join("corpus")).expect("create corpus dir");
        TestEnv { dir }
    }

    /// A copy of the bundled corpus.
    pub fn bundled() -> TestEnv {
        let env = TestEnv::empty();
        copy_dir(&repo_path("corpus"), &env.corpus());
        env
    }

    /// A corpus made of the given files (path relative to corpus/, contents).
    pub fn with_files(files: &[(&str, &str)]) -> TestEnv {
        let env = TestEnv::empty();
        for (path, contents) in files {
            env.write(path, contents);
        }
        env
    }

    pub fn corpus(&self) -> PathBuf {
        self.dir.path().join("corpus")
    }

    pub fn index(&self) -> PathBuf {
        self.dir.path().join("index")
    }

    /// Writes a corpus file, creating folders.
    pub fn write(&self, rel: &str, contents: impl AsRef<[u8]>) {
        let path = self.corpus().join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("create corpus subfolder");
        }
        std::fs::write(path, contents).expect("write corpus file");
    }

    /// Runs `newsdex --index <tmp>/index ARGS` in the temp folder.
    pub fn run(&self, args: &[&str]) -> Run {
        let index = self.index();
        let mut full: Vec<&str> = vec!["--index", index.to_str().expect("utf-8 temp path")];
        full.extend_from_slice(args);
        self.run_raw(&full)
    }

    /// Runs `newsdex ARGS` in the temp folder with no --index.
    pub fn run_raw(&self, args: &[&str]) -> Run {
        run_in(self.dir.path(), args)
    }

    /// Indexes the corpus and returns the JSON summary.
    pub fn index_corpus(&self) -> Value {
        let corpus = self.corpus();
        let run = self.run(&["index", corpus.to_str().expect("utf-8 temp path"), "--json"]);
        run.expect_code(0);
        run.json()
    }

    /// `search ARGS --json`, returning the JSON.
    pub fn search(&self, args: &[&str]) -> Value {
        let mut full = vec!["search"];
        full.extend_from_slice(args);
        full.push("--json");
        let run = self.run(&full);
        assert!(
            run.code == 0 || run.code == 1,
            "search failed: {}",
            run.stderr
        );
        run.json()
    }

    /// Ids of the hits of `search ARGS`.
    pub fn hit_ids(&self, args: &[&str]) -> Vec<String> {
        let mut full = args.to_vec();
        full.extend_from_slice(&["--limit", "1000"]);
        ids(&self.search(&full))
    }
}

/// Runs the binary in `dir`.
pub fn run_in(dir: &Path, args: &[&str]) -> Run {
    let output: Output = Command::new(env!("CARGO_BIN_EXE_newsdex"))
        .args(args)
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .output()
        .expect("run newsdex");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// The hit ids of a search result.
pub fn ids(results: &Value) -> Vec<String> {
    results["hits"]
        .as_array()
        .expect("hits array")
        .iter()
        .map(|hit| hit["id"].as_str().expect("hit id").to_string())
        .collect()
}

/// A string array field as a Vec.
pub fn strings(value: &Value) -> Vec<String> {
    value
        .as_array()
        .unwrap_or_else(|| panic!("not an array: {value}"))
        .iter()
        .map(|v| v.as_str().expect("string").to_string())
        .collect()
}

/// A path inside the repository.
pub fn repo_path(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

/// The shared datasets folder, when present (NEWSDEX_SHARED or ../shared).
pub fn shared_data() -> Option<PathBuf> {
    let root = std::env::var_os("NEWSDEX_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_path("../shared"));
    let data = root.join("data");
    data.is_dir().then_some(data)
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("walk corpus");
        let rel = entry.path().strip_prefix(from).expect("inside corpus");
        let target = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).expect("create dir");
        } else {
            std::fs::copy(entry.path(), &target).expect("copy file");
        }
    }
}

/// The tests' random generator (SplitMix64), so tests that need
/// randomness can print and replay their seed without a dependency.
pub use splitmix::Rng;

impl Rng {
    /// A seed that differs from run to run.
    pub fn seed_from_time() -> u64 {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(1)
    }

    pub fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| self.next() as u8).collect()
    }
}
