//! `statusbrowse tally` and `statusbrowse --log`: count the status codes in
//! access logs, then print the counts or hand them to the browser.

use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::catalogue::Catalogue;
use crate::tally::filter::{Filter, parse_codes, parse_time};
use crate::tally::formats::custom::compile;
use crate::tally::{
    self, CustomReader, Options, browse::LogCounts, follow, formats::FormatName, output as tally_output, reader::Input,
};

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
    if choices.follow {
        let [input] = inputs.as_slice() else {
            return Ok(Outcome::Usage("--follow reads one file (or standard input)".to_string()));
        };
        if !(0.05..=3600.0).contains(&choices.every) {
            return Ok(Outcome::Usage("--every takes seconds from 0.05 to 3600".to_string()));
        }
        let pace = follow::Pace { every: Duration::from_secs_f64(choices.every), top };
        return follow::run(out, input, &options, catalogue, pace).map(|()| Outcome::Printed);
    }
    let browse = choices.open && unsupported_terminal().is_none();
    // One log in the browser is followed: a stream as it arrives, a file as it grows.
    if let ([Input::Stdin], true) = (inputs.as_slice(), browse && !io::stdin().is_terminal()) {
        if interactive_with_stdin_log() {
            let follow = follow::Follower::stdin(&options)?;
            let log = Some(follow.counts(catalogue));
            return Ok(Outcome::Browse { log, follow: Some(Box::new(follow)), unreadable: None });
        }
    }
    let (report, resume) = match inputs.as_slice() {
        [input @ Input::File(_)] if browse => tally::run_resumable(input, &options, catalogue),
        _ => (tally::run(&inputs, &options, catalogue), None),
    };
    let err = &mut io::stderr().lock();
    for file in &report.files {
        if let Some(problem) = &file.problem {
            writeln!(err, "statusbrowse: {}: {problem}", file.label)?;
        }
    }
    let unreadable = report.unreadable();
    let unreadable_message = || format!("{unreadable} of {} inputs could not be read", report.files.len());
    if browse && interactive() && report.tally.counted > 0 {
        let log = Some(LogCounts::from_report(&report, catalogue));
        let unreadable = (unreadable > 0).then(unreadable_message);
        let follow = match (resume, inputs.as_slice()) {
            (Some(resume), [Input::File(path)]) => {
                Some(Box::new(follow::Follower::resume(path.clone(), report, resume, &options)))
            }
            _ => None,
        };
        return Ok(Outcome::Browse { log, follow, unreadable });
    }
    if choices.json {
        serde_json::to_writer_pretty(&mut *out, &tally_output::json::to_json(&report, catalogue, top))?;
        writeln!(out)?;
        // On a terminal the lines not understood come after the JSON, as before buffering.
        out.flush()?;
        tally_output::write_rejected(err, &report)?;
    } else {
        tally_output::write_text(out, &report, catalogue, top)?;
    }
    Ok(if unreadable > 0 {
        Outcome::Unreadable(unreadable_message())
    } else if report.tally.counted == 0 {
        Outcome::NothingMatched("no line held a status code".to_string())
    } else {
        Outcome::Printed
    })
}
