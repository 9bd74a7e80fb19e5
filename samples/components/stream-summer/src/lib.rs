//! `stream-summer`: imports `patchbay:streams/numbers` and exports
//! `sum: async func(n: u32) -> u64`, the sum of what `count(n)`'s stream
//! delivers (1 + 2 + … + n when wired to `stream-counter`).

wit_bindgen::generate!({
    path: "../../../wit/streams",
    world: "summer",
});

use patchbay::streams::numbers::count;

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
}

export!(Summer);
