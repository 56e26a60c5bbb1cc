//! For the framework hooks' suites (`integrations/*/tests`): a fresh element to mount a
//! component into, and waiting for what the page shows.

use wasm_bindgen::JsCast;

use crate::util::sleep;

/// A new `<div>` at the end of the body, removed when dropped.
pub struct MountPoint(pub web_sys::HtmlElement);

impl MountPoint {
    pub fn new() -> MountPoint {
        let document = web_sys::window()
            .and_then(|w| w.document())
            .expect("a document");
        let div: web_sys::HtmlElement = document
            .create_element("div")
            .expect("a div")
            .dyn_into()
            .expect("an HtmlElement");
        document
            .body()
            .expect("a body")
            .append_child(&div)
            .expect("appended");
        MountPoint(div)
    }

    pub fn element(&self) -> web_sys::Element {
        self.0.clone().into()
    }

    /// The text of the first element matching `selector`, or "" if there is none.
    pub fn text(&self, selector: &str) -> String {
        self.0
            .query_selector(selector)
            .ok()
            .flatten()
            .and_then(|e| e.text_content())
            .unwrap_or_default()
    }

    /// The texts of every element matching `selector`, in document order.
    pub fn texts(&self, selector: &str) -> Vec<String> {
        let Ok(list) = self.0.query_selector_all(selector) else {
            return Vec::new();
        };
        (0..list.length())
            .filter_map(|i| list.item(i))
            .map(|n| n.text_content().unwrap_or_default())
            .collect()
    }

    /// Waits (re-checking every 5 ms) until `shown` holds for what the page shows, or fails
    /// after `ms` with what it showed.
    pub async fn until(&self, ms: u32, what: &str, shown: impl Fn(&MountPoint) -> bool) {
        let started = js_sys::Date::now();
        while !shown(self) {
            assert!(
                js_sys::Date::now() - started < f64::from(ms),
                "the page never showed {what}: {}",
                self.0.inner_html()
            );
            sleep(5).await;
        }
    }
}

impl Drop for MountPoint {
    fn drop(&mut self) {
        self.0.remove();
    }
}

/// How long `shown` took to hold, in ms from `started` (a `js_sys::Date::now()`), checked every
/// 5 ms; fails after `ms`.
pub async fn took(
    point: &MountPoint,
    started: f64,
    ms: u32,
    what: &str,
    shown: impl Fn(&MountPoint) -> bool,
) -> f64 {
    point.until(ms, what, shown).await;
    js_sys::Date::now() - started
}
