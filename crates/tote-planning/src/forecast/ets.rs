//! Exponential smoothing state-space models (ETS) as in Hyndman, Koehler,
//! Ord and Snyder, *Forecasting with Exponential Smoothing* (2008): additive
//! or multiplicative error; no, additive or damped additive trend; no,
//! additive or multiplicative season. Fitted by likelihood with Nelder-Mead
//! over the smoothing parameters and the initial level and slope (seasonal
//! states from a decomposition, optionally optimised too), chosen by AICc.

use super::decompose::initial_seasonal;
use super::optimize::nelder_mead;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    Additive,
    Multiplicative,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TrendKind {
    None,
    Additive,
    Damped,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SeasonKind {
    None,
    Additive,
    Multiplicative,
}

/// One member of the ETS family, written `ETS(error, trend, season)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EtsSpec {
    pub error: ErrorKind,
    pub trend: TrendKind,
    pub season: SeasonKind,
}

impl std::fmt::Display for EtsSpec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let e = match self.error {
            ErrorKind::Additive => "A",
            ErrorKind::Multiplicative => "M",
        };
        let t = match self.trend {
            TrendKind::None => "N",
            TrendKind::Additive => "A",
            TrendKind::Damped => "Ad",
        };
        let s = match self.season {
            SeasonKind::None => "N",
            SeasonKind::Additive => "A",
            SeasonKind::Multiplicative => "M",
        };
        write!(f, "ETS({e},{t},{s})")
    }
}

/// Search effort of the likelihood fit.
#[derive(Clone, Copy, Debug)]
pub struct EtsParams {
    /// Nelder-Mead iterations per model. The default of 100 stops short of
    /// full convergence on seasonal models, yet forecasts as well as 300 on
    /// held-out training data (the combination absorbs the difference) at a
    /// third of the time.
    pub iterations_max: usize,
    pub reltol: f64,
    /// Whether the initial seasonal states are optimised with the rest
    /// (better fits, several times the search) or kept at their
    /// decomposition estimates.
    pub optimize_seasonal_states: bool,
}

impl Default for EtsParams {
    fn default() -> Self {
        EtsParams {
            iterations_max: 100,
            reltol: 1e-8,
            optimize_seasonal_states: false,
        }
    }
}

/// A fitted model: parameters, the state after the last observation and the
/// information criterion it was chosen by.
#[derive(Clone, Debug)]
pub struct EtsFit {
    pub spec: EtsSpec,
    pub alpha: f64,
    pub beta: f64,
    pub gamma: f64,
    pub phi: f64,
    pub level: f64,
    pub slope: f64,
    /// Seasonal states; `seasonal[(t) % m]` applies to observation t.
    pub seasonal: Vec<f64>,
    pub period: usize,
    pub observations: usize,
    /// Residual variance: of errors for additive error, of relative errors
    /// for multiplicative error.
    pub sigma2: f64,
    pub aicc: f64,
    /// The states before the first observation, for replaying the fit.
    pub initial_level: f64,
    pub initial_slope: f64,
    pub initial_seasonal: Vec<f64>,
    /// The optimiser's solution, to warm-start a related model.
    search_point: Vec<f64>,
}

/// A warm-started search's first simplex, as a share of a cold start's.
const WARM_STEP_SHARE: f64 = 0.3;

const ALPHA_MIN: f64 = 1e-4;
const ALPHA_MAX: f64 = 0.9999;
const PHI_MIN: f64 = 0.8;
const PHI_MAX: f64 = 0.98;

struct Layout {
    spec: EtsSpec,
    m: usize,
    free_seasonals: usize,
}

impl Layout {
    fn has_trend(&self) -> bool {
        self.spec.trend != TrendKind::None
    }
    fn has_season(&self) -> bool {
        self.spec.season != SeasonKind::None
    }
}

/// Smoothing parameters and initial states decoded from a search vector.
struct Decoded {
    alpha: f64,
    beta: f64,
    gamma: f64,
    phi: f64,
    level: f64,
    slope: f64,
}

