//! The command line: clap definitions and their conversion into library
//! requests. Nothing here touches the index; `main.rs` runs the commands.

use std::ffi::OsString;
use std::path::PathBuf;

use chrono::{DateTime, Utc};
use clap::{Args, Parser, Subcommand, ValueEnum};

use newsdex::error::{Error, Result};
use newsdex::query_rewrite::{period_edge, Edge, DATE_FORMATS};
use newsdex::search::{SearchRequest, SortOrder, DEFAULT_FACET_TOP};

/// Default corpus folder (the bundled sample corpus when run from the repository).
pub const DEFAULT_CORPUS: &str = "corpus";
/// Default index folder.
pub const DEFAULT_INDEX: &str = "index";

/// newsdex: search a folder of news articles, with facets by person, country and organisation.
#[derive(Debug, Parser)]
#[command(name = "newsdex", version, about, long_about = None)]
pub struct Cli {
    /// Index folder.
    #[arg(long, global = true, value_name = "DIR")]
    pub index: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Command,
}

impl Cli {
    /// Parses the process's command line; on a usage error clap prints it
    /// (or the help) and exits. A word that a query excludes (`newsdex
    /// search gaza -egypt`) stays a query word instead of reading as an
    /// unknown option: see [`query_words_kept`].
    pub fn parse_args() -> Cli {
        Cli::parse_from(query_words_kept(std::env::args_os()))
    }

    /// The index folder, default `./index`.
    pub fn index_path(&self) -> PathBuf {
        self.index
            .clone()
            .unwrap_or_else(|| PathBuf::from(DEFAULT_INDEX))
    }
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Index a folder of articles (.txt .md .json .jsonl .ndjson .html .sgm); re-runs update only what changed.
    Index(IndexArgs),
    /// Search the index: ranked articles with snippets, filters and facet counts.
    Search(SearchArgs),
    /// Show the facet table (top persons, countries or organisations) of the matching articles.
    Facets(FacetsArgs),
    /// Show index statistics: articles, size on disk, top entities.
    Stats(StatsArgs),
    /// Print the entities extracted from article files, without indexing them.
    Entities(EntitiesArgs),
    /// Score extracted countries and persons against Reuters-21578 editors' PLACES and PEOPLE tags.
    EvalFacets(EvalFacetsArgs),
    /// The named-entity tagger: evaluate it on CoNLL-2003 data, or retrain it.
    #[command(subcommand)]
    Ner(NerCommand),
}

/// `newsdex ner …`.
#[derive(Debug, Subcommand)]
pub enum NerCommand {
    /// Tag a CoNLL-2003 file and score it (conlleval exact-span precision, recall, F1).
    Eval(NerEvalArgs),
    /// Train the tagger on CoNLL-2003 and write the model (deterministic).
    Train(NerTrainArgs),
}

/// `newsdex ner eval`.
#[derive(Debug, Args)]
pub struct NerEvalArgs {
    /// CoNLL-2003 file (IOB1 or IOB2 tags; -DOCSTART- separates documents).
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Model file to evaluate instead of the one built into the binary.
    #[arg(long, value_name = "FILE")]
    pub model: Option<PathBuf>,
    /// Print `{"overall":…,"per_type":…,"tokens":N,"tokens_per_sec":F}` on stdout.
    #[arg(long)]
    pub json: bool,
}

