//! Checking overlay records against the catalogue and adding them to it: every
//! file's meanings first, so a note in any file can be about a team's own code,
//! then the notes in load order. A record that breaks a rule is left out and
//! reported; the others still load.

use toml::Spanned;

use crate::catalogue::{
    Class, Delivery, Entry, Lifecycle, List, Origin, Recommendation, Retry, Runbook, Signal, TeamNote, Text,
};

use super::clean::clean;
use super::parse::{MeaningRecord, Mistake, NoteRecord, Parsed};

/// One parsed file and where it came from.
pub struct Input {
    pub origin: Origin,
    pub parsed: Parsed,
}

/// What each file added, in input order.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Added {
    pub notes: usize,
    pub meanings: usize,
}

/// Adds the files' meanings and notes to `entries`. Returns what each file added
/// and the mistakes found, each with the position in `inputs` of its file.
pub fn merge(entries: &mut Vec<Entry>, inputs: Vec<Input>) -> (Vec<Added>, Vec<(usize, Mistake)>) {
    let mut added = vec![Added::default(); inputs.len()];
    let mut mistakes = Vec::new();
    let mut notes = Vec::new();
    let mut related = Vec::new();
    for (file, input) in inputs.into_iter().enumerate() {
        for meaning in input.parsed.meanings {
            let record = meaning.into_inner();
            match meaning_entry(entries, &record, &input.origin) {
                Ok(entry) => {
                    related.push((file, entries.len(), record.related));
                    entries.push(entry);
                    added[file].meanings += 1;
                }
                Err(mistake) => mistakes.push((file, mistake)),
            }
        }
        notes.extend(input.parsed.notes.into_iter().map(|note| (file, input.origin.clone(), note)));
    }
    // Links are checked once every team meaning exists, so two can link each other.
    for (file, at, links) in related {
        for link in links {
            let span = link.span();
            let target = link.into_inner();
            let matching = entries.iter().filter(|e| e.code == target.code && e.source == target.source).count();
            if matching == 1 && (target.code, &*target.source) != (entries[at].code, &*entries[at].source) {
                entries[at].related.to_mut().push(target);
            } else {
                let problem = format!("related {:03} ({}) names no other meaning", target.code, target.source);
                mistakes.push((file, (span, problem)));
            }
        }
    }
    for (file, origin, note) in notes {
        match attach_note(entries, note, origin) {
            Ok(()) => added[file].notes += 1,
            Err(mistake) => mistakes.push((file, mistake)),
        }
    }
    (added, mistakes)
}

/// A `[[meaning]]` as an entry, or why it cannot be one, at the field in question.
fn meaning_entry(entries: &[Entry], record: &MeaningRecord, origin: &Origin) -> Result<Entry, Mistake> {
    let code = *record.code.get_ref();
    if code > 999 {
        return Err((record.code.span(), format!("code {code}: status codes have three digits")));
    }
    let phrase = clean(record.phrase.get_ref(), false);
    let source = clean(record.source.get_ref(), false);
    let summary = clean(record.summary.get_ref(), false);
    for (field, text, at) in [
        ("phrase", &phrase, &record.phrase),
        ("source", &source, &record.source),
        ("summary", &summary, &record.summary),
    ] {
        if text.is_empty() {
            return Err((at.span(), format!("`{field}` is empty")));
        }
    }
    if let Some(other) = entries.iter().find(|e| e.code == code && e.source == source) {
        let by = other.origin.as_ref().map_or("the catalogue".to_string(), |o| o.file.clone());
        return Err((record.code.span(), format!("{code:03} ({source}) is already a meaning, from {by}")));
    }
    let list =
        |items: &[String]| items.iter().map(|t| clean(t, false)).filter(|t| !t.is_empty()).map(Text::from).collect();
    Ok(Entry {
        code,
        phrase: phrase.into(),
        phrase_is_description: false,
        aliases: list(&record.aliases),
        class: Class::of_code(code),
        lifecycle: record.lifecycle.unwrap_or(Lifecycle::NonStandard),
        recommendation: record.recommendation.unwrap_or(Recommendation::UseWithCare),
        reference: record.reference.as_deref().map(|r| clean(r, false)).unwrap_or_else(|| origin.file.clone()).into(),
        link: record.link.as_deref().map(|l| clean(l, false)).unwrap_or_default().into(),
        source: source.into(),
        generated_by: record.generated_by.clone().into(),
        delivery: record.delivery.unwrap_or(Delivery::Wire),
        generator_note: clean(&record.generator_note, false).into(),
        retry: record.retry.unwrap_or(Retry::NotApplicable),
        retry_note: clean(&record.retry_note, false).into(),
        cacheable: false,
        cacheable_basis: None,
        disputed: None,
        summary: summary.into(),
        explanation: clean(&record.explanation, true).into(),
        situations: list(&record.situations),
        checks: list(&record.checks),
        avoid_when: list(&record.avoid_when),
        related: List::default(),
        signals: List::default(),
        notes: Vec::new(),
        origin: Some(origin.clone()),
    })
}

