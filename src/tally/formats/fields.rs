//! The fields of a text log line, and the status numbers in them, as every
//! text format reads them.

use memchr::memchr;

use super::Upstream;

/// A three-digit status, `000` to `999`, as all the text formats write it.
pub fn status_digits(field: &[u8]) -> Option<u16> {
    match field {
        [a, b, c] if a.is_ascii_digit() && b.is_ascii_digit() && c.is_ascii_digit() => {
            Some(u16::from(a - b'0') * 100 + u16::from(b - b'0') * 10 + u16::from(c - b'0'))
        }
        _ => None,
    }
}

/// A status behind the one sent (an ALB target's, an nginx upstream's): a
/// number, or `-` when no response came back.
pub fn upstream_status(field: &[u8]) -> Option<Upstream> {
    if field == b"-" { Some(None) } else { status_digits(field).map(Some) }
}

/// Fields separated by runs of spaces, as awk splits them.
pub fn words(line: &[u8]) -> impl Iterator<Item = &[u8]> + Clone {
    line.split(|&b| b == b' ').filter(|w| !w.is_empty())
}

/// Fields separated by runs of spaces, a double-quoted field kept whole and
/// read without its quotes; an unterminated quote runs to the end of the
/// line, kept as it came. A field may start right after a closing quote.
pub fn quoted_words(line: &[u8]) -> impl Iterator<Item = &[u8]> + Clone {
    let mut at = 0;
    std::iter::from_fn(move || {
        while line.get(at) == Some(&b' ') {
            at += 1;
        }
        let rest = line.get(at..).filter(|r| !r.is_empty())?;
        let (field, taken) = match rest.strip_prefix(b"\"") {
            Some(quoted) => match memchr(b'"', quoted) {
                Some(close) => (&quoted[..close], close + 2),
                None => (rest, rest.len()),
            },
            None => {
                let end = memchr(b' ', rest).unwrap_or(rest.len());
                (&rest[..end], end)
            }
        };
        at += taken;
        Some(field)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(line: &str) -> Vec<&str> {
        quoted_words(line.as_bytes()).map(|f| std::str::from_utf8(f).unwrap()).collect()
    }

    #[test]
    fn quoted_fields_stay_whole() {
        assert_eq!(split(r#"502  "GET / HTTP/1.1" - "#), ["502", "GET / HTTP/1.1", "-"]);
        // beats' ALB sample has a field right after a closing quote.
        assert_eq!(split(r#""-" "-"1 2018"#), ["-", "-", "1", "2018"]);
        assert_eq!(split(r#"a "unterminated b"#), ["a", "\"unterminated b"]);
        assert_eq!(split(r#""""#), [""]);
        assert!(split("   ").is_empty());
    }
}
