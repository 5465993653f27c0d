//! End-to-end tests of the browser in a pseudo-terminal: searching, links,
//! quitting, resizing (see `pty_tester` for how the terminal is emulated).

use std::num::NonZeroU16;
use std::time::Instant;

use crate::pty_tester::*;
use portable_pty::PtySize;

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

    // 522's first related meaning (assets/catalogue/5xx.json) is Cloudflare's 521.
    let link = "→ 521 Web Server Is Down (Cloudflare)";
    t.focus_detail();
    t.send("\t");
    t.wait_until("the first related link highlighted", |s| highlighted_at(s, link) == Some(true));
    t.with_screen(|s| {
        assert_eq!(
            highlighted_at(s, "→ 524 A Timeout Occurred (Cloudflare)"),
            Some(false),
            "only the first link is highlighted"
        );
    });

    t.send("\r");
    t.wait_for_detail("521 Web Server Is Down");
    t.wait_for("◀  Alt-←/→");

    // Alt-Left, as xterm sends it.
    t.send("\x1b[1;3D");
    t.wait_for_detail("522 Connection Timed Out");
    t.wait_for(" ▶ Alt-←/→");

    // And forward again with Alt-Right.
    t.send("\x1b[1;3C");
    t.wait_for_detail("521 Web Server Is Down");

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

    t.signal(signal);
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
fn sigint_restores_the_terminal() {
    signal_restores_the_terminal(libc::SIGINT);
}

#[test]
fn sigquit_restores_the_terminal() {
    signal_restores_the_terminal(libc::SIGQUIT);
}

/// Signals whose default action also ends a program, sent by hand or by a
/// stray timer: the terminal must not be left in raw mode.
#[test]
fn sigusr1_and_sigalrm_restore_the_terminal() {
    signal_restores_the_terminal(libc::SIGUSR1);
    signal_restores_the_terminal(libc::SIGALRM);
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
        t.master.resize(PtySize { rows, cols, pixel_width: 0, pixel_height: 0 }).expect("resize the pty");
    };

    resize(&t, 10, 60);
    t.wait_for("Terminal too small: 60x10, need 40x12");
    resize(&t, ROWS, COLS);
    t.wait_until("the panels back", |s| !s.contents().contains("Terminal too small") && match_count(s).is_some());

    t.send("\x03");
    assert!(t.wait_for_exit().success());
}

#[test]
fn an_overlay_in_the_projects_statusbrowse_folder_shows_its_note() {
    let repo = tempfile::tempdir().unwrap();
    let overlays = repo.path().join(".statusbrowse");
    std::fs::create_dir(&overlays).unwrap();
    std::fs::write(
        overlays.join("payments.toml"),
        "[[note]]\ncode = 502\ntext = \"Payments gateway: the card processor is down.\"\n\
         runbooks = [{ title = \"Payments 502\", url = \"https://runbooks.example.com/payments-502\" }]\n",
    )
    .unwrap();
    std::fs::write(overlays.join("broken.toml"), "[[note]]\ncode = 777\n").unwrap();
    // An empty config folder, so only the project's overlays load.
    let script = format!(
        "cd '{}' && XDG_CONFIG_HOME='{}' STATUSBROWSE_OVERLAYS= exec \"$BIN\" 502",
        repo.path().display(),
        overlays.join("no-config").display()
    );
    let mut t = PtyTester::spawn_shell(&script);
    t.wait_for_startup();
    t.wait_for_detail("502 Bad Gateway");
    t.wait_for("◆ Team note · payments");
    t.wait_for("Payments gateway: the card processor is down.");
    t.wait_for("https://runbooks.example.com/payments-502");
    // The broken file costs a line in the footer, nothing else.
    t.wait_until("the overlay problem in the footer", |s| footer(s).contains("broken.toml:2:8: no meaning of 777"));
    t.send("\x03");
    assert!(t.wait_for_exit().success());
    t.assert_terminal_restored();
}

