//! The tally as text for people and as JSON for scripts.

use std::io::{self, Write};

use crate::catalogue::Catalogue;

use super::Report;
use super::count::Row;
use super::count::printable;
use super::formats::time::format_minute;
use super::formats::{Origin, SignalKind};
use super::signals;
use super::timeline::scaled_sparkline;

pub mod json;

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

pub(crate) fn status_label(status: Option<u16>) -> String {
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
        SignalKind::AlbErrorReason => "error reason",
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

/// "1 line", "2 lines".
pub fn lines_word(n: u64) -> String {
    format!("{} {}", thousands(n), if n == 1 { "line" } else { "lines" })
}

/// "42 s", "5 min", "2 h", "3 d": a slice width as people say it.
pub fn duration(seconds: i64) -> String {
    match seconds {
        s if s < 60 || (s < 120 && s % 60 != 0) => format!("{s} s"),
        s if s < 2 * 3600 => format!("{} min", (s + 30) / 60),
        s if s < 2 * 86_400 => format!("{} h", (s + 1800) / 3600),
        s => format!("{} d", (s + 43_200) / 86_400),
    }
}

/// What else a file's lines were, beside counted: ", 3 blank, 4 headers".
fn other_lines(parts: [(u64, &str); 6]) -> String {
    parts.iter().filter(|(n, _)| *n > 0).map(|(n, what)| format!(", {} {what}", thousands(*n))).collect()
}

fn file_line(file: &super::FileReport) -> String {
    let mut text = format!("{}, {} counted", lines_word(file.lines), thousands(file.counted));
    text.push_str(&other_lines([
        (file.blank, "blank"),
        (file.headers, "headers"),
        (file.rejected, "not understood"),
        (file.binary_lines, "binary, skipped"),
        (file.outside_window, "outside the time window"),
        (file.other_codes, "of other codes"),
    ]));
    if file.nul_bytes > 0 {
        text.push_str(&format!(", {} NUL bytes skipped", thousands(file.nul_bytes)));
    }
    text
}

/// The 4xx and 5xx shares of the counted statuses: "4xx 7.5% · 5xx 17.5%".
pub fn rates(classes: &[u64; 6]) -> String {
    let total: u64 = classes.iter().sum();
    let parts: Vec<String> = (1..=5)
        .filter(|&class| classes[class] > 0 || class >= 4)
        .map(|class| format!("{class}xx {}", share_or_zero(classes[class], total)))
        .collect();
    parts.join(" · ")
}

fn share_or_zero(count: u64, total: u64) -> String {
    if count == 0 { "0%".to_string() } else { share(count, total) }
}

/// "targets: 10.0.0.4:80 (120), 10.0.0.5:80 (~3)": a `~` marks a count that
/// may include values the bounded table forgot.
pub fn top_lines(row: &Row, n: usize) -> Vec<String> {
    let Some(top) = &row.top else { return Vec::new() };
    top.fields()
        .iter()
        .filter(|(_, values)| !values.is_empty() && n > 0)
        .map(|(name, values)| {
            let parts: Vec<String> = values
                .top(n)
                .iter()
                .map(|e| {
                    let approx = if e.error > 0 { "~" } else { "" };
                    format!("{} ({approx}{})", printable(&e.value, 60), thousands(e.count))
                })
                .collect();
            format!("{name}: {}", parts.join(", "))
        })
        .collect()
}

pub fn write_text(out: &mut impl Write, report: &Report, catalogue: &Catalogue, top: usize) -> io::Result<()> {
    let tally = &report.tally;
    for file in &report.files {
        if let Some(format) = file.format {
            writeln!(out, "{}: {format}, {}", file.label, file_line(file))?;
        }
    }
    let mut summary = format!("{}, {} with a status", lines_word(report.sum(|f| f.lines)), thousands(tally.counted));
    summary.push_str(&other_lines([
        (report.sum(|f| f.blank), "blank"),
        (report.sum(|f| f.headers), "headers"),
        (tally.rejected_lines(), "not understood"),
        (report.sum(|f| f.binary_lines), "binary, skipped"),
        (report.sum(|f| f.outside_window), "outside the time window"),
        (report.sum(|f| f.other_codes), "of other codes"),
    ]));
    if let Some((first, last)) = tally.timeline.span() {
        summary.push_str(&format!(", {} to {} UTC", format_minute(first), format_minute(last)));
    }
    writeln!(out, "{summary}")?;
    if tally.counted > 0 {
        writeln!(out, "{}", rates(&tally.classes))?;
    }
    writeln!(out)?;

    let rows = tally.rows();
    let timed = tally.timeline.span().is_some();
    let count_width = rows.iter().map(|(_, r)| thousands(r.count).len()).max().unwrap_or(5).max(5);
    let spark_width = if timed { SPARK_CELLS + 2 } else { 0 };
    let cells: Vec<Vec<u64>> = rows.iter().map(|(index, _)| tally.timeline.cells(*index, SPARK_CELLS)).collect();
    let scale = cells.iter().flatten().copied().max().unwrap_or(0);
    if !rows.is_empty() {
        let over_time = if timed { format!("{:<spark_width$}", "over time") } else { String::new() };
        writeln!(out, "code  {:>count_width$}   share  {over_time}meaning", "count")?;
    }
    let indent = " ".repeat(6 + count_width + 2 + 6 + 2);
    for ((_, row), cells) in rows.iter().zip(&cells) {
        let spark = if timed { format!("{:<spark_width$}", scaled_sparkline(cells, scale)) } else { String::new() };
        writeln!(
            out,
            "{:03}   {:>count_width$}  {:>6}  {spark}{}",
            row.code,
            thousands(row.count),
            share(row.count, tally.counted),
            meaning_text(catalogue, row)
        )?;
        for detail in upstream_lines(row).into_iter().chain(signal_lines(row)).chain(top_lines(row, top)) {
            writeln!(out, "{indent}{detail}")?;
        }
    }
    if let (Some((start, width, len)), Some(first)) = (tally.timeline.grid(), cells.first().filter(|c| c.len() > 1)) {
        let slice = width * len as i64 / first.len().max(1) as i64;
        writeln!(
            out,
            "\nover time: {} slices of {} from {} UTC, one scale for every row",
            first.len(),
            duration(slice),
            format_minute(start)
        )?;
    }
    write_signal_totals(out, tally, catalogue, count_width)?;
    write_minutes(out, tally)?;
    write_rejected(out, report)
}

fn write_signal_totals(
    out: &mut impl Write,
    tally: &super::count::Tally,
    catalogue: &Catalogue,
    count_width: usize,
) -> io::Result<()> {
    let signal_totals = tally.signal_totals();
    let value_width = signal_totals.iter().map(|((_, v), _)| v.chars().count()).max().unwrap_or(0).max(6);
    let mut current: Option<SignalKind> = None;
    for ((kind, value), count) in &signal_totals {
        if current != Some(*kind) {
            writeln!(out, "\n{}", kind.title())?;
            current = Some(*kind);
        }
        let description = signals::describe(*kind, value, catalogue).unwrap_or_default();
        writeln!(out, "  {value:<value_width$} {:>count_width$}  {description}", thousands(*count))?;
    }
    Ok(())
}

/// Rows of the per-minute table at most; longer spans group minutes.
pub const MINUTE_ROWS: usize = 30;

/// One row of the error rates over time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slice {
    pub start: i64,
    pub seconds: i64,
    /// Statuses per class, as `Tally::classes`.
    pub classes: [u64; 6],
}

