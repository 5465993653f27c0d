//! Names and signals matched as word sequences: a name equal to the query, a
//! name the query begins or contains, the longest run of a signal's words, and
//! the characters to highlight.

use super::super::index::{Document, Index, Sequence};
use super::{
    Field, Group, Kind, NAME_EXACT, NAME_IN_QUERY_PER_WORD, NAME_PREFIX, Ranker, SEQUENCE_FIELDS, SHORT_QUERY,
    SIGNAL_EXACT, SIGNAL_RUN_PER_WORD, SOURCE_NAMED,
};

/// Words of a name or signal that take part in sequence matching.
const MAX_SEQUENCE: usize = 64;

impl Ranker {
    /// Query positions each word of a sequence matches.
    /// Query positions each word of a sequence matches, in `buffer` (names and
    /// signals are short; a longer one is read by its first words), or `None`
    /// when no word matches.
    fn positions<'b>(
        &self,
        index: &Index,
        sequence: Sequence,
        buffer: &'b mut [u64; MAX_SEQUENCE],
    ) -> Option<&'b [u64]> {
        let words = index.words(sequence);
        let len = words.len().min(MAX_SEQUENCE);
        let mut any = 0;
        for (slot, &t) in buffer.iter_mut().zip(&words[..len]) {
            *slot = self.term_positions[t as usize];
            any |= *slot;
        }
        (any != 0).then_some(&buffer[..len])
    }

    fn quality(&self, index: &Index, sequence: Sequence) -> f32 {
        index.words(sequence).iter().map(|&t| self.term_quality[t as usize]).filter(|&q| q > 0.0).fold(1.0, f32::min)
    }

    /// Bonuses from names and signals matched as word sequences, and the query
    /// words that name the entry's source. Clears the anchored words (`^gate`,
    /// `out$`) that did not hold.
    pub(super) fn sequence_bonus(
        &self,
        index: &Index,
        document: &Document,
        groups: &[Group],
        query_len: usize,
        matched: &mut u64,
        fields: u8,
    ) -> (u32, u64) {
        let mut bonus: f32 = 0.0;
        let mut source_words = 0u64;
        let anchored: Vec<(usize, &Group)> =
            groups.iter().enumerate().filter(|(_, g)| matches!(g.word.kind, Kind::Start | Kind::End)).collect();
        let mut anchors_held = 0u64;
        let sequences = std::iter::once((Field::Phrase, document.phrase))
            .chain(index.aliases(document).iter().map(|&a| (Field::Alias, a)))
            .chain(std::iter::once((Field::Source, document.source)));
        let mut buffer = [0u64; MAX_SEQUENCE];
        // Any name or signal match opens both: a weak word ("c" of Cloudflare)
        // counts in a name once a signal brought the entry in, and the reverse.
        let sequences_matched = fields & SEQUENCE_FIELDS != 0 || !anchored.is_empty();
        if sequences_matched {
            for (field, sequence) in sequences {
                let Some(hits) = self.positions(index, sequence, &mut buffer) else {
                    continue;
                };
                anchors_held |= anchors(&anchored, hits);
                let quality = self.quality(index, sequence);
                let len = hits.len();
                let value = if field == Field::Source {
                    if hits.iter().all(|&h| h != 0) {
                        let positions = hits.iter().fold(0, |all, h| all | h);
                        source_words = groups
                            .iter()
                            .enumerate()
                            .filter(|(_, g)| g.positions & positions != 0)
                            .fold(0, |mask, (g, _)| mask | 1 << g);
                        SOURCE_NAMED * quality
                    } else {
                        0.0
                    }
                } else if len == query_len && (0..len).all(|j| hits[j] & 1 << j != 0) {
                    // "overload" begins "Overloaded" but is not its name.
                    let whole_words = index.words(sequence).iter().all(|&t| self.term_prefix[t as usize] == 0);
                    if whole_words { NAME_EXACT * quality } else { NAME_PREFIX * quality }
                } else if len > query_len && (0..query_len).all(|j| hits[j] & 1 << j != 0) {
                    NAME_PREFIX * quality
                } else if len < query_len && (len > 1 || query_len <= SHORT_QUERY) && contained(hits, query_len) {
                    NAME_IN_QUERY_PER_WORD * len as f32 * quality
                } else {
                    0.0
                };
                bonus = bonus.max(value);
            }
        }
        if sequences_matched {
            // One query word scores only against a one-word signal, and most
            // keystrokes are one word.
            let only_one_word = query_len == 1 && anchored.is_empty();
            for &signal in index.signals(document) {
                if only_one_word && signal.len() > 1 {
                    continue;
                }
                let Some(hits) = self.positions(index, signal, &mut buffer) else {
                    continue;
                };
                anchors_held |= anchors(&anchored, hits);
                let run = longest_run(hits);
                let whole_signal = run == hits.len();
                let exact = if whole_signal && run == query_len { SIGNAL_EXACT } else { 0.0 };
                let value = if run >= 3 || (run >= 2 && (whole_signal || run == query_len)) {
                    exact + SIGNAL_RUN_PER_WORD * (run + usize::from(whole_signal)) as f32
                } else {
                    exact
                };
                bonus = bonus.max(value * self.quality(index, signal));
            }
        }
        for (g, _) in &anchored {
            if anchors_held & 1 << g == 0 {
                *matched &= !(1 << g);
            }
        }
        (bonus as u32, source_words)
    }

    /// The signal that explains a hit: the longest run of the query's words, a
    /// whole signal before part of one, provided it holds the query or two of its
    /// words in a row; one shared word ("retry" of UpstreamRetryLimitExceeded)
    /// does not.
    pub(super) fn best_signal(&self, index: &Index, document: &Document, query_len: usize) -> Option<usize> {
        let mut buffer = [0u64; MAX_SEQUENCE];
        let mut best: Option<(usize, (usize, bool))> = None;
        for (i, &signal) in index.signals(document).iter().enumerate() {
            let Some(hits) = self.positions(index, signal, &mut buffer) else {
                continue;
            };
            let run = longest_run(hits);
            let whole_signal = run == hits.len();
            if best.is_none_or(|(_, found)| (run, whole_signal) > found) {
                best = Some((i, (run, whole_signal)));
            }
        }
        best.filter(|(_, (run, _))| *run >= query_len.min(2)).map(|(i, _)| i)
    }

    /// How many pairs of neighbouring query words stand side by side in the
    /// entry's summary or prose, and how often they do.
    pub(super) fn adjacent_pairs(&self, index: &Index, document: &Document) -> (u32, u32) {
        let mut found = 0u64;
        let mut mentions = 0;
        for &(first, second) in index.pairs(document) {
            let first = self.term_positions[first as usize];
            if first != 0 {
                let pair = first & (self.term_positions[second as usize] >> 1);
                found |= pair;
                mentions += u32::from(pair != 0);
            }
        }
        (found.count_ones(), mentions)
    }

    /// Character positions in a name that the query matched.
    pub(super) fn highlighted(&self, index: &Index, sequence: Sequence) -> Vec<u32> {
        let mut positions = Vec::new();
        for (&term, &(start, end)) in index.words(sequence).iter().zip(index.spans(sequence)) {
            let t = term as usize;
            if self.term_positions[t] == 0 {
                continue;
            }
            let abbreviated = self.term_abbreviated[t];
            if abbreviated != 0 {
                positions.extend((start..end).filter(|&p| p - start < 64 && abbreviated & 1 << (p - start) != 0));
                continue;
            }
            let end = match self.term_prefix[t] {
                0 => end,
                prefix => (start + prefix).min(end),
            };
            positions.extend(start..end);
        }
        positions.sort_unstable();
        positions.dedup();
        positions
    }
}

