//! `tally --json`: the totals, each file, the error rates over time, the
//! not-understood groups and the codes, for scripts.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::catalogue::Catalogue;

use super::super::count::Row;
use super::super::{FileReport, Report};
use super::{SPARK_CELLS, slices, status_label};
use crate::tally::formats::time::format_minute;
use crate::tally::timeline::sparkline;

#[derive(Debug, Serialize)]
pub struct TallyJson {
    pub totals: Totals,
    pub files: Vec<FileJson>,
    /// Statuses per slice of whole minutes (at most 30 slices), by class.
    pub over_time: Vec<SliceJson>,
    pub not_understood: Vec<RejectedJson>,
    /// One object per (code, meaning), most frequent first.
    pub codes: Vec<CodeJson>,
}

/// What became of the lines, of one file or of all of them.
#[derive(Debug, Serialize)]
pub struct LineCounts {
    pub lines: u64,
    pub counted: u64,
    pub blank: u64,
    pub headers: u64,
    pub not_understood: u64,
    pub binary_lines: u64,
    pub nul_bytes: u64,
    pub outside_window: u64,
    pub other_codes: u64,
}

impl LineCounts {
    /// Each count as `of` reads that field: one file's own, or a sum over files.
    fn from(of: impl Fn(fn(&FileReport) -> u64) -> u64) -> Self {
        LineCounts {
            lines: of(|f| f.lines),
            counted: of(|f| f.counted),
            blank: of(|f| f.blank),
            headers: of(|f| f.headers),
            not_understood: of(|f| f.rejected),
            binary_lines: of(|f| f.binary_lines),
            nul_bytes: of(|f| f.nul_bytes),
            outside_window: of(|f| f.outside_window),
            other_codes: of(|f| f.other_codes),
        }
    }
}

