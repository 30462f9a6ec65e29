//! The simulated business, drawn from the seed: its catalog, its network of
//! nodes, its channels and its customers' addresses. Plain data; the steps turn
//! it into commands.

use rand::Rng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;
use rust_decimal::Decimal;
use tote_core::{Money, NodeKind};

/// SKUs in the catalog.
pub const SKUS_COUNT: usize = 3_000;
/// Storage levels per bay in a DC.
pub const LEVELS: u32 = 5;
/// Bays per aisle in a DC.
pub const BAYS: u32 = 25;
/// Aisles in a DC: room for every SKU's home location and spare locations.
pub const DC_AISLES: u32 = 30;
const _: () = assert!((DC_AISLES * BAYS * LEVELS) as usize > SKUS_COUNT);
/// The hazmat zone is the last aisles of a DC, from the back.
pub const HAZMAT_AISLE: u32 = DC_AISLES;
/// SKUs a 3PL and a store carry: the fastest movers.
pub const TPL_SKUS: usize = 800;
pub const STORE_SKUS: usize = 250;

pub struct Category {
    pub prefix: &'static str,
    pub name: &'static str,
    pub nouns: &'static [&'static str],
    /// Weight range in grams, price range in cents, cost as a share of price.
    pub weight_g: (u32, u32),
    pub price_cents: (i64, i64),
    pub cost_share: (f64, f64),
    pub dims_mm: ([u32; 3], [u32; 3]),
    pub hs_code: &'static str,
    pub fragile: bool,
    /// A SKU of this category is a dangerous good with this UN number, with
    /// this chance.
    pub hazmat: Option<(&'static str, f64)>,
    /// Share of the catalog.
    pub share: f64,
}

pub const CATEGORIES: &[Category] = &[
    Category {
        prefix: "APP",
        name: "Apparel",
        nouns: &[
            "Tee",
            "Hoodie",
            "Crew Sweater",
            "Chino",
            "Rain Jacket",
            "Polo",
            "Legging",
            "Flannel Shirt",
        ],
        weight_g: (120, 900),
        price_cents: (1_400, 12_000),
        cost_share: (0.25, 0.40),
        dims_mm: ([200, 150, 20], [380, 300, 80]),
        hs_code: "610910",
        fragile: false,
        hazmat: None,
        share: 0.30,
    },
    Category {
        prefix: "FTW",
        name: "Footwear",
        nouns: &[
            "Runner",
            "Trail Shoe",
            "Slide",
            "Chelsea Boot",
            "Canvas Sneaker",
        ],
        weight_g: (400, 1_600),
        price_cents: (3_500, 18_000),
        cost_share: (0.35, 0.50),
        dims_mm: ([300, 180, 100], [360, 230, 140]),
        hs_code: "640411",
        fragile: false,
        hazmat: None,
        share: 0.10,
    },
    Category {
        prefix: "HOM",
        name: "Home",
        nouns: &[
            "Throw Blanket",
            "Candle",
            "Vase",
            "Cushion Cover",
            "Picture Frame",
            "Bath Towel",
        ],
        weight_g: (200, 2_500),
        price_cents: (1_200, 9_000),
        cost_share: (0.30, 0.45),
        dims_mm: ([100, 100, 80], [450, 350, 250]),
        hs_code: "630140",
        fragile: true,
        hazmat: None,
        share: 0.15,
    },
    Category {
        prefix: "KIT",
        name: "Kitchen",
        nouns: &[
            "Mug",
            "Chef Knife",
            "Cast Iron Pan",
            "Cutting Board",
            "Pour-Over Kettle",
            "Tumbler",
        ],
        weight_g: (250, 3_500),
        price_cents: (900, 14_000),
        cost_share: (0.30, 0.45),
        dims_mm: ([90, 90, 100], [500, 300, 150]),
        hs_code: "732393",
        fragile: true,
        hazmat: None,
        share: 0.12,
    },
    Category {
        prefix: "BEA",
        name: "Beauty",
        nouns: &[
            "Face Serum",
            "Hand Cream",
            "Dry Shampoo",
            "Body Wash",
            "Lip Balm",
            "Hair Spray",
        ],
        weight_g: (40, 600),
        price_cents: (600, 6_500),
        cost_share: (0.15, 0.30),
        dims_mm: ([30, 30, 80], [90, 90, 250]),
        hs_code: "330499",
        fragile: false,
        hazmat: Some(("UN1950", 0.12)),
        share: 0.13,
    },
    Category {
        prefix: "ELE",
        name: "Electronics",
        nouns: &[
            "Wireless Earbuds",
            "Power Bank",
            "Bike Light",
            "Smart Plug",
            "USB-C Cable",
            "Headlamp",
        ],
        weight_g: (60, 1_200),
        price_cents: (1_500, 25_000),
        cost_share: (0.45, 0.65),
        dims_mm: ([80, 60, 30], [300, 200, 120]),
        hs_code: "851762",
        fragile: true,
        hazmat: Some(("UN3481", 0.30)),
        share: 0.10,
    },
    Category {
        prefix: "OUT",
        name: "Outdoor",
        nouns: &[
            "Water Bottle",
            "Daypack",
            "Camp Chair",
            "Trekking Pole",
            "Dry Bag",
            "Sleeping Pad",
        ],
        weight_g: (150, 4_000),
        price_cents: (1_800, 16_000),
        cost_share: (0.35, 0.50),
        dims_mm: ([80, 80, 60], [550, 350, 250]),
        hs_code: "420292",
        fragile: false,
        hazmat: None,
        share: 0.10,
    },
];

