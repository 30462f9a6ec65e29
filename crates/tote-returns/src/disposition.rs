//! Where an inspected unit goes, and what it is worth there.

use crate::policy::{Grade, ReturnReason};
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Disposition {
    /// Back to sellable stock at the receiving node.
    Restock,
    Refurbish,
    Liquidate,
    ReturnToVendor,
    Donate,
    Scrap,
}

impl Disposition {
    pub const ALL: [Disposition; 6] = [
        Disposition::Restock,
        Disposition::Refurbish,
        Disposition::Liquidate,
        Disposition::ReturnToVendor,
        Disposition::Donate,
        Disposition::Scrap,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Disposition::Restock => "restock",
            Disposition::Refurbish => "refurbish",
            Disposition::Liquidate => "liquidate",
            Disposition::ReturnToVendor => "return_to_vendor",
            Disposition::Donate => "donate",
            Disposition::Scrap => "scrap",
        }
    }

    pub fn parse(s: &str) -> Option<Disposition> {
        Disposition::ALL.into_iter().find(|d| d.as_str() == s)
    }

    pub fn names() -> String {
        Disposition::ALL.map(Disposition::as_str).join(", ")
    }
}

/// Thresholds of the disposition rules.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DispositionRules {
    /// A defective unit worth at least this goes back to its vendor.
    pub vendor_min_value: Decimal,
    /// An open-box or damaged unit worth at least this is refurbished.
    pub refurbish_min_value: Decimal,
    /// A damaged unit worth at least this is sold to a liquidator.
    pub liquidate_min_value: Decimal,
    /// Categories whose open-box units are restocked as they are.
    pub restock_open_box_categories: Vec<String>,
    /// Categories whose damaged low-value units are donated, not scrapped.
    pub donate_categories: Vec<String>,
}

impl Default for DispositionRules {
    fn default() -> DispositionRules {
        DispositionRules {
            vendor_min_value: Decimal::from(50),
            refurbish_min_value: Decimal::from(25),
            liquidate_min_value: Decimal::from(5),
            restock_open_box_categories: vec!["books".into(), "media".into()],
            donate_categories: vec!["apparel".into()],
        }
    }
}

/// What the rules read of one unit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UnitFacts<'a> {
    pub reason: ReturnReason,
    pub grade: Grade,
    /// The unit's selling price.
    pub value: Decimal,
    pub category: Option<&'a str>,
    pub hazmat: bool,
}

/// A disposition and the rule that chose it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Decision {
    pub disposition: Disposition,
    pub rule: &'static str,
}

fn decision(disposition: Disposition, rule: &'static str) -> Decision {
    Decision { disposition, rule }
}

/// The first rule that matches, in this order: a defective unit goes to its
/// vendor (or to scrap when worth little); a new unit is restocked; an
/// open-box unit is restocked in the categories that allow it, refurbished
/// when worth it, else liquidated; a damaged or unsellable dangerous good is
/// scrapped; a damaged unit is refurbished, liquidated or donated by value
/// and category; an unsellable one is donated (donation categories) or scrapped.
pub fn decide(u: &UnitFacts<'_>, r: &DispositionRules) -> Decision {
    let in_list = |list: &[String]| u.category.is_some_and(|c| list.iter().any(|x| x == c));
    if u.reason == ReturnReason::Defective {
        return if u.value >= r.vendor_min_value {
            decision(Disposition::ReturnToVendor, "defective_back_to_vendor")
        } else {
            decision(Disposition::Scrap, "defective_below_vendor_value")
        };
    }
    match u.grade {
        Grade::New => decision(Disposition::Restock, "sellable_as_new"),
        Grade::OpenBox if in_list(&r.restock_open_box_categories) => {
            decision(Disposition::Restock, "open_box_category_restocked")
        }
        Grade::OpenBox if u.value >= r.refurbish_min_value => {
            decision(Disposition::Refurbish, "open_box_repackaged")
        }
        Grade::OpenBox => decision(Disposition::Liquidate, "open_box_below_refurbish_value"),
        Grade::Damaged | Grade::Unsellable if u.hazmat => {
            decision(Disposition::Scrap, "damaged_dangerous_good")
        }
        Grade::Damaged if u.value >= r.refurbish_min_value => {
            decision(Disposition::Refurbish, "damaged_worth_repairing")
        }
        Grade::Damaged if in_list(&r.donate_categories) => {
            decision(Disposition::Donate, "damaged_donation_category")
        }
        Grade::Damaged if u.value >= r.liquidate_min_value => {
            decision(Disposition::Liquidate, "damaged_sold_by_lot")
        }
        Grade::Damaged => decision(Disposition::Scrap, "damaged_below_liquidation_value"),
        Grade::Unsellable if in_list(&r.donate_categories) => {
            decision(Disposition::Donate, "unsellable_donation_category")
        }
        Grade::Unsellable => decision(Disposition::Scrap, "unsellable"),
    }
}

/// What each disposition recovers: a share of a basis (the price for stock
/// sold again, the cost for a vendor's credit), less the handling it costs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecoveryRules {
    /// (disposition, percent of the basis recovered, handling cost per unit).
    pub rates: Vec<(Disposition, Decimal, Decimal)>,
}

