//! Input: files, standard input, gzip recognised by its magic bytes and
//! decompressed as a stream, and a line splitter over one reused buffer, so
//! memory stays flat whatever the size of the log.

use std::fs::File;
use std::io::{self, BufRead, BufReader, IsTerminal, Read};
use std::path::PathBuf;

use flate2::bufread::MultiGzDecoder;
use indicatif::{ProgressBar, ProgressStyle};
use memchr::memchr;

/// Bytes read from the input at a time.
pub const BUFFER: usize = 1 << 20;
/// Longer lines are skipped and reported: no access log line is this long, and
/// holding one whole would let a single line grow memory without bound.
pub const MAX_LINE: usize = 256 * 1024;
/// Files larger than this get a progress bar when stderr is a terminal.
const PROGRESS_THRESHOLD: u64 = 256 << 20;
const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

/// A file to read, or standard input (no file, or `-`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    Stdin,
    File(PathBuf),
}

impl Input {
    pub fn from_arg(arg: PathBuf) -> Self {
        if arg.as_os_str() == "-" { Input::Stdin } else { Input::File(arg) }
    }

    /// How messages and the report name it.
    pub fn label(&self) -> String {
        match self {
            Input::Stdin => "standard input".to_string(),
            Input::File(path) => path.display().to_string(),
        }
    }
}

/// An opened input, decompressed when it is gzip.
pub struct Opened {
    pub reader: Box<dyn Read>,
    pub gzip: bool,
    pub progress: Option<ProgressBar>,
}

/// Opens an input; a progress bar is attached when `progress` allows one and
/// the file is large enough to need it.
pub fn open(input: &Input, progress: bool) -> io::Result<Opened> {
    let (raw, bar): (Box<dyn Read>, Option<ProgressBar>) = match input {
        Input::Stdin => (Box::new(io::stdin()), None),
        Input::File(path) => {
            let file = File::open(path)?;
            let metadata = file.metadata()?;
            if metadata.is_dir() {
                return Err(io::Error::other("is a directory"));
            }
            if progress && metadata.len() > PROGRESS_THRESHOLD && io::stderr().is_terminal() {
                let bar = ProgressBar::new(metadata.len()).with_style(
                    ProgressStyle::with_template("{msg} {wide_bar} {bytes}/{total_bytes} {eta}")
                        .unwrap_or_else(|_| ProgressStyle::default_bar()),
                );
                bar.set_message(input.label());
                (Box::new(bar.wrap_read(file)), Some(bar))
            } else {
                (Box::new(file), None)
            }
        }
    };
    let mut buffered = BufReader::with_capacity(64 * 1024, raw);
    let gzip = buffered.fill_buf()?.starts_with(&GZIP_MAGIC);
    let reader: Box<dyn Read> = if gzip { Box::new(MultiGzDecoder::new(buffered)) } else { Box::new(buffered) };
    Ok(Opened { reader, gzip, progress: bar })
}

/// One line, without its newline (a trailing `\r` is left for the caller).
#[derive(Debug, PartialEq, Eq)]
pub enum Line<'a> {
    Text(&'a [u8]),
    /// A line longer than `MAX_LINE`, skipped; its length in bytes.
    TooLong(u64),
}

/// Splits a reader into lines with memchr over one buffer that is reused.
pub struct LineReader<R> {
    inner: R,
    buf: Vec<u8>,
    start: usize,
    end: usize,
    eof: bool,
    /// A read error, held back until the lines read before it are handed out.
    error: Option<io::Error>,
}

impl<R: Read> LineReader<R> {
    pub fn new(inner: R) -> Self {
        LineReader { inner, buf: vec![0; BUFFER], start: 0, end: 0, eof: false, error: None }
    }

    /// The buffered bytes after reading until at least `want` are there or the
    /// input ended (detection looks at the first lines this way), and whether
    /// they are the whole input. Fails only when a read error came before any byte.
    pub fn peek(&mut self, want: usize) -> io::Result<(&[u8], bool)> {
        while self.end - self.start < want.min(BUFFER) && !self.eof {
            self.refill();
        }
        if self.start == self.end {
            if let Some(err) = self.error.take() {
                return Err(err);
            }
        }
        Ok((&self.buf[self.start..self.end], self.eof))
    }

