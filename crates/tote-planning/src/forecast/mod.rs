//! Demand forecasts per series: a family of models (ETS, Theta, the airline
//! model, seasonal naive; Croston, SBA, TSB, ADIDA and IMAPA for
//! intermittent demand), the rule that picks or combines them, prediction
//! quantiles, and reconciliation across a hierarchy of series.

pub mod airline;
pub mod decompose;
pub mod ets;
pub mod events;
pub mod intermittent;
pub mod optimize;
pub mod reconcile;
pub mod theta;

use crate::normal;
use ets::{EtsFit, EtsParams, TrendKind};
use rayon::prelude::*;

/// The bound on a forecast horizon, so a typo cannot ask for millions of rows.
pub const HORIZON_MAX: usize = 10_000;

/// A series with no demand for a whole season, and at least this many
/// periods, counts as stopped.
pub const STOPPED_PERIODS_MIN: usize = 4;

/// How a series' forecast is made.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    /// The default: intermittent series get TSB; others a combination
    /// of Akaike-weighted ETS, the AICc-best ETS model, the best damped-trend
    /// ETS model, Theta and the airline model.
    Auto,
    /// The ETS model with the lowest AICc.
    Ets,
    /// The standard Theta method.
    Theta,
    /// Mean of AICc-best ETS and Theta.
    EtsTheta,
    /// ETS models averaged with Akaike weights.
    EtsWeighted,
    /// The airline model, seasonal ARIMA(0,1,1)(0,1,1).
    Airline,
    /// The value one season back.
    SeasonalNaive,
    /// The last value.
    Naive,
}

#[derive(Clone, Debug)]
pub struct ForecastParams {
    pub horizon: usize,
    /// Season length m (12 for months, 4 for quarters, 7 for days); 1 for none.
    pub season: usize,
    /// Probability levels of the quantiles to report, each in (0, 1).
    pub quantiles: Vec<f64>,
    pub method: Method,
    pub ets: EtsParams,
}

impl ForecastParams {
    pub fn new(horizon: usize, season: usize) -> Self {
        ForecastParams {
            horizon,
            season,
            quantiles: Vec::new(),
            method: Method::Auto,
            ets: EtsParams::default(),
        }
    }
}

/// A series' forecast: the mean path, one path per requested quantile, and
/// the model(s) behind it.
#[derive(Clone, Debug, PartialEq)]
pub struct SeriesForecast {
    pub mean: Vec<f64>,
    /// `quantiles[i][j]`: quantile `params.quantiles[i]` at step j+1.
    pub quantiles: Vec<Vec<f64>>,
    pub model: String,
}

/// Forecasts many series in parallel; the order of the output is the order
/// of the input.
pub fn forecast_many(series: &[&[f64]], params: &ForecastParams) -> Vec<SeriesForecast> {
    series
        .par_iter()
        .map(|y| forecast_series(y, params))
        .collect()
}

/// Forecasts one series. Forecasts and quantiles are finite and never
/// negative (demand is not).
pub fn forecast_series(y: &[f64], params: &ForecastParams) -> SeriesForecast {
    let h = params.horizon;
    let m = params.season.max(1);
    let (mean, sd, model) = point_and_spread(y, h, m, params);
    let mean: Vec<f64> = mean.into_iter().map(clean).collect();
    let quantiles = params
        .quantiles
        .iter()
        .map(|&p| {
            let z = normal::quantile(p);
            mean.iter()
                .zip(&sd)
                .map(|(&f, &s)| clean(f + z * s))
                .collect()
        })
        .collect();
    SeriesForecast {
        mean,
        quantiles,
        model,
    }
}

/// Forecasts every series of a hierarchy and reconciles the means step by
/// step so every parent equals the sum of its children; each series'
/// quantiles move with its mean. `series[i]` is node i of `hierarchy`.
pub fn forecast_hierarchy(
    series: &[&[f64]],
    hierarchy: &reconcile::Hierarchy,
    params: &ForecastParams,
) -> Result<Vec<SeriesForecast>, reconcile::HierarchyError> {
    let mut out = forecast_many(series, params);
    reconcile_forecasts(hierarchy, &mut out, params.horizon)?;
    Ok(out)
}

