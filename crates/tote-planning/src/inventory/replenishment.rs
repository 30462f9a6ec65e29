//! Replenishment suggestions: from forecast demand, stock on hand and on
//! order, and lead times, what each node should receive, as transfers from
//! nodes holding more than they need, then purchase orders for the rest.
//! A buyer approves these into real POs and transfer orders.

use super::order_quantity::OrderConstraints;
use super::service::order_up_to_level;

/// One SKU at one node, with the numbers its policy needs. Demand and lead
/// times in days.
#[derive(Clone, Debug, PartialEq)]
pub struct StockPosition {
    pub sku: String,
    pub node: String,
    pub on_hand: f64,
    pub on_order: f64,
    pub backorders: f64,
    pub demand_per_day: f64,
    pub demand_sd_per_day: f64,
    /// Supplier lead time to this node.
    pub lead_time_days: f64,
    pub lead_time_sd_days: f64,
    /// Days between reviews (1 for a nightly replan).
    pub review_days: f64,
    pub cycle_service_level: f64,
    /// Supplier terms for purchase orders to this node.
    pub terms: OrderConstraints,
}

/// A suggested movement, in whole cases.
#[derive(Clone, Debug, PartialEq)]
pub enum Suggestion {
    Transfer {
        sku: String,
        from: String,
        to: String,
        units: f64,
    },
    Purchase {
        sku: String,
        node: String,
        units: f64,
    },
}

/// The levels a node's policy sets: reorder at `reorder_point` (covering the
/// lead time), order up to `order_up_to` (covering review period plus lead
/// time), both with safety stock for the cycle service level.
fn levels(p: &StockPosition) -> (f64, f64) {
    let reorder_point = order_up_to_level(
        p.demand_per_day,
        p.demand_sd_per_day,
        0.0,
        p.lead_time_days,
        p.lead_time_sd_days,
        p.cycle_service_level,
    );
    let order_up_to = order_up_to_level(
        p.demand_per_day,
        p.demand_sd_per_day,
        p.review_days,
        p.lead_time_days,
        p.lead_time_sd_days,
        p.cycle_service_level,
    );
    (reorder_point, order_up_to.max(reorder_point))
}

/// Suggestions for every SKU: nodes at or below their reorder point are
/// brought up to their order-up-to level, first from other nodes' stock above
/// their own order-up-to level (largest surplus first, whole cases, never
/// more than the source has on hand), then by purchase (whole cases, at
/// least the MOQ). Output is sorted by SKU, then node, so runs compare.
pub fn suggest_replenishment(positions: &[StockPosition]) -> Vec<Suggestion> {
    let mut skus: Vec<&str> = positions.iter().map(|p| p.sku.as_str()).collect();
    skus.sort_unstable();
    skus.dedup();
    let mut out = Vec::new();
    for sku in skus {
        let mut nodes: Vec<&StockPosition> = positions.iter().filter(|p| p.sku == sku).collect();
        nodes.sort_by(|a, b| a.node.cmp(&b.node));
        let mut surplus: Vec<(usize, f64)> = Vec::new();
        let mut needs: Vec<(usize, f64)> = Vec::new();
        for (i, p) in nodes.iter().enumerate() {
            let (reorder_point, order_up_to) = levels(p);
            let position = p.on_hand + p.on_order - p.backorders;
            if position <= reorder_point {
                needs.push((i, order_up_to - position));
            } else if position > order_up_to {
                surplus.push((i, (position - order_up_to).min(p.on_hand).max(0.0)));
            }
        }
        surplus.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        for (to, mut need) in needs {
            let pack = nodes[to].terms.case_pack.max(1.0);
            for (from, spare) in surplus.iter_mut() {
                if need <= 0.0 {
                    break;
                }
                // The whole need in cases when the surplus covers it (a
                // part case moved beats a case bought), else the whole
                // cases the surplus holds.
                let whole = (need / pack).ceil();
                let cases = if whole * pack <= *spare {
                    whole
                } else {
                    (need.min(*spare) / pack).floor()
                };
                if cases <= 0.0 {
                    continue;
                }
                let units = cases * pack;
                *spare -= units;
                need -= units;
                out.push(Suggestion::Transfer {
                    sku: sku.to_string(),
                    from: nodes[*from].node.clone(),
                    to: nodes[to].node.clone(),
                    units,
                });
            }
            if need > 0.0 {
                let minimum = (nodes[to].terms.moq / pack).ceil() * pack;
                let units = ((need / pack).ceil() * pack).max(minimum);
                out.push(Suggestion::Purchase {
                    sku: sku.to_string(),
                    node: nodes[to].node.clone(),
                    units,
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn position(node: &str, on_hand: f64) -> StockPosition {
        StockPosition {
            sku: "SKU-1".into(),
            node: node.into(),
            on_hand,
            on_order: 0.0,
            backorders: 0.0,
            demand_per_day: 10.0,
            demand_sd_per_day: 0.0,
            lead_time_days: 5.0,
            lead_time_sd_days: 0.0,
            review_days: 7.0,
            cycle_service_level: 0.5,
            terms: OrderConstraints {
                moq: 0.0,
                case_pack: 12.0,
            },
        }
    }

    // With no variability and a 50% service level there is no safety stock:
    // reorder point 10 x 5 = 50, order-up-to 10 x 12 = 120.

    #[test]
    fn a_node_above_its_reorder_point_gets_nothing() {
        assert_eq!(suggest_replenishment(&[position("DC1", 60.0)]), vec![]);
    }

    #[test]
    fn a_node_at_its_reorder_point_buys_up_to_its_level_in_whole_cases() {
        // 120 - 50 = 70 units -> 6 cases of 12 = 72.
        let out = suggest_replenishment(&[position("DC1", 50.0)]);
        assert_eq!(
            out,
            vec![Suggestion::Purchase {
                sku: "SKU-1".into(),
                node: "DC1".into(),
                units: 72.0
            }]
        );
    }

    #[test]
    fn surplus_at_another_node_moves_before_anything_is_bought() {
        // DC2 holds 180, 60 above its level: 5 whole cases (60) move to DC1,
        // whose remaining need of 10 becomes one case bought.
        let out = suggest_replenishment(&[position("DC1", 50.0), position("DC2", 180.0)]);
        assert_eq!(
            out,
            vec![
                Suggestion::Transfer {
                    sku: "SKU-1".into(),
                    from: "DC2".into(),
                    to: "DC1".into(),
                    units: 60.0
                },
                Suggestion::Purchase {
                    sku: "SKU-1".into(),
                    node: "DC1".into(),
                    units: 12.0
                },
            ]
        );
    }

    #[test]
    fn a_surplus_that_covers_the_need_moves_it_in_whole_cases_and_nothing_is_bought() {
        // DC2 holds 300, 180 above its level: DC1's need of 70 moves as 6
        // cases (72), not 5 moved and 1 bought.
        let out = suggest_replenishment(&[position("DC1", 50.0), position("DC2", 300.0)]);
        assert_eq!(
            out,
            vec![Suggestion::Transfer {
                sku: "SKU-1".into(),
                from: "DC2".into(),
                to: "DC1".into(),
                units: 72.0
            }]
        );
    }

    #[test]
    fn purchases_meet_the_minimum_order_quantity() {
        let mut p = position("DC1", 50.0);
        p.terms.moq = 100.0;
        // MOQ 100 in cases of 12 -> 108.
        assert_eq!(
            suggest_replenishment(&[p]),
            vec![Suggestion::Purchase {
                sku: "SKU-1".into(),
                node: "DC1".into(),
                units: 108.0
            }]
        );
    }
}
