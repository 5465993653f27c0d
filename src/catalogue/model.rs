//! The shape of one catalogue entry, as stored in `assets/catalogue/*.json`.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use super::CatalogueError;

/// Catalogue text: borrowed from the catalogue compiled into the binary
/// (`stored`), owned when parsed from JSON or written by a team's overlay.
pub type Text = Cow<'static, str>;

/// A catalogue list, borrowed or owned like [`Text`].
pub type List<T> = Cow<'static, [T]>;

/// One meaning of a status code. A number with several meanings (420, 499, 530...)
/// has one entry per meaning, told apart by `source`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub code: u16,
    pub phrase: Text,
    /// The phrase is a description written for the catalogue (AWS 460, Shopify
    /// 420), not a reason phrase any software sends, so it is shown as such.
    #[serde(default)]
    pub phrase_is_description: bool,
    /// Older reason phrases and the names libraries use, so they stay searchable.
    pub aliases: List<Text>,
    pub class: Class,
    pub lifecycle: Lifecycle,
    pub recommendation: Recommendation,
    /// Short facet name: "RFC 9110", "WebDAV", "Cloudflare", "nginx", "AWS ELB"...
    pub source: Text,
    /// Exact citation: "RFC 9110 §15.6.5" or the vendor document.
    pub reference: Text,
    pub link: Text,
    pub generated_by: List<Generator>,
    pub delivery: Delivery,
    /// Who emits it and what the client actually receives.
    pub generator_note: Text,
    pub retry: Retry,
    pub retry_note: Text,
    pub cacheable: bool,
    /// The rule that makes it cacheable by default; present exactly when `cacheable`.
    pub cacheable_basis: Option<Text>,
    /// What is informal, unconfirmed or contested about this entry, if anything.
    pub disputed: Option<Text>,
    pub summary: Text,
    pub explanation: Text,
    pub situations: List<Text>,
    /// In the order an on-call engineer should check them.
    pub checks: List<Text>,
    pub avoid_when: List<Text>,
    /// Other meanings worth reading next, the one most often confused with this
    /// one (or that it leads to) first.
    pub related: List<Related>,
    /// What software prints with this meaning. Kept in `assets/signals/`, not in
    /// the catalogue files, and attached when the catalogue is loaded.
    #[serde(default, skip_deserializing)]
    pub signals: List<Signal>,
    /// What teams wrote about this meaning in their overlays, in load order.
    /// Never in the catalogue files.
    #[serde(default, skip_deserializing, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<TeamNote>,
    /// The overlay that defined this meaning, when a team did (an internal code).
    #[serde(default, skip_deserializing, skip_serializing_if = "Option::is_none")]
    pub origin: Option<Origin>,
}

/// Where a team's addition came from: the overlay's label ("payments") and its file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Origin {
    pub label: String,
    pub file: String,
}

/// A team's note on a meaning: what to do here, who owns it, where the runbook is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TeamNote {
    pub origin: Origin,
    /// Paragraphs separated by blank lines; may be empty when the note only adds
    /// runbooks, signals or tags.
    pub text: String,
    pub owner: Option<String>,
    pub runbooks: Vec<Runbook>,
    pub tags: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Runbook {
    pub title: String,
    pub url: String,
}

impl Runbook {
    pub fn is_web_link(&self) -> bool {
        is_web_link(&self.url)
    }
}

/// Whether a URL may become a terminal hyperlink: http or https only, and
/// printable ASCII only, since it is written inside an escape sequence.
pub fn is_web_link(url: &str) -> bool {
    (url.starts_with("https://") || url.starts_with("http://")) && url.bytes().all(|b| b.is_ascii_graphic())
}

/// A link to another meaning, named by its number and source because several
/// meanings can share a number (499 nginx, 499 Esri ArcGIS).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Related {
    pub code: u16,
    pub source: Text,
}

/// A verbatim string that software prints, logs or shows together with a meaning:
/// an nginx error-log line, an Envoy response flag, a curl exit message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Signal {
    /// Exactly as the emitter prints it.
    pub text: Text,
    /// The software that prints it: "nginx", "Envoy", "curl"...
    pub emitter: Text,
    pub form: SignalForm,
    /// One line of what the string tells an engineer, when the text alone does not.
    pub meaning: Option<Text>,
    /// Where the string was seen: the emitter's source file or documentation.
    pub reference: Text,
    /// The release that has it first ("Go 1.7", "Servlet 6.1"), so code written
    /// from it is known to compile; required for constants.
    pub since: Option<Text>,
    /// The release that marks it deprecated, if any.
    pub deprecated_since: Option<Text>,
    /// The release that no longer has it, if any.
    pub removed_in: Option<Text>,
    /// The overlay that added it, for a team's own strings.
    #[serde(default, skip_deserializing, skip_serializing_if = "Option::is_none")]
    pub origin: Option<Origin>,
}

