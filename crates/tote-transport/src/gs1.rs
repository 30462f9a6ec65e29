//! GS1 identifiers: the mod-10 check digit, GTINs and SSCC-18 carton codes.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// GS1 mod-10 check digit of `digits` (the payload without its check
/// digit): weights 3 and 1 alternate from the rightmost digit, and the check
/// digit brings the sum to a multiple of ten. `None` if not all digits.
pub fn check_digit(digits: &str) -> Option<u8> {
    let mut sum = 0u32;
    for (i, b) in digits.bytes().rev().enumerate() {
        if !b.is_ascii_digit() {
            return None;
        }
        let d = (b - b'0') as u32;
        sum += if i % 2 == 0 { 3 * d } else { d };
    }
    Some(((10 - sum % 10) % 10) as u8)
}

fn last_digit_checks(s: &str) -> bool {
    let (payload, check) = s.split_at(s.len() - 1);
    check_digit(payload).is_some_and(|c| check.as_bytes()[0] == b'0' + c)
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Gs1Error {
    #[error("`{0}` must be {1} digits")]
    Length(String, &'static str),
    #[error("`{0}` has a wrong check digit (expected {1})")]
    CheckDigit(String, u8),
    #[error("company prefix `{0}` must be 7 to 10 digits")]
    CompanyPrefix(String),
    #[error("serial {serial} does not fit in {digits} digits after company prefix {prefix}")]
    Serial {
        serial: u64,
        digits: usize,
        prefix: String,
    },
    #[error("extension digit {0} must be 0 to 9")]
    Extension(u8),
}

/// A GTIN-8, -12, -13 or -14 with a verified check digit, held as 14 digits.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Gtin([u8; 14]);

impl Gtin {
    pub fn parse(s: &str) -> Result<Gtin, Gs1Error> {
        let s = s.trim();
        if !matches!(s.len(), 8 | 12 | 13 | 14) || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(Gs1Error::Length(s.into(), "8, 12, 13 or 14"));
        }
        if !last_digit_checks(s) {
            let expected = check_digit(&s[..s.len() - 1]).expect("all digits");
            return Err(Gs1Error::CheckDigit(s.into(), expected));
        }
        let mut out = [b'0'; 14];
        out[14 - s.len()..].copy_from_slice(s.as_bytes());
        Ok(Gtin(out))
    }
    /// The 14-digit form (GTIN-14, leading zeros).
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).expect("digits")
    }
}

impl fmt::Display for Gtin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
impl fmt::Debug for Gtin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Gtin({})", self.as_str())
    }
}

/// A Serial Shipping Container Code: extension digit, GS1 company prefix,
/// serial reference and check digit, 18 digits in all. Printed on a carton
/// as GS1-128 with application identifier (00).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Sscc([u8; 18]);

/// GS1's example company prefix, used in its own documentation: what tote
/// numbers cartons under until a shop gives its own.
pub const EXAMPLE_COMPANY_PREFIX: &str = "0614141";

impl Sscc {
    /// Builds the SSCC for the `serial`-th carton of a company: the serial
    /// fills the digits the company prefix leaves (16 minus its length).
    pub fn new(extension: u8, company_prefix: &str, serial: u64) -> Result<Sscc, Gs1Error> {
        if extension > 9 {
            return Err(Gs1Error::Extension(extension));
        }
        if !(7..=10).contains(&company_prefix.len())
            || !company_prefix.bytes().all(|b| b.is_ascii_digit())
        {
            return Err(Gs1Error::CompanyPrefix(company_prefix.into()));
        }
        let digits = 16 - company_prefix.len();
        let serial_text = format!("{serial:0digits$}");
        if serial_text.len() > digits {
            return Err(Gs1Error::Serial {
                serial,
                digits,
                prefix: company_prefix.into(),
            });
        }
        let payload = format!("{extension}{company_prefix}{serial_text}");
        let check = check_digit(&payload).expect("all digits");
        let mut out = [0u8; 18];
        out[..17].copy_from_slice(payload.as_bytes());
        out[17] = b'0' + check;
        Ok(Sscc(out))
    }

