//! `tally --follow`: a file appended to, rotated and truncated while it is
//! read, and standard input read as it arrives. Every wait is for text, with
//! a deadline.

use std::fs::{self, OpenOptions};
use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::thread;
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_statusbrowse");
const DEADLINE: Duration = Duration::from_secs(20);

fn line(status: u16) -> String {
    format!("1.2.3.4 - - [07/Feb/2020:11:48:51 +0000] \"GET /a HTTP/1.1\" {status} 5 \"-\" \"curl\"\n")
}

fn lines(status: u16, n: usize) -> String {
    line(status).repeat(n)
}

/// The child's stdout, line by line, from a thread.
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
            .stderr(Stdio::null())
            .spawn()
            .expect("the binary runs");
        let stdout = child.stdout.take().unwrap();
        let (sender, output) = mpsc::channel();
        thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if sender.send(line).is_err() {
                    return;
                }
            }
        });
        Follow { child, output, seen: Vec::new() }
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

fn append(path: &std::path::Path, text: &str) {
    OpenOptions::new().append(true).create(true).open(path).unwrap().write_all(text.as_bytes()).unwrap();
}

#[test]
fn a_file_appended_rotated_and_truncated() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("access.log");
    fs::write(&log, lines(200, 10)).unwrap();
    let mut follow = Follow::start(&[log.to_str().unwrap()], Stdio::null());
    follow.wait_for("10 lines, 10 with a status: 200 10");

    append(&log, &lines(502, 5));
    follow.wait_for("15 lines, 15 with a status: 200 10 · 502 5 · 2xx 66.7% · 4xx 0% · 5xx 33.3%");

    // logrotate's rename: the old file is drained, then the new one read from its start.
    fs::rename(&log, dir.path().join("access.log.1")).unwrap();
    append(&dir.path().join("access.log.1"), &lines(404, 1));
    fs::write(&log, lines(503, 3)).unwrap();
    follow.wait_for("19 lines, 19 with a status: 200 10 · 502 5 · 503 3 · 404 1");

    // copytruncate's cut: the file is now shorter than what was read of it,
    // so it is read again from its start.
    fs::write(&log, lines(200, 2)).unwrap();
    follow.wait_for("21 lines, 21 with a status: 200 12 · 502 5 · 503 3 · 404 1");
}

#[test]
fn standard_input_as_it_arrives() {
    let mut follow = Follow::start(&[], Stdio::piped());
    let mut stdin = follow.child.stdin.take().unwrap();
    stdin.write_all(lines(200, 3).as_bytes()).unwrap();
    stdin.flush().unwrap();
    follow.wait_for("3 lines, 3 with a status: 200 3");
    stdin.write_all(lines(502, 2).as_bytes()).unwrap();
    stdin.flush().unwrap();
    follow.wait_for("5 lines, 5 with a status: 200 3 · 502 2");
    // End of input: the whole tally, then the process ends.
    drop(stdin);
    follow.wait_for("502       2   40.0%");
    let end = Instant::now() + DEADLINE;
    while follow.child.try_wait().unwrap().is_none() {
        assert!(Instant::now() < end, "still running after its input ended");
        thread::yield_now();
    }
}

#[test]
fn follow_takes_one_input() {
    let output = Command::new(BIN).args(["tally", "--follow", "a.log", "b.log"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let missing = Command::new(BIN).args(["tally", "--follow", "/nonexistent/x.log"]).output().unwrap();
    assert_ne!(missing.status.code(), Some(0));
}
