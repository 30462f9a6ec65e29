//! The standard Theta method (Assimakopoulos and Nikolopoulos 2000, in the
//! form of Hyndman and Billah 2003): simple exponential smoothing with drift
//! equal to half the slope of a straight line, on deseasonalised data when a
//! seasonality test says so.

use super::decompose::centred_moving_average;
use super::optimize::nelder_mead;

/// Theta's point forecast and the in-sample one-step error variance.
pub struct ThetaFit {
    pub forecast: Vec<f64>,
    pub sigma2: f64,
    pub alpha: f64,
}

/// Whether the autocorrelation at lag m is significant at 90%, the test
/// the M3 and M4 Theta benchmarks use.
pub fn is_seasonal(y: &[f64], m: usize) -> bool {
    let n = y.len();
    if m < 2 || n < 3 * m {
        return false;
    }
    let mean = y.iter().sum::<f64>() / n as f64;
    let denom: f64 = y.iter().map(|v| (v - mean).powi(2)).sum();
    if denom <= 0.0 {
        return false;
    }
    let acf = |k: usize| {
        (k..n)
            .map(|t| (y[t] - mean) * (y[t - k] - mean))
            .sum::<f64>()
            / denom
    };
    let sum_sq: f64 = (1..m).map(|k| acf(k).powi(2)).sum();
    let limit = 1.645 * ((1.0 + 2.0 * sum_sq) / n as f64).sqrt();
    acf(m).abs() > limit
}

/// Seasonal indices by position `t % m` from a classical decomposition of the
/// whole series; multiplicative when the data are positive, else additive.
pub fn seasonal_indices(y: &[f64], m: usize) -> (Vec<f64>, bool) {
    let multiplicative = y.iter().all(|&v| v > 0.0);
    let trend = centred_moving_average(y, m);
    let mut sum = vec![0.0; m];
    let mut count = vec![0usize; m];
    for (t, (&v, ma)) in y.iter().zip(&trend).enumerate() {
        if let Some(ma) = *ma {
            sum[t % m] += if multiplicative { v / ma } else { v - ma };
            count[t % m] += 1;
        }
    }
    let mut figure: Vec<f64> = sum
        .iter()
        .zip(&count)
        .map(|(s, &c)| {
            if c > 0 {
                s / c as f64
            } else if multiplicative {
                1.0
            } else {
                0.0
            }
        })
        .collect();
    let mean = figure.iter().sum::<f64>() / m as f64;
    for v in &mut figure {
        if multiplicative {
            *v /= mean;
        } else {
            *v -= mean;
        }
    }
    (figure, multiplicative)
}

/// Simple exponential smoothing fitted by least squares over alpha and the
/// initial level; returns (alpha, final level, sse).
pub fn fit_ses(y: &[f64]) -> (f64, f64, f64) {
    let run = |alpha: f64, l0: f64| {
        let mut l = l0;
        let mut sse = 0.0;
        for &v in y {
            let e = v - l;
            sse += e * e;
            l += alpha * e;
        }
        (l, sse)
    };
    let scale = y.iter().map(|v| v.abs()).sum::<f64>() / y.len().max(1) as f64;
    let start = y[0];
    let minimum = nelder_mead(
        |x| {
            if (0.0001..=0.9999).contains(&x[0]) {
                run(x[0], x[1]).1
            } else {
                f64::INFINITY
            }
        },
        &[0.3, start],
        &[0.1, 0.05 * scale.max(1e-9)],
        1e-8,
        500,
    );
    let (alpha, l0) = (minimum.x[0], minimum.x[1]);
    let (level, sse) = run(alpha, l0);
    (alpha, level, sse)
}

pub fn theta(y: &[f64], m: usize, h: usize) -> ThetaFit {
    let n = y.len();
    let season = is_seasonal(y, m).then(|| seasonal_indices(y, m));
    let adjusted: Vec<f64> = match &season {
        None => y.to_vec(),
        Some((figure, true)) => y
            .iter()
            .enumerate()
            .map(|(t, v)| v / figure[t % m])
            .collect(),
        Some((figure, false)) => y
            .iter()
            .enumerate()
            .map(|(t, v)| v - figure[t % m])
            .collect(),
    };
    let (alpha, level, sse) = fit_ses(&adjusted);
    let nf = n as f64;
    let tbar = (nf + 1.0) / 2.0;
    let ybar = adjusted.iter().sum::<f64>() / nf;
    let (mut sxy, mut sxx) = (0.0, 0.0);
    for (i, v) in adjusted.iter().enumerate() {
        let dt = i as f64 + 1.0 - tbar;
        sxy += dt * (v - ybar);
        sxx += dt * dt;
    }
    let slope = if sxx > 0.0 { sxy / sxx } else { 0.0 };
    let decay = (1.0 - (1.0 - alpha).powi(n as i32)) / alpha;
    let forecast = (0..h)
        .map(|j| {
            let f = level + 0.5 * slope * (j as f64 + decay);
            let k = (n + j) % m.max(1);
            match &season {
                None => f,
                Some((figure, true)) => f * figure[k],
                Some((figure, false)) => f + figure[k],
            }
        })
        .collect();
    ThetaFit {
        forecast,
        sigma2: sse / (nf - 2.0).max(1.0),
        alpha,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn theta_follows_a_linear_trend_at_half_slope_plus_level() {
        let y: Vec<f64> = (0..40).map(|t| 10.0 + t as f64).collect();
        let fit = theta(&y, 1, 3);
        // SES on a trend lags; the drift restores most of the trend.
        assert!(
            fit.forecast[0] > 49.0 && fit.forecast[0] < 52.0,
            "{:?}",
            fit.forecast
        );
        assert!(fit.forecast[2] > fit.forecast[0]);
    }

    #[test]
    fn strong_quarterly_pattern_is_detected() {
        let y: Vec<f64> = (0..32).map(|t| [5.0, 9.0, 14.0, 7.0][t % 4]).collect();
        assert!(is_seasonal(&y, 4));
        let fit = theta(&y, 4, 4);
        for (f, want) in fit.forecast.iter().zip([5.0, 9.0, 14.0, 7.0]) {
            assert!((f - want).abs() < 0.5, "{:?}", fit.forecast);
        }
    }
}
