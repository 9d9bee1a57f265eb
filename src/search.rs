//! Querying an index: keyword queries, entity/date/source filters, facet
//! counts and snippets, in one pass over the matches.
//!
//! Callers describe what they want with a [`SearchRequest`] and get plain
//! data back ([`SearchResults`]); no tantivy type crosses this boundary, so
//! rendering and scripting never depend on the engine.

use std::ops::Bound;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};
use std::time::Instant;

use chrono::{DateTime, SecondsFormat, Utc};
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use tantivy::collector::sort_key::{SortBySimilarityScore, SortByStaticFastValue, SortByString};
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{
    AllQuery, BooleanQuery, ConstScoreQuery, Occur, Query, QueryParser, QueryParserError,
    RangeQuery,
};
use tantivy::schema::{Field, TantivyDocument, Value};

use crate::facet_counts::{EntityFacetCollector, KindCounts};
use tantivy::snippet::SnippetGenerator;
use tantivy::{DocAddress, Index, IndexReader, Order, Term};

use crate::aliases::Aliases;
use crate::analyzer::phrase_query;
use crate::entities::normalize::is_all_caps;
use crate::error::{Error, Result};
use crate::indexer::{open_existing, tantivy_error};
use crate::query_rewrite::{rewrite_clauses, RewrittenFields};
use crate::schema::{name_key, names, FacetKind, Fields, QUERYABLE_FIELDS};

/// Default number of facet values shown per facet.
pub const DEFAULT_FACET_TOP: usize = 10;

/// What to search for.
#[derive(Debug, Clone, Default)]
pub struct SearchRequest {
    /// Keyword query in tantivy's syntax; `None` or blank lists matches newest first.
    pub query: Option<String>,
    /// Each must match (AND): person names, e.g. "William Burns" or "Burns".
    pub persons: Vec<String>,
    /// Countries by name, ISO code or demonym.
    pub countries: Vec<String>,
    pub orgs: Vec<String>,
    pub sources: Vec<String>,
    /// Inclusive date bounds.
    pub since: Option<DateTime<Utc>>,
    pub until: Option<DateTime<Utc>>,
    pub limit: usize,
    pub offset: usize,
    /// Count the top entities over all matches.
    pub facets: bool,
    /// Values per facet.
    pub facet_top: usize,
    /// Generate highlighted snippets for the hits.
    pub snippets: bool,
    /// The order of the hits.
    pub sort: SortOrder,
}

/// The order of a search's hits. Ties go to the better score, then to the
/// article id; undated articles come last in date orders.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum SortOrder {
    /// Best score first; without a query (nothing to score), newest first.
    #[default]
    Relevance,
    Newest,
    Oldest,
}

/// One ranked article.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hit {
    pub id: String,
    pub path: String,
    pub title: String,
    /// RFC 3339, UTC.
    pub date: Option<String>,
    pub score: f32,
    /// Body excerpt, HTML-escaped, matched terms wrapped in `<b>…</b>`.
    pub snippet: String,
    pub persons: Vec<String>,
    pub countries: Vec<String>,
    pub orgs: Vec<String>,
    /// The snippet as plain-text pieces, `true` where highlighted (for terminals).
    #[serde(skip)]
    pub snippet_parts: Vec<(String, bool)>,
}

/// A facet value and the number of matching articles that have it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FacetCount {
    pub value: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub code: Option<String>,
    pub count: u64,
    /// The aliases whose articles the count takes in ("Reagan" for
    /// "Ronald Reagan", "Lib Dems" for "Liberal Democrats"; see
    /// [`crate::aliases`]).
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub also_as: Vec<String>,
}

/// Top entity counts over all matches.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Facets {
    pub person: Vec<FacetCount>,
    pub country: Vec<FacetCount>,
    pub org: Vec<FacetCount>,
}

impl Facets {
    /// The counts of one facet kind.
    pub fn get(&self, kind: FacetKind) -> &[FacetCount] {
        match kind {
            FacetKind::Person => &self.person,
            FacetKind::Country => &self.country,
            FacetKind::Org => &self.org,
        }
    }
}

/// The answer to a [`SearchRequest`]; `--json` prints it as is.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SearchResults {
    pub query: String,
    pub total: u64,
    pub took_ms: f64,
    pub hits: Vec<Hit>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub facets: Option<Facets>,
}

/// Index statistics for `newsdex stats`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct IndexStats {
    pub articles: u64,
    pub index_bytes: u64,
    pub top: Facets,
}

/// A parsed keyword query, and what its words ending in `*` look for in
/// the body (for snippets).
type Keywords = (Box<dyn Query>, Vec<String>);

/// A search request's query text (trimmed), its parsed keywords (`None`
/// for a blank text; snippets highlight them) and the whole query with
/// the filters.
struct Plan<'r> {
    text: &'r str,
    keywords: Option<Box<dyn Query>>,
    /// What the query's words ending in `*` look for in the body.
    body_prefixes: Vec<String>,
    query: Box<dyn Query>,
}