const ADJECTIVES: &[&str] = &[
    "Classic",
    "Everyday",
    "Heritage",
    "Alpine",
    "Coastal",
    "Urban",
    "Studio",
    "Trail",
    "Essential",
    "Organic",
    "Weekend",
    "Summit",
    "Harbor",
    "Field",
    "Nordic",
    "Canyon",
];
const COLOURS: &[&str] = &[
    "Black", "Navy", "Olive", "Sand", "Rust", "Slate", "White", "Forest", "Clay", "Indigo",
];

pub struct SkuPlan {
    pub code: String,
    pub name: String,
    pub category: usize,
    pub gtin: String,
    pub weight_g: u32,
    pub dims_mm: [u32; 3],
    pub price: Money,
    pub unit_cost: Money,
    pub hazmat_un: Option<String>,
    pub fragile: bool,
    /// Share of all units ordered (the catalog's weights add up to 1).
    pub demand: f64,
    /// Popularity rank, 0 the best seller.
    pub rank: usize,
    /// Units in a supplier's case: purchase orders come in whole cases.
    pub case_pack: i64,
}

pub struct NodePlan {
    pub code: &'static str,
    pub kind: NodeKind,
    pub name: &'static str,
    pub priority: u32,
    pub line1: &'static str,
    pub city: &'static str,
    pub region: &'static str,
    pub postal_code: &'static str,
    pub time_zone: &'static str,
    /// Share of the network's online demand it should hold stock for.
    pub stock_share: f64,
    /// SKUs it carries: the `carries` best sellers.
    pub carries: usize,
    pub cart_totes: usize,
    /// Days from purchase order to arrival at the dock.
    pub lead_days: (i64, i64),
}

pub const NODES: &[NodePlan] = &[
    NodePlan {
        code: "DC-EAST",
        kind: NodeKind::Dc,
        name: "East DC, Edison",
        priority: 1,
        line1: "400 Raritan Center Pkwy",
        city: "Edison",
        region: "NJ",
        postal_code: "08837",
        time_zone: "America/New_York",
        stock_share: 0.45,
        carries: SKUS_COUNT,
        cart_totes: 12,
        lead_days: (3, 5),
    },
    NodePlan {
        code: "DC-WEST",
        kind: NodeKind::Dc,
        name: "West DC, Ontario",
        priority: 1,
        line1: "3300 E Jurupa St",
        city: "Ontario",
        region: "CA",
        postal_code: "91761",
        time_zone: "America/Los_Angeles",
        stock_share: 0.40,
        carries: SKUS_COUNT,
        cart_totes: 12,
        lead_days: (4, 6),
    },
    NodePlan {
        code: "3PL-MEM",
        kind: NodeKind::ThirdParty,
        name: "Central 3PL, Memphis",
        priority: 2,
        line1: "4000 Airways Blvd",
        city: "Memphis",
        region: "TN",
        postal_code: "38118",
        time_zone: "America/Chicago",
        stock_share: 0.15,
        carries: TPL_SKUS,
        cart_totes: 10,
        lead_days: (4, 7),
    },
    NodePlan {
        code: "ST-NYC",
        kind: NodeKind::Store,
        name: "Store, SoHo New York",
        priority: 3,
        line1: "120 Spring St",
        city: "New York",
        region: "NY",
        postal_code: "10012",
        time_zone: "America/New_York",
        stock_share: 0.0,
        carries: STORE_SKUS,
        cart_totes: 6,
        lead_days: (2, 3),
    },
    NodePlan {
        code: "ST-CHI",
        kind: NodeKind::Store,
        name: "Store, Chicago Loop",
        priority: 3,
        line1: "55 E Randolph St",
        city: "Chicago",
        region: "IL",
        postal_code: "60601",
        time_zone: "America/Chicago",
        stock_share: 0.0,
        carries: STORE_SKUS,
        cart_totes: 6,
        lead_days: (2, 3),
    },
    NodePlan {
        code: "ST-SEA",
        kind: NodeKind::Store,
        name: "Store, Seattle Pike Place",
        priority: 3,
        line1: "1501 Pike Pl",
        city: "Seattle",
        region: "WA",
        postal_code: "98101",
        time_zone: "America/Los_Angeles",
        stock_share: 0.0,
        carries: STORE_SKUS,
        cart_totes: 6,
        lead_days: (2, 3),
    },
];

