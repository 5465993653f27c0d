//! An entry as lines of text, ordered for an incident: what it is, who sent it,
//! what to check, then the background, and the related codes as links. The
//! browser's detail panel draws these lines; the CLI's `show` prints them.

use ratatui::style::Style;
use ratatui::text::{Line, Span};

use crate::catalogue::Catalogue;

use super::text;
use super::theme::Theme;

/// The panel's lines at one width, and where the related-code links are.
#[derive(Debug, Clone, PartialEq)]
pub struct Content {
    pub lines: Vec<Line<'static>>,
    /// (line, catalogue position) for each related-code link, in order.
    pub links: Vec<(usize, usize)>,
}

struct Builder {
    theme: Theme,
    width: usize,
    lines: Vec<Line<'static>>,
}

impl Builder {
    fn heading(&mut self, title: &str) {
        self.lines.push(Line::raw(""));
        self.lines.push(Line::styled(title.to_uppercase(), self.theme.heading()));
    }

    /// Wrapped text; continuation lines are indented like the first line's text.
    fn item(&mut self, marker: &str, body: &str, style: Style) {
        let indent = text::width(marker);
        for (i, line) in text::wrap(body, self.width.saturating_sub(indent)).into_iter().enumerate() {
            let lead = if i == 0 { marker.to_string() } else { " ".repeat(indent) };
            self.lines.push(Line::from(vec![Span::styled(lead, self.theme.dim()), Span::styled(line, style)]));
        }
    }

    fn para(&mut self, body: &str) {
        self.item("", body, self.theme.base());
    }
}

/// The panel's lines for one entry. `selected_link` is highlighted; the CLI's
/// `show` prints the same lines as plain text.
pub fn content(
    catalogue: &Catalogue,
    index: usize,
    width: usize,
    theme: Theme,
    selected_link: Option<usize>,
) -> Content {
    let entry = &catalogue.entries()[index];
    let mut b = Builder { theme, width, lines: Vec::new() };
    let facts = format!(
        "{} · {} · {} · {}",
        entry.source,
        entry.class.label(),
        entry.lifecycle.label(),
        entry.recommendation.label()
    );
    b.item("", &facts, theme.dim());
    if !entry.aliases.is_empty() {
        b.item("aka ", &entry.aliases.join(" · "), theme.dim());
    }
    b.lines.push(Line::raw(""));
    b.item("", &entry.summary, theme.strong());

    b.heading("Who sends it");
    let senders: Vec<&str> = entry.generated_by.iter().map(|g| g.label()).collect();
    b.item("", &format!("{}: {}.", senders.join(", "), entry.delivery.label()), theme.strong());
    b.para(&entry.generator_note);

    b.heading("What to check");
    for (n, check) in entry.checks.iter().enumerate() {
        b.item(&format!("{}. ", n + 1), check, theme.base());
    }

    b.heading("What it means");
    b.para(&entry.explanation);
    if let Some(disputed) = &entry.disputed {
        b.item("! ", disputed, theme.warning());
    }

    b.heading("Common situations");
    for situation in &entry.situations {
        b.item("• ", situation, theme.base());
    }

    b.heading("Do not send it when");
    for avoid in &entry.avoid_when {
        b.item("• ", avoid, theme.base());
    }

    b.heading("Retry and caching");
    b.item("Retry: ", &format!("{}. {}", capitalised(entry.retry.label()), entry.retry_note), theme.base());
    let cache = match &entry.cacheable_basis {
        Some(basis) => format!("yes, heuristically cacheable by default ({basis})."),
        None => "no, only with explicit freshness headers.".to_string(),
    };
    b.item("Cacheable: ", &cache, theme.base());

    b.heading("Source");
    b.para(&entry.reference);
    b.item("", &entry.link, theme.link());

    let links = catalogue.related_entries(index);
    let mut positions = Vec::new();
    if !links.is_empty() {
        b.heading("Related codes (Tab, Enter)");
        for (n, &target) in links.iter().enumerate() {
            let t = &catalogue.entries()[target];
            let style = if selected_link == Some(n) { theme.link_selected() } else { theme.link() };
            positions.push((b.lines.len(), target));
            let label = format!("→ {} {} ({})", t.code_label(), t.phrase, t.source);
            b.lines.push(Line::from(text::truncate(vec![Span::styled(label, style)], width)));
        }
    }
    Content { lines: b.lines, links: positions }
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}
