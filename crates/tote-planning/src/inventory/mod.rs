//! Inventory policy per SKU and node: how much safety stock, when to
//! reorder, how much to order, and what a service level costs. Formulas as in
//! Silver, Pyke and Thomas, *Inventory and Production Management in Supply
//! Chains*, and Snyder and Shen, *Fundamentals of Supply Chain Theory*.
//! Demand is normal throughout; time units are the caller's, used
//! consistently (demand per day with lead times in days, or per year with
//! lead times in years).

pub mod cost;
pub mod erlang;
pub mod order_quantity;
pub mod replenishment;
pub mod service;

pub use cost::{carrying_cost, days_of_supply, inventory_turns};
pub use erlang::{ErlangC, erlang_c, rostered_heads, servers_for_service_level};
pub use order_quantity::{
    BudgetItem, OrderConstraints, constrained_order_quantity, eoq, eoq_cost, eoq_within_budget,
};
pub use replenishment::{StockPosition, Suggestion, suggest_replenishment};
pub use service::{
    Newsvendor, NormalDemand, ReorderPolicy, ServicePoint, fill_rate_safety_factor,
    lead_time_demand_sd, newsvendor, newsvendor_cost, order_up_to_level, reorder_point,
    replenishment_quantity, rq_cost, rq_eil, safety_stock, service_curve,
};