/// An opened index with its reader and query parser, built once and reused.
pub struct Engine {
    index: Index,
    reader: IndexReader,
    fields: Fields,
    parser: QueryParser,
    path: PathBuf,
    /// Read on first use: searches without facets, person and
    /// organisation filters or hits naming persons do not need them.
    aliases: OnceLock<Arc<Aliases>>,
}

impl Engine {
    /// Opens the index at `path` for searching.
    pub fn open(path: &Path) -> Result<Engine> {
        let mut index = open_existing(path)?;
        // Segments are searched in parallel: counting facets over a broad
        // query's matches is linear in them, and an archive has several segments.
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
        if threads > 1 {
            index
                .set_multithread_executor(threads)
                .map_err(|e| tantivy_error(path, e))?;
        }
        let fields = Fields::resolve(&index.schema()).map_err(|e| tantivy_error(path, e))?;
        // A search sees the commit it opened, as it sees the aliases it
        // read: no thread watching for new commits.
        let reader = index
            .reader_builder()
            .reload_policy(tantivy::ReloadPolicy::Manual)
            .try_into()
            .map_err(|e| tantivy_error(path, e))?;
        let default_fields = DEFAULT_FIELDS
            .iter()
            .map(|name| index.schema().get_field(name))
            .collect::<tantivy::Result<Vec<Field>>>()
            .map_err(|e| tantivy_error(path, e))?;
        let mut parser = QueryParser::for_index(&index, default_fields);
        // Only for the prefixes `word*` becomes (users' own are refused).
        parser.allow_regexes();
        // Users narrow a news search by adding words, as on the web.
        parser.set_conjunction_by_default();
        parser.set_field_boost(fields.title, 2.0);
        Ok(Engine {
            index,
            reader,
            fields,
            parser,
            path: path.to_path_buf(),
            aliases: OnceLock::new(),
        })
    }

    /// Runs one search.
    pub fn search(&self, request: &SearchRequest) -> Result<SearchResults> {
        let started = Instant::now();
        let searcher = self.reader.searcher();
        let Plan {
            text: query_text,
            keywords: keyword_query,
            body_prefixes,
            query,
        } = self.plan(request)?;

        let facet_collector = match request.facets {
            true => Some(self.facet_collector(request.facet_top)?),
            false => None,
        };
        let by_date = match request.sort {
            SortOrder::Relevance if keyword_query.is_some() => None,
            SortOrder::Relevance | SortOrder::Newest => Some(Order::Desc),
            SortOrder::Oldest => Some(Order::Asc),
        };
        let top = TopDocs::with_limit(request.limit.max(1)).and_offset(request.offset);
        let by_id = (SortByString::for_field(names::ID), Order::Asc);
        let (ranked, total, facet_counts) = match by_date {
            None => {
                let top = top.order_by(((SortBySimilarityScore, Order::Desc), by_id));
                let (top, total, facets) = searcher
                    .search(&*query, &(top, Count, facet_collector))
                    .map_err(|e| self.search_error(query_text, e))?;
                let ranked: Vec<(f32, DocAddress)> = top
                    .into_iter()
                    .map(|((score, _), addr)| (score, addr))
                    .collect();
                (ranked, total, facets)
            }
            Some(order) => {
                // Without a query every score is the same.
                let top = top.order_by((
                    (
                        SortByStaticFastValue::<tantivy::DateTime>::for_field(names::DATE),
                        order,
                    ),
                    (SortBySimilarityScore, Order::Desc),
                    by_id,
                ));
                let (top, total, facets) = searcher
                    .search(&*query, &(top, Count, facet_collector))
                    .map_err(|e| self.search_error(query_text, e))?;
                let scored = keyword_query.is_some();
                let ranked: Vec<(f32, DocAddress)> = top
                    .into_iter()
                    .map(|((_, score, _), addr)| (if scored { score } else { 0.0 }, addr))
                    .collect();
                (ranked, total, facets)
            }
        };
        let ranked = if request.limit == 0 {
            Vec::new()
        } else {
            ranked
        };

        let snippets = match (&keyword_query, request.snippets) {
            (Some(q), true) => Some(self.snippet_generator(&searcher, &**q, &body_prefixes)?),
            _ => None,
        };
        // Each hit decompresses a docstore block and tokenizes its body for
        // the snippet: a millisecond or two per page, shared by the
        // search threads.
        let hits = self
            .index
            .search_executor()
            .map(
                |(score, address)| {
                    let doc: TantivyDocument = searcher.doc(address)?;
                    Ok(self.hit(&doc, score, snippets.as_ref(), request.snippets))
                },
                ranked.into_iter(),
            )
            .map_err(|e| tantivy_error(&self.path, e))?;
        let hits = self.with_persons_as_orgs(hits)?;
        let facets = match facet_counts {
            Some(counts) => Some(facets_from_counts(self.spell(
                &searcher,
                counts,
                request.facet_top,
            )?)),
            None => None,
        };
        Ok(SearchResults {
            query: query_text.to_string(),
            total: total as u64,
            took_ms: started.elapsed().as_secs_f64() * 1000.0,
            hits,
            facets,
        })
    }

