//! The tantivy schema: the only place that spells field names.
//!
//! Everything else refers to fields through [`Fields`], so renaming or
//! re-typing a field happens here and bumps [`SCHEMA_VERSION`], which makes
//! old indexes ask for `--rebuild` instead of misbehaving.

use tantivy::schema::{
    DateOptions, DateTimePrecision, FacetOptions, Field, IndexRecordOption, NumericOptions, Schema,
    TextFieldIndexing, TextOptions, FAST, STORED, STRING,
};
use tantivy::tokenizer::TextAnalyzer;

use crate::analyzer::key_analyzer;
use crate::entities::normalize::{capitalise_name_part, NAME_PARTICLES};

/// Version of the schema and of how values are derived (entity extraction,
/// canonical names). Stored in every commit; a mismatch means "rebuild".
/// Version 2: column dictionaries are stored without zstd (see Cargo.toml),
/// so version-1 indexes cannot be read. Version 3: person facets drop lone
/// first names and join names the tagger split; a version-2 index would mix
/// old values (unchanged files) with new ones. Version 4: organisations
/// of several words in capitals headlines are dropped or respelled unless
/// confirmed (2,822 of 18,007 Reuters records change), "ST. LOUIS" is one
/// place, not an organisation "ST" and a place "Louis", and "Moody's" keeps
/// its possessive. Reader fixes that
/// change a handful of records of one collection do not bump it by
/// themselves (dropping the written-out `^M` of 36 Reuters-21578 lines),
/// nor do normalisation fixes of that size (an acronym taking in the legal
/// form, "Commodity Credit Corporation" … "CCC": 182 of 18,007 Reuters and
/// 14 of 1,824 BBC records): rebuilding every archive would cost more than
/// the few stale values, and `--rebuild` refreshes them. Version 5: entity
/// facets hold a case- and accent-folded key (see [`name_key`]), so that
/// "Texaco" and "TEXACO" count as one value; the spellings moved to
/// `entity_name` (stored) and `entity_spelling` (indexed). Title and body
/// fold accents too (`STEMMED_TOKENIZER`).
pub const SCHEMA_VERSION: u32 = 5;

/// Tokenizer for title and body: lower-case, folded to ASCII, English
/// stemming. Not tantivy's `en_stem` (which does not fold), so the name
/// differs.
pub const STEMMED_TOKENIZER: &str = "en_stem_ascii";
/// Tokenizer for names (entity text fields, author, source, tags):
/// lower-case, folded to ASCII, no stemming, so that `person:burns` finds
/// "William Burns" and `place:rafah` the gazetteer's "Rafaḩ". Indexes built
/// before it existed name tantivy's `default` (the same without folding) in
/// their schema and keep using it, so they stay consistent without a rebuild.
pub const NAME_TOKENIZER: &str = "name";

/// Field names, as users write them in queries (`person:burns`).
pub mod names {
    pub const ID: &str = "id";
    pub const PATH: &str = "path";
    pub const FILE_HASH: &str = "file_hash";
    pub const TITLE: &str = "title";
    pub const BODY: &str = "body";
    pub const DATE: &str = "date";
    pub const SOURCE: &str = "source";
    pub const URL: &str = "url";
    pub const AUTHOR: &str = "author";
    pub const TAGS: &str = "tags";
    pub const PERSON: &str = "person";
    pub const COUNTRY: &str = "country";
    pub const ORG: &str = "org";
    pub const PLACE: &str = "place";
    pub const ENTITY: &str = "entity";
    pub const ENTITY_NAME: &str = "entity_name";
    pub const ENTITY_SPELLING: &str = "entity_spelling";
    pub const TAG_PLACES: &str = "tag_places";
    pub const TAG_PEOPLE: &str = "tag_people";
}

/// Fields a user may name in a query (`field:term`), in the order shown in
/// error messages.
pub const QUERYABLE_FIELDS: &[&str] = &[
    names::TITLE,
    names::BODY,
    names::PERSON,
    names::COUNTRY,
    names::ORG,
    names::PLACE,
    names::SOURCE,
    names::AUTHOR,
    names::TAGS,
    names::URL,
    names::ID,
    names::PATH,
    names::DATE,
    names::TAG_PLACES,
    names::TAG_PEOPLE,
];

/// An entity facet: the first step of the `entity` facet path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FacetKind {
    Person,
    Country,
    Org,
}

impl FacetKind {
    /// The kinds users can facet on, in display order.
    pub const FACETABLE: [FacetKind; 3] = [FacetKind::Person, FacetKind::Country, FacetKind::Org];

