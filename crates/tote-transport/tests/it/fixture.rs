//! A tiny carrier set with round numbers, so every expected charge below
//! can be worked by hand.

use std::collections::HashMap;
use tote_transport::{CarrierSet, InputError, import};

pub const SERVICES: &str = "\
carrier,carrier_name,service,name,kind,currency,weight_unit,dim_divisor,dim_volume_min,weight_max,zones,rates,transit,cutoff,pickup_days,delivery_days,calendar,refuses
tiny,Tiny Parcel,ground,Tiny Ground,ground,USD,lb,139,0,150,tiny,tiny_ground,2=2;5=4,17:00,Mon-Fri,Mon-Fri,tiny,
tiny,Tiny Parcel,air,Tiny Air,two_day,USD,lb,139,0,150,tiny,tiny_air,2=1;5=2,17:00,Mon-Fri,Mon-Fri,tiny,UN3480
";
pub const ZONES: &str = "\
origin_country,origin_from,origin_to,dest_country,dest_from,dest_to,zone
US,000,999,US,000,499,2
US,000,999,US,500,999,5
";
pub const GROUND: &str = "\
weight_from,weight_to,2,5
1,1,10.00,20.00
2,5,12.00,24.00
6,10,15.00,30.00
11,+,1.00,2.00
";
pub const AIR: &str = "\
weight_from,weight_to,2,5
1,10,30.00,40.00
11,+,3.00,4.00
";
pub const HOLIDAYS: &str = "\
calendar,date,name
tiny,2026-11-26,Thanksgiving Day
tiny,2026-12-25,Christmas Day
";
pub const SURCHARGES: &str = "\
carrier,service,rule,measure,over,amount,percent,billable_min,postal_list,starts,ends
tiny,*,fuel,,,,10,,,2026-06-01,2026-12-31
tiny,ground,residential,,,5.00,,,,,
tiny,ground,additional_handling,longest,48,20.00,,,,,
tiny,ground,additional_handling,second,30,20.00,,,,,
tiny,ground,additional_handling,weight,50,30.00,,,,,
tiny,ground,large_package,longest,96,100.00,,90,,,
tiny,ground,large_package,length_plus_girth,130,100.00,,90,,,
tiny,ground,delivery_area,,,3.00,,,remote,,
tiny,ground,peak,,,1.00,,,,2026-11-23,2027-01-10
tiny,ground,peak_residential,,,2.00,,,,2026-11-23,2027-01-10
";
pub const POSTAL_LISTS: &str = "\
list,prefix
remote,59011
remote,997
";

pub fn files() -> HashMap<String, String> {
    [
        ("services.csv", SERVICES),
        ("zones/tiny.csv", ZONES),
        ("rates/tiny_ground.csv", GROUND),
        ("rates/tiny_air.csv", AIR),
        ("holidays.csv", HOLIDAYS),
        ("surcharges.csv", SURCHARGES),
        ("postal_lists.csv", POSTAL_LISTS),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect()
}

pub fn load_with(files: &HashMap<String, String>) -> Result<CarrierSet, InputError> {
    import::load(&|name: &str| files.get(name).cloned())
}

pub fn tiny() -> CarrierSet {
    load_with(&files()).expect("the tiny fixture is valid")
}