/// Reconciles forecasts already made (one per node of `hierarchy`, each
/// `horizon` long) step by step; each series' quantiles move with its mean.
pub fn reconcile_forecasts(
    hierarchy: &reconcile::Hierarchy,
    forecasts: &mut [SeriesForecast],
    horizon: usize,
) -> Result<(), reconcile::HierarchyError> {
    for j in 0..horizon {
        let base: Vec<f64> = forecasts.iter().map(|f| f.mean[j]).collect();
        let rec = reconcile::reconcile(hierarchy, &base)?;
        for (f, (b, r)) in forecasts.iter_mut().zip(base.iter().zip(rec)) {
            f.mean[j] = r;
            for q in &mut f.quantiles {
                q[j] += r - b;
            }
        }
    }
    Ok(())
}

fn clean(v: f64) -> f64 {
    if v.is_finite() { v.max(0.0) } else { 0.0 }
}

type Spread = (Vec<f64>, Vec<f64>, String);

fn point_and_spread(y: &[f64], h: usize, m: usize, params: &ForecastParams) -> Spread {
    if y.is_empty() {
        return (vec![0.0; h], vec![0.0; h], "empty".into());
    }
    if y.len() < 4 || y.iter().all(|&v| v == y[0]) {
        return naive(y, h, 1, "naive");
    }
    match params.method {
        Method::SeasonalNaive => return naive(y, h, m, "seasonal naive"),
        Method::Naive => return naive(y, h, 1, "naive"),
        Method::Theta => return theta_spread(y, h, m),
        Method::Airline => {
            let (_, sd, _) = theta_spread(y, h, m);
            return match airline::airline(y, m, h) {
                Some(f) => (f, sd, "airline".into()),
                None => theta_spread(y, h, m),
            };
        }
        _ => {}
    }
    let trailing_zeros = y.iter().rev().take_while(|&&v| v == 0.0).count();
    if params.method == Method::Auto && trailing_zeros >= m.max(STOPPED_PERIODS_MIN) {
        // Nothing sold for a whole season: the item has stopped (discontinued,
        // delisted, a closed node), and models fitted to its past would
        // forecast the old volume back.
        return (
            vec![0.0; h],
            vec![0.0; h],
            format!("stopped ({trailing_zeros} periods without demand)"),
        );
    }
    // Zeros that come back every season (a summer-only item) are a seasonal
    // pattern for the models below, not intermittence.
    if params.method == Method::Auto
        && intermittent::is_intermittent(y)
        && !theta::is_seasonal(y, m)
    {
        let rate = intermittent::intermittent_rate(y);
        let sd = sample_sd(y);
        return (vec![rate; h], vec![sd; h], "TSB".into());
    }
    let fits = ets::fit_all(y, m, &params.ets);
    let Some(best) = fits.first() else {
        return theta_spread(y, h, m);
    };
    let ets_mean = best.forecast(h);
    let ets_sd = best.forecast_sd(&ets_mean);
    match params.method {
        Method::Ets => (ets_mean, ets_sd, best.spec.to_string()),
        Method::EtsWeighted => {
            let mean = akaike_weighted(&fits, h);
            (
                mean,
                ets_sd,
                format!("weighted ETS ({} models)", fits.len()),
            )
        }
        Method::EtsTheta => {
            let th = theta::theta(y, m, h);
            let mean = average(&[&ets_mean, &th.forecast]);
            (mean, ets_sd, format!("mean of {} and Theta", best.spec))
        }
        _ => {
            // Half the Akaike-weighted ETS mean, half the mean of the best
            // model, the best damped-trend model and Theta (the damped trend
            // and Theta temper trends that ETS selection over-extrapolates),
            // then a quarter weight on the airline model.
            // Each part was kept only if it also helped on the last horizon
            // of the training data (the benchmark's `--holdout`) and on
            // other data sets.
            let th = theta::theta(y, m, h);
            let weighted = akaike_weighted(&fits, h);
            let damped = fits
                .iter()
                .find(|f| f.spec.trend == TrendKind::Damped && f.spec != best.spec);
            let (simple, name) = match damped {
                Some(d) => (
                    average(&[&ets_mean, &d.forecast(h), &th.forecast]),
                    format!("{}, {}, Theta", best.spec, d.spec),
                ),
                None => (
                    average(&[&ets_mean, &th.forecast]),
                    format!("{}, Theta", best.spec),
                ),
            };
            let ets_theta = average(&[&weighted, &simple]);
            let ets_sd = calibrated_sd(best, y, &ets_theta, &ets_sd);
            // The airline model sees trend and season as differences, not
            // states; a quarter weight adds that view without letting its
            // wider misses dominate.
            match airline::airline(y, m, h) {
                Some(arima) => {
                    let mean = ets_theta
                        .iter()
                        .zip(&arima)
                        .map(|(a, b)| 0.75 * a + 0.25 * b)
                        .collect();
                    (
                        mean,
                        ets_sd,
                        format!("combination of weighted ETS, {name}, airline"),
                    )
                }
                None => (
                    ets_theta,
                    ets_sd,
                    format!("combination of weighted ETS, {name}"),
                ),
            }
        }
    }
}

