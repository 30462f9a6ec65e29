//! Rating by hand-worked examples on the tiny fixture: zone 2 for
//! destinations 000-499, zone 5 for 500-999; fuel 10% from 2026-06-01.

use crate::fixture::tiny;
use crate::parcel_in;
use chrono::NaiveDate;
use tote_transport::surcharges::ChargeKind;
use tote_transport::{Country, Lane, Parcel, Place, PostalCode, RateError, quote};

const NO_FUEL: &str = "2026-03-02";
const FUEL: &str = "2026-07-01";
const PEAK: &str = "2026-11-23";

fn lane(dest: &str, residential: bool) -> Lane {
    let place = |p: &str| Place {
        country: Country::parse("US").expect("c"),
        postal: PostalCode::parse(p).expect("p"),
    };
    Lane {
        origin: place("60601"),
        destination: place(dest),
        residential,
    }
}

/// The quote as one line: `zone 2, 5 lb: base 12.00 + fuel 1.20 = 13.20`.
#[track_caller]
fn check(service: &str, parcel: Parcel, dest: &str, residential: bool, on: &str, expected: &str) {
    let set = tiny();
    let s = set.service(service).expect("service");
    let day: NaiveDate = on.parse().expect("date");
    let got = match quote(s, &parcel, &lane(dest, residential), day) {
        Ok(q) => {
            let items: Vec<String> = q
                .charges
                .as_slice()
                .iter()
                .map(|c| {
                    format!(
                        "{} {}",
                        serde_json::to_value(c.kind)
                            .expect("kind")
                            .as_str()
                            .expect("str"),
                        c.amount
                    )
                })
                .collect();
            format!(
                "zone {}, {} lb: {} = {}",
                q.zone.0,
                q.weight.billable,
                items.join(" + "),
                q.total
            )
        }
        Err(e) => format!("error: {e}"),
    };
    assert_eq!(got, expected);
}

#[test]
fn base_rate_is_the_band_holding_the_billable_weight() {
    check(
        "tiny/ground",
        parcel_in(["6", "6", "6"], "5"),
        "10001",
        false,
        NO_FUEL,
        "zone 2, 5 lb: base 12.00 = 12.00",
    );
    check(
        "tiny/ground",
        parcel_in(["6", "6", "6"], "5.01"),
        "90210",
        false,
        NO_FUEL,
        "zone 5, 6 lb: base 30.00 = 30.00",
    );
}

#[test]
fn dimensional_weight_sets_the_band_when_heavier() {
    // 12 x 12 x 12 = 1728 / 139 = 12.43 -> 13 lb; beyond the table: 15.00 + 3 x 1.00.
    check(
        "tiny/ground",
        parcel_in(["12", "12", "12"], "2"),
        "10001",
        false,
        NO_FUEL,
        "zone 2, 13 lb: base 18.00 = 18.00",
    );
}

#[test]
fn weight_beyond_the_table_is_priced_per_pound() {
    // 40 lb zone 5: 30.00 + 30 x 2.00 = 90.00.
    check(
        "tiny/ground",
        parcel_in(["10", "10", "10"], "40"),
        "90210",
        false,
        NO_FUEL,
        "zone 5, 40 lb: base 90.00 = 90.00",
    );
}

#[test]
fn fuel_is_a_percent_of_base_and_surcharges_on_its_dates() {
    // base 12.00 + residential 5.00 = 17.00; 10% = 1.70.
    check(
        "tiny/ground",
        parcel_in(["6", "6", "6"], "5"),
        "10001",
        true,
        FUEL,
        "zone 2, 5 lb: base 12.00 + residential 5.00 + fuel 1.70 = 18.70",
    );
    // The day before the fuel table starts there is no fuel charge.
    check(
        "tiny/ground",
        parcel_in(["6", "6", "6"], "5"),
        "10001",
        true,
        "2026-05-31",
        "zone 2, 5 lb: base 12.00 + residential 5.00 = 17.00",
    );
}

