//! Forecast accuracy and speed on the Australian retail and tourism sets.
//!
//! `cargo bench -p tote-planning --bench forecast` forecasts each set from its
//! train file through `cli::forecast` (the code path of `tote forecast`),
//! scores against the test file (mean MASE and sMAPE over series, M4
//! definitions, and 80% interval coverage), and prints the figures next to
//! statsforecast's AutoETS reference and a seasonal naive baseline run here.
//!
//! `-- --holdout` scores on the last h periods of each train series instead
//! (never touching the test files), and `-- --methods` adds every single
//! method; both are how the default combination was chosen.

use std::time::Instant;
use tote_planning::accuracy;
use tote_planning::cli;
use tote_planning::forecast::{self, ForecastParams, Method};
use tote_planning::{Series, parse_history};

const DIR: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/benchmarks/forecasting"
);

struct Set {
    dir: String,
    name: String,
    horizon: usize,
    season: usize,
    /// statsforecast AutoETS: mean MASE, mean sMAPE, CPU seconds n_jobs=1
    /// and wall seconds n_jobs=2, from the README.
    reference: Option<(f64, f64, f64, f64)>,
}

/// The two published sets, then any `--set DIR/NAME,H,M` given (other data
/// in the same layout, for checking that choices generalise).
fn sets(args: &[String]) -> Vec<Set> {
    let mut out = vec![
        Set {
            dir: DIR.into(),
            name: "aus_retail".into(),
            horizon: 24,
            season: 12,
            reference: Some((1.269, 6.62, 33.4, 20.9)),
        },
        Set {
            dir: DIR.into(),
            name: "tourism".into(),
            horizon: 8,
            season: 4,
            reference: Some((0.985, 44.43, 8.6, 4.4)),
        },
    ];
    for (i, a) in args.iter().enumerate() {
        if a == "--set" {
            let spec: Vec<&str> = args[i + 1].split(',').collect();
            let (dir, name) = spec[0].rsplit_once('/').expect("--set DIR/NAME,H,M");
            out.push(Set {
                dir: dir.into(),
                name: name.into(),
                horizon: spec[1].parse().expect("H"),
                season: spec[2].parse().expect("M"),
                reference: None,
            });
        }
    }
    out
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let holdout = args.iter().any(|a| a == "--holdout");
    let all_methods = args.iter().any(|a| a == "--methods");
    if !std::path::Path::new(DIR).exists() {
        println!("forecast bench: {DIR} not found; nothing to run");
        return;
    }
    println!(
        "forecast bench ({}), {} threads",
        if holdout {
            "holdout: last h of each train series"
        } else {
            "train -> test"
        },
        rayon::current_num_threads()
    );
    println!(
        "command: cargo bench -p tote-planning --bench forecast{}",
        if holdout { " -- --holdout" } else { "" }
    );
    for set in &sets(&args) {
        let train_text = std::fs::read_to_string(format!("{}/{}_train.csv", set.dir, set.name))
            .expect("train file readable");
        let test_text = std::fs::read_to_string(format!("{}/{}_test.csv", set.dir, set.name))
            .expect("test file readable");
        let (train_text, train, test) = if holdout {
            let full = parse_history(&train_text).expect("train file parses");
            let (train, test) = split_tail(&full, set.horizon);
            (to_csv(&train), train, test)
        } else {
            let train = parse_history(&train_text).expect("train file parses");
            let test = parse_history(&test_text).expect("test file parses");
            (train_text, train, test)
        };
        assert_eq!(
            train.len(),
            test.len(),
            "train and test hold the same series"
        );
        println!();
        println!(
            "{} ({} series, h={}, m={})",
            set.name,
            train.len(),
            set.horizon,
            set.season
        );
        println!(
            "  {:<28} {:>9} {:>9} {:>9} {:>9} {:>9}",
            "model", "MASE", "sMAPE", "cover80", "wall s", "CPU s"
        );

        let started = Instant::now();
        let cpu_started = cpu_seconds();
        let output = cli::forecast(&train_text, set.horizon, Some(set.season), &[0.1, 0.5, 0.9])
            .expect("forecast succeeds");
        let wall = started.elapsed().as_secs_f64();
        let cpu = cpu_seconds() - cpu_started;
        let forecasts = read_forecast(&output, &train, set.horizon);
        let (mase, smape, cover) = score(&train, &test, &forecasts, set.season);
        println!(
            "  {:<28} {:>9.3} {:>9.2} {:>8.1}% {:>9.2} {:>9.2}",
            "tote forecast (auto)",
            mase,
            smape,
            100.0 * cover,
            wall,
            cpu
        );

        if let Some((ref_mase, ref_smape, ref_cpu, ref_wall)) = set.reference {
            println!(
                "  {:<28} {:>9.3} {:>9.2} {:>9} {:>9.1} {:>9.1}  (README, n_jobs=2 wall; CPU n_jobs=1)",
                "statsforecast AutoETS", ref_mase, ref_smape, "", ref_wall, ref_cpu
            );
        }

        let mut methods = vec![("seasonal naive (baseline)", Method::SeasonalNaive)];
        if all_methods {
            methods.extend([
                ("auto (library)", Method::Auto),
                ("ETS (AICc)", Method::Ets),
                ("Theta", Method::Theta),
                ("ETS+Theta", Method::EtsTheta),
                ("ETS Akaike-weighted", Method::EtsWeighted),
                ("airline", Method::Airline),
            ]);
        }
        let mut baseline = (0.0, 0.0);
        let mut kept: Vec<Vec<[Vec<f64>; 3]>> = Vec::new();
        for (name, method) in methods {
            let started = Instant::now();
            let cpu_started = cpu_seconds();
            let mut params = ForecastParams::new(set.horizon, set.season);
            params.method = method;
            params.quantiles = vec![0.1, 0.9];
            params.ets.optimize_seasonal_states = args.iter().any(|a| a == "--optimize-seasonal");
            if let Some(i) = args.iter().position(|a| a == "--iterations") {
                params.ets.iterations_max = args[i + 1].parse().expect("iterations");
            }
            let values: Vec<&[f64]> = train.iter().map(|s| s.values.as_slice()).collect();
            let out = forecast::forecast_many(&values, &params);
            let wall = started.elapsed().as_secs_f64();
            let cpu = cpu_seconds() - cpu_started;
            let paths: Vec<[Vec<f64>; 3]> = out
                .into_iter()
                .map(|f| [f.mean, f.quantiles[0].clone(), f.quantiles[1].clone()])
                .collect();
            let (mase_m, smape_m, cover_m) = score(&train, &test, &paths, set.season);
            kept.push(paths);
            if method == Method::SeasonalNaive {
                baseline = (mase_m, smape_m);
            }
            println!(
                "  {:<28} {:>9.3} {:>9.2} {:>8.1}% {:>9.2} {:>9.2}",
                name,
                mase_m,
                smape_m,
                100.0 * cover_m,
                wall,
                cpu
            );
        }
        if all_methods {
            // Combinations of the paths above, for choosing the default.
            // kept: 0 snaive, 1 auto, 2 ETS, 3 Theta, 4 ETS+Theta, 5 wETS, 6 airline.
            let combos: [(&str, [f64; 7]); 6] = [
                ("auto:airline 3:1", [0.0, 3.0, 0.0, 0.0, 0.0, 0.0, 1.0]),
                ("auto:airline 2:1", [0.0, 2.0, 0.0, 0.0, 0.0, 0.0, 1.0]),
                (
                    "wETS:Theta:airline 1:1:1",
                    [0.0, 0.0, 0.0, 1.0, 0.0, 1.0, 1.0],
                ),
                ("wETS:airline 1:1", [0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 1.0]),
                (
                    "wETS:Theta:airline 2:1:1",
                    [0.0, 0.0, 0.0, 1.0, 0.0, 2.0, 1.0],
                ),
                (
                    "ETS:wETS:Theta:airline",
                    [0.0, 0.0, 1.0, 1.0, 0.0, 1.0, 1.0],
                ),
            ];
            for (name, w) in combos {
                let total: f64 = w.iter().sum();
                let paths: Vec<[Vec<f64>; 3]> = (0..train.len())
                    .map(|i| {
                        let mean = (0..set.horizon)
                            .map(|j| {
                                kept.iter()
                                    .zip(&w)
                                    .map(|(k, wk)| wk * k[i][0][j])
                                    .sum::<f64>()
                                    / total
                            })
                            .collect();
                        [mean, kept[2][i][1].clone(), kept[2][i][2].clone()]
                    })
                    .collect();
                let (mase_m, smape_m, cover_m) = score(&train, &test, &paths, set.season);
                println!(
                    "  {:<28} {:>9.3} {:>9.2} {:>8.1}%",
                    name,
                    mase_m,
                    smape_m,
                    100.0 * cover_m
                );
            }
        }
        match set.reference {
            Some((ref_mase, ref_smape, ref_cpu, ref_wall)) => println!(
                "  ratios: MASE {:.3} of AutoETS, {:.3} of seasonal naive; sMAPE {:.3} of AutoETS; speed {:.1}x AutoETS n_jobs=2 wall, {:.1}x its CPU seconds",
                mase / ref_mase,
                mase / baseline.0,
                smape / ref_smape,
                ref_wall / wall,
                ref_cpu / cpu
            ),
            None => println!("  ratios: MASE {:.3} of seasonal naive", mase / baseline.0),
        }
    }
}

