//! The browser as a terminal citizen, in a pseudo-terminal: suspend and resume,
//! repaint, pastes, and refusing a terminal that cannot draw it.

#![cfg(unix)]

mod pty_tester;

use pty_tester::*;

/// After a suspend: the shell's screen, cooked mode, the process stopped.
fn assert_suspended(t: &PtyTester) {
    t.wait_for_state("stopped", |state| state == Some('T'));
    t.wait_until("the terminal given back", |s| {
        !s.alternate_screen() && !s.hide_cursor() && s.mouse_protocol_mode() == vt100::MouseProtocolMode::None
    });
}

/// After SIGCONT: the browser drawn again, and keys reach it unechoed (raw mode).
fn assert_resumed(t: &mut PtyTester) {
    t.signal(libc::SIGCONT);
    t.wait_for_startup();
    t.send("524");
    // In cooked mode the tty would hold "524" until Enter and echo it instead.
    t.wait_until("524 typed into the search box", |s| query(s).as_deref() == Some("524"));
    t.send("\x03");
    assert!(t.wait_for_exit().success());
    t.assert_terminal_restored();
}

#[test]
fn ctrl_z_suspends_and_sigcont_resumes() {
    let mut t = PtyTester::spawn(&[]);
    t.wait_for_startup();
    t.send("\x1a");
    assert_suspended(&t);
    assert_resumed(&mut t);
}

#[test]
fn sigtstp_suspends_and_sigcont_resumes() {
    let mut t = PtyTester::spawn(&[]);
    t.wait_for_startup();
    t.signal(libc::SIGTSTP);
    assert_suspended(&t);
    assert_resumed(&mut t);
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
