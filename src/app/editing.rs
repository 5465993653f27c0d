//! The search box's line editing: text goes in at the caret, movements and
//! deletions follow readline.

use crate::action::CaretMove;
use crate::edit;
use crate::view::text;

use super::{App, Focus};

impl App {
    /// Typing or pasting: the text goes in at the caret, and focus to the search box.
    pub(super) fn insert(&mut self, text: &str) {
        // Typed from another pane, where the caret is not shown, text goes to
        // the query's end rather than into a word the caret was left in.
        if self.focus != Focus::Search {
            self.caret = self.query.text.len();
        }
        self.focus = Focus::Search;
        if !text.is_empty() {
            self.query.text.insert_str(self.caret, text);
            self.caret += text.len();
            self.search_pending = true;
        }
    }

    /// Typing in the filter pane moves to the first value whose name, or a word
    /// of it, starts with what was typed (`aws` → AWS ELB); a letter that
    /// matches nothing after the others starts a new search.
    pub(super) fn jump_to_filter(&mut self, mut typed: String, c: char) {
        typed.push(c);
        let find = |typed: &str| self.facet_values().iter().position(|v| text::name_matches(v.label(), typed));
        let found = find(&typed).or_else(|| {
            typed = c.to_string();
            find(&typed)
        });
        if let Some(value) = found {
            self.filter_cursor = value;
        }
        self.filter_typed = typed;
    }

    /// Deletes between the caret and where a movement would take it.
    pub(super) fn delete_to(&mut self, movement: CaretMove) {
        let target = self.caret_target(movement);
        let range = self.caret.min(target)..self.caret.max(target);
        if !range.is_empty() {
            self.query.text.replace_range(range.clone(), "");
            self.caret = range.start;
            self.search_pending = true;
        }
    }

    /// Where a caret movement lands in the query.
    pub(super) fn caret_target(&self, movement: CaretMove) -> usize {
        let (text, caret) = (self.query.text.as_str(), self.caret);
        match movement {
            CaretMove::Left => edit::previous_grapheme(text, caret),
            CaretMove::Right => edit::next_grapheme(text, caret),
            CaretMove::WordLeft => edit::word_start(text, caret),
            CaretMove::WordRight => edit::word_end(text, caret),
            CaretMove::BlankWordLeft => edit::whitespace_word_start(text, caret),
            CaretMove::Start => 0,
            CaretMove::End => text.len(),
        }
    }
}
