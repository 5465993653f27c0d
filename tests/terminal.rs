//! The browser as a terminal citizen, in a pseudo-terminal: suspend and resume,
//! repaint, pastes, and refusing a terminal that cannot draw it.

use std::thread;
use std::time::Instant;

use crate::pty_tester::*;

/// After a suspend: the shell's screen, cooked mode, the process stopped.
fn assert_suspended(t: &PtyTester, pid: libc::pid_t) {
    t.wait_for_state_of(pid, "stopped", |state| state == Some('T'));
    t.wait_until("the terminal given back", |s| {
        !s.alternate_screen() && !s.hide_cursor() && s.mouse_protocol_mode() == vt100::MouseProtocolMode::None
    });
}

/// The browser's pid, started by the interactive shell in the pty.
fn browser_pid(t: &PtyTester) -> libc::pid_t {
    let children = std::fs::read_to_string(format!("/proc/{0}/task/{0}/children", t.pid())).unwrap_or_default();
    children.split_whitespace().next().and_then(|pid| pid.parse().ok()).expect("the shell's child")
}

#[test]
fn ctrl_z_under_a_job_control_shell_suspends_and_fg_resumes() {
    // An interactive shell gives the browser a process group of its own, as a login shell does.
    let mut t = PtyTester::spawn_shell("PS1='$ ' exec /bin/sh -i");
    t.wait_for("$ ");
    t.send("\"$BIN\"\r");
    t.wait_for_startup();
    let pid = browser_pid(&t);
    t.send("\x1a");
    assert_suspended(&t, pid);
    t.send("fg\r");
    t.wait_for_startup();
    t.send("524");
    // In cooked mode the tty would hold "524" until Enter and echo it instead.
    t.wait_until("524 typed into the search box", |s| query(s).as_deref() == Some("524"));
    t.send("\x03");
    t.wait_until("back at the shell", |s| !s.alternate_screen());
    t.send("exit\r");
    t.wait_for_exit();
}

#[test]
fn a_suspended_browser_ends_on_sigterm_and_sigcont_as_kill_percent_sends_them() {
    let mut t = PtyTester::spawn_shell("PS1='$ ' exec /bin/sh -i");
    t.wait_for("$ ");
    t.send("\"$BIN\"\r");
    t.wait_for_startup();
    let pid = browser_pid(&t);
    t.send("\x1a");
    assert_suspended(&t, pid);
    // The shell says so once it has taken the terminal back.
    t.wait_for("Stopped");
    // bash's `kill %1` on a stopped job: SIGTERM, then SIGCONT so that it acts.
    // The browser is in the background now; touching the terminal from there
    // would stop it again (SIGTTOU) instead of ending it.
    for signal in [libc::SIGTERM, libc::SIGCONT] {
        // SAFETY: kill only sends a signal to the browser started above.
        unsafe { libc::kill(pid, signal) };
    }
    t.wait_for_state_of(pid, "ended", |state| state.is_none_or(|s| s == 'Z'));
    // The shell reports the exit status, 143, once it has collected the job,
    // which `jobs` makes it do (it may take more than one).
    let deadline = Instant::now() + timeout();
    while !t.with_screen(|s| s.contents().contains("143")) {
        assert!(Instant::now() <= deadline, "no exit status 143:\n{}", t.with_screen(|s| s.contents()));
        t.send("jobs\r");
        thread::sleep(POLL * 10);
    }
    t.send("exit\r");
    t.wait_for_exit();
}

/// The pty tester starts the browser as a session leader, as `ssh -t host
/// statusbrowse` or `xterm -e` do: nothing could resume it, so it keeps running.
fn refuses_to_suspend(stop: impl Fn(&mut PtyTester)) {
    let mut t = PtyTester::spawn(&[]);
    t.wait_for_startup();
    stop(&mut t);
    t.wait_until("the refusal in the footer", |s| footer(s).contains("not suspended: no shell here can resume"));
    assert_ne!(t.process_state(), Some('T'), "the process stopped");
    t.send("524");
    t.wait_until("keys still work", |s| query(s).as_deref() == Some("524"));
    t.send("\x03");
    assert!(t.wait_for_exit().success());
    t.assert_terminal_restored();
}

