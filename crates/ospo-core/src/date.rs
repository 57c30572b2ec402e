//! Calendar dates and instants as validated strings (the crate reads no clock).

use crate::error::ValidationError;

string_newtype!(
    /// A calendar date written `YYYY-MM-DD` (ISO 8601 / RFC 3339 `full-date`), e.g. a release
    /// date or the day of an inventory snapshot. Orders chronologically.
    #[derive(PartialOrd, Ord)]
    IsoDate
);

const DATE_EXPECTED: &str = "a date written YYYY-MM-DD, e.g. \"2026-03-31\"";
const TIMESTAMP_EXPECTED: &str =
    "an RFC 3339 date and time with an offset, e.g. \"2026-03-31T14:05:00Z\"";

impl IsoDate {
    /// Accepts `YYYY-MM-DD` naming a day that exists (leap years included).
    pub fn parse(text: &str) -> Result<Self, ValidationError> {
        parse_date("date", text, DATE_EXPECTED)?;
        Ok(Self(text.to_owned()))
    }

    /// The date of `year`, `month`, `day`, if that day exists.
    pub fn from_ymd(year: u16, month: u8, day: u8) -> Result<Self, ValidationError> {
        Self::parse(&format!("{year:04}-{month:02}-{day:02}"))
    }

    /// The year.
    pub fn year(&self) -> u16 {
        self.parts().0
    }

    /// The month, 1 to 12.
    pub fn month(&self) -> u8 {
        self.parts().1
    }

    /// The day of the month, 1 to 31.
    pub fn day(&self) -> u8 {
        self.parts().2
    }

    /// Days since 1970-01-01 (negative before), for durations between dates.
    pub fn days_since_epoch(&self) -> i64 {
        let (y, m, d) = self.parts();
        days_from_civil(i64::from(y), i64::from(m), i64::from(d))
    }

    fn parts(&self) -> (u16, u8, u8) {
        // Validated on construction, so the slices are digits.
        let num = |range: std::ops::Range<usize>| self.0[range].parse::<u16>().unwrap_or(0);
        (num(0..4), num(5..7) as u8, num(8..10) as u8)
    }
}

string_newtype!(
    /// An instant written in RFC 3339 (`2026-03-31T14:05:00Z`, `2026-03-31T16:05:00.5+02:00`),
    /// as stored in `created_at`, `updated_at` and the audit log.
    ///
    /// Equality is textual; compare instants with [`Timestamp::unix_seconds`].
    Timestamp
);

impl Timestamp {
    /// Accepts `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)` naming a real date and time.
    pub fn parse(text: &str) -> Result<Self, ValidationError> {
        let bad = |problem: &str| {
            Err(ValidationError::malformed(
                "timestamp",
                text,
                problem,
                TIMESTAMP_EXPECTED,
            ))
        };
        if text.is_empty() {
            return Err(ValidationError::Empty {
                field: "timestamp".into(),
                expected: TIMESTAMP_EXPECTED,
            });
        }
        if text.len() < 19 || !text.is_char_boundary(10) || !text.is_char_boundary(19) {
            return bad("it does not begin with YYYY-MM-DDTHH:MM:SS");
        }
        parse_date("timestamp", &text[..10], TIMESTAMP_EXPECTED).map_err(|e| match e {
            ValidationError::Malformed { problem, .. } => {
                ValidationError::malformed("timestamp", text, problem, TIMESTAMP_EXPECTED)
            }
            other => other,
        })?;
        if text.as_bytes()[10] != b'T' {
            return bad("the date and the time must be separated by 'T'");
        }
        let time = &text[11..19];
        let Some((h, m, s)) = hms(time) else {
            return bad("the time is not HH:MM:SS");
        };
        if h > 23 || m > 59 || s > 60 {
            return bad("the time of day does not exist");
        }
        let mut rest = &text[19..];
        if let Some(fraction) = rest.strip_prefix('.') {
            let digits = fraction.bytes().take_while(u8::is_ascii_digit).count();
            if digits == 0 {
                return bad("a '.' must be followed by fractional seconds");
            }
            rest = &fraction[digits..];
        }
        match rest {
            "Z" => {}
            offset if offset.len() == 6 && (offset.starts_with('+') || offset.starts_with('-')) => {
                match hm(&offset[1..]) {
                    Some((oh, om)) if oh <= 23 && om <= 59 => {}
                    _ => return bad("the offset is not ±HH:MM"),
                }
            }
            _ => return bad("the offset is missing: end with 'Z' or ±HH:MM"),
        }
        Ok(Self(text.to_owned()))
    }

