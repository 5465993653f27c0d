//! Proxy logs that carry a reason beside the status: HAProxy's HTTP log (with
//! its termination state) and Envoy's default access log (with its response
//! flags).
//!
//! ```text
//! HAProxy (doc/configuration.txt, 8.2.3 "HTTP log format"):
//!   [syslog prefix] client:port [06/Feb/2009:12:14:14.655] frontend backend/server Tr/Tw/Tc/Tr/Ta status bytes
//!   req_cookie res_cookie termination_state actconn/... queues {headers} "request"
//! Envoy (access log "Default Format String"):
//!   [2016-04-15T20:17:00.310Z] "POST /api/v1/locations HTTP/2" 204 - 154 0 226 100 "10.0.35.28" ...
//! ```

use memchr::memchr;

use super::clf::closing_quote;
use super::time::{TimeCache, parse_clf, parse_iso};
use super::{Origin, Parsed, Record, Reject, SignalKind, status_digits, words};

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
        let (_frontend, backend, timers) = (fields.next(), fields.next(), fields.next());
        let (Some(backend), Some(timers)) = (backend, timers) else { return Parsed::Reject(Reject::Layout) };
        if !backend.contains(&b'/') || timers.iter().filter(|&&b| b == b'/').count() != 4 {
            return Parsed::Reject(Reject::Layout);
        }
        let status = fields.next();
        let Some(state) = fields.nth(3) else { return Parsed::Reject(Reject::Layout) };
        if !termination_state(state) {
            return Parsed::Reject(Reject::Layout);
        }
        let Some(status) = status.and_then(status_digits) else { return Parsed::Reject(Reject::Status) };
        let time = self.time.get(date, parse_clf);
        let signal = Some((SignalKind::HaProxyTermination, &state[..2]));
        Parsed::Record(Record { status, origin: Origin::HaProxy, time, upstream: None, signal })
    }
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
        let signal = (flags != b"-").then_some((SignalKind::EnvoyFlag, flags));
        Parsed::Record(Record { status, origin: Origin::Envoy, time: Some(time), upstream: None, signal })
    }
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
        let tcp = "[2022-10-18T20:16:39.453Z] \"- - -\" 0 UF,URX - - \"-\" 0 0 10000 - \"-\" \"-\" \"-\" \"-\" \"1.2.3.4:9092\"";
        assert!(matches!(Envoy::default().parse(tcp.as_bytes()), Parsed::Record(Record { status: 0, .. })));
        let nginx = "[10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.1\" 200 1";
        assert_eq!(Envoy::default().parse(nginx.as_bytes()), Parsed::Reject(Reject::Layout));
    }
}
