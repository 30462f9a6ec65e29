use expect_test::expect;
use tote_transport::cli;

#[test]
fn example_set_loads_and_summarises() {
    let set = cli::example_carriers();
    expect![[r#"
        3 carriers, 6 services
        parcelo/ground           Parcelo Ground                   ground        USD lb/139  zones us_parcelo (7: 2..8)  rates parcelo_ground (to 150 lb)  cutoff 17:00  pickup Mon-Fri  delivery Mon-Fri  holidays 13  surcharges 14
        parcelo/two_day          Parcelo 2Day                     two_day       USD lb/139  zones us_parcelo (7: 2..8)  rates parcelo_two_day (to 70 lb, then per unit)  cutoff 17:00  pickup Mon-Fri  delivery Mon-Fri  holidays 13  surcharges 13  refuses UN3480,UN3090
        parcelo/overnight        Parcelo Overnight                overnight     USD lb/139  zones us_parcelo (7: 2..8)  rates parcelo_overnight (to 50 lb, then per unit)  cutoff 17:00  pickup Mon-Fri  delivery Mon-Sat  holidays 13  surcharges 13  refuses UN3480,UN3090
        swiftline/economy        Swiftline Economy                economy       USD lb/139  zones us_swiftline (7: 2..8)  rates swiftline_economy (to 50 lb, then per unit)  cutoff 16:00  pickup Mon-Fri  delivery Mon-Fri  holidays 13  surcharges 7
        swiftline/intl_express   Swiftline International Express  international USD kg/5000  zones intl_swiftline (5: 1..5)  rates swiftline_intl_express (to 30 kg, then per unit)  cutoff 16:00  pickup Mon-Fri  delivery Mon-Fri  holidays 13  surcharges 3  refuses UN3480,UN3090,UN3481
        natpost/priority         National Post Priority Parcel    postal        USD lb/166 above 1728  zones us_natpost (7: 1..7)  rates natpost_priority (to 70 lb)  cutoff 15:30  pickup Mon-Sat  delivery Mon-Sat  holidays 23  surcharges 3  refuses UN3480
    "#]].assert_eq(&cli::import_summary(&set));
}

#[test]
fn rate_quotes_every_named_service_itemised() {
    let set = cli::example_carriers();
    let req = r#"{
        "origin": {"country": "US", "postal": "60601"},
        "destination": {"country": "US", "postal": "10001", "residential": true},
        "ship_on": "2026-11-24",
        "services": ["parcelo/ground", "natpost/priority"],
        "parcels": [{"dims_in": ["12.4", "10.5", "8.5"], "weight_lb": "3"}]
    }"#;
    expect![[r#"
        {
          "ship_on": "2026-11-24",
          "quotes": [
            {
              "service": "parcelo/ground",
              "name": "Parcelo Ground",
              "total": "31.43",
              "currency": "USD",
              "parcels": [
                {
                  "zone": 7,
                  "weight_unit": "lb",
                  "actual_weight": 3,
                  "dimensional_weight": 9,
                  "billable_weight": 9,
                  "charges": [
                    {
                      "kind": "base",
                      "amount": "20.35",
                      "why": "zone 7, 9 lb billable"
                    },
                    {
                      "kind": "residential",
                      "amount": "5.95",
                      "why": "delivery to a residence"
                    },
                    {
                      "kind": "peak",
                      "amount": "0.85",
                      "why": "peak season"
                    },
                    {
                      "kind": "fuel",
                      "amount": "4.28",
                      "why": "15.75% of 27.15"
                    }
                  ],
                  "total": "31.43",
                  "currency": "USD"
                }
              ]
            },
            {
              "service": "natpost/priority",
              "name": "National Post Priority Parcel",
              "total": "13.64",
              "currency": "USD",
              "parcels": [
                {
                  "zone": 6,
                  "weight_unit": "lb",
                  "actual_weight": 3,
                  "dimensional_weight": 0,
                  "billable_weight": 3,
                  "charges": [
                    {
                      "kind": "base",
                      "amount": "13.19",
                      "why": "zone 6, 3 lb billable"
                    },
                    {
                      "kind": "peak",
                      "amount": "0.45",
                      "why": "peak season"
                    }
                  ],
                  "total": "13.64",
                  "currency": "USD"
                }
              ]
            }
          ]
        }
    "#]]
    .assert_eq(&cli::rate(&set, req).expect("rated"));
}
