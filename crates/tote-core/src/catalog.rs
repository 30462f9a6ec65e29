//! The catalog (SKUs) and the network (nodes and their locations).

use crate::gtin::Gtin;
use crate::ids::{LocationId, NodeId, OrgId, SkuId};
use crate::limits::{DIM_MM_MAX, WEIGHT_G_MAX};
use crate::qty::Money;
use crate::validate::{Checker, Invalid};
use serde::{Deserialize, Serialize};

/// What a client sends to create or replace a SKU.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SkuInput {
    /// The SKU code, unique in the organisation.
    pub sku: String,
    pub name: String,
    /// GTIN-8, -12, -13 or -14; the check digit is verified.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub gtin: Option<Gtin>,
    pub weight_g: u32,
    /// Length, width, height in millimetres.
    pub dims_mm: [u32; 3],
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "4.10"))]
    pub unit_cost: Money,
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "19.00"))]
    pub price: Money,
    /// Harmonized System code for customs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hs_code: Option<String>,
    /// ISO 3166-1 alpha-2 country of origin.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country_of_origin: Option<String>,
    /// UN number of the dangerous good, such as `UN3481`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hazmat_un: Option<String>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub ships_alone: bool,
    #[serde(default, skip_serializing_if = "is_false")]
    pub fragile: bool,
    /// The merchandise category (`apparel`, `books`...), which return
    /// policies and disposition rules read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
}

fn is_false(b: &bool) -> bool {
    !b
}

impl SkuInput {
    pub fn validate(&self) -> Result<(), Invalid> {
        let mut c = Checker::new();
        c.code("sku", &self.sku);
        c.text("name", &self.name);
        if self.weight_g > WEIGHT_G_MAX {
            c.fail("weight_g", format!("must be at most {WEIGHT_G_MAX}"));
        }
        for (i, d) in self.dims_mm.iter().enumerate() {
            if *d == 0 {
                c.fail(format!("dims_mm[{i}]"), "must be at least 1");
            } else if *d > DIM_MM_MAX {
                c.fail(
                    format!("dims_mm[{i}]"),
                    format!("must be at most {DIM_MM_MAX}"),
                );
            }
        }
        c.money("unit_cost", self.unit_cost);
        c.money("price", self.price);
        if let Some(hs) = &self.hs_code {
            let digits = hs.chars().filter(|ch| *ch != '.').collect::<String>();
            if !(6..=10).contains(&digits.len()) || !digits.bytes().all(|b| b.is_ascii_digit()) {
                c.fail("hs_code", "must be 6 to 10 digits, dots allowed");
            }
        }
        if let Some(country) = &self.country_of_origin {
            check_country(&mut c, "country_of_origin", country);
        }
        if let Some(cat) = &self.category {
            c.code("category", cat);
        }
        if let Some(un) = &self.hazmat_un {
            let ok = un.len() == 6
                && un.starts_with("UN")
                && un[2..].bytes().all(|b| b.is_ascii_digit());
            if !ok {
                c.fail("hazmat_un", "must be `UN` and four digits, such as UN3481");
            }
        }
        c.finish()
    }
}

fn check_country(c: &mut Checker, field: &str, country: &str) {
    if country.len() != 2 || !country.bytes().all(|b| b.is_ascii_uppercase()) {
        c.fail(field, "must be an ISO 3166-1 alpha-2 code such as US");
    }
}

/// A SKU as stored.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Sku {
    pub id: SkuId,
    pub org: OrgId,
    #[serde(flatten)]
    pub input: SkuInput,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum NodeKind {
    Dc,
    Store,
    #[serde(rename = "3pl")]
    ThirdParty,
    DropShip,
}

impl NodeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            NodeKind::Dc => "dc",
            NodeKind::Store => "store",
            NodeKind::ThirdParty => "3pl",
            NodeKind::DropShip => "drop_ship",
        }
    }
}

/// A postal address.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Address {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub line1: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line2: Option<String>,
    pub city: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    pub postal_code: String,
    /// ISO 3166-1 alpha-2.
    pub country: String,
}

