//! Splitting text into search words, the same way for the catalogue and the query.
//!
//! Words are runs of letters and digits, lower-cased. Identifiers are split the
//! way people write them in code: on `_`, `-`, `.` and other punctuation, and on
//! case changes (`StatusTooManyRequests` → status too many requests,
//! `HTTPStatus` → http status). Letters and digits stay together (`H12`, `5xx`).

/// Words that carry no meaning on their own. They still count inside a quoted
/// run of words (a signal, a phrase), but never decide whether an entry matches,
/// and prose is indexed without them.
pub fn is_stopword(word: &str) -> bool {
    matches!(
        word,
        "a" | "an"
            | "and"
            | "are"
            | "as"
            | "at"
            | "be"
            | "by"
            | "for"
            | "from"
            | "has"
            | "have"
            | "if"
            | "in"
            | "into"
            | "is"
            | "it"
            | "its"
            | "of"
            | "on"
            | "or"
            | "so"
            | "than"
            | "that"
            | "the"
            | "then"
            | "there"
            | "this"
            | "to"
            | "was"
            | "were"
            | "when"
            | "where"
            | "which"
            | "while"
            | "with"
    )
}

/// Longer runs of letters (a pasted token, base64) are cut into words this long.
const MAX_WORD_BYTES: usize = 64;

/// Calls `found(word, start, end)` for each word, reusing one buffer: the index
/// tokenises the whole catalogue at start-up and must not allocate per word.
pub fn for_each_token(text: &str, found: impl FnMut(&str, u32, u32)) {
    if text.is_ascii() {
        ascii_tokens(text, found);
    } else {
        unicode_tokens(text, found);
    }
}

/// The same rules on bytes: most of the catalogue is ASCII, and tokenising it
/// is most of the index's start-up cost. Words already in lower case are passed
/// on as slices of the text, without copying.
fn ascii_tokens(text: &str, mut found: impl FnMut(&str, u32, u32)) {
    let bytes = text.as_bytes();
    let mut lower = String::with_capacity(MAX_WORD_BYTES);
    let mut emit = |start: usize, end: usize| {
        let mut from = start;
        while from < end {
            let to = end.min(from + MAX_WORD_BYTES);
            // ASCII: every byte offset is a character boundary.
            let word = &text[from..to];
            if word.bytes().any(|b| b.is_ascii_uppercase()) {
                lower.clear();
                lower.push_str(word);
                lower.make_ascii_lowercase();
                found(&lower, from as u32, to as u32);
            } else {
                found(word, from as u32, to as u32);
            }
            from = to;
        }
    };
    let mut i = 0;
    while i < bytes.len() {
        while i < bytes.len() && !bytes[i].is_ascii_alphanumeric() {
            i += 1;
        }
        let start = i;
        while i < bytes.len() && bytes[i].is_ascii_alphanumeric() {
            i += 1;
        }
        let run = &bytes[start..i];
        if run.len() < 2 || !run[1..].iter().any(u8::is_ascii_uppercase) {
            if !run.is_empty() {
                emit(start, i);
            }
            continue;
        }
        // An identifier: split where the case changes.
        let mut from = 0;
        for k in 1..run.len() {
            let (previous, c) = (run[k - 1], run[k]);
            let camel = previous.is_ascii_lowercase() && c.is_ascii_uppercase();
            let acronym_end = previous.is_ascii_uppercase()
                && c.is_ascii_uppercase()
                && run.get(k + 1).is_some_and(u8::is_ascii_lowercase);
            if camel || acronym_end {
                emit(start + from, start + k);
                from = k;
            }
        }
        emit(start + from, i);
    }
}

fn unicode_tokens(text: &str, mut found: impl FnMut(&str, u32, u32)) {
    let mut word = String::new();
    let mut start = 0u32;
    let mut previous: Option<char> = None;
    let mut position = 0u32;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let i = position;
        position += 1;
        if !c.is_alphanumeric() {
            if !word.is_empty() {
                found(&word, start, i);
                word.clear();
            }
            previous = None;
            continue;
        }
        if word.len() >= MAX_WORD_BYTES {
            found(&word, start, i);
            word.clear();
        } else if let Some(p) = previous {
            // lower→Upper ("tooMany") and the last capital of an acronym before a
            // lower-case letter ("HTTPStatus": the S starts "Status").
            let camel = p.is_lowercase() && c.is_uppercase();
            let acronym_end = p.is_uppercase() && c.is_uppercase() && chars.peek().is_some_and(|n| n.is_lowercase());
            if camel || acronym_end {
                found(&word, start, i);
                word.clear();
            }
        }
        if word.is_empty() {
            start = i;
        }
        word.extend(c.to_lowercase());
        previous = Some(c);
    }
    if !word.is_empty() {
        found(&word, start, position);
    }
}

/// True when every character is an ASCII digit.
pub fn is_number(word: &str) -> bool {
    !word.is_empty() && word.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(text: &str) -> Vec<(String, u32, u32)> {
        let mut out = Vec::new();
        for_each_token(text, |word, start, end| out.push((word.to_string(), start, end)));
        out
    }

    fn words(text: &str) -> Vec<String> {
        tokens(text).into_iter().map(|t| t.0).collect()
    }

    #[test]
    fn identifiers_split_on_punctuation_and_case() {
        assert_eq!(words("GATEWAY_TIMEOUT"), ["gateway", "timeout"]);
        assert_eq!(words("StatusTooManyRequests"), ["status", "too", "many", "requests"]);
        assert_eq!(words("HTTPStatus.GATEWAY_TIMEOUT"), ["http", "status", "gateway", "timeout"]);
        assert_eq!(words("x-forwarded-for"), ["x", "forwarded", "for"]);
        assert_eq!(words("ERR_TOO_MANY_REDIRECTS"), ["err", "too", "many", "redirects"]);
        assert_eq!(words("H12 5xx 404.13"), ["h12", "5xx", "404", "13"]);
        assert_eq!(words("curl: (52) Empty reply"), ["curl", "52", "empty", "reply"]);
    }

    #[test]
    fn positions_are_characters_of_the_original() {
        let t = tokens("Ça marche—très bien");
        assert_eq!(t[0], ("ça".to_string(), 0, 2));
        assert_eq!((t[2].1, t[2].2), (10, 14));
    }

    #[test]
    fn ascii_and_unicode_paths_agree() {
        let text = "HTTPStatus.GATEWAY_TIMEOUT tooMany H12 x-forwarded-for (52) a";
        let mut unicode = Vec::new();
        unicode_tokens(text, |w, s, e| unicode.push((w.to_string(), s, e)));
        assert_eq!(tokens(text), unicode);
        assert_eq!(words(&"y".repeat(100)), ["y".repeat(64), "y".repeat(36)]);
    }

    #[test]
    fn stopwords_are_only_the_empty_words() {
        assert!(is_stopword("while") && is_stopword("the"));
        assert!(!is_stopword("not") && !is_stopword("too") && !is_stopword("many"));
    }
}
