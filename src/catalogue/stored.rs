//! The embedded catalogue as bytes. `build.rs` parses and validates the JSON
//! under `assets/` at compile time and writes the entries this way, so the
//! program starts by copying strings out of them instead of parsing 840 KB of
//! JSON (a few milliseconds) before its first frame.
//!
//! Strings are length-prefixed, enums are their position in `ALL`, lists a
//! count then their items (`crate::varint`). Only the catalogue files' fields
//! and signals are stored: the embedded catalogue has no team notes.

use crate::varint::{Reader, Writer};

use super::{Class, Delivery, Entry, Generator, Lifecycle, Recommendation, Related, Retry, Signal, SignalForm};

const MAGIC: &[u8; 4] = b"SBCA";
const VERSION: u32 = 1;

/// The entries as bytes, for [`from_bytes`]. Written by build.rs only.
#[allow(dead_code)]
pub fn to_bytes(entries: &[Entry]) -> Vec<u8> {
    let mut out = Writer(MAGIC.to_vec());
    out.u32(VERSION);
    out.len(entries.len());
    for e in entries {
        out.u32(e.code.into());
        out.str(&e.phrase);
        out.u32(e.phrase_is_description.into());
        strings(&mut out, &e.aliases);
        out.u32(position(Class::ALL, e.class));
        out.u32(position(Lifecycle::ALL, e.lifecycle));
        out.u32(position(Recommendation::ALL, e.recommendation));
        for text in [&e.source, &e.reference, &e.link] {
            out.str(text);
        }
        out.len(e.generated_by.len());
        for &generator in &e.generated_by {
            out.u32(position(Generator::ALL, generator));
        }
        out.u32(position(Delivery::ALL, e.delivery));
        out.str(&e.generator_note);
        out.u32(position(Retry::ALL, e.retry));
        out.str(&e.retry_note);
        out.u32(e.cacheable.into());
        out.optional_str(e.cacheable_basis.as_deref());
        out.optional_str(e.disputed.as_deref());
        out.str(&e.summary);
        out.str(&e.explanation);
        for list in [&e.situations, &e.checks, &e.avoid_when] {
            strings(&mut out, list);
        }
        out.len(e.related.len());
        for related in &e.related {
            out.u32(related.code.into());
            out.str(&related.source);
        }
        out.len(e.signals.len());
        for s in &e.signals {
            out.str(&s.text);
            out.str(&s.emitter);
            out.u32(position(SignalForm::ALL, s.form));
            out.optional_str(s.meaning.as_deref());
            out.str(&s.reference);
            for release in [&s.since, &s.deprecated_since, &s.removed_in] {
                out.optional_str(release.as_deref());
            }
        }
    }
    out.0
}

#[allow(dead_code)]
fn strings(out: &mut Writer, list: &[String]) {
    out.len(list.len());
    for text in list {
        out.str(text);
    }
}

#[allow(dead_code)]
fn position<T: PartialEq>(all: &[T], value: T) -> u32 {
    all.iter().position(|v| *v == value).expect("ALL lists every variant") as u32
}

/// Reads bytes written by [`to_bytes`]; `None` unless they are whole.
pub fn from_bytes(bytes: &[u8]) -> Option<Vec<Entry>> {
    let mut input = Reader::new(bytes.strip_prefix(MAGIC)?);
    (input.u32()? == VERSION).then_some(())?;
    let count = input.len()?;
    let mut entries = Vec::with_capacity(count);
    for _ in 0..count {
        entries.push(entry(&mut input)?);
    }
    input.is_empty().then_some(entries)
}

fn entry(input: &mut Reader) -> Option<Entry> {
    Some(Entry {
        code: code(input)?,
        phrase: input.string()?,
        phrase_is_description: flag(input)?,
        aliases: list(input, Reader::string)?,
        class: variant(input, Class::ALL)?,
        lifecycle: variant(input, Lifecycle::ALL)?,
        recommendation: variant(input, Recommendation::ALL)?,
        source: input.string()?,
        reference: input.string()?,
        link: input.string()?,
        generated_by: list(input, |input| variant(input, Generator::ALL))?,
        delivery: variant(input, Delivery::ALL)?,
        generator_note: input.string()?,
        retry: variant(input, Retry::ALL)?,
        retry_note: input.string()?,
        cacheable: flag(input)?,
        cacheable_basis: input.optional_string()?,
        disputed: input.optional_string()?,
        summary: input.string()?,
        explanation: input.string()?,
        situations: list(input, Reader::string)?,
        checks: list(input, Reader::string)?,
        avoid_when: list(input, Reader::string)?,
        related: list(input, |input| Some(Related { code: code(input)?, source: input.string()? }))?,
        signals: list(input, signal)?,
        notes: Vec::new(),
        origin: None,
    })
}

fn signal(input: &mut Reader) -> Option<Signal> {
    Some(Signal {
        text: input.string()?,
        emitter: input.string()?,
        form: variant(input, SignalForm::ALL)?,
        meaning: input.optional_string()?,
        reference: input.string()?,
        since: input.optional_string()?,
        deprecated_since: input.optional_string()?,
        removed_in: input.optional_string()?,
        origin: None,
    })
}

fn list<'a, T>(input: &mut Reader<'a>, item: impl Fn(&mut Reader<'a>) -> Option<T>) -> Option<Vec<T>> {
    let len = input.len()?;
    let mut items = Vec::with_capacity(len);
    for _ in 0..len {
        items.push(item(input)?);
    }
    Some(items)
}

fn code(input: &mut Reader) -> Option<u16> {
    u16::try_from(input.u32()?).ok()
}

fn flag(input: &mut Reader) -> Option<bool> {
    match input.u32()? {
        0 => Some(false),
        1 => Some(true),
        _ => None,
    }
}

fn variant<T: Copy>(input: &mut Reader, all: &[T]) -> Option<T> {
    all.get(input.u32()? as usize).copied()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::Catalogue;

    #[test]
    fn the_stored_catalogue_is_the_json_parsed_and_validated_now() {
        let stored = from_bytes(crate::STORED_CATALOGUE).expect("build.rs stored a readable catalogue");
        let parsed = Catalogue::from_assets().unwrap();
        assert!(stored.as_slice() == parsed.entries(), "the stored catalogue differs from the JSON");
        assert!(Catalogue::embedded().unwrap().entries() == parsed.entries());
        assert!(parsed.entries().iter().any(|e| !e.signals.is_empty() && e.disputed.is_some()));
    }

    #[test]
    fn cut_or_padded_bytes_are_refused() {
        let bytes = crate::STORED_CATALOGUE;
        for len in (0..bytes.len()).step_by(997) {
            assert!(from_bytes(&bytes[..len]).is_none(), "cut at {len}");
        }
        let mut longer = bytes.to_vec();
        longer.push(0);
        assert!(from_bytes(&longer).is_none(), "trailing byte");
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]
        /// Damaged bytes give `None` or some entries, never a panic.
        #[test]
        fn damaged_bytes_never_panic(
            edits in proptest::collection::vec((proptest::prelude::any::<proptest::sample::Index>(), 0u8..=255), 1..6)
        ) {
            let mut damaged = crate::STORED_CATALOGUE.to_vec();
            for (at, value) in edits {
                let at = at.index(damaged.len());
                damaged[at] = value;
            }
            let _ = from_bytes(&damaged);
        }
    }
}
