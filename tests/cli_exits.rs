//! The command line's failures and edges, run as a real process: exit statuses
//! and one-line errors, version, help and completions, and a closed pipe.

use std::collections::BTreeSet;
use std::io::Read;
use std::process::Stdio;

use predicates::prelude::*;

use super::cli::{BIN, cmd, code, json_entries, one_line_failure, stdout_of, text};

// ------------------------------------------------------- exit statuses ----

#[test]
fn unknown_code_exits_1_with_nearby_codes() {
    let line = one_line_failure(&["show", "777"], 1);
    assert!(line.contains("no entry for status code 777"), "{line}");
    assert!(line.contains("nearby:"), "{line}");
    assert!(line.contains("783"), "783 is the nearest code: {line}");
}

#[test]
fn show_427_suggests_the_nearest_codes() {
    // By distance, ties going to the higher code, then in code order: 426 and
    // 428 are 1 away; 425 and 429 are 2 away and 429 wins the tie.
    let line = one_line_failure(&["show", "427"], 1);
    assert!(line.contains("no entry for status code 427"), "{line}");
    assert!(line.ends_with("(nearby: 426, 428, 429)"), "{line}");
}

#[test]
fn nearby_codes_follow_the_catalogue() {
    let known: BTreeSet<u64> = json_entries(&["list", "--json"]).iter().map(code).collect();
    for missing in [1u64, 99, 427, 531, 600, 777, 998] {
        assert!(!known.contains(&missing), "{missing} now has an entry");
        let mut nearest: Vec<u64> = known.iter().copied().collect();
        nearest.sort_by_key(|&c| (c.abs_diff(missing), std::cmp::Reverse(c)));
        nearest.truncate(3);
        nearest.sort_unstable();
        let expected: Vec<String> = nearest.iter().map(|c| format!("{c:03}")).collect();
        let arg = missing.to_string();
        let line = one_line_failure(&["show", &arg], 1);
        assert_eq!(
            line,
            format!("statusbrowse: no entry for status code {missing:03} (nearby: {})", expected.join(", "))
        );
    }
}

#[test]
fn search_without_hits_exits_1_with_one_line() {
    let line = one_line_failure(&["search", "xyzzyqq"], 1);
    assert!(line.contains("xyzzyqq"), "{line}");
    one_line_failure(&["search", "xyzzyqq", "--json"], 1);
}

#[test]
fn bad_code_arguments_are_usage_errors() {
    for (arg, message) in [
        ("abc", "invalid value 'abc'"),
        ("99999", "invalid value '99999'"),
        ("1000", "invalid value '1000'"),
        ("-1", "unexpected argument"),
    ] {
        cmd().args(["show", arg]).assert().code(2).stdout("").stderr(predicate::str::contains(message));
    }
}

#[test]
fn a_zero_limit_is_a_usage_error() {
    cmd().args(["search", "404", "--limit", "0"]).assert().code(2).stderr(predicate::str::contains("--limit"));
}

#[test]
fn bad_class_is_a_usage_error() {
    for args in [&["list", "--class", "9xx"][..], &["search", "timeout", "--class", "9xx"][..]] {
        cmd()
            .args(args)
            .assert()
            .code(2)
            .stdout("")
            .stderr(predicate::str::contains("9xx"))
            .stderr(predicate::str::contains("1xx, 2xx, 3xx, 4xx, 5xx, other"));
    }
}

#[test]
fn unknown_flag_is_a_usage_error() {
    for args in
        [&["list", "--bogus"][..], &["show", "404", "--bogus"][..], &["search", "x", "--bogus"][..], &["--bogus"][..]]
    {
        cmd().args(args).assert().code(2).stdout("").stderr(predicate::str::contains("unexpected argument '--bogus'"));
    }
}

#[test]
fn unknown_source_is_a_usage_error() {
    for args in [&["list", "--source", "nosuchvendor"][..], &["search", "timeout", "--source", "nosuchvendor"][..]] {
        let line = one_line_failure(args, 2);
        assert!(line.contains("unknown source 'nosuchvendor'"), "{line}");
        assert!(line.contains("Cloudflare"), "known sources are listed: {line}");
    }
}

