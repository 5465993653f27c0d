//! Which statuses a tally keeps: a time window (`--since`, `--until`) and a
//! set of codes or classes (`--code 5xx`, `--code 502,504`).

use super::formats::time::parse_iso;

/// One `--code` item: a code, or a class by its hundreds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeSpec {
    Code(u16),
    Class(u16),
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// Unix seconds, inclusive.
    pub since: Option<i64>,
    /// Unix seconds, exclusive.
    pub until: Option<i64>,
    /// Empty: every code.
    pub codes: Vec<CodeSpec>,
}

impl Filter {
    /// Whether a status logged at `time` is in the window; without a window
    /// every line is, and with one a line without a time cannot be placed.
    pub fn in_window(&self, time: Option<i64>) -> bool {
        match (self.since, self.until, time) {
            (None, None, _) => true,
            (_, _, None) => false,
            (since, until, Some(time)) => since.is_none_or(|s| time >= s) && until.is_none_or(|u| time < u),
        }
    }

    pub fn wants(&self, status: u16) -> bool {
        self.codes.is_empty()
            || self.codes.iter().any(|spec| match *spec {
                CodeSpec::Code(code) => code == status,
                CodeSpec::Class(hundreds) => status / 100 == hundreds,
            })
    }

    pub fn windowed(&self) -> bool {
        self.since.is_some() || self.until.is_some()
    }
}

/// `5xx`, `502`, `4xx,502`.
pub fn parse_codes(text: &str) -> Result<Vec<CodeSpec>, String> {
    text.split(',')
        .map(str::trim)
        .map(|item| {
            let lower = item.to_ascii_lowercase();
            match lower.as_bytes() {
                [d @ b'1'..=b'5', b'x', b'x'] => Ok(CodeSpec::Class(u16::from(d - b'0'))),
                [a, b, c] if [a, b, c].iter().all(|d| d.is_ascii_digit()) => {
                    Ok(CodeSpec::Code(lower.parse().unwrap_or_default()))
                }
                _ => Err(format!("{item:?} is not a status code (502) or a class (5xx)")),
            }
        })
        .collect()
}

/// `--since`/`--until`: a duration before `now` (`90s`, `15m`, `2h`, `1d`) or
/// an RFC 3339 time (`2026-11-23T09:40:00Z`, `2026-11-23 09:40`, UTC without a zone).
pub fn parse_time(text: &str, now: i64) -> Result<i64, String> {
    let text = text.trim();
    let unit = |c: char| match c {
        's' => Some(1),
        'm' => Some(60),
        'h' => Some(3600),
        'd' => Some(86_400),
        _ => None,
    };
    if let Some(last) = text.chars().last() {
        let number = &text[..text.len() - last.len_utf8()];
        if let (Some(seconds), Ok(count)) = (unit(last), number.parse::<i64>()) {
            return Ok(now - count.saturating_mul(seconds));
        }
    }
    let padded = match text.len() {
        10 => format!("{text} 00:00:00"),
        16 => format!("{text}:00"),
        _ => text.to_string(),
    };
    parse_iso(padded.as_bytes())
        .ok_or_else(|| format!("{text:?} is not a time: give 15m, 2h, 1d, or 2026-11-23T09:40:00Z"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_classes() {
        let filter = Filter { codes: parse_codes("5xx, 404").unwrap(), ..Filter::default() };
        assert!(filter.wants(502) && filter.wants(404) && !filter.wants(403) && !filter.wants(200));
        assert!(parse_codes("6xx").is_err() && parse_codes("50").is_err() && parse_codes("").is_err());
        assert!(Filter::default().wants(200));
    }

    #[test]
    fn windows() {
        let now = 1_800_000_000;
        assert_eq!(parse_time("15m", now), Ok(now - 900));
        assert_eq!(parse_time("1d", now), Ok(now - 86_400));
        assert_eq!(parse_time("2018-07-02T22:23:00Z", now), Ok(1_530_570_180));
        assert_eq!(parse_time("2018-07-02 22:23", now), Ok(1_530_570_180));
        assert_eq!(parse_time("2018-07-02", now), Ok(1_530_489_600));
        assert!(parse_time("soon", now).is_err());
        let filter = Filter { since: Some(100), until: Some(200), codes: Vec::new() };
        assert!(filter.in_window(Some(100)) && !filter.in_window(Some(200)) && !filter.in_window(None));
        assert!(Filter::default().in_window(None));
    }
}
