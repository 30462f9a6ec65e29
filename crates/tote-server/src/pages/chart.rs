//! Charts as inline SVG, drawn on the server: no script, no build step, and
//! a page that prints and reads the same in every browser. A chart is plain
//! data (layers of points on numeric axes) rendered by one function, so every
//! planning page draws alike.
//!
//! Accessibility: each chart is an `img` role labelled by its `<title>` and
//! described by its `<desc>` (the text alternative a screen reader speaks),
//! with an HTML legend beside it; the pages add the numbers as a table.

use maud::{Markup, html};

/// The main series of every chart (history, service curve, heads needed,
/// backlog): a blue used nowhere else on the pages, which the browser test
/// looks for in screenshots.
pub const COLOR_PRIMARY: &str = "#1f77b4";
/// Forecasts and plans: an orange that stays distinct for the common forms
/// of colour blindness next to the blue.
pub const COLOR_SECONDARY: &str = "#d9480f";

const WIDTH: f64 = 760.0;
const HEIGHT: f64 = 340.0;
const LEFT: f64 = 72.0;
const RIGHT: f64 = 20.0;
const TOP: f64 = 16.0;
const BOTTOM: f64 = 52.0;

/// The most points one layer draws; longer inputs are an error in the
/// caller, which should aggregate first.
pub const LAYER_POINTS_MAX: usize = 20_000;

pub enum Layer {
    Line {
        name: String,
        points: Vec<(f64, f64)>,
        color: &'static str,
        dashed: bool,
    },
    /// A shaded band between two paths sharing their x values (an interval).
    Band {
        name: String,
        lower: Vec<(f64, f64)>,
        upper: Vec<(f64, f64)>,
        color: &'static str,
    },
    /// Bars centred on each x, one x unit wide less a gap.
    Bars {
        name: String,
        points: Vec<(f64, f64)>,
        color: &'static str,
    },
    /// Marked points, such as the chosen policy on a curve.
    Markers {
        name: String,
        points: Vec<(f64, f64)>,
        color: &'static str,
    },
}

impl Layer {
    fn name(&self) -> &str {
        match self {
            Layer::Line { name, .. }
            | Layer::Band { name, .. }
            | Layer::Bars { name, .. }
            | Layer::Markers { name, .. } => name,
        }
    }

    fn color(&self) -> &'static str {
        match self {
            Layer::Line { color, .. }
            | Layer::Band { color, .. }
            | Layer::Bars { color, .. }
            | Layer::Markers { color, .. } => color,
        }
    }

    fn points(&self) -> impl Iterator<Item = &(f64, f64)> {
        let none: &[(f64, f64)] = &[];
        let (a, b) = match self {
            Layer::Line { points, .. }
            | Layer::Bars { points, .. }
            | Layer::Markers { points, .. } => (points.as_slice(), none),
            Layer::Band { lower, upper, .. } => (lower.as_slice(), upper.as_slice()),
        };
        a.iter().chain(b.iter())
    }

    fn kind(&self) -> &'static str {
        match self {
            Layer::Line { .. } => "line",
            Layer::Band { .. } => "band",
            Layer::Bars { .. } => "bars",
            Layer::Markers { .. } => "markers",
        }
    }
}

pub struct Chart {
    /// A DOM id unique on the page, for the title and description.
    pub id: String,
    pub title: String,
    /// What the chart shows, in a sentence or two: the text alternative.
    pub description: String,
    pub x_label: String,
    pub y_label: String,
    /// Labelled x positions; numeric ticks when empty.
    pub x_ticks: Vec<(f64, String)>,
    /// Formats y tick values, such as a percentage.
    pub y_format: fn(f64) -> String,
    /// Bars need half a unit of room at each end of the x axis.
    pub layers: Vec<Layer>,
}

/// A round step near `range / target` (1, 2 or 5 times a power of ten).
fn nice_step(range: f64, target: f64) -> f64 {
    let raw = (range / target).max(f64::MIN_POSITIVE);
    let power = 10f64.powf(raw.log10().floor());
    let unit = raw / power;
    let nice = if unit <= 1.0 {
        1.0
    } else if unit <= 2.0 {
        2.0
    } else if unit <= 5.0 {
        5.0
    } else {
        10.0
    };
    nice * power
}

/// A number for an axis: thousands separated, at most two decimals.
pub fn number(v: f64) -> String {
    if v.abs() >= 1000.0 || v.fract() == 0.0 {
        let whole = v.round() as i64;
        let digits = whole.unsigned_abs().to_string();
        let mut out = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push(',');
            }
            out.push(c);
        }
        if whole < 0 { format!("-{out}") } else { out }
    } else {
        let text = format!("{v:.2}");
        text.trim_end_matches('0').trim_end_matches('.').to_owned()
    }
}

pub fn percent(v: f64) -> String {
    let text = format!("{:.1}", v * 100.0);
    format!("{}%", text.trim_end_matches('0').trim_end_matches('.'))
}

