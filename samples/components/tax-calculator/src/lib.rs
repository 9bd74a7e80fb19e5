//! `tax-calculator`: exports `patchbay:orders/tax`.
//!
//! | region | rule            | flags          | amount                      |
//! |--------|-----------------|----------------|-----------------------------|
//! | eu     | standard(2000)  | {}             | subtotal * 2000 / 10000     |
//! | us     | reduced(800)    | {reduced-rate} | subtotal * 800 / 10000      |
//! | apac   | exempt          | {exempt}       | 0                           |
//!
//! Amounts round down. A subtotal above 10^12 cents is refused with
//! `err("subtotal too large")`.

wit_bindgen::generate!({
    path: "../../../wit/orders",
    world: "tax-calculator",
});

use exports::patchbay::orders::tax::{Guest, TaxFlags, TaxQuote, TaxRule};
use patchbay::orders::types::Region;

/// The largest subtotal quoted, in cents.
const MAX_SUBTOTAL_CENTS: u64 = 1_000_000_000_000;

struct TaxCalculator;

impl Guest for TaxCalculator {
    fn quote(region: Region, subtotal_cents: u64) -> Result<TaxQuote, String> {
        if subtotal_cents > MAX_SUBTOTAL_CENTS {
            return Err("subtotal too large".to_string());
        }
        let (rule, flags) = match region {
            Region::Eu => (TaxRule::Standard(2000), TaxFlags::empty()),
            Region::Us => (TaxRule::Reduced(800), TaxFlags::REDUCED_RATE),
            Region::Apac => (TaxRule::Exempt, TaxFlags::EXEMPT),
        };
        let amount_cents = match rule {
            // Cannot overflow: subtotal <= 10^12 and the rate <= 10^4.
            TaxRule::Standard(bp) | TaxRule::Reduced(bp) => subtotal_cents * u64::from(bp) / 10_000,
            TaxRule::Exempt => 0,
        };
        Ok(TaxQuote {
            rule,
            flags,
            amount_cents,
        })
    }
}

export!(TaxCalculator);
