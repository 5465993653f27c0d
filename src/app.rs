//! The browser's state and its one way to change: `App::update(Action)`.

use ratatui::layout::{Position, Rect};

pub use crate::action::Focus;

use crate::action::Action;
use crate::catalogue::{Catalogue, Class, Entry};
use crate::export;
use crate::history::History;
use crate::keymap;
use crate::search::{FacetValue, Query, Results, Searcher};
use crate::tally::browse::LogCounts;
use crate::view::{entry, help, layout, log, theme::Theme};

/// What the terminal layer must do after an update.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    None,
    Quit,
    /// Put this text on the clipboard.
    Copy(String),
}

#[derive(Debug)]
pub struct App {
    pub catalogue: Catalogue,
    searcher: Searcher,
    pub query: Query,
    pub results: Results,
    pub focus: Focus,
    /// Row of the result list that is selected.
    pub selected: usize,
    /// First row shown in the result list.
    pub list_offset: usize,
    /// An entry reached through a link that the query, tab or filters hide; it is
    /// shown as the first row until they change.
    pub pinned: Option<usize>,
    pub detail_scroll: usize,
    /// Which related-code link is highlighted in the detail panel.
    pub detail_link: Option<usize>,
    /// Position in the searcher's facet values.
    pub filter_cursor: usize,
    pub help_open: bool,
    /// First line of the help overlay shown, when it does not fit.
    pub help_scroll: usize,
    /// A short message for the footer ("copied"), cleared by the next action.
    pub status: Option<String>,
    pub history: History,
    /// Counts from `--log`: shown beside entries, and with an empty query the
    /// log's codes come first, most frequent first.
    pub log: Option<LogCounts>,
    pub viewport: Rect,
    pub theme: Theme,
}

impl App {
    pub fn new(catalogue: Catalogue, viewport: Rect, theme: Theme) -> Self {
        let searcher = Searcher::new(&catalogue);
        let mut app = App {
            catalogue,
            searcher,
            query: Query::default(),
            results: Results::default(),
            focus: Focus::Search,
            selected: 0,
            list_offset: 0,
            pinned: None,
            detail_scroll: 0,
            detail_link: None,
            filter_cursor: 0,
            help_open: false,
            help_scroll: 0,
            status: None,
            history: History::default(),
            log: None,
            viewport,
            theme,
        };
        app.research(true);
        app
    }

    /// Starts with a query already typed (`statusbrowse 524`).
    pub fn with_query(mut self, text: &str) -> Self {
        self.query.text = text.chars().filter(|c| !c.is_control()).collect();
        self.research(true);
        self
    }

    /// Starts on a log's counts, with its most frequent code selected.
    pub fn with_log(mut self, log: LogCounts) -> Self {
        self.log = Some(log);
        self.research(true);
        self
    }

    /// Whether the results are in the log's order (a log is loaded and no query typed).
    pub fn log_order(&self) -> bool {
        self.log.is_some() && self.query.text.is_empty()
    }

    pub fn keymap_context(&self) -> keymap::Context {
        keymap::Context { focus: self.focus, help_open: self.help_open, query_empty: self.query.text.is_empty() }
    }

    pub fn areas(&self) -> Option<layout::Areas> {
        layout::areas(self.viewport, self.focus == Focus::Filters)
    }

    /// Tabs in order: All, then each class the catalogue has.
    pub fn tabs(&self) -> Vec<Option<Class>> {
        std::iter::once(None).chain(self.searcher.classes().iter().copied().map(Some)).collect()
    }

    /// Each tab with its label and live count, as the tab bar shows them.
    pub fn tab_labels(&self) -> Vec<(Option<Class>, String)> {
        self.tabs().into_iter().map(|tab| (tab, layout::tab_label(tab, self.results.tab_count(tab)))).collect()
    }

    pub fn facet_values(&self) -> &[FacetValue] {
        self.searcher.facet_values()
    }

    /// The pinned entry, when the current results do not include it.
    fn pinned_row(&self) -> Option<usize> {
        self.pinned.filter(|p| !self.results.hits.iter().any(|h| h.entry == *p))
    }

    pub fn row_count(&self) -> usize {
        self.results.hits.len() + usize::from(self.pinned_row().is_some())
    }

