//! `tally --follow`: count a log as it grows and print a one-line summary at
//! a steady pace. A thread reads the input (a file, as `tail -F` does, across
//! rotation and truncation; or standard input as it arrives) and sends chunks
//! down a channel; this thread splits lines, counts them, and prints when the
//! pace says so. Waiting is blocking (`recv_timeout`, and a sleep between
//! polls of a file at its end), so an idle follow costs next to nothing.

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::os::unix::fs::MetadataExt;
use std::path::Path;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::thread;
use std::time::{Duration, Instant};

use memchr::memchr;

use crate::catalogue::Catalogue;

use super::formats::DETECTION_LINES;
use super::output::{lines_word, rates, thousands};
use super::reader::{Input, MAX_LINE};
use super::{FileReport, Options, Reading, Report, Sink};

/// How often a file at its end is looked at again.
const POLL: Duration = Duration::from_millis(200);
/// Codes named in a summary line.
const SUMMARY_CODES: usize = 6;

/// What the reading thread sends.
enum Event {
    Data(Vec<u8>),
    /// The file was replaced (rotated) or cut (truncated): said on stderr.
    Reopened(&'static str),
    Failed(io::Error),
}

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
    let (sender, events) = mpsc::channel();
    match input {
        Input::Stdin => thread::spawn(move || read_stdin(&sender)),
        Input::File(path) => {
            // Open once here, so a missing file is an error now, not a silent wait.
            let file = File::open(path)?;
            let path = path.clone();
            thread::spawn(move || tail(&path, file, &sender))
        }
    };
    follow(out, &input.label(), events, options, catalogue, pace)
}

fn follow(
    out: &mut impl Write,
    label: &str,
    events: Receiver<Event>,
    options: &Options,
    catalogue: &Catalogue,
    pace: Pace,
) -> io::Result<()> {
    let every = pace.every;
    let mut report = Report::default();
    report.tally.detail = options.detail;
    let mut file = FileReport { label: label.to_string(), codes: vec![0; 600], ..FileReport::default() };
    let mut lines = Lines::default();
    let mut next_print = Instant::now() + every;
    let mut printed = None;
    loop {
        let wait = next_print.saturating_duration_since(Instant::now());
        let event = events.recv_timeout(wait);
        let mut sink = Sink { options, catalogue, tally: &mut report.tally, file: &mut file };
        match event {
            Ok(Event::Data(data)) => lines.feed(&data, options, &mut sink, false),
            Ok(Event::Reopened(why)) => {
                lines.feed(b"", options, &mut sink, true);
                writeln!(io::stderr(), "statusbrowse: {label}: {why}, reading it from the start")?;
            }
            Ok(Event::Failed(err)) => {
                lines.feed(b"", options, &mut sink, true);
                writeln!(io::stderr(), "statusbrowse: {label}: {err}")?;
                break;
            }
            Err(RecvTimeoutError::Timeout) => {
                // The head waited long enough for more lines: detect from what came.
                lines.feed(b"", options, &mut sink, false);
                lines.detect_now(options, &mut sink);
            }
            Err(RecvTimeoutError::Disconnected) => {
                lines.feed(b"", options, &mut sink, true);
                break;
            }
        }
        if Instant::now() >= next_print {
            let state = (file.lines, report.tally.counted);
            if printed != Some(state) {
                writeln!(out, "{}", summary(&file, &report))?;
                out.flush()?;
                printed = Some(state);
            }
            next_print = Instant::now() + every;
        }
    }
    file.format = lines.reading.as_ref().map(Reading::describe);
    file.counted = report.tally.counted;
    report.files.push(file);
    writeln!(out)?;
    super::output::write_text(out, &report, catalogue, pace.top)
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
    /// Adds `data`; at `end` a partial last line is read too.
    fn feed(&mut self, data: &[u8], options: &Options, sink: &mut Sink<'_>, end: bool) {
        self.pending.extend_from_slice(data);
        let mut start = 0;
        while let Some(newline) = memchr(b'\n', &self.pending[start..]) {
            let line = self.pending[start..start + newline].to_vec();
            start += newline + 1;
            self.line(line, options, sink);
        }
        self.pending.drain(..start);
        if self.pending.len() > MAX_LINE || (end && !self.pending.is_empty()) {
            let line = std::mem::take(&mut self.pending);
            self.line(line, options, sink);
        }
        if end {
            self.detect_now(options, sink);
        }
    }

    fn line(&mut self, line: Vec<u8>, options: &Options, sink: &mut Sink<'_>) {
        match &mut self.reading {
            Some(reading) => reading.text_line(sink, &line),
            None => {
                self.head.push(line);
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

fn read_stdin(sender: &Sender<Event>) {
    let mut stdin = io::stdin().lock();
    let mut buffer = vec![0; 64 * 1024];
    loop {
        match stdin.read(&mut buffer) {
            Ok(0) => return,
            Ok(n) => {
                if sender.send(Event::Data(buffer[..n].to_vec())).is_err() {
                    return;
                }
            }
            Err(err) if err.kind() == io::ErrorKind::Interrupted => {}
            Err(err) => {
                let _ = sender.send(Event::Failed(err));
                return;
            }
        }
    }
}

/// Reads `file` to its end, then keeps polling `path`: a new file there
/// (rotation) is read from its start once the old one is drained; a file
/// shorter than what was read (truncation) is read again from its start.
fn tail(path: &Path, mut file: File, sender: &Sender<Event>) {
    let mut buffer = vec![0; 64 * 1024];
    let mut position: u64 = 0;
    let mut inode = file.metadata().map(|m| m.ino()).unwrap_or(0);
    loop {
        match file.read(&mut buffer) {
            Ok(0) => {}
            Ok(n) => {
                position += n as u64;
                if sender.send(Event::Data(buffer[..n].to_vec())).is_err() {
                    return;
                }
                continue;
            }
            Err(err) if err.kind() == io::ErrorKind::Interrupted => continue,
            Err(err) => {
                let _ = sender.send(Event::Failed(err));
                return;
            }
        }
        thread::sleep(POLL);
        match reopened(path, inode, position) {
            Some(Change::Rotated(new)) => {
                // What the writer added to the old file before it moved on.
                while let Ok(n @ 1..) = file.read(&mut buffer) {
                    if sender.send(Event::Data(buffer[..n].to_vec())).is_err() {
                        return;
                    }
                }
                inode = new.metadata().map(|m| m.ino()).unwrap_or(0);
                file = new;
                position = 0;
                if sender.send(Event::Reopened("replaced (rotated)")).is_err() {
                    return;
                }
            }
            Some(Change::Truncated) => {
                if file.seek(SeekFrom::Start(0)).is_err() {
                    return;
                }
                position = 0;
                if sender.send(Event::Reopened("truncated")).is_err() {
                    return;
                }
            }
            None => {}
        }
    }
}

enum Change {
    Rotated(File),
    Truncated,
}

/// What happened to the file at `path` since it was opened; a path that is
/// missing for now (between a rename and the new file) is no change yet.
fn reopened(path: &Path, inode: u64, position: u64) -> Option<Change> {
    let metadata = std::fs::metadata(path).ok()?;
    if metadata.ino() != inode {
        return File::open(path).ok().map(Change::Rotated);
    }
    (metadata.len() < position).then_some(Change::Truncated)
}
