//! The inverted index: every word of the catalogue, which entries and fields it
//! occurs in, and each short field as a sequence of words. Made on the first
//! query that needs it: read back from the bytes `build.rs` wrote for the
//! embedded catalogue (see [`stored`]), built from the entries for any other.

use std::collections::HashMap;
use std::ops::Deref;

use foldhash::fast::FixedState;

use crate::catalogue::Entry;

use super::tokens::{for_each_token, is_stopword};

mod stored;
mod terms;

pub use terms::Terms;

/// Where in an entry a word occurs. Names and signals are short and kept as word
/// sequences (for phrase runs and highlights); the rest is counted only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Phrase = 0,
    Alias = 1,
    Signal = 2,
    Source = 3,
    Summary = 4,
    /// Reference, class, lifecycle, recommendation, signal emitters.
    Labels = 5,
    /// Explanation, situations, checks, notes, related codes.
    Prose = 6,
}

pub const FIELDS: usize = 7;

impl Field {
    /// How much one occurrence counts: names and signals above prose.
    pub const fn weight(self) -> f32 {
        [6.0, 5.0, 5.0, 4.0, 2.0, 1.5, 1.0][self as usize]
    }
}

/// One (entry, field) pair a word occurs in, and how often.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Posting {
    pub entry: u32,
    pub field: Field,
    pub count: u16,
}

const POSTINGS_PER_ENTRY: usize = 400;
const WORDS_PER_ENTRY: usize = 60;

/// Where something sits in one of the index's flat tables: one allocation per
/// table instead of one per name, signal and entry keeps a search's passes over
/// thousands of entries in cache, and the stored index quick to read.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Extent {
    start: u32,
    end: u32,
}

impl Extent {
    fn of<T>(table: &[T], start: usize) -> Self {
        Extent { start: start as u32, end: table.len() as u32 }
    }

    fn range(self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }

    pub fn len(self) -> usize {
        self.range().len()
    }
}

/// A name or signal: its words in `Index::sequence_terms` and `Index::sequence_spans`.
pub type Sequence = Extent;

/// The word sequences of one entry.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Document {
    pub phrase: Sequence,
    /// In `Index::sequences`.
    aliases: Extent,
    pub source: Sequence,
    /// In `Index::sequences`.
    signals: Extent,
    /// In `Index::pairs`.
    pairs: Extent,
}

#[derive(Debug, Default, PartialEq, Eq)]
pub struct Index {
    pub terms: Terms,
    /// Letters present in each term, one bit per a–z, for the typo pre-check.
    pub letters: Vec<u32>,
    /// Every term's postings in entry order, one term after another.
    postings: Vec<Posting>,
    /// Where each term's postings start in `postings`; one more for the end.
    posting_starts: Vec<u32>,
    /// The words of every name and signal, one after another: term ids, and
    /// character spans for highlights.
    sequence_terms: Vec<u32>,
    sequence_spans: Vec<(u32, u32)>,
    /// Aliases and signals, each entry's together.
    sequences: Vec<Sequence>,
    /// Adjacent word pairs of each entry's summary and prose: "retry after" side
    /// by side says more than both words apart.
    pairs: Vec<(u32, u32)>,
    pub documents: Vec<Document>,
}

/// Builds the index in one pass over the text, with provisional ids in order of
/// first appearance, then renumbers the terms alphabetically.
#[derive(Default)]
struct Builder {
    /// Words of up to 16 bytes, packed into a number: hashing and comparing one
    /// integer is most of what makes start-up fast.
    short_ids: HashMap<u128, u32, FixedState>,
    long_ids: HashMap<Box<str>, u32, FixedState>,
    /// Provisional id → word.
    words_by_id: Vec<Box<str>>,
    /// (provisional term id, posting), in entry order.
    postings: Vec<(u32, Posting)>,
    /// Per provisional id: the field it was last counted in and its posting
    /// there, so occurrences are counted without sorting.
    last_field: Vec<(u32, u32)>,
    fields_read: u32,
    /// Words of the text being read: (id, start, end).
    words: Vec<(u32, u32, u32)>,
    /// The index's flat tables, with provisional ids.
    sequence_terms: Vec<u32>,
    sequence_spans: Vec<(u32, u32)>,
    sequences: Vec<Sequence>,
    pairs: Vec<(u32, u32)>,
}

impl Builder {
    fn id(&mut self, word: &str) -> u32 {
        let next = self.words_by_id.len() as u32;
        let id = match packed(word) {
            Some(key) => *self.short_ids.entry(key).or_insert(next),
            None => match self.long_ids.get(word) {
                Some(&id) => id,
                None => *self.long_ids.entry(word.into()).or_insert(next),
            },
        };
        if id == next {
            self.words_by_id.push(word.into());
            self.last_field.push((u32::MAX, 0));
        }
        id
    }