#[test]
fn fuel_covers_the_delivery_area_surcharge_and_every_service() {
    // Ground zone 5 with delivery area: 20.00 + 3.00 = 23.00, fuel 2.30; air zone 2: 30.00, fuel 3.00.
    check(
        "tiny/ground",
        parcel_in(["2", "2", "2"], "1"),
        "59011",
        false,
        FUEL,
        "zone 5, 1 lb: base 20.00 + delivery_area 3.00 + fuel 2.30 = 25.30",
    );
    check(
        "tiny/air",
        parcel_in(["2", "2", "2"], "1"),
        "10001",
        false,
        FUEL,
        "zone 2, 1 lb: base 30.00 + fuel 3.00 = 33.00",
    );
}

#[test]
fn residential_surcharge_only_for_homes() {
    // 5 x 5 x 5 = 125 in^3 / 139 = 0.9 -> 1 lb.
    check(
        "tiny/ground",
        parcel_in(["5", "5", "5"], "1"),
        "10001",
        false,
        NO_FUEL,
        "zone 2, 1 lb: base 10.00 = 10.00",
    );
    check(
        "tiny/ground",
        parcel_in(["5", "5", "5"], "1"),
        "10001",
        true,
        NO_FUEL,
        "zone 2, 1 lb: base 10.00 + residential 5.00 = 15.00",
    );
}

#[test]
fn additional_handling_needs_the_longest_side_strictly_over_48_inches_after_rounding() {
    // 48.49 in rounds to 48: not over. 48.5 rounds to 49: over.
    // 48 x 4 x 4 = 768 / 139 = 5.5 -> 6 lb.
    check(
        "tiny/ground",
        parcel_in(["48.49", "4", "4"], "2"),
        "10001",
        false,
        NO_FUEL,
        "zone 2, 6 lb: base 15.00 = 15.00",
    );
    // 49 x 4 x 4 = 784 / 139 = 5.6 -> 6 lb.
    check(
        "tiny/ground",
        parcel_in(["48.5", "4", "4"], "2"),
        "10001",
        false,
        NO_FUEL,
        "zone 2, 6 lb: base 15.00 + additional_handling 20.00 = 35.00",
    );
}

#[test]
fn additional_handling_by_second_side_and_by_weight() {
    // Second side 31 in: 32 x 31 x 4 = 3968 / 139 = 28.5 -> 29 lb: 15 + 19 = 34.00.
    check(
        "tiny/ground",
        parcel_in(["32", "31", "4"], "2"),
        "10001",
        false,
        NO_FUEL,
        "zone 2, 29 lb: base 34.00 + additional_handling 20.00 = 54.00",
    );
    // 50 lb exactly is not over 50; 50.1 lb rounds to 51 and is.
    check(
        "tiny/ground",
        parcel_in(["10", "10", "10"], "50"),
        "10001",
        false,
        NO_FUEL,
        "zone 2, 50 lb: base 55.00 = 55.00",
    );
    check(
        "tiny/ground",
        parcel_in(["10", "10", "10"], "50.1"),
        "10001",
        false,
        NO_FUEL,
        "zone 2, 51 lb: base 56.00 + additional_handling 30.00 = 86.00",
    );
}

#[test]
fn additional_handling_is_charged_once_at_the_highest_matching_amount() {
    // Longest 49 (20.00) and weight 51 (30.00): one charge of 30.00.
    // 49 x 10 x 10 = 4900 / 139 = 35.3 -> 36; actual 51 wins.
    check(
        "tiny/ground",
        parcel_in(["49", "10", "10"], "50.5"),
        "10001",
        false,
        NO_FUEL,
        "zone 2, 51 lb: base 56.00 + additional_handling 30.00 = 86.00",
    );
}

#[test]
fn large_package_raises_billable_to_90_lb_and_replaces_additional_handling() {
    // Longest 97 in: 97 x 10 x 10 = 9700 / 139 = 69.8 -> 70 lb, raised to 90: 15 + 80 = 95.00.
    check(
        "tiny/ground",
        parcel_in(["97", "10", "10"], "20"),
        "10001",
        false,
        NO_FUEL,
        "zone 2, 90 lb: base 95.00 + large_package 100.00 = 195.00",
    );
    // Length plus girth 60 + 2 x (20 + 16) = 132 over 130, longest only 60.
    // 60 x 20 x 16 = 19200 / 139 = 138.1 -> 139 lb, above the 90 lb minimum: 15 + 129 = 144.00.
    check(
        "tiny/ground",
        parcel_in(["60", "20", "16"], "20"),
        "10001",
        false,
        NO_FUEL,
        "zone 2, 139 lb: base 144.00 + large_package 100.00 = 244.00",
    );
}

