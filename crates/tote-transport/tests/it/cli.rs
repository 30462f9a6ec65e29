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
        natpost/priority         National Post Priority Parcel    postal        USD lb/166 above 1728  zones us_natpost (8: 1..8)  rates natpost_priority (to 70 lb)  cutoff 15:30  pickup Mon-Sat  delivery Mon-Sat  holidays 23  surcharges 3  refuses UN3480
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
              "total": "28.23",
              "currency": "USD",
              "parcels": [
                {
                  "zone": 5,
                  "weight_unit": "lb",
                  "actual_weight": 3,
                  "dimensional_weight": 9,
                  "billable_weight": 9,
                  "charges": [
                    {
                      "kind": "base",
                      "amount": "17.59",
                      "why": "zone 5, 9 lb billable"
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
                      "amount": "3.84",
                      "why": "15.75% of 24.39"
                    }
                  ],
                  "total": "28.23",
                  "currency": "USD"
                }
              ]
            },
            {
              "service": "natpost/priority",
              "name": "National Post Priority Parcel",
              "total": "12.96",
              "currency": "USD",
              "parcels": [
                {
                  "zone": 5,
                  "weight_unit": "lb",
                  "actual_weight": 3,
                  "dimensional_weight": 0,
                  "billable_weight": 3,
                  "charges": [
                    {
                      "kind": "base",
                      "amount": "12.51",
                      "why": "zone 5, 3 lb billable"
                    },
                    {
                      "kind": "peak",
                      "amount": "0.45",
                      "why": "peak season"
                    }
                  ],
                  "total": "12.96",
                  "currency": "USD"
                }
              ]
            }
          ]
        }
    "#]]
    .assert_eq(&cli::rate(&set, req).expect("rated"));
}

/// A Chicago DC on Friday 2026-11-20 at 17:30 local, after every carrier's
/// pickup: the parcel leaves Monday; promised to New York by Wednesday.
pub const SHOP_REQUEST: &str = r#"{
    "node": {"id": "DC-CHI", "country": "US", "postal": "60607", "time_zone": "America/Chicago",
             "cutoff": "18:00", "working_days": "Mon-Fri", "holidays": ["2026-11-26"]},
    "destination": {"country": "US", "postal": "10041", "residential": true},
    "ready_at": "2026-11-20T23:30:00Z",
    "deliver_by": "2026-11-25",
    "parcels": [{"dims_in": ["12", "10", "8"], "weight_lb": "4.2"}]
}"#;

