//! Delivery dates and rate shopping on the tiny fixture: ground takes 2
//! business days to zone 2 and 4 to zone 5, air 1 and 2; both carriers pick
//! up Mon-Fri at 17:00 node-local, closed 2026-11-26 and 2026-12-25.
//! 2026-11-20 is a Friday.

use crate::fixture::tiny;
use crate::parcel_in;
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use tote_transport::shop::{Node, ShopRequest, Skip};
use tote_transport::{
    Country, Currency, Place, PostalCode, WeekDays, WorkDays, Zone, delivery_date, rate_shop,
};

fn place(p: &str) -> Place {
    Place {
        country: Country::parse("US").expect("c"),
        postal: PostalCode::parse(p).expect("p"),
    }
}

fn node(tz: &str, cutoff: &str, days: &str) -> Node {
    Node {
        id: "DC1".into(),
        place: place("60601"),
        time_zone: tz.parse().expect("tz"),
        cutoff: NaiveTime::parse_from_str(cutoff, "%H:%M").expect("time"),
        days: WorkDays::new(WeekDays::parse(days).expect("days"), vec![]),
    }
}

fn chicago() -> Node {
    node("America/Chicago", "18:00", "Mon-Fri")
}

fn at(s: &str) -> DateTime<Utc> {
    s.parse().expect("UTC time")
}

fn day(s: &str) -> NaiveDate {
    s.parse().expect("date")
}

/// `ship_on -> deliver_on` for a service and zone.
#[track_caller]
fn check(service: &str, node: &Node, zone: u16, ready_at: &str, expected: &str) {
    let set = tiny();
    let d = delivery_date(
        set.service(service).expect("service"),
        node,
        Zone(zone),
        at(ready_at),
    )
    .expect("dated");
    assert_eq!(format!("{} -> {}", d.ship_on, d.deliver_on), expected);
}

#[test]
fn friday_after_cut_off_ships_monday() {
    // 17:30 CST Friday is 23:30 UTC: the 17:00 pickup has gone; Monday + 2 = Wednesday.
    check(
        "tiny/ground",
        &chicago(),
        2,
        "2026-11-20T23:30:00Z",
        "2026-11-23 -> 2026-11-25",
    );
}

#[test]
fn friday_before_cut_off_ships_friday() {
    // 16:59 CST: Friday + 2 business days = Tuesday.
    check(
        "tiny/ground",
        &chicago(),
        2,
        "2026-11-20T22:59:00Z",
        "2026-11-20 -> 2026-11-24",
    );
}

#[test]
fn ready_exactly_at_cut_off_misses_the_pickup() {
    check(
        "tiny/ground",
        &chicago(),
        2,
        "2026-11-20T23:00:00Z",
        "2026-11-23 -> 2026-11-25",
    );
}

#[test]
fn carrier_holiday_is_not_a_transit_day() {
    // Wednesday 11-25 + 2: Thursday is Thanksgiving, so Friday then Monday.
    check(
        "tiny/ground",
        &chicago(),
        2,
        "2026-11-25T16:00:00Z",
        "2026-11-25 -> 2026-11-30",
    );
    // Zone 5, 4 days across the holiday and the weekend.
    check(
        "tiny/ground",
        &chicago(),
        5,
        "2026-11-25T16:00:00Z",
        "2026-11-25 -> 2026-12-02",
    );
}

#[test]
fn carrier_holiday_is_not_a_pickup_day() {
    // Ready on Thanksgiving morning: picked up Friday, delivered Tuesday.
    check(
        "tiny/ground",
        &chicago(),
        2,
        "2026-11-26T15:00:00Z",
        "2026-11-27 -> 2026-12-01",
    );
}

#[test]
fn cut_off_is_node_local_time() {
    // 23:30 UTC Friday is 15:30 in Los Angeles: still before the pickup.
    let la = node("America/Los_Angeles", "18:00", "Mon-Fri");
    check(
        "tiny/ground",
        &la,
        2,
        "2026-11-20T23:30:00Z",
        "2026-11-20 -> 2026-11-24",
    );
}

#[test]
fn earlier_node_cut_off_wins_over_the_carriers() {
    let early = node("America/Chicago", "15:00", "Mon-Fri");
    // 16:00 CST Tuesday: the node has stopped shipping for the day.
    check(
        "tiny/air",
        &early,
        2,
        "2026-11-17T22:00:00Z",
        "2026-11-18 -> 2026-11-19",
    );
}

#[test]
fn node_closed_days_delay_the_pickup() {
    let mwf = node("America/Chicago", "18:00", "Mon,Wed,Fri");
    check(
        "tiny/air",
        &mwf,
        2,
        "2026-11-17T15:00:00Z",
        "2026-11-18 -> 2026-11-19",
    );
    let mut closed = chicago();
    closed.days = WorkDays::new(WeekDays::MON_FRI, vec![day("2026-11-20")]);
    check(
        "tiny/air",
        &closed,
        2,
        "2026-11-20T15:00:00Z",
        "2026-11-23 -> 2026-11-24",
    );
}

fn request(dest: &str, ready_at: &str, deliver_by: Option<&str>, hazmat: &[&str]) -> ShopRequest {
    ShopRequest {
        node: chicago(),
        destination: place(dest),
        residential: false,
        cartons: vec![
            parcel_in(["5", "5", "5"], "1"),
            parcel_in(["10", "10", "10"], "4"),
        ],
        ready_at: at(ready_at),
        deliver_by: deliver_by.map(day),
        hazmat: hazmat.iter().map(|s| s.to_string()).collect(),
        services: vec![],
        currency: Currency::USD,
    }
}

