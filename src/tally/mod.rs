//! `statusbrowse tally`: read access logs, count the status codes, and say what
//! each one means in the catalogue, as its source meant it.
//!
//! Data flows `reader` (bytes → lines) → `reading` (a line's way through
//! `formats`: line → `Record`, after `formats::wrap` takes container prefixes
//! off) → `filter` (time window, codes) → `count` (records → rows, with
//! `timeline` for when and `top` for where) → `output`. A large file is read
//! in two parts at once by `split`, their counts added together.

pub mod browse;
pub mod chunks;
pub mod count;
pub mod filter;
pub mod follow;
pub mod formats;
pub mod output;
pub mod reader;
mod reading;
pub mod signals;
mod split;
pub mod tail;
pub mod timeline;
pub mod top;

use std::io;

use crate::catalogue::Catalogue;
use count::{Problem, Tally};
use filter::Filter;
use formats::{DETECTION_LINES, FormatName, Parser, custom::Custom, wrap};
use reader::{Input, Line, LineReader};
pub use reading::{Reading, Sink};

/// Bytes of a file's start that format detection looks at.
const HEAD_BYTES: usize = 64 * 1024;

/// A reader given on the command line instead of the known formats.
#[derive(Debug, Clone)]
pub enum CustomReader {
    /// `--field N`: awk's `$N`.
    Field(usize),
    /// `--field a.b.c`: a JSON path.
    JsonPath(String),
    /// `--regex RE`.
    Regex(regex::bytes::Regex),
}

#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Use this format for every file instead of detecting one per file.
    pub format: Option<FormatName>,
    pub custom: Option<CustomReader>,
    /// Allow a progress bar on stderr (shown only for large files, on a terminal).
    pub progress: bool,
    /// Keep the top paths, hosts, targets and clients per code.
    pub detail: bool,
    pub filter: Filter,
}

impl Options {
    fn parser(&self) -> Option<Parser> {
        let parser = match (&self.custom, self.format) {
            (Some(CustomReader::Field(n)), _) => Parser::custom(Custom::Field(*n)),
            (Some(CustomReader::JsonPath(path)), _) => Parser::json_field(path),
            (Some(CustomReader::Regex(regex)), _) => Parser::custom(Custom::Regex(regex.clone())),
            (None, Some(name)) => Parser::new(name),
            (None, None) => return None,
        };
        Some(parser)
    }
}

/// What became of one input.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FileReport {
    pub label: String,
    /// The format its lines were read as, once reading started.
    pub format: Option<&'static str>,
    pub lines: u64,
    pub counted: u64,
    /// Blank lines, and header or comment lines the format defines.
    pub blank: u64,
    pub headers: u64,
    /// Lines not understood (grouped with examples in the tally).
    pub rejected: u64,
    /// NUL bytes dropped (a `copytruncate` hole), and lines of binary bytes skipped.
    pub nul_bytes: u64,
    pub binary_lines: u64,
    /// Statuses left out by `--since`/`--until` (or without a time while a
    /// window is set) and by `--code`.
    pub outside_window: u64,
    pub other_codes: u64,
    /// Counted lines per status, 0–599.
    pub codes: Vec<u64>,
    /// What went wrong, for a message: empty, truncated gzip...
    pub problem: Option<String>,
    /// It could not be opened or read at all.
    pub unreadable: bool,
}

#[derive(Debug, Default)]
pub struct Report {
    pub tally: Tally,
    pub files: Vec<FileReport>,
}

impl Report {
    /// A field of every file's report, summed.
    pub fn sum(&self, field: impl Fn(&FileReport) -> u64) -> u64 {
        self.files.iter().map(field).sum()
    }

    pub fn unreadable(&self) -> usize {
        self.files.iter().filter(|f| f.unreadable).count()
    }
}

/// Tallies every input in order; a problem with one input is recorded in its
/// `FileReport` and the next input is read all the same.
pub fn run(inputs: &[Input], options: &Options, catalogue: &Catalogue) -> Report {
    let mut report = Report::default();
    report.tally.detail = options.detail;
    for input in inputs {
        let (file, _) = read_input_split_from(input, options, catalogue, &mut report.tally, split::SPLIT_FROM);
        report.files.push(file);
    }
    report
}