fn path_of(points: &[(f64, f64)], sx: &impl Fn(f64) -> f64, sy: &impl Fn(f64) -> f64) -> String {
    let mut d = String::with_capacity(points.len() * 16);
    for (i, &(x, y)) in points.iter().enumerate() {
        let cmd = if i == 0 { 'M' } else { 'L' };
        d.push_str(&format!("{cmd}{:.1},{:.1} ", sx(x), sy(y)));
    }
    d
}

/// The outline of a band: along the upper path, back along the lower one.
fn band_path(
    lower: &[(f64, f64)],
    upper: &[(f64, f64)],
    sx: &impl Fn(f64) -> f64,
    sy: &impl Fn(f64) -> f64,
) -> String {
    let outline: Vec<(f64, f64)> = upper.iter().chain(lower.iter().rev()).copied().collect();
    format!("{}Z", path_of(&outline, sx, sy))
}

/// Draws the chart as an accessible SVG figure with an HTML legend.
pub fn render(chart: &Chart) -> Markup {
    for layer in &chart.layers {
        assert!(
            layer.points().count() <= 2 * LAYER_POINTS_MAX,
            "layer `{}` has too many points to draw",
            layer.name()
        );
    }
    let has_bars = chart.layers.iter().any(|l| matches!(l, Layer::Bars { .. }));
    let finite = |v: &f64| v.is_finite();
    let xs: Vec<f64> = chart
        .layers
        .iter()
        .flat_map(|l| l.points().map(|p| p.0))
        .chain(chart.x_ticks.iter().map(|t| t.0))
        .filter(finite)
        .collect();
    let ys: Vec<f64> = chart
        .layers
        .iter()
        .flat_map(|l| l.points().map(|p| p.1))
        .filter(finite)
        .collect();
    let pad = if has_bars { 0.5 } else { 0.0 };
    let (mut x0, mut x1) = xs
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &x| {
            (a.min(x), b.max(x))
        });
    if !x0.is_finite() {
        (x0, x1) = (0.0, 1.0);
    }
    x0 -= pad;
    x1 += pad;
    if x1 <= x0 {
        x1 = x0 + 1.0;
    }
    // The y axis starts at zero: every planning quantity is a count or money,
    // and a truncated axis exaggerates change.
    let y_max_data = ys.iter().copied().fold(0.0_f64, f64::max);
    let y_min_data = ys.iter().copied().fold(0.0_f64, f64::min);
    let step = nice_step((y_max_data - y_min_data).max(f64::MIN_POSITIVE), 5.0);
    let y0 = (y_min_data / step).floor() * step;
    let y1 = ((y_max_data / step).ceil() * step).max(y0 + step);
    let plot_w = WIDTH - LEFT - RIGHT;
    let plot_h = HEIGHT - TOP - BOTTOM;
    let sx = move |x: f64| LEFT + (x - x0) / (x1 - x0) * plot_w;
    let sy = move |y: f64| TOP + plot_h - (y - y0) / (y1 - y0) * plot_h;
    let y_ticks: Vec<f64> = (0..)
        .map(|i| y0 + f64::from(i) * step)
        .take_while(|&v| v <= y1 + step * 1e-9)
        .collect();
    let x_ticks: Vec<(f64, String)> = if chart.x_ticks.is_empty() {
        let xstep = nice_step(x1 - x0, 8.0);
        (0..)
            .map(|i| (x0 / xstep).ceil() * xstep + f64::from(i) * xstep)
            .take_while(|&v| v <= x1)
            .map(|v| (v, number(v)))
            .collect()
    } else {
        chart.x_ticks.clone()
    };
    let bar_w = (plot_w / (x1 - x0) * 0.7).max(1.0);
    let title_id = format!("{}-title", chart.id);
    let desc_id = format!("{}-desc", chart.id);
    html! {
        figure.chart id=(chart.id) {
            svg xmlns="http://www.w3.org/2000/svg" role="img"
                aria-labelledby=(format!("{title_id} {desc_id}"))
                viewBox=(format!("0 0 {WIDTH} {HEIGHT}")) width="100%"
                preserveAspectRatio="xMidYMid meet" {
                title id=(title_id) { (chart.title) }
                desc id=(desc_id) { (chart.description) }
                rect x="0" y="0" width=(WIDTH) height=(HEIGHT) fill="#ffffff" {}
                g.grid stroke="#e3e3e3" stroke-width="1" {
                    @for v in &y_ticks {
                        line x1=(LEFT) x2=(WIDTH - RIGHT) y1=(format!("{:.1}", sy(*v))) y2=(format!("{:.1}", sy(*v))) {}
                    }
                }
                g.axis font-size="12" fill="#333333" font-family="sans-serif" {
                    @for v in &y_ticks {
                        text x=(LEFT - 8.0) y=(format!("{:.1}", sy(*v) + 4.0)) text-anchor="end" { ((chart.y_format)(*v)) }
                    }
                    @for (x, label) in &x_ticks {
                        text x=(format!("{:.1}", sx(*x))) y=(HEIGHT - BOTTOM + 18.0) text-anchor="middle" { (label) }
                    }
                    text x=(LEFT + plot_w / 2.0) y=(HEIGHT - 8.0) text-anchor="middle" font-weight="bold" { (chart.x_label) }
                    text transform=(format!("translate(16,{:.1}) rotate(-90)", TOP + plot_h / 2.0)) text-anchor="middle" font-weight="bold" { (chart.y_label) }
                }
                line x1=(LEFT) x2=(WIDTH - RIGHT) y1=(format!("{:.1}", sy(y0))) y2=(format!("{:.1}", sy(y0))) stroke="#555555" stroke-width="1" {}
                line x1=(LEFT) x2=(LEFT) y1=(TOP) y2=(TOP + plot_h) stroke="#555555" stroke-width="1" {}
                @for layer in &chart.layers {
                    @match layer {
                        Layer::Band { lower, upper, color, name } => {
                            path.layer.band data-layer=(name) d=(band_path(lower, upper, &sx, &sy)) fill=(color) fill-opacity="0.22" stroke="none" {}
                        }
                        Layer::Bars { points, color, name } => {
                            g.layer.bars data-layer=(name) fill=(color) {
                                @for &(x, y) in points.iter().filter(|p| p.0.is_finite() && p.1.is_finite()) {
                                    @let (top, bottom) = (sy(y.max(0.0)), sy(0.0_f64.max(y0)));
                                    rect x=(format!("{:.1}", sx(x) - bar_w / 2.0)) y=(format!("{:.1}", top))
                                        width=(format!("{bar_w:.1}")) height=(format!("{:.1}", (bottom - top).max(0.0))) {}
                                }
                            }
                        }
                        Layer::Line { points, color, dashed, name } => {
                            path.layer.line data-layer=(name) d=(path_of(points, &sx, &sy)) fill="none" stroke=(color)
                                stroke-width="2.5" stroke-linejoin="round" stroke-dasharray=[dashed.then_some("6 4")] {}
                        }
                        Layer::Markers { points, color, name } => {
                            g.layer.markers data-layer=(name) fill=(color) {
                                @for &(x, y) in points {
                                    circle cx=(format!("{:.1}", sx(x))) cy=(format!("{:.1}", sy(y))) r="5" {}
                                }
                            }
                        }
                    }
                }
            }
            figcaption {
                ul.legend {
                    @for layer in &chart.layers {
                        li { span.swatch.(layer.kind()) style=(format!("background:{}", layer.color())) aria-hidden="true" {} (layer.name()) }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line_chart(points: Vec<(f64, f64)>) -> Chart {
        Chart {
            id: "c".into(),
            title: "Units <by> month".into(),
            description: "a & b".into(),
            x_label: "month".into(),
            y_label: "units".into(),
            x_ticks: Vec::new(),
            y_format: number,
            layers: vec![Layer::Line {
                name: "history".into(),
                points,
                color: COLOR_PRIMARY,
                dashed: false,
            }],
        }
    }

    #[test]
    fn chart_text_is_escaped_and_labelled_for_screen_readers() {
        let svg = render(&line_chart(vec![(0.0, 1.0), (1.0, 3.0)])).into_string();
        assert!(
            svg.contains("<title id=\"c-title\">Units &lt;by&gt; month</title>"),
            "{svg}"
        );
        assert!(
            svg.contains("<desc id=\"c-desc\">a &amp; b</desc>"),
            "{svg}"
        );
        assert!(svg.contains("role=\"img\""));
        assert!(svg.contains("aria-labelledby=\"c-title c-desc\""));
    }

    #[test]
    fn y_axis_starts_at_zero_and_ends_on_a_round_tick() {
        let svg = render(&line_chart(vec![(0.0, 412.0), (1.0, 433.0)])).into_string();
        // Ticks 0, 100, ..., 500: the axis is not truncated to the data.
        assert!(
            svg.contains(">0</text>") && svg.contains(">500</text>"),
            "{svg}"
        );
        assert!(!svg.contains(">600</text>"), "{svg}");
    }

    #[test]
    fn an_empty_or_flat_chart_still_draws_axes() {
        let svg = render(&line_chart(Vec::new())).into_string();
        assert!(svg.contains("<svg"));
        let svg = render(&line_chart(vec![(3.0, 0.0), (3.0, 0.0)])).into_string();
        assert!(!svg.contains("NaN"), "{svg}");
    }

    #[test]
    fn numbers_group_thousands() {
        assert_eq!(number(1234567.0), "1,234,567");
        assert_eq!(number(-1500.0), "-1,500");
        assert_eq!(number(0.25), "0.25");
        assert_eq!(percent(0.995), "99.5%");
        assert_eq!(percent(0.9), "90%");
    }
}