fn decode(
    layout: &Layout,
    x: &[f64],
    fixed_seasonal: &[f64],
    seasonal: &mut [f64],
) -> Option<Decoded> {
    let mut i = 0;
    let mut next = || {
        i += 1;
        x[i - 1]
    };
    let alpha = next();
    let beta = if layout.has_trend() { next() } else { 0.0 };
    let gamma = if layout.has_season() { next() } else { 0.0 };
    let phi = if layout.spec.trend == TrendKind::Damped {
        next()
    } else {
        1.0
    };
    let level = next();
    let slope = if layout.has_trend() { next() } else { 0.0 };
    if !(ALPHA_MIN..=ALPHA_MAX).contains(&alpha) {
        return None;
    }
    if layout.has_trend() && !(ALPHA_MIN..=alpha).contains(&beta) {
        return None;
    }
    if layout.has_season() && !(ALPHA_MIN..=1.0 - alpha).contains(&gamma) {
        return None;
    }
    if layout.spec.trend == TrendKind::Damped && !(PHI_MIN..=PHI_MAX).contains(&phi) {
        return None;
    }
    if layout.has_season() {
        if layout.free_seasonals > 0 {
            let free = &x[x.len() - layout.free_seasonals..];
            let sum: f64 = free.iter().sum();
            seasonal[..free.len()].copy_from_slice(free);
            seasonal[layout.m - 1] = match layout.spec.season {
                SeasonKind::Multiplicative => layout.m as f64 - sum,
                _ => -sum,
            };
        } else {
            seasonal.copy_from_slice(fixed_seasonal);
        }
        if layout.spec.season == SeasonKind::Multiplicative && seasonal.iter().any(|&s| s <= 1e-6) {
            return None;
        }
    }
    Some(Decoded {
        alpha,
        beta,
        gamma,
        phi,
        level,
        slope,
    })
}

/// Runs the filter over `y`; returns (sum of squared errors, sum of log |f|)
/// and leaves the final states in `d` and `seasonal`. Dispatches to a copy
/// of the loop per model form, so the hot loop carries no model branches.
fn filter(
    spec: EtsSpec,
    m: usize,
    y: &[f64],
    d: &mut Decoded,
    seasonal: &mut [f64],
) -> Option<(f64, f64)> {
    const N: u8 = 0;
    const A: u8 = 1;
    const D: u8 = 2;
    const M: u8 = 2;
    let mult = spec.error == ErrorKind::Multiplicative;
    let trend = match spec.trend {
        TrendKind::None => N,
        TrendKind::Additive => A,
        TrendKind::Damped => D,
    };
    let season = match spec.season {
        SeasonKind::None => N,
        SeasonKind::Additive => A,
        SeasonKind::Multiplicative => M,
    };
    macro_rules! run {
        ($($e:literal, $t:ident, $s:ident);*) => {
            match (mult, trend, season) {
                $(($e, $t, $s) => filter_form::<$e, $t, $s>(m, y, d, seasonal),)*
                _ => unreachable!("every model form is listed"),
            }
        };
    }
    run!(false, N, N; false, N, A; false, N, M; false, A, N; false, A, A; false, A, M; false, D, N; false, D, A; false, D, M;
         true, N, N; true, N, A; true, N, M; true, A, N; true, A, A; true, A, M; true, D, N; true, D, A; true, D, M)
}

fn filter_form<const MULT: bool, const TREND: u8, const SEASON: u8>(
    m: usize,
    y: &[f64],
    d: &mut Decoded,
    seasonal: &mut [f64],
) -> Option<(f64, f64)> {
    let (mut l, mut b) = (d.level, d.slope);
    let (alpha, phi) = (d.alpha, d.phi);
    let gamma = d.gamma;
    let beta_ratio = d.beta / alpha;
    let mut sse = 0.0;
    let mut log_sum = 0.0;
    // Products of a few forecasts, logged together: ln is the slowest step
    // of the filter, and eight positive factors of any sane demand scale
    // stay far inside f64's range.
    let mut product = 1.0;
    let mut product_terms = 0;
    let mut k = 0;
    for &yt in y {
        let phib = match TREND {
            0 => 0.0,
            1 => b,
            _ => phi * b,
        };
        let q = l + phib;
        let (f, p, s_target) = match SEASON {
            0 => (q, yt, 0.0),
            1 => {
                let s = seasonal[k];
                (q + s, yt - s, yt - q)
            }
            _ => {
                let s = seasonal[k];
                if s.abs() < 1e-10 || q.abs() < 1e-10 {
                    return None;
                }
                (q * s, yt / s, yt / q)
            }
        };
        if MULT {
            if f <= 1e-10 {
                return None;
            }
            let e = (yt - f) / f;
            sse += e * e;
            product *= f;
            product_terms += 1;
            if product_terms == 8 {
                log_sum += product.ln();
                product = 1.0;
                product_terms = 0;
            }
        } else {
            let e = yt - f;
            sse += e * e;
        }
        let l_new = q + alpha * (p - q);
        if TREND != 0 {
            b = phib + beta_ratio * ((l_new - l) - phib);
        }
        if SEASON != 0 {
            seasonal[k] += gamma * (s_target - seasonal[k]);
            k += 1;
            if k == m {
                k = 0;
            }
        }
        l = l_new;
    }
    log_sum += product.ln();
    if !sse.is_finite() || !l.is_finite() || !log_sum.is_finite() {
        return None;
    }
    d.level = l;
    d.slope = b;
    Some((sse, log_sum))
}

