//! The text analysers that the schema's tokenizer names stand for.
//!
//! Title and body use tantivy's `en_stem` chain (simple tokenizer, long
//! tokens removed, lower case, Snowball English) with words folded to ASCII
//! before stemming, so that `sao paulo` finds "São Paulo" and `erdogan`
//! "Erdoğan", as users type them. Stems are memoised per indexing thread:
//! Snowball was about a third of the indexing time of raw text, and news
//! vocabulary is Zipfian, so nearly every word has been stemmed before.
//! The output equals tantivy's own chain with `AsciiFoldingFilter` added.
//!
//! Names (entity fields, source, author, tags) are lower-cased and folded
//! to ASCII, without stemming: the gazetteer's "Rafaḩ" and "São Paulo" are
//! found by `place:rafah` and `place:"sao paulo"`, as users type them.

use compact_str::CompactString;
use rustc_hash::FxHashMap;

use tantivy::query::{PhraseQuery, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, RawTokenizer, RemoveLongFilter, SimpleTokenizer, TextAnalyzer,
    Token, TokenFilter, TokenStream, Tokenizer,
};
use tantivy::{Index, Term};

use crate::schema::{NAME_TOKENIZER, STEMMED_TOKENIZER};

/// Longest token kept, as in tantivy's `en_stem`.
const MAX_TOKEN_BYTES: usize = 40;

/// Stems remembered per thread before the memo starts afresh (a few MB):
/// enough for the working vocabulary of a news archive.
const MEMO_ENTRIES: usize = 200_000;

/// Installs newsdex's analysers on an opened or created index; searches
/// and indexing must both see them.
pub fn register(index: &Index) {
    index
        .tokenizers()
        .register(STEMMED_TOKENIZER, stemmed_analyzer());
    index.tokenizers().register(NAME_TOKENIZER, name_analyzer());
}

/// `text` as a query on `field`, analysed by `analyzer`: its one term, or
/// the phrase of its terms; `None` when it has no token.
pub fn phrase_query(
    analyzer: &mut TextAnalyzer,
    field: Field,
    text: &str,
) -> Option<Box<dyn Query>> {
    let mut stream = analyzer.token_stream(text);
    let mut terms = Vec::new();
    while let Some(token) = stream.next() {
        terms.push((token.position, Term::from_field_text(field, &token.text)));
    }
    match terms.len() {
        0 => None,
        1 => Some(Box::new(TermQuery::new(
            terms.remove(0).1,
            IndexRecordOption::WithFreqs,
        ))),
        _ => Some(Box::new(PhraseQuery::new_with_offset(terms))),
    }
}

/// The analyser of names: tantivy's `default` chain plus ASCII folding.
pub fn name_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

/// The analyser of facet keys (`schema::name_key`): the whole value as
/// one token, lower-cased and folded to ASCII as names are.
pub fn key_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(RawTokenizer::default())
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

/// The title/body analyser.
pub fn stemmed_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(MemoStemmer)
        .build()
}

/// English Snowball stemming (frostem, the stemmer tantivy's own `en_stem`
/// uses) with a memo of the stems seen so far.
#[derive(Clone, Copy, Debug, Default)]
pub struct MemoStemmer;

impl TokenFilter for MemoStemmer {
    type Tokenizer<T: Tokenizer> = MemoStemmerFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> MemoStemmerFilter<T> {
        MemoStemmerFilter {
            inner: tokenizer,
            memo: FxHashMap::default(),
        }
    }
}

/// [`MemoStemmer`] applied to a tokenizer; each clone (one per indexing
/// thread) has its own memo.
#[derive(Clone)]
pub struct MemoStemmerFilter<T> {
    inner: T,
    /// Word → stem. Both are stored inline in the table (words of up to
    /// 24 bytes, nearly all), so a look-up reads one entry, not two more
    /// heap strings: about a fifth less time per token than `String`s
    /// (`examples/stage_speed.rs`).
    memo: FxHashMap<CompactString, CompactString>,
}

impl<T: Tokenizer> Tokenizer for MemoStemmerFilter<T> {
    type TokenStream<'a> = MemoStemmerStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        if self.memo.len() >= MEMO_ENTRIES {
            self.memo.clear();
        }
        MemoStemmerStream {
            tail: self.inner.token_stream(text),
            memo: &mut self.memo,
            stemmer: frostem::Stemmer::new(frostem::Algorithm::English),
        }
    }
}

pub struct MemoStemmerStream<'a, T> {
    tail: T,
    memo: &'a mut FxHashMap<CompactString, CompactString>,
    stemmer: frostem::Stemmer,
}