/// The anchored groups (`^word`, `word$`) whose word starts or ends this sequence.
fn anchors(anchored: &[(usize, &Group)], hits: &[u64]) -> u64 {
    let (Some(&first), Some(&last)) = (hits.first(), hits.last()) else {
        return 0;
    };
    anchored.iter().fold(0, |held, (g, group)| {
        let at = match group.word.kind {
            Kind::Start => first,
            _ => last,
        };
        if at & group.positions != 0 { held | 1 << g } else { held }
    })
}

/// Whether the sequence's words occur one after another somewhere in the query.
fn contained(hits: &[u64], query_len: usize) -> bool {
    (0..=query_len.saturating_sub(hits.len()))
        .any(|offset| hits.iter().enumerate().all(|(j, &h)| h & 1 << (offset + j) != 0))
}

/// The longest run of a sequence's words that the query has in the same order,
/// next to each other.
fn longest_run(hits: &[u64]) -> usize {
    let mut lengths = [0u8; 64];
    let mut best = 0;
    for &h in hits {
        let mut next = [0u8; 64];
        let mut bits = h;
        while bits != 0 {
            let i = bits.trailing_zeros() as usize;
            bits &= bits - 1;
            let length = if i > 0 { lengths[i - 1] + 1 } else { 1 };
            next[i] = length;
            best = best.max(usize::from(length));
        }
        lengths = next;
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_follow_query_order() {
        // Sequence words matching query positions 2, 3, 4 in order: a run of 3.
        assert_eq!(longest_run(&[1 << 2, 1 << 3, 1 << 4]), 3);
        // Out of order: runs of 1.
        assert_eq!(longest_run(&[1 << 4, 1 << 3, 1 << 2]), 1);
        assert!(contained(&[1 << 1, 1 << 2], 4));
        assert!(!contained(&[1 << 2, 1 << 1], 4));
    }
}
