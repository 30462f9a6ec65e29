//! Duties and import VAT by hand-worked examples on the shipped rules.

use crate::dec;
use tote_transport::customs::{
    CustomsError, CustomsItem, Declaration, FxRates, Incoterm, Payer, Scheme, example_rules,
};
use tote_transport::{Country, Currency};

fn item(hs: &str, quantity: u32, unit_value: &str) -> CustomsItem {
    CustomsItem {
        description: "Cotton T-shirt".into(),
        hs_code: hs.into(),
        origin: Country::parse("US").expect("c"),
        quantity,
        unit_value: dec(unit_value),
        sku: None,
    }
}

fn decl(
    to: &str,
    date: &str,
    currency: Currency,
    items: Vec<CustomsItem>,
    shipping: &str,
) -> Declaration {
    Declaration {
        destination: Country::parse(to).expect("c"),
        date: date.parse().expect("date"),
        currency,
        items,
        shipping: dec(shipping),
        incoterm: Incoterm::Dap,
    }
}

/// `scheme duty vat (at sale x) payer`.
#[track_caller]
fn check(d: &Declaration, fx: &FxRates, expected: &str) {
    let got = match example_rules().estimate(d, fx) {
        Ok(e) => format!(
            "{:?} {} duty {} vat {} at sale {} {:?}",
            e.scheme, e.currency, e.duty, e.vat, e.vat_at_sale, e.payer
        ),
        Err(e) => format!("error: {e}"),
    };
    assert_eq!(got, expected);
}

const NONE: FxRates = FxRates(Vec::new());

#[test]
fn eu_goods_up_to_150_euros_pay_vat_at_sale_and_no_duty() {
    // (120 + 15 shipping) x 19% = 25.65, collected by the seller.
    check(
        &decl(
            "DE",
            "2026-11-24",
            Currency::EUR,
            vec![item("610910", 2, "60")],
            "15",
        ),
        &NONE,
        "VatAtSale EUR duty 0.00 vat 0.00 at sale 25.65 Recipient",
    );
    // Exactly 150.00 is still at or below the threshold.
    check(
        &decl(
            "DE",
            "2026-11-24",
            Currency::EUR,
            vec![item("610910", 1, "150")],
            "0",
        ),
        &NONE,
        "VatAtSale EUR duty 0.00 vat 0.00 at sale 28.50 Recipient",
    );
}

#[test]
fn eu_goods_over_150_euros_pay_duty_on_cif_and_vat_on_duty_too() {
    // Duty 12% of (200 + 20) = 26.40; VAT 19% of (200 + 20 + 26.40) = 46.816 -> 46.82.
    check(
        &decl(
            "DE",
            "2026-11-24",
            Currency::EUR,
            vec![item("6109.10", 4, "50")],
            "20",
        ),
        &NONE,
        "Import EUR duty 26.40 vat 46.82 at sale 0.00 Recipient",
    );
}

#[test]
fn uk_135_pound_rule() {
    check(
        &decl(
            "GB",
            "2026-11-24",
            Currency::GBP,
            vec![item("847130", 1, "135")],
            "10",
        ),
        &NONE,
        "VatAtSale GBP duty 0.00 vat 0.00 at sale 29.00 Recipient",
    );
    // 135.01: import VAT 20% of (135.01 + 10) = 29.002 -> 29.00; computers 0% duty.
    check(
        &decl(
            "GB",
            "2026-11-24",
            Currency::GBP,
            vec![item("847130", 1, "135.01")],
            "10",
        ),
        &NONE,
        "Import GBP duty 0.00 vat 29.00 at sale 0.00 Recipient",
    );
}

#[test]
fn rules_are_dated_eu_low_value_vat_exemption_ended_2021_07_01() {
    // EUR 20 of goods: under the old EUR 22 VAT exemption, nothing due.
    check(
        &decl(
            "DE",
            "2021-06-30",
            Currency::EUR,
            vec![item("610910", 1, "20")],
            "0",
        ),
        &NONE,
        "DeMinimis EUR duty 0.00 vat 0.00 at sale 0.00 Recipient",
    );
    // From 2021-07-01, 19% VAT at sale: 3.80.
    check(
        &decl(
            "DE",
            "2021-07-01",
            Currency::EUR,
            vec![item("610910", 1, "20")],
            "0",
        ),
        &NONE,
        "VatAtSale EUR duty 0.00 vat 0.00 at sale 3.80 Recipient",
    );
}

#[test]
fn us_de_minimis_of_800_dollars_ended_2025_08_29() {
    check(
        &decl(
            "US",
            "2025-08-28",
            Currency::USD,
            vec![item("610910", 10, "50")],
            "25",
        ),
        &NONE,
        "DeMinimis USD duty 0.00 vat 0.00 at sale 0.00 Recipient",
    );
    // Duty on FOB value: 16.5% of 500 = 82.50; no VAT.
    check(
        &decl(
            "US",
            "2025-08-29",
            Currency::USD,
            vec![item("610910", 10, "50")],
            "25",
        ),
        &NONE,
        "Import USD duty 82.50 vat 0.00 at sale 0.00 Recipient",
    );
}

#[test]
fn values_convert_to_the_destination_currency_first() {
    // USD 170 at 0.92 = EUR 156.40, over 150: duty 12% of (156.40 + 9.20) = 19.872 -> 19.87;
    // VAT 19% of (156.40 + 9.20 + 19.87) = 35.2393 -> 35.24.
    let fx = FxRates(vec![(Currency::USD, Currency::EUR, dec("0.92"))]);
    check(
        &decl(
            "DE",
            "2026-11-24",
            Currency::USD,
            vec![item("610910", 1, "170")],
            "10",
        ),
        &fx,
        "Import EUR duty 19.87 vat 35.24 at sale 0.00 Recipient",
    );
    check(
        &decl(
            "DE",
            "2026-11-24",
            Currency::USD,
            vec![item("610910", 1, "170")],
            "10",
        ),
        &NONE,
        "error: no exchange rate from USD to EUR",
    );
}

#[test]
fn ddp_makes_the_shipper_pay() {
    let mut d = decl(
        "DE",
        "2026-11-24",
        Currency::EUR,
        vec![item("6109.10", 4, "50")],
        "20",
    );
    d.incoterm = Incoterm::Ddp;
    let e = example_rules().estimate(&d, &NONE).expect("estimate");
    assert_eq!(e.payer, Payer::Shipper);
    assert_eq!(e.scheme, Scheme::Import);
    assert_eq!(e.total_at_import.amount, dec("73.22"));
}

#[test]
fn country_without_rules_is_an_error() {
    let d = decl(
        "BR",
        "2026-11-24",
        Currency::USD,
        vec![item("610910", 1, "10")],
        "0",
    );
    assert!(matches!(
        example_rules().estimate(&d, &NONE),
        Err(CustomsError::NoRule { .. })
    ));
}
