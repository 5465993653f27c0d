//! What wakes the event loop, as messages on one channel: bytes from the
//! terminal, the signals the loop acts on, new counts of a log being followed,
//! and the team's overlays once loaded. Each source is a thread that sends
//! into the channel.

use std::fs::OpenOptions;
use std::io::{self, IsTerminal};
use std::os::fd::AsRawFd;
use std::sync::mpsc::{self, Receiver, Sender};
use std::thread;
use std::time::Instant;

use libc::c_int;
use signal_hook::iterator::Signals;

use crate::app::Searchable;
use crate::catalogue::Catalogue;
use crate::overlay::{self, Place};
use crate::tally::browse::LogCounts;
use crate::tally::follow::Follower;

#[derive(Debug)]
pub enum Message {
    /// The bytes of one read from the terminal, and when they arrived.
    Input { bytes: Vec<u8>, at: Instant },
    /// The terminal went away (end of file) or could not be read.
    InputEnded(io::Result<()>),
    /// SIGWINCH, SIGCONT or SIGTSTP arrived; their handlers left flags to act on.
    Signal,
    /// The catalogue with the team's overlays merged in, ready to search, and
    /// the overlays' problems.
    Overlays(Box<Searchable>, Vec<String>),
    /// The followed log's counts changed.
    Log(LogCounts),
}

/// The signals the loop hears of (their handlers in `signals` have run by then).
const WATCHED: [c_int; 3] = [libc::SIGWINCH, libc::SIGCONT, libc::SIGTSTP];

/// Reads, checks and merges the overlays in `places` over `base`, and indexes
/// the result, on a thread of its own, so neither the first frame nor the first
/// keystroke waits for them.
pub fn load_overlays(sender: Sender<Message>, base: Catalogue, places: Vec<Place>) -> io::Result<()> {
    with_signals_blocked(|| {
        thread::Builder::new().name("overlays".into()).spawn(move || {
            let (catalogue, report) = overlay::load(&base, &places);
            let problems: Vec<String> = report.problems.iter().map(ToString::to_string).collect();
            // Nothing found: the browser already has this catalogue.
            if catalogue.is_embedded() && problems.is_empty() {
                return;
            }
            // The browser may have closed meanwhile.
            let _ = sender.send(Message::Overlays(Box::new(Searchable::new(catalogue)), problems));
        })
    })?;
    Ok(())
}

/// When standard input carries the log (`... | statusbrowse --log -`), puts
/// the controlling terminal on descriptor 0 in its place, so that raw mode,
/// the key reader and the suspend handlers all find the terminal there. The
/// follower already holds a descriptor of its own on the log.
pub fn keys_from_controlling_terminal() -> io::Result<()> {
    if io::stdin().is_terminal() {
        return Ok(());
    }
    let tty = OpenOptions::new().read(true).write(true).open("/dev/tty")?;
    // SAFETY: dup2 onto descriptor 0 only replaces what it refers to; `tty`
    // stays valid until it is dropped after the call.
    if unsafe { libc::dup2(tty.as_raw_fd(), libc::STDIN_FILENO) } < 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

/// The signals registered, before the threads that deliver them start.
pub struct Sources {
    signals: Signals,
}

impl Sources {
    /// Registers the signals: one that arrives from now on is delivered once
    /// `start` has run.
    pub fn listen() -> io::Result<Self> {
        Ok(Sources { signals: Signals::new(WATCHED)? })
    }

    /// Starts the terminal reader, the signal watcher and, with a log to
    /// follow, its reader (which looks entries up in `catalogue`). Keys typed
    /// before wait in the terminal's buffer; the sender returned is for
    /// sources started later.
    pub fn start(self, follow: Option<(Follower, Catalogue)>) -> io::Result<(Sender<Message>, Receiver<Message>)> {
        let (sender, receiver) = mpsc::channel();
        let mut signals = self.signals;
        let input = sender.clone();
        let others = sender.clone();
        // Threads inherit the signal mask: blocked in them, every signal is handled
        // on the main thread, so the Ctrl-Z handler runs before `kill` returns there.
        with_signals_blocked(|| -> io::Result<()> {
            thread::Builder::new().name("terminal input".into()).spawn(move || read_terminal(&input))?;
            if let Some((follower, catalogue)) = follow {
                let log = sender.clone();
                thread::Builder::new().name("log".into()).spawn(move || {
                    // Should its readers fail to start, the browser keeps the counts it has.
                    let _ = follower.run(&catalogue, |counts| log.send(Message::Log(counts)).is_ok());
                })?;
            }
            thread::Builder::new().name("signals".into()).spawn(move || {
                for _ in signals.forever() {
                    if sender.send(Message::Signal).is_err() {
                        return;
                    }
                }
            })?;
            Ok(())
        })?;
        Ok((others, receiver))
    }
}

fn with_signals_blocked<T>(f: impl FnOnce() -> T) -> T {
    // SAFETY: the sets are initialised by sigfillset / pthread_sigmask before use,
    // and the calling thread's previous mask is put back.
    unsafe {
        let mut all: libc::sigset_t = std::mem::zeroed();
        let mut previous: libc::sigset_t = std::mem::zeroed();
        libc::sigfillset(&mut all);
        libc::pthread_sigmask(libc::SIG_BLOCK, &all, &mut previous);
        let result = f();
        libc::pthread_sigmask(libc::SIG_SETMASK, &previous, std::ptr::null_mut());
        result
    }
}

/// Reads the terminal (stdin) as it comes, one message per read, so the
/// decoder sees how the bytes were grouped and when they came.
fn read_terminal(sender: &Sender<Message>) {
    let mut buffer = vec![0u8; 64 * 1024];
    loop {
        // SAFETY: read writes at most buffer.len() bytes into the buffer.
        let read = unsafe { libc::read(libc::STDIN_FILENO, buffer.as_mut_ptr().cast(), buffer.len()) };
        let message = match usize::try_from(read) {
            Ok(0) => Message::InputEnded(Ok(())),
            Ok(n) => Message::Input { bytes: buffer[..n].to_vec(), at: Instant::now() },
            Err(_) => match io::Error::last_os_error() {
                error if error.kind() == io::ErrorKind::Interrupted => continue,
                error => Message::InputEnded(Err(error)),
            },
        };
        let ended = matches!(message, Message::InputEnded(_));
        if sender.send(message).is_err() || ended {
            return;
        }
    }
}
