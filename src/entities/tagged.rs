//! The statistical detector: the CoNLL-trained tagger ([`crate::ner`]) run
//! over this module's tokenizer, producing the same [`Mention`]s the
//! normaliser takes from any detector.

use super::mention::{Kind, Mention};
use super::tokenize::tokenize;
use crate::ner::{EntityType, Tagger};

/// Mentions found by the embedded tagger in `text`, with byte offsets into
/// `text`. The whole text is tagged as one document, so the tagger's
/// document-level pass sees every sentence.
pub fn detect(text: &str) -> Vec<Mention> {
    detect_with(Tagger::embedded(), text)
}

/// [`detect`] with a given tagger (a freshly trained model, say).
pub fn detect_with(tagger: &Tagger, text: &str) -> Vec<Mention> {
    let sentences = tokenize(text);
    let words: Vec<Vec<&str>> = sentences
        .iter()
        .map(|sentence| sentence.iter().map(|token| token.text).collect())
        .collect();
    let spans = tagger.entities(&words);
    let mut mentions = Vec::new();
    for (sentence, spans) in sentences.iter().zip(&spans) {
        for span in spans {
            let (Some(first), Some(last)) = (
                sentence.get(span.start),
                sentence.get(span.end.wrapping_sub(1)),
            ) else {
                continue;
            };
            let (start, end) = (first.start, last.end);
            if let Some(mention) = Mention::new(kind(span.kind), text, start, end) {
                mentions.push(mention);
            }
        }
    }
    mentions
}

fn kind(entity: EntityType) -> Kind {
    match entity {
        EntityType::Per => Kind::Person,
        EntityType::Loc => Kind::Location,
        EntityType::Org => Kind::Organization,
        EntityType::Misc => Kind::Misc,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mentions_point_into_the_text() {
        let text = "CIA Director William Burns met Qatari officials in Cairo.\n\nBurns said talks went well.";
        let mentions = detect(text);
        assert!(!mentions.is_empty());
        for m in &mentions {
            assert_eq!(&text[m.start..m.end], m.text, "{m:?}");
        }
        assert!(
            mentions
                .iter()
                .any(|m| m.kind == Kind::Person && m.text == "William Burns"),
            "{mentions:?}"
        );
        assert!(
            mentions
                .iter()
                .any(|m| m.kind == Kind::Location && m.text == "Cairo"),
            "{mentions:?}"
        );
    }

    #[test]
    fn empty_and_odd_text_yield_no_mentions() {
        assert!(detect("").is_empty());
        assert!(detect("   \n\n ").is_empty());
        let _ = detect("\u{0}\u{feff}«»—…");
    }
}
