//! Cycle counting: which locations a count program counts on a day, the ABC
//! classes that drive it, and inventory accuracy from count results.
//!
//! - **ABC classes** (`abc_classes`): SKUs by units moved, most first; the SKUs
//!   that make up the first 80% of the units are A, the next 15% B, the rest
//!   (and SKUs that did not move) C. A location takes the fastest class of the
//!   SKUs it holds.
//! - **Due counts** (`counts_due`): a program counts each of its locations once
//!   every `every_days`, spread evenly: on a day it takes the locations not
//!   counted in the last `every_days` days, never counted first, then the
//!   longest ago, then by code, at most `ceil(locations / every_days)` of them.
//! - **Accuracy** (`inventory_accuracy`): counted locations whose count matched
//!   the books over counted locations (also with a tolerance of units per line),
//!   and one minus the absolute unit variance over the units counted.

use crate::putaway::VelocityClass;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Share of the units moved that A SKUs make up, and A and B together.
pub const ABC_A_SHARE: f64 = 0.80;
pub const ABC_AB_SHARE: f64 = 0.95;

/// The class of each SKU from the units it moved.
pub fn abc_classes(moved: &[(String, i64)]) -> HashMap<String, VelocityClass> {
    let mut sorted: Vec<&(String, i64)> = moved.iter().collect();
    sorted.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let total: i64 = sorted.iter().map(|(_, q)| (*q).max(0)).sum();
    let mut before = 0i64;
    let mut out = HashMap::with_capacity(sorted.len());
    for (sku, q) in sorted {
        let q = (*q).max(0);
        // The class of the share of units moved before this SKU's.
        let class = if q == 0 || total == 0 {
            VelocityClass::C
        } else {
            let share = before as f64 / total as f64;
            if share < ABC_A_SHARE {
                VelocityClass::A
            } else if share < ABC_AB_SHARE {
                VelocityClass::B
            } else {
                VelocityClass::C
            }
        };
        before += q;
        out.insert(sku.clone(), class);
    }
    out
}

/// A location a program may count.
#[derive(Clone, Debug, PartialEq)]
pub struct CountCandidate {
    pub code: String,
    /// Days since the epoch of its last approved count.
    pub last_counted_day: Option<i64>,
}

/// The codes of the locations due for a count on `day` (days since the epoch).
pub fn counts_due(locations: &[CountCandidate], every_days: u32, day: i64) -> Vec<String> {
    let every = i64::from(every_days.max(1));
    let quota = locations.len().div_ceil(every as usize);
    let mut due: Vec<&CountCandidate> = locations
        .iter()
        .filter(|l| l.last_counted_day.is_none_or(|d| day - d >= every))
        .collect();
    due.sort_by(|a, b| {
        a.last_counted_day
            .unwrap_or(i64::MIN)
            .cmp(&b.last_counted_day.unwrap_or(i64::MIN))
            .then(a.code.cmp(&b.code))
    });
    due.into_iter()
        .take(quota)
        .map(|l| l.code.clone())
        .collect()
}

/// One counted line: a SKU at a location, the books' and the counter's units.
#[derive(Clone, Debug, PartialEq)]
pub struct CountedLine {
    pub location: String,
    pub expected: i64,
    pub counted: i64,
}

/// Inventory accuracy of a set of count results.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Accuracy {
    pub locations_counted: usize,
    /// Locations whose every line matched the books exactly.
    pub locations_matched: usize,
    /// Locations whose every line was within the tolerance.
    pub locations_within_tolerance: usize,
    pub tolerance_units: i64,
    /// locations_matched / locations_counted (None when nothing was counted).
    pub location_accuracy: Option<f64>,
    pub location_accuracy_within_tolerance: Option<f64>,
    pub units_counted: i64,
    pub units_expected: i64,
    /// The sum of |counted - expected| over the lines.
    pub abs_unit_variance: i64,
    /// 1 - abs_unit_variance / units_counted, at least 0 (None when no unit
    /// was counted).
    pub unit_accuracy: Option<f64>,
}

