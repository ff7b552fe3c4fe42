//! The use cases: what a person can do, whichever door they come in by. The HTML pages, the
//! JSON API and the demo call these; they decide nothing themselves (the rules are the
//! domain's) but put the domain, the store, the letters and the search index together.

pub mod admin;
pub mod annual;
pub mod applications;
pub mod assessment;
pub mod imports;
pub mod numbering;
pub mod participation;
pub mod publications;
pub mod records;
pub mod register;
pub mod statistics;
pub mod waiting;
pub mod work_plan;
