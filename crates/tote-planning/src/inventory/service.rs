//! Service-driven stock levels: the newsvendor, safety stock and reorder
//! points under demand and lead-time uncertainty, fill-rate targets, (r,Q)
//! and (R,S) policies.

use crate::normal;

/// Demand over some period, normal with this mean and standard deviation.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct NormalDemand {
    pub mean: f64,
    pub sd: f64,
}

/// A one-shot buy: the order-up-to level and its expected cost.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Newsvendor {
    pub order_up_to: f64,
    pub expected_cost: f64,
    /// p / (p + h): the probability of not stocking out at the optimum.
    pub critical_ratio: f64,
}

/// The newsvendor with holding (overage) cost h and stockout (underage)
/// cost p per unit: S* = mu + sigma z, z = Phi^-1(p / (p + h)).
pub fn newsvendor(holding_cost: f64, stockout_cost: f64, demand: NormalDemand) -> Newsvendor {
    assert!(
        holding_cost > 0.0 && stockout_cost > 0.0,
        "costs must be positive: h={holding_cost}, p={stockout_cost}"
    );
    let critical_ratio = stockout_cost / (stockout_cost + holding_cost);
    let order_up_to = demand.mean + demand.sd * normal::quantile(critical_ratio);
    Newsvendor {
        order_up_to,
        expected_cost: newsvendor_cost(order_up_to, holding_cost, stockout_cost, demand),
        critical_ratio,
    }
}

/// Expected cost of stocking S: h E[(S - D)+] + p E[(D - S)+], with
/// E[(D - S)+] = sigma G(z) and E[(S - D)+] = (S - mu) + sigma G(z).
pub fn newsvendor_cost(
    order_up_to: f64,
    holding_cost: f64,
    stockout_cost: f64,
    demand: NormalDemand,
) -> f64 {
    let z = (order_up_to - demand.mean) / demand.sd;
    let shortage = demand.sd * normal::loss(z);
    holding_cost * (order_up_to - demand.mean + shortage) + stockout_cost * shortage
}

/// Standard deviation of demand over an uncertain lead time:
/// sqrt(L sd_d^2 + d^2 sd_L^2) (DOMAIN.md).
pub fn lead_time_demand_sd(
    demand_mean: f64,
    demand_sd: f64,
    lead_time_mean: f64,
    lead_time_sd: f64,
) -> f64 {
    (lead_time_mean * demand_sd * demand_sd
        + demand_mean * demand_mean * lead_time_sd * lead_time_sd)
        .sqrt()
}

/// Safety stock for a cycle service level (the probability of no stockout
/// in a replenishment cycle): z sigma_L.
pub fn safety_stock(cycle_service_level: f64, lead_time_demand_sd: f64) -> f64 {
    normal::quantile(cycle_service_level) * lead_time_demand_sd
}

/// Reorder point = d L + safety stock (DOMAIN.md).
pub fn reorder_point(
    demand_mean: f64,
    demand_sd: f64,
    lead_time_mean: f64,
    lead_time_sd: f64,
    cycle_service_level: f64,
) -> f64 {
    let sigma = lead_time_demand_sd(demand_mean, demand_sd, lead_time_mean, lead_time_sd);
    demand_mean * lead_time_mean + safety_stock(cycle_service_level, sigma)
}

/// The safety factor k of an (s,Q) policy meeting a fill rate beta (the share
/// of demand served from stock): the expected shortage per cycle
/// sigma_L G(k) equals (1 - beta) Q, solved for k by bisection (G falls
/// strictly).
pub fn fill_rate_safety_factor(
    fill_rate: f64,
    order_quantity: f64,
    lead_time_demand_sd: f64,
) -> f64 {
    assert!(
        fill_rate > 0.0 && fill_rate < 1.0,
        "fill rate {fill_rate} outside (0, 1)"
    );
    let target = (1.0 - fill_rate) * order_quantity / lead_time_demand_sd;
    let (mut lo, mut hi) = (-10.0_f64, 10.0_f64);
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if normal::loss(mid) > target {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    0.5 * (lo + hi)
}

/// An (r,Q) policy and its expected cost per unit time.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ReorderPolicy {
    pub reorder_point: f64,
    pub order_quantity: f64,
    pub expected_cost: f64,
}

/// Expected cost per unit time of (r,Q) under the expected-inventory-level
/// approximation: h (r - lambda L + Q/2) + (K lambda + p lambda n(r)) / Q,
/// n(r) the expected shortage per cycle.
pub fn rq_cost(
    reorder_point: f64,
    order_quantity: f64,
    fixed_cost: f64,
    holding_cost: f64,
    stockout_cost: f64,
    demand: NormalDemand,
    lead_time: f64,
) -> f64 {
    let (mu, sigma) = (demand.mean * lead_time, demand.sd * lead_time.sqrt());
    let shortage = sigma * normal::loss((reorder_point - mu) / sigma);
    holding_cost * (reorder_point - mu + order_quantity / 2.0)
        + (fixed_cost * demand.mean + stockout_cost * demand.mean * shortage) / order_quantity
}

