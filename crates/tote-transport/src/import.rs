//! Loading a carrier set from CSV tables.
//!
//! A carrier set is a folder of CSV files (header row first, `#` lines are
//! comments):
//!
//! - `services.csv`: one row per service: `carrier, carrier_name, service,
//!   name, kind (ground|two_day|overnight|economy|postal|international),
//!   currency, weight_unit (lb|kg), dim_divisor, dim_volume_min, weight_max,
//!   zones, rates, transit (zone=days;...), cutoff (HH:MM node-local),
//!   pickup_days, delivery_days (Mon-Fri, Mon-Sat, Mon,Wed,Fri), calendar,
//!   refuses (UN numbers or classes, `;`-separated)`.
//! - `zones/NAME.csv`: `origin_country, origin_from, origin_to, dest_country,
//!   dest_from, dest_to, zone`: postal-prefix ranges, empty bounds for a whole country.
//! - `rates/NAME.csv`: `weight_from, weight_to, <zone>, <zone>...`: whole
//!   units of the service's weight unit; a last row with `weight_to` `+`
//!   holds the price per unit beyond the table.
//! - `holidays.csv`: `calendar, date, name`: days without pickup or delivery.
//! - `surcharges.csv`: `carrier, service (or *), rule (fuel|residential|
//!   additional_handling|large_package|delivery_area|peak|peak_residential),
//!   measure (longest|second|weight|length_plus_girth), over, amount,
//!   percent, billable_min, postal_list, starts, ends`.
//! - `postal_lists.csv`: `list, prefix`: delivery-area postal prefixes.
//!
//! Every error names the file, the row (line number, header = 1) and the column.

use crate::calendar::{WeekDays, WorkDays};
use crate::error::{CellError, InputError};
use crate::money::Currency;
use crate::place::Country;
use crate::rates::{BandRow, RateTable};
use crate::service::{CarrierSet, Service, ServiceKind};
use crate::surcharges::{Measure, PostalList, Rule, Surcharge};
use crate::units::{DimRule, WeightUnit};
use crate::zones::{PrefixRange, Zone, ZoneChart, ZoneRow};
use chrono::{NaiveDate, NaiveTime};
use rust_decimal::Decimal;
use std::collections::HashMap;
use std::sync::Arc;

/// A parsed CSV file: header names and rows with their line numbers.
pub(crate) struct Table {
    file: String,
    headers: Vec<String>,
    rows: Vec<(usize, Vec<String>)>,
}

impl Table {
    pub(crate) fn parse(file: &str, text: &str) -> Result<Table, InputError> {
        let mut reader = csv::ReaderBuilder::new()
            .trim(csv::Trim::All)
            .comment(Some(b'#'))
            .flexible(true)
            .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
        let headers = reader
            .headers()
            .map_err(|e| InputError::File {
                file: file.into(),
                problem: e.to_string(),
            })?
            .iter()
            .map(str::to_string)
            .collect();
        let mut rows = Vec::new();
        for record in reader.records() {
            let record = record.map_err(|e| InputError::File {
                file: file.into(),
                problem: e.to_string(),
            })?;
            let line = record.position().map_or(0, |p| p.line() as usize);
            rows.push((line, record.iter().map(str::to_string).collect()));
        }
        Ok(Table {
            file: file.into(),
            headers,
            rows,
        })
    }

    fn column(&self, name: &str) -> Result<usize, InputError> {
        self.headers
            .iter()
            .position(|h| h == name)
            .ok_or_else(|| InputError::table(&self.file, CellError::new(1, name, "missing column")))
    }

    pub(crate) fn err(&self, row: usize, column: &str, problem: impl Into<String>) -> InputError {
        InputError::table(&self.file, CellError::new(row, column, problem))
    }
}

/// One row with column lookup by name.
pub(crate) struct Row<'a> {
    table: &'a Table,
    pub(crate) line: usize,
    cells: &'a [String],
}

impl<'a> Row<'a> {
    pub(crate) fn str(&self, column: &str) -> Result<&'a str, InputError> {
        let i = self.table.column(column)?;
        Ok(self.cells.get(i).map_or("", String::as_str))
    }
    pub(crate) fn required(&self, column: &str) -> Result<&'a str, InputError> {
        let s = self.str(column)?;
        if s.is_empty() {
            Err(self.err(column, "empty"))
        } else {
            Ok(s)
        }
    }
    pub(crate) fn err(&self, column: &str, problem: impl Into<String>) -> InputError {
        self.table.err(self.line, column, problem)
    }
    pub(crate) fn parse<T: std::str::FromStr>(
        &self,
        column: &str,
        what: &str,
    ) -> Result<T, InputError> {
        let s = self.required(column)?;
        s.parse()
            .map_err(|_| self.err(column, format!("`{s}` is not {what}")))
    }
    pub(crate) fn optional<T: std::str::FromStr>(
        &self,
        column: &str,
        what: &str,
    ) -> Result<Option<T>, InputError> {
        if self.str(column)?.is_empty() {
            Ok(None)
        } else {
            self.parse(column, what).map(Some)
        }
    }
    pub(crate) fn decimal(&self, column: &str) -> Result<Decimal, InputError> {
        let d: Decimal = self.parse(column, "a decimal number")?;
        if d.is_sign_negative() {
            return Err(self.err(column, format!("{d} is negative")));
        }
        Ok(d)
    }
}