    /// Adds the words of `texts` as one field of an entry; returns the sequence
    /// when `keep_sequence`.
    fn field<'a>(
        &mut self,
        entry: u32,
        field: Field,
        texts: impl IntoIterator<Item = &'a str>,
        keep_sequence: bool,
    ) -> Sequence {
        let first_word = self.sequence_terms.len();
        self.fields_read += 1;
        for text in texts {
            let mut words = std::mem::take(&mut self.words);
            words.clear();
            for_each_token(text, |word, start, end| {
                // Prose is counted, not quoted: its stopwords would only cost time.
                if keep_sequence || !is_stopword(word) {
                    words.push((self.id(word), start, end));
                }
            });
            if !keep_sequence {
                self.pairs.extend(words.windows(2).map(|w| (w[0].0, w[1].0)));
            }
            for &(id, start, end) in &words {
                let (last_field, at) = &mut self.last_field[id as usize];
                if *last_field == self.fields_read {
                    let count = &mut self.postings[*at as usize].1.count;
                    *count = count.saturating_add(1);
                } else {
                    *last_field = self.fields_read;
                    *at = self.postings.len() as u32;
                    self.postings.push((id, Posting { entry, field, count: 1 }));
                }
                if keep_sequence {
                    self.sequence_terms.push(id);
                    self.sequence_spans.push((start, end));
                }
            }
            self.words = words;
        }
        Extent::of(&self.sequence_terms, first_word)
    }

    /// Adds each text as a field of its own, kept as a sequence; returns where
    /// they sit in the table of sequences.
    fn sequences<'a>(&mut self, entry: u32, field: Field, texts: impl IntoIterator<Item = &'a str>) -> Extent {
        let first = self.sequences.len();
        for text in texts {
            let sequence = self.field(entry, field, [text], true);
            self.sequences.push(sequence);
        }
        Extent::of(&self.sequences, first)
    }
}

impl Index {
    pub fn new(entries: &[Entry]) -> Self {
        let mut builder = Builder::default();
        // About what the embedded catalogue needs per entry, so the tables rarely grow.
        builder.postings.reserve(entries.len() * POSTINGS_PER_ENTRY);
        builder.short_ids.reserve(entries.len() * WORDS_PER_ENTRY);
        let mut documents = Vec::with_capacity(entries.len());
        for (position, entry) in entries.iter().enumerate() {
            let e = position as u32;
            let phrase = builder.field(e, Field::Phrase, [&*entry.phrase], true);
            let aliases = builder.sequences(e, Field::Alias, entry.aliases.iter().map(Deref::deref));
            let source = builder.field(e, Field::Source, [&*entry.source], true);
            let signals = builder.sequences(e, Field::Signal, signal_texts(entry));
            let first_pair = builder.pairs.len();
            builder.field(e, Field::Summary, [&*entry.summary], false);
            builder.field(e, Field::Labels, labels(entry), false);
            let related: Vec<String> = entry.related.iter().map(|r| format!("{:03}", r.code)).collect();
            builder.field(e, Field::Prose, prose(entry).chain(related.iter().map(String::as_str)), false);
            let pairs = Extent::of(&builder.pairs, first_pair);
            documents.push(Document { phrase, aliases, source, signals, pairs });
        }
        Self::sorted(builder, documents)
    }

    /// Renumbers terms alphabetically, so prefix lookups are a binary search.
    fn sorted(mut builder: Builder, documents: Vec<Document>) -> Self {
        // Sorting by the first eight bytes as a number first spares most string
        // comparisons.
        let mut by_name: Vec<(u64, Box<str>, u32)> = builder
            .words_by_id
            .into_iter()
            .enumerate()
            .map(|(id, term)| (leading_bytes(&term), term, id as u32))
            .collect();
        by_name.sort_unstable();
        let by_name: Vec<(Box<str>, u32)> = by_name.into_iter().map(|(_, term, id)| (term, id)).collect();
        let mut new_id = vec![0u32; by_name.len()];
        for (new, (_, old)) in by_name.iter().enumerate() {
            new_id[*old as usize] = new as u32;
        }
        // A counting sort by new term id keeps each term's postings in entry order.
        let mut posting_starts = vec![0u32; by_name.len() + 1];
        for (old, _) in &builder.postings {
            posting_starts[new_id[*old as usize] as usize + 1] += 1;
        }
        for i in 1..posting_starts.len() {
            posting_starts[i] += posting_starts[i - 1];
        }
        let mut next = posting_starts.clone();
        let empty = Posting { entry: 0, field: Field::Prose, count: 0 };
        let mut postings = vec![empty; builder.postings.len()];
        for (old, posting) in builder.postings {
            let slot = &mut next[new_id[old as usize] as usize];
            postings[*slot as usize] = posting;
            *slot += 1;
        }
        for term in &mut builder.sequence_terms {
            *term = new_id[*term as usize];
        }
        for (first, second) in &mut builder.pairs {
            *first = new_id[*first as usize];
            *second = new_id[*second as usize];
        }
        let terms: Terms = by_name.into_iter().map(|(term, _)| term).collect();
        let letters = terms.iter().map(|(_, t)| letter_set(t)).collect();
        Index {
            terms,
            letters,
            postings,
            posting_starts,
            sequence_terms: builder.sequence_terms,
            sequence_spans: builder.sequence_spans,
            sequences: builder.sequences,
            pairs: builder.pairs,
            documents,
        }
    }

