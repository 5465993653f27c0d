//! Signal files: each signal attaches to exactly one entry, and a bad file is
//! rejected with a message naming the file and the item.

use statusbrowse::catalogue::{Catalogue, SignalForm};

const FIXTURE: &str = include_str!("data/signals-fixture.json");

/// The embedded catalogue files with one extra signal file.
fn with_signals(name: &str, json: &str) -> Result<Catalogue, String> {
    let embedded = Catalogue::embedded().map_err(|e| e.to_string())?;
    let files: Vec<(String, String)> = ["1xx", "2xx", "3xx", "4xx", "5xx", "other"]
        .iter()
        .map(|class| {
            let entries: Vec<serde_json::Value> = embedded
                .entries()
                .iter()
                .filter(|e| e.class.key() == *class)
                .map(|e| {
                    let mut value = serde_json::to_value(e).unwrap();
                    value.as_object_mut().unwrap().remove("signals");
                    value
                })
                .collect();
            (format!("{class}.json"), serde_json::to_string(&entries).unwrap())
        })
        .collect();
    Catalogue::from_files_with_signals(files.iter().map(|(n, t)| (n.as_str(), t.as_str())), [(name, json)])
        .map_err(|e| e.to_string())
}

#[test]
fn signals_attach_to_their_entry_in_file_order() {
    let catalogue = with_signals("fixture.json", FIXTURE).unwrap();
    let gateway_timeout = &catalogue.entries()[catalogue.position(504, "RFC 9110").unwrap()];
    let texts: Vec<&str> = gateway_timeout.signals.iter().map(|s| s.text.as_str()).collect();
    assert_eq!(
        texts,
        [
            "upstream timed out (110: Connection timed out) while reading response header from upstream",
            "StatusGatewayTimeout"
        ]
    );
    assert_eq!(gateway_timeout.signals[0].form, SignalForm::ErrorLog);
    assert_eq!(gateway_timeout.signals[1].meaning, None);
    let nginx_499 = &catalogue.entries()[catalogue.position(499, "nginx").unwrap()];
    assert_eq!(nginx_499.signals.len(), 1);
    let esri_499 = &catalogue.entries()[catalogue.position(499, "Esri ArcGIS").unwrap()];
    assert!(esri_499.signals.is_empty(), "a signal belongs to one meaning, not to the number");
}

#[test]
fn every_embedded_signal_is_well_formed() {
    for e in Catalogue::embedded().unwrap().entries() {
        let mut seen = std::collections::HashSet::new();
        for signal in &e.signals {
            for text in [&signal.text, &signal.emitter, &signal.reference] {
                assert!(!text.trim().is_empty(), "{} has an empty signal field", e.title());
                assert!(!text.chars().any(char::is_control), "{}: control character in {text:?}", e.title());
            }
            assert!(seen.insert(&signal.text), "{}: {:?} twice", e.title(), signal.text);
        }
    }
}

fn rejection(item: serde_json::Value) -> String {
    with_signals("bad.json", &serde_json::to_string(&[item]).unwrap()).expect_err("the signal file should be rejected")
}

fn valid_item() -> serde_json::Value {
    serde_json::json!({"code": 504, "source": "RFC 9110", "emitter": "Envoy", "form": "response-flag", "text": "UT",
        "reference": "https://www.envoyproxy.io/docs/envoy/latest/configuration/observability/access_log/usage"})
}

#[test]
fn a_signal_must_name_exactly_one_entry() {
    let mut item = valid_item();
    item["source"] = "Twitter".into();
    let message = rejection(item);
    assert!(message.starts_with("bad.json: signal 1: 504 (Twitter)"), "{message}");
}

#[test]
fn empty_or_controlled_text_is_rejected() {
    for (field, value) in [("text", " "), ("emitter", ""), ("text", "UT\n"), ("meaning", "a\tb")] {
        let mut item = valid_item();
        item[field] = value.into();
        let message = rejection(item);
        assert!(message.contains(&format!("`{field}`")), "{field}={value:?}: {message}");
    }
}

#[test]
fn unknown_forms_and_fields_are_rejected() {
    let mut item = valid_item();
    item["form"] = "tweet".into();
    assert!(rejection(item).contains("tweet"));
    let mut item = valid_item();
    item["severity"] = "high".into();
    assert!(rejection(item).contains("severity"));
}

#[test]
fn a_constant_must_say_from_which_release_it_exists() {
    let mut item = valid_item();
    item["form"] = "constant".into();
    item["text"] = "http.StatusGatewayTimeout".into();
    assert!(rejection(item.clone()).contains("`since`"), "a constant without a release is rejected");
    item["since"] = "Go 1.0".into();
    let json = serde_json::to_string(&[item]).unwrap();
    let catalogue = with_signals("good.json", &json).unwrap();
    let entry = &catalogue.entries()[catalogue.position(504, "RFC 9110").unwrap()];
    let signal = entry.signals.iter().find(|s| s.text == "http.StatusGatewayTimeout").unwrap();
    assert_eq!(signal.constant_label(&signal.text), "Envoy http.StatusGatewayTimeout (since Go 1.0)");
}

