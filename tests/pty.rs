//! End-to-end tests of the browser in a pseudo-terminal: searching, links,
//! quitting, resizing (see `pty_tester` for how the terminal is emulated).

#![cfg(unix)]

mod pty_tester;

use std::num::NonZeroU16;

use portable_pty::PtySize;
use pty_tester::*;

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
