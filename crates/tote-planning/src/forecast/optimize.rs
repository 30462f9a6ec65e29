//! Nelder-Mead simplex minimisation, as R's `optim(method = "Nelder-Mead")`
//! which the ETS literature's reference fits use: derivative free, so a
//! penalty (an infinite value) outside the admissible region is enough.

/// Where and how the search stopped.
#[derive(Clone, Debug)]
pub struct Minimum {
    pub x: Vec<f64>,
    pub value: f64,
    pub evaluations: usize,
}

/// Minimises `f` from `x0`, the first simplex stepping `step[i]` along axis i.
/// Stops when the simplex' values agree to `reltol` (relative) or after
/// `iterations_max` iterations.
pub fn nelder_mead(
    mut f: impl FnMut(&[f64]) -> f64,
    x0: &[f64],
    step: &[f64],
    reltol: f64,
    iterations_max: usize,
) -> Minimum {
    let n = x0.len();
    assert_eq!(step.len(), n, "one step per coordinate");
    let mut evaluations = 0;
    let mut eval = |x: &[f64], evaluations: &mut usize| {
        *evaluations += 1;
        let v = f(x);
        if v.is_nan() { f64::INFINITY } else { v }
    };
    let mut points: Vec<Vec<f64>> = Vec::with_capacity(n + 1);
    let mut values: Vec<f64> = Vec::with_capacity(n + 1);
    points.push(x0.to_vec());
    values.push(eval(x0, &mut evaluations));
    for i in 0..n {
        let mut p = x0.to_vec();
        p[i] += step[i];
        values.push(eval(&p, &mut evaluations));
        points.push(p);
    }
    let mut centroid = vec![0.0; n];
    let mut trial = vec![0.0; n];
    let mut trial2 = vec![0.0; n];
    for _ in 0..iterations_max {
        // Order: best first, worst last.
        let mut order: Vec<usize> = (0..=n).collect();
        order.sort_by(|&a, &b| values[a].total_cmp(&values[b]));
        let best = order[0];
        let worst = order[n];
        let second_worst = order[n - 1];
        let (fbest, fworst) = (values[best], values[worst]);
        if fbest.is_finite() && (fworst - fbest).abs() <= reltol * (fbest.abs() + reltol) {
            break;
        }
        centroid.iter_mut().for_each(|c| *c = 0.0);
        for (k, p) in points.iter().enumerate() {
            if k != worst {
                for (c, v) in centroid.iter_mut().zip(p) {
                    *c += v / n as f64;
                }
            }
        }
        for i in 0..n {
            trial[i] = centroid[i] + (centroid[i] - points[worst][i]);
        }
        let fr = eval(&trial, &mut evaluations);
        if fr < fbest {
            for i in 0..n {
                trial2[i] = centroid[i] + 2.0 * (centroid[i] - points[worst][i]);
            }
            let fe = eval(&trial2, &mut evaluations);
            if fe < fr {
                points[worst].copy_from_slice(&trial2);
                values[worst] = fe;
            } else {
                points[worst].copy_from_slice(&trial);
                values[worst] = fr;
            }
            continue;
        }
        if fr < values[second_worst] {
            points[worst].copy_from_slice(&trial);
            values[worst] = fr;
            continue;
        }
        // Contract towards the better of the worst point and its reflection.
        let outside = fr < fworst;
        for i in 0..n {
            let toward = if outside { trial[i] } else { points[worst][i] };
            trial2[i] = centroid[i] + 0.5 * (toward - centroid[i]);
        }
        let fc = eval(&trial2, &mut evaluations);
        if fc < fworst.min(fr) {
            points[worst].copy_from_slice(&trial2);
            values[worst] = fc;
            continue;
        }
        // Shrink every point towards the best.
        let anchor = points[best].clone();
        for k in 0..=n {
            if k != best {
                for i in 0..n {
                    points[k][i] = anchor[i] + 0.5 * (points[k][i] - anchor[i]);
                }
                values[k] = eval(&points[k], &mut evaluations);
            }
        }
    }
    let best = (0..=n)
        .min_by(|&a, &b| values[a].total_cmp(&values[b]))
        .expect("simplex has n+1 points");
    Minimum {
        x: points[best].clone(),
        value: values[best],
        evaluations,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_rosenbrock_minimum() {
        let rosen = |x: &[f64]| 100.0 * (x[1] - x[0] * x[0]).powi(2) + (1.0 - x[0]).powi(2);
        let m = nelder_mead(rosen, &[-1.2, 1.0], &[0.1, 0.1], 1e-12, 5_000);
        assert!(
            (m.x[0] - 1.0).abs() < 1e-3 && (m.x[1] - 1.0).abs() < 1e-3,
            "{m:?}"
        );
    }

    #[test]
    fn respects_an_infinite_penalty_region() {
        let f = |x: &[f64]| {
            if x[0] < 0.5 {
                f64::INFINITY
            } else {
                (x[0] - 0.2).powi(2)
            }
        };
        let m = nelder_mead(f, &[0.9], &[0.1], 1e-12, 1_000);
        assert!((m.x[0] - 0.5).abs() < 1e-3, "{m:?}");
    }
}