/// Accuracy of the lines, each location judged on all its lines.
pub fn inventory_accuracy(lines: &[CountedLine], tolerance_units: i64) -> Accuracy {
    // Per location: (every line exact, every line within tolerance).
    let mut by_location: HashMap<&str, (bool, bool)> = HashMap::new();
    let mut a = Accuracy {
        tolerance_units,
        ..Accuracy::default()
    };
    for l in lines {
        let off = (l.counted - l.expected).abs();
        let e = by_location.entry(&l.location).or_insert((true, true));
        e.0 &= off == 0;
        e.1 &= off <= tolerance_units;
        a.units_counted += l.counted;
        a.units_expected += l.expected;
        a.abs_unit_variance += off;
    }
    a.locations_counted = by_location.len();
    a.locations_matched = by_location.values().filter(|v| v.0).count();
    a.locations_within_tolerance = by_location.values().filter(|v| v.1).count();
    let ratio = |n: usize| (a.locations_counted > 0).then(|| n as f64 / a.locations_counted as f64);
    a.location_accuracy = ratio(a.locations_matched);
    a.location_accuracy_within_tolerance = ratio(a.locations_within_tolerance);
    a.unit_accuracy = (a.units_counted > 0)
        .then(|| (1.0 - a.abs_unit_variance as f64 / a.units_counted as f64).max(0.0));
    a
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn abc_gives_a_to_the_skus_making_the_first_80_percent_of_units() {
        let moved = [
            ("X".to_owned(), 700),
            ("Y".to_owned(), 200),
            ("Z".to_owned(), 60),
            ("W".to_owned(), 40),
            ("Q".to_owned(), 0),
        ];
        let c = abc_classes(&moved);
        // X starts at 0% and Y at 70%: both A; Z starts at 90%: B; W at 96%: C.
        assert_eq!(c["X"], VelocityClass::A);
        assert_eq!(c["Y"], VelocityClass::A);
        assert_eq!(c["Z"], VelocityClass::B);
        assert_eq!(c["W"], VelocityClass::C);
        assert_eq!(c["Q"], VelocityClass::C);
    }

    fn loc(code: &str, last: Option<i64>) -> CountCandidate {
        CountCandidate {
            code: code.into(),
            last_counted_day: last,
        }
    }

    #[test]
    fn due_counts_spread_a_period_evenly_never_counted_first() {
        let locs: Vec<CountCandidate> = (0..10)
            .map(|i| loc(&format!("L{i}"), (i >= 5).then_some(100 - i64::from(i))))
            .collect();
        // 10 locations every 5 days: 2 a day, the never counted ones first.
        assert_eq!(counts_due(&locs, 5, 200), ["L0", "L1"]);
    }

    #[test]
    fn a_location_counted_within_its_period_is_not_due() {
        let locs = [loc("L1", Some(98)), loc("L2", Some(70)), loc("L3", None)];
        // One a day (3 locations, every 30 days): the never counted one.
        assert_eq!(counts_due(&locs, 30, 100), ["L3"]);
        // L1 was counted 2 days ago: only L2 is due besides L3.
        assert_eq!(counts_due(&locs[..2], 30, 100), ["L2"]);
        assert_eq!(counts_due(&locs[..1], 30, 100), Vec::<String>::new());
        assert_eq!(counts_due(&locs, 1, 100), ["L3", "L2", "L1"]);
    }

    #[test]
    fn every_location_is_counted_once_per_period() {
        let mut locs: Vec<CountCandidate> =
            (0..13).map(|i| loc(&format!("L{i:02}"), None)).collect();
        let mut counted = HashMap::new();
        for day in 0..30 {
            for code in counts_due(&locs, 10, day) {
                *counted.entry(code.clone()).or_insert(0) += 1;
                locs.iter_mut()
                    .find(|l| l.code == code)
                    .unwrap()
                    .last_counted_day = Some(day);
            }
        }
        // 30 days of a 10-day program: each location three times.
        assert_eq!(counted.len(), 13);
        assert!(counted.values().all(|&n| n == 3), "{counted:?}");
    }

    proptest::proptest! {
        /// Whatever the history, a program that runs every day counts every
        /// location at least once in any window of `every` days after its first
        /// period, and never one twice within `every` days.
        #[test]
        fn a_daily_program_counts_each_location_once_per_period(
            n in 1usize..40,
            every in 1u32..15,
            history in proptest::collection::vec(proptest::option::of(-30i64..0), 40),
        ) {
            let mut locs: Vec<CountCandidate> = (0..n)
                .map(|i| loc(&format!("L{i:02}"), history[i]))
                .collect();
            let days = 3 * i64::from(every) + 30;
            let mut counted_on: HashMap<String, Vec<i64>> = HashMap::new();
            for day in 0..days {
                for code in counts_due(&locs, every, day) {
                    counted_on.entry(code.clone()).or_default().push(day);
                    locs.iter_mut().find(|l| l.code == code).unwrap().last_counted_day = Some(day);
                }
            }
            let e = i64::from(every);
            for l in &locs {
                let days_counted = counted_on.get(&l.code).cloned().unwrap_or_default();
                proptest::prop_assert!(days_counted.windows(2).all(|w| w[1] - w[0] >= e));
                // From day `every` on, no gap is longer than two periods.
                let mut last = days_counted.iter().copied().filter(|d| *d < e).max().unwrap_or(-1);
                for &d in days_counted.iter().filter(|d| **d >= e) {
                    proptest::prop_assert!(d - last <= 2 * e, "{} counted on {days_counted:?}", l.code);
                    last = d;
                }
            }
        }
    }

    #[test]
    fn accuracy_counts_locations_matched_and_units_off() {
        let l = |loc: &str, e: i64, c: i64| CountedLine {
            location: loc.into(),
            expected: e,
            counted: c,
        };
        let lines = [
            l("A", 10, 10),
            l("A", 5, 4),
            l("B", 20, 20),
            l("C", 0, 3),
            l("D", 8, 8),
        ];
        let a = inventory_accuracy(&lines, 1);
        assert_eq!(a.locations_counted, 4);
        assert_eq!(a.locations_matched, 2);
        assert_eq!(a.locations_within_tolerance, 3);
        assert_eq!(a.location_accuracy, Some(0.5));
        assert_eq!(a.location_accuracy_within_tolerance, Some(0.75));
        assert_eq!(a.units_counted, 45);
        assert_eq!(a.abs_unit_variance, 4);
        assert!((a.unit_accuracy.unwrap() - (1.0 - 4.0 / 45.0)).abs() < 1e-12);
        assert_eq!(inventory_accuracy(&[], 0).location_accuracy, None);
    }
}
