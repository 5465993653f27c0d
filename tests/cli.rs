//! The command-line face, run as a real process: output formats, filters and the
//! JSON shape (exit statuses, errors and closed pipes are in `cli_exits`).
//!
//! Every test runs the built binary with stdout captured, so stdout is never a
//! terminal here: `show` wraps to 80 columns, `statusbrowse QUERY` prints search
//! hits instead of opening the browser.

use std::collections::BTreeSet;
use std::process::Output;

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;
use unicode_width::UnicodeWidthStr;

pub(crate) const BIN: &str = env!("CARGO_BIN_EXE_statusbrowse");

/// The keys every entry in the JSON output carries, whichever command printed it.
const ENTRY_KEYS: &[&str] =
    &["code", "phrase", "aliases", "class", "lifecycle", "recommendation", "source", "summary", "related", "signals"];

const CLOUDFLARE_CODES: &[u64] = &[520, 521, 522, 523, 524, 525, 526, 527, 530];

pub(crate) fn cmd() -> Command {
    let mut cmd = Command::new(BIN);
    // Keep the environment from changing what is printed.
    cmd.env_remove("NO_COLOR").env_remove("COLUMNS").env_remove("LINES");
    cmd
}

/// Runs the binary and returns its output, whatever the exit status.
pub(crate) fn run(args: &[&str]) -> Output {
    cmd().args(args).output().expect("the binary runs")
}

pub(crate) fn stdout_of(args: &[&str]) -> String {
    let output = cmd().args(args).assert().success().get_output().clone();
    assert!(output.stderr.is_empty(), "{args:?} wrote to stderr: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).expect("stdout is UTF-8")
}

/// Parses JSON output as an array of entry objects and checks each entry's shape.
pub(crate) fn json_entries(args: &[&str]) -> Vec<serde_json::Map<String, Value>> {
    let text = stdout_of(args);
    let value: Value =
        serde_json::from_str(&text).unwrap_or_else(|err| panic!("{args:?} printed invalid JSON ({err}):\n{text}"));
    let array = value.as_array().unwrap_or_else(|| panic!("{args:?} printed JSON that is not an array"));
    assert!(!array.is_empty(), "{args:?} printed an empty array");
    array
        .iter()
        .map(|item| {
            let entry =
                item.as_object().unwrap_or_else(|| panic!("{args:?}: array item is not an object: {item}")).clone();
            check_entry_shape(&entry);
            entry
        })
        .collect()
}

fn check_entry_shape(entry: &serde_json::Map<String, Value>) {
    for key in ENTRY_KEYS {
        assert!(entry.contains_key(*key), "entry lacks '{key}': {entry:?}");
    }
    let code = entry["code"].as_u64().expect("code is a number");
    assert!(code <= 999, "code {code} out of range");
    for key in ["phrase", "class", "lifecycle", "recommendation", "source", "summary"] {
        let text = entry[key].as_str().unwrap_or_else(|| panic!("{key} is not a string in entry {code}"));
        assert!(!text.is_empty(), "{key} is empty in entry {code}");
    }
    let aliases = entry["aliases"].as_array().expect("aliases is an array");
    assert!(aliases.iter().all(Value::is_string), "aliases of {code}");
    let related = entry["related"].as_array().expect("related is an array");
    assert!(
        related.iter().all(|r| r["code"].as_u64().is_some_and(|n| n <= 999) && r["source"].is_string()),
        "related of {code} must name meanings as {{code, source}}: {related:?}"
    );
    let signals = entry["signals"].as_array().expect("signals is an array");
    assert!(
        signals.iter().all(|s| s["text"].is_string() && s["emitter"].is_string()),
        "signals of {code} must be objects with text and emitter: {signals:?}"
    );
}

pub(crate) fn code(entry: &serde_json::Map<String, Value>) -> u64 {
    entry["code"].as_u64().unwrap()
}

pub(crate) fn text(entry: &serde_json::Map<String, Value>, key: &str) -> String {
    entry[key].as_str().unwrap().to_string()
}

fn keys(entry: &serde_json::Map<String, Value>) -> BTreeSet<String> {
    entry.keys().cloned().collect()
}

/// The class key the catalogue uses for a number.
fn class_of(code: u64) -> &'static str {
    match code {
        100..=199 => "1xx",
        200..=299 => "2xx",
        300..=399 => "3xx",
        400..=499 => "4xx",
        500..=599 => "5xx",
        _ => "other",
    }
}

