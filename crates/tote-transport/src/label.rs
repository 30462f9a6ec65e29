//! 4x6 inch shipping labels: ship-from, ship-to, service, tracking barcode
//! and the carton's GS1-128 SSCC barcode, as ZPL for thermal printers
//! (203 dpi) and as PDF.

use crate::code128;
use crate::gs1::Sscc;
use crate::pdfdoc::Doc;
use crate::place::Address;
use chrono::NaiveDate;
use std::fmt::Write;

/// Everything printed on one carton's label.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LabelData {
    pub ship_from: Address,
    pub ship_to: Address,
    pub carrier: String,
    pub service: String,
    /// Upper-case letters and digits only (checked at the edge), so it is
    /// safe inside a barcode field.
    pub tracking: String,
    pub sscc: Sscc,
    /// As printed, e.g. `5 LB`.
    pub weight: String,
    pub ship_date: NaiveDate,
    pub reference: Option<String>,
    /// This carton's number and the shipment's carton count (`1 OF 2`).
    pub carton: (u32, u32),
}

/// The longest tracking number a label accepts.
pub const TRACKING_CHARS_MAX: usize = 30;

pub fn tracking_is_valid(t: &str) -> bool {
    (1..=TRACKING_CHARS_MAX).contains(&t.len())
        && t.bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
}

