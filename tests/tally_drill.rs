//! `tally --code 502 --top 3` traces the 502s to where they went on the lines
//! that name it indirectly: an ALB with a Lambda target (its target group and
//! `error_reason`), and ingress-nginx (`$upstream_addr` and `$upstream_status`
//! after `[proxy_upstream_name]`). Lines are written from each format's
//! documentation; what the output should say is computed here from the table
//! they are written from.

use std::collections::BTreeMap;

use assert_cmd::Command;
use serde_json::Value;

use statusbrowse::catalogue::Catalogue;
use statusbrowse::tally::{self, browse::LogCounts, reader::Input};

use crate::common::{app, press};
use crate::tally_support::*;

/// The ALB guide's fields in order, with the target, the two statuses, the
/// target group's ARN and `error_reason` as given.
fn alb_line(target: &str, status: u16, target_status: &str, group: &str, reason: &str) -> String {
    format!(
        "http 2026-11-23T09:12:00.000000Z app/shop-lb/50dc6c495c0c9188 192.0.2.7:2817 {target} 0.000 0.001 0.000 \
         {status} {target_status} 34 366 \"GET http://shop.example.com:80/cart HTTP/1.1\" \"curl/8.5.0\" - - \
         {group} \"Root=1-58337364-23a8c76965a2ef7629b185e3\" \"-\" \"-\" 0 2026-11-23T09:11:59.990000Z \
         \"forward\" \"-\" \"{reason}\" \"-\" \"-\" \"-\" \"-\"\n"
    )
}

fn group_arn(name: &str) -> String {
    format!("arn:aws:elasticloadbalancing:us-east-2:123456789012:targetgroup/{name}/73e2d6bc24d8a067")
}

fn tally_stdin(args: &[&str], input: &str) -> String {
    let output = Command::new(BIN).arg("tally").args(args).write_stdin(input).output().expect("the binary runs");
    assert!(output.status.success(), "{}", stderr(&output));
    stdout(&output)
}

/// "name: a (3), b (1)", most frequent first, ties by value.
fn counted(name: &str, counts: &BTreeMap<String, u64>) -> String {
    let mut parts: Vec<(&String, &u64)> = counts.iter().collect();
    parts.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    let parts: Vec<String> = parts.iter().map(|(v, n)| format!("{v} ({n})")).collect();
    format!("{name}: {}", parts.join(", "))
}

#[test]
fn alb_502s_from_a_lambda_name_the_target_group_and_the_error_reason() {
    // (target, elb status, target status, target group, error_reason, lines)
    let lines = [
        ("-", 502, "-", "cart-fn", "LambdaInvalidResponse", 3),
        ("-", 502, "-", "cart-fn", "LambdaUnhandled", 1),
        ("-", 502, "-", "search-fn", "LambdaInvalidResponse", 1),
        ("10.0.1.12:8080", 502, "502", "web", "-", 2),
        ("-", 200, "200", "cart-fn", "-", 4),
    ];
    let mut log = String::new();
    let (mut targets, mut reasons) = (BTreeMap::new(), BTreeMap::new());
    for (target, status, target_status, group, reason, n) in lines {
        log.push_str(&alb_line(target, status, target_status, &group_arn(group), reason).repeat(n));
        if status == 502 {
            let shown = if target == "-" { format!("targetgroup/{group}") } else { target.to_string() };
            *targets.entry(shown).or_default() += n as u64;
            if reason != "-" {
                *reasons.entry(reason.to_string()).or_default() += n as u64;
            }
        }
    }
    let text = tally_stdin(&["--code", "502", "--top", "3"], &log);
    assert!(text.contains(&counted("targets", &targets)), "{text}");
    assert!(text.contains(&counted("error reason", &reasons)), "{text}");
    // The totals after the table say what each reason means, in the catalogue's words.
    assert!(text.contains("AWS ALB error reasons"), "{text}");
    assert!(text.contains("LambdaInvalidResponse     4  ALB access-log error_reason: the Lambda target's"), "{text}");

    let value = json_of_stdin(&["--code", "502", "--top", "3"], log.into_bytes());
    let row = &value["codes"][0];
    assert_eq!(row["code"], 502);
    let json_reasons: BTreeMap<String, u64> =
        serde_json::from_value(row["signals"]["alb_error_reason"].clone()).expect("alb_error_reason counts");
    assert_eq!(json_reasons, reasons);
    assert_eq!(row["top"]["targets"][0]["value"], Value::from("targetgroup/cart-fn"));
}

