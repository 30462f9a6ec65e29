//! tote-packing: cartonization and dimensional weight.
//! Owns: choosing cartons for a set of units; billable weight per carrier rule.
//! Must not depend on: tote-store, tote-server, tokio, sqlx. Plain data in and out.
