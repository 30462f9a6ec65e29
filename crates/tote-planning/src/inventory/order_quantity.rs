//! How much to order: the economic order quantity and the constraints buyers
//! live with (minimum order quantities, case packs, a budget).

/// EOQ = sqrt(2 K lambda / h): the order size balancing ordering cost K per
/// order against holding cost h per unit per unit time, at demand rate lambda.
pub fn eoq(demand_rate: f64, fixed_cost: f64, holding_cost: f64) -> f64 {
    (2.0 * fixed_cost * demand_rate / holding_cost).sqrt()
}

/// Ordering plus cycle-stock holding cost per unit time of ordering Q:
/// K lambda / Q + h Q / 2.
pub fn eoq_cost(order_quantity: f64, demand_rate: f64, fixed_cost: f64, holding_cost: f64) -> f64 {
    fixed_cost * demand_rate / order_quantity + holding_cost * order_quantity / 2.0
}

/// A supplier's terms on an order line.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct OrderConstraints {
    /// Minimum order quantity, units.
    pub moq: f64,
    /// Units per case; orders are whole cases. 1 when sold by the unit.
    pub case_pack: f64,
}

/// The cheapest order quantity meeting the MOQ in whole case packs. The
/// cost is convex in Q, so the best whole-case quantity is one of the two
/// case multiples around the EOQ, or the smallest multiple at or above the
/// MOQ when that is larger.
pub fn constrained_order_quantity(
    demand_rate: f64,
    fixed_cost: f64,
    holding_cost: f64,
    constraints: OrderConstraints,
) -> f64 {
    let pack = constraints.case_pack.max(1.0);
    let smallest = ((constraints.moq.max(pack)) / pack).ceil() * pack;
    let q = eoq(demand_rate, fixed_cost, holding_cost);
    let below = ((q / pack).floor() * pack).max(smallest);
    let above = ((q / pack).ceil() * pack).max(smallest);
    let cost = |q: f64| eoq_cost(q, demand_rate, fixed_cost, holding_cost);
    if cost(below) <= cost(above) {
        below
    } else {
        above
    }
}

/// One SKU of a joint buy under a budget.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BudgetItem {
    pub demand_rate: f64,
    pub fixed_cost: f64,
    pub holding_cost: f64,
    pub unit_cost: f64,
}

/// Order quantities for several SKUs when the money in one order of each may
/// not exceed `budget`: Q_i = sqrt(2 K_i lambda_i / (h_i + 2 m c_i)) with
/// the multiplier m >= 0 found by bisection so the budget binds (m = 0, plain
/// EOQs, when they fit).
pub fn eoq_within_budget(items: &[BudgetItem], budget: f64) -> Vec<f64> {
    let quantities = |m: f64| -> Vec<f64> {
        items
            .iter()
            .map(|i| {
                (2.0 * i.fixed_cost * i.demand_rate / (i.holding_cost + 2.0 * m * i.unit_cost))
                    .sqrt()
            })
            .collect()
    };
    let spend = |q: &[f64]| -> f64 { q.iter().zip(items).map(|(q, i)| q * i.unit_cost).sum() };
    let plain = quantities(0.0);
    if spend(&plain) <= budget {
        return plain;
    }
    let mut hi = 1.0;
    while spend(&quantities(hi)) > budget {
        hi *= 2.0;
    }
    let mut lo = 0.0;
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if spend(&quantities(mid)) > budget {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    quantities(hi)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_quantity_rounds_to_the_cheaper_case_multiple() {
        // EOQ sqrt(2 * 8 * 1300 / 0.225) = 304.0; cases of 50 -> 300.
        let q = constrained_order_quantity(
            1300.0,
            8.0,
            0.225,
            OrderConstraints {
                moq: 0.0,
                case_pack: 50.0,
            },
        );
        assert_eq!(q, 300.0);
    }

    #[test]
    fn moq_above_eoq_wins_in_whole_cases() {
        let q = constrained_order_quantity(
            1300.0,
            8.0,
            0.225,
            OrderConstraints {
                moq: 410.0,
                case_pack: 24.0,
            },
        );
        assert_eq!(q, 432.0);
    }

    #[test]
    fn budget_scales_orders_down_until_it_binds() {
        let items = [
            BudgetItem {
                demand_rate: 1000.0,
                fixed_cost: 50.0,
                holding_cost: 2.0,
                unit_cost: 10.0,
            },
            BudgetItem {
                demand_rate: 500.0,
                fixed_cost: 50.0,
                holding_cost: 1.0,
                unit_cost: 5.0,
            },
        ];
        let free = eoq_within_budget(&items, 1e9);
        assert!((free[0] - 223.606_797_749_979).abs() < 1e-9);
        let tight = eoq_within_budget(&items, 1_500.0);
        let spend: f64 = tight.iter().zip(&items).map(|(q, i)| q * i.unit_cost).sum();
        assert!((spend - 1_500.0).abs() < 1e-6, "{spend}");
    }
}
