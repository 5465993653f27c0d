//! The embedded catalogue is complete, consistent and written in its own words.

use std::collections::{HashMap, HashSet};

use statusbrowse::catalogue::{Catalogue, CatalogueError, Class, Delivery, Lifecycle, MAX_RELATED, Retry, text_fields};

fn catalogue() -> Catalogue {
    Catalogue::embedded().expect("the embedded catalogue is valid")
}

#[test]
fn embedded_catalogue_parses_and_validates() {
    let catalogue = catalogue();
    assert!(catalogue.len() >= 114, "only {} entries", catalogue.len());
}

#[test]
fn code_and_source_pairs_are_unique() {
    let catalogue = catalogue();
    let mut seen = HashSet::new();
    for e in catalogue.entries() {
        assert!(seen.insert((e.code, e.source.clone())), "{} {} twice", e.code, e.source);
    }
}

#[test]
fn every_related_reference_resolves_to_exactly_one_entry() {
    let catalogue = catalogue();
    for e in catalogue.entries() {
        assert_eq!(e.class, Class::of_code(e.code), "{}", e.title());
        assert!(e.related.len() <= MAX_RELATED, "{} ({}) links {} entries", e.title(), e.source, e.related.len());
        for link in e.related.iter() {
            let matches = catalogue.entries().iter().filter(|t| t.code == link.code && t.source == link.source).count();
            assert_eq!(matches, 1, "{} ({}) links {link:?}", e.title(), e.source);
        }
        assert_eq!(catalogue.related_entries(catalogue.position(e.code, &e.source).unwrap()).len(), e.related.len());
    }
}

/// The first related link is the one an engineer most needs; these pairs were
/// chosen by hand and must not drift back to a mechanical list.
#[test]
fn related_lists_lead_with_the_closest_meaning() {
    let catalogue = catalogue();
    let first = |code: u16, source: &str| {
        let e = &catalogue.entries()[catalogue.position(code, source).unwrap()];
        e.related.first().map(|r| (r.code, r.source.clone())).unwrap()
    };
    assert_eq!(first(408, "RFC 9110"), (499, "nginx".into()));
    assert_eq!(first(460, "AWS ELB"), (499, "nginx".into()));
    assert_eq!(first(504, "RFC 9110"), (502, "RFC 9110".into()));
    assert_eq!(first(0, "AWS ELB"), (0, "Log convention".into()));
    for (code, source) in
        [(408, "RFC 9110"), (460, "AWS ELB"), (504, "RFC 9110"), (0, "Log convention"), (0, "AWS ELB")]
    {
        let e = &catalogue.entries()[catalogue.position(code, source).unwrap()];
        assert!(!e.related.iter().any(|r| r.source == "Esri ArcGIS"), "{} ({source}) leads to Esri", e.title());
    }
    let links =
        |code: u16, source: &str| catalogue.entries()[catalogue.position(code, source).unwrap()].related.clone();
    assert_eq!(links(429, "RFC 6585").iter().filter(|r| r.code == 420).count(), 1, "429 links one 420");
    assert!(!links(540, "Shopify").iter().any(|r| r.code == 530), "540 does not link Shopify's 530");
}

/// Meanings that share a number are ordered by how likely an engineer meets
/// them: the registered one first, then the most widespread vendor.
#[test]
fn shared_numbers_list_the_most_likely_meaning_first() {
    let catalogue = catalogue();
    let order = |code: u16| -> Vec<String> {
        catalogue.indices_of_code(code).map(|i| catalogue.entries()[i].source.to_string()).collect()
    };
    assert_eq!(order(499), ["nginx", "Esri ArcGIS"]);
    assert_eq!(order(451), ["RFC 7725", "Exchange ActiveSync"]);
    assert_eq!(order(530), ["Cloudflare", "Pantheon", "Shopify"]);
    assert_eq!(order(0), ["Log convention", "AWS ELB"]);
    assert_eq!(order(508), ["WebDAV", "cPanel", "Vercel"]);
    assert_eq!(order(494), ["nginx", "Vercel"]);
    assert_eq!(order(420), ["Twitter", "Spring", "Shopify"]);
    assert_eq!(order(430), ["Shopify", "Shopify, retired"]);
    let registered = |source: &str| source.starts_with("RFC") || source == "WebDAV" || source == "IETF draft";
    let mut codes: Vec<u16> = catalogue.entries().iter().map(|e| e.code).collect();
    codes.dedup();
    for code in codes {
        let sources = order(code);
        if sources.iter().any(|s| registered(s)) {
            assert!(registered(&sources[0]), "{code:03}: a registered meaning must come first, not {sources:?}");
        }
    }
    let entries = catalogue.entries();
    assert!(entries.windows(2).all(|w| w[0].code <= w[1].code), "entries are in code order");
}