/// The (r,Q) policy minimising the EIL approximation (Snyder and Shen,
/// section 5.2.4): alternate Q = sqrt(2 lambda (K + p n(r)) / h) and
/// 1 - F(r) = Q h / (p lambda), from the EOQ, to a fixed point. `demand` is
/// per unit time; lead time in the same unit.
pub fn rq_eil(
    fixed_cost: f64,
    holding_cost: f64,
    stockout_cost: f64,
    demand: NormalDemand,
    lead_time: f64,
) -> ReorderPolicy {
    let lambda = demand.mean;
    let (mu, sigma) = (lambda * lead_time, demand.sd * lead_time.sqrt());
    let mut q = (2.0 * fixed_cost * lambda / holding_cost).sqrt();
    let mut r = mu;
    for _ in 0..1_000 {
        // A stockout probability at or above one means no stock is worth holding.
        let tail = (q * holding_cost / (stockout_cost * lambda)).min(1.0 - 1e-12);
        let r_next = mu + sigma * normal::quantile(1.0 - tail);
        let shortage = sigma * normal::loss((r_next - mu) / sigma);
        let q_next = (2.0 * lambda * (fixed_cost + stockout_cost * shortage) / holding_cost).sqrt();
        let done = (q_next - q).abs() < 1e-10 && (r_next - r).abs() < 1e-10;
        q = q_next;
        r = r_next;
        if done {
            break;
        }
    }
    ReorderPolicy {
        reorder_point: r,
        order_quantity: q,
        expected_cost: rq_cost(
            r,
            q,
            fixed_cost,
            holding_cost,
            stockout_cost,
            demand,
            lead_time,
        ),
    }
}

/// Periodic review (R,S): every R periods order up to
/// S = d (R + L) + z sqrt((R + L) sd_d^2 + d^2 sd_L^2), protecting the
/// review period plus the lead time.
pub fn order_up_to_level(
    demand_mean: f64,
    demand_sd: f64,
    review_period: f64,
    lead_time_mean: f64,
    lead_time_sd: f64,
    cycle_service_level: f64,
) -> f64 {
    let exposure = review_period + lead_time_mean;
    let sigma = lead_time_demand_sd(demand_mean, demand_sd, exposure, lead_time_sd);
    demand_mean * exposure + safety_stock(cycle_service_level, sigma)
}

/// What to order now: with inventory position = on hand + on order -
/// backorders, order up to `order_up_to` when the position is at or below
/// `reorder_point` (for (R,S) pass S as both), rounded up to whole case packs.
pub fn replenishment_quantity(
    on_hand: f64,
    on_order: f64,
    backorders: f64,
    reorder_point: f64,
    order_up_to: f64,
    case_pack: f64,
) -> f64 {
    let position = on_hand + on_order - backorders;
    if position > reorder_point {
        return 0.0;
    }
    let need = (order_up_to - position).max(0.0);
    let pack = if case_pack > 0.0 { case_pack } else { 1.0 };
    (need / pack).ceil() * pack
}

/// One point of the service-against-investment curve.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ServicePoint {
    pub cycle_service_level: f64,
    pub safety_stock: f64,
    /// Safety stock valued at unit cost: what the service level ties up.
    pub investment: f64,
}

/// The what-if curve: for each cycle service level, the safety stock and the
/// money it ties up.
pub fn service_curve(
    lead_time_demand_sd: f64,
    unit_cost: f64,
    levels: &[f64],
) -> Vec<ServicePoint> {
    levels
        .iter()
        .map(|&level| {
            let stock = safety_stock(level, lead_time_demand_sd).max(0.0);
            ServicePoint {
                cycle_service_level: level,
                safety_stock: stock,
                investment: stock * unit_cost,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn higher_service_costs_more_safety_stock() {
        let curve = service_curve(100.0, 2.0, &[0.5, 0.9, 0.95, 0.99]);
        assert_eq!(curve[0].safety_stock, 0.0);
        assert!(curve.windows(2).all(|w| w[0].investment < w[1].investment));
    }

    #[test]
    fn replenishment_orders_whole_cases_only_at_the_reorder_point() {
        assert_eq!(
            replenishment_quantity(60.0, 0.0, 0.0, 50.0, 200.0, 12.0),
            0.0
        );
        // position 40 -> need 160 -> 14 cases of 12.
        assert_eq!(
            replenishment_quantity(30.0, 20.0, 10.0, 50.0, 200.0, 12.0),
            168.0
        );
    }

    #[test]
    fn newsvendor_optimum_is_the_cheapest_level() {
        let demand = NormalDemand {
            mean: 50.0,
            sd: 8.0,
        };
        let best = newsvendor(0.18, 0.70, demand);
        for delta in [-1.0, -0.1, 0.1, 1.0] {
            assert!(
                newsvendor_cost(best.order_up_to + delta, 0.18, 0.70, demand) > best.expected_cost
            );
        }
    }
}
