//! Simple sourcing: which nodes reserve each line of an order.
//!
//! The rule, in order: one node that can ship the whole order (fewest parcels);
//! else, per line, the first node that can fill the line; else the line is split
//! across nodes in priority order and whatever is left is backordered.
//! "First" means lowest priority number, then node code.

use std::collections::HashMap;
use tote_core::{NodeId, Qty, SkuId};

/// A node that may fulfil, in sourcing order.
#[derive(Clone, Debug)]
pub struct Candidate {
    pub node: NodeId,
    /// Units available per SKU at this node.
    pub available: HashMap<SkuId, Qty>,
}

/// The units of each line taken from each node, in the order of `candidates`.
pub type Plan = Vec<Vec<(NodeId, Qty)>>;

/// `lines` are (SKU, units wanted); `candidates` are already in sourcing order.
pub fn source(lines: &[(SkuId, Qty)], candidates: &[Candidate]) -> Plan {
    let mut left: Vec<HashMap<SkuId, Qty>> =
        candidates.iter().map(|c| c.available.clone()).collect();
    let take = |left: &mut Vec<HashMap<SkuId, Qty>>, n: usize, sku: SkuId, qty: Qty| {
        let a = left[n].get_mut(&sku).expect("taken only where available");
        *a -= qty;
    };
    let avail = |left: &Vec<HashMap<SkuId, Qty>>, n: usize, sku: SkuId| {
        left[n].get(&sku).copied().unwrap_or(Qty::ZERO)
    };

    // One node for the whole order.
    let mut needed: HashMap<SkuId, Qty> = HashMap::new();
    for &(sku, qty) in lines {
        *needed.entry(sku).or_default() += qty;
    }
    if let Some(n) =
        (0..candidates.len()).find(|&n| needed.iter().all(|(&sku, &q)| avail(&left, n, sku) >= q))
    {
        return lines
            .iter()
            .map(|&(_, qty)| vec![(candidates[n].node, qty)])
            .collect();
    }

    lines
        .iter()
        .map(|&(sku, qty)| {
            if let Some(n) = (0..candidates.len()).find(|&n| avail(&left, n, sku) >= qty) {
                take(&mut left, n, sku, qty);
                return vec![(candidates[n].node, qty)];
            }
            let mut want = qty;
            let mut parts = Vec::new();
            for (n, candidate) in candidates.iter().enumerate() {
                let a = avail(&left, n, sku);
                if want == Qty::ZERO {
                    break;
                }
                if a > Qty::ZERO {
                    let q = a.min(want);
                    take(&mut left, n, sku, q);
                    parts.push((candidate.node, q));
                    want -= q;
                }
            }
            parts
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cand(node: u32, stock: &[(u32, i64)]) -> Candidate {
        Candidate {
            node: NodeId(node),
            available: stock.iter().map(|&(s, q)| (SkuId(s), Qty(q))).collect(),
        }
    }

    fn plan(lines: &[(u32, i64)], cands: &[Candidate]) -> Vec<Vec<(u32, i64)>> {
        let lines: Vec<_> = lines.iter().map(|&(s, q)| (SkuId(s), Qty(q))).collect();
        source(&lines, cands)
            .into_iter()
            .map(|l| l.into_iter().map(|(n, q)| (n.0, q.0)).collect())
            .collect()
    }

    #[test]
    fn a_node_that_ships_the_whole_order_wins_over_a_higher_priority_split() {
        let cands = [cand(1, &[(10, 5)]), cand(2, &[(10, 5), (11, 5)])];
        assert_eq!(
            plan(&[(10, 1), (11, 1)], &cands),
            vec![vec![(2, 1)], vec![(2, 1)]]
        );
    }

    #[test]
    fn lines_go_to_the_first_node_that_fills_them() {
        let cands = [cand(1, &[(10, 5)]), cand(2, &[(11, 5)])];
        assert_eq!(
            plan(&[(10, 2), (11, 2)], &cands),
            vec![vec![(1, 2)], vec![(2, 2)]]
        );
    }

    #[test]
    fn a_line_no_node_fills_is_split_in_priority_order_and_the_rest_backordered() {
        let cands = [cand(1, &[(10, 2)]), cand(2, &[(10, 3)])];
        assert_eq!(plan(&[(10, 7)], &cands), vec![vec![(1, 2), (2, 3)]]);
    }

    #[test]
    fn two_lines_of_one_sku_do_not_take_the_same_units_twice() {
        let cands = [cand(1, &[(10, 3)])];
        assert_eq!(
            plan(&[(10, 2), (10, 2)], &cands),
            vec![vec![(1, 2)], vec![(1, 1)]]
        );
    }

    #[test]
    fn nothing_anywhere_is_all_backordered() {
        assert_eq!(
            plan(&[(10, 1)], &[cand(1, &[])]),
            vec![Vec::<(u32, i64)>::new()]
        );
    }
}
