//! Aliases across the archive: names that stand for a longer name other
//! articles of the archive use.
//!
//! - Persons: a surname that articles use alone ("Reagan", 385
//!   Reuters-21578 stories) stands for the one full name the archive's
//!   other articles mostly write ("Ronald Reagan", 23 of the 26 stories
//!   that name a Reagan in full).
//! - Organisations: an abbreviated name ("Lib Dems", "Salomon Bros") stands
//!   for the full one ("Liberal Democrats", "Salomon Brothers"), each word
//!   the same, the beginning of its counterpart, or a beginning followed by
//!   consonants that end in the same letter ("Utd", "Bros", "Mfg"; see
//!   [`abbreviates_word`]).
//! - Acronyms: an organisation's name spelled out ("Securities and Exchange
//!   Commission") stands for the acronym ("SEC") when the acronym's
//!   articles show that it does ([`acronym_links`]).
//! - Punctuation: organisation names that differ only in punctuation
//!   ("Goldman Sachs", "Goldman, Sachs") are one ([`punctuation_links`]).
//! - Designations: an organisation's name without the word that ends it
//!   ("Labour", "Ford", "Conservatives") stands for the full name
//!   ("Labour Party", "Ford Motor", "Conservative Party";
//!   [`designation_links`]).
//! - Other names: a nickname or short form no rule derives ("Tories",
//!   "Fed", "G-7") stands for the usual name the gazetteer gives
//!   ("Conservative Party", "Federal Reserve", "Group of Seven";
//!   [`synonym_links`]).
//! - Persons that are organisations: a "person" the archive names as an
//!   organisation far more often ("Chrysler", "Citicorp", "Reuter") is
//!   that organisation ([`persons_as_orgs`]); its articles count for the
//!   organisation, not in the person facet, and an `--org` filter takes
//!   them in while a `--person` filter leaves them out.
//!
//! Normalisation links these within one article; these links are across
//! articles. They are worked out after each indexing run from the facet
//! values' document frequencies (and, for acronyms, the articles' text)
//! and kept beside the index ([`FILE_NAME`]). Facet counts add an alias's
//! articles to the name it stands for, and a `--person` or `--org` filter
//! for either name takes them in. An article that has both gives only one
//! name (normalisation takes the longer name for a shorter one, the
//! acronym for its expansion), so the sets of articles are disjoint and the
//! sum is exact.
//!
//! A surname or abbreviation is linked only when it is clear: the longer name is in at least
//! [`MIN_TARGET_ARTICLES`] articles, in at least as many as the alias, and
//! in at least three in four of the articles that name any longer form of
//! it ("Brown" in Reuters-21578, shared by William, Willard and Walter
//! Brown, is not linked). A surname that is a common first name stands for
//! nobody in particular ("Charles" may be the prince as well as Ray
//! Charles), nor does one that is as much an organisation's name
//! ("Reuter").

use std::collections::HashMap;
use std::path::Path;

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::Deserialize;
use tantivy::collector::Count;
use tantivy::directory::error::{OpenDirectoryError, OpenReadError};
use tantivy::directory::{Directory, MmapDirectory, OwnedBytes};
use tantivy::fastfield::FacetReader;
use tantivy::index::SegmentId;
use tantivy::query::{BooleanQuery, Query};
use tantivy::schema::Field;
use tantivy::tokenizer::TextAnalyzer;
use tantivy::Searcher;

use crate::analyzer::phrase_query;
use crate::entities::gazetteer;
use crate::entities::normalize::{
    drops_designation, initials_spellings, shortens, stands_for, without_punctuation,
};
use crate::error::{Error, Result};
use crate::schema::{name_key, FacetKind};

mod stored;

pub use stored::AliasOrds;
use stored::Links;

/// The file in the index folder that holds the aliases ([`stored`]).
pub const FILE_NAME: &str = "aliases.bin";

/// The JSON file that held them before: still read, replaced by the next
/// indexing run.
pub const LEGACY_FILE_NAME: &str = "aliases.json";

/// Fewest articles naming the longer name for an alias to stand for it.
pub const MIN_TARGET_ARTICLES: u32 = 10;

/// A surname given to at least this many US babies as a first name is
/// ambiguous alone ("Charles", "John") and stands for nobody in particular.
const AMBIGUOUS_FIRST_NAME_BIRTHS: u32 = 100_000;

/// Organisation names with the same initials beyond this many are left
/// unlinked, so that linking stays fast on any archive.
const MAX_ORG_GROUP: usize = 20_000;

/// Fewest articles that write an acronym and spell it out for the
/// expansion's other articles to count for the acronym.
pub const MIN_SPELLED_OUT: u32 = 3;

/// The version of the rules and of the file, saved with the aliases: 2
/// added acronyms and punctuation variants, 3 the compact file
/// ([`stored`]), 4 names without their designation, 5 persons that are
/// organisations.
const VERSION: u32 = 5;

/// Longest acronym linked to its expansion across articles.
const MAX_ACRONYM_LETTERS: usize = 6;

/// Words an acronym leaves out: "Organization of Petroleum Exporting
/// Countries" is OPEC, "Food and Drug Administration" FDA.
const UNABBREVIATED_WORDS: [&str; 12] = [
    "of", "and", "the", "for", "on", "in", "to", "at", "de", "du", "des", "&",
];

/// The kinds that have aliases.
const KINDS: [FacetKind; 2] = [FacetKind::Person, FacetKind::Org];

/// Aliases and the names they stand for, as facet keys
/// ([`crate::schema::name_key`]: "reagan" → "ronald reagan").
#[derive(Debug, Default, Clone, PartialEq, Eq, Deserialize)]
pub struct Aliases {
    /// Lone surname → full name.
    person: Links,
    /// Abbreviated organisation name, or expansion of an acronym → full
    /// name, or the acronym.
    org: Links,
    /// Person → the organisation it is ([`persons_as_orgs`]).
    #[serde(default)]
    person_org: Links,
    /// Per segment (by id) of the index the aliases were worked out on:
    /// the ordinals of the aliases it holds. Looking them up costs about a
    /// microsecond per name, tens of milliseconds per query for a
    /// million-article archive's thousands of aliases; segments never
    /// change, so this is done once.
    #[serde(default)]
    segments: FxHashMap<String, AliasOrds>,
    /// The rules' version ([`VERSION`]) when the aliases were worked out;
    /// 0 in files from before it was kept.
    #[serde(default)]
    version: u32,
}

