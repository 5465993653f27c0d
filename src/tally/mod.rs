//! `statusbrowse tally`: read access logs, count the status codes, and say what
//! each one means in the catalogue, as its source meant it.
//!
//! Data flows `reader` (bytes → lines) → `formats` (line → `Record`) →
//! `count` (records → rows, with `timeline` for the sparkline) → `output`.

pub mod browse;
pub mod count;
pub mod formats;
pub mod output;
pub mod reader;
pub mod signals;
pub mod timeline;

use std::io;

use crate::catalogue::Catalogue;
use count::{Problem, Tally};
use formats::{DETECTION_LINES, FormatName, Parsed, Parser};
use reader::{Input, Line, LineReader};

/// Bytes of a file's start that format detection and the binary check look at.
const HEAD_BYTES: usize = 64 * 1024;
/// A NUL byte this close to the start marks a binary file (as grep decides).
const BINARY_PROBE: usize = 8 * 1024;

#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Use this format for every file instead of detecting one per file.
    pub format: Option<FormatName>,
    /// Allow a progress bar on stderr (shown only for large files, on a terminal).
    pub progress: bool,
}

/// What became of one input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileReport {
    pub label: String,
    /// The format its lines were read as, once reading started.
    pub format: Option<&'static str>,
    pub lines: u64,
    pub counted: u64,
    /// What went wrong, for a message: empty, binary, truncated gzip...
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
    pub fn lines(&self) -> u64 {
        self.files.iter().map(|f| f.lines).sum()
    }
}

/// Tallies every input in order; a problem with one input is recorded in its
/// `FileReport` and the next input is read all the same.
pub fn run(inputs: &[Input], options: &Options, catalogue: &Catalogue) -> Report {
    let mut report = Report::default();
    for input in inputs {
        let file = read_input(input, options, catalogue, &mut report.tally);
        report.files.push(file);
    }
    report
}

fn read_input(input: &Input, options: &Options, catalogue: &Catalogue, tally: &mut Tally) -> FileReport {
    let mut file =
        FileReport { label: input.label(), format: None, lines: 0, counted: 0, problem: None, unreadable: false };
    let opened = match reader::open(input, options.progress) {
        Ok(opened) => opened,
        Err(err) => {
            file.unreadable = true;
            file.problem = Some(format!("cannot read: {}", error_text(&err)));
            return file;
        }
    };
    let gzip = opened.gzip;
    let mut lines = LineReader::new(opened.reader);
    // A first line longer than the usual head (a JSON log with a big field)
    // would leave detection nothing whole to look at: read as far as the
    // reader buffers instead.
    let first_line_too_long = match lines.peek(HEAD_BYTES) {
        Ok((head, complete)) => Ok(!complete && memchr::memchr(b'\n', head).is_none()),
        Err(err) => Err(err),
    };
    let peeked = match first_line_too_long {
        Ok(true) => lines.peek(reader::BUFFER),
        Ok(false) => lines.peek(HEAD_BYTES),
        Err(err) => Err(err),
    };
    let parser = match peeked {
        Err(err) => Err(read_problem(&err, gzip, 0)),
        Ok(([], _)) => Err(if gzip { "empty (the gzip data holds nothing)" } else { "empty" }.to_string()),
        Ok((head, _)) if head[..head.len().min(BINARY_PROBE)].contains(&0) => {
            Err("binary data (a NUL byte near the start), skipped".to_string())
        }
        Ok((head, complete)) => Ok(options.format.map(Parser::new).unwrap_or_else(|| detect(head, complete))),
    };
    let mut parser = match parser {
        Ok(parser) => parser,
        Err(problem) => {
            file.problem = Some(problem);
            if let Some(bar) = opened.progress {
                bar.finish_and_clear();
            }
            return file;
        }
    };
    let counted_before = tally.counted;
    loop {
        let line = match lines.next_line() {
            Ok(Some(line)) => line,
            Ok(None) => break,
            Err(err) => {
                file.problem = Some(read_problem(&err, gzip, file.lines));
                break;
            }
        };
        file.lines += 1;
        let line_number = file.lines;
        let location = || format!("{}:{line_number}", file.label);
        match line {
            Line::Text(text) => {
                let text = text.strip_suffix(b"\r").unwrap_or(text);
                if text.iter().all(u8::is_ascii_whitespace) {
                    continue;
                }
                match parser.parse(text) {
                    Parsed::Record(record) => tally.add(&record, catalogue),
                    Parsed::Header => {}
                    Parsed::Reject(reject) => tally.reject(parser.describe(), Problem::Parse(reject), text, location),
                }
            }
            Line::TooLong(bytes) => {
                let example = format!("({bytes} bytes)");
                tally.reject(parser.describe(), Problem::TooLong, example.as_bytes(), location);
            }
        }
    }
    if let Some(bar) = opened.progress {
        bar.finish_and_clear();
    }
    file.format = Some(match parser {
        Parser::Any(_) => "no format recognised in the first lines, each line tried against every format",
        _ => parser.describe(),
    });
    file.counted = tally.counted - counted_before;
    file
}

/// The format of the first lines of `head`; the last piece is left out unless
/// `complete`, since it may be a line cut by the buffer.
fn detect(head: &[u8], complete: bool) -> Parser {
    let mut pieces: Vec<&[u8]> = head.split(|&b| b == b'\n').collect();
    if !complete {
        pieces.pop();
    }
    let lines: Vec<&[u8]> = pieces
        .into_iter()
        .map(|l| l.strip_suffix(b"\r").unwrap_or(l))
        .filter(|l| !l.iter().all(u8::is_ascii_whitespace))
        .take(DETECTION_LINES)
        .collect();
    Parser::detect(lines.iter().copied()).unwrap_or_else(Parser::any)
}

fn read_problem(err: &io::Error, gzip: bool, lines: u64) -> String {
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
