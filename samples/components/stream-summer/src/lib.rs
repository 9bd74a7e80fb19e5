//! `stream-summer`: imports `patchbay:streams/numbers` and exports
//! `sum: async func(n: u32) -> u64`, the sum of what `count(n)`'s stream
//! delivers (1 + 2 + … + n when wired to `stream-counter`). Its other
//! exports take or give a stream or future themselves:
//! `sum-stream(numbers: stream<u32>) -> u64` sums what the caller writes,
//! `double-later(n: future<u32>) -> u64` awaits `n` and doubles it, and
//! `doubled(n: u32) -> future<u64>` answers with a future that a task of
//! its own resolves to `2 * n`.

wit_bindgen::generate!({
    path: "../../../wit/streams",
    world: "summer",
});

use patchbay::streams::numbers::count;
use wit_bindgen::{FutureReader, StreamReader};

struct Summer;

impl Guest for Summer {
    async fn sum(n: u32) -> u64 {
        let mut numbers = count(n).await;
        let mut total = 0u64;
        while let Some(x) = numbers.next().await {
            total += u64::from(x);
        }
        total
    }

    async fn sum_stream(mut numbers: StreamReader<u32>) -> u64 {
        let mut total = 0u64;
        while let Some(x) = numbers.next().await {
            total += u64::from(x);
        }
        total
    }

    async fn double_later(n: FutureReader<u32>) -> u64 {
        2 * u64::from(n.await)
    }

    async fn doubled(n: u32) -> FutureReader<u64> {
        let (writer, reader) = wit_future::new(|| 0);
        wit_bindgen::spawn_local(async move {
            // An error gives the value back: the reader is gone.
            let _ = writer.write(2 * u64::from(n)).await;
        });
        reader
    }
}

export!(Summer);
