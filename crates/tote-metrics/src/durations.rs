//! Median and 90th percentile of durations (cycle time, click-to-door,
//! dock-to-stock, return-to-sell), mergeable across days and cuts.
//!
//! Method: while a sketch holds at most `EXACT_SAMPLES_MAX` durations it keeps them
//! all, sorted, and answers exactly (nearest rank: the p-quantile of n values is the
//! ceil(p * n)-th smallest). It always also keeps a log-linear histogram (128
//! sub-buckets per power of two of microseconds, as HDR histograms do), and answers
//! from it once there are more: the answer is the lower edge of the bucket holding
//! that rank, at most 1/128 (0.8 %) below the exact value. Both parts are sums, so
//! merging two sketches equals observing all their durations into one.

use std::collections::BTreeMap;

use crate::ratio::Sign;

/// Above this many durations a sketch answers from its histogram.
pub const EXACT_SAMPLES_MAX: usize = 256;
const SUB_BITS: u32 = 7;
const SUB_BUCKETS: u64 = 1 << SUB_BITS;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DurationSketch {
    count: i64,
    sum_us: i128,
    /// All durations, sorted, while `exact_complete`.
    exact: Vec<i64>,
    exact_complete: bool,
    /// Bucket index to count; zero counts are removed so equal contents compare equal.
    buckets: BTreeMap<u16, i64>,
}

impl Default for DurationSketch {
    fn default() -> DurationSketch {
        DurationSketch {
            count: 0,
            sum_us: 0,
            exact: Vec::new(),
            exact_complete: true,
            buckets: BTreeMap::new(),
        }
    }
}

/// The answer of a sketch: how many durations and their middle and tail.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Durations {
    pub count: i64,
    pub p50_us: Option<i64>,
    pub p90_us: Option<i64>,
    pub mean_us: Option<i64>,
    /// True when p50 and p90 are exact rather than within 0.8 % below.
    pub exact: bool,
}

impl DurationSketch {
    /// Negative durations (a clock set wrong at a node) count as zero.
    pub fn apply(&mut self, duration_us: i64, sign: Sign) {
        let value = duration_us.max(0);
        let index = bucket_of(value);
        let entry = self.buckets.entry(index).or_insert(0);
        *entry += sign.count();
        assert!(
            *entry >= 0,
            "retracted a duration of {value} us never observed"
        );
        if *entry == 0 {
            self.buckets.remove(&index);
        }
        self.count += sign.count();
        self.sum_us += i128::from(value) * i128::from(sign.count());
        if !self.exact_complete {
            return;
        }
        match sign {
            Sign::Observe => {
                if self.exact.len() == EXACT_SAMPLES_MAX {
                    self.exact_complete = false;
                    self.exact = Vec::new();
                } else {
                    let at = self.exact.partition_point(|&v| v < value);
                    self.exact.insert(at, value);
                }
            }
            Sign::Retract => {
                let at = self.exact.partition_point(|&v| v < value);
                assert_eq!(
                    self.exact.get(at),
                    Some(&value),
                    "retracted an unseen duration"
                );
                self.exact.remove(at);
            }
        }
    }

    pub fn merge(&mut self, other: &DurationSketch) {
        for (&index, &count) in &other.buckets {
            let entry = self.buckets.entry(index).or_insert(0);
            *entry += count;
            if *entry == 0 {
                self.buckets.remove(&index);
            }
        }
        self.count += other.count;
        self.sum_us += other.sum_us;
        let fits = self.exact.len() + other.exact.len() <= EXACT_SAMPLES_MAX;
        if self.exact_complete && other.exact_complete && fits {
            let mut merged = Vec::with_capacity(self.exact.len() + other.exact.len());
            let (mut a, mut b) = (self.exact.iter().peekable(), other.exact.iter().peekable());
            while let (Some(&&x), Some(&&y)) = (a.peek(), b.peek()) {
                if x <= y {
                    merged.push(x);
                    a.next();
                } else {
                    merged.push(y);
                    b.next();
                }
            }
            merged.extend(a);
            merged.extend(b);
            self.exact = merged;
        } else {
            self.exact_complete = false;
            self.exact = Vec::new();
        }
    }

