//! The most frequent values of a field in bounded memory: the Space-Saving
//! algorithm (Metwally, Agrawal, El Abbadi, 2005). Up to `CAPACITY` values
//! are counted exactly; past that, a new value takes the place of the least
//! counted one and inherits its count as an error bound, so a value that is
//! truly frequent is never pushed out and every count shown is at most
//! `error` too high.

use std::hash::BuildHasher;

use foldhash::fast::FixedState;

/// Values tracked per field per code.
pub const CAPACITY: usize = 64;
/// Longer values are cut (a URL with a huge query string).
const MAX_VALUE: usize = 200;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub value: Vec<u8>,
    pub count: u64,
    /// How much of `count` may belong to values it replaced.
    pub error: u64,
}

#[derive(Debug, Clone, Default)]
pub struct Top {
    entries: Vec<Entry>,
    /// Each entry's value hashed, in the same order. A scan of these 64
    /// numbers finds a value; a hash map did too, but a flood of distinct
    /// values (clients) evicts on nearly every line, and each eviction cost
    /// the map a removal and an insertion, where here it is one overwrite.
    hashes: Vec<u64>,
    /// No count is below this (counts only grow), so a search for the least
    /// counted entry can stop at the first one that has it.
    floor: u64,
    /// Where the last search stopped; the next starts after it, past the
    /// entries just seen to be above the floor.
    cursor: usize,
}

impl Top {
    pub fn add(&mut self, value: &[u8]) {
        let value = &value[..value.len().min(MAX_VALUE)];
        let hash = FixedState::default().hash_one(value);
        let found = self.hashes.iter().zip(&self.entries).position(|(&h, e)| h == hash && e.value == value);
        if let Some(at) = found {
            self.entries[at].count += 1;
            return;
        }
        if self.entries.len() < CAPACITY {
            self.hashes.push(hash);
            self.entries.push(Entry { value: value.to_vec(), count: 1, error: 0 });
            return;
        }
        let least = self.least();
        // The evicted value's buffer is reused, not reallocated.
        self.hashes[least] = hash;
        let entry = &mut self.entries[least];
        entry.value.clear();
        entry.value.extend_from_slice(value);
        entry.error = entry.count;
        entry.count += 1;
    }

    /// An entry with the smallest count (any of them will do for Space-Saving).
    fn least(&mut self) -> usize {
        let len = self.entries.len();
        let mut least = self.cursor % len;
        for step in 0..len {
            let at = (self.cursor + step) % len;
            if self.entries[at].count == self.floor {
                least = at;
                break;
            }
            if self.entries[at].count < self.entries[least].count {
                least = at;
            }
        }
        self.floor = self.entries[least].count;
        self.cursor = least + 1;
        least
    }

    /// Adds the summary of the values that came after this one's (the second
    /// part of a file read in two parts at once), as the parallel Space-Saving
    /// of Cafaro, Pulimeno and Tempesta (2016) merges: a value one summary
    /// lacks is given that summary's least count, which no forgotten value
    /// exceeds (0 while it is not full), as both count and error; the
    /// `CAPACITY` most counted are kept. The guarantees stay: every count is at
    /// least the truth and at most `error` above it, and a value with more than
    /// total / `CAPACITY` occurrences is kept. While both sides are exact and
    /// together hold at most `CAPACITY` values, so is the result.
    pub fn merge(&mut self, later: Top) {
        let floor = |top: &Top| {
            if top.entries.len() < CAPACITY { 0 } else { top.entries.iter().map(|e| e.count).min().unwrap_or(0) }
        };
        let (mine, theirs) = (floor(self), floor(&later));
        let mut merged: Vec<Entry> = Vec::with_capacity(self.entries.len() + later.entries.len());
        for entry in std::mem::take(&mut self.entries) {
            merged.push(Entry { count: entry.count + theirs, error: entry.error + theirs, ..entry });
        }
        for entry in later.entries {
            match merged.iter_mut().find(|e| e.value == entry.value) {
                Some(both) => {
                    (both.count, both.error) = (both.count - theirs + entry.count, both.error - theirs + entry.error)
                }
                None => merged.push(Entry { count: entry.count + mine, error: entry.error + mine, ..entry }),
            }
        }
        merged.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
        merged.truncate(CAPACITY);
        self.hashes = merged.iter().map(|e| FixedState::default().hash_one(e.value.as_slice())).collect();
        self.entries = merged;
        (self.floor, self.cursor) = (0, 0);
    }

