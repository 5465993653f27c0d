//! Timestamps as the log formats write them, turned into Unix seconds (UTC).
//! Only what the sparkline needs: whole seconds, no allocation, `None` for
//! anything that is not a plausible date.

/// Days from 1970-01-01 to a civil date (proleptic Gregorian), after Howard
/// Hinnant's `days_from_civil`.
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let year_of_era = y - era * 400;
    let month_from_march = (month + 9) % 12;
    let day_of_year = (153 * month_from_march + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The civil date and time of Unix seconds, for printing a log's time span.
pub fn civil_from_unix(seconds: i64) -> (i64, u32, u32, u32, u32) {
    let days = seconds.div_euclid(86_400);
    let second_of_day = seconds.rem_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z - era * 146_097;
    let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_from_march = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_from_march + 2) / 5 + 1;
    let month = if month_from_march < 10 { month_from_march + 3 } else { month_from_march - 9 };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    // Every value below is bounded by the arithmetic above, so the casts cannot truncate.
    (year, month as u32, day as u32, (second_of_day / 3600) as u32, (second_of_day % 3600 / 60) as u32)
}

/// "2026-11-23 09:41" (UTC).
pub fn format_minute(seconds: i64) -> String {
    let (year, month, day, hour, minute) = civil_from_unix(seconds);
    format!("{year:04}-{month:02}-{day:02} {hour:02}:{minute:02}")
}

fn digits(text: &[u8], start: usize, count: usize) -> Option<i64> {
    let field = text.get(start..start + count)?;
    let mut value = 0i64;
    for &byte in field {
        if !byte.is_ascii_digit() {
            return None;
        }
        value = value * 10 + i64::from(byte - b'0');
    }
    Some(value)
}

fn unix(year: i64, month: i64, day: i64, hour: i64, minute: i64, second: i64) -> Option<i64> {
    let valid = (1970..=9999).contains(&year)
        && (1..=12).contains(&month)
        && (1..=31).contains(&day)
        && hour < 24
        && minute < 60
        && second <= 60;
    valid.then(|| days_from_civil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second)
}

fn month_from_abbreviation(name: &[u8]) -> Option<i64> {
    const MONTHS: [&[u8; 3]; 12] =
        [b"Jan", b"Feb", b"Mar", b"Apr", b"May", b"Jun", b"Jul", b"Aug", b"Sep", b"Oct", b"Nov", b"Dec"];
    MONTHS.iter().position(|m| m.as_slice() == name).map(|i| i as i64 + 1)
}

/// A zone offset such as `-0700`, `+02:00` or `Z`, in seconds east of UTC.
fn zone_offset(text: &[u8]) -> Option<i64> {
    match text {
        [] | [b'Z'] | [b'z'] => Some(0),
        [sign @ (b'+' | b'-'), rest @ ..] => {
            let (hours, minutes) = match rest.len() {
                4 => (digits(rest, 0, 2)?, digits(rest, 2, 2)?),
                5 if rest[2] == b':' => (digits(rest, 0, 2)?, digits(rest, 3, 2)?),
                _ => return None,
            };
            let offset = hours * 3600 + minutes * 60;
            Some(if *sign == b'-' { -offset } else { offset })
        }
        _ => None,
    }
}

/// The common log format's `10/Oct/2000:13:55:36 -0700`; also HAProxy's
/// `06/Feb/2009:12:14:14.655`, which has milliseconds and no zone (read as UTC).
pub fn parse_clf(text: &[u8]) -> Option<i64> {
    if text.len() < 20 || text[2] != b'/' || text[6] != b'/' || text[11] != b':' {
        return None;
    }
    let day = digits(text, 0, 2)?;
    let month = month_from_abbreviation(&text[3..6])?;
    let year = digits(text, 7, 4)?;
    let (hour, minute, second) = (digits(text, 12, 2)?, digits(text, 15, 2)?, digits(text, 18, 2)?);
    let mut rest = &text[20..];
    if let [b'.', tail @ ..] = rest {
        let fraction = tail.iter().take_while(|b| b.is_ascii_digit()).count();
        rest = &tail[fraction..];
    }
    let offset = zone_offset(rest.strip_prefix(b" ").unwrap_or(rest))?;
    Some(unix(year, month, day, hour, minute, second)? - offset)
}

