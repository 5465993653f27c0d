//! Scoring entries against the query's words.
//!
//! Two parts add up. A BM25 score says how much of the query an entry explains:
//! each word counts by its rarity across the catalogue (a pasted line's "upstream"
//! outweighs its "request") and by where it occurs ([`Field::weight`]). Bonuses
//! then encode what a person expects to come first, largest first:
//! 1. the code typed (`524`), every code a prefix starts (`52`), or a class (`5xx`);
//! 2. a name or signal equal to the whole query ("locked" is 423 Locked);
//! 3. a long run of a signal's words inside the query (a pasted nginx line);
//! 4. a name the query begins, a name inside the query, the source named.
//!
//! Stopwords never decide whether an entry matches; they count only inside runs.
//! Near spellings match with a lower weight than exact words, so a typo never
//! outranks the word it resembles, and abbreviations lower still. A short query
//! is also scored as an fzf pattern against each entry's name lines ([`Fuzzy`]):
//! the better of that and the word bonuses counts, so one ranking holds both.

use crate::catalogue::Entry;

use super::fuzzy::{Fuzzy, NameMatch};
use super::index::{FIELDS, Field, Index};
use super::parse::{Kind, Word};
use super::{Highlights, Hit, Reason};

mod bm25;
mod codes;
mod sequences;
mod words;

use bm25::BM25_SCALE;
use codes::CodeMatch;
use words::{Group, TermMatch, expand, groups};

const NAME_EXACT: f32 = 100_000.0;
const SIGNAL_EXACT: f32 = 90_000.0;
const SIGNAL_RUN_PER_WORD: f32 = 20_000.0;
const NAME_PREFIX: f32 = 40_000.0;
const NAME_IN_QUERY_PER_WORD: f32 = 15_000.0;
const SOURCE_NAMED: f32 = 30_000.0;
/// Per pair of neighbouring query words found side by side in prose, up to a few.
const PROSE_PAIR: u32 = 3_000;
const MAX_PROSE_PAIRS: u32 = 3;
/// Per further mention of such a pair: an entry that keeps saying "rate limit"
/// is about rate limits.
const PAIR_MENTION: u32 = 300;
const MAX_PAIR_MENTIONS: u32 = 10;
/// Longer queries are pasted text: they are matched by signal runs, not prose pairs.
const MAX_PAIRED_QUERY: usize = 8;
/// A query longer than this many words is a pasted line, not typed words.
const SHORT_QUERY: usize = 3;

/// How well a catalogue word matches a query word.
const EXACT: f32 = 1.0;
const PREFIX_TYPING: f32 = 0.9;
const PREFIX: f32 = 0.7;
const ONE_EDIT: f32 = 0.6;
const TWO_EDITS: f32 = 0.4;
/// Times nucleo's quality for the word abbreviated (see [`Fuzzy::abbreviations`]).
const ABBREVIATION: f32 = 0.3;

/// A name line matched as an fzf pattern earns up to this many steps of
/// quality, 256 points each, the shorter line first within a step (fzf's
/// tie-break): at most 23,295, below a name typed whole, a prefix or a typo.
const FUZZY_STEPS: f32 = 90.0;
/// Below this quality a name line's match is scattered letters (`teapot` in
/// StatusAlreadyReported): fzf lists those, this search leaves them out.
const STRONG_FUZZY: f32 = 0.6;
/// Characters a pattern needs before name lines are scored: one letter is a
/// prefix being typed, and the word search lists those.
const MIN_PATTERN_CHARS: usize = 2;

/// An entry that matched, before the facet filters and highlighting.
#[derive(Debug, Clone, Copy)]
pub struct Scored {
    pub entry: usize,
    pub score: u32,
    code: CodeMatch,
    /// The query word groups found in an entry whose code and names did not
    /// match, and its fields that did: the hit then says why it matched.
    unexplained: Option<(u64, u8)>,
    /// The name line whose fzf match ranked the entry: highlights come from it.
    pub name_line: Option<u32>,
}

impl Scored {
    /// An entry listed by an empty query.
    pub fn listed(entry: usize) -> Self {
        Scored { entry, score: 0, code: CodeMatch::None, unexplained: None, name_line: None }
    }
}

