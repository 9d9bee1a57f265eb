//! The statistical detector: the CoNLL-trained tagger ([`crate::ner`]) run
//! over this module's tokenizer, producing the same [`Mention`]s the
//! normaliser takes from any detector.

use super::mention::{Kind, Mention};
use super::tokenize::tokenize;
use crate::ner::{EntitySpan, EntityType, Tagger};

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
    for ((sentence, words), spans) in sentences.iter().zip(&words).zip(&spans) {
        for span in join_name_particles(words, &trim_punctuation(words, spans)) {
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

/// Lower-case particles inside personal names: "Mohammed bin Salman",
/// "Ludwig van Beethoven".
const NAME_PARTICLES: &[&str] = &[
    "bin", "ibn", "bint", "binti", "al", "el", "abu", "van", "von", "der", "den", "de", "da", "di",
    "du", "dos",
];

/// Extends person spans over name particles and Arabic article prefixes
/// that the CoNLL-trained model, which saw few such names, cuts off:
/// "Mohammed | bin Salman" and "Mohammed bin Abdulrahman | Al-Thani" are
/// one person. Whatever the model made of the swallowed tokens is dropped.
fn join_name_particles(words: &[&str], spans: &[EntitySpan]) -> Vec<EntitySpan> {
    let capitalised = |w: &str| w.starts_with(|c: char| c.is_uppercase());
    let arabic_article = |w: &str| {
        ["Al-", "al-", "El-", "el-"]
            .iter()
            .any(|p| w.strip_prefix(p).is_some_and(capitalised))
    };
    let mut out: Vec<EntitySpan> = Vec::with_capacity(spans.len());
    for span in spans {
        // Already swallowed by the previous, extended person.
        if out.last().is_some_and(|prev| span.start < prev.end) {
            continue;
        }
        let mut span = *span;
        // "Mossad chief David Barnea": a one-word "person" right before a
        // role word and a person is what the role belongs to. Joined into
        // one person span, the normaliser splits it into organisation and
        // person (or links it to a person of that surname).
        if let Some(prev) = out.last_mut() {
            let role_between = prev.end + 1 == span.start
                && words
                    .get(prev.end)
                    .is_some_and(|w| w.starts_with(char::is_lowercase) && is_role_title(w));
            if role_between
                && prev.kind == EntityType::Per
                && span.kind == EntityType::Per
                && prev.end - prev.start == 1
            {
                prev.end = span.end;
                span = *prev;
                out.pop();
            }
        }
        if span.kind == EntityType::Per {
            loop {
                let next = words.get(span.end).copied().unwrap_or("");
                let after = words.get(span.end + 1).copied().unwrap_or("");
                if NAME_PARTICLES.contains(&next) && capitalised(after) {
                    span.end += 2;
                } else if arabic_article(next) {
                    span.end += 1;
                } else {
                    break;
                }
            }
        }
        out.push(span);
    }
    out
}

/// Spans without the punctuation tokens the tagger sometimes runs them
/// into at either end ("Kay ;", "Loan Association >"); a span of
/// punctuation alone is dropped.
fn trim_punctuation(words: &[&str], spans: &[EntitySpan]) -> Vec<EntitySpan> {
    let wordlike = |i: usize| {
        words
            .get(i)
            .is_some_and(|w| w.chars().any(char::is_alphanumeric))
    };
    spans
        .iter()
        .filter_map(|span| {
            let mut span = *span;
            while span.start < span.end && !wordlike(span.start) {
                span.start += 1;
            }
            while span.end > span.start && !wordlike(span.end - 1) {
                span.end -= 1;
            }
            (span.start < span.end).then_some(span)
        })
        .collect()
}

fn is_role_title(word: &str) -> bool {
    matches!(
        super::gazetteer().role_kind(word),
        Some(super::gazetteer::RoleKind::Title)
    )
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
    fn spans_lose_the_punctuation_at_their_ends() {
        let words = ["B", "Kay", ";", "J", "<", "Loan", "Association", ">", ";"];
        let span = |start, end| EntitySpan {
            start,
            end,
            kind: EntityType::Org,
        };
        assert_eq!(
            trim_punctuation(&words, &[span(0, 3), span(4, 8), span(8, 9)]),
            vec![span(0, 2), span(5, 7)]
        );
    }

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
    fn person_spans_take_in_name_particles() {
        let span = |kind, start, end| EntitySpan { kind, start, end };
        let words = [
            "Prince",
            "Mohammed",
            "bin",
            "Salman",
            "met",
            "Mohammed",
            "bin",
            "Abdulrahman",
            "Al-Thani",
            ".",
        ];
        let spans = [
            span(EntityType::Per, 1, 2),
            span(EntityType::Loc, 3, 4),
            span(EntityType::Per, 5, 8),
            span(EntityType::Misc, 8, 9),
        ];
        assert_eq!(
            join_name_particles(&words, &spans),
            vec![span(EntityType::Per, 1, 4), span(EntityType::Per, 5, 9)]
        );
        // A one-word person before "chief" and a person: one span for the normaliser to split.
        let words = ["Mossad", "chief", "David", "Barnea", "said"];
        let spans = [span(EntityType::Per, 0, 1), span(EntityType::Per, 2, 4)];
        assert_eq!(
            join_name_particles(&words, &spans),
            vec![span(EntityType::Per, 0, 4)]
        );
        // Particles not followed by a capitalised word, and other kinds, stay as they are.
        let words = ["Reuters", "bin", "collection", "in", "al", "Mosul"];
        let spans = [span(EntityType::Org, 0, 1), span(EntityType::Loc, 5, 6)];
        assert_eq!(join_name_particles(&words, &spans), spans.to_vec());
    }

    #[test]
    fn empty_and_odd_text_yield_no_mentions() {
        assert!(detect("").is_empty());
        assert!(detect("   \n\n ").is_empty());
        let _ = detect("\u{0}\u{feff}«»—…");
    }
}