pub(crate) fn rows(t: &Table) -> impl Iterator<Item = Row<'_>> {
    t.rows.iter().map(move |(line, cells)| Row {
        table: t,
        line: *line,
        cells,
    })
}

/// Where the files come from: a folder on disk or the embedded example.
pub type Files<'a> = &'a dyn Fn(&str) -> Option<String>;

fn open(files: Files, name: &str) -> Result<Table, InputError> {
    let text = files(name).ok_or_else(|| InputError::File {
        file: name.into(),
        problem: "not found".into(),
    })?;
    Table::parse(name, &text)
}

fn open_optional(files: Files, name: &str) -> Result<Option<Table>, InputError> {
    files(name)
        .map(|text| Table::parse(name, &text))
        .transpose()
}

/// Loads and checks a whole carrier set.
pub fn load(files: Files) -> Result<CarrierSet, InputError> {
    let holidays = load_holidays(files)?;
    let lists = load_postal_lists(files)?;
    let services_table = open(files, "services.csv")?;
    let mut charts: HashMap<String, Arc<ZoneChart>> = HashMap::new();
    let mut tables: HashMap<String, Arc<RateTable>> = HashMap::new();
    let mut services: Vec<Service> = Vec::new();
    for r in rows(&services_table) {
        let weight_unit = match r.required("weight_unit")? {
            "lb" => WeightUnit::Lb,
            "kg" => WeightUnit::Kg,
            other => return Err(r.err("weight_unit", format!("`{other}` is not lb or kg"))),
        };
        let zones_name = r.required("zones")?;
        let zones = match charts.get(zones_name) {
            Some(c) => c.clone(),
            None => {
                let c = Arc::new(load_zone_chart(files, &format!("zones/{zones_name}.csv"))?);
                charts.insert(zones_name.into(), c.clone());
                c
            }
        };
        let rates_name = r.required("rates")?;
        let rates = match tables.get(rates_name) {
            Some(t) => t.clone(),
            None => {
                let t = Arc::new(load_rate_table(files, &format!("rates/{rates_name}.csv"))?);
                tables.insert(rates_name.into(), t.clone());
                t
            }
        };
        let calendar = r.str("calendar")?;
        if !calendar.is_empty() && !holidays.contains_key(calendar) {
            return Err(r.err(
                "calendar",
                format!("`{calendar}` has no rows in holidays.csv"),
            ));
        }
        let days_off = holidays.get(calendar).cloned().unwrap_or_default();
        let week_days = |column: &str| {
            let s = r.required(column)?;
            WeekDays::parse(s).ok_or_else(|| {
                r.err(
                    column,
                    format!("`{s}` is not a list of weekdays like Mon-Fri"),
                )
            })
        };
        let service = Service {
            carrier: r.required("carrier")?.into(),
            carrier_name: r.required("carrier_name")?.into(),
            code: r.required("service")?.into(),
            name: r.required("name")?.into(),
            kind: {
                let s = r.required("kind")?;
                ServiceKind::parse(s)
                    .ok_or_else(|| r.err("kind", format!("`{s}` is not a service kind")))?
            },
            currency: {
                let s = r.required("currency")?;
                Currency::parse(s)
                    .ok_or_else(|| r.err("currency", format!("`{s}` is not a currency code")))?
            },
            dim: DimRule {
                unit: weight_unit,
                divisor: positive(&r, "dim_divisor")?,
                volume_min: r.optional("dim_volume_min", "a whole number")?.unwrap_or(0),
            },
            weight_max: positive(&r, "weight_max")?,
            zone_chart_name: zones_name.into(),
            rate_table_name: rates_name.into(),
            transit_days: parse_transit(&r)?,
            cutoff: {
                let s = r.required("cutoff")?;
                NaiveTime::parse_from_str(s, "%H:%M")
                    .map_err(|_| r.err("cutoff", format!("`{s}` is not a time HH:MM")))?
            },
            pickup: WorkDays::new(week_days("pickup_days")?, days_off.clone()),
            delivery: WorkDays::new(week_days("delivery_days")?, days_off),
            refuses: r
                .str("refuses")?
                .split(';')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect(),
            surcharges: Vec::new(),
            zones,
            rates,
        };
        if service.weight_max > service.rates.weight_max_banded() && !service.rates.has_beyond() {
            return Err(r.err(
                "weight_max",
                format!(
                    "{} is beyond the last band of rates/{rates_name}.csv ({}) and the table has no `+` row",
                    service.weight_max,
                    service.rates.weight_max_banded()
                ),
            ));
        }
        for z in service.zones.zones() {
            if service.transit(z).is_none() {
                return Err(r.err(
                    "transit",
                    format!("zone {} of {zones_name} has no transit days", z.0),
                ));
            }
            if !service.rates.zones().contains(&z) {
                return Err(InputError::table(
                    &format!("rates/{rates_name}.csv"),
                    CellError::new(
                        1,
                        "weight_to",
                        format!("no column for zone {} of zones/{zones_name}.csv", z.0),
                    ),
                ));
            }
        }
        if services
            .iter()
            .any(|s| s.carrier == service.carrier && s.code == service.code)
        {
            return Err(r.err("service", format!("{} appears twice", service.key())));
        }
        services.push(service);
    }
    if let Some(t) = open_optional(files, "surcharges.csv")? {
        attach_surcharges(&t, &lists, &mut services)?;
    }
    Ok(CarrierSet { services })
}

