//! The tally itself: one row per (code, meaning), with its count, when it
//! happened, the status behind it and the signals beside it; and the lines that
//! were not understood, grouped by why, with one example each.

use crate::catalogue::Catalogue;

use super::formats::{Origin, Record, Reject, SignalKind, Upstream};
use super::timeline::{Minutes, Timeline};
use super::top::Top;

/// Characters of a not-understood line kept as its example.
const EXAMPLE_CHARS: usize = 160;
const NO_ROW: u32 = u32::MAX;
const CODES: usize = 1000;

/// One status code as one meaning.
#[derive(Debug, Clone)]
pub struct Row {
    pub code: u16,
    /// Catalogue index of the meaning counted; `None` for a number the catalogue lacks.
    pub meaning: Option<usize>,
    pub count: u64,
    /// Per (origin, status behind), for formats that log a second status.
    pub upstream: Vec<((Origin, Upstream), u64)>,
    /// Per (kind, value): `sH`, `UF`, `Error`.
    pub signals: Vec<((SignalKind, String), u64)>,
    /// Where the requests went, when the tally keeps detail.
    pub top: Option<Box<Where>>,
}

/// The most frequent values of each field a drill-down shows.
#[derive(Debug, Clone, Default)]
pub struct Where {
    pub paths: Top,
    pub hosts: Top,
    pub targets: Top,
    pub clients: Top,
}

impl Where {
    /// Adds the top values of the input's next part (see `Top::merge`).
    fn merge(&mut self, later: Where) {
        self.paths.merge(later.paths);
        self.hosts.merge(later.hosts);
        self.targets.merge(later.targets);
        self.clients.merge(later.clients);
    }

    /// (name, values) for each field, in the order they are shown.
    pub fn fields(&self) -> [(&'static str, &Top); 4] {
        [("targets", &self.targets), ("paths", &self.paths), ("hosts", &self.hosts), ("clients", &self.clients)]
    }
}

impl PartialEq for Row {
    /// Rows are told apart by what they count; the top values follow from it.
    fn eq(&self, other: &Self) -> bool {
        (self.code, self.meaning, self.count, &self.upstream, &self.signals)
            == (other.code, other.meaning, other.count, &other.upstream, &other.signals)
    }
}

impl Eq for Row {}

/// Why lines were not counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Problem {
    Parse(Reject),
    TooLong,
}

/// Lines of one format left out for one reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejected {
    pub format: &'static str,
    pub problem: Problem,
    pub count: u64,
    /// The first such line, shortened and with control characters escaped.
    pub example: String,
    /// Where the example came from: the input's label and line number.
    pub file: String,
    pub line: u64,
}

impl Rejected {
    /// "access.log:17".
    pub fn location(&self) -> String {
        format!("{}:{}", self.file, self.line)
    }

    pub fn reason(&self) -> String {
        match self.problem {
            Problem::Parse(Reject::Layout) => format!("does not look like {}", self.format),
            Problem::Parse(Reject::Status) => format!("{}, but no plausible status (100–599)", self.format),
            Problem::TooLong => format!("longer than {} MiB, skipped", super::reader::MAX_LINE >> 20),
        }
    }
}

#[derive(Debug, Default)]
pub struct Tally {
    rows: Vec<Row>,
    /// Row of each (origin, code), or `NO_ROW`: the catalogue is asked once per pair.
    row_of: Vec<u32>,
    pub timeline: Timeline,
    /// Statuses per minute by class.
    pub minutes: Minutes,
    /// Statuses per class (index 1–5 for 1xx–5xx, 0 for 000).
    pub classes: [u64; 6],
    rejected: Vec<Rejected>,
    /// Lines that held a status.
    pub counted: u64,
    /// Keep the top paths, hosts, targets and clients per row.
    pub detail: bool,
}