/// Starts the browser with `before` typed, then sends `burst` in one write.
fn after_burst(before: &str, burst: &str) -> PtyTester {
    let mut t = PtyTester::spawn(&[]);
    t.wait_for_startup();
    if !before.is_empty() {
        t.send(before);
        t.wait_until("the first keys typed", |s| query(s).as_deref() == Some(before));
    }
    t.send(burst);
    t
}

fn quit(mut t: PtyTester) {
    t.send("\x03");
    assert!(t.wait_for_exit().success());
}

#[test]
fn esc_then_digits_in_one_write_clears_then_types() {
    let t = after_burst("gateway", "\x1b524");
    t.wait_until("the query 524", |s| query(s).as_deref() == Some("524"));
    quit(t);
}

#[test]
fn esc_then_a_function_key_or_arrow_in_one_write_is_both_keys() {
    for f1 in ["\x1b\x1bOP", "\x1b\x1b[11~"] {
        let t = after_burst("gateway", f1);
        t.wait_until("the query cleared and the help open", |s| {
            query(s).is_none() && s.contents().contains("Keys — Esc closes")
        });
        quit(t);
    }
    let t = after_burst("gateway", "\x1b\x1b[A");
    t.wait_until("the query cleared, nothing typed", |s| query(s).is_none() && match_count(s).is_some());
    quit(t);
    let t = after_burst("gateway", "\x1bx");
    t.wait_until("Esc then x", |s| query(s).as_deref() == Some("x"));
    quit(t);
}

#[test]
fn enter_esc_and_more_digits_in_one_write() {
    let t = after_burst("", "524\r\x1b503");
    t.wait_until("524, opened, back, 503 typed", |s| query(s).as_deref() == Some("524503"));
    quit(t);
    let t = after_burst("", "524\r\x1b[B");
    t.wait_until("the detail focused and scrolled", |s| footer(s).contains("follow") && s.contents().contains("▲"));
    quit(t);
}

#[test]
fn enter_tab_enter_in_one_write_follows_the_first_link() {
    let mut t = PtyTester::spawn(&[]);
    t.wait_for_startup();
    t.send("cloudflare");
    t.wait_until("the Cloudflare codes", |s| query(s).as_deref() == Some("cloudflare"));
    let first = t.with_screen(detail_title).expect("a detail title");
    t.send("\r\t\r");
    t.wait_until("a link followed", |s| s.contents().contains("◀  Alt-←/→"));
    t.with_screen(|s| {
        assert_ne!(detail_title(s).as_deref(), Some(first.as_str()));
        assert_eq!(query(s).as_deref(), Some("cloudflare"), "Enter and Tab were typed as spaces");
    });
    // Alt-← as rxvt and macOS Terminal send it: Esc, then the arrow.
    t.send("\x1b\x1b[D");
    t.wait_for_detail(&first);
    quit(t);
}

#[test]
fn a_burst_of_typed_keys_costs_one_frame() {
    // Each frame ends by showing the caret in the search box.
    const FRAME_END: &[u8] = b"\x1b[?25h";
    let mut t = PtyTester::spawn(&[]);
    t.wait_for_startup();
    let before = t.lock().output.len();
    // Fewer characters than a paste has, so these are 19 keys, read at once.
    t.send("gateway timeout 504");
    t.wait_until("the burst typed", |s| query(s).as_deref() == Some("gateway timeout 504"));
    // Quitting draws nothing more, and waiting for the exit drains the output.
    t.send("\x03");
    assert!(t.wait_for_exit().success());
    let output = t.lock().output.split_off(before);
    let left = output.windows(8).position(|w| w == b"\x1b[?1049l").expect("the alternate screen left");
    let frames = output[..left].windows(FRAME_END.len()).filter(|w| *w == FRAME_END).count();
    // Two if the terminal delivered the burst in two reads.
    assert!((1..=2).contains(&frames), "{frames} frames for one burst of keys");
}