/// Where reading a plain file stopped, for following it from there: its
/// reading and line end as they stand (`None` when the file was empty), and
/// the file at that offset.
pub struct Resume {
    pub reading: Option<Reading>,
    pub separator: Option<u8>,
    pub file: std::fs::File,
}

/// The first lines of `head` that detection looks at; the last piece is left
/// out unless `complete`, since it may be a line cut by the buffer.
fn head_lines(head: &[u8], complete: bool, separator: u8) -> Vec<&[u8]> {
    let mut pieces: Vec<&[u8]> = head.split(|&b| b == separator).collect();
    if !complete {
        pieces.pop();
    }
    pieces
        .into_iter()
        .map(|l| l.strip_suffix(b"\r").unwrap_or(l))
        .map(|l| &l[l.iter().take_while(|&&b| b == 0).count()..])
        .filter(|l| !l.iter().all(u8::is_ascii_whitespace))
        .take(DETECTION_LINES)
        .collect()
}

/// The parser for a file and whether its lines carry container prefixes:
/// the reading (raw or stripped) that scores better wins, raw on a tie.
fn detect(lines: &[&[u8]]) -> (Parser, bool) {
    let raw = Parser::detect(lines.iter().copied());
    let stripped: Vec<&[u8]> = lines.iter().map(|l| wrap::strip(l).0).collect();
    let unwrapped = if wrap::prefixed(lines.iter().copied()) { Parser::detect(stripped.into_iter()) } else { None };
    match (raw, unwrapped) {
        (raw, Some((name, score))) if raw.is_none_or(|(_, raw_score)| score > raw_score) => (Parser::new(name), true),
        (Some((name, _)), _) => (Parser::new(name), false),
        (None, _) => (Parser::any(), false),
    }
}

/// Tallies one input into `tally`, and says how to go on reading it when it
/// can grow: a plain file, empty or read without a problem (gzip data is not
/// appended to).
pub fn read_input(
    input: &Input,
    options: &Options,
    catalogue: &Catalogue,
    tally: &mut Tally,
) -> (FileReport, Option<Resume>) {
    read_input_split_from(input, options, catalogue, tally, split::SPLIT_FROM)
}

