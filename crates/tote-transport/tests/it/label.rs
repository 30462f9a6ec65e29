//! Labels: the ZPL is a well-formed single format (snapshot), the PDF
//! renders to a page with ink on it.

use expect_test::expect;
use tote_transport::cli;

pub const REQUEST: &str = r#"{
    "ship_from": {"name": "Tote Demo DC", "company": "Acme Outfitters", "lines": ["1200 W Lake St"], "city": "Chicago", "region": "IL", "postal": "60607", "country": "US"},
    "ship_to": {"name": "Ana Ruiz", "lines": ["55 Water St", "Apt 4^B"], "city": "New York", "region": "NY", "postal": "10041", "country": "US"},
    "carrier": "Parcelo",
    "service": "Parcelo Ground",
    "tracking": "PX00012345678",
    "sscc": "106141411234567897",
    "weight_lb": "5.20",
    "ship_date": "2026-11-24",
    "reference": "SO-1001",
    "carton": 1,
    "cartons": 2
}"#;

/// Well formed: one `^XA ... ^XZ` format, every field opened by `^FD` is
/// closed by `^FS`, and no caret or tilde hides inside field data.
fn assert_well_formed(zpl: &str) {
    assert!(zpl.starts_with("^XA\n"), "starts with ^XA");
    assert!(zpl.ends_with("^XZ\n"), "ends with ^XZ");
    assert_eq!(zpl.matches("^XA").count(), 1);
    assert_eq!(zpl.matches("^XZ").count(), 1);
    for line in zpl.lines() {
        assert!(line.starts_with('^'), "every line is a command: {line}");
        if let Some(at) = line.find("^FD") {
            let data = &line[at + 3..];
            let end = data
                .find("^FS")
                .unwrap_or_else(|| panic!("^FD without ^FS: {line}"));
            assert_eq!(&data[end..], "^FS", "field closes the line: {line}");
            assert!(
                !data[..end].contains(['^', '~']),
                "command character inside field data: {line}"
            );
        }
    }
}

