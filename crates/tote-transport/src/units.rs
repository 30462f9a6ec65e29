//! Lengths, weights and the billable-weight rule.
//!
//! Lengths are whole micrometres and weights whole micrograms, so both the
//! inch and the centimetre, the pound and the kilogram convert exactly
//! (1 in = 25 400 um, 1 lb = 453 592 370 ug) and every rounding below is
//! integer arithmetic with no floating point.

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde::{Deserialize, Serialize};

const UM_PER_IN: u64 = 25_400;
const UM_PER_CM: u64 = 10_000;
const UG_PER_LB: u64 = 453_592_370;
const UG_PER_KG: u64 = 1_000_000_000;

/// A length in micrometres.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Length(u64);

impl Length {
    pub const fn from_um(um: u64) -> Length {
        Length(um)
    }
    pub const fn from_mm(mm: u64) -> Length {
        Length(mm * 1_000)
    }
    /// `None` when negative or too large to hold.
    pub fn from_in(inches: Decimal) -> Option<Length> {
        from_decimal(inches, UM_PER_IN).map(Length)
    }
    pub fn from_cm(cm: Decimal) -> Option<Length> {
        from_decimal(cm, UM_PER_CM).map(Length)
    }
    pub const fn um(self) -> u64 {
        self.0
    }
    /// Rounded to the nearest whole unit, an exact half rounding up
    /// (carriers measure "to the nearest inch").
    pub const fn nearest(self, unit: LengthUnit) -> u64 {
        let per = unit.um_per_unit();
        (self.0 + per / 2) / per
    }
}

/// A weight in micrograms.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Weight(u64);

impl Weight {
    pub const fn from_ug(ug: u64) -> Weight {
        Weight(ug)
    }
    pub const fn from_g(g: u64) -> Weight {
        Weight(g * 1_000_000)
    }
    pub fn from_lb(lb: Decimal) -> Option<Weight> {
        from_decimal(lb, UG_PER_LB).map(Weight)
    }
    pub fn from_kg(kg: Decimal) -> Option<Weight> {
        from_decimal(kg, UG_PER_KG).map(Weight)
    }
    pub const fn ug(self) -> u64 {
        self.0
    }
    /// Rounded up to the next whole unit; an exact pound stays as it is.
    pub const fn ceil(self, unit: WeightUnit) -> u64 {
        self.0.div_ceil(unit.ug_per_unit())
    }
}

fn from_decimal(value: Decimal, per_unit: u64) -> Option<u64> {
    if value.is_sign_negative() {
        return None;
    }
    (value * Decimal::from(per_unit)).round().to_u64()
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LengthUnit {
    In,
    Cm,
}

impl LengthUnit {
    const fn um_per_unit(self) -> u64 {
        match self {
            LengthUnit::In => UM_PER_IN,
            LengthUnit::Cm => UM_PER_CM,
        }
    }
}

/// The unit a rate table is priced in; it also fixes the length unit of
/// the dimensional rule (pound with inch, kilogram with centimetre).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum WeightUnit {
    Lb,
    Kg,
}

impl WeightUnit {
    const fn ug_per_unit(self) -> u64 {
        match self {
            WeightUnit::Lb => UG_PER_LB,
            WeightUnit::Kg => UG_PER_KG,
        }
    }
    pub const fn length_unit(self) -> LengthUnit {
        match self {
            WeightUnit::Lb => LengthUnit::In,
            WeightUnit::Kg => LengthUnit::Cm,
        }
    }
    pub const fn as_str(self) -> &'static str {
        match self {
            WeightUnit::Lb => "lb",
            WeightUnit::Kg => "kg",
        }
    }
}

/// One carton as it will be handed to the carrier.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Parcel {
    /// Outer dimensions in any order.
    pub dims: [Length; 3],
    pub weight: Weight,
}

/// A carton's measures in a service's units, each dimension rounded to the
/// nearest whole unit and sorted longest first, the actual weight rounded up.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Measured {
    pub longest: u64,
    pub second: u64,
    pub third: u64,
    pub actual_weight: u64,
}

impl Measured {
    pub fn volume(&self) -> u64 {
        self.longest * self.second * self.third
    }
    /// Length plus girth: the longest side plus twice the other two.
    pub fn length_plus_girth(&self) -> u64 {
        self.longest + 2 * (self.second + self.third)
    }
}

impl Parcel {
    pub fn measure(&self, unit: WeightUnit) -> Measured {
        let lu = unit.length_unit();
        let mut d = [
            self.dims[0].nearest(lu),
            self.dims[1].nearest(lu),
            self.dims[2].nearest(lu),
        ];
        // Three-element sort by hand: this runs once per quote.
        if d[0] < d[1] {
            d.swap(0, 1);
        }
        if d[1] < d[2] {
            d.swap(1, 2);
        }
        if d[0] < d[1] {
            d.swap(0, 1);
        }
        Measured {
            longest: d[0],
            second: d[1],
            third: d[2],
            actual_weight: self.weight.ceil(unit),
        }
    }
}

/// How a service turns a carton into the weight it bills.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct DimRule {
    pub unit: WeightUnit,
    /// Cubic inches per pound (139, 166) or cubic centimetres per kilogram (5000).
    pub divisor: u64,
    /// Dimensional weight applies only above this volume (the postal rule
    /// of one cubic foot, 1728 in^3); 0 means always.
    pub volume_min: u64,
}

/// The weights behind a quote, in the service's unit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct BillableWeight {
    pub actual: u64,
    pub dimensional: u64,
    pub billable: u64,
}

