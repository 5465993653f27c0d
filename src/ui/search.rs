//! The query input with the match count.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use crate::app::{App, Focus};

use crate::view::text;

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let theme = app.theme;
    let focused = app.focus == Focus::Search && !app.help_open;
    let count = format!(" {} of {} ", app.results.hits.len(), app.catalogue.len());
    let block = Block::bordered()
        .border_style(theme.border(focused))
        .title(Span::styled(" Search ", theme.strong()))
        .title_top(Line::from(count).right_aligned());
    let inner = block.inner(area);
    let prompt = "› ";
    let available = usize::from(inner.width).saturating_sub(text::width(prompt) + 1);
    let (shown, caret_x) = text::window(&app.query.text, app.caret, available);
    let mut spans = vec![Span::styled(prompt, theme.dim()), Span::raw(shown.to_string())];
    if app.query.text.is_empty() {
        spans.push(Span::styled("code, phrase, vendor or symptom (F1 help)", theme.dim()));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)).block(block), area);
    if focused {
        let x = inner.x + (text::width(prompt) + caret_x) as u16;
        frame.set_cursor_position(Position::new(x.min(inner.right().saturating_sub(1)), inner.y));
    }
}