/// `newsdex ner train`.
#[derive(Debug, Args)]
pub struct NerTrainArgs {
    /// CoNLL-2003 training file.
    #[arg(
        long,
        value_name = "FILE",
        default_value = "../shared/data/conll2003/eng.train"
    )]
    pub train: PathBuf,
    /// CoNLL-2003 development file, scored after training.
    #[arg(
        long,
        value_name = "FILE",
        default_value = "../shared/data/conll2003/eng.testa"
    )]
    pub dev: PathBuf,
    /// Word-cluster file (bit string, word, count per line); learned from --unlabelled and written here when missing.
    #[arg(long, value_name = "FILE", default_value = "models/clusters.txt")]
    pub clusters: PathBuf,
    /// Unlabelled news text for learning clusters (files or folders); repeatable.
    #[arg(
        long,
        value_name = "PATH",
        default_values = ["../shared/data/reuters21578", "../shared/data/bbc", "../shared/data/conll2003/eng.train"]
    )]
    pub unlabelled: Vec<PathBuf>,
    /// Where to write the model.
    #[arg(long, value_name = "FILE", default_value = "models/ner.bin")]
    pub out: PathBuf,
    /// Passes over the training data.
    #[arg(long, value_name = "NUM")]
    pub epochs: Option<usize>,
    /// Seed of the training-data shuffles.
    #[arg(long, value_name = "NUM")]
    pub seed: Option<u64>,
    /// Models, each on its own shuffle, whose weights are averaged into the final model.
    #[arg(long, value_name = "NUM")]
    pub ensemble: Option<usize>,
}

/// `newsdex index`.
#[derive(Debug, Args)]
pub struct IndexArgs {
    /// Folder of article files.
    #[arg(value_name = "DIR", default_value = DEFAULT_CORPUS)]
    pub corpus: PathBuf,
    /// Delete every indexed article first and index the folder afresh.
    #[arg(long)]
    pub rebuild: bool,
    /// Worker threads (0 = one per core).
    #[arg(long, value_name = "NUM", default_value_t = 0)]
    pub threads: usize,
    /// Memory budget of the index writer in MB (at least 15 per thread).
    #[arg(long, value_name = "MB", default_value_t = 256)]
    pub memory_mb: usize,
    /// Skip entity extraction (faster; no person/country/org facets).
    #[arg(long)]
    pub no_entities: bool,
    /// Truncate article bodies longer than this many MB (with a warning).
    #[arg(long, value_name = "MB", default_value_t = 5)]
    pub max_body_mb: usize,
    /// Commit every NUM added articles, so an interrupted run keeps its work.
    #[arg(long, value_name = "NUM", default_value_t = 100_000)]
    pub commit_every: usize,
    /// Print the summary as one JSON object on stdout.
    #[arg(long)]
    pub json: bool,
}

/// Filters shared by `search` and `facets`.
#[derive(Debug, Args, Default, Clone)]
pub struct FilterArgs {
    /// Only articles mentioning this person ("William Burns", or "Burns"); repeatable, AND-ed.
    #[arg(long, value_name = "NAME")]
    pub person: Vec<String>,
    /// Only articles about this country: name, ISO code or demonym (Egypt, EG, Egyptian); repeatable.
    #[arg(long, value_name = "NAME|CODE")]
    pub country: Vec<String>,
    /// Only articles mentioning this organisation (CIA, "Central Intelligence Agency"); repeatable.
    #[arg(long, value_name = "NAME")]
    pub org: Vec<String>,
    /// Only articles from this source/publisher; repeatable.
    #[arg(long, value_name = "NAME")]
    pub source: Vec<String>,
    /// Only articles dated on or after DATE (YYYY, YYYY-MM, YYYY-MM-DD or RFC 3339).
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// Only articles dated on or before DATE (a day or month means its end).
    #[arg(long, value_name = "DATE")]
    pub until: Option<String>,
}

