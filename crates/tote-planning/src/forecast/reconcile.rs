//! Hierarchical reconciliation: forecasts made separately for SKUs, their
//! categories, nodes and the total do not add up; reconciliation adjusts them
//! all, as little as possible, so every parent equals the sum of its
//! children. Weighted least squares with structural scaling (Wickramasuriya,
//! Athanasopoulos and Hyndman 2019, "WLS_s"): a node's forecast is trusted
//! in inverse proportion to the number of bottom series under it.
//!
//! With S the summing matrix (every node as a sum of bottom series) and W the
//! weights, the bottom forecasts are b = (S'WS)^-1 S'W y and every node gets
//! S b. S'WS is symmetric positive definite and S is applied by walking the
//! tree, so conjugate gradients solve it without forming any matrix: the
//! cost is a few passes over the hierarchy per step of the horizon.

/// A tree of series: `parent[i]` is the node i adds up into, None for the
/// root(s). Nodes without children are the bottom series.
#[derive(Clone, Debug, PartialEq)]
pub struct Hierarchy {
    pub parent: Vec<Option<usize>>,
}

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum HierarchyError {
    #[error("node {node}: parent {parent} does not exist")]
    UnknownParent { node: usize, parent: usize },
    #[error("node {node} is its own ancestor")]
    Cycle { node: usize },
    #[error("{forecasts} forecasts for {nodes} nodes")]
    Length { forecasts: usize, nodes: usize },
}

struct Tree {
    /// Nodes in an order where every child comes before its parent.
    children_first: Vec<usize>,
    parent: Vec<Option<usize>>,
    is_bottom: Vec<bool>,
    /// Bottom series under each node (1 for a bottom series).
    leaves: Vec<f64>,
}

impl Hierarchy {
    fn tree(&self) -> Result<Tree, HierarchyError> {
        let n = self.parent.len();
        let mut depth = vec![0usize; n];
        for (node, node_depth) in depth.iter_mut().enumerate() {
            let mut at = node;
            let mut steps = 0;
            while let Some(p) = self.parent[at] {
                if p >= n {
                    return Err(HierarchyError::UnknownParent {
                        node: at,
                        parent: p,
                    });
                }
                steps += 1;
                if steps > n {
                    return Err(HierarchyError::Cycle { node });
                }
                at = p;
            }
            *node_depth = steps;
        }
        let mut children_first: Vec<usize> = (0..n).collect();
        children_first.sort_by(|a, b| depth[*b].cmp(&depth[*a]));
        let mut is_bottom = vec![true; n];
        for p in self.parent.iter().flatten() {
            is_bottom[*p] = false;
        }
        let mut leaves: Vec<f64> = is_bottom.iter().map(|&b| f64::from(u8::from(b))).collect();
        for &node in &children_first {
            if let Some(p) = self.parent[node] {
                leaves[p] += leaves[node];
            }
        }
        Ok(Tree {
            children_first,
            parent: self.parent.clone(),
            is_bottom,
            leaves,
        })
    }
}

impl Tree {
    /// S b: every node's sum of the bottom values under it (non-bottom
    /// entries of `bottom` are ignored).
    fn sum_up(&self, bottom: &[f64]) -> Vec<f64> {
        let mut out: Vec<f64> = bottom
            .iter()
            .zip(&self.is_bottom)
            .map(|(&v, &b)| if b { v } else { 0.0 })
            .collect();
        for &node in &self.children_first {
            if let Some(p) = self.parent[node] {
                out[p] += out[node];
            }
        }
        out
    }

    /// S' x: for each bottom series, the sum of x over itself and its
    /// ancestors (zero at non-bottom entries).
    fn sum_down(&self, x: &[f64]) -> Vec<f64> {
        let mut acc = x.to_vec();
        for &node in self.children_first.iter().rev() {
            if let Some(p) = self.parent[node] {
                acc[node] += acc[p];
            }
        }
        acc.iter()
            .zip(&self.is_bottom)
            .map(|(&v, &b)| if b { v } else { 0.0 })
            .collect()
    }
}

