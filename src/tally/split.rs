//! A large plain file read in two parts at once: the second half, from a line
//! start, on a thread of its own with its own counts, added to the first
//! half's at the end. The report is the one reading the file in one go gives
//! (the tests in `split/tests.rs` compare them) but for the drill-down's top
//! values past 64 per field, whose two summaries are merged (`Top::merge`:
//! the same error bound, different values where they are approximate).
//!
//! Only an nginx/Apache log is split: its reader's one piece of state, common
//! or combined, is fixed by the first line it reads, which is in the head the
//! format was detected from, so the second part's reader starts with it set.
//! The every-format parser that lines of other formats fall back to starts
//! fresh in the second part; one W3C `#Fields:` directive in the first part
//! changes how later W3C lines read. Should the first part's reader end up
//! otherwise than the second's started, the second part is read again after
//! the first, as one reading would.

use std::fs::File;
use std::io;

use indicatif::ProgressBar;

use crate::catalogue::Catalogue;

use super::count::Tally;
use super::formats::wrap;
use super::reader::{BUFFER, FileAt, LineReader};
use super::{FileReport, Options, Reading, Sink, read_lines};

/// Files this long or longer are split (below it a thread costs more than it saves).
pub const SPLIT_FROM: u64 = 64 << 20;

#[cfg(test)]
thread_local! {
    /// Files this thread read in two parts, so tests know a split happened.
    pub static READ_IN_TWO_PARTS: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// Whether an input may be split: a regular file of `split_from` bytes or
/// more, on a machine with a second core.
pub fn may_split(file: Option<&File>, split_from: u64) -> bool {
    let long = file.and_then(|f| f.metadata().ok()).is_some_and(|m| m.is_file() && m.len() >= split_from);
    long && std::thread::available_parallelism().is_ok_and(|n| n.get() > 1)
}

/// The reading for a later part of an input whose first lines are `head`,
/// when its format allows one: the reading a whole file's reader has once it
/// has read its first record.
pub fn later_reading(options: &Options, head: &[&[u8]]) -> Option<Reading> {
    let mut reading = Reading::new(options, head);
    for line in head {
        if reading.parser.layout().is_some() {
            break;
        }
        let inner = if reading.strip { wrap::strip(line).0 } else { line };
        let _ = reading.parser.parse(inner);
    }
    reading.parser.layout().is_some().then_some(reading)
}

/// The second part of a file: where it starts and how it is read.
pub struct Later {
    reading: Reading,
    file: File,
    start: u64,
    separator: u8,
    bar: Option<ProgressBar>,
}

impl Later {
    /// The second part of the file open as `handle`: from the first line start
    /// at or after its middle, past the `read` bytes the first part has read
    /// already. `None` when there is no such line start.
    pub fn plan(reading: Reading, handle: &File, separator: u8, read: u64, bar: Option<ProgressBar>) -> Option<Self> {
        let middle = handle.metadata().ok()?.len() / 2;
        let mut window = vec![0; BUFFER];
        let got = std::os::unix::fs::FileExt::read_at(handle, &mut window, middle).ok()?;
        let start = middle + memchr::memchr(separator, &window[..got])? as u64 + 1;
        if start <= read {
            return None;
        }
        Some(Later { reading, file: handle.try_clone().ok()?, start, separator, bar })
    }

    /// Lines from the part's start to the end of the file, counted on `bar`.
    fn lines(&self, bar: Option<ProgressBar>) -> io::Result<LineReader<Box<dyn io::Read + Send>>> {
        let at = FileAt { file: self.file.try_clone()?, offset: self.start };
        let reader: Box<dyn io::Read + Send> = match bar {
            Some(bar) => Box::new(bar.wrap_read(at)),
            None => Box::new(at),
        };
        let mut lines = LineReader::new(reader);
        if self.separator == b'\r' {
            lines.split_at_carriage_returns();
        }
        Ok(lines)
    }
}

/// What reading a part gave.
struct Part {
    tally: Tally,
    file: FileReport,
    error: Option<io::Error>,
    /// The file offset reading stopped at.
    end: u64,
}

/// Reads a part with `reading` into counts of its own.
fn read_part(
    mut lines: LineReader<Box<dyn io::Read + Send>>,
    reading: &mut Reading,
    options: &Options,
    catalogue: &Catalogue,
    label: &str,
    detail: bool,
    start: u64,
) -> Part {
    let mut tally = Tally::default();
    tally.detail = detail;
    let mut file = FileReport::new(label.to_string());
    let mut sink = Sink { options, catalogue, tally: &mut tally, file: &mut file };
    let error = read_lines(&mut lines, reading, &mut sink);
    file.nul_bytes = lines.nul_bytes;
    Part { tally, file, error, end: start + lines.consumed() }
}

/// Reads the first part from `lines` (stopped at the second's start) here and
/// the second on another thread, then adds the second's counts to `sink`.
/// Returns the file offset reading ended at, or the first read error (after
/// the second part's counts are in, unless the error was in the first part).
pub fn read_both(
    lines: &mut LineReader<impl io::Read>,
    reading: &mut Reading,
    sink: &mut Sink<'_>,
    mut later: Later,
) -> io::Result<Option<u64>> {
    let (options, catalogue) = (sink.options, sink.catalogue);
    let Ok(second_lines) = later.lines(later.bar.clone()) else {
        // No second handle (too many open files): the file is read in one go.
        return read_lines(lines, reading, sink).map_or(Ok(None), Err);
    };
    lines.stop_at(later.start);
    #[cfg(test)]
    READ_IN_TWO_PARTS.with(|count| count.set(count.get() + 1));
    // The second part's counts are kept as the first's are.
    let (label, detail) = (sink.file.label.clone(), sink.tally.detail);
    let (first_error, mut part) = std::thread::scope(|scope| {
        let second = scope
            .spawn(|| read_part(second_lines, &mut later.reading, options, catalogue, &label, detail, later.start));
        let first_error = read_lines(lines, reading, sink);
        (first_error, second.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
    });
    if let Some(err) = first_error {
        return Err(err);
    }
    if reading.parser.layout() != later.reading.parser.layout() || reading.fallback_holds_state() {
        // The second part was read as the first part's reader would not have
        // read it: read it again after the first, with that reader.
        part = read_part(later.lines(None)?, reading, options, catalogue, &label, detail, later.start);
    }
    let lines_before = sink.file.lines;
    sink.file.add(&part.file);
    sink.tally.merge(part.tally, lines_before);
    part.error.map_or(Ok(Some(part.end)), Err)
}

impl FileReport {
    /// Adds the report of the file's next part, read on its own.
    fn add(&mut self, later: &FileReport) {
        self.lines += later.lines;
        self.blank += later.blank;
        self.headers += later.headers;
        self.rejected += later.rejected;
        self.nul_bytes += later.nul_bytes;
        self.binary_lines += later.binary_lines;
        self.outside_window += later.outside_window;
        self.other_codes += later.other_codes;
        for (mine, theirs) in self.codes.iter_mut().zip(&later.codes) {
            *mine += theirs;
        }
    }
}

#[cfg(test)]
mod tests;
