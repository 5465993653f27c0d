//! The tally as text for people and as JSON for scripts.

use std::io::{self, Write};

use std::collections::BTreeMap;

use serde::Serialize;

use crate::catalogue::Catalogue;

use super::Report;
use super::count::Row;
use super::formats::time::format_minute;
use super::formats::{Origin, SignalKind};
use super::signals;
use super::timeline::sparkline;

/// Cells in a sparkline: the log's span in this many slices.
pub const SPARK_CELLS: usize = 12;

/// 1204 → "1,204".
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// "3.1%", "<0.1%", "100%".
pub fn share(count: u64, total: u64) -> String {
    if total == 0 {
        return String::new();
    }
    let percent = count as f64 * 100.0 / total as f64;
    match percent {
        p if p >= 99.95 && count == total => "100%".to_string(),
        p if p < 0.05 => "<0.1%".to_string(),
        p => format!("{p:.1}%"),
    }
}

/// "Bad Gateway (RFC 9110)", or a note that the catalogue lacks the number.
pub fn meaning_text(catalogue: &Catalogue, row: &Row) -> String {
    match row.meaning {
        Some(index) => {
            let entry = &catalogue.entries()[index];
            format!("{} ({})", entry.phrase, entry.source)
        }
        None => "not in the catalogue".to_string(),
    }
}

fn status_label(status: Option<u16>) -> String {
    status.map_or("-".to_string(), |code| format!("{code:03}"))
}

/// "target said: - (1,100), 502 (104)", one string per origin that logged a second status.
pub fn upstream_lines(row: &Row) -> Vec<String> {
    let mut origins: Vec<Origin> = row.upstream.iter().map(|((origin, _), _)| *origin).collect();
    origins.sort();
    origins.dedup();
    origins
        .into_iter()
        .map(|origin| {
            let mut parts: Vec<(&Option<u16>, u64)> =
                row.upstream.iter().filter(|((o, _), _)| *o == origin).map(|((_, s), n)| (s, *n)).collect();
            parts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
            let parts: Vec<String> =
                parts.iter().map(|(s, n)| format!("{} ({})", status_label(**s), thousands(*n))).collect();
            format!("{} said: {}", origin.upstream_label(), parts.join(", "))
        })
        .collect()
}

fn signal_label(kind: SignalKind) -> &'static str {
    match kind {
        SignalKind::HaProxyTermination => "termination",
        SignalKind::EnvoyFlag => "flags",
        SignalKind::CloudFrontResult => "edge result",
    }
}

/// "flags: UF (120), URX (3)", one string per signal kind on the row.
pub fn signal_lines(row: &Row) -> Vec<String> {
    let mut kinds: Vec<SignalKind> = row.signals.iter().map(|((kind, _), _)| *kind).collect();
    kinds.sort();
    kinds.dedup();
    kinds
        .into_iter()
        .map(|kind| {
            let mut parts: Vec<(&str, u64)> =
                row.signals.iter().filter(|((k, _), _)| *k == kind).map(|((_, v), n)| (v.as_str(), *n)).collect();
            parts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
            let parts: Vec<String> = parts.iter().map(|(v, n)| format!("{v} ({})", thousands(*n))).collect();
            format!("{}: {}", signal_label(kind), parts.join(", "))
        })
        .collect()
}