    /// Name used on the command line, in JSON and as the facet root.
    pub fn name(self) -> &'static str {
        match self {
            FacetKind::Person => names::PERSON,
            FacetKind::Country => names::COUNTRY,
            FacetKind::Org => names::ORG,
        }
    }

    /// Parses a facet name as typed by a user.
    pub fn from_name(name: &str) -> Option<FacetKind> {
        Self::FACETABLE
            .into_iter()
            .find(|kind| kind.name().eq_ignore_ascii_case(name))
    }

    /// The facet for one value, e.g. `/person/william burns`. Built from
    /// path steps so that a `/` inside a name stays part of the name. The
    /// index holds the values' [`name_key`]s.
    pub fn facet(self, value: &str) -> tantivy::schema::Facet {
        tantivy::schema::Facet::from_path([self.name(), value])
    }

    /// The articles with the facet value `key` of this kind in `field`.
    pub fn facet_query(self, field: Field, key: &str) -> tantivy::query::TermQuery {
        let term = tantivy::Term::from_facet(field, &self.facet(key));
        tantivy::query::TermQuery::new(term, tantivy::schema::IndexRecordOption::Basic)
    }

    /// The encoded bounds of this kind's values in the facet dictionary:
    /// from `kind\0` (included) up to `kind\x01` (excluded).
    pub fn key_bounds(self) -> (Vec<u8>, Vec<u8>) {
        let root = tantivy::schema::Facet::from_path([self.name()]);
        let mut lo = root.encoded_str().as_bytes().to_vec();
        let mut hi = lo.clone();
        lo.push(0);
        hi.push(1);
        (lo, hi)
    }

    /// The stored `entity_name` value of one spelling: kind and spelling.
    pub fn stored_name(self, spelling: &str) -> String {
        format!("{}{SPELLING_SEPARATOR}{spelling}", self.name())
    }

    /// The kind and spelling of a stored `entity_name` value.
    pub fn parse_stored_name(value: &str) -> Option<(FacetKind, &str)> {
        let (kind, spelling) = value.split_once(SPELLING_SEPARATOR)?;
        Some((FacetKind::from_name(kind)?, spelling))
    }

    /// The `entity_spelling` term of an unusual spelling: kind, key,
    /// spelling. Terms of one key sort together, so a facet value's
    /// unusual spellings are one dictionary range.
    pub fn spelling_term(self, key: &str, spelling: &str) -> String {
        let mut term = self.spelling_prefix(key);
        term.push_str(spelling);
        term
    }

    /// An `entity_spelling` term split into its [`FacetKind::spelling_prefix`]
    /// and its spelling; `None` when it lacks the two separators.
    pub fn split_spelling_term(term: &[u8]) -> Option<(&[u8], &[u8])> {
        let separator = SPELLING_SEPARATOR as u8;
        let mut separators = term.iter().enumerate().filter(|(_, &b)| b == separator);
        let (second, _) = separators.nth(1)?;
        Some(term.split_at(second + 1))
    }

    /// What every `entity_spelling` term of `key` starts with.
    pub fn spelling_prefix(self, key: &str) -> String {
        format!(
            "{}{SPELLING_SEPARATOR}{key}{SPELLING_SEPARATOR}",
            self.name()
        )
    }

    /// How a value of this kind with this key is usually written: each
    /// word capitalised ("William Burns", "Al-Thani", "O'Neill", "McCain",
    /// "U.S."), name particles after the first word in lower case ("Bank
    /// of England", "bin"), and for organisations short single words and
    /// words without a vowel in capitals ("CIA", "OPEC", "BBC News").
    /// Only spellings that differ are indexed in `entity_spelling` (about
    /// 7% of the values of a news archive); the articles that spell a key
    /// the usual way are the key's count minus those.
    pub fn usual_spelling(self, key: &str) -> String {
        let words: Vec<&str> = key.split(' ').collect();
        let mut out = String::with_capacity(key.len());
        for (k, word) in words.iter().enumerate() {
            if k > 0 {
                out.push(' ');
            }
            let letters = !word.is_empty() && word.chars().all(|c| c.is_ascii_alphabetic());
            let acronym = self == FacetKind::Org
                && letters
                && ((words.len() == 1 && word.len() <= 4)
                    || !word.chars().any(|c| "aeiouy".contains(c)));
            let particle = NAME_PARTICLES.contains(word) || LINKING_WORDS.contains(word);
            if k > 0 && particle {
                out.push_str(word);
            } else if acronym {
                out.push_str(&word.to_uppercase());
            } else {
                capitalise_name_part(word, &mut out);
            }
        }
        out
    }
}

