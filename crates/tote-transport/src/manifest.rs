//! The manifest: the shipments handed to one carrier at one pickup, as CSV
//! and as a printable PDF the driver signs.

use crate::gs1::Sscc;
use crate::money::Money;
use crate::pdfdoc::Doc;
use crate::place::Address;
use crate::units::Weight;
use chrono::NaiveDate;
use rust_decimal::Decimal;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ManifestLine {
    pub tracking: String,
    pub sscc: Option<Sscc>,
    pub service: String,
    pub ship_to: Address,
    pub weight: Weight,
    pub charge: Money,
    pub reference: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Manifest {
    pub carrier: String,
    pub node: String,
    pub pickup_on: NaiveDate,
    pub lines: Vec<ManifestLine>,
}

/// Pounds to two places, as manifests print them.
fn pounds(w: Weight) -> Decimal {
    (Decimal::from(w.ug()) / Decimal::from(453_592_370u64)).round_dp(2)
}

impl Manifest {
    pub fn total_weight_lb(&self) -> Decimal {
        pounds(Weight::from_ug(
            self.lines.iter().map(|l| l.weight.ug()).sum(),
        ))
    }
}

/// One row per carton: `carrier, node, pickup_on, tracking, sscc, service,
/// ship_to_name, city, region, postal, country, weight_lb, charge, currency, reference`.
pub fn manifest_csv(m: &Manifest) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let header = [
        "carrier",
        "node",
        "pickup_on",
        "tracking",
        "sscc",
        "service",
        "ship_to_name",
        "city",
        "region",
        "postal",
        "country",
        "weight_lb",
        "charge",
        "currency",
        "reference",
    ];
    w.write_record(header).expect("write to memory");
    for l in &m.lines {
        w.write_record([
            m.carrier.as_str(),
            m.node.as_str(),
            &m.pickup_on.to_string(),
            &l.tracking,
            &l.sscc.map(|s| s.to_string()).unwrap_or_default(),
            &l.service,
            &l.ship_to.name,
            &l.ship_to.city,
            &l.ship_to.region,
            &l.ship_to.postal,
            l.ship_to.country.as_str(),
            &pounds(l.weight).to_string(),
            &l.charge.amount.to_string(),
            l.charge.currency.as_str(),
            l.reference.as_deref().unwrap_or(""),
        ])
        .expect("write to memory");
    }
    String::from_utf8(w.into_inner().expect("flush to memory")).expect("CSV of UTF-8 fields")
}

/// Lines per US-letter page of the PDF manifest.
pub const MANIFEST_LINES_PER_PAGE: usize = 36;

/// The manifest on US-letter pages: a header, one row per carton, totals
/// and a signature line for the driver on the last page.
pub fn manifest_pdf(m: &Manifest) -> Vec<u8> {
    let mut doc = Doc::new(612.0, 792.0);
    let chunks: Vec<&[ManifestLine]> = if m.lines.is_empty() {
        vec![&[]]
    } else {
        m.lines.chunks(MANIFEST_LINES_PER_PAGE).collect()
    };
    let pages = chunks.len();
    for (n, chunk) in chunks.into_iter().enumerate() {
        let p = doc.page();
        p.text(36.0, 50.0, 16.0, true, &format!("Manifest: {}", m.carrier));
        p.text(
            36.0,
            68.0,
            10.0,
            false,
            &format!(
                "Node {}   Pickup {}   Page {} of {pages}",
                m.node,
                m.pickup_on,
                n + 1
            ),
        );
        let cols: [(f32, &str); 6] = [
            (36.0, "Tracking"),
            (170.0, "Service"),
            (290.0, "Ship to"),
            (450.0, "Postal"),
            (505.0, "lb"),
            (540.0, "Charge"),
        ];
        for (x, h) in cols {
            p.text(x, 92.0, 9.0, true, h);
        }
        p.line(36.0, 96.0, 576.0, 96.0, 0.8);
        for (i, l) in chunk.iter().enumerate() {
            let y = 110.0 + 17.0 * i as f32;
            p.text(36.0, y, 8.5, false, &l.tracking);
            p.text(170.0, y, 8.5, false, &truncate(&l.service, 22));
            p.text(
                290.0,
                y,
                8.5,
                false,
                &truncate(&format!("{}, {}", l.ship_to.name, l.ship_to.city), 30),
            );
            p.text(
                450.0,
                y,
                8.5,
                false,
                &format!("{} {}", l.ship_to.postal, l.ship_to.country),
            );
            p.text(505.0, y, 8.5, false, &pounds(l.weight).to_string());
            p.text(540.0, y, 8.5, false, &l.charge.amount.to_string());
        }
        if n + 1 == pages {
            let y = 110.0 + 17.0 * MANIFEST_LINES_PER_PAGE as f32 + 10.0;
            p.line(36.0, y - 12.0, 576.0, y - 12.0, 0.8);
            p.text(
                36.0,
                y,
                10.0,
                true,
                &format!("{} cartons, {} lb", m.lines.len(), m.total_weight_lb()),
            );
            p.line(36.0, y + 40.0, 260.0, y + 40.0, 0.6);
            p.text(
                36.0,
                y + 52.0,
                8.5,
                false,
                "Driver signature, date and time",
            );
            p.line(330.0, y + 40.0, 576.0, y + 40.0, 0.6);
            p.text(330.0, y + 52.0, 8.5, false, "Shipper signature");
        }
    }
    doc.finish(&format!("Manifest {} {}", m.carrier, m.pickup_on))
}

fn truncate(s: &str, chars: usize) -> String {
    if s.chars().count() <= chars {
        s.to_string()
    } else {
        s.chars().take(chars - 1).chain(['.']).collect()
    }
}