#[test]
fn delivery_area_surcharge_matches_listed_postal_prefixes() {
    check(
        "tiny/ground",
        parcel_in(["5", "5", "5"], "1"),
        "99701",
        false,
        NO_FUEL,
        "zone 5, 1 lb: base 20.00 + delivery_area 3.00 = 23.00",
    );
    check(
        "tiny/ground",
        parcel_in(["5", "5", "5"], "1"),
        "59012",
        false,
        NO_FUEL,
        "zone 5, 1 lb: base 20.00 = 20.00",
    );
}

#[test]
fn peak_surcharge_applies_from_its_first_day_and_homes_pay_the_higher_peak() {
    check(
        "tiny/ground",
        parcel_in(["5", "5", "5"], "1"),
        "10001",
        false,
        "2026-11-22",
        "zone 2, 1 lb: base 10.00 + fuel 1.00 = 11.00",
    );
    check(
        "tiny/ground",
        parcel_in(["5", "5", "5"], "1"),
        "10001",
        false,
        PEAK,
        "zone 2, 1 lb: base 10.00 + peak 1.00 + fuel 1.10 = 12.10",
    );
    // Home: residential 5.00 and the residential peak 2.00 (not both peaks): 17.00 + 1.70 fuel.
    check(
        "tiny/ground",
        parcel_in(["5", "5", "5"], "1"),
        "10001",
        true,
        PEAK,
        "zone 2, 1 lb: base 10.00 + residential 5.00 + peak 2.00 + fuel 1.70 = 18.70",
    );
    // Last day 2027-01-10 still peak; fuel table ended 2026-12-31.
    check(
        "tiny/ground",
        parcel_in(["5", "5", "5"], "1"),
        "10001",
        false,
        "2027-01-10",
        "zone 2, 1 lb: base 10.00 + peak 1.00 = 11.00",
    );
    check(
        "tiny/ground",
        parcel_in(["5", "5", "5"], "1"),
        "10001",
        false,
        "2027-01-11",
        "zone 2, 1 lb: base 10.00 = 10.00",
    );
}

#[test]
fn billable_weight_over_the_service_maximum_is_refused() {
    check(
        "tiny/ground",
        parcel_in(["10", "10", "10"], "150"),
        "10001",
        false,
        NO_FUEL,
        "zone 2, 150 lb: base 155.00 + additional_handling 30.00 = 185.00",
    );
    check(
        "tiny/ground",
        parcel_in(["10", "10", "10"], "150.01"),
        "10001",
        false,
        NO_FUEL,
        "error: billable weight 151 lb over the service maximum of 150 lb",
    );
}

#[test]
fn destination_outside_the_chart_has_no_zone() {
    let set = tiny();
    let s = set.service("tiny/ground").expect("service");
    let mut l = lane("10001", false);
    l.destination.country = Country::parse("CA").expect("c");
    let err = quote(
        s,
        &parcel_in(["5", "5", "5"], "1"),
        &l,
        NO_FUEL.parse().expect("d"),
    )
    .expect_err("no zone");
    assert!(matches!(err, RateError::NoZone { .. }));
    assert_eq!(err.to_string(), "no zone from US 60601 to CA 10001");
}

#[test]
fn quote_total_is_the_sum_of_its_charges() {
    let set = tiny();
    let s = set.service("tiny/ground").expect("service");
    let q = quote(
        s,
        &parcel_in(["97", "12", "10"], "60"),
        &lane("99701", true),
        PEAK.parse().expect("d"),
    )
    .expect("quote");
    assert_eq!(q.total, q.charges.as_slice().iter().map(|c| c.amount).sum());
    assert!(q.charges.get(ChargeKind::AdditionalHandling).is_none());
}
