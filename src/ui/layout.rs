//! Where each panel goes for a given terminal size. A pure function, used both to
//! draw and to map mouse clicks and page sizes back to panels.

use ratatui::layout::{Constraint, Layout, Rect};

/// Below this the app shows a "terminal too small" message instead of panels.
pub const MIN_WIDTH: u16 = 40;
pub const MIN_HEIGHT: u16 = 12;
/// From this width the filter pane stays open beside the results.
pub const WIDE: u16 = 120;
/// Below this width the results and the detail stack vertically.
pub const NARROW: u16 = 80;
const FILTER_WIDTH: u16 = 30;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Areas {
    pub tabs: Rect,
    pub search: Rect,
    /// The filter pane, when it is shown.
    pub filters: Option<Rect>,
    /// One line naming the active filters, when the pane is collapsed.
    pub filter_summary: Option<Rect>,
    /// Zero-sized when the filter pane takes its place on a narrow screen.
    pub results: Rect,
    pub detail: Rect,
    pub footer: Rect,
}

impl Areas {
    /// Rows of results that fit inside the list's border.
    pub fn result_rows(&self) -> usize {
        usize::from(self.results.height.saturating_sub(2))
    }
}

/// `None` when the terminal is too small to show anything useful.
pub fn areas(viewport: Rect, filters_focused: bool) -> Option<Areas> {
    if viewport.width < MIN_WIDTH || viewport.height < MIN_HEIGHT {
        return None;
    }
    let [tabs, search, main, footer] = viewport.layout(&Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(3),
        Constraint::Fill(1),
        Constraint::Length(1),
    ]));
    let mut areas = Areas { tabs, search, footer, ..Areas::default() };
    let filters_shown = viewport.width >= WIDE || filters_focused;
    let list_and_detail = if filters_shown && viewport.width >= NARROW {
        let [filters, rest] = main.layout(&Layout::horizontal([Constraint::Length(FILTER_WIDTH), Constraint::Fill(1)]));
        areas.filters = Some(filters);
        rest
    } else if filters_shown {
        // Narrow: the pane takes the results' place while it has focus.
        let [filters, detail] = main.layout(&Layout::vertical([Constraint::Percentage(55), Constraint::Fill(1)]));
        areas.filters = Some(filters);
        areas.detail = detail;
        return Some(areas);
    } else {
        let [summary, rest] = main.layout(&Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]));
        areas.filter_summary = Some(summary);
        rest
    };
    let [results, detail] = if viewport.width >= NARROW {
        list_and_detail.layout(&Layout::horizontal([Constraint::Percentage(42), Constraint::Fill(1)]))
    } else {
        list_and_detail.layout(&Layout::vertical([Constraint::Percentage(40), Constraint::Fill(1)]))
    };
    areas.results = results;
    areas.detail = detail;
    Some(areas)
}
