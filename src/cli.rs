//! The non-interactive face: `show`, `search`, `list`, `completions`. Shares the
//! catalogue and the search with the browser; never touches raw mode.

use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;

use clap::{Args, CommandFactory, Parser, Subcommand};
use clap_complete::Shell;

use crate::catalogue::{Catalogue, Class, Entry};
use crate::search::{FacetValue, Query, Searcher};
use crate::tally::{self, browse::LogCounts, formats::FormatName, output as tally_output, reader::Input};
use crate::view::{entry, theme::Theme};

/// Width for wrapped text when stdout is not a terminal.
const DEFAULT_WIDTH: usize = 80;

#[derive(Debug, Parser)]
#[command(
    name = "statusbrowse",
    version,
    about = "An offline HTTP status code reference: browse, search, show.",
    long_about = "An offline HTTP status code reference for the terminal.\n\n\
        With no command, opens the browser; with QUERY, opens it with the query typed and its best \
        hit selected. When stdout is not a terminal, `statusbrowse QUERY` prints what `search` would.",
    after_help = "Exit status: 0 printed something, 1 nothing matched, 2 usage error, 3 internal error.",
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Search text to start the browser with (e.g. 524, cloudflare, "gateway timeout").
    pub query: Vec<String>,
    /// Open the browser on these access logs: counts beside each entry, the log's
    /// codes first, most frequent first (prints the tally when stdout is not a terminal).
    #[arg(long, num_args = 1.., value_name = "FILE")]
    pub log: Vec<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Every meaning of one status code.
    Show {
        /// The status code, 0-999.
        #[arg(value_parser = clap::value_parser!(u16).range(0..=999))]
        code: u16,
        #[command(flatten)]
        format: Format,
    },
    /// Ranked search hits, best first.
    Search {
        /// Query words; all must match somewhere (fuzzy on names, words in prose).
        #[arg(required = true)]
        query: Vec<String>,
        #[command(flatten)]
        scope: Scope,
        /// Print at most this many hits.
        #[arg(long, short = 'n', value_parser = clap::value_parser!(u64).range(1..))]
        limit: Option<u64>,
        #[arg(long)]
        json: bool,
    },
    /// The catalogue in code order.
    List {
        #[command(flatten)]
        scope: Scope,
        #[arg(long)]
        json: bool,
    },
    /// Count the status codes in access logs and say what each one means.
    #[command(after_help = "Formats (detected per file from its first lines): nginx/Apache combined and common, \
        AWS ALB and Classic ELB, CloudFront standard logs, JSON lines, HAProxy HTTP log, Envoy default format.\n\
        Exit status: 0 something was counted, 1 no line held a status, 2 usage error or an input that could not \
        be read (the other inputs are still counted and printed).")]
    Tally {
        /// Log files, plain or gzip; none, or `-`, reads standard input.
        files: Vec<PathBuf>,
        /// Read every file as this format instead of detecting it.
        #[arg(long, value_enum)]
        format: Option<FormatName>,
        /// Print JSON (an array of codes, most frequent first) instead of text.
        #[arg(long)]
        json: bool,
        /// Open the browser on the counts instead of printing them (when on a terminal).
        #[arg(long, conflicts_with = "json")]
        open: bool,
    },
    /// Print a shell completion script.
    Completions {
        #[arg(value_enum)]
        shell: Shell,
    },
}

#[derive(Debug, Args)]
pub struct Format {
    /// Print JSON (an array of entries) instead of text.
    #[arg(long, conflicts_with = "markdown")]
    json: bool,
    /// Print Markdown, ready for a runbook or a chat message.
    #[arg(long)]
    markdown: bool,
}

#[derive(Debug, Args)]
pub struct Scope {
    /// Only this class: 1xx, 2xx, 3xx, 4xx, 5xx or other.
    #[arg(long, value_parser = parse_class)]
    class: Option<Class>,
    /// Only this source or vendor (case-insensitive), e.g. Cloudflare, nginx, "RFC 9110".
    #[arg(long)]
    source: Option<String>,
}

