//! Handing bytes from wasm memory to the browser. Normally the browser reads a view of wasm
//! memory, with no copy in Rust. When memory is shared (built with `+atomics`, for wasm threads)
//! it is a `SharedArrayBuffer`, which `WebSocket.send()` refuses; then the bytes are copied into
//! a fresh `Uint8Array` first.
//!
//! Only a build with the `atomics` target feature can have shared memory (the linker's
//! `--shared-memory` requires it), so other builds carry neither the check nor the copy: the
//! size table of `cargo xtask bench` counts every byte an app links.

use wasm_bindgen::JsValue;

/// Sends `bytes` as one binary message.
pub(crate) fn send_bytes(socket: &web_sys::WebSocket, bytes: &[u8]) -> Result<(), JsValue> {
    #[cfg(target_feature = "atomics")]
    if shared::is_shared() {
        let copy = js_sys::Uint8Array::new_with_length(bytes.len().try_into().unwrap_or(u32::MAX));
        copy.copy_from(bytes);
        return socket.send_with_array_buffer_view(&copy);
    }
    socket.send_with_u8_array(bytes)
}

#[cfg(target_feature = "atomics")]
mod shared {
    use std::cell::OnceCell;

    use wasm_bindgen::JsCast;

    thread_local! {
        /// Memory does not change kind while the module runs: one check is enough.
        static SHARED: OnceCell<bool> = const { OnceCell::new() };
    }

    /// Whether wasm memory is a `SharedArrayBuffer` (an `+atomics` build may still link
    /// unshared memory).
    pub(super) fn is_shared() -> bool {
        SHARED.with(|shared| {
            *shared.get_or_init(|| {
                wasm_bindgen::memory()
                    .dyn_into::<js_sys::WebAssembly::Memory>()
                    .map(|memory| {
                        memory
                            .buffer()
                            .is_instance_of::<js_sys::SharedArrayBuffer>()
                    })
                    .unwrap_or(false)
            })
        })
    }
}
