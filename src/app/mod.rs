//! The browser's state and its one way to change: `App::update(Action)`.

use ratatui::layout::{Position, Rect};

pub use crate::action::Focus;

mod detail;
mod editing;
mod list;
mod log;
mod mouse;

use crate::action::Action;
use crate::catalogue::Catalogue;
use crate::edit;
use crate::export;
use crate::history::History;
use crate::keymap;
use crate::search::{FacetValue, Query, Results, Searcher};
use crate::tally::browse::LogCounts;
use crate::view::{help, layout, theme::Theme};

/// What the terminal layer must do after an update.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    None,
    Quit,
    /// Put this text on the clipboard.
    Copy(String),
    /// Give the terminal back to the shell and stop, as Ctrl-Z does elsewhere.
    Suspend,
    /// Clear the screen and draw everything again (Ctrl-L).
    Repaint,
}

/// A catalogue with its searcher built and its index ready, so that a thread
/// other than the browser's can do the work before handing it over.
#[derive(Debug)]
pub struct Searchable {
    catalogue: Catalogue,
    searcher: Searcher,
}

impl Searchable {
    pub fn new(catalogue: Catalogue) -> Self {
        let mut searcher = Searcher::new(&catalogue);
        searcher.prepare();
        Searchable { catalogue, searcher }
    }
}

#[derive(Debug)]
pub struct App {
    pub catalogue: Catalogue,
    searcher: Searcher,
    pub query: Query,
    /// Byte offset of the caret in the query text, on a grapheme boundary.
    pub caret: usize,
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
    /// What was typed in the filter pane to jump to a value ("aws"); any other
    /// action starts it afresh.
    filter_typed: String,
    pub help_open: bool,
    /// First line of the help overlay shown, when it does not fit.
    pub help_scroll: usize,
    /// A short message for the footer ("copied"), cleared by the next action.
    pub status: Option<String>,
    pub history: History,
    /// Counts from `--log`: shown in a column after the codes, and with an empty query the
    /// log's codes come first, most frequent first.
    pub log: Option<LogCounts>,
    pub viewport: Rect,
    pub theme: Theme,
    /// Problems found in the team's overlays, one line each, for the footer: the
    /// browser starts with everything else loaded.
    pub overlay_problems: Vec<String>,
    /// Whether the terminal is sent hyperlinks (OSC 8) for web links.
    pub hyperlinks: bool,
    /// The query text changed and its search has not run yet: edits only mark
    /// it, and the search runs once, before anything that reads the results
    /// (or at `Action::Settle`), so a burst of typing costs one search.
    search_pending: bool,
}

impl App {
    pub fn new(catalogue: Catalogue, viewport: Rect, theme: Theme) -> Self {
        let searcher = Searcher::new(&catalogue);
        let mut app = App {
            catalogue,
            searcher,
            query: Query::default(),
            caret: 0,
            results: Results::default(),
            focus: Focus::Search,
            selected: 0,
            list_offset: 0,
            pinned: None,
            detail_scroll: 0,
            detail_link: None,
            filter_cursor: 0,
            filter_typed: String::new(),
            help_open: false,
            help_scroll: 0,
            status: None,
            history: History::default(),
            log: None,
            viewport,
            theme,
            overlay_problems: Vec::new(),
            hyperlinks: false,
            search_pending: false,
        };
        app.research(true);
        app
    }

    /// Swaps in the catalogue with the team's overlays once they have loaded
    /// (after the first frame), keeping the query, tab, filters and the entry
    /// shown: catalogue positions move when a team's meanings are added, so
    /// entries are found again by code and source, and the visit history,
    /// which holds old positions, starts afresh.
    pub fn add_overlays(&mut self, ready: Searchable, problems: Vec<String>) {
        let Searchable { catalogue, searcher } = ready;
        let key = |app: &App, position: usize| {
            let entry = &app.catalogue.entries()[position];
            (entry.code, entry.source.clone())
        };
        let shown = self.current().map(|p| key(self, p));
        let pinned = self.pinned.map(|p| key(self, p));
        let (offset, scroll, link) = (self.list_offset, self.detail_scroll, self.detail_link);
        self.searcher = searcher;
        self.catalogue = catalogue;
        self.overlay_problems = problems;
        self.history = History::default();
        self.research(false);
        self.pinned = pinned.and_then(|(code, source)| self.catalogue.position(code, &source));
        if let Some(row) = shown
            .and_then(|(code, source)| self.catalogue.position(code, &source))
            .and_then(|p| (0..self.row_count()).find(|&row| self.row(row).is_some_and(|(at, _)| at == p)))
        {
            self.selected = row;
            self.list_offset = offset;
            (self.detail_scroll, self.detail_link) = (scroll, link);
            self.keep_selection_visible();
        }
    }

    /// Starts with a query already typed (`statusbrowse 524`).
    pub fn with_query(mut self, text: &str) -> Self {
        self.query.text = edit::sanitize(text);
        self.caret = self.query.text.len();
        self.research(true);
        self
    }

