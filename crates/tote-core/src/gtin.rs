//! GS1 Global Trade Item Numbers, checked once at the edge.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A GTIN-8, -12, -13 or -14 whose check digit is right.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Gtin(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GtinError {
    #[error("must be 8, 12, 13 or 14 digits, got {0} characters")]
    Length(usize),
    #[error("must hold only digits")]
    NotDigits,
    #[error("check digit is {found}, should be {expected}")]
    CheckDigit { found: u8, expected: u8 },
}

impl Gtin {
    pub fn parse(s: &str) -> Result<Gtin, GtinError> {
        let len = s.len();
        if !matches!(len, 8 | 12 | 13 | 14) {
            return Err(GtinError::Length(s.chars().count()));
        }
        if !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(GtinError::NotDigits);
        }
        let digits: Vec<u8> = s.bytes().map(|b| b - b'0').collect();
        let (body, check) = digits.split_at(len - 1);
        let expected = check_digit(body);
        if check[0] != expected {
            return Err(GtinError::CheckDigit {
                found: check[0],
                expected,
            });
        }
        Ok(Gtin(s.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The GS1 mod-10 check digit: weights 3 and 1 alternate from the right.
pub fn check_digit(body: &[u8]) -> u8 {
    let sum: u32 = body
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &d)| u32::from(d) * if i % 2 == 0 { 3 } else { 1 })
        .sum();
    ((10 - sum % 10) % 10) as u8
}

impl TryFrom<String> for Gtin {
    type Error = GtinError;
    fn try_from(s: String) -> Result<Gtin, GtinError> {
        Gtin::parse(&s)
    }
}

impl From<Gtin> for String {
    fn from(g: Gtin) -> String {
        g.0
    }
}

impl fmt::Display for Gtin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn gtin_accepts_known_good_numbers() {
        for s in [
            "4006381333931",
            "96385074",
            "036000291452",
            "10614141000415",
        ] {
            assert!(Gtin::parse(s).is_ok(), "{s}");
        }
    }

    #[test]
    fn gtin_names_the_expected_check_digit() {
        assert_eq!(
            Gtin::parse("4006381333932"),
            Err(GtinError::CheckDigit {
                found: 2,
                expected: 1
            })
        );
    }

    #[test]
    fn gtin_refuses_wrong_lengths_and_letters() {
        assert_eq!(Gtin::parse("123"), Err(GtinError::Length(3)));
        assert_eq!(Gtin::parse("40063813339A1"), Err(GtinError::NotDigits));
    }

    proptest! {
        #[test]
        fn any_single_digit_error_is_detected(body in proptest::collection::vec(0u8..10, 12), pos in 0usize..13, delta in 1u8..10) {
            let mut digits = body.clone();
            digits.push(check_digit(&body));
            let good: String = digits.iter().map(|d| char::from(b'0' + d)).collect();
            prop_assert!(Gtin::parse(&good).is_ok());
            digits[pos] = (digits[pos] + delta) % 10;
            let bad: String = digits.iter().map(|d| char::from(b'0' + d)).collect();
            prop_assert!(Gtin::parse(&bad).is_err());
        }
    }
}
