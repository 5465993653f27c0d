//! `tally --follow`: count a log as it grows and print a one-line summary at
//! a steady pace. A thread reads the input (a file, as `tail -F` does, across
//! rotation and truncation; or standard input as it arrives) and sends chunks
//! down a channel; this thread splits lines, counts them, and prints when the
//! pace says so. The browser's `Follower` counts the same way on a thread of
//! its own and hands each new `LogCounts` to the event loop. Waiting is
//! blocking (`recv`, and a sleep between polls of a file at its end), so an
//! idle follow costs next to nothing.

use std::fmt;
use std::io::{self, Write};
use std::path::PathBuf;
use std::sync::mpsc::RecvTimeoutError;
use std::time::{Duration, Instant};

use memchr::memchr;

use crate::catalogue::Catalogue;

use super::browse::LogCounts;
use super::formats::DETECTION_LINES;
use super::output::{lines_word, rates, thousands};
use super::reader::{Input, MAX_LINE};
use super::tail::{Event, Source, source, stdin_stream};
use super::{FileReport, Options, Reading, Report, Resume, Sink};

/// Codes named in a summary line.
const SUMMARY_CODES: usize = 6;
/// The browser gets new counts at most this often while lines arrive: often
/// enough to watch them move, seldom enough to cost nothing next to the reading.
const PUBLISH: Duration = Duration::from_millis(250);

/// How a follow prints: a summary every `every`, and the full tally with
/// `top` values per field when the input ends.
#[derive(Debug, Clone, Copy)]
pub struct Pace {
    pub every: Duration,
    pub top: usize,
}

/// Follows `input`; returns when the input ends (standard input closed) or
/// the reading thread fails.
pub fn run(
    out: &mut impl Write,
    input: &Input,
    options: &Options,
    catalogue: &Catalogue,
    pace: Pace,
) -> io::Result<()> {
    let events = source(input)?.start();
    let mut counter = Counter::new(input.label(), options);
    let every = pace.every;
    let mut next_print = Instant::now() + every;
    let mut printed = None;
    loop {
        let wait = next_print.saturating_duration_since(Instant::now());
        let step = counter.step(events.recv_timeout(wait), options, catalogue);
        if let Some(message) = &step.message {
            writeln!(io::stderr(), "statusbrowse: {}: {message}", counter.file().label)?;
        }
        if step.ended {
            break;
        }
        if Instant::now() >= next_print {
            let state = (counter.file().lines, counter.report.tally.counted);
            if printed != Some(state) {
                writeln!(out, "{}", summary(counter.file(), &counter.report))?;
                out.flush()?;
                printed = Some(state);
            }
            next_print = Instant::now() + every;
        }
    }
    writeln!(out)?;
    super::output::write_text(out, &counter.report, catalogue, pace.top)
}

/// A log followed for the browser: counted off the UI thread, its counts
/// handed over as they change.
pub struct Follower {
    source: Source,
    counter: Counter,
    options: Options,
}

impl fmt::Debug for Follower {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Follower").field("label", &self.counter.file().label).finish_non_exhaustive()
    }
}

impl Follower {
    /// Standard input, counted from its first line.
    pub fn stdin(options: &Options) -> io::Result<Self> {
        let source = Source::Stream(stdin_stream()?);
        Ok(Follower { source, counter: Counter::new(Input::Stdin.label(), options), options: options.clone() })
    }

    /// A file already tallied into `report` (its only file), followed on from
    /// where that reading stopped.
    pub fn resume(path: PathBuf, report: Report, resume: Resume, options: &Options) -> Self {
        let counter = Counter { report, lines: Lines { reading: Some(resume.reading), ..Lines::default() } };
        Follower { source: Source::Tail { path, file: resume.file }, counter, options: options.clone() }
    }

    /// The counts so far.
    pub fn counts(&self, catalogue: &Catalogue) -> LogCounts {
        LogCounts::from_report(&self.counter.report, catalogue)
    }

    /// Reads until the input ends, calling `publish` with new counts at most
    /// every `PUBLISH` and only when something changed; stops early when
    /// `publish` returns false (the browser has closed). Between lines it
    /// blocks: an idle log costs no CPU beyond a file's polls.
    pub fn run(self, catalogue: &Catalogue, mut publish: impl FnMut(LogCounts) -> bool) {
        let Follower { source, mut counter, options } = self;
        let events = source.start();
        let mut changed = false;
        let mut next_publish = Instant::now();
        loop {
            let received = if changed || counter.lines.holds_head() {
                events.recv_timeout(next_publish.saturating_duration_since(Instant::now()))
            } else {
                events.recv().map_err(|_| RecvTimeoutError::Disconnected)
            };
            let step = counter.step(received, &options, catalogue);
            if let Some(message) = step.message.filter(|_| step.ended) {
                counter.file_mut().problem = Some(message);
            }
            changed = true;
            if step.ended || Instant::now() >= next_publish {
                if !publish(LogCounts::from_report(&counter.report, catalogue)) {
                    return;
                }
                changed = false;
                next_publish = Instant::now() + PUBLISH;
            }
            if step.ended {
                return;
            }
        }
    }
}

/// What one event did to a `Counter`.
struct Step {
    /// Worth telling: the file was rotated or truncated, or reading failed.
    message: Option<String>,
    /// The input ended or failed: nothing more will come.
    ended: bool,
}

/// One followed input counted so far: the report (its only file) and the
/// lines not read yet.
struct Counter {
    report: Report,
    lines: Lines,
}

