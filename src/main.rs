//! Entry point: parse the command line, then run a CLI command or the browser,
//! and turn the outcome into the documented exit status.

use std::io::{self, ErrorKind, IsTerminal, Write};
use std::process::ExitCode;

use clap::Parser;

use statusbrowse::catalogue::Catalogue;
use statusbrowse::cli::{self, Cli, Command, Outcome};
use statusbrowse::overlay::{self, Environment};
use statusbrowse::tui::{self, Overlays};

/// Exit status when the program itself fails (terminal I/O, a broken build).
const INTERNAL_ERROR: u8 = 3;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => return clap_exit(&err),
    };
    let base = match Catalogue::embedded() {
        Ok(catalogue) => catalogue,
        Err(err) => {
            return fail(&format!("the embedded catalogue is invalid: {err}"), INTERNAL_ERROR);
        }
    };
    let places = overlay::places(&Environment::current(), &cli.overlays);
    let joined = cli.query.join(" ");
    let query = (!joined.trim().is_empty()).then_some(joined.as_str());
    // The plain browser draws its first frame before the overlays load; every
    // other use needs them first.
    if cli.command.is_none() && cli.log.is_empty() && cli::interactive() && cli::unsupported_terminal().is_none() {
        return match tui::run(base, query, None, None, Overlays::Load(places)) {
            Ok(problems) => {
                warn(&problems);
                ExitCode::SUCCESS
            }
            Err(err) => io_failure(&err),
        };
    }
    let (catalogue, report) = overlay::load(&base, &places);
    // `overlay check` and `overlay paths` report the problems themselves.
    let warns = !matches!(cli.command, Some(Command::Overlay { .. }));
    // Printed output is buffered and written once; the lock is released before the browser starts.
    let outcome = cli::buffered(io::stdout().lock(), |out| match cli.command {
        Some(command) => cli::run(command, out, &base, &catalogue, &report, cli.color),
        None if !cli.log.is_empty() => cli::open_log(out, cli.log, &catalogue),
        // Here the browser cannot run (off a terminal, or on one that cannot
        // draw it; it returned above otherwise): a query is still answered, as text.
        None if query.is_some() => cli::search_text(out, &catalogue, &joined, cli.color),
        None if cli::interactive() => Ok(Outcome::Browse { log: None, follow: None, unreadable: None }),
        None => Ok(Outcome::Usage(not_interactive())),
    });
    let outcome = match outcome {
        Ok(Outcome::Browse { log, follow, unreadable }) => match cli::unsupported_terminal() {
            Some(why) => Ok(Outcome::Usage(why)),
            None => {
                let problems = report.problems.iter().map(ToString::to_string).collect();
                // An input that could not be read still fails the run once the browser closes.
                tui::run(catalogue, query, log, follow, Overlays::Merged(problems))
                    .map(|_| unreadable.map_or(Outcome::Printed, Outcome::Unreadable))
            }
        },
        other => other,
    };
    if warns {
        warn(&report.problems.iter().map(ToString::to_string).collect::<Vec<_>>());
    }
    match outcome {
        Ok(outcome) => {
            let code = outcome.exit_code() as u8;
            match outcome {
                Outcome::Printed | Outcome::Browse { .. } => ExitCode::SUCCESS,
                Outcome::NothingMatched(message) | Outcome::Usage(message) | Outcome::Unreadable(message) => {
                    fail(&message, code)
                }
            }
        }
        Err(err) => io_failure(&err),
    }
}

/// Each overlay problem on stderr: the browser's footer is gone once it closes.
fn warn(problems: &[String]) {
    // One write, as every stderr message is.
    let warnings: String = problems.iter().map(|problem| format!("statusbrowse: warning: {problem}\n")).collect();
    let _ = io::stderr().write_all(warnings.as_bytes());
}

/// Why the browser cannot start without a query: name the stream that is not a terminal.
fn not_interactive() -> String {
    let stream = if io::stdout().is_terminal() { "stdin" } else { "stdout" };
    format!("{stream} is not a terminal: give a query, or use show, search or list (see --help)")
}

/// `--help`, `--version` and `help` print to stdout like any command, so a
/// failed write is reported like any command's; usage errors go to stderr (2).
fn clap_exit(err: &clap::Error) -> ExitCode {
    if err.use_stderr() {
        let _ = err.print();
        return ExitCode::from(u8::try_from(err.exit_code()).unwrap_or(INTERNAL_ERROR));
    }
    let styled = err.render();
    let text = if io::stdout().is_terminal() { styled.ansi().to_string() } else { styled.to_string() };
    let mut out = io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => io_failure(&err),
    }
}

/// Writing to a closed pipe (`statusbrowse list | head -1`) is not an error:
/// the reader left. Anything else (a full disk, /dev/full, a terminal that
/// could not be set up) is.
fn io_failure(err: &io::Error) -> ExitCode {
    if err.kind() == ErrorKind::BrokenPipe {
        return ExitCode::SUCCESS;
    }
    fail(&err.to_string(), INTERNAL_ERROR)
}

/// The message goes out in one write: stderr is unbuffered, and `writeln!`
/// would write each piece of the format on its own.
fn fail(message: &str, code: u8) -> ExitCode {
    let _ = io::stderr().write_all(format!("statusbrowse: {message}\n").as_bytes());
    ExitCode::from(code)
}
