//! tote-metrics: the one definition of every KPI in DOMAIN.md.
//! Owns: metric accumulators fed fact by fact, their cuts (node, channel, carrier,
//! 3PL, SKU) and periods, targets and trends.
//! Must not depend on: tote-store, tote-server, tokio, sqlx. Plain data in and out.
