//! Where each panel goes for a given terminal size, and what lies under a
//! position inside a panel. Pure functions, used both to draw and to map mouse
//! clicks and page sizes back to panels.

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::widgets::Block;

use crate::catalogue::Class;
use crate::search::{Facet, FacetValue};

use super::text;

/// Below this the app shows a "terminal too small" message instead of panels.
pub const MIN_WIDTH: u16 = 40;
pub const MIN_HEIGHT: u16 = 12;
/// Below this width the results and the detail stack vertically.
pub const NARROW: u16 = 80;
const FILTER_WIDTH: u16 = 30;
/// The detail is what people read: it gets this share of the width beside the
/// results (64 columns of 120)...
const DETAIL_PERCENT: u32 = 58;
/// ...but its text no wider than this, since longer lines are hard to follow;
/// on a wide terminal the results take the rest.
pub const MAX_TEXT_WIDTH: u16 = 100;
/// The detail's border and scrollbar around its text.
const DETAIL_FRAME: u16 = 3;
/// Stacked on a narrow screen, the results get this share of the height, and
/// never less than one row inside their border.
const RESULTS_PERCENT: u32 = 40;
const MIN_RESULTS_HEIGHT: u16 = 3;

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
///
/// Every split but one is a fixed size and the rest, which is cut off with
/// arithmetic: ratatui's `Layout` runs a constraint solver for each split, about
/// a fifth of the work before the browser's first frame. A test checks the cuts
/// against `Layout` at every size.
pub fn areas(viewport: Rect, filters_focused: bool) -> Option<Areas> {
    if viewport.width < MIN_WIDTH || viewport.height < MIN_HEIGHT {
        return None;
    }
    let (tabs, rest) = cut_top(viewport, 1);
    let (search, rest) = cut_top(rest, 3);
    let (main, footer) = cut_bottom(rest, 1);
    let mut areas = Areas { tabs, search, footer, ..Areas::default() };
    // The pane opens on demand (Ctrl-F) at every width; otherwise one summary line.
    let filters_shown = filters_focused;
    let list_and_detail = if filters_shown && viewport.width >= NARROW {
        let (filters, rest) = cut_left(main, FILTER_WIDTH);
        areas.filters = Some(filters);
        rest
    } else if filters_shown {
        // Narrow: the pane takes the results' place while it has focus.
        let [filters, detail] = main.layout(&Layout::vertical([Constraint::Percentage(55), Constraint::Fill(1)]));
        areas.filters = Some(filters);
        areas.detail = detail;
        return Some(areas);
    } else {
        let (summary, rest) = cut_top(main, 1);
        areas.filter_summary = Some(summary);
        rest
    };
    let (results, detail) = if viewport.width >= NARROW {
        let detail_width = share(list_and_detail.width, DETAIL_PERCENT).min(MAX_TEXT_WIDTH + DETAIL_FRAME);
        cut_left(list_and_detail, list_and_detail.width.saturating_sub(detail_width))
    } else {
        let results_height = share(list_and_detail.height, RESULTS_PERCENT).max(MIN_RESULTS_HEIGHT);
        cut_top(list_and_detail, results_height)
    };
    areas.results = results;
    areas.detail = detail;
    Some(areas)
}

/// The first `rows` rows of `area` (at most all of them), and the rest.
fn cut_top(area: Rect, rows: u16) -> (Rect, Rect) {
    let rows = rows.min(area.height);
    (Rect { height: rows, ..area }, Rect { y: area.y + rows, height: area.height - rows, ..area })
}

/// All of `area` but its last `rows` rows, and those.
fn cut_bottom(area: Rect, rows: u16) -> (Rect, Rect) {
    cut_top(area, area.height.saturating_sub(rows))
}

/// The first `columns` columns of `area` (at most all of them), and the rest.
fn cut_left(area: Rect, columns: u16) -> (Rect, Rect) {
    let columns = columns.min(area.width);
    (Rect { width: columns, ..area }, Rect { x: area.x + columns, width: area.width - columns, ..area })
}

