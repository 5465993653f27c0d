//! fzf-style fuzzy matching with nucleo, over the short fields people abbreviate.
//!
//! Two uses, both through one reused [`Matcher`]:
//! - a query word the catalogue has neither as a word, a prefix nor a near
//!   spelling is tried as an abbreviation of each catalogue word that starts with
//!   the same letter (`gtwy` → gateway, `mthd` → method);
//! - a short query is scored as an fzf pattern against each entry's name lines,
//!   the line `statusbrowse list` prints and one per alias, plus its constants,
//!   so `bdgw`, `svcunav` and `gtwtmt` rank as fzf ranks them.
//!
//! nucleo matches subsequences only; typos stay with the edit-distance tier.

use nucleo_matcher::pattern::{Atom, AtomKind, CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher, Utf32Str, Utf32String};

use crate::catalogue::{Entry, SignalForm};

use super::index::Index;

/// A query this many characters long or longer is a paste, not an abbreviation.
const MAX_NEEDLE_CHARS: usize = 48;
/// Catalogue words kept per abbreviation, best first: `st` should not bring in
/// every word with an s and a t.
const MAX_ABBREVIATED_TERMS: usize = 6;
/// An abbreviation keeps at least this share of a word's letters, in fzf's
/// score: `gwy` is gateway, `gy` is not.
const MIN_TERM_QUALITY: f32 = 0.4;

/// What a name line shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineKind {
    /// `524 A Timeout Occurred Cloudflare`: code, phrase, source.
    Phrase,
    /// The same with the alias at this position in place of the phrase.
    Alias(usize),
    /// A constant-form signal at this position, alone (`StatusGatewayTimeout`).
    Constant(usize),
}

#[derive(Debug)]
struct Line {
    text: Utf32String,
    entry: u32,
    kind: LineKind,
    /// Characters before the name (the code and a space) and in the name.
    name_start: u32,
    name_len: u32,
    /// Letters and digits present, for a pre-check cheaper than nucleo's own.
    characters: u64,
}

/// The best name line of one entry for a query.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NameMatch {
    pub entry: u32,
    pub line: u32,
    /// nucleo's score against that of the pattern matched against itself: 1.0 is
    /// every character consecutive at word starts.
    pub quality: f32,
    /// Characters in the line, fzf's tie-break: the shorter line first.
    pub len: u32,
}

/// One catalogue word an abbreviation matches.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Abbreviated {
    pub term: u32,
    /// In 0..=1, as [`NameMatch::quality`].
    pub quality: f32,
    /// Bit per matched character of the word (the first 64).
    pub characters: u64,
}

/// Character positions nucleo matched in a name line, split by field.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LineHighlights {
    pub kind: Option<LineKind>,
    pub code: Vec<u32>,
    pub name: Vec<u32>,
    pub source: Vec<u32>,
}

pub struct Fuzzy {
    matcher: Matcher,
    lines: Vec<Line>,
    /// The last query scored against the lines and the lines it matched: typing
    /// one more character can only narrow them, as in fzf.
    last_query: String,
    last_lines: Vec<u32>,
    matches: Vec<NameMatch>,
    indices: Vec<u32>,
}

impl std::fmt::Debug for Fuzzy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Fuzzy").field("lines", &self.lines.len()).finish()
    }
}

impl Fuzzy {
    pub fn new(entries: &[Entry]) -> Self {
        let mut lines = Vec::with_capacity(entries.len() * 4);
        for (e, entry) in entries.iter().enumerate() {
            let code = entry.code_label();
            let names = std::iter::once((LineKind::Phrase, &*entry.phrase))
                .chain(entry.aliases.iter().enumerate().map(|(i, a)| (LineKind::Alias(i), &**a)));
            for (kind, name) in names {
                let text = format!("{code} {name} {}", entry.source);
                lines.push(Line::new(text, e, kind, code.chars().count() as u32 + 1, name.chars().count() as u32));
            }
            for (i, signal) in entry.signals.iter().enumerate().filter(|(_, s)| s.form == SignalForm::Constant) {
                let len = signal.text.chars().count() as u32;
                lines.push(Line::new(signal.text.to_string(), e, LineKind::Constant(i), 0, len));
            }
        }
        Fuzzy {
            matcher: Matcher::new(Config::DEFAULT),
            lines,
            last_query: String::new(),
            last_lines: Vec::new(),
            matches: Vec::new(),
            indices: Vec::new(),
        }
    }