impl Aliases {
    /// Aliases from (key, number of articles) pairs of persons and of
    /// organisations.
    pub fn from_counts<'a>(
        persons: impl IntoIterator<Item = (&'a str, u32)>,
        orgs: impl IntoIterator<Item = (&'a str, u32)>,
    ) -> Aliases {
        let orgs: HashMap<&str, u32> = orgs.into_iter().collect();
        Aliases {
            person: person_links(persons, &orgs).into_iter().collect(),
            org: org_links(&orgs).into_iter().collect(),
            version: VERSION,
            ..Aliases::default()
        }
    }

    /// Aliases of `kind` from (alias, target) key pairs, as given.
    #[cfg(test)]
    pub(crate) fn from_links(kind: FacetKind, links: &[(&str, &str)]) -> Aliases {
        let links = links
            .iter()
            .map(|&(alias, target)| (alias.to_string(), target.to_string()))
            .collect();
        let mut aliases = Aliases::default();
        match kind {
            FacetKind::Person => aliases.person = links,
            _ => aliases.org = links,
        }
        aliases
    }

    /// These aliases, and persons that are the organisations of `links`'
    /// (person, organisation) key pairs.
    #[cfg(test)]
    pub(crate) fn with_persons_as_orgs(mut self, links: &[(&str, &str)]) -> Aliases {
        self.person_org = links
            .iter()
            .map(|&(person, org)| (person.to_string(), org.to_string()))
            .collect();
        self
    }

    /// Were these aliases worked out by the rules of this version? Older
    /// ones are worked out again, even over an unchanged archive.
    pub fn is_current(&self) -> bool {
        self.version == VERSION
    }

    fn links(&self, kind: FacetKind) -> Option<&Links> {
        match kind {
            FacetKind::Person => Some(&self.person),
            FacetKind::Org => Some(&self.org),
            _ => None,
        }
    }

    /// The aliases of the persons and organisations in the index
    /// `searcher` reads, from the document frequencies of the `entity`
    /// facet field's values (articles deleted since the last merge still
    /// count: a few stale articles do not change which name leads).
    /// Organisation names that differ only in punctuation are one
    /// ([`punctuation_links`]), and acronyms are linked to their expansions
    /// by what the `body` field's articles write ([`acronym_links`]).
    pub fn compute(searcher: &Searcher, entity: Field, body: Field) -> tantivy::Result<Aliases> {
        let field_name = searcher.schema().get_field_name(entity).to_string();
        let articles = Articles {
            searcher,
            entity,
            body,
            analyzer: searcher.index().tokenizer_for_field(body)?,
        };
        let persons = article_counts(searcher, entity, FacetKind::Person)?;
        let mut orgs = article_counts(searcher, entity, FacetKind::Org)?;
        let variants = punctuation_links(&articles, &orgs)?;
        // A variant's articles are its main spelling's for the other rules.
        for (variant, main) in &variants {
            let n = orgs.remove(variant).unwrap_or(0);
            *orgs.entry(main.clone()).or_default() += n;
        }
        let mut aliases = Aliases::from_counts(
            persons.iter().map(|(key, &n)| (key.as_str(), n)),
            orgs.iter().map(|(key, &n)| (key.as_str(), n)),
        );
        let orgs: HashMap<&str, u32> = orgs.iter().map(|(key, &n)| (key.as_str(), n)).collect();
        // Normalisation keeps one of an article's names that shorten each
        // other, but an index made by an earlier version may hold both:
        // each shortening must share no article with its full name and the
        // full name's other shortenings, or it would count twice.
        let shortenings: Vec<(String, String)> = aliases
            .org
            .iter()
            .map(|(alias, target)| (alias.to_string(), target.to_string()))
            .collect();
        aliases.org = Links::default();
        let found = articles.link_apart(&aliases, shortenings)?;
        aliases.org.extend(found);
        // A main spelling that stands for a longer name takes its variant
        // along.
        let found = articles.link_apart(&aliases, variants)?;
        aliases.org.extend(found);
        // Normalisation merges a name without its designation into the
        // full name within an article; an index made before it did may
        // hold both in one article, and keeps them apart.
        let designations = designation_links(&orgs)
            .into_iter()
            .filter(|(alias, _)| {
                aliases.target(FacetKind::Org, alias).is_none()
                    && aliases.sources(FacetKind::Org, alias).next().is_none()
            })
            .map(|(alias, leader)| (alias.to_string(), leader.to_string()));
        let found = articles.link_apart(&aliases, designations)?;
        aliases.org.extend(found);
        let synonyms = synonym_links(&orgs)
            .into_iter()
            .filter(|(alias, _)| aliases.target(FacetKind::Org, alias).is_none());
        let found = articles.link_apart(&aliases, synonyms)?;
        aliases.org.extend(found);
        let acronyms = acronym_links(&articles, &orgs, &aliases)?;
        aliases.org.extend(acronyms);
        // An alias of an expansion that shares an article with the acronym
        // was not taken along: it stands on its own again, as no alias may
        // stand for a name that is itself an alias.
        let org = aliases.org.clone();
        aliases.org.retain(|_, target| org.target(target).is_none());
        let candidates = persons_as_orgs(&persons, &orgs, &aliases);
        aliases.person_org = articles
            .persons_apart(&aliases, candidates)?
            .into_iter()
            .collect();
        for segment in searcher.segment_readers() {
            let ords = aliases.ordinals(&segment.facet_reader(&field_name)?)?;
            aliases
                .segments
                .insert(segment.segment_id().uuid_string(), ords);
        }
        Ok(aliases)
    }

    /// The aliases' ordinals in a segment's facet dictionary: saved when
    /// the aliases were worked out on this segment, else looked up.
    pub fn segment_ordinals(
        &self,
        segment: SegmentId,
        reader: &FacetReader,
    ) -> std::io::Result<AliasOrds> {
        match self.segments.get(&segment.uuid_string()) {
            Some(ords) => Ok(ords.clone()),
            None => self.ordinals(reader),
        }
    }

    /// Looks up the aliases' ordinals in a segment's facet dictionary.
    /// Where the segment lacks a target but has several of its aliases,
    /// the first of them stands in for it and the others fold into that
    /// one, so that every name keeps one ordinal per segment (facet
    /// counting's exact top-k relies on it).
    fn ordinals(&self, reader: &FacetReader) -> std::io::Result<AliasOrds> {
        let mut ords = Vec::new();
        // (kind, missing target) → its aliases' ordinals here, each with
        // whether the alias is of another kind.
        let mut orphans: HashMap<(FacetKind, &str), Vec<(bool, u32)>> = HashMap::new();
        let ord = |kind: FacetKind, key: &str| -> std::io::Result<Option<u32>> {
            let facet = kind.facet(key);
            let ord = reader
                .facet_dict()
                .term_ord(facet.encoded_str().as_bytes())?;
            // Distinct values are no more than values, which tantivy
            // numbers with u32 row ids.
            ord.map(|ord| u32::try_from(ord).map_err(std::io::Error::other))
                .transpose()
        };
        for ((alias_kind, alias), (kind, target)) in self.pairs() {
            if let Some(from) = ord(alias_kind, alias)? {
                match ord(kind, target)? {
                    Some(to) => ords.push((from, Some(to))),
                    None => orphans
                        .entry((kind, target))
                        .or_default()
                        .push((alias_kind != kind, from)),
                }
            }
        }
        for from in orphans.into_values() {
            // An alias of the target's own kind stands in where there is
            // one; one of another kind folds into itself, which marks it
            // as counted for the target ([`AliasOrds::stand_ins_of_other_kind`]).
            let Some(&(other_kind, stand_in)) = from.iter().min() else {
                continue;
            };
            ords.extend(from.into_iter().map(|(_, ord)| {
                let into = (ord != stand_in || other_kind).then_some(stand_in);
                (ord, into)
            }));
        }
        ords.sort_unstable(); // the same file from the same index
        Ok(AliasOrds::new(ords))
    }

    /// The aliases saved in index folder `index` ([`FILE_NAME`], else the
    /// JSON file of earlier versions); none when it has neither (an index
    /// built before aliases existed).
    pub fn load(index: &Path) -> Result<Aliases> {
        let path = index.join(FILE_NAME);
        match read_in_place(index, FILE_NAME)? {
            Some(bytes) => {
                stored::decode(bytes).map_err(|reason| Error::IndexFileDamaged { path, reason })
            }
            None => read_legacy(index),
        }
    }

    /// Saves the aliases into index folder `index`, replacing the file
    /// whole (written aside, then renamed), so a reader never sees half.
    /// The JSON file of an earlier version goes.
    pub fn save(&self, index: &Path) -> Result<()> {
        let path = index.join(FILE_NAME);
        let partial = index.join(format!("{FILE_NAME}.partial"));
        let io = |source| Error::Io {
            context: format!("writing {}", path.display()),
            source,
        };
        std::fs::write(&partial, stored::encode(self)).map_err(io)?;
        std::fs::rename(&partial, &path).map_err(io)?;
        let legacy = index.join(LEGACY_FILE_NAME);
        match std::fs::remove_file(&legacy) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(Error::Io {
                context: format!("removing {}", legacy.display()),
                source: e,
            }),
            _ => Ok(()),
        }
    }

    /// The key that the `kind` key `alias` stands for.
    pub fn target(&self, kind: FacetKind, alias: &str) -> Option<&str> {
        self.links(kind)?.target(alias)
    }

