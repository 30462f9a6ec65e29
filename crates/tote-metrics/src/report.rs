//! The weekly operations review: the week's KPIs against their targets and the
//! week before, the exceptions open at the week's end grouped by root cause, and
//! the node scorecards; as Markdown and as a self-contained HTML page.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::board::Metric;
use crate::exceptions::{ExceptionRules, exceptions};
use crate::fact::Cut;
use crate::live::Live;
use crate::period::{Day, Period};
use crate::present;
use crate::settings::{ScorecardKind, scorecard};

/// The KPIs of the review, in order.
pub const REVIEW_METRICS: [Metric; 12] = [
    Metric::UnitFillRate,
    Metric::OrderFillRate,
    Metric::Otif,
    Metric::OnTimeShip,
    Metric::OrderAccuracy,
    Metric::OrderCycleTime,
    Metric::DockToStock,
    Metric::CostPerOrder,
    Metric::InventoryAccuracy,
    Metric::StockoutRate,
    Metric::ReturnRate,
    Metric::CarrierOnTime,
];

/// Oldest exceptions listed one by one.
pub const EXCEPTIONS_LISTED: usize = 10;

fn date(day: Day) -> String {
    day.start().to_rfc3339()[..10].to_owned()
}

/// One row of the KPI table, as text.
pub struct KpiRow {
    pub label: &'static str,
    pub value: String,
    pub parts: String,
    pub target: String,
    pub status: &'static str,
    pub last_week: String,
    pub change: String,
}

/// Everything the review says, before it is written as Markdown or HTML.
pub struct Review {
    pub title: String,
    pub period_line: String,
    pub kpis: Vec<KpiRow>,
    pub backlog_line: String,
    /// (kind label, root cause, count), most first.
    pub causes: Vec<(String, String, usize)>,
    /// (age in hours, kind label, subject, summary, root cause), oldest first.
    pub oldest: Vec<(i64, String, String, String, String)>,
    /// (node, score this week, score last week).
    pub scores: Vec<(String, String, String)>,
}

/// Builds the review of `week` from a state fed with the events up to its end,
/// its clock at the end of the week.
pub fn review(live: &Live, label: &str, week: Period) -> Review {
    let board = &live.board;
    let end = week.to.start();
    let kpis = REVIEW_METRICS
        .iter()
        .map(|&m| {
            let r = board.reading(m, week, Cut::All);
            let value = r.value.headline();
            let (n, d) = present::parts(&r.value);
            KpiRow {
                label: present::label(m),
                value: present::display(m, value),
                parts: match (n, d) {
                    (Some(n), Some(d)) => format!("{n} / {d}"),
                    (None, Some(d)) => format!("{d} timed"),
                    _ => String::new(),
                },
                target: r
                    .target
                    .map_or("none".to_owned(), |t| present::display(m, Some(t))),
                status: match r.on_target() {
                    Some(true) => "on target",
                    Some(false) => "below target",
                    None => "no data",
                },
                last_week: present::display(m, r.previous.headline()),
                change: match r.improving() {
                    Some(true) => format!("{} (better)", present::display_trend(&r)),
                    Some(false) => format!("{} (worse)", present::display_trend(&r)),
                    None => present::display_trend(&r),
                },
            }
        })
        .collect();
    let b = board.backlog(Cut::All, end);
    let backlog_line = format!(
        "{} open orders at the end of the week, {} past their ship-by ({} over 24 h).",
        b.orders,
        b.orders - b.not_yet_due,
        b.past_ship_by[2] + b.past_ship_by[3]
    );
    let open = exceptions(&live.projector, end, ExceptionRules::default());
    let mut by_cause: BTreeMap<(String, String), usize> = BTreeMap::new();
    for e in &open {
        *by_cause
            .entry((e.kind.label().to_owned(), e.root_cause.clone()))
            .or_default() += 1;
    }
    let mut causes: Vec<(String, String, usize)> =
        by_cause.into_iter().map(|((k, c), n)| (k, c, n)).collect();
    causes.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(&b.0)).then(a.1.cmp(&b.1)));
    let oldest = open
        .iter()
        .take(EXCEPTIONS_LISTED)
        .map(|e| {
            (
                e.age_hours,
                e.kind.label().to_owned(),
                e.subject.clone(),
                e.summary.clone(),
                e.root_cause.clone(),
            )
        })
        .collect();
    let score = |p: Period, cut| {
        scorecard(board, &live.scorecards, ScorecardKind::Nodes, p, cut)
            .score
            .map_or("n/a".to_owned(), |s| format!("{s:.1}"))
    };
    let scores = live
        .projector
        .names
        .nodes()
        .map(|(id, code)| {
            (
                code.to_owned(),
                score(week, Cut::Node(id)),
                score(week.previous(), Cut::Node(id)),
            )
        })
        .collect();
    Review {
        title: format!("Weekly operations review, {label}"),
        period_line: format!(
            "{} to {} (UTC), the whole operation, against the week before ({} to {}); {} events read.",
            date(week.from),
            date(Day(week.to.0 - 1)),
            date(week.previous().from),
            date(Day(week.from.0 - 1)),
            live.projector.events_applied
        ),
        kpis,
        backlog_line,
        causes,
        oldest,
        scores,
    }
}

