//! nginx and Apache access logs: `combined` and `common`, and any variant that
//! keeps the `[time] "request" status` run (a virtual host in front, extra
//! fields behind):
//!
//! ```text
//! 203.0.113.9 - - [10/Oct/2000:13:55:36 -0700] "GET /a.gif HTTP/1.0" 200 2326 "http://x/" "curl/8.5.0"
//! ```

use std::borrow::Cow;
use std::iter::Peekable;

use memchr::{memchr, memrchr};

use super::time::{TimeCache, parse_clf};
use super::{Detail, Origin, Parsed, Record, Reject, Upstream, status_digits, upstream_status, words};

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
            record.detail = detail(&line[..open], &line[close + 3..request_end]);
            if let Some(upstream) = upstreams(&rest[status_end..]) {
                record.detail.target = upstream.target();
                record.upstream = upstream.status;
            }
        }
        Parsed::Record(record)
    }
}

/// The client (and a virtual host before it) from the words before the time,
/// and the path from the request.
fn detail<'a>(before: &'a [u8], request: &'a [u8]) -> Detail<'a> {
    // `client ident user`, maybe after `vhost[:port]`, read from the end; an
    // X-Forwarded-For list ends each address but the last with a comma.
    let mut from_end = before.rsplit(|&b| b == b' ').filter(|w| !w.is_empty());
    let client = from_end.nth(2);
    let host = from_end.next().filter(|h| !h.ends_with(b","));
    let path = words(request).nth(1);
    Detail { path: shown(path), host: shown(host), target: None, client: shown(client) }
}

fn shown(field: Option<&[u8]>) -> Option<Cow<'_, [u8]>> {
    field.filter(|f| !f.is_empty() && *f != b"-").map(Cow::Borrowed)
}

/// What ingress-nginx's `upstreaminfo` format logs after the status
/// (docs/user-guide/nginx-configuration/log-format.md):
///
/// ```text
/// ... [$proxy_upstream_name] [$proxy_alternative_upstream_name] $upstream_addr
///     $upstream_response_length $upstream_response_time $upstream_status $req_id
/// ```
///
/// A format with only the `[name]` gives the name alone.
#[derive(Debug, PartialEq, Eq)]
struct Upstreams<'a> {
    name: Option<&'a [u8]>,
    /// The server that gave the last answer.
    address: Option<&'a [u8]>,
    /// Its status, `None` for nginx's `-` (no server answered).
    status: Option<Upstream>,
}

impl<'a> Upstreams<'a> {
    /// From the `[` that starts the name.
    fn read(from: &'a [u8]) -> Option<Self> {
        let (name, after) = bracketed(from)?;
        let mut upstreams = Upstreams { name: Some(name).filter(|n| !n.is_empty()), address: None, status: None };
        let Some((_alternative, after)) = after.strip_prefix(b" ").and_then(bracketed) else {
            return Some(upstreams);
        };
        let mut values = words(after).peekable();
        let address = last_answer(&mut values);
        let _length_and_time = (last_answer(&mut values), last_answer(&mut values));
        // Another format's fields after the brackets leave the name alone.
        let Some(status) = last_answer(&mut values).and_then(upstream_status) else { return Some(upstreams) };
        upstreams.address = address.filter(|a| *a != b"-");
        upstreams.status = Some(status);
        Some(upstreams)
    }

    /// The address where the line has one, after the upstream's name:
    /// `default-shop-80 10.1.0.5:80`.
    fn target(&self) -> Option<Cow<'a, [u8]>> {
        match (self.name, self.address) {
            (Some(name), Some(address)) => Some(Cow::Owned([name, b" ", address].concat())),
            (one, other) => one.or(other).map(Cow::Borrowed),
        }
    }
}

/// The upstream fields after the status, if the line has a `[name]` after the
/// referer and user agent (whose text may hold brackets too). A line without
/// brackets, as most are, costs one memchr.
fn upstreams(after_status: &[u8]) -> Option<Upstreams<'_>> {
    let first = memchr(b'[', after_status)?;
    let from = memrchr(b'"', after_status).map_or(first, |quote| quote.max(first));
    let open = from + memchr(b'[', &after_status[from..])?;
    Upstreams::read(&after_status[open..])
}

