//! Events to facts: small hand-worked event sets, fed through the projector, give
//! the metrics a person would work out from the same events by hand.

use serde_json::{Value as Json, json};
use tote_core::Timestamp;
use tote_metrics::{Board, CountRatio, Cut, Metric, Period, Projector, Stage, Step, Value};

use crate::support::{day, dec, h};

/// Feeds events to a board; each event is (hours after day 0, kind, subject, data).
struct Feed {
    board: Board,
    projector: Projector,
    seq: u64,
}

impl Feed {
    fn new() -> Feed {
        let mut f = Feed {
            board: Board::new(dec("0.25")),
            projector: Projector::new(),
            seq: 0,
        };
        f.at(
            0,
            "node.created",
            "DC1",
            json!({"node": {"code": "DC1", "kind": "dc"}}),
        );
        f.at(
            0,
            "node.created",
            "TPL",
            json!({"node": {"code": "TPL", "kind": "3pl"}}),
        );
        for (sku, cost) in [("A", "2.50"), ("B", "10.00")] {
            f.at(
                0,
                "sku.created",
                sku,
                json!({"sku": {"sku": sku, "unit_cost": cost}}),
            );
        }
        f
    }

    fn at(&mut self, hours: i64, kind: &str, subject: &str, data: Json) {
        self.at_by(hours, kind, subject, data, "api");
    }

    fn at_by(&mut self, hours: i64, kind: &str, subject: &str, data: Json, actor: &str) {
        self.seq += 1;
        let data = data.to_string();
        self.projector.apply(
            &mut self.board,
            &tote_metrics::EventIn {
                seq: self.seq,
                kind,
                at: h(hours),
                actor,
                subject,
                data: &data,
            },
        );
    }

    /// Places `order` at `hours` for (sku, qty) lines, due to ship 24 h later.
    fn place(&mut self, hours: i64, order: &str, lines: &[(&str, i64)]) {
        let lines: Vec<Json> = lines
            .iter()
            .map(|(sku, qty)| json!({"sku": sku, "qty": qty}))
            .collect();
        let ship_by = rfc3339(h(hours + 24));
        self.at(
            hours,
            "order.placed",
            order,
            json!({"external_id": order, "channel": "web", "lines": lines, "ship_by": ship_by}),
        );
    }

    fn allocate(&mut self, hours: i64, order: &str, node: &str, lines: &[(&str, i64)]) {
        let allocations: Vec<Json> = lines
            .iter()
            .map(|(sku, qty)| json!({"sku": sku, "node": node, "qty": qty}))
            .collect();
        self.at(
            hours,
            "order.allocated",
            order,
            json!({ "allocations": allocations }),
        );
    }

    fn ship(&mut self, hours: i64, order: &str, node: &str, backordered: &[(&str, i64)]) {
        let backordered: Vec<Json> = backordered
            .iter()
            .map(|(sku, qty)| json!({"sku": sku, "qty": qty}))
            .collect();
        self.at(
            hours,
            "order.shipped",
            order,
            json!({"shipment": {"id": "SH1", "order": order, "node": node, "carrier": "UPS", "service": "ground"},
                   "backordered": backordered}),
        );
    }

    fn count(&self, metric: Metric, period: Period, cut: Cut) -> CountRatio {
        match self.board.value(metric, period, cut) {
            Value::Count(r) => r,
            other => panic!("{metric:?} is not a count ratio: {other:?}"),
        }
    }
}

fn rfc3339(t: Timestamp) -> String {
    t.to_rfc3339()
}

fn ratio(numerator: i64, denominator: i64) -> CountRatio {
    CountRatio {
        numerator,
        denominator,
    }
}

fn days(from: i32, to: i32) -> Period {
    Period::new(day(from), day(to))
}

