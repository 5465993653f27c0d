//! The browser opened on a log (`--log`, `tally --open`): the log's codes come
//! first while no query is typed, and the detail panel says what the log holds
//! for the entry.

use crate::tally::browse::LogCounts;
use crate::view::{entry, log};

use super::App;

impl App {
    /// Starts on a log's counts, with its most frequent code selected.
    pub fn with_log(mut self, log: LogCounts) -> Self {
        self.log = Some(log);
        self.research(true);
        self
    }

    /// New counts of the log being followed. In the log's order the list is
    /// sorted again and the selected entry stays selected where it went; the
    /// first counts of a log that had none select its most frequent code.
    pub(super) fn replace_log(&mut self, counts: LogCounts) {
        let first = self.log.as_ref().is_none_or(LogCounts::is_empty);
        self.log = Some(counts);
        if self.log_order() {
            self.research(first);
        }
    }

    /// Whether the results are in the log's order (a log is loaded and no query typed).
    pub fn log_order(&self) -> bool {
        self.log.is_some() && self.query.text.is_empty()
    }

    /// With a log and no query, its codes first, most frequent first.
    pub(super) fn sort_by_log(&mut self) {
        if let Some(log) = self.log.as_ref().filter(|_| self.query.text.is_empty()) {
            // Stable, so the entries the log lacks keep their order after the others.
            self.results.hits.sort_by_key(|hit| log.rank(hit.entry).unwrap_or(usize::MAX));
        }
    }

    /// Puts the log's lines for `entry` above its text (`width` cells wide),
    /// moving the links down with it.
    pub(super) fn put_log_lines(&self, entry: usize, width: usize, content: &mut entry::Content) {
        let Some(log) = &self.log else { return };
        let Some(counts) = log.get(entry) else { return };
        content.prepend(log::lines(&log.label, counts, width, self.theme));
    }
}