    /// Entries whose name lines match `query` as an fzf pattern, in entry order,
    /// each with its best line.
    pub fn names(&mut self, query: &str) -> &[NameMatch] {
        self.matches.clear();
        let pattern = parse(query);
        let needle: usize = pattern.atoms.iter().map(|a| a.needle_text().len()).sum();
        if pattern.atoms.is_empty() || needle >= MAX_NEEDLE_CHARS {
            self.forget();
            return &self.matches;
        }
        let perfect = perfect_score(&pattern, &mut self.matcher);
        let required = required_characters(&pattern);
        let narrowing = narrows(&self.last_query, query);
        let previous = std::mem::take(&mut self.last_lines);
        let candidates: Box<dyn Iterator<Item = u32>> =
            if narrowing { Box::new(previous.into_iter()) } else { Box::new(0..self.lines.len() as u32) };
        let mut matched = Vec::new();
        for l in candidates {
            let line = &self.lines[l as usize];
            if line.characters & required != required {
                continue;
            }
            let Some(score) = pattern.score(line.text.slice(..), &mut self.matcher) else {
                continue;
            };
            matched.push(l);
            let found = NameMatch {
                entry: line.entry,
                line: l,
                quality: (score as f32 / perfect).min(1.0),
                len: line.text.len() as u32,
            };
            match self.matches.last_mut() {
                Some(best) if best.entry == found.entry => {
                    if (found.quality, std::cmp::Reverse(found.len)) > (best.quality, std::cmp::Reverse(best.len)) {
                        *best = found;
                    }
                }
                _ => self.matches.push(found),
            }
        }
        self.last_query = query.to_string();
        self.last_lines = matched;
        &self.matches
    }

    fn forget(&mut self) {
        self.last_query.clear();
        self.last_lines.clear();
    }

    /// What a line kind is: the phrase, an alias or a constant.
    pub fn kind(&self, line: u32) -> LineKind {
        self.lines[line as usize].kind
    }

    /// nucleo's match positions for `query` in a name line, sorted, deduplicated
    /// and split into the code, the name and the source.
    pub fn highlights(&mut self, query: &str, line: u32) -> LineHighlights {
        let pattern = parse(query);
        let line = &self.lines[line as usize];
        self.indices.clear();
        if pattern.indices(line.text.slice(..), &mut self.matcher, &mut self.indices).is_none() {
            return LineHighlights::default();
        }
        // Indices come per atom, unsorted and repeated.
        self.indices.sort_unstable();
        self.indices.dedup();
        let name_end = line.name_start + line.name_len;
        let mut highlights = LineHighlights { kind: Some(line.kind), ..LineHighlights::default() };
        for &i in &self.indices {
            if line.kind != LineKind::Phrase && !matches!(line.kind, LineKind::Alias(_)) {
                break;
            }
            if i + 1 < line.name_start {
                highlights.code.push(i);
            } else if i >= line.name_start && i < name_end {
                highlights.name.push(i - line.name_start);
            } else if i > name_end {
                highlights.source.push(i - name_end - 1);
            }
        }
        highlights
    }

    /// Catalogue words that `word` abbreviates: each starts with the word's first
    /// letter, is longer, and holds the rest of its letters in order.
    pub fn abbreviations(&mut self, index: &Index, word: &str) -> Vec<Abbreviated> {
        let Some(first) = word.chars().next() else {
            return Vec::new();
        };
        let atom = Atom::new(word, CaseMatching::Ignore, Normalization::Smart, AtomKind::Fuzzy, false);
        let perfect = f32::from(atom.score(atom.needle_text(), &mut self.matcher).unwrap_or(1).max(1));
        let letters = super::index::letter_set(word);
        let mut found = Vec::new();
        let mut buffer = Vec::new();
        for term in index.prefix_range(first.encode_utf8(&mut [0; 4])) {
            let text = index.terms.get(term);
            if text.len() <= word.len() || index.letters[term as usize] & letters != letters {
                continue;
            }
            self.indices.clear();
            let Some(score) = atom.indices(Utf32Str::new(text, &mut buffer), &mut self.matcher, &mut self.indices)
            else {
                continue;
            };
            let quality = (f32::from(score) / perfect).min(1.0);
            if quality >= MIN_TERM_QUALITY {
                let characters = self.indices.iter().filter(|&&i| i < 64).fold(0u64, |mask, &i| mask | 1 << i);
                found.push((Abbreviated { term, quality, characters }, text.len()));
            }
        }
        found.sort_by(|a, b| b.0.quality.total_cmp(&a.0.quality).then(a.1.cmp(&b.1)));
        found.truncate(MAX_ABBREVIATED_TERMS);
        found.into_iter().map(|(a, _)| a).collect()
    }

    #[cfg(test)]
    fn line_text(&self, line: u32) -> String {
        self.lines[line as usize].text.slice(..).chars().collect()
    }
}

