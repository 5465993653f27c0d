//! Drawing: a function of the app state, one file per panel.

pub mod detail;
pub mod filters;
pub mod footer;
pub mod help;
pub mod results;
pub mod search;
pub mod tabs;

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Paragraph};

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

/// Draws `block` over `area` and `lines` inside it, one a row, each cut at the
/// inner width: what `Paragraph` draws for left-aligned lines that are not
/// wrapped, without first styling every cell of the area twice with its
/// (default, so unchanged) style. The result list and the detail are redrawn
/// on every keystroke.
fn render_lines(frame: &mut Frame, block: Block, area: Rect, lines: &[Line]) {
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let buffer = frame.buffer_mut();
    for (line, y) in lines.iter().zip(inner.top()..inner.bottom()) {
        buffer.set_line(inner.x, y, line, inner.width);
    }
}

#[cfg(test)]
mod tests {
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    use ratatui::style::{Color, Modifier, Style};
    use ratatui::text::Span;

    use super::*;

    #[test]
    fn lines_are_drawn_as_a_paragraph_draws_them() {
        let bold = Style::new().add_modifier(Modifier::BOLD);
        let lines = vec![
            Line::from(vec![Span::styled("504 ", bold), Span::raw("Gateway Timeout · RFC 9110")]),
            Line::from("a line wider than the box, cut at its border").style(Style::new().bg(Color::Blue)),
            Line::from(vec![Span::raw("状态码"), Span::styled(" wide", Style::new().fg(Color::Red))]),
            Line::raw(""),
            Line::raw("a row below the box, not drawn"),
        ];
        let block = || Block::bordered().title(" Results ");
        let draw = |by_paragraph: bool| {
            let mut terminal = Terminal::new(TestBackend::new(30, 6)).unwrap();
            terminal
                .draw(|frame| {
                    let area = Rect::new(1, 0, 28, 6);
                    if by_paragraph {
                        frame.render_widget(Paragraph::new(lines.clone()).block(block()), area);
                    } else {
                        render_lines(frame, block(), area, &lines);
                    }
                })
                .unwrap();
            terminal.backend().buffer().clone()
        };
        assert_eq!(draw(false), draw(true));
    }
}
