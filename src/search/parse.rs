//! The query text as words, with fzf's syntax: `'exact`, `^prefix`, `suffix$`, `!not`.

use super::tokens::{for_each_token, is_number, is_stopword};

/// At most this many words of a query take part: a pasted page is searched by
/// its beginning, and matched-word sets fit in a `u64`.
pub const MAX_WORDS: usize = 64;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Whole word, word prefix or, from four letters, a near spelling.
    Plain,
    /// `'word`: any word containing the text, nothing fuzzy.
    Substring,
    /// `^word`: a name, source or signal that starts with the word.
    Start,
    /// `word$`: a name, source or signal that ends with a word ending so.
    End,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    /// Lower-case, as the catalogue is indexed.
    pub text: String,
    pub kind: Kind,
    pub negative: bool,
    /// The last word of a query that does not end in a space: still being typed,
    /// so any word it begins matches well.
    pub typing: bool,
    /// The word stood alone between spaces, punctuation aside: `502` and `(502)`,
    /// not the `200` of `10.0.200.5`.
    pub bare: bool,
    /// A word said around a code or class ("HTTP 503", "5xx server error"): it
    /// does not narrow the code's entries.
    pub decoration: bool,
}

impl Word {
    /// A stopword or a lone letter ("i'm", "x-forwarded"): it never decides
    /// whether an entry matches, unless the query has nothing else.
    pub fn is_weak(&self) -> bool {
        self.decoration
            || is_stopword(&self.text)
            || (self.text.chars().count() == 1 && !self.text.starts_with(|c: char| c.is_numeric()))
    }

    /// Digits only.
    pub fn is_number(&self) -> bool {
        is_number(&self.text)
    }

    /// A status code or the start of one: digits only, at most three.
    pub fn is_code(&self) -> bool {
        self.text.len() <= 3 && is_number(&self.text)
    }

    /// `4xx`, `5XX`: a whole class.
    pub fn class_digit(&self) -> Option<u8> {
        let bytes = self.text.as_bytes();
        (bytes.len() == 3 && (b'1'..=b'5').contains(&bytes[0]) && &bytes[1..] == b"xx").then(|| bytes[0] - b'0')
    }
}

/// The query's words in order, negated ones included, at most [`MAX_WORDS`]
/// positive ones.
pub fn words(query: &str) -> Vec<Word> {
    let mut words: Vec<Word> = Vec::new();
    let mut positive = 0;
    for atom in query.split_whitespace() {
        let (negative, rest) = match atom.strip_prefix('!') {
            Some(rest) => (true, rest),
            None => (false, atom),
        };
        let (kind, rest) = if let Some(rest) = rest.strip_prefix('\'') {
            (Kind::Substring, rest)
        } else if let Some(rest) = rest.strip_prefix('^') {
            (Kind::Start, rest)
        } else if let Some(rest) = rest.strip_suffix('$').filter(|r| !r.is_empty()) {
            (Kind::End, rest)
        } else {
            (Kind::Plain, rest)
        };
        let first = words.len();
        for_each_token(rest, |text, _, _| {
            words.push(Word {
                text: plural_code(text).to_string(),
                kind: Kind::Plain,
                negative,
                typing: false,
                bare: false,
                decoration: false,
            })
        });
        if let [only] = &mut words[first..] {
            only.bare = true;
        }
        let atom_words = &mut words[first..];
        // An anchor applies to the atom's first or last word, quoting to every word.
        match kind {
            Kind::Start => atom_words.first_mut().into_iter().for_each(|w| w.kind = Kind::Start),
            Kind::End => atom_words.last_mut().into_iter().for_each(|w| w.kind = Kind::End),
            Kind::Substring => atom_words.iter_mut().for_each(|w| w.kind = Kind::Substring),
            Kind::Plain => {}
        }
        if !negative {
            positive += atom_words.len();
            if positive >= MAX_WORDS {
                let over = positive - MAX_WORDS;
                words.truncate(words.len() - over);
                break;
            }
        }
    }
    mark_decoration(&mut words);
    let still_typing = !query.ends_with(char::is_whitespace);
    if let Some(last) = words.iter_mut().rev().find(|w| !w.negative).filter(|_| still_typing) {
        last.typing = last.kind == Kind::Plain;
    }
    words
}

/// `502s` is 502 said in the plural.
fn plural_code(token: &str) -> &str {
    match token.strip_suffix('s') {
        Some(code) if code.len() == 3 && is_number(code) => code,
        _ => token,
    }
}

/// Words that only say what a code or class is: `HTTP 503`, `error 504`,
/// `status=429`, `< HTTP/2 502`, `4xx client errors`.
fn is_decoration(word: &str) -> bool {
    matches!(
        word,
        "http"
            | "https"
            | "status"
            | "code"
            | "codes"
            | "error"
            | "errors"
            | "err"
            | "response"
            | "responses"
            | "reply"
            | "got"
            | "returned"
            | "returns"
            | "server"
            | "client"
            | "success"
            | "successful"
            | "redirect"
            | "redirects"
            | "redirection"
            | "informational"
    ) || (word.len() == 1 && is_number(word))
}

/// In a short query with one whole code or class, the words around it that only
/// say what it is take no part: the code's entries are listed as for the code alone.
fn mark_decoration(words: &mut [Word]) {
    let positive = || words.iter().filter(|w| !w.negative);
    let whole_codes = positive().filter(|w| (w.is_code() && w.text.len() == 3) || w.class_digit().is_some()).count();
    if whole_codes != 1 || positive().count() > 4 {
        return;
    }
    for word in words.iter_mut().filter(|w| !w.negative && w.kind == Kind::Plain && is_decoration(&w.text)) {
        word.decoration = true;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syntax_marks_words() {
        let w = words("^gate time$ 'exact !cloudflare x-forwarded-for");
        let summary: Vec<(&str, Kind, bool)> = w.iter().map(|w| (w.text.as_str(), w.kind, w.negative)).collect();
        assert_eq!(
            summary,
            [
                ("gate", Kind::Start, false),
                ("time", Kind::End, false),
                ("exact", Kind::Substring, false),
                ("cloudflare", Kind::Plain, true),
                ("x", Kind::Plain, false),
                ("forwarded", Kind::Plain, false),
                ("for", Kind::Plain, false),
            ]
        );
        assert!(w[6].typing && !w[0].typing);
        assert!(!words("gateway ").iter().any(|w| w.typing));
    }

    #[test]
    fn codes_and_classes_are_recognised() {
        let w = words("524 5xx 52 1020");
        assert!(w[0].is_code() && w[2].is_code() && !w[3].is_code());
        assert_eq!(w[1].class_digit(), Some(5));
    }

    #[test]
    fn words_around_a_code_only_say_what_it_is() {
        let decorated = |q: &str| words(q).iter().filter(|w| w.decoration).map(|w| w.text.clone()).collect::<Vec<_>>();
        assert_eq!(decorated("< HTTP/2 502"), ["http", "2"]);
        assert_eq!(decorated("5xx server error"), ["server", "error"]);
        assert!(decorated("server error").is_empty());
        assert!(decorated("http 502 504").is_empty());
        assert_eq!(words("lots of 502s")[2].text, "502");
        assert_eq!(words("5000s")[0].text, "5000s");
    }

    #[test]
    fn a_pasted_page_is_cut_to_the_word_limit() {
        let text = "word ".repeat(1_000);
        assert_eq!(words(&text).len(), MAX_WORDS);
    }
}