#[test]
fn zpl_label_is_well_formed_and_escapes_carets() {
    let zpl = String::from_utf8(cli::label(REQUEST, "zpl").expect("label")).expect("utf-8");
    assert_well_formed(&zpl);
    assert!(
        zpl.contains("^FDApt 4\\5EB^FS"),
        "the caret in the address is hex-escaped"
    );
    expect![[r#"
        ^XA
        ^CI28
        ^PW812
        ^LL1218
        ^LH0,0
        ^FO30,30^A0N,24,24^FH\^FDFROM:^FS
        ^FO30,60^A0N,24,24^FH\^FDTote Demo DC^FS
        ^FO30,88^A0N,24,24^FH\^FDAcme Outfitters^FS
        ^FO30,116^A0N,24,24^FH\^FD1200 W Lake St^FS
        ^FO30,144^A0N,24,24^FH\^FDChicago IL 60607^FS
        ^FO30,172^A0N,24,24^FH\^FDUS^FS
        ^FO520,30^A0N,24,24^FH\^FDSHIP DATE: 2026-11-24^FS
        ^FO520,60^A0N,24,24^FH\^FDWEIGHT: 5.2 LB^FS
        ^FO520,90^A0N,24,24^FH\^FDCARTON 1 OF 2^FS
        ^FO0,230^GB812,4,4^FS
        ^FO30,250^A0N,26,26^FH\^FDSHIP TO:^FS
        ^FO60,285^A0N,38,38^FH\^FDAna Ruiz^FS
        ^FO60,327^A0N,38,38^FH\^FD55 Water St^FS
        ^FO60,369^A0N,38,38^FH\^FDApt 4\5EB^FS
        ^FO60,411^A0N,38,38^FH\^FDNew York NY 10041^FS
        ^FO60,453^A0N,38,38^FH\^FDUS^FS
        ^FO0,560^GB812,4,4^FS
        ^FO30,580^A0N,56,56^FH\^FDPARCELO GROUND^FS
        ^FO30,645^A0N,28,28^FH\^FDParcelo^FS
        ^FO0,690^GB812,4,4^FS
        ^FO30,705^A0N,26,26^FH\^FDTRACKING #: PX00012345678^FS
        ^FO60,745^BY3^BCN,140,N,N,N^FDPX00012345678^FS
        ^FO0,905^GB812,4,4^FS
        ^FO30,920^A0N,26,26^FH\^FDSSCC^FS
        ^FO60,955^BY3^BCN,160,N,N,N^FD>;>800106141411234567897^FS
        ^FO60,1125^A0N,30,30^FH\^FD(00) 1 0614141123456789 7^FS
        ^FO30,1170^A0N,24,24^FH\^FDREF: SO-1001^FS
        ^XZ
    "#]]
    .assert_eq(&zpl);
}

#[test]
fn zpl_sscc_barcode_is_gs1_128_with_fnc1() {
    let zpl = String::from_utf8(cli::label(REQUEST, "zpl").expect("label")).expect("utf-8");
    assert!(zpl.contains("^BCN,160,N,N,N^FD>;>800106141411234567897^FS"));
}

#[test]
fn label_refuses_a_wrong_sscc_check_digit() {
    let bad = REQUEST.replace("106141411234567897", "106141411234567890");
    let err = cli::label(&bad, "zpl").expect_err("bad check digit");
    assert_eq!(
        err.to_string(),
        "request field `sscc`: `106141411234567890` has a wrong check digit (expected 7)"
    );
    assert_eq!(
        cli::label(REQUEST, "png").expect_err("format").to_string(),
        "request field `format`: `png` is not zpl or pdf"
    );
}

#[test]
fn pdf_label_is_a_pdf_and_renders_with_ink() {
    let pdf = cli::label(REQUEST, "pdf").expect("label");
    assert!(pdf.starts_with(b"%PDF-"));
    assert!(pdf.windows(5).any(|w| w == b"%%EOF"));
    crate::render::assert_renders_with_ink(&pdf, "label", 1);
}

#[test]
fn pdf_label_barcodes_scan_back_to_tracking_and_sscc() {
    let pdf = cli::label(REQUEST, "pdf").expect("label");
    match crate::render::decode_barcodes(&pdf, "label") {
        // zbar prints GS1-128 without the leading FNC1: AI 00 then the SSCC.
        Some(codes) => assert_eq!(
            codes,
            vec![
                "00106141411234567897".to_string(),
                "PX00012345678".to_string()
            ]
        ),
        None => {
            eprintln!("zbarimg not installed (apt-get install zbar-tools): barcodes not scanned")
        }
    }
}

#[test]
fn long_addresses_are_cut_to_their_box() {
    let long = REQUEST.replace(
        r#"["55 Water St", "Apt 4^B"]"#,
        r#"["55 Water Street, Financial District, Lower Manhattan", "Floor 12", "Suite 1200", "Attn: Receiving", "Dock 3"]"#,
    );
    let zpl = String::from_utf8(cli::label(&long, "zpl").expect("label")).expect("utf-8");
    assert_well_formed(&zpl);
    assert!(
        zpl.contains("^FD55 Water Street, Financial Distri.^FS"),
        "{zpl}"
    );
    // Eight lines (name, five street lines, city, country) keep six: the last two street lines go.
    assert!(zpl.contains("^FDSuite 1200^FS"), "{zpl}");
    assert!(!zpl.contains("Attn") && !zpl.contains("Dock 3"), "{zpl}");
    assert!(
        zpl.contains("^FDNew York NY 10041^FS"),
        "the city line stays"
    );
    crate::render::assert_renders_with_ink(
        &cli::label(&long, "pdf").expect("pdf"),
        "long-label",
        1,
    );
}