    /// The keys that stand for the `kind` key `target`, sorted.
    pub fn sources<'a>(
        &'a self,
        kind: FacetKind,
        target: &'a str,
    ) -> impl Iterator<Item = &'a str> + 'a {
        self.links(kind)
            .into_iter()
            .flat_map(move |links| links.sources(target))
    }

    /// The organisation the person key `person` is ([`persons_as_orgs`]).
    pub fn organisation_of_person(&self, person: &str) -> Option<&str> {
        self.person_org.target(person)
    }

    /// Every facet value whose articles count for the `kind` key `target`:
    /// the target itself, its aliases, and the persons that are it when it
    /// is an organisation.
    pub fn counted_as<'a>(
        &'a self,
        kind: FacetKind,
        target: &'a str,
    ) -> impl Iterator<Item = (FacetKind, &'a str)> + 'a {
        let persons = match kind {
            FacetKind::Org => Some(self.person_org.sources(target)),
            _ => None,
        };
        std::iter::once(target)
            .chain(self.sources(kind, target))
            .map(move |key| (kind, key))
            .chain(
                persons
                    .into_iter()
                    .flatten()
                    .map(|key| (FacetKind::Person, key)),
            )
    }

    /// ((kind, alias), (kind, target)) pairs of facet values, in no
    /// particular order.
    fn pairs(&self) -> impl Iterator<Item = ((FacetKind, &str), (FacetKind, &str))> {
        let same_kind = KINDS.into_iter().flat_map(move |kind| {
            self.links(kind)
                .into_iter()
                .flat_map(Links::iter)
                .map(move |(alias, target)| ((kind, alias), (kind, target)))
        });
        let persons = self
            .person_org
            .iter()
            .map(|(person, org)| ((FacetKind::Person, person), (FacetKind::Org, org)));
        same_kind.chain(persons)
    }

    /// How many aliases of `kind` there are.
    pub fn count(&self, kind: FacetKind) -> usize {
        self.links(kind).map_or(0, |links| links.len())
    }

    /// How many persons are organisations.
    pub fn persons_as_orgs(&self) -> usize {
        self.person_org.len()
    }

    pub fn is_empty(&self) -> bool {
        self.person.is_empty() && self.org.is_empty() && self.person_org.is_empty()
    }
}

/// The file `name` of index folder `index`, mapped; `None` when there is
/// no such file.
fn read_in_place(index: &Path, name: &str) -> Result<Option<OwnedBytes>> {
    let path = index.join(name);
    let io = |source| Error::Io {
        context: format!("reading {}", path.display()),
        source,
    };
    let directory = match MmapDirectory::open(index) {
        Ok(directory) => directory,
        Err(OpenDirectoryError::DoesNotExist(_)) => return Ok(None),
        Err(e) => return Err(io(std::io::Error::other(e.to_string()))),
    };
    match directory.open_read(Path::new(name)) {
        Ok(file) => file.read_bytes().map(Some).map_err(io),
        Err(OpenReadError::FileDoesNotExist(_)) => Ok(None),
        Err(e) => Err(io(std::io::Error::other(e.to_string()))),
    }
}

/// The aliases in the JSON file of earlier versions; none without one.
fn read_legacy(index: &Path) -> Result<Aliases> {
    let path = index.join(LEGACY_FILE_NAME);
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Aliases::default()),
        Err(source) => {
            return Err(Error::Io {
                context: format!("reading {}", path.display()),
                source,
            })
        }
    };
    serde_json::from_str(&text).map_err(|e| Error::IndexFileDamaged {
        path,
        reason: e.to_string(),
    })
}

/// Articles per `kind` key, summed over the segments.
fn article_counts(
    searcher: &Searcher,
    entity: Field,
    kind: FacetKind,
) -> tantivy::Result<HashMap<String, u32>> {
    let (lo, hi) = kind.key_bounds();
    let mut counts: HashMap<String, u32> = HashMap::new();
    for segment in searcher.segment_readers() {
        let index = segment.inverted_index(entity)?;
        let mut stream = index.terms().range().ge(&lo).lt(&hi).into_stream()?;
        while stream.advance() {
            let key = String::from_utf8_lossy(&stream.key()[lo.len()..]);
            *counts.entry(key.into_owned()).or_default() += stream.value().doc_freq;
        }
    }
    Ok(counts)
}

/// Is `leader` (with `articles`) a clear target for an alias with
/// `alias_articles`, among longer forms with `all` articles in total?
fn clear_lead(articles: u32, alias_articles: u32, all: u32) -> bool {
    articles >= MIN_TARGET_ARTICLES
        && articles >= alias_articles
        && 4 * u64::from(articles) >= 3 * u64::from(all)
}

/// Most articles first; ties to the smaller key, so that the choice does
/// not depend on the order of the counts.
fn leads(a: (u32, &str), b: (u32, &str)) -> bool {
    (a.0, std::cmp::Reverse(a.1)) > (b.0, std::cmp::Reverse(b.1))
}

/// Lone surname → full name (see the module documentation). A surname that
/// is as much an organisation's name stands for nobody: "Reuter" alone is
/// mostly the news agency the tagger took for a person, not Stefan Reuter.
fn person_links<'a>(
    counts: impl IntoIterator<Item = (&'a str, u32)>,
    orgs: &HashMap<&str, u32>,
) -> FxHashMap<String, String> {
    let mut lone: Vec<&str> = Vec::new();
    // Surname → (articles of all its full names, leading full name, its articles).
    let mut by_surname: HashMap<&str, (u32, &str, u32)> = HashMap::new();
    for (key, articles) in counts {
        match key.rsplit_once(' ') {
            None => lone.push(key),
            Some((_, surname)) => {
                let entry = by_surname.entry(surname).or_insert((0, key, 0));
                entry.0 += articles;
                if leads((articles, key), (entry.2, entry.1)) {
                    entry.1 = key;
                    entry.2 = articles;
                }
            }
        }
    }
    let mut links = FxHashMap::default();
    for surname in lone {
        let Some(&(all, leader, articles)) = by_surname.get(surname) else {
            continue;
        };
        let organisation = organisation_named(orgs, surname, true)
            .is_some_and(|(_, org_articles)| org_articles >= articles);
        // A surname may be in more articles than the full name: most
        // stories after the first say "Reagan".
        if clear_lead(articles, 0, all) && !is_common_first_name(surname) && !organisation {
            links.insert(surname.to_string(), leader.to_string());
        }
    }
    links
}

/// Persons the archive names as an organisation far more often: the
/// tagger took "Chrysler", "Citicorp" or "Reuter" ("a Reuter survey") for
/// a person in some articles and for the organisation in many more.
/// (person key, organisation key) pairs: the organisation of the same key
/// or, for a one-word name, of its plural ("reuter" → "reuters"), or the
/// name that organisation stands for; it must be in at least
/// [`MIN_TARGET_ARTICLES`] articles and in half as many again as the
/// person. A person whose surname stands for a full name, or who is the
/// full name a surname stands for, is a person, and so is a full name that
/// begins with a common first name ("Charlotte Church", "Catherine Tate":
/// the tagger may read a name as an organisation in most of its few
/// articles) unless it is a listed company ("Eli Lilly"); companies named
/// after their founders pay for it ("Chase Manhattan" stays a person in
/// Reuters-21578). Nor is a lone common first name the plural's
/// organisation ("William" is not "Williams").
fn persons_as_orgs(
    persons: &HashMap<String, u32>,
    orgs: &HashMap<&str, u32>,
    aliases: &Aliases,
) -> Vec<(String, String)> {
    let g = gazetteer();
    let named_as_a_person = |key: &str| {
        key.split_once(' ').is_some_and(|(first, _)| {
            is_common_first_name(first) && !g.is_company(&FacetKind::Person.usual_spelling(key))
        })
    };
    let mut found: Vec<(String, String)> = persons
        .iter()
        .filter(|(key, _)| {
            aliases.person.target(key).is_none()
                && aliases.person.sources(key).next().is_none()
                && !named_as_a_person(key)
        })
        .filter_map(|(key, &articles)| {
            let (org, org_articles) = organisation_named(orgs, key, !is_common_first_name(key))?;
            let clear = org_articles >= MIN_TARGET_ARTICLES
                && 2 * u64::from(org_articles) >= 3 * u64::from(articles);
            let target = aliases.org.target(org).unwrap_or(org);
            clear.then(|| (key.clone(), target.to_string()))
        })
        .collect();
    found.sort_unstable();
    found
}

