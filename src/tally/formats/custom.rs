//! The escape hatch for a log no known format reads: `--field N` takes the
//! status from the Nth field split at runs of spaces (awk's `$N`), and
//! `--regex RE` from the group named `status` (else the first group), with
//! optional groups `path`, `host`, `target`, `client` and `time`.

use std::borrow::Cow;

use regex::bytes::Regex;

use super::time::{parse_clf, parse_iso};
use super::{Origin, Parsed, Record, Reject, status_digits, words};

#[derive(Debug)]
pub enum Custom {
    /// 1-based, as awk counts.
    Field(usize),
    Regex(Regex),
}

/// Compiles `--regex`; it must have a group to read the status from.
pub fn compile(pattern: &str) -> Result<Regex, String> {
    let regex = Regex::new(pattern).map_err(|err| format!("--regex: {err}"))?;
    if regex.captures_len() < 2 {
        return Err("--regex needs a group for the status: (?P<status>\\d{3}) or (\\d{3})".to_string());
    }
    Ok(regex)
}

impl Custom {
    pub fn regex(pattern: &str) -> Result<Self, String> {
        compile(pattern).map(Custom::Regex)
    }

    pub fn describe(&self) -> &'static str {
        match self {
            Custom::Field(_) => "the status field given with --field",
            Custom::Regex(_) => "the pattern given with --regex",
        }
    }

    pub fn parse<'a>(&mut self, line: &'a [u8]) -> Parsed<'a> {
        match self {
            Custom::Field(n) => match words(line).nth(n.saturating_sub(1)) {
                None => Parsed::Reject(Reject::Layout),
                Some(field) => match status_digits(field) {
                    Some(status) => Parsed::Record(Record::new(status, Origin::WebServer, None)),
                    None => Parsed::Reject(Reject::Status),
                },
            },
            Custom::Regex(regex) => {
                let Some(captures) = regex.captures(line) else { return Parsed::Reject(Reject::Layout) };
                let Some(status) = captures.name("status").or_else(|| captures.get(1)) else {
                    return Parsed::Reject(Reject::Status);
                };
                let Some(status) = status_digits(status.as_bytes()) else { return Parsed::Reject(Reject::Status) };
                let group = |name: &str| captures.name(name).map(|m| m.as_bytes()).filter(|t| !t.is_empty());
                let time = group("time").and_then(|t| parse_iso(t).or_else(|| parse_clf(t)));
                let mut record = Record::new(status, Origin::WebServer, time);
                record.detail.path = group("path").map(Cow::Borrowed);
                record.detail.host = group("host").map(Cow::Borrowed);
                record.detail.target = group("target").map(Cow::Borrowed);
                record.detail.client = group("client").map(Cow::Borrowed);
                Parsed::Record(record)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_field_as_awk_counts() {
        let mut parser = Custom::Field(3);
        assert!(matches!(parser.parse(b"a  b 502 c"), Parsed::Record(Record { status: 502, .. })));
        assert_eq!(parser.parse(b"a b"), Parsed::Reject(Reject::Layout));
        assert_eq!(parser.parse(b"a b ok"), Parsed::Reject(Reject::Status));
    }

    #[test]
    fn a_regex_with_named_groups() {
        // uWSGI's request log: "... POST /update_metrics => generated 47 bytes ... (HTTP/1.1 200) ..."
        let mut parser = Custom::regex(r"(?P<path>/\S*) => .*\(HTTP/[\d.]+ (?P<status>\d{3})\)").unwrap();
        let line = b"[pid: 88185|app: 0|req: 1/1] 127.0.0.1 () {38 vars in 696 bytes} [Sun Mar 13 22:49:12 2016] \
            POST /update_metrics => generated 47 bytes in 129 msecs (HTTP/1.1 200) 2 headers in 73 bytes";
        let Parsed::Record(record) = parser.parse(line) else { panic!() };
        assert_eq!((record.status, record.detail.path.as_deref()), (200, Some(b"/update_metrics".as_slice())));
        assert!(Custom::regex("no group").is_err());
        assert!(Custom::regex("(unclosed").is_err());
    }
}
