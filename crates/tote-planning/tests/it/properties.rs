//! Invariants over random inputs: forecasts are always usable numbers, and
//! the period calendar and the normal distribution are consistent.

use proptest::prelude::*;
use tote_planning::forecast::reconcile::{Hierarchy, reconcile};
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

    #[test]
    fn reconciled_forecasts_add_up_at_every_parent(
        // Node i > 0 hangs under some earlier node, so the tree has no cycle.
        links in prop::collection::vec(0.0..1.0f64, 1..30),
        values in prop::collection::vec(0.0..1_000.0f64, 31),
    ) {
        let mut parent = vec![None];
        for (i, u) in links.iter().enumerate() {
            parent.push(Some(((i + 1) as f64 * u) as usize));
        }
        let n = parent.len();
        let out = reconcile(&Hierarchy { parent: parent.clone() }, &values[..n]).unwrap();
        let mut sums = vec![0.0; n];
        let mut has_children = vec![false; n];
        for (node, p) in parent.iter().enumerate() {
            if let Some(p) = *p {
                sums[p] += out[node];
                has_children[p] = true;
            }
        }
        for node in 0..n {
            if has_children[node] {
                prop_assert!((out[node] - sums[node]).abs() < 1e-6 * (1.0 + out[node].abs()), "node {}: {} vs {}", node, out[node], sums[node]);
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

    #[test]
    fn forecasts_with_events_are_finite_non_negative_with_bounded_uplifts(
        values in prop::collection::vec(prop_oneof![Just(0.0), 0.0..1_000.0f64], 1..60),
        marked in prop::collection::vec(0usize..3, 1..80),
        h in 1usize..10,
        m in prop_oneof![Just(1usize), Just(7)],
    ) {
        use tote_planning::forecast::events::{self, EventMarks, RATIO_MAX};
        let n = values.len();
        // Kind 0 is no event; kinds 1 and 2 are two event kinds.
        let at: Vec<Vec<usize>> = (0..n + h)
            .map(|t| match marked[t % marked.len()] {
                0 => vec![],
                k => vec![k - 1],
            })
            .collect();
        let marks = EventMarks { kinds: vec!["a".into(), "b".into()], at };
        let mut params = ForecastParams::new(h, m);
        params.quantiles = vec![0.1, 0.9];
        let (f, uplifts) = events::forecast_with_events(&values, &params, &marks);
        prop_assert_eq!(f.mean.len(), h);
        for path in std::iter::once(&f.mean).chain(&f.quantiles) {
            prop_assert!(path.iter().all(|v| v.is_finite() && *v >= 0.0), "{:?}", path);
        }
        for u in &uplifts {
            prop_assert!(u.uplift >= 1.0 / RATIO_MAX && u.uplift <= RATIO_MAX, "{:?}", u);
        }
    }

    #[test]
    fn learned_rates_lie_between_the_slowest_and_fastest_steady_worker(
        gaps in prop::collection::vec(5i64..600, 1..6),
        n in 3usize..40,
    ) {
        use tote_planning::labor::{Activity, Process, learn_rates};
        let mut activity = Vec::new();
        for (w, gap) in gaps.iter().enumerate() {
            for i in 0..n {
                activity.push(Activity { actor: format!("w{w}"), process: Process::Pack, at: gap * i as i64, units: 1.0 });
            }
        }
        let rates = learn_rates(&activity);
        prop_assert_eq!(rates.len(), 1);
        let fastest = 3600.0 / *gaps.iter().min().unwrap() as f64;
        let slowest = 3600.0 / *gaps.iter().max().unwrap() as f64;
        let r = rates[0].units_per_hour;
        prop_assert!(r >= slowest - 1e-9 && r <= fastest + 1e-9, "{} not in [{}, {}]", r, slowest, fastest);
    }
}