impl DimRule {
    /// DOMAIN.md: length x width x height / divisor, each dimension rounded
    /// to the nearest whole unit first, the result rounded up; billable is
    /// the larger of that and the actual weight rounded up.
    pub fn billable(&self, m: &Measured) -> BillableWeight {
        let volume = m.volume();
        let dimensional = if volume > self.volume_min {
            volume.div_ceil(self.divisor)
        } else {
            0
        };
        BillableWeight {
            actual: m.actual_weight,
            dimensional,
            billable: m.actual_weight.max(dimensional),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util::dec;

    fn parcel_in(l: &str, w: &str, h: &str, lb: &str) -> Parcel {
        Parcel {
            dims: [
                Length::from_in(dec(l)).expect("length"),
                Length::from_in(dec(w)).expect("length"),
                Length::from_in(dec(h)).expect("length"),
            ],
            weight: Weight::from_lb(dec(lb)).expect("weight"),
        }
    }

    const DAILY: DimRule = DimRule {
        unit: WeightUnit::Lb,
        divisor: 139,
        volume_min: 0,
    };

    #[test]
    fn half_inch_rounds_up_and_just_below_half_rounds_down() {
        assert_eq!(
            Length::from_in(dec("12.5"))
                .expect("l")
                .nearest(LengthUnit::In),
            13
        );
        assert_eq!(
            Length::from_in(dec("12.49"))
                .expect("l")
                .nearest(LengthUnit::In),
            12
        );
        assert_eq!(Length::from_mm(305).nearest(LengthUnit::In), 12); // 12.008 in
    }

    #[test]
    fn exact_pound_is_not_rounded_up_but_one_microgram_more_is() {
        assert_eq!(
            Weight::from_lb(dec("5")).expect("w").ceil(WeightUnit::Lb),
            5
        );
        let over = Weight::from_ug(Weight::from_lb(dec("5")).expect("w").ug() + 1);
        assert_eq!(over.ceil(WeightUnit::Lb), 6);
        assert_eq!(Weight::from_g(1000).ceil(WeightUnit::Kg), 1);
        assert_eq!(Weight::from_g(1001).ceil(WeightUnit::Kg), 2);
    }

    #[test]
    fn dimensional_weight_exactly_on_divisor_is_not_rounded_up() {
        // 139 x 1 x 1 = 139 in^3 = exactly 1 lb.
        let b = DAILY.billable(&parcel_in("139", "1", "1", "0.2").measure(WeightUnit::Lb));
        assert_eq!((b.dimensional, b.billable), (1, 1));
        // 140 in^3 is just over: 2 lb.
        let b = DAILY.billable(&parcel_in("140", "1", "1", "0.2").measure(WeightUnit::Lb));
        assert_eq!((b.dimensional, b.billable), (2, 2));
    }

    #[test]
    fn dimensions_are_rounded_before_multiplying() {
        // 12.4 x 10.5 x 8.5 rounds to 12 x 11 x 9 = 1188 in^3; /139 = 8.55 -> 9 lb.
        // Unrounded it would be 1106.7 in^3 -> 8 lb.
        let b = DAILY.billable(&parcel_in("12.4", "10.5", "8.5", "3").measure(WeightUnit::Lb));
        assert_eq!(
            b,
            BillableWeight {
                actual: 3,
                dimensional: 9,
                billable: 9
            }
        );
    }

    #[test]
    fn actual_weight_wins_when_heavier_than_dimensional() {
        // 10 x 10 x 10 = 1000 in^3 -> 7.19 -> 8 lb dim; actual 12.1 lb -> 13 lb.
        let b = DAILY.billable(&parcel_in("10", "10", "10", "12.1").measure(WeightUnit::Lb));
        assert_eq!(
            b,
            BillableWeight {
                actual: 13,
                dimensional: 8,
                billable: 13
            }
        );
    }

    #[test]
    fn postal_divisor_applies_only_above_one_cubic_foot() {
        let postal = DimRule {
            unit: WeightUnit::Lb,
            divisor: 166,
            volume_min: 1728,
        };
        // 12 x 12 x 12 = 1728 in^3, not above: actual weight only.
        let b = postal.billable(&parcel_in("12", "12", "12", "2").measure(WeightUnit::Lb));
        assert_eq!(
            b,
            BillableWeight {
                actual: 2,
                dimensional: 0,
                billable: 2
            }
        );
        // 13 x 12 x 12 = 1872 in^3 / 166 = 11.28 -> 12 lb.
        let b = postal.billable(&parcel_in("13", "12", "12", "2").measure(WeightUnit::Lb));
        assert_eq!(
            b,
            BillableWeight {
                actual: 2,
                dimensional: 12,
                billable: 12
            }
        );
    }

    #[test]
    fn metric_rule_uses_centimetres_and_kilograms() {
        let intl = DimRule {
            unit: WeightUnit::Kg,
            divisor: 5000,
            volume_min: 0,
        };
        let p = Parcel {
            dims: [
                Length::from_cm(dec("40.4")).expect("l"),
                Length::from_cm(dec("30.5")).expect("l"),
                Length::from_cm(dec("20")).expect("l"),
            ],
            weight: Weight::from_kg(dec("2.3")).expect("w"),
        };
        // 40 x 31 x 20 = 24800 cm^3 / 5000 = 4.96 -> 5 kg; actual 2.3 -> 3 kg.
        let b = intl.billable(&p.measure(WeightUnit::Kg));
        assert_eq!(
            b,
            BillableWeight {
                actual: 3,
                dimensional: 5,
                billable: 5
            }
        );
    }

    #[test]
    fn measure_sorts_sides_longest_first() {
        let m = parcel_in("8", "30", "12", "1").measure(WeightUnit::Lb);
        assert_eq!((m.longest, m.second, m.third), (30, 12, 8));
        assert_eq!(m.length_plus_girth(), 30 + 2 * (12 + 8));
    }
}
