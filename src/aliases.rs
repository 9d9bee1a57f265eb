//! Person aliases across the archive: a surname that articles use alone
//! ("Reagan", 385 Reuters-21578 stories) stands for the one full name that
//! the archive's other articles mostly write ("Ronald Reagan", 23 of the 26
//! stories that name a Reagan in full).
//!
//! Normalisation links a surname to the full name within one article; these
//! links are across articles. They are worked out after each indexing run
//! from the person facet's document frequencies and kept beside the index
//! ([`FILE_NAME`]). Facet counts add a surname's articles to its full name,
//! and a `--person` filter for the full name takes them in. An article that
//! names both gives no lone surname (normalisation takes it for the full
//! name), so the two sets of articles are disjoint and the sum is exact.
//!
//! A surname is linked only when the link is clear: its leading full name is
//! in at least [`MIN_FULL_NAME_ARTICLES`] articles and in at least three in
//! four of the articles that name anyone of that surname in full ("Brown"
//! in Reuters-21578, shared by William, Willard and Walter Brown, is not
//! linked), and the surname is no common first name ("Charles" may be the
//! prince as well as Ray Charles).

use std::collections::HashMap;

use rustc_hash::FxHashMap;
use std::path::Path;

use serde::{Deserialize, Serialize};
use tantivy::fastfield::FacetReader;
use tantivy::index::SegmentId;
use tantivy::schema::{Facet, Field};
use tantivy::Searcher;

use crate::entities::gazetteer;
use crate::error::{Error, Result};
use crate::schema::FacetKind;

/// The file in the index folder that holds the aliases.
pub const FILE_NAME: &str = "person-aliases.json";

/// Fewest articles naming the full name for a surname to stand for it.
pub const MIN_FULL_NAME_ARTICLES: u32 = 10;

/// A surname given to at least this many US babies as a first name is
/// ambiguous alone ("Charles", "John") and stands for nobody in particular.
const AMBIGUOUS_FIRST_NAME_BIRTHS: u32 = 100_000;

/// Lone surnames and the full names they stand for, as facet keys
/// ([`crate::schema::name_key`]: "reagan" → "ronald reagan").
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonAliases {
    /// Lone surname key → full name key.
    full_names: FxHashMap<String, String>,
    /// Full name key → lone surname key (one surname per full name: its
    /// last word).
    #[serde(skip)]
    surnames: FxHashMap<String, String>,
    /// Per segment (by id) of the index the aliases were worked out on:
    /// each alias whose surname the segment holds, as the surname's facet
    /// ordinal and the full name's ordinal plus one (0: not in the
    /// segment). Looking the ordinals up costs about a microsecond per
    /// name, tens of milliseconds per query for a million-article archive's
    /// thousands of aliases; segments never change, so this is done once.
    #[serde(default)]
    segments: FxHashMap<String, Vec<u64>>,
}

/// An alias's ordinals in one segment's facet dictionary: the surname's,
/// and the full name's where the segment has it.
pub type AliasOrds = Vec<(u64, Option<u64>)>;

