//! The aliases as saved beside the index ([`super::FILE_NAME`]) and as
//! searches read them. Every faceted search process loads them, so they
//! are used where they lie: the file is mapped, checked once (checksum,
//! bounds, UTF-8) and looked up in place, with no parsing and no
//! allocation per name. Each kind's links are sorted by alias, with an
//! index sorted by target, so both ways are binary searches. On a
//! million-article archive (5,157 links, 8 segments) a search process
//! reads them in 0.07-0.10 ms with 3-10 page faults; the JSON form took
//! 1.7 ms and 350 page faults.
//!
//! Layout (integers are little-endian `u32`s unless said):
//!
//! ```text
//! magic "NDXALIAS" | format | rules version
//! links of persons, of organisations, of persons that are organisations:
//!     each its byte length, then the links
//! segments: count, then per segment: id (byte length, UTF-8),
//!     ordinal pairs (byte length, pairs)
//! checksum: xxh3-64 of everything before, u64
//!
//! links:         n | n × (alias start, alias end, target start, target end),
//!                sorted by alias | n × link number, sorted by target then
//!                alias | the keys, UTF-8 (starts and ends are offsets here)
//! ordinal pairs: per alias its ordinal and the ordinal it folds into, plus one
//! ```
//!
//! Files of the JSON form written before ([`super::LEGACY_FILE_NAME`]:
//! links as lists or objects, ordinals as base64 or lists) still load.

use std::fmt;

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use rustc_hash::FxHashMap;
use serde::de::{self, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};
use tantivy::directory::OwnedBytes;

use super::Aliases;
use crate::sealed::Refused;

const MAGIC: &[u8; 8] = b"NDXALIAS";
const FORMAT: u32 = 1;
/// Bytes of one link: four key offsets.
const LINK_BYTES: usize = 16;
/// Bytes of one ordinal pair.
const PAIR_BYTES: usize = 8;

