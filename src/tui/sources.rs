//! What wakes the event loop, as messages on one channel: bytes from the
//! terminal, the signals the loop acts on, and new counts of a log being
//! followed. Each source is a thread that sends into the channel.

use std::fs::OpenOptions;
use std::io::{self, IsTerminal};
use std::os::fd::AsRawFd;
use std::sync::mpsc::{self, Receiver, Sender};
use std::thread;
use std::time::Instant;

use libc::c_int;
use signal_hook::iterator::Signals;

use crate::catalogue::Catalogue;
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
    /// The followed log's counts changed.
    Log(LogCounts),
}

/// The signals the loop hears of (their handlers in `signals` have run by then).
const WATCHED: [c_int; 3] = [libc::SIGWINCH, libc::SIGCONT, libc::SIGTSTP];

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

/// Starts the terminal reader, the signal watcher and, with a log to follow,
/// its reader (which looks entries up in `catalogue`).
pub fn start(follow: Option<(Follower, Catalogue)>) -> io::Result<Receiver<Message>> {
    let (sender, receiver) = mpsc::channel();
    let mut signals = Signals::new(WATCHED)?;
    let input = sender.clone();
    // Threads inherit the signal mask: blocked in them, every signal is handled
    // on the main thread, so the Ctrl-Z handler runs before `kill` returns there.
    with_signals_blocked(|| -> io::Result<()> {
        thread::Builder::new().name("terminal input".into()).spawn(move || read_terminal(&input))?;
        if let Some((follower, catalogue)) = follow {
            let log = sender.clone();
            thread::Builder::new()
                .name("log".into())
                .spawn(move || follower.run(&catalogue, |counts| log.send(Message::Log(counts)).is_ok()))?;
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
    Ok(receiver)
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
