//! Errors for callers: a rating miss the shop can explain, and input errors
//! whose Display is the whole message a user reads.

use crate::place::{Country, PostalCode};
use crate::units::WeightUnit;

/// Why a service cannot quote a parcel on a lane.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RateError {
    #[error("no zone from {origin_country} {origin_postal} to {dest_country} {dest_postal}")]
    NoZone {
        origin_country: Country,
        origin_postal: PostalCode,
        dest_country: Country,
        dest_postal: PostalCode,
    },
    #[error("no rate for zone {zone}")]
    NoRateForZone { zone: u16 },
    #[error("billable weight {billable} {unit} over the service maximum of {max} {unit}", unit = unit.as_str())]
    OverWeight {
        billable: u64,
        max: u64,
        unit: WeightUnit,
    },
    #[error("billable weight {billable} beyond the rate table's last band ({max})")]
    BeyondTable { billable: u64, max: u64 },
    #[error("no transit time for zone {zone}")]
    NoTransit { zone: u16 },
}

/// A problem at one cell of a table: the row is the line number in the file
/// (the header is row 1), the column its header name.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("row {row}, column `{column}`: {problem}")]
pub struct CellError {
    pub row: usize,
    pub column: String,
    pub problem: String,
}

impl CellError {
    pub fn new(row: usize, column: &str, problem: impl Into<String>) -> CellError {
        CellError {
            row,
            column: column.to_string(),
            problem: problem.into(),
        }
    }
}

/// Bad input from a user: a file, a request or a field. Nothing was changed.
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    #[error("{file}, {cell}")]
    Table { file: String, cell: CellError },
    #[error("{file}: {problem}")]
    File { file: String, problem: String },
    #[error("request: {0}")]
    Json(String),
    #[error("request field `{field}`: {problem}")]
    Field { field: String, problem: String },
}

impl InputError {
    pub fn field(field: &str, problem: impl Into<String>) -> InputError {
        InputError::Field {
            field: field.to_string(),
            problem: problem.into(),
        }
    }
    pub fn table(file: &str, cell: CellError) -> InputError {
        InputError::Table {
            file: file.to_string(),
            cell,
        }
    }
}