fn parse_class(text: &str) -> Result<Class, String> {
    Class::from_key(text).ok_or_else(|| {
        let known: Vec<&str> = Class::ALL.iter().map(|c| c.key()).collect();
        format!("expected one of {}", known.join(", "))
    })
}

/// How a command ended, mapped to the documented exit status by `main`.
#[derive(Debug)]
pub enum Outcome {
    Printed,
    NothingMatched(String),
    Usage(String),
    /// An input could not be read; what could be read was printed.
    Unreadable(String),
    /// Open the browser, on these log counts when there are some (`--log`, `tally --open`).
    Browse(Option<LogCounts>),
}

impl Outcome {
    pub fn exit_code(&self) -> i32 {
        match self {
            Outcome::Printed | Outcome::Browse(_) => 0,
            Outcome::NothingMatched(_) => 1,
            Outcome::Usage(_) | Outcome::Unreadable(_) => 2,
        }
    }
}

/// Whether stdout is an interactive terminal (where the browser can run).
pub fn interactive() -> bool {
    io::stdout().is_terminal() && io::stdin().is_terminal()
}

pub fn run(command: Command, catalogue: &Catalogue) -> io::Result<Outcome> {
    let out = &mut io::stdout().lock();
    match command {
        Command::Show { code, format } => show(out, catalogue, code, &format),
        Command::Search { query, scope, limit, json } => {
            let limit = limit.map(|n| usize::try_from(n).unwrap_or(usize::MAX));
            search(out, catalogue, &query.join(" "), &scope, limit, json)
        }
        Command::List { scope, json } => search(out, catalogue, "", &scope, None, json),
        Command::Tally { files, format, json, open } => tally(out, catalogue, files, format, json, open),
        Command::Completions { shell } => {
            // clap_complete panics on a write error, so render first and write ourselves.
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "statusbrowse", &mut script);
            out.write_all(&script)?;
            Ok(Outcome::Printed)
        }
    }
}

/// `statusbrowse QUERY` when stdout is not a terminal: the text `search` prints.
pub fn search_text(catalogue: &Catalogue, query: &str) -> io::Result<Outcome> {
    let scope = Scope { class: None, source: None };
    search(&mut io::stdout().lock(), catalogue, query, &scope, None, false)
}

fn show(out: &mut impl Write, catalogue: &Catalogue, code: u16, format: &Format) -> io::Result<Outcome> {
    let meanings: Vec<usize> = catalogue.indices_of_code(code).collect();
    if meanings.is_empty() {
        let nearby: Vec<String> = catalogue.nearest_codes(code, 3).iter().map(|c| format!("{c:03}")).collect();
        return Ok(Outcome::NothingMatched(format!(
            "no entry for status code {code:03} (nearby: {})",
            nearby.join(", ")
        )));
    }
    if format.json {
        write_json(out, meanings.iter().map(|&i| &catalogue.entries()[i]))?;
        return Ok(Outcome::Printed);
    }
    let width = output_width();
    for (n, &index) in meanings.iter().enumerate() {
        if n > 0 {
            writeln!(out)?;
        }
        if format.markdown {
            write!(out, "{}", crate::export::markdown(catalogue, index))?;
            continue;
        }
        let entry = &catalogue.entries()[index];
        writeln!(out, "{}  ({})", entry.title(), entry.source)?;
        for line in entry::content(catalogue, index, width, Theme::PLAIN, None).lines {
            writeln!(out, "{}", line.to_string().trim_end())?;
        }
    }
    Ok(Outcome::Printed)
}