    /// The UTC timestamp of whole seconds since 1970-01-01T00:00:00Z (the caller reads the
    /// clock; this crate does not).
    pub fn from_unix_seconds(seconds: i64) -> Self {
        let days = seconds.div_euclid(86_400);
        let secs = seconds.rem_euclid(86_400);
        let (y, m, d) = civil_from_days(days);
        Self(format!(
            "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
            secs / 3600,
            secs % 3600 / 60,
            secs % 60
        ))
    }

    /// The calendar date as written (in the timestamp's own offset).
    pub fn date(&self) -> IsoDate {
        IsoDate(self.0[..10].to_owned())
    }

    /// Whole seconds since 1970-01-01T00:00:00Z, offset applied, fraction dropped.
    pub fn unix_seconds(&self) -> i64 {
        let date = self.date().days_since_epoch();
        let (h, m, s) = hms(&self.0[11..19]).unwrap_or((0, 0, 0));
        let rest = self.0[19..].trim_start_matches(|c: char| c == '.' || c.is_ascii_digit());
        let offset = match rest.as_bytes().first() {
            Some(b'+' | b'-') => {
                let (oh, om) = hm(&rest[1..]).unwrap_or((0, 0));
                let minutes = i64::from(oh) * 60 + i64::from(om);
                if rest.starts_with('-') {
                    -minutes
                } else {
                    minutes
                }
            }
            _ => 0,
        };
        date * 86_400 + i64::from(h) * 3600 + i64::from(m) * 60 + i64::from(s) - offset * 60
    }

    /// Seconds from `self` to `later` (negative if `later` is earlier).
    pub fn seconds_until(&self, later: &Timestamp) -> i64 {
        later.unix_seconds() - self.unix_seconds()
    }
}

fn two(text: &str) -> Option<u8> {
    if text.len() == 2 && text.bytes().all(|b| b.is_ascii_digit()) {
        text.parse().ok()
    } else {
        None
    }
}

fn hm(text: &str) -> Option<(u8, u8)> {
    let (h, m) = text.split_once(':')?;
    Some((two(h)?, two(m)?))
}

fn hms(text: &str) -> Option<(u8, u8, u8)> {
    let (h, ms) = text.split_once(':')?;
    let (m, s) = ms.split_once(':')?;
    Some((two(h)?, two(m)?, two(s)?))
}

fn parse_date(field: &str, text: &str, expected: &'static str) -> Result<(), ValidationError> {
    if text.is_empty() {
        return Err(ValidationError::Empty {
            field: field.into(),
            expected,
        });
    }
    let bytes = text.as_bytes();
    let shape_ok = bytes.len() == 10
        && bytes[4] == b'-'
        && bytes[7] == b'-'
        && bytes
            .iter()
            .enumerate()
            .all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit());
    if !shape_ok {
        return Err(ValidationError::malformed(
            field,
            text,
            "it is not YYYY-MM-DD",
            expected,
        ));
    }
    let year: u16 = text[0..4].parse().unwrap_or(0);
    let month: u8 = text[5..7].parse().unwrap_or(0);
    let day: u8 = text[8..10].parse().unwrap_or(0);
    if year == 0 {
        return Err(ValidationError::malformed(
            field,
            text,
            "year 0000 does not exist",
            expected,
        ));
    }
    if !(1..=12).contains(&month) {
        return Err(ValidationError::malformed(
            field,
            text,
            format!("month {month} does not exist"),
            expected,
        ));
    }
    let leap = (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400);
    let days = match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    if day == 0 || day > days {
        return Err(ValidationError::malformed(
            field,
            text,
            format!("day {day} does not exist in {year:04}-{month:02}"),
            expected,
        ));
    }
    Ok(())
}

/// Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
/// The proleptic Gregorian date of a day count since 1970-01-01 (H. Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod unix_tests {
    use super::*;

    #[test]
    fn unix_seconds_round_trip_through_timestamps() {
        for secs in [0i64, 951_782_400, 1_764_064_800, 4_107_542_399, -86_400] {
            let t = Timestamp::from_unix_seconds(secs);
            assert_eq!(t.unix_seconds(), secs, "{t}");
            assert!(Timestamp::parse(t.as_str()).is_ok());
        }
        assert_eq!(
            Timestamp::from_unix_seconds(951_782_400).as_str(),
            "2000-02-29T00:00:00Z"
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_must_exist() {
        assert_eq!(IsoDate::parse("2024-02-29").unwrap().day(), 29);
        let e = IsoDate::parse("2026-02-29").unwrap_err().to_string();
        assert!(e.contains("day 29 does not exist in 2026-02"), "{e}");
        let e = IsoDate::parse("2026-13-01").unwrap_err().to_string();
        assert!(e.contains("month 13 does not exist"), "{e}");
        let e = IsoDate::parse("31/03/2026").unwrap_err().to_string();
        assert!(e.contains("expected a date written YYYY-MM-DD"), "{e}");
        assert!(IsoDate::parse("2026-3-31").is_err());
    }

    #[test]
    fn dates_order_and_count_days() {
        let a = IsoDate::from_ymd(2025, 12, 31).unwrap();
        let b = IsoDate::parse("2026-01-01").unwrap();
        assert!(a < b);
        assert_eq!(b.days_since_epoch() - a.days_since_epoch(), 1);
        assert_eq!(IsoDate::parse("1970-01-01").unwrap().days_since_epoch(), 0);
        assert_eq!((b.year(), b.month(), b.day()), (2026, 1, 1));
    }

    #[test]
    fn timestamps_follow_rfc_3339() {
        for ok in [
            "2026-03-31T14:05:00Z",
            "2026-03-31T16:05:00+02:00",
            "2026-03-31T14:05:00.123456Z",
            "2016-12-31T23:59:60Z",
        ] {
            assert!(Timestamp::parse(ok).is_ok(), "{ok}");
        }
        let cases = [
            ("2026-03-31 14:05:00Z", "separated by 'T'"),
            ("2026-03-31T14:05:00", "offset is missing"),
            ("2026-03-31T24:00:00Z", "time of day does not exist"),
            ("2026-02-30T10:00:00Z", "day 30 does not exist"),
            ("2026-03-31T14:05:00.Z", "fractional seconds"),
            ("2026-03-31", "does not begin with YYYY-MM-DDTHH:MM:SS"),
            ("2026-03-3é:05:00Z", "does not begin with"),
        ];
        for (input, problem) in cases {
            let e = Timestamp::parse(input).unwrap_err().to_string();
            assert!(e.contains(problem), "{input}: {e}");
        }
    }

    #[test]
    fn timestamps_compare_as_instants() {
        let utc = Timestamp::parse("2026-03-31T14:05:00Z").unwrap();
        let geneva = Timestamp::parse("2026-03-31T16:05:00+02:00").unwrap();
        assert_eq!(utc.unix_seconds(), geneva.unix_seconds());
        assert_eq!(utc.unix_seconds(), 1_774_965_900);
        let later = Timestamp::parse("2026-04-02T14:05:00.9Z").unwrap();
        assert_eq!(utc.seconds_until(&later), 2 * 86_400);
        assert_eq!(geneva.date(), IsoDate::parse("2026-03-31").unwrap());
    }
}
