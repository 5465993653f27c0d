//! The SIGTSTP handler's steps, and how a SIGCONT that comes during them
//! cancels the stop.

use std::sync::atomic::Ordering;

use libc::c_int;

use super::{ACTIVE, CONTINUED_BEFORE_STOP, COOKED, OWN_PID, SUSPEND_REFUSED, can_resume, leave_modes, set_terminal};

/// SIGTSTP's handler: stops this process unless a SIGCONT came meanwhile.
pub(super) fn on_sigtstp() {
    stop_unless_continued(&ThisProcess);
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
/// That window is from sigpending's return to kill's entry, against the whole
/// handler before.
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

/// The suspension of this process, through the statics and system calls of `signals`.
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
        // SIGSTOP cannot be blocked: this stops here, now, as signal-hook's
        // emulate_default_handler does. One kill to the pid read at start-up,
        // not raise (which asks for the pid first), keeps the window above to
        // the entry of a single system call.
        // SAFETY: kill only sends a signal to this process.
        unsafe {
            libc::kill(OWN_PID.load(Ordering::Relaxed), libc::SIGSTOP);
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
pub(super) fn this_thread_blocks(signal: c_int) -> bool {
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
