//! The code typed (`524`), the codes a prefix starts (`52`) and classes (`5xx`).

use crate::catalogue::Entry;

use super::super::parse::Word;
use super::words::Group;
use super::{Ranker, SHORT_QUERY};

const CODE_EXACT: u32 = 1_000_000;
/// An exact code among many words (a pasted line) still leads, but a long signal
/// run can compete with it.
const CODE_IN_LONG_QUERY: u32 = 150_000;
const CODE_PREFIX: u32 = 500_000;
/// Within a class, registered meanings before vendor ones.
const REGISTERED: u32 = 1_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum CodeMatch {
    None,
    /// The first this many digits of the code were typed.
    Digits(u32),
}

impl Ranker {
    /// Marks the entries whose code the word is, starts, or whose class it names;
    /// returns how many.
    pub(super) fn match_codes(
        &mut self,
        entries: &[Entry],
        g: usize,
        word: &Word,
        lone: bool,
        query_len: usize,
    ) -> usize {
        let mut count = 0;
        // In a pasted line a class is prose ("between 1xx and 5xx"): listing the
        // whole class would bury the line's own entry.
        let class = word.class_digit().filter(|_| query_len <= SHORT_QUERY);
        let code = word.is_code() && (word.text.len() == 3 || lone) && (query_len <= SHORT_QUERY || word.bare);
        if class.is_none() && !code {
            return 0;
        }
        for (e, entry) in entries.iter().enumerate() {
            let label = entry.code_label();
            let digits = match class {
                Some(digit) => (label.len() == 3 && label.as_bytes()[0] == b'0' + digit).then_some(1),
                None => label.starts_with(&word.text).then_some(word.text.len() as u32),
            };
            if let Some(digits) = digits {
                self.candidate(e);
                self.matched[e] |= 1 << g;
                self.code[e] = CodeMatch::Digits(digits.max(self.code_digits(e)));
                count += 1;
            }
        }
        count
    }

    fn code_digits(&self, e: usize) -> u32 {
        match self.code[e] {
            CodeMatch::Digits(n) => n,
            CodeMatch::None => 0,
        }
    }

    pub(super) fn code_bonus(&self, entries: &[Entry], e: usize, groups: &[Group], query_len: usize) -> u32 {
        let entry = &entries[e];
        let exact = groups.iter().any(|g| g.word.text == entry.code_label());
        if exact {
            return if query_len <= SHORT_QUERY { CODE_EXACT } else { CODE_IN_LONG_QUERY };
        }
        let class_query = groups.iter().any(|g| g.word.class_digit().is_some());
        CODE_PREFIX + if class_query && entry.is_registered() { REGISTERED } else { 0 }
    }
}
