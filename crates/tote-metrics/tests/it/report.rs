//! The weekly review of a small fixed event set, as Markdown: a snapshot checked
//! line by line against numbers worked out by hand from the events.

use serde_json::{Value as Json, json};
use tote_core::{Event, EventKind, OrgId, Timestamp};
use tote_metrics::report::review;
use tote_metrics::{CARRYING_RATE_ANNUAL, Live, Period};

use crate::support::{day, h};

struct Book {
    live: Live,
    seq: u64,
}

impl Book {
    fn at(&mut self, hours: i64, kind: EventKind, subject: &str, data: Json) {
        self.seq += 1;
        let e = Event {
            seq: self.seq,
            kind,
            at: h(hours).to_rfc3339(),
            org: OrgId::DEFAULT,
            actor: "api".into(),
            subject: subject.into(),
            data: serde_json::value::RawValue::from_string(data.to_string()).expect("JSON"),
        };
        self.live.apply(&[e]);
    }

    /// An order of `units` of TEE placed at `hours`, allocated at DC1, ship-by 24 h later.
    fn order(&mut self, hours: i64, id: &str, units: i64) {
        self.at(
            hours,
            EventKind::OrderPlaced,
            id,
            json!({"external_id": id, "channel": "web", "lines": [{"sku": "TEE", "qty": units}],
                   "ship_by": h(hours + 24).to_rfc3339()}),
        );
        self.at(
            hours,
            EventKind::OrderAllocated,
            id,
            json!({"allocations": [{"sku": "TEE", "node": "DC1", "qty": units}]}),
        );
    }

    fn ship(&mut self, hours: i64, id: &str, backordered: i64) {
        let b: Vec<Json> = (backordered > 0)
            .then(|| json!({"sku": "TEE", "qty": backordered}))
            .into_iter()
            .collect();
        self.at(
            hours,
            EventKind::OrderShipped,
            id,
            json!({"shipment": {"node": "DC1", "carrier": "UPS"}, "backordered": b}),
        );
    }
}