/// `newsdex search`.
#[derive(Debug, Args)]
pub struct SearchArgs {
    /// Query: words (all must match), "phrases", +must, -not, OR, word* (prefix), field:term (title, body, person,
    /// country, org, place, source, author, tags, date: date:2024, date:[2024-01 TO 2024-03]). Several
    /// arguments are one query (`newsdex search oil prices`). Omit to list matches of the filters, newest first.
    #[arg(value_name = "QUERY")]
    pub query: Vec<String>,
    #[command(flatten)]
    pub filters: FilterArgs,
    /// Number of hits to show.
    #[arg(long, short = 'n', value_name = "NUM", default_value_t = 10)]
    pub limit: usize,
    /// Skip this many hits (for paging).
    #[arg(long, value_name = "NUM", default_value_t = 0)]
    pub offset: usize,
    /// Also count the top persons, countries and organisations over all matches.
    #[arg(long)]
    pub facets: bool,
    /// Values per facet with --facets.
    #[arg(long, value_name = "NUM", default_value_t = DEFAULT_FACET_TOP, value_parser = at_least_one)]
    pub top: usize,
    /// Don't compute snippets.
    #[arg(long)]
    pub no_snippets: bool,
    /// Order of the hits: relevance (best score first; without a query, newest first), newest, oldest.
    #[arg(long, value_enum, default_value_t = SortArg::Relevance)]
    pub sort: SortArg,
    /// Print results as one JSON object on stdout.
    #[arg(long)]
    pub json: bool,
    /// When to use colour: auto (on a terminal), always, never.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

/// `newsdex facets`.
#[derive(Debug, Args)]
pub struct FacetsArgs {
    /// Query, as for `search`; omit to count over all articles (or the filters' matches).
    #[arg(value_name = "QUERY")]
    pub query: Vec<String>,
    /// Which facet to show.
    #[arg(long, value_enum, default_value_t = FacetField::Person)]
    pub field: FacetField,
    /// Number of values to show.
    #[arg(long, value_name = "NUM", default_value_t = 20, value_parser = at_least_one)]
    pub top: usize,
    #[command(flatten)]
    pub filters: FilterArgs,
    /// Print as one JSON object on stdout.
    #[arg(long)]
    pub json: bool,
}

/// `newsdex stats`.
#[derive(Debug, Args)]
pub struct StatsArgs {
    /// Values per facet.
    #[arg(long, value_name = "NUM", default_value_t = DEFAULT_FACET_TOP, value_parser = at_least_one)]
    pub top: usize,
    /// Print as one JSON object on stdout.
    #[arg(long)]
    pub json: bool,
}

/// `newsdex entities`.
#[derive(Debug, Args)]
pub struct EntitiesArgs {
    /// Article files (any supported format).
    #[arg(value_name = "FILE", required = true)]
    pub files: Vec<PathBuf>,
    /// Print as a JSON array on stdout.
    #[arg(long)]
    pub json: bool,
}

/// `newsdex eval-facets`.
#[derive(Debug, Args)]
pub struct EvalFacetsArgs {
    /// A Reuters-21578 .sgm file or a folder of them.
    #[arg(value_name = "PATH")]
    pub path: PathBuf,
    /// Print as one JSON object on stdout.
    #[arg(long)]
    pub json: bool,
}

/// A facet a user can ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FacetField {
    Person,
    Country,
    Org,
}

impl FacetField {
    /// The schema's facet kind.
    pub fn kind(self) -> newsdex::schema::FacetKind {
        match self {
            FacetField::Person => newsdex::schema::FacetKind::Person,
            FacetField::Country => newsdex::schema::FacetKind::Country,
            FacetField::Org => newsdex::schema::FacetKind::Org,
        }
    }
}

/// `--sort`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SortArg {
    Relevance,
    Newest,
    Oldest,
}

impl SortArg {
    /// The library's order.
    pub fn order(self) -> SortOrder {
        match self {
            SortArg::Relevance => SortOrder::Relevance,
            SortArg::Newest => SortOrder::Newest,
            SortArg::Oldest => SortOrder::Oldest,
        }
    }
}

/// `--color`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

impl FilterArgs {
    /// Fills the filter part of a request, validating dates.
    pub fn apply(&self, request: &mut SearchRequest) -> Result<()> {
        request.persons = self.person.clone();
        request.countries = self.country.clone();
        request.orgs = self.org.clone();
        request.sources = self.source.clone();
        request.since = self
            .since
            .as_deref()
            .map(|d| parse_bound("--since", d, Edge::Start))
            .transpose()?;
        request.until = self
            .until
            .as_deref()
            .map(|d| parse_bound("--until", d, Edge::End))
            .transpose()?;
        if let (Some(since), Some(until)) = (request.since, request.until) {
            if since > until {
                return Err(Error::InvalidArgument {
                    flag: "--until",
                    value: self.until.clone().unwrap_or_default(),
                    reason: "it is before --since".into(),
                });
            }
        }
        Ok(())
    }
}

