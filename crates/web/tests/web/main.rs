//! The web crate's one integration-test binary: in-process router tests by area (every route ×
//! role × own/other agency, forms, the whole loop, the API) and, in `browser`, real flows in
//! headless Chromium. `support` holds the one set of helpers.

mod admin;
mod annual;
mod api;
mod applicants;
mod applications;
mod assessment;
mod authorization;
mod browser;
mod corrections;
mod demo;
mod fees;
mod fixture;
mod kiosk;
mod participation;
mod portal;
mod publications;
mod published;
mod register;
mod rereview;
mod security;
mod server;
mod support;
mod uploads;
mod wording;
mod work_plan;
