//! Return rates, and the SKUs whose rate is abnormally high.

use serde::Serialize;

/// A SKU's return count against what shipped.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RateFlag {
    pub sku: String,
    pub shipped: u64,
    pub returned: u64,
    pub rate: f64,
    /// The overall rate it is compared with.
    pub expected_rate: f64,
    /// Standard deviations above the overall rate (binomial).
    pub z: f64,
}

/// SKUs with at least `min_shipped` units shipped whose return count is more
/// than `z_min` binomial standard deviations above what the overall rate
/// (every SKU pooled) predicts, highest first.
pub fn abnormal_rates(rows: &[(String, u64, u64)], min_shipped: u64, z_min: f64) -> Vec<RateFlag> {
    let shipped: u64 = rows.iter().map(|r| r.1).sum();
    let returned: u64 = rows.iter().map(|r| r.2.min(r.1)).sum();
    if shipped == 0 {
        return Vec::new();
    }
    let p = returned as f64 / shipped as f64;
    let mut out: Vec<RateFlag> = rows
        .iter()
        .filter(|(_, n, _)| *n >= min_shipped && *n > 0)
        .filter_map(|(sku, n, x)| {
            let n_f = *n as f64;
            let x = (*x).min(*n);
            let sd = (n_f * p * (1.0 - p)).sqrt();
            // With no spread (p is 0 or 1) nothing stands out.
            let z = if sd > 0.0 {
                (x as f64 - n_f * p) / sd
            } else {
                0.0
            };
            (z > z_min).then(|| RateFlag {
                sku: sku.clone(),
                shipped: *n,
                returned: x,
                rate: x as f64 / n_f,
                expected_rate: p,
                z,
            })
        })
        .collect();
    out.sort_by(|a, b| b.z.total_cmp(&a.z).then(a.sku.cmp(&b.sku)));
    out
}

/// The median and 90th percentile (nearest rank) of durations; none when empty.
pub fn median_p90(mut v: Vec<i64>) -> Option<(i64, i64)> {
    if v.is_empty() {
        return None;
    }
    v.sort_unstable();
    let rank = |q: f64| v[((q * v.len() as f64).ceil() as usize).clamp(1, v.len()) - 1];
    Some((rank(0.5), rank(0.9)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(s: &str, n: u64, x: u64) -> (String, u64, u64) {
        (s.into(), n, x)
    }

    #[test]
    fn a_sku_far_above_the_overall_rate_is_flagged() {
        // Overall 60 / 600 = 10%; BAD returns 30 of 100: z = (30 - 10) / 3 = 6.67.
        let rows = [
            row("BAD", 100, 30),
            row("OK1", 250, 15),
            row("OK2", 250, 15),
        ];
        let f = abnormal_rates(&rows, 20, 3.0);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].sku, "BAD");
        assert!((f[0].z - 6.666).abs() < 0.01, "{}", f[0].z);
    }

    #[test]
    fn a_high_rate_on_too_few_units_is_not_flagged() {
        let rows = [row("RARE", 3, 3), row("OK", 500, 10)];
        assert!(abnormal_rates(&rows, 20, 3.0).is_empty());
        assert_eq!(abnormal_rates(&rows, 1, 3.0)[0].sku, "RARE");
    }

    #[test]
    fn percentiles_are_nearest_rank() {
        assert_eq!(median_p90((1..=10).collect()), Some((5, 9)));
        assert_eq!(median_p90(vec![]), None);
    }
}