    pub fn parse(s: &str) -> Result<Sscc, Gs1Error> {
        let s = s.trim();
        if s.len() != 18 || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(Gs1Error::Length(s.into(), "18"));
        }
        if !last_digit_checks(s) {
            return Err(Gs1Error::CheckDigit(
                s.into(),
                check_digit(&s[..17]).expect("all digits"),
            ));
        }
        let mut out = [0u8; 18];
        out.copy_from_slice(s.as_bytes());
        Ok(Sscc(out))
    }

    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).expect("digits")
    }

    /// The GS1-128 element string: application identifier 00 then the code.
    pub fn element_string(&self) -> String {
        format!("00{}", self.as_str())
    }

    /// As printed under the barcode: `(00) 1 0614141 123456789 0`, the serial
    /// part shown as one group since the prefix length is not recorded.
    pub fn human_readable(&self) -> String {
        let s = self.as_str();
        format!("(00) {} {} {}", &s[..1], &s[1..17], &s[17..])
    }
}

impl fmt::Display for Sscc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
impl fmt::Debug for Sscc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Sscc({})", self.as_str())
    }
}
impl Serialize for Sscc {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}
impl<'de> Deserialize<'de> for Sscc {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Sscc::parse(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_digit_by_hand() {
        // 400638133393?: from the right 3,9,3,3,3,1,8,3,6,0,0,4 weighted 3,1,...
        // 9+9+9+3+9+1+24+3+18+0+0+4 = 89 -> check 1.
        assert_eq!(check_digit("400638133393"), Some(1));
        // UPC-A 03600029145?: from the right 5,4,1,9,2,0,0,0,6,3,0 weighted 3,1,...:
        // 15+4+3+9+6+0+0+0+18+3+0 = 58 -> check 2.
        assert_eq!(check_digit("03600029145"), Some(2));
        assert_eq!(check_digit("12a"), None);
    }

    #[test]
    fn gtin_with_wrong_check_digit_is_refused() {
        assert!(Gtin::parse("4006381333931").is_ok());
        assert_eq!(
            Gtin::parse("036000291452").expect("upc").as_str(),
            "00036000291452"
        );
        assert_eq!(
            Gtin::parse("4006381333932").expect_err("bad").to_string(),
            "`4006381333932` has a wrong check digit (expected 1)"
        );
        assert!(Gtin::parse("40063813339").is_err());
    }

    #[test]
    fn sscc_check_digit_by_hand() {
        // Payload 1 0614141 123456789 (17 digits): from the right
        // 9,8,7,6,5,4,3,2,1,1,4,1,4,1,6,0,1 weighted 3,1,3,1...:
        // 27+8+21+6+15+4+9+2+3+1+12+1+12+1+18+0+3 = 143 -> check 7.
        let s = Sscc::new(1, "0614141", 123_456_789).expect("sscc");
        assert_eq!(s.as_str(), "106141411234567897");
        assert_eq!(s.element_string(), "00106141411234567897");
        assert_eq!(s.human_readable(), "(00) 1 0614141123456789 7");
        assert_eq!(Sscc::parse("106141411234567897"), Ok(s));
        assert!(matches!(
            Sscc::parse("106141411234567890"),
            Err(Gs1Error::CheckDigit(_, 7))
        ));
    }

    #[test]
    fn sscc_serial_must_fit_after_the_company_prefix() {
        // A 10-digit prefix leaves 6 serial digits.
        assert!(Sscc::new(0, "0614141999", 999_999).is_ok());
        assert!(matches!(
            Sscc::new(0, "0614141999", 1_000_000),
            Err(Gs1Error::Serial { digits: 6, .. })
        ));
        assert!(Sscc::new(0, "06141", 1).is_err());
    }
}