impl Signal {
    /// "since Spring 4.1; deprecated since Spring 7.0", or None when no release is named.
    pub fn availability(&self) -> Option<String> {
        let parts: Vec<String> =
            [("since", &self.since), ("deprecated since", &self.deprecated_since), ("removed in", &self.removed_in)]
                .into_iter()
                .filter_map(|(label, release)| release.as_ref().map(|r| format!("{label} {r}")))
                .collect();
        (!parts.is_empty()).then(|| parts.join("; "))
    }

    /// The constant as the one-line constants list shows it: emitter, name and
    /// the releases that have it.
    pub fn constant_label(&self, name: &str) -> String {
        match self.availability() {
            Some(releases) => format!("{} {name} ({releases})", self.emitter),
            None => format!("{} {name}", self.emitter),
        }
    }
}

impl Entry {
    /// "404 Not Found" — how lists and links name an entry.
    pub fn title(&self) -> String {
        format!("{} {}", self.code_label(), self.phrase)
    }

    /// Whether a team's overlay wrote about this meaning or defined it.
    pub fn has_team_content(&self) -> bool {
        !self.notes.is_empty() || self.origin.is_some()
    }

    /// Whether a standards body registered this meaning (an RFC, WebDAV, or an
    /// IANA registration backed by an IETF draft); vendor and informal codes are not.
    pub fn is_registered(&self) -> bool {
        self.source.starts_with("RFC") || self.source == "WebDAV" || self.source == "IETF draft"
    }

    /// The advice every vendor or informal meaning shares, said once by the
    /// displays rather than repeated in each entry's avoid-when list.
    /// A team's own code is theirs to send, so it gets no such advice.
    pub fn not_registered_advice(&self) -> Option<&'static str> {
        (!self.is_registered() && self.origin.is_none())
            .then_some("Not a registered status: do not send it from your own service; pick a registered code instead.")
    }

    /// The code zero-padded to three digits, so 000 reads as a status.
    pub fn code_label(&self) -> String {
        format!("{:03}", self.code)
    }
}

macro_rules! labelled_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $wire:literal, $label:literal;)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        pub enum $name {
            $(#[serde(rename = $wire)] $variant,)+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            /// The value as written in the JSON and accepted on the command line.
            pub fn key(self) -> &'static str {
                match self { $($name::$variant => $wire,)+ }
            }

            /// The value as shown to people.
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label,)+ }
            }

            pub fn from_key(key: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.key().eq_ignore_ascii_case(key))
            }
        }
    };
}

labelled_enum!(
    /// The status class; "other" holds codes outside 100–599 (000, 783, 999).
    Class {
        Informational => "1xx", "1xx";
        Success => "2xx", "2xx";
        Redirection => "3xx", "3xx";
        ClientError => "4xx", "4xx";
        ServerError => "5xx", "5xx";
        Other => "other", "Other";
    }
);

impl Class {
    /// The class a number belongs to.
    pub fn of_code(code: u16) -> Class {
        match code {
            100..=199 => Class::Informational,
            200..=299 => Class::Success,
            300..=399 => Class::Redirection,
            400..=499 => Class::ClientError,
            500..=599 => Class::ServerError,
            _ => Class::Other,
        }
    }
}

labelled_enum!(
    Lifecycle {
        Standard => "standard", "Standard";
        NonStandard => "non-standard", "Non-standard";
        Deprecated => "deprecated", "Deprecated";
        Obsolete => "obsolete", "Obsolete";
        Reserved => "reserved", "Reserved (unused)";
        Temporary => "temporary", "Temporary registration";
    }
);

labelled_enum!(
    /// Whether an API designer should write this code by hand in a response.
    /// Protocol-driven codes (100, 101, 103, 104) are sent by the server stack
    /// when the protocol calls for them, so the question does not arise.
    Recommendation {
        Recommended => "recommended", "Recommended";
        UseWithCare => "use-with-care", "Use with care";
        NotRecommended => "not-recommended", "Not recommended";
        ProtocolDriven => "protocol-driven", "Protocol-driven";
    }
);

