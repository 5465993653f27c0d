//! Typo tolerance: the catalogue's words within a small edit distance of a query
//! word, counting insertions, deletions, substitutions and swaps of neighbours
//! (optimal string alignment, the restricted Damerau–Levenshtein distance).

use super::index::{Index, letter_set};

/// Edits allowed for a word of this many characters: none below 4, as search
/// engines do, one up to 7, two from 8.
pub fn allowed_edits(chars: usize) -> usize {
    match chars {
        0..=3 => 0,
        4..=7 => 1,
        _ => 2,
    }
}

/// (term id, edits) for every term within the allowed distance of `word`, other
/// than the word itself. Words with digits never match by typo: 504 is not 503.
pub fn near_terms(index: &Index, word: &str) -> Vec<(u32, usize)> {
    let chars = word.chars().count();
    let edits = allowed_edits(chars);
    if edits == 0 || word.chars().any(|c| !c.is_alphabetic()) {
        return Vec::new();
    }
    let letters = letter_set(word);
    let mut near = Vec::new();
    for (id, term) in index.terms.iter() {
        // Each edit changes the set of letters present by at most two, and the
        // length by at most one: cheap tests that reject almost every term.
        if (index.letters[id as usize] ^ letters).count_ones() as usize > 2 * edits
            || term.len().abs_diff(word.len()) > edits * 4
        {
            continue;
        }
        let term_chars = term.chars().count();
        if term_chars.abs_diff(chars) > edits || term.chars().any(|c| !c.is_alphabetic()) {
            continue;
        }
        let distance = strsim::osa_distance(word, term);
        if distance > 0 && distance <= edits {
            near.push((id, distance));
        }
    }
    near
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_budget_grows_with_length() {
        assert_eq!([3, 4, 7, 8, 12].map(allowed_edits), [0, 1, 1, 2, 2]);
    }
}
