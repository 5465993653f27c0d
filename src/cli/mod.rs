//! The non-interactive face: `show`, `search`, `list`, `tally`, `man`, `completions`.
//! Shares the catalogue and the search with the browser; never touches raw mode.

mod man;
mod output;
mod overlay;
mod tally;

use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;

use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};
use clap_complete::Shell;

use crate::catalogue::{Catalogue, Class};
use crate::edit;
use crate::overlay::Report;
use crate::search::{FacetValue, Query, Searcher};
use crate::tally::{browse::LogCounts, follow::Follower, formats::FormatName};
use crate::view::text;

use output::Printer;

pub use output::buffered;

pub use overlay::OverlayCommand;
pub use tally::open_log;

#[derive(Debug, Parser)]
#[command(
    name = "statusbrowse",
    version,
    about = "An offline HTTP status code reference: browse, search, show.",
    long_about = "An offline HTTP status code reference for the terminal.\n\n\
        With no command, opens the browser; with QUERY, opens it with the query typed and its best \
        hit selected. When stdout is not a terminal, or TERM is dumb or unset, `statusbrowse QUERY` \
        prints what `search` would.",
    after_help = "Exit status: 0 printed something, 1 nothing matched, 2 usage error, 3 internal error."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Colour in printed output: auto (when stdout is a terminal and NO_COLOR is unset), always, never.
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = ColorChoice::Auto, global = true)]
    pub color: ColorChoice,
    /// Search text to start the browser with (e.g. 524, cloudflare, "gateway timeout").
    pub query: Vec<String>,
    /// Open the browser on these access logs: counts after each code, the log's
    /// codes first, most frequent first (prints the tally when stdout is not a
    /// terminal, or TERM is dumb or unset).
    #[arg(long, num_args = 1.., value_name = "FILE")]
    pub log: Vec<PathBuf>,
    /// Also load this overlay file or folder of team notes, after the ones found (repeatable; see `overlay paths`).
    #[arg(long = "overlay", value_name = "PATH", global = true)]
    pub overlays: Vec<PathBuf>,
}

/// `--color`, as clap and most command-line tools spell it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

impl ColorChoice {
    /// Whether printed output gets colour: `auto` colours a terminal, unless
    /// NO_COLOR (https://no-color.org) is set or the terminal is dumb.
    pub fn enabled(self) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
                let dumb = std::env::var_os("TERM").is_some_and(|t| t == "dumb");
                io::stdout().is_terminal() && !no_color && !dumb
            }
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Every meaning of one or more status codes.
    Show {
        /// The status codes, 0-999 (e.g. 502 504 524).
        #[arg(required = true, value_parser = clap::value_parser!(u16).range(0..=999))]
        codes: Vec<u16>,
        #[command(flatten)]
        format: Format,
    },
    /// Ranked search hits, best first.
    Search {
        /// Query words or a pasted line: one or two words must all match, longer text ranks by how much of it an entry explains.
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
    #[command(after_help = "Formats (detected per file from its first lines, and per line where the file's \
        format fails): nginx/Apache combined and common, AWS ALB and Classic ELB, CloudFront standard and \
        real-time logs, W3C extended (IIS), JSON (objects or arrays; Cloudflare, Traefik, GCP, ECS, Azure, Caddy), \
        HAProxy HTTP log, Envoy default format; behind kubectl, docker compose, CRI or Docker json-file wrappers.\n\
        Exit status: 0 something was counted, 1 no line held a status, 2 usage error or an input that could not \
        be read (the other inputs are still counted and printed).")]
    Tally {
        /// Log files, plain or gzip; none, or `-`, reads standard input.
        files: Vec<PathBuf>,
        /// Read every file as this format instead of detecting it.
        #[arg(long, value_enum, conflicts_with_all = ["field", "regex"])]
        format: Option<FormatName>,
        /// The status is this field: a number counts words as awk does ($9), else a JSON path (resp.code).
        #[arg(long, value_name = "N|PATH", conflicts_with = "regex")]
        field: Option<String>,
        /// The status is this regex's group named `status` (else its first group); groups path, host, target, client, time are read too.
        #[arg(long, value_name = "RE")]
        regex: Option<String>,
        /// Only statuses logged at or after this time: 15m, 2h, 1d before now, or 2026-11-23T09:40:00Z (UTC).
        #[arg(long, value_name = "TIME")]
        since: Option<String>,
        /// Only statuses logged before this time (same forms as --since).
        #[arg(long, value_name = "TIME")]
        until: Option<String>,
        /// Only these codes or classes, e.g. 5xx, 502, 4xx,502; shows where each went.
        #[arg(long, value_name = "CODES")]
        code: Option<String>,
        /// Show the N most frequent paths, hosts, targets and clients per code (default 3 with --code).
        #[arg(long, value_name = "N")]
        top: Option<usize>,
        /// Keep reading the files as they grow (as tail -F: across rotation and truncation; gzip is read
        /// whole), or standard input as it arrives, printing a summary every few seconds.
        #[arg(long, short = 'f', conflicts_with = "json")]
        follow: bool,
        /// With --follow, print the summary every this many seconds.
        #[arg(long, value_name = "SECONDS", default_value_t = 2.0, requires = "follow")]
        every: f64,
        /// Print JSON (totals, files, codes) instead of text.
        #[arg(long)]
        json: bool,
        /// Open the browser on the counts instead of printing them (when on a terminal).
        #[arg(long, conflicts_with = "json")]
        open: bool,
    },
    /// Team overlays: where they are found, checking them, a template to start one.
    Overlay {
        #[command(subcommand)]
        command: OverlayCommand,
    },
    /// Print the manual page (roff), to install as statusbrowse.1 in a man1 folder.
    Man,
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
    /// Open the browser, on these log counts when there are some (`--log`,
    /// `tally --open`), updated by `follow` while it reads on, and exit with
    /// the unreadable-input status and `unreadable` after it when an input
    /// could not be read.
    Browse {
        log: Option<LogCounts>,
        follow: Option<Box<Follower>>,
        unreadable: Option<String>,
    },
}