impl<T: TokenStream> TokenStream for MemoStemmerStream<'_, T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        // Snowball's English stemmer leaves words of one or two letters
        // alone ("of", "to", "a": a quarter of running text).
        if token.text.len() <= 2 {
            return true;
        }
        if let Some(stem) = self.memo.get(token.text.as_str()) {
            token.text.clear();
            token.text.push_str(stem);
            return true;
        }
        let stem = CompactString::from(self.stemmer.stem(&token.text));
        self.memo
            .insert(CompactString::from(token.text.as_str()), stem.clone());
        token.text.clear();
        token.text.push_str(&stem);
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<(String, usize, usize, usize)> {
        let mut out = Vec::new();
        analyzer.token_stream(text).process(&mut |t: &Token| {
            out.push((t.text.clone(), t.position, t.offset_from, t.offset_to))
        });
        out
    }

    /// The terms `analyzer` makes of `text`.
    fn words(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
        tokens(analyzer, text).into_iter().map(|t| t.0).collect()
    }

    /// tantivy's `en_stem` with ASCII folding before the stemmer, built
    /// from tantivy's own filters.
    fn en_stem() -> TextAnalyzer {
        TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
            .filter(LowerCaser)
            .filter(AsciiFoldingFilter)
            .filter(tantivy::tokenizer::Stemmer::new(
                tantivy::tokenizer::Language::English,
            ))
            .build()
    }

    #[test]
    fn same_tokens_as_tantivys_chain() {
        let text = "Mediators said the ceasefire talks were stalling; Qatar's mediators \
                    talked again. Running runners ran. Ünïcödé WORDS, hyphen-ated and \
                    a-very-long-token-that-is-way-more-than-forty-bytes-long-indeed.";
        let mut analyzer = stemmed_analyzer();
        // Twice: the second pass is served from the memo.
        let first = tokens(&mut analyzer.clone(), text);
        assert_eq!(first, tokens(&mut en_stem(), text));
        tokens(&mut analyzer, text);
        let again = tokens(&mut analyzer, text);
        assert_eq!(again, first);
        assert!(first.iter().any(|t| t.0 == "mediat"));
    }

    /// Every file of the bundled corpus (HTML, JSON and text, with curly
    /// quotes, accents and numbers), analysed twice so that the memo serves
    /// the second pass: the same terms, positions and offsets as tantivy's
    /// chain.
    #[test]
    fn same_tokens_as_tantivys_chain_on_the_bundled_corpus() {
        let mut reference = en_stem();
        let mut analyzer = stemmed_analyzer();
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
        let mut compared = 0;
        for entry in walkdir::WalkDir::new(&root) {
            let entry = entry.expect("walk corpus");
            let Ok(text) = std::fs::read_to_string(entry.path()) else {
                continue;
            };
            let expected = tokens(&mut reference, &text);
            for _ in 0..2 {
                assert_eq!(tokens(&mut analyzer, &text), expected, "{:?}", entry.path());
            }
            compared += expected.len();
        }
        assert!(compared > 10_000, "only {compared} tokens compared");
    }

    #[test]
    fn body_words_are_folded_to_ascii_before_stemming() {
        let words = words(&mut stemmed_analyzer(), "São Paulo's Erdoğan CAFÉS naïve");
        assert_eq!(words, ["sao", "paulo", "s", "erdogan", "cafe", "naiv"]);
    }

    #[test]
    fn names_are_lower_cased_and_folded_to_ascii() {
        let words = words(&mut name_analyzer(), "Rafaḩ, São Paulo; JOSÉ Müller 東京");
        assert_eq!(words, ["rafah", "sao", "paulo", "jose", "muller", "東京"]);
    }

    proptest::proptest! {
        #![proptest_config(proptest::test_runner::Config {
            cases: 512,
            failure_persistence: None,
            ..proptest::test_runner::Config::default()
        })]

        /// Any mix of ASCII and other letters, digits, punctuation,
        /// whitespace and over-long words: the same tokens, positions and
        /// offsets as tantivy's chain.
        #[test]
        fn any_text_gives_tantivys_tokens(
            parts in proptest::collection::vec(proptest::sample::select(vec![
                "Cairo", "egypt", "U.S.", "2024", " ", "  ", "\n", "\t", ",", "'s", "-",
                "São", "ÉIRE", "straße", "Ωμέγα", "東京", "x²", "½", "\u{a0}", "e\u{301}",
                "—", "’", "İ", "ǅ", "Łódź",
                // Words of 39, 40 and 42 bytes: the long-token filter's edge.
                "Abcdefghijabcdefghijabcdefghijabcdefghi",
                "ABCDEFGHIJABCDEFGHIJABCDEFGHIJABCDEFGHIJ", "ééééééééééééééééééééé",
            ]), 0..24),
        ) {
            let text = parts.concat();
            proptest::prop_assert_eq!(
                tokens(&mut stemmed_analyzer(), &text),
                tokens(&mut en_stem(), &text)
            );
        }
    }

    #[test]
    fn non_ascii_words_and_separators_match_tantivys_chain() {
        let text = "Ωμέγα ΣΟΦΊΑ İstanbul straße Straße naïve café’s 東京 ١٢٣ x²y ½ \
                    a\u{00A0}b tab\tsep — dash–dash e\u{301}te ß ǅemal";
        assert_eq!(
            tokens(&mut stemmed_analyzer(), text),
            tokens(&mut en_stem(), text)
        );
    }
}
