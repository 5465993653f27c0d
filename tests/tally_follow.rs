//! `tally --follow`: a file appended to, rotated and truncated while it is
//! read, and standard input read as it arrives. Every wait is for text, with
//! a deadline.

use std::fs;
use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::thread;
use std::time::{Duration, Instant};

use crate::tally_support::{BIN, access_lines, append, gzip};
const DEADLINE: Duration = Duration::from_secs(20);

/// The child's stdout and stderr, line by line, from a thread each.
struct Follow {
    child: Child,
    output: Receiver<String>,
    seen: Vec<String>,
}

impl Follow {
    fn start(args: &[&str], stdin: Stdio) -> Self {
        let mut child = Command::new(BIN)
            .args(["tally", "--follow", "--every", "0.1"])
            .args(args)
            .stdin(stdin)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the binary runs");
        let (sender, output) = mpsc::channel();
        let stdout: Box<dyn std::io::Read + Send> = Box::new(child.stdout.take().unwrap());
        let stderr: Box<dyn std::io::Read + Send> = Box::new(child.stderr.take().unwrap());
        for stream in [stdout, stderr] {
            let sender = sender.clone();
            thread::spawn(move || {
                for line in BufReader::new(stream).lines().map_while(Result::ok) {
                    if sender.send(line).is_err() {
                        return;
                    }
                }
            });
        }
        Follow { child, output, seen: Vec::new() }
    }

    /// Waits for the process to end by itself, and returns its exit status.
    fn wait_for_exit(&mut self) -> Option<i32> {
        let end = Instant::now() + DEADLINE;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.code();
            }
            assert!(Instant::now() < end, "still running; printed:\n{}", self.seen.join("\n"));
            thread::yield_now();
        }
    }

    /// Waits until a printed line contains `text`.
    fn wait_for(&mut self, text: &str) {
        let end = Instant::now() + DEADLINE;
        while !self.seen.iter().any(|l| l.contains(text)) {
            let left = end.saturating_duration_since(Instant::now());
            match self.output.recv_timeout(left) {
                Ok(line) => self.seen.push(line),
                Err(_) => panic!("no {text:?} within {DEADLINE:?}; printed:\n{}", self.seen.join("\n")),
            }
        }
    }
}

impl Drop for Follow {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn a_file_appended_rotated_and_truncated() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("access.log");
    fs::write(&log, access_lines(200, 10)).unwrap();
    let mut follow = Follow::start(&[log.to_str().unwrap()], Stdio::null());
    follow.wait_for("10 lines, 10 with a status: 200 10");

    append(&log, &access_lines(502, 5));
    follow.wait_for("15 lines, 15 with a status: 200 10 · 502 5 · 2xx 66.7% · 4xx 0% · 5xx 33.3%");

    // logrotate's rename: the old file is drained, then the new one read from its start.
    fs::rename(&log, dir.path().join("access.log.1")).unwrap();
    append(&dir.path().join("access.log.1"), &access_lines(404, 1));
    fs::write(&log, access_lines(503, 3)).unwrap();
    follow.wait_for("19 lines, 19 with a status: 200 10 · 502 5 · 503 3 · 404 1");

    // copytruncate's cut: the file is now shorter than what was read of it,
    // so it is read again from its start.
    fs::write(&log, access_lines(200, 2)).unwrap();
    follow.wait_for("21 lines, 21 with a status: 200 12 · 502 5 · 503 3 · 404 1");
}

#[test]
fn standard_input_as_it_arrives() {
    let mut follow = Follow::start(&[], Stdio::piped());
    let mut stdin = follow.child.stdin.take().unwrap();
    stdin.write_all(access_lines(200, 3).as_bytes()).unwrap();
    stdin.flush().unwrap();
    follow.wait_for("3 lines, 3 with a status: 200 3");
    stdin.write_all(access_lines(502, 2).as_bytes()).unwrap();
    stdin.flush().unwrap();
    follow.wait_for("5 lines, 5 with a status: 200 3 · 502 2");
    // End of input: the whole tally, then the process ends.
    drop(stdin);
    follow.wait_for("502       2   40.0%");
    assert_eq!(follow.wait_for_exit(), Some(0));
}

#[test]
fn several_files_a_gzip_and_cr_only_line_ends() {
    let dir = tempfile::tempdir().unwrap();
    let [plain, mac, old, cut] = ["a.log", "mac.log", "old.log.gz", "cut.log.gz"].map(|name| dir.path().join(name));
    fs::write(&plain, access_lines(200, 2)).unwrap();
    fs::write(&mac, access_lines(404, 1).replace('\n', "\r")).unwrap();
    fs::write(&old, gzip(access_lines(500, 3).as_bytes())).unwrap();
    let compressed = gzip(access_lines(204, 2000).as_bytes());
    fs::write(&cut, &compressed[..compressed.len() / 2]).unwrap();
    let names = [&plain, &mac, &old, &cut].map(|path| path.to_str().unwrap().to_string());
    let mut follow = Follow::start(&names.each_ref().map(String::as_str), Stdio::null());
    // Each is read whole first; the cut gzip is said, and what it held counted.
    follow.wait_for(&format!("statusbrowse: {}: gzip data truncated or corrupt after ", names[3]));
    follow.wait_for("500 3 · 200 2 · 404 1 ·");
    // The plain files are followed, the CR-only one in its own line ends.
    append(&plain, &access_lines(502, 5));
    append(&mac, &access_lines(404, 3).replace('\n', "\r"));
    follow.wait_for("502 5 · 404 4 · 500 3 · 200 2 ·");
    // Rotation is said on stderr, and the new file read.
    fs::rename(&mac, dir.path().join("mac.log.1")).unwrap();
    fs::write(&mac, access_lines(503, 6).replace('\n', "\r")).unwrap();
    follow.wait_for(&format!("statusbrowse: {}: rotated, reading the new file", names[1]));
    follow.wait_for("503 6 · 502 5 · 404 4 · 500 3 · 200 2 ·");
}

#[test]
fn gzip_that_cannot_grow_ends_the_follow() {
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("old.log.gz");
    fs::write(&old, gzip(access_lines(500, 3).as_bytes())).unwrap();
    // A gzip file does not grow: the whole tally at once, then the process ends.
    let mut follow = Follow::start(&[old.to_str().unwrap()], Stdio::null());
    follow.wait_for("500       3    100%");
    assert_eq!(follow.wait_for_exit(), Some(0));
    // A gzip stream on standard input is decompressed as it arrives.
    let mut follow = Follow::start(&[], Stdio::piped());
    let mut stdin = follow.child.stdin.take().unwrap();
    stdin.write_all(&gzip(access_lines(502, 4).as_bytes())).unwrap();
    drop(stdin);
    follow.wait_for("502       4    100%");
    assert_eq!(follow.wait_for_exit(), Some(0));
}

#[test]
fn a_file_that_cannot_be_read_fails_the_follow() {
    let output = Command::new(BIN).args(["tally", "--follow", "/nonexistent/x.log"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(err.contains("/nonexistent/x.log: cannot read: No such file or directory"), "{err}");
    // Summaries are text: --json would be neither.
    let json = Command::new(BIN).args(["tally", "--follow", "--json", "/nonexistent/x.log"]).output().unwrap();
    assert_eq!(json.status.code(), Some(2));
}