#[test]
fn an_order_shipped_complete_counts_full_in_every_order_metric() {
    let mut f = Feed::new();
    f.place(1, "O1", &[("A", 2), ("B", 1)]);
    f.allocate(1, "O1", "DC1", &[("A", 2), ("B", 1)]);
    f.ship(5, "O1", "DC1", &[]);
    let d0 = Period::day(day(0));
    assert_eq!(f.count(Metric::UnitFillRate, d0, Cut::All), ratio(3, 3));
    assert_eq!(f.count(Metric::OrderFillRate, d0, Cut::All), ratio(1, 1));
    assert_eq!(f.count(Metric::OrderAccuracy, d0, Cut::All), ratio(1, 1));
    // Ship-by is hour 25 (day 1); handed at hour 5: on time.
    assert_eq!(
        f.count(Metric::OnTimeShip, Period::day(day(1)), Cut::All),
        ratio(1, 1)
    );
    let node = f.projector.names.find_node("DC1").expect("interned");
    let carrier = f.projector.names.find_carrier("UPS").expect("interned");
    assert_eq!(
        f.count(Metric::UnitFillRate, d0, Cut::Node(node)),
        ratio(3, 3)
    );
    assert_eq!(
        f.count(Metric::OrderFillRate, d0, Cut::Carrier(carrier)),
        ratio(1, 1)
    );
    match f.board.value(Metric::OrderCycleTime, d0, Cut::All) {
        Value::Durations(d) => assert_eq!(d.p50_us, Some(4 * crate::support::HOUR_US)),
        other => panic!("{other:?}"),
    }
    // Goods cost: 2 x 2.50 + 1 x 10.00, in the ship day's turns.
    assert_eq!(
        f.projector
            .orders
            .values()
            .next()
            .map(|o| o.fact.goods_cost_shipped),
        Some(dec("15.00"))
    );
}

#[test]
fn a_short_pick_backordered_and_shipped_without_it_is_a_partial_shipment() {
    let mut f = Feed::new();
    f.place(1, "O1", &[("A", 4)]);
    f.allocate(1, "O1", "DC1", &[("A", 4)]);
    f.at(
        2,
        "pick.short_picked",
        "PT1",
        json!({"order": "O1", "sku": "A", "location": "A-1", "expected": 4, "found": 3, "backordered": 1}),
    );
    f.ship(3, "O1", "DC1", &[("A", 1)]);
    let d0 = Period::day(day(0));
    // 3 of 4 units shipped on the first attempt; the order was not shipped complete.
    assert_eq!(f.count(Metric::UnitFillRate, d0, Cut::All), ratio(3, 4));
    assert_eq!(f.count(Metric::OrderFillRate, d0, Cut::All), ratio(0, 1));
    let o = f.projector.orders.values().next().expect("one order");
    assert_eq!(o.fact.units_shipped, 3);
    assert_eq!(o.short_picks, 1);
    assert_eq!(f.projector.short_picks.len(), 1);
    // Picked units are in the pick step's throughput, at their hour.
    let per_hour = f
        .board
        .hourly_throughput
        .over(d0, Cut::All)
        .value(Step::Pick);
    assert_eq!(per_hour[2], 3);
}

#[test]
fn a_short_pick_re_sourced_ships_complete_but_not_all_units_first_time() {
    let mut f = Feed::new();
    f.place(1, "O1", &[("A", 4)]);
    f.allocate(1, "O1", "DC1", &[("A", 4)]);
    f.at(
        2,
        "pick.short_picked",
        "PT1",
        json!({"order": "O1", "sku": "A", "location": "A-1", "expected": 4, "found": 1, "backordered": 0}),
    );
    f.ship(3, "O1", "DC1", &[]);
    let d0 = Period::day(day(0));
    assert_eq!(f.count(Metric::UnitFillRate, d0, Cut::All), ratio(1, 4));
    // One shipment with every unit: complete in one go.
    assert_eq!(f.count(Metric::OrderFillRate, d0, Cut::All), ratio(1, 1));
}

