//! Signals that would otherwise leave the terminal broken. The handlers only call
//! async-signal-safe functions (write, tcsetattr, tcgetpgrp, sigpending,
//! pthread_sigmask, kill, getppid, _exit) and read statics that were set
//! before they were registered.
//!
//! - SIGTERM, SIGHUP, SIGINT, SIGQUIT, and SIGUSR1, SIGUSR2, SIGALRM (which
//!   also end a program that does not handle them): restore the terminal and
//!   exit 128 + n, as a shell reports a death by that signal.
//! - SIGTSTP (Ctrl-Z in the browser sends it too): when a job-control shell can
//!   resume the process, restore the terminal, then stop. When none can (the
//!   program is a session leader, as under `ssh -t host statusbrowse`, `docker
//!   exec -it` or `xterm -e`, or its process group is orphaned), stopping would
//!   freeze the session for good: the browser says so and keeps running.
//! - SIGCONT: re-enter raw mode and the alternate screen, turn mouse reporting,
//!   bracketed paste and the keyboard protocol back on; the event loop, woken
//!   by the same signal, repaints the whole screen. A SIGCONT that comes
//!   after a SIGTSTP but before the process stopped cancels the stop, as it
//!   cancels a SIGTSTP not yet acted on (see `suspend`).

mod suspend;

use std::io;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};

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
/// Turns the kitty keyboard protocol's "disambiguate escape codes" on, and
/// back off. The protocol keeps a stack per screen: pushed after entering the
/// alternate screen, popped before leaving it.
const PUSH_KEYBOARD_PROTOCOL: &[u8] = b"\x1b[>1u";
const POP_KEYBOARD_PROTOCOL: &[u8] = b"\x1b[<u";
/// Asks which keyboard protocol flags are on; only terminals that speak the
/// protocol answer (`CSI ? flags u`), others ignore it.
const QUERY_KEYBOARD_PROTOCOL: &[u8] = b"\x1b[?u";

/// Whether the browser owns the terminal; after the normal restore, a late
/// SIGCONT must not take it back.
static ACTIVE: AtomicBool = AtomicBool::new(false);
/// Set on SIGCONT: the screen must be repainted from scratch.
static RESUMED: AtomicBool = AtomicBool::new(false);
/// Set when the terminal answered the keyboard protocol query and it was pushed.
static KEYBOARD_PROTOCOL: AtomicBool = AtomicBool::new(false);
/// The parent through which a job-control shell can resume this process (found
/// at start-up), or 0 when there is none. A new parent means the old one died
/// and the process was adopted: nobody is left to resume it.
static RESUMING_PARENT: AtomicI32 = AtomicI32::new(0);
/// This process's id, for the SIGTSTP handler to stop it without asking.
static OWN_PID: AtomicI32 = AtomicI32::new(0);
/// Set when a SIGTSTP was not obeyed, for the event loop to say why.
static SUSPEND_REFUSED: AtomicBool = AtomicBool::new(false);
/// Set by a SIGCONT handled inside the SIGTSTP handler's frame, before that
/// handler's body ran: the SIGCONT came after the SIGTSTP, so no stop.
static CONTINUED_BEFORE_STOP: AtomicBool = AtomicBool::new(false);

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
    for signal in
        [libc::SIGTERM, libc::SIGHUP, libc::SIGINT, libc::SIGQUIT, libc::SIGUSR1, libc::SIGUSR2, libc::SIGALRM]
    {
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
    RESUMING_PARENT.store(resuming_parent().unwrap_or(0), Ordering::SeqCst);
    // SAFETY: getpid cannot fail.
    OWN_PID.store(unsafe { libc::getpid() }, Ordering::SeqCst);
    ACTIVE.store(true, Ordering::SeqCst);
    // SAFETY: both handlers only call async-signal-safe functions and read
    // statics set above, before registration.
    unsafe {
        signal_hook::low_level::register(libc::SIGTSTP, suspend::on_sigtstp)?;
        signal_hook::low_level::register(libc::SIGCONT, reenter)?;
    }
    Ok(())
}

/// The browser gives the terminal back for good: the modes it turned on go off.
/// (Raw mode and the alternate screen are ratatui's to undo as well.)
pub fn restore() {
    ACTIVE.store(false, Ordering::SeqCst);
    leave_modes();
}

/// Whether the process was continued since the last call (the screen needs a full repaint).
pub fn take_resumed() -> bool {
    RESUMED.swap(false, Ordering::SeqCst)
}

/// Whether a SIGTSTP was refused since the last call (nothing could resume the process).
pub fn take_suspend_refused() -> bool {
    SUSPEND_REFUSED.swap(false, Ordering::SeqCst)
}

