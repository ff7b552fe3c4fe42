//! Any bytes as an uploaded CSV or XLSX (the first byte chooses the name the file claims),
//! through the bounded reader and both table importers (the 第二十条 register and the catalog):
//! refused or read, never a panic and never more memory than the limits allow.

#![no_main]

use gongkai_domain::AgencyCode;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&choice, bytes)) = data.split_first() else {
        return;
    };
    let name = if choice & 1 == 0 {
        "目录.csv"
    } else {
        "目录.xlsx"
    };
    let Ok(rows) = gongkai_sheets::read(name, bytes, &gongkai_sheets::Limits::default()) else {
        return;
    };
    let agency = AgencyCode::parse("demo").expect("a valid code");
    let _ = gongkai_domain::catalog::read_table(&agency, 1, &rows);
    let _ = gongkai_domain::register::read_table(&agency, 1, &rows);
});
