//! Integration tests of tote-routing: exactness against exhaustive search,
//! the heuristics' walks, batching and the JSON layer.

mod batching;
mod cli;
mod exactness;
mod heuristics;
mod support;
