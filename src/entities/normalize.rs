//! Normalisation: from the mentions of one article to its facet values. It
//! is shared by every detector (the statistical tagger, the heuristic one),
//! so all canonicalisation rules live here and nowhere else.
//!
//! - Persons: one value per person per article, the longest full form
//!   mentioned. Shorter mentions that are its first or last words ("Burns",
//!   "Barnea's", "Mr. Al-Thani") or its first and last word link to it.
//!   Role words and honorifics ("President", "Mr.") and the possessive are
//!   dropped; ALL-CAPS names are case-normalised. A one-word person that
//!   matches no longer name is kept as written. A mention of another type
//!   that is the surname of a person in the same article ("Jordan" after
//!   "Michael Jordan") is taken as that person. A lone common first name
//!   that is rare as a surname ("Oscar", "Bill", "Chelsea") is no person
//!   unless a title introduces it: it is nearly always an award, a bill or
//!   a club. Person mentions side by side are one name ("David" +
//!   "Barnea"); a multi-word "person" named exactly like a place ("Sao
//!   Paulo") or opening a dateline before a region ("BEVERLY HILLS,
//!   Calif.") is the place; a lone festival ("Easter") is no person; a one-word person or place in a capitals
//!   headline or at a sentence start that the article also writes as a
//!   lower-case word ("ROSE", "Mobile … mobile") is that word;
//!   a one-word "person" that is a listed company ("Apple") is the company
//!   unless someone named in full in the article has it as surname, and a
//!   several-word one named exactly like a listed company ("Morgan
//!   Stanley") is the company, and so is one whose name runs on into a
//!   legal form ("Phillips Petroleum Co", "Kidder, Peabody and Co") or that
//!   the story writes elsewhere at the head of a company's name ("CITICORP
//!   <CCI>"), with the article's shorter mentions of a company ("Phillips
//!   said"). A name
//!   right after a noun for a creative work ("the film Vera Drake") is the
//!   work; after "band", an organisation.
//! - Organisation spans that run on into a person are split: after a role
//!   word ("Federal Reserve Board Chairman Paul Volcker", "BBC Mr Howard"),
//!   or when they end in a first name and a surname the article uses for a
//!   person ("Exchequer Nigel Lawson" … "Lawson said").
//! - Reuters tickers in angle brackets (`<F>`) are no organisations. An
//!   organisation of two or more words in a capitals headline is one only
//!   if the article writes it in ordinary case too (then that spelling is
//!   the value), or a legal form or ticker follows it, or it ends in an
//!   organisation word ("EXIM BANK") or reads "BANK OF …": the tagger
//!   takes runs of headline words for names ("BAHIA COCOA REVIEW").
//! - Countries: location mentions that are countries, cities (most populous
//!   of the name) or regions inside a country, and demonyms ("Egyptian"),
//!   give the country's canonical short English name and ISO alpha-2 code.
//!   Matching is case-sensitive ("turkey" is not a country) except for
//!   ALL-CAPS mentions. A country name that is also a first name ("Jordan",
//!   "Georgia") right next to a person mention is part of that name.
//! - Places: locations that are not countries (cities, regions), by their
//!   gazetteer name; unknown locations as written. A place right after
//!   "St."/"Saint" takes it in ("ST. LOUIS", which the tagger splits into
//!   an organisation "ST" and a place "LOUIS"); "St." and "Saint" spellings
//!   find the same gazetteer entry.
//! - Organisations: legal forms dropped ("Chrysler Corp" → "Chrysler"), so
//!   are qualifiers in brackets ("Cargill (USA)" → "Cargill"), a
//!   possessive kept when the name with it is a listed company ("Moody's"),
//!   deduplicated ignoring case and punctuation ("Goldman, Sachs" and
//!   "Goldman Sachs"). When an article uses both an
//!   acronym and its expansion ("Central Intelligence Agency" … "CIA"), the
//!   acronym, without periods, is the one value ("CIA", "UN"), also when
//!   its letters take in the legal form ("Commodity Credit Corporation" …
//!   "CCC") or all of a short word ("UK Independence Party" … "UKIP"); an
//!   expansion alone stays as written. A shortened name is the
//!   full one the article also uses ("Lib Dems" → "Liberal Democrats",
//!   "Man Utd" → "Manchester United"; "Labour" → "Labour Party", "Ford"
//!   → "Ford Motor"), and a name right after "General"
//!   takes it in ("General Electric", which the tagger reads as a title
//!   and "Electric"), and one that ends in a common word runs on over "and"
//!   and another ("Ministry of International Trade and Industry"), or over
//!   "and" and a second half that names nothing alone ("Cardinal Savings"
//!   and "Loan Association"). An
//!   acronym spelled out in lower case ("gross national product (GNP)") or
//!   written with a plural ("MPs") is no organisation, nor is a word of
//!   [`NOT_ACRONYMS`] ("GNP", "VAT", "MP") anywhere.

use std::borrow::Cow;

use rustc_hash::{FxHashMap, FxHashSet};

use super::gazetteer::{gazetteer, CountryInfo, Gazetteer, Location, NOT_ACRONYMS};
use super::mention::{Kind, Mention};
use crate::corpus::collapse_whitespace;
use crate::Entities;

/// Canonical, deduplicated entities of the mentions of one article, each
/// list in order of first mention.
pub fn normalize(mentions: &[Mention]) -> Entities {
    normalize_in("", mentions)
}

/// [`normalize`] for mentions found in `text` (their offsets point into
/// it): the words just before a mention count too ("Prince" before a
/// "Harry" the detector tagged alone).
pub fn normalize_in(text: &str, mentions: &[Mention]) -> Entities {
    let g = gazetteer();
    let mut lower_words = LowerWords::new(text);
    let mentions = mentions
        .iter()
        .filter(|m| {
            !is_ticker(text, m)
                && !is_money_unit(m.text.trim())
                && !lower_words.is_capitalised_word(m)
        })
        .cloned();
    let mentions = split_role_phrases(g, mentions);
    let mentions = split_trailing_persons(g, text, mentions);
    let mentions = join_adjacent_persons(text, mentions);
    let mentions = join_known_surnames(text, mentions);
    let mentions = join_saint_prefix(g, text, mentions);
    let mentions = join_general_prefix(g, text, mentions);
    let mentions = join_and_word(g, text, mentions);
    let mentions = places_named_as_persons(g, mentions);
    let mentions = party_members_read_as_persons(g, text, mentions);
    let mentions = datelines_read_as_persons(g, text, mentions);
    let mentions = facilities_named_as_persons(text, mentions);
    let mentions = works_read_as_names(text, mentions);
    let mentions = persons_heading_companies(text, mentions);
    let mentions = companies_named_as_persons(g, text, mentions);
    let mentions = listed_with_organisations(text, mentions);
    let mentions = orgs_over_lone_names(mentions);
    let mut order: Vec<&Mention> = mentions.iter().collect();
    order.sort_by_key(|m| (m.start, m.end));
    let persons = Persons::collect(g, text, &order);

    let article = text;
    let mut out = Collector::default();
    let mut orgs: Vec<OrgName> = Vec::new();
    for (i, m) in order.iter().enumerate() {
        if let Some(p) = persons.mention_person[i] {
            out.person(p, &persons);
            continue;
        }
        let text = clean(&m.text);
        if text.is_empty() {
            continue;
        }
        match m.kind {
            Kind::Person => {}
            Kind::Location => location(g, &text, i, &order, &mut out),
            Kind::Misc => {
                for c in demonym_countries(g, &text) {
                    out.country(c);
                }
            }
            Kind::Organization => {
                let text = match lower_words.headline_org(g, m) {
                    HeadlineOrg::Keep => text,
                    HeadlineOrg::Respell(spelled) => clean(spelled),
                    HeadlineOrg::Drop => continue,
                };
                let text = possessive_company(g, article, m, text);
                let written = strip_article(&text);
                // "Chrysler Corp" and "Chrysler" are one company; a legal
                // form alone ("Co Inc") names none.
                let Some(name) = strip_legal_form(written) else {
                    continue;
                };
                // "Central Intelligence Agency (CIA)" names one organisation;
                // the tagger's "Trade (GATT" leaves only the acronym standing.
                let bracketed = parenthesised(name);
                if let Some((long, short)) = bracketed.filter(|&(_, short)| !is_qualifier(g, short))
                {
                    let one_word = !long.contains(char::is_whitespace);
                    let names_nothing =
                        is_generic_org(g, long) || (one_word && g.is_common_word(long));
                    if !names_nothing {
                        orgs.push(OrgName::new(long, long));
                    }
                    orgs.push(OrgName::new(short, short));
                    continue;
                }
                // "Cargill (USA)" is Cargill, in one country.
                let name = bracketed.map_or(name, |(long, _)| long);
                if !is_generic_org(g, name)
                    && !abbreviates_common_words(article, name)
                    && !used_in_plural(article, name)
                {
                    orgs.push(OrgName::new(name, written));
                }
            }
        }
    }
    let mut entities = out.entities;
    entities.orgs = canonical_orgs(&orgs);
    entities
        .persons
        .retain(|person| !names_an_org_of(&entities.orgs, person));
    entities
}

/// Is the person also one of the article's organisations, as written or,
/// for a one-word name, in the plural ("E.F. Hutton"; "a Reuter survey"
/// beside "Reuters")? The tagger read one name two ways; the organisation
/// is kept, so that no article counts a name both as a person and as an
/// organisation (the archive may count such a person as the organisation:
/// see [`crate::aliases`]).
fn names_an_org_of(orgs: &[String], person: &str) -> bool {
    let one_word = !person.contains(' ');
    orgs.iter().any(|org| {
        org.eq_ignore_ascii_case(person)
            || (one_word
                && org.len() == person.len() + 1
                && org.ends_with(['s', 'S'])
                && org[..person.len()].eq_ignore_ascii_case(person))
    })
}

/// Splits person mentions that swallowed the role phrase before the name:
/// "Mossad chief David Barnea" is the person "David Barnea" and, before the
/// role word, the organisation "Mossad". Statistical taggers trained on
/// CoNLL, where such phrases are rare, produce these spans. Organisation
/// mentions that run on into a person are split the same way ("Federal
/// Reserve Board Chairman Paul Volcker", "BBC Mr Howard"), but only when
/// the name after the role reads as a person's (see
/// [`names_a_person_after_role`]): "General Motors" stays a company.
fn split_role_phrases(g: &Gazetteer, mentions: impl Iterator<Item = Mention>) -> Vec<Mention> {
    let mut out = Vec::new();
    for m in mentions {
        if !matches!(m.kind, Kind::Person | Kind::Organization) {
            out.push(m);
            continue;
        }
        let words = mention_words(&m);
        let Some(role) = words[..words.len().saturating_sub(1)]
            .iter()
            .rposition(|(_, w)| g.is_role_word(w))
        else {
            out.push(m);
            continue;
        };
        if m.kind == Kind::Organization && !names_a_person_after_role(g, &words, role) {
            out.push(m);
            continue;
        }
        // The prefix, less role modifiers ("Prime" in "Prime Minister") and
        // demonyms ("Qatari"), names an organisation when anything is left.
        let mut prefix = &words[..role];
        while let Some(((_, last), rest)) = prefix.split_last() {
            if g.role_kind(last).is_some() {
                prefix = rest;
            } else {
                break;
            }
        }
        out.extend(prefix_mention(g, &m, prefix));
        out.push(part_of_mention(&m, &words[role + 1..], Kind::Person));
    }
    out
}

/// Splits organisation mentions that end in a person the article names
/// elsewhere: for "Chancellor of the Exchequer Nigel Lawson" the tagger
/// gives "Exchequer Nigel Lawson", and the article's "Lawson said" shows
/// whose name ends it. The last two words must be a first name (no common
/// word) and that surname, so "Janney Montgomery Scott" stays a firm; or,
/// after an office's name ([`OFFICES`]), a first name and any surname.
fn split_trailing_persons(g: &Gazetteer, text: &str, mentions: Vec<Mention>) -> Vec<Mention> {
    let long_org = |m: &Mention| m.kind == Kind::Organization && m.text.split(' ').nth(2).is_some();
    if !mentions.iter().any(long_org) {
        return mentions;
    }
    // The article's person surnames, gathered when a span first needs them.
    let mut surnames: Option<FxHashSet<String>> = None;
    let splits: Vec<bool> = mentions
        .iter()
        .map(|m| {
            if !long_org(m) {
                return false;
            }
            let words = mention_words(m);
            let [_, .., (_, first), (_, last)] = words[..] else {
                return false;
            };
            if !g.is_first_name(first) || g.is_common_word(first) || g.is_org_cue(last) {
                return false;
            }
            in_office(g, text, m, &words)
                || surnames
                    .get_or_insert_with(|| person_surnames(&mentions))
                    .contains(clean(last).as_str())
        })
        .collect();
    let mut out = Vec::with_capacity(mentions.len());
    for (m, split) in mentions.into_iter().zip(splits) {
        if !split {
            out.push(m);
            continue;
        }
        let words = mention_words(&m);
        let name = words.len() - 2;
        // After "Chancellor of the", the words before the name are the
        // office ("Exchequer"), not an organisation.
        if !in_office(g, text, &m, &words) {
            out.extend(prefix_mention(g, &m, &words[..name]));
        }
        out.push(part_of_mention(&m, &words[name..], Kind::Person));
    }
    out
}

/// The last words of the article's person mentions.
fn person_surnames(mentions: &[Mention]) -> FxHashSet<String> {
    mentions
        .iter()
        .filter(|m| m.kind == Kind::Person)
        .filter_map(|m| clean(&m.text).rsplit(' ').next().map(str::to_string))
        .collect()
}

/// Is organisation mention `m` (with `words`) an office and its holder's
/// name, after a role and "of (the)" ("Chancellor of the" + "Exchequer
/// Nigel Lawson")?
fn in_office(g: &Gazetteer, text: &str, m: &Mention, words: &[(usize, &str)]) -> bool {
    words.len() == 3
        && OFFICES.contains(&words[0].1)
        && fits(text, m)
        && follows_role_of(g, &text[..m.start])
}

/// Offices named "ROLE of (the) OFFICE" that the tagger takes for the start
/// of an organisation before the holder's name ("Chancellor of the
/// Exchequer Nigel Lawson", "Secretary of State George Shultz").
const OFFICES: &[&str] = &["Exchequer", "State"];

/// Does `before` (the text up to a mention) end in a role word and "of"
/// or "of the" ("Chancellor of the ", "Secretary of ")?
fn follows_role_of(g: &Gazetteer, before: &str) -> bool {
    let mut words = before.split_whitespace().rev();
    let mut word = words.next();
    if word.is_some_and(|w| w.eq_ignore_ascii_case("the")) {
        word = words.next();
    }
    word.is_some_and(|w| w.eq_ignore_ascii_case("of"))
        && words.next().is_some_and(|w| g.is_role_word(w))
}

/// The words of a mention with their byte offsets inside its text.
fn mention_words(m: &Mention) -> Vec<(usize, &str)> {
    m.text
        .split_whitespace()
        .map(|w| (w.as_ptr() as usize - m.text.as_ptr() as usize, w))
        .collect()
}

/// The mention of kind `kind` made of consecutive `words` of `m` (see
/// [`mention_words`]; not empty).
fn part_of_mention(m: &Mention, words: &[(usize, &str)], kind: Kind) -> Mention {
    let (first, _) = words[0];
    let (last_at, last) = words[words.len() - 1];
    let end = last_at + last.len();
    Mention {
        kind,
        text: m.text[first..end].to_string(),
        start: m.start + first,
        end: m.start + end,
    }
}

/// What the words before a person split out of mention `m` name, if
/// anything: capitalised words without a demonym or country name. In a
/// person span that is an organisation ("Mossad chief"). Inside an
/// organisation span the words before a name are often a role's own
/// ("National Security Adviser", "Industry Secretary"): only an acronym or
/// a name with an organisation word is kept as the organisation, a known
/// place as the place.
fn prefix_mention(g: &Gazetteer, m: &Mention, prefix: &[(usize, &str)]) -> Option<Mention> {
    let org_like = !prefix.is_empty()
        && prefix
            .iter()
            .all(|(_, w)| w.starts_with(|c: char| c.is_uppercase()))
        && !prefix
            .iter()
            .any(|(_, w)| g.demonym_country(w).is_some() || g.is_country_name(w));
    if !org_like {
        return None;
    }
    let part = part_of_mention(m, prefix, Kind::Organization);
    let kind = match m.kind {
        Kind::Person => Kind::Organization,
        _ if acronym_form(&part.text).is_some() || has_org_cue_form(g, &part.text) => {
            Kind::Organization
        }
        _ if known_place(g, &part.text) => Kind::Location,
        _ => return None,
    };
    Some(Mention { kind, ..part })
}

/// Longest name that can follow a role inside an organisation span
/// ("Mr Howard", "Paul Volcker", "Mohammed bin Salman").
const MAX_NAME_AFTER_ROLE: usize = 4;

/// Forms of address that begin no company's name (unlike "Dr" in "Dr
/// Pepper" or "Lord" in "Lord Abbett").
const FORMS_OF_ADDRESS: &[&str] = &["mr", "mrs", "ms"];

/// Do the words of an organisation mention after its role word `role` name
/// a person? They must be capitalised and few, and either follow a form of
/// address ("Mr Cable") or be a first name that is no common word and a
/// surname ("Chairman Paul Volcker"; not "General Trust", "Queen Mary",
/// "Queen Elizabeth College").
fn names_a_person_after_role(g: &Gazetteer, words: &[(usize, &str)], role: usize) -> bool {
    let name = &words[role + 1..];
    let (_, role_word) = words[role];
    let (_, first) = name[0];
    let role_word = role_word.strip_suffix('.').unwrap_or(role_word);
    let addressed = FORMS_OF_ADDRESS.contains(&role_word.to_lowercase().as_str());
    let full_name = name.len() >= 2 && g.is_first_name(first) && !g.is_common_word(first);
    let (_, last) = name[name.len() - 1];
    name.len() <= MAX_NAME_AFTER_ROLE
        && !g.is_org_cue(last)
        && name
            .iter()
            .all(|(_, w)| w.starts_with(|c: char| c.is_uppercase()))
        && (addressed || full_name)
}

/// Looks up whether an article writes a word in lower case. Whether the
/// article capitalises names at all is worked out on first use: most
/// articles have no mention to check.
struct LowerWords<'a> {
    text: &'a str,
    /// `false` when the article is written in lower case throughout (some
    /// wire stories are: "president jaime lusinchi said"), where lower case
    /// says nothing about a word.
    normally_cased: Option<bool>,
    /// `text` in ASCII lower case (same byte offsets), made when first needed.
    lowered: Option<String>,
}

/// What an organisation mention in a capitals line stands for.
#[derive(Debug, PartialEq)]
enum HeadlineOrg<'a> {
    /// Not such a mention, or one that ends in or is followed by a legal
    /// form or a ticker ("COLECO INDUSTRIES INC <CLO>"), or ends in an
    /// organisation word ("NORSTAR BANCORP", "VANCOUVER EXCHANGE") or
    /// begins with one and "of" ("BANK OF FRANCE"): kept as written.
    Keep,
    /// The article writes the same words in ordinary case: that spelling
    /// ("AM INTERNATIONAL" … "AM International Inc").
    Respell(&'a str),
    /// Headline words the tagger read as a name ("BAHIA COCOA REVIEW").
    Drop,
}

