//! Clicks and the wheel: the position is mapped back to a panel through the same
//! layout the drawing uses.

use ratatui::layout::{Position, Rect};

use crate::action::Action;
use crate::view::layout;

use super::{App, Focus, offset_row};

impl App {
    pub(super) fn click(&mut self, at: Position) {
        let Some(areas) = self.areas() else { return };
        if self.help_open {
            self.help_open = false;
            return;
        }
        if areas.tabs.contains(at) {
            if let Some(tab) = layout::tab_at(&self.tab_labels(), areas.tabs, at.x) {
                self.update(Action::SelectTab(tab));
            }
        } else if areas.search.contains(at) {
            self.focus = Focus::Search;
        } else if areas.results.contains(at) {
            if let Some(row) = inner_row(areas.results, at) {
                self.focus = Focus::Search;
                if self.list_offset + row < self.row_count() {
                    self.select_row(self.list_offset + row);
                }
            }
        } else if areas.detail.contains(at) {
            self.focus = Focus::Detail;
            let clicked_line = inner_row(areas.detail, at).map(|r| r + self.detail_scroll);
            let content = self.detail_content();
            let link = content.and_then(|c| c.links.iter().position(|&(line, _)| Some(line) == clicked_line));
            if let Some(link) = link {
                self.detail_link = Some(link);
                self.follow_link();
            }
        } else if let Some(filters) = areas.filters.filter(|f| f.contains(at)) {
            self.focus = Focus::Filters;
            if let Some(value) = layout::filter_value_at(self.facet_values(), self.filter_cursor, filters, at.y) {
                self.filter_cursor = value;
                self.update(Action::ToggleFilter);
            }
        }
    }

    pub(super) fn wheel(&mut self, at: Position, down: bool) {
        let Some(areas) = self.areas() else { return };
        let step = if down { 3 } else { -3 };
        if areas.results.contains(at) {
            self.select_row(offset_row(self.selected, step));
        } else if areas.detail.contains(at) {
            self.scroll_detail(step as isize);
        } else if areas.filters.is_some_and(|f| f.contains(at)) {
            self.update(Action::MoveFilterCursor(step));
        }
    }
}

/// The row inside a bordered area that a position falls on.
fn inner_row(area: Rect, at: Position) -> Option<usize> {
    let top = area.y + 1;
    (at.y >= top && at.y < area.bottom().saturating_sub(1)).then(|| usize::from(at.y - top))
}