#[test]
fn deprecation_and_removal_need_a_first_release_and_are_shown_in_order() {
    let mut item = valid_item();
    item["deprecated_since"] = "Spring 7.0".into();
    assert!(rejection(item.clone()).contains("need `since`"));
    item["since"] = "Spring 3.0".into();
    item["removed_in"] = "Spring 7.1".into();
    item["form"] = "constant".into();
    let json = serde_json::to_string(&[item]).unwrap();
    let catalogue = with_signals("good.json", &json).unwrap();
    let entry = &catalogue.entries()[catalogue.position(504, "RFC 9110").unwrap()];
    let signal = entry.signals.iter().find(|s| s.text == "UT").unwrap();
    assert_eq!(
        signal.availability().as_deref(),
        Some("since Spring 3.0; deprecated since Spring 7.0; removed in Spring 7.1")
    );
    for field in ["since", "deprecated_since", "removed_in"] {
        let mut item = valid_item();
        item["since"] = "Spring 3.0".into();
        item[field] = " ".into();
        assert!(rejection(item).contains(&format!("`{field}`")), "an empty `{field}` is rejected");
    }
}

#[test]
fn the_same_text_twice_on_one_entry_is_rejected() {
    let item = valid_item();
    let json = serde_json::to_string(&[item.clone(), item]).unwrap();
    let message = with_signals("bad.json", &json).unwrap_err();
    assert!(message.contains("signal 2") && message.contains("twice"), "{message}");
}

#[test]
fn catalogue_files_cannot_carry_signals() {
    let embedded = Catalogue::embedded().unwrap();
    let mut entry = serde_json::to_value(&embedded.entries()[embedded.position(404, "RFC 9110").unwrap()]).unwrap();
    entry["related"] = serde_json::json!([]);
    entry["signals"] = serde_json::json!([]);
    let message = Catalogue::from_files([("4xx.json", serde_json::to_string(&[entry]).unwrap().as_str())])
        .unwrap_err()
        .to_string();
    assert!(message.contains("signals"), "{message}");
}

/// The codes of entries carrying a signal with this emitter and text.
fn owners_of(catalogue: &Catalogue, emitter: &str, text: &str) -> Vec<u16> {
    catalogue
        .entries()
        .iter()
        .filter(|e| e.signals.iter().any(|s| s.emitter == emitter && s.text == text))
        .map(|e| e.code)
        .collect()
}

#[test]
fn each_grpc_status_sits_on_the_http_status_it_is_transcoded_to() {
    // google.rpc.Code's HTTP mapping (googleapis google/rpc/code.proto).
    let mapping = [
        (0, "OK", 200),
        (1, "CANCELLED", 499),
        (2, "UNKNOWN", 500),
        (3, "INVALID_ARGUMENT", 400),
        (4, "DEADLINE_EXCEEDED", 504),
        (5, "NOT_FOUND", 404),
        (6, "ALREADY_EXISTS", 409),
        (7, "PERMISSION_DENIED", 403),
        (8, "RESOURCE_EXHAUSTED", 429),
        (9, "FAILED_PRECONDITION", 400),
        (10, "ABORTED", 409),
        (11, "OUT_OF_RANGE", 400),
        (12, "UNIMPLEMENTED", 501),
        (13, "INTERNAL", 500),
        (14, "UNAVAILABLE", 503),
        (15, "DATA_LOSS", 500),
        (16, "UNAUTHENTICATED", 401),
    ];
    let catalogue = Catalogue::embedded().unwrap();
    for (number, name, http) in mapping {
        assert_eq!(owners_of(&catalogue, "gRPC", name), [http], "{name}");
        assert_eq!(owners_of(&catalogue, "gRPC", &format!("grpc-status: {number}")), [http], "grpc-status {number}");
    }
}

#[test]
fn the_proxies_and_clouds_met_on_call_all_have_signals() {
    let catalogue = Catalogue::embedded().unwrap();
    let emitters = [
        "Traefik",
        "Caddy",
        "ingress-nginx",
        "Google Cloud Load Balancing",
        "Azure Front Door",
        "Azure Application Gateway",
        "Fastly",
        "Varnish",
        "Amazon CloudFront",
        "AWS API Gateway",
        "Akamai",
        "gRPC",
        "grpc-go",
        "grpc-java",
    ];
    for emitter in emitters {
        let count = catalogue.entries().iter().flat_map(|e| &e.signals).filter(|s| s.emitter == emitter).count();
        assert!(count > 0, "{emitter} has no signal");
    }
}

#[test]
fn every_cloudflare_1xxx_error_a_site_visitor_meets_is_a_signal() {
    // The numbers of Cloudflare's 1xxx troubleshooting pages, less 1104, which is
    // an account e-mail error rather than an answer to a request.
    let documented = [
        1000, 1001, 1002, 1003, 1004, 1005, 1006, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 1015, 1016, 1018,
        1019, 1020, 1023, 1025, 1033, 1034, 1035, 1036, 1037, 1040, 1041, 1101, 1102, 1106, 1200,
    ];
    let catalogue = Catalogue::embedded().unwrap();
    for number in documented {
        let owners = owners_of(&catalogue, "Cloudflare", &format!("Error {number}"));
        assert_eq!(owners.len(), 1, "Error {number} should sit on exactly one entry, not {owners:?}");
    }
}

#[test]
fn cloudflare_errors_without_a_documented_status_do_not_claim_one() {
    let catalogue = Catalogue::embedded().unwrap();
    for number in [1019, 1025, 1200] {
        let code = format!("Error {number}");
        let signals: Vec<_> = catalogue
            .entries()
            .iter()
            .flat_map(|e| &e.signals)
            .filter(|s| s.emitter == "Cloudflare" && (s.text == code || s.text.starts_with(&format!("{code}:"))))
            .collect();
        assert_eq!(signals.len(), 2, "{code}: its number and its page title");
        for signal in signals {
            let meaning = signal.meaning.as_deref().unwrap_or_default();
            assert!(meaning.contains(&format!("names no HTTP status for {number}")), "{}: {meaning}", signal.text);
        }
    }
}
