//! What wakes the event loop, as messages on one channel: bytes from the
//! terminal and the signals the loop acts on. Each source is a thread that
//! sends into the channel, so another producer (a log being followed, say)
//! only needs a sender and a message of its own.

use std::io;
use std::sync::mpsc::{self, Receiver, Sender};
use std::thread;
use std::time::Instant;

use libc::c_int;
use signal_hook::iterator::Signals;

#[derive(Debug)]
pub enum Message {
    /// The bytes of one read from the terminal, and when they arrived.
    Input { bytes: Vec<u8>, at: Instant },
    /// The terminal went away (end of file) or could not be read.
    InputEnded(io::Result<()>),
    /// SIGWINCH, SIGCONT or SIGTSTP arrived; their handlers left flags to act on.
    Signal,
}

/// The signals the loop hears of (their handlers in `signals` have run by then).
const WATCHED: [c_int; 3] = [libc::SIGWINCH, libc::SIGCONT, libc::SIGTSTP];

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

    /// Starts the terminal reader and the signal watcher. Keys typed before
    /// wait in the terminal's buffer.
    pub fn start(self) -> io::Result<Receiver<Message>> {
        let (sender, receiver) = mpsc::channel();
        let mut signals = self.signals;
        let input = sender.clone();
        // Threads inherit the signal mask: blocked in them, every signal is handled
        // on the main thread, so the Ctrl-Z handler runs before `kill` returns there.
        with_signals_blocked(|| -> io::Result<()> {
            thread::Builder::new().name("terminal input".into()).spawn(move || read_terminal(&input))?;
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
