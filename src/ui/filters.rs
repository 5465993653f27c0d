//! The facet pane (lifecycle, recommendation, source) with live counts, and the
//! one-line summary of active filters shown when the pane is collapsed.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use crate::app::{App, Focus};
use crate::view::layout::{self, FilterRow};
use crate::view::text;

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let theme = app.theme;
    let focused = app.focus == Focus::Filters && !app.help_open;
    let active = app.query.filters.iter().count();
    let title = if active > 0 { format!(" Filters ({active}) ") } else { " Filters ".to_string() };
    let block = Block::bordered().border_style(theme.border(focused)).title(Span::styled(title, theme.strong()));
    let inner = block.inner(area);
    let rows = layout::filter_rows(app.facet_values());
    let height = usize::from(inner.height);
    let first = layout::filter_scroll(&rows, app.filter_cursor, height);
    let width = usize::from(inner.width);
    let lines: Vec<Line> = rows
        .iter()
        .skip(first)
        .take(height)
        .map(|row| match row {
            FilterRow::Heading(facet) => Line::styled(facet.label(), theme.heading()),
            FilterRow::Value(i) => {
                let (value, count) = &app.results.facet_counts[*i];
                let checked = app.query.filters.contains(value);
                let mark = if checked { "[x] " } else { "[ ] " };
                let count = count.to_string();
                let name_room = width.saturating_sub(text::width(mark) + count.len() + 1);
                let mut spans = text::truncate(vec![Span::raw(value.label().to_string())], name_room);
                let used: usize = spans.iter().map(|s| text::width(&s.content)).sum();
                spans.insert(0, Span::raw(mark));
                spans.push(Span::raw(" ".repeat(name_room.saturating_sub(used) + 1)));
                spans.push(Span::styled(count, theme.dim()));
                let mut style = if checked { theme.strong() } else { theme.base() };
                if focused && *i == app.filter_cursor {
                    style = theme.selected_row();
                }
                Line::from(spans).style(style)
            }
        })
        .collect();
    frame.render_widget(Paragraph::new(lines).block(block), area);
}

/// "Filters: Cloudflare, Deprecated · Ctrl-F" when the pane is collapsed.
pub fn render_summary(app: &App, frame: &mut Frame, area: Rect) {
    let theme = app.theme;
    let active: Vec<&str> = app.query.filters.iter().map(|v| v.label()).collect();
    let mut spans = vec![Span::styled(" Filters: ", theme.dim())];
    if active.is_empty() {
        spans.push(Span::styled("none", theme.dim()));
    } else {
        spans.push(Span::styled(active.join(", "), theme.matched()));
    }
    spans.push(Span::styled(" · Ctrl-F to change", theme.dim()));
    frame.render_widget(Line::from(text::truncate(spans, usize::from(area.width))), area);
}