/// Where customers live: (city, region, postal code, weight by population).
pub const CITIES: &[(&str, &str, &str, u32)] = &[
    ("New York", "NY", "10001", 84),
    ("Brooklyn", "NY", "11201", 26),
    ("Los Angeles", "CA", "90012", 39),
    ("Chicago", "IL", "60614", 27),
    ("Houston", "TX", "77002", 23),
    ("Phoenix", "AZ", "85004", 16),
    ("Philadelphia", "PA", "19103", 16),
    ("San Antonio", "TX", "78205", 15),
    ("San Diego", "CA", "92101", 14),
    ("Dallas", "TX", "75201", 13),
    ("Austin", "TX", "78701", 10),
    ("Jacksonville", "FL", "32202", 9),
    ("San Jose", "CA", "95113", 10),
    ("Columbus", "OH", "43215", 9),
    ("Charlotte", "NC", "28202", 9),
    ("Indianapolis", "IN", "46204", 9),
    ("San Francisco", "CA", "94103", 9),
    ("Seattle", "WA", "98104", 8),
    ("Denver", "CO", "80202", 8),
    ("Nashville", "TN", "37203", 7),
    ("Boston", "MA", "02108", 7),
    ("Portland", "OR", "97204", 7),
    ("Atlanta", "GA", "30303", 5),
    ("Miami", "FL", "33130", 5),
    ("Minneapolis", "MN", "55401", 4),
    ("Salt Lake City", "UT", "84111", 2),
    ("Kansas City", "MO", "64105", 5),
    ("Raleigh", "NC", "27601", 5),
    ("Pittsburgh", "PA", "15222", 3),
    ("Detroit", "MI", "48226", 6),
    ("Baltimore", "MD", "21202", 6),
    ("Burlington", "VT", "05401", 1),
    ("Boise", "ID", "83702", 2),
    ("Albuquerque", "NM", "87102", 6),
    ("Omaha", "NE", "68102", 5),
];

pub const STREETS: &[&str] = &[
    "Main St",
    "Oak Ave",
    "Maple Dr",
    "Cedar Ln",
    "Park Pl",
    "Elm St",
    "Washington Ave",
    "Lake Rd",
    "Hill St",
    "Pine St",
    "2nd Ave",
    "Sunset Blvd",
];

/// Wholesale accounts: retailers that buy by the case.
pub const WHOLESALE: &[(&str, &str, &str, &str, &str)] = &[
    (
        "Northwind Outfitters",
        "88 Commerce Dr",
        "Columbus",
        "OH",
        "43215",
    ),
    (
        "Blue Ridge General",
        "12 Market St",
        "Asheville",
        "NC",
        "28801",
    ),
    (
        "Prairie Supply Co",
        "500 Grand Ave",
        "Des Moines",
        "IA",
        "50309",
    ),
    ("Harbor & Pine", "31 Water St", "Portland", "ME", "04101"),
];

pub struct Business {
    pub skus: Vec<SkuPlan>,
    /// Indices into `skus`, best seller first.
    pub by_rank: Vec<usize>,
}

fn cents(c: i64) -> Money {
    Money(Decimal::new(c, 2))
}

/// A GTIN-13 under the business's GS1 company prefix, with its check digit.
pub fn gtin13(item: usize) -> String {
    let body = format!("0614141{item:05}");
    let digits: Vec<u8> = body.bytes().map(|b| b - b'0').collect();
    format!("{body}{}", tote_core::gtin::check_digit(&digits))
}