impl Line {
    fn new(text: String, entry: usize, kind: LineKind, name_start: u32, name_len: u32) -> Self {
        let characters = character_set(&text);
        Line { text: Utf32String::from(text), entry: entry as u32, kind, name_start, name_len, characters }
    }
}

/// fzf's reading of a query: words as atoms, `'exact ^prefix suffix$ !not`.
/// Case is ignored, as by the rest of the search; accents are folded.
fn parse(query: &str) -> Pattern {
    Pattern::parse(query, CaseMatching::Ignore, Normalization::Smart)
}

/// Whether every line `query` matches also matched `previous`: the query only
/// grew, and has none of the syntax that can widen a match as it grows
/// (`!not` matches less as `not` grows, so its negation matches more).
fn narrows(previous: &str, query: &str) -> bool {
    let plain = |q: &str| !q.contains(['!', '\'', '^', '$', '\\']);
    !previous.is_empty() && query.starts_with(previous) && plain(previous) && plain(query)
}

/// The pattern's score against its own text: the best any line can do.
fn perfect_score(pattern: &Pattern, matcher: &mut Matcher) -> f32 {
    let mut perfect = 0u32;
    for atom in pattern.atoms.iter().filter(|a| !a.negative) {
        perfect += u32::from(atom.score(atom.needle_text(), matcher).unwrap_or(0));
    }
    perfect.max(1) as f32
}

/// Letters and digits every matching line must contain.
fn required_characters(pattern: &Pattern) -> u64 {
    pattern
        .atoms
        .iter()
        .filter(|a| !a.negative)
        .flat_map(|a| a.needle_text().chars().collect::<Vec<_>>())
        .fold(0, |set, c| set | character_bit(c))
}

fn character_set(text: &str) -> u64 {
    text.chars().fold(0, |set, c| set | character_bit(c))
}

/// One bit per ASCII letter (either case) and digit; nothing for other
/// characters, which nucleo may fold to one of them.
fn character_bit(c: char) -> u64 {
    match c.to_ascii_lowercase() {
        c @ 'a'..='z' => 1 << (c as u32 - 'a' as u32),
        c @ '0'..='9' => 1 << (26 + c as u32 - '0' as u32),
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::Catalogue;

    fn fuzzy() -> (Catalogue, Fuzzy) {
        let catalogue = Catalogue::embedded().unwrap();
        let fuzzy = Fuzzy::new(catalogue.entries());
        (catalogue, fuzzy)
    }

    fn best(fuzzy: &mut Fuzzy, query: &str) -> String {
        let mut matches = fuzzy.names(query).to_vec();
        matches.sort_by(|a, b| b.quality.total_cmp(&a.quality).then(a.len.cmp(&b.len)));
        fuzzy.line_text(matches[0].line)
    }

    #[test]
    fn squeezed_abbreviations_match_name_lines() {
        let (_, mut fuzzy) = fuzzy();
        assert_eq!(best(&mut fuzzy, "bdgw"), "502 Bad Gateway RFC 9110");
        assert_eq!(best(&mut fuzzy, "svcunav"), "503 Service Unavailable RFC 9110");
        assert!(best(&mut fuzzy, "gtwtmt").starts_with("504 Gateway Timeout"));
    }

    #[test]
    fn growing_a_query_narrows_from_the_last_lines() {
        let (_, mut fuzzy) = fuzzy();
        let wide = fuzzy.names("gt").len();
        let narrow = fuzzy.names("gtwy").to_vec();
        assert!(narrow.len() < wide);
        let mut fresh = Fuzzy::new(Catalogue::embedded().unwrap().entries());
        assert_eq!(fresh.names("gtwy"), narrow.as_slice());
        assert!(!narrows("gt !a", "gt !ab"));
    }

    #[test]
    fn highlights_are_sorted_and_split_by_field() {
        let (catalogue, mut fuzzy) = fuzzy();
        let m = *fuzzy.names("52 cldflr").iter().find(|m| catalogue.entries()[m.entry as usize].code == 522).unwrap();
        let h = fuzzy.highlights("52 cldflr", m.line);
        assert_eq!(h.code, [0, 1]);
        assert_eq!(h.source, [0, 1, 4, 5, 6, 8]);
        assert!(h.name.is_empty());
    }

    #[test]
    fn a_long_needle_is_not_an_abbreviation() {
        let (_, mut fuzzy) = fuzzy();
        assert!(fuzzy.names(&"a".repeat(MAX_NEEDLE_CHARS)).is_empty());
        assert!(fuzzy.names("").is_empty());
    }
}
