//! Proxy logs that carry a reason beside the status: HAProxy's HTTP log (with
//! its termination state) and Envoy's default access log (with its response
//! flags).
//!
//! ```text
//! HAProxy (doc/configuration.txt, 8.2.3 "HTTP log format"):
//!   [syslog prefix] client:port [06/Feb/2009:12:14:14.655] frontend backend/server TR/Tw/Tc/Tr/Ta status bytes
//!   req_cookie res_cookie termination_state actconn/... queues {headers} "request"
//!   A custom log-format may add fields (a host after backend/server): the
//!   status is found as the field after the five timers, with a termination
//!   state a few fields on.
//! Envoy (access log "Default Format String"):
//!   [2016-04-15T20:17:00.310Z] "POST /api/v1/locations HTTP/2" 204 - 154 0 226 100 "10.0.35.28" ...
//! ```

use std::borrow::Cow;

use memchr::memchr;

use super::clf::closing_quote;
use super::time::{TimeCache, parse_clf, parse_iso};
use super::{Origin, Parsed, Record, Reject, SignalKind, status_digits, words};

/// Fields between backend/server and the timers a custom log-format may add.
const EXTRA_FIELDS: usize = 4;

#[derive(Debug, Default)]
pub struct HaProxy {
    time: TimeCache,
}

/// HAProxy's termination state: two characters in TCP mode, four in HTTP mode
/// (cause, stream state, then the two persistence-cookie flags).
fn termination_state(field: &[u8]) -> bool {
    const CAUSE: &[u8] = b"CSPLRIDUKcs-";
    const STATE: &[u8] = b"RQCHDLT-";
    matches!(field.len(), 2 | 4) && CAUSE.contains(&field[0]) && STATE.contains(&field[1])
}

impl HaProxy {
    pub fn parse<'a>(&mut self, line: &'a [u8]) -> Parsed<'a> {
        let mut fields = words(line);
        let mut previous: &[u8] = b"";
        let date = loop {
            match fields.next() {
                Some(field) if field.len() > 2 && field[0] == b'[' && field.ends_with(b"]") => {
                    if !previous.contains(&b':') {
                        return Parsed::Reject(Reject::Layout);
                    }
                    break &field[1..field.len() - 1];
                }
                Some(field) => previous = field,
                None => return Parsed::Reject(Reject::Layout),
            }
        };
        let client = previous;
        let (_frontend, backend) = (fields.next(), fields.next());
        let Some(backend) = backend.filter(|b| b.contains(&b'/')) else { return Parsed::Reject(Reject::Layout) };
        if !fields.by_ref().take(EXTRA_FIELDS + 1).any(timers) {
            return Parsed::Reject(Reject::Layout);
        }
        let status = fields.next();
        // bytes, the two cookies, then the state; a custom format may move it a little.
        let Some(state) = fields.take(6).find(|f| termination_state(f)) else { return Parsed::Reject(Reject::Layout) };
        let Some(status) = status.and_then(status_digits) else { return Parsed::Reject(Reject::Status) };
        let time = self.time.get(date, parse_clf);
        let mut record = Record::new(status, Origin::HaProxy, time);
        record.signal = Some((SignalKind::HaProxyTermination, &state[..2]));
        record.detail.target = Some(Cow::Borrowed(backend));
        let address = client.iter().rposition(|&b| b == b':').map_or(client, |colon| &client[..colon]);
        record.detail.client = (!address.is_empty() && address != b"-").then_some(Cow::Borrowed(address));
        if let Some(open) = memchr(b'"', line) {
            record.detail.path = words(&line[open + 1..]).nth(1).map(Cow::Borrowed);
        }
        Parsed::Record(record)
    }
}

/// `TR/Tw/Tc/Tr/Ta`: five numbers, `-1` for a step not reached, `+` before
/// the total when logged as soon as possible.
fn timers(field: &[u8]) -> bool {
    field.iter().filter(|&&b| b == b'/').count() == 4
        && field.iter().all(|&b| b.is_ascii_digit() || matches!(b, b'/' | b'-' | b'+'))
}

#[derive(Debug, Default)]
pub struct Envoy {
    time: TimeCache,
}

/// Envoy writes the response code unpadded; 0 means no response was sent.
fn envoy_status(field: &[u8]) -> Option<u16> {
    match field {
        [b'0'] => Some(0),
        _ => status_digits(field),
    }
}