/// The spread of the combined forecast: the best ETS model's own in-sample
/// h-step errors (relative for multiplicative error, so they scale with the
/// level), falling back to the variance formula where too few origins exist.
/// Over five sets the empirical spread put 80% intervals closer to 80%
/// coverage than the formula (mean miss 9 points against 11).
fn calibrated_sd(best: &EtsFit, y: &[f64], mean: &[f64], formula: &[f64]) -> Vec<f64> {
    let relative = best.spec.error == ets::ErrorKind::Multiplicative;
    let rms = best.step_error_rms(y, mean.len(), relative);
    mean.iter()
        .zip(formula)
        .zip(&rms)
        .map(|((&f, &sd), &r)| {
            let empirical = if relative { f.abs() * r } else { r };
            if empirical.is_finite() { empirical } else { sd }
        })
        .collect()
}

fn average(paths: &[&Vec<f64>]) -> Vec<f64> {
    let h = paths[0].len();
    (0..h)
        .map(|j| paths.iter().map(|p| p[j]).sum::<f64>() / paths.len() as f64)
        .collect()
}

fn akaike_weighted(fits: &[EtsFit], h: usize) -> Vec<f64> {
    let best = fits[0].aicc;
    let weights: Vec<f64> = fits
        .iter()
        .map(|f| (-0.5 * (f.aicc - best)).exp())
        .collect();
    let total: f64 = weights.iter().sum();
    let mut out = vec![0.0; h];
    for (fit, w) in fits.iter().zip(&weights) {
        for (o, f) in out.iter_mut().zip(fit.forecast(h)) {
            *o += w / total * f;
        }
    }
    out
}

fn theta_spread(y: &[f64], h: usize, m: usize) -> Spread {
    let fit = theta::theta(y, m, h);
    // SES variance growth: sigma^2 (1 + (j - 1) alpha^2).
    let sd = (0..h)
        .map(|j| (fit.sigma2 * (1.0 + j as f64 * fit.alpha * fit.alpha)).sqrt())
        .collect();
    (fit.forecast, sd, "Theta".into())
}

/// The value `lag` periods back, repeated; the spread grows with each full
/// lag the horizon spans.
fn naive(y: &[f64], h: usize, lag: usize, name: &str) -> Spread {
    let n = y.len();
    let lag = if n >= lag { lag } else { 1 };
    let mean = (0..h).map(|j| y[n - lag + j % lag]).collect();
    let diffs: Vec<f64> = y.windows(lag + 1).map(|w| w[lag] - w[0]).collect();
    let sigma = if diffs.is_empty() {
        0.0
    } else {
        (diffs.iter().map(|d| d * d).sum::<f64>() / diffs.len() as f64).sqrt()
    };
    let sd = (0..h)
        .map(|j| sigma * ((j / lag + 1) as f64).sqrt())
        .collect();
    (mean, sd, name.into())
}