    /// The `n` most counted, most first (ties by value).
    pub fn top(&self, n: usize) -> Vec<&Entry> {
        let mut entries: Vec<&Entry> = self.entries.iter().collect();
        entries.sort_by(|a, b| b.count.cmp(&a.count).then(a.value.cmp(&b.value)));
        entries.truncate(n);
        entries
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use proptest::prelude::*;

    use super::*;

    #[test]
    fn exact_while_it_fits() {
        let mut top = Top::default();
        for value in ["a", "b", "a", "c", "a", "b"] {
            top.add(value.as_bytes());
        }
        let shown: Vec<(&[u8], u64, u64)> = top.top(2).iter().map(|e| (e.value.as_slice(), e.count, e.error)).collect();
        assert_eq!(shown, [(b"a".as_slice(), 3, 0), (b"b".as_slice(), 2, 0)]);
    }

    #[test]
    fn a_value_forgotten_by_the_first_part_is_not_undercounted() {
        let (mut first, mut second) = (Top::default(), Top::default());
        for _ in 0..3 {
            first.add(b"v");
        }
        for n in 0..CAPACITY * 10 {
            first.add(n.to_string().as_bytes());
        }
        assert!(!first.entries.iter().any(|e| e.value == b"v"), "pushed out by the flood");
        for _ in 0..5 {
            second.add(b"v");
        }
        first.merge(second);
        let v = first.entries.iter().find(|e| e.value == b"v").unwrap();
        assert!(v.count >= 8 && v.count - v.error <= 8, "{v:?}");
    }

    proptest! {
        /// A value with more than total / CAPACITY occurrences is always kept,
        /// and every count is within its error of the truth.
        #[test]
        fn frequent_values_survive_a_flood(noise in proptest::collection::vec(0u32..100_000, 0..3000), every in 2usize..10) {
            let mut top = Top::default();
            let mut truth: HashMap<Vec<u8>, u64> = HashMap::new();
            for (i, n) in noise.iter().enumerate() {
                let value = if i % every == 0 { b"hot".to_vec() } else { n.to_string().into_bytes() };
                *truth.entry(value.clone()).or_default() += 1;
                top.add(&value);
            }
            let total = noise.len() as u64;
            for (value, count) in &truth {
                let kept = top.entries.iter().find(|e| &e.value == value);
                if *count > total / CAPACITY as u64 {
                    prop_assert!(kept.is_some(), "{value:?} ({count} of {total}) was pushed out");
                }
                if let Some(kept) = kept {
                    prop_assert!(kept.count >= *count && kept.count - kept.error <= *count);
                }
            }
            prop_assert!(top.entries.len() <= CAPACITY && top.hashes.len() == top.entries.len());
        }

        /// The same holds for a stream summarised in two parts and merged,
        /// and values that fit are counted exactly.
        #[test]
        fn merged_summaries_keep_the_guarantees(
            values in proptest::collection::vec(0u32..300, 0..3000),
            hot in 1u32..300,
            every in 2usize..10,
            cut in 0usize..3000,
        ) {
            let values: Vec<u32> = values.iter().enumerate().map(|(i, &v)| if i % every == 0 { hot } else { v }).collect();
            let cut = cut.min(values.len());
            let (mut first, mut second) = (Top::default(), Top::default());
            let mut truth: HashMap<u32, u64> = HashMap::new();
            for (i, value) in values.iter().enumerate() {
                *truth.entry(*value).or_default() += 1;
                let part = if i < cut { &mut first } else { &mut second };
                part.add(value.to_string().as_bytes());
            }
            first.merge(second);
            let total = values.len() as u64;
            for (value, count) in &truth {
                let kept = first.entries.iter().find(|e| e.value == value.to_string().as_bytes());
                if *count > total / CAPACITY as u64 || truth.len() <= CAPACITY {
                    prop_assert!(kept.is_some(), "{value} ({count} of {total}) was pushed out");
                }
                if let Some(kept) = kept {
                    prop_assert!(kept.count >= *count && kept.count - kept.error <= *count);
                    if truth.len() <= CAPACITY {
                        prop_assert_eq!((kept.count, kept.error), (*count, 0));
                    }
                }
            }
            // It goes on counting as a summary read in one go does.
            first.add(b"after");
            prop_assert!(first.entries.len() <= CAPACITY && first.hashes.len() == first.entries.len());
            prop_assert!(first.entries.iter().any(|e| e.value == b"after"));
        }
    }
}
