//! Gazetteers: countries (names, aliases, ISO codes), demonyms, cities with
//! population, regions, first names, organisation cue words and role words.
//!
//! The data lives in `data/gazetteer/` (sources, licences and how to
//! regenerate it: `data/gazetteer/README.md`) and is compiled into the binary
//! with `include_str!`. It is parsed once, on first use, into hash maps keyed
//! by slices of the embedded text, so a process that never extracts entities
//! or resolves a country (a plain search) pays nothing for it.
//!
//! Look-ups are case-sensitive ("Turkey" is a country, "turkey" is not) with
//! `*_any_case` variants for ALL-CAPS text and user input. The statistical
//! tagger uses the same look-ups as features, so they take single tokens or
//! whole names and never allocate on the common (exact-case) path.

use std::sync::LazyLock;

use rustc_hash::{FxHashMap, FxHashSet};

use crate::Country;

const COUNTRIES: &str = include_str!("../../data/gazetteer/countries.tsv");
const DEMONYMS: &str = include_str!("../../data/gazetteer/demonyms.tsv");
const CITIES: &str = include_str!("../../data/gazetteer/cities.tsv");
const FIRST_NAMES: &str = include_str!("../../data/gazetteer/first_names.tsv");
const ALIASES: &str = include_str!("../../data/gazetteer/aliases.tsv");
const ORG_CUES: &str = include_str!("../../data/gazetteer/org_cues.txt");
const ROLES: &str = include_str!("../../data/gazetteer/roles.tsv");
const COMPANIES: &str = include_str!("../../data/gazetteer/companies.txt");
const COMMON_WORDS: &str = include_str!("../../data/gazetteer/common_words.txt");
const CLUBS: &str = include_str!("../../data/gazetteer/clubs.txt");
const ORGANISATIONS: &str = include_str!("../../data/gazetteer/organisations.txt");

/// Words in capitals that are no organisation's acronym: abbreviations of
/// things ("TV", "GDP", "GNP", "VAT"), roles ("MP", "CEO"), times ("GMT",
/// "PM") and numerals ("III").
pub const NOT_ACRONYMS: &[&str] = &[
    "I", "A", "OK", "TV", "AM", "PM", "CEO", "CFO", "GMT", "EST", "EDT", "BST", "CET", "UTC", "AD",
    "BC", "II", "III", "IV", "VI", "VII", "VIII", "IX", "XI", "XII", "PS", "NB", "ET", "PT", "CT",
    "MP", "DVD", "CD", "ID", "GDP", "GNP", "PC", "HIV", "AIDS", "SMS", "VAT", "ATM", "USB", "CCTV",
    "DNA", "FM", "UFO", "VIP", "PR", "IT", "AI", "GPS", "SUV", "LED", "MW", "KM", "KG",
];

/// Cities smaller than this are not found by the ASCII form of their name.
const MIN_ASCII_CITY_POPULATION: u64 = 100_000;

static GAZETTEER: LazyLock<Gazetteer> = LazyLock::new(Gazetteer::load);

/// The process-wide gazetteer, parsed on first call (a few milliseconds).
pub fn gazetteer() -> &'static Gazetteer {
    &GAZETTEER
}

/// A country as the gazetteer knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountryInfo {
    /// ISO 3166-1 alpha-2 ("EG"; "XK" for Kosovo, as the source has it).
    pub code: &'static str,
    /// ISO 3166-1 alpha-3 ("EGY").
    pub alpha3: &'static str,
    /// Canonical short English name: the facet value ("Egypt", "Turkey").
    pub name: &'static str,
}

impl CountryInfo {
    /// The facet value for this country.
    pub fn to_country(&self) -> Country {
        Country {
            name: self.name.to_string(),
            code: self.code.to_string(),
        }
    }
}

/// What a place name refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location<'g> {
    /// A country name or alias ("Egypt", "U.S.", "Britain").
    Country(&'g CountryInfo),
    /// A city; for a name several cities share, the most populous one
    /// ("Cairo" is in Egypt, not Illinois).
    City {
        /// Canonical name (GeoNames, or the target of a city alias).
        name: &'g str,
        country: &'g CountryInfo,
        population: u64,
        /// A national capital (GeoNames feature code PPLC).
        capital: bool,
    },
    /// A region or territory that is not a country ("West Bank", "Middle
    /// East"), with its country when it lies in one.
    Region {
        name: &'g str,
        country: Option<&'g CountryInfo>,
    },
}