impl<'a> LowerWords<'a> {
    fn new(text: &'a str) -> LowerWords<'a> {
        LowerWords {
            text,
            normally_cased: None,
            lowered: None,
        }
    }

    /// Sorts out organisation mentions in an ALL-CAPS line (see
    /// [`HeadlineOrg`]). In a capitals headline the tagger takes runs of
    /// words for names: 4,470 of the Reuters-21578 organisation values were
    /// such runs ("U.S. BANK DISCOUNT BORROWINGS", "DF> SEES"). One-word
    /// mentions are only respelled ("FED" … "the Fed said" → "Fed"), never
    /// dropped (acronyms: "USDA", "OPEC"). Articles that do not capitalise
    /// names at all are left alone.
    fn headline_org(&mut self, g: &Gazetteer, m: &Mention) -> HeadlineOrg<'a> {
        let text = self.text;
        if m.kind != Kind::Organization
            || !fits(text, m)
            || !in_caps_line(text, m)
            || !self.normally_cased()
        {
            return HeadlineOrg::Keep;
        }
        let lowered = self
            .lowered
            .get_or_insert_with(|| text.to_ascii_lowercase());
        let needle = m.text.to_ascii_lowercase();
        for at in memchr::memmem::find_iter(lowered.as_bytes(), needle.as_bytes()) {
            // ASCII lower-casing keeps byte offsets: `at` is an offset of `text`.
            let Some(found) = text.get(at..at + needle.len()) else {
                continue;
            };
            if is_whole_word(text, at, needle.len())
                && found.contains(char::is_lowercase)
                && reads_as_org_name(found)
            {
                return HeadlineOrg::Respell(found);
            }
        }
        if !m.text.trim().contains(char::is_whitespace)
            || names_a_company(&text[m.end..])
            || strip_legal_form(&m.text) != Some(m.text.as_str())
            || has_org_cue_form(g, &m.text)
        {
            HeadlineOrg::Keep
        } else {
            HeadlineOrg::Drop
        }
    }

    /// Is `m` a one-word person or location whose capital says nothing,
    /// because it stands in an ALL-CAPS line (a headline: "SPENDING ROSE")
    /// or begins a sentence ("Mobile phones get faster"), while the article
    /// also uses the word in lower case ("spending rose", "mobile
    /// networks")? Then the mention is an ordinary word the tagger misread.
    /// Organisations are left alone: wire copy writes acronyms in lower
    /// case too ("usda said").
    fn is_capitalised_word(&mut self, m: &Mention) -> bool {
        let text = self.text;
        if !matches!(m.kind, Kind::Person | Kind::Location)
            || m.text.contains(char::is_whitespace)
            || !fits(text, m)
        {
            return false;
        }
        if !in_caps_line(text, m) && !starts_sentence(text, m.start) {
            return false;
        }
        self.normally_cased() && contains_word(text, &m.text.to_lowercase())
    }

    /// [`normally_cased`] of the article, worked out once.
    fn normally_cased(&mut self) -> bool {
        let text = self.text;
        *self
            .normally_cased
            .get_or_insert_with(|| normally_cased(text))
    }
}

/// Is `m` a mention of `text` (its offsets fit and point at its words)?
/// Mentions normalised without their text ([`normalize`]) are not.
fn fits(text: &str, m: &Mention) -> bool {
    text.get(m.start..m.end) == Some(m.text.as_str())
}

/// Is mention `m` (whose offsets fit `text`) written in capitals, in a line
/// without lower-case letters (a headline)?
fn in_caps_line(text: &str, m: &Mention) -> bool {
    is_all_caps(&m.text) && !line_around(text, m.start, m.end).contains(char::is_lowercase)
}

/// The line of `text` that holds bytes `start..end`.
fn line_around(text: &str, start: usize, end: usize) -> &str {
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[end..].find('\n').map_or(text.len(), |i| end + i);
    &text[line_start..line_end]
}

/// Every word capitalised (or a digit, "&", or a particle such as "of" or
/// "and"): "Shearson Lehman", "Bank of England", not "U.S. bank discount".
fn reads_as_org_name(text: &str) -> bool {
    text.split_whitespace().all(|w| {
        w.starts_with(|c: char| c.is_uppercase() || c.is_ascii_digit())
            || w == "&"
            || NAME_PARTICLES.contains(&w)
    })
}

/// Does a capitals mention end in an organisation word ("EXIM BANK") or
/// begin with one followed by "OF" ("BANK OF FRANCE")?
fn has_org_cue_form(g: &Gazetteer, text: &str) -> bool {
    let words: Vec<&str> = text.split_whitespace().collect();
    let cue = |w: &str| g.is_org_cue(w) || g.is_org_cue(&title_case(w));
    words.last().is_some_and(|w| cue(w))
        || (words.len() >= 3 && cue(words[0]) && words[1].eq_ignore_ascii_case("of"))
}

/// Does `after` (the text following a mention) begin with a legal form or a
/// Reuters ticker: " INC <CLO>", " CORP", " <EE>"?
fn names_a_company(after: &str) -> bool {
    let rest = after.trim_start_matches([' ', '\t']);
    if rest.starts_with('<') {
        return true;
    }
    let word = rest
        .split(|c: char| c.is_whitespace() || c == ',' || c == '<')
        .next()
        .unwrap_or("")
        .trim_end_matches('.');
    is_legal_form(word)
}

/// Does `text` capitalise names: are at least 2% of the words inside
/// sentences capitalised ("Mexico", not "MEXICO": headlines in capitals
/// say nothing)? Ordinary news has several times that; a story typed in
/// lower case has almost none.
fn normally_cased(text: &str) -> bool {
    // This reads whole articles: most separate their words by spaces and
    // line breaks only, which SIMD search finds far faster than
    // `split_whitespace` decodes characters.
    if has_other_whitespace(text) {
        return cased_normally(text.split_whitespace());
    }
    let mut start = 0;
    let ends = memchr::memchr2_iter(b' ', b'\n', text.as_bytes()).chain([text.len()]);
    cased_normally(ends.filter_map(|end| {
        let word = &text[start..end];
        start = end + 1;
        (!word.is_empty()).then_some(word)
    }))
}

/// [`normally_cased`] of an article's words.
fn cased_normally<'a>(words: impl Iterator<Item = &'a str>) -> bool {
    let (mut inside, mut capitalised) = (0usize, 0usize);
    let mut sentence_start = true;
    for word in words {
        if !sentence_start {
            match word.chars().next() {
                Some(c) if c.is_lowercase() => inside += 1,
                // Capitalised, not in capitals throughout.
                Some(c) if c.is_uppercase() && word.contains(char::is_lowercase) => {
                    inside += 1;
                    capitalised += 1;
                }
                _ => {}
            }
        }
        sentence_start = word.ends_with(['.', '?', '!']);
    }
    inside == 0 || capitalised * 50 >= inside
}

/// Does `text` hold whitespace other than spaces and line breaks (tabs,
/// carriage returns, no-break and other Unicode spaces)?
fn has_other_whitespace(text: &str) -> bool {
    let bytes = text.as_bytes();
    if memchr::memchr3(b'\t', b'\r', b'\x0b', bytes).is_some()
        || memchr::memchr(b'\x0c', bytes).is_some()
    {
        return true;
    }
    // Outside ASCII, whitespace characters begin with one of these bytes
    // (U+0085, U+00A0; U+1680; U+2000 to U+205F; U+3000).
    let mut leads =
        memchr::memchr3_iter(0xC2, 0xE1, 0xE2, bytes).chain(memchr::memchr_iter(0xE3, bytes));
    leads.any(|at| {
        text.get(at..)
            .and_then(|rest| rest.chars().next())
            .is_some_and(char::is_whitespace)
    })
}

/// Does `word` occur in `text` as a whole word, exactly as given?
fn contains_word(text: &str, word: &str) -> bool {
    !word.is_empty()
        && memchr::memmem::find_iter(text.as_bytes(), word.as_bytes())
            .any(|at| is_whole_word(text, at, word.len()))
}

/// Do bytes `at..at + len` of `text` (on character boundaries) have no
/// letter or digit right before or after them?
fn is_whole_word(text: &str, at: usize, len: usize) -> bool {
    let before = text[..at].chars().next_back();
    let after = text[at + len..].chars().next();
    !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
}

/// Does byte `at` of `text` begin a sentence: nothing but spaces and
/// opening quotes between it and the text's start, a line break or a full
/// stop, question or exclamation mark?
fn starts_sentence(text: &str, at: usize) -> bool {
    let before = text[..at].trim_end_matches(|c: char| {
        c == ' ' || c == '\t' || matches!(c, '"' | '\'' | '“' | '‘' | '(')
    });
    before.is_empty() || before.ends_with(['\n', '.', '?', '!'])
}

/// A person mention of two or more words that is exactly a place's name
/// ("Sao Paulo", "New York") is that place: nobody is called that, while
/// the tagger reads such names as people in headlines and lists. One-word
/// names stay people ("Austin", "Sydney", "Jordan" are names too).
fn places_named_as_persons(g: &Gazetteer, mut mentions: Vec<Mention>) -> Vec<Mention> {
    for m in &mut mentions {
        if m.kind != Kind::Person || !m.text.trim().contains(char::is_whitespace) {
            continue;
        }
        let text = clean(&m.text);
        if text.contains(' ') && place_named(g, &text, is_all_caps(&text)).is_some() {
            m.kind = Kind::Location;
        }
    }
    mentions
}

/// Members of a party named by their party: "Texas Democrat", "Illinois
/// Republican" (as American news describes members of Congress: "Jim
/// Wright, a Texas Democrat") are nobody's name but their place, and
/// "Christian Democrats" or "Free Democrats" are a party. The tagger reads
/// both as people (33 mentions in Reuters-21578).
fn party_members_read_as_persons(
    g: &Gazetteer,
    text: &str,
    mut mentions: Vec<Mention>,
) -> Vec<Mention> {
    const PARTY_MEMBERS: [&str; 4] = ["Democrat", "Democrats", "Republican", "Republicans"];
    for m in &mut mentions {
        if m.kind != Kind::Person || !fits(text, m) {
            continue;
        }
        let Some((head, last)) = m.text.trim_end().rsplit_once(char::is_whitespace) else {
            continue;
        };
        if !PARTY_MEMBERS.contains(&last) {
            continue;
        }
        let head = head.trim_end();
        let place = clean(head);
        if place_named(g, &place, is_all_caps(&place)).is_some() {
            if let Some(place) = Mention::new(Kind::Location, text, m.start, m.start + head.len()) {
                *m = place;
            }
        } else {
            m.kind = Kind::Organization;
        }
    }
    mentions
}

/// A "person" that opens a line in capitals and is followed by a comma and
/// a region is the place of a dateline: "BEVERLY HILLS, Calif., Feb 26 -".
/// The gazetteer leaves out towns this small, and the tagger reads
/// capitals it does not know as a name. The article's other mentions of
/// the name ("Beverly Hills residents") are the place too.
fn datelines_read_as_persons(
    g: &Gazetteer,
    text: &str,
    mut mentions: Vec<Mention>,
) -> Vec<Mention> {
    let mut places: Vec<String> = Vec::new();
    for m in &mut mentions {
        if m.kind != Kind::Person || !fits(text, m) || !is_all_caps(&m.text) {
            continue;
        }
        let line_start = text[..m.start].rfind('\n').map_or(0, |i| i + 1);
        if !text[line_start..m.start].trim().is_empty() {
            continue;
        }
        let Some(after) = text[m.end..].strip_prefix(", ") else {
            continue;
        };
        let region = after.split(',').next().unwrap_or("").trim();
        if matches!(place_named(g, region, false), Some(Location::Region { .. })) {
            m.kind = Kind::Location;
            places.push(clean(&m.text).to_lowercase());
        }
    }
    if !places.is_empty() {
        for m in &mut mentions {
            if m.kind == Kind::Person && places.contains(&clean(&m.text).to_lowercase()) {
                m.kind = Kind::Location;
            }
        }
    }
    mentions
}

/// Lower-case nouns of places and structures that take a name in front
/// ("the Kerem Shalom crossing", "Don Muang airport", "the Howard tunnel").
/// Nouns that also follow a person's name ("the Netanyahu camp", "the
/// Biden administration", "town hall") are not listed.
const FACILITY_NOUNS: &[&str] = &[
    "airport",
    "airports",
    "airbase",
    "airfield",
    "bridge",
    "canal",
    "checkpoint",
    "checkpoints",
    "crossing",
    "crossings",
    "dam",
    "hospital",
    "oilfield",
    "prison",
    "refinery",
    "reservoir",
    "river",
    "stadium",
    "strait",
    "tunnel",
    "valley",
];

/// Words that begin the object of a verb: after them, "crossing" is the
/// verb ("Jones crossing the line"), not the noun.
const DETERMINERS: &[&str] = &["the", "a", "an", "his", "her", "its", "their"];

/// A person mention right before a facility noun ("the Rafah and Kerem
/// Shalom crossings") names the place: the tagger, trained on 1996 news,
/// reads unfamiliar two-word names as people. Other mentions of the same
/// name of two or more words follow it ("Kerem Shalom was closed"); a
/// one-word name ("Kennedy airport") may still be a person elsewhere.
fn facilities_named_as_persons(text: &str, mut mentions: Vec<Mention>) -> Vec<Mention> {
    let mut facilities: FxHashSet<String> = FxHashSet::default();
    for m in &mut mentions {
        if m.kind == Kind::Person && fits(text, m) && names_a_facility(&text[m.end..]) {
            m.kind = Kind::Location;
            let name = clean(&m.text);
            if name.contains(' ') {
                facilities.insert(name);
            }
        }
    }
    for m in &mut mentions {
        if m.kind == Kind::Person && facilities.contains(&clean(&m.text)) {
            m.kind = Kind::Location;
        }
    }
    mentions
}

/// Does `after` (the text following a mention) begin with a facility
/// noun: " crossing", " airports", but not " crossing the"?
fn names_a_facility(after: &str) -> bool {
    let mut words = after
        .strip_prefix(' ')
        .unwrap_or("")
        .split(|c: char| !c.is_alphabetic());
    let noun = words.next().unwrap_or("");
    if !FACILITY_NOUNS.contains(&noun) {
        return false;
    }
    let next = after[1 + noun.len()..].strip_prefix(' ').unwrap_or("");
    let next_word = next
        .split(|c: char| !c.is_alphabetic())
        .next()
        .unwrap_or("");
    noun != "crossing" || !DETERMINERS.contains(&next_word)
}

/// Nouns for creative works and their makers: a capitalised name right
/// after one is a title or a band ("the film Vera Drake", "the band Kaiser
/// Chiefs").
const WORK_NOUNS: &[&str] = &[
    "album",
    "albums",
    "band",
    "comedy",
    "documentary",
    "drama",
    "film",
    "films",
    "movie",
    "movies",
    "musical",
    "novel",
    "series",
    "sitcom",
    "thriller",
];

/// A person or organisation mention right after a work noun
/// ([`WORK_NOUNS`]) names the work: BBC arts pages gave "Vera Drake" (the
/// film) as a person in 10 articles and "Million Dollar Baby" as an
/// organisation. A band is an organisation, as CoNLL tags them ("the band
/// Franz Ferdinand"). The article's other mentions of the name follow it,
/// and for a person's so do those of its first or last words ("Vera Drake
/// won three awards", "Vera's director").
fn works_read_as_names(text: &str, mut mentions: Vec<Mention>) -> Vec<Mention> {
    let mut works: Vec<(Vec<String>, Kind)> = Vec::new();
    for m in &mut mentions {
        if !matches!(m.kind, Kind::Person | Kind::Organization) || !fits(text, m) {
            continue;
        }
        let Some(noun) = work_noun_before(&text[..m.start]) else {
            continue;
        };
        let kind = if noun == "band" {
            Kind::Organization
        } else {
            Kind::Misc
        };
        m.kind = kind;
        works.push((lower_words(&clean(&m.text)), kind));
    }
    if works.is_empty() {
        return mentions;
    }
    for m in &mut mentions {
        if !matches!(m.kind, Kind::Person | Kind::Organization) {
            continue;
        }
        let words = lower_words(&clean(&m.text));
        let work = works.iter().find(|(work, _)| match m.kind {
            Kind::Person => part_of(&words, work),
            _ => words == *work,
        });
        if let Some(&(_, kind)) = work {
            m.kind = kind;
        }
    }
    mentions
}

/// Where the run of `in_word` characters that ends `text` begins (a byte
/// offset; `text.len()` when `text` ends in another character).
fn last_word_start(text: &str, in_word: impl Fn(char) -> bool) -> usize {
    text.char_indices()
        .rev()
        .find(|&(_, c)| !in_word(c))
        .map_or(0, |(i, c)| i + c.len_utf8())
}

/// The work noun that `before` (the text up to a mention) ends in, with at
/// most a comma, an opening quote or a title's "The" after it ("the film
/// ", "album, ", "musical '", "the film The ")?
fn work_noun_before(before: &str) -> Option<&'static str> {
    let quotes = [' ', '\'', '"', '‘', '“'];
    let mut before = before.trim_end_matches(quotes);
    for article in ["The", "A", "An"] {
        if let Some(rest) = before.strip_suffix(article) {
            if rest.ends_with(quotes) {
                before = rest.trim_end_matches(quotes);
                break;
            }
        }
    }
    let before = before.trim_end_matches(',');
    let word_start = last_word_start(before, char::is_alphabetic);
    WORK_NOUNS
        .iter()
        .find(|&&noun| noun == &before[word_start..])
        .copied()
}

/// A "person" whose name runs on into a legal form is the company the
/// name begins: "Phillips Petroleum Co", "E.F. Hutton Group Inc", "Kidder,
/// Peabody and Co", "James Capel (Far East) Ltd", "Alex. Brown Inc". Wire
/// copy names firms after their founders, and the tagger, which learned
/// names from people, reads the founder. The mention takes in the rest of
/// the company's name, and the mentions the tagger found there ("Peabody
/// and Co") with it.
fn persons_heading_companies(text: &str, mut mentions: Vec<Mention>) -> Vec<Mention> {
    mentions.sort_by_key(|m| (m.start, m.end));
    let mut absorbed = vec![false; mentions.len()];
    for i in 0..mentions.len() {
        let m = &mentions[i];
        if m.kind != Kind::Person || absorbed[i] || !fits(text, m) {
            continue;
        }
        let Some(mut end) = company_name_end(text, m.start, m.end) else {
            continue;
        };
        let inside: Vec<usize> = (i + 1..mentions.len())
            .take_while(|&j| mentions[j].start < end)
            .collect();
        // A tagged organisation may run on past the legal form ("Co Inc"),
        // a place may qualify the name ("(Far East)"), a partner may be
        // read as a person ("Sears, Roebuck and Co"); a work or event in
        // there means the words are something else.
        if inside.iter().any(|&j| mentions[j].kind == Kind::Misc) {
            continue;
        }
        end = inside.iter().fold(end, |end, &j| end.max(mentions[j].end));
        if let Some(company) = Mention::new(Kind::Organization, text, m.start, end) {
            mentions[i] = company;
            for j in inside {
                absorbed[j] = true;
            }
        }
    }
    without_absorbed(mentions, &absorbed)
}

/// Is `text[start..end]` in a line that capitalises
/// every word of four letters or more, as headlines do, in capitals or in
/// title case? Such a line says nothing about where a name ends.
fn in_headline_case_line(text: &str, start: usize, end: usize) -> bool {
    const MAX_HEADLINE_WORDS: usize = 16;
    let mut words = line_around(text, start, end).split_whitespace();
    let mut first = words.by_ref().take(MAX_HEADLINE_WORDS);
    let capitalised = |w: &str| !(w.len() >= 4 && w.starts_with(char::is_lowercase));
    first.all(capitalised) && words.next().is_none()
}

