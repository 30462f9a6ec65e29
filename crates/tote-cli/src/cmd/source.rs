//! `tote source --replan`: asks a running server to re-source its open,
//! unreleased orders and prints what moved and the saving.

use crate::Exit;
use serde_json::{Value, json};

#[derive(clap::Args)]
pub struct Args {
    /// Re-source open orders not yet released where a new plan is cheaper.
    #[arg(long)]
    pub replan: bool,
    /// Move an order only when it saves more than this many cents.
    #[arg(long, default_value_t = 100)]
    pub threshold_cents: i64,
    /// Only orders with backordered units.
    #[arg(long)]
    pub backordered_only: bool,
    /// Report what would move and move nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// The tote server.
    #[arg(long, default_value = "http://127.0.0.1:8080", env = "TOTE_SERVER")]
    pub server: String,
}

fn dollars(cents: i64) -> String {
    format!(
        "{}{}.{:02}",
        if cents < 0 { "-" } else { "" },
        cents.abs() / 100,
        cents.abs() % 100
    )
}

pub fn run(args: Args) -> anyhow::Result<()> {
    if !args.replan {
        return Err(Exit::new(2, "say what to do: --replan").into());
    }
    let base = args.server.trim_end_matches('/').to_owned();
    let r = reqwest::blocking::Client::new()
        .post(format!("{base}/v1/sourcing/replan"))
        .json(&json!({
            "threshold_cents": args.threshold_cents,
            "backordered_only": args.backordered_only,
            "dry_run": args.dry_run,
        }))
        .send()
        .map_err(|e| Exit::new(3, format!("cannot reach the server at {base}: {e}")))?;
    let status = r.status();
    let body: Value = r.json().unwrap_or(Value::Null);
    if !status.is_success() {
        let detail = body["errors"][0]["problem"]
            .as_str()
            .map(|p| format!("{}: {p}", body["errors"][0]["field"].as_str().unwrap_or("")))
            .or_else(|| body["detail"].as_str().map(str::to_owned))
            .unwrap_or_else(|| status.to_string());
        return Err(Exit::new(2, format!("the server refused the replan: {detail}")).into());
    }
    let moved = body["moved"].as_array().cloned().unwrap_or_default();
    let verb = if args.dry_run { "would move" } else { "moved" };
    println!(
        "{} open orders considered, {} {verb}, saving {} USD",
        body["considered"],
        moved.len(),
        dollars(body["saving_cents"].as_i64().unwrap_or(0))
    );
    println!(
        "{} plans weighed in {} ms, {}",
        body["plans"],
        body["solver_ms"],
        if body["exact"] == true {
            "optimal".to_owned()
        } else {
            format!("not optimal: {}", body["note"].as_str().unwrap_or(""))
        }
    );
    for m in &moved {
        let nodes = |v: &Value| {
            v.as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(Value::as_str)
                        .collect::<Vec<_>>()
                        .join("+")
                })
                .unwrap_or_default()
        };
        println!(
            "  {}: {} -> {}  {} -> {} USD, backordered {} -> {}",
            m["order"].as_str().unwrap_or(""),
            nodes(&m["from"]),
            nodes(&m["to"]),
            dollars(m["cost_before_cents"].as_i64().unwrap_or(0)),
            dollars(m["cost_after_cents"].as_i64().unwrap_or(0)),
            m["backordered_before"],
            m["backordered_after"],
        );
    }
    Ok(())
}
