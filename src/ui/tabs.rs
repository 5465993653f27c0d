//! The class tab bar: All, 1xx ... 5xx, Other, each with its live count.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use crate::app::{App, Focus};
use crate::view::text;

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let theme = app.theme;
    let mut spans = Vec::new();
    for (tab, label) in app.tab_labels() {
        let style = if tab == app.query.class { theme.tab_active() } else { theme.base() };
        spans.push(Span::styled(label, style));
        spans.push(Span::styled("│", theme.dim()));
    }
    // The footer leaves this hint to the tab bar: shown whole, or not at all.
    let hint = " Tab/Shift-Tab";
    let used: usize = spans.iter().map(|s| text::width(&s.content)).sum();
    if app.focus == Focus::Search && used + text::width(hint) <= usize::from(area.width) {
        spans.push(Span::styled(hint, theme.dim()));
    }
    frame.render_widget(Line::from(spans), area);
}
