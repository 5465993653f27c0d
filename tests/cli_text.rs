//! The command line's text: `show` for pipes (whole URLs, no browser keys),
//! several codes at once, `--color`, empty queries, and write failures.

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

fn cmd() -> Command {
    let mut cmd = Command::cargo_bin("statusbrowse").unwrap();
    cmd.env_remove("NO_COLOR");
    cmd
}

fn stdout_of(args: &[&str]) -> String {
    let output = cmd().args(args).assert().success().get_output().clone();
    String::from_utf8(output.stdout).unwrap()
}

fn json(args: &[&str]) -> Vec<Value> {
    serde_json::from_str::<Value>(&stdout_of(args)).unwrap().as_array().unwrap().clone()
}

#[test]
fn piped_show_keeps_urls_whole_and_prints_no_key_hints() {
    for code in ["524", "404", "451", "000"] {
        let out = stdout_of(&["show", code]);
        for entry in json(&["show", code, "--json"]) {
            let link = entry["link"].as_str().unwrap();
            assert!(out.lines().any(|l| l == link), "show {code}: {link} is not on a line of its own:\n{out}");
        }
        assert!(!out.contains("(Tab, Enter)"), "show {code} prints browser keys:\n{out}");
        assert!(out.contains("RELATED CODES\n"), "show {code}");
    }
}

#[test]
fn show_takes_several_codes_in_the_order_given() {
    let out = stdout_of(&["show", "504", "502", "524"]);
    let titles: Vec<&str> = out.lines().filter(|l| l.ends_with(')') && l.contains("  (")).collect();
    assert_eq!(
        titles,
        ["504 Gateway Timeout  (RFC 9110)", "502 Bad Gateway  (RFC 9110)", "524 A Timeout Occurred  (Cloudflare)"]
    );
    let codes: Vec<u64> =
        json(&["show", "504", "502", "524", "--json"]).iter().map(|e| e["code"].as_u64().unwrap()).collect();
    assert_eq!(codes, [504, 502, 524]);
    assert_eq!(json(&["show", "530", "530", "--json"]).len(), 3, "a repeated code is printed once");
}

#[test]
fn show_with_an_unknown_code_prints_the_others_and_exits_1() {
    let output = cmd().args(["show", "502", "427", "777"]).assert().code(1).get_output().clone();
    let out = String::from_utf8(output.stdout).unwrap();
    assert!(out.starts_with("502 Bad Gateway"), "{out}");
    let err = String::from_utf8(output.stderr).unwrap();
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("status code 427") && err.contains("status code 777"), "{err}");
}

#[test]
fn color_always_never_and_auto_off_a_terminal() {
    let always = stdout_of(&["show", "524", "--color", "always"]);
    assert!(always.contains("\x1b["), "no colour with --color always");
    let plain = stdout_of(&["show", "524", "--color=never"]);
    assert!(!plain.contains('\x1b'));
    assert_eq!(stdout_of(&["show", "524"]), plain, "auto is plain into a pipe");
    // The option works before the command too, and for search and list.
    let hits = stdout_of(&["--color", "always", "search", "timeout", "-n", "2"]);
    assert!(hits.contains("\x1b[") && hits.lines().count() == 2, "{hits}");
    // --color always overrides NO_COLOR, as the NO_COLOR convention asks.
    let output = cmd().args(["list", "--color", "always"]).env("NO_COLOR", "1").assert().success().get_output().clone();
    assert!(String::from_utf8(output.stdout).unwrap().contains("\x1b[38;"), "colour dropped under NO_COLOR");
    cmd().args(["list", "--color", "sometimes"]).assert().code(2).stderr(predicate::str::contains("--color"));
}

#[test]
fn an_empty_search_is_a_usage_error() {
    for query in ["", "   "] {
        cmd()
            .args(["search", query])
            .assert()
            .code(2)
            .stdout("")
            .stderr(predicate::str::contains("search needs a query").and(predicate::str::contains("list")));
    }
}

#[cfg(target_os = "linux")]
#[test]
fn help_and_version_report_a_failed_write_like_every_command() {
    // Buffered output meets the full disk at the final flush, which must still fail the run.
    let commands: [&[&str]; 12] = [
        &["--help"],
        &["--version"],
        &["help"],
        &["help", "show"],
        &["list"],
        &["list", "--json"],
        &["show", "524"],
        &["show", "404"],
        &["search", "cloudflare"],
        &["completions", "fish"],
        &["man"],
        &["overlay", "new", "404"],
    ];
    for args in commands {
        let full = std::fs::OpenOptions::new().write(true).open("/dev/full").unwrap();
        let output =
            std::process::Command::new(env!("CARGO_BIN_EXE_statusbrowse")).args(args).stdout(full).output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(3), "{args:?}: {stderr}");
        assert!(stderr.starts_with("statusbrowse: ") && stderr.contains("No space left"), "{args:?}: {stderr}");
    }
}
