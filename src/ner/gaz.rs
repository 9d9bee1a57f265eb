//! Gazetteer membership as features: whether a token (or a multi-token
//! name it belongs to) is a country, city, region, demonym, first name,
//! organisation cue, role word, listed company, sports club or well-known
//! organisation, according to the project's gazetteer
//! (`crate::entities::gazetteer`).
//!
//! Why flags and not the entity type: the lists are evidence, not answers
//! ("Jordan" is a country and a first name, "Washington" a city and a
//! surname); the model learns how much each list is worth in context.
//! Only capitalised tokens are looked up, and single-token results are
//! cached per thread across documents, because the look-ups cost far more
//! than the rest of feature extraction.

use std::collections::HashMap;

use crate::entities::gazetteer;
use crate::entities::gazetteer::{Location, NameList, RoleKind};

use super::clusters::IdentityBuild;
use super::features::Atoms;

pub(crate) const G_COUNTRY: u32 = 1 << 0;
pub(crate) const G_CITY: u32 = 1 << 1;
pub(crate) const G_CAPITAL: u32 = 1 << 2;
pub(crate) const G_REGION: u32 = 1 << 3;
pub(crate) const G_DEMONYM: u32 = 1 << 4;
pub(crate) const G_FIRST_NAME: u32 = 1 << 5;
pub(crate) const G_FIRST_NAME_COMMON: u32 = 1 << 6;
pub(crate) const G_ORG_CUE: u32 = 1 << 7;
pub(crate) const G_ROLE: u32 = 1 << 8;
/// Multi-token matches, BIL-encoded per kind: bit
/// `G_MULTI_SHIFT + 3 * kind + position` (kinds 0 country, 1 city, 2 region,
/// then the name lists in [`NameList::ALL`] order; position 0 first, 1
/// inside, 2 last).
const G_MULTI_SHIFT: u32 = 9;
/// Multi-token kinds before the name lists'.
const LOCATION_KINDS: u32 = 3;
/// One-token matches of the name lists: bit `G_LIST_SHIFT + list`.
const G_LIST_SHIFT: u32 = G_MULTI_SHIFT + 3 * (LOCATION_KINDS + NameList::ALL.len() as u32);
const _: () = assert!(G_LIST_SHIFT + NameList::ALL.len() as u32 <= u32::BITS);

/// First names given to at least this many US babies count as common.
const COMMON_FIRST_NAME: u32 = 100_000;
/// Longest multi-token name looked up.
const MAX_NAME_TOKENS: usize = 4;

/// Lower-case words allowed inside a multi-token place name.
const CONNECTORS: [&str; 10] = [
    "of", "and", "de", "la", "del", "the", "upon", "al", "el", "da",
];

/// Per-document cache of single-token flags plus a reusable join buffer.
#[derive(Debug, Default)]
pub(crate) struct GazCache {
    single: HashMap<u64, u32, IdentityBuild>,
    buf: String,
}

/// Most words the single-token cache keeps before it starts over: the flags
/// of a word never change, so the cache lives across the documents a
/// thread tags, but an archive's vocabulary is unbounded.
const MAX_CACHED_WORDS: usize = 200_000;

impl GazCache {
    /// Empties the cache once it holds more than [`MAX_CACHED_WORDS`].
    pub(crate) fn trim(&mut self) {
        if self.single.len() > MAX_CACHED_WORDS {
            self.single.clear();
        }
    }
}

fn location_flags(loc: Location<'_>) -> u32 {
    match loc {
        Location::Country(_) => G_COUNTRY,
        Location::City { capital, .. } => G_CITY | if capital { G_CAPITAL } else { 0 },
        Location::Region { .. } => G_REGION,
    }
}

fn location_kind(loc: Location<'_>) -> u32 {
    match loc {
        Location::Country(_) => 0,
        Location::City { .. } => 1,
        Location::Region { .. } => 2,
    }
}

fn single_flags(word: &str, all_caps: bool) -> u32 {
    let g = gazetteer();
    let mut f = 0;
    let loc = if all_caps {
        g.location_any_case(word)
    } else {
        g.location(word)
    };
    if let Some(l) = loc {
        f |= location_flags(l);
    }
    let demonym = if all_caps {
        g.demonym_country_any_case(word)
    } else {
        g.demonym_country(word)
    };
    if demonym.is_some() {
        f |= G_DEMONYM;
    }
    if let Some(n) = g.first_name_births(word) {
        f |= G_FIRST_NAME;
        if n >= COMMON_FIRST_NAME {
            f |= G_FIRST_NAME_COMMON;
        }
    }
    if g.is_org_cue(word) {
        f |= G_ORG_CUE;
    }
    for list in g.lists_naming(word, all_caps) {
        f |= 1 << (G_LIST_SHIFT + list as u32);
    }
    if matches!(
        g.role_kind(word),
        Some(RoleKind::Title | RoleKind::Honorific)
    ) {
        f |= G_ROLE;
    }
    f
}