/// The leading status number of a `search`/`list` text line.
fn line_code(line: &str) -> u64 {
    let (number, _) = line.split_once("  ").unwrap_or_else(|| panic!("line has no two-space separator: {line:?}"));
    assert_eq!(number.len(), 3, "code not zero-padded to 3 digits: {line:?}");
    number.parse().unwrap_or_else(|_| panic!("line does not start with a code: {line:?}"))
}

/// `CODE  PHRASE  (SOURCE)`, as `search` and `list` print each hit, then for a
/// search hit no name explains, `  seen as: ...` or `  found in the text: ...`.
fn assert_hit_line(line: &str) {
    let mut parts = line.splitn(3, "  ");
    let (number, phrase, source) = (parts.next().unwrap(), parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    let source = source.split_once(")  ").map_or(source.to_string(), |(source, why)| {
        assert!(why.starts_with("seen as: ") || why.starts_with("found in the text: "), "bad reason in {line:?}");
        format!("{source})")
    });
    assert!(number.len() == 3 && number.bytes().all(|b| b.is_ascii_digit()), "bad code in {line:?}");
    assert!(!phrase.trim().is_empty(), "no phrase in {line:?}");
    assert!(source.len() > 2 && source.starts_with('(') && source.ends_with(')'), "no (source) in {line:?}");
}

pub(crate) fn stderr_text(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).expect("stderr is UTF-8")
}

/// Asserts a failure with the given status, nothing on stdout and exactly one
/// line on stderr; returns that line.
pub(crate) fn one_line_failure(args: &[&str], status: i32) -> String {
    let output = run(args);
    assert_eq!(output.status.code(), Some(status), "{args:?}: stderr {}", stderr_text(&output));
    assert!(output.stdout.is_empty(), "{args:?} printed to stdout");
    let stderr = stderr_text(&output);
    assert!(stderr.ends_with('\n'), "{args:?}: stderr {stderr:?}");
    assert_eq!(stderr.lines().count(), 1, "{args:?}: stderr must be one line: {stderr:?}");
    assert!(stderr.starts_with("statusbrowse: "), "{stderr:?}");
    stderr.trim_end().to_string()
}

// ---------------------------------------------------------------- show ----

#[test]
fn show_404_prints_the_entry_as_plain_text() {
    let out = stdout_of(&["show", "404"]);
    let mut lines = out.lines();
    assert_eq!(lines.next(), Some("404 Not Found  (RFC 9110)"));
    assert!(out.contains("Not Found"));
    // Headings are printed upper-case, each on a line of its own.
    for heading in ["WHAT TO CHECK", "WHAT IT MEANS", "COMMON SITUATIONS", "AVOID / DO NOT CONFUSE WITH", "SOURCE"] {
        assert!(out.lines().any(|l| l == heading), "no '{heading}' heading in:\n{out}");
    }
    // The checks follow their heading, numbered from 1.
    let after_checks: Vec<&str> = out.lines().skip_while(|l| *l != "WHAT TO CHECK").skip(1).collect();
    assert!(after_checks[0].starts_with("1. "), "{after_checks:?}");
    assert!(out.contains("https://www.rfc-editor.org/rfc/rfc9110"));
    assert!(out.contains("410 Gone"), "related codes are listed");
    assert!(!out.contains('\x1b'), "no escape sequences off a terminal");
    assert!(out.lines().all(|l| l == l.trim_end()), "no trailing spaces");
}

#[test]
fn show_wraps_to_80_columns_when_not_a_terminal() {
    let out = stdout_of(&["show", "404"]);
    let widest = out.lines().map(UnicodeWidthStr::width).max().unwrap();
    assert!(widest <= 80, "a line is {widest} columns wide:\n{out}");
    // Wrapped to 80, not to something much narrower.
    assert!(widest > 70, "widest line is only {widest} columns:\n{out}");
    assert!(out.lines().count() > 30, "long prose is wrapped onto many lines");
}

#[test]
fn show_every_code_stays_within_80_columns() {
    let codes: BTreeSet<u64> = json_entries(&["list", "--json"]).iter().map(code).collect();
    assert!(codes.len() > 50);
    for c in codes {
        let arg = c.to_string();
        let out = stdout_of(&["show", &arg]);
        // A URL is printed whole on a line of its own, however long.
        for line in out.lines().filter(|l| !l.starts_with("https://")) {
            assert!(line.width() <= 80, "show {c}: line of {} columns: {line:?}", line.width());
        }
    }
}