impl<'g> Location<'g> {
    /// The country this location is or lies in, if any.
    pub fn country(&self) -> Option<&'g CountryInfo> {
        match *self {
            Location::Country(c) => Some(c),
            Location::City { country, .. } => Some(country),
            Location::Region { country, .. } => country,
        }
    }
}

/// Longest role word looked up ignoring case; longer words are no role.
const ROLE_WORD_MAX: usize = 24;

/// Longest word [`ascii_lowercase_on_stack`] lower-cases without allocating.
const STACK_WORD_MAX: usize = 32;

/// Calls `look_up` with `word` in ASCII lower case, made on the stack; `None`
/// when the word is not ASCII or too long (the caller lower-cases it the
/// slow way). Most words looked up in gazetteers are short and ASCII.
fn ascii_lowercase_on_stack<T>(word: &str, look_up: impl FnOnce(&str) -> T) -> Option<T> {
    if !word.is_ascii() || word.len() > STACK_WORD_MAX {
        return None;
    }
    let mut buffer = [0u8; STACK_WORD_MAX];
    let lower = &mut buffer[..word.len()];
    lower.copy_from_slice(word.as_bytes());
    lower.make_ascii_lowercase();
    std::str::from_utf8(lower).ok().map(look_up)
}

/// Kinds of role words (see `data/gazetteer/roles.tsv`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoleKind {
    /// A role on its own: "President", "spokesman", "chief".
    Title,
    /// A form of address: "Mr", "Dr", "Sheikh".
    Honorific,
    /// Only part of a role: "Prime" (Minister), "Foreign" (Minister).
    Modifier,
}

#[derive(Debug)]
struct City {
    name: &'static str,
    country: u16,
    population: u64,
    capital: bool,
}

#[derive(Debug)]
struct Region {
    name: &'static str,
    country: Option<u16>,
}

/// All gazetteer look-ups. Obtain it with [`gazetteer()`].
#[derive(Debug, Default)]
pub struct Gazetteer {
    /// Built apart, so that resolving what a user typed reads no cities.
    countries: Countries,
    cities: Vec<City>,
    /// Name, ASCII name or alias → most populous city of that name.
    city_names: FxHashMap<&'static str, u32>,
    city_names_folded: FxHashMap<String, u32>,
    regions: Vec<Region>,
    region_names: FxHashMap<&'static str, u32>,
    region_names_folded: FxHashMap<String, u32>,
    first_names: FxHashMap<&'static str, u32>,
    /// First names that are also US surnames: people per million with it.
    surname_shares: FxHashMap<&'static str, u32>,
    /// Another name of an organisation, lower case → its usual name
    /// ("tories" → "Conservative Party").
    org_names: FxHashMap<String, &'static str>,
    /// Words news writes in lower case ("rose", "industry"), lower case.
    common_words: FxHashSet<&'static str>,
    org_cues: FxHashSet<&'static str>,
    roles: FxHashMap<&'static str, RoleKind>,
    /// The [`NameList`]s, in the order of [`NameList::ALL`].
    name_lists: [NameSet; NameList::ALL.len()],
}

/// Lists of organisations' names, which the tagger reads as evidence
/// (`crate::ner::gaz`) and the normaliser consults.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameList {
    /// Listed companies without their legal form ("Apple", "Deutsche
    /// Bank"): `companies.txt`.
    Company,
    /// Sports clubs and teams ("Aston Villa", "Red Sox"): `clubs.txt`.
    Club,
    /// International bodies, news agencies, central banks, parties, sports
    /// bodies ("OPEC", "Interfax", "Likud"): `organisations.txt`.
    Organisation,
}

impl NameList {
    /// Every list.
    pub const ALL: [NameList; 3] = [NameList::Company, NameList::Club, NameList::Organisation];
}

/// The names of one [`NameList`], as written and lower-cased.
#[derive(Debug, Default)]
struct NameSet {
    exact: FxHashSet<&'static str>,
    folded: FxHashSet<String>,
}

impl NameSet {
    fn load(text: &'static str) -> NameSet {
        let mut set = NameSet::default();
        for line in data_lines(text) {
            set.exact.insert(line.trim());
            set.folded.insert(line.trim().to_lowercase());
        }
        set
    }
}

static COUNTRY_TABLE: LazyLock<CountryTable> = LazyLock::new(CountryTable::load);

/// The countries with their names, aliases, codes and demonyms, parsed on
/// first call (well under a millisecond, without the gazetteer's cities
/// and names): all that resolving a user's `--country` needs.
pub fn country_table() -> &'static CountryTable {
    &COUNTRY_TABLE
}