fn neg2_loglik(n: usize, sse: f64, log_sum: f64) -> f64 {
    n as f64 * sse.max(1e-300).ln() + 2.0 * log_sum
}

/// Fits one ETS model; None when the model does not suit the data (too few
/// points for its parameters, non-positive data under multiplicative parts)
/// or no admissible fit was found.
pub fn fit_ets(y: &[f64], m: usize, spec: EtsSpec, params: &EtsParams) -> Option<EtsFit> {
    fit_ets_from(y, m, spec, params, None)
}

/// Fits one ETS model, starting the search from `start` (the solution of
/// the same model form under the other error type) when given: the two
/// likelihoods share their state equations, so their optima lie close, and
/// a short search from there finds the second.
fn fit_ets_from(
    y: &[f64],
    m: usize,
    spec: EtsSpec,
    params: &EtsParams,
    start: Option<&[f64]>,
) -> Option<EtsFit> {
    let n = y.len();
    let seasonal_model = spec.season != SeasonKind::None;
    let m = if seasonal_model { m } else { 1 };
    if seasonal_model && (m < 2 || n < 2 * m) {
        return None;
    }
    let needs_positive =
        spec.error == ErrorKind::Multiplicative || spec.season == SeasonKind::Multiplicative;
    if needs_positive && y.iter().any(|&v| v <= 0.0) {
        return None;
    }
    let mult_season = spec.season == SeasonKind::Multiplicative;
    let fixed_seasonal = if seasonal_model {
        initial_seasonal(y, m, mult_season)?
    } else {
        vec![0.0]
    };
    // Seasonally adjusted start, then a line through the first points.
    let adjusted: Vec<f64> = y
        .iter()
        .enumerate()
        .take((2 * m).max(10).min(n))
        .map(|(t, &v)| match spec.season {
            SeasonKind::None => v,
            SeasonKind::Additive => v - fixed_seasonal[t % m],
            SeasonKind::Multiplicative => v / fixed_seasonal[t % m],
        })
        .collect();
    let (level0, slope0) = if spec.trend == TrendKind::None {
        (adjusted.iter().sum::<f64>() / adjusted.len() as f64, 0.0)
    } else {
        let k = adjusted.len() as f64;
        let tbar = (k + 1.0) / 2.0;
        let ybar = adjusted.iter().sum::<f64>() / k;
        let (mut sxy, mut sxx) = (0.0, 0.0);
        for (i, &v) in adjusted.iter().enumerate() {
            let dt = i as f64 + 1.0 - tbar;
            sxy += dt * (v - ybar);
            sxx += dt * dt;
        }
        let slope = if sxx > 0.0 { sxy / sxx } else { 0.0 };
        (ybar - slope * tbar, slope)
    };
    let free_seasonals = if seasonal_model && params.optimize_seasonal_states {
        m - 1
    } else {
        0
    };
    let layout = Layout {
        spec,
        m,
        free_seasonals,
    };
    let smoothing_count = 1
        + usize::from(layout.has_trend())
        + usize::from(seasonal_model)
        + usize::from(spec.trend == TrendKind::Damped);
    let state_count = 1 + usize::from(layout.has_trend()) + if seasonal_model { m - 1 } else { 0 };
    // Parameters plus the residual variance, as R's forecast::ets counts them.
    let k = smoothing_count + state_count + 1;
    if n <= k + 3 {
        return None;
    }

    let season_steps = if seasonal_model { m as f64 } else { 1.0 };
    let alpha0 = ALPHA_MIN + 0.2 * (ALPHA_MAX - ALPHA_MIN) / season_steps;
    let beta0 = (alpha0 - 1e-3).max(ALPHA_MIN * 1.5).min(alpha0);
    let gamma0 = ALPHA_MIN + 0.05 * (1.0 - alpha0 - ALPHA_MIN);
    let phi0 = PHI_MIN + 0.99 * (PHI_MAX - PHI_MIN);
    let scale = y.iter().map(|v| v.abs()).sum::<f64>() / n as f64;
    let scale = if scale > 0.0 { scale } else { 1.0 };
    let mut x0 = vec![alpha0];
    let mut step = vec![0.1];
    if layout.has_trend() {
        x0.push(beta0.min(0.5 * alpha0).max(ALPHA_MIN * 1.01));
        step.push(0.02);
    }
    if seasonal_model {
        x0.push(gamma0);
        step.push(0.05);
    }
    if spec.trend == TrendKind::Damped {
        x0.push(phi0);
        step.push(-0.05);
    }
    x0.push(level0);
    step.push(0.05 * scale);
    if layout.has_trend() {
        x0.push(slope0);
        step.push(0.01 * scale);
    }
    for &s in fixed_seasonal.iter().take(free_seasonals) {
        x0.push(s);
        step.push(if mult_season { 0.02 } else { 0.02 * scale });
    }

    let mut seasonal = vec![0.0; m];
    let objective = |x: &[f64], seasonal: &mut Vec<f64>| -> f64 {
        let Some(mut d) = decode(&layout, x, &fixed_seasonal, seasonal) else {
            return f64::INFINITY;
        };
        match filter(spec, m, y, &mut d, seasonal) {
            Some((sse, log_sum)) => neg2_loglik(n, sse, log_sum),
            None => f64::INFINITY,
        }
    };
    let (x0, step, iterations) = match start {
        Some(start) if start.len() == x0.len() && objective(start, &mut seasonal).is_finite() => (
            start.to_vec(),
            step.iter().map(|s| s * WARM_STEP_SHARE).collect(),
            params.iterations_max * 2 / 5,
        ),
        _ => (x0, step, params.iterations_max),
    };
    let minimum = nelder_mead(
        |x| objective(x, &mut seasonal),
        &x0,
        &step,
        params.reltol,
        iterations,
    );
    if !minimum.value.is_finite() {
        return None;
    }
    let mut d = decode(&layout, &minimum.x, &fixed_seasonal, &mut seasonal)?;
    let (initial_level, initial_slope, initial_seasonal) = (d.level, d.slope, seasonal.clone());
    let (sse, log_sum) = filter(spec, m, y, &mut d, &mut seasonal)?;
    let neg2 = neg2_loglik(n, sse, log_sum);
    let kf = k as f64;
    let aicc = neg2 + 2.0 * kf + 2.0 * kf * (kf + 1.0) / (n as f64 - kf - 1.0);
    Some(EtsFit {
        spec,
        alpha: d.alpha,
        beta: d.beta,
        gamma: d.gamma,
        phi: d.phi,
        level: d.level,
        slope: d.slope,
        seasonal,
        period: m,
        observations: n,
        sigma2: sse / (n as f64 - kf + 1.0).max(1.0),
        aicc,
        initial_level,
        initial_slope,
        initial_seasonal,
        search_point: minimum.x,
    })
}