/// Reconciles one forecast per node (one step of the horizon); the result
/// adds up exactly at every parent.
pub fn reconcile(hierarchy: &Hierarchy, forecasts: &[f64]) -> Result<Vec<f64>, HierarchyError> {
    let tree = hierarchy.tree()?;
    let n = tree.parent.len();
    if forecasts.len() != n {
        return Err(HierarchyError::Length {
            forecasts: forecasts.len(),
            nodes: n,
        });
    }
    let weight: Vec<f64> = tree.leaves.iter().map(|l| 1.0 / l).collect();
    let weighted = |x: &[f64]| -> Vec<f64> { x.iter().zip(&weight).map(|(a, w)| a * w).collect() };
    // A x = S' W S x over the bottom entries.
    let apply = |x: &[f64]| tree.sum_down(&weighted(&tree.sum_up(x)));
    let rhs = tree.sum_down(&weighted(forecasts));
    // Start from the bottom forecasts themselves (bottom-up).
    let mut b: Vec<f64> = forecasts
        .iter()
        .zip(&tree.is_bottom)
        .map(|(&v, &bt)| if bt { v } else { 0.0 })
        .collect();
    let ab = apply(&b);
    let mut r: Vec<f64> = rhs.iter().zip(&ab).map(|(a, c)| a - c).collect();
    let mut d = r.clone();
    let mut rr: f64 = r.iter().map(|v| v * v).sum();
    let scale: f64 = rhs.iter().map(|v| v * v).sum::<f64>().max(1e-300);
    for _ in 0..(4 * n).max(10) {
        if rr <= 1e-24 * scale {
            break;
        }
        let ad = apply(&d);
        let dad: f64 = d.iter().zip(&ad).map(|(a, c)| a * c).sum();
        if dad <= 0.0 {
            break;
        }
        let step = rr / dad;
        for i in 0..n {
            b[i] += step * d[i];
            r[i] -= step * ad[i];
        }
        let rr_next: f64 = r.iter().map(|v| v * v).sum();
        for i in 0..n {
            d[i] = r[i] + rr_next / rr * d[i];
        }
        rr = rr_next;
    }
    Ok(tree.sum_up(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Total (0) over two SKUs (1, 2).
    fn two_skus() -> Hierarchy {
        Hierarchy {
            parent: vec![None, Some(0), Some(0)],
        }
    }

    #[test]
    fn coherent_forecasts_are_left_alone() {
        let out = reconcile(&two_skus(), &[80.0, 30.0, 50.0]).unwrap();
        for (a, b) in out.iter().zip([80.0, 30.0, 50.0]) {
            assert!((a - b).abs() < 1e-9, "{out:?}");
        }
    }

    #[test]
    fn the_gap_is_shared_by_weight() {
        // Total 100 against SKUs 30 + 50: weights 1/2 for the total, 1 for
        // each SKU. Minimising (t - 100)^2 / 2 + (a - 30)^2 + (b - 50)^2 with
        // t = a + b: both SKUs move alike (a - 30 = b - 50), and
        // (a + b - 100) + 2 (a - 30) = 0 gives a = 35, b = 55, t = 90.
        let out = reconcile(&two_skus(), &[100.0, 30.0, 50.0]).unwrap();
        for (a, b) in out.iter().zip([90.0, 35.0, 55.0]) {
            assert!((a - b).abs() < 1e-9, "{out:?}");
        }
    }

    #[test]
    fn deep_trees_add_up_at_every_parent() {
        // Total 0, nodes 1 and 2, SKUs 3..7 under node 1, 7..9 under node 2.
        let mut parent = vec![None, Some(0), Some(0)];
        parent.extend([Some(1); 4]);
        parent.extend([Some(2); 2]);
        let h = Hierarchy { parent };
        let out = reconcile(
            &h,
            &[500.0, 200.0, 250.0, 40.0, 60.0, 10.0, 30.0, 100.0, 90.0],
        )
        .unwrap();
        assert!((out[1] - out[3..7].iter().sum::<f64>()).abs() < 1e-6);
        assert!((out[2] - out[7..9].iter().sum::<f64>()).abs() < 1e-6);
        assert!((out[0] - out[1] - out[2]).abs() < 1e-6);
    }

    #[test]
    fn a_cycle_is_refused() {
        let h = Hierarchy {
            parent: vec![Some(1), Some(0)],
        };
        assert!(matches!(
            reconcile(&h, &[1.0, 1.0]),
            Err(HierarchyError::Cycle { .. })
        ));
    }
}