#[test]
fn the_weekly_review_of_a_fixed_week_reads_as_worked_out_by_hand() {
    // Day 0 (2024-10-04) is the Friday of ISO week 2024-W40 (Monday 2024-09-30).
    let week = Period::week_of(day(0));
    assert_eq!(week.from, day(-4));
    let mut b = Book {
        live: Live::new(CARRYING_RATE_ANNUAL),
        seq: 0,
    };
    b.at(
        -200,
        EventKind::NodeCreated,
        "DC1",
        json!({"node": {"code": "DC1", "kind": "dc"}}),
    );
    b.at(
        -200,
        EventKind::SkuCreated,
        "TEE",
        json!({"sku": {"sku": "TEE", "unit_cost": "4.00"}}),
    );
    // The week before (day -8, a Thursday): two orders, one shipped late.
    b.order(-190, "O1", 2);
    b.ship(-180, "O1", 0);
    b.order(-188, "O2", 1);
    b.ship(-150, "O2", 0); // ship-by was -164: late
    // This week: O3 ships complete on time; O4 is short one unit and ships
    // without it; O5 waits for stock; O6 is cancelled by the customer.
    b.order(-90, "O3", 3);
    b.ship(-80, "O3", 0);
    b.order(-60, "O4", 2);
    b.at(
        -55,
        EventKind::PickShort,
        "PT1",
        json!({"order": "O4", "sku": "TEE", "location": "A-1", "expected": 2, "found": 1,
               "reason": "shelf empty", "backordered": 1}),
    );
    b.ship(-50, "O4", 1);
    b.at(
        10,
        EventKind::OrderPlaced,
        "O5",
        json!({"external_id": "O5", "channel": "web", "lines": [{"sku": "TEE", "qty": 4}],
               "ship_by": h(34).to_rfc3339()}),
    );
    b.at(
        10,
        EventKind::OrderBackordered,
        "O5",
        json!({"lines": [{"sku": "TEE", "qty": 4}]}),
    );
    b.order(12, "O6", 1);
    b.at(13, EventKind::OrderCancelled, "O6", json!({"released": []}));
    // A count with a variance nobody approved.
    b.at(
        20,
        EventKind::CountCreated,
        "CC1",
        json!({"node": "DC1", "locations": ["A-1", "A-2"]}),
    );
    b.at(
        21,
        EventKind::CountCounted,
        "CC1",
        json!({"lines": [{"location": "A-1", "sku": "TEE", "counted": 7, "expected": 8, "variance": -1},
                         {"location": "A-2", "sku": "TEE", "counted": 5, "expected": 5, "variance": 0}],
               "status": "counted"}),
    );
    // Worked by hand: unit fill rate counts orders by the day placed (O3 3/3, O4
    // 1/2, O5 0/4; O6 left by the customer); OTIF by deliver-by, three days after
    // the ship-by day, so O1 to O4 fall due this week, none delivered; on-time
    // ship by ship-by day (O3, O4 handed in time, O5 never); return rate's
    // units by ship day (3 + 1); DC1 scores 100 on on-time, accuracy and damage
    // this week and (0.35 x 0.5/0.98 + 0.3 + 0.1) / 0.75 = 77.1 the week before.
    b.live.advance(Timestamp(week.to.start().0 - 1));
    let md = review(&b.live, "2024-W40", week).markdown();
    let expected = "\
# Weekly operations review, 2024-W40

2024-09-30 to 2024-10-06 (UTC), the whole operation, against the week before (2024-09-23 to 2024-09-29); 22 events read.

## KPIs against target and last week

| KPI | This week | Counts | Target | Status | Last week | Change |
| --- | ---: | ---: | ---: | --- | ---: | ---: |
| Unit fill rate | 44.4% | 4 / 9 | 98.0% | below target | 100.0% | -55.6 pt (worse) |
| Order fill rate | 50.0% | 1 / 2 | 95.0% | below target | 100.0% | -50.0 pt (worse) |
| OTIF | 0.0% | 0 / 4 | 95.0% | below target | n/a | n/a |
| On-time ship | 66.7% | 2 / 3 | 98.0% | below target | 50.0% | +16.7 pt (better) |
| Order accuracy | 100.0% | 2 / 2 | 99.5% | on target | 100.0% | +0.0 pt |
| Order cycle time | 10.0 h | 2 timed | 24.0 h | on target | 10.0 h | +0.0 h |
| Dock-to-stock | n/a | 0 timed | 24.0 h | no data | n/a | n/a |
| Cost per order | n/a | 0 / 2 | 8.00 | no data | n/a | n/a |
| Inventory accuracy | 50.0% | 1 / 2 | 97.0% | below target | n/a | n/a |
| Stockout rate | n/a | 0 / 0 | 2.0% | no data | n/a | n/a |
| Return rate | 0.0% | 0 / 4 | 8.0% | on target | 0.0% | +0.0 pt |
| Carrier on-time | n/a | 0 / 0 | 95.0% | no data | n/a | n/a |

Backlog: 0 open orders at the end of the week, 0 past their ship-by (0 over 24 h).

## Exceptions open at the end of the week

| Kind | Root cause | Count |
| --- | --- | ---: |
| Count variance | count variance | 1 |
| On hold | waiting for stock | 1 |
| Past ship-by | waiting for stock | 1 |
| Stuck | waiting for stock | 1 |

Oldest:

1. On hold `O5`, 62 h: O5 waits for 4 unit(s) of stock [waiting for stock]
2. Stuck `O5`, 62 h: O5 has had no event since order.backordered [waiting for stock]
3. Count variance `CC1`, 51 h: count CC1 at DC1 is off by 1 unit(s) and awaits approval [count variance]
4. Past ship-by `O5`, 38 h: O5 is backordered past its ship-by, waiting for stock [waiting for stock]

## Node scorecards

| Node | Score this week | Last week |
| --- | ---: | ---: |
| DC1 | 100.0 | 77.1 |
";
    if md != expected {
        for (i, (a, e)) in md.lines().zip(expected.lines()).enumerate() {
            if a != e {
                panic!(
                    "line {}:\n got: {a}\nwant: {e}\n\nwhole review:\n{md}",
                    i + 1
                );
            }
        }
        panic!("lengths differ:\n{md}");
    }
}
