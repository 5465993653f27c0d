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
    }
}