fn md_cell(s: &str) -> String {
    s.replace('|', "\\|")
}

impl Review {
    pub fn markdown(&self) -> String {
        let mut o = String::new();
        let _ = writeln!(o, "# {}\n\n{}\n", self.title, self.period_line);
        o.push_str("## KPIs against target and last week\n\n");
        o.push_str("| KPI | This week | Counts | Target | Status | Last week | Change |\n");
        o.push_str("| --- | ---: | ---: | ---: | --- | ---: | ---: |\n");
        for k in &self.kpis {
            let _ = writeln!(
                o,
                "| {} | {} | {} | {} | {} | {} | {} |",
                k.label, k.value, k.parts, k.target, k.status, k.last_week, k.change
            );
        }
        let _ = writeln!(o, "\nBacklog: {}\n", self.backlog_line);
        o.push_str("## Exceptions open at the end of the week\n\n");
        if self.causes.is_empty() {
            o.push_str("None.\n");
        } else {
            o.push_str("| Kind | Root cause | Count |\n| --- | --- | ---: |\n");
            for (k, c, n) in &self.causes {
                let _ = writeln!(o, "| {} | {} | {} |", k, md_cell(c), n);
            }
            o.push_str("\nOldest:\n\n");
            for (i, (age, kind, subject, summary, cause)) in self.oldest.iter().enumerate() {
                let _ = writeln!(
                    o,
                    "{}. {} `{}`, {} h: {} [{}]",
                    i + 1,
                    kind,
                    subject,
                    age,
                    summary,
                    cause
                );
            }
        }
        o.push_str("\n## Node scorecards\n\n");
        if self.scores.is_empty() {
            o.push_str("No nodes.\n");
        } else {
            o.push_str("| Node | Score this week | Last week |\n| --- | ---: | ---: |\n");
            for (n, s, p) in &self.scores {
                let _ = writeln!(o, "| {} | {} | {} |", md_cell(n), s, p);
            }
        }
        o
    }

    pub fn html(&self) -> String {
        let e = escape;
        let mut o = String::new();
        let _ = write!(
            o,
            "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{}</title>\
             <style>body{{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;color:#1b1b1b}}\
             table{{border-collapse:collapse;margin:.5rem 0}}th,td{{border:1px solid #ccc;padding:.25rem .6rem;text-align:right}}\
             th:first-child,td:first-child{{text-align:left}}.below{{color:#b42318}}.on{{color:#1a7f37}}</style></head><body>",
            e(&self.title)
        );
        let _ = write!(
            o,
            "<h1>{}</h1><p>{}</p>",
            e(&self.title),
            e(&self.period_line)
        );
        o.push_str("<h2>KPIs against target and last week</h2><table><caption>KPIs of the week</caption><thead><tr>");
        for h in [
            "KPI",
            "This week",
            "Counts",
            "Target",
            "Status",
            "Last week",
            "Change",
        ] {
            let _ = write!(o, "<th scope=\"col\">{h}</th>");
        }
        o.push_str("</tr></thead><tbody>");
        for k in &self.kpis {
            let class = match k.status {
                "on target" => "on",
                "below target" => "below",
                _ => "",
            };
            let _ = write!(
                o,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"{class}\">{}</td><td>{}</td><td>{}</td></tr>",
                e(k.label),
                e(&k.value),
                e(&k.parts),
                e(&k.target),
                e(k.status),
                e(&k.last_week),
                e(&k.change)
            );
        }
        let _ = write!(
            o,
            "</tbody></table><p>Backlog: {}</p>",
            e(&self.backlog_line)
        );
        o.push_str("<h2>Exceptions open at the end of the week</h2>");
        if self.causes.is_empty() {
            o.push_str("<p>None.</p>");
        } else {
            o.push_str("<table><caption>Exceptions by root cause</caption><thead><tr><th scope=\"col\">Kind</th><th scope=\"col\">Root cause</th><th scope=\"col\">Count</th></tr></thead><tbody>");
            for (k, c, n) in &self.causes {
                let _ = write!(o, "<tr><td>{}</td><td>{}</td><td>{n}</td></tr>", e(k), e(c));
            }
            o.push_str("</tbody></table><p>Oldest:</p><ol>");
            for (age, kind, subject, summary, cause) in &self.oldest {
                let _ = write!(
                    o,
                    "<li>{} <code>{}</code>, {age} h: {} [{}]</li>",
                    e(kind),
                    e(subject),
                    e(summary),
                    e(cause)
                );
            }
            o.push_str("</ol>");
        }
        o.push_str("<h2>Node scorecards</h2>");
        if self.scores.is_empty() {
            o.push_str("<p>No nodes.</p>");
        } else {
            o.push_str("<table><caption>Weighted node scores</caption><thead><tr><th scope=\"col\">Node</th><th scope=\"col\">Score this week</th><th scope=\"col\">Last week</th></tr></thead><tbody>");
            for (n, s, p) in &self.scores {
                let _ = write!(
                    o,
                    "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
                    e(n),
                    e(s),
                    e(p)
                );
            }
            o.push_str("</tbody></table>");
        }
        o.push_str("</body></html>\n");
        o
    }
}

/// Escapes text for HTML element content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}
