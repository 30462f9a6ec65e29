//! The commercial invoice that travels with an international shipment.

use crate::customs::{Declaration, Incoterm};
use crate::pdfdoc::Doc;
use crate::place::Address;
use rust_decimal::Decimal;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvoiceParties {
    pub number: String,
    pub exporter: Address,
    pub consignee: Address,
    /// Tracking or waybill number, when known.
    pub waybill: Option<String>,
}

/// Item lines per page of the invoice.
pub const INVOICE_ITEMS_PER_PAGE: usize = 22;

/// A US-letter commercial invoice: parties, terms, one line per item with
/// HS code, origin, quantity, unit value and amount, then totals and a
/// declaration with a signature line on the last page.
pub fn commercial_invoice_pdf(decl: &Declaration, parties: &InvoiceParties) -> Vec<u8> {
    let mut doc = Doc::new(612.0, 792.0);
    let chunks: Vec<_> = if decl.items.is_empty() {
        vec![&decl.items[..]]
    } else {
        decl.items.chunks(INVOICE_ITEMS_PER_PAGE).collect()
    };
    let pages = chunks.len();
    for (n, chunk) in chunks.into_iter().enumerate() {
        let p = doc.page();
        p.text(36.0, 50.0, 18.0, true, "COMMERCIAL INVOICE");
        p.text(
            400.0,
            44.0,
            9.0,
            false,
            &format!("Invoice {}", parties.number),
        );
        p.text(400.0, 56.0, 9.0, false, &format!("Date {}", decl.date));
        p.text(
            400.0,
            68.0,
            9.0,
            false,
            &format!("Page {} of {pages}", n + 1),
        );
        for (x, title, a) in [
            (36.0, "Exporter", &parties.exporter),
            (320.0, "Consignee", &parties.consignee),
        ] {
            p.text(x, 96.0, 9.0, true, title);
            for (i, line) in a.printed().iter().enumerate() {
                p.text(x, 110.0 + 11.0 * i as f32, 9.0, false, line);
            }
        }
        let terms = match decl.incoterm {
            Incoterm::Dap => "DAP (duties and taxes paid by the consignee)",
            Incoterm::Ddp => "DDP (duties and taxes paid by the exporter)",
        };
        p.text(
            36.0,
            190.0,
            9.0,
            false,
            &format!("Terms of delivery: {terms}"),
        );
        p.text(
            36.0,
            202.0,
            9.0,
            false,
            &format!("Currency: {}   Reason for export: sale", decl.currency),
        );
        if let Some(w) = &parties.waybill {
            p.text(320.0, 202.0, 9.0, false, &format!("Waybill: {w}"));
        }
        let cols: [(f32, &str); 6] = [
            (36.0, "Description"),
            (250.0, "HS code"),
            (330.0, "Origin"),
            (380.0, "Qty"),
            (430.0, "Unit value"),
            (510.0, "Amount"),
        ];
        for (x, h) in cols {
            p.text(x, 230.0, 9.0, true, h);
        }
        p.line(36.0, 234.0, 576.0, 234.0, 0.8);
        for (i, item) in chunk.iter().enumerate() {
            let y = 248.0 + 16.0 * i as f32;
            let desc: String = item.description.chars().take(40).collect();
            p.text(36.0, y, 8.5, false, &desc);
            p.text(250.0, y, 8.5, false, &item.hs_code);
            p.text(330.0, y, 8.5, false, item.origin.as_str());
            p.text(380.0, y, 8.5, false, &item.quantity.to_string());
            p.text(430.0, y, 8.5, false, &item.unit_value.to_string());
            p.text(
                510.0,
                y,
                8.5,
                false,
                &(item.unit_value * Decimal::from(item.quantity)).to_string(),
            );
        }
        if n + 1 == pages {
            let y = 248.0 + 16.0 * INVOICE_ITEMS_PER_PAGE as f32 + 10.0;
            p.line(36.0, y - 12.0, 576.0, y - 12.0, 0.8);
            let goods = decl.goods_value();
            p.text(380.0, y, 9.0, false, "Goods");
            p.text(510.0, y, 9.0, false, &goods.to_string());
            p.text(380.0, y + 12.0, 9.0, false, "Shipping");
            p.text(510.0, y + 12.0, 9.0, false, &decl.shipping.to_string());
            p.text(
                380.0,
                y + 26.0,
                10.0,
                true,
                &format!("Total {}", decl.currency),
            );
            p.text(
                510.0,
                y + 26.0,
                10.0,
                true,
                &(goods + decl.shipping).to_string(),
            );
            p.text(
                36.0,
                y + 60.0,
                8.5,
                false,
                "I declare that the information on this invoice is true and correct.",
            );
            p.line(36.0, y + 100.0, 300.0, y + 100.0, 0.6);
            p.text(36.0, y + 112.0, 8.5, false, "Signature, name and date");
        }
    }
    doc.finish(&format!("Commercial invoice {}", parties.number))
}
