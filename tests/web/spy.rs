//! A spy on the page's `WebSocket`: while it lives, every socket the crate creates is a subclass
//! that counts the calls the crate makes on it (listeners added and removed, `close`), so a test
//! can prove what the crate itself did rather than what the browser let through (listeners,
//! `close`, reads of `readyState` and `bufferedAmount`); it can also make one `send` throw.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(inline_js = r#"
export function spy_on_websockets() {
  const Original = globalThis.WebSocket;
  const spy = { Original, sockets: [], added: 0, removed: 0, closes: 0, readyState: 0, bufferedAmount: 0 };
  globalThis.WebSocket = class extends Original {
    constructor(...args) { super(...args); spy.sockets.push(this); }
    addEventListener(...args) { spy.added++; return super.addEventListener(...args); }
    removeEventListener(...args) { spy.removed++; return super.removeEventListener(...args); }
    close(...args) { spy.closes++; return super.close(...args); }
    get readyState() { spy.readyState++; return super.readyState; }
    get bufferedAmount() { spy.bufferedAmount++; return super.bufferedAmount; }
    send(data) {
      if (spy.poison !== undefined && data === spy.poison) {
        spy.poison = undefined;
        throw new DOMException("injected by the test's spy", "InvalidAccessError");
      }
      return super.send(data);
    }
  };
  return spy;
}
export function stop_spying(spy) { globalThis.WebSocket = spy.Original; }
export function hide_websocket() { const Original = globalThis.WebSocket; delete globalThis.WebSocket; return Original; }
export function restore_websocket(original) { globalThis.WebSocket = original; }
export function count(spy, what) { return spy[what]; }
export function throw_once_on_send(spy, text) { spy.poison = text; }
export function last_socket(spy) { return spy.sockets[spy.sockets.length - 1]; }
export function sockets_made(spy) { return spy.sockets.length; }
export function all_closed(spy) {
  // The browser's own getter and addEventListener: the spy's would count these calls as the crate's.
  const readyState = Object.getOwnPropertyDescriptor(spy.Original.prototype, "readyState").get;
  return Promise.all(spy.sockets.map((socket) => readyState.call(socket) === 3 ? undefined
    : new Promise((resolve) => EventTarget.prototype.addEventListener.call(socket, "close", () => resolve(), { once: true }))));
}
"#)]
extern "C" {
    fn spy_on_websockets() -> JsValue;
    fn stop_spying(spy: &JsValue);
    fn hide_websocket() -> JsValue;
    fn restore_websocket(original: &JsValue);
    fn count(spy: &JsValue, what: &str) -> u32;
    fn throw_once_on_send(spy: &JsValue, text: &str);
    fn last_socket(spy: &JsValue) -> Option<web_sys::WebSocket>;
    fn sockets_made(spy: &JsValue) -> u32;
    fn all_closed(spy: &JsValue) -> js_sys::Promise;
}

/// Counts calls on the sockets made while it lives; dropping it puts the real `WebSocket` back.
pub struct SocketSpy(JsValue);

impl SocketSpy {
    pub fn start() -> SocketSpy {
        SocketSpy(spy_on_websockets())
    }

    /// `addEventListener` calls on the spied sockets.
    pub fn listeners_added(&self) -> u32 {
        count(&self.0, "added")
    }

    /// `removeEventListener` calls on the spied sockets.
    pub fn listeners_removed(&self) -> u32 {
        count(&self.0, "removed")
    }

    /// `close` calls that reached the browser.
    pub fn closes(&self) -> u32 {
        count(&self.0, "closes")
    }

    /// Reads of `readyState` and of `bufferedAmount` on the spied sockets, in that order.
    pub fn property_reads(&self) -> (u32, u32) {
        (
            count(&self.0, "readyState"),
            count(&self.0, "bufferedAmount"),
        )
    }

    /// The next `send` of exactly this text throws, as a browser's `send` may.
    pub fn throw_once_on_send(&self, text: &str) {
        throw_once_on_send(&self.0, text);
    }

    /// The sockets made while spying.
    pub fn sockets_made(&self) -> u32 {
        sockets_made(&self.0)
    }

    /// Resolves once every socket made while spying is closed and its `close` event has reached
    /// the listeners added before this call: any listener of the crate still registered has run.
    pub async fn all_closed(&self) {
        let _ = wasm_bindgen_futures::JsFuture::from(all_closed(&self.0)).await;
    }

    /// The socket made last.
    pub fn last_socket(&self) -> web_sys::WebSocket {
        match last_socket(&self.0) {
            Some(socket) => socket,
            None => panic!("no socket was made while spying"),
        }
    }
}

impl Drop for SocketSpy {
    fn drop(&mut self) {
        stop_spying(&self.0);
    }
}

/// While it lives, the global scope has no `WebSocket`, as in a runtime without one.
pub struct NoWebSocket(JsValue);

impl NoWebSocket {
    pub fn start() -> NoWebSocket {
        NoWebSocket(hide_websocket())
    }
}

impl Drop for NoWebSocket {
    fn drop(&mut self) {
        restore_websocket(&self.0);
    }
}