    /// The catalogue position shown in a row, and its hit when it is one.
    pub fn row(&self, row: usize) -> Option<(usize, Option<&crate::search::Hit>)> {
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

    /// Catalogue positions the current entry links to.
    pub fn links(&self) -> Vec<usize> {
        self.current().map(|i| self.catalogue.related_entries(i)).unwrap_or_default()
    }

    pub fn update(&mut self, action: Action) -> Effect {
        self.status = None;
        match action {
            Action::Quit => return Effect::Quit,
            Action::InsertChar(c) => {
                self.focus = Focus::Search;
                if !c.is_control() {
                    self.query.text.push(c);
                    self.research(true);
                }
            }
            Action::Backspace => {
                if self.query.text.pop().is_some() {
                    self.research(true);
                }
            }
            Action::ClearQuery => {
                if !self.query.text.is_empty() {
                    self.query.text.clear();
                    self.research(true);
                }
            }
            Action::MoveSelection(delta) => self.select_row(offset_row(self.selected, delta)),
            Action::PageUp => self.select_row(offset_row(self.selected, -self.page_rows())),
            Action::PageDown => self.select_row(offset_row(self.selected, self.page_rows())),
            Action::SelectFirst => self.select_row(0),
            Action::SelectLast => self.select_row(usize::MAX),
            Action::NextTab => self.step_tab(1),
            Action::PrevTab => self.step_tab(-1),
            Action::SelectTab(class) => {
                self.query.class = class;
                self.research(false);
            }
            Action::FocusSearch => self.focus = Focus::Search,
            Action::FocusDetail => {
                if self.current().is_some() {
                    self.focus = Focus::Detail;
                }
            }
            Action::FocusFilters => self.focus = Focus::Filters,
            Action::ScrollDetail(delta) => self.scroll_detail(delta as isize),
            Action::DetailTop => self.detail_scroll = 0,
            Action::DetailBottom => self.scroll_detail(isize::MAX),
            Action::NextLink => self.step_link(1),
            Action::PrevLink => self.step_link(-1),
            Action::FollowLink => self.follow_link(),
            Action::Back => {
                if let Some(entry) = self.history.back() {
                    self.show_entry(entry);
                }
            }
            Action::Forward => {
                if let Some(entry) = self.history.forward() {
                    self.show_entry(entry);
                }
            }
            Action::MoveFilterCursor(delta) => {
                let last = self.facet_values().len().saturating_sub(1);
                self.filter_cursor = offset_row(self.filter_cursor, delta).min(last);
            }
            Action::ToggleFilter => {
                if let Some(value) = self.facet_values().get(self.filter_cursor).cloned() {
                    self.query.filters.toggle(value);
                    self.research(false);
                }
            }
            Action::ClearFilters => {
                self.query.filters.clear();
                self.research(false);
            }
            Action::ToggleHelp => {
                self.help_open = !self.help_open;
                self.help_scroll = 0;
            }
            Action::CloseHelp => self.help_open = false,
            Action::ScrollHelp(delta) => {
                let max = help::max_scroll(self.viewport, &help::lines(self.theme));
                self.help_scroll = offset_row(self.help_scroll, delta).min(max);
            }
            Action::CopyMarkdown => {
                if let Some(entry) = self.current() {
                    self.status = Some(format!("copied {} as Markdown", self.catalogue.entries()[entry].title()));
                    return Effect::Copy(export::markdown(&self.catalogue, entry));
                }
            }
            Action::Resize { width, height } => {
                self.viewport = Rect::new(0, 0, width, height);
                self.keep_selection_visible();
                self.scroll_detail(0);
            }
            Action::Click { column, row } => self.click(Position::new(column, row)),
            Action::Wheel { column, row, down } => self.wheel(Position::new(column, row), down),
        }
        Effect::None
    }

    /// Re-runs the search after the query, tab or filters changed. A new query
    /// selects its best hit; a tab or filter change keeps the selected entry if it
    /// is still there.
    fn research(&mut self, query_changed: bool) {
        let previous = self.current();
        self.results = self.searcher.search(&self.query);
        if let Some(log) = self.log.as_ref().filter(|_| self.query.text.is_empty()) {
            // Stable, so the entries the log lacks keep their order after the others.
            self.results.hits.sort_by_key(|hit| log.rank(hit.entry).unwrap_or(usize::MAX));
        }
        self.pinned = None;
        let kept =
            previous.filter(|_| !query_changed).and_then(|p| self.results.hits.iter().position(|h| h.entry == p));
        self.selected = kept.unwrap_or(0);
        if self.current() != previous {
            self.reset_detail();
        }
        if query_changed {
            self.list_offset = 0;
        }
        self.keep_selection_visible();
    }

    fn step_tab(&mut self, step: isize) {
        let tabs = self.tabs();
        let here = tabs.iter().position(|t| *t == self.query.class).unwrap_or(0);
        let next = (here as isize + step).rem_euclid(tabs.len() as isize) as usize;
        self.query.class = tabs[next];
        self.research(false);
    }

    fn select_row(&mut self, row: usize) {
        let previous = self.current();
        self.selected = row.min(self.row_count().saturating_sub(1));
        if self.current() != previous {
            self.reset_detail();
        }
        self.keep_selection_visible();
    }

    fn page_rows(&self) -> i32 {
        let rows = self.areas().map_or(1, |a| a.result_rows());
        i32::try_from(rows.max(1)).unwrap_or(i32::MAX)
    }

    fn keep_selection_visible(&mut self) {
        let rows = self.areas().map_or(1, |a| a.result_rows()).max(1);
        if self.selected < self.list_offset {
            self.list_offset = self.selected;
        } else if self.selected >= self.list_offset + rows {
            self.list_offset = self.selected + 1 - rows;
        }
        self.list_offset = self.list_offset.min(self.row_count().saturating_sub(rows));
    }

    fn reset_detail(&mut self) {
        self.detail_scroll = 0;
        self.detail_link = None;
    }

    /// The detail panel's text for the current entry at the current width.
    pub fn detail_content(&self) -> Option<entry::Content> {
        let areas = self.areas()?;
        let entry = self.current()?;
        let link = self.detail_link.filter(|_| self.focus == Focus::Detail);
        let mut content =
            entry::content(&self.catalogue, entry, layout::detail_text_width(areas.detail), self.theme, link);
        if let Some((label, counts)) = self.log.as_ref().and_then(|l| Some((&l.label, l.get(entry)?))) {
            let head = log::lines(label, counts, self.theme);
            for link in &mut content.links {
                link.0 += head.len();
            }
            content.lines.splice(0..0, head);
        }
        Some(content)
    }

    fn scroll_detail(&mut self, delta: isize) {
        let (Some(content), Some(areas)) = (self.detail_content(), self.areas()) else {
            return;
        };
        let visible = usize::from(areas.detail.height.saturating_sub(2)).max(1);
        let max = content.lines.len().saturating_sub(visible);
        self.detail_scroll = self.detail_scroll.saturating_add_signed(delta).min(max);
    }

    fn step_link(&mut self, step: isize) {
        let count = self.links().len();
        if count == 0 {
            return;
        }
        self.detail_link = Some(match self.detail_link {
            None if step > 0 => 0,
            None => count - 1,
            Some(i) => (i as isize + step).rem_euclid(count as isize) as usize,
        });
        // Bring the highlighted link into view.
        if let (Some(content), Some(areas), Some(link)) = (self.detail_content(), self.areas(), self.detail_link) {
            let visible = usize::from(areas.detail.height.saturating_sub(2)).max(1);
            if let Some(&(line, _)) = content.links.get(link) {
                if line < self.detail_scroll || line >= self.detail_scroll + visible {
                    self.detail_scroll = line.saturating_sub(visible / 2);
                    self.scroll_detail(0);
                }
            }
        }
    }

    fn follow_link(&mut self) {
        let (Some(from), Some(link)) = (self.current(), self.detail_link) else {
            return;
        };
        if let Some(&to) = self.links().get(link) {
            self.history.follow(from, to);
            self.show_entry(to);
        }
    }

    /// Shows an entry reached by a link or by history, pinning it when the
    /// results hide it.
    fn show_entry(&mut self, entry: usize) {
        self.pinned = Some(entry);
        let row = (0..self.row_count()).find(|&r| self.row(r).is_some_and(|(e, _)| e == entry));
        self.selected = row.unwrap_or(0);
        self.reset_detail();
        self.keep_selection_visible();
    }

    fn click(&mut self, at: Position) {
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

    fn wheel(&mut self, at: Position, down: bool) {
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

/// `row` moved by `delta`, not below zero (the caller clamps the top end).
fn offset_row(row: usize, delta: i32) -> usize {
    row.saturating_add_signed(delta as isize)
}

/// The row inside a bordered area that a position falls on.
fn inner_row(area: Rect, at: Position) -> Option<usize> {
    let top = area.y + 1;
    (at.y >= top && at.y < area.bottom().saturating_sub(1)).then(|| usize::from(at.y - top))
}