    /// Snippets of the body that show the query's terms, and the words
    /// that its words ending in `*` begin (tantivy's generator sees only
    /// the terms of term queries): up to [`MAX_PREFIX_TERMS`] per prefix,
    /// the rarer weighing more, as tantivy weighs terms.
    fn snippet_generator(
        &self,
        searcher: &tantivy::Searcher,
        query: &dyn Query,
        prefixes: &[String],
    ) -> Result<SnippetGenerator> {
        let body = self.fields.body;
        let mut generator = if prefixes.is_empty() {
            SnippetGenerator::create(searcher, query, body)
                .map_err(|e| tantivy_error(&self.path, e))?
        } else {
            let mut terms = std::collections::BTreeSet::new();
            query.query_terms(&mut |term, _| {
                if term.field() == body {
                    terms.insert(term.clone());
                }
            });
            let mut weighed: std::collections::BTreeMap<String, tantivy::Score> =
                Default::default();
            for term in terms {
                let Some(text) = term.value().as_str().map(str::to_string) else {
                    continue;
                };
                let articles = searcher
                    .doc_freq(&term)
                    .map_err(|e| tantivy_error(&self.path, e))?;
                if articles > 0 {
                    weighed.insert(text, 1.0 / (1.0 + articles as tantivy::Score));
                }
            }
            let dictionaries = self.dictionaries(searcher, body)?;
            for prefix in prefixes {
                let mut found: FxHashMap<String, u64> = FxHashMap::default();
                for dictionary in &dictionaries {
                    // The analysers keep letters and digits.
                    let mut terms = self.terms_starting(dictionary, prefix)?;
                    while terms.advance() && found.len() < MAX_PREFIX_TERMS {
                        let text = String::from_utf8_lossy(terms.key()).into_owned();
                        *found.entry(text).or_default() += u64::from(terms.value().doc_freq);
                    }
                }
                for (text, articles) in found {
                    weighed.insert(text, 1.0 / (1.0 + articles as tantivy::Score));
                }
            }
            let tokenizer = self
                .index
                .tokenizer_for_field(body)
                .map_err(|e| tantivy_error(&self.path, e))?;
            SnippetGenerator::new(weighed, tokenizer, body, SNIPPET_CHARS)
        };
        generator.set_max_num_chars(SNIPPET_CHARS);
        Ok(generator)
    }

    /// The query [`Engine::search`] runs for `request`: its keywords and
    /// filters, all required (for benchmarks that run their own collectors).
    pub fn query(&self, request: &SearchRequest) -> Result<Box<dyn Query>> {
        Ok(self.plan(request)?.query)
    }

