//! Integration tests of tote-planning: the CLI entry points as the binary
//! calls them, and the inventory formulas against published answers.

mod cli;
mod inventory_reference;
mod labor;
mod peak;
mod properties;
