//! Okapi BM25 over the index's postings: how much of the query an entry explains.

use super::super::index::{FIELDS, Field, Index};
use super::Ranker;
use super::words::Group;

/// BM25's term-frequency saturation.
const K1: f32 = 1.2;
/// BM25 points are scaled to sit below every bonus.
pub(super) const BM25_SCALE: f32 = 10.0;

impl Ranker {
    /// Adds one word's BM25 points to every entry containing it.
    pub(super) fn accumulate(&mut self, index: &Index, entry_count: usize, g: usize, group: &mut Group) {
        self.generation += 1;
        let mut touched: Vec<u32> = Vec::new();
        for term in &group.terms {
            for posting in index.postings(term.term) {
                let e = posting.entry as usize;
                if self.stamp[e] != self.generation {
                    self.stamp[e] = self.generation;
                    self.frequencies[e] = [0.0; FIELDS];
                    touched.push(posting.entry);
                }
                self.frequencies[e][posting.field as usize] += term.quality * f32::from(posting.count);
            }
        }
        group.document_frequency = touched.len();
        let n = entry_count as f32;
        let df = touched.len() as f32;
        group.idf = (1.0 + (n - df + 0.5) / (df + 0.5)).ln();
        for &e in &touched {
            let e = e as usize;
            let mut points = 0.0;
            let mut fields = 0u8;
            for (f, &tf) in self.frequencies[e].iter().enumerate() {
                if tf > 0.0 {
                    points += FIELD_WEIGHTS[f] * tf * (K1 + 1.0) / (tf + K1);
                    fields |= 1 << f;
                }
            }
            self.candidate(e);
            self.bm25[e] += group.idf * points;
            self.matched[e] |= 1 << g;
            self.fields[e] |= fields;
        }
    }
}

const FIELD_WEIGHTS: [f32; FIELDS] = [
    Field::Phrase.weight(),
    Field::Alias.weight(),
    Field::Signal.weight(),
    Field::Source.weight(),
    Field::Summary.weight(),
    Field::Labels.weight(),
    Field::Prose.weight(),
];
