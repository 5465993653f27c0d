//! The formats and inputs of tally v2, each checked against counts this file
//! computes on its own from the fixture (written from each format's
//! documentation): W3C/IIS, CloudFront real-time, the JSON shapes and arrays,
//! container prefixes, HAProxy custom formats, the escape hatches, damaged
//! input (NUL holes, CR line ends, binary bytes), mixed files, and the
//! filters and drill-down.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::tally_support::*;

fn nginx_expected() -> BTreeMap<u16, u64> {
    let lines = fixture_lines("nginx-combined.log");
    count_codes(lines.iter().map(|l| l.split('"').nth(2).unwrap().split_whitespace().next().unwrap()))
}

#[test]
fn iis_blocks_read_by_their_fields() {
    // Each block's #Fields names where sc-status is; data lines split at spaces.
    let mut status_at = None;
    let mut codes = Vec::new();
    for line in fixture_lines("iis.log") {
        if let Some(names) = line.strip_prefix("#Fields: ") {
            status_at = names.split(' ').position(|n| n == "sc-status");
        } else if !line.starts_with('#') {
            codes.push(line.split(' ').nth(status_at.unwrap()).unwrap().to_string());
        }
    }
    let (value, output) = json_with(&[], &[&fixture("iis.log")]);
    assert!(output.status.success() && stderr(&output).is_empty(), "{}", stderr(&output));
    assert_eq!(codes_in(&value), count_codes(codes.iter().map(String::as_str)));
    assert_eq!(value["files"][0]["format"], "W3C extended log (IIS)");
    assert_eq!(value["totals"]["headers"], 8);
}