impl PersonAliases {
    /// Aliases from (person key, number of articles) pairs.
    pub fn from_counts<'a>(counts: impl IntoIterator<Item = (&'a str, u32)>) -> PersonAliases {
        let mut lone: Vec<&str> = Vec::new();
        // Surname → (articles of all its full names, leading full name, its articles).
        let mut by_surname: HashMap<&str, (u32, &str, u32)> = HashMap::new();
        for (key, articles) in counts {
            match key.rsplit_once(' ') {
                None => lone.push(key),
                Some((_, surname)) => {
                    let entry = by_surname.entry(surname).or_insert((0, key, 0));
                    entry.0 += articles;
                    // Most articles; ties to the smaller key, so the choice
                    // does not depend on the order of the counts.
                    if (articles, std::cmp::Reverse(key)) > (entry.2, std::cmp::Reverse(entry.1)) {
                        entry.1 = key;
                        entry.2 = articles;
                    }
                }
            }
        }
        let g = gazetteer();
        let mut full_names = FxHashMap::default();
        for surname in lone {
            let Some(&(all, leader, articles)) = by_surname.get(surname) else {
                continue;
            };
            let clear =
                articles >= MIN_FULL_NAME_ARTICLES && 4 * u64::from(articles) >= 3 * u64::from(all);
            let first_name = g
                .first_name_births(&capitalised(surname))
                .is_some_and(|births| births >= AMBIGUOUS_FIRST_NAME_BIRTHS);
            if clear && !first_name {
                full_names.insert(surname.to_string(), leader.to_string());
            }
        }
        PersonAliases::with_full_names(full_names)
    }

    fn with_full_names(full_names: FxHashMap<String, String>) -> PersonAliases {
        let surnames = full_names
            .iter()
            .map(|(surname, full)| (full.clone(), surname.clone()))
            .collect();
        PersonAliases {
            full_names,
            surnames,
            segments: FxHashMap::default(),
        }
    }

    /// The aliases of the persons in the index `searcher` reads, from the
    /// document frequencies of the `entity` facet field's person values
    /// (articles deleted since the last merge still count: a few stale
    /// articles do not change which full name leads).
    pub fn compute(searcher: &Searcher, entity: Field) -> tantivy::Result<PersonAliases> {
        let field_name = searcher.schema().get_field_name(entity).to_string();
        let prefix = Facet::from_path([FacetKind::Person.name()])
            .encoded_str()
            .to_string();
        let mut lo = prefix.as_bytes().to_vec();
        lo.push(0);
        let mut hi = prefix.as_bytes().to_vec();
        hi.push(1);
        let mut counts: HashMap<String, u32> = HashMap::new();
        for segment in searcher.segment_readers() {
            let index = segment.inverted_index(entity)?;
            let mut stream = index.terms().range().ge(&lo).lt(&hi).into_stream()?;
            while stream.advance() {
                let key = String::from_utf8_lossy(&stream.key()[lo.len()..]);
                *counts.entry(key.into_owned()).or_default() += stream.value().doc_freq;
            }
        }
        let mut aliases =
            PersonAliases::from_counts(counts.iter().map(|(key, &n)| (key.as_str(), n)));
        for segment in searcher.segment_readers() {
            let ords = aliases.ordinals(&segment.facet_reader(&field_name)?)?;
            let flat = ords
                .into_iter()
                .flat_map(|(surname, full_name)| [surname, full_name.map_or(0, |o| o + 1)])
                .collect();
            aliases
                .segments
                .insert(segment.segment_id().uuid_string(), flat);
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
            Some(flat) => Ok(flat
                .chunks_exact(2)
                .map(|pair| (pair[0], pair[1].checked_sub(1)))
                .collect()),
            None => self.ordinals(reader),
        }
    }

    /// Looks up the aliases' ordinals in a segment's facet dictionary.
    fn ordinals(&self, reader: &FacetReader) -> std::io::Result<AliasOrds> {
        if self.is_empty() {
            return Ok(Vec::new());
        }
        let ord = |key: &str| {
            let facet = FacetKind::Person.facet(key);
            reader.facet_dict().term_ord(facet.encoded_str().as_bytes())
        };
        let mut ords = Vec::new();
        for (surname, full_name) in self.pairs() {
            if let Some(lone) = ord(surname)? {
                ords.push((lone, ord(full_name)?));
            }
        }
        Ok(ords)
    }

    /// The aliases saved in index folder `index`; none when it has no file
    /// (an index built before aliases existed).
    pub fn load(index: &Path) -> Result<PersonAliases> {
        let path = index.join(FILE_NAME);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Self::default()),
            Err(source) => {
                return Err(Error::Io {
                    context: format!("reading {}", path.display()),
                    source,
                })
            }
        };
        let mut saved: PersonAliases =
            serde_json::from_str(&text).map_err(|e| Error::IndexFileDamaged {
                path: path.clone(),
                reason: e.to_string(),
            })?;
        saved.surnames = saved
            .full_names
            .iter()
            .map(|(surname, full)| (full.clone(), surname.clone()))
            .collect();
        Ok(saved)
    }

    /// Saves the aliases into index folder `index`, replacing the file
    /// whole (written aside, then renamed), so a reader never sees half.
    pub fn save(&self, index: &Path) -> Result<()> {
        let path = index.join(FILE_NAME);
        let partial = index.join(format!("{FILE_NAME}.partial"));
        let io = |source| Error::Io {
            context: format!("writing {}", path.display()),
            source,
        };
        let json = serde_json::to_string(self).map_err(|e| io(std::io::Error::other(e)))?;
        std::fs::write(&partial, json).map_err(io)?;
        std::fs::rename(&partial, &path).map_err(io)
    }

    /// The full name key a lone surname key stands for.
    pub fn full_name(&self, surname: &str) -> Option<&str> {
        self.full_names.get(surname).map(String::as_str)
    }

    /// The lone surname key that stands for a full name key.
    pub fn surname(&self, full_name: &str) -> Option<&str> {
        self.surnames.get(full_name).map(String::as_str)
    }

    /// (surname, full name) key pairs, in no particular order.
    pub fn pairs(&self) -> impl Iterator<Item = (&str, &str)> {
        self.full_names
            .iter()
            .map(|(surname, full)| (surname.as_str(), full.as_str()))
    }

    pub fn len(&self) -> usize {
        self.full_names.len()
    }

    pub fn is_empty(&self) -> bool {
        self.full_names.is_empty()
    }
}

