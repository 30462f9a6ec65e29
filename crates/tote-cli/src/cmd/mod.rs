pub mod bench;
pub mod bench_dashboard;
pub mod bench_sourcing;
pub mod bench_wave;
pub mod demo;
pub mod import;
pub mod packing;
pub mod planning;
pub mod report;
pub mod routing;
pub mod serve;
pub mod source;
pub mod track_import;
pub mod transport;

use crate::Exit;
use std::path::{Path, PathBuf};

/// Reads a file the user named; a missing or unreadable file is bad input (exit 2).
pub fn read_text(path: &Path) -> anyhow::Result<String> {
    std::fs::read_to_string(path)
        .map_err(|e| Exit::new(2, format!("cannot read {}: {e}", path.display())).into())
}

/// Bad input found by a pure crate: its message names the field or row (exit 2).
pub fn bad_input(e: impl std::fmt::Display) -> anyhow::Error {
    Exit::new(2, e.to_string()).into()
}

/// Writes bytes to `out`, or to standard output when none is given.
pub fn write_out(out: Option<&PathBuf>, bytes: &[u8]) -> anyhow::Result<()> {
    match out {
        Some(p) => std::fs::write(p, bytes)
            .map_err(|e| Exit::new(2, format!("cannot write {}: {e}", p.display())).into()),
        None => {
            use std::io::Write;
            let mut o = std::io::stdout().lock();
            match o.write_all(bytes).and_then(|()| o.flush()) {
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                r => Ok(r?),
            }
        }
    }
}
