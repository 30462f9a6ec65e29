//! Dimensional weight, as DOMAIN.md defines it: each outer dimension rounded to
//! the nearest whole inch (or centimetre) first, volume over the divisor rounded
//! up to the next pound (or kilogram); billable weight is the larger of that and
//! the actual weight rounded up.

use serde::{Deserialize, Serialize};

/// Grams in one avoirdupois pound, times 10^5 so the arithmetic stays integer.
const POUND_G_E5: u64 = 45_359_237;

/// Unit system of a carrier's weight steps.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum WeightUnit {
    /// Inches and pounds; divisor in in^3 per lb (139 daily rates, 166 postal).
    Lb,
    /// Centimetres and kilograms; divisor in cm^3 per kg (5000 international).
    Kg,
}

/// A carrier's dimensional-weight rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DimRule {
    pub unit: WeightUnit,
    pub divisor: u32,
}

impl DimRule {
    /// Common parcel carriers' daily rates: 139 in^3/lb. The rule reported when
    /// no rate table is given.
    pub const DAILY_139: DimRule = DimRule {
        unit: WeightUnit::Lb,
        divisor: 139,
    };
    /// Postal service: 166 in^3/lb.
    pub const POSTAL_166: DimRule = DimRule {
        unit: WeightUnit::Lb,
        divisor: 166,
    };
    /// Most international services: 5000 cm^3/kg.
    pub const INTERNATIONAL_5000: DimRule = DimRule {
        unit: WeightUnit::Kg,
        divisor: 5000,
    };
}

/// A billable weight in the carrier's whole weight steps.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct BillableWeight {
    pub unit: WeightUnit,
    /// Whole pounds or kilograms.
    pub steps: u32,
}

impl BillableWeight {
    /// The weight in grams, rounded to the nearest gram.
    pub fn grams(self) -> u64 {
        match self.unit {
            WeightUnit::Lb => (u64::from(self.steps) * POUND_G_E5 + 50_000) / 100_000,
            WeightUnit::Kg => u64::from(self.steps) * 1000,
        }
    }
}

/// Length rounded to the nearest whole inch (half an inch rounds up).
pub fn whole_inches(mm: u32) -> u64 {
    // mm / 25.4 rounded: (mm * 10 + 127) / 254, exact in integers.
    (u64::from(mm) * 10 + 127) / 254
}

/// Length rounded to the nearest whole centimetre (half rounds up).
pub fn whole_centimetres(mm: u32) -> u64 {
    (u64::from(mm) + 5) / 10
}

/// Dimensional weight of a parcel with these outer dimensions, in whole steps.
pub fn dimensional_weight(outer_mm: [u32; 3], rule: DimRule) -> u32 {
    let round = match rule.unit {
        WeightUnit::Lb => whole_inches,
        WeightUnit::Kg => whole_centimetres,
    };
    let volume = round(outer_mm[0]) * round(outer_mm[1]) * round(outer_mm[2]);
    let divisor = u64::from(rule.divisor.max(1));
    u32::try_from(volume.div_ceil(divisor)).unwrap_or(u32::MAX)
}

/// Actual weight rounded up to the next whole step.
pub fn actual_weight_steps(gross_g: u64, unit: WeightUnit) -> u32 {
    let steps = match unit {
        WeightUnit::Lb => (gross_g * 100_000).div_ceil(POUND_G_E5),
        WeightUnit::Kg => gross_g.div_ceil(1000),
    };
    u32::try_from(steps).unwrap_or(u32::MAX)
}

