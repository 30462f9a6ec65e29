//! Periods: whole UTC days, and half-open ranges of them.
//!
//! Accumulators are kept per day; a week, a month or a year is a range of days
//! merged at query time, so every period length is answered from one store.

use tote_core::Timestamp;

const DAY_US: i64 = 86_400_000_000;

/// A UTC calendar day, counted from 1970-01-01.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Day(pub i32);

impl Day {
    pub fn of(at: Timestamp) -> Day {
        let day = at.0.div_euclid(DAY_US);
        Day(i32::try_from(day).expect("a timestamp within ±5.8 million years"))
    }

    /// The first microsecond of the day.
    pub fn start(self) -> Timestamp {
        Timestamp(i64::from(self.0) * DAY_US)
    }
}

/// Days `from` (inclusive) to `to` (exclusive).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Period {
    pub from: Day,
    pub to: Day,
}

impl Period {
    pub fn new(from: Day, to: Day) -> Period {
        assert!(from <= to, "period from {from:?} is after to {to:?}");
        Period { from, to }
    }

    pub fn day(day: Day) -> Period {
        Period::new(day, Day(day.0 + 1))
    }

    /// The ISO week (Monday to Sunday) holding `day`.
    pub fn week_of(day: Day) -> Period {
        // 1970-01-01 was a Thursday: day 0 is weekday 3 counting Monday as 0.
        let monday = day.0 - (day.0 + 3).rem_euclid(7);
        Period::new(Day(monday), Day(monday + 7))
    }

    pub fn days(self) -> i64 {
        i64::from(self.to.0 - self.from.0)
    }

    /// The period of the same length that ends where this one starts: the trend's baseline.
    pub fn previous(self) -> Period {
        let length = self.to.0 - self.from.0;
        Period::new(Day(self.from.0 - length), self.from)
    }

    pub fn iter(self) -> impl Iterator<Item = Day> {
        (self.from.0..self.to.0).map(Day)
    }

    pub fn contains(self, day: Day) -> bool {
        self.from <= day && day < self.to
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_of_a_time_before_the_epoch_rounds_down() {
        assert_eq!(Day::of(Timestamp(-1)), Day(-1));
        assert_eq!(Day::of(Timestamp(0)), Day(0));
        assert_eq!(Day::of(Timestamp(DAY_US - 1)), Day(0));
    }

    #[test]
    fn week_starts_on_monday() {
        // 1970-01-05 was a Monday.
        assert_eq!(Period::week_of(Day(0)), Period::new(Day(-3), Day(4)));
        assert_eq!(Period::week_of(Day(4)), Period::new(Day(4), Day(11)));
    }

    #[test]
    fn previous_period_has_the_same_length_and_touches() {
        let p = Period::new(Day(10), Day(17));
        assert_eq!(p.previous(), Period::new(Day(3), Day(10)));
    }
}