/// The catalogue entry a number means when `origin` logged it: the first
/// meaning from one of the origin's preferred sources, in their order (the
/// software known to write such logs), else one a team's overlay defines (a
/// team defines a number because its own systems send it), else the number's
/// first meaning.
pub fn meaning_of(catalogue: &Catalogue, code: u16, origin: Origin) -> Option<usize> {
    let meanings: Vec<usize> = catalogue.indices_of_code(code).collect();
    let entries = catalogue.entries();
    origin
        .preferred_sources()
        .iter()
        .find_map(|source| meanings.iter().copied().find(|&i| entries[i].source == *source))
        .or_else(|| meanings.iter().copied().find(|&i| entries[i].origin.is_some()))
        .or_else(|| meanings.first().copied())
}

impl Tally {
    /// Counts a record logged at `time` (its own, or its line prefix's).
    pub fn add(&mut self, record: &Record<'_>, time: Option<i64>, catalogue: &Catalogue) {
        let row = self.row_for(record.status, record.origin, catalogue);
        self.counted += 1;
        let entry = &mut self.rows[row];
        entry.count += 1;
        if let Some(upstream) = record.upstream {
            add_to(&mut entry.upstream, (record.origin, upstream));
        }
        if let Some((kind, value)) = record.signal {
            match kind {
                SignalKind::EnvoyFlag => {
                    for flag in value.split(|&b| b == b',').filter(|f| !f.is_empty()) {
                        add_signal(&mut entry.signals, kind, flag);
                    }
                }
                _ => add_signal(&mut entry.signals, kind, value),
            }
        }
        if self.detail {
            let top = entry.top.get_or_insert_with(Box::default);
            let detail = &record.detail;
            for (field, top) in [
                (&detail.path, &mut top.paths),
                (&detail.host, &mut top.hosts),
                (&detail.target, &mut top.targets),
                (&detail.client, &mut top.clients),
            ] {
                if let Some(value) = field {
                    top.add(value);
                }
            }
        }
        let class = usize::from(record.status / 100);
        self.classes[class] += 1;
        if let Some(time) = time {
            self.timeline.add(row, time);
            self.minutes.0.add(class, time);
        }
    }

    fn row_for(&mut self, code: u16, origin: Origin, catalogue: &Catalogue) -> usize {
        if self.row_of.is_empty() {
            self.row_of = vec![NO_ROW; Origin::ALL.len() * CODES];
        }
        let key = origin.index() * CODES + usize::from(code);
        if self.row_of[key] != NO_ROW {
            return self.row_of[key] as usize;
        }
        let meaning = meaning_of(catalogue, code, origin);
        let row = match self.rows.iter().position(|r| r.code == code && r.meaning == meaning) {
            Some(row) => row,
            None => {
                self.rows.push(Row { code, meaning, count: 0, upstream: Vec::new(), signals: Vec::new(), top: None });
                self.rows.len() - 1
            }
        };
        self.row_of[key] = row as u32;
        row
    }

    /// A line not understood: line `line` of `file`, `text`.
    pub fn reject(&mut self, format: &'static str, problem: Problem, text: &[u8], file: &str, line: u64) {
        match self.rejected.iter_mut().find(|r| r.format == format && r.problem == problem) {
            Some(group) => group.count += 1,
            None => self.rejected.push(Rejected {
                format,
                problem,
                count: 1,
                example: example(text),
                file: file.to_string(),
                line,
            }),
        }
    }

    /// Adds the tally of the input's next part, read on its own from line
    /// `lines_before + 1`: the result is what reading both parts in turn
    /// gives, but for the top values, whose summaries are merged (see
    /// `Top::merge`). Rows, upstream statuses, signals and groups of lines not
    /// understood are kept in the order they were first seen.
    pub fn merge(&mut self, later: Tally, lines_before: u64) {
        let mut row_map = Vec::with_capacity(later.rows.len());
        for row in later.rows {
            match self.rows.iter().position(|r| r.code == row.code && r.meaning == row.meaning) {
                Some(at) => {
                    let mine = &mut self.rows[at];
                    mine.count += row.count;
                    for (key, count) in row.upstream {
                        add_n(&mut mine.upstream, key, count);
                    }
                    for (key, count) in row.signals {
                        add_n(&mut mine.signals, key, count);
                    }
                    match (&mut mine.top, row.top) {
                        (Some(mine), Some(theirs)) => mine.merge(*theirs),
                        (mine @ None, theirs) => *mine = theirs,
                        (Some(_), None) => {}
                    }
                    row_map.push(at);
                }
                None => {
                    row_map.push(self.rows.len());
                    self.rows.push(row);
                }
            }
        }
        self.timeline.merge(&later.timeline, |row| row_map[row]);
        self.minutes.0.merge(&later.minutes.0, |class| class);
        for (mine, theirs) in self.classes.iter_mut().zip(later.classes) {
            *mine += theirs;
        }
        for group in later.rejected {
            match self.rejected.iter_mut().find(|r| r.format == group.format && r.problem == group.problem) {
                Some(mine) => mine.count += group.count,
                None => self.rejected.push(Rejected { line: group.line + lines_before, ..group }),
            }
        }
        self.counted += later.counted;
    }

