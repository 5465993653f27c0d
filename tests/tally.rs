//! `statusbrowse tally` run as a real process on the fixture logs in
//! tests/data/logs/: every format's counts are checked against counts this file
//! computes on its own, then malformed input, the JSON shape and exit statuses.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

use crate::tally_support::*;

#[test]
fn nginx_combined() {
    let lines = fixture_lines("nginx-combined.log");
    // The status is the first word after the quoted request.
    let expected = count_codes(lines.iter().map(|l| l.split('"').nth(2).unwrap().split_whitespace().next().unwrap()));
    let rows = check_fixture("nginx-combined.log", expected);
    assert_eq!(row(&rows, 499)["source"], "nginx");
    assert_eq!(row(&rows, 200)["source"], "RFC 9110");
    assert!(row(&rows, 200)["sparkline"].as_str().unwrap().chars().count() > 1);
}

#[test]
fn apache_common_with_escaped_quotes() {
    let lines = fixture_lines("apache-common.log");
    // In `common` the status is the second field from the end.
    let expected = count_codes(lines.iter().map(|l| l.split_whitespace().rev().nth(1).unwrap()));
    let rows = check_fixture("apache-common.log", expected);
    assert_eq!(row(&rows, 509)["source"], "Apache");
}

#[test]
fn alb_keeps_the_target_status() {
    let lines = fixture_lines("alb.log");
    let fields: Vec<Vec<&str>> = lines.iter().map(|l| l.split(' ').collect()).collect();
    let rows = check_fixture("alb.log", count_codes(fields.iter().map(|f| f[8])));
    for code in [460, 463, 0] {
        if let Some(row) = rows.iter().find(|r| r["code"] == code) {
            assert_eq!(row["source"], "AWS ELB", "{code}");
        }
    }
    let mut split: BTreeMap<String, u64> = BTreeMap::new();
    for f in fields.iter().filter(|f| f[8] == "502") {
        *split.entry(f[9].to_string()).or_default() += 1;
    }
    let shown: BTreeMap<String, u64> = row(&rows, 502)["upstream"]["target"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), v.as_u64().unwrap()))
        .collect();
    assert_eq!(shown, split);
    assert!(split.contains_key("-") && split.contains_key("502"), "the fixture has both kinds of 502");
}

#[test]
fn alb_text_shows_the_split() {
    let output = run_paths(&["tally"], &[&fixture("alb.log")]);
    insta::assert_snapshot!("tally_alb_text", stdout(&output).replace(env!("CARGO_MANIFEST_DIR"), "."));
}

#[test]
fn classic_elb() {
    let lines = fixture_lines("elb-classic.log");
    check_fixture("elb-classic.log", count_codes(lines.iter().map(|l| l.split(' ').nth(7).unwrap())));
}

#[test]
fn cloudfront_by_its_header() {
    let lines = fixture_lines("cloudfront.log");
    let names: Vec<&str> = lines[1].trim_start_matches("#Fields: ").split(' ').collect();
    let status = names.iter().position(|n| *n == "sc-status").unwrap();
    let result = names.iter().position(|n| *n == "x-edge-result-type").unwrap();
    let data: Vec<Vec<&str>> = lines[2..].iter().map(|l| l.split('\t').collect()).collect();
    let rows = check_fixture("cloudfront.log", count_codes(data.iter().map(|f| f[status])));
    let errors = data.iter().filter(|f| f[status] == "502" && f[result] == "Error").count() as u64;
    assert_eq!(row(&rows, 502)["signals"]["cloudfront_edge_result_type"]["Error"], errors);
}

#[test]
fn json_lines_under_every_name() {
    let mut codes = Vec::new();
    for line in fixture_lines("app.jsonl") {
        let value: Value = serde_json::from_str(&line).unwrap();
        let code = ["status", "status_code", "statusCode", "http.status_code"]
            .iter()
            .find_map(|k| value.get(*k).cloned())
            .or_else(|| value.get("http").and_then(|h| h.get("status_code")).cloned())
            .unwrap();
        codes.push(code.as_u64().map_or_else(|| code.as_str().unwrap().to_string(), |n| n.to_string()));
    }
    check_fixture("app.jsonl", count_codes(codes.iter().map(String::as_str)));
}