#[test]
fn a_customer_cancellation_leaves_the_denominators_and_an_operational_one_stays_a_miss() {
    let mut f = Feed::new();
    f.place(1, "O1", &[("A", 2)]);
    f.allocate(1, "O1", "DC1", &[("A", 2)]);
    f.place(1, "O2", &[("A", 3)]);
    f.allocate(1, "O2", "DC1", &[("A", 3)]);
    f.at(2, "order.cancelled", "O1", json!({"released": []}));
    f.at_by(
        2,
        "order.cancelled",
        "O2",
        json!({"released": []}),
        "system",
    );
    // A week later both deadlines have passed.
    f.projector.advance(&mut f.board, h(24 * 7));
    let d0 = Period::day(day(0));
    assert_eq!(f.count(Metric::UnitFillRate, d0, Cut::All), ratio(0, 3));
    assert_eq!(f.count(Metric::Otif, days(0, 7), Cut::All), ratio(0, 1));
    // Neither shipped: no shipment is owed for a cancelled order.
    assert_eq!(
        f.count(Metric::OnTimeShip, days(0, 7), Cut::All),
        ratio(0, 0)
    );
    assert_eq!(f.board.backlog(Cut::All, h(30)).orders, 0);
}

#[test]
fn an_order_left_on_the_floor_past_its_ship_by_counts_late_once_the_clock_passes_it() {
    let mut f = Feed::new();
    f.place(1, "O1", &[("A", 1)]);
    f.allocate(1, "O1", "DC1", &[("A", 1)]);
    let d1 = Period::day(day(1));
    assert_eq!(f.count(Metric::OnTimeShip, d1, Cut::All), ratio(0, 0));
    assert_eq!(f.board.backlog(Cut::All, h(10)).not_yet_due, 1);
    // Ship-by is hour 25: at hour 26 the shipment is late, and in the backlog past its ship-by.
    f.projector.advance(&mut f.board, h(26));
    assert_eq!(f.count(Metric::OnTimeShip, d1, Cut::All), ratio(0, 1));
    assert_eq!(f.board.backlog(Cut::All, h(26)).past_ship_by[0], 1);
    // Shipping it late keeps it late, and takes it out of the backlog.
    f.ship(30, "O1", "DC1", &[]);
    assert_eq!(f.count(Metric::OnTimeShip, d1, Cut::All), ratio(0, 1));
    assert_eq!(f.board.backlog(Cut::All, h(30)).orders, 0);
}

#[test]
fn an_order_placed_late_on_one_day_and_shipped_the_next_counts_in_each_metrics_own_day() {
    let mut f = Feed::new();
    f.place(23, "O1", &[("B", 2)]);
    f.allocate(23, "O1", "DC1", &[("B", 2)]);
    f.ship(26, "O1", "DC1", &[]);
    assert_eq!(
        f.count(Metric::UnitFillRate, Period::day(day(0)), Cut::All),
        ratio(2, 2)
    );
    assert_eq!(
        f.count(Metric::UnitFillRate, Period::day(day(1)), Cut::All),
        ratio(0, 0)
    );
    // Return rate's denominator is by ship day.
    assert_eq!(
        f.count(Metric::ReturnRate, Period::day(day(1)), Cut::All),
        ratio(0, 2)
    );
}

#[test]
fn without_delivery_events_otif_misses_once_deliver_by_passes() {
    let mut f = Feed::new();
    f.at(
        1,
        "order.placed",
        "O1",
        json!({"external_id": "x", "channel": "web", "lines": [{"sku": "A", "qty": 1}],
               "ship_by": rfc3339(h(10)), "deliver_by": "2024-10-05"}),
    );
    f.allocate(1, "O1", "DC1", &[("A", 1)]);
    f.ship(5, "O1", "DC1", &[]);
    let o = f.projector.orders.values().next().expect("one order");
    // Day 20 000 is 2024-10-04; the order is due by the end of 2024-10-05.
    assert_eq!(o.fact.deliver_by, Timestamp(day(2).start().0 - 1));
    assert_eq!(f.count(Metric::Otif, days(0, 3), Cut::All), ratio(0, 0));
    f.projector.advance(&mut f.board, h(24 * 3));
    assert_eq!(f.count(Metric::Otif, days(0, 3), Cut::All), ratio(0, 1));
}

