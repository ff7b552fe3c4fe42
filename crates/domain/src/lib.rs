//! 依申请公开 case management as pure domain logic: agencies and their tree, users and roles,
//! applications with their statutory state machine, audit entries chained by hash, and table
//! 三 of the annual report computed from the records. The stores implement [`store`]'s
//! traits; nothing here touches a database, a file or the clock.

pub mod access;
pub mod agency;
pub mod annual;
pub mod appeal;
pub mod applicants;
pub mod application;
pub mod assessment;
pub mod audit;
pub mod catalog;
pub mod correction;
pub mod error;
pub mod facts;
pub mod identity;
pub mod ids;
pub mod imports;
pub mod letters;
pub mod participation;
pub mod publication;
pub mod records;
pub mod register;
pub mod rereview;
pub mod search;
pub mod stats;
pub mod store;
pub mod table;
pub mod user;
pub mod work_plan;

pub use agency::{Agency, AgencyLevel, AgencySettings, OfficeDetails};
pub use application::{
    Action, Applicant, Application, Attachment, CONSULTATION_PERIOD, CaseRules, Channel,
    ConsultationKind, DEFAULT_SUPPLEMENT_PERIOD, Event, MAX_SUPPLEMENT_PERIOD, NewApplication,
    OpenPause, State, check_supplement_period,
};
pub use error::DomainError;
pub use ids::{AgencyCode, ApplicationNumber, UserName};
pub use user::{Actor, Role, User};
