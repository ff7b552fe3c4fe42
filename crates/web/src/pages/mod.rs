//! HTML pages: `portal` and `catalog` (公开目录) for the public; `staff` (queue, sign-in,
//! registration) and `case` (one case and its actions, `case_actions`) for the case work,
//! `publications` (主动公开), `statistics`, `admin`.

pub mod admin;
pub mod annual;
pub mod assessment;
pub mod case;
pub mod case_actions;
pub mod catalog;
pub mod catalog_admin;
pub mod corrections;
pub mod imports;
pub mod interpretations;
pub mod kiosk;
pub mod participation;
pub mod portal;
pub mod publications;
pub mod records;
pub mod register;
pub mod reports;
pub mod rereview;
pub mod staff;
pub mod statistics;
pub mod supervision;
pub mod tokens;
pub mod work_plan;