impl Address {
    pub fn check(&self, c: &mut Checker, prefix: &str) {
        c.optional_text((prefix, "name"), self.name.as_deref());
        c.text((prefix, "line1"), &self.line1);
        c.optional_text((prefix, "line2"), self.line2.as_deref());
        c.text((prefix, "city"), &self.city);
        c.optional_text((prefix, "region"), self.region.as_deref());
        c.text((prefix, "postal_code"), &self.postal_code);
        if self.country.len() != 2 || !self.country.bytes().all(|b| b.is_ascii_uppercase()) {
            check_country(c, &format!("{prefix}.country"), &self.country);
        }
    }
}

/// What a client sends to create or replace a node.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NodeInput {
    pub code: String,
    pub kind: NodeKind,
    pub name: String,
    /// Lower fulfils first when sourcing.
    #[serde(default)]
    pub priority: u32,
    pub address: Address,
    /// IANA time zone, such as `America/New_York`.
    #[serde(default = "default_time_zone")]
    pub time_zone: String,
    /// Daily order cut-off in the node's local time, `HH:MM`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cut_off: Option<String>,
}

fn default_time_zone() -> String {
    "UTC".into()
}

impl NodeInput {
    pub fn validate(&self) -> Result<(), Invalid> {
        let mut c = Checker::new();
        c.code("code", &self.code);
        c.text("name", &self.name);
        self.address.check(&mut c, "address");
        if self.time_zone.parse::<chrono_tz::Tz>().is_err() {
            c.fail(
                "time_zone",
                format!("`{}` is not an IANA time zone", self.time_zone),
            );
        }
        if let Some(cut) = &self.cut_off
            && chrono::NaiveTime::parse_from_str(cut, "%H:%M").is_err()
        {
            c.fail("cut_off", "must be a time of day as HH:MM");
        }
        c.finish()
    }
}

/// A node as stored.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Node {
    pub id: NodeId,
    pub org: OrgId,
    #[serde(flatten)]
    pub input: NodeInput,
}

/// The code of the location every node has, where receipts land without one.
pub const RECEIVING_LOCATION: &str = "RECEIVING";

/// What a client sends to create a location inside a node.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct LocationInput {
    /// The node's code.
    pub node: String,
    /// The location's code, unique in its node, such as `A-03-02-1`.
    pub code: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aisle: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bay: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<u32>,
}

impl LocationInput {
    pub fn validate(&self) -> Result<(), Invalid> {
        let mut c = Checker::new();
        c.code("node", &self.node);
        c.code("code", &self.code);
        if let Some(z) = &self.zone {
            c.code("zone", z);
        }
        c.finish()
    }
}

/// A location as stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Location {
    pub id: LocationId,
    pub org: OrgId,
    pub node_id: NodeId,
    #[serde(flatten)]
    pub input: LocationInput,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tee() -> SkuInput {
        serde_json::from_str(
            r#"{"sku":"TEE-M","name":"Tee M","weight_g":180,"dims_mm":[300,220,20],"unit_cost":"4.10","price":"19.00"}"#,
        )
        .unwrap()
    }

    #[test]
    fn sku_from_the_contract_example_is_valid() {
        assert_eq!(tee().validate(), Ok(()));
    }

    #[test]
    fn sku_with_zero_dimension_names_the_index() {
        let mut s = tee();
        s.dims_mm[1] = 0;
        assert_eq!(
            s.validate().unwrap_err().to_string(),
            "dims_mm[1]: must be at least 1"
        );
    }

    #[test]
    fn sku_refuses_unknown_fields() {
        let err = serde_json::from_str::<SkuInput>(
            r#"{"sku":"A","name":"A","weight_g":1,"dims_mm":[1,1,1],"unit_cost":"1","price":"1","colour":"red"}"#,
        )
        .unwrap_err();
        assert!(err.to_string().contains("unknown field `colour`"), "{err}");
    }

    #[test]
    fn node_refuses_unknown_time_zone_and_bad_cut_off() {
        let mut n: NodeInput = serde_json::from_str(
            r#"{"code":"DC1","kind":"dc","name":"East DC","priority":1,"address":{"line1":"1 Main St","city":"Newark","region":"NJ","postal_code":"07102","country":"US"}}"#,
        )
        .unwrap();
        assert_eq!(n.validate(), Ok(()));
        n.time_zone = "Mars/Olympus".into();
        n.cut_off = Some("25:00".into());
        let err = n.validate().unwrap_err().to_string();
        assert!(
            err.contains("time_zone") && err.contains("cut_off"),
            "{err}"
        );
    }
}
