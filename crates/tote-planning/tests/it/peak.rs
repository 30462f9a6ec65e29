//! Goal: the peak simulation points at the station that really constrains
//! the node. Method: a week of a mid-size DC where pick has ample heads and
//! pack has too few; pack must be reported as the bottleneck, and relieving
//! it (more packers and benches) must raise the on-time ship rate.

use tote_planning::peak::{PeakScenario, Pickup, Station, simulate_peak};

/// 400 orders an hour from 08:00 to 20:00, seven days; pickers 2 minutes an
/// order, packers 1.5 minutes, on the stated heads and pack benches.
fn week(pickers: u32, packers: u32, benches: u32) -> PeakScenario {
    let day: Vec<u32> = (0..24)
        .map(|h| if (8..20).contains(&h) { 400 } else { 0 })
        .collect();
    let shift = |heads: u32| -> Vec<u32> {
        (0..24)
            .map(|h| if (7..23).contains(&h) { heads } else { 0 })
            .collect()
    };
    PeakScenario {
        orders_by_hour: day.repeat(7),
        stations: vec![
            Station {
                name: "pick".into(),
                minutes_per_order: 2.0,
                heads_by_hour: shift(pickers),
                positions: None,
            },
            Station {
                name: "pack".into(),
                minutes_per_order: 1.5,
                heads_by_hour: shift(packers),
                positions: Some(benches),
            },
        ],
        pickups: vec![
            Pickup {
                minute_of_day: 17 * 60,
                capacity_orders: 20_000,
            },
            Pickup {
                minute_of_day: 22 * 60,
                capacity_orders: 20_000,
            },
        ],
        order_cutoff_minute_of_day: 15 * 60,
        service_jitter: 0.2,
        seed: 42,
    }
}

#[test]
fn too_few_packers_show_up_as_the_bottleneck() {
    // Pick: 20 heads x 30 orders/h = 600/h. Pack: 6 x 40 = 240/h < 400/h arriving.
    let report = simulate_peak(&week(20, 6, 6));
    assert_eq!(report.orders, 7 * 12 * 400);
    assert_eq!(report.bottleneck, "pack");
    let pack = &report.stations[1];
    assert!(
        pack.utilization > 0.95,
        "packers busy all the time: {pack:?}"
    );
    assert!(
        report.on_time_ship_rate < 0.9,
        "{}",
        report.on_time_ship_rate
    );
    // Backlog grows through each day's peak.
    assert!(report.backlog_by_hour[19] > report.backlog_by_hour[9]);
}

#[test]
fn more_packers_without_benches_do_not_help() {
    let short = simulate_peak(&week(20, 6, 6));
    let crowded = simulate_peak(&week(20, 14, 6));
    assert_eq!(crowded.bottleneck, "pack");
    assert_eq!(crowded.on_time_ship_rate, short.on_time_ship_rate);
}

#[test]
fn relieving_pack_ships_on_time_and_empties_its_queue() {
    let short = simulate_peak(&week(20, 6, 6));
    let relieved = simulate_peak(&week(20, 14, 14));
    assert!(
        relieved.on_time_ship_rate > 0.99,
        "{}",
        relieved.on_time_ship_rate
    );
    assert!(relieved.on_time_ship_rate > short.on_time_ship_rate);
    let (before, after) = (&short.stations[1], &relieved.stations[1]);
    assert!(
        after.wait_minutes_mean * 10.0 < before.wait_minutes_mean,
        "{before:?} -> {after:?}"
    );
}

#[test]
fn too_few_pickers_show_up_as_the_bottleneck() {
    let report = simulate_peak(&week(8, 14, 14));
    assert_eq!(report.bottleneck, "pick");
}