#[test]
fn meanings_added_for_signals_keep_their_names() {
    let catalogue = catalogue();
    for (code, source, phrase) in [
        (0, "Log convention", "No Response Recorded"),
        (494, "Vercel", "Request Header Too Large"),
        (508, "Vercel", "Infinite Loop Detected"),
    ] {
        let i = catalogue.position(code, source).unwrap_or_else(|| panic!("{code:03} {source} missing"));
        assert_eq!(catalogue.entries()[i].phrase, phrase);
    }
}

/// Obsolete means the issuer no longer sends it; these four all stopped.
#[test]
fn retired_vendor_codes_share_one_lifecycle() {
    let catalogue = catalogue();
    for (code, source) in [(527, "Cloudflare"), (420, "Twitter"), (420, "Shopify"), (430, "Shopify, retired")] {
        let e = &catalogue.entries()[catalogue.position(code, source).unwrap()];
        assert_eq!(e.lifecycle, Lifecycle::Obsolete, "{} ({source})", e.title());
        let disputed = e.disputed.as_deref().unwrap_or_default();
        assert!(disputed.contains("no longer sends it"), "{} ({source}) states the rule: {disputed}", e.title());
    }
}

#[test]
fn descriptive_names_are_marked_as_such() {
    let catalogue = catalogue();
    for (code, source) in [(460, "AWS ELB"), (463, "AWS ELB"), (464, "AWS ELB"), (0, "AWS ELB"), (420, "Shopify")] {
        let e = &catalogue.entries()[catalogue.position(code, source).unwrap()];
        assert!(e.phrase_is_description, "{} ({source})", e.title());
    }
    let e = &catalogue.entries()[catalogue.position(404, "RFC 9110").unwrap()];
    assert!(!e.phrase_is_description);
}

#[test]
fn retry_and_delivery_values_follow_the_specifications() {
    let catalogue = catalogue();
    let entry = |code: u16, source: &str| &catalogue.entries()[catalogue.position(code, source).unwrap()];
    assert_eq!(entry(421, "RFC 9110").retry, Retry::FreshConnection);
    assert_eq!(entry(425, "RFC 8470").retry, Retry::FreshConnection);
    assert_eq!(entry(599, "Proxy convention").delivery, Delivery::ClientMade);
}

/// Text must stay true whatever the build date: no "today", no "this year".
#[test]
fn no_text_depends_on_the_date_it_is_read() {
    let relative = ["today", "nowadays", "this year", "last year", "next year"];
    for e in catalogue().entries() {
        for (field, text) in text_fields(e) {
            let lower = text.to_lowercase();
            for word in relative {
                let found = lower.match_indices(word).any(|(at, _)| {
                    let before = lower[..at].chars().next_back().is_none_or(|c| !c.is_alphanumeric());
                    let after = lower[at + word.len()..].chars().next().is_none_or(|c| !c.is_alphanumeric());
                    before && after
                });
                assert!(!found, "{} ({}) {field} says {word:?}: {text}", e.title(), e.source);
            }
        }
    }
}

/// The commands in `checks` are pasted into terminals during incidents, so each
/// `curl` invocation must name what it fetches.
#[test]
fn every_curl_command_in_checks_has_a_url() {
    for e in catalogue().entries() {
        for check in e.checks.iter() {
            for command in curl_commands(check) {
                let has_url = command.contains("http://")
                    || command.contains("https://")
                    || command.split_whitespace().any(|w| w.trim_matches(|c: char| !c.is_alphanumeric()) == "URL");
                assert!(has_url, "{} ({}): curl without a URL: {command:?}", e.title(), e.source);
            }
        }
    }
}

/// The text of each `curl -...` invocation, up to where the command ends:
/// a closing backtick, or the end of the clause in plain prose.
fn curl_commands(check: &str) -> Vec<&str> {
    let mut commands = Vec::new();
    let mut rest = check;
    while let Some(at) = rest.find("curl -") {
        let tail = &rest[at..];
        let in_backticks = rest[..at].matches('`').count() % 2 == 1;
        let end = if in_backticks {
            tail.find('`').unwrap_or(tail.len())
        } else {
            [", ", "; ", " and ", ". ", " to ", " from "]
                .iter()
                .filter_map(|stop| tail.find(stop))
                .min()
                .unwrap_or(tail.len())
        };
        commands.push(&tail[..end]);
        rest = &tail[end..];
    }
    commands
}