    /// How `request` is searched (see [`Plan`]).
    fn plan<'r>(&self, request: &'r SearchRequest) -> Result<Plan<'r>> {
        let text = request.query.as_deref().map(str::trim).unwrap_or("");
        let (keywords, body_prefixes) = match self.keyword_query(text)? {
            Some((query, prefixes)) => (Some(query), prefixes),
            None => (None, Vec::new()),
        };
        let query = combine(
            keywords.as_ref().map(|q| q.box_clone()),
            self.filters(request)?,
        );
        Ok(Plan {
            text,
            keywords,
            body_prefixes,
            query,
        })
    }

    /// Counts the top `top` entity facet values, aliases folded in.
    fn facet_collector(&self, top: usize) -> Result<EntityFacetCollector> {
        Ok(EntityFacetCollector::new(names::ENTITY, top).with_aliases(self.aliases()?))
    }

    /// The hits with their persons that are organisations
    /// ([`crate::aliases`]) listed with the organisations, as the facets
    /// count them.
    fn with_persons_as_orgs(&self, mut hits: Vec<Hit>) -> Result<Vec<Hit>> {
        if hits.iter().all(|hit| hit.persons.is_empty()) {
            return Ok(hits);
        }
        let aliases = self.aliases()?;
        if aliases.persons_as_orgs() == 0 {
            return Ok(hits);
        }
        for hit in &mut hits {
            let (orgs, persons): (Vec<String>, Vec<String>) = std::mem::take(&mut hit.persons)
                .into_iter()
                .partition(|name| aliases.organisation_of_person(&name_key(name)).is_some());
            hit.persons = persons;
            hit.orgs.extend(orgs);
        }
        Ok(hits)
    }

    /// The organisation (as usually spelled) that the archive counts the
    /// person `name` as ([`crate::aliases`]): a `--person` filter for the
    /// name finds only persons named in full with it.
    pub fn person_counted_as(&self, name: &str) -> Result<Option<String>> {
        let aliases = self.aliases()?;
        Ok(aliases
            .organisation_of_person(&name_key(name))
            .map(|org| FacetKind::Org.usual_spelling(org)))
    }

    /// The index's aliases ([`crate::aliases`]), read on first use; a
    /// failed read is tried again next time (`OnceLock::get_or_try_init`
    /// is not stable).
    fn aliases(&self) -> Result<Arc<Aliases>> {
        if let Some(aliases) = self.aliases.get() {
            return Ok(Arc::clone(aliases));
        }
        let loaded = Arc::new(Aliases::load(&self.path)?);
        Ok(Arc::clone(self.aliases.get_or_init(|| loaded)))
    }

    /// The searcher of the index's current commit.
    pub fn searcher(&self) -> tantivy::Searcher {
        self.reader.searcher()
    }

    /// The parsed keyword query and what its words ending in `*` look for
    /// in the body; `None` for a blank query text.
    fn keyword_query(&self, query_text: &str) -> Result<Option<Keywords>> {
        if query_text.is_empty() {
            Ok(None)
        } else {
            self.parse_query(query_text).map(Some)
        }
    }

    /// Index statistics: article count, size on disk and top entities.
    pub fn stats(&self, top: usize) -> Result<IndexStats> {
        let searcher = self.reader.searcher();
        let counts = searcher
            .search(&AllQuery, &self.facet_collector(top)?)
            .map_err(|e| tantivy_error(&self.path, e))?;
        Ok(IndexStats {
            articles: searcher.num_docs(),
            index_bytes: folder_size(&self.path),
            top: facets_from_counts(self.spell(&searcher, counts, top)?),
        })
    }

    /// Shows each counted facet key in the archive's most common spelling
    /// of it (ties go to a spelling not in capitals, then to the first in
    /// byte order). The articles of each unusual spelling are its
    /// `entity_spelling` term's document frequency; the rest of the key's
    /// articles spell it the usual way. A few dictionary look-ups per shown
    /// value and segment; deleted articles count in both, so they cancel.
    fn spell(
        &self,
        searcher: &tantivy::Searcher,
        counts: Vec<KindCounts>,
        top: usize,
    ) -> Result<Vec<Vec<SpelledValue>>> {
        let keys = self.dictionaries(searcher, self.fields.entity)?;
        let unusual = self.dictionaries(searcher, self.fields.entity_spelling)?;
        // Many values at once (`facets --top 100000`): one pass over each
        // segment's (small) dictionary of unusual spellings beats a look-up
        // per value and segment.
        let every = if top > SPELLING_LOOKUPS {
            Some(self.every_unusual_spelling(&unusual)?)
        } else {
            None
        };
        // The spelling most of the archive's articles with the key use.
        let spell_key = |kind: FacetKind, key: &str| -> Result<String> {
            let prefix = kind.spelling_prefix(key);
            let mut spellings = match &every {
                Some(every) => every.get(prefix.as_bytes()).cloned().unwrap_or_default(),
                None => self.unusual_spellings(&unusual, &prefix)?,
            };
            let usual = kind.usual_spelling(key);
            if spellings.is_empty() {
                return Ok(usual);
            }
            // Every other article of the key spells it the usual way.
            let articles = self.articles_with(&keys, &kind.facet(key))?;
            let unusual_articles: u64 = spellings.iter().map(|(_, n)| n).sum();
            spellings.push((usual, articles.saturating_sub(unusual_articles)));
            Ok(most_common(spellings))
        };
        let aliases = self.aliases()?;
        let mut spelled = Vec::with_capacity(counts.len());
        for (kind, values) in FacetKind::FACETABLE.into_iter().zip(counts) {
            let mut kind_values = Vec::with_capacity(values.len());
            for (key, count) in values {
                let value = spell_key(kind, &key)?;
                // A person counted as the organisation is shown when its
                // name differs ("Reuter" of "Reuters", not "Citicorp").
                let mut also_as = Vec::new();
                for (alias_kind, alias) in aliases.counted_as(kind, &key).skip(1) {
                    let spelled = spell_key(alias_kind, alias)?;
                    if alias_kind == kind || name_key(&spelled) != key {
                        also_as.push(spelled);
                    }
                }
                kind_values.push(SpelledValue {
                    value,
                    count,
                    also_as,
                });
            }
            spelled.push(kind_values);
        }
        Ok(spelled)
    }

    /// The term dictionaries of `field`, one per segment.
    fn dictionaries(
        &self,
        searcher: &tantivy::Searcher,
        field: Field,
    ) -> Result<Vec<std::sync::Arc<tantivy::InvertedIndexReader>>> {
        searcher
            .segment_readers()
            .iter()
            .map(|segment| segment.inverted_index(field))
            .collect::<tantivy::Result<Vec<_>>>()
            .map_err(|e| tantivy_error(&self.path, e))
    }

    /// The unusual spellings whose terms start with `prefix`, with their
    /// articles summed over segments.
    fn unusual_spellings(
        &self,
        dictionaries: &[std::sync::Arc<tantivy::InvertedIndexReader>],
        prefix: &str,
    ) -> Result<Vec<(String, u64)>> {
        let mut spellings = Vec::new();
        for dictionary in dictionaries {
            // The prefix ends in the separator.
            let mut terms = self.terms_starting(dictionary, prefix)?;
            while terms.advance() {
                let spelling = String::from_utf8_lossy(&terms.key()[prefix.len()..]);
                add_spelling(&mut spellings, &spelling, terms.value().doc_freq);
            }
        }
        Ok(spellings)
    }

    /// The terms of `dictionary` that begin with `prefix`, whose last byte
    /// is below 0xFF (a letter, a digit or a separator), so that the next
    /// byte value bounds the range.
    fn terms_starting<'d>(
        &self,
        dictionary: &'d tantivy::InvertedIndexReader,
        prefix: &str,
    ) -> Result<tantivy::termdict::TermStreamer<'d>> {
        let mut end = prefix.as_bytes().to_vec();
        if let Some(last) = end.last_mut() {
            *last += 1;
        }
        dictionary
            .terms()
            .range()
            .ge(prefix.as_bytes())
            .lt(&end)
            .into_stream()
            .map_err(|e| self.io_error(e))
    }

    /// Every unusual spelling of the index, by its key's spelling prefix.
    fn every_unusual_spelling(
        &self,
        dictionaries: &[std::sync::Arc<tantivy::InvertedIndexReader>],
    ) -> Result<SpellingsByPrefix> {
        let mut every = SpellingsByPrefix::default();
        for dictionary in dictionaries {
            let mut terms = dictionary.terms().stream().map_err(|e| self.io_error(e))?;
            while terms.advance() {
                if let Some((prefix, spelling)) = FacetKind::split_spelling_term(terms.key()) {
                    let spellings = every.entry(prefix.to_vec()).or_default();
                    let spelling = String::from_utf8_lossy(spelling);
                    add_spelling(spellings, &spelling, terms.value().doc_freq);
                }
            }
        }
        Ok(every)
    }

    /// The articles holding `facet`, summed over segments (deleted ones too).
    fn articles_with(
        &self,
        dictionaries: &[std::sync::Arc<tantivy::InvertedIndexReader>],
        facet: &tantivy::schema::Facet,
    ) -> Result<u64> {
        let mut articles = 0;
        for dictionary in dictionaries {
            let info = dictionary
                .terms()
                .get(facet.encoded_str().as_bytes())
                .map_err(|e| self.io_error(e))?;
            articles += info.map_or(0, |info| u64::from(info.doc_freq));
        }
        Ok(articles)
    }

    fn io_error(&self, error: std::io::Error) -> Error {
        tantivy_error(&self.path, error.into())
    }

    /// The underlying tantivy index (for benchmarks and tests).
    pub fn index(&self) -> &Index {
        &self.index
    }

    /// An engine error while running a parsed query. `field:*` parses for
    /// any field name but only runs on existing fast fields; that is the
    /// user's query, not a broken index.
    fn search_error(&self, query: &str, error: tantivy::TantivyError) -> Error {
        match &error {
            tantivy::TantivyError::SchemaError(message) if message.contains("not a fast field") => {
                Error::QuerySyntax {
                    query: query.to_string(),
                    reason: "`field:*` (any value) works only for id, path and date; \
                             search for words instead"
                        .into(),
                }
            }
            // `colour:*` parses (the field is looked up only when it runs).
            tantivy::TantivyError::FieldNotFound(field) => Error::UnknownField {
                query: query.to_string(),
                field: field.clone(),
                valid: QUERYABLE_FIELDS.join(", "),
            },
            _ => tantivy_error(&self.path, error),
        }
    }

    /// The query `text` asks for, and what its words ending in `*` look
    /// for in the body (for snippets).
    fn parse_query(&self, text: &str) -> Result<Keywords> {
        let syntax_error = |reason: String| Error::QuerySyntax {
            query: text.to_string(),
            reason,
        };
        // Clauses are written into what the index holds first (see
        // `query_rewrite`); other queries go through the parser whole.
        let mut body_prefixes = Vec::new();
        let parsed = match tantivy::query_grammar::parse_query(text) {
            Ok(ast) => {
                let rewrite = rewrite_clauses(ast, REWRITTEN_FIELDS).map_err(syntax_error)?;
                body_prefixes = rewrite
                    .prefixes_in(names::BODY)
                    .map(str::to_string)
                    .collect();
                match rewrite.ast {
                    Some(ast) => self.parser.build_query_from_user_input_ast(ast),
                    None => self.parser.parse_query(text),
                }
            }
            Err(_) => self.parser.parse_query(text),
        };
        let query = parsed.map_err(|e| match e {
            QueryParserError::FieldDoesNotExist(field) => Error::UnknownField {
                query: text.to_string(),
                field,
                valid: QUERYABLE_FIELDS.join(", "),
            },
            QueryParserError::SyntaxError(_) => Error::QuerySyntax {
                query: text.to_string(),
                reason: describe_syntax_error(text),
            },
            QueryParserError::AllButQueryForbidden => Error::QuerySyntax {
                query: text.to_string(),
                reason: "it only excludes (-word, NOT word): add a word to search for, \
                         or list articles with filters alone (--since, --country, …)"
                    .into(),
            },
            other => Error::QuerySyntax {
                query: text.to_string(),
                reason: other.to_string(),
            },
        })?;
        Ok((query, body_prefixes))
    }

    /// Filter clauses; they restrict matches without changing scores.
    fn filters(&self, request: &SearchRequest) -> Result<Vec<Box<dyn Query>>> {
        let mut filters: Vec<Box<dyn Query>> = Vec::new();
        for person in &request.persons {
            let named = self.name_query(self.fields.person, "--person", person)?;
            filters.push(self.with_aliases(FacetKind::Person, person, named)?);
        }
        for org in &request.orgs {
            let named = self.name_query(self.fields.org, "--org", org)?;
            filters.push(self.with_aliases(FacetKind::Org, org, named)?);
        }
        for source in &request.sources {
            filters.push(self.name_query(self.fields.source, "--source", source)?);
        }
        for country in &request.countries {
            // The country table alone: the gazetteer's cities and names
            // would add milliseconds to every search process.
            let resolved = crate::entities::resolve_country(country)
                .ok_or_else(|| Error::UnknownCountry(country.clone()))?;
            let key = name_key(&resolved.name);
            filters.push(Box::new(
                FacetKind::Country.facet_query(self.fields.entity, &key),
            ));
        }
        if request.since.is_some() || request.until.is_some() {
            let bound = |date: Option<DateTime<Utc>>, inclusive: fn(Term) -> Bound<Term>| match date
            {
                Some(date) => inclusive(Term::from_field_date(
                    self.fields.date,
                    tantivy::DateTime::from_timestamp_secs(date.timestamp()),
                )),
                None => Bound::Unbounded,
            };
            filters.push(Box::new(RangeQuery::new(
                bound(request.since, Bound::Included),
                bound(request.until, Bound::Included),
            )));
        }
        Ok(filters
            .into_iter()
            .map(|q| Box::new(ConstScoreQuery::new(q, 0.0)) as Box<dyn Query>)
            .collect())
    }

    /// `named` or any article with another name of `value`'s: "Ronald
    /// Reagan" counts the articles that say "Reagan" alone, "SEC" those
    /// that say "Securities and Exchange Commission", "Reuters" those where
    /// the tagger took "Reuter" for a person (see [`crate::aliases`]);
    /// drilling down by either name finds what was counted.
    fn with_aliases(
        &self,
        kind: FacetKind,
        value: &str,
        named: Box<dyn Query>,
    ) -> Result<Box<dyn Query>> {
        let aliases = self.aliases()?;
        let key = name_key(value);
        if kind == FacetKind::Person && aliases.organisation_of_person(&key).is_some() {
            // Counted as an organisation, the name is no person of its
            // articles; a person named in full with it ("Stefan Reuter"
            // for "Reuter") is, and normalisation never leaves the lone
            // name beside the full one.
            let counted = kind.facet_query(self.fields.entity, &key);
            return Ok(Box::new(BooleanQuery::new(vec![
                (Occur::Must, named),
                (Occur::MustNot, Box::new(counted)),
            ])));
        }
        let target = aliases.target(kind, &key).unwrap_or(&key);
        let counted: Vec<(FacetKind, &str)> = aliases.counted_as(kind, target).collect();
        if counted.len() == 1 && target == key {
            return Ok(named);
        }
        let mut any: Vec<Box<dyn Query>> = vec![named];
        for (kind, name) in counted {
            any.push(Box::new(kind.facet_query(self.fields.entity, name)));
        }
        Ok(Box::new(BooleanQuery::union(any)))
    }

    /// Matches `value` as a phrase in a name field, case-insensitively:
    /// "Burns" and "William Burns" both find William Burns.
    fn name_query(&self, field: Field, flag: &'static str, value: &str) -> Result<Box<dyn Query>> {
        let mut analyzer = self
            .index
            .tokenizer_for_field(field)
            .map_err(|e| tantivy_error(&self.path, e))?;
        phrase_query(&mut analyzer, field, value).ok_or_else(|| Error::InvalidArgument {
            flag,
            value: value.to_string(),
            reason: "give a name with at least one letter or digit".into(),
        })
    }

    fn hit(
        &self,
        doc: &TantivyDocument,
        score: f32,
        snippets: Option<&SnippetGenerator>,
        want_snippet: bool,
    ) -> Hit {
        let text = |field: Field| {
            doc.get_first(field)
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_string()
        };
        let date = doc
            .get_first(self.fields.date)
            .and_then(|v| v.as_datetime())
            .and_then(|d| DateTime::<Utc>::from_timestamp(d.into_timestamp_secs(), 0))
            .map(|d| d.to_rfc3339_opts(SecondsFormat::Secs, true));
        let mut persons = Vec::new();
        let mut countries = Vec::new();
        let mut orgs = Vec::new();
        let spellings = doc
            .get_all(self.fields.entity_name)
            .filter_map(|value| value.as_str())
            .filter_map(FacetKind::parse_stored_name);
        for (kind, name) in spellings {
            match kind {
                FacetKind::Person => persons.push(name.to_string()),
                FacetKind::Country => countries.push(name.to_string()),
                FacetKind::Org => orgs.push(name.to_string()),
            }
        }
        let (snippet, snippet_parts) = if !want_snippet {
            (String::new(), Vec::new())
        } else {
            let body = text(self.fields.body);
            match snippets.map(|g| g.snippet(&body)) {
                Some(snippet) if !snippet.is_empty() => {
                    let fragment = snippet.fragment();
                    let mut parts = Vec::new();
                    let mut at = 0;
                    for range in snippet.highlighted() {
                        if range.start > at {
                            parts.push((fragment[at..range.start].to_string(), false));
                        }
                        parts.push((fragment[range.clone()].to_string(), true));
                        at = range.end;
                    }
                    if at < fragment.len() {
                        parts.push((fragment[at..].to_string(), false));
                    }
                    (snippet.to_html(), parts)
                }
                // No match in the body (title-only or filter-only search): the opening.
                _ => {
                    let lead = lead_text(&body, SNIPPET_CHARS);
                    (escape_html(&lead), vec![(lead, false)])
                }
            }
        };
        Hit {
            id: text(self.fields.id),
            path: text(self.fields.path),
            title: text(self.fields.title),
            date,
            score,
            snippet,
            persons,
            countries,
            orgs,
            snippet_parts,
        }
    }
}

