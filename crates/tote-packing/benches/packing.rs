//! Packs BoxPacker's public efficiency set (4,288 real orders, four cartons) in
//! both modes and compares with BoxPacker's own totals from the same files.
//! Run: `cargo bench -p tote-packing --bench packing`.

use std::time::Instant;

use rayon::prelude::*;
use rust_decimal::Decimal;
use tote_packing::cartonize::{Objective, lower_bound_cartons, plan_order, to_result};
use tote_packing::check::violations;
use tote_packing::cost::{RateTable, ShippingCost, carton_total_cost};
use tote_packing::dim_weight::DimRule;
use tote_packing::model::{Carton, CartonId, ItemLine, Sku, units_of};
use tote_packing::study::{StudyOrder, study};

const DIR: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/benchmarks/boxpacker-efficiency"
);

const TIMING_RUNS: usize = 3;

struct Order {
    id: String,
    lines: Vec<ItemLine>,
}

fn num(s: &str) -> u32 {
    s.trim()
        .parse()
        .expect("benchmark files hold whole numbers")
}

/// BoxPacker's cartons for one order: (order id, kept flat, rotating freely).
type Expected = (String, u32, u32);

fn load() -> Option<(Vec<Carton>, Vec<Order>, Vec<Expected>)> {
    let boxes = std::fs::read_to_string(format!("{DIR}/boxes.csv")).ok()?;
    let items = std::fs::read_to_string(format!("{DIR}/items.csv")).ok()?;
    let expected = std::fs::read_to_string(format!("{DIR}/expected.csv")).ok()?;
    let cartons = boxes
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            Carton {
                id: CartonId(f[0].to_string()),
                outer_mm: [num(f[1]), num(f[2]), num(f[3])],
                empty_weight_g: num(f[4]),
                inner_mm: [num(f[5]), num(f[6]), num(f[7])],
                max_weight_g: num(f[8]),
                cost: Decimal::ZERO,
            }
        })
        .collect();
    let mut orders: Vec<Order> = Vec::new();
    for l in items.lines().filter(|l| !l.trim().is_empty()) {
        let f: Vec<&str> = l.split(',').collect();
        let line = ItemLine {
            sku: Sku(f[2].to_string()),
            dims_mm: [num(f[3]), num(f[4]), num(f[5])],
            weight_g: num(f[6]),
            qty: num(f[1]),
            keep_flat: false,
            ships_alone: false,
        };
        match orders.last_mut() {
            Some(o) if o.id == f[0] => o.lines.push(line),
            _ => orders.push(Order {
                id: f[0].to_string(),
                lines: vec![line],
            }),
        }
    }
    let expected = expected
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            (f[0].to_string(), num(f[1]), num(f[4]))
        })
        .collect();
    Some((cartons, orders, expected))
}

struct Outcome {
    cartons: usize,
    utilization_pct: f64,
    invalid: Vec<String>,
}

fn pack_one(cartons: &[Carton], lines: &[ItemLine]) -> Outcome {
    let units = units_of(lines);
    let plan = plan_order(cartons, &units, &Objective::FewestCartons);
    let result = to_result(cartons, lines, &units, &plan, DimRule::DAILY_139);
    let item_volume: u64 = units.iter().map(|u| u.volume_mm3()).sum();
    let inner: u64 = plan
        .cartons
        .iter()
        .map(|p| cartons[p.carton].inner_volume_mm3())
        .sum();
    Outcome {
        cartons: plan.cartons.len(),
        utilization_pct: 100.0 * item_volume as f64 / inner.max(1) as f64,
        invalid: violations(&result, cartons, lines),
    }
}

