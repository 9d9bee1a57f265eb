//! Publication dates as they appear in the wild: one lenient parser shared by
//! every format, so that "2024-03-01", RFC 2822 mail dates, Reuters'
//! "26-FEB-1987 15:01:01.79" and Unix timestamps all end up as the same
//! `DateTime<Utc>`.
//!
//! Dates without a time zone are taken as UTC, and dates without a time as
//! midnight: the index only needs day precision to filter and sort.

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};

/// Formats with an explicit offset (`%z` accepts `+0200` and `+02:00`).
const ZONED: &[&str] = &[
    "%Y-%m-%dT%H:%M:%S%.f%z",
    "%Y-%m-%d %H:%M:%S%.f%z",
    "%Y-%m-%dT%H:%M%z",
    "%Y-%m-%d %H:%M%z",
    "%Y-%m-%d %H:%M:%S%.f %z",
    "%d %b %Y %H:%M:%S %z",
    "%a %b %d %H:%M:%S %z %Y",
];

/// Formats with a time but no offset.
const NAIVE_DATETIME: &[&str] = &[
    "%Y-%m-%dT%H:%M:%S%.f",
    "%Y-%m-%d %H:%M:%S%.f",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%d %H:%M",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    // Reuters-21578: "26-FEB-1987 15:01:01.79" (month names match in any case).
    "%d-%b-%Y %H:%M:%S%.f",
    "%d-%b-%Y %H:%M",
    "%B %d, %Y %H:%M",
    "%b %d, %Y %H:%M",
    "%B %d, %Y %I:%M %p",
    "%b %d, %Y %I:%M %p",
    "%d %B %Y %H:%M",
    "%d %b %Y %H:%M",
];

/// Formats with a date only.
const NAIVE_DATE: &[&str] = &[
    "%Y-%m-%d",
    "%Y/%m/%d",
    "%Y%m%d",
    "%B %d, %Y",
    "%b %d, %Y",
    "%B %d %Y",
    "%b %d %Y",
    "%A, %B %d, %Y",
    "%a, %b %d, %Y",
    "%d %B %Y",
    "%d %b %Y",
    "%d %B, %Y",
    "%A %d %B %Y",
    "%d-%b-%Y",
    "%d.%m.%Y",
];

/// Parses a publication date written in any of the common forms: RFC 3339 /
/// ISO 8601 (with or without offset, `T` or space), RFC 2822,
/// `YYYY-MM-DD`, `YYYY-MM-DD HH:MM:SS`, `YYYY/MM/DD`, "March 5, 2024",
/// "Mar. 5, 2024", "5 March 2024", Reuters' "26-FEB-1987 15:01:01.79", web
/// pages' "November 19, 2019, 07:47 PM EST" (see [`parse_written_time`]),
/// and Unix timestamps in seconds (9–11 digits) or milliseconds (12–14
/// digits).
/// Surrounding and repeated whitespace is ignored. Returns `None` for
/// anything else; callers keep the article and warn.
pub fn parse_date(text: &str) -> Option<DateTime<Utc>> {
    let trimmed = text.trim();
    if trimmed.is_empty() || trimmed.len() > 100 {
        return None;
    }
    // Collapse runs of whitespace ("3-MAR-1987  09:15:05.40" in Reuters).
    let normalized: String;
    let s = if trimmed.contains(|c: char| c.is_whitespace() && c != ' ') || trimmed.contains("  ") {
        normalized = trimmed.split_whitespace().collect::<Vec<_>>().join(" ");
        normalized.as_str()
    } else {
        trimmed
    };

    if let Some(date) = parse_unix(s) {
        return Some(date);
    }
    if let Ok(d) = DateTime::parse_from_rfc3339(s) {
        return Some(d.with_timezone(&Utc));
    }
    if let Ok(d) = DateTime::parse_from_rfc2822(s) {
        return Some(d.with_timezone(&Utc));
    }
    if let Some(d) = parse_with_formats(s) {
        return Some(d);
    }
    // "Mar. 5, 2024", "Sept. 5, 2024": AP-style abbreviations.
    if s.contains('.') && s.starts_with(|c: char| c.is_ascii_alphabetic()) {
        let cleaned = s.replace("Sept", "Sep").replace('.', "");
        if let Some(d) = parse_with_formats(&cleaned) {
            return Some(d);
        }
    }
    parse_written_time(s)
}

/// Time zone abbreviations news sites print after a time, with their
/// offsets from UTC in hours.
const ZONE_ABBREVIATIONS: &[(&str, i32)] = &[
    ("UTC", 0),
    ("GMT", 0),
    ("BST", 1),
    ("CET", 1),
    ("CEST", 2),
    ("EET", 2),
    ("EEST", 3),
    ("EST", -5),
    ("EDT", -4),
    ("CST", -6),
    ("CDT", -5),
    ("MST", -7),
    ("MDT", -6),
    ("PST", -8),
    ("PDT", -7),
    ("JST", 9),
    ("IST", 5),
];