/// Most capitalised words between a name and its legal form: "Citicorp
/// Capital Investors Ltd".
const MAX_WORDS_BEFORE_LEGAL_FORM: usize = 3;

/// Bytes after a name that [`company_name_end`] looks at: enough for
/// "|, Harris Upham and Co Inc" or "| Capital Investors (Far East) Ltd".
const COMPANY_TAIL_BYTES: usize = 120;

/// Where the company name that the name at `text[start..name_end]` begins
/// ends: after the legal form that the text following it reaches over at most
/// [`MAX_WORDS_BEFORE_LEGAL_FORM`] capitalised words, "and", "&" or a
/// qualifier in brackets ("Phillips| Petroleum Co", "James Capel| (Far
/// East) Ltd"). After a comma only a partner and a legal form may follow
/// ("Kidder|, Peabody and Co", "Smith Barney|, Harris Upham and Co"), so
/// "John Smith, Acme Corp's chairman" stays a person. In a headline,
/// where every word is capitalised ("JOHN SMITH NAMED ACME CORP HEAD",
/// "Mary Jones Joins Acme Inc"), only a legal form right after the name
/// counts. A Reuters ticker right after the name ("PHILLIPS
/// <P>") ends the company name there.
fn company_name_end(text: &str, start: usize, name_end: usize) -> Option<usize> {
    // Most names are followed by a verb or punctuation: no company.
    let next = text[name_end..].trim_start_matches([' ', '\t', '\n']);
    let may_continue = next.starts_with(|c: char| {
        c.is_uppercase() || c.is_ascii_digit() || matches!(c, ',' | '<' | '(' | '&')
    }) || next.starts_with("and ");
    if !may_continue {
        return None;
    }
    // A company's name ends within a few words.
    let mut window = (name_end + COMPANY_TAIL_BYTES).min(text.len());
    while !text.is_char_boundary(window) {
        window -= 1;
    }
    let after = &text[name_end..window];
    let after = &after[..after.find("\n\n").unwrap_or(after.len())];
    // Looked at only when a capitalised word is met: a headline says
    // nothing about where a name ends.
    let mut words_allowed = None;
    let mut end = None;
    let mut words = 0;
    let mut after_comma = false;
    let mut partners = 0;
    let mut words_after_and = 0;
    let mut in_brackets = false;
    let mut offset = 0;
    for (n, word) in after.split_whitespace().enumerate() {
        let at = offset + after[offset..].find(word)?;
        offset = at + word.len();
        if n == 0 && at == 0 && word != "," {
            // Glued to the name: "Phillips's", "Smith-Jones".
            return None;
        }
        if n == 0 && word == "," {
            after_comma = true;
            continue;
        }
        // "Citicorp <CCI>.", "<CCI>,": punctuation may follow the ticker.
        let ticker = word.trim_end_matches(['.', ',', ';', ':', ')']);
        if n == 0 && ticker.starts_with('<') && ticker.ends_with('>') {
            return Some(name_end);
        }
        let bare = word.trim_end_matches([',', '.', ';', ':']);
        let capitalised = bare.starts_with(|c: char| c.is_uppercase() || c.is_ascii_digit());
        if capitalised && is_legal_form(bare) && !in_brackets {
            end = Some(name_end + at + bare.len());
            if bare.len() < word.len() && !word.ends_with('.') {
                break;
            }
            continue;
        }
        if end.is_some() {
            break;
        }
        if in_brackets || word.starts_with('(') {
            let inner = word.trim_start_matches('(');
            if !inner.starts_with(char::is_uppercase) {
                return None;
            }
            in_brackets = !word.ends_with(')');
            words += 1;
        } else if bare == "and" || bare == "&" {
            partners += 1;
            words_after_and = 0;
        } else if capitalised && bare.len() == word.len() {
            words += 1;
            words_after_and += 1;
        } else {
            return None;
        }
        let words_allowed = *words_allowed.get_or_insert_with(|| {
            if in_headline_case_line(text, start, name_end) {
                0
            } else {
                MAX_WORDS_BEFORE_LEGAL_FORM
            }
        });
        // One partner of one word: "and Sons Inc", not "Wagner and Brown
        // and AFG Industries Inc", two companies.
        if words > words_allowed || partners > 1 || (partners == 1 && words_after_and > 1) {
            return None;
        }
        if after_comma && words > 2 {
            return None;
        }
    }
    // "X, Y and Co": a comma brings in a partner, not any name.
    if after_comma && partners == 0 {
        return None;
    }
    end
}

/// A one-word person mention that is a listed company's name ("Apple
/// said sales of its iPod…", "Nintendo said") is the company, unless it is
/// the surname of a person named in full in the article. The tagger learned
/// from 1996 news and reads many later companies as people. A longer
/// "person" that ends in a legal form or is a listed company's whole name
/// ("Morgan Stanley", "Wells Fargo") is a company too, and one that ends
/// in a money unit is an amount.
fn companies_named_as_persons(
    g: &Gazetteer,
    text: &str,
    mut mentions: Vec<Mention>,
) -> Vec<Mention> {
    let surnames: FxHashSet<String> = mentions
        .iter()
        .filter(|m| m.kind == Kind::Person)
        .filter_map(|m| {
            let text = clean(&m.text);
            let (_, last) = text.rsplit_once(' ')?;
            Some(last.to_string())
        })
        .collect();
    let article = text;
    let mut companies: Vec<Vec<String>> = Vec::new();
    // Persons found to be companies here: one may be a shorter mention of
    // a company named in full ("Morgan" of "Morgan Guaranty Trust Co").
    let mut found = vec![false; mentions.len()];
    // A name is looked for in the article once, however often it is used.
    let mut heads_company: FxHashMap<String, bool> = FxHashMap::default();
    let mut heads_a_company = |name: &str| match heads_company.get(name) {
        Some(&known) => known,
        None => {
            let found = heads_a_company_in(article, name);
            heads_company.insert(name.to_string(), found);
            found
        }
    };
    for (m, found) in mentions.iter_mut().zip(&mut found) {
        if m.kind != Kind::Person {
            continue;
        }
        let text = clean(&m.text);
        let initials_or_unknown_first_name = || no_first_name(g, &text);
        match text.rsplit_once(' ') {
            None => {
                let listed = g.is_company(&text);
                if (listed || heads_a_company(&text)) && !surnames.contains(&text) {
                    m.kind = Kind::Organization;
                    // A listed name stands for the group ("Shell" beside
                    // "Shell Canada Ltd").
                    *found = !listed;
                }
            }
            // "Dean Witter Reynolds Inc", "Mark IV Industries Inc".
            Some((_, last)) if is_legal_form(last.trim_end_matches('.')) => {
                m.kind = Kind::Organization;
                companies.push(lower_words(&text));
            }
            // "H.K. Dlrs", "N.Z. Dlrs": an amount, nobody's name.
            Some((_, last)) if is_money_unit(last) => m.kind = Kind::Misc,
            // "Morgan Stanley", "Wells Fargo": the listed company.
            Some(_) if g.is_company(&text) => {
                m.kind = Kind::Organization;
                companies.push(lower_words(&text));
            }
            // "E.F. Hutton" of "E.F. HUTTON <EFH>", but not "Ivan Boesky" of
            // "Ivan Boesky and Co", whom the story is about too.
            Some(_) if initials_or_unknown_first_name() && heads_a_company(&text) => {
                m.kind = Kind::Organization;
                companies.push(lower_words(&text));
            }
            Some(_) => {}
        }
    }
    // So does any company the article names with its legal form ("Phillips
    // Petroleum Co" … "Phillips said").
    for m in mentions.iter().filter(|m| m.kind == Kind::Organization) {
        let name = clean(&m.text);
        let ends_in_legal_form = name
            .rsplit_once(' ')
            .is_some_and(|(_, last)| is_legal_form(last.trim_end_matches('.')));
        if ends_in_legal_form || (fits(text, m) && names_a_company(&text[m.end..])) {
            companies.push(lower_words(&name));
        }
    }
    // The company's shorter mentions ("Sharon Steel", "Mark IV") are the
    // company, named in full already: no person, and no second value.
    for (m, found) in mentions.iter_mut().zip(found) {
        if m.kind == Kind::Person || found {
            let words = lower_words(&clean(&m.text));
            if companies.iter().any(|company| company.starts_with(&words)) {
                m.kind = Kind::Misc;
            }
        }
    }
    mentions
}

/// Does `name` begin with something other than a known first name
/// (initials, "E.F. Hutton"; a word the first-name list lacks)?
fn no_first_name(g: &Gazetteer, name: &str) -> bool {
    let first = name.split(' ').next().unwrap_or_default();
    !g.is_first_name(first)
}

/// Does the article write `name` somewhere as the start of a company's
/// name, as it is or in capitals: "CITICORP <CCI> DENIES …", "Brown Group
/// Inc said" (see [`company_name_end`])? A person named like a company
/// elsewhere in the same story is that company: wire copy names firms
/// after their founders, and the tagger reads the founder.
fn heads_a_company_in(article: &str, name: &str) -> bool {
    // An empty needle matches between the bytes of a character.
    if name.is_empty() {
        return false;
    }
    let in_capitals = name.to_uppercase();
    [name, in_capitals.as_str()].iter().any(|written| {
        memchr::memmem::find_iter(article.as_bytes(), written.as_bytes()).any(|at| {
            let end = at + written.len();
            is_whole_word(article, at, written.len())
                && company_name_end(article, at, end).is_some()
        })
    })
}

/// The words of `text` in lower case.
fn lower_words(text: &str) -> Vec<String> {
    text.split_whitespace().map(str::to_lowercase).collect()
}

/// Wire copy's abbreviated money and quantity units ("200 mln H.K. Dlrs",
/// "5 pct"), which the tagger may take for the last word of a name.
fn is_money_unit(word: &str) -> bool {
    ["dlr", "dlrs", "stg", "pct", "cts", "mln", "bln"]
        .iter()
        .any(|unit| unit.eq_ignore_ascii_case(word.trim_end_matches('.')))
}

/// A stock ticker in angle brackets, as Reuters writes them after a
/// company's name (`Ford Motor Co <F>`, `<NIXG.F>`): one word without lower
/// case right inside `<` and `>`. The company is named next to it already.
fn is_ticker(text: &str, m: &Mention) -> bool {
    let enclosed = m.start > 0
        && text.get(m.start - 1..m.start) == Some("<")
        && text.get(m.end..m.end + 1) == Some(">");
    enclosed && !m.text.contains(char::is_whitespace) && !m.text.contains(char::is_lowercase)
}

/// Person mentions separated by nothing but spaces in `text` are one name:
/// a tagger boundary error ("Mossad chief David" + "Barnea") would
/// otherwise leave "David" and "Barnea" as two people. News never writes two
/// people's names side by side without punctuation, except in ALL-CAPS
/// headlines, where every word looks like a name ("MILLER SAYS" +
/// "REAGAN"): those are left apart. Without `text` (or when offsets do not
/// fit it), mentions are left as they are.
fn join_adjacent_persons(text: &str, mut mentions: Vec<Mention>) -> Vec<Mention> {
    mentions.sort_by_key(|m| (m.start, m.end));
    let mut out: Vec<Mention> = Vec::with_capacity(mentions.len());
    for m in mentions {
        if let Some(prev) = out.last_mut() {
            let gap = (prev.kind == Kind::Person && m.kind == Kind::Person)
                .then(|| text.get(prev.end..m.start))
                .flatten();
            if let (Some(gap), Some(joined)) = (gap, text.get(prev.start..m.end)) {
                if !gap.is_empty()
                    && gap.chars().all(|c| c == ' ' || c == '\t')
                    && reads_as_name(&prev.text)
                    && reads_as_name(&m.text)
                    && !is_all_caps(joined)
                {
                    prev.text = joined.to_string();
                    prev.end = m.end;
                    continue;
                }
            }
        }
        out.push(m);
    }
    out
}

/// A person mention followed, after a space, by a capitalised word that the
/// tagger left out there but tags as a person (or a person's last word)
/// elsewhere in the article takes that word in: "Mossad chief David" +
/// "Barnea" when a later sentence has "Barnea said". Headlines in capitals
/// are left alone, as in [`join_adjacent_persons`].
fn join_known_surnames(text: &str, mut mentions: Vec<Mention>) -> Vec<Mention> {
    let surnames: FxHashSet<String> = mentions
        .iter()
        .filter(|m| m.kind == Kind::Person)
        .filter_map(|m| m.text.split_whitespace().next_back())
        .filter(|w| reads_as_name(w))
        .map(str::to_string)
        .collect();
    if surnames.is_empty() {
        return mentions;
    }
    mentions.sort_by_key(|m| (m.start, m.end));
    for i in 0..mentions.len() {
        let m = &mentions[i];
        if m.kind != Kind::Person || !fits(text, m) || !reads_as_name(&m.text) {
            continue;
        }
        let rest = &text[m.end..];
        let Some(word) = rest.strip_prefix(' ') else {
            continue;
        };
        let len = word
            .find(|c: char| !(c.is_alphanumeric() || c == '-'))
            .unwrap_or(word.len());
        let (start, end) = (m.end + 1, m.end + 1 + len);
        let tagged_there = mentions.get(i + 1).is_some_and(|next| next.start < end);
        let joined = &text[m.start..end];
        if len == 0 || tagged_there || !surnames.contains(&text[start..end]) || is_all_caps(joined)
        {
            continue;
        }
        let joined = joined.to_string();
        let m = &mut mentions[i];
        m.text = joined;
        m.end = end;
    }
    mentions
}

/// "ST. LOUIS, March 3 -": the tagger often takes the "ST." of a place
/// name for an organisation of its own, or leaves it out, which leaves the
/// place "Louis" in no country (99 Reuters-21578 records had the
/// organisation "ST"). A location mention right after "St.", "St", "Ste."
/// or "Saint" takes that word in, unless the place is known without it
/// and unknown with it ("Market St Pennsylvania"); a mention of just that
/// word goes. A saint's name with a possessive ("St George's Chapel") is a
/// building, not a place.
fn join_saint_prefix(g: &Gazetteer, text: &str, mut mentions: Vec<Mention>) -> Vec<Mention> {
    mentions.sort_by_key(|m| (m.start, m.end));
    let mut absorbed = vec![false; mentions.len()];
    for i in 0..mentions.len() {
        let m = &mentions[i];
        if m.kind != Kind::Location || !fits(text, m) {
            continue;
        }
        let before = &text[..m.start];
        let trimmed = before.trim_end_matches(' ');
        if trimmed.len() == before.len() {
            continue;
        }
        let word_start = last_word_start(trimmed, |c| c.is_alphabetic() || c == '.');
        if !is_saint(&trimmed[word_start..]) {
            continue;
        }
        let place_start = m.start;
        let Some(joined) = Mention::new(Kind::Location, text, word_start, m.end) else {
            continue;
        };
        if !known_place(g, &joined.text) && known_place(g, &m.text) {
            continue;
        }
        for (j, other) in mentions.iter().enumerate().take(i) {
            if other.start >= word_start && other.end <= place_start {
                absorbed[j] = true;
            }
        }
        mentions[i] = joined;
    }
    for m in &mut mentions {
        // "St George's Chapel", "St Paul's Cathedral": a building, not the
        // city of that name.
        let saint = m.text.split_whitespace().next().is_some_and(is_saint);
        let after = text.get(m.end..).unwrap_or("");
        if m.kind == Kind::Location && saint && (after.starts_with("'s") || after.starts_with("’s"))
        {
            m.kind = Kind::Misc;
        }
    }
    without_absorbed(mentions, &absorbed)
}

/// An organisation mention right after "General" takes it in: "General
/// Electric Co", "General Dynamics", "General Accounting Office". The
/// tagger reads "General" as a military title and leaves it out
/// (Reuters-21578: "Electric" in 56 articles). Not after a role word
/// ("Attorney General", "Secretary General"), where it ends a title.
fn join_general_prefix(g: &Gazetteer, text: &str, mut mentions: Vec<Mention>) -> Vec<Mention> {
    const GENERAL: &str = "general ";
    let taken: Vec<(usize, usize)> = mentions.iter().map(|m| (m.start, m.end)).collect();
    for m in &mut mentions {
        if m.kind != Kind::Organization || !fits(text, m) || m.start < GENERAL.len() {
            continue;
        }
        let at = m.start - GENERAL.len();
        let Some(before) = text.get(at..m.start) else {
            continue;
        };
        let capitalised = before.starts_with('G');
        let word = GENERAL.trim_end().len();
        if !before.eq_ignore_ascii_case(GENERAL) || !capitalised || !is_whole_word(text, at, word) {
            continue;
        }
        let previous = text[..at].split_whitespace().next_back().unwrap_or("");
        let covered = taken.iter().any(|&(s, e)| s < m.start && e > at);
        if covered || g.role_kind(previous).is_some() {
            continue;
        }
        if let Some(joined) = Mention::new(Kind::Organization, text, at, m.end) {
            *m = joined;
        }
    }
    mentions
}

/// An organisation mention that ends in a common word and is followed by
/// "and" and one capitalised common word takes the word in: "Ministry of
/// International Trade and Industry", "Customs and Excise", "Glendale
/// Federal Savings and Loan". The tagger, trained on text where "and"
/// rarely sits inside a name, stops before it and reads the word as a name
/// of its own ("Industry" as a person). A name on either side that is no
/// common word ("Texaco and Chevron", "Liberal Democrats and Respect") is
/// a second organisation. Whatever its last word but a cue word, an
/// organisation also takes in an organisation mention there that names
/// nothing alone ("Cardinal Savings" and "Loan Association";
/// [`is_name_fragment`]).
fn join_and_word(g: &Gazetteer, text: &str, mut mentions: Vec<Mention>) -> Vec<Mention> {
    mentions.sort_by_key(|m| (m.start, m.end));
    let mut absorbed = vec![false; mentions.len()];
    for i in 0..mentions.len() {
        let org = &mentions[i];
        if org.kind != Kind::Organization || absorbed[i] || !fits(text, org) {
            continue;
        }
        let Some((word_start, word_end)) = and_common_word(g, text, org.end) else {
            continue;
        };
        let last = org.text.split_whitespace().next_back().unwrap_or_default();
        let ends_in_common_word = !is_all_caps(last) && g.is_common_word(last);
        // "Nevada Gaming Commission" is whole before "and State Gaming
        // Control Board"; "Cardinal Savings" is not.
        let ends_in_cue = g.is_org_cue(last) || is_legal_form(last.trim_end_matches('.'));
        // The word may be a mention of its own ("Industry" read as a
        // person), or one with the acronym in brackets ("Industry (MITI"),
        // which the organisation absorbs; another mention there is
        // something else, but for the tagger's second half of a name
        // ("Loan Association"), which names nothing alone.
        let next = mentions.get(i + 1).filter(|m| m.start < word_end);
        let end = match next {
            Some(m) if m.start == word_start && !ends_in_cue && is_name_fragment(g, m) => m.end,
            _ if !ends_in_common_word => continue,
            None => word_end,
            Some(m) if m.start == word_start && m.end == word_end => word_end,
            // [`parenthesised`] reads the acronym without its closing bracket.
            Some(m) if m.start == word_start && text[word_end..m.end].starts_with(" (") => m.end,
            Some(_) => continue,
        };
        let word_is_mention = next.is_some();
        if let Some(joined) = Mention::new(Kind::Organization, text, org.start, end) {
            mentions[i] = joined;
            if word_is_mention {
                absorbed[i + 1] = true;
            }
        }
    }
    without_absorbed(mentions, &absorbed)
}

