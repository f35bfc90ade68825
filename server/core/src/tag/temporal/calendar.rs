//! Calendar arithmetic for TIMEX3 values: partial dates, weekdays, resolution against the DCT.

use std::fmt::Write;

/// A calendar point that may lack its year, month or day (`XXXX-09-17`, `2016-10`, `2016`).
///
/// A decade (`the 1990s`, TIMEX3 `199`) is a year-less point with `decade` set.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct PartialDate {
    /// The year, or the first three digits of the decade when `decade` is set.
    pub year: Option<u16>,
    /// The month, 1 to 12.
    pub month: Option<u8>,
    /// The day of the month, 1 to 31.
    pub day: Option<u8>,
    /// The point is a decade: `year` holds its first three digits.
    pub decade: bool,
}

/// How fine a date or a duration is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Granularity {
    /// Hours (durations only).
    Hour,
    /// A calendar day.
    Day,
    /// A week (durations only).
    Week,
    /// A calendar month.
    Month,
    /// A calendar year.
    Year,
    /// A decade.
    Decade,
}

impl Granularity {
    /// A lower-case English name for hovers (`day`, `month`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            Granularity::Hour => "hour",
            Granularity::Day => "day",
            Granularity::Week => "week",
            Granularity::Month => "month",
            Granularity::Year => "year",
            Granularity::Decade => "decade",
        }
    }
}

/// A day of the week.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Weekday {
    Monday,
    Tuesday,
    Wednesday,
    Thursday,
    Friday,
    Saturday,
    Sunday,
}

impl Weekday {
    /// The English name (`Monday`).
    pub fn as_str(self) -> &'static str {
        match self {
            Weekday::Monday => "Monday",
            Weekday::Tuesday => "Tuesday",
            Weekday::Wednesday => "Wednesday",
            Weekday::Thursday => "Thursday",
            Weekday::Friday => "Friday",
            Weekday::Saturday => "Saturday",
            Weekday::Sunday => "Sunday",
        }
    }
}

impl PartialDate {
    /// A year alone.
    pub fn year(year: u16) -> PartialDate {
        PartialDate {
            year: Some(year),
            ..PartialDate::default()
        }
    }

    /// A full date; the caller has checked that it exists.
    pub fn ymd(year: u16, month: u8, day: u8) -> PartialDate {
        PartialDate {
            year: Some(year),
            month: Some(month),
            day: Some(day),
            decade: false,
        }
    }

    /// The finest unit the point names.
    pub fn granularity(&self) -> Granularity {
        if self.decade {
            Granularity::Decade
        } else if self.day.is_some() {
            Granularity::Day
        } else if self.month.is_some() {
            Granularity::Month
        } else {
            Granularity::Year
        }
    }

    /// True when year, month and day are all known.
    pub fn is_complete_day(&self) -> bool {
        !self.decade && self.year.is_some() && self.month.is_some() && self.day.is_some()
    }

    /// The weekday of a complete date.
    pub fn weekday(&self) -> Option<Weekday> {
        if !self.is_complete_day() {
            return None;
        }
        let days = days_from_civil(self.year? as i64, self.month? as i64, self.day? as i64);
        // 1970-01-01 was a Thursday.
        let index = (days + 3).rem_euclid(7);
        Some(
            [
                Weekday::Monday,
                Weekday::Tuesday,
                Weekday::Wednesday,
                Weekday::Thursday,
                Weekday::Friday,
                Weekday::Saturday,
                Weekday::Sunday,
            ][index as usize],
        )
    }

    /// The TIMEX3 value: `2016-10-17`, `XXXX-09-17`, `2016-10`, `2016`, `199`.
    pub fn timex(&self) -> String {
        let mut out = String::with_capacity(10);
        match (self.decade, self.year) {
            (true, Some(prefix)) => {
                let _ = write!(out, "{prefix:03}");
                return out;
            }
            (_, Some(year)) => {
                let _ = write!(out, "{year:04}");
            }
            (_, None) => out.push_str("XXXX"),
        }
        match self.month {
            Some(month) => {
                let _ = write!(out, "-{month:02}");
            }
            None if self.day.is_some() => out.push_str("-XX"),
            None => {}
        }
        if let Some(day) = self.day {
            let _ = write!(out, "-{day:02}");
        }
        out
    }
}

/// True when the day exists in that month (in a leap year when the year is unknown).
pub(crate) fn valid_day(year: Option<u16>, month: u8, day: u8) -> bool {
    day >= 1 && (1..=12).contains(&month) && day <= days_in_month(year, month)
}

fn days_in_month(year: Option<u16>, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ => match year {
            Some(y) if !(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)) => 28,
            _ => 29,
        },
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
pub(crate) fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month_index = (month + 9) % 12;
    let day_of_year = (153 * month_index + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// Gives a year-less date the year that puts it closest to the DCT (news reports talk about
/// the recent past and the near future), or `None` when the date has no month to place.
pub(crate) fn closest_year(date: PartialDate, dct: PartialDate) -> Option<u16> {
    let (dct_year, dct_month) = (dct.year?, dct.month?);
    let dct_day = dct.day.unwrap_or(15);
    let month = date.month?;
    let day = date.day.unwrap_or(15);
    let anchor = days_from_civil(dct_year as i64, dct_month as i64, dct_day as i64);
    let candidates = [dct_year.checked_sub(1)?, dct_year, dct_year.checked_add(1)?];
    candidates
        .into_iter()
        .filter(|&year| date.day.is_none() || valid_day(Some(year), month, day))
        .min_by_key(|&year| {
            let safe_day = day.min(days_in_month(Some(year), month));
            (days_from_civil(year as i64, month as i64, safe_day as i64) - anchor).abs()
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weekdays() {
        assert_eq!(
            PartialDate::ymd(2016, 10, 17).weekday(),
            Some(Weekday::Monday)
        );
        assert_eq!(
            PartialDate::ymd(2000, 2, 29).weekday(),
            Some(Weekday::Tuesday)
        );
        assert_eq!(PartialDate::year(2016).weekday(), None);
    }

    #[test]
    fn timex_values() {
        let mut date = PartialDate::ymd(2016, 10, 17);
        assert_eq!(date.timex(), "2016-10-17");
        date.year = None;
        assert_eq!(date.timex(), "XXXX-10-17");
        date.day = None;
        assert_eq!(date.timex(), "XXXX-10");
        let decade = PartialDate {
            year: Some(199),
            decade: true,
            ..PartialDate::default()
        };
        assert_eq!(decade.timex(), "199");
    }

    #[test]
    fn closest_year_crosses_new_year() {
        let dct = PartialDate::ymd(2025, 12, 20);
        let january = PartialDate {
            month: Some(1),
            day: Some(14),
            ..PartialDate::default()
        };
        assert_eq!(closest_year(january, dct), Some(2026));
        let september = PartialDate {
            month: Some(9),
            day: Some(17),
            ..PartialDate::default()
        };
        assert_eq!(closest_year(september, dct), Some(2025));
    }
}