/// `percent` of `length`, rounded to the nearest cell.
fn share(length: u16, percent: u32) -> u16 {
    u16::try_from((u32::from(length) * percent + 50) / 100).unwrap_or(length)
}

/// Text width inside the detail panel's border, leaving a column for the scrollbar.
pub fn detail_text_width(area: Rect) -> usize {
    usize::from(area.width.saturating_sub(DETAIL_FRAME)).max(1)
}

/// How much each class tab's label says, from the most to the least.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TabForm {
    /// " 5xx 12 "
    Padded,
    /// "5xx 12"
    Tight,
    /// "5xx 12" on the active tab, "5xx" on the others.
    ActiveCount,
    /// "5xx"
    NameOnly,
}

/// Each class tab's label ("All", "1xx" ... "Other" with its count), in the
/// fullest form whose bar fits `width` cells: every tab stays on screen at the
/// smallest size, and the counts go first. Tabs are separated by one column, so
/// the bar is drawn and hit-tested from the same labels.
pub fn tab_labels(tabs: &[(Option<Class>, usize)], active: Option<Class>, width: u16) -> Vec<String> {
    let label = |form: TabForm, tab: Option<Class>, count: usize| {
        let name = tab.map_or("All", |c| c.label());
        match form {
            TabForm::Padded => format!(" {name} {count} "),
            TabForm::Tight => format!("{name} {count}"),
            TabForm::ActiveCount if tab == active => format!("{name} {count}"),
            TabForm::ActiveCount | TabForm::NameOnly => name.to_string(),
        }
    };
    let forms = [TabForm::Padded, TabForm::Tight, TabForm::ActiveCount, TabForm::NameOnly];
    let mut labels = Vec::new();
    for form in forms {
        labels = tabs.iter().map(|&(tab, count)| label(form, tab, count)).collect();
        let bar: usize = labels.iter().map(|l| text::width(l) + 1).sum();
        if bar <= usize::from(width) {
            break;
        }
    }
    labels
}

/// The tab under a column of the tab bar, given each tab and its label in order.
pub fn tab_at<T: Copy>(tabs: &[(T, String)], area: Rect, column: u16) -> Option<T> {
    let mut x = area.x;
    for (tab, label) in tabs {
        let end = x + text::width(label) as u16;
        if column >= x && column < end {
            return Some(*tab);
        }
        x = end + 1;
    }
    None
}

/// One line of the filter pane: a facet heading, or a value at a position in
/// the searcher's facet values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FilterRow {
    Heading(Facet),
    Value(usize),
}

/// The filter pane's lines: each facet's heading, then its values.
pub fn filter_rows(values: &[FacetValue]) -> Vec<FilterRow> {
    let mut rows = Vec::new();
    let mut last = None;
    for (i, value) in values.iter().enumerate() {
        if last != Some(value.facet()) {
            rows.push(FilterRow::Heading(value.facet()));
            last = Some(value.facet());
        }
        rows.push(FilterRow::Value(i));
    }
    rows
}

/// First pane line shown, so the value under the cursor stays in view.
pub fn filter_scroll(rows: &[FilterRow], cursor: usize, height: usize) -> usize {
    let cursor_line = rows.iter().position(|r| *r == FilterRow::Value(cursor)).unwrap_or(0);
    // Keep the facet heading above the cursor visible too.
    cursor_line.saturating_sub(height.saturating_sub(2)).min(rows.len().saturating_sub(height))
}