#[test]
fn rate_shop_explains_every_candidate_and_picks_the_cheapest_on_time() {
    let set = cli::example_carriers();
    expect![[r#"
        {
          "chosen": "parcelo/two_day",
          "late": false,
          "why": "cheapest service delivering by 2026-11-25",
          "total": "53.37",
          "currency": "USD",
          "ship_on": "2026-11-23",
          "deliver_on": "2026-11-25",
          "deliver_by": "2026-11-25",
          "candidates": [
            {
              "service": "parcelo/ground",
              "name": "Parcelo Ground",
              "kind": "ground",
              "status": "late",
              "reason": "late: delivers 2026-11-27, 2 days after deliver-by 2026-11-25",
              "total": "26.63",
              "currency": "USD",
              "ship_on": "2026-11-23",
              "deliver_on": "2026-11-27",
              "transit_days": 3,
              "parcels": [
                {
                  "zone": 5,
                  "weight_unit": "lb",
                  "actual_weight": 5,
                  "dimensional_weight": 7,
                  "billable_weight": 7,
                  "charges": [
                    {
                      "kind": "base",
                      "amount": "16.21",
                      "why": "zone 5, 7 lb billable"
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
                      "amount": "3.62",
                      "why": "15.75% of 23.01"
                    }
                  ],
                  "total": "26.63",
                  "currency": "USD"
                }
              ],
              "chosen": false
            },
            {
              "service": "parcelo/two_day",
              "name": "Parcelo 2Day",
              "kind": "two_day",
              "status": "meets",
              "reason": "meets deliver-by 2026-11-25: delivers 2026-11-25",
              "total": "53.37",
              "currency": "USD",
              "ship_on": "2026-11-23",
              "deliver_on": "2026-11-25",
              "transit_days": 2,
              "parcels": [
                {
                  "zone": 5,
                  "weight_unit": "lb",
                  "actual_weight": 5,
                  "dimensional_weight": 7,
                  "billable_weight": 7,
                  "charges": [
                    {
                      "kind": "base",
                      "amount": "38.43",
                      "why": "zone 5, 7 lb billable"
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
                      "amount": "8.14",
                      "why": "18.00% of 45.23"
                    }
                  ],
                  "total": "53.37",
                  "currency": "USD"
                }
              ],
              "chosen": true
            },
            {
              "service": "parcelo/overnight",
              "name": "Parcelo Overnight",
              "kind": "overnight",
              "status": "meets",
              "reason": "meets deliver-by 2026-11-25: delivers 2026-11-24",
              "total": "79.24",
              "currency": "USD",
              "ship_on": "2026-11-23",
              "deliver_on": "2026-11-24",
              "transit_days": 1,
              "parcels": [
                {
                  "zone": 5,
                  "weight_unit": "lb",
                  "actual_weight": 5,
                  "dimensional_weight": 7,
                  "billable_weight": 7,
                  "charges": [
                    {
                      "kind": "base",
                      "amount": "60.35",
                      "why": "zone 5, 7 lb billable"
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
                      "amount": "12.09",
                      "why": "18.00% of 67.15"
                    }
                  ],
                  "total": "79.24",
                  "currency": "USD"
                }
              ],
              "chosen": false
            },
            {
              "service": "swiftline/economy",
              "name": "Swiftline Economy",
              "kind": "economy",
              "status": "late",
              "reason": "late: delivers 2026-12-01, 6 days after deliver-by 2026-11-25",
              "total": "21.06",
              "currency": "USD",
              "ship_on": "2026-11-23",
              "deliver_on": "2026-12-01",
              "transit_days": 5,
              "parcels": [
                {
                  "zone": 5,
                  "weight_unit": "lb",
                  "actual_weight": 5,
                  "dimensional_weight": 7,
                  "billable_weight": 7,
                  "charges": [
                    {
                      "kind": "base",
                      "amount": "13.70",
                      "why": "zone 5, 7 lb billable"
                    },
                    {
                      "kind": "residential",
                      "amount": "4.80",
                      "why": "delivery to a residence"
                    },
                    {
                      "kind": "peak",
                      "amount": "0.30",
                      "why": "peak season"
                    },
                    {
                      "kind": "fuel",
                      "amount": "2.26",
                      "why": "12.00% of 18.80"
                    }
                  ],
                  "total": "21.06",
                  "currency": "USD"
                }
              ],
              "chosen": false
            },
            {
              "service": "swiftline/intl_express",
              "name": "Swiftline International Express",
              "kind": "international",
              "status": "skipped",
              "reason": "no zone from US 60607 to US 10041",
              "chosen": false
            },
            {
              "service": "natpost/priority",
              "name": "National Post Priority Parcel",
              "kind": "postal",
              "status": "late",
              "reason": "late: delivers 2026-11-27, 2 days after deliver-by 2026-11-25",
              "total": "14.93",
              "currency": "USD",
              "ship_on": "2026-11-23",
              "deliver_on": "2026-11-27",
              "transit_days": 3,
              "parcels": [
                {
                  "zone": 5,
                  "weight_unit": "lb",
                  "actual_weight": 5,
                  "dimensional_weight": 0,
                  "billable_weight": 5,
                  "charges": [
                    {
                      "kind": "base",
                      "amount": "14.48",
                      "why": "zone 5, 5 lb billable"
                    },
                    {
                      "kind": "peak",
                      "amount": "0.45",
                      "why": "peak season"
                    }
                  ],
                  "total": "14.93",
                  "currency": "USD"
                }
              ],
              "chosen": false
            }
          ]
        }
    "#]]
    .assert_eq(&cli::rate_shop(&set, SHOP_REQUEST).expect("shopped"));
}

#[test]
fn rate_shop_with_an_unmeetable_promise_flags_the_fastest_late() {
    let set = cli::example_carriers();
    let req = SHOP_REQUEST.replace(
        "\"deliver_by\": \"2026-11-25\"",
        "\"deliver_by\": \"2026-11-23\"",
    );
    let out: serde_json::Value =
        serde_json::from_str(&cli::rate_shop(&set, &req).expect("shopped")).expect("json");
    assert_eq!(out["chosen"], "parcelo/overnight");
    assert_eq!(out["late"], true);
    assert_eq!(out["deliver_on"], "2026-11-24");
}

#[test]
fn rate_shop_skips_services_refusing_lithium_batteries() {
    let set = cli::example_carriers();
    let req = SHOP_REQUEST.replace("\"parcels\"", "\"hazmat\": [\"UN3480\"], \"parcels\"");
    let out: serde_json::Value =
        serde_json::from_str(&cli::rate_shop(&set, &req).expect("shopped")).expect("json");
    let refused: Vec<&str> = out["candidates"]
        .as_array()
        .expect("candidates")
        .iter()
        .filter(|c| c["reason"] == "refuses hazmat UN3480")
        .map(|c| c["service"].as_str().expect("key"))
        .collect();
    assert_eq!(
        refused,
        [
            "parcelo/two_day",
            "parcelo/overnight",
            "swiftline/intl_express",
            "natpost/priority"
        ]
    );
}

#[test]
fn rate_shop_international_uses_the_international_service() {
    let set = cli::example_carriers();
    let req = SHOP_REQUEST.replace(
        r#""country": "US", "postal": "10041", "residential": true"#,
        r#""country": "GB", "postal": "SW1A 1AA""#,
    );
    let out: serde_json::Value =
        serde_json::from_str(&cli::rate_shop(&set, &req).expect("shopped")).expect("json");
    assert_eq!(out["chosen"], "swiftline/intl_express");
}

#[test]
fn request_errors_name_the_field() {
    let set = cli::example_carriers();
    let bad_tz = SHOP_REQUEST.replace("America/Chicago", "America/Chicag");
    assert_eq!(
        cli::rate_shop(&set, &bad_tz)
            .expect_err("bad tz")
            .to_string(),
        "request field `node.time_zone`: `America/Chicag` is not an IANA time zone"
    );
    let no_weight = SHOP_REQUEST.replace(r#", "weight_lb": "4.2""#, "");
    assert_eq!(
        cli::rate_shop(&set, &no_weight)
            .expect_err("no weight")
            .to_string(),
        "request field `parcels[0].weight_lb`: give exactly one of weight_lb or weight_kg"
    );
    let unknown = SHOP_REQUEST.replace(
        "\"parcels\"",
        "\"services\": [\"parcelo/ground\", \"acme/fast\"], \"parcels\"",
    );
    assert_eq!(
        cli::rate_shop(&set, &unknown)
            .expect_err("unknown")
            .to_string(),
        "request field `services[1]`: no service `acme/fast` in the carrier set"
    );
    assert!(
        cli::rate(&set, "{")
            .expect_err("json")
            .to_string()
            .starts_with("request: EOF while parsing")
    );
}

#[test]
fn customs_estimate_answers_json_with_the_scheme() {
    let req = r#"{
        "declaration": {
            "destination": "DE", "date": "2026-11-24", "currency": "USD", "shipping": "10", "incoterm": "DDP",
            "items": [{"description": "Cotton T-shirt", "hs_code": "6109.10", "origin": "PT", "quantity": 1, "unit_value": "170"}]
        },
        "fx": [["USD", "EUR", "0.92"]]
    }"#;
    let out: serde_json::Value =
        serde_json::from_str(&cli::customs_estimate(req).expect("estimate")).expect("json");
    assert_eq!(out["scheme"], "import");
    assert_eq!(out["duty"], "19.87");
    assert_eq!(out["vat"], "35.24");
    assert_eq!(out["payer"], "shipper");
    let bad = req.replace("6109.10", "61");
    assert_eq!(
        cli::customs_estimate(&bad)
            .expect_err("short HS")
            .to_string(),
        "request field `declaration.items[0].hs_code`: `61` needs at least 6 digits"
    );
}

#[test]
fn track_summarises_each_tracking_number() {
    let csv = "tracking,status,at,location,detail\n\
               PX2,picked_up,2026-11-23T22:00:00Z,Chicago IL,\n\
               PX1,delivered,2026-11-25T18:00:00Z,New York NY,Front door\n\
               PX1,picked_up,2026-11-23T22:00:00Z,Chicago IL,\n";
    let out: serde_json::Value =
        serde_json::from_str(&cli::track(csv).expect("tracked")).expect("json");
    assert_eq!(out[0]["tracking"], "PX1");
    assert_eq!(out[0]["state"]["status"], "delivered");
    assert_eq!(out[1]["state"]["status"], "picked_up");
}

/// The request files the README shows all run.
#[test]
fn readme_requests_run() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/requests/");
    let read = |name: &str| std::fs::read_to_string(format!("{dir}{name}")).expect("request file");
    let set = cli::example_carriers();
    cli::rate(&set, &read("rate.json")).expect("rate.json");
    cli::rate_shop(&set, &read("shop.json")).expect("shop.json");
    cli::label(&read("label.json"), "zpl").expect("label.json");
    cli::customs_estimate(&read("customs.json")).expect("customs.json");
    let csv =
        String::from_utf8(cli::manifest(&read("manifest.json"), "csv").expect("manifest.json"))
            .expect("utf-8");
    assert_eq!(csv.lines().count(), 3, "header and two cartons");
    assert!(
        cli::manifest(&read("manifest.json"), "pdf")
            .expect("pdf")
            .starts_with(b"%PDF-")
    );
    assert!(
        cli::commercial_invoice(&read("invoice.json"))
            .expect("invoice.json")
            .starts_with(b"%PDF-")
    );
}
