//! `cargo xtask bench` runs this in each headless browser, in release mode, and collects the
//! `BENCH` lines it prints.
#![cfg(target_arch = "wasm32")]

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

const SERVER: &str = match option_env!("WS_TEST_SERVER") {
    Some(url) => url,
    None => "ws://127.0.0.1:9001",
};

#[wasm_bindgen_test::wasm_bindgen_test]
async fn benchmark() {
    benches::run_all(&format!("{SERVER}/echo")).await;
}