impl Outcome {
    pub fn exit_code(&self) -> i32 {
        match self {
            Outcome::Printed | Outcome::Browse { unreadable: None, .. } => 0,
            Outcome::NothingMatched(_) => 1,
            Outcome::Usage(_) | Outcome::Unreadable(_) | Outcome::Browse { unreadable: Some(_), .. } => 2,
        }
    }
}

/// Whether stdout is an interactive terminal (where the browser can run).
pub fn interactive() -> bool {
    io::stdout().is_terminal() && io::stdin().is_terminal()
}

/// Whether printed web links become OSC 8 hyperlinks: on a terminal that
/// draws them (the browser's rule); a pipe or a file gets the plain text.
fn hyperlinks() -> bool {
    io::stdout().is_terminal() && text::terminal_has_hyperlinks()
}

/// Whether the browser can run while standard input carries a log
/// (`kubectl logs -f ... | statusbrowse --log -`): keys then come from the
/// controlling terminal.
fn interactive_with_stdin_log() -> bool {
    io::stdout().is_terminal() && std::fs::File::open("/dev/tty").is_ok()
}

/// Why the browser cannot run on this terminal, if it cannot: a terminal that
/// declares itself dumb (Emacs' shell, some CI consoles) or declares nothing
/// would show escape codes instead of panels.
pub fn unsupported_terminal() -> Option<String> {
    match std::env::var("TERM") {
        Ok(term) if !term.is_empty() && term != "dumb" => None,
        Ok(term) if term == "dumb" => Some("TERM=dumb cannot show the browser".to_string()),
        _ => Some("TERM is not set, so the browser cannot run".to_string()),
    }
    .map(|why| format!("{why}; use `statusbrowse show CODE` or `statusbrowse search QUERY`"))
}

