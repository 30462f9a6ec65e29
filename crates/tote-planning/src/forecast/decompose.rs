//! Classical decomposition: the centred moving average as the trend, and
//! seasonal indices as the mean detrended value at each position of the season.

/// Classical decomposition of the first few seasons: initial seasonal
/// indices by position (`out[t % m]` for observation t), normalised to sum 0
/// (additive) or m (multiplicative).
pub fn initial_seasonal(y: &[f64], m: usize, multiplicative: bool) -> Option<Vec<f64>> {
    let window = &y[..y.len().min(3 * m)];
    let trend = centred_moving_average(window, m);
    let mut sum = vec![0.0; m];
    let mut count = vec![0usize; m];
    for (t, (&v, ma)) in window.iter().zip(&trend).enumerate() {
        if let Some(ma) = *ma {
            let d = if multiplicative {
                if ma.abs() < 1e-12 {
                    return None;
                }
                v / ma
            } else {
                v - ma
            };
            sum[t % m] += d;
            count[t % m] += 1;
        }
    }
    if count.contains(&0) {
        return None;
    }
    let mut figure: Vec<f64> = sum.iter().zip(&count).map(|(s, &c)| s / c as f64).collect();
    let mean = figure.iter().sum::<f64>() / m as f64;
    for v in &mut figure {
        if multiplicative {
            *v /= mean;
        } else {
            *v -= mean;
        }
    }
    Some(figure)
}

/// The centred moving average of order m (2 x m when m is even), None where
/// the window does not fit.
pub fn centred_moving_average(y: &[f64], m: usize) -> Vec<Option<f64>> {
    let n = y.len();
    let mut out = vec![None; n];
    if m % 2 == 1 {
        let half = m / 2;
        for t in half..n.saturating_sub(half) {
            out[t] = Some(y[t - half..=t + half].iter().sum::<f64>() / m as f64);
        }
    } else {
        let half = m / 2;
        for t in half..n.saturating_sub(half) {
            let inner: f64 = y[t + 1 - half..t + half].iter().sum();
            out[t] = Some((inner + 0.5 * (y[t - half] + y[t + half])) / m as f64);
        }
    }
    out
}
