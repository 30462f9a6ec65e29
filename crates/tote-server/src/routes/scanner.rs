//! Scanner pages: server-rendered HTML for a keyboard-wedge barcode scanner on a
//! phone or handheld. Big targets, one input focused for the next scan, and a
//! wrong scan turns the page red (and beeps where the browser allows). Each form
//! posts to the same writer command as the JSON API.

use super::AppState;
use crate::problem::{ApiError, ApiResult};
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;
use tote_core::OrgId;
use tote_core::order::parse_order_id;
use tote_oms::Command;
use tote_oms::warehouse::{Pack, PackScanInput, PickInput, PickTask, Wave, WmsCommand};

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn page(title: &str, error: Option<&str>, body: &str) -> Html<String> {
    let (bg, banner) = match error {
        Some(e) => (
            "#b71c1c",
            format!(
                "<p class=err role=alert>{}</p><script>try{{const c=new AudioContext(),o=c.createOscillator();o.frequency.value=220;o.connect(c.destination);o.start();o.stop(c.currentTime+0.4)}}catch(e){{}}</script>",
                esc(e)
            ),
        ),
        None => ("#1b5e20", String::new()),
    };
    Html(format!(
        "<!doctype html><html><head><meta charset=utf-8><meta name=viewport content=\"width=device-width,initial-scale=1\">\
<title>{t}</title><style>body{{font:22px system-ui,sans-serif;margin:0;background:{bg};color:#fff}}main{{padding:16px}}\
h1{{font-size:28px}}.big{{font-size:44px;font-weight:700}}input,button{{font-size:28px;width:100%;padding:14px;margin:8px 0;box-sizing:border-box}}\
.err{{background:#fff;color:#b71c1c;padding:12px;font-weight:700}}</style></head><body><main><h1>{t}</h1>{banner}{body}</main></body></html>",
        t = esc(title),
    ))
}

async fn doc<T: serde::de::DeserializeOwned>(
    s: &AppState,
    kind: &'static str,
    id: String,
) -> ApiResult<Option<T>> {
    let body = s.read(move |r| r.doc(OrgId::DEFAULT, kind, &id)).await?;
    body.map(|b| serde_json::from_str(&b).map_err(ApiError::internal))
        .transpose()
}

/// The list's tasks in walking order.
async fn list_tasks(s: &AppState, wave: &str, list: &str) -> ApiResult<Vec<PickTask>> {
    let w: Wave = doc(s, "wave", wave.to_owned())
        .await?
        .ok_or_else(|| ApiError::not_found(format!("wave `{wave}` not found")))?;
    let l = w
        .lists
        .into_iter()
        .find(|l| l.id == list)
        .ok_or_else(|| ApiError::not_found(format!("pick list `{list}` not found")))?;
    let mut out = Vec::with_capacity(l.tasks.len());
    for id in l.tasks {
        if let Some(t) = doc::<PickTask>(s, "pick_task", id).await? {
            out.push(t);
        }
    }
    Ok(out)
}

async fn pick_page(
    s: &AppState,
    wave: &str,
    list: &str,
    error: Option<&str>,
) -> ApiResult<Response> {
    let tasks = list_tasks(s, wave, list).await?;
    let done = tasks.iter().filter(|t| t.status != "open").count();
    let Some(t) = tasks.iter().find(|t| t.status == "open") else {
        return Ok(page(
            &format!("Pick list {list}"),
            error,
            &format!(
                "<p class=big>Done</p><p>{done} picks. Take the cart to the pack station.</p>"
            ),
        )
        .into_response());
    };
    let body = format!(
        "<p>Pick {n} of {all}</p><p>Go to</p><p class=big id=location>{loc}</p>\
<p>Take <span class=big id=qty>{qty}</span> x <span class=big id=sku>{sku}</span> into tote <span class=big>{tote}</span></p>\
<form method=post><input type=hidden name=task value=\"{id}\"><input type=hidden name=qty value=\"{qty}\">\
<input name=location id=scan-location placeholder=\"scan location\" autofocus autocomplete=off required>\
<input name=item id=scan-item placeholder=\"scan item\" autocomplete=off required>\
<button>Confirm</button></form>",
        n = done + 1,
        all = tasks.len(),
        loc = esc(&t.location),
        qty = t.qty,
        sku = esc(&t.sku),
        tote = t.tote,
        id = esc(&t.id),
    );
    Ok(page(&format!("Pick list {list}"), error, &body).into_response())
}

