//! Carrier-set imports: every error names the file, the row and the column.

use crate::fixture::{files, load_with};
use tote_transport::cli;

#[track_caller]
fn check_error(file: &str, from: &str, to: &str, expected: &str) {
    let mut f = files();
    let text = f.get_mut(file).expect("fixture file");
    assert!(text.contains(from), "{from:?} not in {file}");
    *text = text.replace(from, to);
    let err = load_with(&f).expect_err("the edited set is refused");
    assert_eq!(err.to_string(), expected);
}

#[test]
fn gap_in_a_rate_table_names_file_row_and_column() {
    check_error(
        "rates/tiny_ground.csv",
        "6,10,",
        "7,10,",
        "rates/tiny_ground.csv, row 4, column `weight_from`: gap: weights 6..6 have no rate (after row 3)",
    );
}

#[test]
fn overlap_in_a_rate_table_names_file_row_and_column() {
    check_error(
        "rates/tiny_ground.csv",
        "6,10,",
        "5,10,",
        "rates/tiny_ground.csv, row 4, column `weight_from`: overlap: weight 5 is already in row 3",
    );
}

#[test]
fn per_pound_row_must_follow_the_last_band() {
    check_error(
        "rates/tiny_ground.csv",
        "11,+,",
        "12,+,",
        "rates/tiny_ground.csv, row 5, column `weight_from`: the per-unit row must start at 11",
    );
}

#[test]
fn bad_price_names_its_zone_column() {
    check_error(
        "rates/tiny_ground.csv",
        "2,5,12.00,24.00",
        "2,5,12.00,abc",
        "rates/tiny_ground.csv, row 3, column `5`: `abc` is not a decimal number",
    );
}

#[test]
fn gap_in_a_zone_chart_names_file_row_and_column() {
    check_error(
        "zones/tiny.csv",
        "US,500,999,5",
        "US,520,999,5",
        "zones/tiny.csv, row 3, column `dest_from`: gap: US prefixes 500..519 have no zone (previous range ends at 499, row 2)",
    );
}

#[test]
fn overlap_in_a_zone_chart_names_file_row_and_column() {
    check_error(
        "zones/tiny.csv",
        "US,500,999,5",
        "US,450,999,5",
        "zones/tiny.csv, row 3, column `dest_from`: US 450..999 overlaps 000..499 (row 2)",
    );
}

#[test]
fn overlapping_fuel_dates_are_refused() {
    check_error(
        "surcharges.csv",
        "tiny,*,fuel,,,,10,,,2026-06-01,2026-12-31\n",
        "tiny,*,fuel,,,,10,,,2026-06-01,2026-12-31\ntiny,ground,fuel,,,,11,,,2026-12-01,2027-06-30\n",
        "surcharges.csv, row 3, column `starts`: fuel dates overlap row 2 for tiny/ground",
    );
}

#[test]
fn zone_without_transit_days_is_refused() {
    check_error(
        "services.csv",
        "2=2;5=4",
        "2=2",
        "services.csv, row 2, column `transit`: zone 5 of tiny has no transit days",
    );
}

#[test]
fn rate_table_missing_a_charted_zone_is_refused() {
    check_error(
        "zones/tiny.csv",
        "US,500,999,5",
        "US,500,999,6",
        "services.csv, row 2, column `transit`: zone 6 of tiny has no transit days",
    );
}

#[test]
fn unknown_surcharge_rule_and_postal_list_are_refused() {
    check_error(
        "surcharges.csv",
        "tiny,ground,residential,",
        "tiny,ground,resident,",
        "surcharges.csv, row 3, column `rule`: `resident` is not a surcharge rule",
    );
    check_error(
        "surcharges.csv",
        ",remote,,",
        ",far,,",
        "surcharges.csv, row 9, column `postal_list`: `far` is not in postal_lists.csv",
    );
}

#[test]
fn bad_weekday_list_and_cut_off_are_refused() {
    check_error(
        "services.csv",
        "17:00,Mon-Fri,Mon-Fri,tiny,\n",
        "17:00,Mon-Fry,Mon-Fri,tiny,\n",
        "services.csv, row 2, column `pickup_days`: `Mon-Fry` is not a list of weekdays like Mon-Fri",
    );
    check_error(
        "services.csv",
        "17:00,Mon-Fri,Mon-Fri,tiny,\n",
        "5pm,Mon-Fri,Mon-Fri,tiny,\n",
        "services.csv, row 2, column `cutoff`: `5pm` is not a time HH:MM",
    );
}

#[test]
fn missing_file_is_named() {
    let mut f = files();
    f.remove("rates/tiny_air.csv");
    assert_eq!(
        load_with(&f).expect_err("missing").to_string(),
        "rates/tiny_air.csv: not found"
    );
}

#[test]
fn load_carriers_reads_a_folder_and_names_its_files() {
    let dir = std::env::temp_dir().join(format!("tote-transport-import-{}", std::process::id()));
    for (name, text) in files() {
        let path = dir.join(&name);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        let text = if name == "rates/tiny_air.csv" {
            text.replace("11,+", "12,+")
        } else {
            text
        };
        std::fs::write(path, text).expect("write");
    }
    let err = cli::load_carriers(&dir)
        .expect_err("bad air table")
        .to_string();
    assert_eq!(
        err,
        format!(
            "{}, row 3, column `weight_from`: the per-unit row must start at 11",
            dir.join("rates/tiny_air.csv").display()
        )
    );
    std::fs::write(dir.join("rates/tiny_air.csv"), crate::fixture::AIR).expect("write");
    let set = cli::load_carriers(&dir).expect("valid set");
    assert_eq!(set.services.len(), 2);
    std::fs::remove_dir_all(&dir).expect("clean up");
}

#[test]
fn spreadsheet_byte_order_mark_is_ignored() {
    let mut f = files();
    let text = f.get_mut("services.csv").expect("fixture file");
    *text = format!("\u{feff}{text}");
    assert_eq!(load_with(&f).expect("loads").services.len(), 2);
}

#[test]
fn weight_max_beyond_a_table_without_per_pound_row_is_refused() {
    check_error(
        "rates/tiny_air.csv",
        "11,+,3.00,4.00\n",
        "",
        "services.csv, row 3, column `weight_max`: 150 is beyond the last band of rates/tiny_air.csv (10) and the table has no `+` row",
    );
}
