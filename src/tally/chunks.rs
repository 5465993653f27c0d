//! Lines out of the chunks a followed input arrives in: a partial last line
//! waits for the rest of it, and the first lines wait until there are enough
//! to detect the format from. Line ends are found in the first chunks: `\n`
//! (with or without `\r` before it), or a bare `\r` (old Mac line ends).

use memchr::{memchr, memchr2};

use super::formats::DETECTION_LINES;
use super::reader::MAX_LINE;
use super::{Options, Reading, Sink};

#[derive(Default)]
pub struct Lines {
    pending: Vec<u8>,
    head: Vec<Vec<u8>>,
    reading: Option<Reading>,
    /// `None` until a line end has been seen.
    separator: Option<u8>,
}

/// The line end of data whose first line end is in `data`: `\n`, or `\r` when
/// a `\r` comes first and is not the first half of a CRLF. `None` while it
/// cannot tell yet (no line end, or a `\r` that ends the data).
fn separator_of(data: &[u8]) -> Option<u8> {
    let at = memchr2(b'\n', b'\r', data)?;
    match (data[at], data.get(at + 1)) {
        (b'\n', _) | (_, Some(b'\n')) => Some(b'\n'),
        (_, Some(_)) => Some(b'\r'),
        (_, None) => None,
    }
}

impl Lines {
    /// Lines of an input whose start was already read: as `reading`, with
    /// lines ending in `separator` (both `None` when it was empty).
    pub fn resumed(reading: Option<Reading>, separator: Option<u8>) -> Self {
        Lines { reading, separator, ..Lines::default() }
    }

    /// The format the lines are read as, once detected.
    pub fn reading(&self) -> Option<&Reading> {
        self.reading.as_ref()
    }

    /// Whether lines are held until the format is detected.
    pub fn holds_head(&self) -> bool {
        !self.head.is_empty()
    }

    /// Adds `data`; at `end` a partial last line is read too. Whole lines
    /// are read where they lie in `data`: only a line cut by the chunk's end
    /// is copied, to wait for the rest of it.
    pub fn feed(&mut self, data: &[u8], options: &Options, sink: &mut Sink<'_>, end: bool) {
        let Some(separator) = self.separator else {
            self.pending.extend_from_slice(data);
            self.separator = separator_of(&self.pending);
            if self.separator.is_none() && !end && self.pending.len() <= MAX_LINE {
                return;
            }
            let held = std::mem::take(&mut self.pending);
            self.separator.get_or_insert(b'\n');
            return self.feed(&held, options, sink, end);
        };
        let mut rest = data;
        if !self.pending.is_empty() {
            let cut = memchr(separator, rest);
            self.pending.extend_from_slice(&rest[..cut.unwrap_or(rest.len())]);
            rest = cut.map_or(&[], |at| &rest[at + 1..]);
            if cut.is_some() {
                self.take_pending(options, sink);
            }
        }
        if self.pending.is_empty() {
            while let Some(at) = memchr(separator, rest) {
                self.line(&rest[..at], options, sink);
                rest = &rest[at + 1..];
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
    pub fn detect_now(&mut self, options: &Options, sink: &mut Sink<'_>) {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::Catalogue;
    use crate::tally::FileReport;
    use crate::tally::count::Tally;

    const LINE: &str = "1.2.3.4 - - [07/Feb/2020:11:48:51 +0000] \"GET / HTTP/1.1\" 502 5 \"-\" \"x\"";

    /// Lines and statuses counted from `chunks`, fed in turn and then ended.
    fn counted(chunks: &[String]) -> (u64, u64) {
        let (options, catalogue) = (Options::default(), Catalogue::embedded().unwrap());
        let (mut tally, mut file) = (Tally::default(), FileReport::new("test".into()));
        let mut lines = Lines::default();
        for (i, chunk) in chunks.iter().enumerate() {
            let mut sink = Sink { options: &options, catalogue: &catalogue, tally: &mut tally, file: &mut file };
            lines.feed(chunk.as_bytes(), &options, &mut sink, i + 1 == chunks.len());
        }
        (file.lines, tally.counted)
    }

    #[test]
    fn every_line_end_across_chunk_edges() {
        for end in ["\n", "\r\n", "\r"] {
            let text = format!("{LINE}{end}").repeat(3);
            // Cut at every byte: a CRLF split in two, a line cut anywhere.
            for cut in 1..text.len() {
                let chunks = [text[..cut].to_string(), text[cut..].to_string(), String::new()];
                assert_eq!(counted(&chunks), (3, 3), "{end:?} cut at {cut}");
            }
        }
    }

    #[test]
    fn the_line_end_is_told_from_the_first_one() {
        assert_eq!(separator_of(b"a\nb"), Some(b'\n'));
        assert_eq!(separator_of(b"a\r\nb"), Some(b'\n'));
        assert_eq!(separator_of(b"a\rb\rc"), Some(b'\r'));
        // A CR at the end of a chunk may be the first half of a CRLF.
        assert_eq!(separator_of(b"a\r"), None);
        assert_eq!(separator_of(b"no end yet"), None);
    }
}