    pub fn count(&self) -> i64 {
        self.count
    }

    /// The nearest-rank `p`-quantile (0 < p ≤ 1), None when empty.
    pub fn quantile_us(&self, p: f64) -> Option<i64> {
        assert!(p > 0.0 && p <= 1.0, "quantile {p} outside (0, 1]");
        if self.count <= 0 {
            return None;
        }
        let rank = ((p * self.count as f64).ceil() as i64).clamp(1, self.count);
        if self.exact_complete {
            return Some(self.exact[(rank - 1) as usize]);
        }
        let mut seen = 0;
        for (&index, &count) in &self.buckets {
            seen += count;
            if seen >= rank {
                return Some(lower_edge(index));
            }
        }
        unreachable!("bucket counts sum to count")
    }

    pub fn value(&self) -> Durations {
        Durations {
            count: self.count,
            p50_us: self.quantile_us(0.5),
            p90_us: self.quantile_us(0.9),
            mean_us: (self.count > 0).then(|| (self.sum_us / i128::from(self.count)) as i64),
            exact: self.exact_complete,
        }
    }
}

fn bucket_of(value: i64) -> u16 {
    let v = value as u64;
    if v < 2 * SUB_BUCKETS {
        return v as u16;
    }
    let exponent = 63 - v.leading_zeros();
    let shift = exponent - SUB_BITS;
    let mantissa = v >> shift;
    (2 * SUB_BUCKETS + u64::from(shift - 1) * SUB_BUCKETS + (mantissa - SUB_BUCKETS)) as u16
}

fn lower_edge(index: u16) -> i64 {
    let index = u64::from(index);
    if index < 2 * SUB_BUCKETS {
        return index as i64;
    }
    let shift = (index - 2 * SUB_BUCKETS) / SUB_BUCKETS + 1;
    let mantissa = (index - 2 * SUB_BUCKETS) % SUB_BUCKETS + SUB_BUCKETS;
    (mantissa << shift) as i64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sketch(values: impl IntoIterator<Item = i64>) -> DurationSketch {
        let mut s = DurationSketch::default();
        for v in values {
            s.apply(v, Sign::Observe);
        }
        s
    }

    #[test]
    fn median_of_an_even_count_is_the_lower_middle_by_nearest_rank() {
        let s = sketch([40, 10, 30, 20]);
        assert_eq!(s.quantile_us(0.5), Some(20));
        assert_eq!(s.quantile_us(0.9), Some(40));
    }

    #[test]
    fn bucket_lower_edge_is_within_one_128th_below_the_value() {
        for v in [
            0,
            1,
            255,
            256,
            257,
            1_000,
            3_600_000_000,
            86_400_000_000 * 30,
            i64::MAX,
        ] {
            let edge = lower_edge(bucket_of(v));
            assert!(edge <= v, "{edge} > {v}");
            assert!(
                (v - edge) as f64 <= v as f64 / 128.0,
                "{edge} too far below {v}"
            );
        }
    }

    #[test]
    fn beyond_the_exact_limit_quantiles_come_from_the_histogram() {
        let s = sketch((1..=1_000).map(|i| i * 1_000_000));
        let d = s.value();
        assert!(!d.exact);
        let p50 = d.p50_us.expect("not empty");
        assert!(p50 <= 500_000_000 && p50 as f64 >= 500_000_000.0 * (1.0 - 1.0 / 128.0));
    }

    #[test]
    fn retracting_a_duration_takes_it_back_out() {
        let mut s = sketch([5, 7, 9]);
        s.apply(7, Sign::Retract);
        assert_eq!(s, sketch([5, 9]));
    }
}