/// The `u32` at byte `at`; 0 past the end (offsets are checked when the
/// bytes are taken in, so that does not happen).
fn u32_at(bytes: &[u8], at: usize) -> u32 {
    bytes
        .get(at..at + 4)
        .map_or(0, |b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
}

fn push_u32(out: &mut Vec<u8>, value: usize) {
    // Keys, links and segments of any archive are far below 4 GB.
    out.extend_from_slice(&(value as u32).to_le_bytes());
}

/// The first of `0..n` for which `before` is false, `before` being true
/// up to some point and false from there on.
fn partition_point(n: usize, before: impl Fn(usize) -> bool) -> usize {
    let (mut lo, mut hi) = (0, n);
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if before(mid) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    lo
}

/// One kind's links: (alias, target) key pairs, in their saved form.
#[derive(Clone, PartialEq, Eq)]
pub(super) struct Links(OwnedBytes);

impl Default for Links {
    fn default() -> Links {
        Links::new(Vec::new())
    }
}

impl fmt::Debug for Links {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl Links {
    /// Links from pairs in any order; of two pairs with the same alias the
    /// later one stands, as when inserting into a map.
    pub(super) fn new(mut pairs: Vec<(String, String)>) -> Links {
        pairs.reverse();
        pairs.sort_by(|a, b| a.0.cmp(&b.0)); // stable: the later pair first
        pairs.dedup_by(|later, earlier| later.0 == earlier.0);
        let mut by_target: Vec<usize> = (0..pairs.len()).collect();
        by_target.sort_by(|&a, &b| {
            let (a, b) = (&pairs[a], &pairs[b]);
            a.1.cmp(&b.1).then_with(|| a.0.cmp(&b.0))
        });
        let mut out = Vec::new();
        push_u32(&mut out, pairs.len());
        let mut keys = String::new();
        for key in pairs.iter().flat_map(|(alias, target)| [alias, target]) {
            push_u32(&mut out, keys.len());
            keys.push_str(key);
            push_u32(&mut out, keys.len());
        }
        for link in by_target {
            push_u32(&mut out, link);
        }
        out.extend_from_slice(keys.as_bytes());
        Links(OwnedBytes::new(out))
    }

    /// Saved links, checked: every key within the keys and on character
    /// boundaries, every link number in range.
    fn from_saved(bytes: OwnedBytes) -> Result<Links, String> {
        if bytes.len() < 4 {
            return Err("a list of links is cut short".to_string());
        }
        let links = Links(bytes);
        let n = links.len();
        let keys_at = n
            .checked_mul(LINK_BYTES + 4)
            .and_then(|table| table.checked_add(4))
            .filter(|&at| at <= links.0.len())
            .ok_or_else(|| format!("{n} links do not fit in {} bytes", links.0.len()))?;
        let keys = std::str::from_utf8(&links.0[keys_at..])
            .map_err(|e| format!("a key is not UTF-8 ({e})"))?;
        // Each link holds two keys, each a start and an end offset.
        for at in (0..2 * n).map(|key| 4 + 8 * key) {
            let (start, end) = (u32_at(&links.0, at), u32_at(&links.0, at + 4));
            let (start, end) = (start as usize, end as usize);
            if start > end || end > keys.len() {
                return Err(format!(
                    "a key runs from {start} to {end} of {}",
                    keys.len()
                ));
            }
            if !keys.is_char_boundary(start) || !keys.is_char_boundary(end) {
                return Err(format!("a key from {start} to {end} splits a character"));
            }
        }
        if let Some(link) = (0..n).map(|i| links.by_target(i)).find(|&link| link >= n) {
            return Err(format!("link {link} of {n} is listed by target"));
        }
        Ok(links)
    }

    pub(super) fn len(&self) -> usize {
        u32_at(&self.0, 0) as usize
    }

    pub(super) fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The key whose start and end offsets are at byte `at`.
    fn key(&self, at: usize) -> &str {
        let keys = &self.0[(4 + self.len() * (LINK_BYTES + 4)).min(self.0.len())..];
        let (start, end) = (
            u32_at(&self.0, at) as usize,
            u32_at(&self.0, at + 4) as usize,
        );
        keys.get(start..end)
            .and_then(|key| std::str::from_utf8(key).ok())
            .unwrap_or_default()
    }

    fn alias(&self, link: usize) -> &str {
        self.key(4 + link * LINK_BYTES)
    }

    fn target_of(&self, link: usize) -> &str {
        self.key(4 + link * LINK_BYTES + 8)
    }

    /// The number of the `i`th link in order of targets.
    fn by_target(&self, i: usize) -> usize {
        u32_at(&self.0, 4 + self.len() * LINK_BYTES + 4 * i) as usize
    }

    /// The target `alias` stands for.
    pub(super) fn target(&self, alias: &str) -> Option<&str> {
        let link = partition_point(self.len(), |link| self.alias(link) < alias);
        (link < self.len() && self.alias(link) == alias).then(|| self.target_of(link))
    }

    /// The aliases that stand for `target`, sorted.
    pub(super) fn sources<'a>(&'a self, target: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        let first = partition_point(self.len(), |i| self.target_of(self.by_target(i)) < target);
        (first..self.len())
            .map(|i| self.by_target(i))
            .take_while(move |&link| self.target_of(link) == target)
            .map(|link| self.alias(link))
    }

    /// (alias, target) pairs, sorted by alias.
    pub(super) fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        (0..self.len()).map(|link| (self.alias(link), self.target_of(link)))
    }

    fn to_pairs(&self) -> Vec<(String, String)> {
        self.iter()
            .map(|(alias, target)| (alias.to_string(), target.to_string()))
            .collect()
    }

    /// Adds pairs; a pair whose alias is linked already replaces it.
    pub(super) fn extend(&mut self, more: impl IntoIterator<Item = (String, String)>) {
        let mut pairs = self.to_pairs();
        pairs.extend(more);
        *self = Links::new(pairs);
    }

    /// Keeps the pairs `keep` accepts.
    pub(super) fn retain(&mut self, mut keep: impl FnMut(&str, &str) -> bool) {
        let mut pairs = self.to_pairs();
        pairs.retain(|(alias, target)| keep(alias, target));
        *self = Links::new(pairs);
    }
}

impl FromIterator<(String, String)> for Links {
    fn from_iter<I: IntoIterator<Item = (String, String)>>(pairs: I) -> Links {
        Links::new(pairs.into_iter().collect())
    }
}