/// Linking words that stay in lower case inside a name besides the
/// [`NAME_PARTICLES`] ("Bank for International Settlements").
const LINKING_WORDS: &[&str] = &["for", "on", "in", "at", "to"];

/// Separates kind, key and spelling in `entity_name` and
/// `entity_spelling`; names never contain it.
pub const SPELLING_SEPARATOR: char = '\u{1f}';

/// The facet key of an entity value: lower case, folded to ASCII, as the
/// name tokenizer folds. "Texaco" and "TEXACO", "Willy De Clercq" and
/// "Willy de Clercq" are one value: wire copy spells a name differently
/// in capitals headlines, and facets should not split its count.
pub fn name_key(value: &str) -> String {
    thread_local! {
        static FOLDER: std::cell::RefCell<TextAnalyzer> =
            std::cell::RefCell::new(key_analyzer());
    }
    FOLDER.with(|folder| {
        let mut folder = folder.borrow_mut();
        let mut stream = folder.token_stream(value);
        let mut key = String::with_capacity(value.len());
        while let Some(token) = stream.next() {
            key.push_str(&token.text);
        }
        key
    })
}

/// Resolved field handles of a newsdex schema.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    /// Article id (`path`, `path#LINE`, …); raw, stored, fast.
    pub id: Field,
    /// Source file relative to the corpus root; raw, stored, fast. The unit
    /// of incremental updates: all articles of a file are replaced together.
    pub path: Field,
    /// xxh3 hash of the source file's bytes; fast.
    pub file_hash: Field,
    pub title: Field,
    pub body: Field,
    pub date: Field,
    pub source: Field,
    pub url: Field,
    pub author: Field,
    pub tags: Field,
    /// Entity text fields, searchable by name parts.
    pub person: Field,
    pub country: Field,
    pub org: Field,
    pub place: Field,
    /// Hierarchical facet of [`name_key`]s: `/person/william burns`,
    /// `/country/egypt`, `/org/cia` (places are only searchable text, in
    /// `place`).
    pub entity: Field,
    /// The article's spellings of its entities, in order of mention, for
    /// display ([`FacetKind::stored_name`]); stored only.
    pub entity_name: Field,
    /// The spellings that differ from [`FacetKind::usual_spelling`]
    /// ([`FacetKind::spelling_term`]), so that a facet value is shown in
    /// the archive's most common spelling; indexed only.
    pub entity_spelling: Field,
    /// Editors' tags (Reuters-21578), raw and stored, never mixed with extracted entities.
    pub tag_places: Field,
    pub tag_people: Field,
}

impl Fields {
    /// Resolves the fields of `schema`, failing when it is not a newsdex schema.
    pub fn resolve(schema: &Schema) -> tantivy::Result<Fields> {
        let get = |name: &str| schema.get_field(name);
        Ok(Fields {
            id: get(names::ID)?,
            path: get(names::PATH)?,
            file_hash: get(names::FILE_HASH)?,
            title: get(names::TITLE)?,
            body: get(names::BODY)?,
            date: get(names::DATE)?,
            source: get(names::SOURCE)?,
            url: get(names::URL)?,
            author: get(names::AUTHOR)?,
            tags: get(names::TAGS)?,
            person: get(names::PERSON)?,
            country: get(names::COUNTRY)?,
            org: get(names::ORG)?,
            place: get(names::PLACE)?,
            entity: get(names::ENTITY)?,
            entity_name: get(names::ENTITY_NAME)?,
            entity_spelling: get(names::ENTITY_SPELLING)?,
            tag_places: get(names::TAG_PLACES)?,
            tag_people: get(names::TAG_PEOPLE)?,
        })
    }
}