    /// The next line; a read error is returned after the lines before it.
    pub fn next_line(&mut self) -> io::Result<Option<Line<'_>>> {
        loop {
            if let Some(newline) = memchr(b'\n', &self.buf[self.start..self.end]) {
                let line = self.start..self.start + newline;
                self.start = line.end + 1;
                return Ok(Some(Line::Text(&self.buf[line])));
            }
            if self.eof {
                if self.start == self.end {
                    return self.error.take().map_or(Ok(None), Err);
                }
                let line = self.start..self.end;
                self.start = self.end;
                return Ok(Some(Line::Text(&self.buf[line])));
            }
            if self.end - self.start >= MAX_LINE {
                return Ok(Some(self.skip_long_line()));
            }
            self.refill();
        }
    }

    /// Moves the partial line to the front and reads more after it. An error
    /// ends the input like end of file, and is kept for `next_line` to report.
    fn refill(&mut self) {
        if self.start > 0 {
            self.buf.copy_within(self.start..self.end, 0);
            self.end -= self.start;
            self.start = 0;
        }
        loop {
            match self.inner.read(&mut self.buf[self.end..]) {
                Ok(0) => {
                    self.eof = true;
                    return;
                }
                Ok(read) => {
                    self.end += read;
                    return;
                }
                Err(err) if err.kind() == io::ErrorKind::Interrupted => {}
                Err(err) => {
                    self.eof = true;
                    self.error = Some(err);
                    return;
                }
            }
        }
    }

    /// Drops bytes up to the next newline, counting them.
    fn skip_long_line(&mut self) -> Line<'static> {
        let mut skipped = 0u64;
        loop {
            if let Some(newline) = memchr(b'\n', &self.buf[self.start..self.end]) {
                skipped += newline as u64;
                self.start += newline + 1;
                return Line::TooLong(skipped);
            }
            skipped += (self.end - self.start) as u64;
            self.start = 0;
            self.end = 0;
            if self.eof {
                return Line::TooLong(skipped);
            }
            self.refill();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A reader that hands out at most `step` bytes per read, to cross buffer edges.
    struct Trickle<'a> {
        data: &'a [u8],
        step: usize,
    }

    impl Read for Trickle<'_> {
        fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
            let n = self.data.len().min(self.step).min(out.len());
            out[..n].copy_from_slice(&self.data[..n]);
            self.data = &self.data[n..];
            Ok(n)
        }
    }

    fn collect(data: &[u8], step: usize) -> Vec<String> {
        let mut reader = LineReader::new(Trickle { data, step });
        let mut lines = Vec::new();
        while let Some(line) = reader.next_line().unwrap() {
            lines.push(match line {
                Line::Text(text) => String::from_utf8_lossy(text).into_owned(),
                Line::TooLong(n) => format!("<{n} bytes>"),
            });
        }
        lines
    }

    #[test]
    fn lines_across_reads() {
        assert_eq!(collect(b"a\nbb\n\nccc", 1), ["a", "bb", "", "ccc"]);
        assert_eq!(collect(b"a\nbb\n", 3), ["a", "bb"]);
        assert!(collect(b"", 3).is_empty());
    }

    /// Hands out its data, then fails.
    struct Failing<'a>(&'a [u8]);

    impl Read for Failing<'_> {
        fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
            if self.0.is_empty() {
                return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "cut"));
            }
            let n = self.0.len().min(out.len());
            out[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }

    #[test]
    fn an_error_comes_after_the_lines_before_it() {
        let mut reader = LineReader::new(Failing(b"a\nb\npartial"));
        assert_eq!(reader.peek(100).unwrap(), (b"a\nb\npartial".as_slice(), true));
        assert_eq!(reader.next_line().unwrap(), Some(Line::Text(b"a")));
        assert_eq!(reader.next_line().unwrap(), Some(Line::Text(b"b")));
        assert_eq!(reader.next_line().unwrap(), Some(Line::Text(b"partial")));
        assert!(reader.next_line().is_err());
        assert!(LineReader::new(Failing(b"")).peek(10).is_err());
    }

    #[test]
    fn a_long_line_is_skipped_and_the_rest_read() {
        let mut data = b"first\n".to_vec();
        data.extend(std::iter::repeat_n(b'x', 3 * BUFFER));
        data.extend_from_slice(b"\nlast\n");
        assert_eq!(collect(&data, BUFFER / 3), ["first", &format!("<{} bytes>", 3 * BUFFER), "last"]);
        let mut unterminated = b"first\n".to_vec();
        unterminated.extend(std::iter::repeat_n(b'x', MAX_LINE + 5));
        assert_eq!(collect(&unterminated, 4096), ["first", &format!("<{} bytes>", MAX_LINE + 5)]);
    }
}