fn read_input_split_from(
    input: &Input,
    options: &Options,
    catalogue: &Catalogue,
    tally: &mut Tally,
    split_from: u64,
) -> (FileReport, Option<Resume>) {
    let mut file = FileReport::new(input.label());
    let opened = match reader::open(input, options.progress) {
        Ok(opened) => opened,
        Err(err) => {
            file.unreadable = true;
            file.problem = Some(format!("cannot read: {}", error_text(&err)));
            return (file, None);
        }
    };
    let gzip = opened.gzip;
    let mut lines = LineReader::new(opened.reader);
    // A first line longer than the usual head (a JSON log with a big field),
    // or a copytruncate hole at the start, would leave detection nothing whole
    // to look at: read as far as the reader buffers instead.
    let short_head = match lines.peek(HEAD_BYTES) {
        Ok((head, complete)) => Ok(!complete && head_lines(head, false, b'\n').is_empty()),
        Err(err) => Err(err),
    };
    let peeked = match short_head {
        Ok(true) => lines.peek(reader::BUFFER),
        Ok(false) => lines.peek(HEAD_BYTES),
        Err(err) => Err(err),
    };
    let empty = matches!(&peeked, Ok(([], _)));
    let splittable = !gzip && split::may_split(opened.file.as_ref(), split_from);
    let setup = match peeked {
        Err(err) => Err(read_problem(&err, gzip, 0)),
        Ok(([], _)) => Err(if gzip { "empty (the gzip data holds nothing)" } else { "empty" }.to_string()),
        Ok((head, complete)) => {
            // Old Mac line ends: carriage returns and no newline at all.
            let separator = if memchr::memchr(b'\n', head).is_none() && memchr::memchr(b'\r', head).is_some() {
                b'\r'
            } else {
                b'\n'
            };
            let head = head_lines(head, complete, separator);
            let later = if splittable { split::later_reading(options, &head) } else { None };
            Ok((Reading::new(options, &head), separator, later))
        }
    };
    let (mut reading, separator, later) = match setup {
        Ok(setup) => setup,
        Err(problem) => {
            file.problem = Some(problem);
            if let Some(bar) = opened.progress {
                bar.finish_and_clear();
            }
            let resume = opened.file.filter(|_| empty && !gzip);
            return (file, resume.map(|file| Resume { reading: None, separator: None, file }));
        }
    };
    if separator == b'\r' {
        lines.split_at_carriage_returns();
    }
    let counted_before = tally.counted;
    let later = later.zip(opened.file.as_ref()).and_then(|(reading, handle)| {
        split::Later::plan(reading, handle, separator, lines.consumed(), opened.progress.clone())
    });
    let mut sink = Sink { options, catalogue, tally, file: &mut file };
    let end = match later {
        Some(later) => split::read_both(&mut lines, &mut reading, &mut sink, later),
        None => read_lines(&mut lines, &mut reading, &mut sink).map_or(Ok(None), Err),
    };
    if let Err(err) = &end {
        file.problem = Some(read_problem(err, gzip, file.lines));
    }
    if let Some(bar) = opened.progress {
        bar.finish_and_clear();
    }
    file.nul_bytes += lines.nul_bytes;
    file.format = Some(reading.describe());
    // Mostly binary lines and nothing counted: a binary file, said once.
    if file.binary_lines > 0 && file.binary_lines * 2 >= file.lines && tally.counted == counted_before {
        file.problem.get_or_insert_with(|| format!("binary data ({} lines of it skipped)", file.binary_lines));
    }
    file.counted = tally.counted - counted_before;
    let resume = match (opened.file, end) {
        (Some(mut handle), Ok(end)) if !gzip && file.problem.is_none() => {
            // Read in two parts, the descriptor's offset is where the first stopped.
            if let Some(end) = end {
                if let Err(err) = io::Seek::seek(&mut handle, io::SeekFrom::Start(end)) {
                    file.problem = Some(read_problem(&err, gzip, file.lines));
                    return (file, None);
                }
            }
            Some(Resume { reading: Some(reading), separator: Some(separator), file: handle })
        }
        _ => None,
    };
    (file, resume)
}

/// Reads lines to the end of `lines`; a read error ends it (the lines before it are read).
fn read_lines<R: io::Read>(lines: &mut LineReader<R>, reading: &mut Reading, sink: &mut Sink<'_>) -> Option<io::Error> {
    loop {
        match lines.next_line() {
            Ok(Some(Line::Text(text))) => reading.text_line(sink, text),
            Ok(Some(Line::TooLong(bytes))) => {
                sink.file.lines += 1;
                let example = format!("({bytes} bytes)");
                reading.reject(sink, Problem::TooLong, example.as_bytes());
            }
            Ok(None) => return None,
            Err(err) => return Some(err),
        }
    }
}

impl FileReport {
    pub fn new(label: String) -> Self {
        FileReport { label, codes: vec![0; 600], ..FileReport::default() }
    }

    /// Statuses counted from this file so far.
    fn counted_here(&self) -> u64 {
        self.codes.iter().sum()
    }
}

pub fn read_problem(err: &io::Error, gzip: bool, lines: u64) -> String {
    if gzip {
        format!("gzip data truncated or corrupt after {lines} lines ({}); counted what was read", error_text(err))
    } else {
        format!("read error after {lines} lines ({}); counted what was read", error_text(err))
    }
}

/// An I/O error as a person reads it, without Rust's "(os error 2)".
fn error_text(err: &io::Error) -> String {
    let text = err.to_string();
    match text.find(" (os error") {
        Some(cut) => text[..cut].to_string(),
        None => text,
    }
}
