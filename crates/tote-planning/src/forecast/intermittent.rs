//! Forecasts for intermittent demand, where most periods sell nothing:
//! Croston's method, its bias-corrected form (SBA, Syntetos and Boylan 2005),
//! TSB (Teunter, Syntetos and Babai 2011), which also lets the demand
//! probability decay when an item stops selling, and the temporal
//! aggregation methods ADIDA and IMAPA (Nikolopoulos et al. 2011, Petropoulos
//! and Kourentzes 2015).

use super::theta::fit_ses;

/// The share of zero periods from which a series counts as intermittent.
pub const INTERMITTENT_ZERO_SHARE_MIN: f64 = 0.3;

pub fn is_intermittent(y: &[f64]) -> bool {
    let zeros = y.iter().filter(|&&v| v == 0.0).count();
    !y.is_empty() && zeros as f64 / y.len() as f64 >= INTERMITTENT_ZERO_SHARE_MIN
}

/// Croston's flat forecast per period with smoothing `alpha` on both the
/// demand sizes and the intervals; `sba` applies the (1 - alpha/2) correction.
pub fn croston(y: &[f64], alpha: f64, sba: bool) -> f64 {
    let mut size: Option<f64> = None;
    let mut interval = 1.0;
    let mut since = 0.0;
    for &v in y {
        since += 1.0;
        if v > 0.0 {
            match size {
                None => {
                    size = Some(v);
                    interval = since;
                }
                Some(s) => {
                    size = Some(s + alpha * (v - s));
                    interval += alpha * (since - interval);
                }
            }
            since = 0.0;
        }
    }
    let Some(size) = size else { return 0.0 };
    let rate = size / interval;
    if sba {
        rate * (1.0 - alpha / 2.0)
    } else {
        rate
    }
}

/// TSB: demand probability updated every period, size only when it sells.
pub fn tsb(y: &[f64], alpha_probability: f64, alpha_size: f64) -> f64 {
    let first = y.iter().position(|&v| v > 0.0);
    let Some(first) = first else { return 0.0 };
    let mut probability = 1.0 / (first as f64 + 1.0);
    let mut size = y[first];
    for &v in &y[first + 1..] {
        let occurred = if v > 0.0 { 1.0 } else { 0.0 };
        probability += alpha_probability * (occurred - probability);
        if v > 0.0 {
            size += alpha_size * (v - size);
        }
    }
    probability * size
}

/// The intermittent forecast: TSB with the customary small smoothing
/// constants. Croston and SBA keep forecasting the old rate after an item
/// stops selling for good (a discontinued SKU, a closed store), which costs
/// more than TSB's slight lag on items that keep selling.
pub fn intermittent_rate(y: &[f64]) -> f64 {
    tsb(y, 0.1, 0.1)
}

/// ADIDA: sum the history into non-overlapping buckets of `k` periods
/// (from the most recent backwards, dropping an incomplete oldest bucket),
/// forecast the bucket totals by simple exponential smoothing, and spread the
/// bucket forecast evenly back over its k periods.
pub fn adida(y: &[f64], k: usize) -> f64 {
    let k = k.max(1);
    let buckets: Vec<f64> = y[y.len() % k..].chunks(k).map(|c| c.iter().sum()).collect();
    match buckets.len() {
        0 => y.iter().sum::<f64>() / y.len().max(1) as f64,
        1 => buckets[0] / k as f64,
        _ => fit_ses(&buckets).1.max(0.0) / k as f64,
    }
}

/// IMAPA: the mean of ADIDA over every aggregation level from 1 to the mean
/// interval between demands, so no single level has to be chosen.
pub fn imapa(y: &[f64]) -> f64 {
    let demands = y.iter().filter(|&&v| v > 0.0).count();
    if demands == 0 {
        return 0.0;
    }
    let levels = (y.len() as f64 / demands as f64).round().max(1.0) as usize;
    (1..=levels).map(|k| adida(y, k)).sum::<f64>() / levels as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn croston_rate_is_size_over_interval() {
        let y = [0.0, 0.0, 6.0, 0.0, 0.0, 6.0, 0.0, 0.0, 6.0];
        assert!((croston(&y, 0.1, false) - 2.0).abs() < 1e-9);
        assert!((croston(&y, 0.1, true) - 1.9).abs() < 1e-9);
    }

    #[test]
    fn temporal_aggregation_recovers_a_steady_rate() {
        let y: Vec<f64> = (0..36)
            .map(|t| if t % 4 == 3 { 8.0 } else { 0.0 })
            .collect();
        assert!((adida(&y, 4) - 2.0).abs() < 1e-6, "{}", adida(&y, 4));
        let rate = imapa(&y);
        assert!(rate > 1.5 && rate < 2.5, "{rate}");
    }

    #[test]
    fn tsb_decays_after_demand_stops() {
        let mut y = vec![5.0; 10];
        y.extend([0.0; 20]);
        assert!(tsb(&y, 0.1, 0.1) < 0.7 * 5.0);
        assert_eq!(croston(&y, 0.1, false), 5.0);
    }
}
