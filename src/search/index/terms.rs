//! The catalogue's words, sorted, in one string.

/// Every distinct word, sorted: a word's id is its position, so the words with a
/// prefix are one id range. One string for all of them, so reading the stored
/// index makes no allocation per word.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Terms {
    pub(super) text: String,
    /// Where each word ends in `text`; the next starts there.
    pub(super) ends: Vec<u32>,
}

impl Terms {
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn get(&self, id: u32) -> &str {
        let id = id as usize;
        let start = if id == 0 { 0 } else { self.ends[id - 1] as usize };
        &self.text[start..self.ends[id] as usize]
    }

    /// (id, word) in id order.
    pub fn iter(&self) -> impl Iterator<Item = (u32, &str)> {
        (0..self.len() as u32).map(|id| (id, self.get(id)))
    }

    /// The first id whose word is not `before` (words must be `before` up to some id).
    pub(super) fn partition_point(&self, before: impl Fn(&str) -> bool) -> u32 {
        let (mut low, mut high) = (0, self.len() as u32);
        while low < high {
            let middle = low + (high - low) / 2;
            if before(self.get(middle)) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        low
    }
}

impl FromIterator<Box<str>> for Terms {
    fn from_iter<I: IntoIterator<Item = Box<str>>>(words: I) -> Self {
        let mut terms = Terms::default();
        for word in words {
            terms.text.push_str(&word);
            terms.ends.push(terms.text.len() as u32);
        }
        terms
    }
}