/// The facet value on a screen row of the filter pane (`area` includes its border).
pub fn filter_value_at(values: &[FacetValue], cursor: usize, area: Rect, y: u16) -> Option<usize> {
    let inner = Block::bordered().inner(area);
    if y < inner.y || y >= inner.bottom() {
        return None;
    }
    let rows = filter_rows(values);
    let first = filter_scroll(&rows, cursor, usize::from(inner.height));
    match rows.get(first + usize::from(y - inner.y))? {
        FilterRow::Value(i) => Some(*i),
        FilterRow::Heading(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(width: u16, height: u16) -> Areas {
        areas(Rect::new(0, 0, width, height), false).unwrap()
    }

    #[test]
    fn the_detail_gets_the_room_and_its_text_a_readable_width() {
        assert!(detail_text_width(at(120, 36).detail) >= 64);
        assert_eq!(detail_text_width(at(200, 50).detail), usize::from(MAX_TEXT_WIDTH));
        assert!(at(200, 50).results.width > 90, "a wide terminal gives the rest to the results");
        assert!(at(120, 36).filters.is_none(), "the filter pane opens on demand");
    }

    #[test]
    fn tab_labels_shrink_to_keep_every_tab_on_the_bar() {
        let tabs: Vec<(Option<Class>, usize)> =
            std::iter::once((None, 117)).chain(Class::ALL.iter().map(|&c| (Some(c), 56))).collect();
        let active = Some(Class::ServerError);
        let bar = |width: u16| tab_labels(&tabs, active, width);
        assert_eq!(bar(200)[0], " All 117 ");
        for width in [MIN_WIDTH, 60, 80] {
            let labels = bar(width);
            let cells: usize = labels.iter().map(|l| text::width(l) + 1).sum();
            assert!(cells <= usize::from(width), "{width}: {labels:?}");
            assert_eq!(labels.len(), tabs.len());
            assert!(labels[5].trim() == "5xx 56", "the active tab keeps its count: {labels:?}");
        }
        assert_eq!(bar(MIN_WIDTH)[1], "1xx", "{:?}", bar(MIN_WIDTH));
        assert_eq!(bar(1), ["All", "1xx", "2xx", "3xx", "4xx", "5xx", "Other"]);
    }

    /// The panels as ratatui's `Layout` splits them, which `areas` cuts by hand.
    fn solved(viewport: Rect, filters_focused: bool) -> Areas {
        let [tabs, search, main, footer] = viewport.layout(&Layout::vertical([
            Constraint::Length(1),
            Constraint::Length(3),
            Constraint::Fill(1),
            Constraint::Length(1),
        ]));
        let mut areas = Areas { tabs, search, footer, ..Areas::default() };
        let list_and_detail = if filters_focused && viewport.width >= NARROW {
            let [filters, rest] =
                main.layout(&Layout::horizontal([Constraint::Length(FILTER_WIDTH), Constraint::Fill(1)]));
            areas.filters = Some(filters);
            rest
        } else if filters_focused {
            let [filters, detail] = main.layout(&Layout::vertical([Constraint::Percentage(55), Constraint::Fill(1)]));
            areas.filters = Some(filters);
            areas.detail = detail;
            return areas;
        } else {
            let [summary, rest] = main.layout(&Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]));
            areas.filter_summary = Some(summary);
            rest
        };
        let [results, detail] = if viewport.width >= NARROW {
            let detail_width = share(list_and_detail.width, DETAIL_PERCENT).min(MAX_TEXT_WIDTH + DETAIL_FRAME);
            list_and_detail.layout(&Layout::horizontal([Constraint::Fill(1), Constraint::Length(detail_width)]))
        } else {
            let results_height = share(list_and_detail.height, RESULTS_PERCENT).max(MIN_RESULTS_HEIGHT);
            list_and_detail.layout(&Layout::vertical([Constraint::Length(results_height), Constraint::Fill(1)]))
        };
        areas.results = results;
        areas.detail = detail;
        areas
    }

    #[test]
    fn the_panels_are_where_the_layout_solver_puts_them() {
        // Around the narrow-screen threshold and where the detail's text reaches its widest.
        for width in (MIN_WIDTH..=90).chain(170..=185).chain([120, 400]) {
            for height in (MIN_HEIGHT..=20).chain([36, 200]) {
                for filters_focused in [false, true] {
                    let viewport = Rect::new(3, 2, width, height);
                    let cut = areas(viewport, filters_focused).unwrap();
                    assert_eq!(cut, solved(viewport, filters_focused), "{width}x{height}, filters {filters_focused}");
                }
            }
        }
    }

    #[test]
    fn the_smallest_terminal_still_shows_a_result_row() {
        let areas = at(MIN_WIDTH, MIN_HEIGHT);
        assert!(areas.result_rows() >= 1, "{areas:?}");
        assert!(areas.detail.height >= 3, "{areas:?}");
    }
}