impl SearchArgs {
    /// The library request these arguments describe.
    pub fn to_request(&self) -> Result<SearchRequest> {
        let mut request = SearchRequest {
            query: query_text(&self.query),
            limit: self.limit,
            offset: self.offset,
            facets: self.facets,
            facet_top: self.top,
            snippets: !self.no_snippets,
            sort: self.sort.order(),
            ..SearchRequest::default()
        };
        self.filters.apply(&mut request)?;
        Ok(request)
    }
}

impl FacetsArgs {
    /// A request that counts facets and fetches no hits.
    pub fn to_request(&self) -> Result<SearchRequest> {
        let mut request = SearchRequest {
            query: query_text(&self.query),
            limit: 0,
            facets: true,
            facet_top: self.top,
            snippets: false,
            ..SearchRequest::default()
        };
        self.filters.apply(&mut request)?;
        Ok(request)
    }
}

/// A count of values to show: zero would show an empty table that reads
/// as "no values".
fn at_least_one(text: &str) -> std::result::Result<usize, String> {
    match text.parse::<usize>() {
        Ok(0) => Err("show at least 1 value".into()),
        Ok(n) => Ok(n),
        Err(_) => Err("expected a whole number, 1 or more".into()),
    }
}

/// The subcommands whose free words are a query.
const QUERY_COMMANDS: [&str; 2] = ["search", "facets"];

/// The command line with each excluded query word after `search` or
/// `facets` (`-egypt`; `'-"prime minister"'`, quoted so that the shell
/// leaves the phrase's quotes) marked as a query word: a space before it,
/// which [`query_text`] drops. Options (`--json`, `-h`, `-n 5`, `-n5`) and
/// everything after `--` are left alone.
fn query_words_kept(args: impl IntoIterator<Item = OsString>) -> Vec<OsString> {
    let mut command: Option<String> = None;
    let mut value_follows = false;
    let mut options_end = false;
    let mut out = Vec::new();
    for (i, arg) in args.into_iter().enumerate() {
        let Some(text) = arg.to_str().filter(|_| i > 0 && !options_end) else {
            out.push(arg);
            continue;
        };
        match command.as_deref() {
            // Before the subcommand only the global `--index DIR` takes a
            // value.
            None if value_follows => value_follows = false,
            None if text == "--index" => value_follows = true,
            None if !text.starts_with('-') => command = Some(text.to_string()),
            Some(name) if QUERY_COMMANDS.contains(&name) && excludes_a_word(name, text) => {
                out.push(format!(" {text}").into());
                continue;
            }
            _ if text == "--" => options_end = true,
            _ => {}
        }
        out.push(arg);
    }
    out
}

/// Is `arg`, after subcommand `command`, a query word that excludes
/// (`-egypt`, `-2024`) rather than an option? The subcommands' only short
/// options are `-h` and `search`'s `-n NUM` (also written `-n5`, `-n=5`).
fn excludes_a_word(command: &str, arg: &str) -> bool {
    let Some(word) = arg.strip_prefix('-') else {
        return false;
    };
    let limit = command == "search"
        && word.strip_prefix('n').is_some_and(|value| {
            value.is_empty() || value.starts_with('=') || value.bytes().all(|b| b.is_ascii_digit())
        });
    !word.is_empty() && !word.starts_with('-') && word != "h" && !limit
}

/// The query the words on the command line make: `newsdex search oil
/// prices` searches "oil prices". `None` when there are none.
fn query_text(words: &[String]) -> Option<String> {
    let words: Vec<&str> = words.iter().map(|w| w.trim_start()).collect();
    (!words.is_empty()).then(|| words.join(" "))
}

