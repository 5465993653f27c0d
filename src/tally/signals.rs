//! What the signals logged beside a status say, for the report.

use crate::catalogue::{Catalogue, SignalForm};

use super::formats::SignalKind;

/// The emitter the catalogue files ALB access-log fields under.
const ALB_EMITTER: &str = "AWS ALB";

/// Envoy's short response flags and the long names Envoy gives them
/// (`ResponseFlagUtils` in source/common/stream_info/utility.h).
const ENVOY_FLAGS: [(&str, &str); 29] = [
    ("DC", "DownstreamConnectionTermination"),
    ("LH", "FailedLocalHealthCheck"),
    ("UH", "NoHealthyUpstream"),
    ("UT", "UpstreamRequestTimeout"),
    ("LR", "LocalReset"),
    ("UR", "UpstreamRemoteReset"),
    ("UF", "UpstreamConnectionFailure"),
    ("UC", "UpstreamConnectionTermination"),
    ("UO", "UpstreamOverflow"),
    ("URX", "UpstreamRetryLimitExceeded"),
    ("NR", "NoRouteFound"),
    ("DI", "DelayInjected"),
    ("FI", "FaultInjected"),
    ("RL", "RateLimited"),
    ("UAEX", "UnauthorizedExternalService"),
    ("RLSE", "RateLimitServiceError"),
    ("SI", "StreamIdleTimeout"),
    ("IH", "InvalidEnvoyRequestHeaders"),
    ("DPE", "DownstreamProtocolError"),
    ("UMSDR", "UpstreamMaxStreamDurationReached"),
    ("RFCF", "ResponseFromCacheFilter"),
    ("NFCF", "NoFilterConfigFound"),
    ("DT", "DurationTimeout"),
    ("UPE", "UpstreamProtocolError"),
    ("NC", "NoClusterFound"),
    ("OM", "OverloadManagerTerminated"),
    ("DF", "DnsResolutionFailed"),
    ("DO", "DropOverload"),
    ("-", "no flag"),
];

/// The first character of HAProxy's termination state: what ended the stream
/// (doc/configuration.txt, 8.5 "Stream state at disconnection").
fn haproxy_cause(c: u8) -> Option<&'static str> {
    Some(match c {
        b'C' => "client aborted",
        b'S' => "server aborted or refused",
        b'P' => "HAProxy aborted it (limit, deny rule or security check)",
        b'L' => "HAProxy answered locally",
        b'R' => "HAProxy ran out of a resource",
        b'I' => "HAProxy internal error",
        b'D' => "killed: server marked down",
        b'U' => "killed on a backup server: an active one came back",
        b'K' => "killed by an admin",
        b'c' => "client-side timeout",
        b's' => "server-side timeout",
        b'-' => "normal end",
        _ => return None,
    })
}

/// The second character: where the stream was when it ended.
fn haproxy_state(c: u8) -> Option<&'static str> {
    Some(match c {
        b'R' => "waiting for the client's request",
        b'Q' => "queued for a server slot",
        b'C' => "connecting to the server",
        b'H' => "waiting for the response headers",
        b'D' => "during the data transfer",
        b'L' => "sending the last data to the client",
        b'T' => "tarpitted",
        b'-' => "after the transfer",
        _ => return None,
    })
}

/// A short explanation of a signal value, when one is known.
pub fn describe(kind: SignalKind, value: &str, catalogue: &Catalogue) -> Option<String> {
    match kind {
        SignalKind::EnvoyFlag => ENVOY_FLAGS.iter().find(|(flag, _)| *flag == value).map(|(_, long)| long.to_string()),
        SignalKind::HaProxyTermination => match value.as_bytes() {
            b"--" => Some("normal end".to_string()),
            [cause, state] => Some(format!("{}, {}", haproxy_cause(*cause)?, haproxy_state(*state)?)),
            _ => None,
        },
        SignalKind::CloudFrontResult => None,
        SignalKind::AlbErrorReason => catalogue
            .entries()
            .iter()
            .flat_map(|entry| entry.signals.iter())
            .find(|s| s.emitter == ALB_EMITTER && s.form == SignalForm::LogField && s.text == value)
            .and_then(|s| s.meaning.as_deref().map(str::to_string)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn descriptions() {
        let catalogue = Catalogue::embedded().unwrap();
        let describe = |kind, value| describe(kind, value, &catalogue);
        assert_eq!(describe(SignalKind::EnvoyFlag, "UF").as_deref(), Some("UpstreamConnectionFailure"));
        assert_eq!(
            describe(SignalKind::HaProxyTermination, "sH").as_deref(),
            Some("server-side timeout, waiting for the response headers")
        );
        assert_eq!(describe(SignalKind::HaProxyTermination, "--").as_deref(), Some("normal end"));
        assert_eq!(describe(SignalKind::HaProxyTermination, "xx"), None);
        assert_eq!(describe(SignalKind::EnvoyFlag, "ZZ"), None);
    }

    #[test]
    fn alb_error_reasons_mean_what_the_catalogue_says() {
        let catalogue = Catalogue::embedded().unwrap();
        let filed =
            catalogue.entries().iter().flat_map(|e| e.signals.iter()).find(|s| s.text == "LambdaInvalidResponse");
        let meaning = describe(SignalKind::AlbErrorReason, "LambdaInvalidResponse", &catalogue);
        assert!(meaning.is_some());
        assert_eq!(meaning.as_deref(), filed.and_then(|s| s.meaning.as_deref()));
        assert_eq!(describe(SignalKind::AlbErrorReason, "NotAReason", &catalogue), None);
        // A metric name the catalogue files under the ALB is not a log field's value.
        assert_eq!(describe(SignalKind::AlbErrorReason, "HTTPCode_ELB_502_Count", &catalogue), None);
    }
}