pub fn write_text(out: &mut impl Write, report: &Report, catalogue: &Catalogue) -> io::Result<()> {
    let tally = &report.tally;
    for file in &report.files {
        if let Some(format) = file.format {
            let lines = if file.lines == 1 { "line" } else { "lines" };
            writeln!(
                out,
                "{}: {format}, {} {lines}, {} counted",
                file.label,
                thousands(file.lines),
                thousands(file.counted)
            )?;
        }
    }
    let mut summary = format!("{} lines, {} with a status", thousands(report.lines()), thousands(tally.counted));
    if let Some((first, last)) = tally.timeline.span() {
        summary.push_str(&format!(", {} to {} UTC", format_minute(first), format_minute(last)));
    }
    writeln!(out, "{summary}\n")?;

    let rows = tally.rows();
    let timed = tally.timeline.span().is_some();
    let count_width = rows.iter().map(|(_, r)| thousands(r.count).len()).max().unwrap_or(5).max(5);
    let spark_width = if timed { SPARK_CELLS + 2 } else { 0 };
    if !rows.is_empty() {
        let over_time = if timed { format!("{:<spark_width$}", "over time") } else { String::new() };
        writeln!(out, "code  {:>count_width$}   share  {over_time}meaning", "count")?;
    }
    let indent = " ".repeat(6 + count_width + 2 + 6 + 2);
    for (index, row) in &rows {
        let spark = if timed {
            format!("{:<spark_width$}", sparkline(&tally.timeline.cells(*index, SPARK_CELLS)))
        } else {
            String::new()
        };
        writeln!(
            out,
            "{:03}   {:>count_width$}  {:>6}  {spark}{}",
            row.code,
            thousands(row.count),
            share(row.count, tally.counted),
            meaning_text(catalogue, row)
        )?;
        for detail in upstream_lines(row).into_iter().chain(signal_lines(row)) {
            writeln!(out, "{indent}{detail}")?;
        }
    }

    let signal_totals = tally.signal_totals();
    let mut current: Option<SignalKind> = None;
    for ((kind, value), count) in &signal_totals {
        if current != Some(*kind) {
            writeln!(out, "\n{}", kind.title())?;
            current = Some(*kind);
        }
        let description = signals::describe(*kind, value).unwrap_or_default();
        writeln!(out, "  {value:<6} {:>count_width$}  {description}", thousands(*count))?;
    }
    write_rejected(out, report)
}

/// The not-understood lines: how many, why, and one example of each reason.
pub fn write_rejected(out: &mut impl Write, report: &Report) -> io::Result<()> {
    let tally = &report.tally;
    let rejected = tally.rejected_lines();
    if rejected == 0 {
        return Ok(());
    }
    let plural = if rejected == 1 { "line" } else { "lines" };
    writeln!(out, "\n{} {plural} not understood:", thousands(rejected))?;
    for group in tally.rejected() {
        writeln!(out, "  {:>9}  {}", thousands(group.count), group.reason())?;
        writeln!(out, "             e.g. {}: {}", group.location, group.example)?;
    }
    Ok(())
}

/// One element of the `--json` array.
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
}

/// The JSON array: one object per row, most frequent first.
pub fn to_json(report: &Report, catalogue: &Catalogue) -> Vec<CodeJson> {
    let tally = &report.tally;
    tally
        .rows()
        .into_iter()
        .map(|(index, row)| {
            let entry = row.meaning.map(|i| &catalogue.entries()[i]);
            let over_time = tally.timeline.cells(index, SPARK_CELLS);
            let mut upstream: BTreeMap<&'static str, BTreeMap<String, u64>> = BTreeMap::new();
            for ((origin, status), count) in &row.upstream {
                *upstream.entry(origin.upstream_label()).or_default().entry(status_label(*status)).or_default() +=
                    count;
            }
            let mut signals: BTreeMap<&'static str, BTreeMap<String, u64>> = BTreeMap::new();
            for ((kind, value), count) in &row.signals {
                *signals.entry(kind.key()).or_default().entry(value.clone()).or_default() += count;
            }
            CodeJson {
                code: row.code,
                count: row.count,
                share: if tally.counted == 0 { 0.0 } else { row.count as f64 / tally.counted as f64 },
                source: entry.map(|e| e.source.clone()),
                phrase: entry.map(|e| e.phrase.clone()),
                sparkline: sparkline(&over_time),
                over_time,
                upstream,
                signals,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_easily() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(1204), "1,204");
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(share(31, 1000), "3.1%");
        assert_eq!(share(1, 100_000), "<0.1%");
        assert_eq!(share(5, 5), "100%");
    }
}