impl EtsFit {
    /// Root mean square of the model's own 1..=h step forecast errors over
    /// the later half of the history (forecasting from each origin with the
    /// states the filter had there), relative to the forecast when
    /// `relative`. Unlike the variance formula, this sees how the model
    /// actually missed on this series.
    pub fn step_error_rms(&self, y: &[f64], h: usize, relative: bool) -> Vec<f64> {
        let m = self.period;
        let (mut l, mut b) = (self.initial_level, self.initial_slope);
        let mut s = self.initial_seasonal.clone();
        let mut sum = vec![0.0; h];
        let mut count = vec![0usize; h];
        let first_origin = (y.len() / 2).max(m);
        for (t, &yt) in y.iter().enumerate() {
            if t >= first_origin {
                let mut damp_sum = 0.0;
                let mut phi_power = 1.0;
                for j in 0..h.min(y.len() - t) {
                    phi_power *= self.phi;
                    damp_sum += match self.spec.trend {
                        TrendKind::None => 0.0,
                        TrendKind::Additive => 1.0,
                        TrendKind::Damped => phi_power,
                    };
                    let base = l + damp_sum * b;
                    let k = (t + j) % m;
                    let f = match self.spec.season {
                        SeasonKind::None => base,
                        SeasonKind::Additive => base + s[k],
                        SeasonKind::Multiplicative => base * s[k],
                    };
                    let e = y[t + j] - f;
                    let e = if relative {
                        if f.abs() > 1e-12 { e / f } else { continue }
                    } else {
                        e
                    };
                    sum[j] += e * e;
                    count[j] += 1;
                }
            }
            let phib = match self.spec.trend {
                TrendKind::None => 0.0,
                TrendKind::Additive => b,
                TrendKind::Damped => self.phi * b,
            };
            let q = l + phib;
            let k = t % m;
            let (p, target) = match self.spec.season {
                SeasonKind::None => (yt, 0.0),
                SeasonKind::Additive => (yt - s[k], yt - q),
                SeasonKind::Multiplicative => (yt / s[k], yt / q),
            };
            let l_new = q + self.alpha * (p - q);
            if self.spec.trend != TrendKind::None {
                b = phib + self.beta / self.alpha * ((l_new - l) - phib);
            }
            if self.spec.season != SeasonKind::None {
                s[k] += self.gamma * (target - s[k]);
            }
            l = l_new;
        }
        // Steps without enough origins borrow the last step that had some.
        let mut out = Vec::with_capacity(h);
        let mut last = f64::NAN;
        for (s, c) in sum.iter().zip(&count) {
            if *c >= 3 {
                last = (s / *c as f64).sqrt();
            }
            out.push(last);
        }
        out
    }