#[test]
fn a_source_can_be_named_by_a_unique_prefix_or_word() {
    let aws = json_entries(&["list", "--source", "aws", "--json"]);
    assert!(aws.iter().all(|e| text(e, "source") == "AWS ELB"), "aws → AWS ELB");
    assert_eq!(json_entries(&["list", "--source", "elb", "--json"]), aws, "a word of the name works too");
    // An exact name wins over the longer names it begins.
    let shopify = json_entries(&["list", "--source", "shopify", "--json"]);
    assert!(shopify.iter().all(|e| text(e, "source") == "Shopify"));
}

#[test]
fn an_ambiguous_source_is_a_usage_error_listing_the_candidates() {
    let line = one_line_failure(&["list", "--source", "rfc"], 2);
    assert!(line.contains("source 'rfc' is ambiguous"), "{line}");
    assert!(line.contains("RFC 9110") && line.contains("RFC 6585"), "{line}");
    assert!(!line.contains("Cloudflare"), "only the candidates are listed: {line}");
}

#[test]
fn unknown_shell_is_a_usage_error() {
    cmd().args(["completions", "nosuchshell"]).assert().code(2).stdout("");
}

// ------------------------------------------- version, help, completions ----

#[test]
fn version() {
    cmd()
        .arg("--version")
        .assert()
        .success()
        .stdout(predicate::str::contains(env!("CARGO_PKG_VERSION")))
        .stdout(predicate::str::starts_with("statusbrowse "));
}

#[test]
fn help_for_the_program_and_each_subcommand() {
    let top = stdout_of(&["--help"]);
    assert!(top.contains("Usage: statusbrowse"), "{top}");
    for sub in ["show", "search", "list", "completions"] {
        assert!(top.contains(sub), "top-level help lacks {sub}");
    }
    assert!(top.contains("Exit status"), "{top}");

    for (sub, option) in [("show", "--markdown"), ("search", "--limit"), ("list", "--source"), ("completions", "bash")]
    {
        let help = stdout_of(&[sub, "--help"]);
        assert!(help.contains(&format!("Usage: statusbrowse {sub}")), "{sub} --help:\n{help}");
        assert!(help.contains(option), "{sub} --help lacks {option}");
        assert_eq!(stdout_of(&["help", sub]), stdout_of(&[sub, "--help"]));
    }
}

#[test]
fn completions_for_each_shell() {
    for (shell, marker) in
        [("bash", "_statusbrowse"), ("zsh", "#compdef statusbrowse"), ("fish", "complete -c statusbrowse")]
    {
        let out = stdout_of(&["completions", shell]);
        assert!(out.contains(marker), "{shell} completions lack {marker}");
        for sub in ["show", "search", "list"] {
            assert!(out.contains(sub), "{shell} completions lack {sub}");
        }
    }
}

// ---------------------------------------------------------- closed pipe ---

/// A stdout for the child whose read end is already closed, so the first write
/// fails with EPIPE whatever the output size.
#[cfg(target_os = "linux")]
fn closed_pipe() -> Stdio {
    use std::os::fd::{FromRawFd, OwnedFd};
    let mut fds = [0 as libc::c_int; 2];
    // SAFETY: `fds` has room for the two descriptors pipe2 writes; on success
    // each is a fresh descriptor owned by nothing else.
    let (reader, writer) = unsafe {
        assert_eq!(libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC), 0, "pipe2: {}", std::io::Error::last_os_error());
        (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1]))
    };
    drop(reader);
    Stdio::from(writer)
}

/// Runs the binary with stdout on a pipe nobody reads; returns exit code and stderr.
#[cfg(target_os = "linux")]
fn run_into_closed_pipe(args: &[&str]) -> (Option<i32>, String) {
    let output = std::process::Command::new(BIN)
        .args(args)
        .stdin(Stdio::null())
        .stdout(closed_pipe())
        .stderr(Stdio::piped())
        .output()
        .expect("the binary runs");
    (output.status.code(), String::from_utf8_lossy(&output.stderr).into_owned())
}

