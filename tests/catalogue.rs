//! The embedded catalogue is complete, consistent and written in its own words.

use std::collections::{HashMap, HashSet};

use statusbrowse::catalogue::{Catalogue, CatalogueError, Class, Lifecycle, text_fields};

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
fn every_related_code_has_an_entry_and_class_matches_code() {
    let catalogue = catalogue();
    let codes: HashSet<u16> = catalogue.entries().iter().map(|e| e.code).collect();
    for e in catalogue.entries() {
        assert_eq!(e.class, Class::of_code(e.code), "{}", e.title());
        for related in &e.related {
            assert!(codes.contains(related), "{} relates to missing {related}", e.title());
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
        catalogue.indices_of_code(code).map(|i| catalogue.entries()[i].source.clone()).collect()
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
    expect(451, &["RFC 7725", "Microsoft IIS"]);
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
            .chain(&e.situations)
            .chain(&e.checks)
            .chain(&e.avoid_when);
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
        match e.source.as_str() {
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
        ("related", serde_json::json!([777]), "related"),
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