/// Rounds a price to a shelf price ending in .99 or .00.
fn shelf_price(cents_raw: i64, rng: &mut ChaCha8Rng) -> i64 {
    let dollars = (cents_raw / 100).max(3);
    if rng.random_bool(0.8) {
        dollars * 100 + 99
    } else {
        dollars * 100
    }
}

impl Business {
    /// The catalog: SKUs of every category with realistic sizes, prices and
    /// costs, GTINs with valid check digits, a few dangerous goods, and
    /// long-tail demand (a Zipf law over a shuffled popularity rank).
    pub fn generate(rng: &mut ChaCha8Rng) -> Business {
        let mut skus = Vec::with_capacity(SKUS_COUNT);
        let mut item = 0usize;
        for (ci, cat) in CATEGORIES.iter().enumerate() {
            let n = if ci + 1 == CATEGORIES.len() {
                SKUS_COUNT - skus.len()
            } else {
                (cat.share * SKUS_COUNT as f64).round() as usize
            };
            // Styles of up to four sizes or colours share a name and a price.
            let mut left = n;
            while left > 0 {
                let variants = rng.random_range(1..=4).min(left);
                let adjective = ADJECTIVES[rng.random_range(0..ADJECTIVES.len())];
                let noun = cat.nouns[rng.random_range(0..cat.nouns.len())];
                let raw = rng.random_range(cat.price_cents.0..=cat.price_cents.1);
                let price = shelf_price(raw, rng);
                let cost =
                    (price as f64 * rng.random_range(cat.cost_share.0..cat.cost_share.1)) as i64;
                let weight_g = rng.random_range(cat.weight_g.0..=cat.weight_g.1);
                let (lo, hi) = cat.dims_mm;
                let mut dims = [0u32; 3];
                for (d, slot) in dims.iter_mut().enumerate() {
                    *slot = rng.random_range(lo[d]..=hi[d]);
                }
                let hazmat = cat
                    .hazmat
                    .filter(|(_, p)| rng.random_bool(*p))
                    .map(|(un, _)| un.to_owned());
                let case_pack = *[6i64, 12, 12, 24]
                    .get(rng.random_range(0..4))
                    .expect("in range");
                for v in 0..variants {
                    item += 1;
                    let colour = COLOURS[(item + v) % COLOURS.len()];
                    skus.push(SkuPlan {
                        code: format!("{}-{item:05}", cat.prefix),
                        name: format!("{adjective} {noun}, {colour}"),
                        category: ci,
                        gtin: gtin13(item),
                        weight_g,
                        dims_mm: dims,
                        price: cents(price),
                        unit_cost: cents(cost.max(50)),
                        hazmat_un: hazmat.clone(),
                        fragile: cat.fragile,
                        demand: 0.0,
                        rank: 0,
                        case_pack,
                    });
                }
                left -= variants;
            }
        }
        let mut by_rank: Vec<usize> = (0..skus.len()).collect();
        by_rank.shuffle(rng);
        // Zipf with exponent 1.05: the top 1% sell about a third of the units,
        // half the catalog sells a few units a week.
        let weights: Vec<f64> = (0..skus.len())
            .map(|r| 1.0 / ((r + 1) as f64).powf(1.05))
            .collect();
        let total: f64 = weights.iter().sum();
        for (r, &i) in by_rank.iter().enumerate() {
            skus[i].rank = r;
            skus[i].demand = weights[r] / total;
        }
        Business { skus, by_rank }
    }

    /// The home location of a SKU in a DC, from its slot (its place in
    /// popularity order among the SKUs of its kind): the fastest movers in the
    /// aisles nearest the pack station, hazmat in the aisles at the back.
    pub fn home_location(&self, sku: usize, slot: usize) -> (String, u32, u32, u32, &'static str) {
        let s = &self.skus[sku];
        let per_aisle = (BAYS * LEVELS) as usize;
        let (aisle, within) = if s.hazmat_un.is_some() {
            (HAZMAT_AISLE - (slot / per_aisle) as u32, slot % per_aisle)
        } else {
            (1 + (slot / per_aisle) as u32, slot % per_aisle)
        };
        let bay = 1 + (within as u32) / LEVELS;
        let level = 1 + (within as u32) % LEVELS;
        let zone = if s.hazmat_un.is_some() {
            "HAZ"
        } else if s.rank < 300 {
            "A"
        } else if s.rank < 1_200 {
            "B"
        } else {
            "C"
        };
        (
            format!("A{aisle:02}-{bay:02}-{level}"),
            aisle,
            bay,
            level,
            zone,
        )
    }
}
