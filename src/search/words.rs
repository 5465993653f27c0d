//! Prose matched by words and word prefixes.
//!
//! Every distinct word of the catalogue's prose gets an id in alphabetical order,
//! so the words starting with a prefix are one contiguous id range, found once
//! per query. Each entry keeps its word ids sorted in a flat array: checking an
//! entry is a binary search over a few hundred integers, not over scattered strings.

use std::ops::Range;

use memchr::memmem::Finder;

/// Every distinct lower-case word, sorted; a word's id is its position.
#[derive(Debug, Default)]
pub struct Vocabulary {
    words: Vec<Box<str>>,
}

impl Vocabulary {
    pub fn new<'a>(texts: impl IntoIterator<Item = &'a str>) -> Self {
        let mut words: Vec<Box<str>> =
            texts.into_iter().flat_map(|t| t.split(' ')).filter(|w| !w.is_empty()).map(Box::from).collect();
        words.sort_unstable();
        words.dedup();
        Vocabulary { words }
    }

    fn id(&self, word: &str) -> Option<u32> {
        self.words.binary_search_by(|w| (**w).cmp(word)).ok().map(|i| i as u32)
    }

    /// Ids of the words starting with `prefix`.
    pub fn prefix_range(&self, prefix: &str) -> Range<u32> {
        let start = self.words.partition_point(|w| &**w < prefix);
        let len = self.words[start..].partition_point(|w| w.starts_with(prefix));
        start as u32..(start + len) as u32
    }

    /// Ids of the words ending with `suffix`, sorted.
    pub fn suffix_ids(&self, suffix: &str) -> Vec<u32> {
        (0..self.words.len()).filter(|&i| self.words[i].ends_with(suffix)).map(|i| i as u32).collect()
    }

    /// Where a query word can match, worked out once per query.
    pub fn lookup(&self, needle: &str, kind: WordKind) -> Lookup {
        match kind {
            WordKind::Prefix => Lookup::Prefix { range: self.prefix_range(needle), whole: self.id(needle) },
            WordKind::Exact => Lookup::Ids(self.id(needle).into_iter().collect()),
            WordKind::Suffix => Lookup::Ids(self.suffix_ids(needle)),
            WordKind::Substring => Lookup::Substring,
        }
    }
}

/// How a query word matches prose.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WordKind {
    Prefix,
    Exact,
    Suffix,
    Substring,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup {
    /// Words starting with the needle; `whole` is the needle itself as a word.
    Prefix { range: Range<u32>, whole: Option<u32> },
    /// Any of these words.
    Ids(Vec<u32>),
    /// Anywhere in the running text, across word boundaries.
    Substring,
}

/// One entry's prose: the running text and its words with how often each occurs
/// (an entry that keeps mentioning "Retry-After" is about it).
#[derive(Debug, Default)]
pub struct Words {
    /// Lower-case words separated by single spaces.
    text: String,
    /// (word id, occurrences), sorted by id.
    ids: Vec<(u32, u32)>,
}

impl Words {
    pub fn new(text: String, vocabulary: &Vocabulary) -> Self {
        let mut ids: Vec<u32> = text
            .split(' ')
            .filter(|w| !w.is_empty())
            .map(|w| vocabulary.id(w).expect("the vocabulary has every word"))
            .collect();
        ids.sort_unstable();
        let mut counted: Vec<(u32, u32)> = Vec::new();
        for id in ids {
            match counted.last_mut() {
                Some((last, count)) if *last == id => *count += 1,
                _ => counted.push((id, 1)),
            }
        }
        Words { text, ids: counted }
    }

    fn count_in(&self, range: &Range<u32>) -> u32 {
        let start = self.ids.partition_point(|&(id, _)| id < range.start);
        self.ids[start..].iter().take_while(|(id, _)| *id < range.end).map(|(_, n)| n).sum()
    }

    fn count_of(&self, id: u32) -> u32 {
        self.ids.binary_search_by_key(&id, |&(id, _)| id).map_or(0, |i| self.ids[i].1)
    }

    pub fn contains(&self, needle: &Finder) -> bool {
        needle.find(self.text.as_bytes()).is_some()
    }

    /// Occurrences in the running text, so several words in a row can match.
    pub fn substring_count(&self, needle: &str) -> u32 {
        u32::try_from(self.text.matches(needle).count()).unwrap_or(u32::MAX)
    }

    /// How often the word occurs here, and whether as a whole word rather than
    /// only as a prefix. `needle` is the lower-case text, for substring matches.
    pub fn occurrences(&self, lookup: &Lookup, needle: &str) -> (u32, bool) {
        match lookup {
            Lookup::Prefix { range, whole } => {
                let whole = whole.is_some_and(|id| self.count_of(id) > 0);
                (self.count_in(range), whole)
            }
            Lookup::Ids(ids) => (ids.iter().map(|&id| self.count_of(id)).sum(), true),
            Lookup::Substring => (self.substring_count(needle), false),
        }
    }
}

/// Lower-cases text and joins its words with single spaces, as prose is indexed.
pub fn normalise<'a>(parts: impl IntoIterator<Item = &'a str>) -> String {
    let mut text = String::new();
    for part in parts {
        for word in part.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
            if !text.is_empty() {
                text.push(' ');
            }
            text.extend(word.chars().flat_map(char::to_lowercase));
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefix_ranges_count_every_occurrence() {
        let text = normalise(["Retry-After: retry later, after the retries"]);
        let vocabulary = Vocabulary::new([text.as_str()]);
        let words = Words::new(text, &vocabulary);
        let retry = vocabulary.lookup("retr", WordKind::Prefix);
        assert_eq!(words.occurrences(&retry, "retr"), (3, false));
        let after = vocabulary.lookup("after", WordKind::Prefix);
        assert_eq!(words.occurrences(&after, "after"), (2, true));
        let missing = vocabulary.lookup("zzz", WordKind::Prefix);
        assert_eq!(words.occurrences(&missing, "zzz"), (0, false));
        let suffix = vocabulary.lookup("ies", WordKind::Suffix);
        assert_eq!(words.occurrences(&suffix, "ies").0, 1);
        assert_eq!(words.occurrences(&Lookup::Substring, "retry after").0, 1);
    }
}