/// Links of the JSON form: a list of [alias, target] pairs, or an object.
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
/// [`super::Aliases::segment_ordinals`]). Kept as saved, flat pairs of
/// little-endian `u32`s, the second plus one (0: folds nowhere), shared by
/// the searches of the segment.
#[derive(Clone, PartialEq, Eq)]
pub struct AliasOrds(OwnedBytes);

impl Default for AliasOrds {
    fn default() -> AliasOrds {
        AliasOrds(OwnedBytes::empty())
    }
}

impl fmt::Debug for AliasOrds {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.debug_list().entries(self.pairs()).finish()
    }
}

impl AliasOrds {
    /// From (alias, folds into) ordinal pairs.
    pub(super) fn new(pairs: impl IntoIterator<Item = (u32, Option<u32>)>) -> AliasOrds {
        let flat: Vec<u8> = pairs
            .into_iter()
            .flat_map(|(alias, into)| [alias, into.map_or(0, |o| o + 1)])
            .flat_map(u32::to_le_bytes)
            .collect();
        AliasOrds(OwnedBytes::new(flat))
    }

    /// Saved pairs, checked to be whole.
    fn from_saved(bytes: OwnedBytes) -> Result<AliasOrds, String> {
        match bytes.len() % PAIR_BYTES {
            0 => Ok(AliasOrds(bytes)),
            _ => Err(format!(
                "{} bytes of ordinals, not whole pairs of u32s",
                bytes.len()
            )),
        }
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
            .chunks_exact(PAIR_BYTES)
            .filter_map(|pair| Some((u32_at(pair, 0), u32_at(pair, 4).checked_sub(1)?)))
    }
}

/// Ordinals of the JSON form: base64 of the flat pairs, or a list.
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
                AliasOrds::from_saved(OwnedBytes::new(bytes)).map_err(E::custom)
            }

            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<AliasOrds, A::Error> {
                let mut bytes = Vec::with_capacity(4 * seq.size_hint().unwrap_or(0));
                while let Some(ord) = seq.next_element::<u32>()? {
                    bytes.extend_from_slice(&ord.to_le_bytes());
                }
                AliasOrds::from_saved(OwnedBytes::new(bytes))
                    .map_err(|_| de::Error::custom("an odd number of ordinals"))
            }
        }
        deserializer.deserialize_any(OrdsVisitor)
    }
}

/// The saved form of `aliases`.
pub(super) fn encode(aliases: &Aliases) -> Vec<u8> {
    let mut out = MAGIC.to_vec();
    push_u32(&mut out, FORMAT as usize);
    push_u32(&mut out, aliases.version as usize);
    for links in [&aliases.person, &aliases.org, &aliases.person_org] {
        push_section(&mut out, &links.0);
    }
    let mut segments: Vec<(&String, &AliasOrds)> = aliases.segments.iter().collect();
    segments.sort_unstable_by_key(|(id, _)| *id); // the same file from the same index
    push_u32(&mut out, segments.len());
    for (id, ords) in segments {
        push_section(&mut out, id.as_bytes());
        push_section(&mut out, &ords.0);
    }
    crate::sealed::seal(&mut out);
    out
}

fn push_section(out: &mut Vec<u8>, bytes: &[u8]) {
    push_u32(out, bytes.len());
    out.extend_from_slice(bytes);
}

/// The aliases saved in `bytes` (see [`encode`]), or what is wrong with
/// them. The links and ordinals stay in `bytes`.
pub(super) fn decode(bytes: OwnedBytes) -> Result<Aliases, String> {
    let body_len =
        crate::sealed::contents_len(&bytes, MAGIC, MAGIC.len()).map_err(
            |refused| match refused {
                Refused::OtherKind => "it does not start as a newsdex aliases file".to_string(),
                Refused::CutShort => format!("it is cut short: {} bytes", bytes.len()),
                Refused::Checksum => "its checksum does not match its contents".to_string(),
            },
        )?;
    let mut rest = Sections(bytes.slice(0..body_len));
    rest.take(MAGIC.len())?;
    let format = rest.u32()?;
    if format != FORMAT {
        return Err(format!(
            "it is of format {format}; this newsdex reads format {FORMAT}"
        ));
    }
    let version = rest.u32()?;
    let person = Links::from_saved(rest.section()?)?;
    let org = Links::from_saved(rest.section()?)?;
    let person_org = Links::from_saved(rest.section()?)?;
    let mut segments = FxHashMap::default();
    for _ in 0..rest.u32()? {
        let id = String::from_utf8(rest.section()?.to_vec())
            .map_err(|_| "a segment id is not UTF-8".to_string())?;
        segments.insert(id, AliasOrds::from_saved(rest.section()?)?);
    }
    if !rest.0.is_empty() {
        return Err(format!("{} bytes follow the segments", rest.0.len()));
    }
    Ok(Aliases {
        person,
        org,
        person_org,
        segments,
        version,
    })
}