    /// Point forecasts for steps 1..=h after the last observation.
    pub fn forecast(&self, h: usize) -> Vec<f64> {
        let mut damp_sum = 0.0;
        let mut phi_power = 1.0;
        (1..=h)
            .map(|j| {
                phi_power *= self.phi;
                damp_sum += match self.spec.trend {
                    TrendKind::None => 0.0,
                    TrendKind::Additive => 1.0,
                    TrendKind::Damped => phi_power,
                };
                let base = self.level + damp_sum * self.slope;
                let k = (self.observations + j - 1) % self.period;
                match self.spec.season {
                    SeasonKind::None => base,
                    SeasonKind::Additive => base + self.seasonal[k],
                    SeasonKind::Multiplicative => base * self.seasonal[k],
                }
            })
            .collect()
    }

    /// Standard deviation of the h-step forecast errors, from the linear
    /// (class 1) variance formula `sigma2 (1 + sum c_j^2)`; for
    /// multiplicative error the relative variance is scaled by the forecast,
    /// which is the usual approximation.
    pub fn forecast_sd(&self, mean: &[f64]) -> Vec<f64> {
        let mut acc = 0.0;
        let mut damp_sum = 0.0;
        let mut phi_power = 1.0;
        mean.iter()
            .enumerate()
            .map(|(i, &f)| {
                let h = i + 1;
                let var = self.sigma2 * (1.0 + acc);
                // c_h for the next step's variance term.
                phi_power *= self.phi;
                damp_sum += match self.spec.trend {
                    TrendKind::None => 0.0,
                    TrendKind::Additive => 1.0,
                    TrendKind::Damped => phi_power,
                };
                let seasonal_hit = self.spec.season != SeasonKind::None && h % self.period == 0;
                let c =
                    self.alpha + self.beta * damp_sum + if seasonal_hit { self.gamma } else { 0.0 };
                acc += c * c;
                match self.spec.error {
                    ErrorKind::Additive => var.sqrt(),
                    ErrorKind::Multiplicative => f.abs() * var.sqrt(),
                }
            })
            .collect()
    }
}