#[test]
fn show_530_json_has_every_meaning() {
    let entries = json_entries(&["show", "530", "--json"]);
    assert!(entries.len() >= 3, "530 has several meanings");
    let sources: BTreeSet<String> = entries.iter().map(|e| text(e, "source")).collect();
    for vendor in ["Cloudflare", "Pantheon", "Shopify"] {
        assert!(sources.contains(vendor), "no {vendor} meaning: {sources:?}");
    }
    assert_eq!(sources.len(), entries.len(), "one entry per meaning");
    for entry in &entries {
        assert_eq!(code(entry), 530);
        assert_eq!(text(entry, "class"), "5xx");
        assert!(entry["aliases"].is_array());
        assert!(entry["related"].is_array());
    }
    let cloudflare = entries.iter().find(|e| text(e, "source") == "Cloudflare").unwrap();
    let first = &cloudflare["related"][0];
    assert_eq!(
        (first["code"].as_u64(), first["source"].as_str()),
        (Some(523), Some("Cloudflare")),
        "Cloudflare 530 leads to 523"
    );
}

#[test]
fn show_530_text_prints_one_block_per_meaning() {
    let out = stdout_of(&["show", "530"]);
    // Each block opens with `CODE PHRASE  (SOURCE)`.
    let titles: Vec<&str> =
        out.lines().filter(|l| l.starts_with("530 ") && l.contains("  (") && l.ends_with(')')).collect();
    assert!(out.starts_with(titles[0]), "{out}");
    for vendor in ["(Cloudflare)", "(Pantheon)", "(Shopify)"] {
        assert!(titles.iter().any(|t| t.ends_with(vendor)), "no {vendor} block title in {titles:?}");
    }
    assert_eq!(out.lines().filter(|l| *l == "WHAT TO CHECK").count(), titles.len());
}

#[test]
fn show_413_json_keeps_the_old_phrase_as_alias() {
    let entries = json_entries(&["show", "413", "--json"]);
    assert_eq!(entries.len(), 1);
    assert_eq!(code(&entries[0]), 413);
    assert_eq!(text(&entries[0], "phrase"), "Content Too Large");
    let aliases: Vec<&str> = entries[0]["aliases"].as_array().unwrap().iter().map(|a| a.as_str().unwrap()).collect();
    assert!(aliases.contains(&"Payload Too Large"), "{aliases:?}");
}

#[test]
fn show_0_is_status_000_of_class_other() {
    let entries = json_entries(&["show", "0", "--json"]);
    assert!(!entries.is_empty());
    for entry in &entries {
        assert_eq!(code(entry), 0);
        assert_eq!(text(entry, "class"), "other");
    }
    let out = stdout_of(&["show", "0"]);
    assert!(out.starts_with("000 "), "code printed as 000: {out}");
    // A zero-padded argument names the same code.
    assert_eq!(stdout_of(&["show", "000"]), out);
}

#[test]
fn show_markdown() {
    let out = stdout_of(&["show", "404", "--markdown"]);
    assert!(out.starts_with("### 404 Not Found"), "{out}");
    assert!(out.contains("**What to check**"));
    assert!(out.contains("\n1. "), "checks are a numbered list");
    assert!(!out.contains('\x1b'));

    let several = stdout_of(&["show", "530", "--markdown"]);
    assert!(several.starts_with("### 530 "));
    assert!(several.matches("### 530 ").count() >= 3);
}

#[test]
fn releases_of_signals_reach_every_output() {
    let text = stdout_of(&["show", "599"]);
    assert!(text.contains("Tornado · exception · since Tornado 5.1"), "{text}");
    let markdown = stdout_of(&["show", "422", "--markdown"]);
    assert!(markdown.contains("Python `HTTPStatus.UNPROCESSABLE_CONTENT` (since Python 3.13)"), "{markdown}");
    assert!(
        markdown.contains("Spring `HttpStatus.UNPROCESSABLE_ENTITY` (since Spring 3.0.1; deprecated since Spring 7.0)"),
        "{markdown}"
    );
    let entries = json_entries(&["show", "413", "--json"]);
    let signals = entries[0]["signals"].as_array().unwrap();
    let removed = signals.iter().find(|s| s["text"] == "HttpStatus.REQUEST_ENTITY_TOO_LARGE").unwrap();
    assert_eq!(removed["since"], "Spring 3.0.1");
    assert_eq!(removed["deprecated_since"], "Spring 4.1");
    assert_eq!(removed["removed_in"], "Spring 7.0");
}