#[derive(Debug, Serialize)]
pub struct Totals {
    #[serde(flatten)]
    pub lines: LineCounts,
    /// "2xx" → count, every class present.
    pub classes: BTreeMap<String, u64>,
    /// Of the counted statuses, 0 to 1.
    pub rate_4xx: f64,
    pub rate_5xx: f64,
    /// "2026-11-23 09:00" (UTC); null without timestamps.
    pub first: Option<String>,
    pub last: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct FileJson {
    pub file: String,
    pub format: Option<&'static str>,
    #[serde(flatten)]
    pub lines: LineCounts,
    /// "502" → count.
    pub codes: BTreeMap<String, u64>,
    pub problem: Option<String>,
    pub unreadable: bool,
}

#[derive(Debug, Serialize)]
pub struct SliceJson {
    pub start: String,
    pub seconds: i64,
    pub statuses: u64,
    #[serde(rename = "4xx")]
    pub client_errors: u64,
    #[serde(rename = "5xx")]
    pub server_errors: u64,
}

#[derive(Debug, Serialize)]
pub struct RejectedJson {
    pub reason: String,
    pub count: u64,
    pub example: String,
    pub location: String,
}

#[derive(Debug, Serialize)]
pub struct TopJson {
    pub value: String,
    pub count: u64,
    /// The count may be this much too high (0: exact).
    pub error: u64,
}

/// One element of `codes`.
#[derive(Debug, Serialize)]
pub struct CodeJson {
    pub code: u16,
    pub count: u64,
    /// Of the lines that held a status, 0 to 1.
    pub share: f64,
    /// Source of the meaning it was counted as; null when the catalogue lacks the number.
    pub source: Option<String>,
    pub phrase: Option<String>,
    /// Counts over the log's span, in `SPARK_CELLS` slices at most; empty without timestamps.
    pub over_time: Vec<u64>,
    pub sparkline: String,
    /// "target" or "origin" → status behind ("-" for none) → count.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub upstream: BTreeMap<&'static str, BTreeMap<String, u64>>,
    /// Signal kind → value → count.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub signals: BTreeMap<&'static str, BTreeMap<String, u64>>,
    /// "targets", "paths", "hosts", "clients" → most frequent values (with --top or --code).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub top: BTreeMap<&'static str, Vec<TopJson>>,
}

fn share_of(count: u64, total: u64) -> f64 {
    if total == 0 { 0.0 } else { count as f64 / total as f64 }
}

fn code_map(codes: &[u64]) -> BTreeMap<String, u64> {
    codes.iter().enumerate().filter(|(_, n)| **n > 0).map(|(code, n)| (format!("{code:03}"), *n)).collect()
}

fn file_json(file: &FileReport) -> FileJson {
    FileJson {
        file: file.label.clone(),
        format: file.format,
        lines: LineCounts::from(|field| field(file)),
        codes: code_map(&file.codes),
        problem: file.problem.clone(),
        unreadable: file.unreadable,
    }
}

fn code_json(report: &Report, catalogue: &Catalogue, index: usize, row: &Row, top: usize) -> CodeJson {
    let tally = &report.tally;
    let entry = row.meaning.map(|i| &catalogue.entries()[i]);
    let over_time = tally.timeline.cells(index, SPARK_CELLS);
    let mut upstream: BTreeMap<&'static str, BTreeMap<String, u64>> = BTreeMap::new();
    for ((origin, status), count) in &row.upstream {
        *upstream.entry(origin.upstream_label()).or_default().entry(status_label(*status)).or_default() += count;
    }
    let mut signals: BTreeMap<&'static str, BTreeMap<String, u64>> = BTreeMap::new();
    for ((kind, value), count) in &row.signals {
        *signals.entry(kind.key()).or_default().entry(value.clone()).or_default() += count;
    }
    let mut tops: BTreeMap<&'static str, Vec<TopJson>> = BTreeMap::new();
    if let Some(fields) = row.top.as_ref().filter(|_| top > 0) {
        for (name, values) in fields.fields() {
            let shown: Vec<TopJson> = values
                .top(top)
                .iter()
                .map(|e| TopJson {
                    value: String::from_utf8_lossy(&e.value).into_owned(),
                    count: e.count,
                    error: e.error,
                })
                .collect();
            if !shown.is_empty() {
                tops.insert(name, shown);
            }
        }
    }
    CodeJson {
        code: row.code,
        count: row.count,
        share: share_of(row.count, tally.counted),
        source: entry.map(|e| e.source.to_string()),
        phrase: entry.map(|e| e.phrase.to_string()),
        sparkline: sparkline(&over_time),
        over_time,
        upstream,
        signals,
        top: tops,
    }
}

pub fn to_json(report: &Report, catalogue: &Catalogue, top: usize) -> TallyJson {
    let tally = &report.tally;
    let classes = (0..6)
        .filter(|&class| tally.classes[class] > 0)
        .map(|class| (if class == 0 { "000".to_string() } else { format!("{class}xx") }, tally.classes[class]))
        .collect();
    let span = tally.timeline.span();
    TallyJson {
        totals: Totals {
            lines: LineCounts {
                counted: tally.counted,
                not_understood: tally.rejected_lines(),
                ..LineCounts::from(|field| report.sum(field))
            },
            classes,
            rate_4xx: share_of(tally.classes[4], tally.counted),
            rate_5xx: share_of(tally.classes[5], tally.counted),
            first: span.map(|(first, _)| format_minute(first)),
            last: span.map(|(_, last)| format_minute(last)),
        },
        files: report.files.iter().map(file_json).collect(),
        over_time: slices(tally)
            .iter()
            .map(|s| SliceJson {
                start: format_minute(s.start),
                seconds: s.seconds,
                statuses: s.classes.iter().sum(),
                client_errors: s.classes[4],
                server_errors: s.classes[5],
            })
            .collect(),
        not_understood: tally
            .rejected()
            .iter()
            .map(|r| RejectedJson {
                reason: r.reason(),
                count: r.count,
                example: r.example.clone(),
                location: r.location(),
            })
            .collect(),
        codes: tally.rows().into_iter().map(|(index, row)| code_json(report, catalogue, index, row, top)).collect(),
    }
}
