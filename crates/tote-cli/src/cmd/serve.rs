//! `tote serve`.

use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct Args {
    /// Where the embedded database lives.
    #[arg(long, default_value = "./tote-data", env = "TOTE_DATA")]
    pub data: PathBuf,
    /// Address to listen on; port 0 picks a free port (the address is printed).
    #[arg(long, default_value = "127.0.0.1:8080", env = "TOTE_LISTEN")]
    pub listen: SocketAddr,
    /// A directory of carrier tables (see `tote carriers import`) for the
    /// rating API; the example carriers when absent.
    #[arg(long, env = "TOTE_CARRIERS")]
    pub carriers: Option<PathBuf>,
    /// Your GS1 company prefix (7 to 10 digits): the SSCCs on carton labels are
    /// numbered under it. GS1's example prefix, 0614141, when absent.
    #[arg(long, env = "TOTE_GS1_COMPANY_PREFIX")]
    pub gs1_company_prefix: Option<String>,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    // Read and checked here, before the books open: a bad table is bad input
    // (exit 2) named by file, row and column.
    let carriers = match &args.carriers {
        Some(dir) => Some(
            tote_transport::cli::load_carriers(dir)
                .map_err(|e| super::bad_input(format!("--carriers {}: {e}", dir.display())))?,
        ),
        None => None,
    };
    if let Some(prefix) = &args.gs1_company_prefix {
        tote_transport::gs1::Sscc::new(0, prefix, 0)
            .map_err(|e| super::bad_input(format!("--gs1-company-prefix: {e}")))?;
    }
    let rt = tokio::runtime::Runtime::new()?;
    rt.block_on(tote_server::serve(tote_server::ServeConfig {
        data: args.data,
        listen: args.listen,
        carriers,
        sscc_company_prefix: args.gs1_company_prefix,
    }))
}
