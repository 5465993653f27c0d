//! What container tooling puts in front of a log line, taken off before the
//! line is read (Docker's json-file `{"log": ...}` is unwrapped by the JSON
//! reader instead, as it needs decoding):
//!
//! ```text
//! kubectl logs --prefix:      [pod/web-7d9f/nginx] 10.0.0.1 - - [07/Feb/2020:11:48:51 +0000] "GET / HTTP/1.1" 200 ...
//! docker compose logs:        web-1  | 10.0.0.1 - - [07/Feb/2020:11:48:51 +0000] ...
//! kubectl/docker --timestamps 2020-02-07T11:48:51.123456789Z [2020-02-07T11:48:51.054Z] "GET / HTTP/2" 503 UF ...
//! CRI (containerd, CRI-O):    2020-02-07T11:48:51.123456789Z stdout F {"status":200}
//! ```

use memchr::memchr;

use super::time::parse_iso;

/// Prefixes taken off one line at most, as they nest (`--prefix` outside `--timestamps`).
const MAX_LAYERS: usize = 3;
/// A compose service name is short; a `|` further in is part of the line.
const MAX_SERVICE: usize = 64;

/// `[pod/NAME/CONTAINER] `, as `kubectl logs --prefix` writes it (also for
/// other kinds of object: `[deployment/web/nginx] `).
fn kubectl_prefix(line: &[u8]) -> Option<&[u8]> {
    let rest = line.strip_prefix(b"[")?;
    let close = memchr(b']', rest)?;
    let name = &rest[..close];
    if name.iter().filter(|&&b| b == b'/').count() != 2 || name.contains(&b' ') {
        return None;
    }
    rest[close + 1..].strip_prefix(b" ")
}

/// `service-1  | `: a name, padding, a bar and a space.
fn compose_prefix(line: &[u8]) -> Option<&[u8]> {
    let bar = memchr(b'|', &line[..line.len().min(MAX_SERVICE)])?;
    let name = line[..bar].trim_ascii_end();
    let service = |b: &u8| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.');
    if name.is_empty() || !name.iter().all(service) || bar == name.len() {
        return None;
    }
    let rest = &line[bar + 1..];
    Some(rest.strip_prefix(b" ").unwrap_or(rest))
}

/// A leading RFC 3339 time (and CRI's stream and partial flag after it); the
/// time is kept for a line that has none of its own.
fn timestamp_prefix(line: &[u8]) -> Option<(&[u8], i64)> {
    if !line.first().is_some_and(u8::is_ascii_digit) {
        return None;
    }
    let space = memchr(b' ', line)?;
    let time = parse_iso(&line[..space])?;
    let rest = &line[space + 1..];
    for stream in [b"stdout ".as_slice(), b"stderr "] {
        if let Some([b'F' | b'P', b' ', line @ ..]) = rest.strip_prefix(stream) {
            return Some((line, time));
        }
    }
    Some((rest, time))
}

/// The line without the prefixes it has, and the time a prefix gave.
pub fn strip(line: &[u8]) -> (&[u8], Option<i64>) {
    let mut line = line;
    let mut time = None;
    for _ in 0..MAX_LAYERS {
        if let Some(rest) = kubectl_prefix(line).or_else(|| compose_prefix(line)) {
            line = rest;
        } else if let Some((rest, stamp)) = timestamp_prefix(line) {
            line = rest;
            time = time.or(Some(stamp));
        } else {
            break;
        }
    }
    (line, time)
}

/// Whether most of these lines carry a prefix, so every line of the file is
/// stripped before it is read.
pub fn prefixed<'a>(lines: impl Iterator<Item = &'a [u8]>) -> bool {
    let (mut with, mut all) = (0, 0);
    for line in lines {
        all += 1;
        if strip(line).0.len() != line.len() {
            with += 1;
        }
    }
    all > 0 && with * 2 > all
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_prefix_and_nested() {
        assert_eq!(strip(b"[pod/web-7d9f/nginx] 1.2.3.4 - -").0, b"1.2.3.4 - -");
        assert_eq!(strip(b"caddy  | {\"status\":304}").0, b"{\"status\":304}");
        assert_eq!(strip(b"web-1  | x").0, b"x");
        let (rest, time) = strip(b"2024-06-02T13:35:27.054Z [2024-06-02T13:35:27.054Z] \"GET / HTTP/2\" 503");
        assert_eq!((rest, time), (b"[2024-06-02T13:35:27.054Z] \"GET / HTTP/2\" 503".as_slice(), Some(1_717_335_327)));
        assert_eq!(strip(b"2024-06-02T13:35:27Z stdout F {\"a\":1}").0, b"{\"a\":1}");
        assert_eq!(strip(b"[pod/a/b] 2024-06-02T13:35:27Z stderr P x").0, b"x");
    }

    #[test]
    fn lines_without_a_prefix_are_left_alone() {
        // An ELB line starts with its own time, which `strip` would take: the
        // choice to strip is made per file, by which reading counts more.
        for line in [
            b"1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] \"GET /a|b HTTP/1.0\" 200 1".as_slice(),
            b"[2016-04-15T20:17:00.310Z] \"POST /api HTTP/2\" 204 -",
            b"| leading bar",
            b"2002-05-02 17:42:15 172.22.255.255 GET /a.jpg 200",
        ] {
            assert_eq!(strip(line), (line, None), "{}", String::from_utf8_lossy(line));
        }
        assert!(!prefixed([b"a".as_slice(), b"[pod/a/b] c", b"d"].into_iter()));
        assert!(prefixed([b"[pod/a/b] c".as_slice(), b"[pod/a/b] d"].into_iter()));
    }
}