#[test]
fn a_recount_replaces_the_first_count_and_a_variance_waits_for_approval() {
    let mut f = Feed::new();
    f.at(
        1,
        "count.created",
        "CC1",
        json!({"node": "DC1", "locations": ["A-1", "A-2"]}),
    );
    f.at(
        2,
        "count.counted",
        "CC1",
        json!({"lines": [{"location": "A-1", "sku": "A", "counted": 5, "expected": 9, "variance": -4},
                         {"location": "A-2", "sku": "B", "counted": 3, "expected": 3, "variance": 0}],
               "status": "recount"}),
    );
    f.at(
        3,
        "count.counted",
        "CC1",
        json!({"lines": [{"location": "A-1", "sku": "A", "counted": 8, "expected": 9, "variance": -1},
                         {"location": "A-2", "sku": "B", "counted": 3, "expected": 3, "variance": 0}],
               "status": "counted"}),
    );
    let d0 = Period::day(day(0));
    match f.board.value(Metric::InventoryAccuracy, d0, Cut::All) {
        Value::InventoryAccuracy(a) => {
            assert_eq!(a.locations_matched, ratio(1, 2));
            assert_eq!(a.unit_variance, ratio(1, 11));
        }
        other => panic!("{other:?}"),
    }
    assert!(f.projector.counts["CC1"].awaiting_approval);
    f.at(
        4,
        "inventory.adjusted",
        "CC1",
        json!({"reason": "count_variance", "count": "CC1", "node": "DC1", "lines": [{"sku": "A", "location": "A-1", "qty": -1}]}),
    );
    assert!(!f.projector.counts["CC1"].awaiting_approval);
}

#[test]
fn a_put_away_from_an_asn_gives_its_dock_to_stock_time() {
    let mut f = Feed::new();
    f.at(
        5,
        "inventory.put_away",
        "A",
        json!({"node": "TPL", "sku": "A", "qty": 10, "dock_to_stock_s": 7200}),
    );
    let tpl = f.projector.names.find_node("TPL").expect("interned");
    match f
        .board
        .value(Metric::DockToStock, Period::day(day(0)), Cut::ThreePl(tpl))
    {
        Value::Durations(d) => assert_eq!(d.p50_us, Some(2 * crate::support::HOUR_US)),
        other => panic!("{other:?}"),
    }
}

#[test]
fn an_order_waiting_for_stock_is_backordered_until_allocated() {
    let mut f = Feed::new();
    f.place(1, "O1", &[("A", 2)]);
    f.at(
        1,
        "order.backordered",
        "O1",
        json!({"lines": [{"sku": "A", "qty": 2}]}),
    );
    let o = f.projector.orders.values().next().expect("one order");
    assert_eq!(o.stage, Stage::Backordered);
    assert_eq!(o.backordered_units, 2);
    f.allocate(9, "O1", "DC1", &[("A", 2)]);
    f.ship(10, "O1", "DC1", &[]);
    let d0 = Period::day(day(0));
    // Shipped in full, but after a backorder: not from stock on the first attempt.
    assert_eq!(f.count(Metric::UnitFillRate, d0, Cut::All), ratio(0, 2));
    assert_eq!(f.count(Metric::OrderFillRate, d0, Cut::All), ratio(0, 1));
}

#[test]
fn events_of_kinds_not_read_change_nothing() {
    let mut f = Feed::new();
    f.place(1, "O1", &[("A", 2)]);
    let before = f.board.cells();
    f.at(2, "shipment.unknown_kind", "O1", json!({"x": 1}));
    f.at(2, "order.shipped", "O1", json!("not an object"));
    assert_eq!(f.board.cells(), before);
    assert_eq!(
        f.projector.orders.values().next().map(|o| o.stage),
        Some(Stage::Backordered)
    );
}