/// `chosen (late) total deliver_on | each candidate`.
#[track_caller]
fn shop(req: &ShopRequest, expected: &str) {
    let set = tiny();
    let r = rate_shop(&set, req);
    let mut out = match r.chosen_offer() {
        Some((c, o)) => format!(
            "{}{} {} {}",
            set.services[c.service].key(),
            if r.late { " (late)" } else { "" },
            o.total,
            o.delivery.deliver_on
        ),
        None => "none".into(),
    };
    for c in &r.candidates {
        let s = set.services[c.service].key();
        match &c.outcome {
            Ok(o) => out.push_str(&format!(
                " | {s} {} {} {}",
                o.total,
                o.delivery.deliver_on,
                if o.on_time { "meets" } else { "late" }
            )),
            Err(Skip::Refused { hazard }) => out.push_str(&format!(" | {s} refuses {hazard}")),
            Err(e) => out.push_str(&format!(" | {s} {e:?}")),
        }
    }
    assert_eq!(out, expected);
}

// Two cartons, 1 lb and 8 lb (10 x 10 x 10 = 1000 / 139 = 7.2 -> 8), zone 2, 2026-03-02 (no fuel):
// ground 10.00 + 15.00 = 25.00; air 30.00 + 30.00 = 60.00.
const MONDAY: &str = "2026-03-02T15:00:00Z";

#[test]
fn cheapest_service_meeting_the_promise_wins() {
    shop(
        &request("10001", MONDAY, Some("2026-03-04"), &[]),
        "tiny/ground 25.00 2026-03-04 | tiny/ground 25.00 2026-03-04 meets | tiny/air 60.00 2026-03-03 meets",
    );
}

#[test]
fn a_tighter_promise_pays_for_the_faster_service() {
    shop(
        &request("10001", MONDAY, Some("2026-03-03"), &[]),
        "tiny/air 60.00 2026-03-03 | tiny/ground 25.00 2026-03-04 late | tiny/air 60.00 2026-03-03 meets",
    );
}

#[test]
fn promise_no_service_meets_takes_the_fastest_flagged_late() {
    // Ready Monday, promised Monday: air arrives Tuesday, a day late.
    shop(
        &request("10001", MONDAY, Some("2026-03-02"), &[]),
        "tiny/air (late) 60.00 2026-03-03 | tiny/ground 25.00 2026-03-04 late | tiny/air 60.00 2026-03-03 late",
    );
}

#[test]
fn without_a_promise_the_cheapest_wins() {
    shop(
        &request("10001", MONDAY, None, &[]),
        "tiny/ground 25.00 2026-03-04 | tiny/ground 25.00 2026-03-04 meets | tiny/air 60.00 2026-03-03 meets",
    );
}

#[test]
fn hazmat_refused_by_air_leaves_ground_even_when_late() {
    shop(
        &request("10001", MONDAY, Some("2026-03-03"), &["UN3480"]),
        "tiny/ground (late) 25.00 2026-03-04 | tiny/ground 25.00 2026-03-04 late | tiny/air refuses UN3480",
    );
}

#[test]
fn no_service_reaches_the_destination() {
    let mut req = request("10001", MONDAY, Some("2026-03-03"), &[]);
    req.destination.country = Country::parse("CA").expect("c");
    let r = rate_shop(&tiny(), &req);
    assert_eq!(r.chosen, None);
    assert!(!r.late);
    assert_eq!(r.candidates.len(), 2);
}

#[test]
fn friday_after_cut_off_shop_counts_from_monday() {
    // Ready 17:30 CST Friday, promised Tuesday: ground (Wed) is late, air (Tue) meets.
    // Shipping Monday 11-23: fuel 10%, and ground adds the 1.00 peak per carton:
    // ground (10 + 1 + 15 + 1) x 1.1 = 29.70, air 60 x 1.1 = 66.00.
    shop(
        &request("10001", "2026-11-20T23:30:00Z", Some("2026-11-24"), &[]),
        "tiny/air 66.00 2026-11-24 | tiny/ground 29.70 2026-11-25 late | tiny/air 66.00 2026-11-24 meets",
    );
}

#[test]
fn cut_off_follows_daylight_saving_time() {
    // US clocks go back on Sunday 2026-11-01. 22:30 UTC is 17:30 CDT on
    // Friday 10-30 (after the 17:00 pickup) and 16:30 CST on Monday 11-02 (before it).
    check(
        "tiny/ground",
        &chicago(),
        2,
        "2026-10-30T22:30:00Z",
        "2026-11-02 -> 2026-11-04",
    );
    check(
        "tiny/ground",
        &chicago(),
        2,
        "2026-11-02T22:30:00Z",
        "2026-11-02 -> 2026-11-04",
    );
}

#[test]
fn a_service_refusing_a_hazard_class_refuses_its_un_numbers() {
    let mut set = tiny();
    let air = set
        .services
        .iter_mut()
        .find(|s| s.code == "air")
        .expect("air");
    air.refuses = vec!["9".into()];
    let hazmat = ["UN3481".to_string()];
    assert_eq!(air.refused(&hazmat), Some("UN3481"));
    assert_eq!(air.refused(&["UN1263".to_string()]), None);
}