labelled_enum!(
    /// Who produces the status.
    Generator {
        Origin => "origin", "origin application";
        WebServer => "web-server", "web server";
        Cdn => "cdn", "CDN";
        LoadBalancer => "load-balancer", "load balancer";
        Proxy => "proxy", "proxy or gateway";
        Framework => "framework", "framework";
        ClientLibrary => "client-library", "client library";
        Platform => "platform", "hosting platform";
    }
);

labelled_enum!(
    /// Whether and how the status reaches a client.
    Delivery {
        Wire => "wire", "sent to the client as the HTTP status";
        Rewritten => "rewritten", "internal only: the client receives a different status";
        LogOnly => "log-only", "appears only in logs: no response reaches the client";
        ConnectionClosed => "connection-closed", "the connection is closed with no response at all";
        InBody => "in-body", "usually inside a response body, often with HTTP 200";
        ClientMade => "client-made", "made up on the client side: no server sent it";
    }
);

labelled_enum!(
    /// Whether and when a client may send the request again.
    Retry {
        NeverUnchanged => "never-unchanged", "do not retry unchanged";
        AfterRetryAfter => "after-retry-after", "retry after the Retry-After delay";
        WithBackoff => "with-backoff", "retry with exponential backoff and jitter";
        IdempotentOnly => "idempotent-only", "retry only idempotent requests";
        FreshConnection => "fresh-connection", "retry on a fresh connection, without TLS early data";
        NotApplicable => "not-applicable", "nothing to retry";
    }
);

labelled_enum!(
    /// Where a signal appears; the keys are those of the signal files.
    SignalForm {
        ErrorLog => "error-log", "error log";
        AccessLog => "access-log", "access log";
        ErrorPage => "error-page", "error page";
        ResponseBody => "response-body", "response body";
        ResponseFlag => "response-flag", "response flag";
        TerminationState => "termination-state", "termination state";
        ErrorCode => "error-code", "error code";
        ExitCode => "exit-code", "exit code";
        BrowserError => "browser-error", "browser error";
        Exception => "exception", "exception";
        Constant => "constant", "constant";
        Header => "header", "header";
        LogField => "log-field", "log field";
        Message => "message", "message";
        Metric => "metric", "metric";
    }
);

/// One line of a signal file: the signal and the entry it belongs to.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct SignalRecord {
    pub code: u16,
    pub source: String,
    pub emitter: String,
    pub form: SignalForm,
    pub text: String,
    pub meaning: Option<String>,
    pub reference: String,
    #[serde(default)]
    pub since: Option<String>,
    #[serde(default)]
    pub deprecated_since: Option<String>,
    #[serde(default)]
    pub removed_in: Option<String>,
}

impl SignalRecord {
    pub fn into_signal(self) -> Signal {
        Signal {
            text: self.text.into(),
            emitter: self.emitter.into(),
            form: self.form,
            meaning: self.meaning.map(Text::from),
            reference: self.reference.into(),
            since: self.since.map(Text::from),
            deprecated_since: self.deprecated_since.map(Text::from),
            removed_in: self.removed_in.map(Text::from),
            origin: None,
        }
    }
}

/// Parses one signal file, a flat JSON array of records.
pub(super) fn parse_signal_file(name: &str, text: &str) -> Result<Vec<SignalRecord>, CatalogueError> {
    serde_json::from_str(text).map_err(|err| CatalogueError::Parse {
        file: name.to_string(),
        entry: None,
        message: err.to_string(),
    })
}

/// Parses one catalogue file. Errors name the file and, where serde can tell, the
/// entry and field.
pub(super) fn parse_file(name: &str, text: &str) -> Result<Vec<Entry>, CatalogueError> {
    let values: Vec<serde_json::Value> = serde_json::from_str(text).map_err(|err| CatalogueError::Parse {
        file: name.to_string(),
        entry: None,
        message: err.to_string(),
    })?;
    values
        .into_iter()
        .enumerate()
        .map(|(index, value)| {
            let label = entry_label(index, &value);
            serde_json::from_value(value).map_err(|err| CatalogueError::Parse {
                file: name.to_string(),
                entry: Some(label),
                message: err.to_string(),
            })
        })
        .collect()
}

/// "entry 3 (code 420, Twitter)" — enough to find a broken entry in the file.
fn entry_label(index: usize, value: &serde_json::Value) -> String {
    let code = value.get("code").map(ToString::to_string);
    let source = value.get("source").and_then(|s| s.as_str());
    match (code, source) {
        (Some(code), Some(source)) => format!("entry {} (code {code}, {source})", index + 1),
        (Some(code), None) => format!("entry {} (code {code})", index + 1),
        _ => format!("entry {}", index + 1),
    }
}
