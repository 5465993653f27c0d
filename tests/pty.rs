//! End-to-end tests of the real binary in a pseudo-terminal: keys go in as the
//! bytes a terminal sends, and a vt100 emulator reads what the program draws.
//!
//! Every wait polls the emulated screen until a condition holds or a deadline
//! passes (longer when `CI` is set); a failure panics with the last screen.

#![cfg(unix)]

use std::io::{Read, Write};
use std::num::NonZeroU16;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::thread;
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, ExitStatus, MasterPty, PtySize, native_pty_system};

const ROWS: u16 = 36;
const COLS: u16 = 120;
const POLL: Duration = Duration::from_millis(15);

/// Exit status the app uses after SIGTERM/SIGHUP (128 + signal, like a shell).
const SIGNAL_EXIT_BASE: u32 = 128;

fn timeout() -> Duration {
    if std::env::var_os("CI").is_some() { Duration::from_secs(30) } else { Duration::from_secs(10) }
}

/// What the reader thread shares with the test.
struct Shared {
    parser: vt100::Parser,
    /// The pty reported end of file: the program exited and its output is drained.
    eof: bool,
}

/// Locks the shared state; a panic elsewhere does not make it unusable.
fn lock(shared: &Mutex<Shared>) -> MutexGuard<'_, Shared> {
    shared.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The binary running in a pty, with an emulated screen fed by a reader thread.
struct PtyTester {
    shared: Arc<Mutex<Shared>>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn Child + Send + Sync>,
    // Kept open for as long as the test runs.
    _master: Box<dyn MasterPty + Send>,
    exit: Option<ExitStatus>,
}