#[test]
fn cloudflare_codes_are_cloudflare_s() {
    let values: Vec<Value> =
        fixture_lines("cloudflare.jsonl").iter().map(|l| serde_json::from_str(l).unwrap()).collect();
    let codes: Vec<String> = values.iter().map(|v| v["EdgeResponseStatus"].to_string()).collect();
    let rows = check_fixture("cloudflare.jsonl", count_codes(codes.iter().map(String::as_str)));
    assert_eq!(row(&rows, 530)["source"], "Cloudflare");
    let no_origin = values.iter().filter(|v| v["EdgeResponseStatus"] == 530 && v["OriginResponseStatus"] == 0).count();
    assert_eq!(row(&rows, 530)["upstream"]["origin"]["-"], no_origin as u64);
}

#[test]
fn haproxy_with_termination_states() {
    let lines = fixture_lines("haproxy.log");
    let mut codes = Vec::new();
    let mut states: BTreeMap<String, u64> = BTreeMap::new();
    for line in &lines {
        let words: Vec<&str> = line.split_whitespace().collect();
        let date = words.iter().position(|w| w.starts_with('[')).unwrap();
        codes.push(words[date + 4]);
        if words[date + 4] == "503" {
            *states.entry(words[date + 8][..2].to_string()).or_default() += 1;
        }
    }
    let rows = check_fixture("haproxy.log", count_codes(codes.into_iter()));
    let shown: BTreeMap<String, u64> = row(&rows, 503)["signals"]["haproxy_termination_state"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), v.as_u64().unwrap()))
        .collect();
    assert_eq!(shown, states);
    let text = stdout(&run_paths(&["tally"], &[&fixture("haproxy.log")]));
    assert!(text.contains("server-side timeout, connecting to the server"), "{text}");
}

#[test]
fn envoy_with_response_flags() {
    let lines = fixture_lines("envoy.log");
    let after_request: Vec<Vec<&str>> =
        lines.iter().map(|l| l.split('"').nth(2).unwrap().split_whitespace().collect()).collect();
    let codes: Vec<String> = after_request.iter().map(|w| format!("{:0>3}", w[0])).collect();
    let rows = check_fixture("envoy.log", count_codes(codes.iter().map(String::as_str)));
    let uf = after_request.iter().filter(|w| w[0] == "503" && w[1].split(',').any(|f| f == "UF")).count() as u64;
    assert_eq!(row(&rows, 503)["signals"]["envoy_response_flag"]["UF"], uf);
    let text = stdout(&run_paths(&["tally"], &[&fixture("envoy.log")]));
    assert!(text.contains("UpstreamConnectionFailure"), "{text}");
}

#[test]
fn several_files_add_up() {
    let names = ["nginx-combined.log", "alb.log", "envoy.log"];
    let mut expected: BTreeMap<u16, u64> = BTreeMap::new();
    for name in names {
        let (rows, _) = tally_json(&[&fixture(name)]);
        for (code, count) in counts_of(&rows) {
            *expected.entry(code).or_default() += count;
        }
    }
    let paths: Vec<PathBuf> = names.iter().map(|n| fixture(n)).collect();
    let refs: Vec<&Path> = paths.iter().map(PathBuf::as_path).collect();
    let (rows, output) = tally_json(&refs);
    assert!(output.status.success());
    assert_eq!(counts_of(&rows), expected);
}

#[test]
fn garbage_binary_bytes_and_crlf_are_counted_apart() {
    let lines = fixture_lines("nginx-combined.log");
    let expected =
        count_codes(lines[..12].iter().map(|l| l.split('"').nth(2).unwrap().split_whitespace().next().unwrap()));
    let (rows, output) = tally_json(&[&fixture("mixed.log")]);
    assert!(output.status.success());
    assert_eq!(counts_of(&rows), expected);
    let value: Value = serde_json::from_slice(&output.stdout).unwrap();
    // Line 9 is control bytes: skipped as binary, not "not understood"; the
    // two blank lines are counted as blank.
    assert_eq!(value["totals"]["binary_lines"], 1);
    assert_eq!(value["totals"]["blank"], 2);
    let err = stderr(&output);
    assert!(err.contains("2 lines not understood"), "{err}");
    assert!(err.contains("does not look like nginx/Apache combined"), "{err}");
    assert!(err.contains("nginx/Apache combined, but no plausible status (100–599)"), "{err}");
    assert!(err.contains("mixed.log:5: GET /this is not a log line"), "{err}");
}

