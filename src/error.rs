//! The library's error type. Every message is a sentence a user can act on:
//! it names the file, field or value at fault and what to do about it.

use std::path::PathBuf;

/// Errors returned by the newsdex library.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("no index at {path}: build one with `newsdex index DIR --index {path}`")]
    IndexMissing { path: PathBuf },

    #[error(
        "the index at {path} was built by an incompatible version of newsdex \
         ({found}; this version uses schema {expected}): rebuild it with `newsdex index --rebuild`"
    )]
    IndexIncompatible {
        path: PathBuf,
        found: String,
        expected: u32,
    },

    #[error("the index at {path} is locked by another newsdex process{pid}: wait for it to finish, or stop it")]
    IndexLocked { path: PathBuf, pid: String },

    #[error("cannot read the corpus folder {path}: {reason}")]
    CorpusUnreadable { path: PathBuf, reason: String },

    #[error("invalid query `{query}`: {reason}")]
    QuerySyntax { query: String, reason: String },

    #[error("unknown field `{field}` in query `{query}`; valid fields: {valid}")]
    UnknownField {
        query: String,
        field: String,
        valid: String,
    },

    #[error("unknown country `{0}`: give an English name (Egypt), an ISO code (EG, EGY) or a demonym (Egyptian)")]
    UnknownCountry(String),

    #[error("invalid {flag} value `{value}`: {reason}")]
    InvalidArgument {
        flag: &'static str,
        value: String,
        reason: String,
    },

    #[error("index at {path}: {source}")]
    Index {
        path: PathBuf,
        #[source]
        source: tantivy::TantivyError,
    },

    #[error("{context}: {source}")]
    Io {
        context: String,
        #[source]
        source: std::io::Error,
    },
}

impl Error {
    /// Whether the error comes from what the user typed (exit code 2 either
    /// way, but the binary may show usage hints).
    pub fn is_usage(&self) -> bool {
        matches!(
            self,
            Error::QuerySyntax { .. }
                | Error::UnknownField { .. }
                | Error::UnknownCountry(_)
                | Error::InvalidArgument { .. }
        )
    }
}

/// Result alias for the library.
pub type Result<T, E = Error> = std::result::Result<T, E>;
