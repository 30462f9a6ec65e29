use tote_packing::cli::{check, pack, study_cartons};

const CARTONS: &str = r#"[
 {"id":"S","inner_mm":[230,300,240],"outer_mm":[236,306,250],"empty_weight_g":160,"max_weight_g":15000,"cost":"0.45"},
 {"id":"L","inner_mm":[400,400,400],"outer_mm":[410,410,410],"empty_weight_g":400,"max_weight_g":20000,"cost":"1.10"}
]"#;

#[test]
fn two_flat_units_ship_in_the_small_carton_in_the_issue_shape() {
    let items = r#"[{"sku":"A","dims_mm":[210,297,8],"weight_g":300,"qty":2,"keep_flat":false}]"#;
    let out = pack(CARTONS, items, None, false).unwrap();
    assert_eq!(
        out,
        concat!(
            r#"{"cartons":[{"carton":"S","items":["#,
            r#"{"sku":"A","position_mm":[0,0,0],"dims_mm":[210,297,8]},"#,
            r#"{"sku":"A","position_mm":[0,0,8],"dims_mm":[210,297,8]}],"#,
            r#""item_weight_g":600,"gross_weight_g":760,"utilization":0.0603,"billable_weight_g":3629}],"#,
            r#""unpacked":[]}"#,
            "\n"
        )
    );
    // The printed result passes the checker.
    assert!(
        check(&out, CARTONS, items)
            .unwrap()
            .starts_with("valid: 1 cartons, 2 units packed")
    );
}

#[test]
fn unit_too_large_for_every_carton_is_an_error_naming_it() {
    let items = r#"[{"sku":"POLE","dims_mm":[20,20,900],"weight_g":800,"qty":1}]"#;
    let err = pack(CARTONS, items, None, false).unwrap_err();
    assert_eq!(
        err.to_string(),
        "items fit no carton: POLE (20x20x900 mm, 800 g)"
    );
}

#[test]
fn allow_unpacked_lists_units_that_fit_no_carton() {
    let items = r#"[{"sku":"POLE","dims_mm":[20,20,900],"weight_g":800,"qty":2},
                    {"sku":"A","dims_mm":[10,10,10],"weight_g":5,"qty":1}]"#;
    let out = pack(CARTONS, items, None, true).unwrap();
    assert!(out.ends_with(
        r#""unpacked":[{"sku":"POLE","reason":"fits no carton"},{"sku":"POLE","reason":"fits no carton"}]}
"#
    ));
    check(&out, CARTONS, items).unwrap();
}

#[test]
fn ships_alone_unit_leaves_in_its_own_container() {
    let items = r#"[{"sku":"TV","dims_mm":[900,600,120],"weight_g":9000,"qty":1,"ships_alone":true},
                    {"sku":"A","dims_mm":[10,10,10],"weight_g":5,"qty":1}]"#;
    let out = pack(CARTONS, items, None, false).unwrap();
    assert!(out.contains(
        r#"{"carton":"SIOC","items":[{"sku":"TV","position_mm":[0,0,0],"dims_mm":[900,600,120]}]"#
    ));
    check(&out, CARTONS, items).unwrap();
}

#[test]
fn bad_input_names_the_file_row_and_field() {
    let items = r#"[{"sku":"A","dims_mm":[10,0,10],"weight_g":5,"qty":1}]"#;
    let err = pack(CARTONS, items, None, false).unwrap_err();
    assert_eq!(
        err.to_string(),
        "ITEMS.json row 0, `dims_mm`: [10, 0, 10] has a zero side"
    );
    let cartons = r#"[{"id":"S","inner_mm":[1,1,1],"outer_mm":[1,1,1],"empty_weight_g":10,"max_weight_g":5}]"#;
    let err = pack(cartons, "[]", None, false).unwrap_err();
    assert_eq!(
        err.to_string(),
        "CARTONS.json row 0, `max_weight_g`: 5 g leaves no room over the empty 10 g"
    );
    let err = pack("[", "[]", None, false).unwrap_err();
    assert!(
        err.to_string()
            .starts_with("CARTONS.json: not valid JSON for this file: EOF while parsing"),
        "{err}"
    );
}

const RATES: &str = r#"{"currency":"USD","weight_unit":"lb","dim_divisor":139,
  "prices":["8.00","8.50","9.00","9.50","10.00","10.50","11.00","11.50","12.00","12.50","13.00","13.50","14.00"],
  "extra_step_price":"0.50"}"#;