#[test]
fn gzip_whole_truncated_and_concatenated() {
    let dir = tempfile::tempdir().unwrap();
    let plain = std::fs::read(fixture("nginx-combined.log")).unwrap();
    let (expected, _) = tally_json(&[&fixture("nginx-combined.log")]);

    let whole = dir.path().join("access.log.1.gz");
    std::fs::write(&whole, gzip(&plain)).unwrap();
    let (rows, output) = tally_json(&[&whole]);
    assert!(output.status.success() && stderr(&output).is_empty(), "{}", stderr(&output));
    assert_eq!(counts_of(&rows), counts_of(&expected));

    // Two members, as `cat a.gz b.gz` makes: both are read.
    let double = dir.path().join("double.gz");
    let mut members = gzip(&plain);
    members.extend(gzip(&plain));
    std::fs::write(&double, members).unwrap();
    let (rows, _) = tally_json(&[&double]);
    assert_eq!(counts_of(&rows).values().sum::<u64>(), 2 * counts_of(&expected).values().sum::<u64>());

    let truncated = dir.path().join("cut.log.gz");
    let compressed = gzip(&plain);
    std::fs::write(&truncated, &compressed[..compressed.len() * 2 / 3]).unwrap();
    let (rows, output) = tally_json(&[&truncated, &fixture("envoy.log")]);
    let err = stderr(&output);
    assert!(err.contains("cut.log.gz: gzip data truncated or corrupt after"), "{err}");
    assert!(output.status.success(), "the lines read still count: {err}");
    let counted: u64 = counts_of(&rows).values().sum();
    assert!(counted > 40 && counted < 52 + 40, "{counted}");

    // Corrupt from the first byte after the header: said so, not called empty.
    let garbage = dir.path().join("garbage.gz");
    std::fs::write(&garbage, b"\x1f\x8b\x08\x00garbage").unwrap();
    let output = run_paths(&["tally"], &[&garbage]);
    let err = stderr(&output);
    assert!(err.contains("garbage.gz: gzip data truncated or corrupt after 0 lines"), "{err}");
}

#[test]
fn binary_empty_and_huge_line() {
    let dir = tempfile::tempdir().unwrap();
    let binary = dir.path().join("core.bin");
    std::fs::write(&binary, b"\x7fELF\x02\x01\x01\x00\x00\x00\x00binary").unwrap();
    let empty = dir.path().join("empty.log");
    std::fs::write(&empty, b"").unwrap();
    let huge = dir.path().join("huge.log");
    let mut data = std::fs::read(fixture("nginx-combined.log")).unwrap();
    data.extend(std::iter::repeat_n(b'x', 1 << 20));
    data.push(b'\n');
    data.extend(std::fs::read(fixture("nginx-combined.log")).unwrap());
    std::fs::write(&huge, data).unwrap();

    let output = run_paths(&["tally"], &[&binary, &empty, &huge]);
    let (err, out) = (stderr(&output), stdout(&output));
    assert!(output.status.success(), "{err}");
    assert!(err.contains("core.bin: binary data"), "{err}");
    assert!(err.contains("empty.log: empty"), "{err}");
    assert!(out.contains("104 with a status"), "{out}");
    assert!(out.contains("longer than 1 MiB, skipped"), "{out}");
    assert!(out.contains("(1048576 bytes)"), "{out}");

    let output = run_paths(&["tally"], &[&binary, &empty]);
    assert_eq!(output.status.code(), Some(1), "nothing counted");
}

