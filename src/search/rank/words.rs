//! A query word's matches in the catalogue's vocabulary: the word itself, words
//! it begins, and near spellings.

use super::super::index::Index;
use super::super::parse::{Kind, Word};
use super::super::tokens::is_number;
use super::super::typo;
use super::{EXACT, ONE_EDIT, PREFIX, PREFIX_TYPING, TWO_EDITS};

/// One distinct query word and what it matches.
pub struct Group {
    pub word: Word,
    /// Bit per position in the query's positive words.
    pub positions: u64,
    /// Catalogue terms it matches: (term, quality, matched prefix length in
    /// characters, 0 for the whole word).
    pub terms: Vec<(u32, f32, u32)>,
    /// Entries containing it.
    pub document_frequency: usize,
    pub idf: f32,
}

/// Distinct query words with the catalogue terms each matches.
pub fn groups(index: &Index, positive: &[&Word]) -> Vec<Group> {
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
        group.terms = expand(index, &group.word);
    }
    groups
}

/// The catalogue terms a query word matches, with how well.
pub fn expand(index: &Index, word: &Word) -> Vec<(u32, f32, u32)> {
    let text = word.text.as_str();
    let chars = text.chars().count() as u32;
    let mut terms = Vec::new();
    let exact = index.id(text);
    match word.kind {
        Kind::Substring => {
            for (id, term) in index.terms.iter() {
                if term.contains(text) {
                    terms.push((id, EXACT, 0));
                }
            }
            return terms;
        }
        Kind::End => {
            for (id, term) in index.terms.iter() {
                if term.ends_with(text) {
                    terms.push((id, EXACT, 0));
                }
            }
            return terms;
        }
        Kind::Plain | Kind::Start => {}
    }
    terms.extend(exact.map(|id| (id, EXACT, 0)));
    // Numbers match only themselves: 52 is not 520, 404 not 4040.
    if is_number(text) {
        return terms;
    }
    let prefix_quality =
        if word.typing { Some(PREFIX_TYPING) } else { (chars >= 4 || word.kind == Kind::Start).then_some(PREFIX) };
    if let Some(quality) = prefix_quality {
        for id in index.prefix_range(text) {
            if Some(id) != exact {
                terms.push((id, quality, chars));
            }
        }
    }
    if exact.is_none() && word.kind == Kind::Plain && !word.negative {
        for (id, edits) in typo::near_terms(index, text) {
            if !terms.iter().any(|&(t, _, _)| t == id) {
                terms.push((id, if edits == 1 { ONE_EDIT } else { TWO_EDITS }, 0));
            }
        }
    }
    terms
}