impl Default for RecoveryRules {
    fn default() -> RecoveryRules {
        let d = |s: &str| s.parse::<Decimal>().expect("literal");
        RecoveryRules {
            rates: vec![
                (Disposition::Restock, d("100"), d("1.50")),
                (Disposition::Refurbish, d("70"), d("5.00")),
                (Disposition::Liquidate, d("20"), d("0.50")),
                (Disposition::ReturnToVendor, d("100"), d("2.00")),
                (Disposition::Donate, d("0"), d("0.50")),
                (Disposition::Scrap, d("0"), d("0.25")),
            ],
        }
    }
}

impl RecoveryRules {
    /// Resale value less handling, to the cent; negative when handling costs
    /// more than the unit brings.
    pub fn recovered(&self, d: Disposition, price: Decimal, cost: Decimal) -> Decimal {
        let (pct, handling) = self
            .rates
            .iter()
            .find(|(x, _, _)| *x == d)
            .map(|(_, p, h)| (*p, *h))
            .unwrap_or_default();
        let basis = if d == Disposition::ReturnToVendor {
            cost
        } else {
            price
        };
        (basis * pct / Decimal::ONE_HUNDRED - handling)
            .round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    fn unit<'a>(
        reason: ReturnReason,
        grade: Grade,
        value: &str,
        category: Option<&'a str>,
    ) -> UnitFacts<'a> {
        UnitFacts {
            reason,
            grade,
            value: d(value),
            category,
            hazmat: false,
        }
    }

    fn check(u: UnitFacts<'_>, want: Disposition, rule: &str) {
        let got = decide(&u, &DispositionRules::default());
        assert_eq!((got.disposition, got.rule), (want, rule), "{u:?}");
    }

    #[test]
    fn new_units_are_restocked_whatever_the_reason_but_defective() {
        check(
            unit(ReturnReason::ChangedMind, Grade::New, "19", None),
            Disposition::Restock,
            "sellable_as_new",
        );
        check(
            unit(ReturnReason::WrongSize, Grade::New, "2", Some("apparel")),
            Disposition::Restock,
            "sellable_as_new",
        );
    }

    #[test]
    fn defective_units_go_to_the_vendor_when_worth_it_else_scrap() {
        check(
            unit(ReturnReason::Defective, Grade::New, "80", None),
            Disposition::ReturnToVendor,
            "defective_back_to_vendor",
        );
        check(
            unit(ReturnReason::Defective, Grade::New, "49.99", None),
            Disposition::Scrap,
            "defective_below_vendor_value",
        );
    }

    #[test]
    fn open_box_is_restocked_by_category_refurbished_by_value_else_liquidated() {
        check(
            unit(
                ReturnReason::ChangedMind,
                Grade::OpenBox,
                "10",
                Some("books"),
            ),
            Disposition::Restock,
            "open_box_category_restocked",
        );
        check(
            unit(ReturnReason::ChangedMind, Grade::OpenBox, "25", None),
            Disposition::Refurbish,
            "open_box_repackaged",
        );
        check(
            unit(ReturnReason::ChangedMind, Grade::OpenBox, "24.99", None),
            Disposition::Liquidate,
            "open_box_below_refurbish_value",
        );
    }

    #[test]
    fn damaged_units_by_value_and_category() {
        check(
            unit(ReturnReason::Damaged, Grade::Damaged, "30", None),
            Disposition::Refurbish,
            "damaged_worth_repairing",
        );
        check(
            unit(ReturnReason::Damaged, Grade::Damaged, "12", Some("apparel")),
            Disposition::Donate,
            "damaged_donation_category",
        );
        check(
            unit(ReturnReason::Damaged, Grade::Damaged, "12", Some("kitchen")),
            Disposition::Liquidate,
            "damaged_sold_by_lot",
        );
        check(
            unit(ReturnReason::Damaged, Grade::Damaged, "4.99", None),
            Disposition::Scrap,
            "damaged_below_liquidation_value",
        );
    }

    #[test]
    fn damaged_dangerous_goods_are_scrapped_and_unsellable_donated_or_scrapped() {
        let mut battery = unit(ReturnReason::Damaged, Grade::Damaged, "90", None);
        battery.hazmat = true;
        check(battery, Disposition::Scrap, "damaged_dangerous_good");
        check(
            unit(
                ReturnReason::NotAsDescribed,
                Grade::Unsellable,
                "90",
                Some("apparel"),
            ),
            Disposition::Donate,
            "unsellable_donation_category",
        );
        check(
            unit(ReturnReason::NotAsDescribed, Grade::Unsellable, "90", None),
            Disposition::Scrap,
            "unsellable",
        );
    }

    #[test]
    fn recovery_is_resale_value_less_handling() {
        let r = RecoveryRules::default();
        assert_eq!(
            r.recovered(Disposition::Restock, d("19.00"), d("4.10")),
            d("17.50")
        );
        assert_eq!(
            r.recovered(Disposition::Refurbish, d("19.00"), d("4.10")),
            d("8.30")
        );
        assert_eq!(
            r.recovered(Disposition::Liquidate, d("19.00"), d("4.10")),
            d("3.30")
        );
        assert_eq!(
            r.recovered(Disposition::ReturnToVendor, d("19.00"), d("4.10")),
            d("2.10")
        );
        assert_eq!(
            r.recovered(Disposition::Scrap, d("19.00"), d("4.10")),
            d("-0.25")
        );
    }
}