/// Per-query scratch space, kept between queries so a keystroke allocates little.
#[derive(Debug, Default)]
pub struct Ranker {
    /// Per catalogue term: the query positions it matches, how well, and how
    /// many characters to highlight (0 = all).
    term_positions: Vec<u64>,
    term_quality: Vec<f32>,
    term_prefix: Vec<u32>,
    /// Characters of an abbreviated term that matched, a bit each.
    term_abbreviated: Vec<u64>,
    touched_terms: Vec<u32>,
    /// Per entry.
    frequencies: Vec<[f32; FIELDS]>,
    stamp: Vec<u32>,
    generation: u32,
    bm25: Vec<f32>,
    matched: Vec<u64>,
    fields: Vec<u8>,
    code: Vec<CodeMatch>,
    /// Per entry, its best name line's fzf match, if strong enough to matter.
    name_match: Vec<Option<NameMatch>>,
    candidates: Vec<u32>,
    /// Per distinct query word, the catalogue words it matched, best first, for
    /// the reason a hit matched: the words found, not the typo typed.
    /// (term, whether it is the word exactly as typed).
    group_terms: Vec<Vec<(u32, bool)>>,
    query_len: usize,
}

impl Ranker {
    pub fn rank(
        &mut self,
        index: &Index,
        entries: &[Entry],
        words: &[Word],
        text: &str,
        fuzzy: &mut Fuzzy,
    ) -> Vec<Scored> {
        self.reset(index, entries.len());
        let positive: Vec<&Word> = words.iter().filter(|w| !w.negative).collect();
        if positive.is_empty() {
            // Only `!word`s: everything else, as fzf lists it.
            let excluded = self.excluded(index, entries, words);
            return (0..entries.len())
                .filter(|&e| !excluded.get(e).copied().unwrap_or(false))
                .map(Scored::listed)
                .collect();
        }
        let query_len = positive.len();
        self.query_len = query_len;
        let mut groups = groups(index, &positive, fuzzy);
        self.group_terms = groups
            .iter()
            .map(|g| {
                let mut terms = g.terms.clone();
                terms.sort_by(|a, b| b.quality.total_cmp(&a.quality));
                terms.into_iter().map(|t| (t.term, t.quality == EXACT)).collect()
            })
            .collect();
        for group in &groups {
            for term in &group.terms {
                self.mark_term(term, group.positions);
            }
        }
        let content_groups = groups.iter().filter(|g| !g.word.is_weak()).count();
        let only_stopwords = content_groups == 0;
        let lone_code = content_groups == 1;
        for (g, group) in groups.iter_mut().enumerate() {
            let code_matches = self.match_codes(entries, g, &group.word, lone_code, query_len);
            // A lone code or class lists codes in order; prose mentions of the
            // digits would only shuffle them.
            let code_only = lone_code && code_matches > 0;
            if code_only || (group.word.is_weak() && !only_stopwords) {
                group.document_frequency = code_matches;
                continue;
            }
            self.accumulate(index, entries.len(), g, group);
            group.document_frequency += code_matches;
        }
        // Numbers match only themselves (5031 is not 503 1), so they take no fzf pattern.
        let codes_only =
            groups.iter().all(|g| g.word.is_number() || g.word.class_digit().is_some() || g.word.is_weak());
        if query_len <= SHORT_QUERY && !codes_only {
            self.match_names(fuzzy, text);
        }
        let meaningful: u64 = groups
            .iter()
            .enumerate()
            .filter(|(_, g)| g.document_frequency > 0 && (only_stopwords || !g.word.is_weak()))
            .fold(0, |mask, (g, _)| mask | 1 << g);
        // Short queries need every word; a pasted line, enough of it to matter.
        let needed = match meaningful.count_ones() {
            0 => u32::MAX,
            n @ 1..=2 => n,
            n => n.div_ceil(2).max(2),
        };
        let excluded = self.excluded(index, entries, words);

        let mut scored = Vec::new();
        let candidates = std::mem::take(&mut self.candidates);
        for &e in &candidates {
            let e = e as usize;
            if excluded.get(e).copied().unwrap_or(false) {
                continue;
            }
            let mut matched = self.matched[e];
            let name_match = self.name_match[e];
            // Anchors can only take words away: an entry short of words already
            // needs no sequence work.
            if (matched & meaningful).count_ones() < needed {
                scored.extend(name_match.map(|m| Scored::named(e, m)));
                continue;
            }
            let (bonus, source_words) =
                self.sequence_bonus(index, &index.documents[e], &groups, query_len, &mut matched, self.fields[e]);
            if (matched & meaningful).count_ones() < needed {
                scored.extend(name_match.map(|m| Scored::named(e, m)));
                continue;
            }
            let pairs = if query_len <= MAX_PAIRED_QUERY && (matched & meaningful).count_ones() >= 2 {
                self.adjacent_pairs(index, &index.documents[e])
            } else {
                (0, 0)
            };
            let pair_bonus = PROSE_PAIR * pairs.0.min(MAX_PROSE_PAIRS) + PAIR_MENTION * pairs.1.min(MAX_PAIR_MENTIONS);
            // A query that only names a source ("cloudflare") lists its entries in
            // catalogue order rather than by how often their prose says the name.
            let named_source_only = source_words != 0 && matched & meaningful & !source_words == 0;
            let text_points = if named_source_only { 0 } else { pair_bonus + (self.bm25[e] * BM25_SCALE) as u32 };
            // The name line's fzf match stands in for the word bonuses when it is better.
            let name_points = name_match.map_or(0, name_line_points);
            let name_line = name_match.filter(|_| name_points > bonus).map(|m| m.line);
            let mut score = bonus.max(name_points) + text_points;
            if let CodeMatch::Digits(_) = self.code[e] {
                score += self.code_bonus(entries, e, &groups, query_len);
            }
            let names_matched =
                self.code[e] != CodeMatch::None || self.fields[e] & NAME_FIELDS != 0 || name_line.is_some();
            let unexplained = (!names_matched).then_some((matched & meaningful, self.fields[e]));
            scored.push(Scored { entry: e, score, code: self.code[e], unexplained, name_line });
        }
        self.candidates = candidates;
        scored
    }

