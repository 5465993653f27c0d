//! The threads that read a followed log: a file polled at its end and
//! reopened across rotation and truncation, as `tail -F` does, or a stream
//! read as it arrives. Each sends what it read down a channel.

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, Sender};
use std::thread;
use std::time::Duration;

use super::reader::Input;

/// How often a file at its end is looked at again.
const POLL: Duration = Duration::from_millis(200);

/// What the reading thread sends.
pub enum Event {
    Data(Vec<u8>),
    /// The file was replaced (rotated) or cut (truncated): said on stderr.
    Reopened(&'static str),
    Failed(io::Error),
}

/// Where followed lines come from.
pub enum Source {
    /// A file, read on from where `file` stands, as `tail -F` does.
    Tail { path: PathBuf, file: File },
    /// A stream read as it arrives until it ends (standard input).
    Stream(File),
}

impl Source {
    /// A thread reading the source, and the channel it sends on.
    pub fn start(self) -> Receiver<Event> {
        let (sender, events) = mpsc::channel();
        match self {
            Source::Tail { path, file } => thread::spawn(move || tail(&path, file, &sender)),
            Source::Stream(stream) => thread::spawn(move || read_stream(stream, &sender)),
        };
        events
    }
}

/// A second handle on standard input, for a reader that outlives the
/// terminal's use of descriptor 0 (the browser reads keys from there).
pub fn stdin_stream() -> io::Result<File> {
    use std::os::fd::AsFd;
    Ok(File::from(io::stdin().as_fd().try_clone_to_owned()?))
}

pub fn source(input: &Input) -> io::Result<Source> {
    match input {
        Input::Stdin => Ok(Source::Stream(stdin_stream()?)),
        // Open once here, so a missing file is an error now, not a silent wait.
        Input::File(path) => Ok(Source::Tail { path: path.clone(), file: File::open(path)? }),
    }
}

fn read_stream(mut stream: File, sender: &Sender<Event>) {
    let mut buffer = vec![0; 64 * 1024];
    loop {
        match stream.read(&mut buffer) {
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
    let mut position = file.stream_position().unwrap_or(0);
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
