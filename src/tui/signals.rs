//! Signals that would otherwise leave the terminal broken. The handlers only call
//! async-signal-safe functions (write, tcsetattr, raise, getppid, _exit) and read
//! statics that were set before they were registered.
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
//!   cancels a SIGTSTP not yet acted on (see `stop_unless_continued`).

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
    ACTIVE.store(true, Ordering::SeqCst);
    // SAFETY: both handlers only call async-signal-safe functions and read
    // statics set above, before registration.
    unsafe {
        signal_hook::low_level::register(libc::SIGTSTP, leave_and_stop)?;
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

fn leave_and_stop() {
    stop_unless_continued(&ThisProcess);
}

fn reenter() {
    if this_thread_blocks(libc::SIGTSTP) {
        CONTINUED_BEFORE_STOP.store(true, Ordering::SeqCst);
    }
    if !ACTIVE.load(Ordering::SeqCst) {
        return;
    }
    set_terminal(&RAW);
    enter_modes();
    RESUMED.store(true, Ordering::SeqCst);
}

/// What a suspend does to the process and the terminal, apart from the order
/// it does it in, so that the order can be tested without stopping anything.
trait Suspension {
    /// Holds SIGCONT's handler back until the SIGTSTP handler returns (the
    /// kernel then puts the mask from before it back).
    fn hold_continue(&self);
    /// Whether a SIGCONT was handled since this SIGTSTP was delivered; clears it.
    fn take_continued(&self) -> bool;
    /// Whether a SIGCONT came while its handler was held back.
    fn continue_pending(&self) -> bool;
    fn can_resume(&self) -> bool;
    /// Tells the event loop that nothing could resume the process.
    fn refuse(&self);
    /// Gives the terminal back to the shell: modes off, cooked settings.
    fn leave_terminal(&self);
    /// Stops the process; returns once it is continued.
    fn stop(&self);
}

/// The SIGTSTP handler. A SIGCONT sent after the SIGTSTP must cancel it, as it
/// cancels a SIGTSTP not yet acted on; stopping after it would wait for a
/// SIGCONT that already came, with nobody left to send another.
///
/// Where that SIGCONT can land: (1) between the SIGTSTP's delivery and this
/// body (the kernel runs its handler first, inside this frame, where SIGTSTP
/// is blocked: `reenter` notes it); (2) from the hold on, it stays pending and
/// `continue_pending` sees it; its handler runs once this one returns and
/// takes the terminal again. A SIGCONT sent after the stop continues the
/// process whatever its handler (the kernel does that), and the held-back
/// handler then runs.
///
/// What no handler can close: a SIGCONT sent between the last look at the
/// pending set and the stop is discarded by raising SIGSTOP (POSIX: a stop
/// signal discards pending SIGCONTs), and no call looks and stops at once.
/// That window is one system call wide, against the whole handler before.
fn stop_unless_continued(process: &impl Suspension) {
    process.hold_continue();
    if process.take_continued() {
        return;
    }
    if !process.can_resume() {
        process.refuse();
        return;
    }
    process.leave_terminal();
    if !process.continue_pending() {
        process.stop();
    }
}

/// The suspension of this process, through the statics and system calls above.
struct ThisProcess;

impl Suspension for ThisProcess {
    fn hold_continue(&self) {
        let mut cont = signal_set();
        // SAFETY: the set is initialised; pthread_sigmask only changes this
        // thread's mask, the one thread where signals are not blocked (see
        // `sources`), until the handler returns.
        unsafe {
            libc::sigaddset(&mut cont, libc::SIGCONT);
            libc::pthread_sigmask(libc::SIG_BLOCK, &cont, std::ptr::null_mut());
        }
    }

    fn take_continued(&self) -> bool {
        CONTINUED_BEFORE_STOP.swap(false, Ordering::SeqCst)
    }

    fn continue_pending(&self) -> bool {
        let mut pending = signal_set();
        // SAFETY: sigpending only writes the set we pass.
        unsafe { libc::sigpending(&mut pending) == 0 && libc::sigismember(&pending, libc::SIGCONT) == 1 }
    }

    fn can_resume(&self) -> bool {
        can_resume()
    }

    fn refuse(&self) {
        SUSPEND_REFUSED.store(true, Ordering::SeqCst);
    }

    fn leave_terminal(&self) {
        if ACTIVE.load(Ordering::SeqCst) {
            leave_modes();
            set_terminal(&COOKED);
        }
    }

    fn stop(&self) {
        // SIGTSTP is blocked while its handler runs and SIGSTOP cannot be: this
        // stops here, now, as signal-hook's emulate_default_handler does.
        // SAFETY: raise only sends a signal to this process.
        unsafe {
            libc::raise(libc::SIGSTOP);
        }
    }
}

/// An empty signal set.
fn signal_set() -> libc::sigset_t {
    // SAFETY: sigemptyset initialises the zeroed set we pass.
    unsafe {
        let mut set: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut set);
        set
    }
}

