//! `stream-counter`: exports `patchbay:streams/numbers`, a WASI 0.3 (async)
//! interface. `count(n)` answers at once with a stream, then writes 1 to
//! `n` into it from a task of its own, one number at a time, stopping early
//! if the reader drops the stream.

wit_bindgen::generate!({
    path: "../../../wit/streams",
    world: "counter",
});

use exports::patchbay::streams::numbers::Guest;
use wit_bindgen::StreamReader;

struct Counter;

impl Guest for Counter {
    async fn count(n: u32) -> StreamReader<u32> {
        let (mut writer, reader) = wit_stream::new();
        wit_bindgen::spawn_local(async move {
            for i in 1..=n {
                // `Some` gives the value back: the reader is gone.
                if writer.write_one(i).await.is_some() {
                    break;
                }
            }
        });
        reader
    }
}

export!(Counter);