    /// Turns a ranked entry into a hit; with `explain`, the positions to
    /// highlight and the reason it matched.
    pub fn hit(&self, index: Option<&Index>, scored: Scored, explain: bool) -> Hit {
        let mut highlights = Highlights::default();
        let index = index.filter(|_| explain);
        if let CodeMatch::Digits(n) = scored.code {
            highlights.code = (0..n).collect();
        }
        // Only a hit whose names matched has anything to highlight in them.
        // A name line's fzf match highlights from nucleo's positions instead.
        let words_ranked = scored.score > 0 && scored.unexplained.is_none() && scored.name_line.is_none();
        if let Some(index) = index.filter(|_| words_ranked) {
            let document = &index.documents[scored.entry];
            highlights.phrase = self.highlighted(index, document.phrase);
            highlights.source = self.highlighted(index, document.source);
            if highlights.phrase.is_empty() {
                highlights.alias = index
                    .aliases(document)
                    .iter()
                    .map(|&alias| self.highlighted(index, alias))
                    .enumerate()
                    .filter(|(_, h)| !h.is_empty())
                    .max_by_key(|(i, h)| (h.len(), std::cmp::Reverse(*i)));
            }
        }
        let reason = index.zip(scored.unexplained).map(|(index, (groups, fields))| {
            let signal = (fields & SIGNAL_FIELD != 0)
                .then(|| self.best_signal(index, &index.documents[scored.entry], self.query_len))
                .flatten();
            match signal {
                Some(signal) => Reason::Signal(signal),
                None => Reason::Text(
                    self.group_terms
                        .iter()
                        .enumerate()
                        .filter(|(g, _)| groups & 1 << g != 0)
                        .filter_map(|(_, terms)| found_term(index, terms, scored.entry))
                        .collect(),
                ),
            }
        });
        Hit { entry: scored.entry, score: scored.score, highlights, reason }
    }

    fn reset(&mut self, index: &Index, entry_count: usize) {
        if self.term_positions.len() != index.terms.len() {
            self.term_positions = vec![0; index.terms.len()];
            self.term_quality = vec![0.0; index.terms.len()];
            self.term_prefix = vec![0; index.terms.len()];
            self.term_abbreviated = vec![0; index.terms.len()];
        }
        for &t in &self.touched_terms {
            self.term_positions[t as usize] = 0;
            self.term_quality[t as usize] = 0.0;
            self.term_prefix[t as usize] = 0;
            self.term_abbreviated[t as usize] = 0;
        }
        self.touched_terms.clear();
        if self.bm25.len() != entry_count {
            self.frequencies = vec![[0.0; FIELDS]; entry_count];
            self.stamp = vec![0; entry_count];
            self.bm25 = vec![0.0; entry_count];
            self.matched = vec![0; entry_count];
            self.fields = vec![0; entry_count];
            self.code = vec![CodeMatch::None; entry_count];
            self.name_match = vec![None; entry_count];
            self.generation = 0;
        }
        for &e in &self.candidates {
            let e = e as usize;
            self.bm25[e] = 0.0;
            self.matched[e] = 0;
            self.fields[e] = 0;
            self.code[e] = CodeMatch::None;
            self.name_match[e] = None;
        }
        self.candidates.clear();
    }