fn positive(r: &Row, column: &str) -> Result<u64, InputError> {
    let n: u64 = r.parse(column, "a whole number")?;
    if n == 0 {
        return Err(r.err(column, "must be above 0"));
    }
    Ok(n)
}

fn parse_transit(r: &Row) -> Result<Vec<Option<u32>>, InputError> {
    let s = r.required("transit")?;
    let mut days: Vec<Option<u32>> = Vec::new();
    for part in s.split(';').map(str::trim).filter(|p| !p.is_empty()) {
        let bad = || r.err("transit", format!("`{part}` is not zone=days"));
        let (z, d) = part.split_once('=').ok_or_else(bad)?;
        let (z, d): (u16, u32) = (
            z.trim().parse().map_err(|_| bad())?,
            d.trim().parse().map_err(|_| bad())?,
        );
        if days.len() <= z as usize {
            days.resize(z as usize + 1, None);
        }
        days[z as usize] = Some(d);
    }
    Ok(days)
}

fn load_holidays(files: Files) -> Result<HashMap<String, Vec<NaiveDate>>, InputError> {
    let mut out: HashMap<String, Vec<NaiveDate>> = HashMap::new();
    if let Some(t) = open_optional(files, "holidays.csv")? {
        for r in rows(&t) {
            let day: NaiveDate = r.parse("date", "a date YYYY-MM-DD")?;
            out.entry(r.required("calendar")?.into())
                .or_default()
                .push(day);
        }
    }
    Ok(out)
}

fn load_postal_lists(files: Files) -> Result<HashMap<String, Arc<PostalList>>, InputError> {
    let mut raw: HashMap<String, Vec<String>> = HashMap::new();
    if let Some(t) = open_optional(files, "postal_lists.csv")? {
        for r in rows(&t) {
            let prefix = r.required("prefix")?;
            let code = crate::place::PostalCode::parse(prefix)
                .ok_or_else(|| r.err("prefix", format!("`{prefix}` is not a postal prefix")))?;
            raw.entry(r.required("list")?.into())
                .or_default()
                .push(code.as_str().into());
        }
    }
    Ok(raw
        .into_iter()
        .map(|(k, v)| (k, Arc::new(PostalList::new(v))))
        .collect())
}

fn load_zone_chart(files: Files, name: &str) -> Result<ZoneChart, InputError> {
    let t = open(files, name)?;
    let mut out = Vec::new();
    for r in rows(&t) {
        let range = |side: &str| -> Result<PrefixRange, InputError> {
            let c = r.required(&format!("{side}_country"))?;
            Ok(PrefixRange {
                country: Country::parse(c).ok_or_else(|| {
                    r.err(
                        &format!("{side}_country"),
                        format!("`{c}` is not a country code"),
                    )
                })?,
                from: r.str(&format!("{side}_from"))?.to_ascii_uppercase(),
                to: r.str(&format!("{side}_to"))?.to_ascii_uppercase(),
            })
        };
        out.push(ZoneRow {
            row: r.line,
            origin: range("origin")?,
            destination: range("dest")?,
            zone: Zone(r.parse("zone", "a zone number")?),
        });
    }
    ZoneChart::new(out).map_err(|e| InputError::table(name, e))
}

