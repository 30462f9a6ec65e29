//! Invariants under random inputs (sized to run in well under a second in
//! debug builds): billable weight, quote totals, business days, shopping.

use crate::fixture::tiny;
use chrono::{DateTime, Datelike, Days, NaiveDate, NaiveTime, Utc};
use proptest::prelude::*;
use tote_transport::shop::{Node, ShopRequest};
use tote_transport::units::{DimRule, WeightUnit};
use tote_transport::{
    Country, Currency, Lane, Length, Parcel, Place, PostalCode, WeekDays, Weight, WorkDays, quote,
    rate_shop,
};

fn parcel() -> impl Strategy<Value = Parcel> {
    (
        [1u64..1_500_000, 1u64..1_500_000, 1u64..1_500_000],
        1u64..40_000_000_000,
    )
        .prop_map(|(d, ug)| Parcel {
            dims: d.map(Length::from_um),
            weight: Weight::from_ug(ug),
        })
}

fn place(p: u32) -> Place {
    Place {
        country: Country::parse("US").expect("c"),
        postal: PostalCode::parse(&format!("{p:05}")).expect("p"),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn billable_weight_is_at_least_actual_and_dimensional(p in parcel()) {
        let rule = DimRule { unit: WeightUnit::Lb, divisor: 139, volume_min: 0 };
        let b = rule.billable(&p.measure(WeightUnit::Lb));
        prop_assert!(b.billable >= b.actual && b.billable >= b.dimensional);
        prop_assert!(b.billable == b.actual || b.billable == b.dimensional);
        // Actual weight rounded up is within one pound of the true weight.
        prop_assert!(b.actual as f64 >= p.weight.ug() as f64 / 453_592_370.0);
        prop_assert!((b.actual as f64) < p.weight.ug() as f64 / 453_592_370.0 + 1.0);
    }

    #[test]
    fn heavier_parcel_never_bills_less(p in parcel(), extra in 0u64..5_000_000_000) {
        let rule = DimRule { unit: WeightUnit::Lb, divisor: 139, volume_min: 0 };
        let heavier = Parcel { weight: Weight::from_ug(p.weight.ug() + extra), ..p };
        prop_assert!(rule.billable(&heavier.measure(WeightUnit::Lb)).billable >= rule.billable(&p.measure(WeightUnit::Lb)).billable);
    }

    #[test]
    fn quote_total_is_the_sum_of_its_charges_and_grows_with_weight(
        p in parcel(), dest in 0u32..99_999, residential: bool, day in 0u64..730, extra in 0u64..5_000_000_000,
    ) {
        let set = tiny();
        let lane = Lane { origin: place(60601), destination: place(dest), residential };
        let on = NaiveDate::from_ymd_opt(2026, 1, 1).expect("d") + Days::new(day);
        for s in &set.services {
            if let Ok(q) = quote(s, &p, &lane, on) {
                prop_assert_eq!(q.total, q.charges.as_slice().iter().map(|c| c.amount).sum());
                prop_assert!(q.charges.as_slice().iter().all(|c| !c.amount.is_sign_negative()));
                let heavier = Parcel { weight: Weight::from_ug(p.weight.ug() + extra), ..p };
                if let Ok(h) = quote(s, &heavier, &lane, on) {
                    prop_assert!(h.total >= q.total, "{} > {}", q.total, h.total);
                }
            }
        }
    }

    #[test]
    fn business_days_land_on_working_days_and_count_exactly(start in 0u64..800, n in 0u32..15, holidays in proptest::collection::vec(0u64..800, 0..20)) {
        let base = NaiveDate::from_ymd_opt(2026, 1, 1).expect("d");
        let cal = WorkDays::new(WeekDays::MON_FRI, holidays.iter().map(|h| base + Days::new(*h)).collect());
        let from = base + Days::new(start);
        let to = cal.add(from, n);
        prop_assert!(to >= from);
        if n > 0 {
            prop_assert!(cal.is_working(to));
            prop_assert!(to.weekday().number_from_monday() <= 5);
        }
        let counted = from.iter_days().skip(1).take_while(|d| *d <= to).filter(|d| cal.is_working(*d)).count();
        prop_assert_eq!(counted, n as usize);
    }

    #[test]
    fn shopping_picks_the_cheapest_on_time_offer_or_the_fastest(
        dest in 0u32..99_999, minutes in 0i64..20_000, by_days in 0u64..8, p in parcel(), hazmat: bool,
    ) {
        let set = tiny();
        let ready_at: DateTime<Utc> = "2026-11-16T12:00:00Z".parse::<DateTime<Utc>>().expect("t") + chrono::Duration::minutes(minutes);
        let req = ShopRequest {
            node: Node {
                id: "DC1".into(),
                place: place(60601),
                time_zone: "America/Chicago".parse().expect("tz"),
                cutoff: NaiveTime::from_hms_opt(18, 0, 0).expect("t"),
                days: WorkDays::new(WeekDays::MON_FRI, vec![]),
            },
            destination: place(dest),
            residential: false,
            cartons: vec![p],
            ready_at,
            deliver_by: Some(ready_at.date_naive() + Days::new(by_days)),
            hazmat: if hazmat { vec!["UN3480".into()] } else { vec![] },
            services: vec![],
            currency: Currency::USD,
        };
        let r = rate_shop(&set, &req);
        let offers: Vec<_> = r.candidates.iter().filter_map(|c| c.outcome.as_ref().ok()).collect();
        for o in &offers {
            prop_assert!(o.delivery.ship_on >= ready_at.date_naive() - Days::new(1));
            prop_assert!(o.delivery.deliver_on >= o.delivery.ship_on);
        }
        match r.chosen_offer() {
            None => prop_assert!(offers.is_empty()),
            Some((_, chosen)) if !r.late => {
                prop_assert!(chosen.on_time);
                prop_assert!(offers.iter().filter(|o| o.on_time).all(|o| o.total >= chosen.total));
            }
            Some((_, chosen)) => {
                prop_assert!(offers.iter().all(|o| !o.on_time));
                prop_assert!(offers.iter().all(|o| o.delivery.deliver_on >= chosen.delivery.deliver_on));
            }
        }
    }
}
