//! `statusbrowse tally` and `statusbrowse --log`: count the status codes in
//! access logs, then print the counts or hand them to the browser.

use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::catalogue::Catalogue;
use crate::tally::filter::{Filter, parse_codes, parse_time};
use crate::tally::formats::custom::compile;
use crate::tally::{self, CustomReader, Options, follow, formats::FormatName, output as tally_output, reader::Input};

use super::{Outcome, interactive, interactive_with_stdin_log, unsupported_terminal};

/// Values shown per field per code when `--code` is given without `--top`.
const DEFAULT_TOP: usize = 3;

/// The `tally` flags, as given.
#[derive(Debug, Default)]
pub struct Choices {
    pub format: Option<FormatName>,
    pub field: Option<String>,
    pub regex: Option<String>,
    pub since: Option<String>,
    pub until: Option<String>,
    pub code: Option<String>,
    pub top: Option<usize>,
    pub follow: bool,
    pub every: f64,
    pub json: bool,
    pub open: bool,
}

impl Choices {
    /// The tally's options, or why the flags do not make sense.
    fn options(&self, now: i64) -> Result<(Options, usize), String> {
        let custom = match (&self.field, &self.regex) {
            (Some(field), _) => Some(match field.parse::<usize>() {
                Ok(0) => return Err("--field counts from 1, as awk does".to_string()),
                Ok(n) => CustomReader::Field(n),
                Err(_) => CustomReader::JsonPath(field.clone()),
            }),
            (None, Some(pattern)) => Some(CustomReader::Regex(compile(pattern)?)),
            (None, None) => None,
        };
        let time = |text: &Option<String>| text.as_deref().map(|t| parse_time(t, now)).transpose();
        let filter = Filter {
            since: time(&self.since).map_err(|e| format!("--since: {e}"))?,
            until: time(&self.until).map_err(|e| format!("--until: {e}"))?,
            codes: self
                .code
                .as_deref()
                .map(parse_codes)
                .transpose()
                .map_err(|e| format!("--code: {e}"))?
                .unwrap_or_default(),
        };
        let top = self.top.unwrap_or(if self.code.is_some() { DEFAULT_TOP } else { 0 });
        let detail = top > 0 || self.open;
        Ok((Options { format: self.format, custom, progress: !self.follow, detail, filter }, top))
    }
}

fn now() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64)
}

/// `statusbrowse --log FILE...`: the browser on the logs' counts when on a
/// terminal that can draw it, else the tally as text.
pub fn open_log(out: &mut impl Write, files: Vec<PathBuf>, catalogue: &Catalogue) -> io::Result<Outcome> {
    tally(out, catalogue, files, Choices { open: true, ..Choices::default() })
}

pub(super) fn tally(
    out: &mut impl Write,
    catalogue: &Catalogue,
    files: Vec<PathBuf>,
    choices: Choices,
) -> io::Result<Outcome> {
    if files.is_empty() && io::stdin().is_terminal() {
        return Ok(Outcome::Usage("no log to read: name log files, or pipe one into standard input".to_string()));
    }
    let (options, top) = match choices.options(now()) {
        Ok(options) => options,
        Err(message) => return Ok(Outcome::Usage(message)),
    };
    let inputs: Vec<Input> =
        if files.is_empty() { vec![Input::Stdin] } else { files.into_iter().map(Input::from_arg).collect() };
    let browse = choices.open && unsupported_terminal().is_none();
    // The browser reads keys from the terminal: with standard input as a log,
    // from the controlling one.
    let reads_stdin = inputs.contains(&Input::Stdin);
    let browser_runs =
        if reads_stdin { !io::stdin().is_terminal() && interactive_with_stdin_log() } else { interactive() };
    // The browser follows the logs itself (`--follow --open`); the text follow runs where it cannot.
    if choices.follow && !(browse && browser_runs) {
        if !(0.05..=3600.0).contains(&choices.every) {
            return Ok(Outcome::Usage("--every takes seconds from 0.05 to 3600".to_string()));
        }
        let pace = follow::Pace { every: Duration::from_secs_f64(choices.every), top };
        let report = follow::run(out, &inputs, &options, catalogue, pace)?;
        return Ok(ending(&report));
    }
    let report = if browse && browser_runs {
        // The logs that can grow are followed: files as they grow, a stream as it arrives.
        let follower = follow::Follower::open(&inputs, &options, catalogue);
        write_problems(&follower.report().files)?;
        if follower.follows_any() || follower.report().tally.counted > 0 {
            let report = follower.report();
            let unreadable = (report.unreadable() > 0).then(|| unreadable_message(report));
            let log = Some(follower.counts(catalogue));
            let follow = follower.follows_any().then(|| Box::new(follower));
            return Ok(Outcome::Browse { log, follow, unreadable });
        }
        follower.into_report()
    } else {
        let report = tally::run(&inputs, &options, catalogue);
        write_problems(&report.files)?;
        report
    };
    let err = &mut io::stderr().lock();
    if choices.json {
        serde_json::to_writer_pretty(&mut *out, &tally_output::json::to_json(&report, catalogue, top))?;
        writeln!(out)?;
        // On a terminal the lines not understood come after the JSON, as before buffering.
        out.flush()?;
        tally_output::write_rejected(err, &report)?;
    } else {
        tally_output::write_text(out, &report, catalogue, top)?;
    }
    Ok(ending(&report))
}

/// Each input's problem on stderr, where it stays after the browser closes.
fn write_problems(files: &[tally::FileReport]) -> io::Result<()> {
    let err = &mut io::stderr().lock();
    for file in files {
        if let Some(problem) = &file.problem {
            writeln!(err, "statusbrowse: {}: {problem}", file.label)?;
        }
    }
    Ok(())
}

fn unreadable_message(report: &tally::Report) -> String {
    format!("{} of {} inputs could not be read", report.unreadable(), report.files.len())
}

/// The outcome of a tally printed in full.
fn ending(report: &tally::Report) -> Outcome {
    if report.unreadable() > 0 {
        Outcome::Unreadable(unreadable_message(report))
    } else if report.tally.counted == 0 {
        Outcome::NothingMatched("no line held a status code".to_string())
    } else {
        Outcome::Printed
    }
}
