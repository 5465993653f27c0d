//! The class tab bar: All, 1xx ... 5xx, Other, each with its live count.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use crate::app::{App, Focus};

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let theme = app.theme;
    let mut spans = Vec::new();
    for (tab, label) in app.tab_labels() {
        let style = if tab == app.query.class { theme.tab_active() } else { theme.base() };
        spans.push(Span::styled(label, style));
        spans.push(Span::styled("│", theme.dim()));
    }
    if app.focus == Focus::Search {
        spans.push(Span::styled(" Tab/Shift-Tab", theme.dim()));
    }
    frame.render_widget(Line::from(spans), area);
}
