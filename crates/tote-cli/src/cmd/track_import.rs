//! `tote track import FILE.csv --server URL`: carrier tracking events into a
//! running server (`POST /v1/tracking/events`), a chunk of rows at a time.
//! Each row is applied or refused on its own; refused rows are reported by
//! their row in the file. Rows are sent in time order, so a file need not be
//! sorted: the server refuses an event older than one it already holds.

use crate::Exit;
use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use serde_json::Value;
use std::path::PathBuf;

/// Rows posted in one request (the server takes up to 10,000).
pub const TRACK_CHUNK_ROWS: usize = 500;

#[derive(clap::Args)]
pub struct Args {
    /// A CSV with the header `tracking,status,at,location,detail`.
    pub file: PathBuf,
    /// The tote server to post to.
    #[arg(long, default_value = "http://127.0.0.1:8080", env = "TOTE_SERVER")]
    pub server: String,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let bad_file =
        |e: &dyn std::fmt::Display| Exit::new(2, format!("{}: {e}", args.file.display()));
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_path(&args.file)
        .map_err(|e| bad_file(&e))?;
    let header = reader.headers().map_err(|e| bad_file(&e))?.clone();
    // Each record with the row it has in the file (the header is row 1).
    let mut records = Vec::new();
    for rec in reader.records() {
        let rec = rec.map_err(|e| bad_file(&e))?;
        let row = rec
            .position()
            .map(|p| p.line() as usize)
            .unwrap_or_default();
        records.push((row, rec));
    }
    // Time order across the whole file (a row whose time does not parse goes
    // first; the server names its problem).
    let at_column = header.iter().position(|h| h.trim() == "at");
    records.sort_by_key(|(_, rec)| {
        at_column
            .and_then(|i| rec.get(i))
            .and_then(|t| chrono::DateTime::parse_from_rfc3339(t.trim()).ok())
    });
    let client = reqwest::blocking::Client::new();
    let base = args.server.trim_end_matches('/').to_owned();
    let unreachable =
        |e: reqwest::Error| Exit::new(3, format!("cannot reach the server at {base}: {e}"));
    let bar = ProgressBar::new(records.len() as u64).with_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} events {per_sec} eta {eta}")
            .expect("template is valid"),
    );
    let (mut applied, mut refused) = (0usize, 0usize);
    for chunk in records.chunks(TRACK_CHUNK_ROWS) {
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(&header).context("write a chunk")?;
        for (_, rec) in chunk {
            w.write_record(rec).context("write a chunk")?;
        }
        let body = w.into_inner().context("write a chunk")?;
        let resp = client
            .post(format!("{base}/v1/tracking/events"))
            .header("content-type", "text/csv")
            .body(body)
            .send()
            .map_err(unreachable)?;
        let status = resp.status();
        let answer: Value = resp.json().unwrap_or(Value::Null);
        if !status.is_success() {
            bar.finish_and_clear();
            let detail = answer["errors"][0]["problem"]
                .as_str()
                .or(answer["detail"].as_str())
                .unwrap_or("no detail");
            return Err(Exit::new(2, format!("refused by the server ({status}): {detail}")).into());
        }
        for r in answer["rows"].as_array().into_iter().flatten() {
            if r["result"] == "applied" {
                applied += 1;
                continue;
            }
            refused += 1;
            // The server numbers a chunk's lines from its header: line 2 is
            // the chunk's first record.
            let line = r["row"].as_u64().unwrap_or(0) as usize;
            let row = line
                .checked_sub(2)
                .and_then(|i| chunk.get(i))
                .map(|(row, _)| *row)
                .unwrap_or(line);
            bar.suspend(|| {
                eprintln!(
                    "row {row}, {}: {}",
                    r["field"].as_str().unwrap_or("row"),
                    r["problem"].as_str().unwrap_or("refused")
                )
            });
        }
        bar.inc(chunk.len() as u64);
    }
    bar.finish_and_clear();
    crate::emit(&format!(
        "applied {applied} tracking events from {}; {refused} refused\n",
        args.file.display()
    ))
    .context("write the summary")?;
    if refused > 0 {
        return Err(Exit::new(1, format!("tracking events refused: {refused}")).into());
    }
    Ok(())
}