/// Runs a command. `base` is the catalogue without overlays, `catalogue` the one
/// with them, `report` what loading the overlays found.
pub fn run(
    command: Command,
    out: &mut impl Write,
    base: &Catalogue,
    catalogue: &Catalogue,
    report: &Report,
    color: ColorChoice,
) -> io::Result<Outcome> {
    let printer = Printer::new(color.enabled(), hyperlinks());
    match command {
        Command::Overlay { command } => overlay::run(out, command, base, report),
        Command::Show { codes, format } => show(out, printer, catalogue, &codes, &format),
        Command::Search { query, scope, limit, json } => {
            // As in the browser: an escape sequence in the words is no part of them.
            let text = edit::sanitize(&query.join(" "));
            if let Some(refusal) = without_words(&text) {
                return Ok(refusal);
            }
            let limit = limit.map(|n| usize::try_from(n).unwrap_or(usize::MAX));
            search(out, printer, catalogue, &text, &scope, limit, json)
        }
        Command::List { scope, json } => search(out, printer, catalogue, "", &scope, None, json),
        Command::Tally { files, format, field, regex, since, until, code, top, follow, every, json, open } => {
            let choices = tally::Choices { format, field, regex, since, until, code, top, follow, every, json, open };
            tally::tally(out, catalogue, files, choices)
        }
        Command::Man => man::write(out).map(|()| Outcome::Printed),
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
pub fn search_text(
    out: &mut impl Write,
    catalogue: &Catalogue,
    query: &str,
    color: ColorChoice,
) -> io::Result<Outcome> {
    let query = edit::sanitize(query);
    if let Some(refusal) = without_words(&query) {
        return Ok(refusal);
    }
    let scope = Scope { class: None, source: None };
    search(out, Printer::new(color.enabled(), hyperlinks()), catalogue, &query, &scope, None, false)
}

/// A query of only punctuation or symbols (`'`, `^`, an emoji) would list the
/// whole catalogue, which is what `list` is for.
fn without_words(query: &str) -> Option<Outcome> {
    (!Searcher::has_words(query))
        .then(|| Outcome::Usage("search needs a query with letters or digits; `list` prints every entry".to_string()))
}

/// Prints every meaning of each code, in the order given. Codes without an
/// entry are reported together after the others are printed.
fn show(
    out: &mut impl Write,
    printer: Printer,
    catalogue: &Catalogue,
    codes: &[u16],
    format: &Format,
) -> io::Result<Outcome> {
    let mut meanings: Vec<usize> = Vec::new();
    let mut missing: Vec<String> = Vec::new();
    for &code in codes {
        let found: Vec<usize> = catalogue.indices_of_code(code).collect();
        if found.is_empty() {
            let nearby: Vec<String> = catalogue.nearest_codes(code, 3).iter().map(|c| format!("{c:03}")).collect();
            missing.push(format!("no entry for status code {code:03} (nearby: {})", nearby.join(", ")));
        }
        // `show 502 502` prints 502 once.
        meanings.extend(found.into_iter().filter(|i| !meanings.contains(i)).collect::<Vec<_>>());
    }
    if format.json {
        if !meanings.is_empty() {
            output::write_json(out, meanings.iter().map(|&i| &catalogue.entries()[i]))?;
        }
    } else {
        let width = output::width();
        for (n, &index) in meanings.iter().enumerate() {
            if n > 0 {
                writeln!(out)?;
            }
            if format.markdown {
                write!(out, "{}", crate::export::markdown(catalogue, index))?;
            } else {
                printer.entry(out, catalogue, index, width)?;
            }
        }
    }
    if missing.is_empty() { Ok(Outcome::Printed) } else { Ok(Outcome::NothingMatched(missing.join("; "))) }
}

fn search(
    out: &mut impl Write,
    printer: Printer,
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
        match pick_source(&searcher, name) {
            Ok(value) => query.filters.insert(value),
            Err(message) => return Ok(Outcome::Usage(message)),
        }
    }
    let results = searcher.search(&query);
    let hits = &results.hits[..results.hits.len().min(limit.unwrap_or(usize::MAX))];
    if hits.is_empty() {
        return Ok(Outcome::NothingMatched(if text.is_empty() {
            "no entry matches these options".to_string()
        } else {
            format!("nothing matches '{text}'")
        }));
    }
    if json {
        output::write_json(out, hits.iter().map(|h| &catalogue.entries()[h.entry]))?;
    } else {
        for hit in hits {
            printer.hit(out, &catalogue.entries()[hit.entry], hit.reason.as_ref())?;
        }
    }
    Ok(Outcome::Printed)
}

/// The source a `--source` value names: the one with that name (any case), else
/// the only one whose name or a word of it starts with the value (`aws` → AWS
/// ELB). Several candidates or none is a usage error that lists them.
fn pick_source(searcher: &Searcher, name: &str) -> Result<FacetValue, String> {
    let sources: Vec<(&str, &FacetValue)> = searcher
        .facet_values()
        .iter()
        .filter_map(|v| match v {
            FacetValue::Source(s) => Some((s.as_str(), v)),
            _ => None,
        })
        .collect();
    if let Some((_, value)) = sources.iter().find(|(s, _)| s.eq_ignore_ascii_case(name)) {
        return Ok((*value).clone());
    }
    let candidates: Vec<&(&str, &FacetValue)> = sources.iter().filter(|(s, _)| text::name_matches(s, name)).collect();
    match candidates.as_slice() {
        [(_, value)] => Ok((*value).clone()),
        [] => {
            let known: Vec<&str> = sources.iter().map(|(s, _)| *s).collect();
            Err(format!("unknown source '{name}'; known sources: {}", known.join(", ")))
        }
        several => {
            let names: Vec<&str> = several.iter().map(|(s, _)| *s).collect();
            Err(format!("source '{name}' is ambiguous: {}", names.join(", ")))
        }
    }
}