const SNIPPET_CHARS: usize = 200;

/// Most terms a word ending in `*` highlights in snippets.
const MAX_PREFIX_TERMS: usize = 64;

/// The query clauses written into what the index holds ([`rewrite_clauses`]).
const REWRITTEN_FIELDS: RewrittenFields = RewrittenFields {
    date: names::DATE,
    country: names::COUNTRY,
    default: &DEFAULT_FIELDS,
    stemmed: &[names::TITLE, names::BODY],
};

/// The fields a word without a field name is searched in.
const DEFAULT_FIELDS: [&str; 5] = [
    names::TITLE,
    names::BODY,
    names::PERSON,
    names::COUNTRY,
    names::ORG,
];

/// Facet values asked for per kind beyond which [`Engine::spell`] reads all
/// unusual spellings in one pass instead of looking each value up.
const SPELLING_LOOKUPS: usize = 256;

/// Unusual spellings and their articles, by [`FacetKind::spelling_prefix`].
type SpellingsByPrefix = FxHashMap<Vec<u8>, Vec<(String, u64)>>;

/// Adds `articles` to `spelling`'s count (segments repeat spellings).
fn add_spelling(spellings: &mut Vec<(String, u64)>, spelling: &str, articles: u32) {
    let articles = u64::from(articles);
    match spellings.iter_mut().find(|(s, _)| s == spelling) {
        Some((_, n)) => *n += articles,
        None => spellings.push((spelling.to_string(), articles)),
    }
}