/// Is the organisation mention `m` the end of a name, naming nothing alone:
/// common words and a cue word before any "of" ("Loan Association",
/// "Loan Association of Virginia", of "Cardinal Savings and Loan
/// Association of Virginia")?
fn is_name_fragment(g: &Gazetteer, m: &Mention) -> bool {
    let words: Vec<&str> = m
        .text
        .split_whitespace()
        .take_while(|&w| w != "of")
        .collect();
    m.kind == Kind::Organization
        && words.len() >= 2
        && words.iter().any(|w| g.is_org_cue(w))
        && words
            .iter()
            .all(|w| !is_all_caps(w) && (g.is_org_cue(w) || g.is_common_word(w)))
}

/// The byte span of the word in " and Word" (or " & Word") at `at` in
/// `text`, when it is a capitalised common word ("Industry", "Means").
fn and_common_word(g: &Gazetteer, text: &str, at: usize) -> Option<(usize, usize)> {
    let rest = text.get(at..)?;
    let after = rest
        .strip_prefix(" and ")
        .or_else(|| rest.strip_prefix(" & "))?;
    let start = at + (rest.len() - after.len());
    let len = after
        .find(|c: char| !c.is_alphabetic())
        .unwrap_or(after.len());
    let word = &after[..len];
    let usable = word.starts_with(char::is_uppercase)
        && !is_all_caps(word)
        && !DETERMINERS.contains(&word.to_lowercase().as_str())
        && g.is_common_word(word);
    usable.then_some((start, start + len))
}

/// `mentions` less those another mention took in (`absorbed[i]`).
fn without_absorbed(mentions: Vec<Mention>, absorbed: &[bool]) -> Vec<Mention> {
    mentions
        .into_iter()
        .zip(absorbed)
        .filter_map(|(m, &gone)| (!gone).then_some(m))
        .collect()
}

/// Does the gazetteer know `name` as a place, in any "St."/"Saint" spelling
/// (ignoring case when it is written in capitals)?
fn known_place(g: &Gazetteer, name: &str) -> bool {
    place_or_saint_variant(g, name, is_all_caps(name)).is_some()
}

/// The gazetteer's place called `name`, ignoring case when `any_case`
/// (for text in capitals).
fn place_named<'g>(g: &'g Gazetteer, name: &str, any_case: bool) -> Option<Location<'g>> {
    if any_case {
        g.location_any_case(name)
    } else {
        g.location(name)
    }
}

/// [`place_named`], also under the name's other "St."/"Saint" spellings.
fn place_or_saint_variant<'g>(
    g: &'g Gazetteer,
    name: &str,
    any_case: bool,
) -> Option<Location<'g>> {
    place_named(g, name, any_case).or_else(|| {
        saint_variants(name)
            .iter()
            .find_map(|v| place_named(g, v, any_case))
    })
}

/// "St.", "ST", "Saint", "Ste.": the word that begins many place names.
fn is_saint(word: &str) -> bool {
    let word = word.trim_end_matches('.');
    ["st", "saint", "ste", "sainte"]
        .iter()
        .any(|w| w.eq_ignore_ascii_case(word))
}

/// The other spellings of a place name that begins with "St." or "Saint"
/// ("ST. PAUL" → "Saint PAUL"): the gazetteer has "Saint Paul" but
/// "St. Louis".
fn saint_variants(name: &str) -> Vec<String> {
    let Some((first, rest)) = name.split_once(' ') else {
        return Vec::new();
    };
    if !is_saint(first) {
        return Vec::new();
    }
    ["St.", "St", "Saint"]
        .iter()
        .filter(|w| !w.eq_ignore_ascii_case(first))
        .map(|w| format!("{w} {rest}"))
        .collect()
}

/// Capitalised words only, ending in a letter or digit: "David", not
/// "Kay;" (a span the tagger ran into punctuation) or "Casey beat Brian".
fn reads_as_name(text: &str) -> bool {
    text.ends_with(char::is_alphanumeric)
        && text
            .split_whitespace()
            .all(|w| w.starts_with(char::is_uppercase))
}

/// Words that join the items of a list.
const LIST_JOINERS: [&str; 6] = [", and ", ", or ", ", ", " and ", " or ", " & "];

/// Does `gap`, the text between two mentions, join them as items of one
/// list: a joiner alone, or with one capitalised word the tagger left out
/// between two joiners (", ByteDance, ")?
fn joins_list_items(gap: &str) -> bool {
    let untagged_item = |rest: &str| {
        LIST_JOINERS.iter().any(|j| {
            rest.strip_suffix(j).is_some_and(|word| {
                word.starts_with(char::is_uppercase) && !word.contains(char::is_whitespace)
            })
        })
    };
    LIST_JOINERS.contains(&gap)
        || LIST_JOINERS
            .iter()
            .any(|j| gap.strip_prefix(j).is_some_and(untagged_item))
}

/// Items of one list share a kind: a one-word "person" listed with two or
/// more organisations and no other person ("firms including
/// DaimlerChrysler, Siemens and Volkswagen") is an organisation. The tagger
/// reads a company's short name as a surname when it has not seen it
/// (Reuters-21578 and BBC: 21 articles, "Pechiney", "Kellogg", "Jaguar").
fn listed_with_organisations(text: &str, mut mentions: Vec<Mention>) -> Vec<Mention> {
    mentions.sort_by_key(|m| (m.start, m.end));
    let joined = |a: &Mention, b: &Mention| {
        fits(text, a)
            && fits(text, b)
            && a.end <= b.start
            && joins_list_items(&text[a.end..b.start])
    };
    let mut to_org = Vec::new();
    for i in 0..mentions.len() {
        let m = &mentions[i];
        if m.kind != Kind::Person || m.text.trim().contains(' ') {
            continue;
        }
        // The list around `m`: mentions joined to their neighbours by list
        // words.
        let mut first = i;
        while first > 0 && joined(&mentions[first - 1], &mentions[first]) {
            first -= 1;
        }
        let mut last = i;
        while last + 1 < mentions.len() && joined(&mentions[last], &mentions[last + 1]) {
            last += 1;
        }
        let list = &mentions[first..=last];
        let orgs = list.iter().filter(|o| o.kind == Kind::Organization).count();
        let persons = list.iter().filter(|o| o.kind == Kind::Person).count();
        if orgs >= 2 && persons == 1 {
            to_org.push(i);
        }
    }
    for i in to_org {
        mentions[i].kind = Kind::Organization;
    }
    mentions
}

/// Document-level consistency: a one-word "person" that the article also
/// names as an organisation ("CIA, Mossad and Qatar … Mossad chief"), or
/// as an organisation of that name with an "s" ("Reuter" … "Reuters"), is
/// the organisation.
fn orgs_over_lone_names(mut mentions: Vec<Mention>) -> Vec<Mention> {
    let orgs: FxHashSet<String> = mentions
        .iter()
        .filter(|m| m.kind == Kind::Organization)
        .map(|m| clean(&m.text))
        .collect();
    for m in &mut mentions {
        if m.kind != Kind::Person || m.text.trim().contains(' ') {
            continue;
        }
        let name = clean(&m.text);
        if orgs.contains(&name) {
            m.kind = Kind::Organization;
        } else if let Some(org) = orgs.get(&format!("{name}s")) {
            // "polled by Reuter correspondents … told Reuters": the wire's
            // old name is the agency, in the article's other spelling.
            m.kind = Kind::Organization;
            m.text = org.clone();
        }
    }
    mentions
}

/// Accumulates facet values without duplicates, in first-mention order.
#[derive(Default)]
struct Collector {
    entities: Entities,
    persons_seen: Vec<bool>,
    /// Lower-cased places already collected.
    places_seen: FxHashSet<String>,
}

impl Collector {
    fn person(&mut self, p: usize, persons: &Persons) {
        if self.persons_seen.len() <= p {
            self.persons_seen.resize(p + 1, false);
        }
        if !self.persons_seen[p] {
            self.persons_seen[p] = true;
            self.entities.persons.push(persons.display[p].clone());
        }
    }

    fn country(&mut self, c: &CountryInfo) {
        if !self.entities.countries.iter().any(|x| x.code == c.code) {
            self.entities.countries.push(c.to_country());
        }
    }

    fn place(&mut self, name: &str) {
        if self.places_seen.insert(name.to_lowercase()) {
            self.entities.places.push(name.to_string());
        }
    }
}

/// Resolves one location mention.
fn location(g: &Gazetteer, text: &str, i: usize, order: &[&Mention], out: &mut Collector) {
    let m = order[i];
    let text = strip_article(text);
    let shouting = is_all_caps(text);
    let lookup = |name: &str| place_or_saint_variant(g, name, shouting);
    // "Woodbridge, N.J." as one mention: the place is the part before the
    // comma, in the country of the part after it.
    if let Some((place, region)) = text.rsplit_once(", ") {
        if let Some(country) = lookup(region).and_then(|l| l.country()) {
            out.place(&display_place(g, place, shouting));
            out.country(country);
            return;
        }
    }
    let found = lookup(text);
    // "CAMBRIDGE, Mass.": a city followed by ", region" is in that region's
    // country, whichever same-named city is the most populous.
    if let Some(Location::City { name, .. }) = found {
        let qualifier = order
            .get(i + 1)
            .filter(|next| {
                next.kind == Kind::Location && next.start >= m.end && next.start - m.end <= 2
            })
            .and_then(|next| lookup(strip_article(&clean(&next.text))))
            .and_then(|l| l.country());
        if let Some(country) = qualifier {
            out.place(name);
            out.country(country);
            return;
        }
    }
    match found {
        Some(Location::Country(c)) => {
            // "Michael Jordan", "Georgia Smith": a country name that is also
            // a first name, touching a person mention, is part of the name.
            let touches = |p: &&Mention| {
                p.kind == Kind::Person
                    && (p.start.abs_diff(m.end) <= 1 || m.start.abs_diff(p.end) <= 1)
            };
            let touches_person = i
                .checked_sub(1)
                .and_then(|k| order.get(k))
                .is_some_and(touches)
                || order.get(i + 1).is_some_and(touches);
            if !(touches_person && g.is_first_name(text)) {
                out.country(c);
            }
        }
        Some(Location::City { name, country, .. }) => {
            out.place(name);
            out.country(country);
        }
        Some(Location::Region { name, country }) => {
            out.place(name);
            if let Some(c) = country {
                out.country(c);
            }
        }
        None => {
            // Taggers sometimes call a demonym a location.
            let countries = demonym_countries(g, text);
            if countries.is_empty() {
                if shouting {
                    out.place(&title_case(text));
                } else {
                    out.place(text);
                }
            }
            for c in countries {
                out.country(c);
            }
        }
    }
}

/// A place name for the facet: the gazetteer's spelling when it knows the
/// place, else the text (title-cased when shouting).
fn display_place(g: &Gazetteer, text: &str, shouting: bool) -> String {
    match place_named(g, text, shouting) {
        Some(Location::City { name, .. }) | Some(Location::Region { name, .. }) => name.to_string(),
        Some(Location::Country(c)) => c.name.to_string(),
        None if shouting => title_case(text),
        None => text.to_string(),
    }
}

/// Countries of a demonym mention, including compounds
/// ("Israeli-Palestinian" → Israel, Palestine).
fn demonym_countries<'g>(g: &'g Gazetteer, text: &str) -> Vec<&'g CountryInfo> {
    let look = |w: &str| {
        if is_all_caps(w) {
            g.demonym_country_any_case(w)
        } else {
            g.demonym_country(w)
        }
    };
    if let Some(c) = look(text) {
        return vec![c];
    }
    text.split(['-', '/']).filter_map(look).collect()
}

/// The persons of an article and which mentions refer to whom.
struct Persons {
    /// Canonical display name per person.
    display: Vec<String>,
    /// For each mention (in `order`), the person it refers to.
    mention_person: Vec<Option<usize>>,
}

/// A person mention, cleaned: the words of the name.
struct Name {
    mention: usize,
    words: Vec<String>,
    folded: Vec<String>,
    /// Some mention of it came with a role, honorific or demonym
    /// ("Prince Charles", "Mr Bill").
    titled: bool,
}

impl Persons {
    fn collect(g: &Gazetteer, text: &str, order: &[&Mention]) -> Persons {
        // Distinct names (ignoring case), each with its first mention: a
        // long article repeats names, and linking works on distinct ones.
        let mut names: Vec<Name> = Vec::new();
        let mut name_by_key: FxHashMap<String, usize> = FxHashMap::default();
        let mut mention_name: Vec<Option<usize>> = vec![None; order.len()];
        for (i, m) in order.iter().enumerate() {
            if m.kind != Kind::Person {
                continue;
            }
            let Some((words, prefixed)) = person_words(g, &m.text) else {
                continue;
            };
            let titled = prefixed || follows_title(g, text, m.start);
            let folded: Vec<String> = words.iter().map(|w| w.to_lowercase()).collect();
            let n = *name_by_key.entry(folded.join(" ")).or_insert_with(|| {
                names.push(Name {
                    mention: i,
                    words,
                    folded,
                    titled: false,
                });
                names.len() - 1
            });
            names[n].titled |= titled;
            mention_name[i] = Some(n);
        }
        // Candidates share the first or the last word: index them so that
        // names are not all compared with each other.
        let mut by_edge: FxHashMap<&str, Vec<usize>> = FxHashMap::default();
        for (j, l) in names.iter().enumerate() {
            if let (Some(first), Some(last)) = (l.folded.first(), l.folded.last()) {
                by_edge.entry(first).or_default().push(j);
                if last != first {
                    by_edge.entry(last).or_default().push(j);
                }
            }
        }
        let none = Vec::new();
        let candidates = |words: &[String]| {
            let first = words.first().and_then(|w| by_edge.get(w.as_str()));
            let last = words.last().and_then(|w| by_edge.get(w.as_str()));
            first
                .unwrap_or(&none)
                .iter()
                .chain(last.unwrap_or(&none))
                .copied()
        };
        // Link each name to the longest name it is part of, longest first so
        // that a target is already resolved when a shorter name needs it.
        let mut by_len: Vec<usize> = (0..names.len()).collect();
        by_len.sort_by_key(|&n| std::cmp::Reverse(names[n].words.len()));
        let mut display: Vec<String> = Vec::new();
        let mut person_of_name: Vec<Option<usize>> = vec![None; names.len()];
        for &n in &by_len {
            let here = order[names[n].mention].start;
            let target = candidates(&names[n].folded)
                .filter(|&j| {
                    names[j].words.len() > names[n].words.len()
                        && part_of(&names[n].folded, &names[j].folded)
                })
                .max_by_key(|&j| {
                    let pos = order[names[j].mention].start;
                    // Longest; then the nearest preceding; then the nearest.
                    (
                        names[j].words.len(),
                        pos <= here,
                        std::cmp::Reverse(pos.abs_diff(here)),
                    )
                });
            person_of_name[n] = match target {
                Some(j) => person_of_name[j],
                None if is_lone_first_name(g, &names[n]) || is_lone_common_word(g, &names[n]) => {
                    None
                }
                None => {
                    display.push(names[n].words.join(" "));
                    Some(display.len() - 1)
                }
            };
        }
        let mut mention_person: Vec<Option<usize>> = mention_name
            .iter()
            .map(|n| n.and_then(|n| person_of_name[n]))
            .collect();
        // Other mentions that are a person's surname or a whole one-word
        // person name ("Burns" tagged as an organisation, "Jordan" as a
        // place after "Michael Jordan", "Bush" as a place after "Mr Bush").
        let mut surnames: FxHashMap<String, Option<usize>> = FxHashMap::default();
        for (i, m) in order.iter().enumerate() {
            if m.kind == Kind::Person || names.is_empty() {
                continue;
            }
            let text = clean(&m.text);
            if m.kind == Kind::Misc && !demonym_countries(g, &text).is_empty() {
                continue;
            }
            let folded_text = text.to_lowercase();
            let p = *surnames.entry(folded_text).or_insert_with_key(|key| {
                let folded: Vec<String> = key.split(' ').map(str::to_string).collect();
                candidates(&folded)
                    .filter(|&j| names[j].folded.ends_with(&folded))
                    .max_by_key(|&j| names[j].words.len())
                    .and_then(|j| person_of_name[j])
            });
            if p.is_some() {
                mention_person[i] = p;
            }
        }
        Persons {
            display,
            mention_person,
        }
    }
}

/// A lone first name is no person facet when it is a common first name
/// (given to this many US babies) ...
const LONE_FIRST_NAME_BIRTHS: u32 = 100_000;
/// ... that is rare as a surname (people per million bearing it).
const LONE_FIRST_NAME_SURNAME_SHARE: u32 = 20;

/// Is `name` a lone common first name ("Oscar", "Bill", "Chelsea") that no
/// longer name in the article completes and no title introduces? News
/// refers to people by surname or full name, so such a mention is nearly
/// always something else: an award, a parliamentary bill, a football club.
/// Surnames that are also first names ("Kennedy", "Howard", "Charles") and
/// titled names ("Prince Harry", "Mr Bill") stay persons.
fn is_lone_first_name(g: &Gazetteer, name: &Name) -> bool {
    let [word] = name.words.as_slice() else {
        return false;
    };
    !name.titled
        && g.first_name_births(word)
            .is_some_and(|births| births >= LONE_FIRST_NAME_BIRTHS)
        && g.surname_share(word) <= LONE_FIRST_NAME_SURNAME_SHARE
}

/// Is `name` one word that news mostly writes in lower case ("Rose" of
/// "SPENDING ROSE", "Industry" of "Industry and Foreign Trade Secretary",
/// "Sterling"), that no longer name in the article completes and no title
/// introduces? A person named so is introduced in full or with a title
/// ("Mr Price", "John Major"); otherwise the word is the word. So is a
/// festival's name, which news capitalises ("a late Easter", which the
/// tagger reads as a person in 32 Reuters-21578 stories).
fn is_lone_common_word(g: &Gazetteer, name: &Name) -> bool {
    let [word] = name.words.as_slice() else {
        return false;
    };
    let festival = FESTIVALS.iter().any(|f| f.eq_ignore_ascii_case(word));
    !name.titled && (g.is_common_word(word) || festival)
}

/// Festivals and holidays named with one capitalised word.
const FESTIVALS: &[&str] = &[
    "Advent",
    "Christmas",
    "Diwali",
    "Easter",
    "Eid",
    "Halloween",
    "Hanukkah",
    "Hogmanay",
    "Lent",
    "Passover",
    "Pentecost",
    "Ramadan",
    "Thanksgiving",
    "Whitsun",
];

/// Does a title or honorific end just before byte `at` of `text`
/// ("Prince Harry", "Mr. Bill")? `false` when `at` is not inside `text`.
fn follows_title(g: &Gazetteer, text: &str, at: usize) -> bool {
    let Some(before) = text.get(..at) else {
        return false;
    };
    let before = before.trim_end();
    let word = before
        .rsplit(char::is_whitespace)
        .next()
        .unwrap_or("")
        .trim_end_matches('.');
    g.is_role_word(word)
}

/// Is `short` the start, the end, or the first and last word of `long`?
fn part_of(short: &[String], long: &[String]) -> bool {
    long.starts_with(short)
        || long.ends_with(short)
        || (short.len() == 2 && long.first() == short.first() && long.last() == short.last())
}

/// The words of a person's name without roles, honorifics and leading
/// demonyms ("Qatari Prime Minister X" → "X"), case-normalised when ALL
/// CAPS, and whether any such words were dropped. `None` when nothing is
/// left.
fn person_words(g: &Gazetteer, text: &str) -> Option<(Vec<String>, bool)> {
    let text = clean(text);
    let mut words: Vec<&str> = text.split(' ').filter(|w| !w.is_empty()).collect();
    let mut prefixed = false;
    while words.len() > 1
        && (g.role_kind(words[0]).is_some() || g.demonym_country(words[0]).is_some())
    {
        words.remove(0);
        prefixed = true;
    }
    // "Mr." alone, or "President" alone, names nobody.
    if words.is_empty() || words.len() == 1 && g.role_kind(words[0]).is_some() {
        return None;
    }
    let joined = words.join(" ");
    let name = if is_all_caps(&joined) {
        title_case(&joined)
    } else {
        joined
    };
    Some((name.split(' ').map(str::to_string).collect(), prefixed))
}

