//! Drawing: a function of the app state, one file per panel.

pub mod detail;
pub mod filters;
pub mod footer;
pub mod help;
pub mod results;
pub mod search;
pub mod tabs;

use ratatui::Frame;
use ratatui::layout::Constraint;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

use crate::app::App;
use crate::view::{layout, text};

pub fn render(app: &App, frame: &mut Frame) {
    let area = frame.area();
    let Some(areas) = app.areas() else {
        let message = format!(
            "Terminal too small: {}x{}, need {}x{}",
            area.width,
            area.height,
            layout::MIN_WIDTH,
            layout::MIN_HEIGHT
        );
        let lines: Vec<Line> = text::wrap(&message, usize::from(area.width)).into_iter().map(Line::raw).collect();
        let height = (lines.len() as u16).min(area.height);
        let centered = area.centered_vertically(Constraint::Length(height));
        frame.render_widget(Paragraph::new(lines).centered(), centered);
        return;
    };
    tabs::render(app, frame, areas.tabs);
    search::render(app, frame, areas.search);
    if let Some(filters) = areas.filters {
        filters::render(app, frame, filters);
    }
    if let Some(summary) = areas.filter_summary {
        filters::render_summary(app, frame, summary);
    }
    results::render(app, frame, areas.results);
    detail::render(app, frame, areas.detail);
    footer::render(app, frame, areas.footer);
    if app.help_open {
        help::render(app, frame);
    }
}
