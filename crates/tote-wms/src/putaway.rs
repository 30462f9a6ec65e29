//! Put-away suggestions: where received units should go, by rules.
//!
//! The rules, in order: a location must have room for the units (capacity in
//! units), and hazmat stays segregated (hazmat SKUs only in the `HAZ` zone, other
//! SKUs never there). Among the locations that qualify, prefer one that already
//! holds the SKU (fewer faces to pick from), then one in the zone of the SKU's
//! velocity class (zone `A`, `B` or `C`: fast movers near the front), then any;
//! ties go to the emptiest location, then the lowest code, so the answer is stable.

use serde::{Deserialize, Serialize};

/// The zone hazmat SKUs are segregated in.
pub const HAZMAT_ZONE: &str = "HAZ";

/// How fast a SKU moves: A the fastest. Its zone has the same name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum VelocityClass {
    A,
    B,
    C,
}

impl VelocityClass {
    pub fn zone(self) -> &'static str {
        match self {
            VelocityClass::A => "A",
            VelocityClass::B => "B",
            VelocityClass::C => "C",
        }
    }

    pub fn parse(s: &str) -> Option<VelocityClass> {
        match s {
            "A" => Some(VelocityClass::A),
            "B" => Some(VelocityClass::B),
            "C" => Some(VelocityClass::C),
            _ => None,
        }
    }
}

/// The SKU being put away.
#[derive(Clone, Debug, PartialEq)]
pub struct PutawaySku {
    pub hazmat: bool,
    pub velocity: VelocityClass,
}

/// A storage location as the rules see it.
#[derive(Clone, Debug, PartialEq)]
pub struct PutawayCandidate {
    pub code: String,
    pub zone: Option<String>,
    /// Units of every SKU there now.
    pub units: i64,
    /// Units of this SKU there now.
    pub units_of_sku: i64,
    /// The most units it holds; None: no limit.
    pub capacity_units: Option<i64>,
}

/// The suggested location and the rule that chose it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Suggestion {
    pub location: String,
    /// `same_sku`, `velocity_zone` or `free_space`.
    pub rule: String,
}

/// Suggests a location for `qty` units, or None when no location qualifies.
pub fn suggest_putaway(
    sku: &PutawaySku,
    qty: i64,
    candidates: &[PutawayCandidate],
) -> Option<Suggestion> {
    let qualifies = |c: &&PutawayCandidate| {
        let room = c.capacity_units.is_none_or(|cap| c.units + qty <= cap);
        let hazmat_zone = c.zone.as_deref() == Some(HAZMAT_ZONE);
        room && hazmat_zone == sku.hazmat
    };
    let rank = |c: &PutawayCandidate| {
        let rule = if c.units_of_sku > 0 {
            0
        } else if c.zone.as_deref() == Some(sku.velocity.zone()) {
            1
        } else {
            2
        };
        (rule, c.units, c.code.clone())
    };
    let best = candidates
        .iter()
        .filter(qualifies)
        .min_by_key(|c| rank(c))?;
    let rule = match rank(best).0 {
        0 => "same_sku",
        1 => "velocity_zone",
        _ => "free_space",
    };
    Some(Suggestion {
        location: best.code.clone(),
        rule: rule.into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn loc(code: &str, zone: &str, units: i64, of_sku: i64, cap: Option<i64>) -> PutawayCandidate {
        PutawayCandidate {
            code: code.into(),
            zone: (!zone.is_empty()).then(|| zone.into()),
            units,
            units_of_sku: of_sku,
            capacity_units: cap,
        }
    }

    const FAST: PutawaySku = PutawaySku {
        hazmat: false,
        velocity: VelocityClass::A,
    };

    fn check(sku: &PutawaySku, qty: i64, locs: &[PutawayCandidate], expect: Option<(&str, &str)>) {
        let got = suggest_putaway(sku, qty, locs);
        assert_eq!(
            got.as_ref().map(|s| (s.location.as_str(), s.rule.as_str())),
            expect
        );
    }

    #[test]
    fn same_sku_location_wins_over_velocity_zone() {
        let locs = [loc("B-01", "B", 5, 5, None), loc("A-01", "A", 0, 0, None)];
        check(&FAST, 3, &locs, Some(("B-01", "same_sku")));
    }

    #[test]
    fn velocity_zone_wins_over_emptier_location() {
        let locs = [loc("C-01", "C", 0, 0, None), loc("A-01", "A", 4, 0, None)];
        check(&FAST, 3, &locs, Some(("A-01", "velocity_zone")));
    }

    #[test]
    fn full_location_is_never_suggested() {
        let locs = [
            loc("A-01", "A", 8, 8, Some(10)),
            loc("C-01", "C", 0, 0, Some(10)),
        ];
        check(&FAST, 3, &locs, Some(("C-01", "free_space")));
    }

    #[test]
    fn hazmat_goes_only_to_the_hazmat_zone_and_nothing_else_does() {
        let hazmat = PutawaySku {
            hazmat: true,
            velocity: VelocityClass::A,
        };
        let locs = [
            loc("A-01", "A", 0, 0, None),
            loc("H-01", HAZMAT_ZONE, 0, 0, None),
        ];
        check(&hazmat, 1, &locs, Some(("H-01", "free_space")));
        check(&FAST, 1, &locs[1..], None);
    }
}