/// The spelling with the most articles; ties go to one not in capitals,
/// then to the first in byte order. A spelling without articles (the usual
/// one, when every article spells the key otherwise) never wins.
///
/// Capitals with a word that is no acronym ("CHARMING SHOPPES", "WAL-MART
/// STORES") mostly come from headlines and say nothing of the name's case:
/// such a spelling gives way to any spelling in ordinary case, however few
/// articles use it. Alone, it stays: an archive that writes a name only in
/// capitals gives no other case to show.
fn most_common(spellings: Vec<(String, u64)>) -> String {
    let (headline, cased): (Vec<_>, Vec<_>) = spellings
        .into_iter()
        .filter(|(_, n)| *n > 0)
        .partition(|(spelling, _)| in_headline_capitals(spelling));
    most_articles(if cased.is_empty() { headline } else { cased })
}

/// Is `spelling` in capitals with a word that is no acronym: five letters
/// or more, with a vowel ("SHOPPES"; not "NATO", "FHLBB", "U.S.")?
fn in_headline_capitals(spelling: &str) -> bool {
    is_all_caps(spelling)
        && spelling
            .split(|c: char| !c.is_alphabetic())
            .any(|word| word.chars().count() >= 5 && word.chars().any(|c| "AEIOUY".contains(c)))
}