/// "reagan" → "Reagan", as the first-name list spells names.
fn capitalised(key: &str) -> String {
    let mut chars = key.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn aliases(counts: &[(&str, u32)]) -> PersonAliases {
        PersonAliases::from_counts(counts.iter().copied())
    }

    #[test]
    fn a_lone_surname_stands_for_the_full_name_that_clearly_leads() {
        let a = aliases(&[
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
        assert_eq!(a.full_name("reagan"), Some("ronald reagan"));
        assert_eq!(a.surname("ronald reagan"), Some("reagan"));
        // 176 of 203: 87% leads.
        assert_eq!(a.full_name("baker"), Some("james baker"));
        // Too few articles name a Brown or a Lawson in full.
        assert_eq!(a.full_name("brown"), None);
        assert_eq!(a.full_name("lawson"), None);
        assert_eq!(a.len(), 2);
    }

    #[test]
    fn no_full_name_leads_when_several_share_the_surname() {
        let a = aliases(&[("smith", 9), ("will smith", 12), ("walter smith", 5)]);
        // 12 of 17 is less than three in four.
        assert_eq!(a.full_name("smith"), None);
        let a = aliases(&[("smith", 9), ("will smith", 15), ("walter smith", 5)]);
        assert_eq!(a.full_name("smith"), Some("will smith"));
    }

    #[test]
    fn a_common_first_name_alone_stands_for_nobody() {
        let a = aliases(&[
            ("charles", 5),
            ("ray charles", 19),
            ("blair", 13),
            ("tony blair", 153),
        ]);
        assert_eq!(a.full_name("charles"), None);
        assert_eq!(a.full_name("blair"), Some("tony blair"));
    }

    #[test]
    fn ties_go_to_the_same_full_name_whatever_the_order() {
        let one = aliases(&[("lee", 3), ("ann lee", 20), ("bob lee", 20)]);
        let other = aliases(&[("bob lee", 20), ("ann lee", 20), ("lee", 3)]);
        // A tie is no clear lead.
        assert_eq!(one.full_name("lee"), None);
        assert_eq!(one, other);
    }

    #[test]
    fn aliases_survive_saving_and_loading() {
        let dir = tempfile::tempdir().expect("temp dir");
        assert!(PersonAliases::load(dir.path()).expect("no file").is_empty());
        let a = aliases(&[("reagan", 385), ("ronald reagan", 22)]);
        a.save(dir.path()).expect("saved");
        let loaded = PersonAliases::load(dir.path()).expect("loaded");
        assert_eq!(loaded, a);
        assert_eq!(loaded.surname("ronald reagan"), Some("reagan"));
        std::fs::write(dir.path().join(FILE_NAME), "{").expect("written");
        let error = PersonAliases::load(dir.path())
            .expect_err("corrupt")
            .to_string();
        assert!(
            error.contains(FILE_NAME) && error.contains("newsdex index"),
            "{error}"
        );
    }
}
