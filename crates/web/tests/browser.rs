//! Real browser flows (headless Chromium through chromedriver) — see `browser/`.
