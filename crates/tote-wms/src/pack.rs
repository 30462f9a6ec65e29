//! Carton choice for a pack, through tote-packing (fewest cartons, then least
//! outer volume), from a configured list of carton types.

use serde::{Deserialize, Serialize};
use tote_packing::cartonize::{Objective, plan_order, to_result};
use tote_packing::dim_weight::DimRule;
use tote_packing::model::{Carton, CartonId, ItemLine, Sku, units_of};

/// One SKU of an order being packed.
#[derive(Clone, Debug, PartialEq)]
pub struct PackItem {
    pub sku: String,
    pub dims_mm: [u32; 3],
    pub weight_g: u32,
    pub qty: u32,
    pub ships_alone: bool,
}

/// A carton of the choice: its type, the SKUs in it, and its weights.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CartonChoice {
    /// The carton type, or `SIOC` for a unit that ships in its own container.
    pub carton: String,
    pub skus: Vec<String>,
    pub gross_weight_g: u64,
    pub billable_weight_g: u64,
}

/// The carton types a node packs into unless configured otherwise.
pub fn default_cartons() -> Vec<Carton> {
    let c = |id: &str, inner: [u32; 3], empty_g: u32| Carton {
        id: CartonId(id.into()),
        inner_mm: inner,
        outer_mm: [inner[0] + 6, inner[1] + 6, inner[2] + 10],
        empty_weight_g: empty_g,
        max_weight_g: 20_000,
        cost: Default::default(),
    };
    vec![
        c("S", [230, 300, 100], 120),
        c("M", [300, 400, 200], 250),
        c("L", [400, 600, 400], 600),
    ]
}

/// Chooses cartons for the items. Units no carton holds are named in the error.
pub fn choose_carton(cartons: &[Carton], items: &[PackItem]) -> Result<Vec<CartonChoice>, String> {
    let lines: Vec<ItemLine> = items
        .iter()
        .map(|i| ItemLine {
            sku: Sku(i.sku.clone()),
            dims_mm: i.dims_mm,
            weight_g: i.weight_g,
            qty: i.qty,
            keep_flat: false,
            ships_alone: i.ships_alone,
        })
        .collect();
    let units = units_of(&lines);
    let plan = plan_order(cartons, &units, &Objective::FewestCartons);
    let result = to_result(cartons, &lines, &units, &plan, DimRule::DAILY_139);
    if let Some(u) = result.unpacked.first() {
        return Err(format!("sku `{}`: {}", u.sku.0, u.reason));
    }
    Ok(result
        .cartons
        .into_iter()
        .map(|c| {
            let mut skus: Vec<String> = c.items.into_iter().map(|p| p.sku.0).collect();
            skus.sort();
            CartonChoice {
                carton: c.carton.0,
                skus,
                gross_weight_g: c.gross_weight_g,
                billable_weight_g: c.billable_weight_g,
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(sku: &str, dims: [u32; 3], qty: u32) -> PackItem {
        PackItem {
            sku: sku.into(),
            dims_mm: dims,
            weight_g: 200,
            qty,
            ships_alone: false,
        }
    }

    #[test]
    fn small_order_goes_in_the_smallest_carton_that_holds_it() {
        let got = choose_carton(&default_cartons(), &[item("TEE", [200, 150, 20], 2)]).unwrap();
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].carton, "S");
        assert_eq!(got[0].skus, ["TEE", "TEE"]);
    }

    #[test]
    fn unit_too_big_for_every_carton_is_named() {
        let err =
            choose_carton(&default_cartons(), &[item("SOFA", [2000, 900, 900], 1)]).unwrap_err();
        assert!(err.contains("SOFA"), "{err}");
    }
}
