//! Helpers for tests that use the project's shared evaluation data
//! (`shared/data/`: BBC, Reuters-21578, the article-extraction benchmark).
//! That data is not part of the repository, so such tests must skip, with
//! a printed reason, when it is absent.

use std::path::PathBuf;

/// The shared `data` directory: `$NEWSDEX_SHARED/data` when the variable is
/// set (worktrees live elsewhere than the checkout), else
/// `$CARGO_MANIFEST_DIR/../shared/data`. `None` when it does not exist;
/// callers then `eprintln!` why they skip and return.
pub(crate) fn shared_data_dir() -> Option<PathBuf> {
    let shared = match std::env::var_os("NEWSDEX_SHARED") {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared"),
    };
    let data = shared.join("data");
    data.is_dir().then_some(data)
}
