//! The planning pages: server-rendered HTML with inline SVG charts. Checked
//! twice: as markup (an accessible chart of the right data, forms that post
//! back, problems shown in the page), and in a real browser, headless
//! Chromium, whose screenshot must show the chart's ink.
//!
//! Without Chromium the browser test skips with a message, unless `CI=true`,
//! where a missing browser fails it (CI installs the Debian package `chromium`).

use crate::server::{Server, needed};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const PAGES: [(&str, &str); 4] = [
    ("/planning/forecast", "history"),
    ("/planning/inventory", "service level"),
    ("/planning/labor", "heads needed (workload)"),
    ("/planning/peak", "backlog"),
];

/// The charts' primary colour (`pages::chart::COLOR_PRIMARY`), used nowhere
/// else on the pages, so its pixels in a screenshot are the chart's.
const CHART_RGB: [u8; 3] = [0x1f, 0x77, 0xb4];

fn get_html(s: &Server, path: &str) -> (u16, String, String) {
    let r = s.client.get(s.url(path)).send().expect("GET");
    let status = r.status().as_u16();
    let ctype = r
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    (status, ctype, r.text().expect("body"))
}

fn post_form(s: &Server, path: &str, fields: &[(&str, &str)]) -> (u16, String) {
    let body: String = fields
        .iter()
        .map(|(k, v)| format!("{k}={}", encode(v)))
        .collect::<Vec<_>>()
        .join("&");
    let r = s
        .client
        .post(s.url(path))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .expect("POST");
    (r.status().as_u16(), r.text().expect("body"))
}

#[test]
fn each_planning_page_draws_an_accessible_chart_of_its_data() {
    let s = Server::start();
    let (st, ctype, index) = get_html(&s, "/planning");
    assert_eq!((st, ctype.as_str()), (200, "text/html; charset=utf-8"));
    for (path, _) in PAGES {
        assert!(
            index.contains(&format!("href=\"{path}\"")),
            "{path} not linked"
        );
    }
    for (path, layer) in PAGES {
        let (st, ctype, html) = get_html(&s, path);
        assert_eq!(
            (st, ctype.as_str()),
            (200, "text/html; charset=utf-8"),
            "{path}"
        );
        assert!(
            html.starts_with("<!DOCTYPE html><html lang=\"en\">"),
            "{path}"
        );
        assert!(html.contains("<title>"), "{path}");
        // The chart is an image to assistive technology, named by its title
        // and described (its text alternative) by its desc.
        assert!(
            html.contains(
                "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-labelledby="
            ),
            "{path}"
        );
        assert!(
            html.contains("-title\">") && html.contains("-desc\">"),
            "{path}"
        );
        assert!(
            html.contains(&format!("data-layer=\"{layer}\"")),
            "{path}: no `{layer}` layer"
        );
        assert!(!html.contains("NaN"), "{path}");
        assert!(
            html.contains(&format!("method=\"post\" action=\"{path}\"")),
            "{path}"
        );
        // Every text input has a label or an aria-label.
        let inputs = html.matches("<input ").count();
        let labelled = html.matches("<label for=").count() + html.matches("aria-label=").count();
        assert!(
            labelled >= inputs,
            "{path}: {inputs} inputs, {labelled} labels"
        );
    }
}

#[test]
fn forecast_page_forecasts_an_uploaded_csv() {
    let s = Server::start();
    let mut csv = String::from("series,period,value\n");
    for i in 0..24 {
        csv.push_str(&format!(
            "GIFT-BOX,{}-Q{},{}\n",
            2020 + i / 4,
            i % 4 + 1,
            100 + 10 * (i % 4)
        ));
    }
    let boundary = "tote-test-boundary";
    let body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"history_file\"; filename=\"h.csv\"\r\nContent-Type: text/csv\r\n\r\n{csv}\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"horizon\"\r\n\r\n8\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"interval\"\r\n\r\n95\r\n--{boundary}--\r\n"
    );
    let r = s
        .client
        .post(s.url("/planning/forecast"))
        .header(
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(body)
        .send()
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let html = r.text().unwrap();
    assert!(html.contains("<h2 id=\"series-0\">GIFT-BOX</h2>"), "{html}");
    assert!(html.contains("a 8-period forecast to 2027-Q4"), "{html}");
    assert!(html.contains("data-layer=\"95% interval\""), "{html}");
}

#[test]
fn a_page_form_with_a_bad_value_shows_the_problem_and_keeps_the_input() {
    let s = Server::start();
    let (st, html) = post_form(
        &s,
        "/planning/inventory",
        &[("demand_per_day_mean", "lots"), ("service_level", "1.2")],
    );
    assert_eq!(st, 422);
    assert!(html.contains("role=\"alert\""), "{html}");
    assert!(html.contains("<code>demand_per_day_mean</code>"), "{html}");
    assert!(
        html.contains("value=\"lots\""),
        "the typed value is kept: {html}"
    );
    let (st, html) = post_form(&s, "/planning/peak", &[("order_cutoff", "25:00")]);
    assert_eq!(st, 422);
    assert!(html.contains("<code>order_cutoff</code>"), "{html}");
}

