//! Entry point: parse the command line, then run a CLI command or the browser,
//! and turn the outcome into the documented exit status.

use std::io::{self, ErrorKind};
use std::process::ExitCode;

use clap::Parser;

use statusbrowse::catalogue::Catalogue;
use statusbrowse::cli::{self, Cli, Outcome};
use statusbrowse::tui;

/// Exit status when the program itself fails (terminal I/O, a broken build).
const INTERNAL_ERROR: u8 = 3;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let catalogue = match Catalogue::embedded() {
        Ok(catalogue) => catalogue,
        Err(err) => {
            return fail(&format!("the embedded catalogue is invalid: {err}"), INTERNAL_ERROR);
        }
    };
    let query = cli.query.join(" ");
    let outcome = match cli.command {
        Some(command) => cli::run(command, &catalogue),
        None if !cli.log.is_empty() => cli::open_log(cli.log, &catalogue),
        None if cli::interactive() => Ok(Outcome::Browse(None)),
        None if !query.trim().is_empty() => cli::search_text(&catalogue, &query),
        None => Ok(Outcome::Usage(
            "stdout is not a terminal: give a query, or use show, search or list (see --help)".to_string(),
        )),
    };
    let outcome = match outcome {
        Ok(Outcome::Browse(log)) => {
            let query = (!query.trim().is_empty()).then_some(query.as_str());
            tui::run(catalogue, query, log).map(|()| Outcome::Printed)
        }
        other => other,
    };
    match outcome {
        Ok(outcome) => {
            let code = outcome.exit_code() as u8;
            match outcome {
                Outcome::Printed | Outcome::Browse(_) => ExitCode::SUCCESS,
                Outcome::NothingMatched(message) | Outcome::Usage(message) | Outcome::Unreadable(message) => {
                    fail(&message, code)
                }
            }
        }
        // `statusbrowse list | head -1`: the reader left; that is not an error.
        Err(err) if err.kind() == ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(err) => fail(&err.to_string(), INTERNAL_ERROR),
    }
}

fn fail(message: &str, code: u8) -> ExitCode {
    use io::Write;
    let _ = writeln!(io::stderr(), "statusbrowse: {message}");
    ExitCode::from(code)
}
