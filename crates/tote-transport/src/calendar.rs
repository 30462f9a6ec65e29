//! Working days: which weekdays a carrier picks up or delivers and a node
//! ships, less holidays; and the business-day arithmetic over them.

use chrono::{Datelike, Days, NaiveDate, Weekday};
use std::fmt;
use std::sync::Arc;

/// A set of weekdays, bit 0 = Monday.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct WeekDays(u8);

const NAMES: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

impl WeekDays {
    pub const MON_FRI: WeekDays = WeekDays(0b001_1111);
    pub const MON_SAT: WeekDays = WeekDays(0b011_1111);
    pub const ALL: WeekDays = WeekDays(0b111_1111);

    /// Parses `Mon-Fri`, `Mon-Sat`, `Mon,Wed,Fri` or a mix (`Mon-Wed,Sat`).
    /// Never empty, so a search for the next working day ends.
    pub fn parse(s: &str) -> Option<WeekDays> {
        let index = |name: &str| {
            NAMES
                .iter()
                .position(|n| n.eq_ignore_ascii_case(name.trim()))
        };
        let mut bits = 0u8;
        for part in s.split(',') {
            match part.split_once('-') {
                Some((a, b)) => {
                    let (a, b) = (index(a)?, index(b)?);
                    if a > b {
                        return None;
                    }
                    for i in a..=b {
                        bits |= 1 << i;
                    }
                }
                None => bits |= 1 << index(part)?,
            }
        }
        (bits != 0).then_some(WeekDays(bits))
    }

    pub fn contains(self, day: Weekday) -> bool {
        self.0 & (1 << day.num_days_from_monday()) != 0
    }
}

impl fmt::Debug for WeekDays {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Runs of three or more days print as a range: Mon-Fri, Mon,Wed,Fri.
        let mut parts: Vec<String> = Vec::new();
        let mut i = 0;
        while i < 7 {
            if self.0 & (1 << i) == 0 {
                i += 1;
                continue;
            }
            let start = i;
            while i + 1 < 7 && self.0 & (1 << (i + 1)) != 0 {
                i += 1;
            }
            match i - start {
                0 => parts.push(NAMES[start].into()),
                1 => parts.push(format!("{},{}", NAMES[start], NAMES[i])),
                _ => parts.push(format!("{}-{}", NAMES[start], NAMES[i])),
            }
            i += 1;
        }
        f.write_str(&parts.join(","))
    }
}

/// Working weekdays less a sorted list of holidays.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WorkDays {
    pub days: WeekDays,
    holidays: Arc<[NaiveDate]>,
}

/// No calendar skips more than a year of days in a row: weekdays are never
/// empty and holidays are a finite list; the bound turns a bug into a panic
/// rather than a hang.
const SKIP_DAYS_MAX: u32 = 400;

impl WorkDays {
    pub fn new(days: WeekDays, mut holidays: Vec<NaiveDate>) -> WorkDays {
        holidays.sort_unstable();
        holidays.dedup();
        WorkDays {
            days,
            holidays: holidays.into(),
        }
    }

    pub fn holidays(&self) -> &[NaiveDate] {
        &self.holidays
    }

    pub fn is_working(&self, day: NaiveDate) -> bool {
        self.days.contains(day.weekday()) && self.holidays.binary_search(&day).is_err()
    }

    /// The first working day on or after `day`.
    pub fn on_or_after(&self, day: NaiveDate) -> NaiveDate {
        let mut d = day;
        for _ in 0..SKIP_DAYS_MAX {
            if self.is_working(d) {
                return d;
            }
            d = next(d);
        }
        panic!("no working day within {SKIP_DAYS_MAX} days of {day} in {self:?}");
    }

    /// `day` plus `n` working days: each day counted is a working day, the
    /// start day itself is not counted (transit 1 from Monday is Tuesday).
    pub fn add(&self, day: NaiveDate, n: u32) -> NaiveDate {
        let mut d = day;
        for _ in 0..n {
            d = self.on_or_after(next(d));
        }
        d
    }
}

fn next(d: NaiveDate) -> NaiveDate {
    d.checked_add_days(Days::new(1))
        .expect("date within chrono's range")
}

/// Both calendars work on `day`.
pub fn both_working(a: &WorkDays, b: &WorkDays, day: NaiveDate) -> bool {
    a.is_working(day) && b.is_working(day)
}

/// The first day on or after `day` on which both calendars work.
pub fn both_on_or_after(a: &WorkDays, b: &WorkDays, day: NaiveDate) -> NaiveDate {
    let mut d = day;
    for _ in 0..SKIP_DAYS_MAX {
        if both_working(a, b, d) {
            return d;
        }
        d = next(d);
    }
    panic!("no common working day within {SKIP_DAYS_MAX} days of {day}: {a:?} and {b:?}");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().expect("test date")
    }

    #[test]
    fn weekday_ranges_and_lists_parse() {
        assert_eq!(WeekDays::parse("Mon-Fri"), Some(WeekDays::MON_FRI));
        assert_eq!(WeekDays::parse("mon-sat"), Some(WeekDays::MON_SAT));
        let mwf = WeekDays::parse("Mon, Wed,Fri").expect("list");
        assert!(mwf.contains(Weekday::Wed) && !mwf.contains(Weekday::Tue));
        assert_eq!(WeekDays::parse("Fri-Mon"), None);
        assert_eq!(WeekDays::parse(""), None);
        assert_eq!(WeekDays::parse("Funday"), None);
    }

    #[test]
    fn adding_business_days_skips_the_weekend() {
        let cal = WorkDays::new(WeekDays::MON_FRI, vec![]);
        // Thursday 2026-11-19 + 2 = Monday 2026-11-23.
        assert_eq!(cal.add(d("2026-11-19"), 2), d("2026-11-23"));
        assert_eq!(cal.add(d("2026-11-19"), 0), d("2026-11-19"));
    }

    #[test]
    fn adding_business_days_skips_holidays() {
        // Thanksgiving Thursday 2026-11-26 is a holiday: Wed + 1 = Fri.
        let cal = WorkDays::new(WeekDays::MON_FRI, vec![d("2026-11-26")]);
        assert_eq!(cal.add(d("2026-11-25"), 1), d("2026-11-27"));
        assert_eq!(cal.on_or_after(d("2026-11-26")), d("2026-11-27"));
    }

    #[test]
    fn saturday_delivery_counts_saturday() {
        let cal = WorkDays::new(WeekDays::MON_SAT, vec![]);
        assert_eq!(cal.add(d("2026-11-20"), 1), d("2026-11-21"));
        assert_eq!(cal.add(d("2026-11-21"), 1), d("2026-11-23"));
    }

    #[test]
    fn common_day_needs_both_calendars() {
        let carrier = WorkDays::new(WeekDays::MON_FRI, vec![d("2026-12-25")]);
        let node = WorkDays::new(WeekDays::parse("Mon,Wed,Fri").expect("days"), vec![]);
        // Thu 12-24 node closed, Fri 12-25 carrier holiday, Mon 12-28 both open.
        assert_eq!(
            both_on_or_after(&carrier, &node, d("2026-12-24")),
            d("2026-12-28")
        );
    }
}
