//! The text forms of `--from` and `--to`: an RFC 3339 timestamp, a plain
//! date (UTC), or an age before "now" such as `90s`, `15m`, `2h`, `3d`,
//! `1w` or `1d12h`.

use jiff::civil::Date;
use jiff::{SignedDuration, Timestamp};

/// Which end of a range a bound closes. A plain date covers its whole day,
/// so as an upper bound it means the day's last instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum End {
    Lower,
    Upper,
}

pub fn parse_bound(text: &str, end: End, now: Timestamp) -> Result<Timestamp, String> {
    let text = text.trim();
    if let Ok(ts) = text.parse::<Timestamp>() {
        return Ok(ts);
    }
    if let Ok(date) = text.parse::<Date>() {
        return day_bound(date, end).ok_or_else(|| format!("date {text:?} is out of range"));
    }
    if let Some(age) = parse_age(text) {
        return now.checked_sub(age).map_err(|_| format!("age {text:?} reaches before the year -9999"));
    }
    Err(format!(
        "{text:?} is not a time: expected RFC 3339 (2025-10-08T12:00:00Z), a date (2025-10-08) or an age (2h, 3d, 1w)"
    ))
}

fn day_bound(date: Date, end: End) -> Option<Timestamp> {
    let start = date.to_zoned(jiff::tz::TimeZone::UTC).ok()?.timestamp();
    match end {
        End::Lower => Some(start),
        End::Upper => start.checked_add(SignedDuration::from_hours(24) - SignedDuration::from_nanos(1)).ok(),
    }
}

/// Parses `<number><unit>` pairs, units `s m h d w`. A day is 24 hours:
/// there is no calendar here.
pub fn parse_age(text: &str) -> Option<SignedDuration> {
    let mut total = SignedDuration::ZERO;
    let mut rest = text;
    if rest.is_empty() {
        return None;
    }
    while !rest.is_empty() {
        let digits = rest.find(|c: char| !c.is_ascii_digit()).unwrap_or(rest.len());
        if digits == 0 {
            return None;
        }
        let n: i64 = rest[..digits].parse().ok()?;
        let unit = rest[digits..].chars().next()?;
        let seconds_per = match unit {
            's' => 1,
            'm' => 60,
            'h' => 3_600,
            'd' => 86_400,
            'w' => 604_800,
            _ => return None,
        };
        total = total.checked_add(SignedDuration::from_secs(n.checked_mul(seconds_per)?))?;
        rest = &rest[digits + 1..];
    }
    Some(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> Timestamp {
        "2025-10-08T12:00:00Z".parse().unwrap()
    }

    #[test]
    fn rfc3339_is_taken_as_is() {
        let ts = parse_bound("2025-10-01T08:30:00+02:00", End::Lower, now()).unwrap();
        assert_eq!(ts.to_string(), "2025-10-01T06:30:00Z");
    }

    #[test]
    fn a_date_covers_its_whole_day() {
        assert_eq!(parse_bound("2025-10-01", End::Lower, now()).unwrap().to_string(), "2025-10-01T00:00:00Z");
        assert_eq!(parse_bound("2025-10-01", End::Upper, now()).unwrap().to_string(), "2025-10-01T23:59:59.999999999Z");
    }

    #[test]
    fn ages_count_back_from_now() {
        assert_eq!(parse_bound("2h", End::Lower, now()).unwrap().to_string(), "2025-10-08T10:00:00Z");
        assert_eq!(parse_bound("3d", End::Lower, now()).unwrap().to_string(), "2025-10-05T12:00:00Z");
        assert_eq!(parse_bound("1d12h", End::Lower, now()).unwrap().to_string(), "2025-10-07T00:00:00Z");
        assert_eq!(parse_bound("1w", End::Lower, now()).unwrap().to_string(), "2025-10-01T12:00:00Z");
    }

    #[test]
    fn nonsense_is_explained() {
        let err = parse_bound("yesterday", End::Lower, now()).unwrap_err();
        assert!(err.starts_with("\"yesterday\" is not a time"), "{err}");
        assert!(parse_age("2").is_none());
        assert!(parse_age("h").is_none());
        assert!(parse_age("2y").is_none());
        assert!(parse_age("99999999999999999w").is_none());
    }
}
