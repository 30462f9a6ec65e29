//! Results that carry their numerator and denominator, so every number on the
//! dashboard can be explained ("412 of 430 orders") and drilled into.

use rust_decimal::Decimal;

/// Whether a fact is being counted in or taken back out. A fact that changes (an
/// order that ships after it was placed) is retracted in its old form and observed
/// in its new one, so accumulators stay right without recomputation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sign {
    Observe,
    Retract,
}

impl Sign {
    pub fn count(self) -> i64 {
        match self {
            Sign::Observe => 1,
            Sign::Retract => -1,
        }
    }

    pub fn money(self, amount: Decimal) -> Decimal {
        match self {
            Sign::Observe => amount,
            Sign::Retract => -amount,
        }
    }
}

/// A ratio of counts (orders, units, locations, SKU-days).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CountRatio {
    pub numerator: i64,
    pub denominator: i64,
}

impl CountRatio {
    pub fn add(&mut self, numerator: i64, denominator: i64) {
        self.numerator += numerator;
        self.denominator += denominator;
    }

    pub fn merge(&mut self, other: &CountRatio) {
        self.add(other.numerator, other.denominator);
    }

    /// None when nothing was counted: "no orders shipped" is not "0 %".
    pub fn rate(&self) -> Option<f64> {
        (self.denominator != 0).then(|| self.numerator as f64 / self.denominator as f64)
    }
}

/// A ratio of money, or of money to a count (cost per order).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MoneyRatio {
    pub numerator: Decimal,
    pub denominator: Decimal,
}

impl MoneyRatio {
    pub fn merge(&mut self, other: &MoneyRatio) {
        self.numerator += other.numerator;
        self.denominator += other.denominator;
    }

    pub fn rate(&self) -> Option<Decimal> {
        (!self.denominator.is_zero()).then(|| self.numerator / self.denominator)
    }
}
