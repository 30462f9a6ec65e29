//! Server-rendered HTML pages: maud templates (escaped by construction) with
//! inline SVG charts from `chart`. No script and no asset pipeline: each page
//! is one self-contained document, and its forms post back to it.

pub mod chart;
mod dashboard;
pub use dashboard::render as render_dashboard_page;
mod planning;
mod planning_live;
mod returns;

use crate::problem::ApiError;
use crate::routes::AppState;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{FromRequest, Multipart, Request};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use maud::{DOCTYPE, Markup, html};
use std::collections::HashMap;

/// The largest uploaded file or pasted text a form field may hold; the
/// request body limit (`serve::BODY_BYTES_MAX`) bounds the whole form.
pub const FORM_FIELD_BYTES_MAX: usize = crate::serve::BODY_BYTES_MAX;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(dashboard::home))
        .route("/metrics/{metric}", get(dashboard::metric))
        .route("/orders/{id}", get(dashboard::order))
        .route("/exceptions", get(dashboard::exceptions))
        .route("/scorecards/{kind}", get(dashboard::scorecards))
        .route("/planning", get(planning::index))
        .route(
            "/planning/forecast",
            get(planning::forecast_get).post(planning::forecast_post),
        )
        .route(
            "/planning/inventory",
            get(planning::inventory_get).post(planning::inventory_post),
        )
        .route(
            "/planning/labor",
            get(planning::labor_get).post(planning::labor_post),
        )
        .route(
            "/planning/peak",
            get(planning::peak_get).post(planning::peak_post),
        )
        .route("/returns", get(returns::get_page).post(returns::post_page))
        .route("/planning/demand", get(planning_live::demand_get))
}