/// The models tried for a series, as R's `ets` with its default
/// restrictions: no multiplicative trend, and no additive error with a
/// multiplicative season (numerically unstable).
pub fn candidate_specs(seasonal: bool, positive: bool) -> Vec<EtsSpec> {
    let mut out = Vec::new();
    let errors: &[ErrorKind] = if positive {
        &[ErrorKind::Additive, ErrorKind::Multiplicative]
    } else {
        &[ErrorKind::Additive]
    };
    let seasons: &[SeasonKind] = match (seasonal, positive) {
        (false, _) => &[SeasonKind::None],
        (true, false) => &[SeasonKind::None, SeasonKind::Additive],
        (true, true) => &[
            SeasonKind::None,
            SeasonKind::Additive,
            SeasonKind::Multiplicative,
        ],
    };
    for &error in errors {
        for trend in [TrendKind::None, TrendKind::Additive, TrendKind::Damped] {
            for &season in seasons {
                if error == ErrorKind::Additive && season == SeasonKind::Multiplicative {
                    continue;
                }
                out.push(EtsSpec {
                    error,
                    trend,
                    season,
                });
            }
        }
    }
    out
}

/// Fits every candidate and returns them best (lowest AICc) first.
pub fn fit_all(y: &[f64], m: usize, params: &EtsParams) -> Vec<EtsFit> {
    let seasonal = m > 1 && y.len() >= 2 * m;
    let positive = y.iter().all(|&v| v > 0.0);
    // Additive-error models come first; each multiplicative-error model
    // starts from its additive twin's solution.
    let mut fits: Vec<EtsFit> = Vec::new();
    for spec in candidate_specs(seasonal, positive) {
        let twin = fits
            .iter()
            .find(|f| {
                f.spec.error == ErrorKind::Additive
                    && f.spec.trend == spec.trend
                    && f.spec.season == spec.season
            })
            .map(|f| f.search_point.clone());
        let start = if spec.error == ErrorKind::Multiplicative {
            twin.as_deref()
        } else {
            None
        };
        if let Some(fit) = fit_ets_from(y, m, spec, params, start).filter(|f| f.aicc.is_finite()) {
            fits.push(fit);
        }
    }
    fits.sort_by(|a, b| a.aicc.total_cmp(&b.aicc));
    fits
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seasonal_series(n: usize) -> Vec<f64> {
        (0..n)
            .map(|t| {
                let season = [0.8, 0.9, 1.3, 1.0][t % 4];
                (100.0 + 2.0 * t as f64) * season + ((t * 7919) % 13) as f64 * 0.3
            })
            .collect()
    }

    #[test]
    fn additive_error_level_model_tracks_a_constant() {
        let y = vec![10.0; 30];
        let spec = EtsSpec {
            error: ErrorKind::Additive,
            trend: TrendKind::None,
            season: SeasonKind::None,
        };
        let fit = fit_ets(&y, 1, spec, &EtsParams::default()).unwrap();
        for f in fit.forecast(5) {
            assert!((f - 10.0).abs() < 1e-6, "{f}");
        }
    }

    #[test]
    fn trend_and_multiplicative_season_are_recovered() {
        let y = seasonal_series(60);
        let fits = fit_all(&y, 4, &EtsParams::default());
        let best = &fits[0];
        assert!(best.spec.season != SeasonKind::None, "{}", best.spec);
        let future = best.forecast(4);
        let truth: Vec<f64> = seasonal_series(64)[60..].to_vec();
        for (f, t) in future.iter().zip(&truth) {
            assert!(
                (f - t).abs() / t < 0.05,
                "forecast {f} truth {t} by {}",
                best.spec
            );
        }
    }

    #[test]
    fn replaying_the_fit_reproduces_its_final_forecast_errors() {
        let y = seasonal_series(40);
        let fit = &fit_all(&y, 4, &EtsParams::default())[0];
        let rms = fit.step_error_rms(&y, 4, false);
        assert_eq!(rms.len(), 4);
        assert!(rms.iter().all(|v| v.is_finite() && *v >= 0.0), "{rms:?}");
    }

    #[test]
    fn interval_width_grows_with_the_horizon() {
        let y = seasonal_series(40);
        let fits = fit_all(&y, 4, &EtsParams::default());
        let mean = fits[0].forecast(8);
        let sd = fits[0].forecast_sd(&mean);
        assert!(sd[7] > sd[0], "{sd:?}");
    }
}