fn most_articles(spellings: Vec<(String, u64)>) -> String {
    spellings
        .into_iter()
        .max_by(|(a, m), (b, n)| {
            m.cmp(n)
                .then_with(|| is_all_caps(b).cmp(&is_all_caps(a)))
                .then_with(|| b.cmp(a))
        })
        .map(|(spelling, _)| spelling)
        .unwrap_or_default()
}

/// AND of the keyword query and the filters; all articles when both are absent.
fn combine(keyword: Option<Box<dyn Query>>, filters: Vec<Box<dyn Query>>) -> Box<dyn Query> {
    let mut clauses: Vec<(Occur, Box<dyn Query>)> =
        keyword.into_iter().map(|q| (Occur::Must, q)).collect();
    clauses.extend(filters.into_iter().map(|q| (Occur::Must, q)));
    match clauses.len() {
        0 => Box::new(AllQuery),
        1 => clauses.remove(0).1,
        _ => Box::new(BooleanQuery::new(clauses)),
    }
}

/// Facets from the collector's counts (already ranked and cut to the top,
/// in [`FacetKind::FACETABLE`] order).
/// A counted facet value as shown: its spelling, and the aliases its
/// count takes in.
struct SpelledValue {
    value: String,
    count: u64,
    also_as: Vec<String>,
}

