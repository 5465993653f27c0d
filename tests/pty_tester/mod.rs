//! The real binary in a pseudo-terminal: keys go in as the bytes a terminal
//! sends, and a vt100 emulator reads what the program draws.
//!
//! Every wait polls the emulated screen until a condition holds or a deadline
//! passes (longer when `CI` is set); a failure panics with the last screen.

use std::io::{Read, Write};
use std::num::NonZeroU16;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::thread;
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, ExitStatus, MasterPty, PtySize, native_pty_system};

pub const BIN: &str = env!("CARGO_BIN_EXE_statusbrowse");
pub const ROWS: u16 = 36;
pub const COLS: u16 = 120;
pub const POLL: Duration = Duration::from_millis(15);

/// Exit status the app uses after SIGTERM/SIGHUP (128 + signal, like a shell).
pub const SIGNAL_EXIT_BASE: u32 = 128;

pub fn timeout() -> Duration {
    if std::env::var_os("CI").is_some() { Duration::from_secs(30) } else { Duration::from_secs(10) }
}

/// What the reader thread shares with the test.
pub struct Shared {
    pub parser: vt100::Parser,
    /// Every byte the program wrote, for what the emulated screen does not keep
    /// (queries to the terminal, modes it does not model).
    pub output: Vec<u8>,
    /// The pty reported end of file: the program exited and its output is drained.
    pub eof: bool,
}

/// Locks the shared state; a panic elsewhere does not make it unusable.
pub fn lock(shared: &Mutex<Shared>) -> MutexGuard<'_, Shared> {
    shared.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The binary running in a pty, with an emulated screen fed by a reader thread.
pub struct PtyTester {
    shared: Arc<Mutex<Shared>>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn Child + Send + Sync>,
    /// Kept open for as long as the test runs; tests resize through it.
    pub master: Box<dyn MasterPty + Send>,
    exit: Option<ExitStatus>,
}

impl PtyTester {
    pub fn spawn(args: &[&str]) -> Self {
        Self::spawn_with_term(args, Some("xterm-256color"))
    }

    /// Spawns with this TERM, or none.
    pub fn spawn_with_term(args: &[&str], term: Option<&str>) -> Self {
        let mut cmd = CommandBuilder::new(BIN);
        cmd.args(args);
        Self::spawn_command(cmd, term)
    }

    /// Runs a shell command line in the pty; `$BIN` is the program under test.
    pub fn spawn_shell(script: &str) -> Self {
        let mut cmd = CommandBuilder::new("/bin/sh");
        cmd.args(["-c", script]);
        cmd.env("BIN", BIN);
        Self::spawn_command(cmd, Some("xterm-256color"))
    }

    fn spawn_command(mut cmd: CommandBuilder, term: Option<&str>) -> Self {
        let pair = native_pty_system()
            .openpty(PtySize { rows: ROWS, cols: COLS, pixel_width: 0, pixel_height: 0 })
            .expect("open a pty");
        match term {
            Some(term) => cmd.env("TERM", term),
            None => cmd.env_remove("TERM"),
        }
        cmd.env_remove("NO_COLOR");
        cmd.cwd(env!("CARGO_MANIFEST_DIR"));
        let child = pair.slave.spawn_command(cmd).expect("spawn statusbrowse");
        // Only the child may hold the slave side, so reads see EOF when it exits.
        drop(pair.slave);

        let shared = Arc::new(Mutex::new(Shared {
            parser: vt100::Parser::new(NonZeroU16::new(ROWS).unwrap(), NonZeroU16::new(COLS).unwrap(), 0),
            output: Vec::new(),
            eof: false,
        }));
        let mut reader = pair.master.try_clone_reader().expect("pty reader");
        let feed = Arc::clone(&shared);
        thread::spawn(move || {
            let mut buf = [0u8; 8192];
            loop {
                match reader.read(&mut buf) {
                    // Linux reports EIO once the last slave descriptor is closed.
                    Ok(0) | Err(_) => break,
                    Ok(n) => {
                        let mut shared = lock(&feed);
                        shared.parser.process(&buf[..n]);
                        shared.output.extend_from_slice(&buf[..n]);
                    }
                }
            }
            lock(&feed).eof = true;
        });
        let writer = pair.master.take_writer().expect("pty writer");
        PtyTester { shared, writer, child, master: pair.master, exit: None }
    }

