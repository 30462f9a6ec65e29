//! Renders a PDF with `pdftoppm` (poppler-utils) when it is installed and
//! checks each page has ink: dark pixels covering a sensible share of it.

use std::path::PathBuf;
use std::process::Command;

pub fn assert_renders_with_ink(pdf: &[u8], name: &str, pages: usize) {
    if Command::new("pdftoppm").arg("-v").output().is_err() {
        eprintln!(
            "pdftoppm not installed (apt-get install poppler-utils): {name} render not checked"
        );
        return;
    }
    let dir = std::env::temp_dir().join(format!(
        "tote-transport-render-{}-{name}",
        std::process::id()
    ));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let input = dir.join(format!("{name}.pdf"));
    std::fs::write(&input, pdf).expect("write pdf");
    let out = Command::new("pdftoppm")
        .args(["-r", "50", "-gray"])
        .arg(&input)
        .arg(dir.join(name))
        .output()
        .expect("run pdftoppm");
    assert!(
        out.status.success(),
        "pdftoppm failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut rendered: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("list")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "pgm"))
        .collect();
    rendered.sort();
    assert_eq!(rendered.len(), pages, "pages rendered");
    for page in &rendered {
        let ink = dark_share(&std::fs::read(page).expect("read pgm"));
        assert!(
            (0.01..0.6).contains(&ink),
            "{}: dark share {ink}",
            page.display()
        );
    }
    if std::env::var_os("TOTE_KEEP_RENDER").is_none() {
        std::fs::remove_dir_all(&dir).expect("clean up");
    } else {
        eprintln!("kept {}", dir.display());
    }
}

/// Share of pixels darker than mid-grey in a binary PGM (P5, 8-bit).
fn dark_share(pgm: &[u8]) -> f64 {
    // Header: "P5", width, height, maxval, each separated by whitespace.
    let mut fields = Vec::new();
    let mut i = 0;
    while fields.len() < 4 {
        while pgm[i].is_ascii_whitespace() {
            i += 1;
        }
        let start = i;
        while !pgm[i].is_ascii_whitespace() {
            i += 1;
        }
        fields.push(String::from_utf8_lossy(&pgm[start..i]).to_string());
    }
    assert_eq!(fields[0], "P5", "binary greymap");
    let pixels = &pgm[i + 1..];
    pixels.iter().filter(|&&p| p < 128).count() as f64 / pixels.len() as f64
}

/// The barcodes `zbarimg` (zbar-tools) reads on the first page, or `None`
/// when it or `pdftoppm` is not installed.
pub fn decode_barcodes(pdf: &[u8], name: &str) -> Option<Vec<String>> {
    Command::new("zbarimg").arg("--version").output().ok()?;
    Command::new("pdftoppm").arg("-v").output().ok()?;
    let dir =
        std::env::temp_dir().join(format!("tote-transport-zbar-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let input = dir.join("doc.pdf");
    std::fs::write(&input, pdf).expect("write pdf");
    let png = dir.join("page");
    let out = Command::new("pdftoppm")
        .args(["-r", "200", "-png", "-singlefile"])
        .arg(&input)
        .arg(&png)
        .output()
        .expect("pdftoppm");
    assert!(out.status.success(), "pdftoppm failed");
    let out = Command::new("zbarimg")
        .args(["--quiet", "--raw"])
        .arg(dir.join("page.png"))
        .output()
        .expect("zbarimg");
    std::fs::remove_dir_all(&dir).expect("clean up");
    let mut codes: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_string)
        .collect();
    codes.sort();
    Some(codes)
}
