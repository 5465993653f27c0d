//! An entry as Markdown, for the clipboard and for `show --markdown`.

use std::fmt::Write;
use std::ops::Deref;

use crate::catalogue::{Catalogue, Entry, SignalForm, TeamNote};

pub fn markdown(catalogue: &Catalogue, index: usize) -> String {
    let entry = &catalogue.entries()[index];
    let mut out = String::new();
    // Writing to a String cannot fail.
    let _ = writeln!(out, "### {} ({})\n", entry.title(), entry.source);
    let _ = writeln!(out, "**{}**\n", entry.summary);
    if entry.phrase_is_description {
        let _ = writeln!(out, "_“{}” is a description; no reason phrase is sent with it._\n", entry.phrase);
    }
    for note in &entry.notes {
        team_note(&mut out, note);
    }
    seen_as(&mut out, entry);
    let _ = writeln!(
        out,
        "- Class {} · {} · API: {}",
        entry.class.label(),
        entry.lifecycle.label(),
        entry.recommendation.label()
    );
    // A team's own meaning may leave out what every catalogue entry has.
    if !entry.generated_by.is_empty() {
        let senders: Vec<&str> = entry.generated_by.iter().map(|g| g.label()).collect();
        let _ = writeln!(out, "- Sent by: {} ({})", senders.join(", "), entry.delivery.label());
    }
    if entry.origin.is_none() || !entry.retry_note.is_empty() {
        let cacheable = entry.cacheable_basis.as_deref().map_or("no".to_string(), |basis| format!("yes ({basis})"));
        let _ = writeln!(out, "- Retry: {}\n- Cacheable by default: {cacheable}", entry.retry.label());
    }
    if entry.link.is_empty() {
        let _ = writeln!(out, "- Source: {}", entry.reference);
    } else {
        let _ = writeln!(out, "- Source: [{}]({})", entry.reference, entry.link);
    }
    if let Some(origin) = &entry.origin {
        let _ = writeln!(out, "- Defined by the team overlay “{}” ({})", origin.label, origin.file);
    }
    if !entry.aliases.is_empty() {
        let _ = writeln!(out, "- Also known as: {}", entry.aliases.join(", "));
    }
    paragraph(&mut out, &entry.generator_note);
    if !entry.checks.is_empty() {
        let _ = writeln!(out, "**What to check**\n");
        for (n, check) in entry.checks.iter().enumerate() {
            let _ = writeln!(out, "{}. {check}", n + 1);
        }
    }
    paragraph(&mut out, &entry.explanation);
    let avoid: Vec<&str> =
        entry.not_registered_advice().into_iter().chain(entry.avoid_when.iter().map(Deref::deref)).collect();
    let situations: Vec<&str> = entry.situations.iter().map(Deref::deref).collect();
    for (title, items) in [("Common situations", situations), ("Avoid / do not confuse with", avoid)] {
        if items.is_empty() {
            continue;
        }
        let _ = writeln!(out, "**{title}**\n");
        for item in items {
            let _ = writeln!(out, "- {item}");
        }
        out.push('\n');
    }
    if let Some(disputed) = &entry.disputed {
        let _ = writeln!(out, "_Disputed or informal: {disputed}_\n");
    }
    if !entry.retry_note.is_empty() {
        let _ = writeln!(out, "Retry: {}", entry.retry_note);
    }
    let related: Vec<String> =
        catalogue.related_entries(index).into_iter().map(|i| catalogue.entries()[i].title()).collect();
    if !related.is_empty() {
        let _ = writeln!(out, "\nRelated: {}", related.join(", "));
    }
    out
}

/// A blank line, the text, a blank line; nothing for no text.
fn paragraph(out: &mut String, text: &str) {
    if !text.is_empty() {
        let _ = writeln!(out, "\n{text}\n");
    }
}

/// A team's note under its overlay's label; web links as Markdown links.
fn team_note(out: &mut String, note: &TeamNote) {
    let _ = writeln!(out, "**Team note ({})**\n", note.origin.label);
    if !note.text.is_empty() {
        let _ = writeln!(out, "{}\n", note.text);
    }
    if let Some(owner) = &note.owner {
        let _ = writeln!(out, "- Owner: {owner}");
    }
    for runbook in &note.runbooks {
        if runbook.is_web_link() {
            let _ = writeln!(out, "- Runbook: [{}](<{}>)", runbook.title.replace(['[', ']'], ""), runbook.url);
        } else {
            let _ = writeln!(out, "- Runbook: {}: {}", runbook.title, runbook.url);
        }
    }
    if !note.tags.is_empty() {
        let _ = writeln!(out, "- Tags: {}", note.tags.join(", "));
    }
    out.push('\n');
}

/// The strings software prints with this meaning, quoted as code; library
/// constants on one line.
fn seen_as(out: &mut String, entry: &Entry) {
    if entry.signals.is_empty() {
        return;
    }
    let _ = writeln!(out, "**Seen as**\n");
    let (constants, strings): (Vec<_>, Vec<_>) = entry.signals.iter().partition(|s| s.form == SignalForm::Constant);
    for signal in strings {
        let _ = write!(out, "- {} {}: {}", signal.emitter, signal.form.label(), inline_code(&signal.text));
        if let Some(releases) = signal.availability() {
            let _ = write!(out, " ({releases})");
        }
        match &signal.meaning {
            Some(meaning) => {
                let _ = writeln!(out, " — {meaning}");
            }
            None => out.push('\n'),
        }
    }
    if !constants.is_empty() {
        let names: Vec<String> = constants.iter().map(|s| s.constant_label(&inline_code(&s.text))).collect();
        let _ = writeln!(out, "- Constants: {}", names.join(" · "));
    }
    out.push('\n');
}

/// Markdown inline code that survives backticks inside the text.
fn inline_code(text: &str) -> String {
    if text.contains('`') { format!("`` {text} ``") } else { format!("`{text}`") }
}
