//! tote-transport: carriers, rate tables, rating, rate shopping, labels and customs.
//! Owns: what a parcel costs and when it arrives; label and customs documents.
//! Must not depend on: tote-store, tote-server, tokio, sqlx. Plain data in and out.

pub mod adapter;
pub mod calendar;
pub mod cli;
pub mod code128;
pub mod customs;
pub mod error;
pub mod example;
pub mod gs1;
pub mod import;
pub mod invoice;
pub mod label;
pub mod manifest;
pub mod money;
pub mod pdfdoc;
pub mod place;
pub mod rates;
pub mod rating;
pub mod service;
pub mod shop;
pub mod surcharges;
pub mod tracking;
pub mod units;
pub mod zones;

pub use calendar::{WeekDays, WorkDays};
/// Node time zones, re-exported so callers need not depend on chrono-tz.
pub use chrono_tz::Tz;
pub use error::{CellError, InputError, RateError};
pub use money::{Currency, Money};
pub use place::{Address, Country, Lane, Place, PostalCode};
pub use rating::{Quote, quote};
pub use service::{CarrierSet, Service, ServiceKind};
pub use shop::{
    Delivery, Node, ShopRequest, ShopResult, delivery_date, earliest_delivery, rate_shop, ship_date,
};
pub use units::{BillableWeight, DimRule, Length, Parcel, Weight, WeightUnit};
pub use zones::{Zone, ZoneChart};

#[cfg(test)]
pub(crate) mod test_util {
    pub fn dec(s: &str) -> rust_decimal::Decimal {
        s.parse().expect("test decimal literal")
    }
}