    /// The (entry, field) pairs a term occurs in, in entry order.
    pub fn postings(&self, term: u32) -> &[Posting] {
        let t = term as usize;
        &self.postings[self.posting_starts[t] as usize..self.posting_starts[t + 1] as usize]
    }

    /// The term ids of a name or signal, in order.
    pub fn words(&self, sequence: Sequence) -> &[u32] {
        &self.sequence_terms[sequence.range()]
    }

    /// The character span of each word of a name or signal.
    pub fn spans(&self, sequence: Sequence) -> &[(u32, u32)] {
        &self.sequence_spans[sequence.range()]
    }

    pub fn aliases(&self, document: &Document) -> &[Sequence] {
        &self.sequences[document.aliases.range()]
    }

    pub fn signals(&self, document: &Document) -> &[Sequence] {
        &self.sequences[document.signals.range()]
    }

    /// Adjacent word pairs of the entry's summary and prose, as term ids.
    pub fn pairs(&self, document: &Document) -> &[(u32, u32)] {
        &self.pairs[document.pairs.range()]
    }

    pub fn id(&self, word: &str) -> Option<u32> {
        let id = self.terms.partition_point(|t| t < word);
        (id < self.terms.len() as u32 && self.terms.get(id) == word).then_some(id)
    }

    /// Ids of the terms starting with `prefix`.
    pub fn prefix_range(&self, prefix: &str) -> std::ops::Range<u32> {
        let start = self.terms.partition_point(|t| t < prefix);
        let end = self.terms.partition_point(|t| t < prefix || t.starts_with(prefix));
        start..end
    }
}

/// A word of at most 16 bytes as one number; words have no zero bytes, so the
/// zero padding cannot make two words equal.
fn packed(word: &str) -> Option<u128> {
    let bytes = word.as_bytes();
    (bytes.len() <= 16).then(|| {
        let mut key = [0u8; 16];
        key[..bytes.len()].copy_from_slice(bytes);
        u128::from_le_bytes(key)
    })
}

/// The first eight bytes of a word as a big-endian number, zero-padded: ordered
/// like the words themselves.
fn leading_bytes(word: &str) -> u64 {
    let mut bytes = [0u8; 8];
    let n = word.len().min(8);
    bytes[..n].copy_from_slice(&word.as_bytes()[..n]);
    u64::from_be_bytes(bytes)
}

/// One bit per letter a–z present in the word; other characters share bit 26.
pub fn letter_set(word: &str) -> u32 {
    word.chars().fold(0, |set, c| match c {
        'a'..='z' => set | 1 << (c as u32 - 'a' as u32),
        _ => set | 1 << 26,
    })
}

/// The verbatim strings software prints with this meaning.
fn signal_texts(entry: &Entry) -> impl Iterator<Item = &str> {
    entry.signals.iter().map(|s| &*s.text)
}

/// Short facts matched as words: citation, class, lifecycle, recommendation,
/// the names of the software whose signals the entry lists, and what teams'
/// notes name: overlay label, owner, tags, runbook titles.
fn labels(entry: &Entry) -> impl Iterator<Item = &str> {
    [&*entry.reference, entry.class.key(), entry.lifecycle.label(), entry.recommendation.label()]
        .into_iter()
        .chain(entry.signals.iter().map(|s| &*s.emitter))
        .chain(entry.notes.iter().flat_map(|note| {
            [note.origin.label.as_str()]
                .into_iter()
                .chain(note.owner.as_deref())
                .chain(note.tags.iter().map(String::as_str))
                .chain(note.runbooks.iter().map(|r| r.title.as_str()))
        }))
}

/// The long text of an entry.
fn prose(entry: &Entry) -> impl Iterator<Item = &str> {
    [&*entry.explanation, &entry.generator_note, &entry.retry_note, entry.delivery.label(), entry.retry.label()]
        .into_iter()
        .chain(entry.disputed.as_deref())
        .chain(entry.situations.iter().map(Deref::deref))
        .chain(entry.checks.iter().map(Deref::deref))
        .chain(entry.avoid_when.iter().map(Deref::deref))
        .chain(entry.generated_by.iter().map(|g| g.label()))
        .chain(entry.signals.iter().filter_map(|s| s.meaning.as_deref()))
        .chain(entry.notes.iter().map(|note| note.text.as_str()))
}
