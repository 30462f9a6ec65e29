//! `tote bench sourcing`: myopic, look-ahead and clairvoyant sourcing on a
//! simulated network of 3 DCs and 30 stores (tote-sourcing's `sim`).

use tote_sourcing::sim::{PolicyReport, SimParams, run};

#[derive(clap::Args)]
pub struct SourcingArgs {
    /// Days of orders.
    #[arg(long, default_value_t = 90)]
    days: u32,
    #[arg(long, default_value_t = 120)]
    orders_per_day: u32,
    #[arg(long, default_value_t = 8)]
    skus: usize,
    /// Stock at the start over the units the orders will ask for.
    #[arg(long, default_value_t = 1.02)]
    stock_ratio: f64,
    /// Days between re-solving the look-ahead dual prices.
    #[arg(long, default_value_t = 1)]
    replan_days: u32,
    /// Multiplies the dual prices.
    #[arg(long, default_value_t = 1.0)]
    dual_weight: f64,
    #[arg(long, default_value_t = 7)]
    seed: u64,
}

fn row(r: &PolicyReport) -> String {
    let speed = if r.decisions_per_s > 0.0 {
        format!(
            "{:>10.0} {:>8.1} {:>8.1}",
            r.decisions_per_s, r.decision_us_p50, r.decision_us_p99
        )
    } else {
        format!("{:>10} {:>8} {:>8}", "-", "-", "-")
    };
    format!(
        "{:<15} {:>13.2} {:>9.4} {:>8.1} {:>9.1} {speed} {:>8.2}",
        r.name,
        r.cost_cents as f64 / 100.0,
        r.splits_per_order,
        r.late_orders,
        r.unfilled_units,
        r.solve_s
    )
}

pub fn sourcing(a: SourcingArgs) -> anyhow::Result<()> {
    if a.days == 0 || a.orders_per_day < 10 || a.skus == 0 || a.replan_days == 0 {
        return Err(super::bad_input(
            "--days, --skus and --replan-days must be at least 1, --orders-per-day at least 10",
        ));
    }
    // Written so that NaN fails too.
    if !(a.stock_ratio > 0.0 && a.stock_ratio <= 10.0 && (0.0..=10.0).contains(&a.dual_weight)) {
        return Err(super::bad_input(
            "--stock-ratio must be in (0, 10], --dual-weight in [0, 10]",
        ));
    }
    let p = SimParams {
        days: a.days,
        orders_per_day: a.orders_per_day,
        skus: a.skus,
        stock_ratio: a.stock_ratio,
        replan_days: a.replan_days,
        dual_weight: a.dual_weight,
        seed: a.seed,
    };
    let r = run(&p);
    println!(
        "network: {} nodes (3 DCs, 30 stores), {} orders over {} days, {} units asked, {} in stock at the start",
        r.nodes, r.orders, a.days, r.units, r.stock_units
    );
    println!(
        "{:<15} {:>13} {:>9} {:>8} {:>9} {:>10} {:>8} {:>8} {:>8}",
        "policy",
        "cost USD",
        "splits/o",
        "late",
        "unfilled",
        "decide/s",
        "p50 us",
        "p99 us",
        "solve s"
    );
    for rep in [&r.myopic, &r.look_ahead, &r.clairvoyant] {
        println!("{}", row(rep));
    }
    println!(
        "look-ahead closes {:.1}% of the gap between myopic and the clairvoyant LP",
        r.gap_closed_pct
    );
    Ok(())
}