/// Builds the newsdex schema.
pub fn build() -> Schema {
    let mut builder = Schema::builder();
    let raw_fast_stored = STRING | STORED | FAST;
    builder.add_text_field(names::ID, raw_fast_stored.clone());
    builder.add_text_field(names::PATH, raw_fast_stored);
    builder.add_u64_field(names::FILE_HASH, NumericOptions::default().set_fast());

    // Positions make phrase queries work; stored text feeds snippets and output.
    let stemmed = TextOptions::default().set_stored().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(STEMMED_TOKENIZER)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    builder.add_text_field(names::TITLE, stemmed.clone());
    builder.add_text_field(names::BODY, stemmed);

    builder.add_date_field(
        names::DATE,
        DateOptions::default()
            .set_indexed()
            .set_fast()
            .set_stored()
            .set_precision(DateTimePrecision::Seconds),
    );

    let name_indexing = TextFieldIndexing::default()
        .set_tokenizer(NAME_TOKENIZER)
        .set_index_option(IndexRecordOption::WithFreqsAndPositions);
    let names_stored = TextOptions::default()
        .set_stored()
        .set_indexing_options(name_indexing.clone());
    let names_unstored = TextOptions::default().set_indexing_options(name_indexing);
    builder.add_text_field(names::SOURCE, names_stored.clone());
    builder.add_text_field(names::URL, STRING | STORED);
    builder.add_text_field(names::AUTHOR, names_stored.clone());
    builder.add_text_field(names::TAGS, names_stored);
    // Entity values are displayed from `entity_name`, so the text fields
    // only need to be searchable.
    builder.add_text_field(names::PERSON, names_unstored.clone());
    builder.add_text_field(names::COUNTRY, names_unstored.clone());
    builder.add_text_field(names::ORG, names_unstored.clone());
    builder.add_text_field(names::PLACE, names_unstored);
    builder.add_facet_field(names::ENTITY, FacetOptions::default());
    builder.add_text_field(names::ENTITY_NAME, STORED);
    builder.add_text_field(
        names::ENTITY_SPELLING,
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer("raw")
                .set_index_option(IndexRecordOption::Basic)
                .set_fieldnorms(false),
        ),
    );

    builder.add_text_field(names::TAG_PLACES, STRING | STORED);
    builder.add_text_field(names::TAG_PEOPLE, STRING | STORED);
    builder.build()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_queryable_field_exists_in_the_schema() {
        let schema = build();
        for name in QUERYABLE_FIELDS {
            assert!(schema.get_field(name).is_ok(), "missing field {name}");
        }
        Fields::resolve(&schema).expect("the schema resolves into Fields");
    }

    #[test]
    fn name_keys_ignore_case_and_accents_but_keep_punctuation() {
        assert_eq!(name_key("TEXACO"), name_key("Texaco"));
        assert_eq!(name_key("Willy De Clercq"), "willy de clercq");
        assert_eq!(name_key("Rafaḩ"), "rafah");
        assert_eq!(name_key("Côte d'Ivoire"), "cote d'ivoire");
        assert_eq!(name_key("Royal Dutch/Shell"), "royal dutch/shell");
        assert_ne!(name_key("E.F. Hutton"), name_key("EF Hutton"));
        assert_eq!(name_key(""), "");
    }

    #[test]
    fn stored_names_parse_back_and_spelling_terms_group_by_key() {
        let stored = FacetKind::Org.stored_name("TEXACO");
        assert_eq!(
            FacetKind::parse_stored_name(&stored),
            Some((FacetKind::Org, "TEXACO"))
        );
        assert_eq!(FacetKind::parse_stored_name("org"), None);
        assert_eq!(FacetKind::parse_stored_name("colour\u{1f}Red"), None);
        let term = FacetKind::Org.spelling_term(&name_key("TEXACO"), "TEXACO");
        assert!(term.starts_with(&FacetKind::Org.spelling_prefix("texaco")));
        assert!(term.ends_with("TEXACO"));
    }

    #[test]
    fn usual_spellings_capitalise_name_parts() {
        let usual = |kind: FacetKind, spelling: &str| kind.usual_spelling(&name_key(spelling));
        for (kind, spelling) in [
            (FacetKind::Person, "William Burns"),
            (FacetKind::Person, "Mohammed bin Abdulrahman Al-Thani"),
            (FacetKind::Person, "Brian O'Driscoll"),
            (FacetKind::Person, "Paul McCartney"),
            (FacetKind::Person, "E.F. Hutton"),
            (FacetKind::Country, "Bosnia and Herzegovina"),
            (FacetKind::Org, "Bank of England"),
            (FacetKind::Org, "CIA"),
            (FacetKind::Org, "OPEC"),
            (FacetKind::Org, "BBC News"),
            (FacetKind::Org, "Moody's"),
            (FacetKind::Org, "Texaco"),
        ] {
            assert_eq!(usual(kind, spelling), spelling);
        }
        // These are indexed as unusual spellings.
        for (kind, spelling) in [
            (FacetKind::Org, "TEXACO"),
            (FacetKind::Org, "Fed"),
            (FacetKind::Org, "PaineWebber"),
            (FacetKind::Person, "Willy De Clercq"),
            (FacetKind::Person, "Inzamam-ul-Haq"),
            (FacetKind::Country, "Côte d'Ivoire"),
        ] {
            assert_ne!(usual(kind, spelling), spelling);
        }
        assert_eq!(FacetKind::Person.usual_spelling(""), "");
        assert_eq!(FacetKind::Org.usual_spelling("mc"), "MC");
        assert_eq!(FacetKind::Person.usual_spelling("mc"), "Mc");
    }
}