/// Mention text with whitespace collapsed, surrounding quotes and
/// punctuation and a final possessive removed.
fn clean(text: &str) -> String {
    let collapsed = single_spaced(text);
    let trimmed = collapsed.trim_matches(|c: char| {
        c.is_whitespace()
            || matches!(
                c,
                '"' | '“'
                    | '”'
                    | '‘'
                    | '('
                    | ')'
                    | '['
                    | ']'
                    | ','
                    | ';'
                    | ':'
                    | '!'
                    | '?'
                    | '*'
                    | '`'
            )
    });
    let mut t = trimmed;
    // Only a name ending in "s" or an apostrophe ends in a possessive.
    if t.ends_with(['s', 'S', '\'', '’']) {
        for suffix in POSSESSIVE_MARKS.iter().chain(&["'", "’"]) {
            if let Some(rest) = t.strip_suffix(suffix) {
                t = rest.trim_end();
                break;
            }
        }
    }
    // A leading apostrophe is a quote, not part of the name.
    t = t.trim_start_matches(['\'', '’']);
    t.to_string()
}

/// `text` with its whitespace collapsed ([`collapse_whitespace`]);
/// borrowed when it has nothing to collapse, as most names do.
fn single_spaced(text: &str) -> Cow<'_, str> {
    if is_single_spaced(text) {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(collapse_whitespace(text))
    }
}

/// Are the words of `text` apart by one space each, with no other
/// whitespace before, between or after them (what [`collapse_whitespace`]
/// makes of it)?
fn is_single_spaced(text: &str) -> bool {
    let other_whitespace = if text.is_ascii() {
        text.bytes().any(|b| matches!(b, b'\t'..=b'\r'))
    } else {
        text.contains(|c: char| c != ' ' && c.is_whitespace())
    };
    !other_whitespace
        && !text.starts_with(' ')
        && !text.ends_with(' ')
        && !text.as_bytes().windows(2).any(|pair| pair == b"  ")
}

/// The possessive endings [`clean`] drops from a name.
const POSSESSIVE_MARKS: [&str; 4] = ["'s", "’s", "'S", "’S"];

/// "Moody's", "McDonald's": a possessive that [`clean`] dropped is part of
/// the name when the name with it is a listed company. Reuters had the
/// organisation "Moody" in 129 records.
fn possessive_company(g: &Gazetteer, article: &str, m: &Mention, cleaned: String) -> String {
    let raw = m.text.trim_end();
    let after = article.get(m.end..).unwrap_or("");
    let possessive = POSSESSIVE_MARKS
        .iter()
        .any(|p| raw.ends_with(p) || after.starts_with(p));
    if possessive {
        let name = format!("{cleaned}'s");
        if g.is_company(&name) {
            return name;
        }
    }
    cleaned
}

/// "the United States" → "United States".
fn strip_article(text: &str) -> &str {
    text.strip_prefix("the ")
        .or_else(|| text.strip_prefix("The "))
        .unwrap_or(text)
}

/// Has letters and none of them lower case?
pub fn is_all_caps(text: &str) -> bool {
    text.chars().any(char::is_alphabetic) && !text.chars().any(char::is_lowercase)
}

/// Particles that stay lower case inside a name.
pub const NAME_PARTICLES: &[&str] = &[
    "bin", "bint", "ibn", "al", "el", "de", "del", "della", "der", "den", "van", "von", "da", "di",
    "du", "la", "le", "y", "of", "the", "and",
];

/// "WILLIAM BURNS" → "William Burns", "MOHAMMED BIN ABDULRAHMAN AL-THANI" →
/// "Mohammed bin Abdulrahman Al-Thani", "O'NEILL" → "O'Neill".
fn title_case(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (k, word) in text.split(' ').enumerate() {
        if k > 0 {
            out.push(' ');
        }
        let lower = word.to_lowercase();
        if k > 0 && NAME_PARTICLES.contains(&lower.as_str()) {
            out.push_str(&lower);
            continue;
        }
        capitalise_name_part(&lower, &mut out);
    }
    out
}

/// Appends `word` (lower case) with its name parts capitalised: the first
/// letter, the letter after a hyphen ("Al-Thani"), after an initial's full
/// stop ("E.F. Hutton"), after a one-letter prefix's apostrophe
/// ("O'Neill", "D'Souza", but "Moody's"), and after "Mc" ("McCain").
pub fn capitalise_name_part(word: &str, out: &mut String) {
    let start = out.len();
    let mut upper_next = true;
    let mut run = 0usize; // letters since the last separator
    for c in word.chars() {
        if upper_next && c.is_alphabetic() {
            out.extend(c.to_uppercase());
            upper_next = false;
        } else {
            out.push(c);
        }
        if c == '-' || (c == '.' && run == 1) {
            upper_next = true;
            run = 0;
        } else if c == '\'' || c == '’' {
            upper_next = run == 1;
            run = 0;
        } else {
            run += 1;
        }
    }
    let written = &out[start..];
    if written.len() > 2 && written.starts_with("Mc") {
        let rest = out.split_off(start + 2);
        let mut chars = rest.chars();
        if let Some(first) = chars.next() {
            out.extend(first.to_uppercase());
            out.push_str(chars.as_str());
        }
    }
}

/// Legal forms and group words that end company names, compared ignoring
/// case and a final full stop.
const LEGAL_FORMS: &[&str] = &[
    "inc",
    "incorporated",
    "corp",
    "corporation",
    "co",
    "cos",
    "company",
    "ltd",
    "limited",
    "plc",
    "llc",
    "ag",
    "gmbh",
    "sa",
    "s.a",
    "nv",
    "n.v",
    "spa",
    "s.p.a",
    "pty",
    "group",
    "holding",
    "holdings",
];

/// Is `word` (without its final full stop) one of the [`LEGAL_FORMS`]?
fn is_legal_form(word: &str) -> bool {
    LEGAL_FORMS
        .iter()
        .any(|form| form.eq_ignore_ascii_case(word))
}

/// "Chrysler Corp" → "Chrysler", "Goldman, Sachs and Co" → "Goldman,
/// Sachs", "Dixons Group PLC" → "Dixons": the same company is written with
/// and without its legal form, and one facet value should count them
/// together. `None` when nothing but legal forms is left ("Co Inc").
fn strip_legal_form(text: &str) -> Option<&str> {
    let mut rest = text.trim();
    loop {
        let (head, last) = match rest.rsplit_once(' ') {
            Some((head, last)) => (head, last),
            None => ("", rest),
        };
        if is_legal_form(last.trim_end_matches('.')) {
            rest = head.trim_end_matches([' ', ',']);
            // "Sachs and Co" leaves a dangling "and".
            for joiner in [" and", " &"] {
                rest = rest
                    .strip_suffix(joiner)
                    .unwrap_or(rest)
                    .trim_end_matches([' ', ',']);
            }
            if rest.is_empty() {
                return None;
            }
        } else {
            return Some(rest);
        }
    }
}

/// A cue or role word alone ("Army", "the Ministry", "President") is not an
/// organisation name, nor is an abbreviation of something else ("GNP",
/// "MP", "ID"; [`NOT_ACRONYMS`]).
fn is_generic_org(g: &Gazetteer, text: &str) -> bool {
    !text.contains(' ')
        && (g.is_org_cue(text) || g.role_kind(text).is_some() || NOT_ACRONYMS.contains(&text))
}

/// Does a name in brackets after an organisation qualify it rather than
/// abbreviate it: a country ("Cargill (USA)"), a known place, or words not
/// in capitals that are several or common ("James Capel (Far East)",
/// "Jardine Fleming (Securities)")?
fn is_qualifier(g: &Gazetteer, bracketed: &str) -> bool {
    let in_lower_case = !is_all_caps(bracketed);
    let words_in_lower_case = in_lower_case && bracketed.contains(' ');
    let common_word = in_lower_case && g.is_common_word(bracketed);
    common_word
        || g.is_country_name(bracketed)
        || g.country_by_code(bracketed).is_some()
        || known_place(g, bracketed)
        || words_in_lower_case
}

/// "Central Intelligence Agency (CIA)" → ("Central Intelligence Agency",
/// "CIA").
fn parenthesised(text: &str) -> Option<(&str, &str)> {
    // [`clean`] trims a closing bracket at the end; an acronym stands for it.
    let (inner, closed) = match text.strip_suffix(')') {
        Some(inner) => (inner, true),
        None => (text, false),
    };
    let (long, short) = inner.rsplit_once(" (")?;
    let (long, short) = (long.trim(), short.trim());
    let usable = !long.is_empty() && (closed && !short.is_empty() || acronym_form(short).is_some());
    usable.then_some((long, short))
}

/// "C.I.A." / "CIA" → "CIA"; `None` if `text` is not an acronym.
fn acronym_form(text: &str) -> Option<String> {
    let letters = || text.chars().filter(|&c| c != '.');
    let is_acronym =
        letters().all(|c| c.is_uppercase() || c == '&') && (2..=8).contains(&letters().count());
    is_acronym.then(|| letters().collect())
}

/// Is `name` at least `min_len` ASCII capital letters and nothing else
/// ("MP", "GNP"; not "U.S." or "AT&T")?
fn is_capital_letters(name: &str, min_len: usize) -> bool {
    name.len() >= min_len && name.bytes().all(|b| b.is_ascii_uppercase())
}

/// Is `name` an acronym that `article` also writes with a plural "s"
/// ("an MP" … "MPs", "CDs", "DJs")? Then it is a common noun: an
/// organisation's name takes no plural.
fn used_in_plural(article: &str, name: &str) -> bool {
    if !is_capital_letters(name, 2) {
        return false;
    }
    let plural = format!("{name}s");
    contains_word(article, &plural)
}

/// Is `name` an acronym of three or more letters that `article` spells out
/// in lower case right before it in brackets: "gross national product
/// (GNP)", "crude palm oil (CPO)"? Then it abbreviates common words, and
/// names no organisation (Reuters-21578 gave "GNP" as one in 62 articles).
fn abbreviates_common_words(article: &str, name: &str) -> bool {
    if !is_capital_letters(name, 3) {
        return false;
    }
    let bracketed = format!("({name})");
    memchr::memmem::find_iter(article.as_bytes(), bracketed.as_bytes()).any(|at| {
        let words: Vec<&str> = article[..at]
            .split_whitespace()
            .rev()
            .take(name.len())
            .collect();
        words.len() == name.len()
            && words.iter().rev().zip(name.bytes()).all(|(word, letter)| {
                word.bytes().all(|b| b.is_ascii_lowercase())
                    && word.as_bytes()[0] == letter.to_ascii_lowercase()
            })
    })
}

/// Initials of a multi-word name: "Central Intelligence Agency" → "CIA",
/// "Bank of England" → "BE", "UK Independence Party" → "UIP" or "UKIP"
/// ([`initials_spellings`]); lower-case function words are skipped.
fn initials(text: &str) -> Vec<String> {
    // One word has none (and most names the function sees are one word).
    if !text.contains([' ', '-']) {
        return Vec::new();
    }
    let words: Vec<&str> = text
        .split([' ', '-'])
        .filter(|w| w.starts_with(char::is_uppercase))
        .collect();
    let mut spellings = initials_spellings(&words);
    // The acronym may leave out the country the name begins with: "US
    // National Aeronautics and Space Administration (NASA)".
    if let [first, rest @ ..] = words.as_slice() {
        let g = gazetteer();
        if g.is_country_name(first) || g.demonym_country(first).is_some() {
            spellings.extend(initials_spellings(rest));
        }
    }
    spellings
}

/// Most spellings of a name's initials tried ([`initials_spellings`]).
const MAX_INITIALS_SPELLINGS: usize = 8;

/// The ways an acronym may spell the initials of two or more `words`: each
/// word gives its first letter, or, when it is two or three letters of one
/// case ("UK", "U.S."), all of them: "UK Independence Party" → "UIP",
/// "UKIP"; "U.S. Department of Agriculture" → "UDA", "USDA".
pub(crate) fn initials_spellings(words: &[&str]) -> Vec<String> {
    if words.len() < 2 {
        return Vec::new();
    }
    let mut all = vec![String::new()];
    for word in words {
        let letters: String = word.chars().filter(|&c| c != '.').collect();
        let one_case = letters.bytes().all(|b| b.is_ascii_uppercase())
            || letters.bytes().all(|b| b.is_ascii_lowercase());
        let whole = (2..=3).contains(&letters.len()) && one_case;
        let first = word.chars().next().map(String::from).unwrap_or_default();
        if whole && all.len() < MAX_INITIALS_SPELLINGS {
            all = all
                .into_iter()
                .flat_map(|head| [format!("{head}{first}"), format!("{head}{letters}")])
                .collect();
        } else {
            all.iter_mut().for_each(|head| head.push_str(&first));
        }
    }
    all
}

/// A name without full stops, commas and apostrophes, "&" as "and":
/// "Goldman, Sachs" → "Goldman Sachs", "E.F. Hutton" → "EF Hutton",
/// "Cable & Wireless" → "Cable and Wireless".
pub(crate) fn without_punctuation(name: &str) -> String {
    if !name.contains(['&', '.', ',', '\'', '’']) {
        return single_spaced(name).into_owned();
    }
    collapse_whitespace(
        &name
            .replace('&', " and ")
            .replace(['.', ',', '\'', '’'], ""),
    )
}

/// Which spelling of a name to keep: "Al-Qahera News" over "AL-QAHERA
/// NEWS" over "al-qahera news".
fn casing_rank(text: &str) -> u8 {
    let upper = text.chars().any(char::is_uppercase);
    let lower = text.chars().any(char::is_lowercase);
    match (upper, lower) {
        (true, true) => 2,
        (true, false) => 1,
        _ => 0,
    }
}

/// An organisation mention's name, legal form dropped, and as written.
struct OrgName {
    name: String,
    written: String,
}

impl OrgName {
    fn new(name: &str, written: &str) -> OrgName {
        OrgName {
            name: name.to_string(),
            written: written.to_string(),
        }
    }
}

/// Deduplicated organisation names: acronyms absorb their expansions (the
/// acronym is the value), other names are merged ignoring case and
/// punctuation ("Goldman, Sachs" and "Goldman Sachs"), preferring the
/// best-cased spelling ([`casing_rank`]).
fn canonical_orgs(orgs: &[OrgName]) -> Vec<String> {
    let acronym_forms: Vec<Option<String>> = orgs.iter().map(|o| acronym_form(&o.name)).collect();
    let acronyms: FxHashSet<&str> = acronym_forms.iter().flatten().map(String::as_str).collect();
    let mut out: Vec<String> = Vec::new();
    let mut index: FxHashMap<String, usize> = FxHashMap::default();
    for (org, acronym) in orgs.iter().zip(&acronym_forms) {
        // The acronym may take in the legal form ("Commodity Credit
        // Corporation" … "CCC") or not ("International Business Machines
        // Corp" … "IBM").
        let value = match acronym {
            Some(a) => a.clone(),
            // Most articles have no acronym to spell: no initials then.
            None if acronyms.is_empty() => org.name.clone(),
            None => [&org.name, &org.written]
                .into_iter()
                .flat_map(|t| initials(t))
                .find(|i| acronyms.contains(i.as_str()))
                .unwrap_or_else(|| org.name.clone()),
        };
        let key = without_punctuation(&value.to_lowercase());
        match index.get(&key) {
            Some(&k) => {
                if casing_rank(&value) > casing_rank(&out[k]) {
                    out[k] = value;
                }
            }
            None => {
                index.insert(key, out.len());
                out.push(value);
            }
        }
    }
    // "Lib Dems" and "Man Utd" are the "Liberal Democrats" and the
    // "Manchester United" the same article names in full, "Labour" its
    // "Labour Party", "Tories" its "Conservative Party".
    let g = gazetteer();
    // Two other names of one organisation ("Fed" and "US Federal Reserve")
    // are that organisation: the first takes its usual name, and the
    // others go below.
    let usual_names: Vec<Option<&'static str>> = out.iter().map(|o| g.org_synonym(o)).collect();
    for (k, usual) in usual_names.iter().enumerate() {
        let Some(usual) = *usual else { continue };
        let named_twice = usual_names.iter().filter(|&&u| u == Some(usual)).count() > 1;
        if named_twice && !out.iter().any(|o| o.eq_ignore_ascii_case(usual)) {
            out[k] = usual.to_string();
        }
    }
    let words: Vec<Vec<&str>> = out.iter().map(|o| o.split_whitespace().collect()).collect();
    let shortened: Vec<bool> = words
        .iter()
        .zip(&out)
        .map(|(short, name)| {
            words.iter().any(|long| stands_for(short, long))
                || g.org_synonym(name)
                    .is_some_and(|usual| names_org(&words, usual))
        })
        .collect();
    out.into_iter()
        .zip(shortened)
        .filter_map(|(name, shortened)| (!shortened).then_some(name))
        .collect()
}

/// Do the article's organisation names (as words) name `usual` or stand
/// for it ("Conservatives" for "Conservative Party")?
fn names_org(names: &[Vec<&str>], usual: &str) -> bool {
    let usual: Vec<&str> = usual.split_whitespace().collect();
    names.iter().any(|name| {
        let same = name.len() == usual.len()
            && name
                .iter()
                .zip(&usual)
                .all(|(a, b)| a.eq_ignore_ascii_case(b));
        same || stands_for(name, &usual)
    })
}

/// Does the organisation name `short` stand for `long` (both as words)
/// when one article has both: is it a shortening ([`shortens`]), the
/// name without its designation ([`drops_designation`]), or the singular
/// of a one-word name ("Conservative" of "Conservatives", as several
/// words shorten)?
pub(crate) fn stands_for(short: &[&str], long: &[&str]) -> bool {
    let singular = match (short, long) {
        ([short], [long]) => long
            .strip_suffix('s')
            .is_some_and(|stem| !stem.is_empty() && stem.eq_ignore_ascii_case(short)),
        _ => false,
    };
    singular || shortens(short, long) || drops_designation(short, long)
}

/// Last words of an organisation's name that articles often leave out,
/// compared ignoring case and a final full stop: "Labour" is the "Labour
/// Party", "Ford" the "Ford Motor" company, "Salomon" the "Salomon
/// Brothers" firm. Legal forms ("Inc") are dropped from names anyway.
const DESIGNATIONS: &[&str] = &[
    "party", "motor", "motors", "brothers", "bros", "airlines", "airways",
];

/// Is `short` the name `long` without the [`DESIGNATIONS`] it ends in (both
/// as words; "Labour" of "Labour Party", "Salomon" of "Salomon Bros."),
/// its last word maybe in the plural ("Conservatives" of "Conservative
/// Party")?
pub(crate) fn drops_designation(short: &[&str], long: &[&str]) -> bool {
    let bare = |w: &str| w.trim_end_matches(['.', ',']).to_lowercase();
    let Some((last, rest)) = short.split_last() else {
        return false;
    };
    // Most pairs of an article's names end apart: no allocation for them.
    let is_designation = |w: &str| {
        let w = w.trim_end_matches(['.', ',']);
        DESIGNATIONS.iter().any(|d| d.eq_ignore_ascii_case(w))
    };
    if long.len() <= short.len() || !long[short.len()..].iter().all(|w| is_designation(w)) {
        return false;
    }
    let (last, counterpart) = (bare(last), bare(long[rest.len()]));
    rest.iter().zip(long).all(|(s, l)| bare(s) == bare(l))
        && (last == counterpart || last.strip_suffix('s') == Some(counterpart.as_str()))
}

