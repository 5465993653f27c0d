//! The threads that read followed logs: a file polled at its end and
//! reopened across rotation and truncation, as `tail -F` does, or a stream
//! read as it arrives (decompressed when it is gzip). Each thread sends what
//! it read, tagged with its input's place, down one channel shared by all.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Seek, SeekFrom};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;
use std::thread;
use std::time::Duration;

use flate2::bufread::MultiGzDecoder;

use super::reader::GZIP_MAGIC;

/// How often a file at its end is looked at again.
const POLL: Duration = Duration::from_millis(200);

/// What a reading thread sends, with the place of its input.
pub type Sent = (usize, Event);

pub enum Event {
    Data(Vec<u8>),
    /// The file was replaced or cut: said on stderr and in the browser.
    Reopened(Reopen),
    /// The stream ended: nothing more will come from it.
    Ended,
    /// Reading failed, and stopped; `gzip` when the data was compressed.
    Failed {
        error: io::Error,
        gzip: bool,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reopen {
    Rotated,
    Truncated,
}

impl Reopen {
    /// What happened and what the reading does about it, after the file's name.
    pub fn describe(self) -> &'static str {
        match self {
            Reopen::Rotated => "rotated, reading the new file",
            Reopen::Truncated => "truncated, reading it from the start",
        }
    }
}

/// Where followed lines come from.
pub enum Source {
    /// A file, read on from where `file` stands, as `tail -F` does.
    Tail { path: PathBuf, file: File },
    /// A stream read as it arrives until it ends (standard input).
    Stream(File),
}

impl Source {
    /// Starts a thread reading the source, sending as input `place`.
    pub fn start(self, place: usize, sender: Sender<Sent>) -> io::Result<()> {
        let send = move |event| sender.send((place, event)).is_ok();
        match self {
            Source::Tail { path, file } => {
                thread::Builder::new().name("log file".into()).spawn(move || tail(&path, file, send))
            }
            Source::Stream(stream) => {
                thread::Builder::new().name("log stream".into()).spawn(move || read_stream(stream, send))
            }
        }?;
        Ok(())
    }
}

/// A second handle on standard input, for a reader that outlives the
/// terminal's use of descriptor 0 (the browser reads keys from there).
pub fn stdin_stream() -> io::Result<File> {
    use std::os::fd::AsFd;
    Ok(File::from(io::stdin().as_fd().try_clone_to_owned()?))
}

/// Reads `stream` until it ends; gzip data (recognised by its first bytes) is
/// decompressed as it comes.
fn read_stream(stream: File, send: impl Fn(Event) -> bool) {
    let mut buffered = BufReader::with_capacity(64 * 1024, stream);
    let gzip = match buffered.fill_buf() {
        Ok(head) => head.starts_with(&GZIP_MAGIC),
        Err(error) => {
            send(Event::Failed { error, gzip: false });
            return;
        }
    };
    let mut reader: Box<dyn Read> = if gzip { Box::new(MultiGzDecoder::new(buffered)) } else { Box::new(buffered) };
    let mut buffer = vec![0; 64 * 1024];
    loop {
        match reader.read(&mut buffer) {
            Ok(0) => {
                send(Event::Ended);
                return;
            }
            Ok(n) => {
                if !send(Event::Data(buffer[..n].to_vec())) {
                    return;
                }
            }
            Err(err) if err.kind() == io::ErrorKind::Interrupted => {}
            Err(error) => {
                send(Event::Failed { error, gzip });
                return;
            }
        }
    }
}

/// Reads `file` to its end, then keeps polling `path`: a new file there
/// (rotation) is read from its start once the old one is drained; a file
/// shorter than what was read (truncation) is read again from its start.
fn tail(path: &Path, mut file: File, send: impl Fn(Event) -> bool) {
    let mut buffer = vec![0; 64 * 1024];
    let mut position = file.stream_position().unwrap_or(0);
    let mut inode = file.metadata().map(|m| m.ino()).unwrap_or(0);
    loop {
        match file.read(&mut buffer) {
            Ok(0) => {}
            Ok(n) => {
                position += n as u64;
                if !send(Event::Data(buffer[..n].to_vec())) {
                    return;
                }
                continue;
            }
            Err(err) if err.kind() == io::ErrorKind::Interrupted => continue,
            Err(error) => {
                send(Event::Failed { error, gzip: false });
                return;
            }
        }
        thread::sleep(POLL);
        let reopen = match reopened(path, inode, position) {
            Some(Change::Rotated(new)) => {
                // What the writer added to the old file before it moved on.
                while let Ok(n @ 1..) = file.read(&mut buffer) {
                    if !send(Event::Data(buffer[..n].to_vec())) {
                        return;
                    }
                }
                inode = new.metadata().map(|m| m.ino()).unwrap_or(0);
                file = new;
                Reopen::Rotated
            }
            Some(Change::Truncated) => {
                if file.seek(SeekFrom::Start(0)).is_err() {
                    return;
                }
                Reopen::Truncated
            }
            None => continue,
        };
        position = 0;
        if !send(Event::Reopened(reopen)) {
            return;
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