    pub fn lock(&self) -> MutexGuard<'_, Shared> {
        lock(&self.shared)
    }

    /// Writes the bytes a terminal would send for some keys.
    pub fn send(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).expect("write to pty");
        self.writer.flush().expect("flush pty");
    }

    /// Polls the screen until `check` holds; panics with the screen after the deadline
    /// or when the program has exited without it holding.
    pub fn wait_until(&self, what: &str, check: impl Fn(&vt100::Screen) -> bool) {
        let deadline = Instant::now() + timeout();
        loop {
            let failure = {
                let shared = self.lock();
                let screen = shared.parser.screen();
                if check(screen) {
                    return;
                }
                let why = if shared.eof {
                    Some("the program exited")
                } else {
                    (Instant::now() > deadline).then_some("timed out")
                };
                why.map(|why| (why, screen.contents()))
            };
            // Panic outside the lock, so the reader thread is not poisoned too.
            if let Some((why, screen)) = failure {
                panic!("{why} waiting for {what}\n--- screen ---\n{screen}\n--------------");
            }
            thread::sleep(POLL);
        }
    }

    /// Waits until `text` is on the screen.
    pub fn wait_for(&self, text: &str) {
        self.wait_until(&format!("{text:?} on screen"), |s| s.contents().contains(text));
    }

    /// Waits until the detail panel's title names this entry ("522 Connection Timed Out").
    pub fn wait_for_detail(&self, title: &str) {
        self.wait_until(&format!("detail titled {title:?}"), |s| detail_title(s).as_deref() == Some(title));
    }

    /// Waits until the program has written `bytes`; the offset where they start.
    pub fn wait_for_output(&self, what: &str, bytes: &[u8]) -> usize {
        let deadline = Instant::now() + timeout();
        loop {
            if let Some(at) = self.lock().output.windows(bytes.len()).position(|w| w == bytes) {
                return at;
            }
            assert!(Instant::now() <= deadline, "timed out waiting for {what} ({bytes:?})");
            thread::sleep(POLL);
        }
    }

    /// Runs `f` on the current screen.
    pub fn with_screen<T>(&self, f: impl FnOnce(&vt100::Screen) -> T) -> T {
        f(self.lock().parser.screen())
    }

    pub fn pid(&self) -> libc::pid_t {
        let pid = self.child.process_id().expect("child pid");
        libc::pid_t::try_from(pid).expect("pid fits pid_t")
    }

    /// The process state letter from /proc ('T' when stopped), if it still runs.
    pub fn process_state(&self) -> Option<char> {
        state_of(self.pid())
    }

    /// Waits until another process (one the program started) is in this state.
    pub fn wait_for_state_of(&self, pid: libc::pid_t, what: &str, check: impl Fn(Option<char>) -> bool) {
        let deadline = Instant::now() + timeout();
        while !check(state_of(pid)) {
            assert!(Instant::now() <= deadline, "timed out waiting for {pid} to be {what} ({:?})", state_of(pid));
            thread::sleep(POLL);
        }
    }

    /// Sends a signal to the program.
    pub fn signal(&self, signal: libc::c_int) {
        // SAFETY: kill only sends a signal to our own child.
        let sent = unsafe { libc::kill(self.pid(), signal) };
        assert_eq!(sent, 0, "kill: {}", std::io::Error::last_os_error());
    }

    /// Waits for the program to exit and for its last output to reach the screen.
    pub fn wait_for_exit(&mut self) -> ExitStatus {
        let deadline = Instant::now() + timeout();
        let status = loop {
            if let Some(status) = self.child.try_wait().expect("poll child") {
                break status;
            }
            if Instant::now() > deadline {
                panic!(
                    "timed out waiting for the program to exit\n--- screen ---\n{}",
                    self.with_screen(|s| s.contents())
                );
            }
            thread::sleep(POLL);
        };
        self.exit = Some(status.clone());
        while !self.lock().eof {
            assert!(Instant::now() <= deadline, "the pty never reported end of file after the program exited");
            thread::sleep(POLL);
        }
        status
    }

    /// Asserts what a restored terminal looks like: main screen, cursor shown,
    /// no mouse reporting.
    pub fn assert_terminal_restored(&self) {
        self.with_screen(|s| {
            assert!(!s.alternate_screen(), "still on the alternate screen");
            assert!(!s.hide_cursor(), "the cursor is still hidden");
            assert_eq!(s.mouse_protocol_mode(), vt100::MouseProtocolMode::None, "mouse reporting is still on");
        });
    }

    /// Start-up done: the browser is drawn on the alternate screen with mouse on.
    pub fn wait_for_startup(&self) {
        self.wait_until("the browser on the alternate screen", |s| {
            s.alternate_screen()
                && s.mouse_protocol_mode() != vt100::MouseProtocolMode::None
                && match_count(s).is_some()
                && s.contents().contains(" Results ")
        });
    }

    /// Focuses the detail panel (Enter), where the terminal cursor is hidden.
    pub fn focus_detail(&mut self) {
        self.send("\r");
        self.wait_until("the detail focused, cursor hidden", |s| footer(s).contains("follow") && s.hide_cursor());
    }
}

