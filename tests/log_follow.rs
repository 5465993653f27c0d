//! The browser following its logs, in a pseudo-terminal: files appended to
//! and rotated, several at once, gzip read whole, CR-only line ends, a
//! stream on standard input, and what the status line says about them.
//! Every wait is for the screen, with a deadline.

use std::path::Path;

use crate::pty_tester::*;
use crate::tally_support::{access_lines, append, gzip};

#[test]
fn log_opens_on_its_most_frequent_code() {
    // alb.log: 26 of its 40 lines are 200, then 502 (7); without a log the
    // browser would open on 000, the first code.
    let mut app = PtyTester::spawn(&["--log", "tests/data/logs/alb.log"]);
    app.wait_for_startup();
    app.wait_for_detail("200 OK");
    app.wait_for("In alb.log: 26 lines · 65.0%");
    app.wait_for(" Results · alb.log by count ");
    let second = app.with_screen(|s| row_of(s, "│502  7 Bad Gateway"));
    assert!(second.is_some(), "the counts in a column after the codes");
    // Down once: the next most frequent, with the ALB's split in the detail panel.
    app.send("\x1b[B");
    app.wait_for_detail("502 Bad Gateway");
    app.wait_for("target said: - (6), 502 (1)");
    app.send("\x03");
    assert!(app.wait_for_exit().success());
    app.assert_terminal_restored();
}

/// The results row of an entry, when it is on screen.
fn row_of(screen: &vt100::Screen, entry: &str) -> Option<String> {
    rows(screen).into_iter().find(|r| r.contains(entry))
}

/// The first row under the results panel's title.
fn first_result(screen: &vt100::Screen) -> Option<String> {
    rows(screen).into_iter().skip_while(|r| !r.contains(" Results ")).nth(1)
}

#[test]
fn a_log_file_appended_to_updates_the_counts_on_screen() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("live.log");
    std::fs::write(&log, access_lines(200, 2)).unwrap();
    let mut t = PtyTester::spawn(&["--log", log.to_str().unwrap()]);
    t.wait_for_startup();
    t.wait_for_detail("200 OK");
    t.wait_for("In live.log: 2 lines · 100%");
    let mut file = std::fs::OpenOptions::new().append(true).open(&log).unwrap();
    std::io::Write::write_all(&mut file, access_lines(502, 3).as_bytes()).unwrap();
    // 502 is now the most frequent and comes first; the selection stays on 200.
    t.wait_until("502 counted and first", |s| first_result(s).is_some_and(|r| r.starts_with("│502 3 Bad Gateway")));
    t.wait_for("In live.log: 2 lines · 40.0%");
    assert_eq!(t.with_screen(detail_title).as_deref(), Some("200 OK"));
    t.send("\x03");
    assert!(t.wait_for_exit().success());
    t.assert_terminal_restored();
}

#[test]
fn a_log_on_standard_input_is_counted_as_it_arrives() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("stream");
    let path = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    // SAFETY: mkfifo reads the NUL-terminated path only.
    assert_eq!(unsafe { libc::mkfifo(path.as_ptr(), 0o600) }, 0, "mkfifo");
    // Read and write, so opening it waits for no one; the browser reads what is written.
    let mut stream = std::fs::OpenOptions::new().read(true).write(true).open(&fifo).unwrap();
    let mut t = PtyTester::spawn_shell(&format!("exec \"$BIN\" --log - < '{}'", fifo.display()));
    t.wait_for_startup();
    t.wait_for(" Results · standard input by count ");
    std::io::Write::write_all(&mut stream, access_lines(200, 3).as_bytes()).unwrap();
    t.wait_for_detail("200 OK");
    t.wait_for("In standard input: 3 lines · 100%");
    std::io::Write::write_all(&mut stream, access_lines(502, 2).as_bytes()).unwrap();
    t.wait_until("502 counted", |s| row_of(s, "│502 2 Bad Gateway").is_some());
    t.wait_for("In standard input: 3 lines · 60.0%");
    // Keys still come from the terminal: a query is typed and found.
    t.send("gateway");
    t.wait_until("the query typed", |s| query(s).as_deref() == Some("gateway"));
    t.send("\x03");
    assert!(t.wait_for_exit().success());
    t.assert_terminal_restored();
}