fn sample_sd(y: &[f64]) -> f64 {
    let n = y.len() as f64;
    let mean = y.iter().sum::<f64>() / n;
    (y.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0).max(1.0)).sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forecasts_are_never_negative() {
        let y: Vec<f64> = (0..40).map(|t| (100.0 - 3.0 * t as f64).max(0.0)).collect();
        let mut params = ForecastParams::new(24, 12);
        params.quantiles = vec![0.1, 0.9];
        let f = forecast_series(&y, &params);
        assert_eq!(f.mean.len(), 24);
        assert!(
            f.mean
                .iter()
                .chain(f.quantiles.iter().flatten())
                .all(|&v| v >= 0.0 && v.is_finite())
        );
    }

    #[test]
    fn an_item_without_demand_for_a_season_is_forecast_zero() {
        let mut y = vec![20.0; 30];
        y.extend([0.0; 4]);
        let f = forecast_series(&y, &ForecastParams::new(3, 4));
        assert_eq!(f.mean, vec![0.0; 3]);
        assert!(f.model.starts_with("stopped"), "{}", f.model);
    }

    #[test]
    fn intermittent_items_get_a_flat_rate_below_their_order_size() {
        let y: Vec<f64> = (0..40)
            .map(|t| if t % 3 == 0 { 6.0 } else { 0.0 })
            .collect();
        let f = forecast_series(&y, &ForecastParams::new(5, 1));
        assert_eq!(f.model, "TSB");
        assert!(
            f.mean.iter().all(|&v| v > 1.0 && v < 3.0 && v == f.mean[0]),
            "{:?}",
            f.mean
        );
    }

    #[test]
    fn a_summer_only_item_keeps_its_season() {
        let y: Vec<f64> = (0..48)
            .map(|t| {
                if (5..8).contains(&(t % 12)) {
                    30.0 + t as f64
                } else {
                    0.0
                }
            })
            .collect();
        let f = forecast_series(&y, &ForecastParams::new(12, 12));
        assert_ne!(f.model, "TSB");
        assert!(f.mean[6] > 20.0 && f.mean[0] < 10.0, "{:?}", f.mean);
    }

    #[test]
    fn hierarchy_forecasts_add_up_at_every_parent() {
        let a: Vec<f64> = (0..40).map(|t| 10.0 + (t % 7) as f64).collect();
        let b: Vec<f64> = (0..40).map(|t| 30.0 + 2.0 * (t % 5) as f64).collect();
        let total: Vec<f64> = a.iter().zip(&b).map(|(x, y)| x + y + 3.0).collect();
        let h = reconcile::Hierarchy {
            parent: vec![None, Some(0), Some(0)],
        };
        let f = forecast_hierarchy(&[&total, &a, &b], &h, &ForecastParams::new(7, 7)).unwrap();
        for j in 0..7 {
            assert!((f[0].mean[j] - f[1].mean[j] - f[2].mean[j]).abs() < 1e-6);
        }
    }

    #[test]
    fn seasonal_naive_repeats_the_last_season() {
        let y = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0];
        let mut params = ForecastParams::new(6, 4);
        params.method = Method::SeasonalNaive;
        assert_eq!(
            forecast_series(&y, &params).mean,
            vec![5.0, 6.0, 7.0, 8.0, 5.0, 6.0]
        );
    }

    #[test]
    fn quantiles_are_ordered() {
        let y: Vec<f64> = (0..48)
            .map(|t| 50.0 + 10.0 * ((t % 12) as f64).sin() + t as f64)
            .collect();
        let mut params = ForecastParams::new(12, 12);
        params.quantiles = vec![0.1, 0.5, 0.9];
        let f = forecast_series(&y, &params);
        for j in 0..12 {
            assert!(
                f.quantiles[0][j] <= f.quantiles[1][j] && f.quantiles[1][j] <= f.quantiles[2][j]
            );
        }
    }
}