/// Whether `signal` is blocked in the calling thread: in a handler, SIGTSTP is
/// blocked only inside the SIGTSTP handler's frame.
fn this_thread_blocks(signal: c_int) -> bool {
    let mut mask = signal_set();
    // SAFETY: with a null new set, pthread_sigmask only reads the mask into ours.
    unsafe {
        libc::pthread_sigmask(libc::SIG_BLOCK, std::ptr::null(), &mut mask) == 0
            && libc::sigismember(&mask, signal) == 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::{Cell, RefCell};

    /// Where a SIGCONT lands in the SIGTSTP handler, if it comes.
    #[derive(Clone, Copy, PartialEq)]
    enum Continue {
        Never,
        /// Handled inside the handler's frame before its body.
        BeforeTheBody,
        /// Sent while the terminal is given back: pending, held.
        WhileLeaving,
        /// Sent to the stopped process: continues it, pending, held.
        WhileStopped,
    }

    /// Plays the kernel's part and records each step.
    struct Recorder {
        when: Continue,
        can_resume: bool,
        pending: Cell<bool>,
        steps: RefCell<Vec<&'static str>>,
    }

    impl Recorder {
        fn step(&self, name: &'static str) {
            self.steps.borrow_mut().push(name);
        }

        /// A step during which a SIGCONT sent at `continue_here` comes.
        fn step_open_to(&self, name: &'static str, continue_here: Continue) {
            self.step(name);
            if self.when == continue_here {
                self.pending.set(true);
            }
        }
    }

    impl Suspension for Recorder {
        fn hold_continue(&self) {
            self.step("hold");
        }
        fn take_continued(&self) -> bool {
            self.when == Continue::BeforeTheBody
        }
        fn continue_pending(&self) -> bool {
            self.pending.get()
        }
        fn can_resume(&self) -> bool {
            self.can_resume
        }
        fn refuse(&self) {
            self.step("refuse");
        }
        fn leave_terminal(&self) {
            self.step_open_to("leave", Continue::WhileLeaving);
        }
        fn stop(&self) {
            self.step_open_to("stop", Continue::WhileStopped);
        }
    }

    fn steps(when: Continue, can_resume: bool) -> Vec<&'static str> {
        let recorder = Recorder { when, can_resume, pending: Cell::new(false), steps: RefCell::new(Vec::new()) };
        stop_unless_continued(&recorder);
        recorder.steps.into_inner()
    }

    #[test]
    fn a_suspend_holds_the_continue_handler_gives_the_terminal_back_and_stops() {
        assert_eq!(steps(Continue::Never, true), ["hold", "leave", "stop"]);
        // Continued later: the held handler takes the terminal once this one returns.
        assert_eq!(steps(Continue::WhileStopped, true), ["hold", "leave", "stop"]);
    }

    #[test]
    fn a_continue_handled_before_the_body_cancels_the_stop() {
        assert_eq!(steps(Continue::BeforeTheBody, true), ["hold"]);
    }

    #[test]
    fn a_continue_while_leaving_cancels_the_stop() {
        assert_eq!(steps(Continue::WhileLeaving, true), ["hold", "leave"]);
    }

    #[test]
    fn nothing_to_resume_the_process_refuses_without_leaving() {
        assert_eq!(steps(Continue::Never, false), ["hold", "refuse"]);
    }

    /// The real process: SIGTSTP blocked in this thread is what `reenter`
    /// takes for "inside the SIGTSTP handler"; the mask is put back after.
    #[test]
    fn the_thread_mask_tells_whether_sigtstp_is_blocked() {
        assert!(!this_thread_blocks(libc::SIGTSTP));
        let mut tstp = signal_set();
        let mut previous = signal_set();
        // SAFETY: both sets are initialised; only this test thread's mask changes.
        unsafe {
            libc::sigaddset(&mut tstp, libc::SIGTSTP);
            libc::pthread_sigmask(libc::SIG_BLOCK, &tstp, &mut previous);
        }
        let blocked = this_thread_blocks(libc::SIGTSTP);
        // SAFETY: puts back the mask read above.
        unsafe {
            libc::pthread_sigmask(libc::SIG_SETMASK, &previous, std::ptr::null_mut());
        }
        assert!(blocked);
        assert!(!this_thread_blocks(libc::SIGTSTP));
    }
}