/// Formats of a written-out date and time once [`parse_written_time`] has
/// dropped commas, "at" and the zone.
const WRITTEN_TIME: &[&str] = &[
    "%B %d %Y %I:%M %p",
    "%b %d %Y %I:%M %p",
    "%B %d %Y %H:%M",
    "%b %d %Y %H:%M",
    "%A %B %d %Y %I:%M %p",
    "%a %b %d %Y %I:%M %p",
    "%d %B %Y %I:%M %p",
    "%d %B %Y %H:%M",
    "%d %b %Y %H:%M",
];

/// Dates as web pages print them: "November 19, 2019, 07:47 PM EST",
/// "March 5, 2024 at 7:47 p.m. ET", "5 March 2024, 14:30 GMT". The zone
/// abbreviation, when known, sets the offset; "ET"/"PT" follow the
/// standard time of their zone.
fn parse_written_time(s: &str) -> Option<DateTime<Utc>> {
    if !s.starts_with(|c: char| c.is_ascii_alphanumeric()) || !s.contains(':') {
        return None;
    }
    let mut words: Vec<String> = s
        .replace(',', " ")
        .split_whitespace()
        .filter(|w| !w.eq_ignore_ascii_case("at"))
        .map(|w| match w.to_ascii_lowercase().as_str() {
            "a.m." | "am" => "AM".to_owned(),
            "p.m." | "pm" => "PM".to_owned(),
            _ => w.trim_end_matches('.').to_owned(),
        })
        .collect();
    let mut offset_hours = 0;
    if let Some(last) = words.last() {
        let zone = match last.as_str() {
            "ET" => Some(-5),
            "PT" => Some(-8),
            other => ZONE_ABBREVIATIONS
                .iter()
                .find(|(name, _)| *name == other)
                .map(|&(_, hours)| hours),
        };
        if let Some(hours) = zone {
            offset_hours = hours;
            words.pop();
        }
    }
    let cleaned = words.join(" ").replace("Sept ", "Sep ");
    WRITTEN_TIME.iter().find_map(|fmt| {
        let local = NaiveDateTime::parse_from_str(&cleaned, fmt).ok()?;
        let utc = local - chrono::Duration::hours(i64::from(offset_hours));
        Some(Utc.from_utc_datetime(&utc))
    })
}

fn parse_with_formats(s: &str) -> Option<DateTime<Utc>> {
    for fmt in ZONED {
        if let Ok(d) = DateTime::parse_from_str(s, fmt) {
            return Some(d.with_timezone(&Utc));
        }
    }
    // A trailing "Z" or " UTC" on an otherwise naive timestamp.
    let naive_part = s
        .strip_suffix('Z')
        .or_else(|| s.strip_suffix(" UTC"))
        .or_else(|| s.strip_suffix(" GMT"))
        .unwrap_or(s);
    for fmt in NAIVE_DATETIME {
        if let Ok(d) = NaiveDateTime::parse_from_str(naive_part, fmt) {
            return Some(Utc.from_utc_datetime(&d));
        }
    }
    for fmt in NAIVE_DATE {
        if let Ok(d) = NaiveDate::parse_from_str(naive_part, fmt) {
            return d.and_hms_opt(0, 0, 0).map(|dt| Utc.from_utc_datetime(&dt));
        }
    }
    None
}

/// All-digit strings (optionally with a fractional part) of timestamp
/// length; 8 digits is left to `%Y%m%d`.
fn parse_unix(s: &str) -> Option<DateTime<Utc>> {
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (s, None),
    };
    let int = int.strip_prefix('-').unwrap_or(int);
    if !(9..=14).contains(&int.len())
        || !int.bytes().all(|b| b.is_ascii_digit())
        || !frac.is_none_or(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    let value: f64 = s.parse().ok()?;
    from_unix_number(value)
}

