//! The detail panel, ordered for an incident: what it is, who sent it, what to
//! check, then the background, and the related codes as links.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Scrollbar, ScrollbarOrientation, ScrollbarState};

use crate::app::{App, Focus};
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

/// Text width inside the border, leaving a column for the scrollbar.
pub fn text_width(area: Rect) -> usize {
    usize::from(area.width.saturating_sub(3)).max(1)
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

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    if area.is_empty() {
        return;
    }
    let theme = app.theme;
    let focused = app.focus == Focus::Detail && !app.help_open;
    let mut block = Block::bordered().border_style(theme.border(focused));
    let Some(index) = app.current() else {
        let message = Paragraph::new("Nothing selected.").style(theme.dim());
        frame.render_widget(message.block(block), area);
        return;
    };
    let entry = &app.catalogue.entries()[index];
    block = block.title(Line::from(vec![
        Span::styled(format!(" {} ", entry.code_label()), theme.code(entry.code)),
        Span::styled(format!("{} ", entry.phrase), theme.strong()),
    ]));
    let (back, forward) = (app.history.can_go_back(), app.history.can_go_forward());
    if back || forward {
        let arrows = format!(" {}{} Alt-←/→ ", if back { "◀" } else { " " }, if forward { "▶" } else { " " });
        block = block.title_top(Line::styled(arrows, theme.dim()).right_aligned());
    }
    let inner = block.inner(area);
    let selected_link = app.detail_link.filter(|_| app.focus == Focus::Detail);
    let content = content(&app.catalogue, index, text_width(area), theme, selected_link);
    let total = content.lines.len();
    let visible: Vec<Line> =
        content.lines.into_iter().skip(app.detail_scroll).take(usize::from(inner.height)).collect();
    frame.render_widget(Paragraph::new(visible).block(block), area);
    if total > usize::from(inner.height) {
        let mut state =
            ScrollbarState::new(total.saturating_sub(usize::from(inner.height))).position(app.detail_scroll);
        frame.render_stateful_widget(Scrollbar::new(ScrollbarOrientation::VerticalRight), inner, &mut state);
    }
}