/// Field data for `^FH\`: the three characters ZPL would read as commands
/// or escapes are written as hex, so any text prints as itself.
fn zpl_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\5C"),
            '^' => out.push_str("\\5E"),
            '~' => out.push_str("\\7E"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Address lines that fit their box: at most 6 lines, keeping the name
/// and the city and country lines and dropping street lines from the end,
/// long lines cut with `.`, so an address never runs into the service or
/// barcode areas.
fn fit(a: &Address, chars: usize) -> Vec<String> {
    let mut lines = a.printed();
    if lines.len() > 6 {
        lines.drain(4..lines.len() - 2);
    }
    lines
        .into_iter()
        .map(|l| {
            if l.chars().count() <= chars {
                l
            } else {
                l.chars().take(chars - 1).chain(['.']).collect()
            }
        })
        .collect()
}

/// The label as ZPL II, one `^XA ... ^XZ` format at 203 dpi (812 x 1218 dots).
pub fn zpl(l: &LabelData) -> String {
    assert!(
        tracking_is_valid(&l.tracking),
        "tracking checked at the edge: {:?}",
        l.tracking
    );
    let mut z = String::with_capacity(2_048);
    z.push_str("^XA\n^CI28\n^PW812\n^LL1218\n^LH0,0\n");
    let text = |z: &mut String, x: u32, y: u32, h: u32, s: &str| {
        let _ = writeln!(z, "^FO{x},{y}^A0N,{h},{h}^FH\\^FD{}^FS", zpl_text(s));
    };
    text(&mut z, 30, 30, 24, "FROM:");
    for (i, line) in fit(&l.ship_from, 30).iter().enumerate() {
        text(&mut z, 30, 60 + 28 * i as u32, 24, line);
    }
    text(&mut z, 520, 30, 24, &format!("SHIP DATE: {}", l.ship_date));
    text(&mut z, 520, 60, 24, &format!("WEIGHT: {}", l.weight));
    text(
        &mut z,
        520,
        90,
        24,
        &format!("CARTON {} OF {}", l.carton.0, l.carton.1),
    );
    z.push_str("^FO0,230^GB812,4,4^FS\n");
    text(&mut z, 30, 250, 26, "SHIP TO:");
    for (i, line) in fit(&l.ship_to, 34).iter().enumerate() {
        text(&mut z, 60, 285 + 42 * i as u32, 38, line);
    }
    z.push_str("^FO0,560^GB812,4,4^FS\n");
    text(&mut z, 30, 580, 56, &l.service.to_uppercase());
    text(&mut z, 30, 645, 28, &l.carrier);
    z.push_str("^FO0,690^GB812,4,4^FS\n");
    text(&mut z, 30, 705, 26, &format!("TRACKING #: {}", l.tracking));
    let module = if l.tracking.len() > 16 { 2 } else { 3 };
    let _ = writeln!(z, "^FO60,745^BY{module}^BCN,140,N,N,N^FD{}^FS", l.tracking);
    z.push_str("^FO0,905^GB812,4,4^FS\n");
    text(&mut z, 30, 920, 26, "SSCC");
    // GS1-128: `>;` starts code set C, `>8` is FNC1, then AI 00 and the 18 digits.
    let _ = writeln!(
        z,
        "^FO60,955^BY3^BCN,160,N,N,N^FD>;>8{}^FS",
        l.sscc.element_string()
    );
    text(&mut z, 60, 1125, 30, &l.sscc.human_readable());
    if let Some(r) = &l.reference {
        text(&mut z, 30, 1170, 24, &format!("REF: {r}"));
    }
    z.push_str("^XZ\n");
    z
}

/// The label as a one-page 4 x 6 in PDF.
pub fn pdf(l: &LabelData) -> Vec<u8> {
    pdf_pages(std::slice::from_ref(l))
}

/// A shipment's labels as one 4 x 6 in PDF, a page per carton.
pub fn pdf_pages(labels: &[LabelData]) -> Vec<u8> {
    assert!(!labels.is_empty(), "a shipment has at least one carton");
    let mut doc = Doc::new(288.0, 432.0);
    for l in labels {
        draw(doc.page(), l);
    }
    doc.finish(&format!("Label {}", labels[0].tracking))
}

/// A shipment's labels as ZPL, one `^XA ... ^XZ` format per carton.
pub fn zpl_many(labels: &[LabelData]) -> String {
    labels.iter().map(zpl).collect()
}

fn draw(p: &mut crate::pdfdoc::Sheet, l: &LabelData) {
    assert!(
        tracking_is_valid(&l.tracking),
        "tracking checked at the edge: {:?}",
        l.tracking
    );
    // One ZPL dot is 72/203 pt; the layout below mirrors the ZPL one in points.
    p.text(11.0, 18.0, 8.5, true, "FROM:");
    for (i, line) in fit(&l.ship_from, 30).iter().enumerate() {
        p.text(11.0, 29.0 + 10.0 * i as f32, 8.5, false, line);
    }
    p.text(
        184.0,
        18.0,
        8.5,
        false,
        &format!("SHIP DATE: {}", l.ship_date),
    );
    p.text(184.0, 29.0, 8.5, false, &format!("WEIGHT: {}", l.weight));
    p.text(
        184.0,
        40.0,
        8.5,
        false,
        &format!("CARTON {} OF {}", l.carton.0, l.carton.1),
    );
    p.line(0.0, 82.0, 288.0, 82.0, 1.4);
    p.text(11.0, 97.0, 9.0, true, "SHIP TO:");
    for (i, line) in fit(&l.ship_to, 34).iter().enumerate() {
        p.text(21.0, 114.0 + 15.0 * i as f32, 13.0, true, line);
    }
    p.line(0.0, 199.0, 288.0, 199.0, 1.4);
    p.text(11.0, 224.0, 20.0, true, &l.service.to_uppercase());
    p.text(11.0, 240.0, 10.0, false, &l.carrier);
    p.line(0.0, 245.0, 288.0, 245.0, 1.4);
    p.text(
        11.0,
        259.0,
        9.0,
        false,
        &format!("TRACKING #: {}", l.tracking),
    );
    let tracking = code128::encode(&l.tracking, false).expect("tracking is upper-case ASCII");
    let module = (250.0 / (tracking.len() as f32 * 11.0 + 13.0)).min(1.1);
    p.barcode(21.0, 265.0, module, 50.0, &tracking);
    p.line(0.0, 321.0, 288.0, 321.0, 1.4);
    p.text(11.0, 334.0, 9.0, true, "SSCC");
    let sscc = code128::encode(&l.sscc.element_string(), true).expect("digits");
    p.barcode(21.0, 339.0, 1.1, 55.0, &sscc);
    p.text(21.0, 406.0, 11.0, false, &l.sscc.human_readable());
    if let Some(r) = &l.reference {
        p.text(11.0, 424.0, 8.5, false, &format!("REF: {r}"));
    }
}