#[test]
fn ctrl_z_as_a_session_leader_says_so_and_keeps_running() {
    refuses_to_suspend(|t| t.send("\x1a"));
}

#[test]
fn sigtstp_as_a_session_leader_says_so_and_keeps_running() {
    refuses_to_suspend(|t| t.signal(libc::SIGTSTP));
}

#[test]
fn ctrl_l_repaints_the_whole_screen() {
    let mut t = PtyTester::spawn(&[]);
    t.wait_for_startup();
    // Another program scribbles on the terminal behind the browser's back.
    t.lock().parser.process(b"\x1b[6;10HSCRIBBLE");
    t.wait_for("SCRIBBLE");
    t.send("\x0c");
    t.wait_until("the scribble painted over", |s| !s.contents().contains("SCRIBBLE") && match_count(s).is_some());
    t.send("\x03");
    assert!(t.wait_for_exit().success());
}

fn refuses_the_browser(term: Option<&str>) {
    let mut t = PtyTester::spawn_with_term(&[], term);
    let status = t.wait_for_exit();
    assert_eq!(status.exit_code(), 2, "{term:?}");
    t.with_screen(|s| {
        let text = s.contents();
        assert!(text.contains("statusbrowse show CODE"), "{term:?}: {text}");
        assert!(!s.alternate_screen(), "{term:?}: left on the alternate screen");
    });
}

#[test]
fn a_dumb_terminal_gets_a_hint_instead_of_the_browser() {
    refuses_the_browser(Some("dumb"));
    refuses_the_browser(None);
}

/// 10,000 characters of log lines, with the newlines and tabs a copied log has.
fn long_paste() -> String {
    let line = "upstream timed out (110: Connection timed out)\twhile reading response header from upstream\n";
    line.repeat(10_000 / line.len() + 1).chars().take(10_000).collect()
}

#[test]
fn a_long_bracketed_paste_is_one_edit_and_ctrl_c_still_quits() {
    let mut t = PtyTester::spawn(&[]);
    t.wait_for_startup();
    t.with_screen(|s| assert!(s.bracketed_paste(), "bracketed paste is not on"));
    let paste = long_paste();
    t.send(&format!("\x1b[200~{paste}\x1b[201~"));
    // The box shows the end of the query, where the caret is: the last pasted
    // words, with the newlines and tabs turned into spaces.
    let tail: String = paste.replace(['\n', '\t'], " ");
    let tail = tail[tail.len() - 40..].trim_start().to_string();
    let started = std::time::Instant::now();
    t.wait_until("the whole paste in the search box", |s| query(s).is_some_and(|q| q.ends_with(&tail)));
    let settled = started.elapsed();
    t.send("\x03");
    let status = t.wait_for_exit();
    assert!(status.success(), "exit status {status}");
    t.assert_terminal_restored();
    t.with_screen(|s| assert!(!s.bracketed_paste(), "bracketed paste is still on"));
    assert!(settled < std::time::Duration::from_secs(2), "the paste took {settled:?} to show");
}

#[test]
fn input_past_the_first_kilobyte_is_read_without_another_key() {
    // Without bracketed paste a paste is a burst of keys; the app must read it
    // all, not stop after the first 1024 bytes until the next key arrives.
    let mut t = PtyTester::spawn(&[]);
    t.wait_for_startup();
    let burst = "a".repeat(3_000) + "z";
    t.send(&burst);
    t.wait_until("the whole burst typed", |s| query(s).is_some_and(|q| q.ends_with("aaaz")));
    t.send("\x03");
    assert!(t.wait_for_exit().success());
}

#[test]
fn without_bracketed_paste_a_pasted_tab_or_enter_is_a_space() {
    let mut t = PtyTester::spawn(&[]);
    t.wait_for_startup();
    // What a terminal without bracketed paste sends for a copied log line, in one read.
    t.send("upstream timed out\twhile reading response header\r504");
    t.wait_until("the paste typed as one query", |s| {
        query(s).as_deref() == Some("upstream timed out while reading response header 504")
    });
    t.with_screen(|s| {
        // A class tab other than All titles the list "Results · 1xx".
        assert!(!s.contents().contains("Results · "), "the tab switched:\n{}", s.contents());
        assert!(footer(s).contains("clear"), "focus left the search box: {}", footer(s));
    });
    t.send("\x03");
    assert!(t.wait_for_exit().success());
}