/// The next pick of a list: where to go, what to take, and the scan form.
pub async fn pick(
    State(s): State<AppState>,
    Path((wave, list)): Path<(String, String)>,
) -> ApiResult<Response> {
    pick_page(&s, &wave, &list, None).await
}

#[derive(Deserialize)]
pub struct PickForm {
    task: String,
    location: String,
    item: String,
    qty: i64,
}

pub async fn pick_scan(
    State(s): State<AppState>,
    Path((wave, list)): Path<(String, String)>,
    Form(f): Form<PickForm>,
) -> ApiResult<Response> {
    let cmd = WmsCommand::ConfirmPick {
        task: f.task,
        input: PickInput {
            location: f.location.trim().to_owned(),
            item: f.item.trim().to_owned(),
            qty: tote_core::Qty(f.qty),
        },
    };
    match s.submit(Command::Warehouse(cmd), None, [0; 32]).await {
        Ok(_) => Ok(Redirect::to(&format!("/scan/pick/{wave}/{list}")).into_response()),
        Err(e) => pick_page(&s, &wave, &list, Some(&scan_error(e))).await,
    }
}

fn scan_error(e: ApiError) -> String {
    e.first_problem()
}

async fn pack_page(s: &AppState, order: &str, error: Option<&str>) -> ApiResult<Response> {
    let oid = parse_order_id(order)
        .ok_or_else(|| ApiError::not_found(format!("order `{order}` not found")))?;
    let o = s
        .read(move |r| r.order(OrgId::DEFAULT, oid))
        .await?
        .ok_or_else(|| ApiError::not_found(format!("order `{order}` not found")))?;
    let pack: Option<Pack> = doc(s, "pack", order.to_owned()).await?;
    let remaining: Vec<(String, i64)> = match &pack {
        Some(p) => p
            .remaining
            .iter()
            .map(|r| (r.sku.clone(), r.qty.0))
            .collect(),
        None => o
            .lines
            .iter()
            .map(|l| (l.sku.clone(), l.allocated().0))
            .collect(),
    };
    let refused = pack.as_ref().map_or(0, |p| p.scans_refused);
    let error = error.or_else(|| pack.as_ref().and_then(|p| p.refusal.as_deref()));
    if o.status.as_str() != "picked" {
        let cartons = pack
            .as_ref()
            .map(|p| {
                p.cartons
                    .iter()
                    .map(|c| esc(&c.carton))
                    .collect::<Vec<_>>()
                    .join(", ")
            })
            .unwrap_or_default();
        return Ok(page(
            &format!("Pack {order}"),
            error,
            &format!(
                "<p class=big id=status>{}</p><p>Cartons: {cartons}</p>",
                o.status.as_str()
            ),
        )
        .into_response());
    }
    let rows: String = remaining
        .iter()
        .filter(|(_, q)| *q > 0)
        .map(|(sku, q)| format!("<li><span class=big>{q}</span> x {}</li>", esc(sku)))
        .collect();
    let body = format!(
        "<p>Scan each unit. Refused scans: {refused}</p><ul id=remaining>{rows}</ul>\
<form method=post><input name=item id=scan-item placeholder=\"scan item\" autofocus autocomplete=off required>\
<button>Scan</button></form>"
    );
    Ok(page(&format!("Pack {order}"), error, &body).into_response())
}

/// What is left to scan of an order at the pack station.
pub async fn pack(State(s): State<AppState>, Path(order): Path<String>) -> ApiResult<Response> {
    pack_page(&s, &order, None).await
}

#[derive(Deserialize)]
pub struct PackForm {
    item: String,
}

pub async fn pack_scan(
    State(s): State<AppState>,
    Path(order): Path<String>,
    Form(f): Form<PackForm>,
) -> ApiResult<Response> {
    let cmd = WmsCommand::PackScan {
        order: order.clone(),
        input: PackScanInput {
            item: f.item.trim().to_owned(),
        },
    };
    match s.submit(Command::Warehouse(cmd), None, [0; 32]).await {
        // A refused scan is answered too: the page shows the refusal in red.
        Ok(_) => pack_page(&s, &order, None).await,
        Err(e) => pack_page(&s, &order, Some(&scan_error(e))).await,
    }
}
