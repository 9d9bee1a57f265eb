//! Checking extracted entities against editors' tags: Reuters-21578 records
//! carry `<PLACES>` (country codes) and `<PEOPLE>` (surnames) assigned by
//! Reuters editors, an independent, document-level gold standard for the
//! country and person facets.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::corpus::{self, Format, ParseOptions, WalkEntry};
use crate::error::{Error, Result};
use crate::{Article, Entities};

/// Micro-averaged precision and recall.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct PrecisionRecall {
    pub precision: f64,
    pub recall: f64,
}

/// The result of `newsdex eval-facets`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FacetEvaluation {
    /// Records with at least one PLACES or PEOPLE tag.
    pub records: u64,
    pub country: PrecisionRecall,
    pub person: PrecisionRecall,
    /// Gold country codes most often missed, with counts (human output only).
    #[serde(skip)]
    pub missed_countries: Vec<(String, u64)>,
    /// Predicted country codes most often not in the gold tags.
    #[serde(skip)]
    pub spurious_countries: Vec<(String, u64)>,
}

#[derive(Default)]
struct Tally {
    true_positives: u64,
    predicted: u64,
    gold: u64,
    missed: BTreeMap<String, u64>,
    spurious: BTreeMap<String, u64>,
}

impl Tally {
    fn add(&mut self, predicted: &BTreeSet<String>, gold: &BTreeSet<String>) {
        self.true_positives += predicted.intersection(gold).count() as u64;
        self.predicted += predicted.len() as u64;
        self.gold += gold.len() as u64;
        for code in gold.difference(predicted) {
            *self.missed.entry(code.clone()).or_default() += 1;
        }
        for code in predicted.difference(gold) {
            *self.spurious.entry(code.clone()).or_default() += 1;
        }
    }

    /// The `n` most frequent entries of a count map, ties by name.
    fn top(counts: &BTreeMap<String, u64>, n: usize) -> Vec<(String, u64)> {
        let mut top: Vec<(String, u64)> = counts.iter().map(|(k, v)| (k.clone(), *v)).collect();
        top.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        top.truncate(n);
        top
    }

    fn scores(&self) -> PrecisionRecall {
        let ratio = |num: u64, den: u64| {
            if den == 0 {
                0.0
            } else {
                num as f64 / den as f64
            }
        };
        PrecisionRecall {
            precision: ratio(self.true_positives, self.predicted),
            recall: ratio(self.true_positives, self.gold),
        }
    }
}

/// Evaluates `extract` on every Reuters record under `path` (a .sgm file or
/// a folder of them) that has editors' tags.
pub fn evaluate_reuters(
    path: &Path,
    extract: impl Fn(&Article) -> Entities + Sync,
) -> Result<FacetEvaluation> {
    let files = sgm_files(path)?;
    if files.is_empty() {
        return Err(Error::CorpusUnreadable {
            path: path.to_path_buf(),
            reason: "no Reuters-21578 .sgm files found".into(),
        });
    }
    let options = ParseOptions::default();
    let mut countries = Tally::default();
    let mut persons = Tally::default();
    let mut records = 0;
    for file in files {
        let bytes = std::fs::read(&file).map_err(|e| Error::Io {
            context: format!("reading {}", file.display()),
            source: e,
        })?;
        let name = file.to_string_lossy();
        let parsed = corpus::parse(Format::Sgml, &name, &bytes, &options).map_err(|e| {
            Error::CorpusUnreadable {
                path: file.clone(),
                reason: e.reason(),
            }
        })?;
        let tagged: Vec<&Article> = parsed
            .articles
            .iter()
            .filter(|a| !a.tag_places.is_empty() || !a.tag_people.is_empty())
            .collect();
        let extracted: Vec<Entities> = {
            use rayon::prelude::*;
            tagged.par_iter().map(|a| extract(a)).collect()
        };
        for (article, entities) in tagged.iter().zip(&extracted) {
            records += 1;
            if !article.tag_places.is_empty() {
                let gold: BTreeSet<String> = article
                    .tag_places
                    .iter()
                    .filter_map(|p| reuters_place_code(p))
                    .collect();
                let predicted: BTreeSet<String> =
                    entities.countries.iter().map(|c| c.code.clone()).collect();
                countries.add(&predicted, &gold);
            }
            if !article.tag_people.is_empty() {
                let gold: BTreeSet<String> = article
                    .tag_people
                    .iter()
                    .map(|p| reuters_surname(p))
                    .collect();
                let predicted: BTreeSet<String> =
                    entities.persons.iter().map(|p| surname(p)).collect();
                persons.add(&predicted, &gold);
            }
        }
    }
    Ok(FacetEvaluation {
        records,
        country: countries.scores(),
        person: persons.scores(),
        missed_countries: Tally::top(&countries.missed, 10),
        spurious_countries: Tally::top(&countries.spurious, 10),
    })
}