/// `[text] rest` → (`text`, ` rest`).
fn bracketed(from: &[u8]) -> Option<(&[u8], &[u8])> {
    let inside = from.strip_prefix(b"[")?;
    let close = memchr(b']', inside)?;
    Some((&inside[..close], &inside[close + 1..]))
}

/// The last value of nginx's next upstream variable: a value per server
/// tried, joined by `, ` (and ` : ` across an internal redirect), so the last
/// is the server that answered.
fn last_answer<'a>(words: &mut Peekable<impl Iterator<Item = &'a [u8]>>) -> Option<&'a [u8]> {
    let mut last = words.next()?;
    while last.ends_with(b",") || words.next_if(|w| *w == b":").is_some() {
        last = words.next()?;
    }
    Some(last)
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
        assert_eq!(text(&record.detail.target).as_deref(), Some("default-shop-80 10.1.0.5:80"));
        assert_eq!(record.upstream, Some(Some(502)));
        let vhost = "example.org:80 203.0.113.9 - - [10/Oct/2000:13:55:36 -0700] \"GET /a HTTP/1.0\" 200 1";
        let Parsed::Record(record) = parser.parse(vhost.as_bytes()) else { panic!("not parsed") };
        assert_eq!(text(&record.detail.host).as_deref(), Some("example.org:80"));
        assert_eq!(text(&record.detail.client).as_deref(), Some("203.0.113.9"));
    }

    /// Lines in ingress-nginx's documented `upstreaminfo` format, from the
    /// status on.
    fn ingress_upstream(after_status: &str) -> (Option<String>, Option<Upstream>) {
        let line = format!(
            "192.0.2.7 - - [07/Feb/2020:11:48:51 +0000] \"GET /cart HTTP/1.1\" {after_status} 4c7d2079340e68353c7d0dfff00b904b"
        );
        let mut parser = Clf { detail: true, ..Clf::default() };
        let Parsed::Record(record) = parser.parse(line.as_bytes()) else { panic!("not parsed: {line}") };
        (record.detail.target.map(|t| String::from_utf8_lossy(&t).into_owned()), record.upstream)
    }

    #[test]
    fn ingress_nginx_upstream_address_and_status() {
        let base = "502 150 \"-\" \"curl/8.5.0\" 89 0.004";
        assert_eq!(
            ingress_upstream(&format!("{base} [shop-cart-8080] [] 10.1.0.5:8080 0 0.004 502")),
            (Some("shop-cart-8080 10.1.0.5:8080".into()), Some(Some(502)))
        );
        // nginx tried two servers, then an internal redirect sent the request to a third.
        assert_eq!(
            ingress_upstream(&format!(
                "{base} [shop-cart-8080] [] 10.1.0.5:8080, 10.1.0.6:8080 : 10.1.0.9:8080 0, 0 : 150 0.001, 0.002 : 0.001 502, 502 : 503"
            )),
            (Some("shop-cart-8080 10.1.0.9:8080".into()), Some(Some(503)))
        );
        // A 400 nginx answered itself: no upstream, no status behind it.
        assert_eq!(ingress_upstream("400 163 \"-\" \"-\" 0 0.000 [] [] - - - -"), (None, Some(None)));
        // Only the name, when the fields after the brackets are not the upstream ones.
        assert_eq!(
            ingress_upstream(&format!("{base} [shop-cart-8080] [] extra")),
            (Some("shop-cart-8080".into()), None)
        );
        assert_eq!(ingress_upstream(&format!("{base} [shop-cart-8080]")), (Some("shop-cart-8080".into()), None));
        // A bracket in the user agent is not the upstream's name.
        assert_eq!(
            ingress_upstream(
                "502 150 \"-\" \"Mozilla/5.0 [FBAN/FBIOS]\" 89 0.004 [shop-cart-8080] [] 10.1.0.5:8080 0 0.004 502"
            ),
            (Some("shop-cart-8080 10.1.0.5:8080".into()), Some(Some(502)))
        );
    }

    #[test]
    fn upstream_fields_are_read_only_for_the_drill_down() {
        let line = "192.0.2.7 - - [07/Feb/2020:11:48:51 +0000] \"GET / HTTP/1.1\" 502 1 \"-\" \"-\" 1 0.1 [a-b-80] [] 10.1.0.5:80 0 0.1 502 x";
        let Parsed::Record(record) = Clf::default().parse(line.as_bytes()) else { panic!("not parsed") };
        assert_eq!((record.upstream, record.detail.target), (None, None));
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
