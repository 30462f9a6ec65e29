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
use tote_oms::warehouse::{
    Asn, AsnReceiptInput, AsnReceiptLine, Count, CountLineInput, CountRecordInput, Pack,
    PackScanInput, PickInput, PickTask, PutawayInput, PutawayQuery, Wave, WmsCommand, WmsOutcome,
};
use tote_oms::{Command, Outcome};

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
.err{{background:#fff;color:#b71c1c;padding:12px;font-weight:700}}.note{{background:#fff;color:#1b5e20;padding:12px;font-weight:700}}.secondary{{background:#ddd}}table{{width:100%;border-collapse:collapse}}td,th{{padding:4px;text-align:left;border-bottom:1px solid #fff8}}.check{{display:block;font-size:26px;margin:8px 0}}.check input{{width:32px;height:32px}}</style></head><body><main><h1>{t}</h1>{banner}{body}</main></body></html>",
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

// ---- receiving ----

/// A green note about the last scan (the page stays green).
fn note_html(note: Option<&str>) -> String {
    note.map(|n| format!("<p class=note id=note>{}</p>", esc(n)))
        .unwrap_or_default()
}

/// An SSCC is 18 digits; the writer checks its check digit.
fn looks_like_sscc(code: &str) -> bool {
    code.len() == 18 && code.bytes().all(|b| b.is_ascii_digit())
}

fn start_page(title: &str, what: &str, error: Option<&str>) -> Response {
    page(
        title,
        error,
        &format!(
            "<form method=post><input name=code id=scan-code placeholder=\"{what}\" autofocus autocomplete=off required>\
<button>Open</button></form>"
        ),
    )
    .into_response()
}

/// Where receiving starts: scan an ASN's id or a carton's SSCC.
pub async fn receive_start() -> Response {
    start_page("Receive", "scan ASN or carton SSCC", None)
}

#[derive(Deserialize)]
pub struct CodeForm {
    code: String,
}

pub async fn receive_start_scan(
    State(s): State<AppState>,
    Form(f): Form<CodeForm>,
) -> ApiResult<Response> {
    let code = f.code.trim().to_owned();
    if looks_like_sscc(&code) {
        let cmd = WmsCommand::ReceiveCarton {
            sscc: code.clone(),
            input: AsnReceiptInput {
                lines: Vec::new(),
                sscc: None,
                close: false,
            },
        };
        return match s.submit(Command::Warehouse(cmd), None, [0; 32]).await {
            Ok(a) => match a.outcome {
                Outcome::Warehouse(WmsOutcome::Asn(asn)) => {
                    receive_page(&s, &asn.id, None, Some(&format!("Received carton {code}"))).await
                }
                other => Err(ApiError::internal(format!("unexpected outcome {other:?}"))),
            },
            Err(e) => Ok(start_page(
                "Receive",
                "scan ASN or carton SSCC",
                Some(&scan_error(e)),
            )),
        };
    }
    match doc::<Asn>(&s, "asn", code.clone()).await? {
        Some(_) => Ok(Redirect::to(&format!("/scan/receive/{code}")).into_response()),
        None => Ok(start_page(
            "Receive",
            "scan ASN or carton SSCC",
            Some(&format!("`{code}` is no ASN or carton SSCC")),
        )),
    }
}

async fn receive_page(
    s: &AppState,
    id: &str,
    error: Option<&str>,
    note: Option<&str>,
) -> ApiResult<Response> {
    let asn: Asn = doc(s, "asn", id.to_owned())
        .await?
        .ok_or_else(|| ApiError::not_found(format!("ASN `{id}` not found")))?;
    let rows: String = asn
        .lines
        .iter()
        .map(|l| {
            format!(
                "<tr><td>{}</td><td>{}</td><td class=big>{}</td><td>{}</td><td>{}</td></tr>",
                esc(&l.sku),
                l.expected,
                l.received,
                l.damaged,
                l.short
            )
        })
        .collect();
    let cartons: String = asn
        .cartons
        .iter()
        .filter_map(|c| c.sscc.as_ref().map(|s| (c, s)))
        .map(|(c, sscc)| {
            let done = asn.cartons_received.contains(sscc);
            format!(
                "<li>{} {} {}</li>",
                esc(&c.id),
                esc(sscc),
                if done { "received" } else { "" }
            )
        })
        .collect();
    let form = if asn.status == "open" {
        format!(
            "<form method=post id=recv><input name=code id=scan-code placeholder=\"scan carton SSCC or item\" autofocus autocomplete=off required>\
<button>Receive</button></form><label class=check><input type=checkbox form=recv name=damaged value=1 id=damaged> next unit is damaged</label>\
<form method=post action=\"/scan/receive/{id}/close\"><button id=close class=secondary>Close ASN</button></form>",
            id = esc(&asn.id)
        )
    } else {
        "<p class=big id=status>Closed</p>".to_owned()
    };
    let body = format!(
        "<p>PO {po}</p>{note}<table id=lines><tr><th>SKU</th><th>exp</th><th>recv</th><th>dmg</th><th>short</th></tr>{rows}</table>\
<ul id=cartons>{cartons}</ul>{form}",
        po = esc(&asn.po),
        note = note_html(note),
    );
    Ok(page(&format!("Receive {}", asn.id), error, &body).into_response())
}

/// An ASN at the dock: what is expected and has arrived; scan a carton's SSCC
/// to receive it whole, or an item to receive one unit.
pub async fn receive(State(s): State<AppState>, Path(asn): Path<String>) -> ApiResult<Response> {
    receive_page(&s, &asn, None, None).await
}

#[derive(Deserialize)]
pub struct ReceiveForm {
    code: String,
    #[serde(default)]
    damaged: Option<String>,
}

pub async fn receive_scan(
    State(s): State<AppState>,
    Path(asn): Path<String>,
    Form(f): Form<ReceiveForm>,
) -> ApiResult<Response> {
    let code = f.code.trim().to_owned();
    let damaged = f.damaged.is_some();
    let (input, note) = if looks_like_sscc(&code) {
        (
            AsnReceiptInput {
                lines: Vec::new(),
                sscc: Some(code.clone()),
                close: false,
            },
            format!("Received carton {code}"),
        )
    } else {
        let one = tote_core::Qty(1);
        (
            AsnReceiptInput {
                lines: vec![AsnReceiptLine {
                    sku: code.clone(),
                    qty: if damaged { tote_core::Qty::ZERO } else { one },
                    damaged: if damaged { one } else { tote_core::Qty::ZERO },
                }],
                sscc: None,
                close: false,
            },
            format!(
                "Received 1 x {code}{}",
                if damaged { " (damaged)" } else { "" }
            ),
        )
    };
    let cmd = WmsCommand::ReceiveAsn {
        asn: asn.clone(),
        input,
    };
    match s.submit(Command::Warehouse(cmd), None, [0; 32]).await {
        Ok(_) => receive_page(&s, &asn, None, Some(&note)).await,
        Err(e) => receive_page(&s, &asn, Some(&scan_error(e)), None).await,
    }
}

pub async fn receive_close(
    State(s): State<AppState>,
    Path(asn): Path<String>,
) -> ApiResult<Response> {
    let cmd = WmsCommand::ReceiveAsn {
        asn: asn.clone(),
        input: AsnReceiptInput {
            lines: Vec::new(),
            sscc: None,
            close: true,
        },
    };
    match s.submit(Command::Warehouse(cmd), None, [0; 32]).await {
        Ok(_) => Ok(Redirect::to(&format!("/scan/receive/{asn}")).into_response()),
        Err(e) => receive_page(&s, &asn, Some(&scan_error(e)), None).await,
    }
}

// ---- put-away ----

fn putaway_start(node: &str, error: Option<&str>, note: Option<&str>) -> Response {
    page(
        &format!("Put away at {node}"),
        error,
        &format!(
            "{}<form method=post><input name=item id=scan-item placeholder=\"scan item\" autofocus autocomplete=off required>\
<input name=qty id=scan-qty placeholder=\"quantity\" inputmode=numeric autocomplete=off required><button>Where?</button></form>",
            note_html(note)
        ),
    )
    .into_response()
}

/// Put-away: scan the item and enter the quantity; the page names the
/// suggested location; scan it to confirm, or scan another and give a reason.
pub async fn putaway(Path(node): Path<String>) -> Response {
    putaway_start(&node, None, None)
}

#[derive(Deserialize)]
pub struct PutawayForm {
    item: String,
    qty: String,
    #[serde(default)]
    location: Option<String>,
    #[serde(default)]
    reason: Option<String>,
}

fn putaway_confirm(
    node: &str,
    f: &PutawayForm,
    suggested: Option<&str>,
    error: Option<&str>,
) -> Response {
    let target = match suggested {
        Some(l) => format!("<p>Put away at</p><p class=big id=suggested>{}</p>", esc(l)),
        None => "<p class=big id=suggested>no location suggested</p>".to_owned(),
    };
    // After a wrong location the reason field appears: scan the suggested
    // location again, or scan another one and say why.
    let reason = if error.is_some() {
        "<input name=reason id=scan-reason placeholder=\"reason to override\" autocomplete=off>"
    } else {
        ""
    };
    let body = format!(
        "<p><span class=big id=qty>{qty}</span> x <span class=big id=sku>{item}</span></p>{target}\
<form method=post><input type=hidden name=item value=\"{item}\"><input type=hidden name=qty value=\"{qty}\">\
<input type=hidden name=suggested value=\"{sugg}\">\
<input name=location id=scan-location placeholder=\"scan location\" autofocus autocomplete=off required>{reason}\
<button>Confirm</button></form>",
        qty = esc(f.qty.trim()),
        item = esc(f.item.trim()),
        sugg = esc(suggested.unwrap_or("")),
    );
    page(&format!("Put away at {node}"), error, &body).into_response()
}

#[derive(Deserialize)]
pub struct PutawayFormFull {
    #[serde(flatten)]
    form: PutawayForm,
    #[serde(default)]
    suggested: Option<String>,
}

pub async fn putaway_scan(
    State(s): State<AppState>,
    Path(node): Path<String>,
    Form(full): Form<PutawayFormFull>,
) -> ApiResult<Response> {
    let f = full.form;
    let Ok(qty) = f.qty.trim().parse::<i64>() else {
        return Ok(putaway_start(
            &node,
            Some(&format!("`{}` is not a quantity", f.qty.trim())),
            None,
        ));
    };
    let item = f.item.trim().to_owned();
    let location = f.location.as_deref().map(str::trim).unwrap_or("");
    if location.is_empty() {
        let cmd = WmsCommand::SuggestPutaway(PutawayQuery {
            node: node.clone(),
            sku: item,
            qty: tote_core::Qty(qty),
            velocity: None,
        });
        return match s.submit(Command::Warehouse(cmd), None, [0; 32]).await {
            Ok(a) => match a.outcome {
                Outcome::Warehouse(WmsOutcome::Suggestion(sg)) => {
                    Ok(putaway_confirm(&node, &f, sg.location.as_deref(), None))
                }
                other => Err(ApiError::internal(format!("unexpected outcome {other:?}"))),
            },
            Err(e) => Ok(putaway_start(&node, Some(&scan_error(e)), None)),
        };
    }
    let reason = f
        .reason
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .map(str::to_owned);
    let cmd = WmsCommand::PutAway(PutawayInput {
        node: node.clone(),
        sku: item.clone(),
        qty: tote_core::Qty(qty),
        from: None,
        location: location.to_owned(),
        override_reason: reason,
        velocity: None,
        asn: None,
    });
    match s.submit(Command::Warehouse(cmd), None, [0; 32]).await {
        Ok(_) => Ok(putaway_start(
            &node,
            None,
            Some(&format!("Put away {qty} x {item} at {location}")),
        )),
        // The page's reason field is the API's override_reason.
        Err(e) => Ok(putaway_confirm(
            &node,
            &f,
            full.suggested.as_deref().filter(|x| !x.is_empty()),
            Some(&scan_error(e).replace("give override_reason", "give a reason below")),
        )),
    }
}

// ---- blind count ----

/// What the counter has scanned so far: (location, item, units).
type Tally = Vec<(String, String, i64)>;

#[derive(Deserialize)]
pub struct CountForm {
    #[serde(default)]
    at: usize,
    /// The location at `at` was scanned: the counter is there.
    #[serde(default)]
    here: Option<String>,
    #[serde(default)]
    tally: Option<String>,
    #[serde(default)]
    location: Option<String>,
    #[serde(default)]
    item: Option<String>,
    #[serde(default)]
    action: Option<String>,
}

async fn count_page(
    s: &AppState,
    id: &str,
    (at, here, tally): (usize, bool, &Tally),
    error: Option<&str>,
    note: Option<&str>,
) -> ApiResult<Response> {
    let c: Count = doc(s, "count", id.to_owned())
        .await?
        .ok_or_else(|| ApiError::not_found(format!("count `{id}` not found")))?;
    let title = format!("Count {id}");
    if c.status != "open" && c.status != "recount" {
        return Ok(page(
            &title,
            error,
            &format!(
                "{}<p class=big id=status>{}</p><p>Thank you: the count waits for approval.</p>",
                note_html(note),
                esc(&c.status)
            ),
        )
        .into_response());
    }
    let at = at.min(c.locations.len().saturating_sub(1));
    let loc = &c.locations[at];
    let state = format!(
        "<input type=hidden name=at value=\"{at}\"><input type=hidden name=tally value=\"{}\">{}",
        esc(&serde_json::to_string(tally).map_err(ApiError::internal)?),
        if here {
            "<input type=hidden name=here value=1>"
        } else {
            ""
        }
    );
    // The counter sees only what they scanned here, never the books.
    let scanned: String = tally
        .iter()
        .filter(|(l, _, _)| l == loc)
        .map(|(_, item, n)| format!("<li><span class=big>{n}</span> x {}</li>", esc(item)))
        .collect();
    let input = if here {
        "<input name=item id=scan-item placeholder=\"scan each unit\" autofocus autocomplete=off required>"
    } else {
        "<input name=location id=scan-location placeholder=\"scan location\" autofocus autocomplete=off required>"
    };
    let last = at + 1 == c.locations.len();
    let next = if last {
        format!(
            "<form method=post>{state}<button name=action value=finish id=finish class=secondary>Finish count</button></form>"
        )
    } else {
        format!(
            "<form method=post>{state}<button name=action value=next id=next class=secondary>Next location</button></form>"
        )
    };
    let recount = if c.status == "recount" {
        "<p class=note>Count these locations again.</p>"
    } else {
        ""
    };
    let body = format!(
        "{recount}{note}<p>Location {n} of {all}</p><p class=big id=location>{l}</p><ul id=scanned>{scanned}</ul>\
<form method=post>{state}{input}<button>Scan</button></form>{next}",
        note = note_html(note),
        n = at + 1,
        all = c.locations.len(),
        l = esc(loc),
    );
    Ok(page(&title, error, &body).into_response())
}

/// A blind count: the locations one by one; scan the location, then every
/// unit there; the books' quantities are never shown.
pub async fn count(State(s): State<AppState>, Path(id): Path<String>) -> ApiResult<Response> {
    count_page(&s, &id, (0, false, &Vec::new()), None, None).await
}

pub async fn count_scan(
    State(s): State<AppState>,
    Path(id): Path<String>,
    Form(f): Form<CountForm>,
) -> ApiResult<Response> {
    let mut tally: Tally = match f.tally.as_deref().filter(|t| !t.is_empty()) {
        None => Vec::new(),
        Some(t) => serde_json::from_str(t)
            .map_err(|_| ApiError::field("tally", "is not what this page gave out"))?,
    };
    let c: Count = doc(&s, "count", id.clone())
        .await?
        .ok_or_else(|| ApiError::not_found(format!("count `{id}` not found")))?;
    let mut at = f.at.min(c.locations.len().saturating_sub(1));
    let mut here = f.here.is_some();
    match f.action.as_deref() {
        Some("next") => {
            return count_page(&s, &id, (at + 1, false, &tally), None, None).await;
        }
        Some("finish") => {
            let lines = tally
                .iter()
                .map(|(location, sku, n)| CountLineInput {
                    location: location.clone(),
                    sku: sku.clone(),
                    qty: tote_core::Qty(*n),
                })
                .collect();
            let cmd = WmsCommand::RecordCount {
                count: id.clone(),
                input: CountRecordInput { lines },
            };
            return match s.submit(Command::Warehouse(cmd), None, [0; 32]).await {
                Ok(a) => {
                    let status = match &a.outcome {
                        Outcome::Warehouse(WmsOutcome::Count(c)) => c.status.clone(),
                        _ => String::new(),
                    };
                    if status == "recount" {
                        // Blind again: start over with nothing scanned.
                        count_page(&s, &id, (0, false, &Vec::new()), None, None).await
                    } else {
                        count_page(&s, &id, (0, false, &Vec::new()), None, Some("Counted")).await
                    }
                }
                Err(e) => count_page(&s, &id, (at, here, &tally), Some(&scan_error(e)), None).await,
            };
        }
        _ => {}
    }
    if let Some(scanned) = f.location.as_deref().map(str::trim) {
        return match c.locations.iter().position(|l| l == scanned) {
            Some(i) => {
                at = i;
                here = true;
                count_page(&s, &id, (at, here, &tally), None, None).await
            }
            None => {
                let why = format!(
                    "`{scanned}` is not in this count: go to {}",
                    c.locations[at]
                );
                count_page(&s, &id, (at, false, &tally), Some(&why), None).await
            }
        };
    }
    let Some(item) = f.item.as_deref().map(str::trim) else {
        return count_page(&s, &id, (at, here, &tally), None, None).await;
    };
    // Scanning another location of the count moves there.
    if let Some(i) = c.locations.iter().position(|l| l == item) {
        return count_page(&s, &id, (i, true, &tally), None, None).await;
    }
    let code = item.to_owned();
    let known = s
        .read(move |r| r.sku(OrgId::DEFAULT, &code))
        .await?
        .is_some()
        || tote_core::Gtin::parse(item).is_ok();
    if !here || !known {
        let why = if here {
            format!("`{item}` is no known SKU code or GTIN")
        } else {
            format!("scan location {} first", c.locations[at])
        };
        return count_page(&s, &id, (at, here, &tally), Some(&why), None).await;
    }
    let loc = c.locations[at].clone();
    match tally.iter_mut().find(|(l, i, _)| *l == loc && i == item) {
        Some(t) => t.2 += 1,
        None => tally.push((loc, item.to_owned(), 1)),
    }
    count_page(&s, &id, (at, here, &tally), None, None).await
}