/// The bytes not read yet.
struct Sections(OwnedBytes);

impl Sections {
    fn take(&mut self, len: usize) -> Result<OwnedBytes, String> {
        if len > self.0.len() {
            return Err(format!(
                "it is cut short: {len} bytes expected, {} left",
                self.0.len()
            ));
        }
        let rest = self.0.split_off(len);
        Ok(std::mem::replace(&mut self.0, rest))
    }

    fn u32(&mut self) -> Result<u32, String> {
        Ok(u32_at(&self.take(4)?, 0))
    }

    /// A length-prefixed section.
    fn section(&mut self) -> Result<OwnedBytes, String> {
        let len = self.u32()? as usize;
        self.take(len)
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
    fn links_load_from_the_json_pairs_and_object_forms() {
        let l = links(&[("reagan", "ronald reagan"), ("baker", "james baker")]);
        let pairs = r#"[["reagan","ronald reagan"],["baker","james baker"]]"#;
        assert_eq!(serde_json::from_str::<Links>(pairs).expect("pairs"), l);
        let older = r#"{"reagan":"ronald reagan","baker":"james baker"}"#;
        assert_eq!(serde_json::from_str::<Links>(older).expect("object"), l);
        assert!(serde_json::from_str::<Links>("3").is_err());
    }

    #[test]
    fn segment_ordinals_load_from_the_json_base64_and_list_forms() {
        let ords = AliasOrds::new([(7, None), (70_000, Some(11)), (u32::MAX, Some(0))]);
        assert_eq!(
            ords.folds().collect::<Vec<_>>(),
            [(70_000, 11), (u32::MAX, 0)]
        );
        let base64 = format!("\"{}\"", STANDARD.encode(ords.0.as_slice()));
        assert_eq!(
            serde_json::from_str::<AliasOrds>(&base64).expect("base64"),
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

    /// Aliases with links of every kind and two segments' ordinals.
    fn sample() -> Aliases {
        let mut segments = FxHashMap::default();
        segments.insert("a".repeat(32), AliasOrds::new([(3, Some(9)), (4, None)]));
        segments.insert("b".repeat(32), AliasOrds::new([]));
        Aliases {
            person: links(&[("reagan", "ronald reagan"), ("müller", "gerd müller")]),
            org: links(&[("lib dems", "liberal democrats")]),
            person_org: links(&[("reuter", "reuters")]),
            segments,
            version: 5,
        }
    }

    #[test]
    fn the_saved_form_reads_back_the_same() {
        let aliases = sample();
        let saved = encode(&aliases);
        assert_eq!(encode(&aliases), saved, "the same aliases, the same file");
        let read = decode(OwnedBytes::new(saved)).expect("decoded");
        assert_eq!(read, aliases);
        assert_eq!(read.person.target("müller"), Some("gerd müller"));
        assert_eq!(read.person_org.target("reuter"), Some("reuters"));
        assert_eq!(
            read.segments["a".repeat(32).as_str()]
                .folds()
                .collect::<Vec<_>>(),
            [(3, 9)]
        );
        assert_eq!(
            decode(OwnedBytes::new(encode(&Aliases::default()))),
            Ok(Aliases::default())
        );
    }

    #[test]
    fn a_damaged_file_says_what_is_wrong() {
        let saved = encode(&sample());
        let decode_bytes = |bytes: &[u8]| decode(OwnedBytes::new(bytes.to_vec()));
        let error = decode_bytes(&saved[..saved.len() - 1]).expect_err("cut short");
        assert!(error.contains("checksum"), "{error}");
        assert!(decode_bytes(&saved[..10])
            .expect_err("cut")
            .contains("cut short"));
        assert!(decode_bytes(b"").expect_err("empty").contains("start"));
        assert!(decode_bytes(br#"{"person":[]}"#)
            .expect_err("JSON")
            .contains("start"));
        let mut flipped = saved.clone();
        flipped[40] ^= 1;
        assert!(decode_bytes(&flipped)
            .expect_err("flipped")
            .contains("checksum"));
        // A well-formed file of another format, checksum and all.
        let mut later = saved[..saved.len() - 8].to_vec();
        later[8] = 2;
        crate::sealed::seal(&mut later);
        let error = decode_bytes(&later).expect_err("format 2");
        assert!(error.contains("format 2"), "{error}");
    }

    /// `bytes` with a valid checksum appended, as `encode` leaves them.
    fn sealed(mut bytes: Vec<u8>) -> OwnedBytes {
        crate::sealed::seal(&mut bytes);
        OwnedBytes::new(bytes)
    }

    #[test]
    fn links_out_of_bounds_are_refused_even_with_a_good_checksum() {
        let good = links(&[("reagan", "ronald reagan")]).0.to_vec();
        let with = |at: usize, value: u32| {
            let mut bytes = good.clone();
            bytes[at..at + 4].copy_from_slice(&value.to_le_bytes());
            Links::from_saved(OwnedBytes::new(bytes))
        };
        assert!(with(8, 99).expect_err("key end").contains("runs from"));
        assert!(with(4, 7)
            .expect_err("start after end")
            .contains("runs from"));
        assert!(with(20, 1).expect_err("link number").contains("by target"));
        assert!(with(0, u32::MAX).expect_err("count").contains("do not fit"));
        let mut split = links(&[("müller", "gerd müller")]).0.to_vec();
        split[8..12].copy_from_slice(&2u32.to_le_bytes()); // "m" and half of "ü"
        let error = Links::from_saved(OwnedBytes::new(split)).expect_err("split");
        assert!(error.contains("splits a character"), "{error}");
        assert!(Links::from_saved(OwnedBytes::new(vec![1, 0])).is_err());
        // The same checks guard a whole file.
        let mut file = MAGIC.to_vec();
        for value in [FORMAT, 5, 4, 1, 0, 0] {
            file.extend_from_slice(&value.to_le_bytes());
        }
        let error = decode(sealed(file)).expect_err("links cut short");
        assert!(error.contains("do not fit"), "{error}");
    }

    proptest::proptest! {
        #[test]
        fn saved_links_answer_as_a_map_does(
            pairs in proptest::collection::vec(("[a-cé]{0,3}", "[a-cé]{0,3}"), 0..40),
            probe in "[a-cé]{0,3}",
        ) {
            let pairs: Vec<(String, String)> = pairs;
            let mut map = std::collections::BTreeMap::new();
            for (alias, target) in &pairs {
                map.insert(alias.clone(), target.clone());
            }
            let saved = Links::from_saved(Links::new(pairs).0).expect("valid");
            proptest::prop_assert_eq!(saved.target(&probe), map.get(&probe).map(String::as_str));
            let sources: Vec<&str> = map
                .iter()
                .filter(|(_, target)| **target == probe)
                .map(|(alias, _)| alias.as_str())
                .collect();
            proptest::prop_assert_eq!(saved.sources(&probe).collect::<Vec<_>>(), sources);
            let listed: Vec<(&str, &str)> = map.iter().map(|(a, t)| (a.as_str(), t.as_str())).collect();
            proptest::prop_assert_eq!(saved.iter().collect::<Vec<_>>(), listed);
        }

        #[test]
        fn any_damage_to_a_file_is_an_error_not_a_panic(at in 0usize..200, xor in 1u8..=255) {
            let mut saved = encode(&sample());
            let at = at % saved.len();
            saved[at] ^= xor;
            proptest::prop_assert!(decode(OwnedBytes::new(saved)).is_err());
        }
    }
}
