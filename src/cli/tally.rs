//! `statusbrowse tally` and `statusbrowse --log`: count the status codes in
//! access logs, then print the counts or hand them to the browser.

use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;

use crate::catalogue::Catalogue;
use crate::tally::{self, browse::LogCounts, formats::FormatName, output as tally_output, reader::Input};

use super::{Outcome, interactive, unsupported_terminal};

/// `statusbrowse --log FILE...`: the browser on the logs' counts when on a
/// terminal that can draw it, else the tally as text.
pub fn open_log(files: Vec<PathBuf>, catalogue: &Catalogue) -> io::Result<Outcome> {
    tally(&mut io::stdout().lock(), catalogue, files, None, false, true)
}

pub(super) fn tally(
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
    if open && interactive() && unsupported_terminal().is_none() && report.tally.counted > 0 {
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