fn search(
    out: &mut impl Write,
    catalogue: &Catalogue,
    text: &str,
    scope: &Scope,
    limit: Option<usize>,
    json: bool,
) -> io::Result<Outcome> {
    let mut query = Query::text(text);
    query.class = scope.class;
    let mut searcher = Searcher::new(catalogue);
    if let Some(name) = &scope.source {
        let source = searcher.facet_values().iter().find_map(|v| match v {
            FacetValue::Source(s) if s.eq_ignore_ascii_case(name) => Some(v.clone()),
            _ => None,
        });
        match source {
            Some(value) => query.filters.insert(value),
            None => {
                let known: Vec<&str> = searcher
                    .facet_values()
                    .iter()
                    .filter_map(|v| match v {
                        FacetValue::Source(s) => Some(s.as_str()),
                        _ => None,
                    })
                    .collect();
                return Ok(Outcome::Usage(format!("unknown source '{name}'; known sources: {}", known.join(", "))));
            }
        }
    }
    let results = searcher.search(&query);
    let entries: Vec<&Entry> =
        results.hits.iter().take(limit.unwrap_or(usize::MAX)).map(|h| &catalogue.entries()[h.entry]).collect();
    if entries.is_empty() {
        return Ok(Outcome::NothingMatched(if text.is_empty() {
            "no entry matches these options".to_string()
        } else {
            format!("nothing matches '{text}'")
        }));
    }
    if json {
        write_json(out, entries.into_iter())?;
    } else {
        for entry in entries {
            writeln!(out, "{}  {}  ({})", entry.code_label(), entry.phrase, entry.source)?;
        }
    }
    Ok(Outcome::Printed)
}

/// `statusbrowse --log FILE...`: the browser on the logs' counts when on a
/// terminal, else the tally as text.
pub fn open_log(files: Vec<PathBuf>, catalogue: &Catalogue) -> io::Result<Outcome> {
    tally(&mut io::stdout().lock(), catalogue, files, None, false, true)
}

fn tally(
    out: &mut impl Write,
    catalogue: &Catalogue,
    files: Vec<PathBuf>,
    format: Option<FormatName>,
    json: bool,
    open: bool,
) -> io::Result<Outcome> {
    if files.is_empty() && io::stdin().is_terminal() {
        return Ok(Outcome::Usage("no log to read: name log files, or pipe one into standard input".to_string()));
    }
    let inputs: Vec<Input> =
        if files.is_empty() { vec![Input::Stdin] } else { files.into_iter().map(Input::from_arg).collect() };
    let report = tally::run(&inputs, &tally::Options { format, progress: true }, catalogue);
    let err = &mut io::stderr().lock();
    for file in &report.files {
        if let Some(problem) = &file.problem {
            writeln!(err, "statusbrowse: {}: {problem}", file.label)?;
        }
    }
    if open && interactive() && report.tally.counted > 0 {
        return Ok(Outcome::Browse(Some(LogCounts::from_report(&report, catalogue))));
    }
    if json {
        serde_json::to_writer_pretty(&mut *out, &tally_output::to_json(&report, catalogue))?;
        writeln!(out)?;
        tally_output::write_rejected(err, &report)?;
    } else {
        tally_output::write_text(out, &report, catalogue)?;
    }
    let unreadable = report.files.iter().filter(|f| f.unreadable).count();
    Ok(if unreadable > 0 {
        Outcome::Unreadable(format!("{unreadable} of {} inputs could not be read", report.files.len()))
    } else if report.tally.counted == 0 {
        Outcome::NothingMatched("no line held a status code".to_string())
    } else {
        Outcome::Printed
    })
}

fn write_json<'a>(out: &mut impl Write, entries: impl Iterator<Item = &'a Entry>) -> io::Result<()> {
    let entries: Vec<&Entry> = entries.collect();
    serde_json::to_writer_pretty(&mut *out, &entries)?;
    writeln!(out)
}

fn output_width() -> usize {
    if io::stdout().is_terminal() {
        ratatui::crossterm::terminal::size().map_or(DEFAULT_WIDTH, |(w, _)| usize::from(w).clamp(20, 120))
    } else {
        DEFAULT_WIDTH
    }
}