fn split_tail(series: &[Series], h: usize) -> (Vec<Series>, Vec<Series>) {
    series
        .iter()
        .map(|s| {
            let cut = s.values.len() - h;
            let train = Series {
                id: s.id.clone(),
                start: s.start,
                values: s.values[..cut].to_vec(),
            };
            let test = Series {
                id: s.id.clone(),
                start: s.start.step(cut as i64),
                values: s.values[cut..].to_vec(),
            };
            (train, test)
        })
        .unzip()
}

fn to_csv(series: &[Series]) -> String {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer
        .write_record(["series", "period", "value"])
        .expect("in memory");
    for s in series {
        for (i, v) in s.values.iter().enumerate() {
            writer
                .write_record([
                    s.id.clone(),
                    s.start.step(i as i64).to_string(),
                    v.to_string(),
                ])
                .expect("in memory");
        }
    }
    String::from_utf8(writer.into_inner().expect("in memory")).expect("utf-8")
}

/// Reads `series,period,forecast,q0.1,q0.5,q0.9` back into [mean, q0.1, q0.9]
/// per series, checking ids, periods and row counts on the way.
fn read_forecast(output: &str, train: &[Series], h: usize) -> Vec<[Vec<f64>; 3]> {
    let mut reader = csv::Reader::from_reader(output.as_bytes());
    let rows: Vec<csv::StringRecord> = reader
        .records()
        .map(|r| r.expect("forecast CSV parses"))
        .collect();
    assert_eq!(rows.len(), train.len() * h, "h rows per series");
    train
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let mut paths = [Vec::new(), Vec::new(), Vec::new()];
            for (j, row) in rows[i * h..(i + 1) * h].iter().enumerate() {
                assert_eq!(&row[0], s.id.as_str());
                assert_eq!(row[1].to_string(), s.end().step(j as i64 + 1).to_string());
                let value = |k: usize| -> f64 {
                    let v: f64 = row[k].parse().expect("number");
                    assert!(v.is_finite() && v >= 0.0, "finite and non-negative");
                    v
                };
                paths[0].push(value(2));
                paths[1].push(value(3));
                paths[2].push(value(5));
            }
            paths
        })
        .collect()
}