fn sgm_files(path: &Path) -> Result<Vec<std::path::PathBuf>> {
    let meta = std::fs::metadata(path).map_err(|e| Error::CorpusUnreadable {
        path: path.to_path_buf(),
        reason: e.to_string(),
    })?;
    if meta.is_file() {
        return Ok(vec![path.to_path_buf()]);
    }
    Ok(corpus::walk(path)
        .filter_map(|entry| match entry {
            WalkEntry::File { path, .. } if Format::from_path(&path) == Some(Format::Sgml) => {
                Some(path)
            }
            _ => None,
        })
        .collect())
}

/// ISO alpha-2 code of a Reuters PLACES value (`usa`, `west-germany`, `el-salvador`).
/// Historical states map to their successor the gazetteer knows.
pub fn reuters_place_code(place: &str) -> Option<String> {
    const SPECIAL: &[(&str, &str)] = &[
        ("usa", "US"),
        ("uk", "GB"),
        ("uae", "AE"),
        ("ussr", "RU"),
        ("west-germany", "DE"),
        ("east-germany", "DE"),
        ("czechoslovakia", "CZ"),
        ("yugoslavia", "RS"),
        ("zaire", "CD"),
        ("burma", "MM"),
        ("kampuchea", "KH"),
        ("ivory-coast", "CI"),
        ("swaziland", "SZ"),
        ("western-samoa", "WS"),
        ("yemen-arab-republic", "YE"),
        ("yemen-demo-republic", "YE"),
        ("hong-kong", "HK"),
        ("macao", "MO"),
        ("vatican", "VA"),
        ("trinidad-tobago", "TT"),
        ("netherlands-antilles", "CW"),
        ("us-virgin-islands", "VI"),
        ("british-virgin-islands", "VG"),
        ("south-korea", "KR"),
        ("north-korea", "KP"),
        ("congo", "CG"),
    ];
    let place = place.trim().to_ascii_lowercase();
    if let Some((_, code)) = SPECIAL.iter().find(|(name, _)| *name == place) {
        return Some(code.to_string());
    }
    crate::entities::resolve_country(&place.replace('-', " ")).map(|c| c.code)
}

/// Surname of a Reuters PEOPLE value (`abdel-hadi-kandeel` → `kandeel`).
fn reuters_surname(tag: &str) -> String {
    tag.rsplit('-').next().unwrap_or(tag).to_ascii_lowercase()
}

/// Lower-case last word of a person name, accents folded to ASCII where simple.
fn surname(name: &str) -> String {
    name.split_whitespace()
        .last()
        .unwrap_or(name)
        .trim_end_matches("'s")
        .to_lowercase()
        .rsplit('-')
        .next()
        .unwrap_or_default()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reuters_special_codes_map_to_iso() {
        assert_eq!(reuters_place_code("usa").as_deref(), Some("US"));
        assert_eq!(reuters_place_code("west-germany").as_deref(), Some("DE"));
        assert_eq!(reuters_place_code("uk").as_deref(), Some("GB"));
    }

    #[test]
    fn surnames_match_reuters_people_tags() {
        assert_eq!(reuters_surname("abdel-hadi-kandeel"), "kandeel");
        assert_eq!(surname("Abdel-Hadi Kandeel"), "kandeel");
        assert_eq!(surname("James Baker"), "baker");
        assert_eq!(surname("Baker's"), "baker");
    }

    #[test]
    fn micro_averages_count_every_tag() {
        let set = |items: &[&str]| items.iter().map(|s| s.to_string()).collect::<BTreeSet<_>>();
        let mut tally = Tally::default();
        tally.add(&set(&["US", "GB"]), &set(&["US"]));
        tally.add(&set(&[]), &set(&["FR"]));
        let scores = tally.scores();
        assert_eq!(scores.precision, 0.5);
        assert_eq!(scores.recall, 0.5);
    }
}
