//! Reading CoNLL-2003 style files: one token per line, the word in the first
//! column and the NER tag in the last, blank lines between sentences and
//! `-DOCSTART-` lines between documents. Documents are kept because the
//! tagger's second stage looks at the whole document.

use std::path::Path;

use super::error::NerError;
use super::eval::chunks;
use super::label::{spans_to_bilou, Iob, Label};

/// One sentence with its gold tags (one per token).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Sentence {
    /// The tokens, as in the file.
    pub tokens: Vec<String>,
    /// Gold IOB tags (IOB1 or IOB2), same length as `tokens`.
    pub tags: Vec<Iob>,
}

impl Sentence {
    /// The gold tags as BILOU labels (chunks found with the conlleval rules).
    pub fn bilou(&self) -> Vec<Label> {
        spans_to_bilou(&chunks(&self.tags), self.tags.len())
    }

    /// The tokens as string slices, the input shape of
    /// [`Tagger::tag_document`](super::Tagger::tag_document).
    pub fn token_strs(&self) -> Vec<&str> {
        self.tokens.iter().map(String::as_str).collect()
    }
}

/// One document: the sentences between two `-DOCSTART-` lines.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Document {
    /// Non-empty sentences in file order.
    pub sentences: Vec<Sentence>,
}

impl Document {
    /// Number of tokens in the document.
    pub fn token_count(&self) -> usize {
        self.sentences.iter().map(|s| s.tokens.len()).sum()
    }
}

/// Reads a CoNLL file. Tags may be IOB1 or IOB2; a missing final newline is
/// fine. Errors name the file and line.
pub fn read_conll(path: &Path) -> Result<Vec<Document>, NerError> {
    let bytes = std::fs::read(path).map_err(|e| NerError::io(path, e))?;
    // The CoNLL files are ASCII; lossy decoding keeps a stray byte from
    // failing a whole training run.
    let text = String::from_utf8_lossy(&bytes);
    parse_conll(&text, path)
}

/// Parses CoNLL text; `path` is only used in error messages.
pub fn parse_conll(text: &str, path: &Path) -> Result<Vec<Document>, NerError> {
    let mut docs = Vec::new();
    let mut doc = Document::default();
    let mut sent = Sentence::default();
    for (n, line) in text.lines().enumerate() {
        let mut cols = line.split_whitespace();
        let Some(word) = cols.next() else {
            if !sent.tokens.is_empty() {
                doc.sentences.push(std::mem::take(&mut sent));
            }
            continue;
        };
        if word == "-DOCSTART-" {
            if !sent.tokens.is_empty() {
                doc.sentences.push(std::mem::take(&mut sent));
            }
            if !doc.sentences.is_empty() {
                docs.push(std::mem::take(&mut doc));
            }
            continue;
        }
        let Some(tag) = cols.next_back() else {
            return Err(NerError::parse(
                path,
                n + 1,
                format!("expected `word ... TAG`, found only `{word}`"),
            ));
        };
        let Some(tag) = Iob::parse(tag) else {
            return Err(NerError::parse(
                path,
                n + 1,
                format!("unknown NER tag `{tag}`; expected O, B-X or I-X with X one of PER, LOC, ORG, MISC"),
            ));
        };
        sent.tokens.push(word.to_string());
        sent.tags.push(tag);
    }
    if !sent.tokens.is_empty() {
        doc.sentences.push(sent);
    }
    if !doc.sentences.is_empty() {
        docs.push(doc);
    }
    Ok(docs)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ner::EntityType;

    const SAMPLE: &str = "-DOCSTART- -X- O O\n\nEU NNP I-NP I-ORG\nrejects VBZ I-VP O\n\
German JJ I-NP I-MISC\n\nPeter NNP I-NP I-PER\nBlackburn NNP I-NP I-PER\n\n\
-DOCSTART- -X- O O\n\nBRUSSELS NNP I-NP I-LOC\n1996-08-22 CD I-NP O";

    #[test]
    fn parses_documents_and_sentences() {
        let docs = parse_conll(SAMPLE, Path::new("x")).expect("valid sample");
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[0].sentences.len(), 2);
        assert_eq!(docs[0].sentences[0].tokens, vec!["EU", "rejects", "German"]);
        assert_eq!(docs[0].sentences[0].tags[0], Iob::I(EntityType::Org));
        // The file has no final newline; the last token must still be read.
        assert_eq!(docs[1].sentences[0].tokens, vec!["BRUSSELS", "1996-08-22"]);
        assert_eq!(docs[1].token_count(), 2);
        let bilou = docs[0].sentences[1].bilou();
        assert_eq!(
            bilou,
            vec![Label::B(EntityType::Per), Label::L(EntityType::Per)]
        );
    }

    #[test]
    fn errors_name_file_and_line() {
        let err = parse_conll("a O\nb X-FOO\n", Path::new("data/x.conll")).unwrap_err();
        assert_eq!(
            err.to_string().split(':').take(2).collect::<Vec<_>>(),
            vec!["data/x.conll", "2"]
        );
        let err = parse_conll("lonely\n", Path::new("y")).unwrap_err();
        assert!(err.to_string().starts_with("y:1:"), "{err}");
    }

    #[test]
    fn iob2_is_accepted() {
        let docs = parse_conll("New B-LOC\nYork I-LOC\nis O", Path::new("x")).unwrap();
        let spans = chunks(&docs[0].sentences[0].tags);
        assert_eq!(spans.len(), 1);
        assert_eq!((spans[0].start, spans[0].end), (0, 2));
    }
}