fn main() {
    let Some((cartons, mut orders, expected)) = load() else {
        println!("packing bench: benchmark data not found under {DIR}; nothing to do");
        return;
    };
    let threads = rayon::current_num_threads();
    println!(
        "packing bench: {} orders, {} carton types, BoxPacker efficiency set",
        orders.len(),
        cartons.len()
    );
    println!("command: cargo bench -p tote-packing --bench packing\n");
    let (bp_flat, bp_free): (u32, u32) =
        expected.iter().fold((0, 0), |(a, b), e| (a + e.1, b + e.2));
    for (mode, keep_flat, boxpacker) in [
        ("kept flat", true, bp_flat),
        ("rotating freely", false, bp_free),
    ] {
        for o in &mut orders {
            for l in &mut o.lines {
                l.keep_flat = keep_flat;
            }
        }
        let lower: usize = orders
            .iter()
            .map(|o| {
                let units = units_of(&o.lines);
                let v = units.iter().map(|u| u.volume_mm3()).sum();
                let w = units.iter().map(|u| u64::from(u.weight_g)).sum();
                lower_bound_cartons(&cartons, v, w)
            })
            .sum();
        let typed_per_order: Vec<usize> = orders
            .iter()
            .map(|o| tote_packing::lower_bound::typed(&cartons, &units_of(&o.lines)))
            .collect();
        let typed: usize = typed_per_order.iter().sum();
        // Validity and quality, every placement checked.
        let outcomes: Vec<Outcome> = orders
            .par_iter()
            .map(|o| pack_one(&cartons, &o.lines))
            .collect();
        let used: usize = outcomes.iter().map(|o| o.cartons).sum();
        let util = outcomes.iter().map(|o| o.utilization_pct).sum::<f64>() / outcomes.len() as f64;
        let invalid: Vec<&String> = outcomes.iter().flat_map(|o| &o.invalid).collect();
        let worse = orders
            .iter()
            .zip(&outcomes)
            .zip(&expected)
            .filter(|((_, o), e)| o.cartons as u32 > if keep_flat { e.1 } else { e.2 })
            .count();
        // A bound is only a bound if no order beats it, BoxPacker's included.
        let under_bound = outcomes
            .iter()
            .zip(&expected)
            .zip(&typed_per_order)
            .filter(|((o, e), b)| {
                o.cartons < **b || (if keep_flat { e.1 } else { e.2 }) < **b as u32
            })
            .count();
        // Speed: planning alone, one thread then all threads; the best of
        // TIMING_RUNS runs, since other work on the machine only slows a run.
        let plan_one = |o: &Order| {
            plan_order(&cartons, &units_of(&o.lines), &Objective::FewestCartons)
                .cartons
                .len()
        };
        let (mut seq_s, mut par_s) = (f64::MAX, f64::MAX);
        let (mut n_seq, mut n_par) = (0, 0);
        for _ in 0..TIMING_RUNS {
            let t = Instant::now();
            n_seq = orders.iter().map(plan_one).sum::<usize>();
            seq_s = seq_s.min(t.elapsed().as_secs_f64());
            let t = Instant::now();
            n_par = orders.par_iter().map(plan_one).sum::<usize>();
            par_s = par_s.min(t.elapsed().as_secs_f64());
        }
        assert_eq!(n_seq, n_par, "planning is deterministic");
        println!("== items {mode}");
        println!(
            "  cartons used        {used:>6}   BoxPacker {boxpacker:>6}   ratio {:.3}   lower bound {lower} (ratio {:.3}), typed bound {typed} (ratio {:.3})",
            used as f64 / f64::from(boxpacker),
            used as f64 / lower as f64,
            used as f64 / typed as f64
        );
        println!(
            "  orders worse than BoxPacker {worse}, invalid placements {}, orders under the typed bound (ours or BoxPacker's) {under_bound}",
            invalid.len()
        );
        println!(
            "  mean utilisation    {util:>5.1}%  (BoxPacker reports {})",
            if keep_flat { "33.5%" } else { "28.9%" }
        );
        println!(
            "  orders/second       {:>8.0} on 1 thread, {:>8.0} on {threads} threads (x{:.2})",
            orders.len() as f64 / seq_s,
            orders.len() as f64 / par_s,
            seq_s / par_s
        );
        for v in invalid.iter().take(5) {
            println!("  INVALID: {v}");
        }
        println!();
    }
    cost_mode(&cartons, &orders);
    study_mode(&cartons, &orders);
}

/// Total shipping of every order under `obj`, and any invalid placements.
fn shipping_total(
    cartons: &[Carton],
    orders: &[Order],
    obj: &Objective,
    rates: &RateTable,
) -> (Decimal, usize) {
    orders
        .par_iter()
        .map(|o| {
            let units = units_of(&o.lines);
            let plan = plan_order(cartons, &units, obj);
            let result = to_result(cartons, &o.lines, &units, &plan, rates.dim_rule());
            let bad = violations(&result, cartons, &o.lines).len();
            let cost: Decimal = plan
                .cartons
                .iter()
                .map(|c| {
                    let w = c
                        .placed
                        .iter()
                        .map(|p| u64::from(units[p.unit].weight_g))
                        .sum();
                    carton_total_cost(&cartons[c.carton], w, rates)
                        .expect("the rate table extends past its last step")
                })
                .sum();
            (cost, bad)
        })
        .reduce(|| (Decimal::ZERO, 0), |a, b| (a.0 + b.0, a.1 + b.1))
}

fn cost_mode(cartons: &[Carton], orders: &[Order]) {
    let rates = RateTable::illustrative();
    println!(
        "== least cost, items rotating freely (illustrative rates: 139 in^3/lb, 8.50 USD the first lb, 0.65 each further lb; cartons free)"
    );
    let (by_count, bad_count) = shipping_total(cartons, orders, &Objective::FewestCartons, &rates);
    let t = Instant::now();
    let (by_cost, bad_cost) =
        shipping_total(cartons, orders, &Objective::LeastCost(&rates), &rates);
    let secs = t.elapsed().as_secs_f64();
    println!("  shipping, fewest-cartons plans  {by_count:>10} USD");
    println!(
        "  shipping, least-cost plans      {by_cost:>10} USD   ratio {:.3}",
        f64::try_from(by_cost / by_count).unwrap_or(f64::NAN)
    );
    println!(
        "  invalid placements {}, least-cost orders/second {:.0} (checked, all threads)\n",
        bad_count + bad_cost,
        orders.len() as f64 / secs
    );
}

fn study_mode(cartons: &[Carton], orders: &[Order]) {
    let rates = RateTable::illustrative();
    let history: Vec<StudyOrder> = orders
        .iter()
        .map(|o| StudyOrder {
            order: o.id.clone(),
            items: o.lines.clone(),
        })
        .collect();
    for k in [2, 3] {
        let t = Instant::now();
        let report = study(&history, cartons, k, Some(cartons), &rates, "illustrative");
        let secs = t.elapsed().as_secs_f64();
        let chosen: Vec<&str> = report.chosen.cartons.iter().map(|c| c.0.as_str()).collect();
        let current = report.current.as_ref().expect("the current set was given");
        println!(
            "== carton-set study, k = {k} of the {} cartons, items rotating freely ({:.1} s)",
            cartons.len(),
            secs
        );
        println!(
            "  chosen {chosen:?}: {} USD, {} orders unshippable; all {}: {} USD; saving {} USD",
            report.chosen.total_cost.round_dp(2),
            report.chosen.orders_unshippable,
            cartons.len(),
            current.total_cost.round_dp(2),
            report.saving.unwrap_or_default().round_dp(2)
        );
    }
}
