//! The standard normal distribution: density, distribution, quantile and the
//! loss function the inventory formulas are written in.

const SQRT_2PI: f64 = 2.506_628_274_631_000_7;

/// Density phi(z).
pub fn pdf(z: f64) -> f64 {
    (-0.5 * z * z).exp() / SQRT_2PI
}

/// Distribution Phi(z), by Marsaglia's series (2004): Phi(z) = 1/2 +
/// phi(z) (z + z^3/3 + z^5/(3*5) + ...), accurate to about 1e-15.
pub fn cdf(z: f64) -> f64 {
    if z < -38.0 {
        return 0.0;
    }
    if z > 38.0 {
        return 1.0;
    }
    if z.abs() > 7.0 {
        // Upper tail by Laplace's continued fraction, which converges fast here.
        let x = z.abs();
        let mut frac = 0.0;
        for k in (1..=60).rev() {
            frac = k as f64 / (x + frac);
        }
        let tail = pdf(x) / (x + frac);
        return if z > 0.0 { 1.0 - tail } else { tail };
    }
    let mut sum = z;
    let mut term = z;
    let z2 = z * z;
    let mut k = 1.0;
    loop {
        k += 2.0;
        term *= z2 / k;
        let next = sum + term;
        if next == sum {
            break;
        }
        sum = next;
    }
    0.5 + pdf(z) * sum
}

/// The standard normal loss function G(z) = E[(Z - z)+] = phi(z) - z (1 - Phi(z)).
pub fn loss(z: f64) -> f64 {
    pdf(z) - z * (1.0 - cdf(z))
}

/// Quantile Phi^-1(p) for 0 < p < 1: Acklam's rational approximation, then
/// one Halley step on `cdf`, which brings it to full double precision.
pub fn quantile(p: f64) -> f64 {
    assert!(p > 0.0 && p < 1.0, "probability {p} outside (0, 1)");
    const A: [f64; 6] = [
        -3.969683028665376e+01,
        2.209460984245205e+02,
        -2.759285104469687e+02,
        1.383_577_518_672_69e+02,
        -3.066479806614716e+01,
        2.506628277459239e+00,
    ];
    const B: [f64; 5] = [
        -5.447609879822406e+01,
        1.615858368580409e+02,
        -1.556989798598866e+02,
        6.680131188771972e+01,
        -1.328068155288572e+01,
    ];
    const C: [f64; 6] = [
        -7.784894002430293e-03,
        -3.223964580411365e-01,
        -2.400758277161838e+00,
        -2.549732539343734e+00,
        4.374664141464968e+00,
        2.938163982698783e+00,
    ];
    const D: [f64; 4] = [
        7.784695709041462e-03,
        3.224671290700398e-01,
        2.445134137142996e+00,
        3.754408661907416e+00,
    ];
    let low = 0.02425;
    let x = if p < low {
        let q = (-2.0 * p.ln()).sqrt();
        (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    } else if p <= 1.0 - low {
        let q = p - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    } else {
        let q = (-2.0 * (1.0 - p).ln()).sqrt();
        -(((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    };
    let e = cdf(x) - p;
    let u = e * SQRT_2PI * (0.5 * x * x).exp();
    x - u / (1.0 + 0.5 * x * u)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distribution_matches_tables() {
        assert!((cdf(0.0) - 0.5).abs() < 1e-15);
        assert!((cdf(1.96) - 0.975_002_104_851_780).abs() < 1e-13);
        assert!((cdf(-3.0) - 0.001_349_898_031_630_095).abs() < 1e-15);
    }

    #[test]
    fn quantile_inverts_the_distribution() {
        for p in [1e-6, 0.01, 0.1, 0.5, 0.9, 0.95, 0.98, 0.999_999] {
            assert!((cdf(quantile(p)) - p).abs() < 1e-13 * p.max(1e-3), "{p}");
        }
        assert!((quantile(0.95) - 1.644_853_626_951_472).abs() < 1e-12);
    }

    #[test]
    fn loss_function_at_one_is_the_textbook_value() {
        assert_eq!(format!("{:.6}", loss(1.0)), "0.083315");
    }
}
