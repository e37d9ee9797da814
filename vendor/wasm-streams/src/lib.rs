//! A stand-in for wasm-streams 0.5. Leptos pulls wasm-streams in (through server_fn) for
//! streaming server functions, which this panel never uses; but wasm-streams exports three
//! JavaScript classes with `#[wasm_bindgen]`, and exports are never dropped as dead code, so
//! they cost bundle bytes for nothing. This crate keeps only the items server_fn names.
//! Streaming a body, the one thing they would do, fails loudly instead.

use futures_util::stream::{self, Stream};
use wasm_bindgen::JsValue;

pub struct ReadableStream(web_sys::ReadableStream);

impl ReadableStream {
    pub fn from_raw(raw: web_sys::ReadableStream) -> Self {
        ReadableStream(raw)
    }

    pub fn from_stream<St>(_stream: St) -> Self
    where
        St: Stream<Item = Result<JsValue, JsValue>> + 'static,
    {
        unimplemented!("streaming request bodies: this panel has no server functions")
    }

    pub fn into_raw(self) -> web_sys::ReadableStream {
        self.0
    }

    pub fn into_stream(self) -> impl Stream<Item = Result<JsValue, JsValue>> + Unpin {
        stream::iter([Err(JsValue::from_str(
            "streaming response bodies: this panel has no server functions",
        ))])
    }
}