/// Is the person key word `word` a common first name, which names nobody
/// in particular alone ("Charles", "William")?
fn is_common_first_name(word: &str) -> bool {
    gazetteer()
        .first_name_births(&FacetKind::Person.usual_spelling(word))
        .is_some_and(|births| births >= AMBIGUOUS_FIRST_NAME_BIRTHS)
}

/// The organisation named like the person key `key`, with its articles:
/// the same key or, for a one-word key when `plural` allows, its plural
/// ("reuter" → "reuters"), whichever has more articles.
fn organisation_named<'o>(
    orgs: &HashMap<&'o str, u32>,
    key: &str,
    plural: bool,
) -> Option<(&'o str, u32)> {
    let plural = (plural && !key.contains(' ')).then(|| format!("{key}s"));
    [Some(key), plural.as_deref()]
        .into_iter()
        .flatten()
        .filter_map(|org| orgs.get_key_value(org))
        .map(|(&org, &n)| (org, n))
        .max_by_key(|&(org, n)| (n, std::cmp::Reverse(org)))
}

/// An organisation key's words, the key and its number of articles.
type OrgName<'a> = (Vec<&'a str>, &'a str, u32);

/// Another name of an organisation → its usual name, both in the archive:
/// nicknames and short forms no rule derives ("tories" → "conservative
/// party", "fed" → "federal reserve"; the gazetteer's `org` entries).
/// Sorted by alias.
fn synonym_links(articles: &HashMap<&str, u32>) -> Vec<(String, String)> {
    let mut links: Vec<(String, String)> = gazetteer()
        .org_synonyms()
        .map(|(name, usual)| (name_key(name), name_key(usual)))
        .filter(|(name, usual)| {
            articles.contains_key(name.as_str()) && articles.contains_key(usual.as_str())
        })
        .collect();
    links.sort_unstable();
    links.dedup();
    links
}

/// Abbreviated organisation name → full name (see the module documentation).
fn org_links(articles: &HashMap<&str, u32>) -> FxHashMap<String, String> {
    // Only names of as many words with the same initials can shorten each
    // other: compare within such groups.
    let mut groups: HashMap<String, Vec<OrgName>> = HashMap::new();
    for (&key, &n) in articles {
        let words: Vec<&str> = key.split(' ').collect();
        if words.len() < 2 {
            continue;
        }
        let initials: String = words.iter().filter_map(|w| w.chars().next()).collect();
        groups.entry(initials).or_default().push((words, key, n));
    }
    let mut links = FxHashMap::default();
    for group in groups.values().filter(|g| g.len() <= MAX_ORG_GROUP) {
        // Only a name in enough articles can lead: most names have no such
        // longer form, and are done after a look at these few.
        let leaders: Vec<&OrgName> = group
            .iter()
            .filter(|(_, _, n)| *n >= MIN_TARGET_ARTICLES)
            .collect();
        for (words, key, alone) in group {
            if !leaders
                .iter()
                .any(|(long, _, n)| n >= alone && abbreviates(words, long))
            {
                continue;
            }
            let longer: Vec<&OrgName> = group
                .iter()
                .filter(|(long, _, _)| abbreviates(words, long))
                .collect();
            let Some(leader) =
                longer
                    .iter()
                    .copied()
                    .reduce(|a, b| if leads((b.2, b.1), (a.2, a.1)) { b } else { a })
            else {
                continue;
            };
            // Other shortenings of the leader are its forms, not rivals.
            let rivals: u32 = longer
                .iter()
                .filter(|(long, other, _)| *other == leader.1 || !shortens(long, &leader.0))
                .map(|(_, _, n)| n)
                .sum();
            if clear_lead(leader.2, *alone, rivals) {
                links.insert(key.to_string(), leader.1.to_string());
            }
        }
    }
    // A leader tied with a longer form of its own links on; follow it.
    let targets: Vec<String> = links.keys().cloned().collect();
    for alias in targets {
        let mut target = links[&alias].clone();
        for _ in 0..8 {
            match links.get(&target) {
                Some(next) if *next != alias => target = next.clone(),
                _ => break,
            }
        }
        links.insert(alias, target);
    }
    keep_one_alias_per_article(links, articles)
}

/// Organisation names without their designation → the full name ("labour"
/// → "labour party", "ford" → "ford motor", "conservatives" →
/// "conservative party"; see [`drops_designation`]), when the full name
/// is in at least [`MIN_TARGET_ARTICLES`] articles and in three in four of
/// those that name any longer name beginning alike ("ford motor credit"
/// is another company; "general" stands for none of "general motors",
/// "general electric" and "general mills"). Sorted by alias.
fn designation_links<'a>(articles: &HashMap<&'a str, u32>) -> Vec<(&'a str, &'a str)> {
    let mut keys: Vec<&str> = articles.keys().copied().collect();
    keys.sort_unstable();
    let mut links = Vec::new();
    for &alias in &keys {
        let short: Vec<&str> = alias.split(' ').collect();
        // Longer names beginning with the alias, or with its singular, as
        // (key, articles, words).
        let mut longer: Vec<(&str, u32, Vec<&str>)> = Vec::new();
        let singular = alias.strip_suffix('s').filter(|s| !s.is_empty());
        for stem in [Some(alias), singular].into_iter().flatten() {
            let prefix = format!("{stem} ");
            let from = keys.partition_point(|k| *k < prefix.as_str());
            longer.extend(
                keys[from..]
                    .iter()
                    .take_while(|k| k.starts_with(&prefix))
                    .map(|&k| (k, articles[k], k.split(' ').collect())),
            );
        }
        let Some(leader) = longer
            .iter()
            .filter(|(_, _, words)| drops_designation(&short, words))
            .reduce(|a, b| if leads((b.1, b.0), (a.1, a.0)) { b } else { a })
        else {
            continue;
        };
        // The leader's own shorter forms are not rivals ("salomon bros"
        // of "salomon brothers").
        let all: u32 = longer
            .iter()
            .filter(|(key, _, words)| *key == leader.0 || !stands_for(words, &leader.2))
            .map(|(_, n, _)| n)
            .sum();
        if clear_lead(leader.1, 0, all) {
            links.push((alias, leader.0));
        }
    }
    links
}

/// Is `short` an abbreviation of `long`, word for word: as many words
/// (two or more), each the same or abbreviated ([`abbreviates_word`]), one
/// at least abbreviated? Stricter than normalisation's [`shortens`], which
/// sees both names in one article: across articles "Sun Electric" is no
/// "Samsung Electronics", nor "La Nation" "Leucadia National".
fn abbreviates(short: &[&str], long: &[&str]) -> bool {
    short.len() >= 2
        && short.len() == long.len()
        && short.iter().zip(long).all(|(s, l)| abbreviates_word(s, l))
        // What normalisation merges within an article, so that no article
        // counts for both names.
        && shortens(short, long)
}

/// Is the word `short` the word `long`, its singular ("Motor" of
/// "Motors"), or an abbreviation of three letters or more at most half as
/// long: its beginning ("Lib" of "Liberal", "Man" of "Manchester"), or a
/// beginning followed by consonants only that end in the same letter
/// ("Utd" of "United", "Bros" of "Brothers", "Mfg" of "Manufacturing",
/// "Dems" of "Democrats")? Words of a name that merely begin alike ("West"
/// and "Western", "Final" and "Financial") are other names.
fn abbreviates_word(short: &str, long: &str) -> bool {
    let (short, long) = (
        short.trim_end_matches(['.', ',']),
        long.trim_end_matches(['.', ',']),
    );
    if short == long {
        return true;
    }
    let plural = long
        .strip_prefix(short)
        .is_some_and(|ending| ending == "s" || ending == "es");
    if plural {
        return true;
    }
    // "Sea" is no "Sea-Alaska", as "United" is no "United-Arsenal".
    let hyphenated = long.contains(['-', '/']) && !short.contains(['-', '/']);
    if short.chars().count() < 3 || 2 * short.len() > long.len() || hyphenated {
        return false;
    }
    if long.starts_with(short) {
        return true;
    }
    let is_vowel = |c: char| matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y');
    short.chars().last() == long.chars().last()
        && short.char_indices().skip(1).any(|(at, _)| {
            let (start, consonants) = short.split_at(at);
            long.starts_with(start)
                && !consonants.chars().any(is_vowel)
                && in_order(consonants, &long[at..])
        })
}

