//! `tally --follow` and the browser on `--log`: count logs as they grow. Each
//! input is first read as `tally` reads it (gzip included, which does not
//! grow); then a thread per input that can grow (a plain file, as `tail -F`
//! reads it across rotation and truncation, or standard input as it arrives)
//! sends chunks down one channel, and this thread splits lines and counts
//! them. `tally --follow` prints a one-line summary at a steady pace; the
//! browser's `Follower` runs on a thread of its own and hands each new
//! `LogCounts` to the event loop. Waiting is blocking (`recv`, and a sleep
//! between polls of a file at its end), so an idle follow costs next to nothing.

use std::fmt;
use std::io::{self, Write};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use crate::catalogue::Catalogue;

use super::browse::LogCounts;
use super::chunks::Lines;
use super::count::Tally;
use super::output::{lines_word, rates, thousands};
use super::reader::Input;
use super::tail::{Event, Reopen, Sent, Source, stdin_stream};
use super::{FileReport, Options, Report, Resume, Sink, error_text, read_input, read_problem};

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

/// Follows `inputs`; returns the report when every followed input has ended
/// (standard input closed, a file failed) or none could be followed.
pub fn run(
    out: &mut impl Write,
    inputs: &[Input],
    options: &Options,
    catalogue: &Catalogue,
    pace: Pace,
) -> io::Result<Report> {
    let follower = Follower::open(inputs, options, catalogue);
    let err = &mut io::stderr();
    for file in &follower.counter.report.files {
        if let Some(problem) = &file.problem {
            writeln!(err, "statusbrowse: {}: {problem}", file.label)?;
        }
    }
    let Follower { sources, mut counter, options, .. } = follower;
    let events = start(sources)?;
    let every = pace.every;
    let mut next_print = Instant::now();
    // Nothing read yet is not worth a line.
    let nothing = (0, 0);
    let mut printed = nothing;
    loop {
        let wait = next_print.saturating_duration_since(Instant::now());
        let step = counter.step(events.recv_timeout(wait), &options, catalogue);
        if let Some((place, message)) = &step.message {
            writeln!(err, "statusbrowse: {}: {message}", counter.report.files[*place].label)?;
        }
        if step.ended {
            break;
        }
        if Instant::now() >= next_print {
            let state = (counter.report.sum(|f| f.lines), counter.report.tally.counted);
            if printed != state {
                writeln!(out, "{}", summary(&counter.report))?;
                out.flush()?;
                printed = state;
            }
            next_print = Instant::now() + every;
        }
    }
    // The whole tally, set apart from the summaries when there were some.
    if printed != nothing {
        writeln!(out)?;
    }
    super::output::write_text(out, &counter.report, catalogue, pace.top)?;
    Ok(counter.report)
}

/// Starts a reading thread per source; the channel disconnects once all have ended.
fn start(sources: Vec<(usize, Source)>) -> io::Result<Receiver<Sent>> {
    let (sender, events) = mpsc::channel();
    for (place, source) in sources {
        source.start(place, sender.clone())?;
    }
    Ok(events)
}

/// Logs followed for the browser: counted off the UI thread, their counts
/// handed over as they change.
pub struct Follower {
    /// The inputs that can grow, by their place in the report.
    sources: Vec<(usize, Source)>,
    counter: Counter,
    options: Options,
}

impl fmt::Debug for Follower {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let labels: Vec<&str> = self.counter.report.files.iter().map(|f| f.label.as_str()).collect();
        f.debug_struct("Follower").field("labels", &labels).finish_non_exhaustive()
    }
}

impl Follower {
    /// Reads each input as `tally` does, and makes ready to follow what can
    /// grow: a plain file from where that reading stopped (an empty one too),
    /// standard input from its first line (it is not read here).
    pub fn open(inputs: &[Input], options: &Options, catalogue: &Catalogue) -> Self {
        let mut counter = Counter { report: Report::default(), lines: Vec::new(), reopened: Vec::new() };
        counter.report.tally.detail = options.detail;
        let mut sources = Vec::new();
        for (place, input) in inputs.iter().enumerate() {
            let (file, followed) = prepare(input, options, catalogue, &mut counter.report.tally);
            let lines = match followed {
                Some((source, lines)) => {
                    sources.push((place, source));
                    lines
                }
                None => Lines::default(),
            };
            counter.report.files.push(file);
            counter.lines.push(lines);
            counter.reopened.push(None);
        }
        Follower { sources, counter, options: options.clone() }
    }

    /// Whether any input can grow.
    pub fn follows_any(&self) -> bool {
        !self.sources.is_empty()
    }

    /// What was read so far.
    pub fn report(&self) -> &Report {
        &self.counter.report
    }

    pub fn into_report(self) -> Report {
        self.counter.report
    }

    /// The counts so far.
    pub fn counts(&self, catalogue: &Catalogue) -> LogCounts {
        self.counter.counts(catalogue)
    }

    /// Reads until every input ends, calling `publish` with new counts at
    /// most every `PUBLISH` and only when something changed; stops early when
    /// `publish` returns false (the browser has closed). Between lines it
    /// blocks: an idle log costs no CPU beyond a file's polls.
    pub fn run(self, catalogue: &Catalogue, mut publish: impl FnMut(LogCounts) -> bool) -> io::Result<()> {
        let Follower { sources, mut counter, options } = self;
        let events = start(sources)?;
        let mut changed = false;
        let mut next_publish = Instant::now();
        loop {
            let received = if changed || counter.holds_head() {
                events.recv_timeout(next_publish.saturating_duration_since(Instant::now()))
            } else {
                events.recv().map_err(|_| RecvTimeoutError::Disconnected)
            };
            let step = counter.step(received, &options, catalogue);
            changed = true;
            if step.ended || Instant::now() >= next_publish {
                if !publish(counter.counts(catalogue)) {
                    return Ok(());
                }
                changed = false;
                next_publish = Instant::now() + PUBLISH;
            }
            if step.ended {
                return Ok(());
            }
        }
    }
}

