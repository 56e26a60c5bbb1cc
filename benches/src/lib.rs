//! The benchmark: every contender runs every workload it supports against the test server's
//! `/echo`, three times, in one browser session. Results are printed as `BENCH` lines for
//! `cargo xtask bench` to collect; nothing here asserts on time.
#![cfg(target_arch = "wasm32")]

mod contenders;
mod raw_js;
mod raw_sys;
mod workload;

pub use contenders::run_all;