impl Drop for PtyTester {
    fn drop(&mut self) {
        if self.exit.is_none() && matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// A process's state letter from /proc ('T' when stopped), if it still runs.
pub fn state_of(pid: libc::pid_t) -> Option<char> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // "pid (comm) S ...": the state follows the last parenthesis.
    stat.rsplit_once(')')?.1.split_whitespace().next()?.chars().next()
}

/// The rows of the screen as text.
pub fn rows(screen: &vt100::Screen) -> Vec<String> {
    screen.rows(0, COLS).collect()
}

/// The last row: key hints for the focused pane.
pub fn footer(screen: &vt100::Screen) -> String {
    rows(screen).pop().unwrap_or_default()
}

/// "N of M" from the search box's border: hits and catalogue size.
pub fn match_count(screen: &vt100::Screen) -> Option<(usize, usize)> {
    let row = rows(screen).into_iter().find(|r| r.contains("┌ Search "))?;
    let words: Vec<&str> = row.split_whitespace().collect();
    let of = words.iter().position(|w| *w == "of")?;
    let hits = words.get(of.checked_sub(1)?)?.parse().ok()?;
    let total = words.get(of + 1)?.parse().ok()?;
    Some((hits, total))
}

/// The query shown in the search box, when it is not the placeholder.
pub fn query(screen: &vt100::Screen) -> Option<String> {
    rows(screen).into_iter().find_map(|r| {
        let (_, rest) = r.split_once("│› ")?;
        let text = rest.trim_end_matches([' ', '│']);
        (!text.starts_with("code, phrase")).then(|| text.to_string())
    })
}

/// The detail panel's title ("522 Connection Timed Out"). Bordered titles start
/// "┌ CODE "; the other panels' titles are words ("Results", "Filters").
pub fn detail_title(screen: &vt100::Screen) -> Option<String> {
    rows(screen).into_iter().find_map(|r| {
        r.split('┌').skip(1).find_map(|title| {
            let title = title.strip_prefix(' ')?;
            let title = title.split(" ─").next()?.trim_end();
            title.chars().next().is_some_and(|c| c.is_ascii_digit()).then(|| title.to_string())
        })
    })
}

/// Whether the text at (row, col) is drawn highlighted (a background or reverse video).
pub fn highlighted_at(screen: &vt100::Screen, text: &str) -> Option<bool> {
    let (row, line) = rows(screen).into_iter().enumerate().find(|(_, r)| r.contains(text))?;
    let col = line[..line.find(text)?].chars().count();
    let cell = screen.cell(u16::try_from(row).ok()?, u16::try_from(col).ok()?)?;
    Some(cell.bgcolor() != vt100::Color::Default || cell.inverse())
}