/// Billable weight = max(actual weight rounded up, dimensional weight).
pub fn billable_weight(outer_mm: [u32; 3], gross_g: u64, rule: DimRule) -> BillableWeight {
    let steps = actual_weight_steps(gross_g, rule.unit).max(dimensional_weight(outer_mm, rule));
    BillableWeight {
        unit: rule.unit,
        steps,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inch_rounding_takes_the_nearest_whole_inch_half_up() {
        assert_eq!(whole_inches(12), 0); // 0.47 in
        assert_eq!(whole_inches(13), 1); // 0.51 in
        assert_eq!(whole_inches(254), 10);
        assert_eq!(whole_inches(266), 10); // 10.47 in
        assert_eq!(whole_inches(267), 11); // 10.51 in
        assert_eq!(whole_inches(127), 5); // 5.0 in exactly
        assert_eq!(whole_inches(140), 6); // 5.51 in
        assert_eq!(whole_inches(139), 5); // 5.47 in
    }

    #[test]
    fn dimensional_weight_rounds_dimensions_then_rounds_up_to_the_pound() {
        // 12 x 12 x 12 in = 1728 in^3; / 139 = 12.43 -> 13 lb.
        assert_eq!(dimensional_weight([305, 305, 305], DimRule::DAILY_139), 13);
        // 1728 / 166 = 10.41 -> 11 lb.
        assert_eq!(dimensional_weight([305, 305, 305], DimRule::POSTAL_166), 11);
        // 10 x 10 x 139/100 ... exactly 139 in^3: 1 x 1 x 139 in -> 1 lb, not 2.
        assert_eq!(dimensional_weight([25, 25, 3531], DimRule::DAILY_139), 1);
        // 140 in^3 -> 2 lb: one cubic inch over a step rounds up.
        assert_eq!(dimensional_weight([25, 25, 3556], DimRule::DAILY_139), 2);
    }

    #[test]
    fn dimension_just_below_half_an_inch_rounds_down_before_the_volume() {
        // 10.47 x 10 x 10 in rounds to 10 x 10 x 10 = 1000 in^3 -> 7.19 -> 8 lb;
        // 10.51 rounds to 11: 1100 in^3 -> 7.91 -> 8 lb; 11.51 -> 12: 1200 -> 9 lb.
        assert_eq!(dimensional_weight([266, 254, 254], DimRule::DAILY_139), 8);
        assert_eq!(dimensional_weight([267, 254, 254], DimRule::DAILY_139), 8);
        assert_eq!(dimensional_weight([293, 254, 254], DimRule::DAILY_139), 9);
    }

    #[test]
    fn metric_rule_uses_whole_centimetres_and_kilograms() {
        // 40 x 30 x 20 cm = 24000 cm^3 / 5000 = 4.8 -> 5 kg.
        assert_eq!(
            dimensional_weight([400, 300, 200], DimRule::INTERNATIONAL_5000),
            5
        );
        // 404 mm rounds to 40 cm, 405 to 41: 24600 / 5000 = 4.92 -> 5 kg still.
        assert_eq!(
            dimensional_weight([404, 300, 200], DimRule::INTERNATIONAL_5000),
            5
        );
        // 50 x 10 x 10 cm = 5000 cm^3 -> exactly 1 kg.
        assert_eq!(
            dimensional_weight([500, 100, 100], DimRule::INTERNATIONAL_5000),
            1
        );
        assert_eq!(
            dimensional_weight([505, 100, 100], DimRule::INTERNATIONAL_5000),
            2
        );
    }

    #[test]
    fn actual_weight_rounds_up_to_the_next_whole_step() {
        assert_eq!(actual_weight_steps(0, WeightUnit::Lb), 0);
        assert_eq!(actual_weight_steps(453, WeightUnit::Lb), 1);
        assert_eq!(actual_weight_steps(454, WeightUnit::Lb), 2); // 453.59 g is one pound
        assert_eq!(actual_weight_steps(1000, WeightUnit::Kg), 1);
        assert_eq!(actual_weight_steps(1001, WeightUnit::Kg), 2);
    }

    #[test]
    fn billable_weight_is_the_larger_of_actual_and_dimensional() {
        // Light and bulky: 12 in cube weighing 2 kg (4.41 -> 5 lb) bills 13 lb.
        let bulky = billable_weight([305, 305, 305], 2000, DimRule::DAILY_139);
        assert_eq!(
            bulky,
            BillableWeight {
                unit: WeightUnit::Lb,
                steps: 13
            }
        );
        // Dense: same box at 9 kg (19.84 -> 20 lb) bills 20 lb.
        let dense = billable_weight([305, 305, 305], 9000, DimRule::DAILY_139);
        assert_eq!(dense.steps, 20);
        assert_eq!(dense.grams(), 9072);
        let kg = billable_weight([400, 300, 200], 5200, DimRule::INTERNATIONAL_5000);
        assert_eq!(
            kg,
            BillableWeight {
                unit: WeightUnit::Kg,
                steps: 6
            }
        );
        assert_eq!(kg.grams(), 6000);
    }
}