/// Sets `atoms[i].gaz` for one sentence.
pub(crate) fn annotate<S: AsRef<str>>(words: &[S], atoms: &mut [Atoms], cache: &mut GazCache) {
    let n = words.len().min(atoms.len());
    for i in 0..n {
        let a = &mut atoms[i];
        if !a.capitalised() {
            continue;
        }
        let all_caps = a.is_all_caps();
        let w = words[i].as_ref();
        a.gaz = *cache
            .single
            .entry(a.word)
            .or_insert_with(|| single_flags(w, all_caps));
    }
    let g = gazetteer();
    for i in 0..n {
        if !atoms[i].capitalised() {
            continue;
        }
        let all_caps = atoms[i].is_all_caps();
        // Longest match first; shorter ones add their own flags.
        let mut end = i + 1;
        while end < n && end - i < MAX_NAME_TOKENS {
            let w = words[end].as_ref();
            if atoms[end].capitalised() || CONNECTORS.contains(&w) {
                end += 1;
            } else {
                break;
            }
        }
        for j in (i + 2..=end).rev() {
            if !atoms[j - 1].capitalised() {
                continue;
            }
            let buf = &mut cache.buf;
            buf.clear();
            for (k, w) in words[i..j].iter().enumerate() {
                if k > 0 {
                    buf.push(' ');
                }
                buf.push_str(w.as_ref());
            }
            let loc = if all_caps {
                g.location_any_case(buf)
            } else {
                g.location(buf)
            };
            let lists = g
                .lists_naming(buf, all_caps)
                .map(|list| LOCATION_KINDS + list as u32);
            let kinds = loc.map(location_kind).into_iter().chain(lists);
            for kind in kinds {
                let base = G_MULTI_SHIFT + 3 * kind;
                atoms[i].gaz |= 1 << base;
                for a in &mut atoms[i + 1..j - 1] {
                    a.gaz |= 1 << (base + 1);
                }
                atoms[j - 1].gaz |= 1 << (base + 2);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ner::clusters::ClusterIndex;
    use crate::ner::features::atoms;

    fn flags(words: &[&str]) -> Vec<u32> {
        let c = ClusterIndex::default();
        let mut a: Vec<Atoms> = words.iter().map(|w| atoms(w, &c)).collect();
        let mut cache = GazCache::default();
        annotate(words, &mut a, &mut cache);
        a.iter().map(|a| a.gaz).collect()
    }

    #[test]
    fn single_and_multi_token_names() {
        let f = flags(&["David", "flew", "from", "New", "York", "to", "Egypt", "."]);
        assert_ne!(f[0] & G_FIRST_NAME, 0);
        assert_eq!(f[1], 0);
        assert_ne!(f[6] & G_COUNTRY, 0);
        // "New York" as a city: B on "New", L on "York".
        let city = G_MULTI_SHIFT + 3;
        assert_ne!(f[3] & (1 << city), 0, "{:b}", f[3]);
        assert_ne!(f[4] & (1 << (city + 2)), 0, "{:b}", f[4]);
        let f = flags(&["EGYPTIAN", "TROOPS"]);
        assert_ne!(f[0] & G_DEMONYM, 0);
    }

    #[test]
    fn names_on_the_lists_of_organisations() {
        let single = |list: NameList| 1 << (G_LIST_SHIFT + list as u32);
        let club = G_MULTI_SHIFT + 3 * (LOCATION_KINDS + NameList::Club as u32);
        let f = flags(&["Aston", "Villa", "beat", "Celtic", "and", "Ericsson", "."]);
        assert_ne!(f[0] & (1 << club), 0, "{:b}", f[0]);
        assert_ne!(f[1] & (1 << (club + 2)), 0, "{:b}", f[1]);
        assert_ne!(f[3] & single(NameList::Club), 0);
        assert_ne!(f[5] & single(NameList::Company), 0);
        assert_eq!(f[2], 0);
        // A word in capitals matches a name in any case.
        let f = flags(&["OPEC", "AND", "INTERFAX", "MEET"]);
        assert_ne!(f[0] & single(NameList::Organisation), 0);
        assert_ne!(f[2] & single(NameList::Organisation), 0);
    }
}
