//! Integration tests of tote-packing: the CLI entry points as the binary calls
//! them, the validity checker, and the packer run through the checker on
//! random orders.

mod checker;
mod cli;
mod packer;
mod properties;