impl Counter {
    fn new(label: String, options: &Options) -> Self {
        let mut report = Report::default();
        report.tally.detail = options.detail;
        report.files.push(FileReport::new(label));
        Counter { report, lines: Lines::default() }
    }

    fn file(&self) -> &FileReport {
        &self.report.files[0]
    }

    fn file_mut(&mut self) -> &mut FileReport {
        &mut self.report.files[0]
    }

    /// Counts what the reading thread sent (or, on a timeout, the lines held
    /// for detection: they waited long enough for more).
    fn step(&mut self, received: Result<Event, RecvTimeoutError>, options: &Options, catalogue: &Catalogue) -> Step {
        let Report { tally, files } = &mut self.report;
        let mut sink = Sink { options, catalogue, tally, file: &mut files[0] };
        let lines = &mut self.lines;
        let step = match received {
            Ok(Event::Data(data)) => {
                lines.feed(&data, options, &mut sink, false);
                Step { message: None, ended: false }
            }
            Ok(Event::Reopened(why)) => {
                lines.feed(b"", options, &mut sink, true);
                Step { message: Some(format!("{why}, reading it from the start")), ended: false }
            }
            Ok(Event::Failed(err)) => {
                lines.feed(b"", options, &mut sink, true);
                Step { message: Some(err.to_string()), ended: true }
            }
            Err(RecvTimeoutError::Timeout) => {
                lines.detect_now(options, &mut sink);
                Step { message: None, ended: false }
            }
            Err(RecvTimeoutError::Disconnected) => {
                lines.feed(b"", options, &mut sink, true);
                Step { message: None, ended: true }
            }
        };
        let format = self.lines.reading.as_ref().map(Reading::describe);
        let counted = self.report.tally.counted;
        let file = self.file_mut();
        file.format = format;
        file.counted = counted;
        step
    }
}

/// "09:41:05 UTC  1,204 lines, 1,190 with a status: 200 1,100 · 502 87 · 404 3 · 4xx 0.3% · 5xx 7.3%".
fn summary(file: &FileReport, report: &Report) -> String {
    let tally = &report.tally;
    let codes: Vec<String> = tally
        .rows()
        .iter()
        .take(SUMMARY_CODES)
        .map(|(_, row)| format!("{:03} {}", row.code, thousands(row.count)))
        .collect();
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let clock = format!("{:02}:{:02}:{:02}", now / 3600 % 24, now / 60 % 60, now % 60);
    let mut line = format!("{clock} UTC  {}, {} with a status", lines_word(file.lines), thousands(tally.counted));
    if !codes.is_empty() {
        line.push_str(&format!(": {} · {}", codes.join(" · "), rates(&tally.classes)));
    }
    line
}

/// Splits chunks into lines, holding back a partial last line, and the first
/// lines until there are enough to detect the format from.
#[derive(Default)]
struct Lines {
    pending: Vec<u8>,
    head: Vec<Vec<u8>>,
    reading: Option<Reading>,
}

impl Lines {
    /// Adds `data`; at `end` a partial last line is read too. Whole lines
    /// are read where they lie in `data`: only a line cut by the chunk's end
    /// is copied, to wait for the rest of it.
    fn feed(&mut self, data: &[u8], options: &Options, sink: &mut Sink<'_>, end: bool) {
        let mut rest = data;
        if !self.pending.is_empty() {
            let cut = memchr(b'\n', rest);
            self.pending.extend_from_slice(&rest[..cut.unwrap_or(rest.len())]);
            rest = cut.map_or(&[], |newline| &rest[newline + 1..]);
            if cut.is_some() {
                self.take_pending(options, sink);
            }
        }
        if self.pending.is_empty() {
            while let Some(newline) = memchr(b'\n', rest) {
                self.line(&rest[..newline], options, sink);
                rest = &rest[newline + 1..];
            }
            self.pending.extend_from_slice(rest);
        }
        if self.pending.len() > MAX_LINE || (end && !self.pending.is_empty()) {
            self.take_pending(options, sink);
        }
        if end {
            self.detect_now(options, sink);
        }
    }

    /// Reads the held line, keeping its buffer for the next one.
    fn take_pending(&mut self, options: &Options, sink: &mut Sink<'_>) {
        let mut line = std::mem::take(&mut self.pending);
        self.line(&line, options, sink);
        line.clear();
        self.pending = line;
    }

    /// Whether lines are held until the format is detected.
    fn holds_head(&self) -> bool {
        !self.head.is_empty()
    }

    fn line(&mut self, line: &[u8], options: &Options, sink: &mut Sink<'_>) {
        match &mut self.reading {
            Some(reading) => reading.text_line(sink, line),
            None => {
                self.head.push(line.to_vec());
                if self.head.iter().filter(|l| !l.trim_ascii().is_empty()).count() >= DETECTION_LINES {
                    self.detect_now(options, sink);
                }
            }
        }
    }

    /// Picks the format from the lines held so far and reads them.
    fn detect_now(&mut self, options: &Options, sink: &mut Sink<'_>) {
        if self.reading.is_some() || self.head.is_empty() {
            return;
        }
        let head: Vec<&[u8]> = self
            .head
            .iter()
            .map(|l| l.strip_suffix(b"\r").unwrap_or(l))
            .filter(|l| !l.trim_ascii().is_empty())
            .collect();
        let mut reading = Reading::new(options, &head);
        for line in std::mem::take(&mut self.head) {
            reading.text_line(sink, &line);
        }
        self.reading = Some(reading);
    }
}
