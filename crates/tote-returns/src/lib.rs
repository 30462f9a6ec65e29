//! tote-returns: the rules of a return, as plain functions.
//! Owns: reason codes, grades, return methods and dispositions; eligibility
//! (window, final sale, hazmat by parcel, returns per customer per period);
//! the refund of returned units (discount and shipping shares to the cent,
//! restocking fee); the disposition of an inspected unit and its recovery
//! value; return-rate statistics (abnormally high return rates).
//! Must not depend on: tote-store, tote-server, tote-oms, tokio, any clock or I/O.

pub mod analytics;
pub mod disposition;
pub mod eligibility;
pub mod policy;
pub mod refund;

pub use disposition::{Decision, Disposition, DispositionRules, RecoveryRules, UnitFacts};
pub use eligibility::{Refusal, RequestFacts, Rule, UnitRequest};
pub use policy::{Grade, Method, Policy, RefundTrigger, ReturnReason, ShippingRefund};
pub use refund::{PaidLine, PaidOrder, Refund, RefundLine, RefundUnits};

/// Microseconds in a day: days since delivery are whole days elapsed.
pub const DAY_US: i64 = 86_400_000_000;
