//! The result list as the browser shows it: its rows (the hits, and an entry
//! reached by a link pinned above them), the selected row and the rows in
//! view, and the class tabs over it.

use crate::catalogue::{Class, Entry};
use crate::search::Hit;
use crate::view::layout;

use super::App;

impl App {
    /// Tabs in order: All, then each class the catalogue has.
    pub fn tabs(&self) -> Vec<Option<Class>> {
        std::iter::once(None).chain(self.searcher.classes().iter().copied().map(Some)).collect()
    }

    /// Each tab with its label and live count, as the tab bar shows them.
    pub fn tab_labels(&self) -> Vec<(Option<Class>, String)> {
        let tabs = self.tabs();
        let counts: Vec<_> = tabs.iter().map(|&tab| (tab, self.results.tab_count(tab))).collect();
        tabs.into_iter().zip(layout::tab_labels(&counts, self.query.class, self.viewport.width)).collect()
    }

    /// The pinned entry, when the current results do not include it.
    fn pinned_row(&self) -> Option<usize> {
        self.pinned.filter(|p| !self.results.hits.iter().any(|h| h.entry == *p))
    }

    pub fn row_count(&self) -> usize {
        self.results.hits.len() + usize::from(self.pinned_row().is_some())
    }

    /// The catalogue position shown in a row, and its hit when it is one.
    pub fn row(&self, row: usize) -> Option<(usize, Option<&Hit>)> {
        match self.pinned_row() {
            Some(pinned) if row == 0 => Some((pinned, None)),
            Some(_) => self.results.hits.get(row - 1).map(|h| (h.entry, Some(h))),
            None => self.results.hits.get(row).map(|h| (h.entry, Some(h))),
        }
    }

    /// The entry the detail panel shows.
    pub fn current(&self) -> Option<usize> {
        self.row(self.selected).map(|(entry, _)| entry)
    }

    pub fn current_entry(&self) -> Option<&Entry> {
        self.current().map(|i| &self.catalogue.entries()[i])
    }

    pub(super) fn step_tab(&mut self, step: isize) {
        let tabs = self.tabs();
        let here = tabs.iter().position(|t| *t == self.query.class).unwrap_or(0);
        let next = (here as isize + step).rem_euclid(tabs.len() as isize) as usize;
        self.query.class = tabs[next];
        self.research(false);
    }

    pub(super) fn select_row(&mut self, row: usize) {
        let previous = self.current();
        self.selected = row.min(self.row_count().saturating_sub(1));
        if self.current() != previous {
            self.reset_detail();
        }
        self.keep_selection_visible();
    }

    pub(super) fn page_rows(&self) -> i32 {
        let rows = self.areas().map_or(1, |a| a.result_rows());
        i32::try_from(rows.max(1)).unwrap_or(i32::MAX)
    }

    pub(super) fn keep_selection_visible(&mut self) {
        let rows = self.areas().map_or(1, |a| a.result_rows()).max(1);
        if self.selected < self.list_offset {
            self.list_offset = self.selected;
        } else if self.selected >= self.list_offset + rows {
            self.list_offset = self.selected + 1 - rows;
        }
        self.list_offset = self.list_offset.min(self.row_count().saturating_sub(rows));
    }
}
