//! nginx and Apache access logs: `combined` and `common`, and any variant that
//! keeps the `[time] "request" status` run (a virtual host in front, extra
//! fields behind):
//!
//! ```text
//! 203.0.113.9 - - [10/Oct/2000:13:55:36 -0700] "GET /a.gif HTTP/1.0" 200 2326 "http://x/" "curl/8.5.0"
//! ```

use std::borrow::Cow;

use memchr::memchr;

use super::time::{TimeCache, parse_clf};
use super::{Detail, Origin, Parsed, Record, Reject, status_digits, words};

#[derive(Debug, Default)]
pub struct Clf {
    time: TimeCache,
    /// Whether the first understood line had the referer and user agent after the byte count.
    combined: Option<bool>,
    /// Read the client, host, path and upstream too (off by default: the
    /// plain count is the hot path).
    pub detail: bool,
}

impl Clf {
    pub fn describe(&self) -> &'static str {
        match self.combined {
            Some(false) => "nginx/Apache common",
            _ => "nginx/Apache combined",
        }
    }

    /// Combined or common, once the first record said.
    pub fn layout(&self) -> Option<bool> {
        self.combined
    }

    pub fn parse<'a>(&mut self, line: &'a [u8]) -> Parsed<'a> {
        let Some(open) = memchr(b'[', line) else { return Parsed::Reject(Reject::Layout) };
        let Some(close) = memchr(b']', &line[open..]).map(|i| open + i) else {
            return Parsed::Reject(Reject::Layout);
        };
        if line.get(close + 1..close + 3) != Some(b" \"") {
            return Parsed::Reject(Reject::Layout);
        }
        let Some(request_end) = closing_quote(line, close + 3) else { return Parsed::Reject(Reject::Layout) };
        let rest = &line[request_end + 1..];
        let Some(rest) = rest.strip_prefix(b" ") else { return Parsed::Reject(Reject::Layout) };
        let status_end = memchr(b' ', rest).unwrap_or(rest.len());
        let Some(status) = status_digits(&rest[..status_end]) else { return Parsed::Reject(Reject::Status) };
        if self.combined.is_none() {
            let after_bytes = rest.get(status_end + 1..).and_then(|r| memchr(b' ', r).map(|i| &r[i..]));
            self.combined = Some(after_bytes.is_some_and(|r| r.starts_with(b" \"")));
        }
        let time = self.time.get(&line[open + 1..close], parse_clf);
        let mut record = Record::new(status, Origin::WebServer, time);
        if self.detail {
            record.detail = detail(&line[..open], &line[close + 3..request_end], &rest[status_end..]);
        }
        Parsed::Record(record)
    }
}

/// The client (and a virtual host before it) from the words before the time,
/// the path from the request, and ingress-nginx's `[proxy_upstream_name]`
/// from after the status.
fn detail<'a>(before: &'a [u8], request: &'a [u8], after: &'a [u8]) -> Detail<'a> {
    // `client ident user`, maybe after `vhost[:port]`, read from the end; an
    // X-Forwarded-For list ends each address but the last with a comma.
    let mut from_end = before.rsplit(|&b| b == b' ').filter(|w| !w.is_empty());
    let client = from_end.nth(2);
    let host = from_end.next().filter(|h| !h.ends_with(b","));
    let path = words(request).nth(1);
    let target = memchr(b'[', after).and_then(|open| {
        let name = &after[open + 1..];
        memchr(b']', name).map(|close| &name[..close]).filter(|n| !n.is_empty())
    });
    let shown = |field: Option<&'a [u8]>| field.filter(|f| *f != b"-").map(Cow::Borrowed);
    Detail { path: shown(path), host: shown(host), target: shown(target), client: shown(client) }
}

/// The quote that ends a quoted field starting at `from`. Apache writes a quote
/// inside the field as `\"`; nginx writes `\x22`, so it never appears there.
pub fn closing_quote(line: &[u8], from: usize) -> Option<usize> {
    let mut at = from;
    loop {
        let quote = at + memchr(b'"', line.get(at..)?)?;
        if quote > from && line[quote - 1] == b'\\' && !escaped_backslash(line, from, quote - 1) {
            at = quote + 1;
            continue;
        }
        return Some(quote);
    }
}

/// Whether the backslash at `at` is itself escaped (`\\"` ends the field).
fn escaped_backslash(line: &[u8], from: usize, at: usize) -> bool {
    let run = line[from..=at].iter().rev().take_while(|&&b| b == b'\\').count();
    run % 2 == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(line: &str) -> Option<u16> {
        match Clf::default().parse(line.as_bytes()) {
            Parsed::Record(r) => Some(r.status),
            _ => None,
        }
    }

    #[test]
    fn combined_and_common() {
        let combined = r#"203.0.113.9 - - [10/Oct/2000:13:55:36 -0700] "GET /a.gif HTTP/1.0" 499 0 "-" "curl/8.5.0""#;
        let mut parser = Clf::default();
        let Parsed::Record(record) = parser.parse(combined.as_bytes()) else { panic!("not parsed") };
        assert_eq!((record.status, record.time), (499, Some(971_211_336)));
        assert_eq!(parser.describe(), "nginx/Apache combined");
        let common = "127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] \"GET /apache_pb.gif HTTP/1.0\" 200 2326";
        let mut parser = Clf::default();
        assert!(matches!(parser.parse(common.as_bytes()), Parsed::Record(_)));
        assert_eq!(parser.describe(), "nginx/Apache common");
    }

    #[test]
    fn escaped_quotes_in_the_request() {
        assert_eq!(
            status(r#"1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] "GET /\"x\" HTTP/1.1" 404 1 "-" "-""#),
            Some(404)
        );
        assert_eq!(status(r#"1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] "GET /\\" 400 1"#), Some(400));
    }

    #[test]
    fn detail_when_asked() {
        let line = "shop.example.com:443 10.0.0.2, 192.0.2.7 - - [07/Feb/2020:11:48:51 +0000] \"POST /products?x=1 HTTP/1.1\" \
            502 59 \"-\" \"curl\" 432 0.002 [default-shop-80] [] 10.1.0.5:80 0 0.001 502 abc";
        let mut parser = Clf { detail: true, ..Clf::default() };
        let Parsed::Record(record) = parser.parse(line.as_bytes()) else { panic!("not parsed") };
        let text = |f: &Option<Cow<[u8]>>| f.as_deref().map(|b| String::from_utf8_lossy(b).into_owned());
        assert_eq!(text(&record.detail.client).as_deref(), Some("192.0.2.7"));
        assert_eq!(text(&record.detail.host), None, "an X-Forwarded-For address is not a host");
        assert_eq!(text(&record.detail.path).as_deref(), Some("/products?x=1"));
        assert_eq!(text(&record.detail.target).as_deref(), Some("default-shop-80"));
        let vhost = "example.org:80 203.0.113.9 - - [10/Oct/2000:13:55:36 -0700] \"GET /a HTTP/1.0\" 200 1";
        let Parsed::Record(record) = parser.parse(vhost.as_bytes()) else { panic!("not parsed") };
        assert_eq!(text(&record.detail.host).as_deref(), Some("example.org:80"));
        assert_eq!(text(&record.detail.client).as_deref(), Some("203.0.113.9"));
    }

    #[test]
    fn rejects() {
        assert_eq!(status("hello world"), None);
        assert_eq!(
            Clf::default().parse(b"1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.1\" - 0"),
            Parsed::Reject(Reject::Status)
        );
        assert_eq!(Clf::default().parse(b"[x] \"unterminated"), Parsed::Reject(Reject::Layout));
    }
}
