//! Manifests, commercial invoices and the built-in carrier adapter.

use crate::dec;
use expect_test::expect;
use tote_transport::adapter::{CarrierAdapter, LocalCarrier};
use tote_transport::customs::{CustomsItem, Declaration, Incoterm};
use tote_transport::gs1::Sscc;
use tote_transport::invoice::{InvoiceParties, commercial_invoice_pdf};
use tote_transport::label::LabelData;
use tote_transport::manifest::{Manifest, ManifestLine, manifest_csv, manifest_pdf};
use tote_transport::{Address, Country, Currency, Money, Weight};

fn address(name: &str, city: &str, postal: &str, country: &str) -> Address {
    Address {
        name: name.into(),
        company: None,
        lines: vec!["1 Main St".into()],
        city: city.into(),
        region: String::new(),
        postal: postal.into(),
        country: Country::parse(country).expect("country"),
        phone: None,
    }
}

fn manifest(lines: usize) -> Manifest {
    Manifest {
        carrier: "Parcelo".into(),
        node: "DC-CHI".into(),
        pickup_on: "2026-11-24".parse().expect("date"),
        lines: (0..lines)
            .map(|i| ManifestLine {
                tracking: LocalCarrier::tracking_number("PX", i as u64 + 1),
                sscc: Some(Sscc::new(0, "0614141", i as u64 + 1).expect("sscc")),
                service: "Parcelo Ground".into(),
                ship_to: address(
                    if i == 0 {
                        "Ana \"Ruiz\", Jr"
                    } else {
                        "Bo Chen"
                    },
                    "New York",
                    "10041",
                    "US",
                ),
                weight: Weight::from_g(2_268 + 100 * i as u64),
                charge: Money::new(dec("12.34"), Currency::USD),
                reference: Some(format!("SO-{}", 1000 + i)),
            })
            .collect(),
    }
}

#[test]
fn manifest_csv_has_one_row_per_carton_and_quotes_commas() {
    expect![[r#"
        carrier,node,pickup_on,tracking,sscc,service,ship_to_name,city,region,postal,country,weight_lb,charge,currency,reference
        Parcelo,DC-CHI,2026-11-24,PX00000000017,006141410000000012,Parcelo Ground,"Ana ""Ruiz"", Jr",New York,,10041,US,5.00,12.34,USD,SO-1000
        Parcelo,DC-CHI,2026-11-24,PX00000000024,006141410000000029,Parcelo Ground,Bo Chen,New York,,10041,US,5.22,12.34,USD,SO-1001
    "#]].assert_eq(&manifest_csv(&manifest(2)));
}

#[test]
fn manifest_pdf_paginates_and_renders() {
    let pdf = manifest_pdf(&manifest(40));
    assert!(pdf.starts_with(b"%PDF-"));
    crate::render::assert_renders_with_ink(&pdf, "manifest", 2);
}

#[test]
fn commercial_invoice_renders() {
    let decl = Declaration {
        destination: Country::parse("DE").expect("c"),
        date: "2026-11-24".parse().expect("d"),
        currency: Currency::EUR,
        items: vec![CustomsItem {
            description: "Cotton T-shirt, größe M".into(),
            hs_code: "6109.10".into(),
            origin: Country::parse("PT").expect("c"),
            quantity: 4,
            unit_value: dec("50.00"),
            sku: Some("TS-M".into()),
        }],
        shipping: dec("20.00"),
        incoterm: Incoterm::Ddp,
    };
    let parties = InvoiceParties {
        number: "CI-2026-0042".into(),
        exporter: address("Acme Outfitters", "Chicago", "60607", "US"),
        consignee: address("Jonas Weber", "Berlin", "10115", "DE"),
        waybill: Some("SW00000000017".into()),
    };
    crate::render::assert_renders_with_ink(&commercial_invoice_pdf(&decl, &parties), "invoice", 1);
}

#[test]
fn local_carrier_issues_sequential_tracking_numbers_and_labels() {
    let mut carrier = LocalCarrier::new("PX", 41);
    let data = LabelData {
        ship_from: address("Tote Demo DC", "Chicago", "60607", "US"),
        ship_to: address("Ana Ruiz", "New York", "10041", "US"),
        carrier: "Parcelo".into(),
        service: "Parcelo Ground".into(),
        tracking: "UNSET".into(),
        sscc: Sscc::new(0, "0614141", 7).expect("sscc"),
        weight: "5 LB".into(),
        ship_date: "2026-11-24".parse().expect("date"),
        reference: None,
        carton: (1, 1),
    };
    let first = carrier.ship(&data).expect("issued");
    let second = carrier.ship(&data).expect("issued");
    assert_eq!(
        (first.tracking.as_str(), second.tracking.as_str()),
        ("PX00000000413", "PX00000000420")
    );
    assert!(first.zpl.contains("^FDPX00000000413^FS"));
    assert!(first.pdf.starts_with(b"%PDF-"));
    carrier.void(&first.tracking).expect("void");
    assert!(carrier.void(&first.tracking).is_err(), "voided once");
}

#[test]
fn a_shipment_of_two_cartons_prints_a_page_and_a_format_per_carton() {
    let label = |n: u32, serial: u64| LabelData {
        ship_from: address("Tote Demo DC", "Chicago", "60607", "US"),
        ship_to: address("Ana Ruiz", "New York", "10041", "US"),
        carrier: "Parcelo".into(),
        service: "Parcelo Ground".into(),
        tracking: "PX00000000413".into(),
        sscc: Sscc::new(0, "0614141", serial).expect("sscc"),
        weight: "5 LB".into(),
        ship_date: "2026-11-24".parse().expect("date"),
        reference: Some("O7".into()),
        carton: (n, 2),
    };
    let labels = [label(1, 7), label(2, 8)];
    let zpl = tote_transport::label::zpl_many(&labels);
    assert_eq!(
        (zpl.matches("^XA").count(), zpl.matches("^XZ").count()),
        (2, 2)
    );
    assert!(zpl.contains("CARTON 1 OF 2") && zpl.contains("CARTON 2 OF 2"));
    for l in &labels {
        assert!(zpl.contains(&l.sscc.element_string()[2..]), "{zpl}");
    }
    let pdf = tote_transport::label::pdf_pages(&labels);
    assert!(pdf.starts_with(b"%PDF-"));
    crate::render::assert_renders_with_ink(&pdf, "labels", 2);
}