fn facets_from_counts(counts: Vec<Vec<SpelledValue>>) -> Facets {
    let mut kinds = counts.into_iter();
    let mut next = |kind: FacetKind| -> Vec<FacetCount> {
        kinds
            .next()
            .unwrap_or_default()
            .into_iter()
            .map(|spelled| {
                let code = if kind == FacetKind::Country {
                    crate::entities::resolve_country(&spelled.value).map(|c| c.code)
                } else {
                    None
                };
                FacetCount {
                    value: spelled.value,
                    code,
                    count: spelled.count,
                    also_as: spelled.also_as,
                }
            })
            .collect()
    };
    Facets {
        person: next(FacetKind::Person),
        country: next(FacetKind::Country),
        org: next(FacetKind::Org),
    }
}

/// Explains what is wrong with a query tantivy's grammar rejected; the
/// grammar's own message only echoes the query.
fn describe_syntax_error(query: &str) -> String {
    let mut depth = 0i32;
    let mut in_quote = false;
    let mut brackets = 0i32;
    for c in query.chars() {
        match c {
            '"' => in_quote = !in_quote,
            '(' if !in_quote => depth += 1,
            ')' if !in_quote => depth -= 1,
            '[' | '{' if !in_quote => brackets += 1,
            ']' | '}' if !in_quote => brackets -= 1,
            _ => {}
        }
    }
    let trimmed = query.trim_end();
    if in_quote {
        "a phrase is not closed: add the missing `\"`".into()
    } else if depth > 0 {
        "a parenthesis is not closed: add the missing `)`".into()
    } else if depth < 0 {
        "a `)` has no matching `(`".into()
    } else if brackets != 0 {
        "a range is not closed: write ranges as [FROM TO TO] or {FROM TO TO}".into()
    } else if trimmed.ends_with(':') {
        "a field name is followed by nothing: write field:term".into()
    } else if ["AND", "OR", "NOT", "+", "-"]
        .iter()
        .any(|op| trimmed.ends_with(op))
    {
        "the query ends with an operator: add a term after it".into()
    } else if query.contains("date:") && query.contains('T') {
        "a time in a date clause holds colons: put it in quotes \
         (date:\"2024-02-13T09:30:00Z\"), or write the day (date:2024-02-13)"
            .into()
    } else {
        "the query does not parse: check quotes, parentheses and operators, or quote symbols to search them literally"
            .into()
    }
}

/// The first `max_chars` characters of `text`, cut at a word boundary.
fn lead_text(text: &str, max_chars: usize) -> String {
    let text = text.trim();
    match text.char_indices().nth(max_chars) {
        None => text.to_string(),
        Some((cut, _)) => {
            let head = &text[..cut];
            let head = head
                .rsplit_once(char::is_whitespace)
                .map_or(head, |(h, _)| h);
            format!("{}…", head.trim_end())
        }
    }
}

/// Escapes text for inclusion in HTML.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn folder_size(path: &Path) -> u64 {
    walkdir::WalkDir::new(path)
        .into_iter()
        .filter_map(|entry| entry.ok())
        .filter_map(|entry| entry.metadata().ok())
        .filter(|meta| meta.is_file())
        .map(|meta| meta.len())
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syntax_errors_say_what_is_unbalanced() {
        assert!(describe_syntax_error("\"gaza truce").contains("phrase is not closed"));
        assert!(describe_syntax_error("(gaza OR truce").contains("parenthesis is not closed"));
        assert!(describe_syntax_error("gaza)").contains("no matching"));
        assert!(describe_syntax_error("date:[2024").contains("range"));
        assert!(describe_syntax_error("date:2024-02-13T09:30:00Z").contains("in quotes"));
        assert!(describe_syntax_error("title:").contains("field name"));
        assert!(describe_syntax_error("gaza AND").contains("operator"));
    }

    #[test]
    fn headline_capitals_give_way_to_any_other_spelling() {
        let spelled = |spellings: &[(&str, u64)]| {
            most_common(spellings.iter().map(|&(s, n)| (s.to_string(), n)).collect())
        };
        // Counts decide between ordinary spellings, and for acronyms.
        assert_eq!(spelled(&[("Texaco", 3), ("TEXACO", 2)]), "Texaco");
        assert_eq!(spelled(&[("NATO", 5), ("Nato", 2)]), "NATO");
        assert_eq!(spelled(&[("FHLBB", 5), ("Fhlbb", 2)]), "FHLBB");
        // Capitals of a word that is no acronym lose to any ordinary spelling.
        assert_eq!(
            spelled(&[("CHARMING SHOPPES", 2), ("Charming Shoppes", 1)]),
            "Charming Shoppes"
        );
        assert_eq!(
            spelled(&[("U.S. TREASURY", 9), ("U.S. Treasury", 1)]),
            "U.S. Treasury"
        );
        // Alone, they stay; a spelling without articles never wins.
        assert_eq!(spelled(&[("TREASURY", 31), ("Treasury", 0)]), "TREASURY");
        assert_eq!(spelled(&[("Reuters", 0)]), "");
    }

    #[test]
    fn lead_text_cuts_at_a_word_boundary() {
        assert_eq!(lead_text("short text", 50), "short text");
        assert_eq!(lead_text("alpha beta gamma", 8), "alpha…");
    }

    #[test]
    fn html_is_escaped() {
        assert_eq!(escape_html("a<b>&\"c'"), "a&lt;b&gt;&amp;&quot;c&#39;");
    }
}
