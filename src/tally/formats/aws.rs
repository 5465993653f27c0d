//! AWS load balancer logs: Application Load Balancer and Classic Load
//! Balancer. Field positions follow the Elastic Load Balancing guide
//! (CloudFront's W3C logs are in `w3c`).
//!
//! ```text
//! ALB:        type time elb client:port target:port request_t target_t response_t elb_status target_status
//!             received sent "request" ...
//! Classic:    time elb client:port backend:port request_t backend_t response_t elb_status backend_status
//!             received sent "request" ...
//! ```

use std::borrow::Cow;

use super::time::{TimeCache, parse_iso};
use super::{Detail, Origin, Parsed, Record, Reject, Upstream, status_digits, words};

/// The request types an ALB log line starts with.
const ALB_TYPES: [&[u8]; 6] = [b"http", b"https", b"h2", b"grpcs", b"ws", b"wss"];

/// A target or backend status: a number, or `-` when no response came back.
fn upstream_status(field: &[u8]) -> Option<Upstream> {
    if field == b"-" { Some(None) } else { status_digits(field).map(Some) }
}

/// Both load balancer layouts: the client-facing status at `status_at`, the
/// target's right after it.
fn load_balancer<'a>(line: &'a [u8], time_at: usize, status_at: usize, time: &mut TimeCache) -> Parsed<'a> {
    let mut fields = words(line);
    let Some(time_field) = fields.clone().nth(time_at) else { return Parsed::Reject(Reject::Layout) };
    let Some(client) = fields.nth(time_at + 2) else { return Parsed::Reject(Reject::Layout) };
    if !client.contains(&b':') {
        return Parsed::Reject(Reject::Layout);
    }
    let backend = fields.next();
    let (Some(status), Some(target)) = (fields.nth(status_at - time_at - 4), fields.next()) else {
        return Parsed::Reject(Reject::Layout);
    };
    let Some(time) = time.get(time_field, parse_iso) else { return Parsed::Reject(Reject::Layout) };
    let (Some(status), Some(upstream)) = (status_digits(status), upstream_status(target)) else {
        return Parsed::Reject(Reject::Status);
    };
    // The request's URL, after the received and sent byte counts and the method.
    let (host, path) = fields.nth(3).map_or((None, None), split_url);
    let detail = Detail {
        path,
        host,
        target: backend.filter(|b| *b != b"-").map(Cow::Borrowed),
        client: Some(Cow::Borrowed(without_port(client))),
    };
    Parsed::Record(Record {
        status,
        origin: Origin::AwsElb,
        time: Some(time),
        upstream: Some(upstream),
        signal: None,
        detail,
    })
}

/// `192.168.131.39:2817` → `192.168.131.39`: one client, whatever its port.
fn without_port(address: &[u8]) -> &[u8] {
    address.iter().rposition(|&b| b == b':').map_or(address, |colon| &address[..colon])
}

/// `http://www.example.com:80/a?b` → host `www.example.com:80`, path `/a?b`.
type UrlParts<'a> = (Option<Cow<'a, [u8]>>, Option<Cow<'a, [u8]>>);

fn split_url(url: &[u8]) -> UrlParts<'_> {
    let Some(scheme_end) = url.windows(3).position(|w| w == b"://") else {
        return (None, (url.first() == Some(&b'/')).then_some(Cow::Borrowed(url)));
    };
    let rest = &url[scheme_end + 3..];
    let slash = rest.iter().position(|&b| b == b'/').unwrap_or(rest.len());
    let path: &[u8] = if slash == rest.len() { b"/" } else { &rest[slash..] };
    (Some(Cow::Borrowed(&rest[..slash])), Some(Cow::Borrowed(path)))
}

#[derive(Debug, Default)]
pub struct Alb {
    time: TimeCache,
}

impl Alb {
    pub fn parse<'a>(&mut self, line: &'a [u8]) -> Parsed<'a> {
        match words(line).next() {
            Some(kind) if ALB_TYPES.contains(&kind) => load_balancer(line, 1, 8, &mut self.time),
            _ => Parsed::Reject(Reject::Layout),
        }
    }
}

#[derive(Debug, Default)]
pub struct ClassicElb {
    time: TimeCache,
}

impl ClassicElb {
    pub fn parse<'a>(&mut self, line: &'a [u8]) -> Parsed<'a> {
        load_balancer(line, 0, 7, &mut self.time)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALB: &str = "http 2018-07-02T22:23:00.186641Z app/my-loadbalancer/50dc6c495c0c9188 \
        192.168.131.39:2817 - -1 -1 -1 502 - 34 366 \"GET http://www.example.com:80/ HTTP/1.1\" \
        \"curl/7.46.0\" - - arn:aws:elasticloadbalancing:us-east-2:123456789012:targetgroup/my-targets/73e2d6bc24d8a067 \
        \"Root=1-58337262-36d228ad5d99923122bbe354\" \"-\" \"-\" 0 2018-07-02T22:22:48.364000Z \"forward\" \
        \"-\" \"-\" \"-\" \"-\" \"-\" \"-\"";

    #[test]
    fn alb_keeps_the_target_status() {
        let Parsed::Record(record) = Alb::default().parse(ALB.as_bytes()) else { panic!("not parsed") };
        assert_eq!((record.status, record.upstream, record.time), (502, Some(None), Some(1_530_570_180)));
        assert_eq!(record.detail.host.as_deref(), Some(b"www.example.com:80".as_slice()));
        assert_eq!(record.detail.path.as_deref(), Some(b"/".as_slice()));
        assert_eq!(record.detail.client.as_deref(), Some(b"192.168.131.39".as_slice()));
        assert_eq!(record.detail.target, None);
    }

    #[test]
    fn classic_elb() {
        let line = "2015-05-13T23:39:43.945958Z my-loadbalancer 192.168.131.39:2817 10.0.0.1:80 \
            0.000073 0.001048 0.000057 200 503 0 29 \"GET http://www.example.com:80/ HTTP/1.1\" \"curl/7.38.0\" - -";
        let Parsed::Record(record) = ClassicElb::default().parse(line.as_bytes()) else { panic!("not parsed") };
        assert_eq!((record.status, record.upstream), (200, Some(Some(503))));
        assert_eq!(record.detail.target.as_deref(), Some(b"10.0.0.1:80".as_slice()));
        assert_eq!(Alb::default().parse(line.as_bytes()), Parsed::Reject(Reject::Layout));
    }
}