#[cfg(target_os = "linux")]
#[test]
fn closed_pipe_is_not_an_error() {
    for args in [
        &["list"][..],
        &["list", "--json"][..],
        &["show", "404"][..],
        &["show", "530", "--json"][..],
        &["show", "404", "--markdown"][..],
        &["search", "cloudflare"][..],
        &["search", "timeout", "--json"][..],
        &["524"][..],
        &["--help"][..],
        &["--version"][..],
        &["man"][..],
    ] {
        let (status, stderr) = run_into_closed_pipe(args);
        assert!(!stderr.contains("panicked"), "{args:?} panicked: {stderr}");
        assert!(!stderr.contains("Broken pipe"), "{args:?}: {stderr}");
        assert_eq!(stderr, "", "{args:?} wrote to stderr");
        assert_eq!(status, Some(0), "{args:?}");
    }
}

#[cfg(target_os = "linux")]
#[test]
fn closed_pipe_is_not_an_error_for_completions() {
    for shell in ["bash", "zsh", "fish"] {
        let (status, stderr) = run_into_closed_pipe(&["completions", shell]);
        assert!(!stderr.contains("panicked"), "{shell}: {stderr}");
        assert_eq!(stderr, "", "completions {shell} wrote to stderr");
        assert_eq!(status, Some(0), "completions {shell}");
    }
}

#[test]
fn reader_that_stops_early_is_not_an_error() {
    // Far more JSON than a pipe buffer holds, so the writer must meet the
    // closed pipe after the reader leaves.
    let mut child = std::process::Command::new(BIN)
        .args(["list", "--json"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 16];
    stdout.read_exact(&mut first).unwrap();
    assert!(first.starts_with(b"["), "JSON starts with an array");
    drop(stdout);
    let mut stderr = String::new();
    child.stderr.take().unwrap().read_to_string(&mut stderr).unwrap();
    let status = child.wait().unwrap();
    assert_eq!(stderr, "", "stderr after the reader left");
    assert_eq!(status.code(), Some(0));
}

#[cfg(unix)]
#[test]
fn piping_into_head() {
    let script = r#""$0" list | head -n 1; "$0" list --json | head -c 1 >/dev/null"#;
    let output =
        std::process::Command::new("sh").args(["-c", script, BIN]).stdin(Stdio::null()).output().expect("sh runs");
    let stdout = String::from_utf8(output.stdout).unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(stderr, "", "nothing on stderr");
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    assert!(stdout.starts_with("000  "), "{stdout}");
}

#[test]
fn search_says_why_a_hit_matched_when_no_name_did() {
    let pasted = "upstream prematurely closed connection while reading response header from upstream";
    let out = cmd().args(["search", "-n", "1", pasted]).assert().success().get_output().stdout.clone();
    let out = String::from_utf8(out).unwrap();
    assert!(out.starts_with("502  Bad Gateway  (RFC 9110)  seen as: nginx “upstream prematurely closed"), "{out}");
    let out = cmd().args(["search", "websocket"]).assert().success().get_output().stdout.clone();
    assert!(
        String::from_utf8(out).unwrap().contains("101  Switching Protocols  (RFC 9110)  found in the text: websocket")
    );
    // A name match needs no explanation.
    cmd().args(["search", "teapot"]).assert().success().stdout("418  (Unused)  (RFC 9110)\n");
}

#[test]
fn search_without_letters_or_digits_is_a_usage_error() {
    for query in ["'", "^", "!", "$", "🫖"] {
        cmd().args(["search", query]).assert().code(2);
        // The bare form, off a terminal, searches the same way.
        cmd().arg(query).assert().code(2).stderr(predicates::str::contains("letters or digits"));
    }
}

#[test]
fn escape_sequences_in_a_search_are_not_searched() {
    // Only an escape sequence: nothing to search, as for punctuation alone.
    cmd().args(["search", "\x1b]0;PWNED\x07\x1b[31m"]).assert().code(2);
    cmd().arg("\x1b]0;PWNED\x07").assert().code(2).stderr(predicates::str::contains("letters or digits"));
    // Around words, they are dropped and the words found as if typed.
    let out = stdout_of(&["search", "-n", "1", "\x1b[1;31mgateway\x1b[0m timeout"]);
    assert!(out.starts_with("504  Gateway Timeout"), "{out}");
}
