use tote_metrics::{CarrierOnTime, CountRatio, Observe, OnTimeShip};

use crate::support::{h, shipment};

#[test]
fn on_time_ship_counts_handed_by_ship_by_and_overdue_unhanded_as_late() {
    let mut on_time = OnTimeShip::default();
    on_time.observe(&shipment(24, Some(20), 72, None)); // early
    on_time.observe(&shipment(24, Some(24), 72, None)); // exactly at ship-by: on time
    on_time.observe(&shipment(24, Some(25), 72, None)); // late
    on_time.observe(&shipment(24, None, 72, None)); // seen a week later, still on the floor
    let mut not_due = shipment(24, None, 72, None);
    not_due.as_of = h(10);
    on_time.observe(&not_due);
    assert_eq!(
        on_time.value(),
        CountRatio {
            numerator: 2,
            denominator: 4
        }
    );
}

#[test]
fn carrier_on_time_counts_delivered_shipments_against_the_committed_date() {
    let mut carrier = CarrierOnTime::default();
    carrier.observe(&shipment(24, Some(20), 72, Some(70)));
    carrier.observe(&shipment(24, Some(30), 72, Some(72)));
    carrier.observe(&shipment(24, Some(20), 72, Some(90)));
    carrier.observe(&shipment(24, Some(20), 72, None)); // in transit
    assert_eq!(
        carrier.value(),
        CountRatio {
            numerator: 2,
            denominator: 3
        }
    );
}