/// The per-minute class counts, grouped into at most `MINUTE_ROWS` slices of
/// whole minutes; empty without timestamps.
pub fn slices(tally: &super::count::Tally) -> Vec<Slice> {
    let timeline = &tally.minutes.0;
    let Some((start, width, len)) = timeline.grid() else { return Vec::new() };
    let group = len.div_ceil(MINUTE_ROWS);
    let series: Vec<Vec<u64>> = (0..6).map(|class| timeline.series(class)).collect();
    (0..len.div_ceil(group))
        .map(|slice| {
            let mut classes = [0; 6];
            for (class, counts) in series.iter().enumerate() {
                classes[class] = counts[slice * group..((slice + 1) * group).min(len)].iter().sum();
            }
            Slice { start: start + (slice * group) as i64 * width, seconds: group as i64 * width, classes }
        })
        .collect()
}

fn write_minutes(out: &mut impl Write, tally: &super::count::Tally) -> io::Result<()> {
    let slices = slices(tally);
    if slices.len() < 2 {
        return Ok(());
    }
    let most_errors = slices.iter().map(|s| s.classes[5]).max().unwrap_or(0);
    let totals: Vec<u64> = slices.iter().map(|s| s.classes.iter().sum()).collect();
    let width = totals.iter().map(|t| thousands(*t).len()).max().unwrap_or(1).max(6);
    writeln!(
        out,
        "\n{:<16}  {:>width$}     4xx     5xx",
        format!("per {} (UTC)", duration(slices[0].seconds)),
        "status"
    )?;
    for (slice, total) in slices.iter().zip(totals) {
        writeln!(
            out,
            "{:<16}  {:>width$}  {:>6}  {:>6}  {}",
            format_minute(slice.start),
            thousands(total),
            share_or_zero(slice.classes[4], total),
            share_or_zero(slice.classes[5], total),
            scaled_sparkline(&[slice.classes[5]], most_errors).trim_end(),
        )?;
    }
    Ok(())
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
        writeln!(out, "             e.g. {}: {}", group.location(), group.example)?;
    }
    Ok(())
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
