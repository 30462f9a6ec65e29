//! tote-server: the HTTP API under `/v1`, its OpenAPI document, health and metrics.
//! Owns: the `/v1` JSON shapes, the one mapping of errors to RFC 9457 problem+json,
//! idempotency keys on the wire, request metrics, and starting the writer.
//! Must not depend on: SQL (only tote-store writes it). Reads go to the store's
//! committed state; every mutation goes through the single writer.

mod extract;
mod kpi;
mod metrics;
mod openapi;
mod pages;
mod problem;
mod routes;
mod serve;

pub use pages::render_dashboard_page;
pub use serve::{ServeConfig, serve};
