//! The 政府信息公开工作年度报告 (annual report on government information disclosure) in the
//! format of 国办公开办函〔2021〕30号, and the 2019 trial format: its model, the identities
//! it must satisfy, a reader for published reports in the shapes sites produce, and its
//! renderings. Pure: no file, network or clock.

pub mod across;
pub mod assess;
pub mod batch;
pub mod checks;
pub mod export;
pub mod findings;
pub mod html;
pub mod json;
pub mod model;
pub mod prose;
pub mod reader;
pub mod render;
pub mod review;
pub mod sum;
pub mod text;

pub use assess::{Assessment, Status, assess};
pub use checks::check;
pub use findings::{Code, Finding, Severity};
pub use model::{Format, Report};
pub use reader::{Reading, Shape, read};
