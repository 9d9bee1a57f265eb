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

    #[error("{path} is damaged ({reason}): run `newsdex index` again to rewrite it")]
    IndexFileDamaged { path: PathBuf, reason: String },

    #[error("cannot read {path}: {reason}")]
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

    /// An error from the search engine library. The message is rewritten
    /// for people (tantivy's own messages show Rust debug output), so the
    /// engine error is kept as `cause` rather than as the error source,
    /// which would print it a second time.
    #[error("index at {path}: {}", describe_engine_error(cause))]
    Index {
        path: PathBuf,
        cause: tantivy::TantivyError,
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

/// A sentence for an engine error: the operating system's reason and the
/// file involved, plus what to do for the failures users can fix (a full
/// disk, a read-only folder, a damaged index).
pub fn describe_engine_error(error: &tantivy::TantivyError) -> String {
    use tantivy::directory::error::{OpenDirectoryError, OpenReadError, OpenWriteError};
    use tantivy::TantivyError;
    let io_hint = |io: &std::io::Error| -> &'static str {
        match io.kind() {
            std::io::ErrorKind::StorageFull | std::io::ErrorKind::QuotaExceeded => {
                "; free some disk space and run the command again (the index keeps its last commit)"
            }
            std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem => {
                "; make the index folder writable and run the command again (the index keeps its last commit)"
            }
            _ => "",
        }
    };
    let damaged = "; the index is damaged: rebuild it with `newsdex index --rebuild`";
    match error {
        TantivyError::OpenWriteError(OpenWriteError::IoError { io_error, filepath }) => format!(
            "cannot write index file {}: {io_error}{}",
            filepath.display(),
            io_hint(io_error)
        ),
        TantivyError::OpenWriteError(OpenWriteError::FileAlreadyExists(path)) => {
            format!("index file {} already exists", path.display())
        }
        TantivyError::OpenReadError(OpenReadError::FileDoesNotExist(path)) => {
            format!("index file {} is missing{damaged}", path.display())
        }
        TantivyError::OpenReadError(OpenReadError::IoError { io_error, filepath }) => format!(
            "cannot read index file {}: {io_error}{}",
            filepath.display(),
            io_hint(io_error)
        ),
        TantivyError::OpenDirectoryError(OpenDirectoryError::IoError {
            io_error,
            directory_path,
        }) => format!(
            "cannot open folder {}: {io_error}{}",
            directory_path.display(),
            io_hint(io_error)
        ),
        TantivyError::OpenDirectoryError(OpenDirectoryError::DoesNotExist(path)) => {
            format!("folder {} does not exist", path.display())
        }
        TantivyError::OpenDirectoryError(OpenDirectoryError::NotADirectory(path)) => {
            format!("{} is not a folder", path.display())
        }
        TantivyError::IoError(io_error) => format!("{io_error}{}", io_hint(io_error)),
        // Some write paths (segment serialisation) flatten the I/O error
        // into text; recognise the ones with advice.
        TantivyError::InternalError(message) => {
            let hint = if message.contains("os error 28") || message.contains("os error 122") {
                io_hint(&std::io::Error::from(std::io::ErrorKind::StorageFull))
            } else if message.contains("os error 1)")
                || message.contains("os error 13")
                || message.contains("os error 30")
            {
                io_hint(&std::io::Error::from(std::io::ErrorKind::PermissionDenied))
            } else {
                ""
            };
            format!("{message}{hint}")
        }
        TantivyError::DataCorruption(corruption) => {
            format!("{corruption:?}{damaged}").replace("Data corruption", "data corruption")
        }
        other => other.to_string(),
    }
}

/// Result alias for the library.
pub type Result<T, E = Error> = std::result::Result<T, E>;