/// ISO 8601 / RFC 3339: `2018-07-02T22:23:00.186641Z`, `2026-11-23 09:41:00+01:00`.
pub fn parse_iso(text: &[u8]) -> Option<i64> {
    if text.len() < 19 || text[4] != b'-' || text[7] != b'-' || !matches!(text[10], b'T' | b' ') {
        return None;
    }
    let (year, month, day) = (digits(text, 0, 4)?, digits(text, 5, 2)?, digits(text, 8, 2)?);
    let (hour, minute, second) = (digits(text, 11, 2)?, digits(text, 14, 2)?, digits(text, 17, 2)?);
    let mut rest = &text[19..];
    if let [b'.' | b',', tail @ ..] = rest {
        let fraction = tail.iter().take_while(|b| b.is_ascii_digit()).count();
        rest = &tail[fraction..];
    }
    Some(unix(year, month, day, hour, minute, second)? - zone_offset(rest)?)
}

/// CloudFront's separate `date` (`2019-12-04`) and `time` (`21:02:31`) columns, in UTC.
pub fn parse_date_and_time(date: &[u8], time: &[u8]) -> Option<i64> {
    if date.len() != 10 || time.len() < 8 || date[4] != b'-' || date[7] != b'-' || time[2] != b':' || time[5] != b':' {
        return None;
    }
    let (year, month, day) = (digits(date, 0, 4)?, digits(date, 5, 2)?, digits(date, 8, 2)?);
    unix(year, month, day, digits(time, 0, 2)?, digits(time, 3, 2)?, digits(time, 6, 2)?)
}

/// A number of seconds, milliseconds, microseconds or nanoseconds since the
/// epoch, told apart by magnitude (JSON logs use all four).
pub fn from_epoch_number(value: f64) -> Option<i64> {
    const YEAR_9999: f64 = 253_402_300_799.0;
    let mut seconds = value;
    for _ in 0..4 {
        if (0.0..=YEAR_9999).contains(&seconds) {
            return Some(seconds as i64);
        }
        seconds /= 1000.0;
    }
    None
}

/// Remembers the last timestamp text and its value: consecutive log lines
/// mostly share their second, so most lines skip the date arithmetic.
#[derive(Debug, Default)]
pub struct TimeCache {
    text: Vec<u8>,
    value: Option<i64>,
}

impl TimeCache {
    pub fn get(&mut self, text: &[u8], parse: fn(&[u8]) -> Option<i64>) -> Option<i64> {
        if text != self.text.as_slice() {
            self.text.clear();
            self.text.extend_from_slice(text);
            self.value = parse(text);
        }
        self.value
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clf_with_zone() {
        assert_eq!(parse_clf(b"10/Oct/2000:13:55:36 -0700"), Some(971_211_336));
        assert_eq!(parse_clf(b"06/Feb/2009:12:14:14.655"), Some(1_233_922_454));
        assert_eq!(parse_clf(b"10/Foo/2000:13:55:36 -0700"), None);
        assert_eq!(parse_clf(b"10/Oct/2000:13:55"), None);
    }

    #[test]
    fn iso_forms() {
        assert_eq!(parse_iso(b"2018-07-02T22:23:00.186641Z"), Some(1_530_570_180));
        assert_eq!(parse_iso(b"2018-07-03T00:23:00+02:00"), Some(1_530_570_180));
        assert_eq!(parse_iso(b"2018-07-02 22:23:00"), Some(1_530_570_180));
        assert_eq!(parse_iso(b"2018-13-02T22:23:00Z"), None);
    }

    #[test]
    fn round_trip_through_civil() {
        let seconds = parse_date_and_time(b"2019-12-04", b"21:02:31").unwrap();
        assert_eq!(format_minute(seconds), "2019-12-04 21:02");
        assert_eq!(civil_from_unix(0), (1970, 1, 1, 0, 0));
    }

    #[test]
    fn epoch_magnitudes() {
        assert_eq!(from_epoch_number(1_530_570_180.0), Some(1_530_570_180));
        assert_eq!(from_epoch_number(1_530_570_180_123.0), Some(1_530_570_180));
        assert_eq!(from_epoch_number(1.530_570_180_123_456e18), Some(1_530_570_180));
        assert_eq!(from_epoch_number(-5.0), None);
    }
}
