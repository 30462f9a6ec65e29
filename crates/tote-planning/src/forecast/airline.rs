//! The airline model, seasonal ARIMA(0,1,1)(0,1,1)_m (Box and Jenkins),
//! on logs when the data are positive: a different view of trend and
//! season from ETS, which is what a combination needs. Fitted by
//! conditional sum of squares over the two moving-average coefficients.

use super::optimize::nelder_mead;

/// Coefficients are kept inside the invertible region with this margin.
const THETA_LIMIT: f64 = 0.98;

/// Point forecasts for steps 1..=h, or None when the series is too short
/// (three seasons at least) or has no season.
pub fn airline(y: &[f64], m: usize, h: usize) -> Option<Vec<f64>> {
    let n = y.len();
    if m < 2 || n < 3 * m + 2 {
        return None;
    }
    let logs = y.iter().all(|&v| v > 0.0);
    let z: Vec<f64> = if logs {
        y.iter().map(|v| v.ln()).collect()
    } else {
        y.to_vec()
    };
    let w: Vec<f64> = (m + 1..n)
        .map(|t| z[t] - z[t - 1] - z[t - m] + z[t - m - 1])
        .collect();
    let residuals = |theta: f64, big: f64, e: &mut Vec<f64>| -> f64 {
        e.clear();
        let mut sse = 0.0;
        for (t, &wt) in w.iter().enumerate() {
            let back = |k: usize| if t >= k { e[t - k] } else { 0.0 };
            let et = wt - theta * back(1) - big * back(m) - theta * big * back(m + 1);
            sse += et * et;
            e.push(et);
        }
        sse
    };
    let mut e = Vec::with_capacity(w.len());
    let minimum = nelder_mead(
        |x| {
            if x[0].abs() > THETA_LIMIT || x[1].abs() > THETA_LIMIT {
                return f64::INFINITY;
            }
            residuals(x[0], x[1], &mut e)
        },
        &[-0.4, -0.6],
        &[0.2, 0.2],
        1e-8,
        200,
    );
    let (theta, big) = (minimum.x[0], minimum.x[1]);
    residuals(theta, big, &mut e);
    let mut z_ext = z.clone();
    let mut e_ext = e.clone();
    for _ in 0..h {
        let t = e_ext.len();
        let back = |k: usize| if t >= k { e_ext[t - k] } else { 0.0 };
        let w_hat = theta * back(1) + big * back(m) + theta * big * back(m + 1);
        e_ext.push(0.0);
        let len = z_ext.len();
        z_ext.push(w_hat + z_ext[len - 1] + z_ext[len - m] - z_ext[len - m - 1]);
    }
    let forecast = z_ext[n..]
        .iter()
        .map(|&v| if logs { v.exp() } else { v })
        .collect::<Vec<f64>>();
    forecast.iter().all(|v| v.is_finite()).then_some(forecast)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fixed_seasonal_pattern_on_a_trend_is_continued() {
        let y: Vec<f64> = (0..48)
            .map(|t| (100.0 + 2.0 * t as f64) * [0.9, 1.0, 1.2, 0.9][t % 4])
            .collect();
        let f = airline(&y, 4, 4).unwrap();
        for (j, v) in f.iter().enumerate() {
            let t = 48 + j;
            let truth = (100.0 + 2.0 * t as f64) * [0.9, 1.0, 1.2, 0.9][t % 4];
            assert!((v - truth).abs() / truth < 0.02, "{f:?}");
        }
    }

    #[test]
    fn short_or_non_seasonal_series_are_declined() {
        assert_eq!(airline(&[1.0; 10], 4, 2), None);
        assert_eq!(airline(&[1.0; 40], 1, 2), None);
    }
}
