//! How the catalogue's v2 fields reach the reader: what software prints with a
//! meaning ("SEEN AS") in the detail text, `show`, `--json` and `--markdown`;
//! descriptive names; the vendor line; and the order of meanings sharing a number.

use assert_cmd::Command;
use ratatui::style::Style;
use serde_json::Value;
use statusbrowse::catalogue::Catalogue;
use statusbrowse::view::entry::{self, Medium};
use statusbrowse::view::theme::Theme;

const FIXTURE: &str = include_str!("data/signals-fixture.json");

fn stdout_of(args: &[&str]) -> String {
    let output = Command::cargo_bin("statusbrowse").unwrap().args(args).assert().success().get_output().clone();
    String::from_utf8(output.stdout).unwrap()
}

/// The embedded catalogue with the fixture's signals instead of the embedded ones.
fn fixture_catalogue() -> Catalogue {
    let embedded = Catalogue::embedded().unwrap();
    let entries: Vec<Value> = embedded
        .entries()
        .iter()
        .map(|e| {
            let mut value = serde_json::to_value(e).unwrap();
            value.as_object_mut().unwrap().remove("signals");
            value
        })
        .collect();
    let json = serde_json::to_string(&entries).unwrap();
    Catalogue::from_files_with_signals([("all.json", json.as_str())], [("fixture.json", FIXTURE)]).unwrap()
}

fn plain_lines(catalogue: &Catalogue, code: u16, source: &str, width: usize) -> Vec<String> {
    let index = catalogue.position(code, source).unwrap();
    entry::content(catalogue, index, width, Theme::PLAIN, Medium::Print).lines.iter().map(|l| l.to_string()).collect()
}

#[test]
fn seen_as_follows_the_summary_with_emitter_text_meaning_and_one_constants_line() {
    let catalogue = fixture_catalogue();
    let lines = plain_lines(&catalogue, 504, "RFC 9110", 200);
    let heading = lines.iter().position(|l| l == "SEEN AS").expect("a SEEN AS section");
    let who = lines.iter().position(|l| l == "WHO SENDS IT").unwrap();
    assert!(heading < who, "SEEN AS comes before WHO SENDS IT");
    assert_eq!(lines[heading + 1], "nginx · error log");
    assert_eq!(
        lines[heading + 2],
        "  upstream timed out (110: Connection timed out) while reading response header from upstream"
    );
    assert_eq!(lines[heading + 3], "    proxy_read_timeout expired before the upstream sent its response header.");
    assert_eq!(lines[heading + 4], "Constants: Go net/http StatusGatewayTimeout (since Go 1.0)");
}

#[test]
fn an_entry_without_signals_has_no_seen_as_section() {
    let catalogue = fixture_catalogue();
    let lines = plain_lines(&catalogue, 404, "RFC 9110", 100);
    assert!(!lines.iter().any(|l| l == "SEEN AS"));
}

#[test]
fn descriptive_names_and_the_vendor_advice_are_shown_once() {
    let catalogue = Catalogue::embedded().unwrap();
    let lines = plain_lines(&catalogue, 460, "AWS ELB", 200);
    assert!(lines.iter().any(|l| l.contains("is a description; no reason phrase is sent")), "{lines:#?}");
    let advice = lines.iter().filter(|l| l.contains("Not a registered status")).count();
    assert_eq!(advice, 1);
    assert!(lines.iter().any(|l| l == "AVOID / DO NOT CONFUSE WITH"));
    let registered = plain_lines(&catalogue, 504, "RFC 9110", 200);
    assert!(!registered.iter().any(|l| l.contains("Not a registered status")));
    assert!(!registered.iter().any(|l| l.contains("is a description")));
}

#[test]
fn protocol_driven_codes_are_not_marked_as_advice_against_them() {
    let catalogue = Catalogue::embedded().unwrap();
    let lines = plain_lines(&catalogue, 101, "RFC 9110", 200);
    assert_eq!(lines[0], "RFC 9110 · 1xx · Standard · API: Protocol-driven");
}