/// The count shown for `code` in its results row ("│404 1,204 Not Found"), when on screen.
fn count_of(screen: &vt100::Screen, code: &str) -> Option<u64> {
    rows(screen).iter().find_map(|row| {
        let mut words = row.strip_prefix('│')?.split_whitespace();
        (words.next()? == code).then_some(())?;
        words.next()?.replace(',', "").parse().ok()
    })
}

/// The status line, the screen's last row.
fn status_line(screen: &vt100::Screen) -> String {
    rows(screen).pop().unwrap_or_default()
}

fn path(dir: &Path, name: &str) -> String {
    dir.join(name).to_str().unwrap().to_string()
}

#[test]
fn several_logs_followed_one_rotated_and_a_missing_one_fails_the_exit() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b, missing) = (path(dir.path(), "a.log"), path(dir.path(), "b.log"), path(dir.path(), "missing.log"));
    std::fs::write(&a, access_lines(200, 2)).unwrap();
    std::fs::write(&b, access_lines(404, 1)).unwrap();
    let mut t = PtyTester::spawn(&["--log", &a, &b, &missing]);
    t.wait_for_startup();
    t.wait_for(" Results · 2 logs by count ");
    t.wait_for("In 2 logs: 2 lines · 66.7%");
    t.wait_until("the missing file in the status line", |s| {
        status_line(s).starts_with(&format!(" {missing}: cannot read: No such file or directory "))
    });
    // Both files are followed.
    append(Path::new(&b), &access_lines(502, 3));
    t.wait_until("b.log's 502s", |s| first_result(s).is_some_and(|r| r.starts_with("│502 3 Bad Gateway")));
    append(Path::new(&a), &access_lines(200, 2));
    t.wait_for("In 2 logs: 4 lines · 50.0%");
    // logrotate's rename: said in the status line, and the new file is read.
    std::fs::rename(&a, format!("{a}.1")).unwrap();
    std::fs::write(&a, access_lines(503, 4)).unwrap();
    t.wait_until("the rotation said", |s| status_line(s).contains(&format!("{a} rotated, reading")));
    t.wait_until("the new file's 503s", |s| first_result(s).is_some_and(|r| r.starts_with("│200 4 OK")));
    t.wait_until("503 counted", |s| count_of(s, "503") == Some(4));
    t.send("\x03");
    assert_eq!(t.wait_for_exit().exit_code(), 2, "a log that could not be read fails the run, as tally does");
    t.assert_terminal_restored();
}

#[test]
fn a_gzip_log_is_read_whole_a_cut_one_said_and_a_cr_log_followed() {
    let dir = tempfile::tempdir().unwrap();
    let (whole, cut, cr) =
        (path(dir.path(), "old.log.gz"), path(dir.path(), "cut.log.gz"), path(dir.path(), "mac.log"));
    std::fs::write(&whole, gzip(access_lines(200, 3).as_bytes())).unwrap();
    let compressed = gzip(access_lines(204, 2000).as_bytes());
    std::fs::write(&cut, &compressed[..compressed.len() / 2]).unwrap();
    std::fs::write(&cr, access_lines(404, 2).replace('\n', "\r")).unwrap();
    let mut t = PtyTester::spawn(&["--log", &whole, &cut, &cr]);
    t.wait_for_startup();
    t.wait_until("the old log's 200s", |s| count_of(s, "200") == Some(3));
    t.wait_until("the CR-only log's 404s", |s| count_of(s, "404") == Some(2));
    t.wait_until("the cut gzip in the status line", |s| {
        status_line(s).starts_with(&format!(" {cut}: gzip data truncated or corrupt after "))
    });
    // The CR-only file is followed, in its own line ends.
    append(Path::new(&cr), &access_lines(404, 3).replace('\n', "\r"));
    t.wait_until("the appended 404s", |s| count_of(s, "404") == Some(5));
    t.send("\x03");
    assert!(t.wait_for_exit().success(), "a cut gzip file is not an error by itself, as in tally");
    t.assert_terminal_restored();
}
