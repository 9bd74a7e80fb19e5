//! `order-service`: exports `process-order`, built only from imports.
//!
//! 1. `validate.check(order)`; its error is returned as is.
//! 2. subtotal = sum of quantity * unit price.
//! 3. `tax.quote(region, subtotal)`; `err(s)` becomes `tax-failed(s)`.
//! 4. A ledger `book` named after the order id records each line (label =
//!    sku) and the tax (label = `tax`); the total is `book.balance()`, so the
//!    resource handle really crosses the component boundary.
//! 5. `format.render(order, subtotal, tax)` gives the invoice text.
//!
//! The order's `coupon` is passed through but not applied.

// The bindings generated for `process-order` take many flattened arguments.
#![allow(clippy::too_many_arguments)]

wit_bindgen::generate!({
    path: "../../../wit/orders",
    world: "order-service",
});

use patchbay::orders::ledger::Book;
// `Order`, `Invoice` and `OrderError` come from the world's `use types.{..}`.
use patchbay::orders::{format, tax, validate};

struct OrderService;

impl Guest for OrderService {
    fn process_order(order: Order) -> Result<Invoice, OrderError> {
        validate::check(&order)?;

        let line_totals: Vec<u64> = order
            .items
            .iter()
            .map(|item| u64::from(item.quantity).saturating_mul(item.unit_price_cents))
            .collect();
        let subtotal_cents = line_totals
            .iter()
            .fold(0u64, |sum, t| sum.saturating_add(*t));

        let quote = tax::quote(order.region, subtotal_cents).map_err(OrderError::TaxFailed)?;
        let tax_cents = quote.amount_cents;

        let book = Book::new(&order.id);
        for (item, line_total) in order.items.iter().zip(&line_totals) {
            book.record_entry(&item.sku, *line_total);
        }
        book.record_entry("tax", tax_cents);
        let total_cents = book.balance();
        drop(book);

        let text = format::render(&order, subtotal_cents, tax_cents);
        Ok(Invoice {
            order_id: order.id,
            subtotal_cents,
            tax_cents,
            total_cents,
            text,
        })
    }
}

export!(OrderService);