const STYLE: &str = "
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:0;color:#1b1b1b;background:#fafafa}
header{background:#1f4e79;color:#fff;padding:.6rem 1.2rem}
header a{color:#fff;margin-right:1.2rem;text-decoration:none}
header a[aria-current=page]{text-decoration:underline;font-weight:bold}
main{max-width:64rem;margin:0 auto;padding:1rem 1.2rem 3rem}
h1{font-size:1.6rem}
form{background:#fff;border:1px solid #ddd;border-radius:6px;padding:1rem;margin:1rem 0}
fieldset{border:1px solid #e3e3e3;margin:0 0 .8rem}
.fields{display:grid;grid-template-columns:repeat(auto-fill,minmax(13rem,1fr));gap:.6rem 1rem}
label{display:flex;flex-direction:column;font-size:.9rem;gap:.2rem}
input,select,textarea{font:inherit;padding:.25rem}
textarea{width:100%;font-family:ui-monospace,monospace;font-size:.85rem}
button{font:inherit;padding:.4rem 1.2rem;background:#1f4e79;color:#fff;border:0;border-radius:4px;cursor:pointer}
.error{background:#fdecea;border:1px solid #f5c2c0;padding:.6rem 1rem;border-radius:6px}
figure.chart{background:#fff;border:1px solid #ddd;border-radius:6px;margin:1rem 0;padding:.5rem}
ul.legend{list-style:none;display:flex;gap:1.2rem;padding:0;margin:.3rem 0 0 4.5rem;font-size:.9rem}
.swatch{display:inline-block;width:1.4em;height:.8em;margin-right:.4em;vertical-align:middle}
.swatch.line{height:.25em}
.swatch.band{opacity:.35}
.swatch.markers{width:.8em;border-radius:50%}
table{border-collapse:collapse;background:#fff;margin:.5rem 0}
th,td{border:1px solid #ddd;padding:.25rem .6rem;text-align:right}
th:first-child,td:first-child{text-align:left}
dl.figures{display:grid;grid-template-columns:max-content auto;gap:.2rem 1rem}
dl.figures dt{font-weight:bold}
dl.figures dd{margin:0}
.sub{color:#444}
.small{font-size:.85rem;color:#333;margin:.2rem 0}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
form.filters{display:flex;flex-wrap:wrap;gap:.6rem 1rem;align-items:flex-end;padding:.6rem 1rem}
.tiles{display:grid;grid-template-columns:repeat(auto-fill,minmax(13.5rem,1fr));gap:.8rem}
.tile{background:#fff;border:1px solid #ddd;border-left:4px solid #1f4e79;border-radius:6px;padding:.6rem .8rem}
.tile h3{font-size:.95rem;margin:0}
.tile h3 a{color:#1b1b1b}
.tile .value{font-size:1.9rem;font-weight:700;margin:.2rem 0}
.tile .value a{color:#1f4e79;text-decoration:none}
.badge{color:#fff;border-radius:3px;padding:0 .35rem;font-size:.75rem;font-weight:600}
.charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(30rem,1fr));gap:.8rem}
.chart-block{background:#fff;border:1px solid #ddd;border-radius:6px;padding:.5rem .8rem;margin:.8rem 0}
.chart-block h3{font-size:1rem;margin:.2rem 0}
.chart-block svg{max-width:100%;height:auto}
nav.kinds{display:flex;flex-wrap:wrap;gap:.4rem 1rem;margin:.6rem 0}
nav.kinds a[aria-current=page]{font-weight:bold}
table.wide td:nth-child(3){text-align:left}
main{max-width:76rem}
";

/// The page frame: title, navigation (the current page marked), main content.
pub fn layout(title: &str, current: &str, body: Markup) -> Markup {
    let nav = [
        ("/", "Dashboard"),
        ("/exceptions", "Exceptions"),
        ("/scorecards/nodes", "Nodes"),
        ("/scorecards/carriers", "Carriers"),
        ("/scorecards/3pls", "3PLs"),
        ("/planning", "Planning"),
        ("/planning/forecast", "Forecast"),
        ("/planning/inventory", "Inventory"),
        ("/planning/labor", "Labor"),
        ("/planning/peak", "Peak"),
        ("/planning/demand", "Demand"),
    ];
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " - tote" }
                style { (maud::PreEscaped(STYLE)) }
            }
            body {
                header {
                    nav aria-label="Main" {
                        @for (href, name) in nav {
                            a href=(href) aria-current=[(href == current).then_some("page")] { (name) }
                        }
                    }
                }
                main { (body) }
            }
        }
    }
}

/// A page with its status: 422 when the form had a problem, so tools and
/// tests can tell, while the browser still shows the form and the message.
pub fn page(status: StatusCode, markup: Markup) -> Response {
    (status, Html(markup.into_string())).into_response()
}

/// The problem of a failed plan, as the page shows it.
pub fn problem_box(e: &ApiError) -> Markup {
    let p = e.problem();
    html! {
        div.error role="alert" {
            strong { (p.title) ": " }
            @if p.errors.is_empty() {
                (p.detail)
            } @else {
                ul {
                    @for f in &p.errors {
                        li { code { (f.field) } " " (f.problem) }
                    }
                }
            }
        }
    }
}

/// A posted form's fields: `application/x-www-form-urlencoded` or
/// `multipart/form-data` (for file uploads, which arrive as their text).
pub struct FormFields(pub HashMap<String, String>);

impl FormFields {
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.get(name).map(|s| s.trim()).filter(|s| !s.is_empty())
    }
}

impl<S: Send + Sync> FromRequest<S> for FormFields {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let ctype = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_ascii_lowercase();
        let mut fields = HashMap::new();
        if ctype.starts_with("multipart/form-data") {
            let mut multipart = Multipart::from_request(req, state)
                .await
                .map_err(|e| ApiError::malformed(format!("could not read the form: {e}")))?;
            while let Some(field) = multipart
                .next_field()
                .await
                .map_err(|e| ApiError::malformed(format!("could not read the form: {e}")))?
            {
                let name = field.name().unwrap_or("").to_owned();
                let bytes = field
                    .bytes()
                    .await
                    .map_err(|e| ApiError::malformed(format!("could not read `{name}`: {e}")))?;
                if bytes.len() > FORM_FIELD_BYTES_MAX {
                    return Err(ApiError::too_large(format!("`{name}` is too large")));
                }
                let text = String::from_utf8(bytes.to_vec())
                    .map_err(|_| ApiError::field(&name, "is not UTF-8 text"))?;
                fields.insert(name, text);
            }
        } else if ctype.starts_with("application/x-www-form-urlencoded") {
            let bytes = Bytes::from_request(req, state)
                .await
                .map_err(|_| ApiError::too_large("the form is larger than a page takes"))?;
            for (k, v) in form_urlencoded::parse(&bytes) {
                fields.insert(k.into_owned(), v.into_owned());
            }
        } else {
            return Err(ApiError::unsupported_media(
                "post the form as application/x-www-form-urlencoded or multipart/form-data",
            ));
        }
        Ok(FormFields(fields))
    }
}
