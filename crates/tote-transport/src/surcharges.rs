//! Surcharge rules and the itemised charges of a quote.
//!
//! Each rule may be dated (`starts..=ends`, by ship date). Order of
//! application, as the common parcel carriers bill:
//! 1. large package (and its minimum billable weight, before the base is looked up);
//! 2. additional handling, only when large package did not apply, charged
//!    once at the highest matching amount;
//! 3. residential, delivery area, peak: each at most once, highest match;
//! 4. fuel, a percentage of the base plus every other surcharge.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;
use std::sync::Arc;

/// A carton measure a rule compares, in the service's units
/// (inches and pounds, or centimetres and kilograms).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    Longest,
    Second,
    Weight,
    LengthPlusGirth,
}

impl Measure {
    pub fn parse(s: &str) -> Option<Measure> {
        Some(match s {
            "longest" => Measure::Longest,
            "second" => Measure::Second,
            "weight" => Measure::Weight,
            "length_plus_girth" => Measure::LengthPlusGirth,
            _ => return None,
        })
    }
    pub fn of(self, m: &crate::units::Measured) -> u64 {
        match self {
            Measure::Longest => m.longest,
            Measure::Second => m.second,
            Measure::Weight => m.actual_weight,
            Measure::LengthPlusGirth => m.length_plus_girth(),
        }
    }
}

/// Postal prefixes of a delivery-area list. No entry is a prefix of
/// another (shorter ones win at load), so one binary search answers.
#[derive(Clone, Debug, Default)]
pub struct PostalList {
    prefixes: Vec<String>,
}

impl PostalList {
    pub fn new(mut prefixes: Vec<String>) -> PostalList {
        prefixes.sort_unstable();
        prefixes.dedup();
        let mut kept: Vec<String> = Vec::with_capacity(prefixes.len());
        for p in prefixes {
            // Sorted order puts a prefix right before the codes it covers.
            if kept.last().is_some_and(|k| p.starts_with(k.as_str())) {
                continue;
            }
            kept.push(p);
        }
        PostalList { prefixes: kept }
    }
    pub fn contains(&self, code: &str) -> bool {
        let i = self.prefixes.partition_point(|p| p.as_str() <= code);
        i > 0 && code.starts_with(self.prefixes[i - 1].as_str())
    }
    pub fn len(&self) -> usize {
        self.prefixes.len()
    }
    pub fn is_empty(&self) -> bool {
        self.prefixes.is_empty()
    }
}

#[derive(Clone, Debug)]
pub enum Rule {
    /// Percent of base plus the other surcharges.
    Fuel {
        percent: Decimal,
    },
    Residential {
        amount: Decimal,
    },
    /// Charged when the measure is strictly over the threshold.
    AdditionalHandling {
        measure: Measure,
        over: u64,
        amount: Decimal,
    },
    /// As additional handling, and the billable weight is raised to `billable_min`.
    LargePackage {
        measure: Measure,
        over: u64,
        amount: Decimal,
        billable_min: u64,
    },
    DeliveryArea {
        list_name: String,
        list: Arc<PostalList>,
        amount: Decimal,
    },
    /// Per parcel in a date range; `residential_only` for the home-delivery peak.
    Peak {
        amount: Decimal,
        residential_only: bool,
    },
}

#[derive(Clone, Debug)]
pub struct Surcharge {
    pub rule: Rule,
    pub starts: Option<NaiveDate>,
    pub ends: Option<NaiveDate>,
}

impl Surcharge {
    pub fn in_force(&self, day: NaiveDate) -> bool {
        self.starts.is_none_or(|s| s <= day) && self.ends.is_none_or(|e| day <= e)
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChargeKind {
    #[default]
    Base,
    LargePackage,
    AdditionalHandling,
    Residential,
    DeliveryArea,
    Peak,
    Fuel,
}

/// Why a charge applies, in numbers, so a quote explains itself without
/// allocating.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Basis {
    #[default]
    None,
    /// Base rate: zone and billable weight.
    Table { zone: u16, weight: u64 },
    /// A measure over a threshold.
    Over {
        measure: Measure,
        value: u64,
        over: u64,
    },
    /// A percentage of an amount.
    Percent { percent: Decimal, of: Decimal },
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Charge {
    pub kind: ChargeKind,
    pub amount: Decimal,
    pub basis: Basis,
}

/// At most one charge per kind.
pub const CHARGES_MAX: usize = 7;

/// The itemised charges of one quote, held inline.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Charges {
    items: [Charge; CHARGES_MAX],
    len: u8,
}

impl Charges {
    pub fn push(&mut self, c: Charge) {
        assert!(
            (self.len as usize) < CHARGES_MAX,
            "more than one charge of a kind: {c:?}"
        );
        self.items[self.len as usize] = c;
        self.len += 1;
    }
    pub fn as_slice(&self) -> &[Charge] {
        &self.items[..self.len as usize]
    }
    pub fn get(&self, kind: ChargeKind) -> Option<&Charge> {
        self.as_slice().iter().find(|c| c.kind == kind)
    }
    pub fn total(&self) -> Decimal {
        self.as_slice().iter().map(|c| c.amount).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postal_list_matches_codes_under_any_prefix() {
        let l = PostalList::new(vec![
            "12".into(),
            "1234".into(),
            "997".into(),
            "99501".into(),
        ]);
        assert_eq!(l.len(), 3, "1234 is covered by 12");
        assert!(l.contains("12999"));
        assert!(l.contains("99501"));
        assert!(l.contains("99799"));
        assert!(!l.contains("99502"));
        assert!(!l.contains("11999"));
    }
}
