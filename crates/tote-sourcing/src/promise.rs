//! Delivery promises: when a parcel from a node reaches the customer, whether
//! that keeps the order's deliver-by date, and by when the order must leave.
//!
//! The date arithmetic is tote-transport's (`ship_date`, `delivery_date`): a
//! node's parcel is ready `handling_days` after the order, leaves on the first
//! day both the node (its working days less its holidays) and the carrier pick
//! up, before the earlier of their cut-offs, and arrives after the zone's
//! transit days on the carrier's delivery calendar.

use chrono::{DateTime, Days, NaiveDate, NaiveTime, TimeZone, Utc};
use tote_transport::{Delivery, Node, Service, Zone, delivery_date};

/// Most holidays one node's calendar may list.
pub const HOLIDAYS_MAX: usize = 366;

/// The earliest delivery of a parcel from `node` to a destination in `zone`,
/// for an order placed at `placed`; `None` when the service has no transit
/// time for the zone.
pub fn earliest_delivery(
    service: &Service,
    node: &Node,
    zone: Zone,
    placed: DateTime<Utc>,
    handling_days: u32,
) -> Option<Delivery> {
    let ready_at = placed
        .checked_add_days(Days::new(u64::from(handling_days)))
        .unwrap_or(placed);
    delivery_date(service, node, zone, ready_at).ok()
}

/// A delivery misses the promise when it arrives after the deliver-by date.
pub fn misses(delivery: Option<&Delivery>, deliver_by: Option<NaiveDate>) -> bool {
    match (delivery, deliver_by) {
        (_, None) => false,
        // No transit time to the destination: the promise cannot be shown to hold.
        (None, Some(_)) => true,
        (Some(d), Some(by)) => d.deliver_on > by,
    }
}

/// The last moment a parcel can leave `node` on `ship_on` and still go with
/// the carrier that day: the earlier of the two cut-offs, node-local, in UTC.
pub fn leave_by(service: &Service, node: &Node, ship_on: NaiveDate) -> DateTime<Utc> {
    let cutoff: NaiveTime = node.cutoff.min(service.cutoff);
    let local = ship_on.and_time(cutoff);
    node.time_zone
        .from_local_datetime(&local)
        .earliest()
        .map_or_else(|| local.and_utc(), |t| t.with_timezone(&Utc))
}

/// The order's ship-by when it did not give one: `ship_by_hours` after it was
/// placed when the channel states that rule; otherwise the earliest carrier
/// pickup among the chosen shipments (the same day when the order came before
/// the cut-off). `None` when nothing ships and the channel has no rule.
pub fn ship_by(
    placed: DateTime<Utc>,
    ship_by_hours: Option<u32>,
    pickups: impl IntoIterator<Item = DateTime<Utc>>,
) -> Option<DateTime<Utc>> {
    match ship_by_hours {
        Some(h) => Some(placed + chrono::Duration::hours(i64::from(h))),
        None => pickups.into_iter().min(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tote_transport::{Country, Place, PostalCode, Tz, WeekDays, WorkDays};

    fn ground() -> Service {
        tote_transport::cli::example_carriers()
            .service("parcelo/ground")
            .expect("example ground")
            .clone()
    }

    fn node(holidays: Vec<NaiveDate>) -> Node {
        Node {
            id: "DC1".into(),
            place: Place {
                country: Country::parse("US").expect("US"),
                postal: PostalCode::parse("07102").expect("postal"),
            },
            time_zone: Tz::UTC,
            cutoff: NaiveTime::from_hms_opt(15, 0, 0).expect("time"),
            days: WorkDays::new(WeekDays::MON_FRI, holidays),
        }
    }

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).expect("date")
    }

    fn at(m: u32, d: u32, h: u32) -> DateTime<Utc> {
        day(m, d).and_hms_opt(h, 0, 0).expect("time").and_utc()
    }

    #[test]
    fn an_order_before_the_cut_off_leaves_the_same_day() {
        let s = ground();
        // Tuesday 2026-03-03, 09:00.
        let d = earliest_delivery(&s, &node(vec![]), Zone(2), at(3, 3, 9), 0).expect("transit");
        assert_eq!(d.ship_on, day(3, 3));
        let late = earliest_delivery(&s, &node(vec![]), Zone(2), at(3, 3, 16), 0).expect("transit");
        assert_eq!(late.ship_on, day(3, 4), "after the cut-off: next day");
    }

    #[test]
    fn a_node_holiday_moves_the_pickup_to_its_next_working_day() {
        let s = ground();
        let open = earliest_delivery(&s, &node(vec![]), Zone(5), at(3, 3, 9), 0).expect("transit");
        let shut = earliest_delivery(&s, &node(vec![day(3, 3)]), Zone(5), at(3, 3, 9), 0)
            .expect("transit");
        assert_eq!(shut.ship_on, day(3, 4));
        assert!(shut.deliver_on > open.deliver_on);
    }

    #[test]
    fn handling_days_delay_the_pickup() {
        let s = ground();
        let d = earliest_delivery(&s, &node(vec![]), Zone(2), at(3, 3, 9), 2).expect("transit");
        assert_eq!(d.ship_on, day(3, 5));
    }

    #[test]
    fn a_delivery_after_the_deliver_by_date_misses_the_promise() {
        let s = ground();
        let d = earliest_delivery(&s, &node(vec![]), Zone(8), at(3, 3, 9), 0).expect("transit");
        assert!(misses(Some(&d), Some(d.deliver_on - Days::new(1))));
        assert!(!misses(Some(&d), Some(d.deliver_on)));
        assert!(!misses(Some(&d), None), "no promise, never late");
        assert!(misses(None, Some(d.deliver_on)), "no transit time: late");
    }

    #[test]
    fn ship_by_is_the_earliest_pickup_unless_the_channel_gives_hours() {
        let s = ground();
        let n = node(vec![]);
        let pickup = leave_by(&s, &n, day(3, 3));
        assert_eq!(
            pickup,
            at(3, 3, 15).min(pickup),
            "no later than the node's cut-off"
        );
        let other = leave_by(&s, &n, day(3, 4));
        assert_eq!(ship_by(at(3, 3, 9), None, [other, pickup]), Some(pickup));
        assert_eq!(ship_by(at(3, 3, 9), Some(24), [pickup]), Some(at(3, 4, 9)));
        assert_eq!(ship_by(at(3, 3, 9), None, []), None);
    }
}