/// Do the letters of `part` appear in `whole` in order?
fn in_order(part: &str, whole: &str) -> bool {
    let mut rest = whole.chars();
    part.chars().all(|c| rest.any(|w| w == c))
}

/// Links the expansion of an acronym ("securities and exchange
/// commission", 425 Reuters-21578 stories) to the acronym ("sec", 129),
/// when the archive's articles show that the one stands for the other.
/// Normalisation makes the acronym the value of an article that uses both;
/// an article that spells the name out without the acronym keeps the
/// expansion. Initials alone are no evidence ("UN" is no "U.S. Navy", and
/// CBS in Reuters-21578 is the network, not the Dutch "Central Bureau of
/// Statistics"), so the expansion must be written out in at least
/// [`MIN_SPELLED_OUT`] of the acronym's articles (109 of SEC's 129), in at
/// least three in four of those that spell out any name with its initials
/// (the "International Coffee Organization", not the cocoa one, in ICO's),
/// and in at least half of the acronym's articles, or in half of all those
/// that spell it out (OPEC is rarely spelled out, but then with "OPEC").
/// Spellings of one expansion count together ("Organisation" and
/// "Organization", "Securities" and "Security"; see [`spelling_group`]),
/// and the expansion's own aliases follow it. A name that shares an
/// article with the acronym or with another of its names (both would be
/// values of one article, which would count twice) is left out.
fn acronym_links(
    articles: &Articles,
    orgs: &HashMap<&str, u32>,
    aliases: &Aliases,
) -> tantivy::Result<Vec<(String, String)>> {
    // Acronym → spelling group → its expansions.
    let mut candidates: HashMap<&str, HashMap<Vec<String>, Vec<&str>>> = HashMap::new();
    let mut analyzer = articles.analyzer.clone();
    for &key in orgs.keys() {
        if aliases.target(FacetKind::Org, key).is_some() {
            continue;
        }
        for letters in initials(key) {
            let Some((&acronym, _)) = orgs.get_key_value(letters.as_str()) else {
                continue;
            };
            if !is_acronym_key(acronym) || key.split([' ', '-']).any(|word| word == acronym) {
                continue; // "ec commission" is no expansion of "ec"
            }
            let group = spelling_group(&mut analyzer, key);
            candidates
                .entry(acronym)
                .or_default()
                .entry(group)
                .or_default()
                .push(key);
        }
    }
    // A million-article archive has thousands of acronyms with candidate
    // expansions, at a millisecond or so each: they are weighed in parallel.
    let found = candidates
        .par_iter()
        .filter(|(&acronym, _)| orgs[acronym] >= MIN_SPELLED_OUT)
        .map_init(
            || articles.analyzer.clone(),
            |analyzer, (&acronym, groups)| {
                let mut groups: Vec<Vec<&str>> = groups.values().cloned().collect();
                for names in &mut groups {
                    names.sort_unstable();
                }
                articles.expansion_of(analyzer, acronym, &groups, orgs, aliases)
            },
        )
        .collect::<tantivy::Result<Vec<_>>>()?;
    // A name that two acronyms claim ("u.s. securities": "uss" or "us")
    // stands for neither.
    let mut claims: HashMap<&str, usize> = HashMap::new();
    for (name, _) in found.iter().flatten() {
        *claims.entry(name).or_default() += 1;
    }
    Ok(found
        .iter()
        .flatten()
        .filter(|(name, _)| claims[name.as_str()] == 1)
        .cloned()
        .collect())
}

/// What the archive's articles write, for weighing an acronym's expansions.
struct Articles<'a> {
    searcher: &'a Searcher,
    entity: Field,
    body: Field,
    analyzer: TextAnalyzer,
}