/// PowerShell reserves `<`, and the AWS CLI call needs the resource it describes.
#[test]
fn other_commands_run_as_written() {
    for e in catalogue().entries() {
        for check in e.checks.iter() {
            if check.contains("Get-") {
                assert!(!check.contains('<'), "{} ({}): {check}", e.title(), e.source);
            }
            if check.contains("describe-load-balancer-attributes") {
                assert!(check.contains("--load-balancer-arn"), "{} ({}): {check}", e.title(), e.source);
            }
        }
    }
}

#[test]
fn openssl_s_client_commands_do_not_wait_for_input() {
    for e in catalogue().entries() {
        for check in e.checks.iter() {
            if check.contains("s_client") {
                assert!(check.contains("</dev/null"), "{} ({}): {check}", e.title(), e.source);
            }
        }
    }
}

#[test]
fn guidance_has_the_required_depth() {
    for e in catalogue().entries() {
        assert!(e.situations.len() >= 3, "{}", e.title());
        assert!(e.checks.len() >= 3, "{}", e.title());
        assert!(e.avoid_when.len() >= 2, "{}", e.title());
        for (field, text) in text_fields(e) {
            assert!(!text.trim().is_empty(), "{} {field} empty", e.title());
            assert!(!text.chars().any(char::is_control), "{} {field} has a control char", e.title());
        }
    }
}

#[test]
fn shared_numbers_keep_one_entry_per_meaning() {
    let catalogue = catalogue();
    let sources = |code: u16| -> HashSet<String> {
        catalogue.indices_of_code(code).map(|i| catalogue.entries()[i].source.to_string()).collect()
    };
    let expect = |code: u16, wanted: &[&str]| {
        let have = sources(code);
        for source in wanted {
            assert!(have.contains(*source), "{code} lacks the {source} meaning: {have:?}");
        }
    };
    expect(420, &["Twitter", "Spring", "Shopify"]);
    expect(499, &["nginx", "Esri ArcGIS"]);
    expect(530, &["Cloudflare", "Pantheon", "Shopify"]);
    expect(451, &["RFC 7725", "Exchange ActiveSync"]);
    expect(529, &["Qualys SSL Labs", "Anthropic"]);
}

#[test]
fn every_seed_and_iana_code_is_present() {
    let seed_codes = [
        100, 101, 102, 103, 104, 200, 201, 202, 203, 204, 205, 206, 207, 208, 226, 300, 301, 302, 303, 304, 305, 306,
        307, 308, 400, 401, 402, 403, 404, 405, 406, 407, 408, 409, 410, 411, 412, 413, 414, 415, 416, 417, 418, 419,
        420, 421, 422, 423, 424, 425, 426, 428, 429, 430, 431, 440, 444, 449, 450, 451, 460, 463, 464, 494, 495, 496,
        497, 498, 499, 500, 501, 502, 503, 504, 505, 506, 507, 508, 509, 510, 511, 520, 521, 522, 523, 524, 525, 526,
        527, 529, 530, 561, 598, 599, 0, 783, 999,
    ];
    let catalogue = catalogue();
    for code in seed_codes {
        assert!(catalogue.indices_of_code(code).next().is_some(), "{code} missing");
    }
}

#[test]
fn newest_names_lead_and_old_names_stay_searchable() {
    let catalogue = catalogue();
    let standard = |code: u16| {
        let i = catalogue.indices_of_code(code).next().unwrap();
        &catalogue.entries()[i]
    };
    for (code, phrase, alias) in [
        (413, "Content Too Large", "Payload Too Large"),
        (413, "Content Too Large", "Request Entity Too Large"),
        (422, "Unprocessable Content", "Unprocessable Entity"),
        (302, "Found", "Moved Temporarily"),
        (416, "Range Not Satisfiable", "Requested Range Not Satisfiable"),
    ] {
        let e = standard(code);
        assert_eq!(e.phrase, phrase);
        assert!(e.aliases.iter().any(|a| a == alias), "{code} lacks alias {alias}");
    }
    assert_eq!(standard(418).lifecycle, Lifecycle::Reserved);
    assert_eq!(standard(306).lifecycle, Lifecycle::Reserved);
    assert_eq!(standard(510).lifecycle, Lifecycle::Obsolete);
    assert_eq!(standard(102).lifecycle, Lifecycle::Deprecated);
    assert_eq!(standard(104).lifecycle, Lifecycle::Temporary);
}

