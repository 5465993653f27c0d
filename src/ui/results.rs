//! The result list: code, a loaded log's count, phrase (or the alias that
//! matched), source, with the matched characters highlighted.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use crate::app::{App, Focus};
use crate::search::Highlights;
use crate::tally::output::thousands;

use crate::view::text;
use crate::view::theme::Theme;

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    if area.is_empty() {
        return;
    }
    let theme = app.theme;
    let focused = app.focus == Focus::Search && !app.help_open;
    let title = match (app.query.class, &app.log) {
        (Some(class), _) => format!(" Results · {} ", class.label()),
        (None, Some(log)) if app.log_order() => format!(" Results · {} by count ", log.label),
        (None, _) => " Results ".to_string(),
    };
    let block = Block::bordered().border_style(theme.border(focused)).title(Span::styled(title, theme.strong()));
    let inner = block.inner(area);
    let width = usize::from(inner.width);
    let mut lines = Vec::new();
    for row in app.list_offset..app.row_count().min(app.list_offset + usize::from(inner.height)) {
        let Some((entry, hit)) = app.row(row) else {
            break;
        };
        let highlights = hit.map(|h| &h.highlights);
        let line = row_line(app, entry, highlights, width);
        lines.push(if row == app.selected { selected(line, theme) } else { line });
    }
    if lines.is_empty() {
        let narrowed = !app.query.filters.is_empty() || app.query.class.is_some();
        let hint = if narrowed {
            "No match. Ctrl-U clears the query; the tab and filters also narrow it."
        } else {
            "No match. Ctrl-U clears the query."
        };
        lines.extend(text::wrap(hint, width).into_iter().map(|line| Line::styled(line, theme.dim())));
    }
    frame.render_widget(Paragraph::new(lines).block(block), area);
}

/// The selected row in the selection's colours: the row's own (the class
/// colour of the code, the grey of the source) are hard to read on its
/// background, blue on blue for a 1xx code. Matched characters keep theirs.
fn selected(line: Line<'static>, theme: Theme) -> Line<'static> {
    let selection = theme.selected_row();
    let spans: Vec<Span<'static>> = line
        .spans
        .into_iter()
        .map(|span| if span.style == theme.matched() { span } else { span.patch_style(selection) })
        .collect();
    Line::from(spans).style(selection)
}

/// Cells of the phrase kept before the source gets any room.
const MIN_PHRASE_WIDTH: usize = 16;
/// A source shorter than this ("Pr…") says nothing: leave it out.
const MIN_SOURCE_WIDTH: usize = 5;
/// The same for the alias that matched: " ~ " and at least "Gate…".
const MIN_ALIAS_WIDTH: usize = 3 + 5;

/// One result row, fitted to `width` cells: the code, the log's count (if a
/// log is loaded), the phrase (and the alias that matched, when there is room
/// to read some of it), and the source right-aligned when it fits.
pub fn row_line(app: &App, entry: usize, highlights: Option<&Highlights>, width: usize) -> Line<'static> {
    let theme = app.theme;
    let e = &app.catalogue.entries()[entry];
    let none = Highlights::default();
    let h = highlights.unwrap_or(&none);
    let mut left = text::highlighted(&e.code_label(), &h.code, theme.code(e.code), theme.matched());
    left.push(Span::raw(" "));
    // The log's counts form a column of their own right after the code, as in
    // `tally`'s table, so they line up at every width; entries the log lacks
    // leave it blank.
    if let Some(log) = app.log.as_ref().filter(|log| !log.is_empty()) {
        let count = log.get(entry).map(|counts| thousands(counts.count)).unwrap_or_default();
        left.push(Span::styled(format!("{count:>width$} ", width = log.count_width()), theme.strong()));
    }
    let lead_width = spans_width(&left);
    if highlights.is_none() {
        left.push(Span::styled("↪ ", theme.dim()));
    }
    left.extend(text::highlighted(&e.phrase, &h.phrase, theme.base(), theme.matched()));
    let team = e.has_team_content().then(|| Span::styled(" ◆", theme.team()));
    let source = text::highlighted(&e.source, &h.source, theme.dim(), theme.matched());
    if let Some((alias, indices)) = &h.alias {
        let alias_start = spans_width(&left);
        let mut with_alias = left.clone();
        with_alias.push(Span::styled(" ~ ", theme.dim()));
        with_alias.extend(text::highlighted(&e.aliases[*alias], indices, theme.dim(), theme.matched()));
        with_alias.extend(team.clone());
        // Shown whole, or enough of it to read.
        let readable = (alias_start + MIN_ALIAS_WIDTH).min(spans_width(&with_alias));
        let (line, left_room) = fit(with_alias, lead_width, source.clone(), width);
        if left_room >= readable {
            return line;
        }
    }
    left.extend(team);
    fit(left, lead_width, source, width).0
}

fn spans_width(spans: &[Span]) -> usize {
    spans.iter().map(|s| text::width(&s.content)).sum()
}

/// The row's left part (code, count, phrase: `lead_width` cells before the
/// phrase) and its source in `width` cells, and how many cells the left part got.
fn fit(
    mut left: Vec<Span<'static>>,
    lead_width: usize,
    source: Vec<Span<'static>>,
    width: usize,
) -> (Line<'static>, usize) {
    let left_width = spans_width(&left);
    let source_width = spans_width(&source);
    if left_width + 2 + source_width <= width {
        left.push(Span::raw(" ".repeat(width - left_width - source_width)));
        left.extend(source);
        return (Line::from(left), left_width);
    }
    // Too long: the phrase keeps a readable start, the source what is left of
    // the row (shortened with "…" if need be), unless too little is left for it.
    let kept_left = (lead_width + MIN_PHRASE_WIDTH).min(left_width);
    let source_room = width.saturating_sub(kept_left + 1).min(source_width);
    if source_room < MIN_SOURCE_WIDTH {
        return (Line::from(text::truncate(left, width)), width);
    }
    let right = text::truncate(source, source_room);
    let right_width = spans_width(&right);
    let left_room = width.saturating_sub(right_width + 1);
    let mut spans = text::truncate(left, left_room);
    let used = spans_width(&spans);
    spans.push(Span::raw(" ".repeat(width.saturating_sub(used + right_width))));
    spans.extend(right);
    (Line::from(spans), left_room)
}