/// A Unix timestamp given as a number: seconds, or milliseconds when its
/// magnitude is beyond what seconds can plausibly be (year ~5138).
pub(crate) fn from_unix_number(value: f64) -> Option<DateTime<Utc>> {
    if !value.is_finite() {
        return None;
    }
    let seconds = if value.abs() >= 1e11 {
        value / 1000.0
    } else {
        value
    };
    if seconds.abs() > 1e13 {
        return None;
    }
    // Truncation to whole seconds (and the sub-second nanos) is intended.
    let whole = seconds.floor();
    let nanos = ((seconds - whole) * 1e9) as u32;
    DateTime::from_timestamp(whole as i64, nanos.min(999_999_999))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd_hms(s: &str) -> String {
        parse_date(s)
            .map(|d| d.format("%Y-%m-%d %H:%M:%S").to_string())
            .unwrap_or_else(|| "NONE".to_owned())
    }

    #[test]
    fn rfc3339_and_iso_variants() {
        assert_eq!(ymd_hms("2024-03-01T10:20:30Z"), "2024-03-01 10:20:30");
        assert_eq!(ymd_hms("2024-03-01T10:20:30+02:00"), "2024-03-01 08:20:30");
        assert_eq!(
            ymd_hms("2024-03-01T10:20:30.123+0200"),
            "2024-03-01 08:20:30"
        );
        assert_eq!(ymd_hms("2024-03-01 10:20:30+02:00"), "2024-03-01 08:20:30");
        assert_eq!(ymd_hms("2024-03-01T10:20:30"), "2024-03-01 10:20:30");
        assert_eq!(ymd_hms("2024-03-01T10:20:30.5Z"), "2024-03-01 10:20:30");
        assert_eq!(ymd_hms("2024-03-01T10:20"), "2024-03-01 10:20:00");
    }

    #[test]
    fn plain_dates_and_datetimes() {
        assert_eq!(ymd_hms("2024-03-01"), "2024-03-01 00:00:00");
        assert_eq!(ymd_hms("  2024-03-01 \n"), "2024-03-01 00:00:00");
        assert_eq!(ymd_hms("2024-03-01 10:20:30"), "2024-03-01 10:20:30");
        assert_eq!(ymd_hms("2024/03/01"), "2024-03-01 00:00:00");
        assert_eq!(ymd_hms("20240301"), "2024-03-01 00:00:00");
    }

    #[test]
    fn rfc2822() {
        assert_eq!(
            ymd_hms("Fri, 01 Mar 2024 10:20:30 +0000"),
            "2024-03-01 10:20:30"
        );
        assert_eq!(
            ymd_hms("Fri, 01 Mar 2024 10:20:30 GMT"),
            "2024-03-01 10:20:30"
        );
    }

    #[test]
    fn written_out_months() {
        assert_eq!(ymd_hms("March 5, 2024"), "2024-03-05 00:00:00");
        assert_eq!(ymd_hms("Mar 5, 2024"), "2024-03-05 00:00:00");
        assert_eq!(ymd_hms("Mar. 5, 2024"), "2024-03-05 00:00:00");
        assert_eq!(ymd_hms("Sept. 5, 2024"), "2024-09-05 00:00:00");
        assert_eq!(ymd_hms("5 March 2024"), "2024-03-05 00:00:00");
        assert_eq!(ymd_hms("Tuesday, March 5, 2024"), "2024-03-05 00:00:00");
    }

    #[test]
    fn web_page_dates_with_a_time_and_zone() {
        assert_eq!(
            ymd_hms("November 19, 2019, 07:47 PM EST"),
            "2019-11-20 00:47:00"
        );
        assert_eq!(
            ymd_hms("March 5, 2024 at 7:47 p.m. ET"),
            "2024-03-06 00:47:00"
        );
        assert_eq!(ymd_hms("5 March 2024, 14:30 GMT"), "2024-03-05 14:30:00");
        assert_eq!(ymd_hms("Sept. 5, 2024, 9:05 AM PDT"), "2024-09-05 16:05:00");
        assert_eq!(
            ymd_hms("Tuesday, March 5, 2024 10:00 AM"),
            "2024-03-05 10:00:00"
        );
        assert_eq!(ymd_hms("March 5, 2024, 7:47 PM XYZ"), "NONE");
    }

    #[test]
    fn reuters_dates() {
        assert_eq!(ymd_hms("26-FEB-1987 15:01:01.79"), "1987-02-26 15:01:01");
        assert_eq!(ymd_hms(" 3-MAR-1987 00:43:42.82"), "1987-03-03 00:43:42");
        assert_eq!(ymd_hms("3-MAR-1987  09:15:05.40"), "1987-03-03 09:15:05");
    }

    #[test]
    fn unix_timestamps() {
        assert_eq!(ymd_hms("1709288430"), "2024-03-01 10:20:30");
        assert_eq!(ymd_hms("1709288430000"), "2024-03-01 10:20:30");
        assert_eq!(ymd_hms("1709288430.25"), "2024-03-01 10:20:30");
        assert_eq!(
            from_unix_number(1_709_288_430.0).map(|d| d.timestamp()),
            Some(1_709_288_430)
        );
        assert_eq!(from_unix_number(f64::NAN), None);
        assert_eq!(from_unix_number(1e300), None);
    }

    #[test]
    fn garbage_is_none() {
        for s in [
            "",
            "   ",
            "yesterday",
            "2024-13-45",
            "12",
            "not a date at all",
            "99999999999999999999999",
            "-",
            ".",
            "2024-03-01T25:00:00Z",
        ] {
            assert_eq!(parse_date(s), None, "{s:?}");
        }
        assert_eq!(parse_date(&"9".repeat(1000)), None);
    }
}
