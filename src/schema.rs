//! The tantivy schema: the only place that spells field names.
//!
//! Everything else refers to fields through [`Fields`], so renaming or
//! re-typing a field happens here and bumps [`SCHEMA_VERSION`], which makes
//! old indexes ask for `--rebuild` instead of misbehaving.

use tantivy::schema::{
    DateOptions, DateTimePrecision, FacetOptions, Field, IndexRecordOption, NumericOptions, Schema,
    TextFieldIndexing, TextOptions, FAST, STORED, STRING,
};

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
/// the few stale values, and `--rebuild` refreshes them.
pub const SCHEMA_VERSION: u32 = 4;

/// Tokenizer for title and body: lower-case, English stemming.
pub const STEMMED_TOKENIZER: &str = "en_stem";
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

    /// The facet for one value, e.g. `/person/William Burns`. Built from
    /// path steps so that a `/` inside a name stays part of the name.
    pub fn facet(self, value: &str) -> tantivy::schema::Facet {
        tantivy::schema::Facet::from_path([self.name(), value])
    }
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
    /// Hierarchical facet: `/person/William Burns`, `/country/Egypt`, `/org/CIA`
    /// (places are only searchable text, in `place`).
    pub entity: Field,
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
    // Entity values are displayed from the stored facet, so the text
    // fields only need to be searchable.
    builder.add_text_field(names::PERSON, names_unstored.clone());
    builder.add_text_field(names::COUNTRY, names_unstored.clone());
    builder.add_text_field(names::ORG, names_unstored.clone());
    builder.add_text_field(names::PLACE, names_unstored);
    builder.add_facet_field(names::ENTITY, FacetOptions::default().set_stored());

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
}
