//! The board places each fact in the period its metric names, under each cut value
//! it carries, and answers with the previous period and the target.

use tote_core::{NodeId, OrderId, SkuId};
use tote_metrics::{Board, CountRatio, Cut, Metric, OrderLineFact, Period, Value};

use crate::support::{day, dec, h, open_order, order, return_of, snapshot};

fn count(board: &Board, metric: Metric, period: Period, cut: Cut) -> CountRatio {
    match board.value(metric, period, cut) {
        Value::Count(r) => r,
        other => panic!("{metric:?} is not a count ratio: {other:?}"),
    }
}

#[test]
fn an_order_counts_in_the_period_it_was_placed_even_when_it_ships_in_the_next() {
    let mut board = Board::new(dec("0.25"));
    let mut late_night = order(1, 23, 4); // placed day 0 at 23:00
    late_night.shipped_at = Some(h(30)); // shipped day 1
    board.observe(&late_night);
    let day0 = Period::day(day(0));
    let day1 = Period::day(day(1));
    assert_eq!(
        count(&board, Metric::UnitFillRate, day0, Cut::All).denominator,
        4
    );
    assert_eq!(
        count(&board, Metric::UnitFillRate, day1, Cut::All).denominator,
        0
    );
    // Return rate is by ship period.
    assert_eq!(
        count(&board, Metric::ReturnRate, day1, Cut::All).denominator,
        4
    );
    // OTIF by the day it is due: deliver-by is 23 + 72 h, day 3.
    assert_eq!(
        count(&board, Metric::Otif, Period::day(day(3)), Cut::All).denominator,
        1
    );
}

#[test]
fn a_return_counts_against_the_period_its_units_shipped() {
    let mut board = Board::new(dec("0.25"));
    board.observe(&order(1, 0, 10)); // ships hour 10, day 0
    board.observe(&return_of(10, 24 * 20, 1, 30)); // received day 20
    let r = count(&board, Metric::ReturnRate, Period::day(day(0)), Cut::All);
    assert_eq!(
        r,
        CountRatio {
            numerator: 1,
            denominator: 10
        }
    );
}

#[test]
fn cuts_split_the_whole_and_the_whole_sums_them() {
    let mut board = Board::new(dec("0.25"));
    let mut at_node_2 = order(2, 0, 6);
    at_node_2.cuts.node = Some(NodeId(2));
    at_node_2.units_shipped_first_attempt = 3;
    board.observe(&order(1, 0, 4));
    board.observe(&at_node_2);
    let p = Period::day(day(0));
    assert_eq!(
        count(&board, Metric::UnitFillRate, p, Cut::Node(NodeId(1))).numerator,
        4
    );
    assert_eq!(
        count(&board, Metric::UnitFillRate, p, Cut::Node(NodeId(2))),
        CountRatio {
            numerator: 3,
            denominator: 6
        }
    );
    assert_eq!(
        count(&board, Metric::UnitFillRate, p, Cut::All),
        CountRatio {
            numerator: 7,
            denominator: 10
        }
    );
}

#[test]
fn node_snapshots_feed_node_cuts_and_network_snapshots_the_whole() {
    let mut board = Board::new(dec("0.25"));
    let mut at_node = snapshot(0, 1, 0, 0, 0);
    at_node.node = Some(NodeId(7));
    board.observe(&at_node);
    board.observe(&snapshot(0, 1, 5, 5, 50));
    let p = Period::day(day(0));
    assert_eq!(
        count(&board, Metric::StockoutRate, p, Cut::All),
        CountRatio {
            numerator: 0,
            denominator: 1
        }
    );
    assert_eq!(
        count(&board, Metric::StockoutRate, p, Cut::Node(NodeId(7))),
        CountRatio {
            numerator: 1,
            denominator: 1
        }
    );
}

#[test]
fn reading_compares_with_the_previous_period_and_the_target() {
    let mut board = Board::new(dec("0.25"));
    board.set_target(Metric::OrderFillRate, 0.9);
    let mut split = order(1, 0, 2); // week of day 0: one split of two
    split.shipped_complete_in_one_go = false;
    board.observe(&split);
    board.observe(&order(2, 0, 2));
    let this_week = Period::new(day(7), day(14));
    board.observe(&order(3, 7 * 24, 2));
    let r = board.reading(Metric::OrderFillRate, this_week, Cut::All);
    assert_eq!(
        r.previous,
        Value::Count(CountRatio {
            numerator: 1,
            denominator: 2
        })
    );
    assert_eq!(r.trend(), Some(0.5));
    assert_eq!(r.improving(), Some(true));
    assert_eq!(r.on_target(), Some(true));
}

#[test]
fn shipping_an_order_moves_it_out_of_the_backlog_and_into_the_fill_rate() {
    let mut board = Board::new(dec("0.25"));
    let open = open_order(1, 0, 2, 30);
    board.observe(&open);
    assert_eq!(board.backlog(Cut::All, h(30)).past_ship_by[1], 1); // 6 h past ship-by
    let p = Period::day(day(0));
    assert_eq!(
        count(&board, Metric::OrderFillRate, p, Cut::All).denominator,
        0
    );
    board.retract(&open);
    board.observe(&order(1, 0, 2));
    assert_eq!(board.backlog(Cut::All, h(30)).orders, 0);
    assert_eq!(
        count(&board, Metric::OrderFillRate, p, Cut::All),
        CountRatio {
            numerator: 1,
            denominator: 1
        }
    );
}

#[test]
fn every_metric_has_a_name_that_reads_back() {
    for metric in Metric::ALL {
        assert_eq!(Metric::from_name(metric.name()), Some(metric));
    }
}

#[test]
fn order_lines_feed_the_sku_cut_and_nothing_else() {
    let mut board = Board::new(dec("0.25"));
    board.observe(&order(1, 0, 3));
    for (sku, units, first) in [(7, 2, 1), (8, 1, 1)] {
        board.observe(&OrderLineFact {
            order: OrderId(1),
            sku: SkuId(sku),
            placed_at: h(0),
            units_ordered: units,
            units_shipped_first_attempt: first,
            cancelled: None,
        });
    }
    let p = Period::day(day(0));
    assert_eq!(
        count(&board, Metric::UnitFillRate, p, Cut::All),
        CountRatio {
            numerator: 3,
            denominator: 3
        }
    );
    assert_eq!(
        count(&board, Metric::UnitFillRate, p, Cut::Sku(SkuId(7))),
        CountRatio {
            numerator: 1,
            denominator: 2
        }
    );
}

#[test]
fn for_a_cost_lower_is_better_when_judging_target_and_trend() {
    let mut board = Board::new(dec("0.25"));
    board.set_target(Metric::CostPerOrder, 6.0);
    for (hour, cost) in [(1, "8"), (24 + 1, "5")] {
        board.observe(&tote_metrics::CostFact {
            cuts: tote_metrics::Cuts::default(),
            at: h(hour),
            labor: dec(cost),
            ..tote_metrics::CostFact::default()
        });
    }
    board.observe(&order(1, 0, 1)); // ships day 0
    board.observe(&order(2, 24, 1)); // ships day 1
    let r = board.reading(Metric::CostPerOrder, Period::day(day(1)), Cut::All);
    assert_eq!(r.value.headline(), Some(5.0));
    assert_eq!(r.trend(), Some(-3.0));
    assert_eq!(r.improving(), Some(true));
    assert_eq!(r.on_target(), Some(true));
}
