//! Invariants over random inputs: forecasts are always usable numbers, and
//! the period calendar and the normal distribution are consistent.

use proptest::prelude::*;
use tote_planning::forecast::{ForecastParams, Method, forecast_series};
use tote_planning::{Period, normal};

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn forecasts_are_finite_non_negative_and_h_long(
        values in prop::collection::vec(prop_oneof![Just(0.0), 0.0..1_000.0f64, 1e6..1e7f64], 1..40),
        h in 1usize..13,
        m in prop_oneof![Just(1usize), Just(4), Just(12)],
        method in prop_oneof![Just(Method::Auto), Just(Method::Ets), Just(Method::Theta), Just(Method::Airline), Just(Method::SeasonalNaive)],
    ) {
        let mut params = ForecastParams::new(h, m);
        params.method = method;
        params.quantiles = vec![0.1, 0.5, 0.9];
        let f = forecast_series(&values, &params);
        prop_assert_eq!(f.mean.len(), h);
        for path in std::iter::once(&f.mean).chain(&f.quantiles) {
            prop_assert_eq!(path.len(), h);
            prop_assert!(path.iter().all(|v| v.is_finite() && *v >= 0.0), "{:?}", path);
        }
        for j in 0..h {
            prop_assert!(f.quantiles[0][j] <= f.quantiles[2][j]);
        }
    }

    #[test]
    // Within four-digit years, the range the text format can hold.
    fn stepping_periods_round_trips_through_text(kind in 0..3u8, start in -4_000i64..4_000, steps in -2_000i64..2_000) {
        let base = match kind {
            0 => Period::parse("2000-01").unwrap(),
            1 => Period::parse("2000-Q1").unwrap(),
            _ => Period::parse("2000-01-01").unwrap(),
        };
        let p = base.step(start);
        prop_assert_eq!(Period::parse(&p.to_string()), Some(p));
        prop_assert_eq!(p.step(steps).step(-steps), p);
    }

    #[test]
    fn normal_quantile_inverts_the_distribution(p in 1e-9..(1.0 - 1e-9)) {
        prop_assert!((normal::cdf(normal::quantile(p)) - p).abs() < 1e-12);
    }
}