#[test]
fn with_rates_the_cheapest_carton_wins_over_the_smallest() {
    // S bills 8 lb (9 x 12 x 10 in), L bills 28 lb (16 x 16 x 16 in): S is cheaper.
    let items = r#"[{"sku":"A","dims_mm":[100,100,100],"weight_g":500,"qty":1}]"#;
    let out = pack(CARTONS, items, Some(RATES), false).unwrap();
    assert!(out.starts_with(r#"{"cartons":[{"carton":"S""#), "{out}");
    // A carton cheaper to ship but dearer to buy loses once its price outweighs it.
    let cartons = r#"[
     {"id":"BIG","inner_mm":[400,400,400],"outer_mm":[410,410,410],"empty_weight_g":400,"max_weight_g":20000,"cost":"0.10"},
     {"id":"GOLD","inner_mm":[230,300,240],"outer_mm":[236,306,250],"empty_weight_g":160,"max_weight_g":15000,"cost":"50"}]"#;
    let out = pack(cartons, items, Some(RATES), false).unwrap();
    assert!(out.starts_with(r#"{"cartons":[{"carton":"BIG""#), "{out}");
}

#[test]
fn checker_rejects_an_edited_result_naming_each_violation() {
    let items = r#"[{"sku":"A","dims_mm":[210,297,8],"weight_g":300,"qty":2,"keep_flat":true}]"#;
    let out = pack(CARTONS, items, None, false).unwrap();
    let broken = out
        .replace("[0,0,8]", "[0,0,4]")
        .replace("\"item_weight_g\":600", "\"item_weight_g\":601");
    let err = check(&broken, CARTONS, items).unwrap_err().to_string();
    assert!(err.starts_with("the packing result is invalid:\n"), "{err}");
    assert!(
        err.contains("cartons[0] (S): items[0] (A) and items[1] (A) overlap"),
        "{err}"
    );
    assert!(
        err.contains("cartons[0] (S): item_weight_g is 601 but its items weigh 600 g"),
        "{err}"
    );
}

#[test]
fn study_picks_the_carton_that_ships_the_history_cheapest_and_reports_the_saving() {
    let candidates = r#"[
     {"id":"S","inner_mm":[230,300,240],"outer_mm":[236,306,250],"empty_weight_g":160,"max_weight_g":15000,"cost":"0.45"},
     {"id":"L","inner_mm":[400,400,400],"outer_mm":[410,410,410],"empty_weight_g":400,"max_weight_g":20000,"cost":"1.10"},
     {"id":"XL","inner_mm":[600,600,600],"outer_mm":[610,610,610],"empty_weight_g":900,"max_weight_g":30000,"cost":"2.00"}]"#;
    let orders = r#"[
     {"order":"1","items":[{"sku":"A","dims_mm":[200,200,100],"weight_g":500,"qty":1}]},
     {"order":"2","items":[{"sku":"B","dims_mm":[200,280,200],"weight_g":1500,"qty":1}]},
     {"order":"3","items":[{"sku":"A","dims_mm":[200,200,100],"weight_g":500,"qty":2}]}]"#;
    let report = study_cartons(orders, candidates, 1, Some(r#"["XL"]"#), Some(RATES)).unwrap();
    let v: serde_json::Value = serde_json::from_str(&report).unwrap();
    assert_eq!(v["chosen"]["cartons"], serde_json::json!(["S"]));
    assert_eq!(v["chosen"]["orders_unshippable"], 0);
    assert_eq!(v["current"]["cartons"], serde_json::json!(["XL"]));
    let saving: f64 = v["saving"].as_str().unwrap().parse().unwrap();
    assert!(saving > 0.0, "{report}");
}

#[test]
fn study_rejects_k_outside_the_candidates() {
    let err = study_cartons("[]", CARTONS, 3, None, None).unwrap_err();
    assert_eq!(
        err.to_string(),
        "--k 3: choose between 1 and the 2 candidates"
    );
}

#[test]
fn with_rates_two_small_parcels_beat_one_bulky_parcel() {
    // Each SMALL holds one cube and bills 1 lb; BULKY holds both but bills
    // 30 lb (16 in cube over 139). Fewest cartons takes BULKY; least cost
    // ships two SMALL parcels for 2 x 5.00 instead of 34.00.
    let cartons = r#"[
     {"id":"SMALL","inner_mm":[100,100,100],"outer_mm":[110,110,110],"empty_weight_g":50,"max_weight_g":5000,"cost":"0.20"},
     {"id":"BULKY","inner_mm":[400,400,400],"outer_mm":[410,410,410],"empty_weight_g":400,"max_weight_g":20000,"cost":"0.90"}]"#;
    let items = r#"[{"sku":"CUBE","dims_mm":[100,100,100],"weight_g":100,"qty":2}]"#;
    let rates = r#"{"currency":"USD","weight_unit":"lb","dim_divisor":139,"prices":["5.00"],"extra_step_price":"1.00"}"#;
    let by_count = pack(cartons, items, None, false).unwrap();
    assert_eq!(
        by_count.matches(r#""carton":"BULKY""#).count(),
        1,
        "{by_count}"
    );
    let by_cost = pack(cartons, items, Some(rates), false).unwrap();
    assert_eq!(
        by_cost.matches(r#""carton":"SMALL""#).count(),
        2,
        "{by_cost}"
    );
    check(&by_cost, cartons, items).unwrap();
}

#[test]
fn large_order_packs_every_unit_across_cartons() {
    // 160 mixed units (past the full-strategy size) need several cartons.
    let small = r#"[{"id":"S","inner_mm":[150,150,150],"outer_mm":[160,160,160],"empty_weight_g":100,"max_weight_g":8000}]"#;
    let lines: Vec<String> = (0..40)
        .map(|i| {
            let (a, b, c) = (20 + (i * 37) % 90, 20 + (i * 53) % 80, 10 + (i * 17) % 60);
            format!(
                r#"{{"sku":"S{i}","dims_mm":[{a},{b},{c}],"weight_g":{},"qty":4}}"#,
                50 + i * 7
            )
        })
        .collect();
    let items = format!("[{}]", lines.join(","));
    let out = pack(small, &items, None, false).unwrap();
    assert!(out.matches(r#""carton":"S""#).count() >= 2, "{out}");
    check(&out, small, &items).unwrap();
}

#[test]
fn error_for_many_unfit_items_names_the_first_and_counts_the_rest() {
    let lines: Vec<String> = (0..25)
        .map(|i| format!(r#"{{"sku":"P{i}","dims_mm":[10,10,900],"weight_g":10,"qty":1}}"#))
        .collect();
    let err = pack(CARTONS, &format!("[{}]", lines.join(",")), None, false)
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with("items fit no carton: P0 (10x10x900 mm, 10 g), P1 "),
        "{err}"
    );
    assert!(
        err.ends_with(", P19 (10x10x900 mm, 10 g), and 5 more"),
        "{err}"
    );
}

#[test]
fn study_counts_orders_no_chosen_carton_can_ship_and_takes_current_as_cartons() {
    let candidates = r#"[
     {"id":"S","inner_mm":[230,300,240],"outer_mm":[236,306,250],"empty_weight_g":160,"max_weight_g":15000,"cost":"0.45"},
     {"id":"L","inner_mm":[400,400,400],"outer_mm":[410,410,410],"empty_weight_g":400,"max_weight_g":20000,"cost":"1.10"}]"#;
    let current = r#"[{"id":"OLD","inner_mm":[500,500,500],"outer_mm":[510,510,510],"empty_weight_g":600,"max_weight_g":30000,"cost":"1.50"}]"#;
    let orders = r#"[
     {"order":"1","items":[{"sku":"A","dims_mm":[100,100,100],"weight_g":500,"qty":1}]},
     {"order":"2","items":[{"sku":"POLE","dims_mm":[20,20,380],"weight_g":900,"qty":1}]},
     {"order":"3","items":[{"sku":"TV","dims_mm":[900,600,120],"weight_g":9000,"qty":1,"ships_alone":true}]}]"#;
    let report = study_cartons(orders, candidates, 1, Some(current), Some(RATES)).unwrap();
    let v: serde_json::Value = serde_json::from_str(&report).unwrap();
    // S is cheaper for order 1, but only L takes the 380 mm pole.
    assert_eq!(v["chosen"]["cartons"], serde_json::json!(["L"]), "{report}");
    assert_eq!(v["chosen"]["orders_unshippable"], 0, "{report}");
    assert_eq!(v["current"]["cartons"], serde_json::json!(["OLD"]));
    let report = study_cartons(
        &orders.replace("380", "900"),
        candidates,
        1,
        None,
        Some(RATES),
    )
    .unwrap();
    let v: serde_json::Value = serde_json::from_str(&report).unwrap();
    assert_eq!(v["chosen"]["orders_unshippable"], 1, "{report}");
    assert_eq!(v["current"], serde_json::Value::Null);
}

#[test]
fn with_rates_that_refuse_every_fitting_parcel_the_error_says_so() {
    // The table stops at 2 lb with no price beyond: a 9 kg unit cannot go.
    let rates =
        r#"{"currency":"USD","weight_unit":"lb","dim_divisor":139,"prices":["5.00","6.00"]}"#;
    let items = r#"[{"sku":"ANVIL","dims_mm":[100,100,100],"weight_g":9000,"qty":1}]"#;
    let err = pack(CARTONS, items, Some(rates), false).unwrap_err();
    assert_eq!(
        err.to_string(),
        "RATES.json prices no parcel that could carry: ANVIL (100x100x100 mm, 9000 g)"
    );
    let out = pack(CARTONS, items, Some(rates), true).unwrap();
    assert!(
        out.contains(r#""unpacked":[{"sku":"ANVIL","reason":"no parcel the rates accept"}]"#),
        "{out}"
    );
}

#[test]
fn misspelt_field_is_refused_not_ignored() {
    let items = r#"[{"sku":"A","dims_mm":[10,10,10],"weight_g":5,"qty":1,"keepflat":true}]"#;
    let err = pack(CARTONS, items, None, false).unwrap_err().to_string();
    assert!(
        err.starts_with("ITEMS.json: not valid JSON for this file: unknown field `keepflat`"),
        "{err}"
    );
}