#[test]
fn tab_tab_in_one_write_switches_two_tabs() {
    let t = after_burst("timeout", "\t\t");
    t.wait_until("the 2xx tab", |s| s.contents().contains("Results · 2xx"));
    quit(t);
}

#[test]
fn a_resize_storm_never_aborts_and_the_last_size_wins() {
    // The size must change while frames are drawn (a frame laid out for one size
    // and drawn into another once aborted the program), so the storm goes on
    // until the browser has drawn this many frames of a new size, each of which
    // starts by clearing the screen.
    const FRAMES: usize = 200;
    const CLEAR: &[u8] = b"\x1b[2J";
    let t = PtyTester::spawn(&[]);
    t.wait_for_startup();
    let deadline = Instant::now() + timeout();
    // A fixed pseudo-random walk over sizes from 1x1 up, with no pause between changes.
    let mut state = 0x9e37_79b9_u32;
    let (mut frames, mut scanned) = (0, 0);
    while frames < FRAMES {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        let (height, width) = (1 + (state % 80) as u16, 1 + ((state >> 8) % 250) as u16);
        t.master
            .resize(PtySize { rows: height, cols: width, pixel_width: 0, pixel_height: 0 })
            .expect("resize the pty");
        let shared = t.lock();
        assert!(!shared.eof, "the program ended after {frames} frames of the storm");
        let output = &shared.output[scanned.min(shared.output.len())..];
        frames += output.windows(CLEAR.len()).filter(|w| *w == CLEAR).count();
        scanned = shared.output.len().saturating_sub(CLEAR.len() - 1).max(scanned);
        assert!(Instant::now() <= deadline, "only {frames} frames drawn during the storm");
    }
    t.master.resize(PtySize { rows: ROWS, cols: COLS, pixel_width: 0, pixel_height: 0 }).expect("resize the pty");
    // Drawn at the last size, not one from the storm: the search box spans the
    // whole width and the key hints are on the bottom row.
    t.wait_until("a frame of the last size", |s| {
        let border = &rows(s)[1];
        border.ends_with('┐') && border.chars().count() == usize::from(COLS) && footer(s).contains("^C quit")
    });
    assert!(t.process_state().is_some_and(|state| state != 'Z'), "the program died");
    quit(t);
}

#[test]
fn the_kitty_keyboard_protocol_is_asked_for_after_the_first_frame_and_used_once_answered() {
    const QUERY: &[u8] = b"\x1b[?u";
    const PUSH: &[u8] = b"\x1b[>1u";
    const POP: &[u8] = b"\x1b[<u";
    let mut t = PtyTester::spawn(&[]);
    // This terminal has not answered the query: the first frame did not wait for it.
    t.wait_for_startup();
    let asked = t.wait_for_output("the keyboard protocol query", QUERY);
    let first_frame = t.wait_for_output("the first frame", b"Results");
    assert!(first_frame < asked, "the query went out before the first frame");
    t.send("524");
    t.wait_until("keys typed without an answer", |s| query(s).as_deref() == Some("524"));
    assert!(!t.lock().output.windows(PUSH.len()).any(|w| w == PUSH), "turned on without an answer");
    // The answer (no flags on yet) turns its disambiguation on.
    t.send("\x1b[?0u");
    let pushed = t.wait_for_output("the protocol turned on", PUSH);
    // Esc as the protocol sends it, with digits in the same write: no escape delay, no Alt.
    t.send("\x1b[27u503");
    t.wait_until("the query cleared, then 503", |s| query(s).as_deref() == Some("503"));
    // Ctrl-C as the protocol sends it.
    t.send("\x1b[99;5u");
    assert!(t.wait_for_exit().success());
    let output = t.lock().output.clone();
    let last = |bytes: &[u8]| output.windows(bytes.len()).rposition(|w| w == bytes);
    let (popped, left) = (last(POP).expect("the protocol turned off"), last(b"\x1b[?1049l").expect("screen left"));
    assert!(pushed < popped && popped < left, "turned off after leaving the alternate screen");
    t.assert_terminal_restored();
}