impl PtyTester {
    fn spawn(args: &[&str]) -> Self {
        let pair = native_pty_system()
            .openpty(PtySize { rows: ROWS, cols: COLS, pixel_width: 0, pixel_height: 0 })
            .expect("open a pty");
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_statusbrowse"));
        cmd.args(args);
        cmd.env("TERM", "xterm-256color");
        cmd.env_remove("NO_COLOR");
        cmd.cwd(env!("CARGO_MANIFEST_DIR"));
        let child = pair.slave.spawn_command(cmd).expect("spawn statusbrowse");
        // Only the child may hold the slave side, so reads see EOF when it exits.
        drop(pair.slave);

        let shared = Arc::new(Mutex::new(Shared {
            parser: vt100::Parser::new(NonZeroU16::new(ROWS).unwrap(), NonZeroU16::new(COLS).unwrap(), 0),
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
                    Ok(n) => lock(&feed).parser.process(&buf[..n]),
                }
            }
            lock(&feed).eof = true;
        });
        let writer = pair.master.take_writer().expect("pty writer");
        PtyTester { shared, writer, child, _master: pair.master, exit: None }
    }

    fn lock(&self) -> MutexGuard<'_, Shared> {
        lock(&self.shared)
    }

    /// Writes the bytes a terminal would send for some keys.
    fn send(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).expect("write to pty");
        self.writer.flush().expect("flush pty");
    }

    /// Polls the screen until `check` holds; panics with the screen after the deadline
    /// or when the program has exited without it holding.
    fn wait_until(&self, what: &str, check: impl Fn(&vt100::Screen) -> bool) {
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
    fn wait_for(&self, text: &str) {
        self.wait_until(&format!("{text:?} on screen"), |s| s.contents().contains(text));
    }

    /// Waits until the detail panel's title names this entry ("522 Connection Timed Out").
    fn wait_for_detail(&self, title: &str) {
        self.wait_until(&format!("detail titled {title:?}"), |s| detail_title(s).as_deref() == Some(title));
    }

    /// Runs `f` on the current screen.
    fn with_screen<T>(&self, f: impl FnOnce(&vt100::Screen) -> T) -> T {
        f(self.lock().parser.screen())
    }

    fn pid(&self) -> libc::pid_t {
        let pid = self.child.process_id().expect("child pid");
        libc::pid_t::try_from(pid).expect("pid fits pid_t")
    }

    /// Waits for the program to exit and for its last output to reach the screen.
    fn wait_for_exit(&mut self) -> ExitStatus {
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
    fn assert_terminal_restored(&self) {
        self.with_screen(|s| {
            assert!(!s.alternate_screen(), "still on the alternate screen");
            assert!(!s.hide_cursor(), "the cursor is still hidden");
            assert_eq!(s.mouse_protocol_mode(), vt100::MouseProtocolMode::None, "mouse reporting is still on");
        });
    }

    /// Start-up done: the browser is drawn on the alternate screen with mouse on.
    fn wait_for_startup(&self) {
        self.wait_until("the browser on the alternate screen", |s| {
            s.alternate_screen()
                && s.mouse_protocol_mode() != vt100::MouseProtocolMode::None
                && match_count(s).is_some()
                && s.contents().contains(" Results ")
        });
    }

    /// Focuses the detail panel (Enter), where the terminal cursor is hidden.
    fn focus_detail(&mut self) {
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

/// The rows of the screen as text.
fn rows(screen: &vt100::Screen) -> Vec<String> {
    screen.rows(0, COLS).collect()
}

/// The last row: key hints for the focused pane.
fn footer(screen: &vt100::Screen) -> String {
    rows(screen).pop().unwrap_or_default()
}

/// "N of M" from the search box's border: hits and catalogue size.
fn match_count(screen: &vt100::Screen) -> Option<(usize, usize)> {
    let row = rows(screen).into_iter().find(|r| r.contains("┌ Search "))?;
    let words: Vec<&str> = row.split_whitespace().collect();
    let of = words.iter().position(|w| *w == "of")?;
    let hits = words.get(of.checked_sub(1)?)?.parse().ok()?;
    let total = words.get(of + 1)?.parse().ok()?;
    Some((hits, total))
}

/// The query shown in the search box, when it is not the placeholder.
fn query(screen: &vt100::Screen) -> Option<String> {
    rows(screen).into_iter().find_map(|r| {
        let (_, rest) = r.split_once("│› ")?;
        let text = rest.trim_end_matches([' ', '│']);
        (!text.starts_with("code, phrase")).then(|| text.to_string())
    })
}

/// The detail panel's title ("522 Connection Timed Out"). Bordered titles start
/// "┌ CODE "; the other panels' titles are words ("Results", "Filters").
fn detail_title(screen: &vt100::Screen) -> Option<String> {
    rows(screen).into_iter().find_map(|r| {
        r.split('┌').skip(1).find_map(|title| {
            let title = title.strip_prefix(' ')?;
            let title = title.split(" ─").next()?.trim_end();
            title.chars().next().is_some_and(|c| c.is_ascii_digit()).then(|| title.to_string())
        })
    })
}

/// Whether the text at (row, col) is drawn highlighted (a background or reverse video).
fn highlighted_at(screen: &vt100::Screen, text: &str) -> Option<bool> {
    let (row, line) = rows(screen).into_iter().enumerate().find(|(_, r)| r.contains(text))?;
    let col = line[..line.find(text)?].chars().count();
    let cell = screen.cell(u16::try_from(row).ok()?, u16::try_from(col).ok()?)?;
    Some(cell.bgcolor() != vt100::Color::Default || cell.inverse())
}

#[test]
fn search_follow_a_related_link_and_go_back() {
    let mut t = PtyTester::spawn(&[]);
    t.wait_for_startup();
    let (all, total) = t.with_screen(|s| match_count(s).unwrap());
    assert_eq!(all, total, "an empty query lists the whole catalogue");

    t.send("cloudflare");
    t.wait_until("the Cloudflare codes", |s| {
        let text = s.contents();
        query(s).as_deref() == Some("cloudflare")
            && text.contains("522 Connection Timed Out")
            && text.contains("524 A Timeout Occurred")
    });
    let (hits, shown_total) = t.with_screen(|s| match_count(s).unwrap());
    assert_eq!(shown_total, total);
    assert!((2..total).contains(&hits), "\"cloudflare\" should narrow the list: {hits} of {total}");

    // Ctrl-U clears the query; "522" selects its only meaning.
    t.send("\x15");
    t.wait_until("the query cleared", |s| query(s).is_none() && match_count(s) == Some((total, total)));
    t.send("522");
    t.wait_until("522 selected", |s| {
        query(s).as_deref() == Some("522") && detail_title(s).as_deref() == Some("522 Connection Timed Out")
    });

    // 522's first related code (assets/catalogue/5xx.json) is 502 Bad Gateway.
    let link = "→ 502 Bad Gateway (RFC 9110)";
    t.focus_detail();
    t.send("\t");
    t.wait_until("the first related link highlighted", |s| highlighted_at(s, link) == Some(true));
    t.with_screen(|s| {
        assert_eq!(
            highlighted_at(s, "→ 504 Gateway Timeout (RFC 9110)"),
            Some(false),
            "only the first link is highlighted"
        );
    });

    t.send("\r");
    t.wait_for_detail("502 Bad Gateway");
    t.wait_for("◀  Alt-←/→");

    // Alt-Left, as xterm sends it.
    t.send("\x1b[1;3D");
    t.wait_for_detail("522 Connection Timed Out");
    t.wait_for(" ▶ Alt-←/→");

    // And forward again with Alt-Right.
    t.send("\x1b[1;3C");
    t.wait_for_detail("502 Bad Gateway");

    t.send("\x03");
    assert!(t.wait_for_exit().success());
}

#[test]
fn ctrl_c_quits_and_restores_the_terminal() {
    let mut t = PtyTester::spawn(&[]);
    t.wait_for_startup();
    // In the detail panel the cursor is hidden, so showing it again is the app's doing.
    t.focus_detail();

    t.send("\x03");
    let status = t.wait_for_exit();
    assert!(status.success(), "exit status {status}");
    t.assert_terminal_restored();
}

fn signal_restores_the_terminal(signal: libc::c_int) {
    let mut t = PtyTester::spawn(&[]);
    t.wait_for_startup();
    t.focus_detail();

    // SAFETY: kill only sends a signal to our own child.
    let sent = unsafe { libc::kill(t.pid(), signal) };
    assert_eq!(sent, 0, "kill: {}", std::io::Error::last_os_error());
    let status = t.wait_for_exit();
    assert_eq!(status.signal(), None, "died of the signal instead of exiting");
    assert_eq!(status.exit_code(), SIGNAL_EXIT_BASE + signal as u32);
    t.assert_terminal_restored();
}

#[test]
fn sigterm_restores_the_terminal() {
    signal_restores_the_terminal(libc::SIGTERM);
}

#[test]
fn sighup_restores_the_terminal() {
    signal_restores_the_terminal(libc::SIGHUP);
}

#[test]
fn query_argument_opens_with_its_best_hit() {
    let mut t = PtyTester::spawn(&["524"]);
    t.wait_for_startup();
    t.wait_until("524 selected from the command line", |s| {
        query(s).as_deref() == Some("524") && detail_title(s).as_deref() == Some("524 A Timeout Occurred")
    });

    t.send("\x03");
    assert!(t.wait_for_exit().success());
    t.assert_terminal_restored();
}

#[test]
fn resize_below_the_minimum_and_back() {
    let mut t = PtyTester::spawn(&[]);
    t.wait_for_startup();
    // Straight after the first frame: the app must already be listening for
    // SIGWINCH (crossterm registers it lazily, so the app polls once at start-up).
    let resize = |t: &PtyTester, rows: u16, cols: u16| {
        // The emulator first, so the redraw after SIGWINCH lands on the new size.
        t.lock().parser.screen_mut().set_size(NonZeroU16::new(rows).unwrap(), NonZeroU16::new(cols).unwrap());
        t._master.resize(PtySize { rows, cols, pixel_width: 0, pixel_height: 0 }).expect("resize the pty");
    };

    resize(&t, 10, 60);
    t.wait_for("Terminal too small: 60x10, need 40x12");
    resize(&t, ROWS, COLS);
    t.wait_until("the panels back", |s| !s.contents().contains("Terminal too small") && match_count(s).is_some());

    t.send("\x03");
    assert!(t.wait_for_exit().success());
}

#[test]
fn log_opens_on_its_most_frequent_code() {
    // alb.log: 26 of its 40 lines are 200, then 502 (7); without a log the
    // browser would open on 000, the first code.
    let mut app = PtyTester::spawn(&["--log", "tests/data/logs/alb.log"]);
    app.wait_for_startup();
    app.wait_for_detail("200 OK");
    app.wait_for("In alb.log: 26 lines · 65.0%");
    app.wait_for(" Results · alb.log by count ");
    let second = app.with_screen(|s| rows(s).into_iter().find(|r| r.contains("502 Bad Gateway")));
    assert!(second.is_some_and(|r| r.contains("7 · RFC 9110")), "counts beside the entries");
    // Down once: the next most frequent, with the ALB's split in the detail panel.
    app.send("\x1b[B");
    app.wait_for_detail("502 Bad Gateway");
    app.wait_for("target said: - (6), 502 (1)");
    app.send("\x03");
    assert!(app.wait_for_exit().success());
    app.assert_terminal_restored();
}