impl Envoy {
    pub fn parse<'a>(&mut self, line: &'a [u8]) -> Parsed<'a> {
        if line.first() != Some(&b'[') {
            return Parsed::Reject(Reject::Layout);
        }
        let Some(close) = memchr(b']', line) else { return Parsed::Reject(Reject::Layout) };
        let Some(time) = self.time.get(&line[1..close], parse_iso) else { return Parsed::Reject(Reject::Layout) };
        if line.get(close + 1..close + 3) != Some(b" \"") {
            return Parsed::Reject(Reject::Layout);
        }
        let Some(request_end) = closing_quote(line, close + 3) else { return Parsed::Reject(Reject::Layout) };
        let mut fields = words(&line[request_end + 1..]);
        let (Some(status), Some(flags)) = (fields.next(), fields.next()) else {
            return Parsed::Reject(Reject::Layout);
        };
        let Some(status) = envoy_status(status) else { return Parsed::Reject(Reject::Status) };
        let mut record = Record::new(status, Origin::Envoy, Some(time));
        record.signal = (flags != b"-").then_some((SignalKind::EnvoyFlag, flags));
        record.detail.path = words(&line[close + 3..request_end]).nth(1).filter(|p| *p != b"-").map(Cow::Borrowed);
        // "X-Forwarded-For" "User-Agent" "X-Request-Id" ":authority" "upstream host"
        let quoted = quoted_fields(&line[request_end + 1..]);
        let shown = |index: usize| quoted.get(index).copied().filter(|f| !f.is_empty() && *f != b"-");
        record.detail.client = shown(0).map(|xff| Cow::Borrowed(xff.split(|&b| b == b',').next().unwrap_or(xff)));
        record.detail.host = shown(3).map(Cow::Borrowed);
        record.detail.target = shown(4).map(Cow::Borrowed);
        Parsed::Record(record)
    }
}

/// The double-quoted fields of `text`, without their quotes.
fn quoted_fields(text: &[u8]) -> Vec<&[u8]> {
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(open) = memchr(b'"', &text[at..]).map(|i| at + i) {
        let Some(close) = closing_quote(text, open + 1) else { break };
        out.push(&text[open + 1..close]);
        at = close + 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn haproxy_with_syslog_prefix() {
        let line = "Feb  6 12:14:14 localhost haproxy[14389]: 10.0.1.2:33317 [06/Feb/2009:12:14:14.655] http-in \
            static/srv1 10/0/30/69/109 503 2750 - - sH-- 1/1/1/1/0 0/0 {1wt.eu} {} \"GET /index.html HTTP/1.1\"";
        let Parsed::Record(record) = HaProxy::default().parse(line.as_bytes()) else { panic!("not parsed") };
        assert_eq!(record.status, 503);
        assert_eq!(record.signal, Some((SignalKind::HaProxyTermination, b"sH".as_slice())));
        assert_eq!(record.time, Some(1_233_922_454));
    }

    #[test]
    fn haproxy_custom_format_with_a_host_field() {
        // filebeat's sample layout: a host between backend/server and the timers.
        let line = "Jun 22 12:02:53 node2 haproxy[1]: 1.2.3.4:47625 [22/Jun/2021:12:02:53.473] www-https~ \
            app/node2 app.domain.com 0/0/1/17/18 302 291 - - ---- 1/1/0/0/0 0/0 \"GET /login HTTP/1.1\"";
        let Parsed::Record(record) = HaProxy::default().parse(line.as_bytes()) else { panic!("not parsed") };
        assert_eq!((record.status, record.signal), (302, Some((SignalKind::HaProxyTermination, b"--".as_slice()))));
        assert_eq!(record.detail.target.as_deref(), Some(b"app/node2".as_slice()));
        assert_eq!(record.detail.client.as_deref(), Some(b"1.2.3.4".as_slice()));
        assert_eq!(record.detail.path.as_deref(), Some(b"/login".as_slice()));
        // TCP mode logs three timers and no status: not an HTTP line.
        let tcp = "1.2.3.4:47625 [22/Jun/2021:12:02:53.473] fe be/srv 0/0/5007 212 -- 0/0/0/0/0 0/0";
        assert_eq!(HaProxy::default().parse(tcp.as_bytes()), Parsed::Reject(Reject::Layout));
    }

    #[test]
    fn haproxy_rejects_other_layouts() {
        let nginx = "1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.1\" 200 1 \"-\" \"-\"";
        assert_eq!(HaProxy::default().parse(nginx.as_bytes()), Parsed::Reject(Reject::Layout));
    }

    #[test]
    fn envoy_default_and_istio() {
        let line = "[2016-04-15T20:17:00.310Z] \"POST /api/v1/locations HTTP/2\" 503 UF,URX 154 0 226 100 \
            \"10.0.35.28\" \"nsq2http\" \"cc21d9b0-cf5c-432b-8c7e-98aeb7988cd2\" \"locations\" \"tcp://10.0.2.1:80\"";
        let Parsed::Record(record) = Envoy::default().parse(line.as_bytes()) else { panic!("not parsed") };
        assert_eq!((record.status, record.signal), (503, Some((SignalKind::EnvoyFlag, b"UF,URX".as_slice()))));
        assert_eq!(record.detail.target.as_deref(), Some(b"tcp://10.0.2.1:80".as_slice()));
        assert_eq!(record.detail.host.as_deref(), Some(b"locations".as_slice()));
        assert_eq!(record.detail.path.as_deref(), Some(b"/api/v1/locations".as_slice()));
        let tcp = "[2022-10-18T20:16:39.453Z] \"- - -\" 0 UF,URX - - \"-\" 0 0 10000 - \"-\" \"-\" \"-\" \"-\" \"1.2.3.4:9092\"";
        assert!(matches!(Envoy::default().parse(tcp.as_bytes()), Parsed::Record(Record { status: 0, .. })));
        let nginx = "[10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.1\" 200 1";
        assert_eq!(Envoy::default().parse(nginx.as_bytes()), Parsed::Reject(Reject::Layout));
    }
}
