//! Forecast accuracy as the M4 and M5 competitions define it. Scaled errors
//! (MASE, RMSSE) divide by the in-sample error of the seasonal naive
//! forecast, so they stay meaningful for items that often sell zero.

/// In-sample mean absolute error of the seasonal naive forecast (lag m,
/// falling back to lag 1 when the history is shorter than a season and one).
/// Returns None when it is zero (a constant history) or undefined.
pub fn naive_mae(train: &[f64], m: usize) -> Option<f64> {
    let lag = if train.len() > m { m.max(1) } else { 1 };
    if train.len() <= lag {
        return None;
    }
    let mae = train
        .windows(lag + 1)
        .map(|w| (w[lag] - w[0]).abs())
        .sum::<f64>()
        / (train.len() - lag) as f64;
    (mae > 0.0).then_some(mae)
}

/// Mean absolute scaled error.
pub fn mase(train: &[f64], actual: &[f64], forecast: &[f64], m: usize) -> Option<f64> {
    let scale = naive_mae(train, m)?;
    Some(mean(actual.iter().zip(forecast).map(|(y, f)| (y - f).abs())) / scale)
}

/// Symmetric MAPE in percent (0..200); a term where actual and forecast are
/// both zero counts zero.
pub fn smape(actual: &[f64], forecast: &[f64]) -> f64 {
    200.0
        * mean(actual.iter().zip(forecast).map(|(y, f)| {
            let d = y.abs() + f.abs();
            if d == 0.0 { 0.0 } else { (y - f).abs() / d }
        }))
}

/// Root mean squared scaled error (M5): scaled by the in-sample one-step
/// naive mean squared error.
pub fn rmsse(train: &[f64], actual: &[f64], forecast: &[f64]) -> Option<f64> {
    if train.len() < 2 {
        return None;
    }
    let scale = mean(train.windows(2).map(|w| (w[1] - w[0]).powi(2)));
    if scale <= 0.0 {
        return None;
    }
    Some((mean(actual.iter().zip(forecast).map(|(y, f)| (y - f).powi(2))) / scale).sqrt())
}

/// Weighted RMSSE (M5): per-series RMSSE weighted by each series' share of
/// `weights` (in M5, dollar sales over the last 28 days). Series without a
/// defined RMSSE are left out and the remaining weights renormalised.
pub fn wrmsse(scores: &[(Option<f64>, f64)]) -> Option<f64> {
    let total: f64 = scores
        .iter()
        .filter(|(s, _)| s.is_some())
        .map(|(_, w)| w)
        .sum();
    (total > 0.0).then(|| {
        scores
            .iter()
            .filter_map(|(s, w)| s.map(|s| s * w))
            .sum::<f64>()
            / total
    })
}

/// Mean of (forecast - actual): positive means over-forecasting.
pub fn bias(actual: &[f64], forecast: &[f64]) -> f64 {
    mean(actual.iter().zip(forecast).map(|(y, f)| f - y))
}

/// Share of actuals inside [lower, upper].
pub fn coverage(actual: &[f64], lower: &[f64], upper: &[f64]) -> f64 {
    mean(
        actual
            .iter()
            .zip(lower.iter().zip(upper))
            .map(|(y, (lo, hi))| f64::from(u8::from(lo <= y && y <= hi))),
    )
}

fn mean(values: impl Iterator<Item = f64>) -> f64 {
    let (sum, count) = values.fold((0.0, 0usize), |(s, c), v| (s + v, c + 1));
    if count == 0 { 0.0 } else { sum / count as f64 }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mase_divides_by_seasonal_naive_error() {
        let train = [1.0, 2.0, 3.0, 2.0, 3.0, 4.0];
        // lag-3 naive errors: 1, 1, 1 -> scale 1.
        assert_eq!(mase(&train, &[5.0, 5.0], &[4.0, 7.0], 3), Some(1.5));
    }

    #[test]
    fn smape_counts_zero_over_zero_as_zero() {
        assert_eq!(smape(&[0.0, 10.0], &[0.0, 10.0]), 0.0);
        assert_eq!(smape(&[0.0], &[5.0]), 200.0);
    }

    #[test]
    fn rmsse_of_a_perfect_forecast_is_zero() {
        assert_eq!(rmsse(&[1.0, 3.0, 2.0], &[4.0], &[4.0]), Some(0.0));
    }

    #[test]
    fn wrmsse_weights_series_by_share() {
        assert_eq!(
            wrmsse(&[(Some(1.0), 3.0), (Some(2.0), 1.0), (None, 10.0)]),
            Some(1.25)
        );
    }

    #[test]
    fn coverage_and_bias() {
        assert_eq!(coverage(&[1.0, 5.0], &[0.0, 0.0], &[2.0, 2.0]), 0.5);
        assert_eq!(bias(&[1.0, 3.0], &[2.0, 4.0]), 1.0);
    }
}