/// Ctrl-Z: stop the job as the terminal's own Ctrl-Z would, when a shell can
/// resume it; false, without stopping, when nothing could.
pub fn suspend() -> bool {
    if !can_resume() {
        return false;
    }
    // The whole process group, as the terminal does: a `cargo run` or `sh -c`
    // above the browser stops too, so its shell sees the job stop. The other
    // threads block signals, so this thread runs the handler before kill returns.
    // SAFETY: kill only sends a signal to this process group.
    unsafe {
        libc::kill(0, libc::SIGTSTP);
    }
    true
}

/// Asks the terminal whether it speaks the kitty keyboard protocol; the
/// answer comes with the keys, and `use_keyboard_protocol` acts on it.
pub fn query_keyboard_protocol() {
    write_all(QUERY_KEYBOARD_PROTOCOL);
}

/// The terminal speaks the kitty keyboard protocol: turn on its
/// disambiguation, so that Esc and Alt+key arrive as sequences of their own.
pub fn use_keyboard_protocol() {
    if ACTIVE.load(Ordering::SeqCst) && !KEYBOARD_PROTOCOL.swap(true, Ordering::SeqCst) {
        write_all(PUSH_KEYBOARD_PROTOCOL);
    }
}

fn leave_modes() {
    if KEYBOARD_PROTOCOL.load(Ordering::SeqCst) {
        write_all(POP_KEYBOARD_PROTOCOL);
    }
    write_all(RESET_SEQUENCE);
}

fn enter_modes() {
    write_all(ENTER_SEQUENCE);
    if KEYBOARD_PROTOCOL.load(Ordering::SeqCst) {
        write_all(PUSH_KEYBOARD_PROTOCOL);
    }
}

/// Whether the job-control shell found at start-up is still there to resume us.
fn can_resume() -> bool {
    let parent = RESUMING_PARENT.load(Ordering::SeqCst);
    // SAFETY: getppid is async-signal-safe and cannot fail.
    parent != 0 && unsafe { libc::getppid() } == parent
}

/// The parent pid when a job-control shell can resume this process: it is not
/// a session leader, and its process group is not orphaned, that is, the group
/// holds a process whose parent is in the same session but another group (the
/// shell that started the job). The ancestors inside the group are walked, so
/// that `cargo run` or `sh -c` between the shell and the browser counts.
fn resuming_parent() -> Option<libc::pid_t> {
    // SAFETY: these calls only read the process's ids; errors come back as -1.
    unsafe {
        let session = libc::getsid(0);
        if session == libc::getpid() {
            return None;
        }
        let group = libc::getpgrp();
        let mut ancestor = libc::getppid();
        for _ in 0..64 {
            if ancestor <= 1 || libc::getsid(ancestor) != session {
                return None;
            }
            if libc::getpgid(ancestor) != group {
                return Some(libc::getppid());
            }
            ancestor = parent_of(ancestor)?;
        }
        None
    }
}

/// The parent of another process, from /proc (Linux); elsewhere unknown, so
/// only a shell that is the direct parent counts.
fn parent_of(pid: libc::pid_t) -> Option<libc::pid_t> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // "pid (comm) state ppid ...": the command may hold spaces and parentheses.
    stat.rsplit_once(')')?.1.split_whitespace().nth(1)?.parse().ok()
}

/// Whether another process group holds the terminal's foreground (when the
/// terminal cannot say, it is taken as ours).
fn in_background() -> bool {
    // SAFETY: tcgetpgrp and getpgrp are async-signal-safe and only read ids.
    unsafe {
        let foreground = libc::tcgetpgrp(libc::STDIN_FILENO);
        foreground > 0 && foreground != libc::getpgrp()
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
    // In the background the terminal is the shell's, given back at the suspend:
    // `kill %1` on a suspended browser continues it for the SIGTERM to act, and
    // a tcsetattr from there would stop it again (SIGTTOU) instead of ending it.
    if !in_background() {
        leave_modes();
        set_terminal(&COOKED);
    }
    // SAFETY: _exit is async-signal-safe and skips destructors that could block.
    unsafe { libc::_exit(SIGNAL_EXIT_BASE + signal) }
}

fn reenter() {
    if suspend::this_thread_blocks(libc::SIGTSTP) {
        CONTINUED_BEFORE_STOP.store(true, Ordering::SeqCst);
    }
    if !ACTIVE.load(Ordering::SeqCst) {
        return;
    }
    set_terminal(&RAW);
    enter_modes();
    RESUMED.store(true, Ordering::SeqCst);
}