#[test]
fn show_json_and_markdown_conflict() {
    cmd()
        .args(["show", "404", "--json", "--markdown"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains("cannot be used with"));
}

// -------------------------------------------------------------- search ----

#[test]
fn search_cloudflare_lists_the_cloudflare_codes_first() {
    let out = stdout_of(&["search", "cloudflare"]);
    let lines: Vec<&str> = out.lines().collect();
    assert!(lines.len() >= 9, "{out}");
    for line in &lines {
        assert_hit_line(line);
    }
    let first: BTreeSet<u64> = lines[..9].iter().map(|l| line_code(l)).collect();
    assert_eq!(first, CLOUDFLARE_CODES.iter().copied().collect());
    for line in &lines[..9] {
        assert!(line.ends_with("  (Cloudflare)"), "{line}");
    }
    assert!(lines.contains(&"524  A Timeout Occurred  (Cloudflare)"), "{out}");
}

#[test]
fn search_filtered_by_class_json() {
    let entries = json_entries(&["search", "timeout", "--class", "5xx", "--json"]);
    for entry in &entries {
        assert_eq!(text(entry, "class"), "5xx", "{entry:?}");
        assert!((500..=599).contains(&code(entry)));
    }
    let codes: Vec<u64> = entries.iter().map(code).collect();
    assert!(codes.contains(&504), "{codes:?}");
    assert!(codes.contains(&524), "{codes:?}");
    // Without the filter the same query also finds 408 Request Timeout.
    let unfiltered: Vec<u64> = json_entries(&["search", "timeout", "--json"]).iter().map(code).collect();
    assert!(unfiltered.contains(&408), "{unfiltered:?}");
    // The class key is case-insensitive.
    assert_eq!(
        stdout_of(&["search", "timeout", "--class", "5XX"]),
        stdout_of(&["search", "timeout", "--class", "5xx"])
    );
}

#[test]
fn search_filtered_by_source_is_case_insensitive() {
    let lower = stdout_of(&["search", "client", "--source", "nginx"]);
    let upper = stdout_of(&["search", "client", "--source", "NGINX"]);
    assert_eq!(lower, upper);
    assert!(lower.contains("499  Client Closed Request  (nginx)"), "{lower}");
    for line in lower.lines() {
        assert!(line.contains("  (nginx)"), "{line}");
    }
}

#[test]
fn search_limit() {
    let out = stdout_of(&["search", "timeout", "--limit", "3"]);
    assert_eq!(out.lines().count(), 3, "{out}");
    let full = stdout_of(&["search", "timeout"]);
    assert!(full.lines().count() > 3);
    // The limit keeps the best hits, in order.
    let head: Vec<&str> = full.lines().take(3).collect();
    assert_eq!(out.lines().collect::<Vec<_>>(), head);
    assert_eq!(stdout_of(&["search", "timeout", "-n", "3"]), out);
    assert_eq!(json_entries(&["search", "timeout", "-n", "2", "--json"]).len(), 2);
}

#[test]
fn search_words_as_separate_arguments() {
    let split = stdout_of(&["search", "gateway", "timeout"]);
    assert_eq!(split.lines().next(), Some("504  Gateway Timeout  (RFC 9110)"));
    // Separate words mean the same as one quoted argument.
    assert_eq!(stdout_of(&["search", "gateway timeout"]), split);
}

#[test]
fn search_by_number() {
    let out = stdout_of(&["search", "524"]);
    assert_eq!(out.lines().next(), Some("524  A Timeout Occurred  (Cloudflare)"));
}

#[test]
fn search_by_old_phrase() {
    let out = stdout_of(&["search", "payload", "too", "large"]);
    assert_eq!(line_code(out.lines().next().unwrap()), 413, "{out}");
}

#[test]
fn search_needs_a_query() {
    cmd().arg("search").assert().code(2).stdout("").stderr(predicate::str::contains("required"));
}

// ---------------------------------------------------------------- list ----

#[test]
fn list_is_in_code_order() {
    let out = stdout_of(&["list"]);
    let codes: Vec<u64> = out.lines().inspect(|l| assert_hit_line(l)).map(line_code).collect();
    assert!(codes.len() > 50, "{out}");
    assert!(codes.windows(2).all(|w| w[0] <= w[1]), "codes out of order: {codes:?}");
    assert_eq!(codes.first(), Some(&0));
    for wanted in [100, 200, 404, 418, 530, 999] {
        assert!(codes.contains(&wanted), "list lacks {wanted}");
    }

    let json = json_entries(&["list", "--json"]);
    let json_codes: Vec<u64> = json.iter().map(code).collect();
    assert_eq!(json_codes, codes, "text and JSON list the same entries");
    for entry in &json {
        assert_eq!(text(entry, "class"), class_of(code(entry)), "{entry:?}");
    }
}

#[test]
fn list_by_class_json() {
    let all = json_entries(&["list", "--json"]);
    let entries = json_entries(&["list", "--class", "4xx", "--json"]);
    for entry in &entries {
        assert_eq!(text(entry, "class"), "4xx", "{entry:?}");
    }
    let expected = all.iter().filter(|e| text(e, "class") == "4xx").count();
    assert_eq!(entries.len(), expected, "every 4xx entry is listed");
    let codes: Vec<u64> = entries.iter().map(code).collect();
    assert!(codes.windows(2).all(|w| w[0] <= w[1]), "{codes:?}");

    let other: Vec<u64> = json_entries(&["list", "--class", "other", "--json"]).iter().map(code).collect();
    assert!(other.contains(&0), "{other:?}");
    assert!(other.iter().all(|&c| !(100..=599).contains(&c)), "{other:?}");
}

#[test]
fn list_by_source() {
    let out = stdout_of(&["list", "--source", "cloudflare"]);
    let codes: Vec<u64> = out.lines().map(line_code).collect();
    assert_eq!(codes, CLOUDFLARE_CODES, "{out}");
    assert_eq!(stdout_of(&["list", "--source", "Cloudflare"]), out);

    // A source name with a space, given as one argument.
    let rfc = json_entries(&["list", "--source", "rfc 9110", "--json"]);
    assert!(rfc.len() > 30);
    assert!(rfc.iter().all(|e| text(e, "source") == "RFC 9110"));
}

#[test]
fn list_with_filters_that_match_nothing() {
    let line = one_line_failure(&["list", "--class", "2xx", "--source", "cloudflare"], 1);
    assert!(line.contains("no entry matches"), "{line}");
}

// ------------------------------------------------------ bare query -------

#[test]
fn bare_query_off_a_terminal_prints_search_hits() {
    let out = stdout_of(&["524"]);
    assert_eq!(out.lines().next(), Some("524  A Timeout Occurred  (Cloudflare)"));
    assert_eq!(out, stdout_of(&["search", "524"]));

    let words = stdout_of(&["gateway", "timeout"]);
    assert_eq!(words, stdout_of(&["search", "gateway", "timeout"]));
}

#[test]
fn bare_query_with_no_hits_exits_1() {
    let line = one_line_failure(&["xyzzyqq"], 1);
    assert!(line.contains("xyzzyqq"), "{line}");
}

#[test]
fn no_arguments_off_a_terminal_is_a_usage_error() {
    let output = run(&[]);
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty());
    let stderr = stderr_text(&output);
    assert!(stderr.contains("not a terminal"), "{stderr}");
    assert!(stderr.starts_with("statusbrowse: "), "{stderr}");
}

// ---------------------------------------------------------- JSON shape ----

#[test]
fn json_has_the_same_shape_for_show_search_and_list() {
    let show = json_entries(&["show", "530", "--json"]);
    let search = json_entries(&["search", "timeout", "--json"]);
    let list = json_entries(&["list", "--json"]);
    let shape = keys(&show[0]);
    for key in ENTRY_KEYS {
        assert!(shape.contains(*key));
    }
    for entry in show.iter().chain(&search).chain(&list) {
        assert_eq!(keys(entry), shape, "entry {} differs", code(entry));
    }
    // The same entry is printed identically by all three.
    let from_list = list.iter().find(|e| code(e) == 504).expect("list has 504");
    let from_search = search.iter().find(|e| code(e) == 504).expect("search has 504");
    let from_show = json_entries(&["show", "504", "--json"]);
    assert_eq!(from_list, from_search);
    assert_eq!(from_list, &from_show[0]);
}