#[test]
fn page_forms_change_the_plan() {
    let s = Server::start();
    let (st, html) = post_form(&s, "/planning/inventory", &[("service_level", "0.99")]);
    assert_eq!(st, 200);
    assert!(html.contains("Safety stock at 99%"), "{html}");
    // Relieving pack (more packers and benches) ships every order due on time.
    let (st, html) = post_form(&s, "/planning/peak", &[("days", "2")]);
    assert_eq!(st, 200);
    assert!(!html.contains("<dd>100%</dd>"), "{html}");
    let (st, html) = post_form(
        &s,
        "/planning/peak",
        &[("days", "2"), ("packers", "14"), ("benches", "14")],
    );
    assert_eq!(st, 200);
    assert!(
        html.contains("<dt>On-time ship rate</dt><dd>100%</dd>"),
        "{html}"
    );
    let (st, html) = post_form(&s, "/planning/labor", &[("shrinkage", "0")]);
    assert_eq!(st, 200);
    assert!(html.contains("Heads by day"), "{html}");
}

/// Where Chromium is: `TOTE_CHROMIUM`, else the usual names on the PATH.
pub(crate) fn chromium() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("TOTE_CHROMIUM") {
        return Some(PathBuf::from(p));
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|dir| {
            ["chromium", "chromium-browser", "google-chrome"]
                .into_iter()
                .map(move |name| dir.join(name))
        })
        .find(|p| p.is_file())
}

/// Takes a 1280x900 screenshot of `url`, waiting at most a minute.
pub(crate) fn screenshot(browser: &Path, url: &str, file: &Path) {
    screenshot_sized(browser, url, file, "1280,900");
}

/// Takes a screenshot of `url` at `size` (`WIDTH,HEIGHT`), waiting at most a minute.
pub(crate) fn screenshot_sized(browser: &Path, url: &str, file: &Path, size: &str) {
    let profile = tempfile::tempdir().expect("temp dir");
    let mut child = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--hide-scrollbars",
        ])
        .arg(format!("--window-size={size}"))
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("--screenshot={}", file.display()))
        .arg(url)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start chromium");
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if let Some(status) = child.try_wait().expect("wait for chromium") {
            assert!(status.success(), "chromium failed on {url}: {status}");
            return;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("chromium took over a minute on {url}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The DOM of `url` as headless Chromium built it.
pub(crate) fn dump_dom(browser: &Path, url: &str) -> String {
    let profile = tempfile::tempdir().expect("temp dir");
    let out = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--dump-dom",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(url)
        .stderr(Stdio::null())
        .output()
        .expect("start chromium");
    assert!(out.status.success(), "chromium failed on {url}");
    String::from_utf8(out.stdout).expect("UTF-8 DOM")
}

/// Pixels within a small distance of `rgb`, which anti-aliasing blends at edges.
pub(crate) fn pixels_near(file: &Path, rgb: [u8; 3]) -> usize {
    let decoder = png::Decoder::new(std::fs::File::open(file).expect("open the screenshot"));
    let mut reader = decoder.read_info().expect("a PNG");
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).expect("a frame");
    let channels = match info.color_type {
        png::ColorType::Rgb => 3,
        png::ColorType::Rgba => 4,
        other => panic!("unexpected colour type {other:?}"),
    };
    buf[..info.buffer_size()]
        .chunks_exact(channels)
        .filter(|px| (0..3).all(|c| px[c].abs_diff(rgb[c]) <= 24))
        .count()
}

#[test]
fn planning_pages_render_their_charts_in_headless_chromium() {
    let Some(browser) = needed(
        chromium(),
        "chromium, chromium-browser or google-chrome on the PATH (or TOTE_CHROMIUM)",
    ) else {
        return;
    };
    let s = Server::start();
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("planning-pages");
    std::fs::create_dir_all(&out).expect("create the screenshot directory");
    for (path, _) in PAGES {
        let file = out.join(format!("{}.png", path.rsplit('/').next().unwrap()));
        let _ = std::fs::remove_file(&file);
        screenshot(&browser, &s.url(path), &file);
        // A line chart's stroke covers a few thousand pixels at this size; the
        // legend swatch alone about sixty.
        let ink = pixels_near(&file, CHART_RGB);
        assert!(
            ink > 1_000,
            "{path}: only {ink} chart-coloured pixels in {}",
            file.display()
        );
        eprintln!("{path}: {ink} chart pixels, screenshot {}", file.display());
    }
}

#[test]
fn a_long_history_is_drawn_from_its_latest_periods() {
    let s = Server::start();
    let mut csv = String::from("series,period,value\n");
    for i in 0..700 {
        csv.push_str(&format!(
            "OLD-SKU,{}-{:02},{}\n",
            1950 + i / 12,
            i % 12 + 1,
            50 + i % 12
        ));
    }
    let (st, html) = post_form(
        &s,
        "/planning/forecast",
        &[("history", &csv), ("horizon", "6")],
    );
    assert_eq!(st, 200, "{html}");
    // 700 months from 1950-01: the chart shows the last 600, from 1958-05.
    assert!(
        html.contains("600 periods of history from 1958-05 to 2008-04"),
        "{html}"
    );
}

/// `application/x-www-form-urlencoded` value encoding.
fn encode(v: &str) -> String {
    v.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            b' ' => "+".into(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}
