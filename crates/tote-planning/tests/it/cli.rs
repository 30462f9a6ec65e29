//! The `tote forecast` entry points as the binary calls them.

use expect_test::expect;
use tote_planning::cli;

const HISTORY: &str = "series,period,value
\"East|Food, drink\",2023-01,10
\"East|Food, drink\",2023-02,12
\"East|Food, drink\",2023-03,11
\"East|Food, drink\",2023-04,13
\"East|Food, drink\",2023-05,12
\"East|Food, drink\",2023-06,14
West,2022-Q3,5
West,2022-Q4,0
West,2023-Q1,0
West,2023-Q2,6
West,2023-Q3,0
West,2023-Q4,4
";

#[test]
fn forecast_continues_each_series_periods_with_quantile_columns() {
    let out = cli::forecast(HISTORY, 2, None, &[0.1, 0.9]).unwrap();
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], "series,period,forecast,q0.1,q0.9");
    assert_eq!(lines.len(), 5);
    assert!(
        lines[1].starts_with("\"East|Food, drink\",2023-07,"),
        "{}",
        lines[1]
    );
    assert!(
        lines[2].starts_with("\"East|Food, drink\",2023-08,"),
        "{}",
        lines[2]
    );
    assert!(lines[3].starts_with("West,2024-Q1,"), "{}", lines[3]);
    assert!(lines[4].starts_with("West,2024-Q2,"), "{}", lines[4]);
}

#[test]
fn daily_periods_step_over_month_ends() {
    let history =
        "series,period,value\nA,2024-02-27,3\nA,2024-02-28,4\nA,2024-02-29,5\nA,2024-03-01,4\n";
    let out = cli::forecast(history, 2, None, &[]).unwrap();
    let periods: Vec<&str> = out
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(1).unwrap())
        .collect();
    assert_eq!(periods, ["2024-03-02", "2024-03-03"]);
}

#[test]
fn weekly_dates_continue_a_week_at_a_time() {
    let history =
        "series,period,value\nA,2024-12-16,3\nA,2024-12-23,4\nA,2024-12-30,5\nA,2025-01-06,4\n";
    let out = cli::forecast(history, 2, None, &[]).unwrap();
    let periods: Vec<&str> = out
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(1).unwrap())
        .collect();
    assert_eq!(periods, ["2025-01-13", "2025-01-20"]);
}

#[test]
fn a_bad_value_names_its_row_and_column() {
    let history = "series,period,value\nA,2024-01,3\nA,2024-02,lots\n";
    let err = cli::forecast(history, 2, None, &[]).unwrap_err();
    expect![["row 3, value: not a number"]].assert_eq(&err.to_string());
}

#[test]
fn arguments_out_of_range_are_refused() {
    expect![["horizon: 0 is not between 1 and 10000"]].assert_eq(
        &cli::forecast(HISTORY, 0, None, &[])
            .unwrap_err()
            .to_string(),
    );
    expect![["quantiles: 1.5 is not strictly between 0 and 1"]].assert_eq(
        &cli::forecast(HISTORY, 1, None, &[1.5])
            .unwrap_err()
            .to_string(),
    );
    expect![["header: expected `series,period,value`, found `sku,month,qty`"]].assert_eq(
        &cli::forecast("sku,month,qty\n", 1, None, &[])
            .unwrap_err()
            .to_string(),
    );
}

#[test]
fn backtest_reports_every_method_with_its_scores() {
    let history: String = std::iter::once("series,period,value".to_string())
        .chain((0..48).map(|t| {
            format!(
                "A,{}-{:02},{}",
                2020 + t / 12,
                t % 12 + 1,
                100 + (t % 12) * 5 + t
            )
        }))
        .collect::<Vec<_>>()
        .join("\n");
    let out = cli::backtest(&history, 6, None, 3).unwrap();
    let lines: Vec<&str> = out.lines().collect();
    expect![["backtest: 1 series, horizon 6, season 12, 3 rolling origin(s) one period apart"]]
        .assert_eq(lines[0]);
    expect!["method            cases     MASE    sMAPE    RMSSE   WRMSSE       bias   cover80"]
        .assert_eq(lines[1]);
    for (line, method) in lines[2..6]
        .iter()
        .zip(["auto", "ets", "theta", "seasonal naive"])
    {
        assert!(line.starts_with(method), "{line}");
        assert!(line.contains(" 3 "), "three cases: {line}");
    }
}
