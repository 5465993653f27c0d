//! A tally as the browser uses it: per catalogue entry, its count, share,
//! sparkline and the split behind it, and the entries in order of frequency.

use crate::catalogue::Catalogue;

use super::Report;
use super::output::{SPARK_CELLS, lines_word, share, signal_lines, thousands, top_lines, upstream_lines};
use super::timeline::sparkline;

/// Values per field the detail panel shows for a code.
const BROWSER_TOP: usize = 3;

/// What the log says about one catalogue entry.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct EntryCounts {
    pub count: u64,
    /// "3.1%" of the lines that held a status.
    pub share: String,
    /// Empty when no line had a timestamp.
    pub sparkline: String,
    /// "target said: - (1,100), 502 (104)", "flags: UF (120)".
    pub details: Vec<String>,
}

impl EntryCounts {
    /// "1,204 lines · 3.1%".
    pub fn summary(&self) -> String {
        let lines = if self.count == 1 { "line" } else { "lines" };
        format!("{} {lines} · {}", thousands(self.count), self.share)
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct LogCounts {
    /// The log's name for titles: the file, or "3 logs".
    pub label: String,
    /// For the status line: the inputs that could not be read or were cut
    /// short ("missing.log: cannot read: No such file or directory")...
    pub problems: Vec<String>,
    /// ... then what else happened to them ("access.log rotated, reading the
    /// new file") and what the reading skipped ("2 lines not understood").
    pub notes: Vec<String>,
    /// (catalogue index, counts), most frequent first; numbers the catalogue
    /// lacks cannot be listed and are left out.
    entries: Vec<(usize, EntryCounts)>,
}

impl LogCounts {
    pub fn from_report(report: &Report, catalogue: &Catalogue) -> Self {
        let tally = &report.tally;
        let mut entries: Vec<(usize, EntryCounts)> = Vec::new();
        for (index, row) in tally.rows() {
            let Some(meaning) = row.meaning.filter(|&m| m < catalogue.len()) else { continue };
            entries.push((
                meaning,
                EntryCounts {
                    count: row.count,
                    share: share(row.count, tally.counted),
                    sparkline: sparkline(&tally.timeline.cells(index, SPARK_CELLS)),
                    details: upstream_lines(row)
                        .into_iter()
                        .chain(signal_lines(row))
                        .chain(top_lines(row, BROWSER_TOP))
                        .collect(),
                },
            ));
        }
        let mut read: Vec<&str> =
            report.files.iter().filter(|f| f.format.is_some()).map(|f| f.label.as_str()).collect();
        // A stream followed before its format is known is named all the same.
        if let ([], [only]) = (read.as_slice(), report.files.as_slice()) {
            read.push(&only.label);
        }
        let label = match read.as_slice() {
            [one] => one.rsplit('/').next().unwrap_or(one).to_string(),
            many => format!("{} logs", many.len()),
        };
        let mut notes: Vec<String> = Vec::new();
        let left_out = tally.rejected_lines() + report.sum(|f| f.binary_lines);
        if left_out > 0 {
            notes.push(format!("{} not understood", lines_word(left_out)));
        }
        let nul_bytes = report.sum(|f| f.nul_bytes);
        if nul_bytes > 0 {
            notes.push(format!("{} NUL bytes skipped", thousands(nul_bytes)));
        }
        let problems =
            report.files.iter().filter_map(|f| f.problem.as_ref().map(|p| format!("{}: {p}", f.label))).collect();
        LogCounts { label, problems, notes, entries }
    }

    /// Whether no catalogue entry has a count yet (a stream just opened).
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn get(&self, entry: usize) -> Option<&EntryCounts> {
        self.entries.iter().find(|(e, _)| *e == entry).map(|(_, counts)| counts)
    }

    /// Cells the largest count takes written out ("2,322" takes 5), so the
    /// counts can form a right-aligned column.
    pub fn count_width(&self) -> usize {
        self.entries.iter().map(|(_, counts)| thousands(counts.count).len()).max().unwrap_or(0)
    }

    /// Position of an entry in frequency order, or `None` when the log lacks it.
    pub fn rank(&self, entry: usize) -> Option<usize> {
        self.entries.iter().position(|(e, _)| *e == entry)
    }
}