    fn mark_term(&mut self, found: &TermMatch, positions: u64) {
        let t = found.term as usize;
        let prefix = found.prefix;
        if self.term_positions[t] == 0 {
            self.touched_terms.push(found.term);
            self.term_prefix[t] = prefix;
        } else if prefix == 0 || self.term_prefix[t] == 0 {
            self.term_prefix[t] = 0;
        } else {
            self.term_prefix[t] = self.term_prefix[t].max(prefix);
        }
        self.term_positions[t] |= positions;
        self.term_abbreviated[t] |= found.abbreviated;
        self.term_quality[t] = self.term_quality[t].max(found.quality);
    }

    fn candidate(&mut self, e: usize) {
        if self.matched[e] == 0
            && self.code[e] == CodeMatch::None
            && self.fields[e] == 0
            && self.name_match[e].is_none()
        {
            self.candidates.push(e as u32);
        }
    }

    /// Scores the whole query as an fzf pattern against every entry's name lines.
    fn match_names(&mut self, fuzzy: &mut Fuzzy, text: &str) {
        if text.chars().filter(|c| !c.is_whitespace()).count() < MIN_PATTERN_CHARS {
            return;
        }
        for &found in fuzzy.names(text).iter().filter(|m| m.quality >= STRONG_FUZZY) {
            let e = found.entry as usize;
            self.candidate(e);
            self.name_match[e] = Some(found);
        }
    }

    /// Entries a negated word (`!cloudflare`) matches anywhere.
    fn excluded(&self, index: &Index, entries: &[Entry], words: &[Word]) -> Vec<bool> {
        let mut excluded = Vec::new();
        for word in words.iter().filter(|w| w.negative) {
            excluded.resize(entries.len(), false);
            for (e, entry) in entries.iter().enumerate() {
                let label = entry.code_label();
                let class = word.class_digit().is_some_and(|digit| label.as_bytes()[0] == b'0' + digit);
                if class || (word.is_code() && label.starts_with(&word.text)) {
                    excluded[e] = true;
                }
            }
            for found in expand(index, word, None) {
                for posting in index.postings(found.term) {
                    excluded[posting.entry as usize] = true;
                }
            }
        }
        excluded
    }
}

impl Scored {
    /// An entry only its name line's fzf match brought in.
    fn named(entry: usize, found: NameMatch) -> Self {
        Scored {
            entry,
            score: name_line_points(found),
            code: CodeMatch::None,
            unexplained: None,
            name_line: Some(found.line),
        }
    }
}

/// Points for a name line's fzf match: its quality in steps, the shorter line
/// first within a step.
fn name_line_points(found: NameMatch) -> u32 {
    let steps = (found.quality * FUZZY_STEPS).round() as u32;
    steps * 256 + (255 - found.len.min(255))
}

const NAME_FIELDS: u8 = 1 << Field::Phrase as u8 | 1 << Field::Alias as u8 | 1 << Field::Source as u8;
const SIGNAL_FIELD: u8 = 1 << Field::Signal as u8;
const SEQUENCE_FIELDS: u8 = NAME_FIELDS | SIGNAL_FIELD;

/// The first of `terms` (best match first) that occurs in the entry. A word the
/// catalogue has as typed is named as typed, without looking: a pasted line's
/// words mostly are, and a search lists thousands of hits.
fn found_term(index: &Index, terms: &[(u32, bool)], entry: usize) -> Option<String> {
    let found = match terms.first() {
        Some(&(term, true)) => Some(term),
        _ => terms
            .iter()
            .map(|&(term, _)| term)
            .find(|&term| index.postings(term).binary_search_by_key(&(entry as u32), |p| p.entry).is_ok()),
    };
    found.map(|term| index.terms.get(term).to_string())
}