#[test]
fn json_without_status_and_unknown_text_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    let app_log = dir.path().join("app.jsonl");
    std::fs::write(&app_log, "{\"msg\":\"started\"}\n{\"msg\":\"ready\",\"port\":8080}\n").unwrap();
    let notes = dir.path().join("notes.txt");
    std::fs::write(&notes, "shopping list\nmilk\n").unwrap();
    let output = run_paths(&["tally"], &[&app_log, &notes]);
    assert_eq!(output.status.code(), Some(1));
    let out = stdout(&output);
    assert!(out.contains("app.jsonl: JSON lines, 2 lines, 0 counted"), "{out}");
    assert!(out.contains("JSON lines, but no plausible status (100–599)"), "{out}");
    assert!(out.contains("notes.txt: no format recognised in the first lines"), "{out}");
    assert!(out.contains("does not look like any known format"), "{out}");
}

#[test]
fn exit_statuses() {
    let garbage = run(&["tally", "--format", "json", fixture("nginx-combined.log").to_str().unwrap()]);
    assert_eq!(garbage.status.code(), Some(1));
    assert!(stderr(&garbage).contains("no line held a status code"));

    let missing = run(&["tally", "/nonexistent/access.log", fixture("envoy.log").to_str().unwrap()]);
    assert_eq!(missing.status.code(), Some(2));
    let err = stderr(&missing);
    assert!(err.contains("/nonexistent/access.log: cannot read: No such file or directory"), "{err}");
    assert!(stdout(&missing).contains("Envoy access log, 40 lines"), "the readable file is still reported");

    // The browser's --log reports it the same way (here off a terminal, as text).
    let log = run(&["--log", fixture("envoy.log").to_str().unwrap(), "/nonexistent/access.log"]);
    assert_eq!(log.status.code(), Some(2));
    assert!(stderr(&log).contains("/nonexistent/access.log: cannot read"), "{}", stderr(&log));

    assert_eq!(run(&["tally", "--format", "syslog", "x.log"]).status.code(), Some(2));
    assert_eq!(run(&["tally", "--json", "--bogus"]).status.code(), Some(2));
}

#[test]
fn standard_input_and_dash() {
    let log = std::fs::read(fixture("haproxy.log")).unwrap();
    let output = Command::new(BIN).args(["tally", "--json", "-"]).write_stdin(log.clone()).output().unwrap();
    assert!(output.status.success());
    let piped = Command::new(BIN).args(["tally", "--json"]).write_stdin(gzip(&log)).output().unwrap();
    assert_eq!(output.stdout, piped.stdout, "gzip on standard input is recognised by its magic bytes");
}

#[test]
fn forced_format_overrides_detection() {
    let output = run(&["tally", "--format", "nginx", fixture("envoy.log").to_str().unwrap()]);
    // Envoy lines have a bracketed time and a quoted request, so the nginx parser
    // counts them too, but reads no time (its layout of the date differs).
    assert!(output.status.success());
    assert!(stdout(&output).contains("envoy.log: nginx/Apache"), "{}", stdout(&output));
}

#[test]
fn open_and_log_print_the_tally_when_not_on_a_terminal() {
    let alb = fixture("alb.log");
    for args in [vec!["tally", "--open"], vec!["--log"]] {
        let output = run_paths(&args, &[&alb]);
        assert!(output.status.success(), "{args:?}: {}", stderr(&output));
        assert!(stdout(&output).contains("target said: - (6), 502 (1)"), "{args:?}: {}", stdout(&output));
    }
    assert_eq!(run(&["tally", "--open", "--json", "x.log"]).status.code(), Some(2), "--open conflicts with --json");
}

#[test]
fn a_first_line_longer_than_the_detection_head_still_lets_the_format_be_detected() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("app.jsonl");
    let mut text = format!("{{\"status\":502,\"msg\":\"{}\"}}\n", "x".repeat(100_000));
    for status in [200, 201, 404] {
        text.push_str(&format!("{{\"status\":{status},\"path\":\"/a\"}}\n"));
    }
    std::fs::write(&log, text).unwrap();
    let output = run_paths(&["tally"], &[&log]);
    let out = stdout(&output);
    assert!(out.contains("app.jsonl: JSON lines, 4 lines, 4 counted"), "{out}");
}
