//! An entry as Markdown, for the clipboard and for `show --markdown`.

use std::fmt::Write;

use crate::catalogue::Catalogue;

pub fn markdown(catalogue: &Catalogue, index: usize) -> String {
    let entry = &catalogue.entries()[index];
    let mut out = String::new();
    // Writing to a String cannot fail.
    let _ = writeln!(out, "### {} ({})\n", entry.title(), entry.source);
    let _ = writeln!(out, "**{}**\n", entry.summary);
    let _ = writeln!(
        out,
        "- Class {} · {} · {}\n- Sent by: {} ({})\n- Retry: {}\n- Cacheable by default: {}\n- Source: [{}]({})",
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
    for (title, items) in [("Common situations", &entry.situations), ("Do not send it when", &entry.avoid_when)] {
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