#[test]
fn the_exception_queue_names_late_held_stuck_short_and_uncounted_work() {
    use tote_metrics::{ExceptionKind, ExceptionRules, exceptions};
    let mut f = Feed::new();
    // O1: allocated, never released; ship-by hour 25.
    f.place(1, "O1", &[("A", 1)]);
    f.allocate(1, "O1", "DC1", &[("A", 1)]);
    // O2: waiting for stock.
    f.place(2, "O2", &[("B", 2)]);
    f.at(
        2,
        "order.backordered",
        "O2",
        json!({"lines": [{"sku": "B", "qty": 2}]}),
    );
    // O3: shipped: never an exception.
    f.place(3, "O3", &[("A", 1)]);
    f.allocate(3, "O3", "DC1", &[("A", 1)]);
    f.ship(4, "O3", "DC1", &[]);
    f.at(
        22,
        "pick.short_picked",
        "PT9",
        json!({"order": "O1", "sku": "A", "location": "A-1", "expected": 1, "found": 0, "reason": "empty face"}),
    );
    let kinds = |now: i64, f: &Feed| -> Vec<(ExceptionKind, String)> {
        exceptions(&f.projector, h(now), ExceptionRules::default())
            .into_iter()
            .map(|e| (e.kind, e.subject))
            .collect()
    };
    // At hour 22: O1 is at risk (ship-by in 3 h, not released), O2 on hold.
    let at22 = kinds(22, &f);
    assert!(at22.contains(&(ExceptionKind::AtRisk, "O1".into())));
    assert!(at22.contains(&(ExceptionKind::Hold, "O2".into())));
    assert!(at22.contains(&(ExceptionKind::ShortPick, "PT9".into())));
    assert!(!at22.iter().any(|(_, s)| s == "O3"));
    // At hour 27 O1 and O2 are past their ship-by; O2 has had no event for over 24 h.
    let at27 = kinds(27, &f);
    assert!(at27.contains(&(ExceptionKind::PastShipBy, "O1".into())));
    assert!(at27.contains(&(ExceptionKind::PastShipBy, "O2".into())));
    assert!(at27.contains(&(ExceptionKind::Stuck, "O2".into())));
    assert!(!at27.contains(&(ExceptionKind::Stuck, "O1".into())));
    let late = exceptions(&f.projector, h(27), ExceptionRules::default());
    let o1 = late
        .iter()
        .find(|e| e.kind == ExceptionKind::PastShipBy && e.subject == "O1")
        .expect("listed");
    assert_eq!(o1.age_hours, 2);
    assert_eq!(o1.root_cause, "not released");
}

#[test]
fn the_orders_behind_a_number_add_up_to_it() {
    let mut f = Feed::new();
    f.place(1, "O1", &[("A", 4)]);
    f.allocate(1, "O1", "DC1", &[("A", 4)]);
    f.at(
        2,
        "pick.short_picked",
        "PT1",
        json!({"order": "O1", "sku": "A", "location": "A-1", "expected": 4, "found": 3, "backordered": 1}),
    );
    f.ship(3, "O1", "DC1", &[("A", 1)]);
    f.place(2, "O2", &[("B", 2)]);
    f.allocate(2, "O2", "TPL", &[("B", 2)]);
    f.ship(40, "O2", "TPL", &[]);
    f.place(3, "O3", &[("A", 1)]);
    f.projector.advance(&mut f.board, h(24 * 8));
    let week = days(0, 7);
    for metric in [
        Metric::UnitFillRate,
        Metric::OrderFillRate,
        Metric::OnTimeShip,
        Metric::Otif,
        Metric::OrderAccuracy,
        Metric::ReturnRate,
    ] {
        let behind = f
            .projector
            .behind(metric, week, Cut::All)
            .expect("made of orders");
        let sum = behind.iter().fold(ratio(0, 0), |mut r, c| {
            r.add(c.numerator, c.denominator);
            r
        });
        assert_eq!(sum, f.count(metric, week, Cut::All), "{metric:?}");
    }
    let tpl = f.projector.names.find_node("TPL").expect("interned");
    let late = f
        .projector
        .behind(Metric::OnTimeShip, week, Cut::Node(tpl))
        .expect("made of orders");
    assert_eq!(late.len(), 1);
    assert_eq!((late[0].numerator, late[0].denominator), (0, 1));
    assert!(
        f.projector
            .behind(Metric::StockoutRate, week, Cut::All)
            .is_none()
    );
}

