//! Integration tests of tote-transport: the example carrier set, rating by
//! hand-worked examples, delivery dates and rate shopping, imports and the CLI.

mod cli;
mod customs;
mod documents;
mod fixture;
mod import;
mod label;
mod props;
mod rating;
mod render;
mod shop;

use tote_transport::cli::example_carriers;
use tote_transport::{CarrierSet, Length, Parcel, Weight};

pub fn dec(s: &str) -> rust_decimal::Decimal {
    s.parse().expect("test decimal literal")
}

pub fn parcel_in(dims: [&str; 3], lb: &str) -> Parcel {
    Parcel {
        dims: dims.map(|d| Length::from_in(dec(d)).expect("length")),
        weight: Weight::from_lb(dec(lb)).expect("weight"),
    }
}

pub fn example() -> CarrierSet {
    example_carriers()
}
