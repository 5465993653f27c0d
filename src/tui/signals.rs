//! Signals that would otherwise leave the terminal broken. The handlers only call
//! async-signal-safe functions (write, tcsetattr, raise, _exit) and read statics
//! that were set before they were registered.
//!
//! - SIGTERM, SIGHUP, SIGINT, SIGQUIT: restore the terminal and exit 128 + n, as
//!   a shell reports a death by that signal.
//! - SIGTSTP (Ctrl-Z in the browser raises it too): restore the terminal, then stop.
//! - SIGCONT: re-enter raw mode and the alternate screen, turn mouse reporting
//!   and bracketed paste back on, and wake the event loop (by raising SIGWINCH,
//!   which crossterm listens for) so that it repaints the whole screen.

use std::io;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};

use libc::c_int;

/// Leaves bracketed paste, mouse reporting and the alternate screen and shows
/// the cursor: the inverse of `ENTER_SEQUENCE`, in reverse order.
const RESET_SEQUENCE: &[u8] = b"\x1b[?2004l\x1b[?1006l\x1b[?1015l\x1b[?1003l\x1b[?1002l\x1b[?1000l\x1b[?1049l\x1b[?25h";

/// What `tui::run` turns on, as crossterm writes it: the alternate screen, mouse
/// reporting (EnableMouseCapture), bracketed paste (EnableBracketedPaste).
const ENTER_SEQUENCE: &[u8] = b"\x1b[?1049h\x1b[?1000h\x1b[?1002h\x1b[?1003h\x1b[?1015h\x1b[?1006h\x1b[?2004h";

/// Exit status after a fatal signal, as shells report a signal death (128 + n).
const SIGNAL_EXIT_BASE: c_int = 128;

/// The terminal settings from before raw mode, put back on the way out.
static COOKED: OnceLock<libc::termios> = OnceLock::new();
/// The settings in raw mode, put back after a suspend.
static RAW: OnceLock<libc::termios> = OnceLock::new();
/// Whether the browser owns the terminal; after the normal restore, a late
/// SIGCONT must not take it back.
static ACTIVE: AtomicBool = AtomicBool::new(false);
/// Set on SIGCONT: the screen must be repainted from scratch.
static RESUMED: AtomicBool = AtomicBool::new(false);

fn terminal_settings() -> Option<libc::termios> {
    // SAFETY: tcgetattr only writes the struct we pass; on failure we return None.
    unsafe {
        let mut termios: libc::termios = std::mem::zeroed();
        (libc::tcgetattr(libc::STDIN_FILENO, &mut termios) == 0).then_some(termios)
    }
}

/// Before raw mode: remember the settings to restore, and restore them on the
/// fatal signals from now on.
pub fn install_exit_handlers() -> io::Result<()> {
    if let Some(termios) = terminal_settings() {
        let _ = COOKED.set(termios);
    }
    for signal in [libc::SIGTERM, libc::SIGHUP, libc::SIGINT, libc::SIGQUIT] {
        // SAFETY: the handler only calls async-signal-safe functions and reads a
        // OnceLock set above, before registration.
        unsafe {
            signal_hook::low_level::register(signal, move || restore_and_exit(signal))?;
        }
    }
    Ok(())
}

/// Once in raw mode with the screen set up: handle suspend and resume.
pub fn install_suspend_handlers() -> io::Result<()> {
    if let Some(termios) = terminal_settings() {
        let _ = RAW.set(termios);
    }
    ACTIVE.store(true, Ordering::SeqCst);
    // SAFETY: both handlers only call async-signal-safe functions and read
    // statics set above, before registration.
    unsafe {
        signal_hook::low_level::register(libc::SIGTSTP, leave_and_stop)?;
        signal_hook::low_level::register(libc::SIGCONT, reenter)?;
    }
    Ok(())
}

/// The browser is restoring the terminal for good.
pub fn deactivate() {
    ACTIVE.store(false, Ordering::SeqCst);
}

/// Whether the process was continued since the last call (the screen needs a full repaint).
pub fn take_resumed() -> bool {
    RESUMED.swap(false, Ordering::SeqCst)
}

/// Ctrl-Z: suspend as the shell's SIGTSTP would, through the same handler.
pub fn suspend() {
    // SAFETY: raise only sends a signal to this process.
    unsafe {
        libc::raise(libc::SIGTSTP);
    }
}

fn write_all(bytes: &[u8]) {
    // SAFETY: write is async-signal-safe; a short or failed write leaves nothing to do.
    unsafe {
        libc::write(libc::STDOUT_FILENO, bytes.as_ptr().cast(), bytes.len());
    }
}

fn set_terminal(settings: &OnceLock<libc::termios>) {
    if let Some(termios) = settings.get() {
        // SAFETY: tcsetattr is async-signal-safe and reads the struct we pass.
        unsafe {
            libc::tcsetattr(libc::STDIN_FILENO, libc::TCSANOW, termios);
        }
    }
}

fn restore_and_exit(signal: c_int) {
    write_all(RESET_SEQUENCE);
    set_terminal(&COOKED);
    // SAFETY: _exit is async-signal-safe and skips destructors that could block.
    unsafe { libc::_exit(SIGNAL_EXIT_BASE + signal) }
}

fn leave_and_stop() {
    if ACTIVE.load(Ordering::SeqCst) {
        write_all(RESET_SEQUENCE);
        set_terminal(&COOKED);
    }
    // SIGTSTP is blocked while its handler runs and SIGSTOP cannot be: this stops
    // here, now, as signal-hook's emulate_default_handler does. SIGCONT resumes.
    // SAFETY: raise only sends a signal to this process.
    unsafe {
        libc::raise(libc::SIGSTOP);
    }
}

fn reenter() {
    if !ACTIVE.load(Ordering::SeqCst) {
        return;
    }
    set_terminal(&RAW);
    write_all(ENTER_SEQUENCE);
    RESUMED.store(true, Ordering::SeqCst);
    // SAFETY: raise only sends a signal to this process.
    unsafe {
        libc::raise(libc::SIGWINCH);
    }
}