    /// Rows, most frequent first; ties in code order.
    pub fn rows(&self) -> Vec<(usize, &Row)> {
        let mut rows: Vec<(usize, &Row)> = self.rows.iter().enumerate().collect();
        rows.sort_by(|(_, a), (_, b)| b.count.cmp(&a.count).then(a.code.cmp(&b.code)).then(a.meaning.cmp(&b.meaning)));
        rows
    }

    /// Not-understood groups, largest first.
    pub fn rejected(&self) -> Vec<&Rejected> {
        let mut groups: Vec<&Rejected> = self.rejected.iter().collect();
        groups.sort_by(|a, b| b.count.cmp(&a.count).then(a.problem.cmp(&b.problem)));
        groups
    }

    pub fn rejected_lines(&self) -> u64 {
        self.rejected.iter().map(|r| r.count).sum()
    }

    /// Signal totals over every row, per kind, most frequent first.
    pub fn signal_totals(&self) -> Vec<((SignalKind, String), u64)> {
        let mut totals: Vec<((SignalKind, String), u64)> = Vec::new();
        for row in &self.rows {
            for (key, count) in &row.signals {
                match totals.iter_mut().find(|(k, _)| k == key) {
                    Some((_, total)) => *total += count,
                    None => totals.push((key.clone(), *count)),
                }
            }
        }
        totals.sort_by(|(a, x), (b, y)| a.0.cmp(&b.0).then(y.cmp(x)).then(a.1.cmp(&b.1)));
        totals
    }
}

fn add_to<K: PartialEq>(counts: &mut Vec<(K, u64)>, key: K) {
    add_n(counts, key, 1);
}

fn add_n<K: PartialEq>(counts: &mut Vec<(K, u64)>, key: K, n: u64) {
    match counts.iter_mut().find(|(k, _)| *k == key) {
        Some((_, count)) => *count += n,
        None => counts.push((key, n)),
    }
}

fn add_signal(signals: &mut Vec<((SignalKind, String), u64)>, kind: SignalKind, value: &[u8]) {
    // Values are kept as printed (cut, escaped); compare raw bytes first, which
    // is what almost every line needs, then the printed form of odd values, so
    // each distinct printed value is listed once.
    if let Some((_, count)) = signals.iter_mut().find(|((k, v), _)| *k == kind && v.as_bytes() == value) {
        *count += 1;
        return;
    }
    let shown = printable(value, 32);
    match signals.iter_mut().find(|((k, v), _)| *k == kind && *v == shown) {
        Some((_, count)) => *count += 1,
        None => signals.push(((kind, shown), 1)),
    }
}

/// Text safe to print: invalid UTF-8 replaced, control characters escaped, cut
/// to `max` characters.
pub fn printable(bytes: &[u8], max: usize) -> String {
    let text = String::from_utf8_lossy(bytes);
    let mut out = String::new();
    for (n, c) in text.chars().enumerate() {
        if n == max {
            out.push('…');
            break;
        }
        if c.is_control() { out.extend(c.escape_default()) } else { out.push(c) }
    }
    out
}