/// Countries and what names them. Obtain it with [`country_table()`]; the
/// [`Gazetteer`] answers the same questions.
#[derive(Debug, Default)]
pub struct CountryTable {
    countries: Vec<CountryInfo>,
    /// Names and aliases, exact case.
    country_names: FxHashMap<&'static str, u16>,
    /// Names and aliases, lower-cased.
    country_names_folded: FxHashMap<String, u16>,
    /// Alpha-2 and alpha-3 codes, lower-cased.
    codes_folded: FxHashMap<String, u16>,
    demonyms: FxHashMap<&'static str, u16>,
    demonyms_folded: FxHashMap<String, u16>,
}

/// The gazetteer's handle on the country table.
#[derive(Debug, Clone, Copy)]
struct Countries(&'static CountryTable);

impl Default for Countries {
    fn default() -> Self {
        Countries(country_table())
    }
}

impl std::ops::Deref for Countries {
    type Target = CountryTable;

    fn deref(&self) -> &CountryTable {
        self.0
    }
}

impl CountryTable {
    /// Parses the embedded countries, demonyms and the country lines of
    /// the aliases. Malformed lines are skipped.
    fn load() -> CountryTable {
        let mut g = CountryTable::default();
        for line in data_lines(COUNTRIES) {
            let mut cols = line.split('\t');
            let (Some(code), Some(alpha3), Some(name)) = (cols.next(), cols.next(), cols.next())
            else {
                continue;
            };
            let Ok(idx) = u16::try_from(g.countries.len()) else {
                break;
            };
            g.countries.push(CountryInfo { code, alpha3, name });
            g.codes_folded.insert(code.to_lowercase(), idx);
            g.codes_folded.insert(alpha3.to_lowercase(), idx);
            for alias in std::iter::once(name).chain(cols) {
                g.add_country_name(alias, idx);
            }
        }
        for line in data_lines(DEMONYMS) {
            if let Some((word, code)) = line.split_once('\t') {
                if let Some(idx) = g.country_index(code) {
                    g.add_demonym(word, idx);
                }
            }
        }
        for line in data_lines(ALIASES) {
            let mut cols = line.split('\t');
            if let (Some(kind), Some(text), Some(target)) = (cols.next(), cols.next(), cols.next())
            {
                g.add_alias(kind, text, target);
            }
        }
        g
    }

    /// A hand-written alias of a country's (other kinds are the
    /// gazetteer's).
    fn add_alias(&mut self, kind: &str, text: &'static str, target: &'static str) {
        match kind {
            "name" => {
                if let Some(idx) = self.country_index(target) {
                    let old = self.countries[idx as usize].name;
                    self.countries[idx as usize].name = text;
                    self.add_country_name(text, idx);
                    self.add_country_name(old, idx);
                }
            }
            "country" => {
                if let Some(idx) = self.country_index(target) {
                    self.add_country_name(text, idx);
                }
            }
            "demonym" => {
                if let Some(idx) = self.country_index(target) {
                    self.add_demonym(text, idx);
                }
            }
            "drop" => {
                let idx = self.country_index(target);
                if idx.is_some() && self.country_names.get(text).copied() == idx {
                    self.country_names.remove(text);
                    self.country_names_folded.remove(&text.to_lowercase());
                }
            }
            _ => {}
        }
    }

    fn country_index(&self, code: &str) -> Option<u16> {
        self.codes_folded.get(&code.to_lowercase()).copied()
    }

    fn add_country_name(&mut self, name: &'static str, idx: u16) {
        // First claim wins: the source has no alias shared by two countries,
        // and the hand-written aliases must not silently take one over.
        self.country_names.entry(name).or_insert(idx);
        self.country_names_folded
            .entry(name.to_lowercase())
            .or_insert(idx);
    }

    fn add_demonym(&mut self, word: &'static str, idx: u16) {
        self.demonyms.entry(word).or_insert(idx);
        self.demonyms_folded
            .entry(word.to_lowercase())
            .or_insert(idx);
    }

    fn country_at(&self, idx: u16) -> &CountryInfo {
        &self.countries[idx as usize]
    }

    /// All countries, in ISO alpha-2 order.
    pub fn countries(&self) -> &[CountryInfo] {
        &self.countries
    }

    /// Is `name` a country name or alias, exact case ("Egypt", "U.S.",
    /// "Britain"; not "egypt", not "EG")?
    pub fn is_country_name(&self, name: &str) -> bool {
        self.country_names.contains_key(name)
    }

    /// The country named `name` (exact case; names and aliases).
    pub fn country_by_name(&self, name: &str) -> Option<&CountryInfo> {
        self.country_names.get(name).map(|&i| self.country_at(i))
    }

    /// The country with ISO alpha-2 or alpha-3 code `code`, any case.
    pub fn country_by_code(&self, code: &str) -> Option<&CountryInfo> {
        self.country_index(code).map(|i| self.country_at(i))
    }

    /// The country of a demonym, singular or plural, exact case
    /// ("Egyptian", "Israelis", "American" → United States).
    pub fn demonym_country(&self, word: &str) -> Option<&CountryInfo> {
        self.demonyms.get(word).map(|&i| self.country_at(i))
    }

    /// [`demonym_country`](Self::demonym_country) ignoring case, for
    /// ALL-CAPS text.
    pub fn demonym_country_any_case(&self, word: &str) -> Option<&CountryInfo> {
        self.demonyms_folded
            .get(&word.to_lowercase())
            .map(|&i| self.country_at(i))
    }

    /// Resolves what a user typed: a country name or alias, a demonym, or an
    /// ISO alpha-2/alpha-3 code, in any case ("egypt", "EG", "EGY",
    /// "Egyptian"). Surrounding whitespace is ignored.
    pub fn resolve_country(&self, input: &str) -> Option<&CountryInfo> {
        let input = input.trim();
        if input.is_empty() {
            return None;
        }
        if let Some(c) = self.country_by_name(input) {
            return Some(c);
        }
        let folded = input.to_lowercase();
        self.country_names_folded
            .get(&folded)
            .or_else(|| self.codes_folded.get(&folded))
            .or_else(|| self.demonyms_folded.get(&folded))
            .map(|&i| self.country_at(i))
    }
}

/// Data lines of an embedded file: no comments, no blank lines.
fn data_lines(text: &'static str) -> impl Iterator<Item = &'static str> {
    text.lines()
        .map(|l| l.trim_end_matches('\r'))
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
}

impl Gazetteer {
    /// Parses the embedded data. Malformed lines are skipped (the unit tests
    /// check that the shipped files have none).
    fn load() -> Gazetteer {
        let mut g = Gazetteer::default();
        for line in data_lines(CITIES) {
            let mut cols = line.split('\t');
            let (Some(name), Some(ascii), Some(code), Some(pop), feature) = (
                cols.next(),
                cols.next(),
                cols.next(),
                cols.next(),
                cols.next(),
            ) else {
                continue;
            };
            let (Some(country), Ok(population)) =
                (g.countries.country_index(code), pop.parse::<u64>())
            else {
                continue;
            };
            let Ok(idx) = u32::try_from(g.cities.len()) else {
                break;
            };
            g.cities.push(City {
                name,
                country,
                population,
                capital: feature == Some("PPLC"),
            });
            g.add_city_name(name, idx, false);
            // The ASCII spelling of a small town's name is often an English
            // word or surname ("Būsh", Egypt → "Bush"): only larger cities
            // are found by it ("Rafaḩ" → "Rafah").
            if ascii != name && population >= MIN_ASCII_CITY_POPULATION {
                g.add_city_name(ascii, idx, false);
            }
        }
        for line in data_lines(ALIASES) {
            let mut cols = line.split('\t');
            let (Some(kind), Some(text), Some(target)) = (cols.next(), cols.next(), cols.next())
            else {
                continue;
            };
            g.add_alias(kind, text, target);
        }
        for line in data_lines(FIRST_NAMES) {
            let mut cols = line.split('\t');
            let (Some(name), Some(births)) = (cols.next(), cols.next()) else {
                continue;
            };
            g.first_names.insert(name, births.parse().unwrap_or(0));
            let share = cols.next().and_then(|s| s.parse().ok()).unwrap_or(0);
            if share > 0 {
                g.surname_shares.insert(name, share);
            }
        }
        for line in data_lines(ORG_CUES) {
            g.org_cues.insert(line.trim());
        }
        g.name_lists = [COMPANIES, CLUBS, ORGANISATIONS].map(NameSet::load);
        for line in data_lines(COMMON_WORDS) {
            g.common_words.insert(line.trim());
        }
        for line in data_lines(ROLES) {
            if let Some((word, kind)) = line.split_once('\t') {
                let kind = match kind {
                    "title" => RoleKind::Title,
                    "honorific" => RoleKind::Honorific,
                    "modifier" => RoleKind::Modifier,
                    _ => continue,
                };
                g.roles.insert(word, kind);
            }
        }
        g
    }

    /// Maps `name` to city `idx` if it is more populous than the city the
    /// name maps to so far, or unconditionally for hand-written aliases.
    fn add_city_name(&mut self, name: &'static str, idx: u32, force: bool) {
        let pop = self.cities[idx as usize].population;
        let cities = &self.cities;
        let better = |old: &u32| force || cities[*old as usize].population < pop;
        match self.city_names.get(name) {
            Some(old) if !better(old) => {}
            _ => {
                self.city_names.insert(name, idx);
            }
        }
        let folded = name.to_lowercase();
        match self.city_names_folded.get(&folded) {
            Some(old) if !better(old) => {}
            _ => {
                self.city_names_folded.insert(folded, idx);
            }
        }
    }

    fn add_alias(&mut self, kind: &str, text: &'static str, target: &'static str) {
        match kind {
            "city" => {
                if let Some(&idx) = self.city_names.get(target) {
                    self.add_city_name(text, idx, true);
                }
            }
            "region" => {
                if let Some(&idx) = self.region_names.get(target) {
                    self.region_names.insert(text, idx);
                    self.region_names_folded.insert(text.to_lowercase(), idx);
                    // ALL-CAPS datelines drop the period ("OAK BROOK, ILL."
                    // tokenises as "ILL" "."); only case-folded look-ups,
                    // used for shouting text, see the bare form.
                    if let Some(bare) = text.strip_suffix('.') {
                        self.region_names_folded
                            .entry(bare.to_lowercase())
                            .or_insert(idx);
                    }
                }
            }
            "org" => {
                self.org_names.insert(text.to_lowercase(), target);
            }
            "place" => {
                let country = self.countries.country_index(target);
                if country.is_none() && target != "-" {
                    return;
                }
                let Ok(idx) = u32::try_from(self.regions.len()) else {
                    return;
                };
                self.regions.push(Region {
                    name: text,
                    country,
                });
                self.region_names.insert(text, idx);
                self.region_names_folded.insert(text.to_lowercase(), idx);
            }
            _ => {}
        }
    }

    /// See [`CountryTable::is_country_name`].
    pub fn is_country_name(&self, name: &str) -> bool {
        self.countries.is_country_name(name)
    }

    /// See [`CountryTable::country_by_code`].
    pub fn country_by_code(&self, code: &str) -> Option<&CountryInfo> {
        self.countries.country_by_code(code)
    }

    /// See [`CountryTable::demonym_country`].
    pub fn demonym_country(&self, word: &str) -> Option<&CountryInfo> {
        self.countries.demonym_country(word)
    }

    /// See [`CountryTable::demonym_country_any_case`].
    pub fn demonym_country_any_case(&self, word: &str) -> Option<&CountryInfo> {
        self.countries.demonym_country_any_case(word)
    }

    /// The country of the most populous city named `name` (exact case;
    /// GeoNames name, its ASCII form, or a city alias such as "Kiev").
    pub fn city_country(&self, name: &str) -> Option<&CountryInfo> {
        self.city_names
            .get(name)
            .map(|&i| self.countries.country_at(self.cities[i as usize].country))
    }

    /// What `name` (exact case) refers to: a country first, then a region,
    /// then the most populous city of that name.
    pub fn location(&self, name: &str) -> Option<Location<'_>> {
        if let Some(&i) = self.countries.country_names.get(name) {
            return Some(Location::Country(self.countries.country_at(i)));
        }
        if let Some(&i) = self.region_names.get(name) {
            return Some(self.region_at(i));
        }
        self.city_names.get(name).map(|&i| self.city_at(i))
    }

    /// [`location`](Self::location) ignoring case, for ALL-CAPS text.
    pub fn location_any_case(&self, name: &str) -> Option<Location<'_>> {
        let folded = name.to_lowercase();
        if let Some(&i) = self.countries.country_names_folded.get(&folded) {
            return Some(Location::Country(self.countries.country_at(i)));
        }
        if let Some(&i) = self.region_names_folded.get(&folded) {
            return Some(self.region_at(i));
        }
        self.city_names_folded
            .get(&folded)
            .map(|&i| self.city_at(i))
    }

    fn region_at(&self, i: u32) -> Location<'_> {
        let r = &self.regions[i as usize];
        Location::Region {
            name: r.name,
            country: r.country.map(|c| self.countries.country_at(c)),
        }
    }

    fn city_at(&self, i: u32) -> Location<'_> {
        let c = &self.cities[i as usize];
        Location::City {
            name: c.name,
            country: self.countries.country_at(c.country),
            population: c.population,
            capital: c.capital,
        }
    }

    /// Is `word` a first name (US Social Security records, given to at least
    /// a few hundred babies)? Title case or ALL CAPS ("David", "DAVID").
    pub fn is_first_name(&self, word: &str) -> bool {
        self.first_name_births(word).is_some()
    }

    /// How many US babies were given first name `word` from 1880 to 2024: a
    /// frequency feature ("David" millions, "Tuesday" a few thousand).
    pub fn first_name_births(&self, word: &str) -> Option<u32> {
        if let Some(&n) = self.first_names.get(word) {
            return Some(n);
        }
        let mut chars = word.chars();
        let first = chars.next()?;
        let rest = chars.as_str();
        if rest.is_empty() || !rest.chars().all(|c| c.is_uppercase()) {
            return None;
        }
        let title: String = std::iter::once(first)
            .chain(rest.chars().flat_map(char::to_lowercase))
            .collect();
        self.first_names.get(title.as_str()).copied()
    }

    /// How many people per million in the US bear first name `word` as
    /// their surname (1990 Census; 0 when it is not a first name or no
    /// surname): "Kennedy" 670, "Charles" 220, "Oscar" 10. Exact spelling.
    pub fn surname_share(&self, word: &str) -> u32 {
        self.surname_shares.get(word).copied().unwrap_or(0)
    }

    /// The usual name of the organisation `name` is another name of
    /// ("Tories" → "Conservative Party", "FED" → "Federal Reserve"). Any
    /// case.
    pub fn org_synonym(&self, name: &str) -> Option<&'static str> {
        // Looked up for every organisation of every article indexed.
        ascii_lowercase_on_stack(name, |lower| self.org_names.get(lower).copied())
            .unwrap_or_else(|| self.org_names.get(&name.to_lowercase()).copied())
    }

    /// (other name in lower case, usual name) of every organisation with
    /// another name.
    pub fn org_synonyms(&self) -> impl Iterator<Item = (&str, &'static str)> + '_ {
        self.org_names
            .iter()
            .map(|(name, &usual)| (name.as_str(), usual))
    }

    /// Is `name` a listed company's name, legal form dropped ("Apple",
    /// "Nintendo", "Deutsche Bank")? Exact spelling. One-word names that
    /// are common first names or surnames are not in the list.
    pub fn is_company(&self, name: &str) -> bool {
        self.name_lists[NameList::Company as usize]
            .exact
            .contains(name)
    }

    /// Does news text mostly write `word` in lower case ("Rose", "Industry",
    /// "Sterling")? Any case.
    pub fn is_common_word(&self, word: &str) -> bool {
        match ascii_lowercase_on_stack(word, |lower| self.common_words.contains(lower)) {
            Some(found) => found,
            None => self.common_words.contains(word.to_lowercase().as_str()),
        }
    }

    /// Is `word` an organisation cue ("Agency", "Ministry", "Inc.")? Exact
    /// case; a trailing period is ignored.
    pub fn is_org_cue(&self, word: &str) -> bool {
        let word = word.strip_suffix('.').unwrap_or(word);
        self.org_cues.contains(word)
    }

    /// The lists that hold `name`: exactly as written, or also in any other
    /// case (`any_case`, for ALL-CAPS text; lower-cased once for all lists).
    pub fn lists_naming<'a>(
        &'a self,
        name: &'a str,
        any_case: bool,
    ) -> impl Iterator<Item = NameList> + 'a {
        let folded = any_case.then(|| name.to_lowercase());
        NameList::ALL.into_iter().filter(move |&list| {
            let set = &self.name_lists[list as usize];
            set.exact.contains(name) || folded.as_ref().is_some_and(|f| set.folded.contains(f))
        })
    }

    /// The kind of role word `word` is ("President" title, "Mr." honorific,
    /// "Prime" modifier), ignoring case and a trailing period.
    pub fn role_kind(&self, word: &str) -> Option<RoleKind> {
        let word = word.strip_suffix('.').unwrap_or(word);
        if let Some(&k) = self.roles.get(word) {
            return Some(k);
        }
        if word.len() > ROLE_WORD_MAX || !word.chars().any(|c| c.is_uppercase()) {
            return None;
        }
        ascii_lowercase_on_stack(word, |lower| self.roles.get(lower).copied())
            .unwrap_or_else(|| self.roles.get(word.to_lowercase().as_str()).copied())
    }

    /// Is `word` a role or honorific that can stand before a name on its own
    /// ("President", "chief", "Mr.", "Sheikh")? Modifiers ("Prime") are not.
    pub fn is_role_word(&self, word: &str) -> bool {
        matches!(
            self.role_kind(word),
            Some(RoleKind::Title | RoleKind::Honorific)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(c: Option<&CountryInfo>) -> Option<&'static str> {
        c.map(|c| c.code)
    }

    #[test]
    fn loading_is_quick() {
        let t = std::time::Instant::now();
        let g = Gazetteer::load();
        let ms = t.elapsed().as_secs_f64() * 1e3;
        eprintln!("gazetteer load: {ms:.1} ms ({} cities)", g.cities.len());
        assert!(ms < 2_000.0, "{ms} ms");
    }

    #[test]
    fn shipped_files_parse_completely() {
        let g = gazetteer();
        assert_eq!(g.countries.countries().len(), data_lines(COUNTRIES).count());
        assert_eq!(g.cities.len(), data_lines(CITIES).count());
        assert_eq!(g.first_names.len(), data_lines(FIRST_NAMES).count());
        assert_eq!(g.roles.len(), data_lines(ROLES).count());
        for (list, text) in NameList::ALL.iter().zip([COMPANIES, CLUBS, ORGANISATIONS]) {
            let names = &g.name_lists[*list as usize].exact;
            assert_eq!(names.len(), data_lines(text).count(), "{list:?}");
        }
        assert!(g.countries.countries().len() > 240);
        assert!(g.cities.len() > 8000);
        assert!(g.first_names.len() > 10_000);
        // Every hand-written alias must point at something that exists.
        for line in data_lines(ALIASES) {
            let cols: Vec<&str> = line.split('\t').collect();
            assert_eq!(cols.len(), 3, "{line}");
            let (kind, text, target) = (cols[0], cols[1], cols[2]);
            match kind {
                "name" | "country" => {
                    assert_eq!(
                        code(g.countries.country_by_name(text)),
                        Some(target),
                        "{line}"
                    )
                }
                "demonym" => assert_eq!(code(g.demonym_country(text)), Some(target), "{line}"),
                "drop" => assert!(!g.is_country_name(text), "{line}"),
                "city" => assert!(
                    matches!(g.location(text), Some(Location::City { name, .. }) if name == target),
                    "{line}"
                ),
                "place" => assert!(
                    matches!(g.location(text), Some(Location::Region { .. })),
                    "{line}"
                ),
                "region" => assert!(
                    matches!(g.location(text), Some(Location::Region { name, .. }) if name == target),
                    "{line}"
                ),
                "org" => assert_eq!(g.org_synonym(text), Some(target), "{line}"),
                _ => panic!("unknown kind in {line}"),
            }
        }
    }

    #[test]
    fn country_names_are_case_sensitive() {
        let g = gazetteer();
        assert!(g.is_country_name("Egypt"));
        assert!(g.is_country_name("Turkey"));
        assert!(g.is_country_name("Türkiye"));
        assert!(!g.is_country_name("turkey"));
        assert!(!g.is_country_name("china"));
        assert!(!g.is_country_name("EG"), "two-letter codes are not names");
        assert!(!g.is_country_name("Mann"), "dropped alias");
        assert_eq!(code(g.countries.country_by_name("U.S.")), Some("US"));
        assert_eq!(code(g.countries.country_by_name("US")), Some("US"));
        assert_eq!(code(g.countries.country_by_name("Britain")), Some("GB"));
        assert_eq!(code(g.countries.country_by_name("UK")), Some("GB"));
        assert_eq!(code(g.countries.country_by_name("Holland")), Some("NL"));
        assert_eq!(code(g.countries.country_by_name("Ivory Coast")), Some("CI"));
    }

    #[test]
    fn canonical_names_are_short_english_names() {
        let g = gazetteer();
        let name = |c: &str| g.country_by_code(c).map(|c| c.name);
        assert_eq!(name("US"), Some("United States"));
        assert_eq!(name("GB"), Some("United Kingdom"));
        assert_eq!(name("RU"), Some("Russia"));
        assert_eq!(name("KR"), Some("South Korea"));
        assert_eq!(name("IR"), Some("Iran"));
        assert_eq!(name("PS"), Some("Palestine"));
        assert_eq!(name("EG"), Some("Egypt"));
        assert_eq!(name("QA"), Some("Qatar"));
        assert_eq!(name("IL"), Some("Israel"));
        assert_eq!(name("TR"), Some("Turkey"));
        assert_eq!(g.country_by_code("egy").map(|c| c.code), Some("EG"));
    }

    #[test]
    fn demonyms_include_plurals() {
        let g = gazetteer();
        for (word, c) in [
            ("Egyptian", "EG"),
            ("Egyptians", "EG"),
            ("Israeli", "IL"),
            ("Israelis", "IL"),
            ("Qatari", "QA"),
            ("American", "US"),
            ("Americans", "US"),
            ("Palestinian", "PS"),
            ("British", "GB"),
            ("Congolese", "CD"),
            ("Saudi", "SA"),
        ] {
            assert_eq!(code(g.demonym_country(word)), Some(c), "{word}");
        }
        assert_eq!(g.demonym_country("egyptian"), None);
        assert_eq!(code(g.demonym_country_any_case("EGYPTIAN")), Some("EG"));
    }

    #[test]
    fn cities_resolve_to_the_most_populous() {
        let g = gazetteer();
        assert_eq!(code(g.city_country("Cairo")), Some("EG"));
        assert_eq!(code(g.city_country("Paris")), Some("FR"));
        assert_eq!(code(g.city_country("London")), Some("GB"));
        assert_eq!(code(g.city_country("Gaza")), Some("PS"));
        assert_eq!(code(g.city_country("Washington")), Some("US"));
        assert_eq!(code(g.city_country("Kiev")), Some("UA"));
        assert_eq!(code(g.city_country("Rafah")), Some("PS"), "ASCII form");
        assert!(matches!(
            g.location("Cairo"),
            Some(Location::City {
                name: "Cairo",
                capital: true,
                ..
            })
        ));
        assert!(matches!(
            g.location_any_case("CAIRO"),
            Some(Location::City { name: "Cairo", .. })
        ));
    }

    #[test]
    fn countries_win_over_cities_and_regions_have_countries() {
        let g = gazetteer();
        assert!(matches!(
            g.location("Singapore"),
            Some(Location::Country(_))
        ));
        match g.location("West Bank") {
            Some(Location::Region { name, country }) => {
                assert_eq!(name, "West Bank");
                assert_eq!(code(country), Some("PS"));
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            g.location("Middle East"),
            Some(Location::Region { country: None, .. })
        ));
        assert_eq!(g.location("Nowhereville"), None);
    }

    #[test]
    fn resolve_country_accepts_names_codes_and_demonyms() {
        let g = gazetteer();
        for input in [
            "Egypt", "egypt", "EGYPT", "EG", "eg", "EGY", "egy", "Egyptian", " Egypt ",
        ] {
            assert_eq!(
                code(g.countries.resolve_country(input)),
                Some("EG"),
                "{input}"
            );
        }
        assert_eq!(code(g.countries.resolve_country("usa")), Some("US"));
        assert_eq!(code(g.countries.resolve_country("u.s.")), Some("US"));
        assert_eq!(code(g.countries.resolve_country("turkey")), Some("TR"));
        assert_eq!(g.countries.resolve_country("Atlantis"), None);
        assert_eq!(g.countries.resolve_country(""), None);
    }

    #[test]
    fn first_names_cues_and_roles() {
        let g = gazetteer();
        for name in [
            "David", "William", "Mohammed", "Muhammad", "Benjamin", "DAVID",
        ] {
            assert!(g.is_first_name(name), "{name}");
        }
        for word in ["Barnea", "Netanyahu", "the", "david"] {
            assert!(!g.is_first_name(word), "{word}");
        }
        assert!(g.first_name_births("David").unwrap_or(0) > 1_000_000);
        assert!(g.surname_share("Kennedy") > 500);
        for company in ["Apple", "Nintendo", "Nokia", "Deutsche Bank"] {
            assert!(g.is_company(company), "{company}");
        }
        for ambiguous in ["Gates", "Ford", "Douglas"] {
            assert!(!g.is_company(ambiguous), "{ambiguous}");
        }
        assert_eq!(g.surname_share("Chelsea"), 0);
        assert!(g.surname_share("Oscar") < 20);
        for cue in ["Agency", "Ministry", "News", "Inc.", "Party", "University"] {
            assert!(g.is_org_cue(cue), "{cue}");
        }
        assert!(!g.is_org_cue("agency"));
        assert!(g.is_common_word("Rose") && g.is_common_word("INDUSTRY"));
        assert!(!g.is_common_word("Blair") && !g.is_common_word("Reagan"));
        for role in [
            "President",
            "president",
            "chief",
            "Mr.",
            "Mr",
            "Dr.",
            "Sheikh",
            "Minister",
        ] {
            assert!(g.is_role_word(role), "{role}");
        }
        assert!(!g.is_role_word("Prime"));
        assert_eq!(g.role_kind("Prime"), Some(RoleKind::Modifier));
        assert!(!g.is_role_word("Burns"));
    }
}