/// Every signal of 504 appears in `show 504` whole, however long: wrapping may
/// split a string across lines, truncation may not cut it.
#[test]
fn show_504_prints_every_signal_in_full() {
    let entries: Vec<Value> = serde_json::from_str(&stdout_of(&["show", "504", "--json"])).unwrap();
    let signals = entries[0]["signals"].as_array().expect("signals is an array");
    let text = stdout_of(&["show", "504"]);
    assert_eq!(text.contains("\nSEEN AS\n"), !signals.is_empty());
    let squeezed: String = text.split_whitespace().collect();
    for signal in signals {
        let verbatim: String = signal["text"].as_str().unwrap().split_whitespace().collect();
        assert!(squeezed.contains(&verbatim), "{verbatim} missing from show 504");
        assert!(signal["emitter"].as_str().is_some_and(|e| !e.is_empty()));
    }
}

#[test]
fn json_names_related_meanings_and_carries_signal_objects() {
    let entries: Vec<Value> = serde_json::from_str(&stdout_of(&["show", "499", "--json"])).unwrap();
    let sources: Vec<&str> = entries.iter().map(|e| e["source"].as_str().unwrap()).collect();
    assert_eq!(sources, ["nginx", "Esri ArcGIS"], "show follows the meaning order");
    for entry in &entries {
        for link in entry["related"].as_array().unwrap() {
            let keys: Vec<&String> = link.as_object().unwrap().keys().collect();
            assert_eq!(keys, ["code", "source"]);
        }
        assert!(entry["signals"].is_array());
        assert!(entry["phrase_is_description"].is_boolean());
    }
}

#[test]
fn markdown_carries_the_seen_as_section_when_there_are_signals() {
    let entries: Vec<Value> = serde_json::from_str(&stdout_of(&["show", "504", "--json"])).unwrap();
    let markdown = stdout_of(&["show", "504", "--markdown"]);
    let has_signals = !entries[0]["signals"].as_array().unwrap().is_empty();
    assert_eq!(markdown.contains("**Seen as**"), has_signals);
    assert!(markdown.contains("**Avoid / do not confuse with**"));
    assert!(markdown.contains("API: Recommended"));
}

#[test]
fn a_number_lists_its_meanings_most_likely_first() {
    for args in [&["search", "499"][..], &["499"][..]] {
        let out = stdout_of(args);
        let lines: Vec<&str> = out.lines().take(2).collect();
        assert_eq!(lines, ["499  Client Closed Request  (nginx)", "499  Token Required  (Esri ArcGIS)"], "{args:?}");
    }
    let show = stdout_of(&["show", "530"]);
    let titles: Vec<&str> = show.lines().filter(|l| l.starts_with("530 ") && l.ends_with(')')).collect();
    assert_eq!(
        titles,
        ["530 Origin DNS Error  (Cloudflare)", "530 Site is frozen  (Pantheon)", "530 Origin DNS Error  (Shopify)"]
    );
}

/// The style of the first span of an entry's panel text that `wanted` picks.
fn style_of(catalogue: &Catalogue, code: u16, source: &str, wanted: impl Fn(&str) -> bool) -> Style {
    let index = catalogue.position(code, source).unwrap();
    let medium = Medium::Panel { selected_link: None, found_by: None };
    let content = entry::content(catalogue, index, 200, Theme::COLOR, medium);
    let span = content.lines.iter().flat_map(|l| &l.spans).find(|s| wanted(&s.content)).expect("the text is shown");
    span.style
}

#[test]
fn verbatim_strings_and_descriptions_have_their_own_styles() {
    let verbatim = style_of(&fixture_catalogue(), 504, "RFC 9110", |s| s.starts_with("upstream timed out"));
    assert_eq!(verbatim, Theme::COLOR.verbatim());
    let description = style_of(&Catalogue::embedded().unwrap(), 460, "AWS ELB", |s| s.contains("is a description"));
    assert_eq!(description, Theme::COLOR.description());
}
