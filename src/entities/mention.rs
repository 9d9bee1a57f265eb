//! Mentions: typed spans of the analysed text. This is the boundary between
//! detection (the statistical CoNLL tagger, or the heuristic detector that
//! tests use) and normalisation, which turns mentions into facet values.

/// The CoNLL-2003 entity types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    Person,
    Location,
    Organization,
    /// Everything else that is named: demonyms ("Egyptian"), events,
    /// nationalities, works. Normalisation only uses demonyms.
    Misc,
}

/// One detected entity mention.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    pub kind: Kind,
    /// The mention as written (`&text[start..end]` of the analysed text).
    pub text: String,
    /// Byte offset of the first byte in the analysed text.
    pub start: usize,
    /// Byte offset one past the last byte in the analysed text.
    pub end: usize,
}

impl Mention {
    /// A mention of `text[start..end]`; `None` if the range is not a valid
    /// slice of `text`.
    pub fn new(kind: Kind, text: &str, start: usize, end: usize) -> Option<Mention> {
        text.get(start..end).map(|s| Mention {
            kind,
            text: s.to_string(),
            start,
            end,
        })
    }
}
