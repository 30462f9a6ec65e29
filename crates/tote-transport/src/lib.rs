//! tote-transport: carriers, rate tables, rating, rate shopping, labels and customs.
//! Owns: what a parcel costs and when it arrives; label and customs documents.
//! Must not depend on: tote-store, tote-server, tokio, sqlx. Plain data in and out.
