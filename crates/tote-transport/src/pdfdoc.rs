//! A small PDF page builder over `pdf-writer`: Helvetica text, filled
//! rectangles, lines and Code 128 barcodes, placed from the top-left corner
//! in points (1/72 in), as label and form layouts are drawn.

use crate::code128;
use pdf_writer::{Content, Name, Pdf, Rect, Ref, Str, TextStr};

const FONT: Name = Name(b"F1");
const FONT_BOLD: Name = Name(b"F2");

pub struct Sheet {
    content: Content,
    height: f32,
}

impl Sheet {
    /// `text` at `x`, baseline `y` points below the top edge. Characters
    /// outside Latin-1 print as `?` (the standard fonts carry no others).
    pub fn text(&mut self, x: f32, y: f32, size: f32, bold: bool, text: &str) -> &mut Sheet {
        let bytes: Vec<u8> = text
            .chars()
            .map(|c| {
                if (c as u32) < 0x7F && c >= ' ' || (0xA0..=0xFF).contains(&(c as u32)) {
                    c as u8
                } else {
                    b'?'
                }
            })
            .collect();
        self.content
            .begin_text()
            .set_font(if bold { FONT_BOLD } else { FONT }, size)
            .next_line(x, self.height - y)
            .show(Str(&bytes))
            .end_text();
        self
    }

    /// A filled black rectangle with its top-left corner at (`x`, `y`).
    pub fn rect(&mut self, x: f32, y: f32, w: f32, h: f32) -> &mut Sheet {
        self.content
            .rect(x, self.height - y - h, w, h)
            .fill_nonzero();
        self
    }

    pub fn line(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, width: f32) -> &mut Sheet {
        self.content
            .set_line_width(width)
            .move_to(x1, self.height - y1)
            .line_to(x2, self.height - y2)
            .stroke();
        self
    }

    /// A Code 128 barcode of `symbols` (see [`code128::encode`]); returns its width.
    pub fn barcode(&mut self, x: f32, y: f32, module: f32, h: f32, symbols: &[u8]) -> f32 {
        let mut at = x;
        for (i, w) in code128::widths(symbols).into_iter().enumerate() {
            let width = w as f32 * module;
            if i % 2 == 0 {
                self.rect(at, y, width, h);
            }
            at += width;
        }
        at - x
    }
}

/// A document of equal-sized pages.
pub struct Doc {
    width: f32,
    height: f32,
    sheets: Vec<Sheet>,
}

impl Doc {
    pub fn new(width: f32, height: f32) -> Doc {
        Doc {
            width,
            height,
            sheets: Vec::new(),
        }
    }

    pub fn page(&mut self) -> &mut Sheet {
        self.sheets.push(Sheet {
            content: Content::new(),
            height: self.height,
        });
        self.sheets.last_mut().expect("just pushed")
    }

    pub fn finish(self, title: &str) -> Vec<u8> {
        let (catalog, tree, font, bold, info) = (
            Ref::new(1),
            Ref::new(2),
            Ref::new(3),
            Ref::new(4),
            Ref::new(5),
        );
        let page_id = |i: usize| Ref::new(6 + 2 * i as i32);
        let content_id = |i: usize| Ref::new(7 + 2 * i as i32);
        let mut pdf = Pdf::new();
        pdf.catalog(catalog).pages(tree);
        pdf.pages(tree)
            .kids((0..self.sheets.len()).map(page_id))
            .count(self.sheets.len() as i32);
        pdf.type1_font(font)
            .base_font(Name(b"Helvetica"))
            .encoding_predefined(Name(b"WinAnsiEncoding"));
        pdf.type1_font(bold)
            .base_font(Name(b"Helvetica-Bold"))
            .encoding_predefined(Name(b"WinAnsiEncoding"));
        pdf.document_info(info)
            .title(TextStr(title))
            .producer(TextStr("tote"));
        for (i, sheet) in self.sheets.into_iter().enumerate() {
            let mut page = pdf.page(page_id(i));
            page.media_box(Rect::new(0.0, 0.0, self.width, self.height))
                .parent(tree)
                .contents(content_id(i));
            page.resources()
                .fonts()
                .pair(FONT, font)
                .pair(FONT_BOLD, bold);
            drop(page);
            pdf.stream(content_id(i), &sheet.content.finish());
        }
        pdf.finish()
    }
}