#[test]
fn the_browser_s_detail_panel_shows_the_error_reason_and_the_target_group() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("alb.log");
    let lambda_502 = alb_line("-", 502, "-", &group_arn("cart-fn"), "LambdaUnhandled");
    std::fs::write(&path, lambda_502.repeat(3) + &alb_line("10.0.1.12:8080", 200, "200", &group_arn("web"), "-"))
        .unwrap();
    let catalogue = Catalogue::embedded().unwrap();
    let options = tally::Options { detail: true, ..tally::Options::default() };
    let report = tally::run(&[Input::File(path)], &options, &catalogue);
    let mut app = app(120, 36).with_log(LogCounts::from_report(&report, &catalogue));
    press(&mut app, "502");
    let text: Vec<String> = app.detail_content().unwrap().lines.iter().map(ToString::to_string).collect();
    assert!(text.contains(&"error reason: LambdaUnhandled (3)".to_string()), "{text:?}");
    assert!(text.contains(&"targets: targetgroup/cart-fn (3)".to_string()), "{text:?}");
}

/// ingress-nginx's documented `upstreaminfo` line.
fn ingress_line(status: u16, upstream: &str, addresses: &str, upstream_statuses: &str) -> String {
    let tried = addresses.split(", ").count();
    let per_try = |value: &str| vec![value; tried].join(", ");
    format!(
        "192.0.2.7 - - [07/Feb/2020:11:48:51 +0000] \"GET /cart HTTP/1.1\" {status} 150 \"-\" \"curl/8.5.0\" 89 0.004 \
         [{upstream}] [] {addresses} {} {} {upstream_statuses} 4c7d2079340e68353c7d0dfff00b904b\n",
        per_try("0"),
        per_try("0.002"),
    )
}

#[test]
fn ingress_nginx_502s_name_the_upstream_address_and_its_status() {
    // (status, proxy_upstream_name, $upstream_addr, $upstream_status, lines)
    let lines = [
        (502, "shop-cart-8080", "10.1.0.5:8080", "502", 3),
        (502, "shop-cart-8080", "10.1.0.6:8080, 10.1.0.5:8080", "504, 502", 1),
        (502, "shop-search-80", "10.1.0.9:80", "-", 2),
        (200, "shop-cart-8080", "10.1.0.6:8080", "200", 5),
    ];
    let mut log = String::new();
    let (mut targets, mut said) = (BTreeMap::new(), BTreeMap::new());
    for (status, upstream, addresses, statuses, n) in lines {
        log.push_str(&ingress_line(status, upstream, addresses, statuses).repeat(n));
        if status == 502 {
            // The last server tried is the one whose answer counted.
            let last = |list: &str| list.rsplit(", ").next().unwrap().to_string();
            *targets.entry(format!("{upstream} {}", last(addresses))).or_default() += n as u64;
            *said.entry(last(statuses)).or_default() += n as u64;
        }
    }
    let text = tally_stdin(&["--code", "502", "--top", "3"], &log);
    assert!(text.contains(&counted("targets", &targets)), "{text}");
    assert!(text.contains(&counted("upstream said", &said)), "{text}");

    let value = json_of_stdin(&["--code", "502", "--top", "3"], log.into_bytes());
    let json_said: BTreeMap<String, u64> =
        serde_json::from_value(value["codes"][0]["upstream"]["upstream"].clone()).expect("upstream statuses");
    assert_eq!(json_said, said);
}