/// Mean MASE (over series where it is defined: a history that never changes
/// season to season has no scale), mean sMAPE and 80% coverage over series.
fn score(
    train: &[Series],
    test: &[Series],
    forecasts: &[[Vec<f64>; 3]],
    m: usize,
) -> (f64, f64, f64) {
    let n = train.len() as f64;
    let (mut mase, mut smape, mut cover) = (0.0, 0.0, 0.0);
    let mut mase_count = 0;
    for ((tr, te), [mean, lo, hi]) in train.iter().zip(test).zip(forecasts) {
        if let Some(v) = accuracy::mase(&tr.values, &te.values, mean, m) {
            mase += v;
            mase_count += 1;
        }
        smape += accuracy::smape(&te.values, mean);
        cover += accuracy::coverage(&te.values, lo, hi);
    }
    (mase / f64::from(mase_count.max(1)), smape / n, cover / n)
}

/// CPU seconds this process has used (user + system), from /proc; 0 where
/// that is not available. Wall time on a shared machine varies with the
/// other load, CPU time much less.
fn cpu_seconds() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return 0.0;
    };
    let Some(after) = stat.rsplit_once(')').map(|(_, rest)| rest) else {
        return 0.0;
    };
    let fields: Vec<&str> = after.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    // Fields 14 and 15 of the full line (utime, stime) are 11 and 12 after the name.
    (ticks(11) + ticks(12)) / 100.0
}
