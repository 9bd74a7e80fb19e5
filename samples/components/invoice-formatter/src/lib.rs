//! `invoice-formatter`: exports `patchbay:orders/format` and
//! `patchbay:orders/ledger`.
//!
//! `render` produces plain text like:
//!
//! ```text
//! Invoice ord-1
//! Customer: alice
//!
//! widget x 2 @ $12.50 = $25.00
//! gadget x 1 @ $3.05 = $3.05
//!
//! Subtotal: $28.05
//! Tax: $5.61
//! Total: $33.66
//! ```
//!
//! The `book` resource keeps its name and `(label, amount)` entries; its
//! `entries` lines are `label amount` with the amount in cents.

use std::cell::RefCell;
use std::fmt::Write as _;

wit_bindgen::generate!({
    path: "../../../wit/orders",
    world: "invoice-formatter",
});

use exports::patchbay::orders::format;
use exports::patchbay::orders::ledger::{self, GuestBook};
use patchbay::orders::types::Order;

struct InvoiceFormatter;

/// Formats cents as dollars with two decimals, e.g. `$12.50`.
fn dollars(cents: u64) -> String {
    format!("${}.{:02}", cents / 100, cents % 100)
}

impl format::Guest for InvoiceFormatter {
    fn render(o: Order, subtotal_cents: u64, tax_cents: u64) -> String {
        let mut text = String::new();
        // Writing to a String cannot fail.
        let _ = writeln!(text, "Invoice {}", o.id);
        let _ = writeln!(text, "Customer: {}", o.customer);
        let _ = writeln!(text);
        for item in &o.items {
            let line_total = u64::from(item.quantity).saturating_mul(item.unit_price_cents);
            let _ = writeln!(
                text,
                "{} x {} @ {} = {}",
                item.sku,
                item.quantity,
                dollars(item.unit_price_cents),
                dollars(line_total),
            );
        }
        let _ = writeln!(text);
        let _ = writeln!(text, "Subtotal: {}", dollars(subtotal_cents));
        let _ = writeln!(text, "Tax: {}", dollars(tax_cents));
        let _ = writeln!(
            text,
            "Total: {}",
            dollars(subtotal_cents.saturating_add(tax_cents))
        );
        text
    }
}

/// The state behind one `book` handle.
struct Book {
    /// Kept for the resource's identity; not part of any reply.
    #[allow(dead_code)]
    name: String,
    entries: RefCell<Vec<(String, u64)>>,
}

impl ledger::Guest for InvoiceFormatter {
    type Book = Book;
}

impl GuestBook for Book {
    fn new(name: String) -> Self {
        Book {
            name,
            entries: RefCell::new(Vec::new()),
        }
    }

    fn record_entry(&self, label: String, amount_cents: u64) {
        self.entries.borrow_mut().push((label, amount_cents));
    }

    fn balance(&self) -> u64 {
        self.entries
            .borrow()
            .iter()
            .fold(0u64, |sum, (_, amount)| sum.saturating_add(*amount))
    }

    fn entries(&self) -> Vec<String> {
        self.entries
            .borrow()
            .iter()
            .map(|(label, amount)| format!("{label} {amount}"))
            .collect()
    }
}

export!(InvoiceFormatter);
