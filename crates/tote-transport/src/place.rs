//! Countries, postal codes and lanes.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// An ISO 3166-1 alpha-2 country code ("US"), checked once when parsed.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Country([u8; 2]);

impl Country {
    pub fn parse(s: &str) -> Option<Country> {
        let b = s.trim().as_bytes();
        (b.len() == 2 && b.iter().all(u8::is_ascii_alphabetic))
            .then(|| Country([b[0].to_ascii_uppercase(), b[1].to_ascii_uppercase()]))
    }
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).expect("checked ASCII at parse")
    }
}

impl fmt::Display for Country {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
impl fmt::Debug for Country {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
impl Serialize for Country {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}
impl<'de> Deserialize<'de> for Country {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Country::parse(&s).ok_or_else(|| {
            serde::de::Error::custom(format!("`{s}` is not a two-letter country code"))
        })
    }
}

/// A postal code normalised once: upper case, no spaces or dashes, so that
/// prefix comparisons against zone charts and area lists are plain bytes.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct PostalCode(String);

impl PostalCode {
    pub fn parse(s: &str) -> Option<PostalCode> {
        let code: String = s
            .chars()
            .filter(|c| !matches!(c, ' ' | '-'))
            .map(|c| c.to_ascii_uppercase())
            .collect();
        (code.len() <= 12 && code.bytes().all(|b| b.is_ascii_alphanumeric()))
            .then_some(PostalCode(code))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
    /// The first `n` characters, or `None` when the code is shorter.
    pub fn prefix(&self, n: usize) -> Option<&str> {
        self.0.get(..n)
    }
}

impl fmt::Display for PostalCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
impl fmt::Debug for PostalCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.0)
    }
}
impl Serialize for PostalCode {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}
impl<'de> Deserialize<'de> for PostalCode {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        PostalCode::parse(&s)
            .ok_or_else(|| serde::de::Error::custom(format!("`{s}` is not a postal code")))
    }
}

/// A country and postal code: enough to find a zone.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Place {
    pub country: Country,
    pub postal: PostalCode,
}

/// Where a parcel goes from and to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lane {
    pub origin: Place,
    pub destination: Place,
    /// Delivery to a home rather than a business (the residential surcharge).
    #[serde(default)]
    pub residential: bool,
}

impl Lane {
    pub fn is_international(&self) -> bool {
        self.origin.country != self.destination.country
    }
}

/// A postal address as printed on labels and customs documents.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Address {
    pub name: String,
    #[serde(default)]
    pub company: Option<String>,
    pub lines: Vec<String>,
    pub city: String,
    #[serde(default)]
    pub region: String,
    pub postal: String,
    pub country: Country,
    #[serde(default)]
    pub phone: Option<String>,
}

impl Address {
    /// The lines as printed: name, company, street lines, city line, country.
    pub fn printed(&self) -> Vec<String> {
        let mut out = vec![self.name.clone()];
        out.extend(self.company.iter().cloned());
        out.extend(self.lines.iter().cloned());
        let region = if self.region.is_empty() {
            String::new()
        } else {
            format!(" {}", self.region)
        };
        out.push(format!("{}{region} {}", self.city, self.postal));
        out.push(self.country.to_string());
        out
    }
}
