//! Money: a decimal amount in a currency named by its ISO 4217 code.

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// An ISO 4217 currency code, three ASCII capitals ("USD"). Checked once
/// when parsed, so it is `Copy` and never re-checked.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Currency([u8; 3]);

impl Currency {
    pub const USD: Currency = Currency(*b"USD");
    pub const EUR: Currency = Currency(*b"EUR");
    pub const GBP: Currency = Currency(*b"GBP");
    pub const CAD: Currency = Currency(*b"CAD");

    pub fn parse(s: &str) -> Option<Currency> {
        let b = s.as_bytes();
        if b.len() == 3 && b.iter().all(u8::is_ascii_uppercase) {
            Some(Currency([b[0], b[1], b[2]]))
        } else {
            None
        }
    }
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).expect("checked ASCII at parse")
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Currency {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Currency {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Currency::parse(&s).ok_or_else(|| {
            serde::de::Error::custom(format!("`{s}` is not a currency code like USD"))
        })
    }
}

/// An amount with its currency.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Money {
    pub amount: Decimal,
    pub currency: Currency,
}

impl Money {
    pub fn new(amount: Decimal, currency: Currency) -> Money {
        Money { amount, currency }
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.amount, self.currency)
    }
}

/// Rounds a charge to the cent, halves away from zero, as carriers invoice.
/// Always two decimal places, so amounts print as invoiced (`29.00`).
pub fn to_cents(amount: Decimal) -> Decimal {
    let mut cents = amount.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
    cents.rescale(2);
    cents
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util::dec;

    #[test]
    fn half_cents_round_away_from_zero() {
        assert_eq!(to_cents(dec("1.705")), dec("1.71"));
        assert_eq!(to_cents(dec("1.7049")), dec("1.70"));
        assert_eq!(to_cents(dec("2.715")), dec("2.72"));
        assert_eq!(to_cents(dec("29")).to_string(), "29.00");
    }

    #[test]
    fn currency_codes_are_three_capitals() {
        assert_eq!(Currency::parse("USD"), Some(Currency::USD));
        assert_eq!(Currency::parse("usd"), None);
        assert_eq!(Currency::parse("US"), None);
    }
}