fn example(line: &[u8]) -> String {
    printable(line, EXAMPLE_CHARS)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(status: u16, origin: Origin) -> Record<'static> {
        Record::new(status, origin, None)
    }

    #[test]
    fn an_odd_signal_value_is_listed_once_however_often_it_occurs() {
        let long = "X".repeat(40);
        let mut signals = Vec::new();
        for _ in 0..1_000 {
            add_signal(&mut signals, SignalKind::EnvoyFlag, long.as_bytes());
            add_signal(&mut signals, SignalKind::EnvoyFlag, b"U\x01F");
            add_signal(&mut signals, SignalKind::EnvoyFlag, b"UF");
        }
        assert_eq!(signals.len(), 3, "{signals:?}");
        assert!(signals.iter().all(|(_, count)| *count == 1_000));
    }

    #[test]
    fn a_number_means_what_its_source_says() {
        let catalogue = Catalogue::embedded().unwrap();
        let source = |code, origin| meaning_of(&catalogue, code, origin).map(|i| catalogue.entries()[i].source.clone());
        assert_eq!(source(499, Origin::WebServer).as_deref(), Some("nginx"));
        assert_eq!(source(530, Origin::Cloudflare).as_deref(), Some("Cloudflare"));
        assert_eq!(source(460, Origin::AwsElb).as_deref(), Some("AWS ELB"));
        // Whatever else 000 means in the catalogue, in an ALB log it is the ALB's.
        assert_eq!(source(0, Origin::AwsElb).as_deref(), Some("AWS ELB"));
        assert_eq!(source(502, Origin::AwsElb).as_deref(), Some("RFC 9110"));
        // Elsewhere 000 (Envoy's 0 too) is the log convention for "no response was sent".
        for origin in [Origin::Envoy, Origin::CloudFront, Origin::Cloudflare, Origin::WebServer, Origin::HaProxy] {
            assert_eq!(source(0, origin).as_deref(), Some("Log convention"), "{origin:?}");
        }
        // Vercel's 494 and 508 are Vercel's, not what an nginx log means.
        assert_eq!(source(494, Origin::WebServer).as_deref(), Some("nginx"));
        assert_eq!(source(508, Origin::WebServer).as_deref(), Some("WebDAV"));
        assert_eq!(source(777, Origin::Json), None);
    }

    #[test]
    fn a_number_a_team_defines_means_the_teams_meaning_unless_the_logs_writer_has_one() {
        let base = Catalogue::embedded().unwrap();
        let team = |code: u16, template: &crate::catalogue::Entry| {
            let mut entry = template.clone();
            entry.code = code;
            entry.source = "Acme API gateway".into();
            entry.origin = Some(crate::catalogue::Origin { label: "acme".into(), file: "acme.toml".into() });
            entry
        };
        let template = base.entries()[base.position(599, "Proxy convention").unwrap()].clone();
        let catalogue = base.edited(|entries| entries.extend([team(599, &template), team(499, &template)]));
        let source = |code, origin| meaning_of(&catalogue, code, origin).map(|i| catalogue.entries()[i].source.clone());
        // 599's catalogue meaning is a convention no log writer claims: the team's wins.
        assert_eq!(source(599, Origin::WebServer).as_deref(), Some("Acme API gateway"));
        assert_eq!(source(599, Origin::Json).as_deref(), Some("Acme API gateway"));
        // An nginx log's 499 is still nginx's.
        assert_eq!(source(499, Origin::WebServer).as_deref(), Some("nginx"));
        assert_eq!(source(499, Origin::Json).as_deref(), Some("Acme API gateway"));
    }

    #[test]
    fn the_same_meaning_from_two_origins_is_one_row() {
        let catalogue = Catalogue::embedded().unwrap();
        let mut tally = Tally::default();
        tally.add(&record(502, Origin::WebServer), None, &catalogue);
        tally.add(&record(502, Origin::AwsElb), None, &catalogue);
        tally.add(&record(499, Origin::WebServer), None, &catalogue);
        let rows = tally.rows();
        assert_eq!(rows.len(), 2);
        assert_eq!((rows[0].1.code, rows[0].1.count), (502, 2));
    }

    #[test]
    fn examples_are_printable() {
        assert_eq!(printable(b"a\x1b[31mb\xff", 40), "a\\u{1b}[31mb\u{fffd}");
        assert_eq!(printable(b"abcdef", 3), "abc…");
    }
}