    pub fn keymap_context(&self) -> keymap::Context {
        keymap::Context { focus: self.focus, help_open: self.help_open, query_empty: self.query.text.is_empty() }
    }

    pub fn areas(&self) -> Option<layout::Areas> {
        layout::areas(self.viewport, self.focus == Focus::Filters)
    }

    pub fn facet_values(&self) -> &[FacetValue] {
        self.searcher.facet_values()
    }

    /// Catalogue positions the current entry links to.
    pub fn links(&self) -> Vec<usize> {
        self.current().map(|i| self.catalogue.related_entries(i)).unwrap_or_default()
    }

    pub fn update(&mut self, action: Action) -> Effect {
        if !self.defers_search(&action) {
            self.run_pending_search();
        }
        match action {
            Action::Settle => return Effect::None,
            Action::PrepareSearch => {
                self.searcher.prepare();
                return Effect::None;
            }
            _ => {}
        }
        // A resize or new log counts are not the user's doing: they keep the
        // message and a jump being typed in the filter pane.
        if !matches!(action, Action::Resize { .. } | Action::LogCounts(_)) {
            self.status = None;
        }
        let typed = std::mem::take(&mut self.filter_typed);
        match action {
            Action::Quit => return Effect::Quit,
            Action::Suspend => return Effect::Suspend,
            Action::SuspendUnavailable => {
                self.status = Some("not suspended: no shell here can resume statusbrowse (fg)".into());
            }
            Action::Repaint => return Effect::Repaint,
            Action::Settle | Action::PrepareSearch => {}
            Action::InsertChar(c) if self.focus == Focus::Filters => self.jump_to_filter(typed, c),
            Action::InsertChar(c) => self.insert(&edit::sanitize(c.encode_utf8(&mut [0; 4]))),
            // Typing is ignored while the help is open; so is pasting.
            Action::Paste(_) if self.help_open => {}
            Action::Paste(text) => self.insert(&edit::sanitize(&text)),
            Action::MoveCaret(movement) => self.caret = self.caret_target(movement),
            Action::DeleteTo(movement) => self.delete_to(movement),
            Action::ClearQuery => {
                self.caret = 0;
                if !self.query.text.is_empty() {
                    self.query.text.clear();
                    self.search_pending = true;
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
            Action::DetailPage(pages) => self.scroll_detail(pages as isize * self.detail_rows() as isize),
            Action::DetailHalfPage(halves) => {
                self.scroll_detail(halves as isize * (self.detail_rows() / 2).max(1) as isize);
            }
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
            Action::ScrollHelp(delta) => self.scroll_help(delta),
            Action::HelpPage(pages) => {
                let lines = help::lines(self.theme);
                let visible = help::popup(self.viewport, &lines).height.saturating_sub(2).max(1);
                self.scroll_help(pages.saturating_mul(i32::from(visible)));
            }
            Action::CopyMarkdown => {
                if let Some(entry) = self.current() {
                    // OSC 52 has no reply: the terminal may refuse it, so say where it went, not "copied".
                    let title = self.catalogue.entries()[entry].title();
                    self.status = Some(format!("sent {title} to the clipboard as Markdown"));
                    return Effect::Copy(export::markdown(&self.catalogue, entry));
                }
            }
            Action::LogCounts(counts) => {
                self.filter_typed = typed;
                self.replace_log(counts);
            }
            Action::Resize { width, height } => {
                self.viewport = Rect::new(0, 0, width, height);
                self.scroll_detail(0);
            }
            Action::Click { column, row } => self.click(Position::new(column, row)),
            Action::Wheel { column, row, down } => self.wheel(Position::new(column, row), down),
        }
        // Opening the filter pane or resizing shortens the list without moving
        // the selection: scroll to it whatever changed.
        self.keep_selection_visible();
        Effect::None
    }

    /// Edits to the query text wait for one search; everything else sees fresh results.
    fn defers_search(&self, action: &Action) -> bool {
        match action {
            Action::InsertChar(_) => self.focus != Focus::Filters,
            Action::Paste(_) | Action::MoveCaret(_) | Action::DeleteTo(_) | Action::ClearQuery => true,
            _ => false,
        }
    }

    fn run_pending_search(&mut self) {
        if std::mem::take(&mut self.search_pending) {
            self.research(true);
        }
    }

    /// Re-runs the search after the query, tab or filters changed. A new query
    /// selects its best hit; a tab or filter change keeps the selected entry if it
    /// is still there.
    fn research(&mut self, query_changed: bool) {
        let previous = self.current();
        self.results = self.searcher.search(&self.query);
        self.sort_by_log();
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

    fn reset_detail(&mut self) {
        self.detail_scroll = 0;
        self.detail_link = None;
    }

    fn scroll_help(&mut self, delta: i32) {
        let max = help::max_scroll(self.viewport, &help::lines(self.theme));
        self.help_scroll = offset_row(self.help_scroll, delta).min(max);
    }
}

/// `row` moved by `delta`, not below zero (the caller clamps the top end).
pub(super) fn offset_row(row: usize, delta: i32) -> usize {
    row.saturating_add_signed(delta as isize)
}