fn load_rate_table(files: Files, name: &str) -> Result<RateTable, InputError> {
    let t = open(files, name)?;
    let (from_col, to_col) = (t.column("weight_from")?, t.column("weight_to")?);
    let zone_cols: Vec<usize> = (0..t.headers.len())
        .filter(|&i| i != from_col && i != to_col)
        .collect();
    let mut zones = Vec::new();
    for &i in &zone_cols {
        let h = &t.headers[i];
        zones
            .push(Zone(h.parse().map_err(|_| {
                t.err(1, h, format!("`{h}` is not a zone number"))
            })?));
    }
    let mut bands = Vec::new();
    let mut beyond = None;
    for r in rows(&t) {
        if beyond.is_some() {
            return Err(r.err("weight_from", "rows after the per-unit (`+`) row"));
        }
        let mut prices = Vec::with_capacity(zone_cols.len());
        for &i in &zone_cols {
            prices.push(r.decimal(&t.headers[i])?);
        }
        let from: u64 = r.parse("weight_from", "a whole weight")?;
        if r.required("weight_to")? == "+" {
            let last_to = bands.last().map_or(0, |b: &BandRow| b.to);
            if from != last_to + 1 {
                return Err(r.err(
                    "weight_from",
                    format!("the per-unit row must start at {}", last_to + 1),
                ));
            }
            beyond = Some(BandRow {
                row: r.line,
                from,
                to: from,
                prices,
            });
        } else {
            bands.push(BandRow {
                row: r.line,
                from,
                to: r.parse("weight_to", "a whole weight or +")?,
                prices,
            });
        }
    }
    RateTable::new(zones, bands, beyond).map_err(|e| InputError::table(name, e))
}

fn attach_surcharges(
    t: &Table,
    lists: &HashMap<String, Arc<PostalList>>,
    services: &mut [Service],
) -> Result<(), InputError> {
    // Fuel rows per service, to refuse overlapping dated percentages.
    let mut fuel: HashMap<String, Vec<(usize, NaiveDate, NaiveDate)>> = HashMap::new();
    for r in rows(t) {
        let carrier = r.required("carrier")?;
        let service = r.required("service")?;
        let starts: Option<NaiveDate> = r.optional("starts", "a date YYYY-MM-DD")?;
        let ends: Option<NaiveDate> = r.optional("ends", "a date YYYY-MM-DD")?;
        if let (Some(s), Some(e)) = (starts, ends)
            && e < s
        {
            return Err(r.err("ends", format!("{e} is before starts {s}")));
        }
        let measure = || {
            let s = r.required("measure")?;
            Measure::parse(s).ok_or_else(|| {
                r.err(
                    "measure",
                    format!("`{s}` is not longest, second, weight or length_plus_girth"),
                )
            })
        };
        let rule = match r.required("rule")? {
            "fuel" => Rule::Fuel {
                percent: r.decimal("percent")?,
            },
            "residential" => Rule::Residential {
                amount: r.decimal("amount")?,
            },
            "additional_handling" => Rule::AdditionalHandling {
                measure: measure()?,
                over: r.parse("over", "a whole number")?,
                amount: r.decimal("amount")?,
            },
            "large_package" => Rule::LargePackage {
                measure: measure()?,
                over: r.parse("over", "a whole number")?,
                amount: r.decimal("amount")?,
                billable_min: r.optional("billable_min", "a whole weight")?.unwrap_or(0),
            },
            "delivery_area" => {
                let name = r.required("postal_list")?;
                let list = lists.get(name).ok_or_else(|| {
                    r.err(
                        "postal_list",
                        format!("`{name}` is not in postal_lists.csv"),
                    )
                })?;
                Rule::DeliveryArea {
                    list_name: name.into(),
                    list: list.clone(),
                    amount: r.decimal("amount")?,
                }
            }
            "peak" => Rule::Peak {
                amount: r.decimal("amount")?,
                residential_only: false,
            },
            "peak_residential" => Rule::Peak {
                amount: r.decimal("amount")?,
                residential_only: true,
            },
            other => return Err(r.err("rule", format!("`{other}` is not a surcharge rule"))),
        };
        let mut matched = false;
        for s in services
            .iter_mut()
            .filter(|s| s.carrier == carrier && (service == "*" || s.code == service))
        {
            matched = true;
            if matches!(rule, Rule::Fuel { .. }) {
                let span = (
                    r.line,
                    starts.unwrap_or(NaiveDate::MIN),
                    ends.unwrap_or(NaiveDate::MAX),
                );
                let seen = fuel.entry(s.key()).or_default();
                if let Some(&(row, ..)) = seen.iter().find(|(_, a, b)| *a <= span.2 && span.1 <= *b)
                {
                    return Err(r.err(
                        "starts",
                        format!("fuel dates overlap row {row} for {}", s.key()),
                    ));
                }
                seen.push(span);
            }
            s.surcharges.push(Surcharge {
                rule: rule.clone(),
                starts,
                ends,
            });
        }
        if !matched {
            return Err(r.err(
                "service",
                format!("no service {carrier}/{service} in services.csv"),
            ));
        }
    }
    Ok(())
}
