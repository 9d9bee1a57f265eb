//! The single integration-test binary: each module runs the `newsdex`
//! binary on temporary corpora and checks what users see.

mod util;

// The seed article: found by every route the README promises.
mod seed;
// Search behaviour: ranking, filters, facets, paging, JSON contract.
mod search;
// Indexing: formats, incremental updates, accounting for every file.
mod indexing;
// User-facing errors: messages and exit codes.
mod errors;
// Crash safety: SIGKILL at random moments, full disk, read-only index, two indexers.
mod crash;
// Hostile input folders: binary, broken, huge and strangely named files.
mod hostile;
// Search input: arbitrary strings (proptest) give results or a clear error.
mod query_fuzz;
