//! The detail panel: its text at the current width, scrolling, and the
//! related-code links followed from it.

use crate::view::{entry, layout};

use super::{App, Focus};

impl App {
    /// The detail panel's text for the current entry at the current width.
    pub fn detail_content(&self) -> Option<entry::Content> {
        let areas = self.areas()?;
        let entry = self.current()?;
        let found_by = self.row(self.selected).and_then(|(_, hit)| hit).and_then(|hit| hit.reason.as_ref());
        let selected_link = self.detail_link.filter(|_| self.focus == Focus::Detail);
        let medium = entry::Medium::Panel { selected_link, found_by };
        let width = layout::detail_text_width(areas.detail);
        let mut content = entry::content(&self.catalogue, entry, width, self.theme, medium);
        self.put_log_lines(entry, width, &mut content);
        Some(content)
    }

    /// Lines of text the detail panel shows at once.
    pub(super) fn detail_rows(&self) -> usize {
        self.areas().map_or(1, |areas| usize::from(areas.detail.height.saturating_sub(2)).max(1))
    }

    pub(super) fn scroll_detail(&mut self, delta: isize) {
        let Some(content) = self.detail_content() else {
            return;
        };
        let visible = self.detail_rows();
        let max = content.lines.len().saturating_sub(visible);
        self.detail_scroll = self.detail_scroll.saturating_add_signed(delta).min(max);
    }

    pub(super) fn step_link(&mut self, step: isize) {
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

    pub(super) fn follow_link(&mut self) {
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
    pub(super) fn show_entry(&mut self, entry: usize) {
        self.pinned = Some(entry);
        let row = (0..self.row_count()).find(|&r| self.row(r).is_some_and(|(e, _)| e == entry));
        self.selected = row.unwrap_or(0);
        self.reset_detail();
        self.keep_selection_visible();
    }
}