#[test]
fn a_100_000_character_paste_without_markers_settles_fast_and_ctrl_c_follows_it() {
    let mut t = PtyTester::spawn(&[]);
    t.wait_for_startup();
    let words = "upstream timed out connection refused while reading response header from gateway ";
    let paste: String = words.repeat(100_000 / words.len() + 1).chars().take(99_990).collect::<String>() + " tail524";
    let started = std::time::Instant::now();
    t.send(&paste);
    t.wait_until("the end of the paste in the search box", |s| query(s).is_some_and(|q| q.ends_with(" tail524")));
    let settled = started.elapsed();
    t.send("\x03");
    assert!(t.wait_for_exit().success());
    assert!(settled < std::time::Duration::from_secs(3), "the paste took {settled:?}");
}

#[test]
fn without_a_keyboard_the_error_names_stdin() {
    let mut t = PtyTester::spawn_shell("exec \"$BIN\" < /dev/null");
    let status = t.wait_for_exit();
    assert_eq!(status.exit_code(), 2);
    t.with_screen(|s| {
        let text = s.contents();
        assert!(text.contains("stdin is not a terminal"), "{text}");
        assert!(!s.alternate_screen());
    });
}

#[test]
fn cli_output_on_a_terminal_is_coloured_unless_no_color() {
    let mut t = PtyTester::spawn(&["search", "524", "-n", "1"]);
    t.wait_for_exit();
    // The code is drawn in its class's colour.
    t.with_screen(|s| assert_ne!(s.cell(0, 0).unwrap().fgcolor(), vt100::Color::Default, "{}", s.contents()));
    let mut t = PtyTester::spawn_shell("NO_COLOR=1 exec \"$BIN\" search 524 -n 1");
    t.wait_for_exit();
    t.with_screen(|s| assert_eq!(s.cell(0, 0).unwrap().fgcolor(), vt100::Color::Default, "{}", s.contents()));
}

#[test]
fn a_dumb_terminal_still_gets_a_query_answered_and_a_log_tallied_as_text() {
    let mut t = PtyTester::spawn_with_term(&["524"], Some("dumb"));
    assert!(t.wait_for_exit().success());
    t.with_screen(|s| assert!(s.contents().contains("524  A Timeout Occurred  (Cloudflare)"), "{}", s.contents()));

    let mut log = tempfile::NamedTempFile::new().unwrap();
    let line = "127.0.0.1 - - [23/Nov/2026:10:00:00 +0000] \"GET / HTTP/1.1\" 502 157 \"-\" \"curl/8.0\"\n";
    std::io::Write::write_all(&mut log, line.repeat(3).as_bytes()).unwrap();
    let path = log.path().to_str().unwrap();
    let mut t = PtyTester::spawn_with_term(&["--log", path], Some("dumb"));
    assert!(t.wait_for_exit().success());
    t.with_screen(|s| {
        let text = s.contents();
        assert!(text.contains("Bad Gateway (RFC 9110)") && text.contains("3 counted"), "{text}");
        assert!(!s.alternate_screen());
    });
}

#[test]
fn show_on_a_terminal_that_reports_0_columns_wraps_at_80() {
    // A pty nobody sized, as `script` run from a pipe gets.
    let mut t = PtyTester::spawn_shell("stty cols 0 rows 0 && exec \"$BIN\" show 524");
    assert!(t.wait_for_exit().success());
    t.with_screen(|s| {
        // Links are printed whole, whatever the width.
        let prose = rows(s).into_iter().filter(|r| !r.contains("https://"));
        let widest = prose.map(|r| statusbrowse::view::text::width(r.trim_end())).max().unwrap_or(0);
        assert!((70..=80).contains(&widest), "widest line {widest}:\n{}", s.contents());
    });
}
