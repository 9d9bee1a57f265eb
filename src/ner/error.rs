//! The one error type of the tagger: every failure names the file (and the
//! line, for text inputs) so that a user can fix the input.

use std::path::PathBuf;

/// Errors from reading data, training, and loading or saving models.
#[derive(Debug, thiserror::Error)]
pub enum NerError {
    /// A file could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file concerned.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// A line of a CoNLL or cluster file is malformed.
    #[error("{}:{line}: {message}", path.display())]
    Parse {
        /// The file concerned.
        path: PathBuf,
        /// 1-based line number.
        line: usize,
        /// What is wrong and what was expected.
        message: String,
    },
    /// A model artefact is truncated, corrupt or of another version.
    #[error("invalid NER model ({origin}): {message}")]
    Model {
        /// Where the bytes came from (a path or "embedded").
        origin: String,
        /// What is wrong.
        message: String,
    },
    /// Training options that cannot work (no data, zero epochs, ...).
    #[error("invalid training options: {0}")]
    Options(String),
}

impl NerError {
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        NerError::Io {
            path: path.into(),
            source,
        }
    }

    pub(crate) fn parse(path: impl Into<PathBuf>, line: usize, message: impl Into<String>) -> Self {
        NerError::Parse {
            path: path.into(),
            line,
            message: message.into(),
        }
    }
}