/// Parses a date bound: a year, a month or a day stands for its first
/// (`--since`) or last (`--until`) second; RFC 3339 is taken as is.
fn parse_bound(flag: &'static str, value: &str, edge: Edge) -> Result<DateTime<Utc>> {
    period_edge(value, edge).ok_or_else(|| Error::InvalidArgument {
        flag,
        value: value.to_string(),
        reason: format!("expected {DATE_FORMATS}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_dates_name_the_flag_and_the_formats() {
        for bad in ["yesterday", "2024-13", "2024-02-30", "24-01-01", ""] {
            let message = parse_bound("--since", bad, Edge::Start)
                .unwrap_err()
                .to_string();
            assert!(
                message.contains("--since") && message.contains("YYYY-MM-DD"),
                "{message}"
            );
        }
    }

    #[test]
    fn several_query_words_are_one_query() {
        let cli = Cli::try_parse_from(["newsdex", "search", "oil", "prices", "--facets"]).unwrap();
        let Command::Search(args) = cli.command else {
            panic!("not a search");
        };
        assert_eq!(
            args.to_request().unwrap().query.as_deref(),
            Some("oil prices")
        );
        assert!(args.facets);
        let cli = Cli::try_parse_from(["newsdex", "facets"]).unwrap();
        let Command::Facets(args) = cli.command else {
            panic!("not facets");
        };
        assert_eq!(args.to_request().unwrap().query, None);
    }

    /// The search a command line makes, through the same rewriting as the
    /// binary's.
    fn search_args(args: &[&str]) -> SearchArgs {
        let args = query_words_kept(args.iter().map(OsString::from));
        match Cli::try_parse_from(args).map(|cli| cli.command) {
            Ok(Command::Search(search)) => search,
            other => panic!("not a search: {other:?}"),
        }
    }

    #[test]
    fn excluded_words_stay_query_words() {
        let args = search_args(&["newsdex", "search", "gaza", "-egypt", "--facets", "-n", "3"]);
        let request = args.to_request().unwrap();
        assert_eq!(request.query.as_deref(), Some("gaza -egypt"));
        assert_eq!((args.limit, args.facets), (3, true));
        // First, beside the global option and as one shell word with a phrase.
        let args = search_args(&[
            "newsdex",
            "--index",
            "ix",
            "search",
            "-nuclear",
            "-prime minister",
            "-n5",
            "-2024",
            "oil",
        ]);
        assert_eq!(
            args.to_request().unwrap().query.as_deref(),
            Some("-nuclear -prime minister -2024 oil")
        );
        assert_eq!(args.limit, 5);
        // Options stay options; after `--` clap reads everything as words.
        assert_eq!(search_args(&["newsdex", "search", "x", "-n=7"]).limit, 7);
        let args = search_args(&["newsdex", "search", "--", "oil", "-egypt"]);
        assert_eq!(
            args.to_request().unwrap().query.as_deref(),
            Some("oil -egypt")
        );
        let help = Cli::try_parse_from(query_words_kept(
            ["newsdex", "search", "oil", "-h"].map(OsString::from),
        ))
        .unwrap_err();
        assert_eq!(help.kind(), clap::error::ErrorKind::DisplayHelp);
        // Other subcommands keep clap's own reading.
        let unknown = Cli::try_parse_from(query_words_kept(
            ["newsdex", "stats", "-egypt"].map(OsString::from),
        ))
        .unwrap_err();
        assert_eq!(unknown.kind(), clap::error::ErrorKind::UnknownArgument);
        let args = query_words_kept(["newsdex", "facets", "-egypt"].map(OsString::from));
        let Command::Facets(facets) = Cli::try_parse_from(args).unwrap().command else {
            panic!("not facets");
        };
        assert_eq!(
            facets.to_request().unwrap().query.as_deref(),
            Some("-egypt")
        );
    }

    #[test]
    fn facet_tables_show_at_least_one_value() {
        for args in [
            &["newsdex", "search", "x", "--facets", "--top", "0"][..],
            &["newsdex", "facets", "--top", "0"],
            &["newsdex", "stats", "--top", "0"],
        ] {
            let error = Cli::try_parse_from(args).unwrap_err().to_string();
            assert!(error.contains("at least 1"), "{error}");
        }
        assert!(Cli::try_parse_from(["newsdex", "stats", "--top", "3"]).is_ok());
    }

    #[test]
    fn the_command_line_definition_is_consistent() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}
