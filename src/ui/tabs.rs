//! The class tab bar: All, 1xx ... 5xx, Other, each with its live count.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use crate::app::{App, Focus};
use crate::catalogue::Class;

fn label(app: &App, tab: Option<Class>) -> String {
    let name = tab.map_or("All", |c| c.label());
    format!(" {name} {} ", app.results.tab_count(tab))
}

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let theme = app.theme;
    let mut spans = Vec::new();
    for tab in app.tabs() {
        let style = if tab == app.query.class { theme.tab_active() } else { theme.base() };
        spans.push(Span::styled(label(app, tab), style));
        spans.push(Span::styled("│", theme.dim()));
    }
    if app.focus == Focus::Search {
        spans.push(Span::styled(" Tab/Shift-Tab", theme.dim()));
    }
    frame.render_widget(Line::from(spans), area);
}

/// The tab under a column of the tab bar.
pub fn tab_at(app: &App, area: Rect, column: u16) -> Option<Option<Class>> {
    let mut x = area.x;
    for tab in app.tabs() {
        let end = x + super::text::width(&label(app, tab)) as u16;
        if column >= x && column < end {
            return Some(tab);
        }
        x = end + 1;
    }
    None
}