/// The entry a note is about: by code, and by source where the number has
/// several meanings.
fn target(entries: &[Entry], note: &NoteRecord) -> Result<usize, Mistake> {
    let code = *note.code.get_ref();
    let candidates: Vec<usize> = (0..entries.len()).filter(|&i| entries[i].code == code).collect();
    let sources = || candidates.iter().map(|&i| &*entries[i].source).collect::<Vec<_>>().join(", ");
    if candidates.is_empty() {
        let problem = format!("no meaning of {code:03} to add to: a [[meaning]] defines a new one");
        return Err((note.code.span(), problem));
    }
    match &note.source {
        Some(source) => {
            let name = clean(source.get_ref(), false);
            candidates.iter().copied().find(|&i| entries[i].source.eq_ignore_ascii_case(&name)).ok_or_else(|| {
                (source.span(), format!("{code:03} has no meaning from {name:?}; its sources: {}", sources()))
            })
        }
        None if candidates.len() == 1 => Ok(candidates[0]),
        None => Err((
            note.code.span(),
            format!("{code:03} has {} meanings: add `source`, one of {}", candidates.len(), sources()),
        )),
    }
}

fn attach_note(entries: &mut [Entry], note: Spanned<NoteRecord>, origin: Origin) -> Result<(), Mistake> {
    let span = note.span();
    let note = note.into_inner();
    let at = target(entries, &note)?;
    let entry = &mut entries[at];
    let mut signals = Vec::new();
    for signal in &note.signals {
        let record = signal.get_ref();
        let text = clean(&record.text, false);
        let emitter = clean(&record.emitter, false);
        if text.is_empty() || emitter.is_empty() {
            return Err((signal.span(), "a signal needs a `text` and an `emitter`".to_string()));
        }
        if entry.signals.iter().chain(&signals).any(|s: &Signal| s.text == text) {
            return Err((signal.span(), format!("{text:?} is already a signal of {}", entry.title())));
        }
        signals.push(Signal {
            text: text.into(),
            emitter: emitter.into(),
            form: record.form,
            meaning: record.meaning.as_deref().map(|m| clean(m, false)).filter(|m| !m.is_empty()).map(Text::from),
            reference: record.reference.as_deref().map_or_else(|| origin.file.clone(), |r| clean(r, false)).into(),
            since: None,
            deprecated_since: None,
            removed_in: None,
            origin: Some(origin.clone()),
        });
    }
    let team_note = TeamNote {
        text: clean(&note.text, true),
        owner: note.owner.as_deref().map(|o| clean(o, false)).filter(|o| !o.is_empty()),
        runbooks: note
            .runbooks
            .iter()
            .map(|r| Runbook { title: clean(&r.title, false), url: clean(&r.url, false) })
            .filter(|r| !r.url.is_empty())
            .collect(),
        tags: note.tags.iter().map(|t| clean(t, false)).filter(|t| !t.is_empty()).collect(),
        origin,
    };
    let says_something = !team_note.text.is_empty()
        || team_note.owner.is_some()
        || !team_note.runbooks.is_empty()
        || !team_note.tags.is_empty();
    if !says_something && signals.is_empty() {
        return Err((span, "the note is empty: give `text`, `owner`, `runbooks`, `signals` or `tags`".to_string()));
    }
    entry.signals.to_mut().extend(signals);
    if says_something {
        entry.notes.push(team_note);
    }
    Ok(())
}
