//! An entry as Markdown, for the clipboard and for `show --markdown`.

use std::fmt::Write;

use crate::catalogue::{Catalogue, Entry, SignalForm};

pub fn markdown(catalogue: &Catalogue, index: usize) -> String {
    let entry = &catalogue.entries()[index];
    let mut out = String::new();
    // Writing to a String cannot fail.
    let _ = writeln!(out, "### {} ({})\n", entry.title(), entry.source);
    let _ = writeln!(out, "**{}**\n", entry.summary);
    if entry.phrase_is_description {
        let _ = writeln!(out, "_“{}” is a description; no reason phrase is sent with it._\n", entry.phrase);
    }
    seen_as(&mut out, entry);
    let _ = writeln!(
        out,
        "- Class {} · {} · API: {}\n- Sent by: {} ({})\n- Retry: {}\n- Cacheable by default: {}\n- Source: [{}]({})",
        entry.class.label(),
        entry.lifecycle.label(),
        entry.recommendation.label(),
        entry.generated_by.iter().map(|g| g.label()).collect::<Vec<_>>().join(", "),
        entry.delivery.label(),
        entry.retry.label(),
        entry.cacheable_basis.as_deref().map_or("no".to_string(), |basis| format!("yes ({basis})")),
        entry.reference,
        entry.link,
    );
    if !entry.aliases.is_empty() {
        let _ = writeln!(out, "- Also known as: {}", entry.aliases.join(", "));
    }
    let _ = writeln!(out, "\n{}\n", entry.generator_note);
    let _ = writeln!(out, "**What to check**\n");
    for (n, check) in entry.checks.iter().enumerate() {
        let _ = writeln!(out, "{}. {check}", n + 1);
    }
    let _ = writeln!(out, "\n{}\n", entry.explanation);
    let avoid: Vec<&str> =
        entry.not_registered_advice().into_iter().chain(entry.avoid_when.iter().map(String::as_str)).collect();
    let situations: Vec<&str> = entry.situations.iter().map(String::as_str).collect();
    for (title, items) in [("Common situations", situations), ("Avoid / do not confuse with", avoid)] {
        let _ = writeln!(out, "**{title}**\n");
        for item in items {
            let _ = writeln!(out, "- {item}");
        }
        out.push('\n');
    }
    if let Some(disputed) = &entry.disputed {
        let _ = writeln!(out, "_Disputed or informal: {disputed}_\n");
    }
    let _ = writeln!(out, "Retry: {}", entry.retry_note);
    let related: Vec<String> =
        catalogue.related_entries(index).into_iter().map(|i| catalogue.entries()[i].title()).collect();
    if !related.is_empty() {
        let _ = writeln!(out, "\nRelated: {}", related.join(", "));
    }
    out
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