#[test]
fn cloudfront_real_time_records() {
    let lines = fixture_lines("cloudfront-realtime.log");
    // sc-status is the fourth field of the real-time list.
    let expected = count_codes(lines.iter().map(|l| l.split('\t').nth(3).unwrap()));
    let (value, output) = json_with(&[], &[&fixture("cloudfront-realtime.log")]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(codes_in(&value), expected);
    assert_eq!(value["files"][0]["format"], "CloudFront real-time log");
    assert!(value["totals"]["first"].as_str().unwrap().starts_with("2026-11-23 09:00"));
}

/// The status path of each shape, as its documentation names the field.
fn shape_status(line: &Value) -> u64 {
    let at = |path: &str| path.split('.').try_fold(line, |v, key| v.get(key));
    let status = [
        "DownstreamStatus",
        "httpRequest.status",
        "http.response.status_code",
        "properties.httpStatusCode",
        "properties.httpStatus",
    ]
    .iter()
    .find_map(|path| at(path))
    .expect("a status in every line");
    status.as_u64().unwrap_or_else(|| status.as_str().unwrap().parse().unwrap())
}

#[test]
fn json_shapes_by_their_keys() {
    let values: Vec<Value> = fixture_lines("shapes.jsonl").iter().map(|l| serde_json::from_str(l).unwrap()).collect();
    let mut expected = BTreeMap::new();
    for value in &values {
        *expected.entry(shape_status(value) as u16).or_default() += 1;
    }
    let (value, output) = json_with(&["--top", "5"], &[&fixture("shapes.jsonl")]);
    assert!(output.status.success() && stderr(&output).is_empty(), "{}", stderr(&output));
    assert_eq!(codes_in(&value), expected);
    // Traefik's 502s came with OriginStatus 0: no response from the origin.
    let traefik_502 = values.iter().filter(|v| v["DownstreamStatus"] == 502).count() as u64;
    let row = value["codes"].as_array().unwrap().iter().find(|r| r["code"] == 502).unwrap();
    if traefik_502 > 0 {
        assert_eq!(row["upstream"]["upstream"]["-"], traefik_502);
    }
    let targets: Vec<&str> =
        row["top"]["targets"].as_array().unwrap().iter().map(|t| t["value"].as_str().unwrap()).collect();
    assert!(
        targets
            .iter()
            .all(|t| ["10.0.3.4:8080", "web-backend", "web-origin.azurewebsites.net:443", "10.0.4.4:80"].contains(t)),
        "{targets:?}"
    );
}

#[test]
fn json_arrays_whole_and_across_lines() {
    let lines = fixture_lines("cloudflare.jsonl");
    let expected = codes_in(&json_with(&[], &[&fixture("cloudflare.jsonl")]).0);
    let one_line = format!("[{}]\n", lines.join(","));
    assert_eq!(codes_in(&json_of_stdin(&[], one_line.into_bytes())), expected);
    let pretty = format!("[\n{}\n]\n", lines.join(",\n"));
    let value = json_of_stdin(&[], pretty.into_bytes());
    assert_eq!(codes_in(&value), expected);
    assert_eq!(value["totals"]["not_understood"], 0);
}

#[test]
fn container_prefixes_are_taken_off() {
    let lines = fixture_lines("nginx-combined.log");
    let kubectl: String = lines.iter().map(|l| format!("[pod/web-7d9f/nginx] {l}\n")).collect();
    let compose: String = lines.iter().map(|l| format!("web-1  | {l}\n")).collect();
    let cri: String = lines.iter().map(|l| format!("2026-11-23T09:00:00.123456789Z stdout F {l}\n")).collect();
    let docker: String = lines
        .iter()
        .map(|l| {
            format!(
                "{}\n",
                serde_json::json!({"log": format!("{l}\n"), "stream": "stdout", "time": "2026-11-23T09:00:00Z"})
            )
        })
        .collect();
    for (name, text) in [("kubectl", kubectl), ("compose", compose), ("cri", cri), ("docker", docker)] {
        let value = json_of_stdin(&[], text.into_bytes());
        assert_eq!(codes_in(&value), nginx_expected(), "{name}");
    }
    // An Envoy line behind kubectl's --timestamps is read as Envoy's (with its flags).
    let envoy = "2024-06-02T13:35:27.054Z [2024-06-02T13:35:27.054Z] \"GET / HTTP/2\" 503 UF - \"-\" 0 0 1 - \"-\" \"-\" \"-\" \"h\" \"-\"\n";
    let value = json_of_stdin(&[], envoy.as_bytes().to_vec());
    assert_eq!(value["files"][0]["format"], "Envoy access log");
    assert_eq!(value["codes"][0]["signals"]["envoy_response_flag"]["UF"], 1);
}

#[test]
fn haproxy_custom_format_by_position() {
    let lines = fixture_lines("haproxy-custom.log");
    let mut codes = Vec::new();
    let mut targets: BTreeMap<String, u64> = BTreeMap::new();
    for line in &lines {
        let words: Vec<&str> = line.split_whitespace().collect();
        // The status follows the five timers, wherever the custom format put them.
        let timers = words.iter().position(|w| w.matches('/').count() == 4 && !w.contains('"')).unwrap();
        codes.push(words[timers + 1]);
        if words[timers + 1] == "502" {
            *targets.entry(words.iter().find(|w| w.starts_with("app/")).unwrap().to_string()).or_default() += 1;
        }
    }
    let (value, output) = json_with(&["--code", "502", "--top", "10"], &[&fixture("haproxy-custom.log")]);
    assert!(output.status.success(), "{}", stderr(&output));
    let all = count_codes(codes.into_iter());
    assert_eq!(codes_in(&value), all.iter().filter(|(c, _)| **c == 502).map(|(c, n)| (*c, *n)).collect());
    assert_eq!(value["totals"]["other_codes"], all.values().sum::<u64>() - all[&502]);
    let shown: BTreeMap<String, u64> = value["codes"][0]["top"]["targets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| (t["value"].as_str().unwrap().to_string(), t["count"].as_u64().unwrap()))
        .collect();
    assert_eq!(shown, targets);
}

#[test]
fn field_and_regex_escape_hatches() {
    let lines = fixture_lines("nginx-combined.log");
    let (value, _) = json_with(&["--field", "9"], &[&fixture("nginx-combined.log")]);
    assert_eq!(codes_in(&value), count_codes(lines.iter().map(|l| l.split(' ').nth(8).unwrap())));
    let (value, _) = json_with(&["--regex", r#"" (?P<status>\d{3}) "#], &[&fixture("nginx-combined.log")]);
    assert_eq!(codes_in(&value), nginx_expected());
    let json = b"{\"resp\":{\"code\":418}}\n{\"resp\":{\"code\":200}}\n".to_vec();
    assert_eq!(codes_in(&json_of_stdin(&["--field", "resp.code"], json)), BTreeMap::from([(200, 1), (418, 1)]));
    assert_eq!(run(&["tally", "--regex", "no group", "x"]).status.code(), Some(2));
}

#[test]
fn a_copytruncate_hole_loses_no_line() {
    let good = "1.2.3.4 - - [07/Feb/2020:11:48:51 +0000] \"GET /a HTTP/1.1\" 200 5 \"-\" \"curl\"\n";
    let mut data = vec![0u8; 3 << 20];
    data.extend(good.repeat(4000).into_bytes());
    let value = json_of_stdin(&[], data);
    assert_eq!(value["totals"]["counted"], 4000);
    assert_eq!(value["totals"]["nul_bytes"], 3 << 20);
    assert_eq!(value["files"][0]["format"], "nginx/Apache combined");
}

#[test]
fn carriage_return_line_ends() {
    let good = "1.2.3.4 - - [07/Feb/2020:11:48:51 +0000] \"GET /a HTTP/1.1\" 200 5 \"-\" \"curl\"";
    for end in ["\r", "\r\n", "\n"] {
        let value = json_of_stdin(&[], format!("{good}{end}").repeat(4000).into_bytes());
        assert_eq!(value["totals"]["counted"], 4000, "{end:?}");
        assert_eq!(value["totals"]["lines"], 4000, "{end:?}");
    }
}

#[test]
fn a_mixed_stream_keeps_both_formats() {
    let (alb, _) = json_with(&[], &[&fixture("alb.log")]);
    let mut expected = codes_in(&alb);
    for (code, count) in nginx_expected() {
        *expected.entry(code).or_default() += count;
    }
    let mut mixed = std::fs::read(fixture("alb.log")).unwrap();
    mixed.extend(std::fs::read(fixture("nginx-combined.log")).unwrap());
    let value = json_of_stdin(&[], mixed);
    assert_eq!(codes_in(&value), expected);
}

#[test]
fn app_log_statuses_are_not_http_codes() {
    let value = json_of_stdin(&[], b"{\"msg\":\"done\",\"status\":1}\n{\"status\":0}\n{\"status\":2}\n".to_vec());
    assert_eq!(value["totals"]["counted"], 0);
    assert_eq!(value["totals"]["not_understood"], 3);
}

#[test]
fn a_time_window_and_codes() {
    let lines = fixture_lines("alb.log");
    let fields: Vec<Vec<&str>> = lines.iter().map(|l| l.split(' ').collect()).collect();
    // The ALB time is the second field; minutes 09:10 to 09:20 (until is exclusive).
    let inside = |f: &&Vec<&str>| ("2026-11-23T09:10" <= f[1]) && (f[1] < "2026-11-23T09:20");
    let expected = count_codes(fields.iter().filter(inside).filter(|f| f[8].starts_with('5')).map(|f| f[8]));
    let (value, _) = json_with(
        &["--since", "2026-11-23T09:10:00Z", "--until", "2026-11-23 09:20", "--code", "5xx"],
        &[&fixture("alb.log")],
    );
    assert_eq!(codes_in(&value), expected);
    let outside = fields.iter().filter(|f| !inside(f)).count() as u64;
    assert_eq!(value["totals"]["outside_window"], outside);
    assert_eq!(run(&["tally", "--since", "soon", "x"]).status.code(), Some(2));
    assert_eq!(run(&["tally", "--code", "6xx", "x"]).status.code(), Some(2));
}

#[test]
fn the_502s_traced_to_their_upstream_in_text() {
    let lines = fixture_lines("envoy.log");
    let mut upstreams: BTreeMap<String, u64> = BTreeMap::new();
    for line in &lines {
        let quoted: Vec<&str> = line.split('"').collect();
        let after: Vec<&str> = quoted[2].split_whitespace().collect();
        if after[0] == "503" {
            // The last quoted field is the upstream host.
            *upstreams.entry(quoted[quoted.len() - 2].to_string()).or_default() += 1;
        }
    }
    let output = run_paths(&["tally", "--code", "503", "--top", "1"], &[&fixture("envoy.log")]);
    let text = stdout(&output);
    let (top, count) = upstreams.iter().max_by_key(|(u, n)| (**n, std::cmp::Reverse((*u).clone()))).unwrap();
    if top != "-" {
        assert!(text.contains(&format!("targets: {top} ({count})")), "{text}");
    }
    assert!(text.contains("4xx 0% · 5xx 100%"), "{text}");
}