impl Articles<'_> {
    /// The names (with their aliases) that stand for `acronym`, as
    /// (name, acronym) links: the names of the one spelling group of
    /// `groups` that the articles show the acronym stands for, if any (see
    /// [`acronym_links`]).
    fn expansion_of(
        &self,
        analyzer: &mut TextAnalyzer,
        acronym: &str,
        groups: &[Vec<&str>],
        orgs: &HashMap<&str, u32>,
        aliases: &Aliases,
    ) -> tantivy::Result<Vec<(String, String)>> {
        // The acronym's articles that spell each group's name out.
        let mut evidence: Vec<(usize, &[&str])> = Vec::with_capacity(groups.len());
        for names in groups {
            let spelled = self.both(
                self.named(FacetKind::Org, acronym),
                self.spelled_out(analyzer, names),
            )?;
            evidence.push((spelled, names));
        }
        let all: usize = evidence.iter().map(|(n, _)| n).sum();
        let Some((n, names)) = evidence
            .into_iter()
            .max_by_key(|&(n, names)| (n, std::cmp::Reverse(names)))
        else {
            return Ok(Vec::new());
        };
        let articles = orgs[acronym] as usize;
        if n < MIN_SPELLED_OUT as usize || 4 * n < 3 * all {
            return Ok(Vec::new());
        }
        if 2 * n < articles && 2 * n < self.count(&*self.spelled_out(analyzer, names))? {
            return Ok(Vec::new());
        }
        // The names and their aliases, most articles first, each kept if it
        // shares no article with the acronym or a name kept before it; the
        // first must be kept.
        let mut linked: Vec<&str> = names.to_vec();
        linked.extend(
            names
                .iter()
                .flat_map(|name| aliases.sources(FacetKind::Org, name)),
        );
        linked.sort_by_key(|name| {
            (
                std::cmp::Reverse(orgs.get(name).copied().unwrap_or(0)),
                *name,
            )
        });
        // The acronym's own aliases ("u.n." of "un") are counted with it too.
        let mut kept: Vec<&str> = vec![acronym];
        kept.extend(aliases.sources(FacetKind::Org, acronym));
        let already = kept.len();
        for (i, name) in linked.into_iter().enumerate() {
            if self.apart(FacetKind::Org, name, &kept)? {
                kept.push(name);
            } else if i == 0 {
                // Without its main name, a group's lesser spellings would
                // stand for the acronym alone ("Asian Development Banks").
                return Ok(Vec::new());
            }
        }
        Ok(kept[already..]
            .iter()
            .map(|name| (name.to_string(), acronym.to_string()))
            .collect())
    }

    /// The organisation links (alias, name) of `pairs` whose alias shares
    /// no article with the name, or the name it stands for, nor with any
    /// other name counted with that (its aliases, those linked before it).
    fn link_apart(
        &self,
        aliases: &Aliases,
        pairs: impl IntoIterator<Item = (String, String)>,
    ) -> tantivy::Result<Vec<(String, String)>> {
        let mut found: Vec<(String, String)> = Vec::new();
        for (alias, name) in pairs {
            let target = aliases.org.target(&name).map_or(name, str::to_string);
            let taken = found
                .iter()
                .filter(|(_, t)| *t == target)
                .map(|(a, _)| a.as_str());
            let group: Vec<&str> = aliases
                .sources(FacetKind::Org, &target)
                .chain(taken)
                .chain([target.as_str()])
                .collect();
            if self.apart(FacetKind::Org, &alias, &group)? {
                found.push((alias, target));
            }
        }
        Ok(found)
    }

    /// The (person, organisation) links of `pairs` whose person shares no
    /// article with the organisation, its aliases or the persons linked to
    /// it before: an article with both would count twice.
    fn persons_apart(
        &self,
        aliases: &Aliases,
        pairs: Vec<(String, String)>,
    ) -> tantivy::Result<Vec<(String, String)>> {
        // A million-article archive has a couple of thousand such persons,
        // at up to a millisecond or so each: organisations are weighed in
        // parallel, each one's persons in order.
        let mut by_org: HashMap<String, Vec<String>> = HashMap::new();
        for (person, org) in pairs {
            by_org.entry(org).or_default().push(person);
        }
        let found = by_org
            .into_par_iter()
            .map(|(org, persons)| {
                let mut taken: Vec<(FacetKind, &str)> =
                    aliases.counted_as(FacetKind::Org, &org).collect();
                let mut kept = Vec::new();
                for person in &persons {
                    if self.apart_from((FacetKind::Person, person), &taken)? {
                        taken.push((FacetKind::Person, person));
                        kept.push((person.clone(), org.clone()));
                    }
                }
                Ok(kept)
            })
            .collect::<tantivy::Result<Vec<_>>>()?;
        let mut found: Vec<(String, String)> = found.into_iter().flatten().collect();
        found.sort_unstable();
        Ok(found)
    }

    /// Articles with the `kind` facet value `key`.
    fn named(&self, kind: FacetKind, key: &str) -> Box<dyn Query> {
        Box::new(kind.facet_query(self.entity, key))
    }

    /// Does no article have both the `kind` value `key` and any of `others`?
    /// Facet counts add up the articles of a name's aliases, which must
    /// then be apart.
    fn apart(&self, kind: FacetKind, key: &str, others: &[&str]) -> tantivy::Result<bool> {
        let others: Vec<(FacetKind, &str)> = others.iter().map(|&other| (kind, other)).collect();
        self.apart_from((kind, key), &others)
    }

    /// The same for facet values of any kinds.
    fn apart_from(
        &self,
        (kind, key): (FacetKind, &str),
        others: &[(FacetKind, &str)],
    ) -> tantivy::Result<bool> {
        for &(other_kind, other) in others {
            if self.both(self.named(kind, key), self.named(other_kind, other))? > 0 {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// Articles whose body writes out any of the organisation keys `names`.
    fn spelled_out(&self, analyzer: &mut TextAnalyzer, names: &[&str]) -> Box<dyn Query> {
        let phrases = names
            .iter()
            .filter_map(|name| phrase_query(analyzer, self.body, name))
            .collect();
        Box::new(BooleanQuery::union(phrases))
    }

    fn count(&self, query: &dyn Query) -> tantivy::Result<usize> {
        self.searcher.search(query, &Count)
    }

    fn both(&self, a: Box<dyn Query>, b: Box<dyn Query>) -> tantivy::Result<usize> {
        self.count(&BooleanQuery::intersection(vec![a, b]))
    }
}

/// Organisation names that differ only in punctuation ("goldman, sachs"
/// and "goldman sachs", "e.f. hutton" and "ef hutton", "cable & wireless"
/// and "cable and wireless"), each linked to the spelling most articles
/// use when the two never share an article (normalisation merges them
/// within an article; they differ in the facet key).
fn punctuation_links(
    articles: &Articles,
    orgs: &HashMap<String, u32>,
) -> tantivy::Result<FxHashMap<String, String>> {
    let mut spellings: HashMap<String, Vec<(u32, &str)>> = HashMap::new();
    for (key, &n) in orgs {
        let bare = without_punctuation(key);
        // Single letters ("s" and "s.") are no names to merge.
        if bare.chars().filter(|c| c.is_alphanumeric()).count() >= 2 {
            spellings.entry(bare).or_default().push((n, key));
        }
    }
    let mut links = FxHashMap::default();
    for mut group in spellings.into_values().filter(|g| g.len() > 1) {
        group.sort_by_key(|&(n, key)| (std::cmp::Reverse(n), key));
        let mut kept = vec![group[0].1];
        for &(_, variant) in &group[1..] {
            if articles.apart(FacetKind::Org, variant, &kept)? {
                kept.push(variant);
                links.insert(variant.to_string(), group[0].1.to_string());
            }
        }
    }
    Ok(links)
}

/// The words of an organisation key that name it, as the `analyzer`
/// stems them, hyphens dropped and British spellings as American:
/// "organisation for economic co-operation" and "organization of economic
/// cooperation" are one group, and so are "security" and "securities".
fn spelling_group(analyzer: &mut TextAnalyzer, key: &str) -> Vec<String> {
    let american: Vec<String> = key
        .split(' ')
        .filter(|word| !word.is_empty() && !UNABBREVIATED_WORDS.contains(word))
        .map(|word| word.replace('-', "").replace("isation", "ization"))
        .collect();
    let american = american.join(" ");
    let mut group = Vec::new();
    let mut stream = analyzer.token_stream(&american);
    while let Some(token) = stream.next() {
        group.push(token.text.clone());
    }
    group
}

/// The initials of an organisation key's words, but for the words an
/// acronym leaves out: "securities and exchange commission" → "sec",
/// "uk independence party" → "uip" or "ukip" ([`initials_spellings`]).
fn initials(key: &str) -> Vec<String> {
    let words: Vec<&str> = key
        .split([' ', '-'])
        .filter(|word| !word.is_empty() && !UNABBREVIATED_WORDS.contains(word))
        .collect();
    initials_spellings(&words)
}

/// Could the key be an acronym: two to [`MAX_ACRONYM_LETTERS`] letters?
fn is_acronym_key(key: &str) -> bool {
    (2..=MAX_ACRONYM_LETTERS).contains(&key.len()) && key.bytes().all(|b| b.is_ascii_lowercase())
}

/// Keeps, of each name's aliases, the chain of shortenings with the most
/// articles. Normalisation keeps one of two names of an article when one
/// shortens the other ("Lib Dem" … "Lib Dems"), but both of "Liberal
/// Democrat" and "Lib Dems": counted together for "Liberal Democrats",
/// such an article would count twice.
fn keep_one_alias_per_article(
    links: FxHashMap<String, String>,
    articles: &HashMap<&str, u32>,
) -> FxHashMap<String, String> {
    let mut by_target: FxHashMap<&str, Vec<&str>> = FxHashMap::default();
    for (alias, target) in &links {
        by_target.entry(target).or_default().push(alias);
    }
    let mut kept = FxHashMap::default();
    for (target, mut aliases) in by_target {
        // A shortening is shorter: sorting by length puts it first.
        aliases.sort_by_key(|a| (a.len(), *a));
        let words: Vec<Vec<&str>> = aliases.iter().map(|a| a.split(' ').collect()).collect();
        // Heaviest chain ending at each alias, and the alias before it.
        let mut best: Vec<(u64, Option<usize>)> = Vec::with_capacity(aliases.len());
        for i in 0..aliases.len() {
            let own = u64::from(articles.get(aliases[i]).copied().unwrap_or(0));
            let before = (0..i)
                .filter(|&j| shortens(&words[j], &words[i]))
                .max_by_key(|&j| (best[j].0, std::cmp::Reverse(j)));
            best.push((own + before.map_or(0, |j| best[j].0), before));
        }
        let mut at = (0..aliases.len()).max_by_key(|&i| (best[i].0, std::cmp::Reverse(i)));
        while let Some(i) = at {
            kept.insert(aliases[i].to_string(), target.to_string());
            at = best[i].1;
        }
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    fn persons(counts: &[(&str, u32)]) -> Aliases {
        Aliases::from_counts(counts.iter().copied(), [])
    }

    fn orgs(counts: &[(&str, u32)]) -> Aliases {
        Aliases::from_counts([], counts.iter().copied())
    }

    const PERSON: FacetKind = FacetKind::Person;
    const ORG: FacetKind = FacetKind::Org;

    #[test]
    fn a_lone_surname_stands_for_the_full_name_that_clearly_leads() {
        let a = persons(&[
            ("reagan", 385),
            ("ronald reagan", 22),
            ("nancy reagan", 3),
            ("brown", 32),
            ("william brown", 3),
            ("walter brown", 1),
            ("baker", 11),
            ("james baker", 176),
            ("howard baker", 27),
            ("lawson", 7),
            ("nigel lawson", 9),
        ]);
        assert_eq!(a.target(PERSON, "reagan"), Some("ronald reagan"));
        assert_eq!(
            a.sources(PERSON, "ronald reagan").collect::<Vec<_>>(),
            ["reagan"]
        );
        // 176 of 203: 87% leads.
        assert_eq!(a.target(PERSON, "baker"), Some("james baker"));
        // Too few articles name a Brown or a Lawson in full.
        assert_eq!(a.target(PERSON, "brown"), None);
        assert_eq!(a.target(PERSON, "lawson"), None);
        assert_eq!(a.count(PERSON), 2);
        // Kinds stay apart.
        assert_eq!(a.target(ORG, "reagan"), None);
    }

    #[test]
    fn no_full_name_leads_when_several_share_the_surname() {
        let a = persons(&[("smith", 9), ("will smith", 12), ("walter smith", 5)]);
        // 12 of 17 is less than three in four.
        assert_eq!(a.target(PERSON, "smith"), None);
        let a = persons(&[("smith", 9), ("will smith", 15), ("walter smith", 5)]);
        assert_eq!(a.target(PERSON, "smith"), Some("will smith"));
    }

    #[test]
    fn a_surname_that_is_as_much_an_organisation_stands_for_nobody() {
        let a = Aliases::from_counts(
            [
                ("reuter", 22),
                ("stefan reuter", 40),
                ("ford", 9),
                ("gerald ford", 30),
            ],
            [("reuters", 758), ("ford", 12)],
        );
        assert_eq!(a.target(PERSON, "reuter"), None);
        assert_eq!(a.target(PERSON, "ford"), Some("gerald ford"));
    }

    #[test]
    fn a_common_first_name_alone_stands_for_nobody() {
        let a = persons(&[
            ("charles", 5),
            ("ray charles", 19),
            ("blair", 13),
            ("tony blair", 153),
        ]);
        assert_eq!(a.target(PERSON, "charles"), None);
        assert_eq!(a.target(PERSON, "blair"), Some("tony blair"));
    }

    #[test]
    fn ties_go_to_the_same_name_whatever_the_order() {
        let one = persons(&[("lee", 3), ("ann lee", 20), ("bob lee", 20)]);
        let other = persons(&[("bob lee", 20), ("ann lee", 20), ("lee", 3)]);
        // A tie is no clear lead.
        assert_eq!(one.target(PERSON, "lee"), None);
        assert_eq!(one, other);
    }

    #[test]
    fn a_shortened_organisation_name_stands_for_the_full_one() {
        let a = orgs(&[
            ("liberal democrats", 59),
            ("lib dems", 36),
            ("lib dem", 8),
            ("liberal democrat", 32),
            ("manchester united", 50),
            ("man united", 20),
            ("manchester utd", 12),
            ("salomon bros", 6),
            ("salomon brothers", 76),
            // More common than its longer form: not an alias.
            ("national bank", 40),
            ("national bankers", 12),
            // Too rare to be sure of.
            ("can pac", 1),
            ("canadian pacific", 9),
            // No abbreviations.
            ("sun electric", 1),
            ("samsung electronics", 40),
            ("la nation", 1),
            ("leucadia national", 40),
            ("west financial", 1),
            ("western financial", 40),
            ("sea products", 1),
            ("sea-alaska products", 40),
        ]);
        // Normalisation keeps one of "Lib Dems" and "Liberal Democrat" in
        // an article: both count for the full name.
        for alias in ["lib dems", "lib dem", "liberal democrat"] {
            assert_eq!(a.target(ORG, alias), Some("liberal democrats"), "{alias}");
        }
        // But "Man United" and "Manchester Utd" may both be in one article:
        // of the two, the one with more articles (with its shorter forms)
        // stands for the full name.
        assert_eq!(
            a.sources(ORG, "manchester united").collect::<Vec<_>>(),
            ["man united"]
        );
        assert_eq!(a.target(ORG, "salomon bros"), Some("salomon brothers"));
        assert_eq!(a.target(ORG, "national bank"), None);
        assert_eq!(a.target(ORG, "can pac"), None);
        assert_eq!(a.target(ORG, "sun electric"), None);
        assert_eq!(a.target(ORG, "la nation"), None);
        assert_eq!(a.target(ORG, "west financial"), None);
        assert_eq!(a.target(ORG, "sea products"), None);
        assert_eq!(a.count(ORG), 5);
    }

    #[test]
    fn a_name_without_its_designation_stands_for_the_full_name_that_leads() {
        let articles: HashMap<&str, u32> = [
            // More articles than the full name, as surnames may have.
            ("labour", 205),
            ("labour party", 38),
            ("conservatives", 59),
            ("conservative party", 21),
            ("salomon", 46),
            ("salomon brothers", 83),
            ("salomon bros", 6),
            ("ford", 69),
            ("ford motor", 69),
            ("ford motor credit", 9),
            // No clear lead among the names that begin alike.
            ("general", 3),
            ("general motors", 119),
            ("general electric", 63),
            // Too rare to be sure of.
            ("delta", 12),
            ("delta airlines", 9),
            ("party", 4),
        ]
        .into_iter()
        .collect();
        assert_eq!(
            designation_links(&articles),
            [
                ("conservatives", "conservative party"),
                ("ford", "ford motor"),
                ("labour", "labour party"),
                ("salomon", "salomon brothers"),
            ]
        );
    }

    /// Aliases worked out on an index of articles with these organisation
    /// keys, as an index made by any version may hold them.
    fn computed(articles: &[&[&str]]) -> Aliases {
        let articles: Vec<(&[&str], &[&str])> =
            articles.iter().map(|orgs| (&[][..], *orgs)).collect();
        computed_with_persons(&articles)
    }

    /// The same for articles with these (person keys, organisation keys).
    fn computed_with_persons(articles: &[(&[&str], &[&str])]) -> Aliases {
        let schema = crate::schema::build();
        let fields = crate::schema::Fields::resolve(&schema).expect("fields");
        let index = tantivy::Index::create_in_ram(schema);
        crate::analyzer::register(&index);
        let mut writer = index
            .writer_with_num_threads(1, 15_000_000)
            .expect("writer");
        for (persons, orgs) in articles {
            let mut doc = tantivy::TantivyDocument::default();
            for person in *persons {
                doc.add_facet(fields.entity, PERSON.facet(person));
            }
            for org in *orgs {
                doc.add_facet(fields.entity, ORG.facet(org));
            }
            writer.add_document(doc).expect("added");
        }
        writer.commit().expect("committed");
        let searcher = index.reader().expect("reader").searcher();
        Aliases::compute(&searcher, fields.entity, fields.body).expect("computed")
    }

    #[test]
    fn a_shortening_that_shares_an_article_with_its_full_name_stands_alone() {
        let mut articles: Vec<&[&str]> = vec![&["liberal democrats"]; 10];
        articles.extend([&["lib dems"][..]; 3]);
        let apart = computed(&articles);
        assert_eq!(apart.target(ORG, "lib dems"), Some("liberal democrats"));
        // Both in one article, as normalisation before "Lib Dems" stood for
        // "Liberal Democrat" could leave them: counted together, that
        // article would count twice.
        articles.push(&["lib dems", "liberal democrats"]);
        let together = computed(&articles);
        assert_eq!(together.target(ORG, "lib dems"), None);
    }

    #[test]
    fn a_person_the_archive_mostly_names_as_an_organisation_is_it() {
        let mut articles: Vec<(&[&str], &[&str])> = Vec::new();
        articles.extend([(&[][..], &["chrysler"][..]); 10]);
        articles.extend([(&["chrysler"][..], &[][..]); 6]);
        // The plural of a one-word name: "a Reuter survey".
        articles.extend([(&[][..], &["reuters"][..]); 12]);
        articles.extend([(&["reuter"][..], &[][..]); 3]);
        // Fewer than half as many articles again as the person: a person.
        articles.extend([(&[][..], &["bell"][..]); 11]);
        articles.extend([(&["bell"][..], &[][..]); 8]);
        // A lone common first name is not its plural's organisation.
        articles.extend([(&[][..], &["williams"][..]); 10]);
        articles.extend([(&["william"][..], &[][..]); 2]);
        // A common first name and more is a person, unless a listed company.
        articles.extend([(&["charlotte church"][..], &[][..]); 2]);
        articles.extend([(&[][..], &["charlotte church"][..]); 10]);
        articles.extend([(&["eli lilly"][..], &[][..]); 2]);
        articles.extend([(&[][..], &["eli lilly"][..]); 10]);
        // A surname that stands for a full name is a person ("Lawson"
        // alone for "Nigel Lawson", not the organisation "Lawson").
        articles.extend([(&["nigel lawson"][..], &[][..]); 20]);
        articles.extend([(&["lawson"][..], &[][..]); 5]);
        articles.extend([(&[][..], &["lawson"][..]); 12]);
        let a = computed_with_persons(&articles);
        assert_eq!(a.organisation_of_person("chrysler"), Some("chrysler"));
        assert_eq!(a.organisation_of_person("reuter"), Some("reuters"));
        assert_eq!(a.organisation_of_person("bell"), None);
        assert_eq!(a.organisation_of_person("charlotte church"), None);
        assert_eq!(a.organisation_of_person("william"), None);
        assert_eq!(a.organisation_of_person("eli lilly"), Some("eli lilly"));
        assert_eq!(a.target(PERSON, "lawson"), Some("nigel lawson"));
        assert_eq!(a.organisation_of_person("lawson"), None);
        assert_eq!(a.persons_as_orgs(), 3);
        assert_eq!(
            a.counted_as(ORG, "reuters").collect::<Vec<_>>(),
            [(ORG, "reuters"), (PERSON, "reuter")]
        );
        // An article with both would count twice.
        articles.push((&["chrysler"], &["chrysler"]));
        let together = computed_with_persons(&articles);
        assert_eq!(together.organisation_of_person("chrysler"), None);
        assert_eq!(together.organisation_of_person("reuter"), Some("reuters"));
    }

    #[test]
    fn another_name_stands_for_the_usual_name_when_they_share_no_article() {
        let mut articles: Vec<&[&str]> = vec![&["conservative party"]; 10];
        articles.extend([&["tories"][..]; 3]);
        articles.extend([&["federal reserve"][..]; 10]);
        articles.extend([&["fed"][..]; 5]);
        articles.push(&["fed", "federal reserve"]);
        // Not in the archive: no link.
        articles.push(&["g-7"]);
        let a = computed(&articles);
        assert_eq!(a.target(ORG, "tories"), Some("conservative party"));
        assert_eq!(a.target(ORG, "fed"), None);
        assert_eq!(a.target(ORG, "g-7"), None);
    }

    #[test]
    fn two_full_names_that_share_a_shortening_leave_it_alone() {
        let a = orgs(&[
            ("man utd", 10),
            ("manchester united", 50),
            ("mansfield united", 30),
        ]);
        assert_eq!(a.target(ORG, "man utd"), None);
    }

    #[test]
    fn initials_leave_out_the_words_acronyms_skip() {
        assert_eq!(initials("securities and exchange commission"), ["sec"]);
        assert_eq!(
            initials("organization of petroleum exporting countries"),
            ["opec"]
        );
        assert_eq!(initials("rio tinto-zinc"), ["rtz", "riotz"]);
        assert!(initials("reuters").is_empty());
        assert_eq!(initials("bank of england"), ["be"]);
        assert_eq!(initials("uk independence party"), ["uip", "ukip"]);
        assert_eq!(initials("u.s. department of agriculture"), ["uda", "usda"]);
        assert!(is_acronym_key("sec") && is_acronym_key("un") && is_acronym_key("fhlbb"));
        assert!(!is_acronym_key("reuters") && !is_acronym_key("a") && !is_acronym_key("at&t"));
    }

    #[test]
    fn spellings_of_one_name_are_one_group() {
        let mut analyzer = crate::analyzer::stemmed_analyzer();
        let mut group = |key: &str| spelling_group(&mut analyzer, key);
        let oecd = group("organization for economic cooperation and development");
        assert_eq!(
            group("organisation of economic co-operation and development"),
            oecd
        );
        assert_eq!(
            group("security and exchange commission"),
            group("securities and exchange commission")
        );
        assert_ne!(
            group("international coffee organization"),
            group("international cocoa organization")
        );
    }

    #[test]
    fn aliases_survive_saving_and_loading() {
        let dir = tempfile::tempdir().expect("temp dir");
        assert!(Aliases::load(dir.path()).expect("no file").is_empty());
        let a = Aliases::from_counts(
            [("reagan", 385), ("ronald reagan", 22)],
            [("lib dems", 36), ("liberal democrats", 59)],
        );
        a.save(dir.path()).expect("saved");
        let loaded = Aliases::load(dir.path()).expect("loaded");
        assert_eq!(loaded, a);
        assert!(loaded.is_current());
        assert_eq!(
            loaded.sources(PERSON, "ronald reagan").collect::<Vec<_>>(),
            ["reagan"]
        );
        assert_eq!(
            loaded.sources(ORG, "liberal democrats").collect::<Vec<_>>(),
            ["lib dems"]
        );
        assert!(!dir.path().join(LEGACY_FILE_NAME).exists());
        // The JSON file of an earlier version: searches keep using it; the
        // next indexing run redoes it, and saving removes it.
        std::fs::remove_file(dir.path().join(FILE_NAME)).expect("removed");
        let previous = r#"{"person":{"reagan":"ronald reagan"},"org":{},
            "segments":{"00000000000000000000000000000000":[4,2]},"version":2}"#;
        std::fs::write(dir.path().join(LEGACY_FILE_NAME), previous).expect("written");
        let loaded = Aliases::load(dir.path()).expect("previous version");
        assert!(!loaded.is_current());
        assert_eq!(loaded.target(PERSON, "reagan"), Some("ronald reagan"));
        assert_eq!(loaded.count(ORG), 0);
        assert_eq!(loaded.persons_as_orgs(), 0);
        std::fs::write(dir.path().join(LEGACY_FILE_NAME), "{").expect("written");
        let error = Aliases::load(dir.path()).expect_err("corrupt").to_string();
        assert!(
            error.contains(LEGACY_FILE_NAME) && error.contains("newsdex index"),
            "{error}"
        );
        a.save(dir.path()).expect("saved");
        assert!(!dir.path().join(LEGACY_FILE_NAME).exists());
        assert_eq!(Aliases::load(dir.path()).expect("loaded"), a);
        // A damaged file is reported, not read as no aliases.
        std::fs::write(dir.path().join(FILE_NAME), b"NDXALIAS").expect("written");
        let error = Aliases::load(dir.path()).expect_err("damaged").to_string();
        assert!(
            error.contains(FILE_NAME) && error.contains("newsdex index"),
            "{error}"
        );
    }

    #[test]
    fn persons_that_are_organisations_survive_saving_and_loading() {
        let dir = tempfile::tempdir().expect("temp dir");
        let a = Aliases::from_counts([("reagan", 385), ("ronald reagan", 22)], [])
            .with_persons_as_orgs(&[("reuter", "reuters"), ("citicorp", "citicorp")]);
        a.save(dir.path()).expect("saved");
        let loaded = Aliases::load(dir.path()).expect("loaded");
        assert_eq!(loaded, a);
        assert_eq!(loaded.persons_as_orgs(), 2);
        assert_eq!(loaded.organisation_of_person("reuter"), Some("reuters"));
        assert_eq!(loaded.organisation_of_person("reagan"), None);
        let counted: Vec<(FacetKind, &str)> = loaded.counted_as(ORG, "reuters").collect();
        assert_eq!(counted, [(ORG, "reuters"), (PERSON, "reuter")]);
    }
}
