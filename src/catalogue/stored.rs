//! The embedded catalogue as Rust source. `build.rs` parses and validates the
//! JSON under `assets/` at compile time and writes the entries as a static
//! (`Entry` literals whose text is borrowed string literals), which the crate
//! includes: the program starts with the catalogue in place, without reading,
//! checking or copying a byte of it, and without freeing it at exit.
//!
//! Only the catalogue files' fields and signals are written: the embedded
//! catalogue has no team notes and no origins.

use std::fmt::Write;

use super::{Entry, Related, Signal};

/// The entries as a Rust expression of type `Option<&'static [Entry]>`, for
/// `include!` at the crate's root (`crate::STORED_CATALOGUE`). Written by
/// build.rs only.
#[allow(dead_code)]
pub fn to_rust(entries: &[Entry]) -> String {
    let mut out = String::from(
        "{\nuse std::borrow::Cow::Borrowed;\n\
         use crate::catalogue::{Class, Delivery, Entry, Generator, Lifecycle, Recommendation, Related, Retry, Signal, SignalForm};\n\
         Some(&[\n",
    );
    for e in entries {
        entry(&mut out, e);
    }
    out.push_str("])\n}\n");
    out
}

// `write!` into a String cannot fail.
#[allow(dead_code)]
fn entry(out: &mut String, e: &Entry) {
    let _ = write!(out, "Entry {{ code: {}, phrase: {}, ", e.code, text(&e.phrase));
    let _ = write!(out, "phrase_is_description: {}, aliases: {}, ", e.phrase_is_description, list(&e.aliases, text));
    let _ = write!(out, "class: Class::{:?}, lifecycle: Lifecycle::{:?}, ", e.class, e.lifecycle);
    let _ = write!(out, "recommendation: Recommendation::{:?}, source: {}, ", e.recommendation, text(&e.source));
    let _ = write!(out, "reference: {}, link: {}, ", text(&e.reference), text(&e.link));
    let _ = write!(out, "generated_by: {}, ", list(&e.generated_by, |g| format!("Generator::{g:?}")));
    let _ = write!(out, "delivery: Delivery::{:?}, generator_note: {}, ", e.delivery, text(&e.generator_note));
    let _ = write!(out, "retry: Retry::{:?}, retry_note: {}, ", e.retry, text(&e.retry_note));
    let _ = write!(out, "cacheable: {}, cacheable_basis: {}, ", e.cacheable, optional(e.cacheable_basis.as_deref()));
    let _ = write!(out, "disputed: {}, summary: {}, ", optional(e.disputed.as_deref()), text(&e.summary));
    let _ = write!(out, "explanation: {}, situations: {}, ", text(&e.explanation), list(&e.situations, text));
    let _ = write!(out, "checks: {}, avoid_when: {}, ", list(&e.checks, text), list(&e.avoid_when, text));
    let _ = write!(out, "related: {}, ", list(&e.related, related));
    let _ = writeln!(out, "signals: {}, notes: Vec::new(), origin: None }},", list(&e.signals, signal));
}

#[allow(dead_code)]
fn related(r: &Related) -> String {
    format!("Related {{ code: {}, source: {} }}", r.code, text(&r.source))
}

#[allow(dead_code)]
fn signal(s: &Signal) -> String {
    format!(
        "Signal {{ text: {}, emitter: {}, form: SignalForm::{:?}, meaning: {}, reference: {}, since: {}, \
         deprecated_since: {}, removed_in: {}, origin: None }}",
        text(&s.text),
        text(&s.emitter),
        s.form,
        optional(s.meaning.as_deref()),
        text(&s.reference),
        optional(s.since.as_deref()),
        optional(s.deprecated_since.as_deref()),
        optional(s.removed_in.as_deref()),
    )
}

/// A string literal: `str`'s Debug form escapes quotes, backslashes and
/// control characters as Rust source does.
#[allow(dead_code)]
fn text(value: &impl AsRef<str>) -> String {
    format!("Borrowed({:?})", value.as_ref())
}

#[allow(dead_code)]
fn optional(value: Option<&str>) -> String {
    value.map_or_else(|| "None".to_string(), |value| format!("Some({})", text(&value)))
}

#[allow(dead_code)]
fn list<T>(items: &[T], item: impl Fn(&T) -> String) -> String {
    let items: Vec<String> = items.iter().map(item).collect();
    format!("Borrowed(&[{}])", items.join(", "))
}

#[cfg(test)]
mod tests {
    use std::borrow::Cow;

    use crate::catalogue::Catalogue;

    #[test]
    fn the_stored_catalogue_is_the_json_parsed_and_validated_now() {
        let stored = crate::STORED_CATALOGUE.expect("build.rs stored the catalogue");
        let parsed = Catalogue::from_assets().unwrap();
        assert!(stored == parsed.entries(), "the stored catalogue differs from the JSON");
        assert!(Catalogue::embedded().unwrap().entries() == parsed.entries());
        assert!(parsed.entries().iter().any(|e| !e.signals.is_empty() && e.disputed.is_some()));
    }

    #[test]
    fn the_stored_catalogue_borrows_its_text_from_the_binary() {
        let stored = crate::STORED_CATALOGUE.expect("build.rs stored the catalogue");
        let borrowed = |text: &Cow<'static, str>| matches!(text, Cow::Borrowed(_));
        assert!(stored.iter().all(|e| borrowed(&e.phrase) && borrowed(&e.explanation)));
        assert!(stored.iter().flat_map(|e| e.signals.iter()).all(|s| borrowed(&s.text)));
        assert!(stored.iter().all(|e| matches!(e.signals, Cow::Borrowed(_))));
    }
}
