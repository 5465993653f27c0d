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
use super::{Detail, Origin, Parsed, Record, Reject, SignalKind, quoted_words, status_digits, upstream_status, words};

/// The request types an ALB log line starts with.
const ALB_TYPES: [&[u8]; 6] = [b"http", b"https", b"h2", b"grpcs", b"ws", b"wss"];

/// Both load balancer layouts: the client-facing status at `status_at`, the
/// target's right after it; with whether the request was sent on (the first
/// timer is -1 when the load balancer could not dispatch it) and the fields
/// after the request, for the ALB.
fn load_balancer<'a>(
    line: &'a [u8],
    time_at: usize,
    status_at: usize,
    time: &mut TimeCache,
) -> Result<(Record<'a>, bool, impl Iterator<Item = &'a [u8]>), Reject> {
    let mut fields = quoted_words(line);
    let time_field = fields.nth(time_at).ok_or(Reject::Layout)?;
    let client = fields.nth(1).filter(|c| c.contains(&b':')).ok_or(Reject::Layout)?;
    let (backend, dispatch_time) = (fields.next(), fields.next());
    let (Some(status), Some(target)) = (fields.nth(status_at - time_at - 5), fields.next()) else {
        return Err(Reject::Layout);
    };
    let time = time.get(time_field, parse_iso).ok_or(Reject::Layout)?;
    let (Some(status), Some(upstream)) = (status_digits(status), upstream_status(target)) else {
        return Err(Reject::Status);
    };
    // The request line, after the received and sent byte counts.
    let (host, path) = fields.nth(2).and_then(|request| words(request).nth(1)).map_or((None, None), split_url);
    let detail = Detail {
        path,
        host,
        target: backend.filter(|b| *b != b"-").map(Cow::Borrowed),
        client: Some(Cow::Borrowed(without_port(client))),
    };
    let record =
        Record { status, origin: Origin::AwsElb, time: Some(time), upstream: Some(upstream), signal: None, detail };
    Ok((record, dispatch_time != Some(b"-1"), fields))
}

/// The parsed line, or why it is not one.
fn parsed(result: Result<Record<'_>, Reject>) -> Parsed<'_> {
    result.map_or_else(Parsed::Reject, Parsed::Record)
}

/// `arn:aws:elasticloadbalancing:...:targetgroup/my-targets/73e2d6bc24d8a067`
/// → `targetgroup/my-targets`: the group's name, as the console shows it.
fn target_group(arn: &[u8]) -> Option<&[u8]> {
    let start = arn.windows(12).position(|w| w == b"targetgroup/")?;
    let group = &arn[start..];
    let end = group[12..].iter().position(|&b| b == b'/').map_or(group.len(), |i| 12 + i);
    (end > 12).then_some(&group[..end])
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
        if !words(line).next().is_some_and(|kind| ALB_TYPES.contains(&kind)) {
            return Parsed::Reject(Reject::Layout);
        }
        parsed(load_balancer(line, 1, 8, &mut self.time).map(|(mut record, dispatched, mut after_request)| {
            // "user_agent" ssl_cipher ssl_protocol target_group_arn ... "redirect_url" "error_reason"
            let group = after_request.nth(3);
            let reason = after_request.nth(7);
            if record.detail.target.is_none() && dispatched {
                // A Lambda target logs `-` as target:port: its group says where the request went.
                record.detail.target = group.and_then(target_group).map(Cow::Borrowed);
            }
            record.signal = reason.filter(|r| !r.is_empty() && *r != b"-").map(|r| (SignalKind::AlbErrorReason, r));
            record
        }))
    }
}

#[derive(Debug, Default)]
pub struct ClassicElb {
    time: TimeCache,
}

impl ClassicElb {
    pub fn parse<'a>(&mut self, line: &'a [u8]) -> Parsed<'a> {
        parsed(load_balancer(line, 0, 7, &mut self.time).map(|(record, ..)| record))
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
        assert_eq!(record.detail.target, None, "not dispatched: no target, not even its group");
    }

    /// An ALB line with the guide's fields in order; `target`, the statuses,
    /// the target group's ARN and `error_reason` as given.
    fn alb_line(target: &str, statuses: &str, group: &str, reason: &str) -> String {
        format!(
            "http 2026-11-23T09:12:00.000000Z app/shop-lb/50dc6c495c0c9188 192.0.2.7:2817 {target} 0.000 0.001 0.000 \
             {statuses} 34 366 \"GET http://shop.example.com:80/cart HTTP/1.1\" \"Mozilla/5.0 (X11; Linux x86_64)\" - - \
             {group} \"Root=1-58337364-23a8c76965a2ef7629b185e3\" \"-\" \"-\" 0 2026-11-23T09:11:59.990000Z \
             \"forward\" \"-\" \"{reason}\" \"-\" \"-\" \"-\" \"-\""
        )
    }

    const GROUP: &str = "arn:aws:elasticloadbalancing:us-east-2:123456789012:targetgroup/cart-fn/73e2d6bc24d8a067";

    #[test]
    fn a_lambda_target_is_its_target_group_with_the_error_reason() {
        let line = alb_line("-", "502 -", GROUP, "LambdaInvalidResponse");
        let Parsed::Record(record) = Alb::default().parse(line.as_bytes()) else { panic!("not parsed") };
        assert_eq!((record.status, record.upstream), (502, Some(None)));
        assert_eq!(record.detail.target.as_deref(), Some(b"targetgroup/cart-fn".as_slice()));
        assert_eq!(record.signal, Some((SignalKind::AlbErrorReason, b"LambdaInvalidResponse".as_slice())));
        assert_eq!(record.detail.path.as_deref(), Some(b"/cart".as_slice()));
    }

    #[test]
    fn an_instance_target_stays_the_target() {
        let line = alb_line("10.0.1.12:8080", "502 502", GROUP, "-");
        let Parsed::Record(record) = Alb::default().parse(line.as_bytes()) else { panic!("not parsed") };
        assert_eq!(record.detail.target.as_deref(), Some(b"10.0.1.12:8080".as_slice()));
        assert_eq!((record.upstream, record.signal), (Some(Some(502)), None));
        // A request the load balancer could not dispatch names no group.
        let line = alb_line("-", "400 -", "-", "-");
        let Parsed::Record(record) = Alb::default().parse(line.as_bytes()) else { panic!("not parsed") };
        assert_eq!((record.detail.target, record.signal), (None, None));
    }

    #[test]
    fn target_group_names() {
        assert_eq!(target_group(GROUP.as_bytes()), Some(b"targetgroup/cart-fn".as_slice()));
        assert_eq!(target_group(b"targetgroup/"), None);
        assert_eq!(target_group(b"-"), None);
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
