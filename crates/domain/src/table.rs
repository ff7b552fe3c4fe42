//! Imported tables (CSV, a sheet): which column holds which field, found by the names
//! registers and catalogs use for it, whatever their spacing or the `*` marking required ones.

/// A field and the header names that mean it; the first name is the one messages use.
pub type Column = (&'static str, &'static [&'static str]);

pub fn fold(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace() && *c != '*')
        .collect()
}

/// The field of each header cell (None for a column nobody asked for), or the official
/// names of the required fields that are missing.
pub fn header_map(
    headers: &[String],
    columns: &[Column],
    required: &[&str],
) -> Result<Vec<Option<&'static str>>, Vec<&'static str>> {
    let map: Vec<Option<&'static str>> = headers
        .iter()
        .map(|h| {
            let h = fold(h);
            columns
                .iter()
                .find(|(_, names)| names.iter().any(|n| fold(n) == h))
                .map(|(field, _)| *field)
        })
        .collect();
    let missing: Vec<&'static str> = required
        .iter()
        .filter(|field| !map.contains(&Some(**field)))
        .filter_map(|field| columns.iter().find(|(f, _)| f == field).map(|c| c.1[0]))
        .collect();
    if missing.is_empty() {
        Ok(map)
    } else {
        Err(missing)
    }
}

/// The trimmed cell of a field in a row, empty when the row has none.
pub fn cell(map: &[Option<&'static str>], cells: &[String], field: &str) -> String {
    map.iter()
        .position(|m| *m == Some(field))
        .and_then(|i| cells.get(i))
        .map(|v| v.trim().to_string())
        .unwrap_or_default()
}
