//! HTML pages: `portal` for the public, `staff` for the case work, `statistics`, `admin`.

pub mod admin;
pub mod portal;
pub mod staff;
pub mod statistics;
