//! Black-box tests: the real `tote` binary, a real HTTP client, a database of its own.

mod api;
mod architecture;
mod bad_input;
mod commands;
mod concurrency;
mod dashboard;
mod durability;
mod import;
mod planning_api;
mod planning_pages;
mod server;
mod sourcing;
mod stateless_fuzz;
mod transport_api;
mod warehouse;