#[test]
fn cacheable_by_default_follows_rfc_9110_and_rfc_7725() {
    let cacheable: HashSet<(u16, &str)> = [200, 203, 204, 206, 300, 301, 308, 404, 405, 410, 414, 501]
        .into_iter()
        .map(|c| (c, "RFC 9110 §15.1"))
        .chain([(451, "RFC 7725 §3")])
        .collect();
    for e in catalogue().entries() {
        let standard = e.source.starts_with("RFC");
        let expected = standard && cacheable.iter().any(|(c, _)| *c == e.code);
        assert_eq!(e.cacheable, expected, "{} ({})", e.title(), e.source);
        if expected {
            let basis = cacheable.iter().find(|(c, _)| *c == e.code).unwrap().1;
            assert_eq!(e.cacheable_basis.as_deref(), Some(basis), "{}", e.title());
        }
    }
}

/// No sentence of guidance may appear in more than three entries: boilerplate
/// with a different code number is not guidance.
#[test]
fn no_guidance_sentence_is_repeated_across_more_than_three_entries() {
    let catalogue = catalogue();
    let mut seen: HashMap<String, HashSet<usize>> = HashMap::new();
    for (i, e) in catalogue.entries().iter().enumerate() {
        let guidance = [&e.summary, &e.explanation, &e.generator_note, &e.retry_note]
            .into_iter()
            .chain(e.situations.iter())
            .chain(e.checks.iter())
            .chain(e.avoid_when.iter());
        for text in guidance {
            for sentence in text.split_inclusive(['.', '!', '?']) {
                let normalised = sentence.trim().to_lowercase();
                if normalised.split_whitespace().count() >= 3 {
                    seen.entry(normalised).or_default().insert(i);
                }
            }
        }
    }
    let repeated: Vec<_> = seen.iter().filter(|(_, entries)| entries.len() > 3).map(|(s, _)| s).collect();
    assert!(repeated.is_empty(), "repeated sentences: {repeated:#?}");
}

#[test]
fn vendor_entries_carry_vendor_specific_checks() {
    let catalogue = catalogue();
    for e in catalogue.entries() {
        let checks = e.checks.join(" ").to_lowercase();
        match &*e.source {
            "Cloudflare" if e.code != 527 => {
                assert!(checks.contains("ray"), "{} lacks the Ray ID", e.title())
            }
            "nginx" => assert!(checks.contains("log") || checks.contains("_"), "{}", e.title()),
            _ => {}
        }
    }
}

fn first_error(json: &str) -> CatalogueError {
    Catalogue::from_files([("test.json", json)]).expect_err("the catalogue should be rejected")
}

fn valid_entry() -> serde_json::Value {
    let catalogue = catalogue();
    let i = catalogue.indices_of_code(404).next().unwrap();
    let mut value = serde_json::to_value(&catalogue.entries()[i]).unwrap();
    value["related"] = serde_json::json!([]);
    // Signals live in their own files; a catalogue entry may not carry them.
    value.as_object_mut().unwrap().remove("signals");
    value
}

#[test]
fn malformed_json_names_the_file() {
    let message = first_error("[{").to_string();
    assert!(message.starts_with("test.json: "), "{message}");
}

#[test]
fn a_bad_field_names_the_entry_and_the_field() {
    let mut entry = valid_entry();
    entry["lifecycle"] = "sunset".into();
    let message = first_error(&serde_json::to_string(&[entry]).unwrap()).to_string();
    assert!(message.contains("entry 1 (code 404, RFC 9110)"), "{message}");
    assert!(message.contains("sunset"), "{message}");
}

#[test]
fn rule_violations_name_the_entry_and_the_field() {
    let cases: [(&str, serde_json::Value, &str); 5] = [
        ("class", "5xx".into(), "class"),
        ("related", serde_json::json!([{"code": 777, "source": "RFC 9110"}]), "related"),
        ("summary", " ".into(), "summary"),
        ("checks", serde_json::json!(["one", "two"]), "checks"),
        ("phrase", "Not\u{7}Found".into(), "phrase"),
    ];
    for (field, value, named) in cases {
        let mut entry = valid_entry();
        entry[field] = value;
        let message = first_error(&serde_json::to_string(&[entry]).unwrap()).to_string();
        assert!(message.contains("entry 404 (RFC 9110)") && message.contains(named), "{field}: {message}");
    }
}

#[test]
fn duplicate_code_and_source_is_rejected() {
    let entry = valid_entry();
    let message = first_error(&serde_json::to_string(&[entry.clone(), entry]).unwrap()).to_string();
    assert!(message.contains("same code and source"), "{message}");
}
