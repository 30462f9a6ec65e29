//! tote-packing: cartonization and dimensional weight.
//! Owns: choosing cartons for a set of units; billable weight per carrier rule.
//! Must not depend on: tote-store, tote-server, tokio, sqlx. Plain data in and out.
//!
//! The `tote` binary calls the string-level entry points in [`cli`]. Other
//! crates call the typed functions: [`model::units_of`] expands item lines into
//! units, [`cartonize::plan_order`] plans an order under an [`cartonize::Objective`]
//! (fewest cartons, or least cost through a [`cost::ShippingCost`]),
//! [`cartonize::to_result`] shapes the plan, [`check::violations`] checks any
//! result, and [`dim_weight::billable_weight`] applies a carrier's rule.
//!
//! ```
//! use tote_packing::cartonize::{Objective, plan_order, to_result};
//! use tote_packing::check::violations;
//! use tote_packing::dim_weight::DimRule;
//! use tote_packing::model::{Carton, CartonId, ItemLine, Sku, units_of};
//!
//! let cartons = [Carton {
//!     id: CartonId("S".into()),
//!     inner_mm: [230, 300, 240],
//!     outer_mm: [236, 306, 250],
//!     empty_weight_g: 160,
//!     max_weight_g: 15_000,
//!     cost: Default::default(),
//! }];
//! let lines = [ItemLine {
//!     sku: Sku("A".into()),
//!     dims_mm: [210, 297, 8],
//!     weight_g: 300,
//!     qty: 2,
//!     keep_flat: true,
//!     ships_alone: false,
//! }];
//! let units = units_of(&lines);
//! let plan = plan_order(&cartons, &units, &Objective::FewestCartons);
//! assert_eq!(plan.cartons.len(), 1);
//! let result = to_result(&cartons, &lines, &units, &plan, DimRule::DAILY_139);
//! assert!(violations(&result, &cartons, &lines).is_empty());
//! assert_eq!(result.cartons[0].billable_weight_g, 3629); // 9 x 12 x 10 in / 139 -> 8 lb
//! ```

pub mod cartonize;
pub mod check;
pub mod cli;
pub mod cost;
pub mod dim_weight;
pub mod extreme_points;
pub mod layers;
pub mod lower_bound;
pub mod model;
pub mod split_search;
pub mod study;