/// Is `short` a shortened form of the several-word name `long` (both as
/// words): as many words, each one the same or a shortening of its
/// counterpart ("Lib Dem" of "Liberal Democrats", "Man Utd" of "Manchester
/// United", "Southwest Air" of "Southwest Airlines", "S and P" of
/// "Standard and Poor")?
pub(crate) fn shortens(short: &[&str], long: &[&str]) -> bool {
    if short.len() < 2 || short.len() != long.len() {
        return false;
    }
    let mut shorter = false;
    for (s, l) in short.iter().zip(long) {
        // "Goldman Sachs" is not short for "Goldman, Sachs".
        let (s, l) = (
            s.trim_end_matches([',', '.']),
            l.trim_end_matches([',', '.']),
        );
        if s.eq_ignore_ascii_case(l) {
            continue;
        }
        // "Lib Dems" also shortens the singular "Liberal Democrat".
        let singular = s.strip_suffix('s').filter(|stem| stem.len() >= 2);
        if !shortens_word(s, l) && !singular.is_some_and(|stem| shortens_word(stem, l)) {
            return false;
        }
        shorter = true;
    }
    shorter
}

/// Is `short` a shortening of the word `long`: shorter, the same first
/// letter, its letters in order among `long`'s ("Utd" of "United", "Dems"
/// of "Democrats", "Air" of "Airlines")? A hyphenated word is no longer
/// form of an unhyphenated one ("United-Arsenal" is a fixture, not a club).
fn shortens_word(short: &str, long: &str) -> bool {
    let same = |a: char, b: char| a.to_lowercase().eq(b.to_lowercase());
    let first = |w: &str| w.chars().next();
    if short.len() >= long.len()
        || !first(short)
            .zip(first(long))
            .is_some_and(|(s, l)| same(s, l))
        || (long.contains('-') && !short.contains('-'))
    {
        return false;
    }
    let mut rest = long.chars();
    short.chars().all(|c| rest.any(|l| same(c, l)))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Mentions of `kind` for each listed substring of `text`, at its first
    /// occurrence at or after the previous one.
    fn mentions(text: &str, spans: &[(Kind, &str)]) -> Vec<Mention> {
        let mut from = 0;
        let mut out = Vec::new();
        for &(kind, s) in spans {
            let start = from + text[from..].find(s).expect("span in text");
            out.push(Mention::new(kind, text, start, start + s.len()).expect("valid span"));
            from = start + 1;
        }
        out
    }

    fn country_codes(e: &Entities) -> Vec<&str> {
        e.countries.iter().map(|c| c.code.as_str()).collect()
    }

    #[test]
    fn a_city_qualified_by_a_us_state_is_in_the_united_states() {
        let text = "CAMBRIDGE, Mass., March 9 - Lotus said. WOODBRIDGE, N.J. - Talks. OAK BROOK, ILL. - X.";
        let m = mentions(
            text,
            &[
                (Kind::Location, "CAMBRIDGE"),
                (Kind::Location, "Mass."),
                (Kind::Location, "WOODBRIDGE, N.J."),
                (Kind::Location, "OAK BROOK"),
                (Kind::Location, "ILL"),
            ],
        );
        let e = normalize(&m);
        assert_eq!(country_codes(&e), vec!["US"], "{e:?}");
        assert!(e.places.contains(&"Cambridge".to_string()), "{e:?}");
        assert!(e.places.contains(&"Massachusetts".to_string()), "{e:?}");
        assert!(e.places.contains(&"Illinois".to_string()), "{e:?}");
        // Without the qualifier, the most populous Cambridge stands.
        let alone = normalize(&mentions(
            "Cambridge is busy.",
            &[(Kind::Location, "Cambridge")],
        ));
        assert_eq!(country_codes(&alone), vec!["GB"]);
    }

    #[test]
    fn a_dateline_in_capitals_before_a_region_is_the_place() {
        let text = "Payout\n\nBEVERLY HILLS, Calif., Feb 26 - Beverly Hills residents \
                    met. JOHN SMITH, Texas Democrat, spoke.\nMARY JONES, a trader, said.";
        let m = mentions(
            text,
            &[
                (Kind::Person, "BEVERLY HILLS"),
                (Kind::Location, "Calif."),
                (Kind::Person, "Beverly Hills"),
                (Kind::Person, "JOHN SMITH"),
                (Kind::Location, "Texas"),
                (Kind::Person, "MARY JONES"),
            ],
        );
        let e = normalize_in(text, &m);
        // Not at the start of a line, or no region after the comma: a person.
        assert_eq!(e.persons, vec!["John Smith", "Mary Jones"]);
        assert_eq!(e.places, vec!["Beverly Hills", "California", "Texas"]);
        assert_eq!(country_codes(&e), vec!["US"]);
    }

    #[test]
    fn a_name_before_a_facility_noun_is_the_place_not_a_person() {
        let text = "Aid came through the Rafah and Kerem Shalom crossings. Kerem Shalom \
                    was shut. Gold came from the Howard tunnel. Kennedy airport staff met \
                    Kennedy. Bill Jones crossing the line surprised Bill Jones. The \
                    Netanyahu camp said.";
        let m = mentions(
            text,
            &[
                (Kind::Location, "Rafah"),
                (Kind::Person, "Kerem Shalom"),
                (Kind::Person, "Kerem Shalom"),
                (Kind::Person, "Howard"),
                (Kind::Person, "Kennedy"),
                (Kind::Person, "Kennedy"),
                (Kind::Person, "Bill Jones"),
                (Kind::Person, "Bill Jones"),
                (Kind::Person, "Netanyahu"),
            ],
        );
        let e = normalize_in(text, &m);
        // A one-word name stays a person where it is not before the noun;
        // "crossing the line" is a verb; a "camp" is a person's followers.
        assert_eq!(e.persons, vec!["Kennedy", "Bill Jones", "Netanyahu"]);
        assert!(e.places.contains(&"Kerem Shalom".to_string()), "{e:?}");
        assert!(e.places.contains(&"Howard".to_string()), "{e:?}");
    }

    #[test]
    fn a_person_ending_in_a_legal_form_or_named_as_a_listed_company_is_the_company() {
        let text = "Sharon Steel Corp said Sharon Steel would sell. Mark Smith of Sharon \
                    said 200 mln H.K. Dlrs was paid. Morgan Stanley advised; Morgan said.";
        let m = mentions(
            text,
            &[
                (Kind::Person, "Sharon Steel Corp"),
                (Kind::Person, "Sharon Steel"),
                (Kind::Person, "Mark Smith"),
                (Kind::Person, "H.K. Dlrs"),
                (Kind::Person, "Morgan Stanley"),
                (Kind::Person, "Morgan"),
            ],
        );
        let e = normalize_in(text, &m);
        // The shorter mention is the company named in full, not a person;
        // so is a listed company's name ("Morgan Stanley").
        assert_eq!(e.persons, vec!["Mark Smith"]);
        assert_eq!(e.orgs, vec!["Sharon Steel", "Morgan Stanley"]);
    }

    #[test]
    fn a_person_whose_name_runs_on_into_a_legal_form_is_the_company() {
        let text = "JOHN SMITH NAMED ACME CORP HEAD\n\nPhillips Petroleum Co said \
                    Phillips would sell. Kidder, Peabody and Co vice president Edward \
                    Weihenmayer spoke, and so did James Capel (Far East) Ltd. Mary Jones, \
                    Acme Corp's chairman, said Wagner and Brown and AFG Industries Inc \
                    hold it.\n\nMary Jones Joins Acme Inc";
        let m = mentions(
            text,
            &[
                (Kind::Person, "JOHN SMITH"),
                (Kind::Organization, "ACME CORP"),
                (Kind::Person, "Phillips"),
                (Kind::Person, "Phillips"),
                (Kind::Person, "Kidder"),
                (Kind::Organization, "Peabody and Co"),
                (Kind::Person, "Edward Weihenmayer"),
                (Kind::Person, "James Capel"),
                (Kind::Location, "Far East"),
                (Kind::Person, "Mary Jones"),
                (Kind::Organization, "Acme Corp"),
                (Kind::Person, "Wagner"),
                (Kind::Person, "Brown"),
                (Kind::Organization, "AFG Industries Inc"),
                (Kind::Person, "Mary Jones"),
                (Kind::Organization, "Acme Inc"),
            ],
        );
        let e = normalize_in(text, &m);
        // The company's other mention ("Phillips would sell") is the
        // company too; a comma before another company, a headline in
        // capitals and a second company after "and" leave persons alone.
        assert_eq!(
            e.persons,
            vec![
                "John Smith",
                "Edward Weihenmayer",
                "Mary Jones",
                "Wagner",
                "Brown"
            ]
        );
        assert_eq!(
            e.orgs,
            vec![
                "Acme",
                "Phillips Petroleum",
                "Kidder, Peabody",
                "James Capel",
                "AFG Industries"
            ]
        );
        assert!(e.places.is_empty(), "{e:?}");
    }

    #[test]
    fn a_person_named_elsewhere_in_the_story_as_a_company_is_the_company() {
        let text = "CITICORP <CCI> DENIES RUMORS\n\nA Citicorp spokesman said. E.F. Hutton \
                    agreed. Morgan said Morgan Guaranty Trust Co would lend. Ivan Boesky \
                    and Co L.P. bought shares, Ivan Boesky said. E.F. HUTTON <EFH> rose. \
                    Akzo agreed to lend. The loan came from Akzo <AKZO>.";
        let m = mentions(
            text,
            &[
                (Kind::Person, "Citicorp"),
                (Kind::Person, "E.F. Hutton"),
                (Kind::Person, "Morgan"),
                (Kind::Organization, "Morgan Guaranty Trust Co"),
                (Kind::Organization, "Ivan Boesky and Co L.P."),
                (Kind::Person, "Ivan Boesky"),
                (Kind::Person, "Akzo"),
            ],
        );
        let e = normalize_in(text, &m);
        // A full name with a first name stays the person the story is about
        // too; "Morgan" is the company named in full.
        assert_eq!(e.persons, vec!["Ivan Boesky"]);
        assert_eq!(
            e.orgs,
            vec![
                "Citicorp",
                "E.F. Hutton",
                "Morgan Guaranty Trust",
                "Ivan Boesky and Co L.P.",
                "Akzo"
            ]
        );
    }

    #[test]
    fn a_lone_common_word_is_no_person_unless_a_title_introduces_it() {
        let text = "Industry and Foreign Trade Secretary Roberto Lavagna said so. \
                    Mr Price agreed, Blair said, and sterling rose. Sterling fell \
                    before a late Easter.";
        let m = mentions(
            text,
            &[
                (Kind::Person, "Industry"),
                (Kind::Person, "Roberto Lavagna"),
                (Kind::Person, "Price"),
                (Kind::Person, "Blair"),
                (Kind::Person, "Sterling"),
                (Kind::Person, "Easter"),
            ],
        );
        let e = normalize_in(text, &m);
        assert_eq!(e.persons, vec!["Roberto Lavagna", "Price", "Blair"]);
    }

    #[test]
    fn a_lone_name_also_tagged_as_an_organisation_is_the_organisation() {
        let text = "CIA, Mossad and Qatar met. Mossad chief David Barnea spoke. Trump said. \
                    Reuter correspondents told Reuters.";
        let m = mentions(
            text,
            &[
                (Kind::Organization, "CIA"),
                (Kind::Organization, "Mossad"),
                (Kind::Person, "Mossad"),
                (Kind::Person, "David Barnea"),
                (Kind::Person, "Trump"),
                (Kind::Person, "Reuter"),
                (Kind::Organization, "Reuters"),
            ],
        );
        let e = normalize(&m);
        assert_eq!(e.persons, vec!["David Barnea", "Trump"]);
        assert_eq!(e.orgs, vec!["CIA", "Mossad", "Reuters"]);
    }

    #[test]
    fn headline_words_in_capitals_are_no_persons_when_the_text_uses_them() {
        let text = "US SPENDING ROSE IN APRIL\n\nSpending rose 1.7 billion dlrs, said Rose \
                    Smith, who told the WHO. MARK said. HOGS UP - USDA\n\nusda said.";
        let m = mentions(
            text,
            &[
                (Kind::Person, "ROSE"),
                (Kind::Person, "Rose Smith"),
                (Kind::Organization, "WHO"),
                (Kind::Person, "MARK"),
                (Kind::Organization, "USDA"),
            ],
        );
        let e = normalize_in(text, &m);
        // "MARK" is in running text, not in a headline.
        assert_eq!(e.persons, vec!["Rose Smith", "Mark"], "{e:?}");
        assert_eq!(e.orgs, vec!["WHO", "USDA"]);
    }

    #[test]
    fn capitals_headline_runs_are_organisations_only_when_the_text_confirms_them() {
        let text = "BAHIA COCOA REVIEW\n\nAM INTERNATIONAL INC <AM> SEES GAIN\n\n\
                    COLECO INDUSTRIES INC <CLO> 4TH QTR\n\nBANK OF FRANCE SELLS TAP\n\n\
                    U.S. BANK DISCOUNT BORROWINGS\n\nShowers continued in Bahia, and AM \
                    International Inc said its Bahia Cocoa Review unit gained.";
        let m = mentions(
            text,
            &[
                (Kind::Organization, "BAHIA COCOA REVIEW"),
                (Kind::Organization, "AM INTERNATIONAL"),
                (Kind::Organization, "COLECO INDUSTRIES"),
                (Kind::Organization, "BANK OF FRANCE"),
                (Kind::Organization, "U.S. BANK DISCOUNT BORROWINGS"),
                (Kind::Organization, "AM International Inc"),
            ],
        );
        let e = normalize_in(text, &m);
        // Confirmed in running text, in its spelling there; followed by a
        // legal form; "Bank of ..."; the last run is headline words.
        assert_eq!(
            e.orgs,
            vec![
                "Bahia Cocoa Review",
                "AM International",
                "COLECO INDUSTRIES",
                "BANK OF FRANCE"
            ],
            "{e:?}"
        );

        // Without the confirmation, the first run is dropped; one-word
        // capitals (acronyms) and running text are left alone.
        let text = "BAHIA COCOA REVIEW - USDA\n\nShowers continued, the Bahia Cocoa Traders said.";
        let m = mentions(
            text,
            &[
                (Kind::Organization, "BAHIA COCOA REVIEW"),
                (Kind::Organization, "USDA"),
                (Kind::Organization, "Bahia Cocoa Traders"),
            ],
        );
        assert_eq!(
            normalize_in(text, &m).orgs,
            vec!["USDA", "Bahia Cocoa Traders"]
        );

        // One word: respelled as in running text, never dropped.
        let text = "FED SEES GROWTH - USDA, GM\n\nThe Fed said USDA and GM agreed.";
        let m = mentions(
            text,
            &[
                (Kind::Organization, "FED"),
                (Kind::Organization, "USDA"),
                (Kind::Organization, "GM"),
            ],
        );
        assert_eq!(normalize_in(text, &m).orgs, vec!["Fed", "USDA", "GM"]);

        // A story that capitalises nothing says nothing about its headline.
        let text = "BAHIA COCOA REVIEW\n\nshowers continued in bahia, traders said.";
        let m = mentions(text, &[(Kind::Organization, "BAHIA COCOA REVIEW")]);
        assert_eq!(normalize_in(text, &m).orgs, vec!["BAHIA COCOA REVIEW"]);
    }

    #[test]
    fn a_listed_company_keeps_its_possessive() {
        let text = "Moody's cut Ford's rating; McDonald's agreed. Ford's plan.";
        let m = mentions(
            text,
            &[
                (Kind::Organization, "Moody's"),
                (Kind::Organization, "Ford"),
                (Kind::Organization, "McDonald"),
            ],
        );
        assert_eq!(
            normalize_in(text, &m).orgs,
            vec!["Moody's", "Ford", "McDonald's"]
        );
        // In a capitals headline, spelled as in the story.
        let text = "USX DEBT DOWNGRADED BY MOODY'S\n\nMoody's said so.";
        let m = mentions(text, &[(Kind::Organization, "MOODY")]);
        assert_eq!(normalize_in(text, &m).orgs, vec!["Moody's"]);
    }

    #[test]
    fn a_saint_before_a_place_is_part_of_its_name() {
        let text = "ST. LOUIS, March 3 - Petrolite said. ST. PAUL, Minn. - Talks. \
                    Offices at 10 Market St Pennsylvania.";
        let m = mentions(
            text,
            &[
                (Kind::Organization, "ST"),
                (Kind::Location, "LOUIS"),
                (Kind::Organization, "Petrolite"),
                (Kind::Location, "PAUL"),
                (Kind::Location, "Pennsylvania"),
            ],
        );
        let e = normalize_in(text, &m);
        // "St" is a street there: Pennsylvania is known, "St Pennsylvania" not.
        assert_eq!(
            e.places,
            vec!["St. Louis", "Saint Paul", "Pennsylvania"],
            "{e:?}"
        );
        assert_eq!(country_codes(&e), vec!["US"]);
        assert_eq!(e.orgs, vec!["Petrolite"]);

        let text = "A service in St George's Chapel at Windsor Castle.";
        let m = mentions(
            text,
            &[
                (Kind::Location, "St George"),
                (Kind::Location, "Windsor Castle"),
            ],
        );
        assert_eq!(normalize_in(text, &m).places, vec!["Windsor Castle"]);
    }

    #[test]
    fn multi_word_place_names_tagged_as_persons_are_places() {
        let text = "Sao Paulo and Jordan met Rose Smith in New York.";
        let m = mentions(
            text,
            &[
                (Kind::Person, "Sao Paulo"),
                (Kind::Person, "Jordan"),
                (Kind::Person, "Rose Smith"),
                (Kind::Person, "New York"),
            ],
        );
        let e = normalize_in(text, &m);
        assert_eq!(e.persons, vec!["Jordan", "Rose Smith"]);
        assert_eq!(country_codes(&e), vec!["BR", "US"]);
    }

    #[test]
    fn sentence_initial_words_the_text_uses_in_lower_case_are_no_places() {
        let text = "Mobile phones get faster\n\nMobile networks grew. Sales in Mobile rose. \
                    Burns said mobile use grew.";
        let m = mentions(
            text,
            &[
                (Kind::Location, "Mobile"),
                (Kind::Location, "Mobile"),
                (Kind::Location, "Mobile"),
                (Kind::Person, "Burns"),
            ],
        );
        let e = normalize_in(text, &m);
        // The third "Mobile" is inside a sentence: the city (in the US).
        assert_eq!(country_codes(&e), vec!["US"]);
        assert_eq!(e.places, vec!["Mobile"]);
        // "Burns" begins a sentence, but the text never writes "burns".
        assert_eq!(e.persons, vec!["Burns"]);
    }

    #[test]
    fn whole_words_only() {
        assert!(contains_word("spending rose 5 pct", "rose"));
        assert!(contains_word("rose", "rose"));
        assert!(!contains_word("prices arose", "rose"));
        assert!(!contains_word("the roses bloomed", "rose"));
        assert!(!contains_word("anything", ""));
    }

    #[test]
    fn normally_cased_counts_the_words_split_whitespace_gives() {
        let lower = "the rate rose in every market and city ".repeat(8);
        let texts = [
            String::new(),
            "MEXICO SEES GROWTH. Prices fell.".to_string(),
            format!("{lower}Mexico"),
            format!("{lower}Mexico Japan"),
            format!("{lower}. Mexico Japan"),
            format!("{lower}MEXICO\nJapan  Chile"),
            format!("{lower}Japan\nChile"),
            format!("{lower}Mexico\tJapan"),
            format!("{lower}“Zürich” – Éire"),
            format!("{lower}Zürich\u{a0}Éire"),
            format!("{lower}Zürich\u{2003}Éire"),
            format!("{lower}Zürich\u{3000}Éire"),
            format!("{lower}Japan?\r\nMexico Chile"),
        ];
        for text in &texts {
            let by_words = cased_normally(text.split_whitespace());
            assert_eq!(normally_cased(text), by_words, "{text:?}");
        }
        // Both answers occur among them.
        assert!(texts.iter().any(|t| normally_cased(t)));
        assert!(texts.iter().any(|t| !normally_cased(t)));
        assert!(!has_other_whitespace("Zürich – “Éire”\nnext line"));
        for text in [
            "a\tb",
            "a\rb",
            "a\u{a0}b",
            "a\u{85}b",
            "a\u{1680}b",
            "a\u{205f}b",
        ] {
            assert!(has_other_whitespace(text), "{text:?}");
        }
    }

    #[test]
    fn lower_case_stories_keep_their_sentence_initial_names() {
        let text = "VENEZUELA DEFENDS ACCORD\n\npresident jaime lusinchi defended the accord.\n\n\
                    Lusinchi said the accord with venezuela's banks was fair, and lusinchi left.";
        let m = mentions(text, &[(Kind::Person, "Lusinchi")]);
        assert!(!normally_cased(text));
        assert_eq!(normalize_in(text, &m).persons, vec!["Lusinchi"]);
        assert!(normally_cased(
            "The rate rose. Prices in Mexico and Japan fell."
        ));
    }

    #[test]
    fn listed_companies_tagged_as_persons_are_organisations() {
        let text = "Apple said sales of its iPod doubled. Nintendo agreed. Walter Nintendo, \
                    no relation, spoke.";
        let m = mentions(
            text,
            &[
                (Kind::Person, "Apple"),
                (Kind::Person, "Nintendo"),
                (Kind::Person, "Walter Nintendo"),
            ],
        );
        let e = normalize_in(text, &m);
        // "Nintendo" is Walter Nintendo's surname here, so it stays his.
        assert_eq!(e.persons, vec!["Walter Nintendo"]);
        assert_eq!(e.orgs, vec!["Apple"]);
    }

    #[test]
    fn legal_forms_are_dropped_from_company_names() {
        assert_eq!(strip_legal_form("Chrysler Corp"), Some("Chrysler"));
        assert_eq!(
            strip_legal_form("Goldman, Sachs and Co"),
            Some("Goldman, Sachs")
        );
        assert_eq!(strip_legal_form("Dixons Group PLC"), Some("Dixons"));
        assert_eq!(
            strip_legal_form("GENERAL MOTORS CORP."),
            Some("GENERAL MOTORS")
        );
        assert_eq!(strip_legal_form("Bank of England"), Some("Bank of England"));
        assert_eq!(strip_legal_form("Co Inc"), None);
        // Acronym linking still works on the stripped name.
        let text = "General Motors Corp said GM would cut jobs; Co Inc. rose.";
        let m = mentions(
            text,
            &[
                (Kind::Organization, "General Motors Corp"),
                (Kind::Organization, "GM"),
                (Kind::Organization, "Co Inc."),
            ],
        );
        assert_eq!(normalize_in(text, &m).orgs, vec!["GM"]);
    }

    #[test]
    fn tickers_in_angle_brackets_are_no_organisations() {
        let text = "Ford Motor Co <F> and <Montrose Holding Co> met <NIXG.F> officials.";
        let m = mentions(
            text,
            &[
                (Kind::Organization, "Ford Motor Co"),
                (Kind::Organization, "F"),
                (Kind::Organization, "Montrose Holding Co"),
                (Kind::Organization, "NIXG.F"),
            ],
        );
        assert_eq!(normalize_in(text, &m).orgs, vec!["Ford Motor", "Montrose"]);
    }

    #[test]
    fn a_word_the_article_tags_as_a_surname_elsewhere_completes_a_name() {
        let text = "Mossad chief David Barnea met Burns. Barnea left. Ann Hill and Bob Hale came.";
        let m = mentions(
            text,
            &[
                (Kind::Person, "Mossad chief David"),
                (Kind::Person, "Burns"),
                (Kind::Person, "Barnea"),
                (Kind::Person, "Ann"),
                (Kind::Person, "Bob Hale"),
            ],
        );
        let e = normalize_in(text, &m);
        // "Hill" is nobody's name elsewhere: no "Ann Hill" (and a lone
        // common first name goes).
        assert_eq!(e.persons, vec!["David Barnea", "Burns", "Bob Hale"]);
        assert_eq!(e.orgs, vec!["Mossad"]);
        // Not in a capitals headline.
        let text = "ENVOY DAVID BARNEA ARRIVES. Barnea said.";
        let m = mentions(text, &[(Kind::Person, "DAVID"), (Kind::Person, "Barnea")]);
        assert_eq!(normalize_in(text, &m).persons, vec!["David", "Barnea"]);
    }

    #[test]
    fn a_lone_person_listed_with_organisations_is_one() {
        let text = "Firms including DaimlerChrysler, Siemens and Volkswagen cut jobs. \
                    Blair, Brown and Labour met. Pechiney, Kohl and Alcan. \
                    Apple, ByteDance, Meta and Microsoft.";
        let m = mentions(
            text,
            &[
                (Kind::Person, "DaimlerChrysler"),
                (Kind::Organization, "Siemens"),
                (Kind::Organization, "Volkswagen"),
                (Kind::Person, "Blair"),
                (Kind::Person, "Brown"),
                (Kind::Organization, "Labour"),
                (Kind::Organization, "Pechiney"),
                (Kind::Person, "Kohl"),
                (Kind::Organization, "Apple"),
                (Kind::Person, "Meta"),
                (Kind::Organization, "Microsoft"),
            ],
        );
        let e = normalize_in(text, &m);
        // Two persons beside one organisation stay persons; a list with
        // only one organisation tagged says nothing.
        assert_eq!(e.persons, vec!["Blair", "Brown", "Kohl"]);
        // An untagged word inside a list ("ByteDance") keeps it one list.
        assert_eq!(
            e.orgs,
            vec![
                "DaimlerChrysler",
                "Siemens",
                "Volkswagen",
                "Labour",
                "Pechiney",
                "Apple",
                "Meta",
                "Microsoft"
            ]
        );
    }

    #[test]
    fn money_units_are_no_entities() {
        let text = "WHITTAKER CORP 1ST QTR SHR 17 CTS VS 25 CTS";
        let m = mentions(
            text,
            &[
                (Kind::Organization, "WHITTAKER CORP"),
                (Kind::Organization, "CTS"),
                (Kind::Organization, "CTS"),
            ],
        );
        assert_eq!(normalize_in(text, &m).orgs, vec!["WHITTAKER"]);
    }

    #[test]
    fn person_mentions_side_by_side_are_one_name() {
        let text = "Mossad chief David Barnea met Burns, Al-Thani. Barnea left.";
        let m = mentions(
            text,
            &[
                (Kind::Person, "Mossad chief David"),
                (Kind::Person, "Barnea"),
                (Kind::Person, "Burns"),
                (Kind::Person, "Al-Thani"),
                (Kind::Person, "Barnea"),
            ],
        );
        let e = normalize_in(text, &m);
        assert_eq!(e.persons, vec!["David Barnea", "Burns", "Al-Thani"]);
        assert_eq!(e.orgs, vec!["Mossad"]);
        // Not across punctuation the tagger took in, nor after lower case.
        let text = "B Kay; J Worsley. Casey beat Brian McFadden.";
        let m = mentions(
            text,
            &[
                (Kind::Person, "B Kay;"),
                (Kind::Person, "J Worsley"),
                (Kind::Person, "Casey beat Brian"),
                (Kind::Person, "McFadden"),
            ],
        );
        let e = normalize_in(text, &m);
        assert_eq!(
            e.persons,
            vec!["B Kay", "J Worsley", "Casey beat Brian", "McFadden"]
        );
        let text = "MILLER SAYS REAGAN WILL VETO";
        let m = mentions(
            text,
            &[(Kind::Person, "MILLER SAYS"), (Kind::Person, "REAGAN")],
        );
        assert_eq!(
            normalize_in(text, &m).persons,
            vec!["Miller Says", "Reagan"]
        );
    }

    #[test]
    fn a_lone_common_first_name_is_no_person_unless_titled_or_a_surname() {
        let persons = |text: &str, spans: &[&str]| {
            let spans: Vec<(Kind, &str)> = spans.iter().map(|s| (Kind::Person, *s)).collect();
            normalize_in(text, &mentions(text, &spans)).persons
        };
        // An award, a parliamentary bill, a football club.
        assert!(persons(
            "She won an Oscar. The Bill passed. Chelsea won.",
            &["Oscar", "Bill", "Chelsea"]
        )
        .is_empty());
        // Completed by a full name, or introduced by a title, they are people.
        assert_eq!(
            persons(
                "Oscar Pistorius ran. Oscar won.",
                &["Oscar Pistorius", "Oscar"]
            ),
            vec!["Oscar Pistorius"]
        );
        assert_eq!(
            persons("Prince Tony spoke.", &["Prince Tony"]),
            vec!["Tony"]
        );
        assert_eq!(persons("Mr. Bill spoke.", &["Bill"]), vec!["Bill"]);
        // Common surnames that are also first names stay.
        assert_eq!(persons("Kennedy said no.", &["Kennedy"]), vec!["Kennedy"]);
        assert_eq!(persons("Barnea said no.", &["Barnea"]), vec!["Barnea"]);
    }

    #[test]
    fn role_phrases_inside_person_spans_are_split() {
        let text = "Mossad chief David Barnea met Qatari Prime Minister Mohammed Al-Thani.";
        let m = mentions(
            text,
            &[
                (Kind::Person, "Mossad chief David Barnea"),
                (Kind::Person, "Qatari Prime Minister Mohammed Al-Thani"),
            ],
        );
        let e = normalize(&m);
        assert_eq!(e.persons, vec!["David Barnea", "Mohammed Al-Thani"]);
        assert_eq!(e.orgs, vec!["Mossad"]);
    }

    #[test]
    fn organisation_spans_that_run_on_into_a_person_are_split() {
        let text = "Federal Reserve Board Chairman Paul Volcker spoke. National Security \
                    Adviser Frank Carlucci agreed. The BBC Mr Howard said. General Motors \
                    rose. Daily Mail & General Trust fell. Queen Elizabeth College shut.";
        let e = normalize_in(
            text,
            &mentions(
                text,
                &[
                    (
                        Kind::Organization,
                        "Federal Reserve Board Chairman Paul Volcker",
                    ),
                    (
                        Kind::Organization,
                        "National Security Adviser Frank Carlucci",
                    ),
                    (Kind::Organization, "BBC Mr Howard"),
                    (Kind::Organization, "General Motors"),
                    (Kind::Organization, "Daily Mail & General Trust"),
                    (Kind::Organization, "Queen Elizabeth College"),
                ],
            ),
        );
        assert_eq!(e.persons, ["Paul Volcker", "Frank Carlucci", "Howard"]);
        // The role's own words ("National Security") are no organisation.
        assert_eq!(
            e.orgs,
            [
                "Federal Reserve Board",
                "BBC",
                "General Motors",
                "Daily Mail & General Trust",
                "Queen Elizabeth College"
            ]
        );
    }

    #[test]
    fn an_organisation_span_that_ends_in_a_person_named_elsewhere_is_split() {
        let text = "Chancellor of the Exchequer Nigel Lawson spoke. Lawson said the BBC \
                    Michael Howard interview mattered, Howard agreed. Janney Montgomery \
                    Scott advised; Scott Lee said. Secretary of State George Shultz and \
                    the President of Shearson Lehman Brothers met.";
        let e = normalize_in(
            text,
            &mentions(
                text,
                &[
                    (Kind::Organization, "Exchequer Nigel Lawson"),
                    (Kind::Person, "Lawson"),
                    (Kind::Organization, "BBC Michael Howard"),
                    (Kind::Person, "Howard"),
                    (Kind::Organization, "Janney Montgomery Scott"),
                    (Kind::Person, "Scott Lee"),
                    (Kind::Organization, "State George Shultz"),
                    (Kind::Organization, "Shearson Lehman Brothers"),
                ],
            ),
        );
        // Only a surname the article uses for a person splits a span:
        // "Scott" is no one's surname here. After an office ("Secretary of
        // State") any full name does, but not after "President of the".
        assert_eq!(
            e.persons,
            [
                "Nigel Lawson",
                "Michael Howard",
                "Scott Lee",
                "George Shultz"
            ]
        );
        assert_eq!(
            e.orgs,
            ["BBC", "Janney Montgomery Scott", "Shearson Lehman Brothers"]
        );
    }

    #[test]
    fn a_name_after_a_work_noun_is_the_work_not_a_person() {
        let text = "The film Vera Drake won. Vera Drake and Vera's director Mike Leigh \
                    met the band, Kaiser Chiefs. Brussels — Jo Cox spoke. The film The \
                    Aviator won, as did the film Million Dollar Baby; Million Dollar Baby won.";
        let e = normalize_in(
            text,
            &mentions(
                text,
                &[
                    (Kind::Person, "Vera Drake"),
                    (Kind::Person, "Vera Drake"),
                    (Kind::Person, "Vera"),
                    (Kind::Person, "Mike Leigh"),
                    (Kind::Person, "Kaiser Chiefs"),
                    (Kind::Person, "Jo Cox"),
                    (Kind::Organization, "Aviator"),
                    (Kind::Organization, "Million Dollar Baby"),
                    (Kind::Organization, "Million Dollar Baby"),
                ],
            ),
        );
        assert_eq!(e.persons, ["Mike Leigh", "Jo Cox"]);
        assert_eq!(e.orgs, ["Kaiser Chiefs"], "a band is an organisation");
        assert_eq!(work_noun_before("the musical '"), Some("musical"));
        assert_eq!(work_noun_before("the film The "), Some("film"));
        assert_eq!(work_noun_before("Brussels — "), None, "a dash is no noun");
    }

    proptest::proptest! {
        #![proptest_config(proptest::test_runner::Config {
            cases: 256,
            failure_persistence: None,
            ..proptest::test_runner::Config::default()
        })]

        /// Whatever the words (multi-byte letters and dashes, role words,
        /// work and facility nouns, legal forms) and wherever the tagger's
        /// spans fall, normalisation neither panics nor invents text.
        #[test]
        fn any_mentions_of_any_text_normalise_without_panicking(
            words in proptest::collection::vec(proptest::sample::select(vec![
                "General", "Electric", "Co", "Chairman", "Paul", "Volcker", "Mr", "—",
                "the", "film", "crossing", "Lib", "Dems", "Liberal", "Democrats", "São",
                "Paulo", "Erdoğan", "’s", "Morgan", "Stanley", "Inc", "U.S.", "said", ",",
                "\n", "CIA", "(", ")", "Al-Thani", "Exchequer", "Nigel", "Lawson", "«", "and", "Industry", "of", "State", "(GNP)", "gross",
                "band",
            ]), 1..40),
            spans in proptest::collection::vec((0usize..40, 1usize..5, 0u8..4), 0..12),
        ) {
            let text = words.join(" ");
            // Word-aligned spans, as a tagger gives them.
            let starts: Vec<usize> = std::iter::once(0)
                .chain(text.match_indices(' ').map(|(i, _)| i + 1))
                .collect();
            let ends: Vec<usize> = text
                .match_indices(' ')
                .map(|(i, _)| i)
                .chain(std::iter::once(text.len()))
                .collect();
            let kinds = [Kind::Person, Kind::Organization, Kind::Location, Kind::Misc];
            let m: Vec<Mention> = spans
                .iter()
                .filter(|(at, _, _)| *at < starts.len())
                .filter_map(|&(at, len, kind)| {
                    let end = ends[(at + len - 1).min(ends.len() - 1)];
                    Mention::new(kinds[usize::from(kind)], &text, starts[at], end)
                })
                .collect();
            let e = normalize_in(&text, &m);
            for name in e.persons.iter().chain(&e.orgs) {
                proptest::prop_assert!(!name.is_empty());
            }
        }
    }

    #[test]
    fn surnames_link_to_the_full_name() {
        let text = "CIA Director William Burns met David Barnea. Burns said Barnea's plan works.";
        let e = normalize(&mentions(
            text,
            &[
                (Kind::Organization, "CIA"),
                (Kind::Person, "William Burns"),
                (Kind::Person, "David Barnea"),
                (Kind::Person, "Burns"),
                (Kind::Person, "Barnea's"),
            ],
        ));
        assert_eq!(e.persons, ["William Burns", "David Barnea"]);
    }

    #[test]
    fn short_mention_before_the_full_one_still_links() {
        let text = "Burns visits. CIA chief William Burns arrived.";
        let e = normalize(&mentions(
            text,
            &[(Kind::Person, "Burns"), (Kind::Person, "William Burns")],
        ));
        assert_eq!(e.persons, ["William Burns"]);
    }

    #[test]
    fn roles_honorifics_and_possessives_are_dropped() {
        let text = "President Joe Biden and Mr. Biden's aide Prime Minister Mohammed bin \
                    Abdulrahman Al-Thani met Sheikh Mohammed and Mr. Al-Thani.";
        let e = normalize(&mentions(
            text,
            &[
                (Kind::Person, "President Joe Biden"),
                (Kind::Person, "Mr. Biden's"),
                (
                    Kind::Person,
                    "Prime Minister Mohammed bin Abdulrahman Al-Thani",
                ),
                (Kind::Person, "Sheikh Mohammed"),
                (Kind::Person, "Mr. Al-Thani"),
            ],
        ));
        assert_eq!(
            e.persons,
            ["Joe Biden", "Mohammed bin Abdulrahman Al-Thani"]
        );
    }

    #[test]
    fn all_caps_names_are_case_normalised() {
        let text = "WILLIAM BURNS and MOHAMMED BIN ABDULRAHMAN AL-THANI and O'NEILL met. William Burns spoke.";
        let e = normalize(&mentions(
            text,
            &[
                (Kind::Person, "WILLIAM BURNS"),
                (Kind::Person, "MOHAMMED BIN ABDULRAHMAN AL-THANI"),
                (Kind::Person, "O'NEILL"),
                (Kind::Person, "William Burns"),
            ],
        ));
        assert_eq!(
            e.persons,
            [
                "William Burns",
                "Mohammed bin Abdulrahman Al-Thani",
                "O'Neill"
            ]
        );
    }

    #[test]
    fn unmatched_single_names_are_kept_and_ambiguous_surnames_pick_the_nearest() {
        let text = "Madonna sang. William Burns met Nicholas Burns. Burns left.";
        let e = normalize(&mentions(
            text,
            &[
                (Kind::Person, "Madonna"),
                (Kind::Person, "William Burns"),
                (Kind::Person, "Nicholas Burns"),
                (Kind::Person, "Burns"),
            ],
        ));
        assert_eq!(e.persons, ["Madonna", "William Burns", "Nicholas Burns"]);
    }

    #[test]
    fn other_kinds_that_are_surnames_become_the_person() {
        let text = "Michael Jordan scored. Jordan smiled at Burns and William Burns.";
        let e = normalize(&mentions(
            text,
            &[
                (Kind::Person, "Michael Jordan"),
                (Kind::Location, "Jordan"),
                (Kind::Organization, "Burns"),
                (Kind::Person, "William Burns"),
            ],
        ));
        assert_eq!(e.persons, ["Michael Jordan", "William Burns"]);
        assert!(e.countries.is_empty());
        assert!(e.orgs.is_empty());
    }

    #[test]
    fn ambiguous_country_names_next_to_a_person_are_not_countries() {
        let text = "Georgia Smith met him. Talks in Jordan and Georgia.";
        let e = normalize(&mentions(
            text,
            &[
                (Kind::Location, "Georgia"),
                (Kind::Person, "Smith"),
                (Kind::Location, "Jordan"),
                (Kind::Location, "Georgia"),
            ],
        ));
        // The first "Georgia" touches "Smith"; the later ones are countries.
        assert_eq!(country_codes(&e), ["JO", "GE"]);
        let lone = "Georgia Smith met him.";
        let e = normalize(&mentions(
            lone,
            &[(Kind::Location, "Georgia"), (Kind::Person, "Smith")],
        ));
        assert!(e.countries.is_empty());
    }

    #[test]
    fn lower_case_words_are_not_countries_but_all_caps_are() {
        let text = "They ate turkey in china. TURKEY and CAIRO.";
        let e = normalize(&mentions(
            text,
            &[
                (Kind::Location, "turkey"),
                (Kind::Location, "china"),
                (Kind::Location, "TURKEY"),
                (Kind::Location, "CAIRO"),
            ],
        ));
        assert_eq!(country_codes(&e), ["TR", "EG"]);
        assert_eq!(e.countries[0].name, "Turkey");
        assert!(e.places.contains(&"Cairo".to_string()));
    }

    #[test]
    fn cities_give_a_place_and_their_country() {
        let text = "They met in Cairo and Gaza, in the West Bank and the Middle East.";
        let e = normalize(&mentions(
            text,
            &[
                (Kind::Location, "Cairo"),
                (Kind::Location, "Gaza"),
                (Kind::Location, "the West Bank"),
                (Kind::Location, "Middle East"),
            ],
        ));
        assert_eq!(e.places, ["Cairo", "Gaza", "West Bank", "Middle East"]);
        assert_eq!(country_codes(&e), ["EG", "PS"]);
        assert_eq!(e.countries[1].name, "Palestine");
    }

    #[test]
    fn demonyms_give_countries() {
        let text = "Egyptian, Qatari, Israeli, American and Israeli-Palestinian talks.";
        let e = normalize(&mentions(
            text,
            &[
                (Kind::Misc, "Egyptian"),
                (Kind::Misc, "Qatari"),
                (Kind::Misc, "Israeli"),
                (Kind::Misc, "American"),
                (Kind::Misc, "Israeli-Palestinian"),
            ],
        ));
        assert_eq!(country_codes(&e), ["EG", "QA", "IL", "US", "PS"]);
        assert_eq!(e.countries[3].name, "United States");
    }

    #[test]
    fn clean_collapses_whitespace_and_drops_quotes_and_possessives() {
        assert_eq!(clean("Tony Blair"), "Tony Blair");
        assert_eq!(clean(" \"Tony\n  Blair's\" "), "Tony Blair");
        assert_eq!(clean("Tony\u{a0}Blair,"), "Tony Blair");
        assert_eq!(clean("’Jones’"), "Jones");
        assert_eq!(clean("JONES'S"), "JONES");
        assert_eq!(clean("Burns"), "Burns");
        assert!(is_single_spaced("Tony Blair"));
        for text in [
            " Tony",
            "Tony ",
            "Tony  Blair",
            "Tony\tBlair",
            "Tony\u{a0}Blair",
        ] {
            assert!(!is_single_spaced(text), "{text:?}");
        }
    }

    #[test]
    fn acronyms_are_two_to_eight_capitals_or_ampersands() {
        assert_eq!(acronym_form("C.I.A.").as_deref(), Some("CIA"));
        assert_eq!(acronym_form("AT&T").as_deref(), Some("AT&T"));
        assert_eq!(acronym_form("ÉDF").as_deref(), Some("ÉDF"));
        for text in ["C", "ABCDEFGHI", "Cia", "U.S. Army", ""] {
            assert_eq!(acronym_form(text), None, "{text:?}");
        }
    }

    #[test]
    fn punctuation_is_left_out_of_the_spelling() {
        assert_eq!(without_punctuation("Goldman, Sachs"), "Goldman Sachs");
        assert_eq!(without_punctuation("E.F. Hutton"), "EF Hutton");
        assert_eq!(
            without_punctuation("Cable & Wireless"),
            "Cable and Wireless"
        );
        assert_eq!(without_punctuation("Lloyd's Bank"), "Lloyds Bank");
        // Whitespace collapses whether or not there is punctuation.
        assert_eq!(without_punctuation("Bank  of\tEngland "), "Bank of England");
        assert_eq!(without_punctuation("Bank of England"), "Bank of England");
        let text = "Goldman, Sachs and Co said. Goldman Sachs also said.";
        let orgs = orgs_of(text, &["Goldman, Sachs and Co", "Goldman Sachs"]);
        assert_eq!(orgs, ["Goldman, Sachs"]);
    }

    /// The organisations normalisation makes of `names` tagged in `text`.
    fn orgs_of(text: &str, names: &[&str]) -> Vec<String> {
        let tagged: Vec<(Kind, &str)> = names.iter().map(|&n| (Kind::Organization, n)).collect();
        normalize(&mentions(text, &tagged)).orgs
    }

    #[test]
    fn acronyms_absorb_their_expansions() {
        let text = "The Central Intelligence Agency (CIA) said. The CIA and the cia and the U.N. \
                    and the United Nations and Al-Qahera News and AL-QAHERA NEWS.";
        let e = normalize(&mentions(
            text,
            &[
                (Kind::Organization, "Central Intelligence Agency (CIA)"),
                (Kind::Organization, "CIA"),
                (Kind::Organization, "cia"),
                (Kind::Organization, "U.N."),
                (Kind::Organization, "United Nations"),
                (Kind::Organization, "Al-Qahera News"),
                (Kind::Organization, "AL-QAHERA NEWS"),
            ],
        ));
        assert_eq!(e.orgs, ["CIA", "UN", "Al-Qahera News"]);
        // An expansion alone stays as written.
        let alone = "The Central Intelligence Agency said.";
        let e = normalize(&mentions(
            alone,
            &[(Kind::Organization, "Central Intelligence Agency")],
        ));
        assert_eq!(e.orgs, ["Central Intelligence Agency"]);
        // A short word may give the acronym all its letters.
        let ukip = "The UK Independence Party said. UKIP gained.";
        assert_eq!(orgs_of(ukip, &["UK Independence Party", "UKIP"]), ["UKIP"]);
        // The acronym may leave out the country the name begins with.
        let nasa = "The US National Aeronautics and Space Administration (NASA) said. \
                    The British Broadcasting Corporation (BBC) and the European Union said.";
        let names = [
            "US National Aeronautics and Space Administration",
            "NASA",
            "British Broadcasting Corporation",
            "BBC",
            "European Union",
        ];
        assert_eq!(orgs_of(nasa, &names), ["NASA", "BBC", "European Union"]);
    }

    #[test]
    fn an_acronym_that_takes_in_the_legal_form_absorbs_its_expansion() {
        // Reuters-21578 #19: "Commodity Credit" and "CCC" were two values.
        let text = "The Commodity Credit Corporation, CCC, has accepted a bid. The Federal \
                    Deposit Insurance Corp said. The FDIC and IBM agreed. International \
                    Business Machines Corp said. General Motors Corp said.";
        let e = normalize(&mentions(
            text,
            &[
                (Kind::Organization, "Commodity Credit Corporation"),
                (Kind::Organization, "CCC"),
                (Kind::Organization, "Federal Deposit Insurance Corp"),
                (Kind::Organization, "FDIC"),
                (Kind::Organization, "IBM"),
                (Kind::Organization, "International Business Machines Corp"),
                (Kind::Organization, "General Motors Corp"),
            ],
        ));
        assert_eq!(e.orgs, ["CCC", "FDIC", "IBM", "General Motors"]);
    }

    #[test]
    fn a_shortened_name_is_the_full_name_of_the_same_article() {
        let text = "The Lib Dems and Lib Dem voters back the Liberal Democrats. Man Utd \
                    beat Dundee. Manchester United and Manchester United-Arsenal tickets. \
                    Goldman Sachs, or Goldman, Sachs. General Mills and General Motors.";
        let e = normalize(&mentions(
            text,
            &[
                (Kind::Organization, "Lib Dems"),
                (Kind::Organization, "Lib Dem"),
                (Kind::Organization, "Liberal Democrats"),
                (Kind::Organization, "Man Utd"),
                (Kind::Organization, "Manchester United"),
                (Kind::Organization, "Manchester United-Arsenal"),
                (Kind::Organization, "Goldman Sachs"),
                (Kind::Organization, "Goldman, Sachs"),
                (Kind::Organization, "General Mills"),
                (Kind::Organization, "General Motors"),
            ],
        ));
        assert_eq!(
            e.orgs,
            [
                "Liberal Democrats",
                "Manchester United",
                "Manchester United-Arsenal",
                "Goldman Sachs",
                "General Mills",
                "General Motors"
            ]
        );
        assert!(shortens(&["S", "and", "P"], &["Standard", "and", "Poor"]));
        assert!(shortens(&["Lib", "Dems"], &["Liberal", "Democrat"]));
        assert!(
            !shortens(&["Utd"], &["United"]),
            "one word alone is too weak a clue"
        );
    }

    #[test]
    fn a_name_without_its_designation_is_the_full_name_of_the_same_article() {
        let text = "Labour and the Labour Party. Conservatives, Conservative Party. \
                    Conservative. Liberal and Liberals. Ford Motor and Ford. Salomon Bros and Salomon. Ford Motor Credit. \
                    Party of God.";
        let e = normalize_in(
            text,
            &mentions(
                text,
                &[
                    (Kind::Organization, "Labour"),
                    (Kind::Organization, "Labour Party"),
                    (Kind::Organization, "Conservatives"),
                    (Kind::Organization, "Conservative Party"),
                    (Kind::Organization, "Conservative"),
                    (Kind::Organization, "Liberal"),
                    (Kind::Organization, "Liberals"),
                    (Kind::Organization, "Ford Motor"),
                    (Kind::Organization, "Ford"),
                    (Kind::Organization, "Salomon Bros"),
                    (Kind::Organization, "Salomon"),
                    (Kind::Organization, "Ford Motor Credit"),
                    (Kind::Organization, "Party of God"),
                ],
            ),
        );
        assert_eq!(
            e.orgs,
            [
                "Labour Party",
                "Conservative Party",
                "Liberals",
                "Ford Motor",
                "Salomon Bros",
                "Ford Motor Credit",
                "Party of God"
            ]
        );
        assert!(drops_designation(
            &["UK", "Independence"],
            &["UK", "Independence", "Party"]
        ));
        assert!(!drops_designation(&["Labour"], &["Labour"]));
        assert!(!drops_designation(&["Labour"], &["Labour", "Group"]));
        assert!(!drops_designation(&["Lab"], &["Labour", "Party"]));
        assert!(drops_designation(&["Salomon"], &["Salomon", "Bros."]));
    }

    #[test]
    fn an_abbreviation_of_something_else_is_no_organisation() {
        let text = "GNP rose 2 pct, the MP said. The CIA agreed.";
        let e = normalize_in(
            text,
            &mentions(
                text,
                &[
                    (Kind::Organization, "GNP"),
                    (Kind::Organization, "MP"),
                    (Kind::Organization, "CIA"),
                ],
            ),
        );
        assert_eq!(e.orgs, ["CIA"]);
    }

    #[test]
    fn a_party_member_named_by_party_is_a_place_or_a_party() {
        let text = "House Speaker Jim Wright, a Texas Democrat, said the Christian \
                    Democrats had won.";
        let e = normalize_in(
            text,
            &mentions(
                text,
                &[
                    (Kind::Person, "Jim Wright"),
                    (Kind::Person, "Texas Democrat"),
                    (Kind::Person, "Christian Democrats"),
                ],
            ),
        );
        assert_eq!(e.persons, ["Jim Wright"]);
        assert_eq!(e.places, ["Texas"]);
        assert_eq!(country_codes(&e), ["US"]);
        assert_eq!(e.orgs, ["Christian Democrats"]);
    }

    #[test]
    fn an_organisation_right_after_general_takes_it_in() {
        let text = "Shares of General Electric Co and GENERAL DYNAMICS rose. Attorney \
                    General Meese Inc said.";
        let e = normalize_in(
            text,
            &mentions(
                text,
                &[
                    (Kind::Organization, "Electric Co"),
                    (Kind::Organization, "DYNAMICS"),
                    (Kind::Organization, "Meese Inc"),
                ],
            ),
        );
        assert_eq!(e.orgs, ["General Electric", "GENERAL DYNAMICS", "Meese"]);
    }

    #[test]
    fn an_acronym_spelled_out_in_lower_case_or_with_a_plural_is_no_organisation() {
        let text = "Real gross national product (GNP) rose, the Central Intelligence \
                    Agency (CIA) said. GNP grew. The IMF (fund) agreed.";
        let e = normalize_in(
            text,
            &mentions(
                text,
                &[
                    (Kind::Organization, "GNP"),
                    (Kind::Organization, "Central Intelligence Agency"),
                    (Kind::Organization, "CIA"),
                    (Kind::Organization, "GNP"),
                    (Kind::Organization, "IMF"),
                ],
            ),
        );
        // Capitalised words spell out a name; "(fund)" is one word for three.
        assert_eq!(e.orgs, ["CIA", "IMF"]);
        // An acronym with a plural is a common noun too.
        let text = "An MP said other MPs agreed with the BBC. The BBC's CDs sold.";
        let e = normalize_in(
            text,
            &mentions(
                text,
                &[
                    (Kind::Organization, "MP"),
                    (Kind::Organization, "BBC"),
                    (Kind::Organization, "BBC"),
                ],
            ),
        );
        assert_eq!(e.orgs, ["BBC"]);
    }

    #[test]
    fn an_organisation_takes_in_and_and_a_common_word() {
        let text = "The Ministry of International Trade and Industry said. Texaco and \
                    Chevron agreed; Liberal Democrats and Respect differed. Cardinal Savings \
                    and Loan Association of Virginia gained. The Nevada Gaming Commission \
                    and State Gaming Control Board met.";
        let e = normalize_in(
            text,
            &mentions(
                text,
                &[
                    (Kind::Organization, "Ministry of International Trade"),
                    (Kind::Person, "Industry"),
                    (Kind::Organization, "Texaco"),
                    (Kind::Organization, "Chevron"),
                    (Kind::Organization, "Liberal Democrats"),
                    (Kind::Organization, "Respect"),
                    (Kind::Organization, "Cardinal Savings"),
                    (Kind::Organization, "Loan Association of Virginia"),
                    (Kind::Organization, "Nevada Gaming Commission"),
                    (Kind::Organization, "State Gaming Control Board"),
                ],
            ),
        );
        assert_eq!(
            e.orgs,
            [
                "Ministry of International Trade and Industry",
                "Texaco",
                "Chevron",
                "Liberal Democrats",
                "Respect",
                "Cardinal Savings and Loan Association of Virginia",
                "Nevada Gaming Commission",
                "State Gaming Control Board"
            ]
        );
        assert!(e.persons.is_empty(), "{e:?}");
        // The tagger's "Industry (MITI", without the closing bracket.
        let text = "Ministry of International Trade and Industry (MITI) rules. The General \
                    Agreement on Tariffs and Trade (GATT) met. Cargill (USA) Inc bought.";
        let e = normalize_in(
            text,
            &mentions(
                text,
                &[
                    (Kind::Organization, "Ministry of International Trade"),
                    (Kind::Organization, "Industry (MITI"),
                    (Kind::Organization, "Trade (GATT"),
                    (Kind::Organization, "Cargill (USA) Inc"),
                ],
            ),
        );
        assert_eq!(e.orgs, ["MITI", "GATT", "Cargill"]);
    }

    #[test]
    fn a_name_read_both_as_a_person_and_an_organisation_is_the_organisation() {
        let text = "Reuters Holdings said its Reuter News-Watch service, which a Reuter \
                    survey rated well, grew. E.F. Hutton said E.F. Hutton Group would buy \
                    it. Reuterson said so.";
        let e = normalize_in(
            text,
            &mentions(
                text,
                &[
                    (Kind::Organization, "Reuters"),
                    (Kind::Person, "Reuter"),
                    (Kind::Person, "Reuter"),
                    (Kind::Person, "E.F. Hutton"),
                    (Kind::Organization, "E.F. Hutton"),
                    (Kind::Person, "Reuterson"),
                ],
            ),
        );
        assert_eq!(e.orgs, ["Reuters", "E.F. Hutton"]);
        assert_eq!(e.persons, ["Reuterson"]);
    }

    #[test]
    fn another_name_of_an_organisation_named_in_the_article_is_left_out() {
        let text = "FED SETS REPURCHASES. The Federal Reserve said the Fed would act. \
                    The Tories and the Conservatives met the G-7.";
        let e = normalize_in(
            text,
            &mentions(
                text,
                &[
                    (Kind::Organization, "FED"),
                    (Kind::Organization, "Federal Reserve"),
                    (Kind::Organization, "Fed"),
                    (Kind::Organization, "Tories"),
                    (Kind::Organization, "Conservatives"),
                    (Kind::Organization, "G-7"),
                ],
            ),
        );
        // Across articles, "G-7" alone counts for the "Group of Seven".
        assert_eq!(e.orgs, ["Federal Reserve", "Conservatives", "G-7"]);
        // Two other names of one organisation are that organisation.
        let text = "The US Federal Reserve cut rates. Fed Chair Jerome Powell spoke.";
        let names = [
            (Kind::Organization, "US Federal Reserve"),
            (Kind::Organization, "Fed"),
        ];
        let e = normalize_in(text, &mentions(text, &names));
        assert_eq!(e.orgs, ["Federal Reserve"]);
        let e = normalize_in(text, &mentions(text, &names[..1]));
        assert_eq!(e.orgs, ["US Federal Reserve"]);
    }

    #[test]
    fn generic_cue_words_are_not_orgs() {
        let text = "The Army and the Ministry.";
        let e = normalize(&mentions(
            text,
            &[
                (Kind::Organization, "Army"),
                (Kind::Organization, "the Ministry"),
            ],
        ));
        assert!(e.orgs.is_empty());
    }

    #[test]
    fn title_case_rules() {
        assert_eq!(title_case("WILLIAM BURNS"), "William Burns");
        assert_eq!(title_case("AL-THANI"), "Al-Thani");
        assert_eq!(title_case("O'NEILL"), "O'Neill");
        assert_eq!(title_case("E.F. HUTTON"), "E.F. Hutton");
        assert_eq!(title_case("J.C. PENNEY"), "J.C. Penney");
        assert_eq!(title_case("JR. SMITH"), "Jr. Smith");
        assert_eq!(title_case("PAUL MCCARTNEY"), "Paul McCartney");
        assert_eq!(title_case("MC"), "Mc");
        assert_eq!(title_case("VAN DER BERG"), "Van der Berg");
    }

    #[test]
    fn empty_and_junk_mentions_do_not_panic() {
        let text = "'s \" ( ) Mr.";
        let e = normalize(&[
            Mention::new(Kind::Person, text, 0, 2).expect("span"),
            Mention::new(Kind::Organization, text, 3, 4).expect("span"),
            Mention::new(Kind::Location, text, 5, 8).expect("span"),
            Mention::new(Kind::Person, text, 9, 12).expect("span"),
        ]);
        assert_eq!(e, Entities::default());
    }
}
