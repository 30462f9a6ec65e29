//! What a parcel costs to ship. The packer asks through `ShippingCost`, so a
//! carrier's rating engine can stand in for the simple rate table here.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::dim_weight::{BillableWeight, DimRule, WeightUnit, billable_weight};
use crate::model::Carton;

/// Prices one parcel. Billable weight depends only on the outer dimensions and
/// the gross weight, so a carton's cost is known before anything is placed.
pub trait ShippingCost: Sync {
    /// The dimensional-weight rule the carrier bills by.
    fn dim_rule(&self) -> DimRule;
    /// Price of one parcel at this billable weight; None when it is not accepted.
    fn parcel_price(&self, billable: BillableWeight) -> Option<Decimal>;
}

/// A zone-less parcel rate table: `prices[i]` is the price at a billable weight
/// of i + 1 whole pounds (or kilograms); past the table each further step adds
/// `extra_step_price`, or the parcel is refused when that is absent.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RateTable {
    pub currency: String,
    pub weight_unit: WeightUnit,
    pub dim_divisor: u32,
    pub prices: Vec<Decimal>,
    #[serde(default)]
    pub extra_step_price: Option<Decimal>,
}

impl RateTable {
    /// A made-up ground rate card (USD, 139 in^3/lb, 8.50 for the first pound
    /// and 0.65 a pound after) so a study can run before real rates are loaded.
    pub fn illustrative() -> RateTable {
        RateTable {
            currency: "USD".to_string(),
            weight_unit: WeightUnit::Lb,
            dim_divisor: 139,
            prices: vec![Decimal::new(850, 2)],
            extra_step_price: Some(Decimal::new(65, 2)),
        }
    }

    /// Problems with the table, each naming its field.
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.dim_divisor == 0 {
            out.push("`dim_divisor`: must be positive".to_string());
        }
        if self.prices.is_empty() {
            out.push("`prices`: needs at least one price".to_string());
        }
        for (i, p) in self.prices.iter().enumerate() {
            if p.is_sign_negative() {
                out.push(format!("`prices[{i}]`: {p} is negative"));
            }
        }
        if self.extra_step_price.is_some_and(|p| p.is_sign_negative()) {
            out.push("`extra_step_price`: is negative".to_string());
        }
        out
    }
}

impl ShippingCost for RateTable {
    fn dim_rule(&self) -> DimRule {
        DimRule {
            unit: self.weight_unit,
            divisor: self.dim_divisor,
        }
    }

    fn parcel_price(&self, billable: BillableWeight) -> Option<Decimal> {
        let step = billable.steps.max(1) as usize;
        if let Some(p) = self.prices.get(step - 1) {
            return Some(*p);
        }
        let last = *self.prices.last()?;
        let extra = self.extra_step_price?;
        Some(last + extra * Decimal::from(step - self.prices.len()))
    }
}

/// Carton cost plus shipping for a carton holding `item_weight_g` of goods.
pub fn carton_total_cost(
    carton: &Carton,
    item_weight_g: u64,
    rates: &dyn ShippingCost,
) -> Option<Decimal> {
    let gross = item_weight_g + u64::from(carton.empty_weight_g);
    let billable = billable_weight(carton.outer_mm, gross, rates.dim_rule());
    Some(carton.cost + rates.parcel_price(billable)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> RateTable {
        RateTable {
            currency: "USD".into(),
            weight_unit: WeightUnit::Lb,
            dim_divisor: 139,
            prices: vec![
                Decimal::new(800, 2),
                Decimal::new(850, 2),
                Decimal::new(910, 2),
            ],
            extra_step_price: Some(Decimal::new(60, 2)),
        }
    }

    #[test]
    fn price_is_read_by_whole_step_and_extends_past_the_table() {
        let t = table();
        let w = |steps| BillableWeight {
            unit: WeightUnit::Lb,
            steps,
        };
        assert_eq!(t.parcel_price(w(0)), Some(Decimal::new(800, 2)));
        assert_eq!(t.parcel_price(w(1)), Some(Decimal::new(800, 2)));
        assert_eq!(t.parcel_price(w(3)), Some(Decimal::new(910, 2)));
        assert_eq!(t.parcel_price(w(5)), Some(Decimal::new(1030, 2)));
    }

    #[test]
    fn parcel_past_the_table_is_refused_without_an_extra_step_price() {
        let t = RateTable {
            extra_step_price: None,
            ..table()
        };
        assert_eq!(
            t.parcel_price(BillableWeight {
                unit: WeightUnit::Lb,
                steps: 4
            }),
            None
        );
    }
}
