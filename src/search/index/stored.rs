//! The index as bytes. `build.rs` builds the embedded catalogue's index at
//! compile time and writes it this way, so a search at start-up only reads it
//! back instead of tokenising the whole catalogue.
//!
//! Numbers are LEB128 varints (`crate::varint`; most ids, counts and spans fit one or two bytes:
//! the file is under half the size it would be with fixed `u32`s), after a
//! magic number and a version. Reading checks every count and id, so damaged bytes
//! give `None`, never a panic.

use crate::catalogue::Entry;
use crate::varint::{Reader, Writer};

use super::{Document, Extent, FIELDS, Field, Index, Posting, Terms, letter_set};

const MAGIC: &[u8; 4] = b"SBIX";
const VERSION: u32 = 2;

const FIELD_ORDER: [Field; FIELDS] =
    [Field::Phrase, Field::Alias, Field::Signal, Field::Source, Field::Summary, Field::Labels, Field::Prose];

// Written by build.rs, which compiles this module too; the crate only reads.
#[allow(dead_code)]
impl Index {
    /// The index as bytes, for [`Index::from_bytes`].
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Writer(MAGIC.to_vec());
        out.u32(VERSION);
        out.len(self.terms.text.len());
        out.0.extend_from_slice(self.terms.text.as_bytes());
        out.numbers(&self.terms.ends);
        out.len(self.postings.len());
        for posting in &self.postings {
            out.u32(posting.entry);
            out.u32(u32::from(posting.count) << 8 | posting.field as u32);
        }
        out.numbers(&self.posting_starts);
        out.numbers(&self.sequence_terms);
        out.pairs(&self.sequence_spans);
        out.len(self.sequences.len());
        for &sequence in &self.sequences {
            write_extent(&mut out, sequence);
        }
        out.pairs(&self.pairs);
        out.len(self.documents.len());
        for document in &self.documents {
            for extent in [document.phrase, document.aliases, document.source, document.signals, document.pairs] {
                write_extent(&mut out, extent);
            }
        }
        out.0
    }
}

impl Index {
    /// Reads bytes written by [`Index::to_bytes`]; `None` if they are not a whole,
    /// consistent index of these entries.
    pub fn from_bytes(bytes: &[u8], entries: &[Entry]) -> Option<Self> {
        let mut input = Reader::new(bytes.strip_prefix(MAGIC)?);
        (input.u32()? == VERSION).then_some(())?;
        let text_len = input.len()?;
        let text = std::str::from_utf8(input.take(text_len)?).ok()?.to_owned();
        let ends = input.numbers()?;
        let ends_valid = ends.iter().all(|&end| text.is_char_boundary(end as usize))
            && ends.is_sorted_by(|a, b| a < b)
            && ends.last().map_or(0, |&end| end as usize) == text.len();
        ends_valid.then_some(())?;
        let terms = Terms { text, ends };
        let term_count = terms.len() as u32;
        // Prefix ranges and binary searches rely on the order.
        (1..term_count).all(|id| terms.get(id - 1) < terms.get(id)).then_some(())?;

        let posting_count = input.len()?;
        let mut postings = Vec::with_capacity(posting_count);
        for _ in 0..posting_count {
            let entry = input.u32().filter(|&e| (e as usize) < entries.len())?;
            let count_and_field = input.u32()?;
            let field = *FIELD_ORDER.get((count_and_field & 0xff) as usize)?;
            let count = u16::try_from(count_and_field >> 8).ok()?;
            postings.push(Posting { entry, field, count });
        }
        let posting_starts = input.numbers()?;
        let starts_valid = posting_starts.len() == terms.len() + 1
            && posting_starts.first() == Some(&0)
            && posting_starts.last() == Some(&(posting_count as u32))
            && posting_starts.is_sorted();
        starts_valid.then_some(())?;

        let sequence_terms = input.numbers()?;
        let sequence_spans = input.pairs()?;
        let sequences_valid = sequence_terms.iter().all(|&t| t < term_count)
            && sequence_spans.len() == sequence_terms.len()
            && sequence_spans.iter().all(|(start, end)| start <= end);
        sequences_valid.then_some(())?;
        let sequence_count = input.len()?;
        let mut sequences = Vec::with_capacity(sequence_count);
        for _ in 0..sequence_count {
            sequences.push(read_extent(&mut input, sequence_terms.len())?);
        }
        let pairs = input.pairs()?;
        pairs.iter().all(|&(first, second)| first < term_count && second < term_count).then_some(())?;

        let document_count = input.len()?;
        (document_count == entries.len()).then_some(())?;
        let mut documents = Vec::with_capacity(document_count);
        for _ in 0..document_count {
            documents.push(Document {
                phrase: read_extent(&mut input, sequence_terms.len())?,
                aliases: read_extent(&mut input, sequences.len())?,
                source: read_extent(&mut input, sequence_terms.len())?,
                signals: read_extent(&mut input, sequences.len())?,
                pairs: read_extent(&mut input, pairs.len())?,
            });
        }
        input.is_empty().then_some(())?;
        // The names and signals must be these entries' own, or highlights could
        // point past the text they mark.
        let fits = |sequence: Extent, text: &str| {
            let chars = text.chars().count() as u32;
            sequence_spans[sequence.range()].iter().all(|&(_, end)| end <= chars)
        };
        let matches_entries = documents.iter().zip(entries).all(|(document, entry)| {
            let aliases = &sequences[document.aliases.range()];
            let signals = &sequences[document.signals.range()];
            fits(document.phrase, &entry.phrase)
                && fits(document.source, &entry.source)
                && aliases.len() == entry.aliases.len()
                && aliases.iter().zip(entry.aliases.iter()).all(|(&alias, text)| fits(alias, text))
                && signals.len() == entry.signals.len()
                && signals.iter().zip(entry.signals.iter()).all(|(&signal, s)| fits(signal, &s.text))
        });
        matches_entries.then_some(())?;
        let letters = terms.iter().map(|(_, t)| letter_set(t)).collect();
        Some(Index {
            terms,
            letters,
            postings,
            posting_starts,
            sequence_terms,
            sequence_spans,
            sequences,
            pairs,
            documents,
        })
    }
}

