//! tote-cli: the `tote` binary.
//! Owns: the command line, reading the files users name, exit codes, progress bars.
//! Must not depend on: SQL. Everything it does goes through the other crates.
//!
//! Exit codes: 0 success; 1 the work ran and found problems (rows refused, checks
//! failed); 2 bad usage or bad input; 3 the server could not be reached; 70 an
//! internal failure.

mod cmd;

// Orders are built on request threads and freed on the writer's: mimalloc handles
// that cross-thread traffic far better than the system allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "tote",
    version,
    about = "Operations engine for e-commerce fulfilment"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the HTTP API on the embedded database.
    Serve(cmd::serve::Args),
    /// Import SKUs, nodes or locations from CSV into a running server.
    Import(cmd::import::Args),
    /// Measure throughput and latency.
    Bench(cmd::bench::Args),
    /// Re-source open orders on a running server (`--replan`).
    Source(cmd::source::Args),
    /// Build a simulated business from a seed, run weeks of it through the engine, serve it.
    Demo(cmd::demo::Args),
    #[command(flatten)]
    Transport(cmd::transport::Command),
    #[command(flatten)]
    Routing(cmd::routing::Command),
    #[command(flatten)]
    Planning(cmd::planning::Command),
    #[command(flatten)]
    Packing(cmd::packing::Command),
    /// Reports read from a data directory, such as the weekly operations review.
    #[command(subcommand)]
    Report(cmd::report::Command),
}

/// An error the user can act on, with the exit code it should end with.
#[derive(Debug)]
pub struct Exit {
    pub code: u8,
    pub message: String,
}

impl Exit {
    pub fn new(code: u8, message: impl Into<String>) -> Exit {
        Exit {
            code,
            message: message.into(),
        }
    }
}

impl std::fmt::Display for Exit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Exit {}

fn main() -> ExitCode {
    // No transparent huge pages: the writer and committer fault in fresh memory as
    // orders arrive, and zeroing a 2 MiB page on the spot stalled them by
    // milliseconds, which set the reservation latency's tail (see the README).
    #[cfg(target_os = "linux")]
    let _ = rustix::thread::disable_transparent_huge_pages(true);
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("TOTE_LOG")
                .unwrap_or_else(|_| "info".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Serve(a) => cmd::serve::run(a),
        Command::Import(a) => cmd::import::run(a),
        Command::Bench(a) => cmd::bench::run(a),
        Command::Source(a) => cmd::source::run(a),
        Command::Demo(a) => cmd::demo::run(a),
        Command::Transport(c) => cmd::transport::run(c),
        Command::Routing(c) => cmd::routing::run(c),
        Command::Planning(c) => cmd::planning::run(c),
        Command::Packing(c) => cmd::packing::run(c),
        Command::Report(c) => cmd::report::run(c),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            if let Some(exit) = e.downcast_ref::<Exit>() {
                eprintln!("tote: {exit}");
                ExitCode::from(exit.code)
            } else {
                eprintln!("tote: error: {e:#}");
                ExitCode::from(70)
            }
        }
    }
}

/// Writes a command's output; a closed pipe (`tote ... | head`) ends it quietly.
pub fn emit(text: &str) -> anyhow::Result<()> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        r => Ok(r?),
    }
}
