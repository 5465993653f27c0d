//! A query word's matches in the catalogue's vocabulary: the word itself, words
//! it begins, near spellings, and, failing those, the words it abbreviates.

use super::super::fuzzy::Fuzzy;
use super::super::index::Index;
use super::super::parse::{Kind, Word};
use super::super::tokens::is_number;
use super::super::typo;
use super::{ABBREVIATION, EXACT, ONE_EDIT, PREFIX, PREFIX_TYPING, TWO_EDITS};

/// Letters an abbreviation needs: `db` or `gw` could be almost anything.
const MIN_ABBREVIATION_CHARS: usize = 3;

/// One catalogue term a query word matches.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TermMatch {
    pub term: u32,
    pub quality: f32,
    /// Characters matched as a prefix, 0 for the whole word.
    pub prefix: u32,
    /// For an abbreviation, a bit per matched character of the term.
    pub abbreviated: u64,
}

impl TermMatch {
    fn whole(term: u32, quality: f32) -> Self {
        TermMatch { term, quality, prefix: 0, abbreviated: 0 }
    }
}

/// One distinct query word and what it matches.
pub struct Group {
    pub word: Word,
    /// Bit per position in the query's positive words.
    pub positions: u64,
    /// Catalogue terms it matches.
    pub terms: Vec<TermMatch>,
    /// Entries containing it.
    pub document_frequency: usize,
    pub idf: f32,
}

/// Distinct query words with the catalogue terms each matches.
pub fn groups(index: &Index, positive: &[&Word], fuzzy: &mut Fuzzy) -> Vec<Group> {
    let mut groups: Vec<Group> = Vec::new();
    for (position, word) in positive.iter().enumerate() {
        match groups.iter_mut().find(|g| g.word.text == word.text && g.word.kind == word.kind) {
            Some(group) => {
                group.positions |= 1 << position;
                group.word.typing |= word.typing;
            }
            None => groups.push(Group {
                word: (*word).clone(),
                positions: 1 << position,
                terms: Vec::new(),
                document_frequency: 0,
                idf: 0.0,
            }),
        }
    }
    for group in &mut groups {
        group.terms = expand(index, &group.word, Some(fuzzy));
    }
    groups
}

/// The catalogue terms a query word matches, with how well; abbreviations only
/// with a matcher to find them.
pub fn expand(index: &Index, word: &Word, fuzzy: Option<&mut Fuzzy>) -> Vec<TermMatch> {
    let text = word.text.as_str();
    let chars = text.chars().count() as u32;
    let mut terms = Vec::new();
    let exact = index.id(text);
    match word.kind {
        Kind::Substring => {
            for (id, term) in index.terms.iter() {
                if term.contains(text) {
                    terms.push(TermMatch::whole(id, EXACT));
                }
            }
            return terms;
        }
        Kind::End => {
            for (id, term) in index.terms.iter() {
                if term.ends_with(text) {
                    terms.push(TermMatch::whole(id, EXACT));
                }
            }
            return terms;
        }
        Kind::Plain | Kind::Start => {}
    }
    terms.extend(exact.map(|id| TermMatch::whole(id, EXACT)));
    // Numbers match only themselves: 52 is not 520, 404 not 4040.
    if is_number(text) {
        return terms;
    }
    let prefix_quality =
        if word.typing { Some(PREFIX_TYPING) } else { (chars >= 4 || word.kind == Kind::Start).then_some(PREFIX) };
    if let Some(quality) = prefix_quality {
        for id in index.prefix_range(text) {
            if Some(id) != exact {
                terms.push(TermMatch { term: id, quality, prefix: chars, abbreviated: 0 });
            }
        }
    }
    if exact.is_none() && word.kind == Kind::Plain && !word.negative {
        for (id, edits) in typo::near_terms(index, text) {
            if !terms.iter().any(|t| t.term == id) {
                terms.push(TermMatch::whole(id, if edits == 1 { ONE_EDIT } else { TWO_EDITS }));
            }
        }
    }
    let abbreviation = word.kind == Kind::Plain && !word.negative && chars as usize >= MIN_ABBREVIATION_CHARS;
    if let Some(fuzzy) = fuzzy.filter(|_| terms.is_empty() && abbreviation && text.chars().all(char::is_alphabetic)) {
        terms.extend(fuzzy.abbreviations(index, text).into_iter().map(|a| TermMatch {
            term: a.term,
            quality: ABBREVIATION * a.quality,
            prefix: 0,
            abbreviated: a.characters,
        }));
    }
    terms
}