#[test]
fn a_short_pick_keeps_the_orders_promise() {
    let mut f = Feed::new();
    f.place(1, "O2", &[("A", 2), ("B", 1)]);
    f.allocate(1, "O2", "DC1", &[("A", 2), ("B", 1)]);
    f.at(2, "order.released", "O2", json!({"wave": "W1"}));
    f.at(
        2,
        "pick.picked",
        "PT1",
        json!({"order": "O2", "sku": "B", "location": "A-2", "qty": 1}),
    );
    f.at(
        2,
        "pick.short_picked",
        "PT2",
        json!({"order": "O2", "sku": "A", "location": "A-1", "expected": 2, "found": 1, "backordered": 1}),
    );
    f.at(3, "order.picked", "O2", json!({}));
    f.at(3, "order.packed", "O2", json!({"cartons": []}));
    f.ship(4, "O2", "DC1", &[("A", 1)]);
    f.projector.advance(&mut f.board, h(24 * 9));
    let o = f.projector.orders.values().next().expect("one order");
    assert_eq!((o.fact.placed_at, o.fact.ship_by), (h(1), h(25)));
}

#[test]
fn a_delivery_before_deliver_by_is_otif_and_late_against_the_carriers_date_counts_there() {
    let mut f = Feed::new();
    f.at(
        1,
        "order.placed",
        "O1",
        json!({"external_id": "x", "channel": "web", "lines": [{"sku": "A", "qty": 2}],
               "ship_by": rfc3339(h(10)), "deliver_by": "2024-10-06"}),
    );
    f.allocate(1, "O1", "DC1", &[("A", 2)]);
    f.ship(5, "O1", "DC1", &[]);
    // Delivered on day 2 (2024-10-06), a day after the carrier committed:
    // on time to the customer's promise, late against the carrier's date.
    f.at(
        50,
        "order.delivered",
        "O1",
        json!({"shipment": "SH1", "carrier": "UPS", "service": "ground",
               "delivered_at": rfc3339(h(50)), "delivered_on": "2024-10-06",
               "committed_on": "2024-10-05", "deliver_by": "2024-10-06"}),
    );
    f.projector.advance(&mut f.board, h(24 * 4));
    assert_eq!(f.count(Metric::Otif, days(0, 4), Cut::All), ratio(1, 1));
    assert_eq!(
        f.count(Metric::CarrierOnTime, days(0, 4), Cut::All),
        ratio(0, 1)
    );
}

#[test]
fn a_received_return_counts_against_the_units_shipped_in_its_ship_period() {
    let mut f = Feed::new();
    f.place(1, "O1", &[("A", 4)]);
    f.allocate(1, "O1", "DC1", &[("A", 4)]);
    f.ship(5, "O1", "DC1", &[]);
    f.at(
        60,
        "return.received",
        "RMA1",
        json!({"rma": "RMA1", "order": "O1", "channel": "web", "node": "DC1",
               "lines": [{"sku": "A", "qty": 1, "reason": "wrong_size"}]}),
    );
    // Return rate is by ship period: day 0, where 4 units shipped.
    assert_eq!(
        f.count(Metric::ReturnRate, days(0, 3), Cut::All),
        ratio(1, 4)
    );
    f.at(
        70,
        "return.dispositioned",
        "RMA1",
        json!({"rma": "RMA1", "order": "O1",
               "units": [{"unit": 1, "sku": "A", "disposition": "restock", "value": "19.00", "recovered": "19.00"}]}),
    );
    assert_eq!(
        f.count(Metric::ReturnRate, days(0, 3), Cut::All),
        ratio(1, 4)
    );
}