/// An input read as `tally` reads it, and how to follow it when it can grow:
/// a plain file from where that reading stopped, standard input (not read
/// here) from its start.
fn prepare(
    input: &Input,
    options: &Options,
    catalogue: &Catalogue,
    tally: &mut Tally,
) -> (FileReport, Option<(Source, Lines)>) {
    match input {
        Input::Stdin => {
            let mut file = FileReport::new(input.label());
            match stdin_stream() {
                Ok(stream) => (file, Some((Source::Stream(stream), Lines::default()))),
                Err(err) => {
                    file.unreadable = true;
                    file.problem = Some(format!("cannot read: {}", error_text(&err)));
                    (file, None)
                }
            }
        }
        Input::File(path) => {
            let (mut file, resume) = read_input(input, options, catalogue, tally);
            let followed = resume.map(|Resume { reading, separator, file: handle }| {
                // "empty" is no problem for a file that may grow.
                if reading.is_none() {
                    file.problem = None;
                }
                (Source::Tail { path: path.clone(), file: handle }, Lines::resumed(reading, separator))
            });
            (file, followed)
        }
    }
}

/// What one event did to a `Counter`.
struct Step {
    /// Worth telling, about the input at this place: it was rotated or
    /// truncated, or reading it failed.
    message: Option<(usize, String)>,
    /// Every input has ended: nothing more will come.
    ended: bool,
}

/// The followed inputs counted so far: the report, and per input the lines
/// not read yet and its last rotation or truncation.
struct Counter {
    report: Report,
    lines: Vec<Lines>,
    reopened: Vec<Option<Reopen>>,
}

impl Counter {
    fn holds_head(&self) -> bool {
        self.lines.iter().any(Lines::holds_head)
    }

    /// The report's counts, with each input's last rotation or truncation in the note.
    fn counts(&self, catalogue: &Catalogue) -> LogCounts {
        let mut counts = LogCounts::from_report(&self.report, catalogue);
        let reopened = self.report.files.iter().zip(&self.reopened);
        let news = reopened.filter_map(|(file, reopen)| reopen.map(|r| format!("{} {}", file.label, r.describe())));
        counts.notes.splice(0..0, news);
        counts
    }

    /// Counts what a reading thread sent (or, on a timeout, the lines held
    /// for detection: they waited long enough for more).
    fn step(&mut self, received: Result<Sent, RecvTimeoutError>, options: &Options, catalogue: &Catalogue) -> Step {
        let (place, event) = match received {
            Ok(sent) => sent,
            Err(RecvTimeoutError::Timeout) => {
                for place in 0..self.lines.len() {
                    self.with_sink(place, options, catalogue, |lines, sink| lines.detect_now(options, sink));
                }
                return Step { message: None, ended: false };
            }
            Err(RecvTimeoutError::Disconnected) => return Step { message: None, ended: true },
        };
        let message = match event {
            Event::Data(data) => {
                self.with_sink(place, options, catalogue, |lines, sink| lines.feed(&data, options, sink, false));
                None
            }
            Event::Reopened(reopen) => {
                self.with_sink(place, options, catalogue, |lines, sink| lines.feed(b"", options, sink, true));
                self.reopened[place] = Some(reopen);
                Some(reopen.describe().to_string())
            }
            Event::Ended => {
                self.with_sink(place, options, catalogue, |lines, sink| lines.feed(b"", options, sink, true));
                None
            }
            Event::Failed { error, gzip } => {
                self.with_sink(place, options, catalogue, |lines, sink| lines.feed(b"", options, sink, true));
                let file = &mut self.report.files[place];
                let problem = read_problem(&error, gzip, file.lines);
                file.problem = Some(problem.clone());
                Some(problem)
            }
        };
        Step { message: message.map(|m| (place, m)), ended: false }
    }

    /// Runs `f` on the input at `place` with a sink into its report, then
    /// brings that report's format and count up to date.
    fn with_sink(
        &mut self,
        place: usize,
        options: &Options,
        catalogue: &Catalogue,
        f: impl FnOnce(&mut Lines, &mut Sink<'_>),
    ) {
        let Report { tally, files } = &mut self.report;
        let counted_before = tally.counted;
        let file = &mut files[place];
        let lines = &mut self.lines[place];
        f(lines, &mut Sink { options, catalogue, tally, file });
        file.counted += tally.counted - counted_before;
        if let Some(reading) = lines.reading() {
            file.format = Some(reading.describe());
        }
    }
}

/// "09:41:05 UTC  1,204 lines, 1,190 with a status: 200 1,100 · 502 87 · 404 3 · 4xx 0.3% · 5xx 7.3%".
fn summary(report: &Report) -> String {
    let tally = &report.tally;
    let codes: Vec<String> = tally
        .rows()
        .iter()
        .take(SUMMARY_CODES)
        .map(|(_, row)| format!("{:03} {}", row.code, thousands(row.count)))
        .collect();
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let clock = format!("{:02}:{:02}:{:02}", now / 3600 % 24, now / 60 % 60, now % 60);
    let mut line =
        format!("{clock} UTC  {}, {} with a status", lines_word(report.sum(|f| f.lines)), thousands(tally.counted));
    if !codes.is_empty() {
        line.push_str(&format!(": {} · {}", codes.join(" · "), rates(&tally.classes)));
    }
    line
}
