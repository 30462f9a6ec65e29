//! Black-box tests: the real `tote` binary, a real HTTP client, a database of its own.

mod api;
mod architecture;
mod bad_input;
mod commands;
mod concurrency;
mod dashboard;
mod demo;
mod durability;
mod import;
mod planning_api;
mod planning_live;
mod planning_pages;
mod returns;
mod server;
mod sourcing;
mod sourcing_live;
mod stateless_fuzz;
mod transport_api;
mod transport_live;
mod warehouse;
