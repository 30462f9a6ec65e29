//! tote-routing: picker routing and order batching in parallel-aisle warehouses.
//! Owns: walking distances on the aisle graph, exact and heuristic routes, batches.
//! Must not depend on: tote-store, tote-server, tokio, sqlx. Plain data in and out.
