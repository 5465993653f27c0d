//! One input's lines as they are read: blank lines, container prefixes,
//! the input's format and the every-format fallback for lines it does not
//! read, binary bytes, and where each outcome is counted.

use crate::catalogue::Catalogue;

use super::count::{Problem, Tally};
use super::formats::{Parsed, Parser, Record, Reject, wrap};
use super::{FileReport, Options, detect};

/// A line wrapped in another (Docker's `{"log": ...}`) is unwrapped this deep at most.
const MAX_NESTING: usize = 2;

/// One input being read: its parser, and the every-format parser lines fall
/// back to when the input's own does not read them (mixed input).
pub struct Reading {
    pub(super) parser: Parser,
    /// `None` while not needed yet; never used when the format was named
    /// (`--format`, `--field`, `--regex` read every line their way).
    fallback: Option<Parser>,
    named: bool,
    /// Take container prefixes off each line first.
    pub(super) strip: bool,
    detail: bool,
}

/// Where a line's outcome goes.
pub struct Sink<'r> {
    pub options: &'r Options,
    pub catalogue: &'r Catalogue,
    pub tally: &'r mut Tally,
    pub file: &'r mut FileReport,
}

/// Bytes no text log holds: control characters other than tab and escape
/// (coloured app logs), and DEL.
fn binary_byte(byte: u8) -> bool {
    (byte < 0x20 && byte != b'\t' && byte != 0x1b) || byte == 0x7f
}

impl Reading {
    /// The reading of an input whose first lines are `head` (detection, or
    /// the format the options name).
    pub fn new(options: &Options, head: &[&[u8]]) -> Self {
        let named = options.parser();
        let (parser, strip, named) = match named {
            Some(parser) => (parser, wrap::prefixed(head.iter().copied()), true),
            None => {
                let (parser, strip) = detect(head);
                (parser, strip, false)
            }
        };
        let parser = if options.detail { parser.with_detail() } else { parser };
        Reading { parser, fallback: None, named, strip, detail: options.detail }
    }

    /// Whether the every-format parser, used for lines the input's own format
    /// did not read, holds a state a fresh one would not (see `Parser::holds_state`).
    pub(super) fn fallback_holds_state(&self) -> bool {
        self.fallback.as_ref().is_some_and(Parser::holds_state)
    }

    /// How the input's format is named in the report.
    pub fn describe(&self) -> &'static str {
        match self.parser {
            Parser::Any(_) => "no format recognised in the first lines, each line tried against every format",
            ref parser => parser.describe(),
        }
    }

    /// One line as the reader hands it out (its `\r` and blank lines are handled here).
    pub fn text_line(&mut self, sink: &mut Sink<'_>, text: &[u8]) {
        sink.file.lines += 1;
        let text = text.strip_suffix(b"\r").unwrap_or(text);
        if text.iter().all(u8::is_ascii_whitespace) {
            sink.file.blank += 1;
        } else {
            self.line(sink, text, 0);
        }
    }

    fn line(&mut self, sink: &mut Sink<'_>, text: &[u8], depth: usize) {
        let (inner, prefix_time) = if self.strip { wrap::strip(text) } else { (text, None) };
        // Records are passed on by reference from here: they are large, and
        // each move of one by value was a memcpy in the profile.
        let parsed = self.parser.parse(inner);
        match parsed {
            Parsed::Reject(reason) => self.fall_back(sink, text, reason, depth),
            ref parsed => self.take(sink, parsed, prefix_time, depth),
        }
    }

    /// What to do with a line the file's format did not read: a line with
    /// binary bytes in it is read piece by piece between them; any other is
    /// tried against every format, prefixes taken off.
    fn fall_back(&mut self, sink: &mut Sink<'_>, text: &[u8], reason: Reject, depth: usize) {
        if text.iter().any(|&b| binary_byte(b)) {
            let before = sink.file.counted_here();
            for piece in text.split(|&b| binary_byte(b)).filter(|p| !p.trim_ascii().is_empty()) {
                let (inner, prefix_time) = wrap::strip(piece);
                let parsed = self.fallback().parse(inner);
                if !matches!(parsed, Parsed::Reject(_)) {
                    self.take(sink, &parsed, prefix_time, depth);
                }
            }
            if sink.file.counted_here() == before {
                sink.file.binary_lines += 1;
            }
            return;
        }
        let (inner, prefix_time) = wrap::strip(text);
        match self.fallback().parse(inner) {
            Parsed::Reject(_) => self.reject(sink, Problem::Parse(reason), text),
            ref parsed => self.take(sink, parsed, prefix_time, depth),
        }
    }

    /// The parser a line the file's own did not read is tried with: every
    /// format, or the named one again (its prefixes taken off, or a piece
    /// between binary bytes).
    fn fallback(&mut self) -> &mut Parser {
        if self.named {
            return &mut self.parser;
        }
        let detail = self.detail;
        self.fallback.get_or_insert_with(|| if detail { Parser::any().with_detail() } else { Parser::any() })
    }

    fn take(&mut self, sink: &mut Sink<'_>, parsed: &Parsed<'_>, prefix_time: Option<i64>, depth: usize) {
        match parsed {
            Parsed::Record(record) => self.count(sink, record, prefix_time),
            Parsed::Many(records) => {
                for record in records {
                    self.count(sink, record, prefix_time);
                }
            }
            Parsed::Header => sink.file.headers += 1,
            Parsed::Inner(inner) if depth < MAX_NESTING => {
                let inner = inner.trim_ascii_end();
                self.line(sink, inner, depth + 1);
            }
            Parsed::Inner(inner) => self.reject(sink, Problem::Parse(Reject::Layout), inner),
            Parsed::Reject(reason) => self.reject(sink, Problem::Parse(*reason), b""),
        }
    }

    fn count(&mut self, sink: &mut Sink<'_>, record: &Record<'_>, prefix_time: Option<i64>) {
        let time = record.time.or(prefix_time);
        let filter = &sink.options.filter;
        if !filter.in_window(time) {
            sink.file.outside_window += 1;
            return;
        }
        if !filter.wants(record.status) {
            sink.file.other_codes += 1;
            return;
        }
        if let Some(slot) = sink.file.codes.get_mut(usize::from(record.status)) {
            *slot += 1;
        }
        sink.tally.add(record, time, sink.catalogue);
    }

    pub(super) fn reject(&mut self, sink: &mut Sink<'_>, problem: Problem, text: &[u8]) {
        sink.file.rejected += 1;
        sink.tally.reject(self.parser.describe(), problem, text, &sink.file.label, sink.file.lines);
    }
}
