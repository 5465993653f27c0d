//! Helpers shared by the tally tests: run the binary on fixtures, read its
//! `--json`, and count codes independently of it.

use std::collections::BTreeMap;
use std::fs::OpenOptions;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;
use serde_json::Value;

pub const BIN: &str = env!("CARGO_BIN_EXE_statusbrowse");

/// `n` nginx combined lines with this status.
pub fn access_lines(status: u16, n: usize) -> String {
    format!("1.2.3.4 - - [07/Feb/2020:11:48:51 +0000] \"GET /a HTTP/1.1\" {status} 5 \"-\" \"curl\"\n").repeat(n)
}

/// Adds `text` at the end of the file, as a log writer does.
pub fn append(path: &Path, text: &str) {
    OpenOptions::new().append(true).create(true).open(path).unwrap().write_all(text.as_bytes()).unwrap();
}

pub fn gzip(data: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(data).unwrap();
    encoder.finish().unwrap()
}

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/logs").join(name)
}

pub fn fixture_lines(name: &str) -> Vec<String> {
    let text = std::fs::read_to_string(fixture(name)).expect("fixture is readable");
    text.lines().map(str::to_string).collect()
}

pub fn run(args: &[&str]) -> Output {
    Command::new(BIN).args(args).output().expect("the binary runs")
}

pub fn run_paths(args: &[&str], paths: &[&Path]) -> Output {
    let mut cmd = Command::new(BIN);
    cmd.args(args);
    for path in paths {
        cmd.arg(path);
    }
    cmd.output().expect("the binary runs")
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// `tally --json` on the paths, checked for shape and order, with its exit status.
pub fn tally_json(paths: &[&Path]) -> (Vec<serde_json::Map<String, Value>>, Output) {
    let output = run_paths(&["tally", "--json"], paths);
    let value: Value = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|err| panic!("invalid JSON ({err}): {}\n{}", stdout(&output), stderr(&output)));
    let rows: Vec<_> =
        value["codes"].as_array().expect("an array of codes").iter().map(|v| v.as_object().unwrap().clone()).collect();
    check_totals(&value);
    for row in &rows {
        for key in ["code", "count", "share", "source", "phrase", "over_time", "sparkline"] {
            assert!(row.contains_key(key), "row without {key}: {row:?}");
        }
        assert!(row["code"].as_u64().unwrap() <= 999);
    }
    let counts: Vec<u64> = rows.iter().map(|r| r["count"].as_u64().unwrap()).collect();
    assert!(counts.windows(2).all(|w| w[0] >= w[1]), "not most frequent first: {counts:?}");
    (rows, output)
}

/// The totals add up: every line is counted, blank, a header, not
/// understood, binary or filtered out (a JSON array line may hold several
/// statuses, so "at least"); the per-file split sums to the totals.
pub fn check_totals(value: &Value) {
    let totals = &value["totals"];
    let n = |v: &Value, key: &str| v[key].as_u64().unwrap_or_else(|| panic!("no {key} in {v}"));
    let accounted: u64 =
        ["counted", "blank", "headers", "not_understood", "binary_lines", "outside_window", "other_codes"]
            .iter()
            .map(|key| n(totals, key))
            .sum();
    assert!(accounted >= n(totals, "lines"), "lines unaccounted for: {totals}");
    let files = value["files"].as_array().unwrap();
    assert_eq!(files.iter().map(|f| n(f, "counted")).sum::<u64>(), n(totals, "counted"));
    let coded: u64 =
        files.iter().flat_map(|f| f["codes"].as_object().unwrap().values()).map(|v| v.as_u64().unwrap()).sum();
    assert_eq!(coded, n(totals, "counted"));
}

/// code → count from the JSON rows.
pub fn counts_of(rows: &[serde_json::Map<String, Value>]) -> BTreeMap<u16, u64> {
    let mut counts = BTreeMap::new();
    for row in rows {
        *counts.entry(row["code"].as_u64().unwrap() as u16).or_default() += row["count"].as_u64().unwrap();
    }
    counts
}

pub fn row(rows: &[serde_json::Map<String, Value>], code: u64) -> &serde_json::Map<String, Value> {
    rows.iter().find(|r| r["code"] == code).unwrap_or_else(|| panic!("no row for {code}"))
}

pub fn count_codes<'a>(codes: impl Iterator<Item = &'a str>) -> BTreeMap<u16, u64> {
    let mut counts = BTreeMap::new();
    for code in codes {
        *counts.entry(code.parse().unwrap_or_else(|_| panic!("fixture status {code:?}"))).or_default() += 1;
    }
    counts
}

/// Tallies one fixture and compares with `expected`; returns the rows.
pub fn check_fixture(name: &str, expected: BTreeMap<u16, u64>) -> Vec<serde_json::Map<String, Value>> {
    let (rows, output) = tally_json(&[&fixture(name)]);
    assert!(output.status.success(), "{name}: {}", stderr(&output));
    assert!(stderr(&output).is_empty(), "{name} left lines out: {}", stderr(&output));
    assert_eq!(counts_of(&rows), expected, "{name}");
    rows
}

/// `tally --json` with more flags, on paths, as the whole JSON value.
pub fn json_with(args: &[&str], paths: &[&Path]) -> (Value, Output) {
    let mut all = vec!["tally", "--json"];
    all.extend_from_slice(args);
    let output = run_paths(&all, paths);
    let value: Value = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|err| panic!("invalid JSON ({err}): {}\n{}", stdout(&output), stderr(&output)));
    check_totals(&value);
    (value, output)
}

/// `tally --json` on standard input.
pub fn json_of_stdin(args: &[&str], input: Vec<u8>) -> Value {
    let mut all = vec!["tally", "--json"];
    all.extend_from_slice(args);
    let output = Command::new(BIN).args(&all).write_stdin(input).output().expect("the binary runs");
    let value: Value = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|err| panic!("invalid JSON ({err}): {}\n{}", stdout(&output), stderr(&output)));
    check_totals(&value);
    value
}

/// code → count from a whole `--json` value.
pub fn codes_in(value: &Value) -> BTreeMap<u16, u64> {
    let mut counts = BTreeMap::new();
    for row in value["codes"].as_array().unwrap() {
        *counts.entry(row["code"].as_u64().unwrap() as u16).or_default() += row["count"].as_u64().unwrap();
    }
    counts
}
