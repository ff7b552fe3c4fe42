//! HTML pages: `portal` and `catalog` (公开目录) for the public; `staff` for the case work,
//! `publications` (主动公开), `statistics`, `admin`.

pub mod admin;
pub mod catalog;
pub mod catalog_admin;
pub mod portal;
pub mod publications;
pub mod register;
pub mod staff;
pub mod statistics;