/// An extent of a table, as two numbers.
#[allow(dead_code)]
fn write_extent(out: &mut Writer, extent: Extent) {
    out.u32(extent.start);
    out.u32(extent.end);
}

/// An extent of a table of `table_len` rows.
fn read_extent(input: &mut Reader, table_len: usize) -> Option<Extent> {
    let (start, end) = (input.u32()?, input.u32()?);
    (start <= end && end as usize <= table_len).then_some(Extent { start, end })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::Catalogue;
    use crate::search::EMBEDDED_INDEX;

    #[test]
    fn the_compiled_in_index_is_the_one_the_entries_give() {
        let catalogue = Catalogue::embedded().unwrap();
        let stored = Index::from_bytes(EMBEDDED_INDEX, catalogue.entries()).expect("build.rs wrote a readable index");
        assert!(stored == Index::new(catalogue.entries()), "the stored index differs from one built now");
    }

    /// The first entries of the embedded catalogue, and their index written out.
    fn small_index() -> &'static (Vec<Entry>, Vec<u8>) {
        static SMALL: std::sync::OnceLock<(Vec<Entry>, Vec<u8>)> = std::sync::OnceLock::new();
        SMALL.get_or_init(|| {
            let entries = Catalogue::embedded().unwrap().entries()[..8].to_vec();
            let bytes = Index::new(&entries).to_bytes();
            (entries, bytes)
        })
    }

    #[test]
    fn an_index_reads_back_as_written() {
        let (entries, bytes) = small_index();
        assert!(Index::from_bytes(bytes, entries) == Some(Index::new(entries)));
    }

    #[test]
    fn cut_or_padded_bytes_are_refused() {
        let (entries, bytes) = small_index();
        for len in (0..bytes.len()).step_by(7) {
            assert!(Index::from_bytes(&bytes[..len], entries).is_none(), "cut at {len}");
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(Index::from_bytes(&longer, entries).is_none(), "trailing byte");
    }

    #[test]
    fn an_index_of_other_entries_is_refused() {
        let (entries, bytes) = small_index();
        assert!(Index::from_bytes(bytes, &entries[..7]).is_none(), "one entry fewer");
        let mut shorter_phrase = entries.clone();
        shorter_phrase[0].phrase.to_mut().truncate(1);
        assert!(Index::from_bytes(bytes, &shorter_phrase).is_none(), "a phrase shorter than its words");
        let mut one_alias_less = entries.clone();
        let with_aliases = one_alias_less.iter_mut().find(|e| !e.aliases.is_empty()).unwrap();
        with_aliases.aliases.to_mut().pop();
        assert!(Index::from_bytes(bytes, &one_alias_less).is_none(), "an alias fewer");
    }

    proptest::proptest! {
        /// Whatever damaged bytes read as is safe to search: every id and
        /// extent the index hands out points inside its tables.
        #[test]
        fn damaged_bytes_never_give_an_index_that_panics(
            edits in proptest::collection::vec((proptest::prelude::any::<proptest::sample::Index>(), 0u8..=255), 1..6)
        ) {
            let (entries, bytes) = small_index();
            let mut damaged = bytes.clone();
            for (at, value) in edits {
                damaged[at.index(bytes.len())] = value;
            }
            if let Some(index) = Index::from_bytes(&damaged, entries) {
                for term in 0..index.terms.len() as u32 {
                    let _ = (index.terms.get(term), index.postings(term), index.prefix_range(index.terms.get(term)));
                }
                for (document, entry) in index.documents.iter().zip(entries) {
                    proptest::prop_assert_eq!(index.aliases(document).len(), entry.aliases.len());
                    let sequences = [document.phrase, document.source]
                        .into_iter()
                        .chain(index.aliases(document).iter().copied())
                        .chain(index.signals(document).iter().copied());
                    for sequence in sequences {
                        for &term in index.words(sequence) {
                            let _ = index.postings(term);
                        }
                        proptest::prop_assert_eq!(index.words(sequence).len(), index.spans(sequence).len());
                    }
                    for &(first, second) in index.pairs(document) {
                        let _ = (index.postings(first), index.postings(second));
                    }
                }
            }
        }
    }
}
