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
/// holding one whole would let a single line grow memory without bound. It is
/// the whole buffer: a line that fills it without a newline is too long.
pub const MAX_LINE: usize = BUFFER;
/// Files larger than this get a progress bar when stderr is a terminal.
const PROGRESS_THRESHOLD: u64 = 256 << 20;
pub const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

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
    /// The plain file again, sharing the reader's offset: where reading
    /// stopped is where following the file goes on. `None` for standard input.
    pub file: Option<File>,
}

/// Opens an input; a progress bar is attached when `progress` allows one and
/// the file is large enough to need it.
pub fn open(input: &Input, progress: bool) -> io::Result<Opened> {
    let mut handle = None;
    let (raw, bar): (Box<dyn Read>, Option<ProgressBar>) = match input {
        Input::Stdin => (Box::new(io::stdin()), None),
        Input::File(path) => {
            let file = File::open(path)?;
            let metadata = file.metadata()?;
            if metadata.is_dir() {
                return Err(io::Error::other("is a directory"));
            }
            handle = Some(file.try_clone()?);
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
    Ok(Opened { reader, gzip, progress: bar, file: handle })
}

/// A file read from an offset with positioned reads, which leave the
/// descriptor's offset (shared with its clones) alone.
pub struct FileAt {
    pub file: File,
    pub offset: u64,
}

impl Read for FileAt {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let read = std::os::unix::fs::FileExt::read_at(&self.file, out, self.offset)?;
        self.offset += read as u64;
        Ok(read)
    }
}

/// One line, without its newline (a trailing `\r` is left for the caller).
#[derive(Debug, PartialEq, Eq)]
pub enum Line<'a> {
    Text(&'a [u8]),
    /// A line longer than `MAX_LINE`, skipped; its length in bytes.
    TooLong(u64),
}

/// Splits a reader into lines with memchr over one buffer that is reused.
///
/// A run of NUL bytes at the start of a line is dropped and counted: it is
/// what `copytruncate` leaves when the writer keeps its offset, and the lines
/// after it are as good as any (a run longer than the buffer is dropped too).
pub struct LineReader<R> {
    inner: R,
    buf: Vec<u8>,
    start: usize,
    end: usize,
    eof: bool,
    /// A read error, held back until the lines read before it are handed out.
    error: Option<io::Error>,
    /// `\n`, or `\r` for a file whose lines end in a bare carriage return.
    separator: u8,
    /// NUL bytes dropped so far.
    pub nul_bytes: u64,
    /// Bytes read from `inner` so far, and where reading is to stop.
    consumed: u64,
    limit: u64,
}

impl<R: Read> LineReader<R> {
    pub fn new(inner: R) -> Self {
        LineReader {
            inner,
            buf: vec![0; BUFFER],
            start: 0,
            end: 0,
            eof: false,
            error: None,
            separator: b'\n',
            nul_bytes: 0,
            consumed: 0,
            limit: u64::MAX,
        }
    }

    /// Bytes read from the input so far (the lines handed out and the ones buffered).
    pub fn consumed(&self) -> u64 {
        self.consumed
    }

    /// Ends the input at byte `offset` of it (at least what was read already):
    /// the part after it is read elsewhere.
    pub fn stop_at(&mut self, offset: u64) {
        self.limit = offset.max(self.consumed);
    }

    /// Splits lines at bare carriage returns (old Mac line ends), as a file
    /// whose head has `\r` and no `\n` needs.
    pub fn split_at_carriage_returns(&mut self) {
        self.separator = b'\r';
    }

    /// The buffered bytes after reading until at least `want` are there or the
    /// input ended (detection looks at the first lines this way), and whether
    /// they are the whole input. Fails only when a read error came before any byte.
    pub fn peek(&mut self, want: usize) -> io::Result<(&[u8], bool)> {
        loop {
            // A copytruncate hole at the start is dropped before detection looks.
            if self.start < self.end && self.buf[self.start] == 0 {
                self.skip_nul_run();
                continue;
            }
            if self.end - self.start >= want.min(BUFFER) || self.eof {
                break;
            }
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
            if self.buf.get(self.start) == Some(&0) && self.start < self.end {
                self.skip_nul_run();
                continue;
            }
            if let Some(newline) = memchr(self.separator, &self.buf[self.start..self.end]) {
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
        let room = (self.buf.len() - self.end).min(usize::try_from(self.limit - self.consumed).unwrap_or(usize::MAX));
        loop {
            match self.inner.read(&mut self.buf[self.end..self.end + room]) {
                Ok(0) => {
                    self.eof = true;
                    return;
                }
                Ok(read) => {
                    self.end += read;
                    self.consumed += read as u64;
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

    /// Drops the NUL bytes at the start of the buffered bytes (reading more
    /// while the buffer holds nothing else), counting them.
    fn skip_nul_run(&mut self) {
        let run = self.buf[self.start..self.end].iter().take_while(|&&b| b == 0).count();
        self.nul_bytes += run as u64;
        self.start += run;
        if self.start == self.end && !self.eof {
            self.start = 0;
            self.end = 0;
            self.refill();
        }
    }

    /// Drops bytes up to the next newline, counting them. When the stretch
    /// ends in NUL bytes (a line cut short, then a `copytruncate` hole), the
    /// text after the last NUL is kept as the next line.
    fn skip_long_line(&mut self) -> Line<'static> {
        let mut skipped = 0u64;
        loop {
            if let Some(newline) = memchr(self.separator, &self.buf[self.start..self.end]) {
                let stretch = &self.buf[self.start..self.start + newline];
                if let Some(nul) = memchr::memrchr(0, stretch) {
                    skipped += nul as u64 + 1;
                    self.start += nul + 1;
                    return Line::TooLong(skipped);
                }
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
        // Just under the limit is a line like any other.
        let mut under = vec![b'y'; MAX_LINE - 1];
        under.extend_from_slice(b"\nnext\n");
        let lines = collect(&under, BUFFER);
        assert_eq!((lines[0].len(), lines[1].as_str()), (MAX_LINE - 1, "next"));
    }

    #[test]
    fn nul_runs_at_a_line_start_are_dropped_and_counted() {
        // copytruncate: the writer's next line lands after a hole of NULs,
        // here longer than the buffer, then more lines follow.
        let mut data = b"old\n".to_vec();
        data.extend(std::iter::repeat_n(0u8, 2 * BUFFER + 7));
        data.extend_from_slice(b"new 1\nnew 2\n\0\0\0new 3");
        for step in [1 << 16, BUFFER] {
            let mut reader = LineReader::new(Trickle { data: &data, step });
            let mut lines = Vec::new();
            while let Some(Line::Text(text)) = reader.next_line().unwrap() {
                lines.push(String::from_utf8_lossy(text).into_owned());
            }
            assert_eq!(lines, ["old", "new 1", "new 2", "new 3"]);
            assert_eq!(reader.nul_bytes, 2 * BUFFER as u64 + 10);
        }
        // A partial line before the hole: the stretch is too long, the line after it is kept.
        let mut cut = b"partial".to_vec();
        cut.extend(std::iter::repeat_n(0u8, BUFFER + 1));
        cut.extend_from_slice(b"kept\n");
        assert_eq!(collect(&cut, 1 << 16), [format!("<{} bytes>", BUFFER + 8), "kept".to_string()]);
    }

    #[test]
    fn bare_carriage_returns_split_lines_when_asked() {
        let mut reader = LineReader::new(Trickle { data: b"a\rb\rc", step: 2 });
        reader.split_at_carriage_returns();
        let mut lines = Vec::new();
        while let Some(Line::Text(text)) = reader.next_line().unwrap() {
            lines.push(text.to_vec());
        }
        assert_eq!(lines, [b"a".to_vec(), b"b".to_vec(), b"c".to_vec()]);
    }
}
